package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"
)

// runCLIStdin is runCLI with stdin.
func runCLIStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// writeTree writes name -> content under a new temporary directory (names
// may hold slashes) and returns the directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	allowGet   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`
	denyGet    = `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}}`
	allowAll   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
	yamlPolicy = "# a policy\nVersion: \"2012-10-17\"\nStatement:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: \"*\"\n"
)

// decision runs simulate with --output json and returns the one decision,
// or "usage:" and stderr.
func decision(t *testing.T, stdin string, args ...string) (string, string) {
	t.Helper()
	code, out, errOut := runCLIStdin(t, stdin, append(append([]string{"simulate"}, args...), "--output", "json")...)
	if code == exitUsage {
		return "usage:" + errOut, errOut
	}
	i := strings.Index(out, `"EvalDecision": "`)
	if i < 0 {
		t.Fatalf("%v: exit %d, no decision in %s (stderr %s)", args, code, out, errOut)
	}
	rest := out[i+len(`"EvalDecision": "`):]
	return rest[:strings.IndexByte(rest, '"')], errOut
}

// TestFileArguments pins issue 12: every file flag opens files one way
// (file:// and fileb:// prefixes, - for stdin once per run, directories).
func TestFileArguments(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"allow.json":                  allowGet,
		"deny.json":                   denyGet,
		"all.json":                    allowAll,
		"pol/a-allow.json":            allowGet,
		"pol/b/deny.json":             denyGet,
		"pol/package.json":            `{"name": "web", "version": "1.0.0"}`,
		"pol/cases.iamtest.json":      `{"cases": []}`,
		"pol/.git/config.json":        `{"not": "seen"}`,
		"pol/notes.txt":               "not JSON",
		"allowonly/x.json":            allowGet,
		"allowonly/request.json":      `{"ActionNames": ["s3:GetObject"]}`,
		"empty/README.md":             "nothing here",
		"nopolicy/package.json":       `{"name": "web"}`,
		"scps/root.json":              allowAll,
		"scps/deny-get.json":          denyGet,
		"request.json":                `{"PolicyInputList": ["` + strings.ReplaceAll(allowGet, `"`, `\"`) + `"], "ActionNames": ["s3:GetObject"]}`,
		"bad-in-dir/ok.json":          allowGet,
		"bad-in-dir/broken.json":      "{\n  \"Statement\": [,]\n}\n",
		"two-boundaries/one.json":     allowAll,
		"two-boundaries/two.json":     allowAll,
		"one-boundary/only.json":      allowAll,
		"one-boundary/readme.json":    `{"title": "the boundary"}`,
		"one-boundary/.hidden/x.json": denyGet,
	})
	p := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	get := []string{"--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string // a decision, or "usage:" + a part of stderr
		notes []string
	}{
		{"file:// prefix", "", []string{"--policy", "file://" + p("allow.json")}, "allowed", nil},
		{"fileb:// prefix", "", []string{"--policy", "fileb://" + p("allow.json")}, "allowed", nil},
		{"a missing file is named without its prefix", "", []string{"--policy", "file://" + p("none.json")}, "usage:open " + p("none.json") + ": no such file", nil},
		{"--policy - reads stdin", allowGet, []string{"--policy", "-"}, "allowed", nil},
		{"--boundary - reads stdin", strings.Replace(allowGet, "s3:GetObject", "ec2:*", 1), []string{"--policy", p("all.json"), "--boundary", "-"}, "implicitDeny", nil},
		{"--input file://-", "", []string{"--input", "file://" + p("request.json")}, "allowed", nil},
		{"stdin twice in one flag", allowGet, []string{"--policy", "-", "--policy", "-"}, "usage:--policy - is given twice: stdin can be read only once", nil},
		{"stdin twice is a usage error naming both flags", allowGet, []string{"--policy", "-", "--session-policy", "-"}, "usage:--policy and --session-policy both read stdin", nil},
		{"--policy DIR: every policy, recursively, non-policies skipped with a note", "", []string{"--policy", p("pol")}, "explicitDeny",
			[]string{"iameval: " + p("pol/package.json") + ": not a policy (no Statement), skipped"}},
		{"--policy DIR names request documents it skips", "", []string{"--policy", p("allowonly")}, "allowed",
			[]string{"iameval: " + p("allowonly/request.json") + ": not a policy (a simulate request document), skipped"}},
		{"--policy DIR without *.json", "", []string{"--policy", p("empty")}, "usage:" + p("empty") + ": a directory with no policy (no *.json files)", nil},
		{"--policy DIR without a policy", "", []string{"--policy", p("nopolicy")}, "usage:" + p("nopolicy") + ": a directory with no policy (one *.json file, not a policy)", nil},
		{"a broken file in a directory is an error, never skipped", "", []string{"--policy", p("bad-in-dir")}, "usage:" + p("bad-in-dir/broken.json") + ":2:17: invalid_json", nil},
		{"--scp DIR is one level holding all", "", []string{"--policy", p("all.json"), "--scp", p("scps")}, "explicitDeny", nil},
		{"--boundary DIR with two policies", "", []string{"--policy", p("all.json"), "--boundary", p("two-boundaries")}, "usage:--boundary " + p("two-boundaries") + ": the directory holds 2 policies", nil},
		{"--boundary DIR with one policy (hidden directories skipped)", "", []string{"--policy", p("allow.json"), "--boundary", p("one-boundary")}, "allowed", nil},
		{"--input DIR", "", []string{"--input", p("pol")}, "usage:--input " + p("pol") + ": a directory; --input takes one file", nil},
	}
	for _, tc := range tests {
		args := tc.args
		if !strings.HasPrefix(args[0], "--input") {
			args = append(append([]string{}, args...), get...)
		}
		got, errOut := decision(t, tc.stdin, args...)
		if !strings.HasPrefix(got, "usage:") && !strings.HasPrefix(tc.want, "usage:") {
			if got != tc.want {
				t.Errorf("%s: got %s, want %s (stderr %q)", tc.name, got, tc.want, errOut)
			}
		} else if !strings.HasPrefix(got, "usage:") || !strings.Contains(got, strings.TrimPrefix(tc.want, "usage:")) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
		for _, n := range tc.notes {
			if !strings.Contains(errOut, n+"\n") {
				t.Errorf("%s: stderr lacks note %q:\n%s", tc.name, n, errOut)
			}
		}
	}
}

