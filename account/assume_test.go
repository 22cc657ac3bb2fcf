package account_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

const acctID = "123456789012"

// tUser and tRole describe the entities of a small test dump. Policies are
// written as JSON; a boundary becomes a managed policy of the dump.
type tUser struct {
	name     string
	inline   []string
	boundary string
}

type tRole struct {
	name, trust string
	inline      []string
	boundary    string
}

// buildDump writes a get-account-authorization-details page holding users
// and roles, and loads it.
func buildDump(t *testing.T, users []tUser, roles []tRole) *account.Account {
	t.Helper()
	type inline struct {
		PolicyName     string
		PolicyDocument json.RawMessage
	}
	type attached struct{ PolicyName, PolicyArn string }
	type boundary struct{ PermissionsBoundaryType, PermissionsBoundaryArn string }
	type version struct {
		Document         json.RawMessage
		VersionId        string
		IsDefaultVersion bool
	}
	type managed struct {
		PolicyName, Arn, DefaultVersionId string
		PolicyVersionList                 []version
	}
	page := map[string]any{}
	var ul, rl []map[string]any
	var pl []managed
	addBoundary := func(owner, doc string) *boundary {
		if doc == "" {
			return nil
		}
		arn := "arn:aws:iam::" + acctID + ":policy/Boundary-" + owner
		pl = append(pl, managed{PolicyName: "Boundary-" + owner, Arn: arn, DefaultVersionId: "v1",
			PolicyVersionList: []version{{Document: json.RawMessage(doc), VersionId: "v1", IsDefaultVersion: true}}})
		return &boundary{"Policy", arn}
	}
	inlines := func(docs []string) []inline {
		out := []inline{}
		for i, d := range docs {
			out = append(out, inline{fmt.Sprintf("p%d", i), json.RawMessage(d)})
		}
		return out
	}
	for _, u := range users {
		m := map[string]any{"UserName": u.name, "Arn": "arn:aws:iam::" + acctID + ":user/" + u.name,
			"UserPolicyList": inlines(u.inline), "GroupList": []string{}, "AttachedManagedPolicies": []attached{}}
		if b := addBoundary("user-"+u.name, u.boundary); b != nil {
			m["PermissionsBoundary"] = b
		}
		ul = append(ul, m)
	}
	for _, r := range roles {
		m := map[string]any{"RoleName": r.name, "Arn": "arn:aws:iam::" + acctID + ":role/" + r.name,
			"AssumeRolePolicyDocument": json.RawMessage(r.trust), "RolePolicyList": inlines(r.inline), "AttachedManagedPolicies": []attached{}}
		if b := addBoundary("role-"+r.name, r.boundary); b != nil {
			m["PermissionsBoundary"] = b
		}
		rl = append(rl, m)
	}
	page["UserDetailList"], page["RoleDetailList"], page["Policies"] = ul, rl, pl
	if ul == nil {
		page["UserDetailList"] = []any{}
	}
	if rl == nil {
		page["RoleDetailList"] = []any{}
	}
	if pl == nil {
		page["Policies"] = []any{}
	}
	data, err := json.Marshal(page)
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Load("test-dump.json", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	return a
}

// statement helpers for the tests' policies
func doc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

func trustStmt(principal, action, cond string) string {
	if action == "" {
		action = "sts:AssumeRole"
	}
	s := `{"Effect":"Allow","Principal":` + principal + `,"Action":"` + action + `"`
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + "}"
}

const (
	mfaTrue      = `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`
	rootOfAcct   = `{"AWS":"arn:aws:iam::` + acctID + `:root"}`
	allowAssume  = `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`
	allowAll     = `{"Effect":"Allow","Action":"*","Resource":"*"}`
	denyNoMFA    = `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`
	onlyS3       = `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`
	githubOIDC   = `arn:aws:iam::` + acctID + `:oidc-provider/token.actions.githubusercontent.com`
	samlProvider = `arn:aws:iam::` + acctID + `:saml-provider/corp`
)

// crossings renders assumers as name -> credential states: "lt tmp mfa" for
// the states that cross, "?tmp" for an undecided state, and "ext" when the
// caller's identity side was not checked.
func crossings(as []account.Assumer) map[string]string {
	out := map[string]string{}
	for _, a := range as {
		var parts []string
		for _, c := range []struct {
			cred account.Credentials
			name string
		}{{account.LongTermKeys, "lt"}, {account.SessionWithoutMFA, "tmp"}, {account.WithMFA, "mfa"}} {
			switch {
			case a.Crosses&c.cred != 0:
				parts = append(parts, c.name)
			case a.Undecided&c.cred != 0:
				parts = append(parts, "?"+c.name)
			}
		}
		if !a.IdentityChecked {
			parts = append(parts, "ext")
		}
		out[a.Name] = strings.Join(parts, " ")
	}
	return out
}

func render(m map[string]string) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s; ", k, m[k])
	}
	return b.String()
}

