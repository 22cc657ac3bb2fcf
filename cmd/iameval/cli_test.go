package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/iameval/iameval/condition"
)

// The command-line grammar (issue 12): one for every command.

var (
	// paths from the repository root (inRoot)
	p3      = filepath.Join("testdata", "policies", "p3-ec2-deny-stop-without-mfa.json")
	p7      = filepath.Join("testdata", "policies", "p7-production-bucket-mfa-age.json")
	suites  = "examples"
	ec2Inst = "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"
)

// TestFlagErrorsStayVisible: an unknown flag, a missing value, a value given
// twice is one line on stderr naming the flag, with the help command, exit 2
// and nothing on stdout; a missing value never takes the next flag as its
// value.
func TestFlagErrorsStayVisible(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"simulate", "--nope"}, "unknown flag --nope"},
		{[]string{"simulate", "--actoin", "s3:GetObject"}, "unknown flag --actoin (did you mean --action?)"},
		{[]string{"mfa", "--polcy", p3}, "unknown flag --polcy (did you mean --policy?)"},
		{[]string{"lint", "--frmat", "json", p3}, "unknown flag --frmat (did you mean --format?)"},
		{[]string{"test", "--nope", suites}, "unknown flag --nope"},
		// the AWS CLI's global options, from a command copied from it
		{[]string{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--region", "us-east-1"}, "unknown flag --region: an AWS CLI option; iameval calls no AWS API, and a request's region is the key aws:RequestedRegion (--context aws:RequestedRegion=REGION)"},
		{[]string{"mfa", "--profile", "prod", "--policy", p3}, "unknown flag --profile: an AWS CLI option; iameval calls no AWS API"},
		{[]string{"simulate", "-x"}, "unknown shorthand flag: 'x' in -x"},
		// a missing value is named, and the next flag is not taken
		{[]string{"simulate", "--policy", "--action", "s3:GetObject"}, "--policy needs a value"},
		{[]string{"simulate", "--policy", p3, "--action"}, "--action needs a value"},
		{[]string{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--output"}, "--output needs a value"},
		{[]string{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "-o", "--expect", "denied"}, "-o (--output) needs a value"},
		{[]string{"mfa", "--policy", p3, "--context", "--output", "json"}, "--context needs a value"},
		{[]string{"lint", "--kind", "--format", "json", p3}, "--kind needs a value"},
		{[]string{"lint", p3, "--fail-on"}, "--fail-on needs a value"},
		{[]string{"test", "--run", "-v", suites}, "--run needs a value"},
		{[]string{"test", suites, "--junit"}, "--junit needs a value"},
		{[]string{"simulate", "--policy", p3, "--action-names", "--resource-arns", "*"}, "--action-names needs a value (one or more, separated by spaces)"},
		// a flag that takes one value refuses a second
		{[]string{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "-o", "json", "--output", "table"}, `given twice ("json", then "table")`},
		{[]string{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--caller-arn", "arn:aws:iam::123456789012:user/a", "--caller-arn", "arn:aws:iam::123456789012:user/b"}, "given twice"},
		{[]string{"lint", "--format", "json", "-o", "sarif", p3}, "given twice"},
		{[]string{"test", "--json=yes", suites}, "--json takes no value (it means --output json)"},
		// an argument where none is taken
		{[]string{"simulate", "--policy", p3, "--action", "ec2:StopInstances", p7}, "unexpected argument"},
		{[]string{"mfa", "--policy", p3, p7}, "unexpected argument"},
		// a value outside the ones a flag takes
		{[]string{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "-o", "yaml"}, `--output "yaml": want table, json or explain`},
		{[]string{"mfa", "--policy", p3, "-o", "sarif"}, `--output "sarif": want table, json or markdown`},
		{[]string{"lint", "-o", "junit", p3}, `--output "junit": want table, json or sarif`},
		{[]string{"test", "-o", "sarif", suites}, `--output "sarif": want table, json or junit`},
		{[]string{"lint", "--color", "sometimes", p3}, `--color "sometimes": want auto, always or never`},
		// an empty value is no value: not "every level"
		{[]string{"expand", "s3:Get*", "--access-level", ""}, `--access-level: unknown access level "" (want list, read, write, permissions-management or tagging)`},
		{[]string{"expand", "--access-level=", "--policy", p3}, `--access-level: unknown access level ""`},
		// MFA does not apply to callers that sign nothing with IAM credentials
		{[]string{"mfa", "--resource-policy", "examples/github-oidc-trust.json", "--caller-arn", "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", "--action", "sts:AssumeRoleWithWebIdentity"}, "MFA does not apply to it"},
		{[]string{"mfa", "--resource-policy", "examples/github-oidc-trust.json", "--caller-arn", "ec2.amazonaws.com", "--action", "sts:AssumeRole"}, "is a service principal"},
	}
	inRoot(t)
	for _, tc := range tests {
		code, out, errOut := runCLI(t, tc.args...)
		lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
		if code != exitUsage || out != "" || len(lines) != 1 || !strings.Contains(errOut, tc.want) || !strings.HasPrefix(errOut, "iameval "+tc.args[0]+": ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, no stdout, one line %q", tc.args, code, out, errOut, tc.want)
		}
	}
	// every usage error ends with the command's help: bad flags, bad
	// values, conflicts
	for _, args := range [][]string{
		{"simulate", "--nope"}, {"mfa", "--nope"}, {"lint", "--nope"}, {"test", "--nope"}, {"version", "--nope"},
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--expect", "bogus"},
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "-o", "yaml"},
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--mfa-age", "1m", "--long-term-keys"},
		{"mfa", "--policy", p3, "--expect", "bogus"},
		{"lint", "--kind", "bogus", p3}, {"lint", "--fail-on", "bogus", p3}, {"lint", "--color", "sometimes", p3},
		{"test", "-o", "yaml", suites}, {"test", "--run", "(", suites}, {"version", "-o", "yaml"}, {"version", "extra"},
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--caller-arn", "arn:aws:iam::123456789012:user/a", "--anonymous"},
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--principal", "alice"},
		{"simulate", "--policy", p3, "--action", "notanaction"},
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--resource-owner", "12345"},
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--context", "foo=bar"},
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--context", "aws:SourceIp=notip"},
		{"mfa", "--policy", p3, "--resource-handling-option", "bogus"},
		{"lint"}, {"test"},
		{"expand"}, {"expand", "--nope", "s3:*"}, {"expand", "s3:*", "--access-level", "admin"}, {"expand", "s3:*", "--access-level", ""}, {"expand", "s3:*", "-o", "sarif"}, {"expand", "nocolon"},
	} {
		_, _, errOut := runCLI(t, args...)
		if want := "(run 'iameval help " + args[0] + "')\n"; !strings.HasSuffix(errOut, want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: stderr %q, want one line ending %q", args, errOut, want)
		}
	}
	if code, out, _ := runCLI(t, "help", "help"); code != exitOK || !strings.Contains(out, "Commands:") {
		t.Errorf("help help: exit %d", code)
	}
}

// TestSameAnswerAnySpelling: flags before or after the arguments, -o or
// --output or an older spelling, --flag=value or --flag value, single-dash
// long flags (Go's habit), the AWS CLI's option names with space-separated
// lists: each command gives exactly the same output for each spelling.
func TestSameAnswerAnySpelling(t *testing.T) {
	inRoot(t)
	res := "arn:aws:s3:::production-data/q3.csv"
	groups := [][][]string{
		{
			{"simulate", "--policy", p7, "--action", "s3:GetObject,s3:DeleteObject", "--resource", res + ",arn:aws:s3:::production-data/q4.csv", "--mfa-age", "10m", "--output", "json"},
			{"simulate", "--policy=" + p7, "--action=s3:GetObject", "--action", "s3:DeleteObject", "--resource", res, "--resource", "arn:aws:s3:::production-data/q4.csv", "--mfa-age=600", "-o", "json"},
			{"simulate", "-ojson", "--policy-input-list", p7, "--action-names", "s3:GetObject", "s3:DeleteObject", "--resource-arns", res, "arn:aws:s3:::production-data/q4.csv", "--mfa-age", "10m"},
			{"simulate", "-output", "json", "-policy", p7, "-action-names", "s3:GetObject", "s3:DeleteObject", "-resource-arns", res, "arn:aws:s3:::production-data/q4.csv", "-mfa-age", "10m"},
		},
		{
			{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--resource", ec2Inst, "--context", "aws:MultiFactorAuthPresent=true", "--context", "ContextKeyName=aws:MultiFactorAuthAge,ContextKeyValues=300,ContextKeyType=numeric", "-o", "explain"},
			{"simulate", "--policy", p3, "--action-names", "ec2:StopInstances", "--resource-arns", ec2Inst, "--context-entries", "ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean", "ContextKeyName=aws:MultiFactorAuthAge,ContextKeyValues=300,ContextKeyType=numeric", "--output", "explain"},
		},
		{
			{"mfa", "--policy", p3, "--action", "ec2:StopInstances", "--output", "json"},
			{"mfa", "-o", "json", "--action-names", "ec2:StopInstances", "--policy-input-list", p3},
		},
		{
			{"lint", "--format", "json", p3, p7},
			{"lint", p3, "-o", "json", p7},
			{"lint", p3, p7, "--output=json"},
			{"lint", "-o", "json", "--", p3, p7},
			{"lint", "-format", "json", p3, p7},
		},
		{
			{"lint", "--format", "text", p3},
			{"lint", p3},
			{"lint", p3, "-o", "table"},
		},
		{
			{"test", "--json", suites},
			{"test", suites, "-o", "json"},
			{"test", "--output=json", suites},
		},
		{
			{"test", "-v", suites},
			{"test", suites, "--verbose"},
			{"test", suites, "-o", "text", "-v"},
		},
	}
	for _, g := range groups {
		code0, want, err0 := runCLI(t, g[0]...)
		if code0 == exitUsage || want == "" {
			t.Fatalf("%q: exit %d, stderr %q", g[0], code0, err0)
		}
		asJSON := false
		for _, a := range g[0] {
			asJSON = asJSON || a == "json" || a == "--json"
		}
		if asJSON && !json.Valid([]byte(want)) {
			t.Errorf("%q: not JSON:\n%s", g[0], want)
		}
		for _, args := range g[1:] {
			code, got, errOut := runCLI(t, args...)
			if code != code0 || got != want {
				t.Errorf("%q: exit %d (stderr %q), output differs from %q (exit %d):\n%s\nwant:\n%s", args, code, errOut, g[0], code0, got, want)
			}
		}
	}
}

// TestOutputFlagEverywhere: every command takes -o/--output with the same
// format names, json included.
func TestOutputFlagEverywhere(t *testing.T) {
	inRoot(t)
	for _, args := range [][]string{
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "-o", "json"},
		{"mfa", "--policy", p3, "--action", "ec2:StopInstances", "-o", "json"},
		{"lint", p3, "-o", "json"},
		{"lint", p3, "-o", "sarif"},
		{"test", suites, "-o", "json"},
		{"test", suites, "-o", "junit"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code == exitUsage || out == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
			continue
		}
		if args[len(args)-1] == "junit" {
			if !strings.HasPrefix(out, "<?xml") || !strings.Contains(out, "<testsuites") {
				t.Errorf("%q: not JUnit XML:\n%.200s", args, out)
			}
		} else if !json.Valid([]byte(out)) {
			t.Errorf("%q: not JSON:\n%.200s", args, out)
		}
	}
}

// TestGenerateSkeleton: simulate --generate-cli-skeleton prints the AWS
// CLI's empty request document, which is valid JSON and names every member
// of a SimulateCustomPolicy request.
func TestGenerateSkeleton(t *testing.T) {
	code, out, errOut := runCLI(t, "simulate", "--generate-cli-skeleton")
	if code != exitOK || errOut != "" || !json.Valid([]byte(out)) {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, errOut, out)
	}
	for _, m := range []string{"PolicyInputList", "PermissionsBoundaryPolicyInputList", "ActionNames", "ResourceArns", "ResourcePolicy", "ResourceOwner", "CallerArn", "ContextEntries", "ResourceHandlingOption", "MaxItems", "Marker"} {
		if !strings.Contains(out, `"`+m+`"`) {
			t.Errorf("the skeleton lacks %s", m)
		}
	}
	for _, form := range [][]string{{"--generate-cli-skeleton", "input"}, {"--generate-cli-skeleton=input"}} {
		if code, got, _ := runCLI(t, append([]string{"simulate"}, form...)...); code != exitOK || got != out {
			t.Errorf("%q: exit %d, output differs from --generate-cli-skeleton alone", form, code)
		}
	}
	for _, form := range [][]string{{"--generate-cli-skeleton=output"}, {"--generate-cli-skeleton", "output"}, {"--generate-cli-skeleton", "yaml-input"}} {
		if code, _, errOut := runCLI(t, append([]string{"simulate"}, form...)...); code != exitUsage || !strings.Contains(errOut, "only input") {
			t.Errorf("%q: exit %d, stderr %q", form, code, errOut)
		}
	}
}

// TestREADMEGrammarTable: the README's grammar table (flag x command) lists
// exactly the flags and other spellings "iameval help CMD" lists, for every
// command.
func TestREADMEGrammarTable(t *testing.T) {
	inRoot(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)\n\\| flag \\|([^\n]*)\n\\|[- |]*\n(.*?)\n\n").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README's grammar table is gone")
	}
	var commands []string
	for _, c := range strings.Split(strings.Trim(string(m[1]), " |"), "|") {
		commands = append(commands, strings.TrimSpace(c))
	}
	names := regexp.MustCompile("`-(-[a-z][a-z-]*|[a-z])\\b")
	fromREADME := map[string][]string{}
	for _, row := range strings.Split(string(m[2]), "\n") {
		row = strings.TrimSpace(row)
		cells := strings.Split(row[1:len(row)-1], "|")
		if len(cells) != len(commands)+1 {
			t.Fatalf("README grammar row %q has %d cells, want %d", row, len(cells), len(commands)+1)
		}
		for i, cmd := range commands {
			if strings.TrimSpace(cells[i+1]) == "" {
				continue
			}
			for _, n := range names.FindAllStringSubmatch(cells[0], -1) {
				fromREADME[cmd] = append(fromREADME[cmd], "-"+n[1])
			}
		}
	}
	flagLine := regexp.MustCompile(`^(?:  -([a-z]), |      )--([a-z][a-z-]*)`)
	for _, cmd := range commands {
		_, help, _ := runCLI(t, "help", cmd)
		_, flags, ok := strings.Cut(help, "\nFlags:\n")
		if !ok {
			t.Errorf("iameval help %s has no Flags: section", cmd)
			continue
		}
		var fromHelp []string
		for _, line := range strings.Split(flags, "\n") {
			if f := flagLine.FindStringSubmatch(line); f != nil {
				if f[1] != "" {
					fromHelp = append(fromHelp, "-"+f[1])
				}
				fromHelp = append(fromHelp, "--"+f[2])
			}
		}
		got, want := fromREADME[cmd], fromHelp
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: the README's grammar table lists\n  %s\nbut iameval help %s lists\n  %s", cmd, strings.Join(got, " "), cmd, strings.Join(want, " "))
		}
	}
	if len(commands) < 5 {
		t.Errorf("the grammar table covers %q; want every command", commands)
	}
}

