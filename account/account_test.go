package account_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/request"
)

func loadExample(t testing.TB) *account.Account {
	t.Helper()
	data, err := os.ReadFile("../testdata/account/example-account.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Load("example-account.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLoadExample(t *testing.T) {
	a := loadExample(t)
	if a.ID != "123456789012" || len(a.Users) != 22 || len(a.Groups) != 5 || len(a.Roles) != 5 || len(a.Policies) != 10 {
		t.Fatalf("account %s: %d users, %d groups, %d roles, %d policies", a.ID, len(a.Users), len(a.Groups), len(a.Roles), len(a.Policies))
	}
	p, err := a.Principal("bob")
	if err != nil {
		t.Fatal(err)
	}
	set := a.PolicySet(p)
	var names []string
	for _, pol := range set.Identity {
		names = append(names, pol.Name)
	}
	if got := strings.Join(names, ", "); got != "arn:aws:iam::123456789012:policy/S3FullAccess, arn:aws:iam::123456789012:policy/BrokenForceMFA" {
		t.Errorf("bob's policies: %s", got)
	}
	m, _ := a.Principal("arn:aws:iam::123456789012:user/mallory")
	if set := a.PolicySet(m); set.Identity[0].Name != "user mallory inline AllowIAMWithMFA" {
		t.Errorf("inline policies are named as AWS names them: %q", set.Identity[0].Name)
	}
	f, _ := a.Principal("user/frank")
	if set := a.PolicySet(f); set.Boundary == nil || set.Boundary.Name != "arn:aws:iam::123456789012:policy/S3AndSelfBoundary" {
		t.Errorf("frank's boundary: %+v", set.Boundary)
	}
	if _, err := a.Principal("nobody"); err == nil {
		t.Error("an unknown principal is an error")
	}
	r, _ := a.Principal("role/Admin")
	if r.Caller != "arn:aws:sts::123456789012:assumed-role/Admin/iameval" {
		t.Errorf("a role's requests come from a session: %s", r.Caller)
	}
}

// decide evaluates one request of a principal of the example account,
// with the role's trust policy as the resource policy of sts:AssumeRole.
func decide(t *testing.T, a *account.Account, who, action, resource string, mfaAge time.Duration, longTerm bool) evaluator.Decision {
	t.Helper()
	p, err := a.Principal(who)
	if err != nil {
		t.Fatal(err)
	}
	set := a.PolicySet(p)
	set.Resource = a.TrustPolicy(action, resource)
	e, err := evaluator.Compile(set)
	if err != nil {
		t.Fatal(err)
	}
	req := request.New(p.Caller, action, resource)
	switch {
	case longTerm:
	case mfaAge >= 0:
		req.SetSessionWithMFA(mfaAge)
	default:
		req.SetSessionWithoutMFA()
	}
	return e.Evaluate(req)
}

func TestExampleDecisions(t *testing.T) {
	a := loadExample(t)
	const lt, none = -1, -1
	tests := []struct {
		who, action, resource string
		age                   time.Duration // -1: no MFA
		longTerm              bool
		want                  evaluator.Verdict
		sid                   string
	}{
		// developers: S3FullAccess with the broken Bool deny
		{"bob", "s3:DeleteObject", "arn:aws:s3:::reports/q3.csv", none, true, evaluator.Allowed, "S3Full"},
		{"bob", "s3:DeleteObject", "arn:aws:s3:::reports/q3.csv", none, false, evaluator.ExplicitDeny, "MFA"},
		{"bob", "s3:DeleteObject", "arn:aws:s3:::reports/q3.csv", time.Minute, false, evaluator.Allowed, "S3Full"},
		// judy added the recommended deny
		{"judy", "s3:DeleteObject", "arn:aws:s3:::reports/q3.csv", none, true, evaluator.ExplicitDeny, "MFA"},
		// frank's boundary allows S3
		{"frank", "s3:GetObject", "arn:aws:s3:::reports/q3.csv", time.Minute, false, evaluator.Allowed, ""},
		// data team: deletes need MFA, production needs recent MFA
		{"sybil", "s3:DeleteObject", "arn:aws:s3:::reports/q3.csv", none, true, evaluator.ExplicitDeny, "DenyDeleteWithoutMFA"},
		{"sybil", "s3:GetObject", "arn:aws:s3:::Production/report.csv", 20 * time.Minute, false, evaluator.Allowed, ""},
		{"sybil", "s3:GetObject", "arn:aws:s3:::Production/report.csv", 31 * time.Minute, false, evaluator.ExplicitDeny, "RequireMFAForProductionBucket"},
		// mallory's inline Allow on BoolIfExists true
		{"mallory", "iam:CreateUser", "arn:aws:iam::123456789012:user/x", none, true, evaluator.Allowed, "AllowIAMWithMFA"},
		{"mallory", "iam:CreateUser", "arn:aws:iam::123456789012:user/x", none, false, evaluator.ImplicitDeny, ""},
		// auditors: the group's inline deny
		{"victor", "s3:PutObject", "arn:aws:s3:::reports/q3.csv", time.Minute, false, evaluator.ExplicitDeny, "DenyWrites"},
		// role trust: admins assume Admin only with MFA; breakglass always
		{"alice", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Admin", 0, false, evaluator.Allowed, ""},
		{"alice", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Admin", none, false, evaluator.ExplicitDeny, "DenyAllExceptListedIfNoMFA"},
		{"oscar", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Admin", none, true, evaluator.ImplicitDeny, ""},
		{"oscar", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Admin", 0, false, evaluator.Allowed, "AssumeAdmin"},
		{"breakglass", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Admin", none, true, evaluator.Allowed, "BreakGlass"},
		{"victor", "sts:AssumeRole", "arn:aws:iam::123456789012:role/Admin", 0, false, evaluator.ExplicitDeny, "DenyWrites"},
		{"victor", "sts:AssumeRole", "arn:aws:iam::123456789012:role/ReadOnly", none, false, evaluator.ExplicitDeny, "DenyWrites"},
		// roles as principals
		{"role/CIDeploy", "s3:DeleteObject", "arn:aws:s3:::Production/x", none, false, evaluator.ExplicitDeny, "NoProductionDeletes"},
		{"role/EC2App", "ec2:RunInstances", "*", none, false, evaluator.ImplicitDeny, ""},
		{"role/Admin", "ec2:RunInstances", "*", none, false, evaluator.Allowed, ""},
	}
	_ = lt
	for _, tc := range tests {
		d := decide(t, a, tc.who, tc.action, tc.resource, tc.age, tc.longTerm)
		if d.Verdict != tc.want {
			t.Errorf("%s %s %s (MFA age %v, long-term %v): %v, want %v", tc.who, tc.action, tc.resource, tc.age, tc.longTerm, d.Verdict, tc.want)
			continue
		}
		if tc.sid != "" {
			found := false
			for _, m := range d.MatchedStatements() {
				found = found || m.Sid == tc.sid
			}
			if !found {
				t.Errorf("%s %s: %q did not decide: %+v", tc.who, tc.action, tc.sid, d.MatchedStatements())
			}
		}
	}
}

// TestExampleMFASummary: which users can delete S3 objects without MFA.
func TestExampleMFASummary(t *testing.T) {
	a := loadExample(t)
	var withoutMFA []string
	for _, p := range a.Principals() {
		e, err := evaluator.Compile(a.PolicySet(p))
		if err != nil {
			t.Fatal(err)
		}
		r := mfa.Analyze(e, request.New(p.Caller, "s3:DeleteObject", "arn:aws:s3:::reports/q3.csv"))
		if r.Verdict == mfa.NotRequired || r.Verdict == mfa.Inverted {
			withoutMFA = append(withoutMFA, p.String())
		}
	}
	// Roles' sessions carry no MFA (SPEC 6.2): a role whose permissions
	// do not test MFA is "allowed without MFA", whatever its trust policy
	// asked at assume time.
	want := "user bob, user dave, user frank, user grace, user heidi, user ivan, user mallory, role Admin, role EC2App, role DataScience"
	if got := strings.Join(withoutMFA, ", "); got != want {
		t.Errorf("s3:DeleteObject without MFA:\n got %s\nwant %s", got, want)
	}
}

func TestMalformedDumps(t *testing.T) {
	good, err := os.ReadFile("../testdata/account/example-account.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data, want string
	}{
		{"truncated file", string(good[:len(good)/2]), "invalid JSON"},
		{"missing pages", `{"UserDetailList": [], "IsTruncated": true, "Marker": "x"}`, "IsTruncated is true on the last page"},
		{"not a dump", `{"Users": []}`, `unknown field "Users"`},
		{"user without a name", `{"UserDetailList": [{"Arn": "arn:aws:iam::123456789012:user/x"}]}`, "UserDetailList[0]: missing or empty UserName"},
		{"unknown managed policy", `{"UserDetailList": [{"UserName": "x", "Arn": "arn:aws:iam::123456789012:user/x", "AttachedManagedPolicies": [{"PolicyName": "P", "PolicyArn": "arn:aws:iam::aws:policy/P"}]}]}`,
			`user "x": AttachedManagedPolicies names arn:aws:iam::aws:policy/P, which is not in the dump's Policies`},
		{"unknown group", `{"UserDetailList": [{"UserName": "x", "Arn": "arn:aws:iam::123456789012:user/x", "GroupList": ["g"]}]}`, `user "x": GroupList names group "g"`},
		{"attached policy under another name", `{"UserDetailList": [{"UserName": "x", "Arn": "arn:aws:iam::123456789012:user/x", "AttachedManagedPolicies": [{"PolicyName": "P", "PolicyArn": "arn:aws:iam::123456789012:policy/P"}, {"PolicyName": "Q", "PolicyArn": "arn:aws:iam::123456789012:policy/P"}]}],
		  "Policies": [{"PolicyName": "P", "Arn": "arn:aws:iam::123456789012:policy/P", "DefaultVersionId": "v1", "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}]}`,
			`user "x": AttachedManagedPolicies[1] calls arn:aws:iam::123456789012:policy/P "Q", but the dump's Policies call it "P"`},
		{"attached policy without its ARN", `{"UserDetailList": [{"UserName": "x", "Arn": "arn:aws:iam::123456789012:user/x", "AttachedManagedPolicies": [{"PolicyName": "P", "PolicyArn": ""}]}]}`,
			`user "x": AttachedManagedPolicies[0].PolicyArn is missing`},
		{"bad inline policy", `{"UserDetailList": [{"UserName": "x", "Arn": "arn:aws:iam::123456789012:user/x", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": "%7B%22Statement%22%3A%5B%5D%7D"}]}]}`,
			`user "x": UserPolicyList[0].PolicyDocument: invalid policy`},
		{"inline object policy with position", "{\"UserDetailList\": [{\"UserName\": \"x\", \"Arn\": \"arn:aws:iam::123456789012:user/x\",\n \"UserPolicyList\": [{\"PolicyName\": \"p\", \"PolicyDocument\": {\"Statement\": {\"Effect\": \"allow\", \"Action\": \"*\", \"Resource\": \"*\"}}}]}]}",
			"dump.json:2:84: bad_effect"},
		{"role without trust policy", `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r"}]}`, `role "r": AssumeRolePolicyDocument: missing policy document`},
		{"two accounts", `{"UserDetailList": [{"UserName": "x", "Arn": "arn:aws:iam::123456789012:user/x"}, {"UserName": "y", "Arn": "arn:aws:iam::999999999999:user/y"}]}`, "is in account 999999999999"},
		{"no default version", `{"Policies": [{"PolicyName": "P", "Arn": "arn:aws:iam::123456789012:policy/P", "DefaultVersionId": "v3", "PolicyVersionList": []}]}`, `managed policy "P": PolicyVersionList has no default version`},
		{"empty", ``, "empty dump"},
	}
	for _, tc := range tests {
		a, err := account.Load("dump.json", []byte(tc.data))
		if a != nil || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: account %v, error %v; want %q", tc.name, a != nil, err, tc.want)
		}
	}
}

// TestPrincipalLookup: a principal is found by ARN, by name, or as
// kind/NAME, with its path too (role/service-role/NAME, as its ARN has
// it); a bare name that a user and a role share is refused rather than
// read as either (IAM names users and roles apart, so both may exist: a
// walkthrough's `--principal homeplain` analysed the user alone, silently).
func TestPrincipalLookup(t *testing.T) {
	dump := `{"UserDetailList":[
	  {"Path":"/","UserName":"shared","UserId":"AIDA1","Arn":"arn:aws:iam::123456789012:user/shared","UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]},
	  {"Path":"/staff/","UserName":"ann","UserId":"AIDA2","Arn":"arn:aws:iam::123456789012:user/staff/ann","UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}],
	 "GroupDetailList":[],
	 "RoleDetailList":[
	  {"Path":"/","RoleName":"shared","RoleId":"AROA1","Arn":"arn:aws:iam::123456789012:role/shared","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},"RolePolicyList":[],"AttachedManagedPolicies":[],"Tags":[]},
	  {"Path":"/service-role/","RoleName":"deploy","RoleId":"AROA2","Arn":"arn:aws:iam::123456789012:role/service-role/deploy","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},"RolePolicyList":[],"AttachedManagedPolicies":[],"Tags":[]}],
	 "Policies":[]}`
	a, err := account.Load("lookup.json", []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ref, want, err string }{
		{"user/shared", "arn:aws:iam::123456789012:user/shared", ""},
		{"role/shared", "arn:aws:iam::123456789012:role/shared", ""},
		{"arn:aws:iam::123456789012:role/shared", "arn:aws:iam::123456789012:role/shared", ""},
		{"shared", "", `both a user and a role are named "shared": give user/shared or role/shared`},
		{"deploy", "arn:aws:iam::123456789012:role/service-role/deploy", ""},
		{"role/deploy", "arn:aws:iam::123456789012:role/service-role/deploy", ""},
		{"role/service-role/deploy", "arn:aws:iam::123456789012:role/service-role/deploy", ""},
		{"role/other-path/deploy", "", `no user or role "role/other-path/deploy" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean role/service-role/deploy (arn:aws:iam::123456789012:role/service-role/deploy)?`},
		{"user/staff/ann", "arn:aws:iam::123456789012:user/staff/ann", ""},
		{"user/ann", "arn:aws:iam::123456789012:user/staff/ann", ""},
		{"user/deploy", "", `no user or role "user/deploy" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean role/service-role/deploy (arn:aws:iam::123456789012:role/service-role/deploy)?`},
		{"nobody", "", `no user or role "nobody" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them`},
		// a path and a name without the kind: as the ARN ends (a new
		// user's first guess; it was read as a kind "staff")
		{"staff/ann", "arn:aws:iam::123456789012:user/staff/ann", ""},
		{"service-role/deploy", "arn:aws:iam::123456789012:role/service-role/deploy", ""},
		// the path as IAM writes it, with its leading slash
		{"/staff/ann", "arn:aws:iam::123456789012:user/staff/ann", ""},
		{"/service-role/deploy", "arn:aws:iam::123456789012:role/service-role/deploy", ""},
		{"other-path/deploy", "", `no user or role "other-path/deploy" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean role/service-role/deploy (arn:aws:iam::123456789012:role/service-role/deploy)?`},
		{"/other/ann", "", `no user or role "/other/ann" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean user/staff/ann (arn:aws:iam::123456789012:user/staff/ann)?`},
		{"arn:aws:iam::123456789012:user/other/ann", "", `no user or role "arn:aws:iam::123456789012:user/other/ann" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean user/staff/ann (arn:aws:iam::123456789012:user/staff/ann)?`},
		{"arn:aws:iam::123456789012:user/ann", "", `no user or role "arn:aws:iam::123456789012:user/ann" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean user/staff/ann (arn:aws:iam::123456789012:user/staff/ann)?`},
		{"staff/nobody", "", `no user or role "staff/nobody" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them`},
		// names are case-sensitive in ARNs; the one meant is named
		{"Ann", "", `no user or role "Ann" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean user/staff/ann (arn:aws:iam::123456789012:user/staff/ann)?`},
		// a leading slash reads as IAM writes a path: the user or role
		// at that path (a helper's finds: /role/admin was the role admin,
		// /deploy refused as both a user's and a role's name)
		{"/shared", "", `both a user and a role are at "/shared": give user/shared or role/shared`},
		{"/deploy", "", `no user or role "/deploy" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean role/service-role/deploy (arn:aws:iam::123456789012:role/service-role/deploy)?`},
		{"/staff", "", `no user or role "/staff" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them`},
		// a trailing slash or space still finds the one meant
		{"staff/ann/", "", `no user or role "staff/ann/" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean user/staff/ann (arn:aws:iam::123456789012:user/staff/ann)?`},
		{" ann ", "", `no user or role " ann " in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean user/staff/ann (arn:aws:iam::123456789012:user/staff/ann)?`},
		{"SHARED", "", `no user or role "SHARED" in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them; did you mean user/shared (arn:aws:iam::123456789012:user/shared) or role/shared (arn:aws:iam::123456789012:role/shared)?`},
	} {
		p, err := a.Principal(tc.ref)
		switch {
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("Principal(%q) = %v, %v; want the error %q", tc.ref, p, err, tc.err)
			}
		case err != nil || p.ARN != tc.want:
			t.Errorf("Principal(%q) = %v, %v; want %s", tc.ref, p, err, tc.want)
		}
	}
	// paths that read like kinds: the user admin at /role/ beside the role
	// admin at /, the role z at /user/, the user role at /role/
	b, err := account.Load("paths.json", []byte(`{"UserDetailList":[
	  {"Path":"/role/","UserName":"admin","UserId":"AIDA1","Arn":"arn:aws:iam::123456789012:user/role/admin","UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]},
	  {"Path":"/role/","UserName":"role","UserId":"AIDA2","Arn":"arn:aws:iam::123456789012:user/role/role","UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}],
	 "GroupDetailList":[],
	 "RoleDetailList":[
	  {"Path":"/","RoleName":"admin","RoleId":"AROA1","Arn":"arn:aws:iam::123456789012:role/admin","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},"RolePolicyList":[],"AttachedManagedPolicies":[],"Tags":[]},
	  {"Path":"/user/","RoleName":"z","RoleId":"AROA2","Arn":"arn:aws:iam::123456789012:role/user/z","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},"RolePolicyList":[],"AttachedManagedPolicies":[],"Tags":[]}],
	 "Policies":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]string{
		"/role/admin":    "arn:aws:iam::123456789012:user/role/admin",
		"role/admin":     "arn:aws:iam::123456789012:role/admin",
		"/admin":         "arn:aws:iam::123456789012:role/admin",
		"/user/z":        "arn:aws:iam::123456789012:role/user/z",
		"/role/role":     "arn:aws:iam::123456789012:user/role/role",
		"user/role/role": "arn:aws:iam::123456789012:user/role/role",
	} {
		if p, err := b.Principal(ref); err != nil || p.ARN != want {
			t.Errorf("Principal(%q) = %v, %v; want %s", ref, p, err, want)
		}
	}
	// a long reference is not quoted whole
	if _, err := b.Principal(strings.Repeat("x", 100000)); err == nil || len(err.Error()) > 400 {
		t.Errorf("a 100,000-byte reference: an error of %d bytes", len(err.Error()))
	}
}

// TestLoadRefusesFieldsTwice: a field twice in one object of a dump (a
// page, an entity, an inline policy, a tag) is refused with its position,
// as a key twice in a policy document is (duplicate_key): the AWS CLI
// prints each field once, and reading the first or the last would be a
// guess (a walkthrough's dump with "Tags" twice on a user loaded, its
// second list read).
func TestLoadRefusesFieldsTwice(t *testing.T) {
	const user = `{"Path":"/","UserName":"a","UserId":"AIDA1","Arn":"arn:aws:iam::123456789012:user/a","UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	page := func(users string) string {
		return `{"UserDetailList":[` + users + `],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`
	}
	for _, tc := range []struct{ name, dump, want string }{
		{"page", `{"UserDetailList":[],"UserDetailList":[` + user + `],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`,
			`d.json:1:22: field "UserDetailList" twice in a get-account-authorization-details page`},
		{"user", page(strings.Replace(user, `"Tags":[]`, `"Tags":[{"Key":"t","Value":"1"}],"Tags":[]`, 1)),
			`field "Tags" twice in a UserDetail`},
		{"tag", page(strings.Replace(user, `"Tags":[]`, `"Tags":[{"Key":"t","Key":"u","Value":"1"}]`, 1)),
			`Tags[0]: field "Key" twice in a tag`},
		{"inline policy", page(strings.Replace(user, `"UserPolicyList":[]`, `"UserPolicyList":[{"PolicyName":"x","PolicyName":"y","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}]`, 1)),
			`UserPolicyList[0]: field "PolicyName" twice in an inline policy`},
	} {
		_, err := account.Load("d.json", []byte(tc.dump))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Load = %v, want an error with %q", tc.name, err, tc.want)
		}
	}
	if _, err := account.Load("d.json", []byte(page(user))); err != nil {
		t.Errorf("the same dump with each field once: %v", err)
	}
}

// TestGroupLookup: a group is found by its name, its ARN (with or without
// its path), and group/ with its name or its path and name, as Principal
// finds users and roles with user/ and role/.
func TestGroupLookup(t *testing.T) {
	dump := `{"UserDetailList":[],
	 "GroupDetailList":[
	  {"Path":"/","GroupName":"devs","GroupId":"AGPA1","Arn":"arn:aws:iam::123456789012:group/devs","GroupPolicyList":[],"AttachedManagedPolicies":[]},
	  {"Path":"/teams/","GroupName":"ops","GroupId":"AGPA2","Arn":"arn:aws:iam::123456789012:group/teams/ops","GroupPolicyList":[],"AttachedManagedPolicies":[]}],
	 "RoleDetailList":[],"Policies":[]}`
	a, err := account.Load("groups.json", []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ref, want string }{
		{"devs", "devs"},
		{"group/devs", "devs"},
		{"arn:aws:iam::123456789012:group/devs", "devs"},
		{"ops", "ops"},
		{"group/ops", "ops"},
		{"group/teams/ops", "ops"},
		{"arn:aws:iam::123456789012:group/teams/ops", "ops"},
		{"arn:aws:iam::123456789012:group/ops", "ops"},
		{"group/other/ops", ""},
		{"group/nobody", ""},
		{"user/devs", ""},
		{"arn:aws:iam::999999999999:group/devs", ""},
	} {
		g, ok := a.Group(tc.ref)
		got := ""
		if ok {
			got = g.Name
		}
		if got != tc.want {
			t.Errorf("Group(%q) = %q, want %q", tc.ref, got, tc.want)
		}
	}
}