// TestAssumers pins who can call sts:AssumeRole on a role, and with which
// credentials, as the engine decides it against the role's trust policy.
func TestAssumers(t *testing.T) {
	tests := []struct {
		name  string
		users []tUser
		roles []tRole // the first role is the one asked about
		want  map[string]string
	}{
		{
			name:  "SPEC 6.5: the trust policy can require MFA at AssumeRole; SPEC 5.2: a trust policy naming the account also needs the caller's identity Allow",
			users: []tUser{{name: "alice", inline: []string{doc(allowAssume)}}, {name: "bob"}},
			roles: []tRole{{name: "Admin", trust: doc(trustStmt(rootOfAcct, "", mfaTrue))}},
			want:  map[string]string{"user alice": "mfa"},
		},
		{
			name:  "SPEC 5.2: naming the account delegates to identity policies: every user they allow crosses with every credential",
			users: []tUser{{name: "alice", inline: []string{doc(allowAssume)}}, {name: "bob", inline: []string{doc(onlyS3)}}},
			roles: []tRole{{name: "ReadOnly", trust: doc(trustStmt(`{"AWS":"`+acctID+`"}`, "", ""))}},
			want:  map[string]string{"user alice": "lt tmp mfa"},
		},
		{
			name:  "SPEC 5.2: a trust policy naming the IAM user ARN is not limited by the user's identity policies",
			users: []tUser{{name: "bob"}},
			roles: []tRole{{name: "BreakGlass", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::`+acctID+`:user/bob"}`, "", ""))}},
			want:  map[string]string{"user bob": "lt tmp mfa"},
		},
		{
			name:  "SPEC 5.1: a Deny in the caller's own policies overrides the trust policy's Allow (force-MFA Deny: only MFA crosses)",
			users: []tUser{{name: "carol", inline: []string{doc(denyNoMFA)}}},
			roles: []tRole{{name: "BreakGlass", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::`+acctID+`:user/carol"}`, "", ""))}},
			want:  map[string]string{"user carol": "mfa"},
		},
		{
			name:  "SPEC 5.2 step 6: the caller's permissions boundary must allow sts:AssumeRole too",
			users: []tUser{{name: "dave", inline: []string{doc(allowAssume)}, boundary: doc(onlyS3)}, {name: "erin", inline: []string{doc(allowAssume)}}},
			roles: []tRole{{name: "ReadOnly", trust: doc(trustStmt(rootOfAcct, "", ""))}},
			want:  map[string]string{"user erin": "lt tmp mfa"},
		},
		{
			name: "SPEC 6.2: role sessions carry aws:MultiFactorAuthPresent=false, so a role session crosses only without MFA and never a trust that requires MFA",
			roles: []tRole{
				{name: "Target", trust: doc(trustStmt(rootOfAcct, "", ""))},
				{name: "Chain", trust: doc(trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", "")), inline: []string{doc(allowAssume)}},
			},
			want: map[string]string{"role Chain": "tmp"},
		},
		{
			name: "SPEC 6.2: role chaining never has MFA: a trust requiring MFA admits no role session",
			roles: []tRole{
				{name: "Target", trust: doc(trustStmt(rootOfAcct, "", mfaTrue))},
				{name: "Chain", trust: doc(trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", "")), inline: []string{doc(allowAll)}},
			},
			want: map[string]string{},
		},
		{
			name: "SPEC 1.3 / 5.2: a trust policy naming a role ARN admits the role's sessions without an identity Allow",
			roles: []tRole{
				{name: "Target", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::`+acctID+`:role/Chain"}`, "", ""))},
				{name: "Chain", trust: doc(trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", ""))},
			},
			want: map[string]string{"role Chain": "tmp"},
		},
		{
			name:  "a named session of a role of the dump is decided under its own session name",
			roles: []tRole{{name: "Target", trust: doc(trustStmt(`{"AWS":"arn:aws:sts::`+acctID+`:assumed-role/Chain/deploy"}`, "", ""))}, {name: "Chain", trust: doc(trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", ""))}},
			want:  map[string]string{"role Chain session deploy": "tmp"},
		},
		{
			name:  "SPEC 6.2: an AWS service carries no MFA: a service the trust policy admits crosses without MFA",
			roles: []tRole{{name: "EC2App", trust: doc(trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", ""))}},
			want:  map[string]string{"ec2.amazonaws.com": "lt tmp"},
		},
		{
			name:  "a service cannot present MFA: a trust requiring MFA does not admit it",
			roles: []tRole{{name: "EC2App", trust: doc(trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", mfaTrue))}},
			want:  map[string]string{},
		},
		{
			name:  "SPEC 6.5: AssumeRoleWithSAML supports no MFA: a SAML provider is admitted without MFA, decided on sts:AssumeRoleWithSAML",
			roles: []tRole{{name: "SSO", trust: doc(trustStmt(`{"Federated":"`+samlProvider+`"}`, "sts:AssumeRoleWithSAML", ""))}},
			want:  map[string]string{samlProvider: "tmp"},
		},
		{
			name:  "SPEC 6.5: AssumeRoleWithWebIdentity supports no MFA; a condition on a token claim the request lacks leaves it undecided, never denied",
			users: []tUser{{name: "alice", inline: []string{doc(allowAll)}}},
			roles: []tRole{{name: "GitHub", trust: doc(trustStmt(`{"Federated":"`+githubOIDC+`"}`, "sts:AssumeRoleWithWebIdentity",
				`{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/*"}}`))}},
			want: map[string]string{githubOIDC: "?tmp"},
		},
		{
			name:  "SPEC 5.3: another account's principals: the trust side is decided; their identity side is not in the dump and is not checked",
			roles: []tRole{{name: "Audit", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::444455556666:root"}`, "", ""))}},
			want:  map[string]string{"arn:aws:iam::444455556666:root": "lt tmp mfa ext"},
		},
		{
			name:  "another account's principals under a trust requiring MFA: only with MFA",
			roles: []tRole{{name: "Audit", trust: doc(trustStmt(`{"AWS":"444455556666"}`, "", mfaTrue))}},
			want:  map[string]string{"arn:aws:iam::444455556666:root": "mfa ext"},
		},
		{
			name:  "another account's role: its sessions carry no MFA (SPEC 6.2)",
			roles: []tRole{{name: "Audit", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::444455556666:role/Scanner"}`, "", ""))}},
			want:  map[string]string{"arn:aws:iam::444455556666:role/Scanner": "tmp ext"},
		},
		{
			name: "another account's principals restricted by aws:PrincipalOrgID: undecided (the key is not known)",
			roles: []tRole{{name: "Audit", trust: doc(trustStmt(`{"AWS":"444455556666"}`, "",
				`{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}`))}},
			want: map[string]string{"arn:aws:iam::444455556666:root": "?lt ?tmp ?mfa ext"},
		},
		{
			name:  `SPEC 1.3 / 5.2: Principal "*" admits everyone: the dump's users directly, and any principal outside the dump`,
			users: []tUser{{name: "alice"}},
			roles: []tRole{{name: "Open", trust: doc(trustStmt(`"*"`, "", ""))}},
			want:  map[string]string{"user alice": "lt tmp mfa", "role Open": "tmp", "*": "lt tmp mfa ext"},
		},
		{
			name:  "a user of this account named in the trust policy but missing from the dump: its identity side is not checked",
			roles: []tRole{{name: "Ghost", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::`+acctID+`:user/ghost"}`, "", ""))}},
			want:  map[string]string{"arn:aws:iam::" + acctID + ":user/ghost": "lt tmp mfa ext"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := buildDump(t, tc.users, tc.roles)
			got, err := a.Assumers(a.Roles[0], account.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if g, w := render(crossings(got)), render(tc.want); g != w {
				t.Errorf("assumers of role %s:\n got %s\nwant %s", a.Roles[0].Name, g, w)
			}
		})
	}
}

// TestAssumerDetails pins the fields beside the credential states: the
// kind, the action decided, the statements that allowed, the MFA age limit
// and the keys an undecided result needs.
func TestAssumerDetails(t *testing.T) {
	a := buildDump(t, []tUser{{name: "alice", inline: []string{doc(allowAssume)}}}, []tRole{
		{name: "Admin", trust: doc(`{"Sid":"Recent","Effect":"Allow","Principal":`+rootOfAcct+`,"Action":"sts:AssumeRole","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}`,
			trustStmt(`{"Federated":"`+githubOIDC+`"}`, "sts:AssumeRoleWithWebIdentity", `{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:org/app:ref:refs/heads/main"}}`),
			trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", ""))},
	})
	got, err := a.Assumers(a.Roles[0], account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]account.Assumer{}
	for _, x := range got {
		by[x.Name] = x
	}
	alice := by["user alice"]
	if alice.Kind != account.AssumerUser || alice.Action != "sts:AssumeRole" || alice.Crosses != account.WithMFA || alice.NoAgeLimit || alice.MaxMFAAge != 3599 || !alice.IdentityChecked {
		t.Errorf("alice: %+v", alice)
	}
	recent := false
	for _, m := range alice.AllowedBy {
		recent = recent || m.Sid == "Recent" && m.PolicyID == "role Admin trust policy"
	}
	if !recent {
		t.Errorf("alice allowed by %+v, want the trust statement Recent", alice.AllowedBy)
	}
	gh := by[githubOIDC]
	if gh.Kind != account.AssumerFederated || gh.Action != "sts:AssumeRoleWithWebIdentity" || gh.Crosses != 0 || gh.Undecided != account.SessionWithoutMFA ||
		strings.Join(gh.Missing, ",") != "token.actions.githubusercontent.com:sub" {
		t.Errorf("github: %+v", gh)
	}
	ec2 := by["ec2.amazonaws.com"]
	if ec2.Kind != account.AssumerService || ec2.Crosses != account.LongTermKeys|account.SessionWithoutMFA || len(ec2.Missing) != 0 {
		t.Errorf("ec2: %+v", ec2)
	}
	// the context given reaches the trust policy: with the claim, the
	// provider is admitted
	got, err = a.Assumers(a.Roles[0], account.Options{Context: func(r *request.Context) {
		_ = r.Set("token.actions.githubusercontent.com:sub", request.TypeString, "repo:org/app:ref:refs/heads/main")
	}})
	if err != nil {
		t.Fatal(err)
	}
	if c := crossings(got)[githubOIDC]; c != "tmp" {
		t.Errorf("with the claim given, github: %q, want tmp", c)
	}
	// a user gives no undecided result for a statement whose principal
	// is not the user, whatever keys that statement needs
	if c := crossings(got)["user alice"]; c != "mfa" {
		t.Errorf("alice: %q", c)
	}
}

// TestAssumersDecisions counts the requests decided, so that the report
// can say how many there were.
func TestAssumersDecisions(t *testing.T) {
	a := buildDump(t, []tUser{{name: "alice", inline: []string{doc(allowAssume)}}}, []tRole{{name: "R", trust: doc(trustStmt(rootOfAcct, "", ""))}})
	an := a.NewAnalyzer(account.Options{})
	if _, err := an.Assumers(a.Roles[0]); err != nil {
		t.Fatal(err)
	}
	// alice, under long-term keys, a session without MFA and MFA at ages
	// 0 and ten years; role R's own session is not decided: R's trust
	// policy names only the account, and R's policies (none) have no
	// Allow for sts:AssumeRole, so the engine's answer is known
	if n := an.Decisions(); n != 4 {
		t.Errorf("decisions: %d, want 4", n)
	}
}

// TestEnginesShared pins that principals with the same policies share one
// compiled engine (one compile per distinct set), and that a principal with
// policies of its own gets its own.
func TestEnginesShared(t *testing.T) {
	a := loadExample(t)
	an := a.NewAnalyzer(account.Options{})
	engine := func(who string, trust bool) any {
		p, err := a.Principal(who)
		if err != nil {
			t.Fatal(err)
		}
		var tp = a.Roles[0].Trust
		if !trust {
			tp = nil
		}
		e, err := an.Engine(p, tp)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	// bob and dave: the developers group's policies only
	if engine("bob", false) != engine("dave", false) || engine("bob", true) != engine("dave", true) {
		t.Error("users with the same policies do not share an engine")
	}
	// judy has an inline policy of her own
	if engine("bob", false) == engine("judy", false) || engine("bob", false) == engine("bob", true) {
		t.Error("different policy sets share an engine")
	}
}

// TestAssumersSCPs pins where the organization's policies apply: SCPs bound
// the dump's principals (SPEC 5.4: "SCPs limit member-account principals"),
// so an SCP Deny on sts:AssumeRole stops a user of the dump; they are not
// applied to entry points outside the dump (a service here), which can only
// over-report what those reach.
func TestAssumersSCPs(t *testing.T) {
	a := buildDump(t, []tUser{{name: "alice", inline: []string{doc(allowAssume)}}},
		[]tRole{{name: "App", trust: doc(trustStmt(rootOfAcct, "", ""), trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", ""))}})
	scp := func(stmts ...string) *policy.Policy {
		p, err := policy.Parse("scp.json", []byte(doc(stmts...)))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	full := scp(allowAll)
	deny := scp(allowAll, `{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}`)
	for _, tc := range []struct {
		name string
		scps [][]*policy.Policy
		want map[string]string
	}{
		{"FullAWSAccess", [][]*policy.Policy{{full}}, map[string]string{"user alice": "lt tmp mfa", "ec2.amazonaws.com": "lt tmp"}},
		{"an SCP Deny on sts:AssumeRole", [][]*policy.Policy{{full}, {deny}}, map[string]string{"ec2.amazonaws.com": "lt tmp"}},
	} {
		got, err := a.Assumers(a.Roles[0], account.Options{SCPs: tc.scps})
		if err != nil {
			t.Fatal(err)
		}
		if g, w := render(crossings(got)), render(tc.want); g != w {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, g, w)
		}
	}
}

// TestAssumeCallers: the callers of a role decided against its trust
// policy include the entry points another version of it names, decided
// against this one: a trust policy opened from ec2.amazonaws.com to "*"
// lets "*" (any AWS principal, Principal element page) cross; the old one
// lets the service cross and not "*", which it does not name.
func TestAssumeCallers(t *testing.T) {
	dump := func(principal string) *account.Account {
		a, err := account.Load("dump.json", []byte(`{"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [
  {"Path": "/", "RoleName": "EC2Role", "RoleId": "AROAEC2", "Arn": "arn:aws:iam::123456789012:role/EC2Role",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": `+principal+`, "Action": "sts:AssumeRole"}},
   "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": []}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	old, new := dump(`{"Service": "ec2.amazonaws.com"}`), dump(`{"AWS": "*"}`)
	ro, _ := old.Role("arn:aws:iam::123456789012:role/EC2Role")
	rn, _ := new.Role("arn:aws:iam::123456789012:role/EC2Role")
	crosses := func(a *account.Account, r, other *account.Role) map[string]bool {
		xs, err := a.NewAnalyzer(account.Options{}).AssumeCallers(r, other)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, x := range xs {
			out[x.Name] = x.Crosses != 0
		}
		return out
	}
	o, n := crosses(old, ro, rn), crosses(new, rn, ro)
	if !o["ec2.amazonaws.com"] || o["*"] {
		t.Errorf("old (ec2 service): %v", o)
	}
	if !n["*"] {
		t.Errorf("new (\"*\"): %v", n)
	}
	if _, ok := o["*"]; !ok {
		t.Errorf("old side did not decide \"*\", which only the new trust policy names: %v", o)
	}
}
