package account_test

import (
	"os"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
)

// loadDump loads a dump of testdata/account.
func loadDump(t *testing.T, name string) *account.Account {
	t.Helper()
	data, err := os.ReadFile("../testdata/account/" + name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Load(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// escalationsFrom returns the escalations paths finds from the principal
// name of a, each "ACTION TARGET".
func escalationsFrom(t *testing.T, a *account.Account, name string) ([]account.Escalation, []string) {
	t.Helper()
	p, err := a.Principal(name)
	if err != nil {
		t.Fatal(err)
	}
	_, esc, err := a.NewAnalyzer(account.Options{}).PathsFrom(p)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, s := range esc {
		lines = append(lines, s.Action+" "+s.Target)
	}
	return esc, lines
}

// TestPathsAWSManagedPolicies: no escalation rewrites an AWS managed
// policy. AWS: "You cannot change the permissions defined in AWS managed
// policies" (IAM User Guide, AWS managed policies); their ARNs have the
// account "aws" (arn:aws:iam::aws:policy/ReadOnlyAccess), and IAM refuses
// CreatePolicyVersion, SetDefaultPolicyVersion and DeletePolicyVersion on
// them. Attaching one (it is the customer's user or role that changes)
// stays an escalation. Dumps: review 13's acct-awsmanaged.json (user ro:
// iam:CreatePolicyVersion on *, holds ReadOnlyAccess) and acct-esc.json
// (EC2Role holds AdministratorAccess; versioner may rewrite its customer
// managed policy Shared).
func TestPathsAWSManagedPolicies(t *testing.T) {
	cases := []struct {
		dump, from string
		want, not  []string
	}{
		{"paths-awsmanaged.json", "ro", nil, []string{"iam:CreatePolicyVersion arn:aws:iam::aws:policy/ReadOnlyAccess"}},
		{"paths-escalations.json", "EC2Role",
			[]string{"iam:AttachRolePolicy arn:aws:iam::210987654321:role/EC2Role"}, // attaching stays
			[]string{"iam:CreatePolicyVersion arn:aws:iam::aws:policy/AdministratorAccess"}},
		{"paths-escalations.json", "versioner", // a customer managed policy it holds: rewritable
			[]string{"iam:CreatePolicyVersion arn:aws:iam::210987654321:policy/Shared"}, nil},
	}
	for _, c := range cases {
		_, got := escalationsFrom(t, loadDump(t, c.dump), c.from)
		all := "\n" + strings.Join(got, "\n") + "\n"
		for _, w := range c.want {
			if !strings.Contains(all, "\n"+w+"\n") {
				t.Errorf("%s %s: no escalation %q in %q", c.dump, c.from, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(all, "\n"+n+"\n") {
				t.Errorf("%s %s: escalation %q, which AWS refuses (an AWS managed policy)", c.dump, c.from, n)
			}
		}
		for _, s := range got {
			if strings.Contains(s, "PolicyVersion arn:aws:iam::aws:") {
				t.Errorf("%s %s: %s modifies an AWS managed policy", c.dump, c.from, s)
			}
		}
	}
}
