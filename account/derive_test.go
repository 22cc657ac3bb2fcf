package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/request"
)

// tagged is a dump whose principals carry ids and tags, as the AWS CLI
// prints them.
const tagged = `{"UserDetailList": [
  {"UserName": "ops", "UserId": "AIDA0000000000000001", "Arn": "arn:aws:iam::123456789012:user/ops", "Tags": [{"Key": "team", "Value": "ops"}]},
  {"UserName": "plain", "Arn": "arn:aws:iam::123456789012:user/plain", "Tags": []},
  {"UserName": "unlisted", "Arn": "arn:aws:iam::123456789012:user/unlisted"}],
 "RoleDetailList": [{"RoleName": "Deploy", "RoleId": "AROA0000000000000001", "Arn": "arn:aws:iam::123456789012:role/Deploy", "Tags": [{"Key": "team", "Value": "deploy"}],
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole",
   "Condition": {"StringEquals": {"aws:PrincipalTag/team": "ops"}}}}},
  {"Path": "/team/", "RoleName": "Pathed", "RoleId": "AROA0000000000000002", "Arn": "arn:aws:iam::123456789012:role/team/Pathed", "Tags": [],
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}}}]}`

func keyValue(req *request.Context, name string) string {
	k, ok := req.Lookup(name)
	if !ok {
		return "(absent)"
	}
	var vs []string
	for _, v := range k.Values {
		vs = append(vs, v.String())
	}
	return strings.Join(vs, ",")
}

