package evaluator_test

import (
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestSCPLevelDescribe: an SCP level that allows no statement matching the
// action denies implicitly, and the decision names the level (counted from
// 1 at the root, as ServiceControlPolicyInputList.N) and, when the level
// holds only Deny statements, says that AWS attaches FullAWSAccess to every
// level by default.
func TestSCPLevelDescribe(t *testing.T) {
	const alice = "arn:aws:iam::111122223333:user/alice"
	full := `{"Version":"2012-10-17","Statement":{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}}`
	denyPut := `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}}`
	allowEC2 := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}`
	const hint = " (the level holds only Deny statements; AWS attaches FullAWSAccess to every level by default — attach it, or an Allow, to that level)"
	tests := []struct {
		name   string
		levels [][]string
		level  int
		want   string
	}{
		{"the second level holds only a Deny", [][]string{{full}, {denyPut}}, 1,
			"SCP level 2 allows no statement matching s3:GetObject" + hint},
		{"the root holds only a Deny, the second none", [][]string{{denyPut}, {}}, 0,
			"SCP level 1 allows no statement matching s3:GetObject" + hint},
		{"the third level allows other actions", [][]string{{full}, {full}, {allowEC2, denyPut}}, 2,
			"SCP level 3 allows no statement matching s3:GetObject"},
		{"an empty level", [][]string{{full}, {}}, 1,
			"SCP level 2 allows no statement matching s3:GetObject"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set := evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "admin", admin)}}
			for l, level := range tc.levels {
				ps := []*policy.Policy{}
				for i, doc := range level {
					ps = append(ps, mustParse(t, "scp"+string(rune('0'+l))+string(rune('0'+i)), doc))
				}
				set.SCPs = append(set.SCPs, ps)
			}
			d := mustCompile(t, set).Evaluate(request.New(alice, "s3:GetObject", "*"))
			if d.Verdict != evaluator.ImplicitDeny || d.Rule != evaluator.RuleSCPLevel || d.SCPLevel != tc.level {
				t.Fatalf("got %v, rule %v, level %d; want implicitDeny by %v at level %d", d.Verdict, d.Rule, d.SCPLevel, evaluator.RuleSCPLevel, tc.level)
			}
			if got := d.Describe("s3:GetObject"); got != tc.want {
				t.Errorf("Describe:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
	// Other rules describe as Rule.Describe does.
	d := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "admin", admin)}}).Evaluate(request.New(alice, "s3:GetObject", "*"))
	if d.Describe("s3:GetObject") != d.Rule.Describe() {
		t.Errorf("Describe %q, want Rule.Describe %q", d.Describe("s3:GetObject"), d.Rule.Describe())
	}
}
