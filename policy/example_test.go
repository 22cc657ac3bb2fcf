package policy_test

import (
	"fmt"

	"github.com/iameval/iameval/policy"
)

// Parse reports every problem with its file, line, column, stable code and
// JSON path.
func ExampleParse() {
	_, err := policy.Parse("deny-no-mfa.json", []byte(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "deny",
    "Action": "s3:*",
    "Resource": "*",
    "Condition": {"BoolIfExist": {"aws:MultiFactorAuthPresent": "false"}}
  }]
}`))
	for _, e := range err.(policy.ErrorList) {
		fmt.Println(e)
	}
	// Output:
	// deny-no-mfa.json:4:15: bad_effect: Effect must be exactly "Allow" or "Deny" (case-sensitive), got "deny" (at $.Statement[0].Effect)
	// deny-no-mfa.json:7:19: unknown_operator: unknown condition operator "BoolIfExist" (at $.Statement[0].Condition.BoolIfExist)
}

// A statement's position is the one AWS's simulator reports for it.
func ExampleStatement() {
	p, _ := policy.Parse("p.json", []byte(`{"Version": "2012-10-17", "Statement": {"Sid": "ReadOnly",
 "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}}`))
	s := p.Statements[0]
	fmt.Println(s.Sid, s.Effect, s.Start(), s.End(), s.Action.Values[1].Text, s.Action.Values[1].Pos())
	// Output:
	// ReadOnly Allow p.json:1:40 p.json:2:71 s3:List* p.json:2:43
}