// TestAWSCLISyntaxGolden: one request given three ways — iameval's own
// flags, the AWS CLI's options as "aws iam simulate-custom-policy" takes
// them (file:// values, space-separated lists, shorthand context entries),
// and a request document made from --generate-cli-skeleton with members
// left empty — gets the same answer, AWS's SimulatePolicyResponse.
func TestAWSCLISyntaxGolden(t *testing.T) {
	inRoot(t)
	ways := [][]string{
		{"simulate", "--policy", p7, "--action", "s3:GetObject,s3:DeleteObject",
			"--resource", "arn:aws:s3:::Production/q3.csv,arn:aws:s3:::reports/q3.csv",
			"--caller-arn", "arn:aws:iam::123456789012:user/alice",
			"--context", "aws:MultiFactorAuthPresent=true", "--context", "aws:MultiFactorAuthAge=3600", "-o", "json"},
		{"simulate", "--policy-input-list", "file://" + p7,
			"--action-names", "s3:GetObject", "s3:DeleteObject",
			"--resource-arns", "arn:aws:s3:::Production/q3.csv", "arn:aws:s3:::reports/q3.csv",
			"--caller-arn", "arn:aws:iam::123456789012:user/alice",
			"--context-entries", "ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean",
			"ContextKeyName=aws:MultiFactorAuthAge,ContextKeyValues=3600,ContextKeyType=numeric",
			"--output", "json"},
		{"simulate", "--cli-input-json", "file://testdata/cli/skeleton-filled-p7.json", "--output", "json"},
	}
	var first string
	for i, args := range ways {
		code, out, errOut := runCLI(t, args...)
		if code != exitOK || errOut != "" {
			t.Fatalf("%q: exit %d, stderr %q", args, code, errOut)
		}
		if i == 0 {
			first = out
			goldenAt(t, "simulate-aws-cli.json", out)
			continue
		}
		if out != first {
			t.Errorf("%q answers differently from iameval's own flags:\n%s\nwant:\n%s", args, out, first)
		}
	}
	for _, want := range []string{`"EvalDecision": "explicitDeny"`, `"EvalDecision": "allowed"`, `"Line": 31`} {
		if !strings.Contains(first, want) {
			t.Errorf("the answer lacks %s:\n%s", want, first)
		}
	}
}

