package account_test

import (
	"os"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
)

// TestWhoCan pins the ways to s3:DeleteObject on the example account
// testdata/account/paths-account.json, each an evaluation AWS makes:
// alice's own policies deny S3 without MFA (BoolIfExists on
// aws:MultiFactorAuthPresent false: long-term keys too), but she may
// assume DeployRole, whose trust policy names the account and asks no MFA
// (an account principal needs the identity Allow she has), and a role
// session may delete: the MFA bypass; carol, whose own policies need no
// MFA, reaches it too, which bypasses nothing; bob reaches AdminRole only with MFA
// (Bool true in its trust), and from there DeployRole too (role chaining:
// AdminRole's session may assume it, its trust naming the account);
// EC2Role may not delete; OpenPartnerRole may,
// for account 777788889999, whose own policies are not known.
func TestWhoCan(t *testing.T) {
	a := pathsAccount(t)
	ways, err := a.NewAnalyzer(account.Options{}).WhoCan("s3:DeleteObject", "arn:aws:s3:::prod-artifacts/build.zip")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ways {
		var roles []string
		for _, r := range w.Roles {
			roles = append(roles, r.Name)
		}
		line := w.Start.Name + " [" + strings.Join(roles, " -> ") + "] " + w.Credentials.String()
		if w.Bypass {
			line += " BYPASS"
		}
		got = append(got, line)
	}
	want := []string{
		"user alice [] MFA",
		"user carol [] long-term keys, session without MFA, MFA",
		"role DeployRole [] session without MFA",
		"role AdminRole [] session without MFA",
		"role OpenPartnerRole [] session without MFA",
		"user alice [DeployRole] long-term keys, session without MFA, MFA BYPASS",
		"user carol [DeployRole] long-term keys, session without MFA, MFA", // no bypass: her own policies need no MFA
		"user dave [DeployRole] long-term keys, session without MFA, MFA",  // no bypass: his own policies never allow it
		"user bob [AdminRole -> DeployRole] MFA",                           // role chaining: AdminRole's session may assume DeployRole
		"user bob [AdminRole] MFA",
		"arn:aws:iam::777788889999:root [OpenPartnerRole] long-term keys, session without MFA, MFA",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ways to delete artifacts:\n got %q\nwant %q", got, want)
	}
}

// BenchmarkWhoCan is issue 15's workload on accounttest.CLIDumpWith(5000,
// Copies and Admins): 5,000 users, 500 roles, 150 managed policies. graph
// builds who can reach each role (Reachability: every trust policy decided
// for every principal of the dump); query is one who-can on a built graph
// (the users' and roles' own decisions, and the ways through roles).
func BenchmarkWhoCan(b *testing.B) {
	data := accounttest.CLIDumpWith(5000, accounttest.Options{Copies: true, Admins: true})
	a, err := account.Load("dump.json", data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("graph", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := a.NewAnalyzer(account.Options{}).Reachability(); err != nil {
				b.Fatal(err)
			}
		}
	})
	an := a.NewAnalyzer(account.Options{})
	if _, err := an.Reachability(); err != nil {
		b.Fatal(err)
	}
	b.Run("query", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ways, err := an.WhoCan("s3:DeleteObject", "arn:aws:s3:::team-5/k")
			if err != nil || len(ways) == 0 {
				b.Fatal(err, len(ways))
			}
		}
	})
}

// TestExposure: the roles a principal of another account can assume, with
// what guards them: PartnerRole only with the external id its trust policy
// names (the confused-deputy guard AWS recommends for third parties),
// OpenPartnerRole with nothing.
func TestExposure(t *testing.T) {
	a := pathsAccount(t)
	ex, err := a.NewAnalyzer(account.Options{}).Exposure()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ex {
		got = append(got, e.Role.Name+" <- "+e.Assumer.Name+" ["+strings.Join(e.Guards, "; ")+"]")
	}
	want := []string{
		"PartnerRole <- arn:aws:iam::444455556666:root [sts:ExternalId StringEquals partner-7f3a]",
		"OpenPartnerRole <- arn:aws:iam::777788889999:root []",
		// undecided (the organization is a context key): still guarded
		"OrgRole <- * [aws:PrincipalOrgID StringEquals o-exampleorg]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exposure:\n got %q\nwant %q", got, want)
	}
}