// TestDeriveKeys pins the keys a live request of a principal of the dump
// carries beyond those its ARN tells (request.Context.DerivePrincipalKeys).
// AWS: aws:PrincipalTag/KEY "is included in the request context if the
// principal is using an IAM user with attached tags", and for a role
// session the role's tags (session tags aside); aws:userid is the user's
// unique id (AIDA...), and for a role session ROLEID:SESSIONNAME.
func TestDeriveKeys(t *testing.T) {
	a, err := account.Load("tagged.json", []byte(tagged))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, who string
		keys      map[string]string // key -> values, or "(absent)"
		lacks     map[string]bool
	}{
		{"an IAM user with attached tags: aws:PrincipalTag/KEY; aws:userid is its unique id", "ops",
			map[string]string{"aws:PrincipalTag/team": "ops", "aws:userid": "AIDA0000000000000001", "aws:username": "ops"},
			map[string]bool{"aws:PrincipalTag/team": false, "aws:PrincipalTag/project": true, "aws:userid": false}},
		{"a user without tags carries no aws:PrincipalTag key: the dump lists every tag, so one it lacks is absent", "plain",
			map[string]string{"aws:PrincipalTag/team": "(absent)", "aws:userid": "(absent)"},
			map[string]bool{"aws:PrincipalTag/team": true, "aws:userid": false}},
		{"a user whose Tags the dump does not list: its tags are not known, so no tag is known absent", "unlisted",
			map[string]string{"aws:PrincipalTag/team": "(absent)"},
			map[string]bool{"aws:PrincipalTag/team": false}},
		{"a role session: the role's tags, no aws:username; aws:userid is ROLEID:SESSIONNAME, and the session name is whoever assumes the role's to choose, so it is not set (not known absent)", "role/Deploy",
			map[string]string{"aws:PrincipalTag/team": "deploy", "aws:userid": "(absent)", "aws:username": "(absent)",
				"aws:PrincipalArn": "arn:aws:iam::123456789012:role/Deploy"},
			map[string]bool{"aws:username": true, "aws:PrincipalTag/other": true, "aws:userid": false}},
		// AWS: "For IAM roles, the request context returns the ARN of the
		// role" (aws:PrincipalArn): the role's ARN, its path in it, which a
		// session's own ARN (assumed-role/NAME/SESSION) leaves out; the
		// common SCP condition on arn:aws:iam::*:role/aws-reserved/
		// sso.amazonaws.com/* reads that path. A helper's find: a role at
		// /team/ was denied what an ArnLike on role/team/* allows.
		{"a role session under a path: aws:PrincipalArn is the role's ARN with its path", "role/team/Pathed",
			map[string]string{"aws:PrincipalArn": "arn:aws:iam::123456789012:role/team/Pathed", "aws:PrincipalAccount": "123456789012"},
			map[string]bool{"aws:PrincipalArn": false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := a.Principal(tc.who)
			if err != nil {
				t.Fatal(err)
			}
			req := request.New(p.Caller, "s3:GetObject", "*")
			p.DeriveKeys(req)
			an := a.NewAnalyzer(account.Options{})
			live := an.LiveRequest(p, "s3:GetObject", "*")
			// the same request made in one that held another
			used := request.SessionWithMFA("arn:aws:iam::123456789012:user/other", "iam:CreateUser", "arn:aws:iam::123456789012:user/x", time.Minute)
			_ = used.Set("svc:extra", request.TypeString, "v")
			if in := an.LiveRequestIn(used, p, "s3:GetObject", "*"); in != used || requestText(in) != requestText(live) {
				t.Errorf("LiveRequestIn: %s, want %s", requestText(in), requestText(live))
			}
			for k, want := range tc.keys {
				if got := keyValue(req, k); got != want {
					t.Errorf("DeriveKeys: %s = %s, want %s", k, got, want)
				}
				if got := keyValue(live, k); got != want {
					t.Errorf("LiveRequest: %s = %s, want %s", k, got, want)
				}
			}
			for k, want := range tc.lacks {
				if got := p.Lacks(k); got != want {
					t.Errorf("Lacks(%s) = %v, want %v", k, got, want)
				}
			}
		})
	}
	// a session named by a trust policy is decided under its own name
	p, _ := a.Principal("role/Deploy")
	req := request.New("arn:aws:sts::123456789012:assumed-role/Deploy/deploy-42", "s3:GetObject", "*")
	p.DeriveKeys(req)
	if got := keyValue(req, "aws:userid"); got != "AROA0000000000000001:deploy-42" {
		t.Errorf("a named session's aws:userid: %s", got)
	}
	// a named session of a role under a path carries the role's ARN too
	pathed, _ := a.Principal("Pathed")
	req = request.New("arn:aws:sts::123456789012:assumed-role/Pathed/deploy-42", "s3:GetObject", "*")
	req.DerivePrincipalKeys()
	pathed.DeriveKeys(req)
	if got := keyValue(req, "aws:PrincipalArn"); got != "arn:aws:iam::123456789012:role/team/Pathed" {
		t.Errorf("a named session's aws:PrincipalArn: %s", got)
	}
	// a caller that is not a session of the role (another account's role
	// of the same name) keeps its own
	req = request.New("arn:aws:sts::999999999999:assumed-role/Pathed/x", "s3:GetObject", "*")
	pathed.DeriveKeys(req)
	if got := keyValue(req, "aws:PrincipalArn"); got != "arn:aws:iam::999999999999:role/Pathed" {
		t.Errorf("another account's session's aws:PrincipalArn: %s", got)
	}
	// keys given by hand come after the derived ones, and win
	ops, _ := a.Principal("ops")
	live := a.NewAnalyzer(account.Options{Context: func(r *request.Context) {
		_ = r.Set("aws:PrincipalTag/team", request.TypeString, "given")
	}}).LiveRequest(ops, "s3:GetObject", "*")
	if got := keyValue(live, "aws:PrincipalTag/team"); got != "given" {
		t.Errorf("--context does not override a derived tag: %s", got)
	}
}

