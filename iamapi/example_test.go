package iamapi_test

import (
	"fmt"
	"net/url"

	"github.com/iameval/iameval/iamapi"
)

// Answer a SimulateCustomPolicy request of the Query API, as the AWS SDKs
// send it: the force-MFA policy denies s3:GetObject to a session without
// MFA.
func ExampleAnswer() {
	form := url.Values{
		"Action":                                 {"SimulateCustomPolicy"},
		"Version":                                {"2010-05-08"},
		"PolicyInputList.member.1":               {`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`},
		"ActionNames.member.1":                   {"s3:GetObject"},
		"ContextEntries.member.1.ContextKeyName": {"aws:MultiFactorAuthPresent"},
		"ContextEntries.member.1.ContextKeyType": {"boolean"},
		"ContextEntries.member.1.ContextKeyValues.member.1": {"false"},
	}
	status, _, results := iamapi.Answer(form, nil, "example")
	fmt.Println(status, results[0].Action, results[0].Decision.Verdict)
	// Output: 200 s3:GetObject explicitDeny
}

// Read the request document "aws iam simulate-custom-policy
// --cli-input-json" takes, and decide it.
func ExampleParseDocument() {
	doc := `{
  "PolicyInputList": ["{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"],
  "ActionNames": ["s3:GetObject", "s3:PutObject"]
}`
	r, err := iamapi.ParseDocument("request.json", []byte(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	sim, err := iamapi.NewSimulation(r.Set, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	results, _ := sim.Simulate(r)
	for _, res := range results {
		er := res.EvaluationResult()
		fmt.Println(er.EvalActionName, er.EvalResourceName, er.EvalDecision)
	}
	// Output:
	// s3:GetObject * allowed
	// s3:PutObject * implicitDeny
}