// TestPathsFrom: mallory may attach a policy to herself
// (iam:AttachUserPolicy on her own ARN: PMapper's first escalation), an
// escalation found with every credential state; alice reaches DeployRole
// without MFA and has no escalation; bob reaches AdminRole with MFA, whose
// session (Action *) can do every escalation: one is rewriting the trust
// policy of EC2Role, open to bob with MFA only.
func TestPathsFrom(t *testing.T) {
	a := pathsAccount(t)
	an := a.NewAnalyzer(account.Options{})
	from := func(name string) ([]account.Access, []account.Escalation) {
		p, err := a.Principal(name)
		if err != nil {
			t.Fatal(err)
		}
		roles, esc, err := an.PathsFrom(p)
		if err != nil {
			t.Fatal(err)
		}
		return roles, esc
	}
	_, esc := from("mallory")
	if len(esc) != 1 || esc[0].Action != "iam:AttachUserPolicy" || esc[0].Credentials.String() != "long-term keys, session without MFA, MFA" {
		t.Errorf("mallory: %+v", esc)
	}
	// (OrgRole, open to the organization o-exampleorg, is reached maybe:
	// whether a principal is in it is a context key the dump does not give)
	roles, esc := from("alice")
	if len(roles) != 2 || roles[0].Roles[0].Name != "DeployRole" || !roles[0].Credentials.WithoutMFA() ||
		roles[1].Roles[0].Name != "OrgRole" || roles[1].Credentials != 0 || len(esc) != 0 {
		t.Errorf("alice: roles %+v, escalations %+v", roles, esc)
	}
	// a role's session goes on through the roles it may assume (role
	// chaining): AdminRole's session reaches DeployRole
	roles, _ = from("AdminRole")
	if len(roles) != 2 || roles[0].Roles[0].Name != "DeployRole" || roles[0].Credentials.String() != "session without MFA" {
		t.Errorf("AdminRole: %+v", roles)
	}
	roles, esc = from("bob")
	found := false
	for _, s := range esc {
		if s.Action == "iam:UpdateAssumeRolePolicy" && strings.HasSuffix(s.Target, "role/EC2Role") {
			found = s.Credentials.String() == "MFA" && len(s.Roles) > 0 && s.Roles[0].Name == "AdminRole"
		}
	}
	if len(roles) == 0 || !found {
		t.Errorf("bob: roles %d, escalations %+v", len(roles), esc)
	}
}

// pathsAccount loads the example account testdata/account/paths-account.json.
func pathsAccount(t *testing.T) *account.Account {
	t.Helper()
	data, err := os.ReadFile("../testdata/account/paths-account.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Load("paths-account.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestWhoCanShortestWays: every shortest way is found, whatever the order
// of the roles in the dump (a reviewer's find: lambda.amazonaws.com ->
// Lambda -> Public was lost to the longer, undecided way through Org, found
// first in the same sweep).
func TestWhoCanShortestWays(t *testing.T) {
	data, err := os.ReadFile("../testdata/account/whocan-shortest.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Load("whocan-shortest.json", data)
	if err != nil {
		t.Fatal(err)
	}
	ways, err := a.NewAnalyzer(account.Options{}).WhoCan("s3:GetObject", "arn:aws:s3:::b/k")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range ways {
		var names []string
		for _, r := range w.Roles {
			names = append(names, r.Name)
		}
		if w.Start.Name == "lambda.amazonaws.com" && strings.Join(names, ",") == "Lambda,Public" {
			found = w.Credentials&account.SessionWithoutMFA != 0
		}
	}
	if !found {
		t.Error("lambda.amazonaws.com -> Lambda -> Public (certain) is missing")
	}
}
