package mfa

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestAgeNames: the scenario names ageName writes without formatting are
// the ages' decimal texts.
func TestAgeNames(t *testing.T) {
	for _, age := range []int64{0, 1, 3599, 3600, veryOld - 1, veryOld} {
		if got, want := ageName(age), "mfa-age="+strconv.FormatInt(age, 10); got != want {
			t.Errorf("ageName(%d) = %q, want %q", age, got, want)
		}
	}
}

// TestAgesDecidedOnce: an action no statement of which reads the MFA age is
// decided at one age and the decision given to every age; the result is
// the one deciding every age gives, for actions that read it and actions
// that do not.
func TestAgesDecidedOnce(t *testing.T) {
	p, err := policy.Parse("p", []byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["s3:GetObject","ec2:*"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
		{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}},
		{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"60"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	if err != nil {
		t.Fatal(err)
	}
	ages := Ages(Thresholds(e))
	for _, action := range []string{"s3:GetObject", "ec2:RunInstances", "ec2:TerminateInstances", "iam:CreateUser"} {
		base := request.New("arn:aws:iam::123456789012:user/alice", action, "*")
		var r Result
		analyze(&r, e, base, nil, ages)
		if len(r.Ages) != len(ages) {
			t.Fatalf("%s: %d ages, want %d", action, len(r.Ages), len(ages))
		}
		for i, a := range ages {
			req := base.Clone()
			req.SetSessionWithMFA(time.Duration(a) * time.Second)
			want := e.Evaluate(req)
			got := r.Ages[i]
			if got.Scenario.Age != a || got.Scenario.Name != ageName(a) || got.Decision.Verdict != want.Verdict ||
				fmt.Sprint(got.Decision.MatchedStatements(), got.Decision.MissingContextValues()) != fmt.Sprint(want.MatchedStatements(), want.MissingContextValues()) {
				t.Errorf("%s at %ds: %v %v, deciding that age gives %v %v", action, a, got.Scenario, got.Decision.Verdict, want.Verdict, want.MatchedStatements())
			}
		}
	}
	var r Result
	analyze(&r, e, request.New("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "*"), nil, ages)
	if !r.HasMFAAllowed || r.MaxAge != 3600 {
		t.Errorf("s3:GetObject: max age %d", r.MaxAge)
	}
}