// TestAWSCLIOutput pins issue 12: the files users already have, the output
// of the AWS CLI commands that print a policy, are read with a note, and
// positions inside them are absolute file positions.
func TestAWSCLIOutput(t *testing.T) {
	inRoot(t)
	get := []string{"--action", "s3:GetObject", "--resource", "arn:aws:s3:::reports/q3.csv"}
	all := writeFiles(t, map[string]string{"all.json": allowAll})["all.json"]
	tests := []struct {
		name string
		args []string
		want string
		note string
	}{
		{"get-policy-version, as the AWS CLI prints it (an object)", []string{"--policy", "testdata/cli/get-policy-version.json"}, "allowed",
			"iameval: testdata/cli/get-policy-version.json: aws iam get-policy-version output: using PolicyVersion.Document"},
		{"get-policy-version, as the API returns it (URL-encoded)", []string{"--policy", "testdata/cli/get-policy-version-api.json"}, "allowed",
			"iameval: testdata/cli/get-policy-version-api.json: aws iam get-policy-version output: using PolicyVersion.Document (URL-decoded)"},
		{"get-role-policy", []string{"--policy", "testdata/cli/get-role-policy.json"}, "allowed",
			"iameval: testdata/cli/get-role-policy.json: aws iam get-role-policy output: using PolicyDocument"},
		{"get-bucket-policy", []string{"--resource-policy", "testdata/cli/get-bucket-policy.json", "--anonymous",
			"--action", "s3:GetObject", "--resource", "arn:aws:s3:::site/index.html", "--resource-owner", "111122223333"}, "allowed",
			"iameval: testdata/cli/get-bucket-policy.json: aws s3api get-bucket-policy output: using Policy"},
		{"describe-policy as an SCP", []string{"--policy", "testdata/cli/get-role-policy.json", "--scp", "testdata/cli/describe-policy.json",
			"--action", "s3:DeleteBucket", "--resource", "arn:aws:s3:::reports"}, "explicitDeny",
			"iameval: testdata/cli/describe-policy.json: aws organizations describe-policy output: using Policy.Content"},
		{"get-role: the trust policy (and an identity policy of the other account)", []string{"--policy", all, "--resource-policy", "testdata/cli/get-role.json", "--caller-arn", "arn:aws:iam::111122223333:user/alice",
			"--action", "sts:AssumeRole", "--resource", "arn:aws:iam::123456789012:role/Test-Role", "--mfa-age", "5m"}, "allowed",
			"iameval: testdata/cli/get-role.json: aws iam get-role output: using Role.AssumeRolePolicyDocument"},
	}
	for _, tc := range tests {
		args := tc.args
		if !strings.Contains(strings.Join(args, " "), "--action") {
			args = append(append([]string{}, args...), get...)
		}
		got, errOut := decision(t, "", args...)
		if got != tc.want || !strings.Contains(errOut, tc.note+"\n") {
			t.Errorf("%s: got %s, stderr %q; want %s and note %q", tc.name, got, errOut, tc.want, tc.note)
		}
	}

	// the statement that decided is shown where it is in the user's file
	code, out, _ := runCLI(t, "simulate", "--policy", "testdata/cli/get-policy-version.json", "--output", "explain",
		"--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::reports/q3.csv", "--no-mfa-session")
	if code != exitOK || !strings.Contains(out, "decided by: Deny statement 2 (testdata/cli/get-policy-version.json:11:17)") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestAWSCLIOutputPositions: errors inside an unwrapped policy, an object
// or a JSON string, are reported at their line and column in the file.
func TestAWSCLIOutputPositions(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"version.json": "{\n  \"PolicyVersion\": {\n    \"Document\": {\n      \"Version\": \"2012-10-17\",\n      \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n    },\n    \"VersionId\": \"v1\"\n  }\n}\n",
		"bucket.json":  "{\n    \"Policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":{\\\"Effect\\\":\\\"allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"*\\\"}}\"\n}\n",
		"role.json":    "{\n  \"Role\": {\n    \"RoleName\": \"R\",\n    \"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\", \"Resource\": \"*\"}]}\n  }\n}\n",
	})
	version, bucket, role := filepath.Join(dir, "version.json"), filepath.Join(dir, "bucket.json"), filepath.Join(dir, "role.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"simulate", "--policy", version, "--action", "s3:GetObject"}, version + ":5:31: bad_effect: PolicyVersion.Document: Effect must be exactly"},
		{[]string{"simulate", "--resource-policy", bucket, "--anonymous", "--action", "s3:GetObject"}, bucket + ":2:70: bad_effect: Policy: Effect must be exactly"},
		{[]string{"lint", version}, version + ":5:31: error: bad_effect"},
		{[]string{"lint", bucket}, bucket + ":2:70: error: bad_effect"},
		// a get-role document is linted as a trust policy, where Resource is refused
		{[]string{"lint", role}, role + ":4:168: error: element_not_allowed"},
	} {
		_, out, errOut := runCLI(t, tc.args...)
		if !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%v: want %q in\n%s%s", tc.args, tc.want, out, errOut)
		}
	}
	_, out, _ := runCLI(t, "lint", "--format", "json", role)
	if v := decodeLintJSON(t, out); len(v.Files) != 1 || v.Files[0].Kind != "trust" || v.Files[0].KindSource != "detected" {
		t.Errorf("%+v", v.Files)
	}
}

