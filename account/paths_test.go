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

// TestPathsEC2PassRoleInstanceProfile: EC2 runs an instance as a role
// only through an instance profile: "an instance profile ... contains the
// role ... you specify the instance profile when you launch the instance"
// (IAM User Guide, "Use an IAM role to grant permissions to applications
// running on Amazon EC2 instances"), while Lambda's CreateFunction takes
// the role itself. So passing a role to EC2 and running it needs the role
// in an instance profile of the dump (its InstanceProfileList), or the
// caller allowed iam:CreateInstanceProfile and iam:AddRoleToInstanceProfile.
// Dumps: review 13's acct-esc.json (passer: iam:PassRole on EC2Role,
// ec2:RunInstances, no instance profile action; EC2Role's
// InstanceProfileList is []; lambdaer passes LambdaAdmin to Lambda); the
// same with EC2Role in the instance profile EC2Role, as the AWS CLI prints
// one (its get-account-authorization-details example); paths-account.json,
// whose AdminRole (Action *) may create one for EC2Role.
func TestPathsEC2PassRoleInstanceProfile(t *testing.T) {
	pass := func(dump, from, role string) *account.Escalation {
		esc, _ := escalationsFrom(t, loadDump(t, dump), from)
		for i := range esc {
			if esc[i].Action == "iam:PassRole" && strings.HasSuffix(esc[i].Target, ":role/"+role) {
				return &esc[i]
			}
		}
		return nil
	}
	if s := pass("paths-escalations.json", "passer", "EC2Role"); s != nil {
		t.Errorf("passer passes EC2Role, in no instance profile, to EC2 and may create none: %+v", s)
	}
	if s := pass("paths-escalations.json", "lambdaer", "LambdaAdmin"); s == nil || strings.Join(s.Also, ",") != "lambda:CreateFunction" {
		t.Errorf("lambdaer: Lambda takes the role: %+v", s)
	}
	s := pass("paths-instanceprofile.json", "passer", "EC2Role")
	if s == nil || s.InstanceProfile != "arn:aws:iam::210987654321:instance-profile/EC2Role" || s.NewProfile ||
		strings.Join(s.Also, ",") != "ec2:RunInstances" || s.Credentials.String() != "long-term keys, session without MFA, MFA" {
		t.Errorf("passer, EC2Role in instance profile EC2Role: %+v", s)
	}
	s = pass("paths-account.json", "bob", "EC2Role")
	if s == nil || !s.NewProfile || s.InstanceProfile != "arn:aws:iam::111122223333:instance-profile/EC2Role" ||
		strings.Join(s.Also, ",") != "iam:CreateInstanceProfile,iam:AddRoleToInstanceProfile,ec2:RunInstances" {
		t.Errorf("bob through AdminRole creates an instance profile for EC2Role: %+v", s)
	}
	if r := loadDump(t, "paths-instanceprofile.json").Roles; len(r) == 0 || strings.Join(r[0].InstanceProfiles, ",") != "arn:aws:iam::210987654321:instance-profile/EC2Role" {
		t.Errorf("the loader drops InstanceProfileList: %+v", r)
	}
}
