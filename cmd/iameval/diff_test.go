package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/account/accounttest"
)

// The policies of the diff tests: a force-MFA policy, and its changes.
const (
	diffBase = `{"Version":"2012-10-17","Statement":[
 {"Sid":"AllowReports","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/*"},
 {"Sid":"DenyWithoutMFA","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},
 {"Sid":"RecentMFA","Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"NumericGreaterThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}}]}`
	// the same decisions: statements reordered and reformatted, Sids
	// renamed, a list split in two statements
	diffEquivalent = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "FreshForPuts", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*",
     "Condition": {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}},
    {"Sid": "Puts", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::reports/*"},
    {"Sid": "NoMFANoS3", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
    {"Sid": "Gets", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::reports/*"]}
  ]
}`
)

// diffJSON runs iameval diff -o json and decodes it.
func diffJSON(t *testing.T, args ...string) (int, diffDoc) {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"diff", "-o", "json"}, args...)...)
	var d diffDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("diff %v: exit %d, %v\n%s\n%s", args, code, err, out, errOut)
	}
	return code, d
}

type diffDoc struct {
	Summary struct {
		Principals int            `json:"principals"`
		Requests   int            `json:"requestsDecided"`
		Flips      map[string]int `json:"flips"`
		Sample     string         `json:"sample"`
		Text       string         `json:"text"`
	} `json:"summary"`
	Flips []struct {
		Kind        string   `json:"kind"`
		Principal   string   `json:"principal"`
		Action      string   `json:"action"`
		Resource    string   `json:"resource"`
		ActionSet   int      `json:"actionSet"`
		Credentials []string `json:"credentials"`
		Context     []string `json:"context"`
		New         struct {
			Decision   string `json:"decision"`
			Statements []struct {
				Sid  string `json:"sid"`
				Line int    `json:"line"`
			} `json:"statements"`
		} `json:"new"`
	} `json:"flips"`
	ActionSets []struct {
		ID      int `json:"id"`
		Actions []struct {
			Action string `json:"action"`
		} `json:"actions"`
	} `json:"actionSets"`
}

// TestDiffAcceptance pins the acceptance cases of iameval diff, each a
// decision AWS's evaluation logic makes: an unconditional Allow is new
// access (exit 1); Bool instead of BoolIfExists lets long-term keys, which
// carry no aws:MultiFactorAuthPresent, past the Deny (Bool on an absent key
// is false), and nothing else; a greater aws:MultiFactorAuthAge limit
// accepts the ages between; reordering, reformatting, Sid renames and a
// split list change no decision (exit 0).
func TestDiffAcceptance(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"base.json":       diffBase,
		"equivalent.json": diffEquivalent,
		"delete.json":     strings.Replace(diffBase, `"Statement":[`, `"Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*"},`, 1),
		"bool.json":       strings.Replace(diffBase, `{"BoolIfExists"`, `{"Bool"`, 1),
		"age.json":        strings.Replace(diffBase, `"3600"`, `"14400"`, 1),
	})
	// an unconditional Allow on s3:DeleteObject
	code, d := diffJSON(t, f["base.json"], f["delete.json"])
	if code != exitCheck || len(d.Flips) == 0 {
		t.Fatalf("Allow s3:DeleteObject: exit %d, %d flips", code, len(d.Flips))
	}
	for _, fl := range d.Flips {
		if fl.Action != "s3:DeleteObject" || fl.Kind != "mfa-weakened" && fl.Kind != "new-access" {
			t.Errorf("Allow s3:DeleteObject: flip %+v", fl)
		}
	}
	// the force-MFA Deny still applies to sessions without MFA, so only
	// long-term keys... and without any Deny on them, everyone
	if d.Summary.Flips["new-access"] == 0 {
		t.Errorf("Allow s3:DeleteObject: no new access: %+v", d.Summary)
	}

	// BoolIfExists -> Bool: MFA weakened, for long-term keys only
	code, d = diffJSON(t, f["base.json"], f["bool.json"])
	if code != exitCheck || len(d.Flips) == 0 {
		t.Fatalf("Bool: exit %d, %d flips", code, len(d.Flips))
	}
	for _, fl := range d.Flips {
		if fl.Kind != "mfa-weakened" || strings.Join(fl.Credentials, ",") != "long-term keys" {
			t.Errorf("Bool: flip %s %s on %s with %v, want mfa-weakened for long-term keys only", fl.Kind, fl.Action, fl.Resource, fl.Credentials)
		}
		if len(fl.New.Statements) == 0 || fl.New.Statements[0].Line == 0 {
			t.Errorf("Bool: the new side's statements are not placed: %+v", fl.New)
		}
	}

	// 3600 -> 14400: MFA weakened at the ages between, on s3:PutObject
	code, d = diffJSON(t, f["base.json"], f["age.json"])
	if code != exitCheck || len(d.Flips) != 1 {
		t.Fatalf("age: exit %d, flips %+v", code, d.Flips)
	}
	if fl := d.Flips[0]; fl.Kind != "mfa-weakened" || fl.Action != "s3:PutObject" ||
		strings.Join(fl.Credentials, ",") != "MFA age 3601s,MFA age 14399s,MFA age 14400s" {
		t.Errorf("age: %+v", fl)
	}

	// equivalent: no change, exit 0, in every format
	for _, o := range []string{"table", "json", "markdown", "sarif"} {
		code, out, errOut := runCLI(t, "diff", "-o", o, f["base.json"], f["equivalent.json"])
		if code != exitOK || errOut != "" {
			t.Errorf("equivalent, %s: exit %d, %s", o, code, errOut)
		}
		// every format says it, SARIF in its notifications
		for _, want := range []string{"No change in access", "systematic sample, not a proof", "Caller: none given", "Resources: those the policies name"} {
			if !strings.Contains(out, want) {
				t.Errorf("equivalent, %s: no %q:\n%s", o, want, out)
			}
		}
	}

	// --fail-on: lost access fails only when named
	if code, _, _ := runCLI(t, "diff", f["delete.json"], f["base.json"]); code != exitOK {
		t.Errorf("removing the Allow: exit %d under the default --fail-on", code)
	}
	if code, _, _ := runCLI(t, "diff", "--fail-on", "lost-access", f["delete.json"], f["base.json"]); code != exitCheck {
		t.Errorf("removing the Allow with --fail-on lost-access: exit %d", code)
	}
	if code, _, _ := runCLI(t, "diff", "--fail-on", "none", f["base.json"], f["delete.json"]); code != exitOK {
		t.Errorf("--fail-on none: exit %d", code)
	}
}

// TestDiffBadInput: what cannot be read, or compared, is exit 2.
func TestDiffBadInput(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{"p.json": diffBase, "broken.json": `{"Version":`})
	for _, args := range [][]string{
		{f["p.json"]},
		{f["p.json"], f["broken.json"]},
		{f["p.json"], "no-such-file.json"},
		{f["p.json"], exampleAccount},
		{"--fail-on", "everything", f["p.json"], f["p.json"]},
		{"--caller-arn", "alice", f["p.json"], f["p.json"]},
		{"--caller-arn", "arn:aws:iam::123456789012:user/a", exampleAccount, exampleAccount},
		{"git:", f["p.json"]},
	} {
		code, out, errOut := runCLI(t, append([]string{"diff"}, args...)...)
		if code != exitUsage || errOut == "" {
			t.Errorf("diff %v: exit %d, stdout %q stderr %q; want exit 2 and a message", args, code, out, errOut)
		}
	}
}

// TestDiffAccounts: two dumps where a user joins an administrators group:
// that user's new access is listed, nobody else's; every principal whose
// policies are the same on both sides is not compared.
func TestDiffAccounts(t *testing.T) {
	user := func(name string, groups ...string) map[string]any {
		return map[string]any{"Path": "/", "UserName": name, "UserId": "AIDA" + strings.ToUpper(name), "Arn": "arn:aws:iam::123456789012:user/" + name,
			"UserPolicyList": []any{}, "GroupList": groups, "AttachedManagedPolicies": []any{}, "Tags": []any{}}
	}
	group := func(name string, statement map[string]any) map[string]any {
		return map[string]any{"Path": "/", "GroupName": name, "GroupId": "AGPA" + strings.ToUpper(name), "Arn": "arn:aws:iam::123456789012:group/" + name,
			"GroupPolicyList": []any{map[string]any{"PolicyName": name, "PolicyDocument": map[string]any{
				"Version": "2012-10-17", "Statement": []any{statement}}}}, "AttachedManagedPolicies": []any{}}
	}
	dump := map[string]any{
		"UserDetailList": []any{user("alice", "Devs"), user("bob", "Devs"), user("carol")},
		"GroupDetailList": []any{
			group("Devs", map[string]any{"Effect": "Allow", "Action": []any{"s3:GetObject", "s3:PutObject"}, "Resource": "arn:aws:s3:::builds/*"}),
			group("Admins", map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}),
		},
		"RoleDetailList": []any{}, "Policies": []any{},
	}
	old, _ := json.MarshalIndent(dump, "", "    ")
	name := "bob"
	dump["UserDetailList"].([]any)[1].(map[string]any)["GroupList"] = []string{"Devs", "Admins"}
	new, _ := json.MarshalIndent(dump, "", "    ")
	f := writeFiles(t, map[string]string{"old.json": string(old), "new.json": string(new)})
	code, d := diffJSON(t, f["old.json"], f["new.json"])
	if code != exitCheck || len(d.Flips) == 0 {
		t.Fatalf("a user joins Admins: exit %d, %d flips", code, len(d.Flips))
	}
	actions := 0
	for _, fl := range d.Flips {
		if fl.Principal != "user "+name {
			t.Errorf("flip of %s, want only user %s's", fl.Principal, name)
		}
		if fl.Kind == "new-access" {
			for _, s := range d.ActionSets {
				if s.ID == fl.ActionSet {
					actions += len(s.Actions)
				}
			}
		}
	}
	if actions < 1000 {
		t.Errorf("user %s's new access lists %d actions; Action * grants thousands", name, actions)
	}
	if !strings.Contains(d.Summary.Text, "3 principals compared (2 with the same policies on both sides, skipped)") {
		t.Errorf("summary %q", d.Summary.Text)
	}
}

// TestDiffGit: a side read from git, as in a pull request's CI.
func TestDiffGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	if err := os.MkdirAll(filepath.Join(dir, "policies"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "policies", "s3.json")
	if err := os.WriteFile(p, []byte(diffBase), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", ".")
	git("commit", "-q", "-m", "base")
	if err := os.WriteFile(p, []byte(strings.Replace(diffBase, `{"BoolIfExists"`, `{"Bool"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out, errOut := runCLI(t, "diff", "git:HEAD:policies/", "policies/")
	if code != exitCheck || !strings.Contains(out, "MFA WEAKENED") || !strings.Contains(out, "HEAD:policies/s3.json") {
		t.Errorf("git side: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, _ = runCLI(t, "diff", "git:HEAD:policies/s3.json", "git:HEAD:policies/s3.json")
	if code != exitOK {
		t.Errorf("the same file at the same commit: exit %d", code)
	}
	if code, _, errOut := runCLI(t, "diff", "git:no-such-ref:policies/", "policies/"); code != exitUsage || errOut == "" {
		t.Errorf("a ref that does not exist: exit %d %q", code, errOut)
	}
	// the first change that adds a directory of policies: nothing before
	if err := os.MkdirAll(filepath.Join(dir, "added"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "added", "p.json"), []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:DeleteBucket","Resource":"*"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "diff", "git:HEAD:added/", "added/")
	if code != exitCheck || !strings.Contains(out, "NEW ACCESS") || !strings.Contains(errOut, "does not exist at HEAD") {
		t.Errorf("a directory the ref does not hold: exit %d\n%s\n%s", code, out, errOut)
	}
	if err := os.MkdirAll(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI(t, "diff", "empty/", "added/"); code != exitCheck || !strings.Contains(out, "NEW ACCESS") {
		t.Errorf("an empty directory before: exit %d\n%s", code, out)
	}
}

// TestDiffSARIF: a flip is a result at the statement of the new side that
// changed (code scanning annotates the lines a pull request changes): here
// the Deny whose BoolIfExists became Bool, not the Allow that now lets
// long-term keys through; the flips at one statement are one result, of the
// rule of their kind, an error when --fail-on names the kind.
func TestDiffSARIF(t *testing.T) {
	f := writeFiles(t, map[string]string{"base.json": diffBase, "bool.json": strings.Replace(diffBase, `{"BoolIfExists"`, `{"Bool"`, 1)})
	code, out, errOut := runCLI(t, "diff", "-o", "sarif", f["base.json"], f["bool.json"])
	if code != exitCheck {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	rs := log.Runs[0].Results
	if len(rs) != 1 {
		t.Fatalf("%d results, want one (two flips at one statement): %+v", len(rs), rs)
	}
	loc := rs[0].Locations[0].PhysicalLocation
	if r := rs[0]; r.RuleID != "DIFF002" || r.Level != "error" || !strings.HasSuffix(loc.ArtifactLocation.URI, "bool.json") || loc.Region.StartLine != 3 {
		t.Errorf("result %+v, want DIFF002 (mfa-weakened), error, at bool.json line 3 (the Deny)", r)
	}
}

// TestDiffPolicySets: a suite file is a policy set file whatever else it
// holds (a principal, inline policies, cases); a bucket policy opened to
// "*" is new access for an unsigned request ("*" includes anonymous
// callers, AWS's Principal element page), compared as a caller the policy
// names; a role's trust policy changed between dumps is decided for the
// callers of both sides, never hidden behind "No change in access".
func TestDiffPolicySets(t *testing.T) {
	inRoot(t)
	if code, out, errOut := runCLI(t, "diff", "examples/mfa.iamtest.json", "examples/mfa.iamtest.json"); code != exitOK || !strings.Contains(out, "No change in access") {
		t.Errorf("a suite against itself: exit %d\n%s%s", code, out, errOut)
	}
	set := func(principal string) string {
		return `{"principal": "arn:aws:iam::123456789012:user/alice", "policies": {
  "reader": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::corp-data/*"}},
  "bucket": {"Version": "2012-10-17", "Statement": {"Sid": "Partner", "Effect": "Allow", "Principal": ` + principal + `, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::corp-data/*"}}},
 "sets": {"data": {"identity": ["reader"], "resource": "bucket", "resourceOwner": "123456789012"}},
 "cases": []}`
	}
	f := writeFiles(t, map[string]string{"old.iamtest.json": set(`{"AWS": "arn:aws:iam::444455556666:user/mallory"}`), "new.iamtest.json": set(`"*"`)})
	code, d := diffJSON(t, f["old.iamtest.json"], f["new.iamtest.json"])
	// "*" opens it to unsigned requests, to every principal of another
	// account (mallory's was already open) and to every principal of the
	// owner's account, by the bucket policy alone (review 14 J)
	if code != exitCheck || len(d.Flips) != 3 || d.Flips[0].Principal != "data as anonymous (an unsigned request)" || d.Flips[0].Kind != "new-access" ||
		!strings.HasPrefix(d.Flips[1].Principal, "data as any principal of another account (") || d.Flips[1].Kind != "new-access" ||
		!strings.HasPrefix(d.Flips[2].Principal, "data as any principal of the owner's account (") || d.Flips[2].Kind != "new-access" {
		t.Errorf("a bucket opened to everyone: exit %d, flips %+v", code, d.Flips)
	}

	// a trust policy that no longer asks MFA: who may assume the role is
	// decided on both sides (its trust policy names its own account: an
	// identity Allow lets the account's users in, Principal element page),
	// and the user whose policy allows sts:AssumeRole on it no longer needs
	// MFA
	role := func(cond string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "ops", "UserId": "AIDAOPS", "Arn": "arn:aws:iam::123456789012:user/ops", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "assume", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/Admin"}}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "Admin", "RoleId": "AROAADMIN", "Arn": "arn:aws:iam::123456789012:role/Admin",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"` + cond + `}},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}]}`
	}
	f = writeFiles(t, map[string]string{"old.json": role(`, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}`), "new.json": role("")})
	code, out, _ := runCLI(t, "diff", f["old.json"], f["new.json"])
	if code != exitCheck || strings.Contains(out, "No change in access") || !strings.Contains(out, "MFA WEAKENED") ||
		!strings.Contains(out, "user ops: sts:AssumeRole on arn:aws:iam::123456789012:role/Admin") {
		t.Errorf("a trust policy no longer asks MFA: exit %d\n%s", code, out)
	}
}

// TestDiffFailOnNotChecked: --fail-on not-checked makes what could not be
// checked fail CI (without a caller, a Resource entry with
// ${aws:username} has no value: the request context of the simulator
// without CallerArn holds no aws:username), where the default only says
// it.
func TestDiffFailOnNotChecked(t *testing.T) {
	pol := func(action string) string {
		return `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "` + action + `", "Resource": "arn:aws:s3:::home/${aws:username}/*"}}`
	}
	f := writeFiles(t, map[string]string{"old.json": pol("s3:GetObject"), "new.json": pol("s3:PutObject")})
	if code, _, _ := runCLI(t, "diff", "--fail-on", "lost-access", f["old.json"], f["new.json"]); code != exitOK {
		t.Errorf("--fail-on lost-access: exit %d", code)
	}
	if code, _, errOut := runCLI(t, "diff", "--fail-on", "lost-access,not-checked", f["old.json"], f["new.json"]); code != exitCheck || !strings.Contains(errOut, "not checked") {
		t.Errorf("--fail-on not-checked: exit %d %q", code, errOut)
	}
	// a role's trust policy changed where the decision needs a key the
	// dump cannot give (aws:SourceIp, the caller's address): decided at
	// the addresses that tell the two ranges apart (review 14 B), new
	// access; one whose value names a policy variable the caller has no
	// value for (ops has no tag vpce) is not checked
	role := func(cidr string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "ops", "UserId": "AIDAOPS", "Arn": "arn:aws:iam::123456789012:user/ops", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "assume", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/Admin"}}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "Admin", "RoleId": "AROAADMIN", "Arn": "arn:aws:iam::123456789012:role/Admin",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole",
     "Condition": {"IpAddress": {"aws:SourceIp": "` + cidr + `"}}}},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}]}`
	}
	f = writeFiles(t, map[string]string{"old.json": role("10.0.0.0/16"), "new.json": role("10.0.0.0/8")})
	if code, out, _ := runCLI(t, "diff", f["old.json"], f["new.json"]); code != exitCheck || !strings.Contains(out, "user ops: sts:AssumeRole on arn:aws:iam::123456789012:role/Admin with aws:SourceIp=10.1.0.0") {
		t.Errorf("a trust policy changed on aws:SourceIp, default --fail-on: exit %d\n%s", code, out)
	}
	vpce := func(cond string) string {
		return strings.Replace(role("10.0.0.0/8"), `"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}`, cond, 1)
	}
	f = writeFiles(t, map[string]string{"old.json": vpce(`"StringEquals": {"aws:SourceVpce": "vpce-1"}`), "new.json": vpce(`"StringEquals": {"aws:SourceVpce": "${aws:PrincipalTag/vpce}"}`)})
	if code, out, _ := runCLI(t, "diff", f["old.json"], f["new.json"]); code != exitOK || !strings.Contains(out, "role Admin: sts:AssumeRole by user ops") {
		t.Errorf("a trust policy changed on a variable the caller cannot fill, default --fail-on: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "diff", "--fail-on", "new-access,not-checked", f["old.json"], f["new.json"]); code != exitCheck || !strings.Contains(errOut, "not checked") {
		t.Errorf("a trust policy changed on a variable the caller cannot fill, --fail-on not-checked: exit %d %q", code, errOut)
	}
}

// TestDiffResourcePolicyFile: a policy file with Principal is a resource
// policy (a bucket policy, as lint finds it); diff compares a plain file as
// identity policies, which cannot hold Principal (IAM JSON reference,
// Principal: "You cannot use the Principal element in an IAM identity-based
// policy"): exit 2, with a message that says how to compare it — a policy
// set file whose set names it as "resource".
func TestDiffResourcePolicyFile(t *testing.T) {
	bp := func(acct string) string {
		return `{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:role/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}`
	}
	f := writeFiles(t, map[string]string{"old-bp.json": bp("111122223333"), "new-bp.json": bp("444455556666")})
	code, out, errOut := runCLI(t, "diff", f["old-bp.json"], f["new-bp.json"])
	if code != exitUsage {
		t.Errorf("two bucket policies: exit %d, want 2\n%s", code, out)
	}
	for _, want := range []string{"resource policy", `"resource"`, `"sets"`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("two bucket policies: the message does not say %s:\n%s", want, errOut)
		}
	}
}

// TestDiffResourceOwnerUnknown: a bucket policy whose resource ARN names no
// account and whose set gives no resourceOwner: the owner is not known, so
// each caller is decided both as of the owner's account and as of another
// (a cross-account request is allowed only when the resource policy allows
// it, AWS's cross-account policy evaluation logic; same-account, either
// side may allow): a grant moved from reader to other is new access for
// other and lost access for reader, and the owner used is said in every
// format.
func TestDiffResourceOwnerUnknown(t *testing.T) {
	inRoot(t)
	dir := "testdata/diff/bucket/"
	code, d := diffJSON(t, "--fail-on", "new-access,lost-access", dir+"set-old.json", dir+"set-new3.json")
	if code != exitCheck {
		t.Errorf("a grant moved from reader to other: exit %d, want 1", code)
	}
	var got []string
	for _, f := range d.Flips {
		got = append(got, f.Kind+" "+f.Principal)
	}
	for _, want := range []string{"new-access bucket as arn:aws:iam::444455556666:role/other", "lost-access bucket as arn:aws:iam::111122223333:role/reader"} {
		if !slices.ContainsFunc(got, func(g string) bool {
			return strings.HasPrefix(g, want) && strings.Contains(g, "an account other than the caller's")
		}) {
			t.Errorf("want a flip %q (resource owner: an account other than the caller's); got %q", want, got)
		}
	}
	for _, format := range []string{"table", "json", "markdown", "sarif"} {
		_, out, _ := runCLI(t, "diff", "-o", format, dir+"set-old.json", dir+"set-old.json")
		if !strings.Contains(out, "an account other than the caller's") {
			t.Errorf("-o %s does not say which resource owner it used:\n%s", format, out)
		}
	}
}

// TestDiffAnyPrincipalOfAnotherAccount: a bucket policy opened to
// Principal {"AWS": "*"} within the organization o-abc grants any
// authenticated principal of the organization ("*" with
// aws:PrincipalOrgID, AWS's Principal element page) and no unsigned
// request: the change is new access for a caller that stands for any
// principal of another account, labelled so, never for anonymous.
func TestDiffAnyPrincipalOfAnotherAccount(t *testing.T) {
	inRoot(t)
	dir := "testdata/diff/bucket/"
	code, d := diffJSON(t, dir+"set-old.json", dir+"set-new.json")
	if code != exitCheck {
		t.Errorf("bucket opened to the organization: exit %d, want 1", code)
	}
	found := false
	for _, f := range d.Flips {
		if strings.Contains(f.Principal, "anonymous") {
			t.Errorf("a flip of the anonymous caller: %+v", f)
		}
		if f.Kind == "new-access" && strings.Contains(f.Principal, "any principal of another account") && strings.Contains(f.Principal, "stands for any AWS principal") {
			found = true
		}
	}
	if !found {
		t.Errorf("no new access for any principal of another account: %+v", d.Flips)
	}
}

// TestDiffAccountSameMeaning: an account dump re-indented, or with its
// Sids renamed, is the same account (a statement's meaning does not depend
// on whitespace, key order or its Sid, which is "an optional identifier",
// IAM JSON reference): every principal is skipped as the same, no trust
// policy is said changed, and --fail-on not-checked passes.
func TestDiffAccountSameMeaning(t *testing.T) {
	inRoot(t)
	dir := "testdata/diff/account/"
	for _, other := range []string{"acct-reformatted.json", "acct-sids.json"} {
		code, out, errOut := runCLI(t, "diff", "--fail-on", "new-access,lost-access,mfa-weakened,mfa-strengthened,not-checked", dir+"acct-base.json", dir+other)
		if code != exitOK || !strings.Contains(out, "No change in access.") || strings.Contains(out, "NOT CHECKED") {
			t.Errorf("acct-base -> %s: exit %d\n%s%s", other, code, out, errOut)
		}
		if !strings.Contains(out, "10 principals compared (10 with the same policies on both sides, skipped)") {
			t.Errorf("acct-base -> %s: not every principal skipped as the same:\n%s", other, out)
		}
	}
}

// TestDiffAccountTrustOpened: EC2Role's trust policy changed from the
// service ec2.amazonaws.com to Principal {"AWS": "*"}: any AWS principal
// of any account may now assume it (AWS's Principal element page: "*"
// grants everyone), and the dump's users whose policies allow
// sts:AssumeRole on it: new access on sts:AssumeRole, reported (exit 1 by
// default), for a caller that says it stands for any AWS principal, in
// every format, and for the dump's users whose policies allow it.
func TestDiffAccountTrustOpened(t *testing.T) {
	inRoot(t)
	dir := "testdata/diff/account/"
	code, d := diffJSON(t, dir+"acct-base.json", dir+"acct-publictrust.json")
	if code != exitCheck {
		t.Errorf("EC2Role opened to *: exit %d, want 1", code)
	}
	var any bool
	for _, f := range d.Flips {
		if f.Action != "sts:AssumeRole" || !strings.HasSuffix(f.Resource, ":role/EC2Role") {
			t.Errorf("a flip beyond sts:AssumeRole on EC2Role: %+v", f)
		}
		if f.Kind == "new-access" && strings.Contains(f.Principal, "any principal of another account") && strings.Contains(f.Principal, "stands for any AWS principal") {
			any = true
		}
	}
	if !any {
		t.Errorf("want new access for any principal of another account: %+v", d.Flips)
	}
	for _, format := range []string{"table", "markdown", "sarif"} {
		_, out, _ := runCLI(t, "diff", "-o", format, dir+"acct-base.json", dir+"acct-publictrust.json")
		if !strings.Contains(out, "stands for any AWS principal") {
			t.Errorf("-o %s does not say what the caller stands for:\n%s", format, out)
		}
	}
}

// TestDiffAccountTrustMFAAge: a trust policy that accepts an older MFA
// session (NumericLessThan aws:MultiFactorAuthAge 3600 -> 7200: the
// condition operators page, a session older than the value fails) is MFA
// weakened for the user whose policy allows sts:AssumeRole on the role,
// at an age between the two; the reverse is MFA strengthened.
func TestDiffAccountTrustMFAAge(t *testing.T) {
	role := func(age string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "ops", "UserId": "AIDAOPS", "Arn": "arn:aws:iam::123456789012:user/ops", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "assume", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/Admin"}}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "Admin", "RoleId": "AROAADMIN", "Arn": "arn:aws:iam::123456789012:role/Admin",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole",
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "NumericLessThan": {"aws:MultiFactorAuthAge": "` + age + `"}}}},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}]}`
	}
	f := writeFiles(t, map[string]string{"3600.json": role("3600"), "7200.json": role("7200")})
	for _, tc := range []struct{ old, new, kind string }{{"3600.json", "7200.json", "mfa-weakened"}, {"7200.json", "3600.json", "mfa-strengthened"}} {
		_, d := diffJSON(t, "--fail-on", "none", f[tc.old], f[tc.new])
		if len(d.Flips) != 1 || d.Flips[0].Kind != tc.kind || d.Flips[0].Principal != "user ops" {
			t.Errorf("%s -> %s: want one %s flip of user ops, got %+v", tc.old, tc.new, tc.kind, d.Flips)
		}
	}
}

// TestDiffAccountTrustCallerValues pins review 14 A: the values a caller
// passes in its sts:AssumeRole call (ExternalId, RoleSessionName,
// SourceIdentity: the AssumeRole API reference's parameters, which the
// trust policy tests as sts:ExternalId, sts:RoleSessionName and
// sts:SourceIdentity) are the caller's to choose, so two trust policies
// that each admit the caller with some values still differ when they admit
// it with different ones: a trust policy that drops the ExternalId
// condition admits calls without it (new access), one that asks "xyz"
// instead of "abc" admits "xyz" and no longer "abc" (new and lost access).
// Each side is decided with the values either side names, and with none.
func TestDiffAccountTrustCallerValues(t *testing.T) {
	role := func(cond string) string {
		c := ""
		if cond != "" {
			c = `, "Condition": ` + cond
		}
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::210987654321:user/alice", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "A", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"], "Resource": "*"}}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "X", "RoleId": "AROAX", "Arn": "arn:aws:iam::210987654321:role/X",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::210987654321:user/alice"]}, "Action": "sts:AssumeRole"` + c + `}},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}]}`
	}
	f := writeFiles(t, map[string]string{
		"abc.json":      role(`{"StringEquals": {"sts:ExternalId": "abc"}}`),
		"none.json":     role(""),
		"xyz.json":      role(`{"StringEquals": {"sts:ExternalId": "xyz"}}`),
		"ifexists.json": role(`{"StringEqualsIfExists": {"sts:ExternalId": "abc"}}`),
		"sess-old.json": role(`{"StringEquals": {"sts:RoleSessionName": "${aws:username}"}}`),
		"sess-new.json": role(`{"StringLike": {"sts:RoleSessionName": "*"}}`),
		"si-old.json":   role(`{"StringEquals": {"sts:SourceIdentity": "alice"}}`),
	})
	for _, tc := range []struct {
		old, new string
		want     []string // kind and context of flips of 111122223333:root or alice
	}{
		{"abc.json", "none.json", []string{"new-access sts:ExternalId absent"}},
		{"abc.json", "ifexists.json", []string{"new-access sts:ExternalId absent"}},
		{"abc.json", "xyz.json", []string{"new-access sts:ExternalId=xyz", "lost-access sts:ExternalId=abc"}},
		{"sess-old.json", "sess-new.json", []string{"new-access sts:RoleSessionName="}},
		{"si-old.json", "none.json", []string{"new-access sts:SourceIdentity absent"}},
	} {
		code, d := diffJSON(t, "--fail-on", "new-access,not-checked", f[tc.old], f[tc.new])
		if code != exitCheck {
			t.Errorf("%s -> %s: exit %d, want 1", tc.old, tc.new, code)
		}
		// review 14 V: neither side names "*", so no caller stands for it
		if _, out, _ := runCLI(t, "diff", f[tc.old], f[tc.new]); strings.Contains(out, `the trust policy's "*"`) {
			t.Errorf("%s -> %s: a caller \"*\" neither trust policy names:\n%s", tc.old, tc.new, out)
		}
		for _, w := range tc.want {
			found := false
			for _, fl := range d.Flips {
				if fl.Action == "sts:AssumeRole" && fl.Kind+" "+strings.Join(fl.Context, " ") == w {
					found = true
				}
			}
			if !found {
				t.Errorf("%s -> %s: want a flip %q, got %+v", tc.old, tc.new, w, d.Flips)
			}
		}
	}
}

// TestDiffFilteredDump pins review 13 F7 for diff: a dump filtered with
// get-account-authorization-details --filter leaves out the users or roles
// it was not asked for, so "no change in access" on it is not said: the
// lists a side lacks are not checked, in every format, and --fail-on
// not-checked fails.
func TestDiffFilteredDump(t *testing.T) {
	inRoot(t)
	// --filter LocalManagedPolicy AWSManagedPolicy: Policies alone, a dump all the same
	code, out, errOut := runCLI(t, "diff", "testdata/account/filtered/policiesonly.json", "testdata/account/filtered/policiesonly.json", "-o", "json", "--fail-on", "not-checked")
	if code != exitCheck || !strings.Contains(out, "the dump has no UserDetailList") {
		t.Errorf("a dump of Policies alone: exit %d (%s)\n%s", code, errOut, out)
	}
	const dump = "testdata/account/filtered/groupsonly.json"
	code, out, errOut = runCLI(t, "diff", dump, dump, "-o", "json", "--fail-on", "not-checked")
	if code != exitCheck {
		t.Errorf("--fail-on not-checked: exit %d (%s), want %d", code, errOut, exitCheck)
	}
	for _, w := range []string{"the dump has no UserDetailList", "the dump has no RoleDetailList"} {
		if !strings.Contains(out, w) {
			t.Errorf("json: no %q in\n%s", w, out)
		}
	}
	for _, format := range []string{"table", "markdown"} {
		_, out, _ := runCLI(t, "diff", dump, dump, "-o", format)
		if strings.Contains(out, "No change in access.") || !strings.Contains(out, "the dump has no UserDetailList") {
			t.Errorf("%s: a filtered dump compared as a whole account:\n%s", format, out)
		}
	}
}

// TestDiffOneSideFiltered pins review 14 E: when one side's dump leaves a
// list out (get-account-authorization-details --filter User prints no
// RoleDetailList), that side says nothing of the list's principals, so they
// are not compared at all (README: only said not checked) — never lost
// access for every role on one side and new access on the other.
func TestDiffOneSideFiltered(t *testing.T) {
	inRoot(t)
	full, err := os.ReadFile("testdata/account/paths-account.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(full, &m); err != nil {
		t.Fatal(err)
	}
	if len(m["RoleDetailList"].([]any)) == 0 {
		t.Fatal("the dump has no roles to leave out")
	}
	delete(m, "RoleDetailList")
	b, _ := json.Marshal(m)
	f := writeFiles(t, map[string]string{"users.json": string(b)})
	for _, args := range [][]string{{"testdata/account/paths-account.json", f["users.json"]}, {f["users.json"], "testdata/account/paths-account.json"}} {
		code, d := diffJSON(t, append([]string{"--fail-on", "new-access,lost-access"}, args...)...)
		if code != exitOK || len(d.Flips) != 0 {
			t.Errorf("%v: exit %d, flips %+v; want none (the roles are not compared)", args, code, d.Flips)
		}
		_, out, _ := runCLI(t, "diff", "--fail-on", "not-checked", args[0], args[1])
		if !strings.Contains(out, "the dump has no RoleDetailList") {
			t.Errorf("%v: the roles not said not checked:\n%s", args, out)
		}
	}
}

// TestDiffAccountTrustProbes pins review 14 B: a trust policy whose
// condition on a key the request lacks widens (aws:SourceIp 10.0.0.0/8 ->
// 10.0.0.0/7: the condition operators page, IpAddress matches the range;
// a GitHub OIDC sub repo:octo-org/octo-repo:ref:refs/heads/main ->
// repo:octo-org/*, StringLike's * matching any characters) is new access
// at the values that tell the two apart, as identity-policy diffs find it:
// both sides are decided with the probes of every value either names.
func TestDiffAccountTrustProbes(t *testing.T) {
	role := func(principal, action, cond string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::210987654321:user/alice", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "A", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "X", "RoleId": "AROAX", "Arn": "arn:aws:iam::210987654321:role/X",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": ` + principal + `, "Action": "` + action + `", "Condition": ` + cond + `}},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}]}`
	}
	const alice = `{"AWS": "arn:aws:iam::210987654321:user/alice"}`
	const gh = `{"Federated": "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com"}`
	fed := func(sub string) string {
		return role(gh, "sts:AssumeRoleWithWebIdentity", `{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "`+sub+`"}}`)
	}
	f := writeFiles(t, map[string]string{
		"ip-old.json":  role(alice, "sts:AssumeRole", `{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`),
		"ip-new.json":  role(alice, "sts:AssumeRole", `{"IpAddress": {"aws:SourceIp": "10.0.0.0/7"}}`),
		"fed-old.json": fed("repo:octo-org/octo-repo:ref:refs/heads/main"),
		"fed-new.json": fed("repo:octo-org/*"),
	})
	for _, tc := range []struct{ old, new, action, context string }{
		{"ip-old.json", "ip-new.json", "sts:AssumeRole", "aws:SourceIp=11.0.0.0"},
		{"fed-old.json", "fed-new.json", "sts:AssumeRoleWithWebIdentity", "token.actions.githubusercontent.com:sub=repo:octo-org/x"},
	} {
		code, d := diffJSON(t, f[tc.old], f[tc.new])
		if code != exitCheck {
			t.Errorf("%s -> %s: exit %d, want 1", tc.old, tc.new, code)
		}
		found := false
		for _, fl := range d.Flips {
			if fl.Kind == "new-access" && fl.Action == tc.action && slices.Contains(fl.Context, tc.context) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s -> %s: want new access with %s, got %+v", tc.old, tc.new, tc.context, d.Flips)
		}
	}
}

// TestDiffOwnerNamedByARN pins review 14 H: a resource ARN that names an
// account is owned by that account (ARN format: the account-id is "the ID
// of the AWS account that owns the resource"); only an ARN that names none
// (an S3 bucket) has no known owner and is decided both ways. A role's
// trust policy as a set's resource policy, given no resourceOwner, is
// never said to be owned by another account than its ARN's.
func TestDiffOwnerNamedByARN(t *testing.T) {
	trust := func(cond string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"` + cond + `}]}`
	}
	f := writeFiles(t, map[string]string{
		"t-old.json": trust(`,"Condition":{"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"aws:username":"nobody"}}`),
		"t-new.json": trust(""),
		"old.json":   `{"policies":{"t":"t-old.json"},"sets":{"role":{"resource":"t"}}}`,
		"new.json":   `{"policies":{"t":"t-new.json"},"sets":{"role":{"resource":"t"}}}`,
	})
	code, d := diffJSON(t, f["old.json"], f["new.json"])
	if code != exitCheck || len(d.Flips) == 0 {
		t.Fatalf("exit %d, flips %+v: want new access", code, d.Flips)
	}
	for _, fl := range d.Flips {
		if strings.Contains(fl.Principal, "where the resource ARN names none") {
			t.Errorf("%s on %s: another owner for an ARN that names 111122223333: %s", fl.Action, fl.Resource, fl.Principal)
		}
	}
}

// TestDiffCallerDerivedKeys pins review 14 F: kms:CallerAccount is "the
// AWS account ID of the caller" (AWS KMS condition keys), so a caller of
// another account never carries the key policy's account in it, and AWS
// KMS takes no unsigned request (every request is signed): AWS's
// documented EBS statement of a key policy (Principal "*" with
// kms:CallerAccount 111122223333 and kms:ViaService) grants nothing to
// anonymous callers nor to any principal of another account.
func TestDiffCallerDerivedKeys(t *testing.T) {
	const own = `{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`
	const ebs = `{"Sid":"EBS","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:CreateGrant","kms:DescribeKey"],"Resource":"*",
 "Condition":{"StringEquals":{"kms:CallerAccount":"111122223333","kms:ViaService":"ec2.us-west-2.amazonaws.com"}}}`
	f := writeFiles(t, map[string]string{
		"k-old.json": `{"Version":"2012-10-17","Statement":[` + own + `]}`,
		"k-new.json": `{"Version":"2012-10-17","Statement":[` + own + `,` + ebs + `]}`,
		"old.json":   `{"policies":{"k":"k-old.json"},"sets":{"key":{"resource":"k"}}}`,
		"new.json":   `{"policies":{"k":"k-new.json"},"sets":{"key":{"resource":"k"}}}`,
	})
	_, d := diffJSON(t, "--fail-on", "none", f["old.json"], f["new.json"])
	for _, fl := range d.Flips {
		if strings.Contains(fl.Principal, "anonymous") || strings.Contains(fl.Principal, "another account") {
			t.Errorf("%s %s for %s: kms:CallerAccount is the caller's own account, and KMS takes no unsigned request", fl.Kind, fl.Action, fl.Principal)
		}
	}
}

// TestDiffOwnerAccountPrincipal pins review 14 J: a resource policy's
// Principal "*" grants principals of the owner's own account too (a
// same-account request is allowed when the identity or the resource policy
// allows it: policy evaluation logic, "within a single account"), so a new
// statement granting "*" with aws:PrincipalAccount equal to the owner is
// new access for any principal of the owner's account, even without
// --caller-arn.
func TestDiffOwnerAccountPrincipal(t *testing.T) {
	const partner = `{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}`
	const everyone = `{"Sid":"Everyone","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}}`
	f := writeFiles(t, map[string]string{
		"b-old.json": `{"Version":"2012-10-17","Statement":[` + partner + `]}`,
		"b-new.json": `{"Version":"2012-10-17","Statement":[` + partner + `,` + everyone + `]}`,
		"old.json":   `{"policies":{"b":"b-old.json"},"sets":{"bucket":{"resource":"b","resourceOwner":"123456789012"}}}`,
		"new.json":   `{"policies":{"b":"b-new.json"},"sets":{"bucket":{"resource":"b","resourceOwner":"123456789012"}}}`,
	})
	code, d := diffJSON(t, f["old.json"], f["new.json"])
	found := false
	for _, fl := range d.Flips {
		if fl.Kind == "new-access" && fl.Action == "s3:GetObject" && strings.Contains(fl.Principal, "any principal of the owner's account") {
			found = true
		}
	}
	if code != exitCheck || !found {
		t.Errorf("exit %d, flips %+v: want new access for any principal of the owner's account", code, d.Flips)
	}
}

// TestDiffAccountTrustOrgID pins review 14 I: an account dump does not say
// whether the account is in an AWS Organization, so aws:PrincipalOrgID
// (the caller's organization, global condition keys page) is tried both
// absent and at the organization the trust policy names, and the flip says
// which: a trust policy opened from aws:PrincipalOrgID o-abc123 to "*" is
// new access for callers without that organization, said as such.
func TestDiffAccountTrustOrgID(t *testing.T) {
	role := func(cond string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::210987654321:user/alice", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "A", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "X", "RoleId": "AROAX", "Arn": "arn:aws:iam::210987654321:role/X",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"` + cond + `}},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}]}`
	}
	f := writeFiles(t, map[string]string{
		"org.json":  role(`, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}`),
		"star.json": role(""),
	})
	code, d := diffJSON(t, f["org.json"], f["star.json"])
	var ctx []string
	for _, fl := range d.Flips {
		if fl.Principal == "user alice" {
			ctx = append(ctx, fl.Context...)
		}
	}
	// and in another organization than the one named (a value no
	// statement names is tried too: TestDiffUnnamedValueOfAKeyThatMayBeAbsent)
	if code != exitCheck || !slices.Contains(ctx, "aws:PrincipalOrgID absent") || !slices.Contains(ctx, "aws:PrincipalOrgID=other") {
		t.Errorf("exit %d, flips %+v: want new access for user alice said to be with aws:PrincipalOrgID absent, and in another organization", code, d.Flips)
	}
}

// TestDiffResourceCallersCompared pins review 14 R: a bucket policy that
// names its callers is compared for each of them in a pair of its own, so
// the pair without a caller does not say that what the policy grants was
// not compared (no false "not checked", and --fail-on not-checked passes);
// one that grants "*" with no resourceOwner still says it, as principals of
// the unknown owner's account are not compared.
func TestDiffResourceCallersCompared(t *testing.T) {
	bp := func(principal, action string) string {
		return `{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":` + principal + `,"Action":"` + action + `","Resource":"arn:aws:s3:::shared/*"}]}`
	}
	f := writeFiles(t, map[string]string{
		"b-old.json":    bp(`{"AWS":"arn:aws:iam::111122223333:role/reader"}`, "s3:GetObject"),
		"b-new.json":    bp(`{"AWS":"arn:aws:iam::111122223333:role/reader"}`, "s3:PutObject"),
		"star-new.json": bp(`"*"`, "s3:GetObject"),
		"old.json":      `{"policies":{"b":"b-old.json"},"sets":{"bucket":{"resource":"b"}}}`,
		"new.json":      `{"policies":{"b":"b-new.json"},"sets":{"bucket":{"resource":"b"}}}`,
		"star.json":     `{"policies":{"b":"star-new.json"},"sets":{"bucket":{"resource":"b"}}}`,
	})
	if code, out, errOut := runCLI(t, "diff", "--fail-on", "not-checked", f["old.json"], f["new.json"]); code != exitOK || strings.Contains(out, "allows nobody") {
		t.Errorf("a bucket policy naming its one caller: exit %d %s\n%s", code, errOut, out)
	}
	if _, out, _ := runCLI(t, "diff", "--fail-on", "none", f["old.json"], f["star.json"]); !strings.Contains(out, "allows nobody") {
		t.Errorf("a bucket policy granting \"*\" with no owner: the owner's account not said not checked:\n%s", out)
	}
}

// TestDiffTrustPolicyFile pins review 14 S: a role's trust policy (aws iam
// get-role output, its AssumeRolePolicyDocument) given as plain policies is
// said to be a trust policy, with advice that works: account dumps, or a
// set naming the bare document; never "a bucket, queue or key policy".
func TestDiffTrustPolicyFile(t *testing.T) {
	f := writeFiles(t, map[string]string{"role.json": `{"Role":{"RoleName":"X","Arn":"arn:aws:iam::111122223333:role/X","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}}}`})
	code, _, errOut := runCLI(t, "diff", f["role.json"], f["role.json"])
	if code != exitUsage || !strings.Contains(errOut, "a role's trust policy") || !strings.Contains(errOut, "--query Role.AssumeRolePolicyDocument") || strings.Contains(errOut, "bucket, queue or key") {
		t.Errorf("a trust policy file: exit %d\n%s", code, errOut)
	}
}

// TestDiffAccountsSameEveryRun: the principals of two dumps are compared
// on every core in no set order; the action sets their flips share are
// numbered in the order the flips first name them, so a report (its
// "actionSet" references and "actionSets" ids) is the same from run to
// run (they were numbered as made, and two runs of the same diff
// differed).
func TestDiffAccountsSameEveryRun(t *testing.T) {
	if testing.Short() {
		t.Skip("two 300-user dumps")
	}
	dir := t.TempDir()
	old, new := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	if err := os.WriteFile(old, accounttest.CLIDump(300), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(new, accounttest.CLIDumpWith(300, accounttest.Options{Copies: true}), 0o644); err != nil {
		t.Fatal(err)
	}
	var first string
	for run := 0; run < 3; run++ {
		code, out, errOut := runCLI(t, "diff", old, new, "-o", "json")
		if code != exitCheck {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var doc struct {
			Flips []struct {
				ActionSet int `json:"actionSet"`
			} `json:"flips"`
			ActionSets []struct {
				ID int `json:"id"`
			} `json:"actionSets"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		next := 1
		for i, f := range doc.Flips {
			if f.ActionSet > next {
				t.Fatalf("flip %d names action set %d before set %d was named", i, f.ActionSet, next)
			}
			if f.ActionSet == next {
				next++
			}
		}
		if next < 10 {
			t.Fatalf("%d action sets: the dumps no longer make the sets this test is about", next-1)
		}
		if run == 0 {
			first = out
		} else if out != first {
			t.Fatalf("run %d of the same diff differs from the first", run+1)
		}
	}
}

// TestDiffNoFlipOnAnotherType pins a helper's find: iameval diff listed
// "sts:AssumeRoleWithSAML on arn:aws:iam::123456789012:user/u0" among the
// new access of a changed policy. The Service Authorization Reference gives
// sts:AssumeRoleWithSAML the role type alone (and
// ec2:AssociateEnclaveCertificateIamRole a certificate and a role): no
// request for them names an IAM user, so a change on such an entry flips
// nothing, while the same change on a role does (sts:TagSession here, whose
// one type is role too: sts:AssumeRoleWithSAML is not the caller's request
// at all, TestDiffFederatedAssumeNotTheCallers).
func TestDiffNoFlipOnAnotherType(t *testing.T) {
	const st = `{"Effect":"Allow","Action":["sts:TagSession","ec2:AssociateEnclaveCertificateIamRole","iam:CreateAccessKey"],"Resource":"arn:aws:iam::111122223333:%s/bob"}`
	f := writeFiles(t, map[string]string{
		"empty.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::x/*"}]}`,
		"user.json":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::x/*"},` + fmt.Sprintf(st, "user") + `]}`,
		"role.json":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::x/*"},` + fmt.Sprintf(st, "role") + `]}`,
	})
	// the actions of every flip's requests
	flipped := func(d diffDoc) []string {
		var actions []string
		for _, fl := range d.Flips {
			for _, set := range d.ActionSets {
				if set.ID == fl.ActionSet {
					for _, a := range set.Actions {
						actions = append(actions, a.Action)
					}
				}
			}
		}
		slices.Sort(actions)
		return slices.Compact(actions)
	}
	_, d := diffJSON(t, "--fail-on", "none", f["empty.json"], f["user.json"])
	if actions := flipped(d); !slices.Equal(actions, []string{"iam:CreateAccessKey"}) {
		t.Errorf("a change on a user: flips of %q, want iam:CreateAccessKey's alone (no request of the others names a user)", actions)
	}
	_, d = diffJSON(t, "--fail-on", "none", f["empty.json"], f["role.json"])
	if actions, want := flipped(d), []string{"ec2:AssociateEnclaveCertificateIamRole", "sts:TagSession"}; !slices.Equal(actions, want) {
		t.Errorf("a change on a role: flips of %q, want %q", actions, want)
	}
}

// TestDiffAccountAssumeRoleByTrust: in an account dump, a principal's
// sts:AssumeRole on a role of the dump is decided with that role's trust
// policy, which AWS requires to allow the call, as simulate --account and
// who-can decide it. A helper's finds, each against simulate: (a) bob's tag
// changed to the one AdminRole's trust policy asks for, and diff said "No
// change in access" (bob's own policies allow role/*, and the made-up role
// they were tried on is not AdminRole); (b) an Allow of sts:AssumeRole on a
// role that trusts only ec2.amazonaws.com was new access. A role of the
// account the dump does not hold has none to assume.
func TestDiffAccountAssumeRoleByTrust(t *testing.T) {
	dump := func(team, bobInline string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "bob", "UserId": "AIDABOB", "Arn": "arn:aws:iam::210987654321:user/bob", "GroupList": [], "AttachedManagedPolicies": [],
   "Tags": [{"Key": "team", "Value": "` + team + `"}],
   "UserPolicyList": [{"PolicyName": "A", "PolicyDocument": {"Version": "2012-10-17", "Statement": [` + bobInline + `]}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "AdminRole", "RoleId": "AROAADMIN", "Arn": "arn:aws:iam::210987654321:role/AdminRole",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole",
     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "admins"}}}},
   "RolePolicyList": [{"PolicyName": "All", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}], "AttachedManagedPolicies": [], "Tags": []},
  {"Path": "/", "RoleName": "EC2Role", "RoleId": "AROAEC2", "Arn": "arn:aws:iam::210987654321:role/EC2Role",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}]}`
	}
	const assumeAll = `{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::210987654321:role/*"}`
	const assumeEC2 = `{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::210987654321:role/EC2Role"}`
	const reads = `{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}`
	f := writeFiles(t, map[string]string{
		"dev.json":   dump("developers", assumeAll),
		"admin.json": dump("admins", assumeAll),
		"base.json":  dump("developers", reads),
		"ec2.json":   dump("developers", reads+`, `+assumeEC2),
		"all.json":   dump("developers", reads+`, `+assumeAll),
	})
	// (a) the tag now admits bob to AdminRole
	code, d := diffJSON(t, f["dev.json"], f["admin.json"])
	found := false
	for _, fl := range d.Flips {
		if fl.Principal == "user bob" && fl.Kind == "new-access" && fl.Resource == "arn:aws:iam::210987654321:role/AdminRole" {
			found = true
		}
		// the dump lists its roles: a role of its account it does not
		// hold (a made-up instance of role/*) has none to assume
		if fl.Action == "sts:AssumeRole" && fl.Resource != "arn:aws:iam::210987654321:role/AdminRole" {
			t.Errorf("a flip on %s, which the dump does not hold: %+v", fl.Resource, fl)
		}
	}
	if code != exitCheck || !found {
		t.Errorf("bob's tag made admins: exit %d, flips %+v; want new access to sts:AssumeRole on role/AdminRole", code, d.Flips)
	}
	// (b) EC2Role's trust policy admits no user: nothing flips; (c) nor
	// does an Allow on role/*, whose roles admit bob neither: the
	// dump lists its roles, and a made-up role/* instance is none of them
	for _, to := range []string{"ec2.json", "all.json"} {
		code, d = diffJSON(t, f["base.json"], f[to])
		for _, fl := range d.Flips {
			if fl.Principal == "user bob" {
				t.Errorf("%s: exit %d, flip %+v; want none (no role of the dump admits bob)", to, code, fl)
			}
		}
	}
}

// TestDiffRollupNamesARealStatement: the "by statement" lines name a
// statement of the side's own policies, not the identity policy assumed
// for a caller a resource policy names (a helper found "assumed identity
// policies statement 1" given as the statement of a bucket policy's
// change, beside the bucket policy's own).
func TestDiffRollupNamesARealStatement(t *testing.T) {
	const bp = `{"Version":"2012-10-17","Statement":[
 {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::docexamplebucket/*"},
 {"Sid":"RequireMFA","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::docexamplebucket/taxdocuments/*","Condition":%s}]}`
	f := writeFiles(t, map[string]string{
		"old-bp.json": fmt.Sprintf(bp, `{"Null":{"aws:MultiFactorAuthAge":"true"}}`),
		"new-bp.json": fmt.Sprintf(bp, `{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}`),
		"old.json":    `{"policies":{"bp":"old-bp.json"},"sets":{"bucket":{"resource":"bp","resourceOwner":"123456789012"}}}`,
		"new.json":    `{"policies":{"bp":"new-bp.json"},"sets":{"bucket":{"resource":"bp","resourceOwner":"123456789012"}}}`,
	})
	_, out, _ := runCLI(t, "diff", f["old.json"], f["new.json"], "-o", "markdown")
	_, table, _ := runCLI(t, "diff", f["old.json"], f["new.json"])
	for _, o := range []string{out, table} {
		if strings.Contains(o, "assumed identity policies statement 1 (line 1):") || strings.Contains(o, "| assumed identity") {
			t.Errorf("a rollup names the assumed identity policy:\n%s", o)
		}
	}
}

// TestDiffAccountAssumeRoleTrustKeys: the keys a role's trust policy tests
// (aws:SourceIp here) are varied for the callers' sts:AssumeRole on it, as
// those their own policies test are: bob's new Allow on role/* lets him
// assume OfficeRole from the office's network, and that is new access (with
// the key absent, the trust policy's IpAddress is false, and the change
// would flip nothing).
func TestDiffAccountAssumeRoleTrustKeys(t *testing.T) {
	dump := func(bobInline string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "bob", "UserId": "AIDABOB", "Arn": "arn:aws:iam::210987654321:user/bob", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "A", "PolicyDocument": {"Version": "2012-10-17", "Statement": [` + bobInline + `]}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "OfficeRole", "RoleId": "AROAOFFICE", "Arn": "arn:aws:iam::210987654321:role/OfficeRole",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole",
     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}]}`
	}
	const reads = `{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}`
	f := writeFiles(t, map[string]string{
		"old.json": dump(reads),
		"new.json": dump(reads + `, {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::210987654321:role/*"}`),
	})
	code, d := diffJSON(t, f["old.json"], f["new.json"])
	found := false
	for _, fl := range d.Flips {
		if fl.Kind == "new-access" && fl.Resource == "arn:aws:iam::210987654321:role/OfficeRole" {
			for _, c := range fl.Context {
				found = found || strings.HasPrefix(c, "aws:SourceIp=203.0.113.")
			}
		}
	}
	if code != exitCheck || !found {
		t.Errorf("exit %d, flips %+v; want new access to role/OfficeRole from an address in 203.0.113.0/24", code, d.Flips)
	}
}

// TestDiffAccountRoleTags: sts:AssumeRole on a role of the dump carries the
// role's tags as aws:ResourceTag/KEY (the Service Authorization Reference
// gives the key to STS's role type), which the dump lists: an Allow when
// env=dev admits alice to a role tagged dev, not to one tagged prod (a
// second helper's finds: the first was new access with
// aws:ResourceTag/env=dev on the prod role; the tag changed to dev was "No
// change in access").
func TestDiffAccountRoleTags(t *testing.T) {
	dump := func(allow, env string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::210987654321:user/alice", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "A", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}` + allow + `]}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "R", "RoleId": "AROAR", "Arn": "arn:aws:iam::210987654321:role/R", "Tags": [{"Key": "env", "Value": "` + env + `"}],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole"}},
   "RolePolicyList": [], "AttachedManagedPolicies": []}]}`
	}
	const byTag = `, {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "dev"}}}`
	f := writeFiles(t, map[string]string{
		"none.json": dump("", "prod"),
		"prod.json": dump(byTag, "prod"),
		"dev.json":  dump(byTag, "dev"),
	})
	// the Allow added, on a role tagged prod: nothing flips
	code, d := diffJSON(t, f["none.json"], f["prod.json"])
	for _, fl := range d.Flips {
		t.Errorf("an Allow for roles tagged dev, on one tagged prod: exit %d, flip %+v", code, fl)
	}
	// the role's tag made dev: alice can assume it
	code, d = diffJSON(t, f["prod.json"], f["dev.json"])
	found := false
	for _, fl := range d.Flips {
		found = found || fl.Kind == "new-access" && fl.Principal == "user alice" && fl.Resource == "arn:aws:iam::210987654321:role/R"
	}
	if code != exitCheck || !found {
		t.Errorf("the role's tag made dev: exit %d, flips %+v; want new access for alice on role/R", code, d.Flips)
	}
}

// TestDiffAccountAssumeRoleOnce: a role whose trust policy changed has its
// sts:AssumeRole decided for every caller once, with both sides' policies
// (the trust flips), not again in the caller's own pair: alice's new Allow
// and the trust policy opened to the account were two flips of one request.
func TestDiffAccountAssumeRoleOnce(t *testing.T) {
	dump := func(allow, trust string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::210987654321:user/alice", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "A", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}` + allow + `]}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "R", "RoleId": "AROAR", "Arn": "arn:aws:iam::210987654321:role/R", "Tags": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": ` + trust + `, "Action": "sts:AssumeRole"}},
   "RolePolicyList": [], "AttachedManagedPolicies": []}]}`
	}
	f := writeFiles(t, map[string]string{
		"old.json": dump("", `{"Service": "ec2.amazonaws.com"}`),
		"new.json": dump(`, {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}`, `{"AWS": "arn:aws:iam::210987654321:root"}`),
	})
	_, d := diffJSON(t, f["old.json"], f["new.json"])
	n := 0
	for _, fl := range d.Flips {
		if fl.Principal == "user alice" && fl.Action == "sts:AssumeRole" {
			n++
		}
	}
	if n != 1 || d.Summary.Flips["new-access"] != 1 {
		t.Errorf("alice's sts:AssumeRole on role/R: %d flips, %d requests of new access; want 1: %+v", n, d.Summary.Flips["new-access"], d.Flips)
	}
}

// TestDiffSessionTagsVaried: the sessions of a role whose trust policy
// allows sts:TagSession carry the tags their assumer passes, which become
// the session's aws:PrincipalTag/* and replace the role's own ("Passing
// session tags in AWS STS", IAM User Guide): they are varied, not read from
// the role's tags (a second helper's find: A2, tagged dev, gained
// sts:AssumeRole on *, and B admits team=ops: no flip, while alice can tag
// A2's session ops).
func TestDiffSessionTagsVaried(t *testing.T) {
	dump := func(allow string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::210987654321:user/alice", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "A", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"], "Resource": "*"}]}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "A2", "RoleId": "AROAA2", "Arn": "arn:aws:iam::210987654321:role/A2", "Tags": [{"Key": "team", "Value": "dev"}],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:user/alice"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}},
   "RolePolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}` + allow + `]}}], "AttachedManagedPolicies": []},
  {"Path": "/", "RoleName": "B", "RoleId": "AROAB", "Arn": "arn:aws:iam::210987654321:role/B", "Tags": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole",
     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "ops"}}}},
   "RolePolicyList": [], "AttachedManagedPolicies": []}]}`
	}
	f := writeFiles(t, map[string]string{
		"old.json": dump(""),
		"new.json": dump(`, {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}`),
	})
	code, d := diffJSON(t, f["old.json"], f["new.json"])
	found := false
	for _, fl := range d.Flips {
		if fl.Principal == "role A2" && fl.Resource == "arn:aws:iam::210987654321:role/B" {
			for _, c := range fl.Context {
				found = found || c == "aws:PrincipalTag/team=ops"
			}
		}
	}
	if code != exitCheck || !found {
		t.Errorf("exit %d, flips %+v; want new access for role A2's sessions tagged team=ops on role/B", code, d.Flips)
	}
}

// TestDiffTrustSessionTagsNotChecked: a trust policy that now lets callers
// tag their sessions (sts:TagSession) or set a source identity changes
// what those sessions can do (session tags "become aws:PrincipalTag/*",
// IAM User Guide), which the request matrix does not compare: it is said
// not checked, so the summary is no bare "No change in access" (a second
// helper's find).
func TestDiffTrustSessionTagsNotChecked(t *testing.T) {
	dump := func(actions string) string {
		return `{"GroupDetailList": [], "Policies": [], "UserDetailList": [
  {"Path": "/", "UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::210987654321:user/alice", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "A", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"], "Resource": "*"}]}}]}],
 "RoleDetailList": [
  {"Path": "/", "RoleName": "R", "RoleId": "AROAR", "Arn": "arn:aws:iam::210987654321:role/R", "Tags": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": ` + actions + `}},
   "RolePolicyList": [], "AttachedManagedPolicies": []}]}`
	}
	f := writeFiles(t, map[string]string{
		"old.json": dump(`"sts:AssumeRole"`),
		"new.json": dump(`["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]`),
	})
	code, out, _ := runCLI(t, "diff", "--fail-on", "not-checked", f["old.json"], f["new.json"])
	if code != exitCheck || !strings.Contains(out, "sts:TagSession") || strings.Contains(out, "No change in access.") {
		t.Errorf("exit %d; want the session tags said not checked (exit 1 with --fail-on not-checked):\n%s", code, out)
	}
}