// TestValuesAsTheAWSCLITakesThem: a parameter's value may be the JSON itself
// or file://FILE holding it — policies, the request document, context
// entries — and gives the same answer as a file.
func TestValuesAsTheAWSCLITakesThem(t *testing.T) {
	inRoot(t)
	policyText, err := os.ReadFile(p3)
	if err != nil {
		t.Fatal(err)
	}
	ctx := `[{"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["true"], "ContextKeyType": "boolean"},
	         {"ContextKeyName": "aws:MultiFactorAuthAge", "ContextKeyValues": ["300"], "ContextKeyType": "numeric"}]`
	files := writeFiles(t, map[string]string{"ctx.json": ctx})
	base := []string{"simulate", "--action", "ec2:StopInstances", "--resource", ec2Inst, "-o", "json"}
	_, want, _ := runCLI(t, append(base, "--policy", p3, "--context", "aws:MultiFactorAuthPresent=true", "--context", "aws:MultiFactorAuthAge=300")...)
	for _, extra := range [][]string{
		{"--policy-input-list", string(policyText), "--context-entries", ctx},
		{"--policy", "file://" + p3, "--context", "file://" + files["ctx.json"]},
		{"--policy", "fileb://" + p3, "--context-entries", "fileb://" + files["ctx.json"]},
	} {
		code, got, errOut := runCLI(t, append(base, extra...)...)
		if code != exitOK || got != want {
			t.Errorf("%.80q: exit %d, stderr %q, output:\n%s\nwant:\n%s", extra, code, errOut, got, want)
		}
	}
	if !strings.Contains(want, `"EvalDecision": "allowed"`) {
		t.Errorf("with MFA the request must be allowed:\n%s", want)
	}
	// a policy given as JSON is named by its flag, and errors are placed in it
	code, _, errOut := runCLI(t, "simulate", "--policy-input-list", `{"Version": "2012-10-17", "Statement": {"Effect": "allow"}}`, "--action", "s3:GetObject")
	if code != exitUsage || !strings.Contains(errOut, "<--policy JSON #1>:1:51: bad_effect") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestColorFlag: --color always colours the table of every command that has
// one (even with NO_COLOR set: the flag is explicit), --color never and
// auto off a terminal do not, and JSON is never coloured.
func TestColorFlag(t *testing.T) {
	inRoot(t)
	t.Setenv("NO_COLOR", "1")
	for _, args := range [][]string{
		{"simulate", "--policy", p3, "--action", "ec2:StopInstances"},
		{"mfa", "--policy", p3, "--action", "ec2:StopInstances"},
		{"lint", "testdata/policies/p10-a1-deny-bool-false.json"},
	} {
		for _, tc := range []struct {
			mode string
			want bool
		}{{"always", true}, {"never", false}, {"auto", false}} {
			_, out, errOut := runCLI(t, append(args, "--color", tc.mode)...)
			if got := strings.Contains(out, "\x1b["); got != tc.want || out == "" {
				t.Errorf("%q --color %s: coloured %v, want %v (stderr %q)", args, tc.mode, got, tc.want, errOut)
			}
		}
		if args[0] != "lint" {
			_, out, _ := runCLI(t, append(args, "--color", "always", "-o", "json")...)
			if strings.Contains(out, "\x1b[") || !json.Valid([]byte(out)) {
				t.Errorf("%q -o json --color always: coloured or not JSON", args)
			}
		}
	}
}

// TestDirectoryNeverDropsAPolicy: in a directory, only JSON that is plainly
// something else is skipped; a file meant as a policy that AWS would refuse
// (a misspelt Statement, a bare list of statements or of policies) is
// refused, never skipped: skipping a Deny would turn an answer into
// allowed.
func TestDirectoryNeverDropsAPolicy(t *testing.T) {
	full := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
	for _, bad := range []string{
		`{"statement":[{"Sid":"DenyS3","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`,
		`[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]`,
		`[{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}]`,
		`{"Effect":"Deny","Action":"s3:*","Resource":"*"}`,
		`{"Statements":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`,
		`{"Statment":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`,
		`{"Rules":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`,
		`{"PolicyDocument":{"Version":"2012-10-17","Statment":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}}`,
	} {
		dir := t.TempDir()
		for name, text := range map[string]string{"full.json": full, "deny.json": bad, "package.json": `{"name": "x", "version": "1.0.0", "dependencies": {}}`} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		code, out, errOut := runCLI(t, "simulate", "--policy", filepath.Join(dir, "full.json"), "--scp", dir, "--action", "s3:GetObject")
		if code != exitUsage || strings.Contains(out, "allowed") || !strings.Contains(errOut, "deny.json:1:") {
			t.Errorf("simulate --scp DIR with %s: exit %d, stdout %q, stderr %q; want exit 2 naming deny.json", bad, code, out, errOut)
		}
		code, out, errOut = runCLI(t, "lint", dir)
		if code == exitOK || strings.Contains(out, "no findings") || !strings.Contains(out, "deny.json:1:") {
			t.Errorf("lint DIR with %s: exit %d, stdout %q, stderr %q; want deny.json refused", bad, code, out, errOut)
		}
		if !strings.Contains(errOut, "package.json: not a policy") || !strings.Contains(out, "1 JSON file was skipped as no policy") {
			t.Errorf("lint DIR: package.json must be skipped with a note, and said in the last line: stdout %q, stderr %q", out, errOut)
		}
		_, out, _ = runCLI(t, "lint", "-o", "json", dir)
		if !strings.Contains(out, `"filesSkipped": 1`) || !strings.Contains(out, "package.json") {
			t.Errorf("lint -o json DIR: the skipped file must be in the JSON:\n%s", out)
		}
		_, out, _ = runCLI(t, "lint", "-o", "sarif", dir)
		if !strings.Contains(out, "not a policy (no Statement), skipped") {
			t.Errorf("lint -o sarif DIR: the skipped file must be a notification:\n%s", out)
		}
	}
}

// TestCLIInputJSONOverride: as in the AWS CLI, a flag given with
// --cli-input-json replaces the member of the document it stands for, and
// the members no flag names stay as the document gives them.
func TestCLIInputJSONOverride(t *testing.T) {
	inRoot(t)
	doc := "file://testdata/cli/skeleton-filled-p7.json"
	_, base, _ := runCLI(t, "simulate", "--cli-input-json", doc, "-o", "json")
	tests := []struct {
		name  string
		extra []string
		same  []string // the same request with iameval's own flags
	}{
		{"--action-names replaces ActionNames", []string{"--action-names", "s3:PutObject"},
			[]string{"--action", "s3:PutObject", "--resource", "arn:aws:s3:::Production/q3.csv,arn:aws:s3:::reports/q3.csv", "--context", "aws:MultiFactorAuthPresent=true", "--context", "aws:MultiFactorAuthAge=3600"}},
		{"--context-entries replaces ContextEntries", []string{"--context-entries", "ContextKeyName=aws:MultiFactorAuthAge,ContextKeyValues=60,ContextKeyType=numeric"},
			[]string{"--action", "s3:GetObject,s3:DeleteObject", "--resource", "arn:aws:s3:::Production/q3.csv,arn:aws:s3:::reports/q3.csv", "--context", "aws:MultiFactorAuthAge=60"}},
		{"--resource-arns replaces ResourceArns", []string{"--resource-arns", "arn:aws:s3:::Production/q4.csv"},
			[]string{"--action", "s3:GetObject,s3:DeleteObject", "--resource", "arn:aws:s3:::Production/q4.csv", "--context", "aws:MultiFactorAuthPresent=true", "--context", "aws:MultiFactorAuthAge=3600"}},
	}
	for _, tc := range tests {
		code, got, errOut := runCLI(t, append([]string{"simulate", "--cli-input-json", doc, "-o", "json"}, tc.extra...)...)
		_, want, _ := runCLI(t, append([]string{"simulate", "--policy", p7, "--caller-arn", "arn:aws:iam::123456789012:user/alice", "-o", "json"}, tc.same...)...)
		if code != exitOK || got != want || got == base {
			t.Errorf("%s: exit %d, stderr %q, got:\n%s\nwant:\n%s", tc.name, code, errOut, got, want)
		}
	}
	// --policy replaces PolicyInputList: the positions shown are the new file's
	code, got, errOut := runCLI(t, "simulate", "--cli-input-json", doc, "--policy", p3, "--action", "ec2:StopInstances")
	if flat := strings.Join(strings.Fields(got), ""); code != exitOK || !strings.Contains(flat, p3+":") || strings.Contains(flat, "skeleton-filled") {
		t.Errorf("--policy over the document: exit %d, stderr %q:\n%s", code, errOut, got)
	}
}

// TestResourceHandlingOption: AWS's simulator takes six EC2 scenarios;
// iameval checks the value (file:line:col in a document) and says that it
// does not model it, rather than ignoring it silently.
func TestResourceHandlingOption(t *testing.T) {
	inRoot(t)
	code, _, errOut := runCLI(t, "simulate", "--policy", p3, "--action", "ec2:RunInstances", "--resource-handling-option", "EC2-VPC-EBS")
	if code != exitOK || !strings.Contains(errOut, "ResourceHandlingOption EC2-VPC-EBS is accepted but not modelled") {
		t.Errorf("a valid option: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "simulate", "--policy", p3, "--action", "ec2:RunInstances", "--resource-handling-option", "Bogus")
	if code != exitUsage || !strings.Contains(errOut, `ResourceHandlingOption "Bogus": want one of EC2-VPC-InstanceStore`) {
		t.Errorf("a bogus option: exit %d, stderr %q", code, errOut)
	}
	files := writeFiles(t, map[string]string{"req.json": "{\"ActionNames\": [\"s3:GetObject\"],\n \"PolicyInputList\": [\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}}\"],\n \"ResourceHandlingOption\": \"Bogus\"}"})
	code, _, errOut = runCLI(t, "simulate", "--input", files["req.json"])
	if code != exitUsage || !strings.Contains(errOut, files["req.json"]+":3:28: bad_resource_handling_option") {
		t.Errorf("a bogus option in a document: exit %d, stderr %q", code, errOut)
	}
}

// TestMFAFlagAgainstContext: an MFA flag and a --context entry for an MFA
// key on one command line contradict each other (--no-mfa-session with
// aws:MultiFactorAuthPresent=true): an error, never one silently winning.
func TestMFAFlagAgainstContext(t *testing.T) {
	inRoot(t)
	for _, mfa := range [][]string{{"--no-mfa-session"}, {"--long-term-keys"}, {"--mfa-age", "5m"}} {
		for _, ctx := range []string{"aws:MultiFactorAuthPresent=true", "aws:multifactorauthage=60", "ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=false,ContextKeyType=boolean"} {
			args := append([]string{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "--context", ctx}, mfa...)
			code, out, errOut := runCLI(t, args...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, "both set") {
				t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
			}
		}
	}
}

// TestMFAReplacesDocumentMFAKeys: mfa decides every kind of credential, so
// the MFA keys of an --input document's ContextEntries are not used; it
// says so, as --context for an MFA key is refused.
func TestMFAReplacesDocumentMFAKeys(t *testing.T) {
	inRoot(t)
	code, _, errOut := runCLI(t, "mfa", "--input", "testdata/cli/skeleton-filled-p7.json")
	if code != exitOK || !strings.Contains(errOut, "ContextEntries give aws:MultiFactorAuthPresent: mfa replaces the MFA keys") || !strings.Contains(errOut, "give aws:MultiFactorAuthAge") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestTestSummarySaysWhy: when test fails without a failed case (an invalid
// suite, a --run that matched nothing), its last line and its JSON summary
// say why, not only stderr.
func TestTestSummarySaysWhy(t *testing.T) {
	inRoot(t)
	bad := writeFiles(t, map[string]string{"bad.iamtest.json": `{"cases": 1}`})["bad.iamtest.json"]
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"test", "--run", "no such case", suites}, exitCheck, `0 passed, 0 failed; no case matched --run "no such case": nothing was checked`},
		{[]string{"test", bad}, exitUsage, "0 passed, 0 failed; 1 suite is invalid and was not run (see stderr)"},
	} {
		code, out, _ := runCLI(t, tc.args...)
		if code != tc.code || !strings.HasSuffix(out, tc.want+"\n") {
			t.Errorf("%q: exit %d, stdout %q; want it to end %q", tc.args, code, out, tc.want)
		}
		_, out, _ = runCLI(t, append(tc.args, "-o", "json")...)
		if !strings.Contains(out, `"text": "`+strings.ReplaceAll(tc.want, `"`, `\"`)+`"`) {
			t.Errorf("%q -o json: summary text lacks %q:\n%s", tc.args, tc.want, out)
		}
	}
}

// TestMFAOverTheCatalogue: without --action mfa checks every Write and
// Permissions-management action the policies can allow (the catalogue's);
// --action wildcards are expanded; --access-level filters; a wildcard that
// matches nothing is refused, as nothing would be checked.
func TestMFAOverTheCatalogue(t *testing.T) {
	inRoot(t)
	type row struct{ Action, Resource, Verdict string }
	decode := func(args ...string) []row {
		t.Helper()
		code, out, errOut := runCLI(t, append(append([]string{"mfa"}, args...), "-o", "json")...)
		if code != exitOK {
			t.Fatalf("%q: exit %d, stderr %q", args, code, errOut)
		}
		var resp struct{ Results []row }
		if err := json.Unmarshal([]byte(out), &resp); err != nil {
			t.Fatal(err)
		}
		return resp.Results
	}
	actions := func(rows []row) []string {
		var out []string
		for _, r := range rows {
			if len(out) == 0 || out[len(out)-1] != r.Action {
				out = append(out, r.Action)
			}
		}
		return out
	}
	p1 := "testdata/policies/p1-force-mfa-self-manage.json"
	alice := "arn:aws:iam::123456789012:user/alice"
	// AWS's force-MFA policy: its iam Write actions; CreateAccessKey on
	// alice's own user requires MFA, enabling a device does not
	rows := decode("--policy", p1, "--caller-arn", alice)
	got := actions(rows)
	if !slices.Contains(got, "iam:CreateAccessKey") || !slices.Contains(got, "iam:EnableMFADevice") || slices.Contains(got, "iam:ListUsers") || slices.Contains(got, "s3:PutObject") {
		t.Errorf("the policy's Write actions: %v", got)
	}
	verdict := func(rows []row, action, resource string) string {
		for _, r := range rows {
			if r.Action == action && r.Resource == resource {
				return r.Verdict
			}
		}
		return "not checked"
	}
	if v := verdict(rows, "iam:CreateAccessKey", alice); v != "mfa-required" {
		t.Errorf("iam:CreateAccessKey on alice: %s", v)
	}
	if v := verdict(rows, "iam:EnableMFADevice", alice); v != "mfa-not-required" {
		t.Errorf("iam:EnableMFADevice on alice: %s", v)
	}
	// --access-level: permissions management only; the policy grants none
	if rows := decode("--policy", p1, "--caller-arn", alice, "--access-level", "permissions-management"); len(rows) != 0 {
		t.Errorf("--access-level permissions-management: %v", actions(rows))
	}
	// --action wildcards are expanded to the catalogue's actions
	got = actions(decode("--policy", p1, "--caller-arn", alice, "--action", "iam:*AccessKey*"))
	if want := []string{"iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed", "iam:ListAccessKeys", "iam:UpdateAccessKey"}; !slices.Equal(got, want) {
		t.Errorf("iam:*AccessKey*: %v, want %v", got, want)
	}
	got = actions(decode("--policy", p1, "--caller-arn", alice, "--action", "iam:*AccessKey*", "--access-level", "write"))
	if want := []string{"iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:UpdateAccessKey"}; !slices.Equal(got, want) {
		t.Errorf("iam:*AccessKey* at write: %v, want %v", got, want)
	}
	for _, bad := range [][]string{{"--action", "iam:*AcessKey*"}, {"--access-level", "writes"}} {
		code, _, errOut := runCLI(t, append([]string{"mfa", "--policy", p1}, bad...)...)
		if code != exitUsage || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q", bad, code, errOut)
		}
	}
	// an Allow the catalogue cannot read is said, not dropped
	f := writeFiles(t, map[string]string{"typo.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObjcet","iam:CreateAccessKey"],"Resource":"*"}}`})
	code, _, errOut := runCLI(t, "mfa", "--policy", f["typo.json"])
	if code != exitOK || !strings.Contains(errOut, "s3:GetObjcet") {
		t.Errorf("an unknown Action entry: exit %d, stderr %q", code, errOut)
	}
}

// TestMFAExpectOverInstances pins the reviewer's cases: a CI gate with
// --expect mfa-required fails when any resource is allowed without MFA — a
// region or a name a Deny misses, a resource a Deny's NotResource exempts —
// and passes a policy that allows nothing without MFA, whatever resources
// it never grants (never-allowed meets mfa-required).
func TestMFAExpectOverInstances(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{
		"region.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},
 {"Effect":"Deny","Action":"ec2:*","Resource":"arn:aws:ec2:us-east-1:*:*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
		"notres.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket/*"},
 {"Effect":"Deny","Action":"s3:DeleteObject","NotResource":"arn:aws:s3:::bucket/scratch/*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
		"ostar.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket/*"},
 {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket/obj*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
		"ok.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket/*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}`,
	})
	alice := "arn:aws:iam::123456789012:user/alice"
	for _, tc := range []struct {
		file, action string
		code         int
		want         string
	}{
		{"region.json", "ec2:TerminateInstances", exitCheck, "arn:aws:ec2:eu-west-1:123456789012:instance/instanceid is mfa-not-required"},
		{"notres.json", "s3:DeleteObject", exitCheck, "arn:aws:s3:::bucket/scratch/objectname is mfa-not-required"},
		{"ostar.json", "s3:DeleteObject", exitCheck, "arn:aws:s3:::bucket/other-objectname is mfa-not-required"},
		{"ok.json", "s3:DeleteObject", exitOK, ""},
		{"ok.json", "", exitOK, ""}, // the catalogue's actions the policy grants
	} {
		args := []string{"mfa", "--policy", f[tc.file], "--caller-arn", alice, "--expect", "mfa-required"}
		if tc.action != "" {
			args = append(args, "--action", tc.action)
		}
		code, _, errOut := runCLI(t, args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s %s: exit %d, stderr %q; want exit %d and %q", tc.file, tc.action, code, errOut, tc.code, tc.want)
		}
	}
}

