package account_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
)

// reachString renders a role's reachability: its status, then each path
// as "name=status".
func reachString(r *account.RoleReach) string {
	var paths []string
	for _, p := range r.Paths() {
		paths = append(paths, fmt.Sprintf("%s=%s", p.Assumer.Name, p.Status))
	}
	return r.Status.String() + " [" + strings.Join(paths, ", ") + "]"
}

// TestReachability pins how a role can be reached, following role chains:
// a role session carries aws:MultiFactorAuthPresent=false (SPEC 6.2), so a
// role reached through another role is reachable without MFA only when that
// role is, and with MFA when MFA was needed to reach that role.
func TestReachability(t *testing.T) {
	adminTrust := doc(trustStmt(rootOfAcct, "", mfaTrue))
	tests := []struct {
		name  string
		users []tUser
		roles []tRole
		want  map[string]string // role -> reachString
	}{
		{
			name:  "issue 11: a role whose trust policy requires MFA is reachable only with MFA, though its sessions carry no MFA",
			users: []tUser{{name: "alice", inline: []string{doc(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::` + acctID + `:role/Admin"}`)}}},
			roles: []tRole{{name: "Admin", trust: adminTrust, inline: []string{doc(allowAll)}}},
			want:  map[string]string{"Admin": "only-with-mfa [user alice=only-with-mfa]"},
		},
		{
			name:  "role chaining passes on MFA-only reachability: the MFA was needed to reach the first role",
			users: []tUser{{name: "alice", inline: []string{doc(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::` + acctID + `:role/Admin"}`)}}},
			roles: []tRole{
				{name: "Admin", trust: adminTrust, inline: []string{doc(allowAll)}},
				{name: "Deploy", trust: doc(trustStmt(rootOfAcct, "", ""))},
			},
			want: map[string]string{
				"Admin":  "only-with-mfa [user alice=only-with-mfa]",
				"Deploy": "only-with-mfa [role Admin=only-with-mfa]",
			},
		},
		{
			name: "role chaining from a role a service assumes: reachable without MFA",
			roles: []tRole{
				{name: "EC2App", trust: doc(trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", "")), inline: []string{doc(allowAssume)}},
				{name: "Deploy", trust: doc(trustStmt(rootOfAcct, "", ""))},
			},
			want: map[string]string{
				"EC2App": "without-mfa [ec2.amazonaws.com=without-mfa]",
				"Deploy": "without-mfa [role EC2App=without-mfa]",
			},
		},
		{
			name:  "a role reachable both ways is reported both ways",
			users: []tUser{{name: "alice", inline: []string{doc(allowAssume)}}},
			roles: []tRole{{name: "App", trust: doc(trustStmt(`{"Service":"ec2.amazonaws.com"}`, "", ""), trustStmt(rootOfAcct, "", mfaTrue))}},
			want:  map[string]string{"App": "without-mfa [user alice=only-with-mfa, ec2.amazonaws.com=without-mfa]"},
		},
		{
			name: "roles that only trust each other: nobody can assume either",
			roles: []tRole{
				{name: "A", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::`+acctID+`:role/B"}`, "", ""))},
				{name: "B", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::`+acctID+`:role/A"}`, "", ""))},
			},
			want: map[string]string{"A": "unreachable []", "B": "unreachable []"},
		},
		{
			name:  "a role nobody is admitted to: unreachable",
			users: []tUser{{name: "bob", inline: []string{doc(onlyS3)}}},
			roles: []tRole{{name: "Orphan", trust: doc(trustStmt(rootOfAcct, "", ""))}},
			want:  map[string]string{"Orphan": "unreachable []"},
		},
		{
			name: "reachable only through a web identity whose token claim was not given: undecided, never unreachable",
			roles: []tRole{{name: "GitHub", trust: doc(trustStmt(`{"Federated":"`+githubOIDC+`"}`, "sts:AssumeRoleWithWebIdentity",
				`{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/*"}}`))}},
			want: map[string]string{"GitHub": "undecided [" + githubOIDC + "=undecided]"},
		},
		{
			name:  "an external account admitted by the trust side counts as reachable without MFA (the safe side)",
			roles: []tRole{{name: "Audit", trust: doc(trustStmt(`{"AWS":"444455556666"}`, "", ""))}},
			want:  map[string]string{"Audit": "without-mfa [arn:aws:iam::444455556666:root=without-mfa]"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := buildDump(t, tc.users, tc.roles)
			reach, err := a.NewAnalyzer(account.Options{}).Reachability()
			if err != nil {
				t.Fatal(err)
			}
			if len(reach) != len(a.Roles) {
				t.Fatalf("%d results for %d roles", len(reach), len(a.Roles))
			}
			for i, r := range reach {
				if r.Role != a.Roles[i] {
					t.Fatalf("result %d is role %s, want %s (dump order)", i, r.Role.Name, a.Roles[i].Name)
				}
				if got, want := reachString(r), tc.want[r.Role.Name]; got != want {
					t.Errorf("role %s:\n got %s\nwant %s", r.Role.Name, got, want)
				}
			}
		})
	}
}

// TestExampleReachability is the example account's roles.
func TestExampleReachability(t *testing.T) {
	a := loadExample(t)
	reach, err := a.NewAnalyzer(account.Options{}).Reachability()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]account.ReachStatus{
		// breakglass is named directly and needs no MFA
		"Admin": account.ReachWithoutMFA,
		// judy's AllowAll, and Admin's sessions
		"ReadOnly":    account.ReachWithoutMFA,
		"EC2App":      account.ReachWithoutMFA,
		"CIDeploy":    account.ReachWithoutMFA,
		"DataScience": account.ReachOnlyWithMFA, // NumericLessThan aws:MultiFactorAuthAge 3600
	}
	for _, r := range reach {
		if r.Status != want[r.Role.Name] {
			t.Errorf("role %s: %s", r.Role.Name, reachString(r))
		}
	}
}

// reachFull renders everything a role's reachability says: its status,
// its paths and every caller with what it crosses with and why.
func reachFull(r *account.RoleReach) string {
	var b strings.Builder
	b.WriteString(reachString(r))
	for _, x := range r.Assumers() {
		fmt.Fprintf(&b, "\n  %s %s %s tried=%s crosses=%s undecided=%s missing=%v values=%v checked=%v age=%d/%v by=%v",
			x.Kind, x.Name, x.Caller, x.Tried, x.Crosses, x.Undecided, x.Missing, x.CallerValues, x.IdentityChecked, x.MaxMFAAge, x.NoAgeLimit, x.AllowedBy)
	}
	return b.String()
}

// TestReachabilityOf: the reachability of a few roles, following only the
// role chains that lead to them, is what the whole account's says of each
// of them: on the example accounts and on a generated account with role
// chains (accounttest's Copies: a role trusting the role before it).
func TestReachabilityOf(t *testing.T) {
	generated, err := account.Load("cli.json", accounttest.CLIDumpWith(200, accounttest.Options{Copies: true, Admins: true}))
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range map[string]*account.Account{"example": loadExample(t), "paths": pathsAccount(t), "generated": generated} {
		t.Run(name, func(t *testing.T) {
			all, err := a.NewAnalyzer(account.Options{}).Reachability()
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range a.Roles {
				got, err := a.NewAnalyzer(account.Options{}).ReachabilityOf(r)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 || got[0].Role != r {
					t.Fatalf("role %s: %d answers", r.Name, len(got))
				}
				if g, w := reachFull(got[0]), reachFull(all[i]); g != w {
					t.Errorf("role %s:\n got %s\nwant %s", r.Name, g, w)
				}
			}
			// several roles at once, one twice, in the order asked
			if n := len(a.Roles); n >= 3 {
				ask := []*account.Role{a.Roles[n-1], a.Roles[0], a.Roles[n-1], a.Roles[n/2]}
				got, err := a.NewAnalyzer(account.Options{}).ReachabilityOf(ask...)
				if err != nil {
					t.Fatal(err)
				}
				for i, r := range ask {
					if got[i].Role != r {
						t.Fatalf("answer %d is role %s, want %s", i, got[i].Role.Name, r.Name)
					}
				}
			}
		})
	}
}

// TestAnalyzerPrincipals checks Analyzer.Principals against
// Account.Principals (every user, then every role, in dump order, with the
// same names, ARNs, callers and entities), and that the slice is the
// caller's own while the principals are the analyzer's.
func TestAnalyzerPrincipals(t *testing.T) {
	acct, err := account.Load("dump.json", accounttest.CLIDumpWith(40, accounttest.Options{Copies: true, Admins: true}))
	if err != nil {
		t.Fatal(err)
	}
	an := acct.NewAnalyzer(account.Options{})
	want := acct.Principals()
	got := an.Principals()
	if len(got) != len(want) || len(got) < 40 {
		t.Fatalf("%d principals, want %d", len(got), len(want))
	}
	for i := range want {
		if *got[i] != *want[i] {
			t.Errorf("principal %d: %+v, want %+v", i, *got[i], *want[i])
		}
	}
	again := an.Principals()
	if again[0] != got[0] {
		t.Errorf("the analyzer made its principals again")
	}
	got[0] = nil
	if again := an.Principals(); again[0] == nil {
		t.Errorf("the slice returned is the analyzer's own")
	}
}

// TestReachabilityFilteredDump: a trust policy that names the role's own
// account admits every principal of it whose own policies allow
// sts:AssumeRole ("How IAM roles differ from resource-based policies":
// specifying the account as principal delegates to the account's
// administrators). A dump made with --filter Role lists no users, so they
// are not "no principal": the role was said to be one "nobody can assume",
// though every user of the account with MFA could. The users the dump does
// not list stand in as one caller whose own policies are not known, on the
// safe side, as a named principal outside the dump does; and so do the
// roles of a dump that lists none.
func TestReachabilityFilteredDump(t *testing.T) {
	trust := func(cond string) string {
		c := ""
		if cond != "" {
			c = `,"Condition":` + cond
		}
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctID + `:root"},"Action":"sts:AssumeRole"` + c + `}]}`
	}
	role := func(name, trust string) string {
		return `{"Path":"/","RoleName":"` + name + `","RoleId":"AROA` + name + `","Arn":"arn:aws:iam::` + acctID + `:role/` + name + `","AssumeRolePolicyDocument":` + trust + `,"RolePolicyList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	}
	roles := `"RoleDetailList":[` + role("Recent", trust(`{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`)) + `,` + role("Open", trust("")) + `,` + role("WithMFA", trust(`{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`)) + `]`
	for _, tc := range []struct {
		name, dump string
		want       map[string]string
	}{
		{"no UserDetailList (--filter Role)", `{` + roles + `,"Policies":[]}`, map[string]string{
			"Recent":  "only-with-mfa",
			"Open":    "without-mfa",
			"WithMFA": "only-with-mfa",
		}},
		// an account that has no users: its dump lists none, and only its
		// roles' sessions (no MFA) can call
		{"an empty UserDetailList", `{"UserDetailList":[],"GroupDetailList":[],` + roles + `,"Policies":[]}`, map[string]string{
			"Recent":  "unreachable",
			"Open":    "unreachable",
			"WithMFA": "unreachable",
		}},
	} {
		for _, r := range reachOfDump(t, tc.dump) {
			if got := r.Status.String(); got != tc.want[r.Role.Name] {
				t.Errorf("%s: role %s: %s, want %s", tc.name, r.Role.Name, reachString(r), tc.want[r.Role.Name])
			}
		}
	}
}

// TestReachabilityUndecidedOnlyWhereAValueCouldAdmit: a credential state is
// undecided only where some value of the keys the decision lacked could
// let the call through. A helper's finds: (1) alice may assume roles only
// in eu-west-1 (aws:RequestedRegion, which the analysis does not know), and
// AdminMFA's trust policy asks Bool aws:MultiFactorAuthPresent true, which
// no call without MFA meets ("the condition returns false when the key is
// absent"; a session without MFA carries false): the role was "may be
// reachable without MFA"; (2) u1's own Deny without MFA (BoolIfExists
// false) denies the call whatever aws:SourceIp is, and IpRole's trust
// policy asks aws:SourceIp: it was undecided with long-term keys and a
// session without MFA too.
func TestReachabilityUndecidedOnlyWhereAValueCouldAdmit(t *testing.T) {
	user := func(name, stmts string) string {
		return `{"Path":"/","UserName":"` + name + `","UserId":"AIDA` + name + `","Arn":"arn:aws:iam::` + acctID + `:user/` + name + `","UserPolicyList":[{"PolicyName":"P","PolicyDocument":{"Version":"2012-10-17","Statement":[` + stmts + `]}}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	}
	role := func(name, cond string) string {
		return `{"Path":"/","RoleName":"` + name + `","RoleId":"AROA` + name + `","Arn":"arn:aws:iam::` + acctID + `:role/` + name + `","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctID + `:root"},"Action":"sts:AssumeRole","Condition":` + cond + `}]},"RolePolicyList":[],"AttachedManagedPolicies":[],"Tags":[]}`
	}
	for _, tc := range []struct {
		name, users, roles, role, want string
	}{
		{"a trust policy that asks MFA, a caller's Allow that asks a region",
			user("alice", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::`+acctID+`:role/*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}`),
			role("AdminMFA", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`), "AdminMFA", "only-with-mfa"},
		{"a caller's Deny without MFA, a trust policy that asks an address",
			user("u1", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"},{"Effect":"Deny","NotAction":["iam:ChangePassword","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`),
			role("IpRole", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`), "IpRole", "only-with-mfa"},
		// a value the caller chooses in its call (sts:ExternalId,
		// sts:RoleSessionName, ...) that a Deny tests: passing one the
		// Deny does not match lets the call through (a second helper's
		// finds: "reachable only with MFA", and --expect mfa-required
		// passed, while simulate allows the call with sts:ExternalId=x)
		{"a caller's Deny without MFA unless it passes an external id",
			user("u8", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"},{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringNotEquals":{"sts:ExternalId":"x"}}}`),
			role("R", `{"Bool":{"aws:SecureTransport":"true"}}`), "R", "undecided"},
		{"a trust policy's Deny without MFA unless the session is named ci-*",
			user("w", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`),
			`{"Path":"/","RoleName":"T","RoleId":"AROAT","Arn":"arn:aws:iam::` + acctID + `:role/T","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctID + `:root"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringNotLike":{"sts:RoleSessionName":"ci-*"}}}]},"RolePolicyList":[],"AttachedManagedPolicies":[],"Tags":[]}`,
			"T", "undecided"},
		// and where a value could admit it, it stays undecided
		{"a trust policy that asks an address alone",
			user("u2", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`),
			role("IpRole", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`), "IpRole", "undecided"},
	} {
		dump := `{"UserDetailList":[` + tc.users + `],"GroupDetailList":[],"RoleDetailList":[` + tc.roles + `],"Policies":[]}`
		for _, r := range reachOfDump(t, dump) {
			if r.Role.Name == tc.role && r.Status.String() != tc.want {
				t.Errorf("%s: role %s: %s, want %s", tc.name, r.Role.Name, reachString(r), tc.want)
			}
		}
	}
}

// reachOfDump loads dump and returns Reachability's answer.
func reachOfDump(t *testing.T, dump string) []*account.RoleReach {
	t.Helper()
	a, err := account.Load("dump.json", []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	rr, err := a.NewAnalyzer(account.Options{}).Reachability()
	if err != nil {
		t.Fatal(err)
	}
	return rr
}
