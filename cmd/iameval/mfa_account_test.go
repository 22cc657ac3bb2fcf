package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/condition"
)

const ciAccount = "testdata/account/ci-account.json"

// sensitive are the actions these tests check one by one (the list mfa
// --account checked by default before it took the catalogue's).
const sensitive = "iam:CreateAccessKey,iam:DeactivateMFADevice,iam:DeleteVirtualMFADevice,iam:ChangePassword,iam:CreateUser,iam:AttachUserPolicy," +
	"iam:PutUserPolicy,sts:AssumeRole,ec2:StopInstances,ec2:TerminateInstances,ec2:RunInstances,s3:GetObject,s3:PutObject,s3:DeleteObject,s3:DeleteBucket"

// accountJSON is the part of mfa --account --output json the tests read.
type accountJSON struct {
	Account string
	Callers struct {
		Requests    string
		RoleSession string
		SessionName string
		Model       []string
	}
	Principals []struct {
		Principal  string
		Kind       string
		Checked    int
		WithoutMfa []struct {
			Action, Resource string
			WithoutMfaWith   []string
			DependsOn        []string
		}
		Unchecked               []json.RawMessage
		DependsOnMissingContext []json.RawMessage
		Reachability            *struct {
			Status string
			Paths  []struct {
				Caller, Kind, Status string
				Crosses              []string
				IdentityChecked      bool
			}
		}
		NotCounted *struct {
			Reason      string
			SessionsCan []json.RawMessage
		}
		BlockedInEverySession []struct {
			Action, Resource string
			ExplicitDeny     bool
		}
	}
	Summary struct {
		CanWithoutMfa []struct {
			Action, Credentials string
			Users, Roles        int
		}
		NotChecked []string
		Complete   bool
		Text       string
	}
	// read from Summary by decodeAccount: the counts; the text's first
	// line, the lines indented under it, and the coverage after them
	Counts   map[string]int `json:"-"`
	Headline string         `json:"-"`
	Lines    []string       `json:"-"`
	Coverage []string       `json:"-"`
	Complete bool           `json:"-"`
}

func decodeAccount(t *testing.T, out string) accountJSON {
	t.Helper()
	var a accountJSON
	var top struct{ Summary map[string]any }
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	a.Counts = map[string]int{}
	for k, v := range top.Summary {
		if n, ok := v.(float64); ok {
			a.Counts[k] = int(n)
		}
	}
	text := strings.Split(a.Summary.Text, "\n")
	a.Headline, a.Complete = text[0], a.Summary.Complete
	text = text[1:]
	for len(text) > 0 && strings.HasPrefix(text[0], "  ") {
		a.Lines = append(a.Lines, strings.TrimPrefix(text[0], "  "))
		text = text[1:]
	}
	a.Coverage = text
	if a.Complete != (len(a.Summary.NotChecked) == 0) {
		t.Errorf("complete %v, not checked %q", a.Complete, a.Summary.NotChecked)
	}
	return a
}

func (a *accountJSON) principal(t *testing.T, name string) int {
	t.Helper()
	for i, p := range a.Principals {
		if p.Principal == name {
			return i
		}
	}
	t.Fatalf("no principal %q in the JSON", name)
	return -1
}

// TestMFAAccountCIUser pins issue 11 item 5 for accounts: the resources
// come from the policies, so a CI user allowed s3:DeleteObject on
// prod-artifacts/* and iam:CreateAccessKey on user/* without any MFA
// condition is reported (a "*" default found nothing: "0 of 1"); and a role
// whose trust policy admits the account only with aws:MultiFactorAuthPresent
// true is reachable only with MFA (SPEC 6.5: "sts:AssumeRole accepts
// SerialNumber/TokenCode so the trust policy can require MFA"), so its
// AdministratorAccess is not usable without MFA, although its sessions
// carry aws:MultiFactorAuthPresent=false (SPEC 6.2).
func TestMFAAccountCIUser(t *testing.T) {
	inRoot(t)
	code, out, errOut := runCLI(t, "mfa", "--account", ciAccount, "--action", sensitive, "--output", "json")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, %s", code, errOut)
	}
	a := decodeAccount(t, out)
	ci := a.Principals[a.principal(t, "user ci-bot")]
	found := map[string]string{}
	for _, f := range ci.WithoutMfa {
		found[f.Action+" on "+f.Resource] = strings.Join(f.WithoutMfaWith, ", ")
	}
	for _, want := range []string{"s3:DeleteObject on arn:aws:s3:::prod-artifacts/objectname", "iam:CreateAccessKey on arn:aws:iam::123456789012:user/usernamewithpath"} {
		if found[want] != "long-term keys, session without MFA" {
			t.Errorf("ci-bot: %s is %q, want usable with long-term keys and a session without MFA; findings %v", want, found[want], found)
		}
	}
	admin := a.Principals[a.principal(t, "role Admin")]
	if admin.Reachability == nil || admin.Reachability.Status != "only-with-mfa" || len(admin.Reachability.Paths) != 1 ||
		admin.Reachability.Paths[0].Caller != "user alice" || strings.Join(admin.Reachability.Paths[0].Crosses, ",") != "MFA" {
		t.Errorf("role Admin reachability: %+v", admin.Reachability)
	}
	if len(admin.WithoutMfa) != 0 {
		t.Errorf("role Admin is reported usable without MFA: %+v", admin.WithoutMfa)
	}
	if admin.NotCounted == nil || len(admin.NotCounted.SessionsCan) == 0 || !strings.Contains(admin.NotCounted.Reason, "only with MFA") {
		t.Errorf("role Admin's session permissions must be shown as not counted because only MFA reaches it: %+v", admin.NotCounted)
	}
	if a.Headline != "1 of 3 users and roles can do a sensitive action without MFA." || !a.Complete {
		t.Errorf("headline %q, complete %v", a.Headline, a.Complete)
	}
	for _, l := range a.Lines {
		if strings.Contains(l, "role") {
			t.Errorf("summary counts a role: %q", l)
		}
	}
	_, table, _ := runCLI(t, "mfa", "--account", ciAccount, "--action", sensitive)
	for _, want := range []string{
		"1 user can s3:DeleteObject with long-term keys and no MFA",
		"1 user can iam:CreateAccessKey in a session without MFA",
		"role Admin: reachable only with MFA, via user alice (MFA",
		"Summary: 1 of 3 users and roles can do a sensitive action without MFA.",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "role Admin\n") {
		t.Errorf("role Admin is listed among what is allowed without MFA:\n%s", table)
	}
}

// TestMFAAccountRoles pins role reachability in the report: who can get a
// session, with which credentials, decided against the trust policy.
func TestMFAAccountRoles(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{"roles.json": `{
 "UserDetailList": [
  {"UserName": "alice", "Arn": "arn:aws:iam::123456789012:user/alice", "GroupList": [], "AttachedManagedPolicies": [],
   "UserPolicyList": [{"PolicyName": "Assume", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}}}]}
 ],
 "RoleDetailList": [
  {"RoleName": "App", "Arn": "arn:aws:iam::123456789012:role/App", "RolePolicyList": [{"PolicyName": "S3", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
     {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
     {"Sid": "NoDeleteWithoutMFA", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
     {"Sid": "StopWithMFA", "Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}}],
   "AttachedManagedPolicies": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
     {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}},
  {"RoleName": "Orphan", "Arn": "arn:aws:iam::123456789012:role/Orphan", "RolePolicyList": [], "AttachedManagedPolicies": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/Nobody"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}}},
  {"RoleName": "Audit", "Arn": "arn:aws:iam::123456789012:role/Audit", "RolePolicyList": [{"PolicyName": "Read", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}}],
   "AttachedManagedPolicies": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "sts:AssumeRole"}}}
 ],
 "GroupDetailList": [], "Policies": []}`})
	_, out, _ := runCLI(t, "mfa", "--account", f["roles.json"], "--action", "s3:DeleteBucket,s3:GetObject,ec2:StopInstances")
	for _, want := range []string{
		// a role reachable both ways is reported both ways
		"role App: reachable without MFA via ec2.amazonaws.com (a service: services carry no MFA); with MFA via user alice (MFA",
		// its own Deny on MFA blocks every session
		"role App: every session is denied s3:DeleteBucket on arn:aws:s3:::bucketname by its own Deny on MFA (role App inline S3 NoDeleteWithoutMFA), because role sessions carry aws:MultiFactorAuthPresent=false",
		// its own Allow needs MFA: no session can
		"role App: no session can ec2:StopInstances on arn:aws:ec2:us-east-1:123456789012:instance/instanceid: its policies allow it only with MFA (allowed with MFA by role App inline S3 StopWithMFA), and role sessions carry aws:MultiFactorAuthPresent=false",
		"role Orphan: nobody can assume it",
		// another account: the trust side only, said so, counted
		"role Audit: reachable without MFA via arn:aws:iam::444455556666:root (outside the dump: its identity policies were not checked; counted as reachable, the safe side",
		// App through ec2, Audit through the other account
		"2 roles can s3:GetObject in a session without MFA",
	} {
		if !containsFlat(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCLI(t, "mfa", "--account", f["roles.json"], "--action", "s3:DeleteBucket,s3:GetObject,ec2:StopInstances", "--output", "json")
	a := decodeAccount(t, out)
	app := a.Principals[a.principal(t, "role App")]
	if len(app.BlockedInEverySession) != 2 || app.BlockedInEverySession[0].Action != "s3:DeleteBucket" || !app.BlockedInEverySession[0].ExplicitDeny ||
		app.BlockedInEverySession[1].Action != "ec2:StopInstances" || app.BlockedInEverySession[1].ExplicitDeny {
		t.Errorf("App blocked: %+v", app.BlockedInEverySession)
	}
	// A trust policy that requires MFA is the reachability of its role,
	// not something the caller role's own policies block: role Admin's
	// sessions cannot assume Admin again (AdminsWithMFA needs MFA), and
	// that is said in Admin's reachability, not as a block.
	_, out, _ = runCLI(t, "mfa", "--account", exampleAccount, "--action", "sts:AssumeRole", "--resource", "arn:aws:iam::123456789012:role/Admin")
	if strings.Contains(out, "no session can sts:AssumeRole") || strings.Contains(out, "every session is denied sts:AssumeRole") {
		t.Errorf("a trust policy's MFA condition reported as a block:\n%s", out)
	}
	if a.Counts["externalEntryPoints"] != 1 || a.Counts["rolesUnreachable"] != 1 {
		t.Errorf("counts %v", a.Counts)
	}
}

// TestMFAAccountNeverAFalseAllClear pins issue 11 item 5, point 4: "0 of N"
// only when everything counted was checked; a Resource entry that cannot be
// rendered, or a result that depends on a context key not given, is said,
// and --expect mfa-required cannot pass on it.
func TestMFAAccountNeverAFalseAllClear(t *testing.T) {
	inRoot(t)
	user := func(name, stmt string) string {
		return `{"UserName": "` + name + `", "Arn": "arn:aws:iam::123456789012:user/` + name + `", "GroupList": [], "AttachedManagedPolicies": [],
   "UserPolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": [` + stmt + `]}}]}`
	}
	dump := func(users ...string) string {
		return `{"UserDetailList": [` + strings.Join(users, ",") + `], "RoleDetailList": [], "GroupDetailList": [], "Policies": []}`
	}
	safe := user("safe", `{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`)
	f := writeFiles(t, map[string]string{
		"safe.json":   dump(safe),
		"tagged.json": dump(safe, user("tagged", `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::home/${aws:PrincipalTag/team}/*"}`)),
		"tagged2.json": dump(safe, user("tagged", `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::home/${aws:PrincipalTag/team}/*"}`),
			user("tagged2", `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::home/${aws:PrincipalTag/team}/*"}`)),
		"office.json":  dump(safe, user("office", `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::office/*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`)),
		"careful.json": dump(safe, user("careful", `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"198.51.100.0/24"}}}`)),
	})
	tests := []struct {
		file, headline, notChecked string
		code                       int
		args                       []string
	}{
		{"safe.json", "0 of 1 user can do a sensitive action without MFA.", "", exitOK, nil},
		{"tagged.json", "0 of 2 users can do a sensitive action without MFA, counting only what was checked; not checked: 1 Resource entry.", "needs aws:PrincipalTag/team", exitCheck, nil},
		{"tagged2.json", "0 of 3 users can do a sensitive action without MFA, counting only what was checked; not checked: 2 Resource entries.", "2 Resource entries the requests lack keys for", exitCheck, nil},
		// --resource given: the entry with an unresolved variable matches
		// nothing (SPEC 4) and might match home/data/x with the tag; the
		// sensitive actions no request of which names an S3 object are
		// not checked (an S3 object is not theirs to name)
		{"tagged.json", "0 of 2 users can do a sensitive action without MFA, counting only what was checked; not checked: 23 Resource entries, 1 result that depends on context keys not given (aws:PrincipalTag/team).", "aws:PrincipalTag/team", exitCheck,
			[]string{"--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::home/data/x"}},
		{"office.json", "0 of 2 users can do a sensitive action without MFA, counting only what was checked; not checked: 1 result that depends on context keys not given (aws:SourceIp).", "aws:SourceIp", exitCheck, nil},
		// allowed without MFA unless aws:SourceIp is given: counted, and said
		{"careful.json", "1 of 2 users can do a sensitive action without MFA, counting only what was checked; not checked: 2 results that depend on context keys not given (aws:SourceIp).", "aws:SourceIp", exitCheck, nil},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"mfa", "--account", f[tc.file], "--action", sensitive, "--output", "json", "--expect", "mfa-required"}, tc.args...)...)
			a := decodeAccount(t, out)
			if a.Headline != tc.headline {
				t.Errorf("headline\n got %q\nwant %q", a.Headline, tc.headline)
			}
			if a.Complete != (tc.notChecked == "") {
				t.Errorf("complete: %v", a.Complete)
			}
			if tc.notChecked != "" && !strings.Contains(strings.Join(a.Coverage, "\n"), tc.notChecked) {
				t.Errorf("coverage does not say %q: %q", tc.notChecked, a.Coverage)
			}
			if code != tc.code {
				t.Errorf("--expect mfa-required: exit %d (%s), want %d", code, errOut, tc.code)
			}
			if a.Counts["requests"] == 0 || a.Counts["decisions"] <= a.Counts["requests"] {
				t.Errorf("counts do not say how many requests were decided: %v", a.Counts)
			}
			for _, format := range []string{"table", "markdown"} {
				_, out, _ := runCLI(t, append([]string{"mfa", "--account", f[tc.file], "--action", sensitive, "--output", format}, tc.args...)...)
				if !containsFlat(out, tc.headline) {
					t.Errorf("%s lacks the headline %q:\n%s", format, tc.headline, out)
				}
			}
		})
	}
}

