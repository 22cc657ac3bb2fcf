package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iameval/iameval/account/accounttest"
)

const exampleAccount = "testdata/account/example-account.json"

func TestSimulateAccount(t *testing.T) {
	inRoot(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--principal", "bob", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::reports/q3.csv", "--long-term-keys"}, []string{"allowed", "S3FullAccess"}},
		{[]string{"--principal", "bob", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::reports/q3.csv", "--no-mfa-session"}, []string{"explicitDeny", "BrokenForceMFA"}},
		{[]string{"--principal", "arn:aws:iam::123456789012:user/oscar", "--action", "sts:AssumeRole", "--resource", "arn:aws:iam::123456789012:role/Admin", "--mfa-age", "0s"}, []string{"allowed"}},
		{[]string{"--principal", "oscar", "--action", "sts:AssumeRole", "--resource", "arn:aws:iam::123456789012:role/Admin", "--long-term-keys"}, []string{"implicitDeny"}},
		{[]string{"--principal", "breakglass", "--action", "sts:AssumeRole", "--resource", "arn:aws:iam::123456789012:role/Admin", "--long-term-keys"}, []string{"allowed", "BreakGlass"}},
		{[]string{"--principal", "role/CIDeploy", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::Production/x", "--no-mfa-session"}, []string{"explicitDeny", "role CIDeploy inline NoProductionDeletes"}},
	}
	for _, tc := range tests {
		code, out, errOut := runCLI(t, append([]string{"simulate", "--account", exampleAccount}, tc.args...)...)
		if code != exitOK || errOut != "" {
			t.Errorf("%v: exit %d, %s", tc.args, code, errOut)
			continue
		}
		for _, w := range tc.want {
			if !containsFlat(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
	// JSON names the real policies, with AWS's documented types.
	_, out, _ := runCLI(t, "simulate", "--account", exampleAccount, "--principal", "mallory", "--action", "iam:CreateUser", "--long-term-keys", "--output", "json")
	var resp struct {
		EvaluationResults []struct {
			MatchedStatements []struct{ SourcePolicyId, SourcePolicyType string }
		}
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatal(err)
	}
	m := resp.EvaluationResults[0].MatchedStatements
	if len(m) != 1 || m[0].SourcePolicyId != "user mallory inline AllowIAMWithMFA" || m[0].SourcePolicyType != "user" {
		t.Errorf("matched %+v", m)
	}
	for _, bad := range [][]string{
		{"simulate", "--account", exampleAccount, "--action", "s3:GetObject"},
		{"simulate", "--account", exampleAccount, "--principal", "nobody", "--action", "s3:GetObject"},
		{"simulate", "--principal", "bob", "--action", "s3:GetObject"},
	} {
		if code, out, _ := runCLI(t, bad...); code != exitUsage || out != "" {
			t.Errorf("%v: exit %d", bad, code)
		}
	}
}

func TestMFAAccountGolden(t *testing.T) {
	inRoot(t)
	for _, format := range []string{"table", "json", "markdown"} {
		code, out, errOut := runCLI(t, "mfa", "--account", exampleAccount, "--action", "s3:DeleteObject,iam:CreateUser,sts:AssumeRole",
			"--resource", "arn:aws:s3:::reports/q3.csv,arn:aws:iam::123456789012:role/Admin", "--output", format)
		if code != exitOK || errOut != "" {
			t.Fatalf("%s: exit %d, %s", format, code, errOut)
		}
		if format == "json" && !json.Valid([]byte(out)) {
			t.Fatalf("invalid JSON:\n%s", out)
		}
		goldenAt(t, "mfa-account."+format, out)
	}
	_, out, _ := runCLI(t, "mfa", "--account", exampleAccount, "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::reports/q3.csv")
	// Admin (through user breakglass) and EC2App (through ec2.amazonaws.com);
	// DataScience's trust policy requires MFA, so it is not counted
	for _, want := range []string{"7 users can s3:DeleteObject with long-term keys and no MFA", "2 roles can s3:DeleteObject in a session without MFA"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestAccountErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"UserDetailList": [{"UserName": "x", "Arn": "arn:aws:iam::123456789012:user/x", "AttachedManagedPolicies": [{"PolicyName": "P", "PolicyArn": "arn:aws:iam::aws:policy/P"}]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"mfa", "--account", bad}, {"simulate", "--account", bad, "--principal", "x", "--action", "s3:GetObject"}} {
		code, out, errOut := runCLI(t, cmd...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, `user "x": AttachedManagedPolicies names arn:aws:iam::aws:policy/P`) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", cmd, code, out, errOut)
		}
	}
}

// writeLargeAccount writes a synthetic account of users users and 50
// managed policies (10 groups of 5, plus 2 attached to each user directly).
func writeLargeAccount(tb testing.TB, users int) string {
	tb.Helper()
	const acct = "123456789012"
	var b strings.Builder
	b.WriteString(`{"Policies": [`)
	for i := 0; i < 50; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		var stmt string
		switch i % 5 {
		case 0:
			stmt = fmt.Sprintf(`{"Sid":"S3Team%d","Effect":"Allow","Action":["s3:Get*","s3:Put*","s3:Delete*"],"Resource":"arn:aws:s3:::team-%d/*"}`, i, i)
		case 1:
			stmt = `{"Sid":"DenyNoMFA","Effect":"Deny","Action":"s3:Delete*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`
		case 2:
			stmt = `{"Sid":"BrokenDeny","Effect":"Deny","Action":"ec2:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}`
		case 3:
			stmt = fmt.Sprintf(`{"Sid":"EC2Ops%d","Effect":"Allow","Action":["ec2:Describe*","ec2:StopInstances","ec2:TerminateInstances"],"Resource":"*"}`, i)
		default:
			stmt = fmt.Sprintf(`{"Sid":"IAMSelf%d","Effect":"Allow","Action":["iam:*AccessKey*","iam:ChangePassword"],"Resource":"arn:aws:iam::*:user/${aws:username}"}`, i)
		}
		doc := `{"Version":"2012-10-17","Statement":[` + stmt + `]}`
		fmt.Fprintf(&b, `{"PolicyName":"P%d","Arn":"arn:aws:iam::%s:policy/P%d","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":true,"Document":%q}]}`, i, acct, i, doc)
	}
	b.WriteString(`], "GroupDetailList": [`)
	for g := 0; g < 10; g++ {
		if g > 0 {
			b.WriteByte(',')
		}
		var att []string
		for k := 0; k < 5; k++ {
			att = append(att, fmt.Sprintf(`{"PolicyName":"P%d","PolicyArn":"arn:aws:iam::%s:policy/P%d"}`, g*5+k, acct, g*5+k))
		}
		fmt.Fprintf(&b, `{"GroupName":"g%d","Arn":"arn:aws:iam::%s:group/g%d","GroupPolicyList":[],"AttachedManagedPolicies":[%s]}`, g, acct, g, strings.Join(att, ","))
	}
	b.WriteString(`], "UserDetailList": [`)
	for u := 0; u < users; u++ {
		if u > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"UserName":"user%d","Arn":"arn:aws:iam::%s:user/user%d","GroupList":["g%d","g%d"],"AttachedManagedPolicies":[{"PolicyName":"P%d","PolicyArn":"arn:aws:iam::%s:policy/P%d"},{"PolicyName":"P%d","PolicyArn":"arn:aws:iam::%s:policy/P%d"}],"UserPolicyList":[{"PolicyName":"inline","PolicyDocument":%q}]}`,
			u, acct, u, u%10, (u+3)%10, u%50, acct, u%50, (u+7)%50, acct, (u+7)%50,
			fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::user-%d"}}`, u))
	}
	b.WriteString(`], "RoleDetailList": [], "IsTruncated": false}`)
	path := filepath.Join(tb.TempDir(), "large-account.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkMFAAccount5000 is "iameval mfa --account" on 5,000 users and 50
// managed policies, every default sensitive action on "*" and on a bucket
// object.
func BenchmarkMFAAccount5000(b *testing.B) {
	path := writeLargeAccount(b, 5000)
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"mfa", "--account", path, "--resource", "*,arn:aws:s3:::team-0/k"}, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkMFAAccountCLIDump is "iameval mfa --account" on a dump as the
// AWS CLI prints it (policy documents as JSON objects, four-space indent;
// see accounttest.CLIDump) of 1,250 and 5,000 users, with their groups,
// roles (a tenth of the users) and managed policies: every default sensitive
// action on "*", on a bucket object and on a role (whose trust policy is then
// the resource policy of sts:AssumeRole).
func BenchmarkMFAAccountCLIDump(b *testing.B) {
	for _, users := range []int{1250, 5000} {
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "cli-account.json")
			if err := os.WriteFile(path, accounttest.CLIDump(users), 0o644); err != nil {
				b.Fatal(err)
			}
			resources := "*,arn:aws:s3:::team-0/k,arn:aws:iam::" + accounttest.AccountID + ":role/role1"
			b.ReportAllocs()
			for b.Loop() {
				if code := run([]string{"mfa", "--account", path, "--resource", resources}, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}

// BenchmarkMFAAccount5000Default is the same account with the resources
// taken from the policies (no --resource), as "iameval mfa --account" runs
// by default.
func BenchmarkMFAAccount5000Default(b *testing.B) {
	path := writeLargeAccount(b, 5000)
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"mfa", "--account", path}, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

func TestLargeAccountRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("large account")
	}
	path := writeLargeAccount(t, 200)
	code, out, errOut := runCLI(t, "mfa", "--account", path, "--resource", "*,arn:aws:s3:::team-0/k")
	if code != exitOK || errOut != "" || !strings.Contains(out, "Summary: ") {
		t.Fatalf("exit %d, %s", code, errOut)
	}
}

// TestAccountInconsistentDump pins README's promise, "A truncated or
// inconsistent dump is an error that names the entity and the field", for
// managed policy versions: get-account-authorization-details names a
// policy's default version twice, in DefaultVersionId and in the version's
// IsDefaultVersion, and a dump where they disagree cannot tell which
// document governs. Both account commands refuse it, reporting nothing.
func TestAccountInconsistentDump(t *testing.T) {
	inRoot(t)
	dump := func(def, v2, v1 string) string {
		return `{"UserDetailList": [{"UserName": "dev", "Arn": "arn:aws:iam::123456789012:user/dev", "GroupList": [], "UserPolicyList": [],
  "AttachedManagedPolicies": [{"PolicyName": "DevS3", "PolicyArn": "arn:aws:iam::123456789012:policy/DevS3"}]}],
 "GroupDetailList": [], "RoleDetailList": [],
 "Policies": [{"PolicyName": "DevS3", "Arn": "arn:aws:iam::123456789012:policy/DevS3", "DefaultVersionId": "` + def + `", "PolicyVersionList": [
  {"VersionId": "v2", "IsDefaultVersion": ` + v2 + `, "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}},
  {"VersionId": "v1", "IsDefaultVersion": ` + v1 + `, "Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}]}]}`
	}
	f := writeFiles(t, map[string]string{
		"mismatch.json": dump("v1", "true", "false"),
		"two.json":      dump("v2", "true", "true"),
		"flag-v1.json":  dump("v2", "false", "true"),
	})
	for file, want := range map[string]string{
		"mismatch.json": `managed policy "DevS3": DefaultVersionId "v1", but IsDefaultVersion is true on v2`,
		"two.json":      `managed policy "DevS3": IsDefaultVersion is true on v2 (PolicyVersionList[0]) and v1 (PolicyVersionList[1])`,
		"flag-v1.json":  `managed policy "DevS3": DefaultVersionId "v2", but IsDefaultVersion is true on v1`,
	} {
		for _, cmd := range [][]string{{"mfa", "--account", f[file]}, {"simulate", "--account", f[file], "--principal", "dev", "--action", "s3:DeleteObject"}} {
			code, out, errOut := runCLI(t, cmd...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, want) {
				t.Errorf("%s %v: exit %d, stdout %q, stderr %q; want exit 2 saying %q", file, cmd[0], code, out, errOut, want)
			}
		}
	}
}

// BenchmarkMFAAccountWriteActions is "iameval mfa --account" on a dump as
// the AWS CLI prints it, with copies of inline policies and role chains
// (accounttest.CLIDumpWith, Copies), and the 500 Write and
// Permissions-management actions of accounttest.WriteActions, the
// resources taken from the policies: the workload of issue 13.
func BenchmarkMFAAccountWriteActions(b *testing.B) {
	for _, users := range []int{1250, 5000} {
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "cli-account.json")
			if err := os.WriteFile(path, accounttest.CLIDumpWith(users, accounttest.Options{Copies: true}), 0o644); err != nil {
				b.Fatal(err)
			}
			actions := strings.Join(accounttest.WriteActions(), ",")
			b.ReportAllocs()
			for b.Loop() {
				if code := run([]string{"mfa", "--account", path, "--action", actions, "--output", "json"}, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}

// BenchmarkMFAAccountCatalogue is "iameval mfa --account" without --action:
// every principal checked on every Write and Permissions-management action
// of the catalogue its own policies can allow, the resources taken from
// the policies, on a dump with copies of inline policies, role chains and
// administrators (accounttest.Options Copies and Admins): the acceptance
// workload of issue 13.
func BenchmarkMFAAccountCatalogue(b *testing.B) {
	for _, users := range []int{1250, 5000} {
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "cli-account.json")
			if err := os.WriteFile(path, accounttest.CLIDumpWith(users, accounttest.Options{Copies: true, Admins: true}), 0o644); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if code := run([]string{"mfa", "--account", path, "--output", "json"}, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}

// BenchmarkDiffAccounts is "iameval diff OLD NEW -o json" on two dumps of
// accounttest.CLIDumpWith(users, Copies and Admins) (issue 14: two
// 5,000-user dumps under 60 s): one where a user joins a group of
// administrators (one principal changes), and one where the Regional
// managed policies, which most principals hold, allow one more region
// (nearly every principal changes, on thousands of actions each).
func BenchmarkDiffAccounts(b *testing.B) {
	for _, users := range []int{1250, 5000} {
		old := accounttest.CLIDumpWith(users, accounttest.Options{Copies: true, Admins: true})
		admins := strings.Replace(string(old), `"GroupDetailList": [`, `"GroupDetailList": [
        {"Path": "/", "GroupName": "Admins", "GroupId": "AGPAADMINS", "Arn": "arn:aws:iam::123456789012:group/Admins", "CreateDate": "2024-01-01T00:00:00+00:00",
         "GroupPolicyList": [{"PolicyName": "Admin", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}],
         "AttachedManagedPolicies": []},`, 1)
		joined := strings.Replace(admins, `"GroupList": [
                "g7",`, `"GroupList": [
                "Admins",
                "g7",`, 1)
		region := regexp.MustCompile(`"eu-central-1",(\s*)"us-east-1"`).ReplaceAllString(string(old), `"eu-central-1",$1"us-east-1",$1"ap-southeast-2"`)
		if joined == admins || region == string(old) {
			b.Fatal("the changes were not made: the generator's layout changed")
		}
		dir := b.TempDir()
		write := func(name, data string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				b.Fatal(err)
			}
			return p
		}
		base, withAdmins, withJoined, withRegion := write("old.json", string(old)), write("admins.json", admins), write("joined.json", joined), write("region.json", region)
		for _, c := range []struct{ name, old, new string }{
			{"joins-admins", withAdmins, withJoined},
			{"managed-policy", base, withRegion},
		} {
			b.Run(fmt.Sprintf("users=%d/%s", users, c.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if code := run([]string{"diff", c.old, c.new, "-o", "json"}, strings.NewReader(""), io.Discard, io.Discard); code != exitCheck {
						b.Fatalf("exit %d, want 1 (new access)", code)
					}
				}
			})
		}
	}
}

// TestWhoCanCLI: iameval who-can on the example account finds alice's MFA
// bypass through DeployRole (her own policies deny S3 without MFA; its
// trust policy asks for no MFA), bob's way through AdminRole only with
// MFA, and an account outside the dump said to be assumed to allow;
// --without-mfa drops bob's; bad usage is exit 2.
func TestWhoCanCLI(t *testing.T) {
	inRoot(t)
	args := []string{"who-can", "--account", "testdata/account/paths-account.json", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-artifacts/build.zip"}
	code, out, errOut := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"user alice -> role DeployRole, with long-term keys, session without MFA, MFA: allowed by role DeployRole inline Deploy DeleteArtifacts  MFA BYPASS",
		"user bob -> role AdminRole, with MFA:",
		"arn:aws:iam::777788889999:root -> role OpenPartnerRole",
		"(its own account's policies assumed to allow)",
		"1 MFA bypass",
		"Callers: each user and role of the dump", // what is assumed, said
		"taken as the dump's account, 111122223333",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, append(args, "--without-mfa", "-o", "json")...)
	var doc struct {
		Queries []struct {
			Ways []struct {
				Start  string   `json:"start"`
				Roles  []string `json:"roles"`
				Bypass bool     `json:"bypass"`
			} `json:"ways"`
		} `json:"queries"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitOK || len(doc.Queries) != 1 {
		t.Fatalf("exit %d, %v, %d queries", code, err, len(doc.Queries))
	}
	for _, w := range doc.Queries[0].Ways {
		if w.Start == "user bob" {
			t.Errorf("--without-mfa kept bob's way, which needs MFA: %+v", w)
		}
	}
	// a pattern and an access level: the s3 actions that act on objects,
	// each answered; --without-mfa keeps a role's own way only when its
	// session can be had without MFA (AdminRole's needs MFA)
	code, out, errOut = runCLI(t, "who-can", "--account", "testdata/account/paths-account.json", "--action", "s3:Delete*", "--access-level", "write",
		"--resource", "arn:aws:s3:::prod-artifacts/build.zip", "--without-mfa")
	if code != exitOK || !strings.Contains(out, "Who can s3:DeleteObjectVersion on") || strings.Contains(out, "role AdminRole") ||
		!strings.Contains(out, "role DeployRole, directly (its session reached without MFA)") {
		t.Errorf("a pattern, --without-mfa: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, "who-can", "--account", "testdata/account/paths-account.json", "--access-level", "write", "--resource", "arn:aws:s3:::prod-artifacts/build.zip"); code != exitOK || strings.Count(out, "Who can ") < 10 {
		t.Errorf("--access-level alone: exit %d, %d actions", code, strings.Count(out, "Who can "))
	}
	for _, bad := range [][]string{
		{"who-can", "--action", "s3:DeleteObject", "--resource", "*"},
		{"who-can", "--account", "testdata/account/paths-account.json", "--action", "s3:Delete*", "--resource", "arn:aws:iam::111122223333:user/x"},
		{"who-can", "--account", "testdata/account/paths-account.json", "--resource", "arn:aws:s3:::b/k"},
		{"who-can", "--account", "no-such.json", "--action", "s3:DeleteObject", "--resource", "*"},
	} {
		if code, _, errOut := runCLI(t, bad...); code != exitUsage || errOut == "" {
			t.Errorf("%v: exit %d", bad, code)
		}
	}
}

// TestWhoCanGoldens: iameval who-can on the example account in every
// format (testdata/golden/whocan.*; go test ./cmd/iameval -update rewrites
// them): the MFA bypass through DeployRole, bob's way only with MFA (and
// on through DeployRole, role chaining), EC2Role's absence (it may not
// delete), the partner account's way assumed allowed on its side.
func TestWhoCanGoldens(t *testing.T) {
	inRoot(t)
	for _, format := range []string{"table", "json", "dot", "markdown"} {
		code, out, errOut := runCLI(t, "who-can", "--account", "testdata/account/paths-account.json", "--action", "s3:DeleteObject",
			"--resource", "arn:aws:s3:::prod-artifacts/build.zip", "-o", format)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		goldenAt(t, "whocan."+format, out)
	}
}

// TestWhoCanExposure: the example account's roles open to other accounts,
// one guarded by an external id, one by nothing; --exposure takes no
// request.
func TestWhoCanExposure(t *testing.T) {
	inRoot(t)
	code, out, errOut := runCLI(t, "who-can", "--account", "testdata/account/paths-account.json", "--exposure")
	if code != exitOK || !strings.Contains(out, "role PartnerRole <- arn:aws:iam::444455556666:root") ||
		!strings.Contains(out, "guarded by sts:ExternalId StringEquals partner-7f3a") || !strings.Contains(out, "role OpenPartnerRole <- arn:aws:iam::777788889999:root, with long-term keys, session without MFA, MFA: guarded by no condition") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	goldenAt(t, "whocan-exposure.json", func() string {
		_, out, _ := runCLI(t, "who-can", "--account", "testdata/account/paths-account.json", "--exposure", "-o", "json")
		return out
	}())
	if code, _, _ := runCLI(t, "who-can", "--account", "testdata/account/paths-account.json", "--exposure", "--action", "s3:GetObject"); code != exitUsage {
		t.Errorf("--exposure with a request: exit %d", code)
	}
}

// TestPathsGoldens: iameval paths on the example account in every format
// (testdata/golden/paths-*): mallory's escalation (she may attach a policy
// to herself), alice's MFA bypass to s3:DeleteObject through DeployRole,
// and the escalations bob reaches EC2Role by through AdminRole, with MFA.
func TestPathsGoldens(t *testing.T) {
	inRoot(t)
	runs := map[string][]string{
		"mallory": {"--from", "mallory"},
		"alice":   {"--from", "alice", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-artifacts/build.zip"},
		"bob":     {"--from", "bob", "--to", "EC2Role"},
	}
	for name, args := range runs {
		for _, format := range []string{"table", "json", "dot", "markdown"} {
			code, out, errOut := runCLI(t, append(append([]string{"paths", "--account", "testdata/account/paths-account.json"}, args...), "-o", format)...)
			if code != exitOK {
				t.Fatalf("%s %s: exit %d: %s", name, format, code, errOut)
			}
			goldenAt(t, "paths-"+name+"."+format, out)
		}
	}
	for _, bad := range [][]string{
		{"paths", "--account", "testdata/account/paths-account.json"},
		{"paths", "--account", "testdata/account/paths-account.json", "--from", "nobody"},
		{"paths", "--account", "testdata/account/paths-account.json", "--from", "bob", "--to", "alice"},
		{"paths", "--account", "testdata/account/paths-account.json", "--from", "bob", "--action", "s3:GetObject"},
	} {
		if code, _, errOut := runCLI(t, bad...); code != exitUsage || errOut == "" {
			t.Errorf("%v: exit %d", bad, code)
		}
	}
}

// TestWhoCanFilteredDump pins review 13 F7 for who-can: a dump filtered
// with get-account-authorization-details --filter leaves out the users or
// roles it was not asked for, and "0 ways" on it is said with what was not
// in the dump, in every format; the account id a dump without entities does
// not give is said as unknown, never blank.
func TestWhoCanFilteredDump(t *testing.T) {
	inRoot(t)
	tests := []struct {
		file string
		want []string
	}{
		{"testdata/account/filtered/groupsonly.json", []string{"users: the dump has no UserDetailList", "roles: the dump has no RoleDetailList", "taken as the dump's account, 210987654321"}},
		{"testdata/account/filtered/emptydump.json", []string{"taken as the dump's account, unknown"}},
	}
	for _, tc := range tests {
		for _, format := range []string{"table", "json", "markdown", "dot"} {
			code, out, errOut := runCLI(t, "who-can", "--account", tc.file, "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::b/k", "-o", format)
			if code != exitOK {
				t.Fatalf("%s %s: exit %d: %s", tc.file, format, code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s %s: no %q in\n%s", tc.file, format, w, out)
				}
			}
			if strings.Contains(out, "account, ;") {
				t.Errorf("%s %s: a blank account id:\n%s", tc.file, format, out)
			}
		}
	}
	// --exposure: the roles callers outside the account can assume are in
	// RoleDetailList; without it none was checked
	for _, format := range []string{"table", "json"} {
		_, out, _ := runCLI(t, "who-can", "--account", "testdata/account/filtered/groupsonly.json", "--exposure", "-o", format)
		if !strings.Contains(out, "roles: the dump has no RoleDetailList") {
			t.Errorf("--exposure %s does not say the roles were not in the dump:\n%s", format, out)
		}
	}
}

// TestPathsFilteredDump pins review 13 F7 for paths: a dump filtered with
// get-account-authorization-details --filter User holds no roles, so "0
// roles reached" on it is said with the roles not in the dump, in every
// format.
func TestPathsFilteredDump(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{"users.json": `{"UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::123456789012:user/alice", "GroupList": [], "AttachedManagedPolicies": [],
   "UserPolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}}]}]}`})
	for _, format := range []string{"table", "json", "markdown", "dot"} {
		code, out, errOut := runCLI(t, "paths", "--account", f["users.json"], "--from", "alice", "-o", format)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		if !strings.Contains(out, "roles: the dump has no RoleDetailList") {
			t.Errorf("%s does not say the roles were not in the dump:\n%s", format, out)
		}
	}
}