// TestMFAJSONSaysWhatWasMade: a resource made from a wildcard entry says
// which entry, so a reader tells it from a resource the policy names.
func TestMFAJSONSaysWhatWasMade(t *testing.T) {
	inRoot(t)
	_, out, _ := runCLI(t, "mfa", "--policy", "testdata/policies/p1-force-mfa-self-manage.json", "--caller-arn", "arn:aws:iam::123456789012:user/alice", "--action", "iam:CreateAccessKey", "-o", "json")
	var resp struct {
		Results []struct{ Resource, ResourceFrom string }
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatal(err)
	}
	made, named := 0, 0
	for _, r := range resp.Results {
		switch {
		case r.Resource == "arn:aws:iam::123456789012:user/alice" && r.ResourceFrom == "":
			named++
		case r.Resource == "arn:aws:iam::123456789012:user/usernamewithpath" && r.ResourceFrom == "*":
			made++
		}
	}
	if made != 1 || named != 1 {
		t.Errorf("want alice's user as named and one made from *: %+v", resp.Results)
	}
}

// TestMFAUnknownEntriesAreNotChecked: an Allow entry the catalogue does not
// know (a typo, or an action newer than the catalogue) gives no action to
// check, so it is said in the output's not-checked lines and JSON summary
// (complete is false), and --expect mfa-required cannot be confirmed: no
// "all clear" over what was not checked.
func TestMFAUnknownEntriesAreNotChecked(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{"p.json": `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["s3:PutObjectNew","iam:CreateAccessKey"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`})
	alice := "arn:aws:iam::123456789012:user/alice"
	code, out, errOut := runCLI(t, "mfa", "--policy", f["p.json"], "--caller-arn", alice, "--expect", "mfa-required")
	if code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") || !containsFlat(out, "s3:PutObjectNew") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, the entry said", code, out, errOut)
	}
	// named with --action too: decided as written, but no confirmation
	code, _, errOut = runCLI(t, "mfa", "--policy", f["p.json"], "--caller-arn", alice, "--action", "s3:PutObjectNew", "--expect", "mfa-required")
	if code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") {
		t.Errorf("--action s3:PutObjectNew: exit %d, stderr %q; want exit 1", code, errOut)
	}
	_, out, _ = runCLI(t, "mfa", "--policy", f["p.json"], "--caller-arn", alice, "-o", "json")
	var resp struct {
		Summary struct {
			NotChecked []string
			Complete   bool
		}
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Summary.Complete || !strings.Contains(strings.Join(resp.Summary.NotChecked, " "), "s3:PutObjectNew") {
		t.Errorf("summary: %+v", resp.Summary)
	}
}