// TestPrincipalPolicyRequest: simulate --account --input takes the request
// document of aws iam simulate-principal-policy; its PolicySourceArn names
// the principal in the account.
func TestPrincipalPolicyRequest(t *testing.T) {
	inRoot(t)
	acct := "testdata/account/example-account.json"
	dir := writeTree(t, map[string]string{
		"group.json":   `{"PolicySourceArn": "arn:aws:iam::123456789012:group/developers", "ActionNames": ["s3:GetObject"]}`,
		"nobody.json":  `{"PolicySourceArn": "arn:aws:iam::123456789012:user/nobody", "ActionNames": ["s3:GetObject"]}`,
		"nogroup.json": `{"PolicySourceArn": "arn:aws:iam::123456789012:group/nobody", "ActionNames": ["s3:GetObject"]}`,
		"bad.json":     "{\n  \"PolicySourceArn\": \"alice\",\n  \"ActionNames\": [\"s3:GetObject\"]\n}\n",
	})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"PolicySourceArn names a user of the dump; CallerArn defaults to it", []string{"--account", acct, "--input", "testdata/cli/principal-request.json"}, "allowed"},
		{"without --account", []string{"--input", "testdata/cli/principal-request.json"}, "usage:testdata/cli/principal-request.json:2:24: PolicySourceArn names a principal whose policies are simulated (a simulate-principal-policy request): give --account FILE"},
		{"a custom-policy request with --account", []string{"--account", acct, "--input", "testdata/cli/skeleton-request.json"}, "usage:--input with --account must be a simulate-principal-policy request"},
		// as in the AWS CLI, a flag replaces the member it stands for: the
		// document names no user of the dump, --principal one that is
		{"--principal replaces PolicySourceArn", []string{"--account", acct, "--principal", "user/alice", "--input", filepath.Join(dir, "nobody.json")}, "explicitDeny"},
		// IAM API Reference, SimulatePrincipalPolicy, PolicySourceArn: "The
		// ARN of a user, group, or role whose policies you want to include
		// in the simulation"
		{"a group: its policies", []string{"--account", acct, "--input", filepath.Join(dir, "group.json")}, "allowed"},
		{"a group not in the dump", []string{"--account", acct, "--input", filepath.Join(dir, "nogroup.json")}, "usage:PolicySourceArn: no group arn:aws:iam::123456789012:group/nobody in the account"},
		// --principal names a group as it names a user or role: by ARN, or
		// by group/ and its path and name (a README-only helper found
		// group/NAME refused while user/NAME and role/NAME were taken)
		{"--principal group/NAME", []string{"--account", acct, "--principal", "group/developers", "--action", "s3:GetObject"}, "allowed"},
		{"--principal group/NAME not in the dump", []string{"--account", acct, "--principal", "group/nobody", "--action", "s3:GetObject"}, "usage:no group group/nobody in the account"},
		{"--principal a group's bare name", []string{"--account", acct, "--principal", "developers", "--action", "s3:GetObject"}, `usage:a group has that name: give group/developers`},
		{"not in the dump", []string{"--account", acct, "--input", filepath.Join(dir, "nobody.json")}, `usage:PolicySourceArn: no user or role "arn:aws:iam::123456789012:user/nobody"`},
		{"not an ARN", []string{"--account", acct, "--input", filepath.Join(dir, "bad.json")}, "usage:" + filepath.Join(dir, "bad.json") + `:2:22: bad_arn: PolicySourceArn: "alice" is not an ARN`},
	}
	for _, tc := range tests {
		got, _ := decision(t, "", tc.args...)
		if got != tc.want && !(strings.HasPrefix(tc.want, "usage:") && strings.HasPrefix(got, "usage:") && strings.Contains(got, strings.TrimPrefix(tc.want, "usage:"))) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	_, out, _ := runCLI(t, "simulate", "--account", acct, "--input", "testdata/cli/principal-request.json")
	if !strings.Contains(out, "Caller: arn:aws:iam::123456789012:user/alice.") {
		t.Errorf("the caller defaults to the user PolicySourceArn names:\n%s", out)
	}
}

