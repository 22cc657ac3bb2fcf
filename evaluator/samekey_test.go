package evaluator_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
)

// TestSameKey: keys are told apart as strings.ToLower tells them apart,
// for ASCII and other texts alike.
func TestSameKey(t *testing.T) {
	texts := []string{"aws:SourceIp", "aws:sourceip", "AWS:SOURCEIP", "aws:SourceIpx", "aws:Source_p",
		"aws:PrincipalTag/\u212aey", "aws:PrincipalTag/key", "aws:PrincipalTag/Key", "aws:PrincipalTag/\u017f", "aws:PrincipalTag/s", "", "@", "`", "[", "{", "k\xff", "k\xfe", "k\u212a", "\u212a"}
	for _, a := range texts {
		for _, b := range texts {
			//lint:ignore SA6005 SameKey is pinned to ToLower's equality
			if got, want := evaluator.SameKey(a, b), strings.ToLower(a) == strings.ToLower(b); got != want {
				t.Errorf("evaluator.SameKey(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestActionReadsKey: a key is read for an action when a statement of the
// action's footprint tests it in a condition or names it as a variable
// (Action or NotAction decides which statements those are); no other
// statement's use of it counts.
func TestActionReadsKey(t *testing.T) {
	p, err := policy.Parse("p", []byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}},
		{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:instance/${aws:MultiFactorAuthAge}"},
		{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
		{"Effect":"Deny","NotAction":["sts:*","iam:*","ec2:*","s3:*"],"Resource":"*","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"100"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	if err != nil {
		t.Fatal(err)
	}
	const age = "aws:MultiFactorAuthAge"
	for _, tc := range []struct {
		action, key string
		want        bool
	}{
		{"s3:GetObject", age, true},
		{"S3:getobject", "AWS:MULTIFACTORAUTHAGE", true},
		{"s3:PutObject", age, false},
		{"ec2:StopInstances", age, true},
		{"iam:CreateUser", age, false},
		{"iam:CreateUser", "aws:SourceIp", true},
		{"s3:GetObject", "aws:SourceIp", false},
		{"lambda:InvokeFunction", age, true},
		{"sts:AssumeRole", age, false},
		{"s3:GetObject", "aws:NotInAnyPolicy", false},
	} {
		if got := e.ActionReadsKey(tc.action, tc.key); got != tc.want {
			t.Errorf("ActionReadsKey(%s, %s) = %v, want %v", tc.action, tc.key, got, tc.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { e.ActionReadsKey("lambda:InvokeFunction", age) }); n != 0 {
		t.Errorf("ActionReadsKey allocates %v times", n)
	}
}