// TestMFAAccountUnknownEntriesAreNotChecked: in account mode too, an Allow
// entry the catalogue does not know keeps the summary from being complete,
// and --expect mfa-required cannot be confirmed.
func TestMFAAccountUnknownEntriesAreNotChecked(t *testing.T) {
	inRoot(t)
	acct := strings.Replace(catAccount, `"Action": ["s3:PutObject", "s3:DeleteObject"]`, `"Action": ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectNew"]`, 1)
	if acct == catAccount {
		t.Fatal("the fixture changed: no role Action list to extend")
	}
	f := writeFiles(t, map[string]string{"acct.json": acct})
	_, out, _ := runCLI(t, "mfa", "--account", f["acct.json"], "--access-level", "permissions-management", "-o", "json")
	var resp struct {
		Summary struct {
			NotChecked []string
			Complete   bool
		}
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Summary.Complete || !strings.Contains(strings.Join(resp.Summary.NotChecked, " "), "s3:PutObjectNew") {
		t.Errorf("summary: %+v", resp.Summary)
	}
}

// TestMFASummaryUndecided: an action whose results depend on a context key
// not given (aws:RequestedRegion) is neither "never allowed" nor "requires
// MFA" in the summary tables, and markdown never says "None" of what it
// could not decide.
func TestMFASummaryUndecided(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{"p.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::reports/*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}}`})
	_, out, _ := runCLI(t, "mfa", "--policy", f["p.json"], "--caller-arn", "arn:aws:iam::123456789012:user/alice")
	cells := tableCells(t, out, []string{"SERVICE", "ACCESS LEVEL", "ACTIONS", "WITHOUT MFA", "MFA REQUIRED", "NEVER ALLOWED", "UNDECIDED"})
	if len(cells) != 1 || cells[0][5] != "0" || cells[0][6] != "1" {
		t.Errorf("cells %q:\n%s", cells, out)
	}
	_, out, _ = runCLI(t, "mfa", "--policy", f["p.json"], "--caller-arn", "arn:aws:iam::123456789012:user/alice", "-o", "markdown")
	if strings.Contains(out, "None.\n") || !strings.Contains(out, "this is not an all clear") {
		t.Errorf("markdown:\n%s", out)
	}
}

// TestEmptyValuesRefused: a flag given with an empty value names nothing;
// it is refused (exit 2, naming the flag), never read as the flag left out
// (a reviewer's find: mfa --caller-arn ” ran with no caller, and
// --access-level ” with the default levels).
func TestEmptyValuesRefused(t *testing.T) {
	inRoot(t)
	p := "testdata/policies/p1-force-mfa-self-manage.json"
	for _, args := range [][]string{
		{"mfa", "--policy", p, "--caller-arn", ""},
		{"mfa", "--policy", p, "--access-level", ""},
		{"mfa", "--policy", p, "--access-level="},
		{"simulate", "--policy", p, "--action", "s3:GetObject", "--caller-arn", ""},
		{"simulate", "--policy", p, "--action", "s3:GetObject", "--resource-owner", ""},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(errOut, "is empty") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// TestInputActionsFromTheCommandLine: as the AWS CLI merges the command
// line over --cli-input-json before it checks the request, --action (and
// --action-names) gives the actions a document leaves out, or leaves empty
// as the skeleton does (a README walkthrough found the skeleton refused
// with --action); without them, the document's missing actions are still
// an error at their place. The same for simulate --account --input.
func TestInputActionsFromTheCommandLine(t *testing.T) {
	inRoot(t)
	policy := `"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"`
	_, skeleton, _ := runCLI(t, "simulate", "--generate-cli-skeleton")
	dir := writeTree(t, map[string]string{
		"none.json":      `{"PolicyInputList": [` + policy + `]}`,
		"empty.json":     `{"PolicyInputList": [` + policy + `], "ActionNames": []}`,
		"skeleton.json":  skeleton,
		"principal.json": `{"PolicySourceArn": "arn:aws:iam::123456789012:user/alice"}`,
	})
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--input", filepath.Join(dir, "none.json"), "--action", "s3:GetObject"}, exitOK, "allowed"},
		{[]string{"--input", filepath.Join(dir, "empty.json"), "--action-names", "s3:GetObject"}, exitOK, "allowed"},
		{[]string{"--cli-input-json", "file://" + filepath.Join(dir, "empty.json"), "--action-names", "s3:GetObject", "s3:PutObject"}, exitOK, "s3:PutObject"},
		{[]string{"--input", filepath.Join(dir, "skeleton.json"), "--policy", "testdata/policies/p7-production-bucket-mfa-age.json", "--action", "s3:GetObject"}, exitOK, "s3:GetObject"},
		{[]string{"--account", "testdata/account/example-account.json", "--input", filepath.Join(dir, "principal.json"), "--action", "s3:GetObject"}, exitOK, "s3:GetObject"},
		// without --action, still refused where the actions are missing
		{[]string{"--input", filepath.Join(dir, "none.json")}, exitUsage, filepath.Join(dir, "none.json") + ":1:1: missing_actions"},
		{[]string{"--input", filepath.Join(dir, "empty.json")}, exitUsage, "missing_actions"},
		{[]string{"--account", "testdata/account/example-account.json", "--input", filepath.Join(dir, "principal.json")}, exitUsage, "missing_actions"},
	} {
		code, out, errOut := runCLI(t, append([]string{"simulate"}, tc.args...)...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%q: exit %d (want %d), want %q in:\n%s%s", tc.args, code, tc.code, tc.want, out, errOut)
		}
	}
}

// TestMFAPolicyOtherAccountResource: with a caller, a request on a
// resource of another account needs that resource's own policy to allow
// it too ("the resource-based policy in Account B must allow the
// requester in Account A", IAM policy evaluation logic, cross-account).
// Without that policy (--resource-policy) the run cannot say the request
// is never allowed: the verdict is the caller's own policies' (here: not
// requiring MFA, as without a caller), the row says whose resource it is,
// the summary says it was not checked, and --expect mfa-required fails.
// A resource of the caller's account, and one whose ARN names no account
// (an S3 object), are decided as before; with the resource's policy given
// the request is decided whole.
func TestMFAPolicyOtherAccountResource(t *testing.T) {
	files := writeFiles(t, map[string]string{
		"p.json": `{"Version":"2012-10-17","Statement":[{"Sid":"Send","Effect":"Allow","Action":["sqs:SendMessage","s3:PutObject"],"Resource":["arn:aws:sqs:us-east-1:999999999999:queue1","arn:aws:sqs:us-east-1:123456789012:mine","arn:aws:s3:::bucket/key"]}]}`,
		"q.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:999999999999:queue1","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`,
	})
	pol, queuePolicy := files["p.json"], files["q.json"]
	const caller = "arn:aws:iam::123456789012:user/u"
	type result struct {
		Resource     string `json:"resource"`
		Verdict      string `json:"verdict"`
		OtherAccount string `json:"otherAccount"`
	}
	var rep struct {
		Results []result `json:"results"`
		Summary struct {
			Requests       int      `json:"requests"`
			MfaNotRequired int      `json:"mfaNotRequired"`
			NotChecked     []string `json:"notChecked"`
			Complete       bool     `json:"complete"`
			OtherAccounts  int      `json:"otherAccountsResources"`
		} `json:"summary"`
	}
	args := []string{"mfa", "--policy", pol, "--action", "sqs:SendMessage,s3:PutObject", "--caller-arn", caller}
	code, out, errOut := runCLI(t, append(args, "-o", "json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string]result{
		"arn:aws:sqs:us-east-1:999999999999:queue1": {Verdict: "mfa-not-required", OtherAccount: "999999999999"},
		"arn:aws:sqs:us-east-1:123456789012:mine":   {Verdict: "mfa-not-required"},
		"arn:aws:s3:::bucket/key":                   {Verdict: "mfa-not-required"},
	}
	for _, r := range rep.Results {
		w, ok := want[r.Resource]
		if !ok {
			continue
		}
		delete(want, r.Resource)
		if r.Verdict != w.Verdict || r.OtherAccount != w.OtherAccount {
			t.Errorf("%s: verdict %s, other account %q; want %s, %q", r.Resource, r.Verdict, r.OtherAccount, w.Verdict, w.OtherAccount)
		}
	}
	if len(want) > 0 {
		t.Errorf("no results for %v", want)
	}
	if rep.Summary.Complete || rep.Summary.OtherAccounts != 1 || !strings.Contains(strings.Join(rep.Summary.NotChecked, "; "), "another account's resource") {
		t.Errorf("summary %+v; want not complete, 1 request on another account's resource not checked", rep.Summary)
	}
	// the counts count what was checked: not the other account's queue
	if rep.Summary.MfaNotRequired != 2 || rep.Summary.Requests != len(rep.Results)-1 {
		t.Errorf("summary counts %d requests, %d allowed without MFA, of %d results; want the other account's queue in neither", rep.Summary.Requests, rep.Summary.MfaNotRequired, len(rep.Results))
	}
	for _, format := range []string{"table", "markdown"} {
		_, out, _ := runCLI(t, append(args, "-o", format)...)
		flat := strings.Join(strings.Fields(out), " ")
		if !strings.Contains(flat, "a resource of account 999999999999") || !strings.Contains(flat, "1 request on another account's resource") {
			t.Errorf("%s: the other account's queue is not said to be unchecked:\n%s", format, out)
		}
	}
	if code, _, errOut := runCLI(t, "mfa", "--policy", pol, "--action", "sqs:SendMessage", "--resource", "arn:aws:sqs:us-east-1:999999999999:queue1", "--caller-arn", caller, "--expect", "mfa-required"); code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") {
		t.Errorf("--expect mfa-required: exit %d, want %d, cannot be confirmed: %s", code, exitCheck, errOut)
	}
	// one queue decided alone: its verdict, as checked (complete)
	alone := func(what, queue, verdict string, extra ...string) {
		t.Helper()
		code, out, errOut := runCLI(t, append([]string{"mfa", "--policy", pol, "--action", "sqs:SendMessage", "--resource", queue, "--caller-arn", caller, "-o", "json"}, extra...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", what, code, errOut)
		}
		rep.Results, rep.Summary.NotChecked = nil, nil
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Results) != 1 || rep.Results[0].Verdict != verdict || rep.Results[0].OtherAccount != "" || !rep.Summary.Complete {
			t.Errorf("%s: %+v; want %s, checked, complete", what, rep, verdict)
		}
	}
	// a queue of another account the caller's policies never allow: never
	// allowed whatever that queue's policy says
	alone("another queue", "arn:aws:sqs:us-east-1:999999999999:other", "never-allowed")
	// the queue's own policy given: decided whole, MFA required
	alone("with the queue's policy", "arn:aws:sqs:us-east-1:999999999999:queue1", "mfa-required", "--resource-policy", queuePolicy)
}

// TestMFAPolicyOpenAccountStandsBesideOthers is
// TestMFAAccountOpenAccountStandsBesideOthers for mfa --policy: with a
// caller, a resource made from an entry that leaves the account open
// stands beside another account's (mfa.OtherAccountInstances), which is
// listed as a request on another account's resource, not checked, when the
// caller's policies let it through without MFA; --expect mfa-required then
// cannot be confirmed.
func TestMFAPolicyOpenAccountStandsBesideOthers(t *testing.T) {
	const cond = `"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`
	doc := func(allow, deny string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"` + allow + `"},` +
			`{"Effect":"Deny","Action":"sqs:*","Resource":` + deny + `,` + cond + `}]}`
	}
	const caller = "arn:aws:iam::123456789012:user/u"
	tests := []struct {
		name, policy string
		extra        []string
		// want is the stand-in's account, as a pattern; "" for none
		want string
	}{
		{"a Deny on the caller's account and one other", doc("*", `["arn:aws:sqs:*:123456789012:*","arn:aws:sqs:*:999999999999:*"]`), nil, "????????????"},
		{"an Allow on accounts 1234567890*", doc("arn:aws:sqs:*:1234567890*:*", `"arn:aws:sqs:*:123456789012:*"`), nil, "1234567890??"},
		{"a Deny on every account", doc("arn:aws:sqs:*:*:*", `"*"`), nil, ""},
		{"--resource within the caller's account", doc("*", `"arn:aws:sqs:*:123456789012:*"`), []string{"--resource", "arn:aws:sqs:*:123456789012:*"}, ""},
		// a key given that describes the resource is the caller's
		// resource's, not another account's: the stand-in goes without it
		{"aws:ResourceAccount given", doc("*", `"arn:aws:sqs:*:123456789012:*"`), []string{"--context", "aws:ResourceAccount=123456789012"}, "????????????"},
		{"a Deny without MFA on the caller's organization's queues, aws:ResourceOrgID given",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:*"},` +
				`{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringEquals":{"aws:ResourceOrgID":"o-abc123"}}},` +
				`{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:123456789012:*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
			[]string{"--context", "aws:ResourceOrgID=o-abc123"}, "????????????"},
		{"a Deny without MFA on the caller's account by aws:ResourceAccount, the key given",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"},` +
				`{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringEquals":{"aws:ResourceAccount":"123456789012"}}}]}`,
			[]string{"--context", "aws:ResourceAccount=123456789012"}, "????????????"},
		{"an RCP denying queues without MFA, every entry *", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}`,
			[]string{"--rcp", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`}, "????????????"},
		// an entry whose only wildcard is the account: the caller's queue
		// is named as a literal, and stands beside other accounts' still
		{"an Allow on every account's queue orders", doc("arn:aws:sqs:us-east-1:*:orders", `"arn:aws:sqs:*:123456789012:*"`), nil, "????????????"},
		// a service key that describes the resource, given, is the
		// caller's resource's
		{"a Deny without MFA by s3:ResourceAccount, the key given",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"},` +
				`{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringEquals":{"s3:ResourceAccount":"123456789012"}}}]}`,
			[]string{"--context", "s3:ResourceAccount=123456789012"}, "????????????"},
		// Denies on every leading digit but 57
		{"Denies without MFA on every account but those of 57*",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:*"},` +
				`{"Effect":"Deny","Action":"sqs:*","Resource":["arn:aws:sqs:*:0*:*","arn:aws:sqs:*:1*:*","arn:aws:sqs:*:2*:*","arn:aws:sqs:*:3*:*","arn:aws:sqs:*:4*:*","arn:aws:sqs:*:6*:*","arn:aws:sqs:*:7*:*","arn:aws:sqs:*:8*:*","arn:aws:sqs:*:9*:*",` +
				`"arn:aws:sqs:*:50*:*","arn:aws:sqs:*:51*:*","arn:aws:sqs:*:52*:*","arn:aws:sqs:*:53*:*","arn:aws:sqs:*:54*:*","arn:aws:sqs:*:55*:*","arn:aws:sqs:*:56*:*","arn:aws:sqs:*:58*:*","arn:aws:sqs:*:59*:*"],"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
			nil, "57??????????"},
		// a --resource pattern only partly open on the account, which the
		// caller's does not match: its made-up account stands beside the
		// pattern's other accounts
		{"--resource on accounts 9999*, a Deny without MFA on 9999000*", doc("*", `"arn:aws:sqs:*:9999000*:*"`),
			[]string{"--resource", "arn:aws:sqs:*:9999*:*"}, "9999????????"},
		// RCPs govern the organization's own accounts' resources; another
		// account may be outside it
		{"an RCP denying queues without MFA", doc("arn:aws:sqs:*:*:*", `"arn:aws:sqs:*:123456789012:*"`),
			[]string{"--rcp", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`}, "????????????"},
		// the statements that tell accounts apart are read with their
		// conditions: a Deny without MFA outside accounts 9*, and one
		// inside them that spares alice
		{"a Deny outside 9*, and a Deny inside 9* that spares the caller",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:*"},` +
				`{"Effect":"Deny","Action":"sqs:SendMessage","NotResource":"arn:aws:sqs:*:9*:*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},` +
				`{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:9*:*","Condition":{"StringNotEquals":{"aws:username":"u"}}}]}`,
			nil, "9???????????"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pol := writeFiles(t, map[string]string{"p.json": tc.policy})["p.json"]
			args := append([]string{"mfa", "--policy", pol, "--action", "sqs:SendMessage", "--caller-arn", caller}, tc.extra...)
			code, out, errOut := runCLI(t, append(args, "-o", "json")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var rep struct {
				Results []struct {
					Resource     string `json:"resource"`
					Verdict      string `json:"verdict"`
					From         string `json:"resourceFrom"`
					OtherAccount string `json:"otherAccount"`
					StandIn      bool   `json:"otherAccountStandIn"`
				} `json:"results"`
				Summary struct {
					MfaRequired int  `json:"mfaRequired"`
					Complete    bool `json:"complete"`
				} `json:"summary"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var stand []string
			for _, r := range rep.Results {
				if r.StandIn && r.OtherAccount != "" {
					stand = append(stand, r.Resource)
					parts := strings.Split(r.Resource, ":")
					if len(parts) != 6 || r.OtherAccount != parts[4] || parts[4] == "123456789012" || !condition.MatchWildcard(tc.want, parts[4], false) || r.Verdict != "mfa-not-required" || r.From == "" {
						t.Errorf("stand-in %+v; want a queue of an account of %q, mfa-not-required, with the pattern it was made from", r, tc.want)
					}
				}
			}
			if tc.want == "" {
				if len(stand) > 0 || !rep.Summary.Complete {
					t.Errorf("stand-ins %v, complete %v; want none, complete", stand, rep.Summary.Complete)
				}
				return
			}
			if len(stand) == 0 || rep.Summary.Complete || rep.Summary.MfaRequired == 0 {
				t.Errorf("stand-ins %v, summary %+v; want some, and the caller's own queue requiring MFA, not complete", stand, rep.Summary)
			}
			code, out, errOut = runCLI(t, append(args, "--expect", "mfa-required")...)
			if code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") || !strings.Contains(strings.Join(strings.Fields(out), " "), "standing for any") {
				t.Errorf("--expect mfa-required: exit %d, want %d, cannot be confirmed, the stand-in said to be one: %s\n%s", code, exitCheck, errOut, out)
			}
		})
	}
	// without a caller the account is not known: the open account is
	// filled as before, and nothing stands beside it
	pol := writeFiles(t, map[string]string{"p.json": doc("*", `"arn:aws:sqs:*:123456789012:*"`)})["p.json"]
	if _, out, _ := runCLI(t, "mfa", "--policy", pol, "--action", "sqs:SendMessage", "-o", "json"); strings.Contains(out, "otherAccountStandIn") {
		t.Errorf("without a caller: a stand-in\n%s", out)
	}
}

// TestMFAPolicyMadeUpAccountsSaid pins two more resources the analysis
// makes up an account for, each said to be so: a bucket, whose ARN names
// no account (the caller's by AWS's simulator default), with
// aws:ResourceAccount given for the caller's own resources, stands for
// the same bucket of another account, decided without the key (a Deny
// without MFA on the caller's account alone lets it through); and an
// entry only partly open on the account (9999*) that the caller's account
// does not match is rendered in a made-up account it matches, said so
// whatever its verdict.
func TestMFAPolicyMadeUpAccountsSaid(t *testing.T) {
	const caller = "arn:aws:iam::123456789012:user/u"
	files := writeFiles(t, map[string]string{
		"s3.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},` +
			`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringEquals":{"aws:ResourceAccount":"123456789012"}}}]}`,
		"bucket.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"}]}`,
		"rcp.json":    `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
		"dap.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},` +
			`{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringEquals":{"s3:DataAccessPointAccount":"123456789012"}}}]}`,
		"partial.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:9999*:*"},` +
			`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:*:9999*:*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
	})
	type result struct {
		Resource     string `json:"resource"`
		Verdict      string `json:"verdict"`
		OtherAccount string `json:"otherAccount"`
		StandIn      bool   `json:"otherAccountStandIn"`
	}
	run := func(args ...string) (int, []result) {
		t.Helper()
		code, out, errOut := runCLI(t, append([]string{"mfa", "--caller-arn", caller, "-o", "json"}, args...)...)
		var rep struct{ Results []result }
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v: %s", err, errOut)
		}
		return code, rep.Results
	}
	_, got := run("--policy", files["s3.json"], "--action", "s3:DeleteBucket", "--context", "aws:ResourceAccount=123456789012")
	var own, other bool
	for _, r := range got {
		if r.Resource != "arn:aws:s3:::bucketname" {
			continue
		}
		own = own || !r.StandIn && r.Verdict == "mfa-required"
		other = other || r.StandIn && r.OtherAccount != "" && r.Verdict == "mfa-not-required"
	}
	if !own || !other {
		t.Errorf("the bucket: %+v; want the caller's own requiring MFA, and another account's said made up, allowed without MFA", got)
	}
	if code, _, errOut := runCLI(t, "mfa", "--caller-arn", caller, "--policy", files["s3.json"], "--action", "s3:DeleteBucket", "--context", "aws:ResourceAccount=123456789012", "--expect", "mfa-required"); code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") {
		t.Errorf("--expect mfa-required: exit %d: %s", code, errOut)
	}
	// an RCP governs the organization's own accounts: a bucket is the
	// caller's account's by default, and may be another's out of its reach
	if code, _, errOut := runCLI(t, "mfa", "--caller-arn", caller, "--policy", files["bucket.json"], "--action", "s3:GetObject", "--rcp", files["rcp.json"], "--expect", "mfa-required"); code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") {
		t.Errorf("a bucket with an RCP, --expect mfa-required: exit %d: %s", code, errOut)
	}
	// s3:DataAccessPointAccount describes the access point: not another
	// account's
	if code, _, errOut := runCLI(t, "mfa", "--caller-arn", caller, "--policy", files["dap.json"], "--action", "s3:GetObject", "--context", "s3:DataAccessPointAccount=123456789012", "--expect", "mfa-required"); code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") {
		t.Errorf("s3:DataAccessPointAccount given, --expect mfa-required: exit %d: %s", code, errOut)
	}
	_, got = run("--policy", files["partial.json"], "--action", "sqs:SendMessage")
	said := false
	for _, r := range got {
		if strings.Contains(r.Resource, ":9999") {
			said = r.StandIn && r.Verdict == "mfa-required"
		}
	}
	if !said {
		t.Errorf("9999*: %+v; want its queue in a made-up account said so, requiring MFA", got)
	}
	// (the table wraps its cells: a phrase of the first line of one)
	for format, says := range map[string]string{"table": "(a made-up", "markdown": "made-up account, standing for those its entry matches"} {
		_, out, _ := runCLI(t, "mfa", "--caller-arn", caller, "--policy", files["partial.json"], "--action", "sqs:SendMessage", "-o", format)
		if !strings.Contains(strings.Join(strings.Fields(out), " "), says) {
			t.Errorf("%s: the made-up account is not said to be one:\n%s", format, out)
		}
	}
}