// TestSkeletonRequest: a request document made from the AWS CLI's
// --generate-cli-skeleton, members left empty, is accepted (empty means not
// given); values AWS would refuse are refused where they are.
func TestSkeletonRequest(t *testing.T) {
	inRoot(t)
	if got, errOut := decision(t, "", "--input", "testdata/cli/skeleton-request.json"); got != "allowed" {
		t.Fatalf("got %s, stderr %s", got, errOut)
	}
	skeleton, err := os.ReadFile("testdata/cli/skeleton-request.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"a bad action", `"s3:GetObject",`, `"s3GetObject",`, ":10:9: bad_action_name: ActionNames:"},
		{"a bad ARN", `"arn:aws:s3:::reports/q3.csv"`, `"reports/q3.csv"`, `:14:9: bad_arn: ResourceArns: "reports/q3.csv" is not an ARN`},
		{"an unknown context type", `"ContextKeyType": "string"`, `"ContextKeyType": "strin"`, ":25:31: unknown_context_type"},
		{"a skeleton entry with a value is an entry", `"ContextKeyValues": [
                ""`, `"ContextKeyValues": [
                "x"`, ":20:9: bad_context_entry: context entry without ContextKeyName"},
		{"MaxItems of the wrong JSON type", `"MaxItems": 0`, `"MaxItems": "0"`, `:29:17: wrong_type: MaxItems must be a number`},
		{"Marker of the wrong JSON type", `"Marker": ""`, `"Marker": 0`, `:30:15: wrong_type: Marker must be a string`},
		{"a policy entry of the wrong JSON type", `""
    ],
    "PermissionsBoundaryPolicyInputList"`, `7
    ],
    "PermissionsBoundaryPolicyInputList"`, `:4:9: wrong_type: PolicyInputList.2: a policy must be a JSON string or an object`},
	}
	for _, tc := range tests {
		if !strings.Contains(string(skeleton), tc.old) {
			t.Fatalf("%s: the skeleton lacks %q", tc.name, tc.old)
		}
		f := writeFiles(t, map[string]string{"r.json": strings.Replace(string(skeleton), tc.old, tc.new, 1)})
		code, _, errOut := runCLI(t, "simulate", "--input", f["r.json"])
		if code != exitUsage || !strings.Contains(errOut, f["r.json"]+tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want %q", tc.name, code, errOut, tc.want)
		}
	}
}

