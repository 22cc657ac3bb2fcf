package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iameval/iameval/account/accounttest"
)

// alikeDump is an account of users alike but for their names, and for
// what tells some of them apart: a name a group policy writes, a name the
// catalogue's texts hold ("bucket"), an owner tag naming the user, a role
// the trust policy of which names one user, roles named after users
// (sts:AssumeRole on role/${aws:username}-*), a force-MFA Deny whose Bool
// long-term keys slip past, and a path.
func alikeDump() string {
	const acct = "123456789012"
	// user7 to user15 alike but for what the loop below gives them; the
	// others' names overlap texts their analyses compare (a name of the
	// catalogue's, one a group policy writes, one whose first letter
	// ends it), or not
	names := []string{"alice", "bob", "carol", "dave", "erin", "bucket", "judy", "user7", "user8", "user9", "user10", "user11", "user12", "user13", "user14", "user15",
		"user16", "user17", "user18", "user19", "user20", "user21", "user22", "user23", "instanceid", "instanceid2"}
	// anceid and ancfid are alike (the features of bob), and the
	// catalogue's instance of an EC2 instance (…:instance/instanceid),
	// which names neither, holds the first's name
	names = append(names, "anceid@1", "ancfid@1")
	var users []string
	for at, n := range names {
		i := at
		if name, k, ok := strings.Cut(n, "@"); ok {
			n, i = name, int(k[0]-'0')
		}
		own := ""
		if i%4 == 3 {
			own = fmt.Sprintf(`,
        {"Sid": "Own", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::%s:role/${aws:username}-*"}`, acct)
		}
		home := fmt.Sprintf(`{"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Sid": "Home", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/%s/*"},
        {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::home", "Condition": {"StringLike": {"s3:prefix": ["${aws:username}/*"]}}}%s]}}`, n, own)
		force := `{"PolicyName": "ForceMFA", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Sid": "DenyWithoutMFA", "Effect": "Deny",
        "NotAction": ["iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "sts:GetSessionToken"],
        "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}}`
		dev := `{"PolicyName": "DevTools", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Sid": "Ops", "Effect": "Allow", "Action": ["ec2:*", "sts:AssumeRole"], "Resource": "*"},
        {"Sid": "DenyNoMFA", "Effect": "Deny", "Action": ["ec2:TerminateInstances", "sts:AssumeRole"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}}`
		inline := []string{home}
		switch i % 3 {
		case 0:
			inline = append(inline, force)
		case 1:
			inline = append(inline, dev)
		}
		group := []string{`"dev"`, `"ops"`}[i%2]
		if i%6 == 5 {
			group += `, "reports"`
		}
		tags := fmt.Sprintf(`[{"Key": "team", "Value": "team-%d"}]`, i%2)
		if i%5 == 4 {
			tags = fmt.Sprintf(`[{"Key": "team", "Value": "team-%d"}, {"Key": "owner", "Value": %q}]`, i%2, n)
		}
		path := "/"
		if i%7 == 6 {
			path = "/staff/"
		}
		users = append(users, fmt.Sprintf(`{"Path": %q, "UserName": %q, "UserId": "AIDA%016d", "Arn": "arn:aws:iam::%s:user%s%s",
      "UserPolicyList": [%s], "GroupList": [%s], "AttachedManagedPolicies": [], "Tags": %s}`, path, n, at, acct, path, n, strings.Join(inline, ", "), group, tags))
	}
	groups := fmt.Sprintf(`{"Path": "/", "GroupName": "dev", "GroupId": "AGPA0000000000000001", "Arn": "arn:aws:iam::%[1]s:group/dev",
      "GroupPolicyList": [{"PolicyName": "Dev", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:DeactivateMFADevice"], "Resource": "arn:aws:iam::%[1]s:user/${aws:username}"}]}}],
      "AttachedManagedPolicies": []},
    {"Path": "/", "GroupName": "reports", "GroupId": "AGPA0000000000000003", "Arn": "arn:aws:iam::%[1]s:group/reports",
      "GroupPolicyList": [{"PolicyName": "Reports", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/${aws:PrincipalTag/owner}/*"}]}}],
      "AttachedManagedPolicies": []},
    {"Path": "/", "GroupName": "ops", "GroupId": "AGPA0000000000000002", "Arn": "arn:aws:iam::%[1]s:group/ops",
      "GroupPolicyList": [{"PolicyName": "Ops", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::team-bucket/*", "arn:aws:s3:::reports/carol/*", "arn:aws:s3:::reports/user12/*"]},
        {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "team-1"}}}]}}],
      "AttachedManagedPolicies": []}`, acct)
	role := func(name, principal, cond string) string {
		return fmt.Sprintf(`{"Path": "/", "RoleName": %q, "RoleId": "AROA%s", "Arn": "arn:aws:iam::%s:role/%s",
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": %q}, "Action": "sts:AssumeRole"%s}]},
      "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}`, name, strings.ToUpper(strings.ReplaceAll(name, "-", "")), acct, name, principal, cond)
	}
	root := "arn:aws:iam::" + acct + ":root"
	roles := []string{
		role("alice-admin", root, ""),
		role("bob-admin", "arn:aws:iam::"+acct+":user/bob", ""),
		role("carol-ops", root, `, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}`),
		role("dave-ro", "arn:aws:iam::"+acct+":user/erin", ""),
		role("shared", root, `, "Condition": {"StringEquals": {"aws:PrincipalTag/team": "team-0"}}`),
		role("frank-x", root, `, "Condition": {"StringEquals": {"aws:username": "frank"}}`),
		role("user9-x", root, `, "Condition": {"StringEquals": {"aws:username": "user9"}}`),
		role("user11-admin", "arn:aws:iam::"+acct+":user/user11", ""),
	}
	return `{"UserDetailList": [` + strings.Join(users, ",\n") + `], "GroupDetailList": [` + groups + `], "RoleDetailList": [` + strings.Join(roles, ",\n") + `], "Policies": []}`
}

