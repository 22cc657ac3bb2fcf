package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles writes name -> content into a temporary directory and returns
// the path of each.
func writeFiles(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	out := map[string]string{}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}

// simulateJSON runs simulate with --output json and returns each result's
// decision and missing context keys.
func simulateJSON(t *testing.T, args ...string) (code int, decisions []string, missing [][]string, stderr string) {
	t.Helper()
	code, out, errOut := runCLI(t, append(append([]string{"simulate"}, args...), "--output", "json")...)
	if code == exitUsage {
		return code, nil, nil, errOut
	}
	var resp struct {
		EvaluationResults []struct {
			EvalDecision         string
			MissingContextValues []string
		}
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	for _, r := range resp.EvaluationResults {
		decisions = append(decisions, r.EvalDecision)
		missing = append(missing, r.MissingContextValues)
	}
	return code, decisions, missing, errOut
}

// TestNoInventedCaller pins issue 11 item 1: no default caller anywhere.
// Without a caller the request is decided as AWS's simulator decides it
// without CallerArn (identity-side policies only, no cross-account
// reasoning); a resource policy then needs a caller; an anonymous caller is
// explicit.
func TestNoInventedCaller(t *testing.T) {
	orders := "arn:aws:dynamodb:eu-west-1:555566667777:table/Orders"
	f := writeFiles(t, map[string]string{
		"orders.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"` + orders + `"}}`,
		"bucket.json": `{"Version":"2012-10-17","Statement":{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}}`,
		"request.json": `{"PolicyInputList": ["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"` + orders + `\"}}"],
			"ActionNames": ["dynamodb:GetItem"], "ResourceArns": ["` + orders + `"], "CallerArn": ""}`,
		"public.json": `{"ResourcePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::site/*\"}}",
			"PolicyInputList": [], "ActionNames": ["s3:GetObject"], "ResourceArns": ["arn:aws:s3:::site/index.html"], "ResourceOwner": "111122223333", "AnonymousCaller": true}`,
		"public-no-caller.json": `{"ResourcePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::site/*\"}}",
			"ActionNames": ["s3:GetObject"], "ResourceArns": ["arn:aws:s3:::site/index.html"]}`,
		"both.json": `{"PolicyInputList": [], "ActionNames": ["s3:GetObject"], "CallerArn": "arn:aws:iam::111122223333:user/alice", "AnonymousCaller": true}`,
	})
	tests := []struct {
		name string
		args []string
		want string // a decision, or "usage:" + a part of the error
	}{
		{"flags: identity Allow on another account's table, no caller: allowed (issue 11 case)", []string{"--policy", f["orders.json"], "--action", "dynamodb:GetItem", "--resource", orders}, "allowed"},
		{"document without CallerArn (the AWS CLI skeleton's empty string)", []string{"--input", f["request.json"]}, "allowed"},
		{"a resource policy without a caller is refused, as AWS requires CallerArn", []string{"--resource-policy", f["bucket.json"], "--action", "s3:GetObject", "--resource", "arn:aws:s3:::site/index.html"}, "usage:needs a caller"},
		{"the same in a document", []string{"--input", f["public-no-caller.json"]}, "usage:needs a caller"},
		{"--anonymous: a public read", []string{"--resource-policy", f["bucket.json"], "--anonymous", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::site/index.html", "--resource-owner", "111122223333"}, "allowed"},
		{"AnonymousCaller in a document", []string{"--input", f["public.json"]}, "allowed"},
		{"--anonymous and --caller-arn exclude each other", []string{"--policy", f["orders.json"], "--anonymous", "--caller-arn", "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject"}, "usage:exclude each other"},
		{"CallerArn and AnonymousCaller exclude each other", []string{"--input", f["both.json"]}, "usage:exclude each other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, got, _, errOut := simulateJSON(t, tc.args...)
			if want, ok := strings.CutPrefix(tc.want, "usage:"); ok {
				if code != exitUsage || !strings.Contains(errOut, want) {
					t.Errorf("exit %d, stderr %q; want exit 2 saying %q", code, errOut, want)
				}
				return
			}
			if code != exitOK || len(got) != 1 || got[0] != tc.want {
				t.Errorf("exit %d, decisions %v, stderr %q; want %s", code, got, errOut, tc.want)
			}
		})
	}
	// Every table and explain names the caller used.
	for _, format := range []string{"table", "explain"} {
		_, out, _ := runCLI(t, "simulate", "--policy", f["orders.json"], "--action", "dynamodb:GetItem", "--resource", orders, "--output", format)
		if !strings.Contains(out, "caller none") && !strings.Contains(out, "Caller: none") {
			t.Errorf("%s output does not name the caller (none):\n%s", format, out)
		}
	}
	// AWS's default for ResourceOwner (the caller's account) is said, not silently assumed
	_, out, _ := runCLI(t, "simulate", "--resource-policy", f["bucket.json"], "--caller-arn", "arn:aws:iam::999999999999:user/x", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::site/index.html")
	if !strings.Contains(out, "Resource owner: the account a resource ARN names, else the caller's") {
		t.Errorf("the table does not say whose account owns the resource:\n%s", out)
	}
	_, out, _ = runCLI(t, "simulate", "--resource-policy", f["bucket.json"], "--anonymous", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::site/index.html", "--output", "explain")
	if !strings.Contains(out, "caller anonymous") {
		t.Errorf("explain does not name the anonymous caller:\n%s", out)
	}
}

// TestSimulatorContext pins issue 11 item 2: simulate uses only the context
// the request supplies (AWS's simulator derives no key from CallerArn, SPEC
// 7.3) and reports every key a policy needed and lacked; --live-context
// derives the principal keys of a live request.
func TestSimulatorContext(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"home.json":    `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}}`,
		"guest.json":   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/home/${aws:username, 'guest'}/*"}}`,
		"admin.json":   `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"guard.json":   `{"Version":"2012-10-17","Statement":{"Sid":"OnlyOurAccount","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}}`,
		"request.json": `{"PolicyInputList": ["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/home/${aws:username}/*\"}}"], "ActionNames": ["s3:GetObject"], "ResourceArns": ["arn:aws:s3:::bucket/home/alice/f"], "CallerArn": "arn:aws:iam::111122223333:user/alice"}`,
	})
	alice := "arn:aws:iam::111122223333:user/alice"
	tests := []struct {
		name    string
		args    []string
		want    string
		missing []string
	}{
		{"${aws:username} is not derived from the caller (AWS: implicitDeny, MissingContextValues aws:username)",
			[]string{"--policy", f["home.json"], "--caller-arn", alice, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::bucket/home/alice/f"}, "implicitDeny", []string{"aws:username"}},
		{"the same from a request document", []string{"--input", f["request.json"]}, "implicitDeny", []string{"aws:username"}},
		{"given as a context entry, it applies",
			[]string{"--policy", f["home.json"], "--caller-arn", alice, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::bucket/home/alice/f", "--context", "aws:username=alice"}, "allowed", []string{}},
		{"${aws:username, 'guest'} takes its default (AWS: allowed)",
			[]string{"--policy", f["guest.json"], "--caller-arn", alice, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::bucket/home/guest/f"}, "allowed", []string{"aws:username"}},
		{"a guard Deny on aws:PrincipalAccount with no context denies (AWS: explicitDeny)",
			[]string{"--policy", f["admin.json"], "--policy", f["guard.json"], "--caller-arn", alice, "--action", "s3:GetObject"}, "explicitDeny", []string{"aws:PrincipalAccount"}},
		{"--live-context derives aws:username", []string{"--policy", f["home.json"], "--caller-arn", alice, "--live-context", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::bucket/home/alice/f"}, "allowed", []string{}},
		{"--live-context derives aws:PrincipalAccount", []string{"--policy", f["admin.json"], "--policy", f["guard.json"], "--caller-arn", alice, "--live-context", "--action", "s3:GetObject"}, "allowed", []string{}},
		{"--live-context: the derived default applies to a guest path no more", []string{"--policy", f["guest.json"], "--caller-arn", alice, "--live-context", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::bucket/home/guest/f"}, "implicitDeny", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, got, missing, errOut := simulateJSON(t, tc.args...)
			if code != exitOK || len(got) != 1 || got[0] != tc.want {
				t.Fatalf("exit %d, decisions %v, stderr %q; want %s", code, got, errOut, tc.want)
			}
			if strings.Join(missing[0], ",") != strings.Join(tc.missing, ",") {
				t.Errorf("MissingContextValues %v, want %v", missing[0], tc.missing)
			}
		})
	}
	// explain says which mode decided
	_, out, _ := runCLI(t, "simulate", "--policy", f["home.json"], "--caller-arn", alice, "--action", "s3:GetObject", "--output", "explain")
	if !strings.Contains(out, "only the keys the request supplies") || !strings.Contains(out, "(no context keys)") {
		t.Errorf("explain does not say the simulator's context mode:\n%s", out)
	}
	_, out, _ = runCLI(t, "simulate", "--policy", f["home.json"], "--caller-arn", alice, "--live-context", "--action", "s3:GetObject", "--output", "explain")
	if !strings.Contains(out, "live request (--live-context)") || !strings.Contains(out, `aws:username (string) = ["alice"]`) {
		t.Errorf("explain does not say the live context mode and its keys:\n%s", out)
	}
}

// TestSimulatorContextAccount pins item 2 in --account principal mode: the
// principal's policies, but only the context given (SimulatePrincipalPolicy
// derives no key either); --live-context derives them.
func TestSimulatorContextAccount(t *testing.T) {
	dump := writeFiles(t, map[string]string{"account.json": `{
    "UserDetailList": [
        {
            "UserName": "alice",
            "Arn": "arn:aws:iam::111122223333:user/alice",
            "UserPolicyList": [
                {
                    "PolicyName": "Home",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": {"Sid": "Home", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/home/${aws:username}/*"}
                    }
                }
            ],
            "GroupList": [],
            "AttachedManagedPolicies": []
        }
    ],
    "GroupDetailList": [],
    "RoleDetailList": [],
    "Policies": []
}`})["account.json"]
	args := []string{"--account", dump, "--principal", "alice", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::bucket/home/alice/notes.txt"}
	code, got, missing, errOut := simulateJSON(t, args...)
	if code != exitOK || len(got) != 1 || got[0] != "implicitDeny" || strings.Join(missing[0], ",") != "aws:username" {
		t.Errorf("account mode without context: exit %d, %v, missing %v, %s; want implicitDeny missing aws:username", code, got, missing, errOut)
	}
	code, got, _, errOut = simulateJSON(t, append(args, "--live-context")...)
	if code != exitOK || len(got) != 1 || got[0] != "allowed" {
		t.Errorf("account mode with --live-context: exit %d, %v, %s; want allowed", code, got, errOut)
	}
	code, got, _, errOut = simulateJSON(t, append(args, "--context", "aws:username=alice")...)
	if code != exitOK || len(got) != 1 || got[0] != "allowed" {
		t.Errorf("account mode with aws:username given: exit %d, %v, %s; want allowed", code, got, errOut)
	}
}

// TestNoVacuousSimulate pins issue 11 item 6: no policy of any kind is a
// usage error, so --expect denied never passes on nothing.
func TestNoVacuousSimulate(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"empty-request.json": `{"PolicyInputList": [], "ActionNames": ["s3:GetObject"]}`,
	})
	for _, args := range [][]string{
		{"simulate", "--action", "s3:DeleteObject", "--expect", "denied"},
		{"simulate", "--action", "s3:DeleteObject", "--long-term-keys", "--expect", "denied"},
		{"simulate", "--input", f["empty-request.json"], "--expect", "denied"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "no policy") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 saying no policy", args, code, out, errOut)
		}
	}
}

// TestStrictFlags pins issue 11 item 8: --mfa-age refuses negative values and
// takes plain seconds; --action refuses what the policy parser refuses;
// --long-term-keys is an error for callers that have no long-term keys; the
// context refuses keys without a service prefix and unknown types.
func TestStrictFlags(t *testing.T) {
	inRoot(t)
	p := "testdata/policies/p7-production-bucket-mfa-age.json"
	age := "testdata/policies/p8b-ec2-mfa-within-hour.json"
	bad := []struct {
		args []string
		want string
	}{
		{[]string{"--policy", p, "--action", "s3:GetObject", "--mfa-age", "-5m"}, "negative"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--mfa-age", "-300"}, "negative"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--mfa-age", "soon"}, "neither seconds"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--mfa-age", "1500ms"}, "not whole seconds"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--resource", ""}, "empty value"},
		{[]string{"--policy", p, "--action", "s3:GetObject,,s3:PutObject"}, "empty value"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--context", "ContextKeyName=aws:SourceIp,ContextKeyValues=fe80::1%eth0,ContextKeyType=ip"}, "not a valid ip"},
		{[]string{"--policy", p, "--action", "s3:Get Object"}, "white space"},
		{[]string{"--policy", p, "--action", "s3:Get:Object"}, "more than one colon"},
		{[]string{"--policy", p, "--action", "s3:Get*"}, "wildcard"},
		{[]string{"--policy", p, "--action", "GetObject"}, "is not service:action"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:sts::111122223333:assumed-role/R/s", "--long-term-keys"}, "no long-term access keys"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam::111122223333:role/R", "--long-term-keys"}, "no long-term access keys"},
		{[]string{"--account", "testdata/account/example-account.json", "--principal", "role/CIDeploy", "--action", "s3:GetObject", "--long-term-keys"}, "roles have no long-term access keys"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--context", "username=alice"}, "no service prefix"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam::123456789012:user/*"}, "wildcard"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam::123456789012:group/devs"}, "not the ARN of a principal"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:s3:::bucket"}, "not the ARN of a principal"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam::12345:user/alice"}, "not 12 digits"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam:us-east-1:123456789012:user/alice"}, "has no region"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:foo:iam::123456789012:user/alice"}, "unknown partition"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam::123456789012:user/al ice"}, "characters or empty path segments"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam::123456789012:user//alice"}, "characters or empty path segments"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam::123456789012:user/${aws:username}"}, "characters or empty path segments"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:sts::123456789012:assumed-role/R/s/extra"}, "assumed-role/ROLE/SESSION"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--context", "aws:MultiFactorAuthAge=-5"}, "not a whole number of seconds"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--context", `{"ContextKeyName":"aws:MultiFactorAuthPresent","ContextKeyValues":["false "],"ContextKeyType":"string"}`}, "is boolean (AWS fixes its type), not string"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam::123456789012:user/a\\b"}, "characters or empty path segments"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--context", "ContextKeyName=aws:SourceIp,ContextKeyValues=1.2.3.4,ContextKeyType=address"}, "unknown context key type"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--context", "aws:SourceIp=192.0.2.7:IP"}, "a type name"},
		{[]string{"--policy", p, "--action", "s3:GetObject", "--context", "aws:SourceVpc=a", "--context", "AWS:sourcevpc=b"}, "given twice"},
	}
	for _, tc := range bad {
		code, out, errOut := runCLI(t, append([]string{"simulate"}, tc.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line saying %q", tc.args, code, out, errOut, tc.want)
		}
	}
	// plain seconds and durations
	// (p8b allows NumericLessThan 3600: 3599 s is in, 3600 s is out)
	for secs, want := range map[string]string{"3599": "allowed", "3600": "implicitDeny", "59m59s": "allowed", "1h": "implicitDeny", "0": "allowed"} {
		code, got, _, errOut := simulateJSON(t, "--policy", age, "--action", "ec2:StopInstances", "--resource", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", "--mfa-age", secs)
		if code != exitOK || len(got) != 1 || got[0] != want {
			t.Errorf("--mfa-age %s: exit %d, %v, %s; want %s", secs, code, got, errOut, want)
		}
	}
	// a typed context entry in any letter case
	code, got, _, errOut := simulateJSON(t, "--policy", "testdata/policies/p3-ec2-deny-stop-without-mfa.json", "--action", "ec2:StopInstances",
		"--context", "ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=Boolean")
	if code != exitOK || len(got) != 1 || got[0] != "allowed" {
		t.Errorf("ContextKeyType=Boolean: exit %d, %v, %s", code, got, errOut)
	}
}

// TestAbsolutePositions pins issue 11 item 10: a statement of a policy inside
// a file that holds a list of policies, or inside an --input document, is
// shown at its absolute file line:column; the AWS JSON keeps positions in
// the policy's own text, as AWS reports them.
func TestAbsolutePositions(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"admin.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"ou-level.json": `[
  {
    "Version": "2012-10-17",
    "Statement": {"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}
  },
  {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "DenyLeave",
        "Effect": "Deny",
        "Action": "organizations:LeaveOrganization",
        "Resource": "*"
      },
      {
        "Sid": "DenyRegions",
        "Effect": "Deny",
        "Action": "ec2:RunInstances",
        "Resource": "*"
      }
    ]
  }
]`,
	})
	code, out, errOut := runCLI(t, "simulate", "--policy", f["admin.json"], "--scp", f["ou-level.json"], "--action", "ec2:RunInstances", "--output", "explain")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "Deny DenyRegions (" + f["ou-level.json"] + "[1] at " + f["ou-level.json"] + ":15:7)"
	if !strings.Contains(out, want) {
		t.Errorf("the Deny is not at its file position 15:7; want %q in\n%s", want, out)
	}
	if !strings.Contains(out, "DenyLeave") || !strings.Contains(out, f["ou-level.json"]+":9:7: not applied: action ec2:RunInstances is not matched by its Action") {
		t.Errorf("trace positions are not absolute:\n%s", out)
	}
	_, out, _ = runCLI(t, "simulate", "--policy", f["admin.json"], "--scp", f["ou-level.json"], "--action", "ec2:RunInstances", "--output", "json")
	if !strings.Contains(out, `"StartPosition": {
                        "Line": 10,
                        "Column": 7`) {
		t.Errorf("the AWS JSON must keep the position in the policy's own text (line 10 of the second policy's object, which starts on line 6):\n%s", out)
	}
}

// TestRulesNamed pins issue 11 item 10: when a rule decides rather than a
// statement, the table and explain name it; a NotAction that excludes the
// action reads "excluded by its NotAction".
func TestRulesNamed(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"admin.json":     `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"trust.json":     `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}}`,
		"none.json":      `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}`,
		"notaction.json": `{"Version":"2012-10-17","Statement":{"Sid":"DenyAllButIAM","Effect":"Deny","NotAction":"iam:*","Resource":"*"}}`,
	})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--resource-policy", f["trust.json"], "--policy", f["none.json"], "--caller-arn", "arn:aws:iam::111122223333:user/alice", "--action", "sts:AssumeRole", "--resource", "arn:aws:iam::111122223333:role/R"},
			"names the caller's account, which still needs an identity Allow"},
		{[]string{"--policy", f["admin.json"], "--caller-arn", "arn:aws:sts::111122223333:federated-user/bob", "--action", "s3:GetObject"},
			"a federated-user session gets nothing without a session policy"},
		{[]string{"--policy", f["none.json"], "--caller-arn", "arn:aws:iam::111122223333:root", "--action", "s3:GetObject"},
			"the root user has full access to its own account"},
		{[]string{"--policy", f["admin.json"], "--caller-arn", "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--resource-owner", "444455556666"},
			"cross-account: no resource policy allows the caller"},
	}
	for _, tc := range tests {
		for _, format := range []string{"table", "explain"} {
			_, out, errOut := runCLI(t, append(append([]string{"simulate"}, tc.args...), "--output", format)...)
			if !containsFlat(out, tc.want) {
				t.Errorf("%s %v: %q not in\n%s%s", format, tc.args, tc.want, out, errOut)
			}
		}
	}
	_, out, _ := runCLI(t, "simulate", "--policy", f["admin.json"], "--policy", f["notaction.json"], "--action", "iam:ListUsers", "--output", "explain")
	if !strings.Contains(out, "action iam:ListUsers is excluded by its NotAction") {
		t.Errorf("NotAction wording:\n%s", out)
	}
}

// TestMFAResourcesFromPolicies pins issue 11 item 5 for policies: the
// resources come from the policies, not a "*" default, and the summary says
// what was checked and what was not.
func TestMFAResourcesFromPolicies(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{
		"ci.json": `{"Version":"2012-10-17","Statement":[
 {"Sid":"Deploy","Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::prod-artifacts/*"},
 {"Sid":"Keys","Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::123456789012:user/*"}]}`,
	})
	type row struct {
		Action, Resource, Verdict string
		MissingContextValues      []string
	}
	decode := func(out string) (rows []row, unchecked int, summary string) {
		var resp struct {
			Results   []row
			Unchecked []json.RawMessage
			Summary   struct {
				UncheckedResourceEntries int
				Text                     string
			}
		}
		if err := json.Unmarshal([]byte(out), &resp); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if resp.Summary.UncheckedResourceEntries != len(resp.Unchecked) {
			t.Errorf("summary counts %d unchecked Resource entries, the list holds %d", resp.Summary.UncheckedResourceEntries, len(resp.Unchecked))
		}
		return resp.Results, len(resp.Unchecked), resp.Summary.Text
	}
	verdict := func(rows []row, action, resource string) string {
		for _, r := range rows {
			if r.Action == action && r.Resource == resource {
				return r.Verdict
			}
		}
		return "not checked"
	}
	// the CI user's policy: both actions are allowed without MFA on the
	// resources the policy names (a "*" default found nothing)
	_, out, _ := runCLI(t, "mfa", "--policy", f["ci.json"], "--caller-arn", "arn:aws:iam::123456789012:user/ci-bot", "--output", "json")
	rows, _, _ := decode(out)
	// (each wildcard entry made a resource of the action's type)
	if v := verdict(rows, "s3:DeleteObject", "arn:aws:s3:::prod-artifacts/objectname"); v != "mfa-not-required" {
		t.Errorf("s3:DeleteObject on prod-artifacts/*: %s", v)
	}
	if v := verdict(rows, "iam:CreateAccessKey", "arn:aws:iam::123456789012:user/usernamewithpath"); v != "mfa-not-required" {
		t.Errorf("iam:CreateAccessKey on user/*: %s", v)
	}
	// AWS's force-MFA self-management policy: CreateAccessKey is allowed
	// with MFA on the caller's own user (issue 11: it was "never-allowed")
	p1 := "testdata/policies/p1-force-mfa-self-manage.json"
	_, out, _ = runCLI(t, "mfa", "--policy", p1, "--caller-arn", "arn:aws:iam::123456789012:user/alice", "--action", "iam:CreateAccessKey", "--output", "json")
	rows, unchecked, _ := decode(out)
	if v := verdict(rows, "iam:CreateAccessKey", "arn:aws:iam::123456789012:user/alice"); v != "mfa-required" || unchecked != 0 {
		t.Errorf("force-MFA, caller alice: CreateAccessKey on her own user is %s (%d unchecked), want mfa-required", v, unchecked)
	}
	// without a caller the own-user entry cannot be rendered: it is listed
	// as not checked, and --expect cannot pass on it
	code, out, errOut := runCLI(t, "mfa", "--policy", p1, "--action", "iam:CreateAccessKey", "--output", "json", "--expect", "never-allowed")
	rows, unchecked, summary := decode(out)
	if unchecked != 1 || code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") || !strings.Contains(summary, "Not checked: 1 Resource entry the request lacks keys for") {
		t.Errorf("no caller: exit %d, %d unchecked, summary %q, stderr %q", code, unchecked, summary, errOut)
	}
	_ = rows
	for _, format := range []string{"table", "markdown"} {
		_, out, _ = runCLI(t, "mfa", "--policy", p1, "--action", "iam:CreateAccessKey", "--output", format)
		if !strings.Contains(out, "Not checked: 1 Resource entry the request lacks keys for") || !strings.Contains(out, "Caller: none given") {
			t.Errorf("%s does not say what it did not check:\n%s", format, out)
		}
	}
}

// TestContextShorthandDecides pins the AWS CLI's shorthand end to end: an
// explicit list is a list, so a Deny on a tag key in it applies (the
// reviewer's case: "[owner" was once read as a tag key, and allowed).
func TestContextShorthandDecides(t *testing.T) {
	f := writeFiles(t, map[string]string{"tags.json": `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*"},
 {"Sid":"NoOwnerTag","Effect":"Deny","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["owner"]}}}]}`})
	for _, ctx := range []string{
		"ContextKeyName=aws:TagKeys,ContextKeyValues=[owner,env],ContextKeyType=stringList",
		`ContextKeyName=aws:TagKeys,ContextKeyValues="owner",env,ContextKeyType=stringList`,
		"ContextKeyName=aws:TagKeys,ContextKeyValues=env, owner,ContextKeyType=stringList",
		"aws:TagKeys=owner",
	} {
		code, got, _, errOut := simulateJSON(t, "--policy", f["tags.json"], "--action", "ec2:CreateTags", "--context", ctx)
		if code != exitOK || len(got) != 1 || got[0] != "explicitDeny" {
			t.Errorf("--context %s: exit %d, %v, %s; want explicitDeny", ctx, code, got, errOut)
		}
	}
}

// TestMFAExpectNeedsEverythingChecked pins issue 11's "no vacuous passes" for
// mfa --expect: a verdict that depends on a context key nobody gave (a live
// request from the office range carries aws:SourceIp) cannot be confirmed,
// and an anonymous caller has no MFA to analyse.
func TestMFAExpectNeedsEverythingChecked(t *testing.T) {
	f := writeFiles(t, map[string]string{"office.json": `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},
 {"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`})
	code, out, errOut := runCLI(t, "mfa", "--policy", f["office.json"], "--action", "s3:PutObject", "--caller-arn", "arn:aws:iam::123456789012:user/alice", "--expect", "mfa-required")
	cells := tableCells(t, out, []string{"RESOURCE", "KEYS", "SESSION", "MFA", "VERDICT", "MAX AGE", "BYPASSES"})
	// * is made a resource of each of s3:PutObject's types: two requests
	if code != exitCheck || !strings.Contains(errOut, "2 results depend on context keys that were not given") || len(cells) != 2 || cells[0][4] != "mfa-required (needs aws:SourceIp)" || cells[1][4] != "mfa-required (needs aws:SourceIp)" {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1: the verdict depends on aws:SourceIp", code, out, errOut)
	}
	code, _, _ = runCLI(t, "mfa", "--policy", f["office.json"], "--action", "s3:PutObject", "--caller-arn", "arn:aws:iam::123456789012:user/alice",
		"--context", "aws:SourceIp=198.51.100.1", "--expect", "mfa-required")
	if code != exitOK {
		t.Errorf("with aws:SourceIp given (outside the range): exit %d, want 0", code)
	}
	code, _, errOut = runCLI(t, "mfa", "--policy", f["office.json"], "--action", "s3:PutObject", "--context", "aws:MultiFactorAuthPresent=true")
	if code != exitUsage || !strings.Contains(errOut, "mfa sets the MFA keys itself") {
		t.Errorf("mfa --context with an MFA key: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "mfa", "--policy", f["office.json"], "--action", "s3:PutObject", "--anonymous")
	if code != exitUsage || !strings.Contains(errOut, "iameval mfa: --anonymous") {
		t.Errorf("mfa --anonymous: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "mfa", "--resource-policy", f["office.json"], "--action", "s3:GetObject")
	if code != exitUsage || !strings.HasPrefix(errOut, "iameval mfa: ") {
		t.Errorf("mfa errors name the mfa command: %q", errOut)
	}
}

// TestAnonymousIsNoPrincipal pins that the caller's side (identity policies,
// boundaries, session policies, SCPs) does not apply to an unsigned request,
// so a public bucket stays public whatever they say; RCPs do apply.
func TestAnonymousIsNoPrincipal(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"deny.json":   `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`,
		"ec2.json":    `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}`,
		"public.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
	})
	base := []string{"--anonymous", "--resource-policy", f["public.json"], "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/x"}
	for _, extra := range [][]string{{"--policy", f["deny.json"]}, {"--boundary", f["deny.json"]}, {"--session-policy", f["deny.json"]}, {"--scp", f["deny.json"]}, {"--scp", f["ec2.json"]}} {
		code, got, _, errOut := simulateJSON(t, append(append([]string{}, base...), extra...)...)
		if code != exitOK || len(got) != 1 || got[0] != "allowed" {
			t.Errorf("%v: exit %d, %v, %s; want allowed", extra, code, got, errOut)
		}
	}
	_, out, _ := runCLI(t, append(append([]string{"simulate"}, base...), "--policy", f["deny.json"], "--output", "explain")...)
	if !strings.Contains(out, "an anonymous request is no principal of an account") {
		t.Errorf("explain does not say why the identity Deny does not apply:\n%s", out)
	}
}

// TestLiveContextFromTheDump pins that simulate --account --live-context
// derives what the dump tells of the principal (its tags as
// aws:PrincipalTag/KEY, its unique id as aws:userid; AWS: aws:PrincipalTag
// "is included in the request context if the principal is using an IAM user
// with attached tags"), as mfa --account does, and that a role's live
// request comes from one of its sessions, named in the output.
func TestLiveContextFromTheDump(t *testing.T) {
	dump := writeFiles(t, map[string]string{"account.json": `{
    "UserDetailList": [
        {
            "Path": "/",
            "UserName": "tagged",
            "UserId": "AIDA0000000000000001",
            "Arn": "arn:aws:iam::111122223333:user/tagged",
            "CreateDate": "2024-01-01T00:00:00+00:00",
            "UserPolicyList": [
                {
                    "PolicyName": "team",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": {"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "ops"}}}
                    }
                }
            ],
            "GroupList": [],
            "AttachedManagedPolicies": [],
            "Tags": [{"Key": "team", "Value": "ops"}]
        }
    ],
    "GroupDetailList": [],
    "RoleDetailList": [
        {
            "Path": "/",
            "RoleName": "Deploy",
            "RoleId": "AROA0000000000000002",
            "Arn": "arn:aws:iam::111122223333:role/Deploy",
            "CreateDate": "2024-01-01T00:00:00+00:00",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "InstanceProfileList": [],
            "RolePolicyList": [
                {
                    "PolicyName": "own",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Deploy"}}}}
                }
            ],
            "AttachedManagedPolicies": [],
            "Tags": [],
            "RoleLastUsed": {}
        }
    ],
    "Policies": []
}`})["account.json"]
	code, got, missing, errOut := simulateJSON(t, "--account", dump, "--principal", "tagged", "--action", "ec2:TerminateInstances", "--live-context")
	if code != exitOK || len(got) != 1 || got[0] != "allowed" || len(missing[0]) != 0 {
		t.Errorf("a tagged user with --live-context: exit %d, %v, missing %v, %s; want allowed", code, got, missing, errOut)
	}
	code, got, missing, _ = simulateJSON(t, "--account", dump, "--principal", "tagged", "--action", "ec2:TerminateInstances")
	if code != exitOK || got[0] != "implicitDeny" || strings.Join(missing[0], ",") != "aws:PrincipalTag/team" {
		t.Errorf("without --live-context the tag is not derived: %v, missing %v", got, missing)
	}
	code, got, _, errOut = simulateJSON(t, "--account", dump, "--principal", "role/Deploy", "--action", "s3:PutObject", "--live-context")
	if code != exitOK || len(got) != 1 || got[0] != "allowed" {
		t.Errorf("a role with --live-context: exit %d, %v, %s; want allowed (its session carries aws:PrincipalArn)", code, got, errOut)
	}
	_, out, _ := runCLI(t, "simulate", "--account", dump, "--principal", "role/Deploy", "--action", "s3:PutObject", "--live-context")
	if !containsFlat(out, "assumed-role/Deploy/iameval (a session of role Deploy; the session name is iameval's") {
		t.Errorf("the role's session caller is not named:\n%s", out)
	}
}
