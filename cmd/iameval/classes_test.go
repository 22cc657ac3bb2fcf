package main

import (
	"encoding/json"
	"fmt"
	"github.com/iameval/iameval/catalog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/iameval/iameval/account/accounttest"
)

// TestMFAAccountClassesChangeNothing: deciding each class of principals
// once (account.Classifier), and each group of actions the same statements
// cover once (sharedActions), and carrying the answers over gives the
// output of deciding every principal and action itself, byte for byte, in
// every format: on the example accounts and (in JSON, which holds
// everything the reports do) on a generated one whose users hold copies of
// the same inline policies (some with ${aws:username}), through groups,
// with boundaries, tags and roles, for hundreds of actions; over the whole
// catalogue for administrators and power users; and on an account whose
// statements tell resources apart where others cover actions alike
// (NotResource, "*" beside an ARN, another account's keys, and an ARN
// format of AWS's whose account field holds a word:
// mediaconnect:DescribeOffering, which this test found shared with an
// answer it did not have while the engine read the word as an account).
func TestMFAAccountClassesChangeNothing(t *testing.T) {
	inRoot(t)
	generated := filepath.Join(t.TempDir(), "generated.json")
	if err := os.WriteFile(generated, accounttest.CLIDumpWith(60, accounttest.Options{Copies: true}), 0o644); err != nil {
		t.Fatal(err)
	}
	// administrators and power users: thousands of actions each, most of
	// them sharing answers (sharedActions)
	admins := filepath.Join(t.TempDir(), "admins.json")
	if err := os.WriteFile(admins, accounttest.CLIDumpWith(10, accounttest.Options{Copies: true, Admins: true}), 0o644); err != nil {
		t.Fatal(err)
	}
	// statements that tell resources apart on actions others share:
	// NotResource, "*" beside a named resource, a Deny on another
	// account's resources, a boundary
	tricky := filepath.Join(t.TempDir(), "tricky.json")
	if err := os.WriteFile(tricky, []byte(trickyAccount()), 0o644); err != nil {
		t.Fatal(err)
	}
	var some []string
	for i, a := range accounttest.WriteActions() {
		if i%8 == 0 || strings.HasPrefix(a, "sts:") || strings.HasPrefix(a, "iam:Create") || strings.HasPrefix(a, "s3:Put") {
			some = append(some, a)
		}
	}
	many := strings.Join(append(some, "iam:CreateAccessKey", "iam:DeactivateMFADevice", "iam:DeleteVirtualMFADevice", "iam:ChangePassword",
		"iam:CreateUser", "iam:AttachUserPolicy", "iam:PutUserPolicy", "sts:AssumeRole", "ec2:StopInstances", "ec2:TerminateInstances",
		"ec2:RunInstances", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteBucket"), ",")
	runs := [][]string{
		{"--account", exampleAccount},
		{"--account", exampleAccount, "--action", "s3:DeleteObject,iam:CreateUser,sts:AssumeRole", "--resource", "arn:aws:s3:::reports/q3.csv,arn:aws:iam::123456789012:role/Admin"},
		{"--account", "testdata/account/ci-account.json"},
		{"--account", generated, "--action", many},
		{"--account", generated, "--resource", "*,arn:aws:s3:::team-0/k,arn:aws:iam::" + accounttest.AccountID + ":role/role1", "--action", many},
		// the catalogue's actions each principal's policies can allow
		{"--account", generated, "--access-level", "permissions-management"},
		{"--account", generated, "--action", many, "--context", "aws:RequestedRegion=eu-west-1"},
		{"--account", generated, "--principal", "user15", "--action", many},
		{"--account", admins, "--access-level", "write,permissions-management,tagging"},
		{"--account", admins, "--context", "aws:RequestedRegion=eu-west-1"},
		{"--account", tricky},
		{"--account", tricky, "--access-level", "read"},
		{"--account", tricky, "--action", "s3:*,ec2:Terminate*,sts:GetSessionToken,kms:*Key*"},
		{"--account", exampleAccount, "--access-level", "write,permissions-management,tagging"},
		{"--account", "testdata/account/ci-account.json", "--access-level", "permissions-management"},
	}
	for i, args := range runs {
		formats := []string{"json"} // everything the reports hold
		if i < 3 || slices.Contains(args, tricky) {
			formats = []string{"table", "json", "markdown"}
		} else if slices.Contains(args, admins) && slices.Contains(args, "--context") {
			formats = []string{"table"}
		}
		for _, format := range formats {
			sameAsEachPrincipal(t, append(append([]string{"mfa"}, args...), "--output", format)...)
		}
	}
}

// sameAsEachPrincipal runs the command twice, deciding every principal
// itself (decideEachPrincipal) and as it does (sharing answers), and
// reports any difference in exit code or output. It returns the output of
// deciding each principal itself.
func sameAsEachPrincipal(t *testing.T, cmd ...string) string {
	t.Helper()
	decideEachPrincipal = true
	wantCode, want, wantErr := runCLI(t, cmd...)
	decideEachPrincipal = false
	code, got, gotErr := runCLI(t, cmd...)
	if code != wantCode || got != want || gotErr != wantErr {
		line := strings.Join(cmd, " ")
		t.Errorf("%s: exit %d, want %d; outputs differ: %s", line[:min(200, len(line))], code, wantCode, firstDiff(got+gotErr, want+wantErr))
	}
	return want
}

// firstDiff shows where got first differs from want.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-200)
	return "at byte " + strconv.Itoa(i) + ":\n got: " + got[lo:min(len(got), i+200)] + "\nwant: " + want[lo:min(len(want), i+200)]
}

// trickyAccount is a dump whose statements tell resources apart on actions
// that others' statements cover alike: answers must not be shared there;
// and a user with more statements than a machine word has bits.
func trickyAccount() string {
	var many []string
	for i, svc := range catalog.Default().Services() {
		if i == 70 {
			break
		}
		effect, cond := "Allow", ""
		if i%9 == 4 {
			effect, cond = "Deny", `, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}`
		}
		many = append(many, fmt.Sprintf(`{"Effect": %q, "Action": "%s:*", "Resource": "*"%s}`, effect, svc.Prefix, cond))
	}
	return strings.Replace(trickyDump, "MANY", strings.Join(many, ",\n       "), 1)
}

const trickyDump = `{
  "UserDetailList": [
    {"UserName": "cat", "UserId": "AIDACAT", "Arn": "arn:aws:iam::111122223333:user/cat", "Path": "/",
     "UserPolicyList": [{"PolicyName": "Many", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       MANY]}}],
     "GroupList": [], "AttachedManagedPolicies": [], "Tags": []},
    {"UserName": "ann", "UserId": "AIDAANN", "Arn": "arn:aws:iam::111122223333:user/ann", "Path": "/",
     "UserPolicyList": [{"PolicyName": "Power", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
       {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::open", "arn:aws:s3:::open/*"], "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
       {"Effect": "Deny", "Action": ["ec2:*"], "Resource": ["*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1"], "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
       {"Effect": "Deny", "Action": "kms:*", "Resource": "arn:aws:kms:*:444455556666:key/*"}]}}],
     "GroupList": [], "AttachedManagedPolicies": [], "Tags": []},
    {"UserName": "bob", "UserId": "AIDABOB", "Arn": "arn:aws:iam::111122223333:user/bob", "Path": "/",
     "UserPolicyList": [{"PolicyName": "Power", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
       {"Effect": "Deny", "NotAction": ["sts:GetSessionToken", "iam:*"], "Resource": "*", "Condition": {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "900"}}}]}}],
     "GroupList": [], "AttachedManagedPolicies": [],
     "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/Edge"},
     "Tags": []}
  ],
  "GroupDetailList": [],
  "RoleDetailList": [],
  "Policies": [
    {"PolicyName": "Edge", "PolicyId": "ANPAEDGE", "Arn": "arn:aws:iam::111122223333:policy/Edge", "Path": "/", "DefaultVersionId": "v1",
     "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 1, "IsAttachable": true,
     "PolicyVersionList": [{"Document": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": ["s3:*", "ec2:*", "kms:*", "sts:*"], "Resource": "*"},
       {"Effect": "Deny", "Action": "s3:DeleteBucket", "NotResource": "arn:aws:s3:::scratch-*"}]}, "VersionId": "v1", "IsDefaultVersion": true}]}
  ]
}`

// TestMFAAccountRowsSharedAcrossResources: a request on a resource that the
// same statements let in (each principal's own prefix, named in its own
// copy of a policy) is decided once for all of them
// (account.Classifier.RowClass), and what is carried over names each
// principal's own resource: in the findings (users allowed without MFA),
// the blocked requests (roles allowed only with MFA) and the results
// that depend on a key not given. A resource of another account is never
// decided as one of the caller's own (evaluator: a cross-account request
// needs a resource policy), and a statement whose Resource holds a policy
// variable keeps the resource in the key; so does a statement that reads
// the user's name in a condition, however its key is written (a JSON
// escape, or a letter outside ASCII that folds to the key's as the engine
// compares keys: a breaker's case, "AWS:UſERNAME", shared one user's
// answer with another's). The output is that of deciding each principal
// by itself, in every format.
func TestMFAAccountRowsSharedAcrossResources(t *testing.T) {
	inRoot(t)
	dump := filepath.Join(t.TempDir(), "rows.json")
	if err := os.WriteFile(dump, []byte(ownRowsDump()), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"mfa", "--account", dump, "--action", "s3:GetObject,s3:PutObject,s3:DeleteObject,sqs:SendMessage,iam:ChangePassword,iam:CreateAccessKey,iam:DeleteAccessKey"}
	var out string
	for _, format := range []string{"json", "table", "markdown"} {
		got := sameAsEachPrincipal(t, append(args, "--output", format)...)
		if format == "json" {
			out = got
		}
	}
	var rep struct {
		Principals []struct {
			Principal  string `json:"principal"`
			WithoutMFA []struct {
				Action   string `json:"action"`
				Resource string `json:"resource"`
			} `json:"withoutMfa"`
			Depends []struct {
				Action   string `json:"action"`
				Resource string `json:"resource"`
			} `json:"dependsOnMissingContext"`
			Blocked []struct {
				Action   string `json:"action"`
				Resource string `json:"resource"`
			} `json:"blockedInEverySession"`
		} `json:"principals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range rep.Principals {
		name := p.Principal[strings.LastIndexByte(p.Principal, ' ')+1:]
		for _, f := range p.WithoutMFA {
			seen[p.Principal+" without MFA "+f.Action+" "+f.Resource] = true
			if strings.Contains(f.Resource, "444455556666") {
				t.Errorf("%s: %s on another account's %s said usable without MFA", p.Principal, f.Action, f.Resource)
			}
			if strings.Contains(f.Resource, "/home/") && !strings.Contains(f.Resource, "/"+name+"/") {
				t.Errorf("%s: a finding names another principal's resource %s", p.Principal, f.Resource)
			}
		}
		for _, f := range p.Depends {
			seen[p.Principal+" depends "+f.Action+" "+f.Resource] = true
		}
		for _, f := range p.Blocked {
			seen[p.Principal+" blocked "+f.Action+" "+f.Resource] = true
		}
	}
	for _, denied := range []string{"user u2 without MFA iam:ChangePassword", "user u4 without MFA iam:CreateAccessKey", "user u5 without MFA iam:DeleteAccessKey"} {
		for key := range seen {
			if strings.HasPrefix(key, denied) {
				t.Errorf("a Deny on the user's own name is not applied: %s", key)
			}
		}
	}
	for _, want := range []string{
		"user u1 without MFA s3:GetObject arn:aws:s3:::home/u1/objectname",
		"user u1 without MFA iam:ChangePassword arn:aws:iam::111122223333:user/u1",
		"user u5 without MFA iam:ChangePassword arn:aws:iam::111122223333:user/u5",
		"user u4 without MFA iam:ChangePassword arn:aws:iam::111122223333:user/u4",
		"user u2 without MFA iam:CreateAccessKey arn:aws:iam::111122223333:user/u2",
		"user u1 without MFA iam:DeleteAccessKey arn:aws:iam::111122223333:user/u1",
		"user u2 without MFA s3:PutObject arn:aws:s3:::home/u2/objectname",
		"user u2 without MFA sqs:SendMessage arn:aws:sqs:us-east-1:111122223333:q-u2",
		"user u4 depends s3:GetObject arn:aws:s3:::home/u4/objectname",
		"user u5 depends s3:GetObject arn:aws:s3:::home/u5/objectname",
		"role r1 blocked s3:GetObject arn:aws:s3:::home/r1/objectname",
		"role r2 blocked s3:GetObject arn:aws:s3:::home/r2/objectname",
	} {
		if !seen[want] {
			t.Errorf("no %q in the report; it has %v", want, slices.Sorted(maps.Keys(seen)))
		}
	}
}

// ownRowsDump is an account whose principals each hold their own copy of a
// policy on their own resources: users u1 to u5 (u3 denied without MFA,
// u4 and u5 only from an address not given), two of them with a queue of
// another account too, and roles r1 and r2 allowed only with MFA.
func ownRowsDump() string {
	user := func(name string, extra string) string {
		return fmt.Sprintf(`{"UserName": %[1]q, "UserId": "AIDA%[1]s", "Arn": "arn:aws:iam::111122223333:user/%[1]s", "Path": "/",
     "UserPolicyList": [{"PolicyName": "Own", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Sid": "Home", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/%[1]s/*"%[2]s},
       {"Sid": "Queue", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": ["arn:aws:sqs:us-east-1:111122223333:q-%[1]s", "arn:aws:sqs:us-east-1:444455556666:q-%[1]s"]},
       {"Sid": "Self", "Effect": "Allow", "Action": ["iam:ChangePassword", "iam:CreateAccessKey", "iam:DeleteAccessKey"], "Resource": "arn:aws:iam::111122223333:user/${aws:username}"},
       {"Sid": "NotU2", "Effect": "Deny", "Action": "iam:ChangePassword", "Resource": "*", "Condition": {"StringEquals": {"aws:user\u006eame": "u2"}}},
       {"Sid": "NotU5", "Effect": "Deny", "Action": "iam:DeleteAccessKey", "Resource": "*", "Condition": {"StringEquals": {"AWS:UſERNAME": "u5"}}},
       {"Sid": "NotU4", "Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": "*", "Condition": {"StringEquals": {"aws:USERNAME": "u4"}}},
       {"Sid": "Vault", "Effect": "Allow", "Action": "s3:DeleteObject", "Resource": ["arn:aws:s3:::vault/true/*", "arn:aws:s3:::vault/false/*"]},
       {"Sid": "VaultDeny", "Effect": "Deny", "Action": "s3:DeleteObject", "NotResource": "arn:aws:s3:::vault/${aws:MultiFactorAuthPresent}/*"}]}}],
     "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}`, name, extra)
	}
	role := func(name string) string {
		return fmt.Sprintf(`{"RoleName": %[1]q, "RoleId": "AROA%[1]s", "Arn": "arn:aws:iam::111122223333:role/%[1]s", "Path": "/",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
     "RolePolicyList": [{"PolicyName": "Own", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Sid": "Home", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/%[1]s/*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}}],
     "AttachedManagedPolicies": [], "Tags": []}`, name)
	}
	address := `, "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}`
	users := []string{user("u1", ""), user("u2", ""), user("u3", ""), user("u4", address), user("u5", address)}
	// u3 alone is denied without MFA
	users[2] = strings.Replace(users[2], `"Statement": [`, `"Statement": [
       {"Sid": "ForceMFA", "Effect": "Deny", "NotAction": "iam:ChangePassword", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},`, 1)
	return `{"UserDetailList": [` + strings.Join(users, ",\n    ") + `],
  "GroupDetailList": [],
  "RoleDetailList": [` + role("r1") + ",\n    " + role("r2") + `],
  "Policies": []}`
}