// TestMFAAccountCountsPrincipals pins issue 11 item 5, point 4: the summary
// counts principals, not principal x resource findings (it said "14 users
// can s3:DeleteObject" of the 7 users who can, with two resources).
func TestMFAAccountCountsPrincipals(t *testing.T) {
	inRoot(t)
	_, out, _ := runCLI(t, "mfa", "--account", exampleAccount, "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::reports/q3.csv,arn:aws:s3:::reports/q4.csv")
	if !strings.Contains(out, "  7 users can s3:DeleteObject with long-term keys and no MFA\n") {
		t.Errorf("summary:\n%s", out)
	}
}

// TestMFAAccountOutputsSayWhatWasChecked pins issue 11 item 5, point 5: every
// format names the caller model (live requests, the users' own ARNs, the
// role session name used), what was checked and what was not, and the
// roles' reachability.
func TestMFAAccountOutputsSayWhatWasChecked(t *testing.T) {
	inRoot(t)
	for _, format := range []string{"table", "json", "markdown"} {
		code, out, errOut := runCLI(t, "mfa", "--account", exampleAccount, "--action", "s3:DeleteObject", "--output", format)
		if code != exitOK || errOut != "" {
			t.Fatalf("%s: exit %d, %s", format, code, errOut)
		}
		if format == "json" && !json.Valid([]byte(out)) {
			t.Fatalf("invalid JSON:\n%s", out)
		}
		for _, want := range []string{
			"live request",
			"their own ARN",
			"arn:aws:sts::123456789012:assumed-role/ROLE/iameval",
			"Checked ",
			"reachable only with MFA",
			"reachable without MFA via user breakglass",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q:\n%s", format, want, out)
			}
		}
	}
}

