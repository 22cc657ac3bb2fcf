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
// session may delete: the MFA bypass; bob reaches AdminRole only with MFA
// (Bool true in its trust), and from there DeployRole too (role chaining:
// AdminRole's session may assume it, its trust naming the account);
// EC2Role may not delete; OpenPartnerRole may,
// for account 777788889999, whose own policies are not known.
func TestWhoCan(t *testing.T) {
	data, err := os.ReadFile("../testdata/account/paths-account.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Load("paths-account.json", data)
	if err != nil {
		t.Fatal(err)
	}
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
		"role DeployRole [] session without MFA",
		"role AdminRole [] session without MFA",
		"role OpenPartnerRole [] session without MFA",
		"user alice [DeployRole] long-term keys, session without MFA, MFA BYPASS",
		"user bob [AdminRole -> DeployRole] MFA", // role chaining: AdminRole's session may assume DeployRole
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
	data, err := os.ReadFile("../testdata/account/paths-account.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Load("paths-account.json", data)
	if err != nil {
		t.Fatal(err)
	}
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
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("exposure:\n got %q\nwant %q", got, want)
	}
}