// TestAssumersPrincipalTags pins that a trust policy conditioned on the
// caller's tags is decided for the dump's principals, whose tags the dump
// holds, instead of being left undecided: the user tagged team=ops crosses;
// the user the dump lists without the tag is denied (the key is absent,
// SPEC 4: a StringEquals on an absent key does not match), not undecided;
// a user whose Tags the dump does not give stays undecided.
func TestAssumersPrincipalTags(t *testing.T) {
	// the users need an identity Allow: the trust policy names the account
	b := buildTagDump(t)
	got, err := b.Assumers(b.Roles[0], account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// the user whose tags are not listed is undecided: its tag might be ops
	if g, w := render(crossings(got)), render(map[string]string{"user ops": "lt tmp mfa", "user unlisted": "?lt ?tmp ?mfa"}); g != w {
		t.Errorf("assumers of a trust on aws:PrincipalTag/team:\n got %s\nwant %s", g, w)
	}
}

// buildTagDump is tagged with identity policies that allow sts:AssumeRole.
func buildTagDump(t *testing.T) *account.Account {
	t.Helper()
	allow := `"UserPolicyList": [{"PolicyName": "assume", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}}}], `
	data := strings.Replace(tagged, `{"UserName": "ops", `, `{`+allow+`"UserName": "ops", `, 1)
	data = strings.Replace(data, `{"UserName": "plain", `, `{`+allow+`"UserName": "plain", `, 1)
	data = strings.Replace(data, `{"UserName": "unlisted", `, `{`+allow+`"UserName": "unlisted", `, 1)
	b, err := account.Load("tagged.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// requestText is a request's fields and keys, as text.
func requestText(r *request.Context) string {
	out := r.Principal + " " + r.Action + " " + r.Resource + " " + r.ResourceAccount + ":"
	for _, k := range r.Keys() {
		out += " " + k.Name + "=" + k.Type.String() + "["
		for _, v := range k.Values {
			out += v.String() + ","
		}
		out += "]"
	}
	return out
}

// TestDeriveResourceTags: an IAM or STS request on a user or role of the
// dump carries its tags as aws:ResourceTag/KEY and iam:ResourceTag/KEY (a
// second helper's finds: an Allow of sts:AssumeRole on roles tagged
// env=dev was decided allowed on a role tagged prod, and a role's tag
// changed to dev was "No change in access").
func TestDeriveResourceTags(t *testing.T) {
	dump := `{"UserDetailList":[{"Path":"/","UserName":"alice","UserId":"AIDAA","Arn":"arn:aws:iam::123456789012:user/alice","UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[{"Key":"team","Value":"ops"}]}],
	 "GroupDetailList":[],
	 "RoleDetailList":[{"Path":"/","RoleName":"R","RoleId":"AROAR","Arn":"arn:aws:iam::123456789012:role/R","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},"RolePolicyList":[],"AttachedManagedPolicies":[],"Tags":[{"Key":"env","Value":"prod"}]}],
	 "Policies":[]}`
	a, err := account.Load("tags.json", []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ action, resource, key, want string }{
		{"sts:AssumeRole", "arn:aws:iam::123456789012:role/R", "aws:ResourceTag/env", "prod"},
		{"iam:PassRole", "arn:aws:iam::123456789012:role/R", "iam:ResourceTag/env", "prod"},
		{"iam:CreateAccessKey", "arn:aws:iam::123456789012:user/alice", "aws:ResourceTag/team", "ops"},
		// not of the dump's, or not an IAM or STS request: nothing set
		{"sts:AssumeRole", "arn:aws:iam::999999999999:role/R", "aws:ResourceTag/env", ""},
		{"s3:GetObject", "arn:aws:iam::123456789012:role/R", "aws:ResourceTag/env", ""},
	} {
		req := request.New("arn:aws:iam::123456789012:user/alice", tc.action, tc.resource)
		a.DeriveResourceTags(req)
		got := ""
		if v, ok := req.Lookup(tc.key); ok {
			got = v.Values[0].String()
		}
		if got != tc.want {
			t.Errorf("%s on %s: %s = %q, want %q", tc.action, tc.resource, tc.key, got, tc.want)
		}
	}
}