// utf16LE encodes s as UTF-16 with a little-endian byte order mark, as
// Windows PowerShell 5's Out-File writes it.
func utf16LE(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

// TestCommonFileMistakes pins issue 12: on every command, a UTF-8 BOM is
// accepted, and a UTF-16 file, a YAML file, an empty file and garbage are
// one line on stderr and exit 2.
func TestCommonFileMistakes(t *testing.T) {
	inRoot(t)
	account, err := os.ReadFile("testdata/account/example-account.json")
	if err != nil {
		t.Fatal(err)
	}
	request := `{"PolicyInputList": ["` + strings.ReplaceAll(allowGet, `"`, `\"`) + `"], "ActionNames": ["s3:GetObject"]}`
	suite := `{"policies": {"p": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}},
		"cases": [{"name": "get", "set": "p", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "expect": "allowed"}]}`
	commands := []struct {
		name  string
		valid string // what the file holds when it is right
		args  func(file string) []string
		ok    int
	}{
		{"simulate --policy", allowGet, func(f string) []string { return []string{"simulate", "--policy", f, "--action", "s3:GetObject"} }, exitOK},
		{"simulate --input", request, func(f string) []string { return []string{"simulate", "--input", f} }, exitOK},
		{"simulate --account", string(account), func(f string) []string {
			return []string{"simulate", "--account", f, "--principal", "user/alice", "--action", "s3:GetObject"}
		}, exitOK},
		{"mfa --policy", allowGet, func(f string) []string { return []string{"mfa", "--policy", f, "--action", "s3:GetObject"} }, exitOK},
		{"mfa --account", string(account), func(f string) []string { return []string{"mfa", "--account", f, "--principal", "user/alice"} }, exitOK},
		{"lint", allowAll, func(f string) []string { return []string{"lint", f} }, exitOK},
		{"test", suite, func(f string) []string { return []string{"test", f} }, exitOK},
	}
	mistakes := []struct {
		name string
		data func(valid string) string
		want string // in the one line on stderr; "" for accepted
	}{
		{"UTF-8 BOM", func(v string) string { return "\xEF\xBB\xBF" + v }, ""},
		{"UTF-16", func(v string) string { return utf16LE(v) }, ": the file is UTF-16 (it starts with a UTF-16 byte order mark); IAM policies and iameval's input must be UTF-8"},
		{"YAML", func(string) string { return yamlPolicy }, ":2:1: invalid_json: this looks like YAML; IAM policies are JSON"},
		{"YAML document marker", func(string) string { return "---\n" + yamlPolicy }, ":1:1: invalid_json: this looks like YAML; IAM policies are JSON"},
		{"empty", func(string) string { return "\n  \n" }, ":1:1: invalid_json: empty document"},
		{"garbage", func(string) string { return "this is not JSON\n" }, ":1:2: invalid_json: invalid JSON"},
		{"UTF-16 without a byte order mark", func(v string) string { return utf16LE(v)[2:] }, ": the file looks like UTF-16 (every other byte is zero)"},
		{"UTF-32", func(v string) string {
			var b strings.Builder
			for _, r := range v {
				b.WriteString(string([]byte{byte(r), byte(r >> 8), byte(r >> 16), 0}))
			}
			return b.String()
		}, ": the file holds NUL bytes (UTF-32 text, or not text at all)"},
		// iconv -t UTF-32 writes a byte order mark, whose first two bytes
		// are UTF-16's (a walkthrough's find: it was called UTF-16)
		{"UTF-32 with a byte order mark", func(v string) string {
			b := []byte{0xFF, 0xFE, 0, 0}
			for _, r := range v {
				b = append(b, byte(r), byte(r>>8), byte(r>>16), 0)
			}
			return string(b)
		}, ": the file is UTF-32 (it starts with a UTF-32 byte order mark); IAM policies and iameval's input must be UTF-8"},
		{"UTF-32 big-endian with a byte order mark", func(v string) string {
			b := []byte{0, 0, 0xFE, 0xFF}
			for _, r := range v {
				b = append(b, 0, byte(r>>16), byte(r>>8), byte(r))
			}
			return string(b)
		}, ": the file is UTF-32 (it starts with a UTF-32 byte order mark); IAM policies and iameval's input must be UTF-8"},
		{"binary", func(string) string { return "{\"Version\": \"\xfc\x01\xff\"}" }, ":1:14: invalid_utf8: the file is not UTF-8 text (byte 0xfc)"},
	}
	for _, c := range commands {
		for _, m := range mistakes {
			name := "x.json"
			if c.name == "test" {
				name = "x.iamtest.json"
			}
			f := writeFiles(t, map[string]string{name: m.data(c.valid)})[name]
			code, out, errOut := runCLI(t, c.args(f)...)
			if m.want == "" {
				if code != c.ok {
					t.Errorf("%s, %s: exit %d, want %d\n%s%s", c.name, m.name, code, c.ok, out, errOut)
				}
				continue
			}
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			if code != exitUsage || len(lines) != 1 || !strings.Contains(errOut, f+m.want) {
				t.Errorf("%s, %s: exit %d, stderr %q; want exit 2 and one line holding %q", c.name, m.name, code, errOut, f+m.want)
			}
		}
	}
	// a BOM does not move positions: an error is where an editor shows it
	f := writeFiles(t, map[string]string{"bom.json": "\xEF\xBB\xBF" + strings.Replace(allowGet, `"Allow"`, `"allow"`, 1)})["bom.json"]
	if _, _, errOut := runCLI(t, "simulate", "--policy", f, "--action", "s3:GetObject"); !strings.Contains(errOut, f+":1:47: bad_effect") {
		t.Errorf("stderr %q", errOut)
	}
}

// TestAccountNotAnObject: an account dump that is JSON but no object (null,
// a string) is named as such, not as "invalid JSON: <nil>".
func TestAccountNotAnObject(t *testing.T) {
	for _, text := range []string{"null", `"a string"`, "42"} {
		f := writeFiles(t, map[string]string{"a.json": text})["a.json"]
		code, _, errOut := runCLI(t, "simulate", "--account", f, "--principal", "alice", "--action", "s3:GetObject")
		if code != exitUsage || !strings.Contains(errOut, f+":1:1: wrong_type: a JSON ") || !strings.Contains(errOut, "where a JSON object belongs") {
			t.Errorf("%s: exit %d, stderr %q", text, code, errOut)
		}
	}
}

// TestPolicyDirThroughSymlink: --policy DIR where DIR is a symlink to a
// directory (a Kubernetes ConfigMap volume, a "current" link) reads the
// policies of the directory it points to.
func TestPolicyDirThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "v1")
	if err := os.MkdirAll(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(real, "p.json"), []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "current")
	if err := os.Symlink("v1", link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	code, out, errOut := runCLI(t, "simulate", "--policy", link, "--action", "s3:GetObject", "--output", "json")
	if code != 0 || !strings.Contains(out, `"EvalDecision": "allowed"`) {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestAccountFileMapped checks --account's read outside the heap
// (readMapped, mapFile): a dump read so, read from stdin (as any file) and
// with a byte order mark gives the same report; a file that cannot be read
// so (empty, a directory) gets the errors a read gives; and the bytes read
// are the file's.
func TestAccountFileMapped(t *testing.T) {
	inRoot(t)
	dump, err := os.ReadFile(ciAccount)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bom := filepath.Join(dir, "bom.json")
	if err := os.WriteFile(bom, append([]byte{0xEF, 0xBB, 0xBF}, dump...), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"mfa", "--action", sensitive, "--output", "json", "--account"}
	code, want, errOut := runCLIStdin(t, string(dump), append(args, "-")...)
	if code != exitOK || errOut != "" {
		t.Fatalf("stdin: exit %d, %s", code, errOut)
	}
	for _, file := range []string{ciAccount, bom} {
		code, got, errOut := runCLI(t, append(args, file)...)
		if code != exitOK || errOut != "" || got != want {
			t.Errorf("%s: exit %d, %s; the report differs from stdin's: %v", file, code, errOut, got != want)
		}
	}
	// the bytes are the program's own: a file cut short or rewritten
	// once read changes nothing (a mapping of the file itself would fault
	// when read past the new end: a breaker's find, SIGBUS)
	cut := filepath.Join(dir, "cut.json")
	if err := os.WriteFile(cut, dump, 0o644); err != nil {
		t.Fatal(err)
	}
	if data, unmap, ok := mapFile(cut); ok {
		if err := os.Truncate(cut, 0); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, dump) {
			t.Errorf("the bytes read differ from the file's")
		}
		unmap()
	} else if runtime.GOOS == "linux" {
		t.Errorf("%s is not read outside the heap", cut)
	}
	empty := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := mapFile(empty); ok {
		t.Errorf("an empty file is read outside the heap")
	}
	if _, _, ok := mapFile(dir); ok {
		t.Errorf("a directory is read outside the heap")
	}
	for _, tc := range []struct{ file, want string }{
		{empty, "empty.json"},
		{dir, "a directory"},
		{filepath.Join(dir, "missing.json"), "no such file"},
	} {
		code, _, errOut := runCLI(t, append(args, tc.file)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, %q; want exit %d and %q", tc.file, code, errOut, exitUsage, tc.want)
		}
	}
}