// TestMFAAccountUsersAlike: mfa --account analyses the first user of each
// principal template and carries its report over to the users alike but
// for their names (analyzeAlike); each user's entry is the one mfa
// --account --principal gives it, analysed alone, for users alike, users
// a policy, a tag, a path, a role's trust policy or the catalogue's texts
// tell apart, and the generator's dumps; and with --context giving every
// user the same aws:username or tag, which then is not each user's own
// (a breaker's finds: testdata/account/alike-context-*.json).
func TestMFAAccountUsersAlike(t *testing.T) {
	dir := t.TempDir()
	dumps := map[string]string{
		"alike.json":  alikeDump(),
		"copies.json": string(accounttest.CLIDumpWith(24, accounttest.Options{Copies: true, Admins: true})),
	}
	for _, f := range []string{"alike-context-verdict.json", "alike-context-home.json"} {
		data, err := os.ReadFile(filepath.Join("../../testdata/account", f))
		if err != nil {
			t.Fatal(err)
		}
		dumps[f] = string(data)
	}
	for _, run := range []struct{ actions, context string }{
		{sensitive, ""}, {"s3:GetObject,sts:AssumeRole,iam:ChangePassword", ""},
		// a key the request is given for every user: ${aws:username} is
		// then that name, not each user's own
		{"s3:GetObject,s3:PutObject,iam:CreateAccessKey", "aws:username=alice"},
		{"s3:GetObject,iam:ChangePassword", "aws:PrincipalTag/owner=carol"},
	} {
		actions := run.actions
		for name, dump := range dumps {
			if strings.HasPrefix(name, "alike-context") && run.context == "" {
				continue
			}
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(dump), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"mfa", "--account", path, "--action", actions, "-o", "json"}
			if run.context != "" {
				args = append(args, "--context", run.context)
			}
			code, out, errOut := runCLI(t, args...)
			if code != exitOK && code != exitCheck {
				t.Fatalf("%s: exit %d: %s", name, code, errOut)
			}
			all := principalEntries(t, out)
			users := 0
			for who, entry := range all {
				if !strings.HasPrefix(who, "user ") {
					continue
				}
				users++
				code, one, errOut := runCLI(t, append(args, "--principal", strings.TrimPrefix(who, "user "))...)
				if code != exitOK && code != exitCheck {
					t.Fatalf("%s %s: exit %d: %s", name, who, code, errOut)
				}
				if alone := principalEntries(t, one)[who]; alone != entry {
					t.Errorf("%s, %s %s: in the account\n%s\nalone\n%s", name, actions, run.context, entry, alone)
				}
			}
			if users < 24 && !strings.HasPrefix(name, "alike-context") {
				t.Fatalf("%s: %d users", name, users)
			}
		}
	}
}

// principalEntries returns each principal's entry of mfa --account -o
// json output, as JSON, by principal.
func principalEntries(t *testing.T, out string) map[string]string {
	t.Helper()
	var doc struct {
		Principals []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := map[string]string{}
	for _, raw := range doc.Principals {
		var who struct{ Principal string }
		if err := json.Unmarshal(raw, &who); err != nil {
			t.Fatal(err)
		}
		m[who.Principal] = string(raw)
	}
	return m
}

// TestAlikeNamedPartsShared: the part of an alike report that names its
// first user and holds nothing else of it (the rows undecided for want of
// keys on the user's home prefix, say) is kept once for every template whose
// first user's part is the same but for the name: the dumps BENCHMARKS.md
// measures give each user a home prefix and thousands of templates (by their
// groups and tags), and kept each template its own copy, a tenth of the run's
// peak. Renaming the shared part from its own first user gives each user
// what renaming its template's would (TestMFAAccountUsersAlike checks every
// user's entry against the user analysed alone).
func TestAlikeNamedPartsShared(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.json")
	if err := os.WriteFile(path, accounttest.CLIDump(400), 0o644); err != nil {
		t.Fatal(err)
	}
	var kept *alikeReports
	args := []string{"--account", path, "--action", sensitive}
	code := runMFAWith(args, strings.NewReader(""), io.Discard, io.Discard, accountHooks{alike: func(a *alikeReports) { kept = a }})
	if code != exitOK && code != exitCheck || kept == nil {
		t.Fatalf("exit %d, kept reports %v", code, kept)
	}
	templates, named := 0, map[*actionPart]bool{}
	pairs := 0
	for m := range kept.All() {
		if !m.ok {
			continue
		}
		templates++
		for i, part := range m.parts {
			if m.named[i] && part != nil && len(part.findings)+len(part.blocked)+len(part.unchecked)+len(part.elsewhere) == 0 && len(part.incomplete) > 0 {
				pairs++
				named[part] = true
			}
		}
	}
	if templates < 50 || pairs < templates {
		t.Fatalf("%d templates kept, %d parts naming only their user: the dump no longer has what this test is about", templates, pairs)
	}
	if len(named) > pairs/4 {
		t.Errorf("%d parts naming only their user kept for %d templates' %d: want them shared", len(named), templates, pairs)
	}
}