// TestMFAAccountFlags pins the flags account mode refuses rather than
// ignores.
func TestMFAAccountFlags(t *testing.T) {
	inRoot(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--expect", "never-allowed"}, "--expect with --account"},
		{[]string{"--policy", "testdata/policies/p3-ec2-deny-stop-without-mfa.json"}, "--policy does not apply with --account"},
		{[]string{"--caller-arn", "arn:aws:iam::123456789012:user/x"}, "--caller-arn does not apply with --account"},
	} {
		code, out, errOut := runCLI(t, append([]string{"mfa", "--account", ciAccount}, tc.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 saying %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

// TestMFAAccountUndecidedRole pins a role whose trust policy admits a web
// identity only when a token claim matches: without the claim the role is
// undecided (never "nobody can assume it"), the summary says it was not
// checked and --expect fails; with the claim given (--context), the role is
// reachable without MFA, since AssumeRoleWithWebIdentity supports no MFA
// (SPEC 6.5), and what it can do is counted.
func TestMFAAccountUndecidedRole(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{"oidc.json": `{"UserDetailList": [], "GroupDetailList": [], "Policies": [],
 "RoleDetailList": [{"RoleName": "Deploy", "Arn": "arn:aws:iam::123456789012:role/Deploy", "AttachedManagedPolicies": [],
  "RolePolicyList": [{"PolicyName": "S3", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*"}}}],
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
   "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
   "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/*"}}}}}]}`})
	code, out, _ := runCLI(t, "mfa", "--account", f["oidc.json"], "--action", "s3:DeleteObject", "--output", "json", "--expect", "mfa-required")
	a := decodeAccount(t, out)
	deploy := a.Principals[a.principal(t, "role Deploy")]
	if code != exitCheck || a.Complete || deploy.Reachability == nil || deploy.Reachability.Status != "undecided" || deploy.NotCounted == nil ||
		a.Headline != "0 of 1 role can do a sensitive action without MFA, counting only what was checked; not checked: 1 role that may be reachable without MFA." {
		t.Errorf("without the claim: exit %d, complete %v, headline %q, reachability %+v", code, a.Complete, a.Headline, deploy.Reachability)
	}
	code, out, _ = runCLI(t, "mfa", "--account", f["oidc.json"], "--action", "s3:DeleteObject", "--output", "json", "--expect", "mfa-required",
		"--context", "token.actions.githubusercontent.com:sub=repo:org/app:ref:refs/heads/main")
	a = decodeAccount(t, out)
	deploy = a.Principals[a.principal(t, "role Deploy")]
	if code != exitCheck || !a.Complete || deploy.Reachability.Status != "without-mfa" || len(deploy.WithoutMfa) != 2 ||
		a.Headline != "1 of 1 role can do a sensitive action without MFA." {
		t.Errorf("with the claim: exit %d, complete %v, headline %q, reachability %+v", code, a.Complete, a.Headline, deploy.Reachability)
	}
}

// TestMFAAccountPartialDump pins that one page of "aws iam
// get-account-authorization-details --max-items N" is refused, not
// reported on: the AWS CLI ends such a page with a NextToken ("If the
// number of items output (--max-items) is fewer than the total number of
// items returned by the underlying API calls, the output includes a
// NextToken"), and an all-clear on part of an account is false. Both
// account commands refuse it, naming the field and how to get every page.
func TestMFAAccountPartialDump(t *testing.T) {
	inRoot(t)
	page := `{"UserDetailList": [{"Path": "/", "UserName": "ci", "UserId": "AIDA0000000000000001", "Arn": "arn:aws:iam::123456789012:user/ci",
  "CreateDate": "2024-05-01T10:00:00+00:00", "UserPolicyList": [], "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}],
 "GroupDetailList": [], "RoleDetailList": [], "Policies": [],
 "NextToken": "eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="}`
	f := writeFiles(t, map[string]string{"page1.json": page})
	for _, cmd := range [][]string{
		{"mfa", "--account", f["page1.json"]},
		{"mfa", "--account", f["page1.json"], "--output", "json", "--expect", "mfa-required"},
		{"simulate", "--account", f["page1.json"], "--principal", "ci", "--action", "s3:GetObject"},
	} {
		code, out, errOut := runCLI(t, cmd...)
		if code != exitUsage || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want exit 2 and no report", cmd, code, out)
		}
		for _, want := range []string{"NextToken on the last page", "--starting-token"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%v: stderr %q does not say %q", cmd, errOut, want)
			}
		}
	}
}

// TestMFAAccountPrincipalTags pins that mfa --account derives the keys the
// dump tells of each principal, as AWS puts them in its live requests:
// aws:PrincipalTag/KEY "is included in the request context if the
// principal is using an IAM user with attached tags", and aws:userid is the
// user's unique id. A tag-conditioned Allow is decided per principal, not
// left "not checked: give them with --context" (which cannot be given per
// principal); a principal without the tag is decided on the key's absence,
// because the dump lists every tag it has.
func TestMFAAccountPrincipalTags(t *testing.T) {
	inRoot(t)
	user := func(name, id, tags string) string {
		return `{"Path": "/", "UserName": "` + name + `", "UserId": "` + id + `", "Arn": "arn:aws:iam::123456789012:user/` + name + `", "CreateDate": "2024-05-01T10:00:00+00:00",
  "GroupList": [], "AttachedManagedPolicies": [], "Tags": [` + tags + `],
  "UserPolicyList": [{"PolicyName": "team", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::team-${aws:PrincipalTag/team}/*"},
    {"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "ops"}}},
    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::home/${aws:userid}/*"}]}}]}`
	}
	f := writeFiles(t, map[string]string{"tagged.json": `{"UserDetailList": [` +
		user("tagged", "AIDA0000000000000099", `{"Key": "team", "Value": "ops"}`) + `,` + user("untagged", "AIDA0000000000000098", "") +
		`], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`})
	code, out, errOut := runCLI(t, "mfa", "--account", f["tagged.json"], "--action", sensitive, "--output", "json", "--expect", "mfa-required")
	a := decodeAccount(t, out)
	found := func(who string) string {
		var got []string
		for _, x := range a.Principals[a.principal(t, who)].WithoutMfa {
			got = append(got, x.Action+" on "+x.Resource)
		}
		return strings.Join(got, "; ")
	}
	if got, want := found("user tagged"), "ec2:TerminateInstances on arn:aws:ec2:us-east-1:123456789012:instance/instanceid; s3:PutObject on arn:aws:s3:::home/AIDA0000000000000099/objectname; s3:DeleteObject on arn:aws:s3:::team-ops/objectname"; got != want {
		t.Errorf("user tagged without MFA:\n got %s\nwant %s", got, want)
	}
	if got, want := found("user untagged"), "s3:PutObject on arn:aws:s3:::home/AIDA0000000000000098/objectname"; got != want {
		t.Errorf("user untagged without MFA:\n got %s\nwant %s", got, want)
	}
	if !a.Complete || a.Headline != "2 of 2 users can do a sensitive action without MFA." || code != exitCheck || !strings.Contains(errOut, "2 principals can do") {
		t.Errorf("complete %v, headline %q, exit %d, stderr %q", a.Complete, a.Headline, code, errOut)
	}
	_, table, _ := runCLI(t, "mfa", "--account", f["tagged.json"], "--action", sensitive)
	if strings.Contains(table, "--context") || strings.Contains(table, "not checked") {
		t.Errorf("the principals' own tags and ids are asked for:\n%s", table)
	}
}

// TestMFAAccountCallerKeys pins item 5 of the new-user review: a role
// another account assumes with the sts:ExternalId its trust policy names is
// reachable without MFA through that account, and what it can do counts.
// The ExternalId is a parameter of the caller's own AssumeRole call (the
// trusted party holds it), not context a request may lack: it was reported
// "undecided ... depends on sts:ExternalId" and left out of the count, while
// another line said outside principals are counted as reachable. A trust
// condition on a key the caller does not choose (aws:PrincipalOrgID) stays
// undecided, and --expect mfa-required fails on it.
func TestMFAAccountCallerKeys(t *testing.T) {
	inRoot(t)
	role := func(name, cond string) string {
		return `{"RoleName": "` + name + `", "RoleId": "AROA00000000000000` + name[:2] + `", "Arn": "arn:aws:iam::123456789012:role/` + name + `", "AttachedManagedPolicies": [], "Tags": [],
   "RolePolicyList": [{"PolicyName": "audit", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::audit-logs/*"}}}],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole",
     "Condition": ` + cond + `}]}}`
	}
	f := writeFiles(t, map[string]string{
		"partner.json": `{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [` +
			role("PartnerAudit", `{"StringEquals": {"sts:ExternalId": "partner-123"}}`) + `]}`,
		"org.json": `{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [` +
			role("OrgAudit", `{"StringEquals": {"sts:ExternalId": "partner-123", "aws:PrincipalOrgID": "o-abc"}}`) + `]}`,
	})
	code, out, _ := runCLI(t, "mfa", "--account", f["partner.json"], "--action", "s3:DeleteObject")
	for _, want := range []string{
		"role PartnerAudit: reachable without MFA via arn:aws:iam::999988887777:root (outside the dump: its identity policies were not checked; counted as reachable, the safe side; long-term keys, session without MFA, MFA, any age; passing the sts:ExternalId the trust policy names)",
		"1 role can s3:DeleteObject in a session without MFA",
		"1 role: 1 reachable without MFA, 0 only with MFA, 0 undecided",
	} {
		if !containsFlat(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "depends on sts:ExternalId") || code != exitOK {
		t.Errorf("the ExternalId is reported as context not given, or exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, "mfa", "--account", f["org.json"], "--action", "s3:DeleteObject", "--expect", "mfa-required")
	for _, want := range []string{
		"role OrgAudit: may be reachable without MFA via arn:aws:iam::999988887777:root (outside the dump: its identity policies were not checked; undecided with long-term keys, session without MFA, MFA: depends on aws:PrincipalOrgID, not given)",
		"Undecided: 1 role may be reachable without MFA",
	} {
		if !containsFlat(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "OrgAudit (sts:ExternalId") || strings.Contains(out, "sts:ExternalId, not given") || code != exitCheck {
		t.Errorf("exit %d; the caller's ExternalId is asked for:\n%s", code, out)
	}
}

// TestMFAAccountAssumeRolePatterns pins item 3 of the new-user review: in an
// account, sts:AssumeRole is decided against the trust policy of each role
// its resource names, never on identity policies alone (SPEC 5.2: "an
// identity policy alone can never grant sts:AssumeRole ... the trust policy
// must allow the principal"). A user allowed sts:AssumeRole on role/* whose
// every role needs MFA (or does not admit it) cannot get a session without
// MFA, so nothing is reported, in agreement with the roles section; one a
// role's trust policy admits without MFA is reported with that role; a role
// ARN the dump does not hold (another account's, a deleted role) is not
// checked, said, and fails --expect; and the summary counts principals.
func TestMFAAccountAssumeRolePatterns(t *testing.T) {
	inRoot(t)
	user := func(name, resource string) string {
		return `{"UserName": "` + name + `", "Arn": "arn:aws:iam::123456789012:user/` + name + `", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "assume", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "` + resource + `"}}}]}`
	}
	role := func(name, principal, cond string) string {
		return `{"RoleName": "` + name + `", "Arn": "arn:aws:iam::123456789012:role/` + name + `", "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "Trust", "Effect": "Allow", "Principal": ` + principal + `, "Action": "sts:AssumeRole"` + cond + `}]}}`
	}
	f := writeFiles(t, map[string]string{"roles.json": `{"UserDetailList": [` +
		user("operator", "arn:aws:iam::123456789012:role/*") + `,` + user("deployer", "arn:aws:iam::123456789012:role/*") + `,` +
		user("outsider", "arn:aws:iam::999988887777:role/Audit") + `,` + user("ghost", "arn:aws:iam::123456789012:role/Deleted") + `,` +
		user("anywhere", "arn:aws:iam::*:role/deploy-*") + `],
 "GroupDetailList": [], "Policies": [], "RoleDetailList": [` +
		role("Admin", `{"AWS": "arn:aws:iam::123456789012:root"}`, `, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}`) + `,` +
		role("Deploy", `{"AWS": "arn:aws:iam::123456789012:user/deployer"}`, "") + `,` +
		role("Lambda", `{"Service": "lambda.amazonaws.com"}`, "") + `]}`})
	args := func(extra ...string) []string {
		return append([]string{"mfa", "--account", f["roles.json"], "--action", "sts:AssumeRole"}, extra...)
	}
	code, out, _ := runCLI(t, args("--principal", "operator", "--expect", "mfa-required")...)
	if code != exitOK || !strings.Contains(out, "  (none)\n") || !strings.Contains(out, "Summary: 0 of 1 user can do a sensitive action without MFA.") {
		t.Errorf("operator can reach role/* only with MFA (Admin) or not at all: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, args("--principal", "deployer")...)
	if want := "  sts:AssumeRole on arn:aws:iam::123456789012:role/* (role Deploy: 1 of the 3 roles it matches) with long-term keys or session without MFA: allowed by role Deploy trust policy Trust\n"; code != exitOK || !containsFlat(out, want) {
		t.Errorf("deployer: exit %d; want %q\n%s", code, want, out)
	}
	for who, want := range map[string]string{
		"outsider": "user outsider: sts:AssumeRole on arn:aws:iam::999988887777:role/Audit (roles of other accounts, whose trust policies are not in the dump): its own policies allow it with long-term keys or session without MFA (user outsider inline assume statement 1)",
		"ghost":    "user ghost: sts:AssumeRole on arn:aws:iam::123456789012:role/Deleted (a role of this account the dump does not hold (deleted, or not yet created): its trust policy is not in the dump): its own policies allow it with long-term keys or session without MFA",
		"anywhere": "user anywhere: sts:AssumeRole on arn:aws:iam::*:role/deploy-* (roles of other accounts, whose trust policies are not in the dump)",
	} {
		code, out, _ := runCLI(t, args("--principal", who, "--expect", "mfa-required")...)
		if code != exitCheck || !containsFlat(out, want) || !containsFlat(out, "not checked: 1 request for roles outside the dump") {
			t.Errorf("%s: exit %d, want 1 and %q:\n%s", who, code, want, out)
		}
		if strings.Contains(out, "  sts:AssumeRole on") {
			t.Errorf("%s: a role outside the dump is reported decided:\n%s", who, out)
		}
	}
	_, out, _ = runCLI(t, args("--output", "json")...)
	a := decodeAccount(t, out)
	if strings.Join(a.Lines, "; ") != "1 user can sts:AssumeRole with long-term keys and no MFA; 1 user can sts:AssumeRole in a session without MFA" ||
		a.Counts["withoutMfa"] != 1 || a.Counts["rolesOutsideTheDump"] != 3 || a.Complete {
		t.Errorf("summary %q, counts %v, complete %v", a.Lines, a.Counts, a.Complete)
	}
	dep := a.Principals[a.principal(t, "user deployer")]
	if len(dep.WithoutMfa) != 1 || dep.WithoutMfa[0].Resource != "arn:aws:iam::123456789012:role/*" {
		t.Errorf("deployer: %+v", dep.WithoutMfa)
	}
	// the roles section agrees: Admin only with MFA via operator
	_, out, _ = runCLI(t, args()...)
	if !containsFlat(out, "role Admin: reachable only with MFA, via user operator (MFA, any age), user deployer (MFA, any age)") {
		t.Errorf("roles section:\n%s", out)
	}
}

// TestMFAAccountStarAfterNamedRoles pins the row of "*" after a row that
// names a role: "*" stands for the roles no other resource names (as it
// stands for the resources no policy names, mfa.Resources), so the role
// named before is neither listed again nor counted among them; with "*"
// alone, every role is.
func TestMFAAccountStarAfterNamedRoles(t *testing.T) {
	inRoot(t)
	user := func(name, resources string) string {
		return `{"UserName": "` + name + `", "Arn": "arn:aws:iam::123456789012:user/` + name + `", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "assume", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ` + resources + `}}}]}`
	}
	role := func(name, cond string) string {
		return `{"RoleName": "` + name + `", "Arn": "arn:aws:iam::123456789012:role/` + name + `", "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "Trust", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"` + cond + `}]}}`
	}
	f := writeFiles(t, map[string]string{"roles.json": `{"UserDetailList": [` +
		user("both", `["arn:aws:iam::123456789012:role/Deploy", "*"]`) + `,` + user("star", `"*"`) + `],
 "GroupDetailList": [], "Policies": [], "RoleDetailList": [` +
		role("Deploy", "") + `,` + role("Build", "") + `,` + role("Admin", `, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}`) + `]}`})
	for who, want := range map[string]string{
		"both": "  sts:AssumeRole on * (role Build: 1 of the 2 roles no other resource names) with long-term keys or session without MFA",
		"star": "  sts:AssumeRole on * (role Deploy, role Build: 2 of the 3 roles no other resource names) with long-term keys or session without MFA",
	} {
		code, out, _ := runCLI(t, "mfa", "--account", f["roles.json"], "--action", "sts:AssumeRole", "--principal", who)
		if code != exitOK || !containsFlat(out, want) {
			t.Errorf("%s: exit %d; want %q\n%s", who, code, want, out)
		}
	}
}

// TestMFAAccountExpect pins --expect mfa-required in account mode: it
// passes only when nothing counted is usable without MFA and everything
// counted was checked. It fails (exit 1) on a result that depends on context
// keys not given, a Resource entry that could not be rendered, a role whose
// reachability is undecided, an entry point outside the dump, and a request
// for roles the dump does not hold; it does not fail on what cannot change
// the answer (a role only MFA reaches), nor on keys the dump answers (a
// principal's own tags).
func TestMFAAccountExpect(t *testing.T) {
	inRoot(t)
	user := func(name, tags, stmts string) string {
		return `{"UserName": "` + name + `", "Arn": "arn:aws:iam::123456789012:user/` + name + `", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [` + tags + `],
   "UserPolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": [` + stmts + `]}}]}`
	}
	role := func(name, trust, stmts string) string {
		return `{"RoleName": "` + name + `", "Arn": "arn:aws:iam::123456789012:role/` + name + `", "AttachedManagedPolicies": [], "Tags": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [` + trust + `]},
   "RolePolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": [` + stmts + `]}}]}`
	}
	dump := func(users, roles []string) string {
		return `{"UserDetailList": [` + strings.Join(users, ",") + `], "RoleDetailList": [` + strings.Join(roles, ",") + `], "GroupDetailList": [], "Policies": []}`
	}
	const (
		guarded    = `{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`
		delete     = `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*"}`
		fromOffice = `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`
		ec2        = `{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`
		mfaOnly    = `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`
	)
	safe := user("safe", "", guarded)
	tests := []struct {
		name string
		dump string
		code int
	}{
		{"every sensitive action needs MFA: passes", dump([]string{safe}, nil), exitOK},
		{"a user's long-term access keys carry no MFA key (SPEC 6.2): usable without MFA fails", dump([]string{safe, user("ci", "", delete)}, nil), exitCheck},
		{"a counted result that depends on a key not given (aws:SourceIp) fails", dump([]string{safe, user("office", "", fromOffice)}, nil), exitCheck},
		{"a role reachable without MFA (a service carries none) whose request depends on a key not given fails",
			dump([]string{safe}, []string{role("App", ec2, fromOffice)}), exitCheck},
		{"a role only MFA reaches: what its sessions depend on cannot change the answer, passes",
			dump([]string{user("admin", "", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/Admin"}`)}, []string{role("Admin", mfaOnly, fromOffice)}), exitOK},
		{"a Resource entry whose variable needs a tag the dump does not list (no Tags field) fails",
			dump([]string{strings.Replace(user("tagless", "", `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::team-${aws:PrincipalTag/team}/*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`), `"Tags": [],`, "", 1)}, nil), exitCheck},
		{"a principal's own tags answer aws:PrincipalTag: passes",
			dump([]string{user("tagged", `{"Key":"team","Value":"ops"}`, `{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"ops"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`)}, nil), exitOK},
		{"a role whose reachability depends on a token claim not given fails",
			dump([]string{safe}, []string{role("GitHub", `{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/*"}}}`, delete)}), exitCheck},
		{"an entry point outside the dump, even one that needs MFA: its identity policies are not checked, fails",
			dump([]string{safe}, []string{role("Audit", `{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`, delete)}), exitCheck},
		{"sts:AssumeRole on a role of another account: its trust policy is not in the dump, fails",
			dump([]string{safe, user("hopper", "", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::444455556666:role/Audit"}`)}, nil), exitCheck},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := writeFiles(t, map[string]string{"dump.json": tc.dump})
			for _, format := range []string{"table", "json"} {
				code, out, errOut := runCLI(t, "mfa", "--account", f["dump.json"], "--action", sensitive, "--expect", "mfa-required", "--output", format)
				if code != tc.code {
					t.Errorf("%s: exit %d, want %d; stderr %q\n%s", format, code, tc.code, errOut, out)
				}
				if code == exitCheck && errOut == "" {
					t.Errorf("%s: exit 1 without saying why", format)
				}
			}
		})
	}
}

// TestMFAAccountOutputScales pins item 7 of the new-user review: table and
// markdown output are read by people, and a GitHub pull request comment
// holds about 65,536 characters. Every list of names in them shows the
// first ten and then "and N more"; markdown also caps its lists of rows and
// says so; JSON keeps everything.
func TestMFAAccountOutputScales(t *testing.T) {
	inRoot(t)
	const users, roles = 600, 40
	var b strings.Builder
	b.WriteString(`{"GroupDetailList": [], "Policies": [], "UserDetailList": [`)
	for i := 0; i < users; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"UserName": "user%03d", "Arn": "arn:aws:iam::123456789012:user/user%03d", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
  "UserPolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
   {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::bucket-%03d/*"},
   {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/*"}]}}]}`, i, i, i)
	}
	b.WriteString(`], "RoleDetailList": [{"RoleName": "Admin", "Arn": "arn:aws:iam::123456789012:role/Admin", "AttachedManagedPolicies": [], "Tags": [],
  "RolePolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}],
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}}},
 {"RoleName": "Open", "Arn": "arn:aws:iam::123456789012:role/Open", "AttachedManagedPolicies": [], "Tags": [], "RolePolicyList": [],
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}}}`)
	for i := 0; i < roles; i++ {
		fmt.Fprintf(&b, `,{"RoleName": "app%02d", "Arn": "arn:aws:iam::123456789012:role/app%02d", "AttachedManagedPolicies": [], "Tags": [],
  "RolePolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::app-%02d/*"}}}],
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}}`, i, i, i)
	}
	b.WriteString(`]}`)
	f := writeFiles(t, map[string]string{"big.json": b.String()})
	args := []string{"mfa", "--account", f["big.json"], "--action", "s3:DeleteObject,sts:AssumeRole"}
	longest := func(out string) (int, string) {
		n, line := 0, ""
		for _, l := range strings.Split(out, "\n") {
			if len(l) > n {
				n, line = len(l), l
			}
		}
		return n, line
	}
	_, table, _ := runCLI(t, args...)
	if n, line := longest(table); n > 2000 {
		t.Errorf("table: a line of %d characters: %.300s...", n, line)
	}
	for _, want := range []string{
		"role Admin: reachable only with MFA, via user user000 (MFA, any age), user user001 (MFA, any age), user user002 (MFA, any age), user user003 (MFA, any age), user user004 (MFA, any age), user user005 (MFA, any age), user user006 (MFA, any age), user user007 (MFA, any age), user user008 (MFA, any age), user user009 (MFA, any age) and 590 more",
		"role Open: reachable without MFA via user user000 (long-term keys, session without MFA, MFA, any age), ",
		"user user009 (long-term keys, session without MFA, MFA, any age) and 590 more",
	} {
		if !containsFlat(table, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	if !strings.Contains(table, "user user599\n  s3:DeleteObject on arn:aws:s3:::bucket-599/objectname") {
		t.Error("table output does not list every finding")
	}
	_, md, _ := runCLI(t, append(args, "--output", "markdown")...)
	if len(md) >= 65536 {
		t.Errorf("markdown is %d characters, more than a pull request comment holds", len(md))
	}
	if n, line := longest(md); n > 2000 {
		t.Errorf("markdown: a line of %d characters: %.300s...", n, line)
	}
	for _, want := range []string{"role Open: reachable without MFA via user user000", "and 590 more", "more rows not shown", "Output capped", "--output json"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown does not say %q", want)
		}
	}
	if !strings.Contains(md, "**640 of 642 users and roles can do a sensitive action without MFA.**") {
		t.Errorf("markdown lacks the headline:\n%.2000s", md)
	}
	_, js, _ := runCLI(t, append(args, "--output", "json")...)
	a := decodeAccount(t, js)
	admin := a.Principals[a.principal(t, "role Admin")]
	if admin.Reachability == nil || len(admin.Reachability.Paths) != users || len(a.Principals) != users+roles+2 {
		t.Errorf("JSON does not keep everything: %d principals, Admin's paths %+v", len(a.Principals), admin.Reachability)
	}
}

// TestMFAAccountOneRole: mfa --account --principal ROLE decides who can
// reach that role from its callers and the roles that chain to it only
// (account.Analyzer.ReachabilityOf); its report is the one the whole
// account's run gives for the role, in every field of the JSON.
func TestMFAAccountOneRole(t *testing.T) {
	for _, dump := range []string{"../../testdata/account/example-account.json", "../../testdata/account/paths-account.json"} {
		for _, args := range [][]string{nil, {"--action", "s3:DeleteObject,sts:AssumeRole,iam:AttachUserPolicy"}} {
			full := append([]string{"mfa", "--account", dump, "-o", "json"}, args...)
			code, out, errOut := runCLI(t, full...)
			if code != exitOK {
				t.Fatalf("%v: exit %d: %s", full, code, errOut)
			}
			var all struct {
				Principals []json.RawMessage
			}
			if err := json.Unmarshal([]byte(out), &all); err != nil {
				t.Fatal(err)
			}
			roles := 0
			for _, entry := range all.Principals {
				var who struct{ Kind, ARN string }
				if err := json.Unmarshal(entry, &who); err != nil {
					t.Fatal(err)
				}
				if who.Kind != "role" {
					continue
				}
				roles++
				one := append(append([]string{}, full...), "--principal", who.ARN)
				code, out, errOut := runCLI(t, one...)
				if code != exitOK {
					t.Fatalf("%v: exit %d: %s", one, code, errOut)
				}
				var got struct {
					Principals []json.RawMessage
				}
				if err := json.Unmarshal([]byte(out), &got); err != nil {
					t.Fatal(err)
				}
				if len(got.Principals) != 1 {
					t.Fatalf("%v: %d principals", one, len(got.Principals))
				}
				if g, w := canonicalJSON(t, got.Principals[0]), canonicalJSON(t, entry); g != w {
					t.Errorf("%v:\n got %s\nwant %s", one, g, w)
				}
			}
			if roles < 4 {
				t.Fatalf("%s: only %d roles", dump, roles)
			}
		}
	}
}

// canonicalJSON is data re-encoded with sorted keys.
func canonicalJSON(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestMFAAccountFilteredDump pins review 13 F7: aws iam
// get-account-authorization-details --filter prints only the lists asked
// for, so a dump without UserDetailList or RoleDetailList does not hold the
// account's users or roles. mfa --account says in every format that they
// were not in the dump and so not checked, and --expect mfa-required cannot
// be confirmed (exit 1); nor on 0 principals analysed (an account whose
// lists are printed empty), whose account id, which only entities' ARNs
// give, is said as unknown, never blank.
func TestMFAAccountFilteredDump(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{"roles.json": `{"RoleDetailList": [{"RoleName": "App", "Arn": "arn:aws:iam::123456789012:role/App", "AttachedManagedPolicies": [], "Tags": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},
   "RolePolicyList": []}]}`})
	tests := []struct {
		name, file string
		notChecked []string // in the JSON's notChecked and every format's text
		account    string   // the JSON's account
	}{
		{"--filter Group LocalManagedPolicy AWSManagedPolicy: no users, no roles",
			"testdata/account/filtered/groupsonly.json", []string{"users: the dump has no UserDetailList", "roles: the dump has no RoleDetailList", "no principal was analysed"}, "210987654321"},
		{"--filter LocalManagedPolicy AWSManagedPolicy: only Policies",
			"testdata/account/filtered/policiesonly.json", []string{"users: the dump has no UserDetailList", "roles: the dump has no RoleDetailList", "no principal was analysed"}, "210987654321"},
		{"--filter Role: roles but no users", f["roles.json"], []string{"users: the dump has no UserDetailList"}, "123456789012"},
		{"every list printed empty: 0 principals analysed, the account id unknown",
			"testdata/account/filtered/emptydump.json", []string{"no principal was analysed"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "mfa", "--account", tc.file, "--output", "json", "--expect", "mfa-required")
			if code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") {
				t.Errorf("--expect mfa-required: exit %d (%q), want %d and why", code, errOut, exitCheck)
			}
			a := decodeAccount(t, out)
			if a.Complete {
				t.Errorf("complete on a dump that lacks principals")
			}
			if a.Account != tc.account {
				t.Errorf("account %q, want %q", a.Account, tc.account)
			}
			if tc.account == "" && !strings.Contains(out, `"account": null`) {
				t.Errorf("an unknown account id is not null in the JSON:\n%s", out)
			}
			nc := strings.Join(a.Summary.NotChecked, "\n")
			for _, w := range tc.notChecked {
				if !strings.Contains(nc, w) {
					t.Errorf("notChecked %q lacks %q", a.Summary.NotChecked, w)
				}
			}
			for _, format := range []string{"table", "markdown"} {
				code, out, _ := runCLI(t, "mfa", "--account", tc.file, "--output", format, "--expect", "mfa-required")
				if code != exitCheck {
					t.Errorf("%s: exit %d", format, code)
				}
				if containsFlat(out, "Everything counted was checked") {
					t.Errorf("%s claims everything was checked:\n%s", format, out)
				}
				for _, w := range tc.notChecked {
					if !containsFlat(out, w) {
						t.Errorf("%s does not say %q:\n%s", format, w, out)
					}
				}
				if tc.account == "" && (!containsFlat(strings.ToLower(out), "account unknown") || strings.Contains(out, "Account :") || strings.Contains(out, "sts:::")) {
					t.Errorf("%s: the unknown account id is blank, not said unknown:\n%s", format, out)
				}
			}
		})
	}
}

// TestMFAAccountErrorSaidOnce: when a principal's policies do not compile,
// the error is said once, not once for every other principal whose
// sts:AssumeRole requests needed who can reach the roles (which that
// principal's policies leave undecided); the exit is 2.
func TestMFAAccountErrorSaidOnce(t *testing.T) {
	user := func(name, sid string) string {
		return `{"Path":"/","UserName":"` + name + `","UserId":"AIDA` + name + `","Arn":"arn:aws:iam::123456789012:user/` + name +
			`","UserPolicyList":[{"PolicyName":"Inline","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"` + sid +
			`","Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}}],"GroupList":[],"AttachedManagedPolicies":[]}`
	}
	users := []string{user("u0", "Bad Sid")}
	for i := 1; i < 6; i++ {
		users = append(users, user(fmt.Sprintf("u%d", i), "Good"))
	}
	dump := `{"UserDetailList":[` + strings.Join(users, ",") + `],"GroupDetailList":[],"RoleDetailList":[` +
		`{"Path":"/","RoleName":"r","RoleId":"AROAR","Arn":"arn:aws:iam::123456789012:role/r","AssumeRolePolicyDocument":` +
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]},` +
		`"RolePolicyList":[],"AttachedManagedPolicies":[]}],"Policies":[]}`
	dir := t.TempDir()
	path := dir + "/bad.json"
	if err := os.WriteFile(path, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "mfa", "--account", path, "--action", "sts:AssumeRole,s3:GetObject")
	if code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	seen := map[string]bool{}
	for _, l := range lines {
		if seen[l] {
			t.Errorf("said twice: %s\nstderr:\n%s", l, errOut)
		}
		seen[l] = true
	}
	if !strings.Contains(errOut, `"Bad Sid"`) {
		t.Errorf("the error is not said: %s", errOut)
	}
}

// TestMFAAccountFailedRunCountsEveryDecision: when every role's report
// fails (the role's own policy holds a duplicate Sid), the writer never
// waited for who can reach the roles, so the requests it decided were
// counted or not as the run's timing fell: a breaker helper saw "0" and
// "40 requests decided in all" from one dump. The run now waits for it:
// the count is the same on every run and holds the reach's requests.
func TestMFAAccountFailedRunCountsEveryDecision(t *testing.T) {
	var users []string
	for i := 0; i < 6; i++ {
		users = append(users, fmt.Sprintf(`{"Path":"/","UserName":"u%d","UserId":"AIDAU%d","Arn":"arn:aws:iam::123456789012:user/u%d",`+
			`"UserPolicyList":[{"PolicyName":"Inline","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}}],`+
			`"GroupList":[],"AttachedManagedPolicies":[]}`, i, i, i))
	}
	dump := `{"UserDetailList":[` + strings.Join(users, ",") + `],"GroupDetailList":[],"RoleDetailList":[` +
		`{"Path":"/","RoleName":"r","RoleId":"AROAR","Arn":"arn:aws:iam::123456789012:role/r","AssumeRolePolicyDocument":` +
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]},` +
		`"RolePolicyList":[{"PolicyName":"Own","PolicyDocument":{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"Twice","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"Twice","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}}],` +
		`"AttachedManagedPolicies":[]}],"Policies":[]}`
	path := t.TempDir() + "/dup.json"
	if err := os.WriteFile(path, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	var first string
	for run := 0; run < 8; run++ {
		code, out, errOut := runCLI(t, "mfa", "--account", path, "--principal", "r", "-o", "json")
		if code != exitUsage || !strings.Contains(errOut, `"Twice"`) {
			t.Fatalf("exit %d, want %d, with the duplicate Sid said; stderr:\n%s", code, exitUsage, errOut)
		}
		var doc struct {
			Summary struct {
				Decisions int `json:"decisions"`
			} `json:"summary"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Summary.Decisions == 0 {
			t.Fatalf("run %d: 0 requests decided, though who can reach r was decided for six users", run)
		}
		if run == 0 {
			first = out
		} else if out != first {
			t.Fatalf("run %d differs from the first:\n%s\nfirst:\n%s", run, out, first)
		}
	}
}

// TestMFAAccountJSONReachTextCapped: a role's reachability sentence in the
// JSON names as many callers as the table's, and says how many more; its
// paths list each. (A fresh user's 20,000-user run wrote 8.3 GB of JSON:
// the sentence named every one of the 22,000 callers of each of the 667
// roles the whole account may assume.)
func TestMFAAccountJSONReachTextCapped(t *testing.T) {
	inRoot(t)
	dump := filepath.Join(t.TempDir(), "d.json")
	if err := os.WriteFile(dump, accounttest.CLIDump(60), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "mfa", "--account", dump, "--principal", "role1", "-o", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Principals []struct {
			Principal    string `json:"principal"`
			Reachability *struct {
				Text  string            `json:"text"`
				Paths []json.RawMessage `json:"paths"`
			} `json:"reachability"`
		} `json:"principals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range rep.Principals {
		if p.Principal != "role role1" || p.Reachability == nil {
			continue
		}
		found = true
		r := p.Reachability
		if len(r.Paths) <= maxNames {
			t.Fatalf("only %d paths to role1: the case does not tell", len(r.Paths))
		}
		named := strings.Count(r.Text, "user user")
		if named > maxNames {
			t.Errorf("the sentence names %d callers, more than %d: %s", named, maxNames, r.Text)
		}
		if more := fmt.Sprintf("and %d more", len(r.Paths)-named); !strings.Contains(r.Text, more) {
			t.Errorf("the sentence does not say %q: %s", more, r.Text)
		}
	}
	if !found {
		t.Fatalf("no reachability for role role1 in:\n%s", out[:min(len(out), 2000)])
	}
}

// TestMFAAccountOtherAccountsResources: a request on another account's
// resource that the caller's own policies allow without MFA is not known to
// be allowed or denied: across accounts the resource's own policy must
// allow it too ("the resource-based policy in Account B must allow the
// requester in Account A", IAM policy evaluation logic), and the dump holds
// no policy of another account's resources. It is said as not checked, in
// every format, and --expect mfa-required cannot pass; a walkthrough's user
// allowed sqs:DeleteQueue on another account's queue was reported as
// checked, never allowed, and the run complete. The same request on the
// caller's own account's queue, which needs MFA, is checked as before. An
// entry with a wildcard region and another account's ID
// (arn:aws:dynamodb:*:999999999999:table/*) names that account's
// resources, and is said so too (a breaker's case: its resources were
// built in the caller's account, matched nothing, and the run said
// everything was checked). Each principal's own sentence says what was not
// checked.
func TestMFAAccountOtherAccountsResources(t *testing.T) {
	inRoot(t)
	user := func(name string) string {
		return `{"Path":"/","UserName":"` + name + `","UserId":"AIDA` + name + `","Arn":"arn:aws:iam::123456789012:user/` + name + `","UserPolicyList":[{"PolicyName":"Q","PolicyDocument":{"Version":"2012-10-17","Statement":[` +
			`{"Sid":"WithMFA","Effect":"Allow","Action":"sqs:DeleteQueue","Resource":["arn:aws:sqs:us-east-1:999999999999:q1","arn:aws:sqs:us-east-1:123456789012:q2"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},` +
			`{"Sid":"Other","Effect":"Allow","Action":"sqs:DeleteQueue","Resource":"arn:aws:sqs:us-east-1:999999999999:q1"},` +
			`{"Sid":"Tables","Effect":"Allow","Action":"dynamodb:DeleteTable","Resource":"arn:aws:dynamodb:*:999999999999:table/*"}]}}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	}
	dump := filepath.Join(t.TempDir(), "x.json")
	if err := os.WriteFile(dump, []byte(`{"UserDetailList":[`+user("ann")+`,`+user("bob")+`],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"mfa", "--account", dump, "--action", "sqs:DeleteQueue,dynamodb:DeleteTable"}
	for _, format := range []string{"table", "markdown", "json"} {
		out := sameAsEachPrincipal(t, append(args, "--output", format)...)
		switch format {
		case "json":
			var rep struct {
				Principals []struct {
					Principal string `json:"principal"`
					Summary   struct {
						Text          string `json:"text"`
						OtherAccounts int    `json:"otherAccountsResources"`
					} `json:"summary"`
					Elsewhere []struct {
						Resource string   `json:"resource"`
						How      []string `json:"ownPoliciesAllowWithoutMfaWith"`
					} `json:"otherAccountsResources"`
				} `json:"principals"`
				Summary struct {
					Complete      bool `json:"complete"`
					OtherAccounts int  `json:"otherAccountsResources"`
				} `json:"summary"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Summary.Complete || rep.Summary.OtherAccounts != 4 {
				t.Errorf("JSON summary: complete %v, %d requests on other accounts' resources; want false, 4", rep.Summary.Complete, rep.Summary.OtherAccounts)
			}
			for _, p := range rep.Principals {
				var got []string
				for _, o := range p.Elsewhere {
					if len(o.How) == 0 {
						t.Errorf("%s: %s without the credentials its own policies allow", p.Principal, o.Resource)
					}
					got = append(got, o.Resource)
				}
				if want := []string{"arn:aws:sqs:us-east-1:999999999999:q1", "arn:aws:dynamodb:us-east-1:999999999999:table/tablename"}; !slices.Equal(got, want) {
					t.Errorf("%s: otherAccountsResources %q, want %q", p.Principal, got, want)
				}
				if p.Summary.OtherAccounts != 2 || !strings.HasSuffix(p.Summary.Text, "; not checked: 2 requests on other accounts' resources") {
					t.Errorf("%s: summary %+v, want it to say 2 requests on other accounts' resources were not checked", p.Principal, p.Summary)
				}
			}
		default:
			for _, want := range []string{"not checked: 4 requests on other accounts' resources",
				"user ann: sqs:DeleteQueue on arn:aws:sqs:us-east-1:999999999999:q1 (a resource of account"} {
				if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
					t.Errorf("%s: no %q in:\n%s", format, want, out)
				}
			}
			if strings.Contains(out, "123456789012:q2 (a resource") {
				t.Errorf("%s: the caller's own account's queue is said to be another's:\n%s", format, out)
			}
		}
	}
	if code, _, errOut := runCLI(t, append(args, "--expect", "mfa-required")...); code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") {
		t.Errorf("--expect mfa-required: exit %d, %s; want %d, cannot be confirmed", code, errOut, exitCheck)
	}
}

// TestMFAAccountOtherAccountsResourceListedOnce: a request on another
// account's resource that the caller's own policies allow only with a key
// not given is not checked because the resource's own policy is not in the
// dump ("the resource-based policy in Account B must allow the requester
// in Account A", IAM policy evaluation logic, cross-account), whatever the
// key: it is listed once, among other accounts' resources, with the key,
// and not also as a result that giving the key would settle.
func TestMFAAccountOtherAccountsResourceListedOnce(t *testing.T) {
	inRoot(t)
	dump := filepath.Join(t.TempDir(), "x.json")
	const doc = `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"Ip","Effect":"Allow","Action":"sqs:DeleteQueue","Resource":["arn:aws:sqs:us-east-1:999999999999:q3","arn:aws:sqs:us-east-1:123456789012:own"],"Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}`
	if err := os.WriteFile(dump, []byte(`{"UserDetailList":[{"Path":"/","UserName":"ann","UserId":"AIDAANN","Arn":"arn:aws:iam::123456789012:user/ann","UserPolicyList":[{"PolicyName":"Q","PolicyDocument":`+doc+`}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"mfa", "--account", dump, "--action", "sqs:DeleteQueue"}
	out := sameAsEachPrincipal(t, append(args, "--output", "json")...)
	var rep struct {
		Principals []struct {
			Incomplete []struct {
				Resource string `json:"resource"`
			} `json:"dependsOnMissingContext"`
			Elsewhere []struct {
				Resource string `json:"resource"`
			} `json:"otherAccountsResources"`
		} `json:"principals"`
		Summary struct {
			Complete      bool `json:"complete"`
			Depends       int  `json:"dependsOnMissingContext"`
			OtherAccounts int  `json:"otherAccountsResources"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Principals) != 1 {
		t.Fatalf("%d principals", len(rep.Principals))
	}
	p := rep.Principals[0]
	// the queue of the caller's own account depends on the key alone
	if len(p.Incomplete) != 1 || p.Incomplete[0].Resource != "arn:aws:sqs:us-east-1:123456789012:own" {
		t.Errorf("dependsOnMissingContext %+v; want only the own account's queue", p.Incomplete)
	}
	if len(p.Elsewhere) != 1 || p.Elsewhere[0].Resource != "arn:aws:sqs:us-east-1:999999999999:q3" {
		t.Errorf("otherAccountsResources %+v; want the other account's queue", p.Elsewhere)
	}
	if rep.Summary.Complete || rep.Summary.Depends != 1 || rep.Summary.OtherAccounts != 1 {
		t.Errorf("summary %+v; want not complete, 1 result depending on keys, 1 request on another account's resource", rep.Summary)
	}
	for _, format := range []string{"table", "markdown"} {
		out := strings.Join(strings.Fields(sameAsEachPrincipal(t, append(args, "--output", format)...)), " ")
		if n := strings.Count(out, "999999999999:q3"); n != 1 {
			t.Errorf("%s: the other account's queue is named %d times, want once:\n%s", format, n, out)
		}
		if !strings.Contains(out, "depends on aws:SourceIp, not given") {
			t.Errorf("%s: the key the other account's queue depends on is not said:\n%s", format, out)
		}
	}
}

// TestMFAAccountOpenAccountStandsBesideOthers pins the resources of other
// accounts that an entry leaving the account open matches beside the
// principal's own (mfa.OtherAccountInstances): an Allow on every account's
// queues (arn:aws:sqs:*:*:*) with a Deny without MFA on the principal's
// own account alone lets other accounts' queues through without MFA on
// the principal's side, which the queue's own policy (not in the dump)
// decides the rest of (IAM policy evaluation logic, cross-account). The
// own queue requires MFA; the report must not say the principal is all
// clear. Principals whose Deny statements differ only in their Resource
// share the class of their own queue's request (RowClass): the stand-in
// must be theirs, never carried over.
func TestMFAAccountOpenAccountStandsBesideOthers(t *testing.T) {
	inRoot(t)
	dump := filepath.Join(t.TempDir(), "x.json")
	const cond = `"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`
	user := func(name, allow, deny string) string {
		stmts := `{"Sid":"Send","Effect":"Allow","Action":"sqs:SendMessage","Resource":"` + allow + `"}`
		if deny != "" {
			stmts += `,{"Sid":"NoMFA","Effect":"Deny","Action":"sqs:*","Resource":"` + deny + `",` + cond + `}`
		}
		doc := `{"Version":"2012-10-17","Statement":[` + stmts + `]}`
		return `{"Path":"/","UserName":"` + name + `","UserId":"AIDA` + strings.ToUpper(name) + `","Arn":"arn:aws:iam::123456789012:user/` + name + `","UserPolicyList":[{"PolicyName":"Q","PolicyDocument":` + doc + `}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	}
	users := []string{
		user("ann", "arn:aws:sqs:*:*:*", "arn:aws:sqs:*:123456789012:*"),
		user("bob", "arn:aws:sqs:*:*:*", "*"),
		user("cat", "arn:aws:sqs:*:*:*", "arn:aws:sqs:*:*:*"),
		user("dan", "arn:aws:sqs:*:1234567890*:*", "arn:aws:sqs:*:123456789012:*"),
		user("eve", "*", ""),
	}
	if err := os.WriteFile(dump, []byte(`{"UserDetailList":[`+strings.Join(users, ",")+`],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"mfa", "--account", dump, "--action", "sqs:SendMessage"}
	type row struct {
		Resource string   `json:"resource"`
		Reason   string   `json:"outside"`
		How      []string `json:"ownPoliciesAllowWithoutMfaWith"`
	}
	var rep struct {
		Principals []struct {
			Principal string `json:"principal"`
			Findings  []struct {
				Resource string `json:"resource"`
			} `json:"findings"`
			Elsewhere []row `json:"otherAccountsResources"`
		} `json:"principals"`
	}
	if err := json.Unmarshal([]byte(sameAsEachPrincipal(t, append(args, "--output", "json")...)), &rep); err != nil {
		t.Fatal(err)
	}
	// the account each principal's stand-in must be in, "" for none
	want := map[string]string{"ann": "????????????", "bob": "", "cat": "", "dan": "1234567890??", "eve": ""}
	for _, p := range rep.Principals {
		name := p.Principal[strings.LastIndexByte(p.Principal, ' ')+1:]
		w, ok := want[name]
		if !ok {
			t.Fatalf("principal %s", p.Principal)
		}
		delete(want, name)
		if w == "" {
			if len(p.Elsewhere) != 0 {
				t.Errorf("%s: otherAccountsResources %+v; want none", name, p.Elsewhere)
			}
			continue
		}
		if len(p.Elsewhere) != 1 {
			t.Errorf("%s: otherAccountsResources %+v; want the stand-in queue", name, p.Elsewhere)
			continue
		}
		o := p.Elsewhere[0]
		parts := strings.Split(o.Resource, ":")
		if len(parts) != 6 || parts[4] == "123456789012" || !condition.MatchWildcard(w, parts[4], false) || len(o.How) == 0 || !strings.Contains(o.Reason, "standing for any") {
			t.Errorf("%s: %+v; want a queue of an account of %s, let through without MFA, said to be a stand-in", name, o, w)
		}
	}
	if len(want) > 0 {
		t.Errorf("no report for %v", want)
	}
	// ann's own queue requires MFA, yet she is not confirmed to need it
	for _, c := range []struct {
		principal string
		code      int
	}{{"ann", exitCheck}, {"bob", 0}, {"dan", exitCheck}} {
		code, _, errOut := runCLI(t, append(args, "--principal", c.principal, "--expect", "mfa-required")...)
		if code != c.code || c.code != 0 && !strings.Contains(errOut, "cannot be confirmed") {
			t.Errorf("%s --expect mfa-required: exit %d, want %d: %s", c.principal, code, c.code, errOut)
		}
	}
	// an RCP governs the resources of the organization's own accounts;
	// another account's may be outside it: eve's queues of other accounts
	// are let through without MFA on her side whatever the RCP says
	rcp := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`
	code, out, errOut := runCLI(t, append(args, "--principal", "eve", "--rcp", rcp, "--expect", "mfa-required")...)
	if code != exitCheck || !strings.Contains(errOut, "cannot be confirmed") || !strings.Contains(strings.Join(strings.Fields(out), " "), "standing for any") {
		t.Errorf("eve with an RCP: exit %d, %s\n%s", code, errOut, out)
	}
	// a bucket names no account: with aws:ResourceAccount given for the
	// principal's own, the same bucket of another account stands beside
	// it, decided without the key (every statement names *: the action's
	// answer is not shared then)
	bucketDump := filepath.Join(t.TempDir(), "b.json")
	bob := `{"Path":"/","UserName":"bob","UserId":"AIDABOB","Arn":"arn:aws:iam::123456789012:user/bob","UserPolicyList":[{"PolicyName":"p","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},` +
		`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringEquals":{"aws:ResourceAccount":"123456789012"}}}]}}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	if err := os.WriteFile(bucketDump, []byte(`{"UserDetailList":[`+bob+`],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "mfa", "--account", bucketDump, "--action", "s3:DeleteBucket", "--context", "aws:ResourceAccount=123456789012", "--expect", "mfa-required")
	if code != exitCheck || !strings.Contains(strings.Join(strings.Fields(out), " "), "as if another account (000000000000, standing for any) owned it") {
		t.Errorf("bob's bucket of another account: exit %d, %s\n%s", code, errOut, out)
	}
	// aws:ResourceAccount given is the principal's own resources': the
	// stand-in goes without it, and is listed still
	code, out, errOut = runCLI(t, append(args, "--principal", "ann", "--context", "aws:ResourceAccount=123456789012", "-o", "json")...)
	if code != 0 || !strings.Contains(out, "standing for any") {
		t.Errorf("with aws:ResourceAccount given: exit %d, %s\n%s", code, errOut, out)
	}
}

// TestWhoCanOtherAccountsResources is
// TestMFAAccountOpenAccountStandsBesideOthers for who-can and paths: a way
// on another account's resource (asked about, or a stand-in beside the
// caller's own resource for a pattern that leaves the account open) is
// decided on the caller's side and said to need that resource's own
// policy too (IAM policy evaluation logic, cross-account), never dropped
// as "0 ways" nor left out of a pattern.
func TestWhoCanOtherAccountsResources(t *testing.T) {
	inRoot(t)
	dump := filepath.Join(t.TempDir(), "x.json")
	const cond = `"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`
	user := func(name, allow, deny string) string {
		doc := `{"Version":"2012-10-17","Statement":[{"Sid":"Send","Effect":"Allow","Action":"sqs:SendMessage","Resource":"` + allow + `"},` +
			`{"Sid":"NoMFA","Effect":"Deny","Action":"sqs:*","Resource":"` + deny + `",` + cond + `}]}`
		return `{"Path":"/","UserName":"` + name + `","UserId":"AIDA` + strings.ToUpper(name) + `","Arn":"arn:aws:iam::123456789012:user/` + name + `","UserPolicyList":[{"PolicyName":"Q","PolicyDocument":` + doc + `}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	}
	users := []string{user("ann", "arn:aws:sqs:*:*:*", "arn:aws:sqs:*:123456789012:*"), user("bob", "arn:aws:sqs:*:*:*", "*")}
	if err := os.WriteFile(dump, []byte(`{"UserDetailList":[`+strings.Join(users, ",")+`],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	type way struct {
		Start        string   `json:"start"`
		Credentials  []string `json:"credentials"`
		Resource     string   `json:"resource"`
		OtherAccount string   `json:"otherAccount"`
		StandIn      bool     `json:"otherAccountStandIn"`
	}
	ways := func(resource string, extra ...string) []way {
		t.Helper()
		code, out, errOut := runCLI(t, append([]string{"who-can", "--account", dump, "--action", "sqs:SendMessage", "--resource", resource, "-o", "json"}, extra...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var doc struct {
			Queries []struct {
				Ways []way `json:"ways"`
			} `json:"queries"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Queries) != 1 {
			t.Fatalf("%v: %s", err, out)
		}
		return doc.Queries[0].Ways
	}
	withoutMFA := func(w way) bool { return slices.Contains(w.Credentials, "long-term keys") }
	// a queue of another account named: both users' own sides, ann's
	// without MFA, each needing the queue's policy too
	got := ways("arn:aws:sqs:us-east-1:999999999999:q")
	if len(got) != 2 || got[0].Start != "user ann" || got[0].OtherAccount != "999999999999" || got[0].StandIn || !withoutMFA(got[0]) ||
		got[1].Start != "user bob" || got[1].OtherAccount != "999999999999" || withoutMFA(got[1]) {
		t.Errorf("another account's queue: %+v; want ann without MFA and bob with MFA, both on account 999999999999's queue", got)
	}
	// every account's queues: ann's own with MFA, and beside it a stand-in
	// without MFA; bob's own alone (his Deny covers every account)
	got = ways("*")
	var standIns []way
	for _, w := range got {
		if w.OtherAccount != "" {
			standIns = append(standIns, w)
		}
	}
	if len(got) != 3 || len(standIns) != 1 || standIns[0].Start != "user ann" || !standIns[0].StandIn || !withoutMFA(standIns[0]) || strings.Contains(standIns[0].Resource, "123456789012") {
		t.Errorf("*: %+v; want ann's and bob's own ways, and ann's stand-in without MFA", got)
	}
	if got := ways("*", "--without-mfa"); len(got) != 1 || !got[0].StandIn {
		t.Errorf("* --without-mfa: %+v; want ann's stand-in alone", got)
	}
	// a role whose session can send to other accounts' queues without
	// MFA, which ann may assume with her long-term keys: the chain is a
	// way on another account's queue, and an MFA bypass, since her own
	// policies need MFA for it
	roleDump := filepath.Join(t.TempDir(), "r.json")
	role := `{"Path":"/","RoleName":"r","RoleId":"AROAR","Arn":"arn:aws:iam::123456789012:role/r","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/ann"},"Action":"sts:AssumeRole"}]},` +
		`"RolePolicyList":[{"PolicyName":"rp","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:*"},{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:123456789012:*"}]}}],"AttachedManagedPolicies":[],"Tags":[],"InstanceProfileList":[]}`
	annAssumes := `{"Path":"/","UserName":"ann","UserId":"AIDAANN","Arn":"arn:aws:iam::123456789012:user/ann","UserPolicyList":[{"PolicyName":"p","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sqs:SendMessage"],"Resource":"*"},{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"*",` + cond + `}]}}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	if err := os.WriteFile(roleDump, []byte(`{"UserDetailList":[`+annAssumes+`],"GroupDetailList":[],"RoleDetailList":[`+role+`],"Policies":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCLI(t, "who-can", "--account", roleDump, "--action", "sqs:SendMessage", "--resource", "arn:aws:sqs:us-east-1:555566667777:q")
	if !strings.Contains(out, "user ann -> role r, with long-term keys") || !strings.Contains(out, "MFA BYPASS") {
		t.Errorf("the chain to another account's queue: %s", out)
	}
	// a pattern only partly open on the account: its made-up account,
	// and beside it the pattern's other accounts, one of which ann's
	// policies let through without MFA
	if got := ways("arn:aws:sqs:*:9999*:*", "--without-mfa"); len(got) != 1 || !got[0].StandIn || !strings.Contains(got[0].Resource, ":9999") {
		t.Errorf("9999* --without-mfa: %+v; want ann's stand-in of an account of 9999*", got)
	}
	// paths keeps both of ann's ways, her own first
	_, out, _ = runCLI(t, "paths", "--account", dump, "--from", "ann", "--action", "sqs:SendMessage", "--resource", "*")
	if !strings.Contains(out, "2 ways") || !strings.Contains(out, "standing for any: its own policy, not in the dump, must allow the request too") {
		t.Errorf("paths: %s", out)
	}
}

// TestWhoCanOtherAccountWithoutMFA pins that who-can keeps looking, among
// other accounts' resources, for a way that needs no MFA: the first found
// (the made-up account of a pattern only partly open on the account,
// 9999*, which a Deny without MFA on 9999000* covers) needs MFA, another
// account of the pattern (9999111...) does not.
func TestWhoCanOtherAccountWithoutMFA(t *testing.T) {
	inRoot(t)
	dump := filepath.Join(t.TempDir(), "x.json")
	dev := `{"Path":"/","UserName":"dev","UserId":"AIDADEV","Arn":"arn:aws:iam::123456789012:user/dev","UserPolicyList":[{"PolicyName":"p","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"},` +
		`{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:9999000*:*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	if err := os.WriteFile(dump, []byte(`{"UserDetailList":[`+dev+`],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "who-can", "--account", dump, "--action", "sqs:SendMessage", "--resource", "arn:aws:sqs:*:9999*:*", "--without-mfa")
	if code != 0 || !strings.Contains(out, "1 way") || !strings.Contains(out, "with long-term keys") || strings.Contains(out, ":9999000") {
		t.Errorf("exit %d: %s\n%s; want dev's way without MFA on a queue of 9999* outside 9999000*", code, errOut, out)
	}
}

// TestMFAAccountSharedStatementPlaces: mfa --account keeps a statement that
// users' copies of one inline policy repeat once (account.LoadOptions
// ShareStatements), and still says where each user's copy stands: the
// bypass each user's force-MFA Deny leaves is placed at that user's own
// statement, as the dump read without sharing places it.
func TestMFAAccountSharedStatementPlaces(t *testing.T) {
	doc := `{"Version": "2012-10-17", "Statement": [
                {"Sid": "Ops", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
                {"Sid": "DenyNoMFA", "Effect": "Deny", "Action": "ec2:*", "Resource": "*",
                 "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}`
	var users []string
	for _, n := range []string{"alice", "bob", "carol"} {
		users = append(users, fmt.Sprintf(`
    {"UserName": %q, "UserId": "AIDA%s", "Arn": "arn:aws:iam::123456789012:user/%s", "Path": "/",
     "UserPolicyList": [{"PolicyName": "Dev", "PolicyDocument": %s}],
     "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}`, n, strings.ToUpper(n), n, doc))
	}
	dump := `{"UserDetailList": [` + strings.Join(users, ",") + `], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`
	path := filepath.Join(t.TempDir(), "dump.json")
	if err := os.WriteFile(path, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	own, err := account.Load(path, []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "mfa", "--account", path, "--action", "ec2:StopInstances")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, u := range own.Users {
		st := u.Inline[0].Statements[1]
		want := fmt.Sprintf("Deny DenyNoMFA (user %s inline Dev at %s:%d:%d)", u.Name, path, st.Start().Line, st.Start().Column)
		if !strings.Contains(flat, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

// TestMFAAccountRefusesMFAContext: mfa --account, like mfa on policies,
// refuses --context for the MFA keys, which it sets itself for every kind
// of credential: a value given would be silently overridden.
func TestMFAAccountRefusesMFAContext(t *testing.T) {
	inRoot(t)
	for _, kv := range []string{"aws:MultiFactorAuthPresent=true", "aws:multifactorauthage=60"} {
		code, out, errOut := runCLI(t, "mfa", "--account", ciAccount, "--action", "s3:GetObject", "--context", kv)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "mfa sets the MFA keys itself") {
			t.Errorf("--context %s: exit %d, stdout %q, stderr %q; want exit %d and the MFA keys refused", kv, code, out, errOut, exitUsage)
		}
	}
}

// TestMFAAccountContextPrincipalKeys: a principal key given with --context
// (aws:username, a tag) is every principal's, in place of its own: the
// header says so, naming the keys, in the table and in JSON; a key no
// principal carries of its own (aws:SourceIp) is not named.
func TestMFAAccountContextPrincipalKeys(t *testing.T) {
	inRoot(t)
	for _, format := range []string{"table", "json"} {
		code, out, errOut := runCLI(t, "mfa", "--account", ciAccount, "--action", "s3:GetObject", "-o", format,
			"--context", "aws:username=alice", "--context", "aws:principaltag/team=red", "--context", "aws:SourceIp=192.0.2.7")
		if code != exitOK && code != exitCheck {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		flat := strings.Join(strings.Fields(out), " ")
		want := "then the keys given with --context (aws:username, aws:principaltag/team: the value given for every principal, in place of each one's own)"
		if !strings.Contains(flat, want) {
			t.Errorf("%s: no %q in:\n%s", format, want, out[:min(len(out), 1500)])
		}
		if strings.Contains(flat, "aws:SourceIp: the value") || strings.Contains(flat, ", aws:SourceIp") {
			t.Errorf("%s: aws:SourceIp named as a principal key", format)
		}
	}
}

// TestMFAAccountMarkdownWithoutRows: markdown writes its table only when
// it has a row, as the table format prints "(none)" under its heading; a
// report with no finding row is not a table head with nothing under it.
func TestMFAAccountMarkdownWithoutRows(t *testing.T) {
	const dump = "../../testdata/account/example-account.json"
	head := "| Principal |"
	for _, tc := range []struct {
		name string
		args []string
		rows bool
	}{
		{"summarised, no row", []string{"--principal", "ReadOnly"}, false},
		{"per request, no row", []string{"--principal", "ReadOnly", "--action", "iam:CreateUser"}, false},
		{"summarised, rows", []string{"--principal", "CIDeploy"}, true},
		{"per request, rows", []string{"--principal", "ReadOnly", "--action", "s3:GetObject"}, true},
		{"whole account", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, md, stderr := runCLI(t, append([]string{"mfa", "--account", dump, "--output", "markdown"}, tc.args...)...)
			if code != exitOK && code != exitCheck {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := strings.Count(md, head); got != map[bool]int{false: 0, true: 1}[tc.rows] {
				t.Errorf("the table head is written %d times:\n%s", got, md)
			}
			if none := strings.Contains(md, "\n_None._\n"); none == tc.rows {
				t.Errorf("_None._ written: %t, rows: %t:\n%s", none, tc.rows, md)
			}
			if !strings.Contains(md, "#### Summary") {
				t.Errorf("no summary:\n%s", md)
			}
		})
	}
	// no row, but a result that depends on a key not given: "None" is
	// not an all clear, in either format
	f := writeFiles(t, map[string]string{"ip.json": `{"UserDetailList": [{"UserName": "ops", "Arn": "arn:aws:iam::123456789012:user/ops",
   "GroupList": [], "AttachedManagedPolicies": [], "Tags": [], "UserPolicyList": [{"PolicyName": "office", "PolicyDocument": {"Version": "2012-10-17",
   "Statement": {"Effect": "Allow", "Action": "iam:CreateUser", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}}}]}],
 "GroupDetailList": [], "Policies": [], "RoleDetailList": []}`})
	for format, want := range map[string]string{
		"markdown": "\n_None found among what was checked, which is not an all clear: see the summary for what was not._\n",
		"table":    "\n  (none found among what was checked, which is not an all clear: see the summary for what was not)\n",
	} {
		_, out, stderr := runCLI(t, "mfa", "--account", f["ip.json"], "--action", "iam:CreateUser", "--output", format)
		if !strings.Contains(out, want) || strings.Contains(out, head) || !strings.Contains(out, "aws:SourceIp") {
			t.Errorf("%s: want %q, no table, and the key named:\n%s%s", format, want, out, stderr)
		}
	}
}

// TestMFAErrorPrefix: every line mfa writes to stderr begins "iameval
// mfa:", as every command's own lines begin with its name (the shared
// "iameval: warning:" aside), whether it reads one policy or an account.
func TestMFAErrorPrefix(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"unknown.json": `{"UserDetailList": [{"UserName": "ops", "Arn": "arn:aws:iam::123456789012:user/ops", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
   "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:NoSuchThing*", "iam:CreateUser"], "Resource": "*"}}}]}],
 "GroupDetailList": [], "Policies": [], "RoleDetailList": []}`,
		"policy.json": `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:NoSuchThing*", "iam:CreateUser"], "Resource": "*"}}`,
	})
	for _, args := range [][]string{
		{"mfa", "--account", f["unknown.json"]},
		{"mfa", "--policy", f["policy.json"]},
	} {
		_, _, stderr := runCLI(t, args...)
		if stderr == "" {
			t.Errorf("%v: nothing on stderr; want the Action entry the catalogue does not know", args)
		}
		for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
			if !strings.HasPrefix(l, "iameval mfa: ") && !strings.HasPrefix(l, "iameval: warning: ") && !strings.HasPrefix(l, "  ") {
				t.Errorf("%v: a line of stderr without the command's prefix: %q", args, l)
			}
		}
	}
}

// TestMFAAccountRolePathInPrincipalArn: a role session's aws:PrincipalArn is
// its role's ARN with the role's path ("For IAM roles, the request context
// returns the ARN of the role"; the SCPs that name
// role/aws-reserved/sso.amazonaws.com/* read it). A helper's find: a role
// at /team/ whose own Allow, or whose callee's trust policy, asks for
// ArnLike role/team/* was reported as unable to act, and the chain a ->
// Hop -> B as reaching nobody: a false all clear.
func TestMFAAccountRolePathInPrincipalArn(t *testing.T) {
	f := writeFiles(t, map[string]string{"path.json": `{"UserDetailList": [{"Path": "/", "UserName": "a", "UserId": "AIDA0000000000000001", "Arn": "arn:aws:iam::123456789012:user/a",
   "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/team/Hop"}}}],
   "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}],
 "GroupDetailList": [], "Policies": [],
 "RoleDetailList": [
  {"Path": "/team/", "RoleName": "Hop", "RoleId": "AROA0000000000000001", "Arn": "arn:aws:iam::123456789012:role/team/Hop", "Tags": [], "AttachedManagedPolicies": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}},
   "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"},
     {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/team/*"}}}]}}]},
  {"Path": "/", "RoleName": "B", "RoleId": "AROA0000000000000002", "Arn": "arn:aws:iam::123456789012:role/B", "Tags": [], "AttachedManagedPolicies": [],
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole",
     "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/team/*"}}}},
   "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*"}}}]}]}`})
	_, out, stderr := runCLI(t, "mfa", "--account", f["path.json"], "--action", "s3:PutObject,s3:DeleteObject")
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"role Hop (reachable without MFA via user a, role Hop) s3:PutObject on",
		"role B (reachable without MFA via role Hop) s3:DeleteObject on",
		"2 roles: 2 reachable without MFA",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("want %q:\n%s%s", want, out, stderr)
		}
	}
	// simulate as a session of the role says the same
	_, out, stderr = runCLI(t, "simulate", "--account", f["path.json"], "--principal", "role/team/Hop", "--action", "s3:PutObject", "--resource", "arn:aws:s3:::b/k", "--live-context")
	if !strings.Contains(out, "allowed") {
		t.Errorf("simulate: want allowed:\n%s%s", out, stderr)
	}
}

// TestPrincipalNotFoundSaidAlike: a --principal the account does not hold
// is a usage mistake, said alike by mfa and simulate: the one message
// (account.Principal's), the command's prefix and its help, exit 2.
func TestPrincipalNotFoundSaidAlike(t *testing.T) {
	const dump = "../../testdata/account/example-account.json"
	const msg = `no user or role "CI-bot" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean user/automation/ci-bot (arn:aws:iam::123456789012:user/automation/ci-bot)?`
	for _, cmd := range []string{"mfa", "simulate"} {
		args := []string{cmd, "--account", dump, "--principal", "CI-bot"}
		if cmd == "simulate" {
			args = append(args, "--action", "s3:GetObject")
		}
		code, _, stderr := runCLI(t, args...)
		if want := "iameval " + cmd + ": " + msg + " (run 'iameval help " + cmd + "')\n"; code != exitUsage || stderr != want {
			t.Errorf("%s: exit %d, %q; want exit 2, %q", cmd, code, stderr, want)
		}
	}
}

// TestMFAAccountFederatedAssumeNotTheCallers: sts:AssumeRoleWithSAML and
// sts:AssumeRoleWithWebIdentity are not requests a user or a role session
// makes with its credentials ("Calling AssumeRoleWithSAML does not require
// the use of AWS security credentials", and the same of
// AssumeRoleWithWebIdentity, STS API reference): its own policies allowing
// them let it reach no role outside the dump. A helper's find: judy's
// Allow * listed both as requests for roles outside the dump her policies
// let through without MFA, and --expect mfa-required failed on them.
func TestMFAAccountFederatedAssumeNotTheCallers(t *testing.T) {
	const dump = "../../testdata/account/example-account.json"
	code, out, errOut := runCLI(t, "mfa", "--account", dump, "--principal", "judy", "--action", "sts:AssumeRoleWithSAML,sts:AssumeRoleWithWebIdentity,sts:AssumeRole", "-o", "json")
	if code == exitUsage {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Principals []struct {
			Outside []struct {
				Action string `json:"action"`
			} `json:"rolesOutsideTheDump"`
		} `json:"principals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Principals) != 1 {
		t.Fatalf("%v:\n%s", err, out)
	}
	var got []string
	for _, o := range rep.Principals[0].Outside {
		got = append(got, o.Action)
	}
	if !slices.Equal(got, []string{"sts:AssumeRole"}) {
		t.Errorf("requests for roles outside the dump: %v, want only sts:AssumeRole (judy signs that one)", got)
	}
}

// TestMFAAccountMarkdownBypasses: the markdown report says the MFA
// conditions callers slip past, as the table and JSON do (a helper found
// them dropped: a Bool on aws:MultiFactorAuthPresent that long-term keys
// pass was in the table, under each user, and nowhere in the pull request
// comment). Each one JSON lists is there once, with its fix, and how many
// principals it lets past.
func TestMFAAccountMarkdownBypasses(t *testing.T) {
	inRoot(t)
	acct := "testdata/account/example-account.json"
	for _, extra := range [][]string{nil, {"--action", "s3:DeleteObject,iam:CreateAccessKey", "--resource", "arn:aws:s3:::reports/q3.csv"}} {
		_, js, _ := runCLI(t, append([]string{"mfa", "--account", acct, "-o", "json"}, extra...)...)
		_, md, _ := runCLI(t, append([]string{"mfa", "--account", acct, "-o", "markdown"}, extra...)...)
		var doc struct {
			Principals []struct {
				Summary struct {
					Bypasses []struct{ Text, Fix string }
				}
				Findings []struct{ Bypasses []string }
			}
		}
		if err := json.Unmarshal([]byte(js), &doc); err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		for _, p := range doc.Principals {
			seen := map[string]bool{}
			for _, b := range p.Summary.Bypasses {
				seen[b.Text+". Fix: "+b.Fix] = true
			}
			for _, f := range p.Findings {
				for _, b := range f.Bypasses {
					seen[b] = true
				}
			}
			for b := range seen {
				want[b]++
			}
		}
		if len(want) == 0 {
			t.Fatalf("%v: the JSON lists no bypass; the test needs one", extra)
		}
		for b, n := range want {
			line := fmt.Sprintf("- %s (%s)", b, count(n, "principal", "principals"))
			if strings.Count(md, line) != 1 {
				t.Errorf("%v: markdown lacks, or repeats, %q:\n%s", extra, line, md)
			}
		}
	}
}

// TestMFAPrincipalGroupSaid: mfa --account checks users and roles; a group
// given to --principal is said to be one, with what to give instead (a
// helper's find: group/dev was answered "did you mean user/engineering/dev",
// of a user the group name only resembles).
func TestMFAPrincipalGroupSaid(t *testing.T) {
	const dump = "../../testdata/account/example-account.json"
	for _, ref := range []string{"group/developers", "arn:aws:iam::123456789012:group/developers"} {
		code, _, stderr := runCLI(t, "mfa", "--account", dump, "--principal", ref)
		if want := "a group, not a user or role"; code != exitUsage || !strings.Contains(stderr, want) || strings.Contains(stderr, "did you mean") {
			t.Errorf("%s: exit %d, %q; want exit 2 and %q", ref, code, stderr, want)
		}
	}
}

// fullWriter takes room bytes, then fails as a full disk does.
type fullWriter struct{ room int }

func (w *fullWriter) Write(p []byte) (int, error) {
	if len(p) > w.room {
		n := w.room
		w.room = 0
		return n, errors.New("write /dev/stdout: no space left on device")
	}
	w.room -= len(p)
	return len(p), nil
}

// TestMFAAccountWriteError: a report that could not be written is an
// error (exit 2, said once), never a run that passed: with --expect a CI
// job writing to a full disk would pass on a truncated report. Every
// format, whether the disk fills at once or part way.
func TestMFAAccountWriteError(t *testing.T) {
	for _, format := range []string{"table", "json", "markdown"} {
		for _, room := range []int{0, 300} {
			var stderr strings.Builder
			code := run([]string{"mfa", "--account", "../../" + ciAccount, "--action", sensitive, "--expect", "mfa-required", "-o", format},
				strings.NewReader(""), &fullWriter{room: room}, &stderr)
			if code != exitUsage || strings.Count(stderr.String(), "no space left on device") != 1 {
				t.Errorf("%s, full after %d bytes: exit %d, stderr %q; want 2 and the error once", format, room, code, stderr.String())
			}
		}
	}
}

// TestHelpWriteError: help that could not be written exits 2 with the
// error, as every command's output does (it exited 0).
func TestHelpWriteError(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"help", "mfa"}, {"help", "serve"}, {"--help"}, {"mfa", "--help"}, {"simulate", "-h"},
		{"diff", "--help"}, {"serve", "-help"}, {"lint", "--help"}, {"test", "--help"}, {"who-can", "--help"}, {"paths", "--help"},
		{"expand", "--help"}, {"version", "--help"}} {
		var stderr strings.Builder
		if code := run(args, strings.NewReader(""), &fullWriter{}, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "no space left on device") {
			t.Errorf("%q on a full disk: exit %d, stderr %q", args, code, stderr.String())
		}
		if code := run(args, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}

// TestExampleWriteError: the bundled example that could not be written
// says why (it exited 2 without a word).
func TestExampleWriteError(t *testing.T) {
	var stderr strings.Builder
	if code := run([]string{"simulate"}, strings.NewReader(""), &fullWriter{room: 100}, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "no space left on device") {
		t.Errorf("simulate on a full disk: exit %d, stderr %q", code, stderr.String())
	}
}
