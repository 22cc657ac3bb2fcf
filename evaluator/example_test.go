package evaluator_test

import (
	"fmt"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

const forceMFA = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Sid": "DenyWithoutMFA", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
  ]
}`

// Parse a policy, compile it, and decide the same request with and without
// MFA.
func Example() {
	p, err := policy.Parse("force-mfa.json", []byte(forceMFA))
	if err != nil {
		panic(err)
	}
	engine, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	if err != nil {
		panic(err)
	}
	const alice = "arn:aws:iam::123456789012:user/alice"
	const object = "arn:aws:s3:::reports/q3.csv"

	for _, req := range []*request.Context{
		request.LongTermKeys(alice, "s3:DeleteObject", object),
		request.SessionWithoutMFA(alice, "s3:DeleteObject", object),
		request.SessionWithMFA(alice, "s3:DeleteObject", object, 5*time.Minute),
	} {
		d := engine.Evaluate(req)
		fmt.Print(d.Verdict)
		for _, m := range d.MatchedStatements() {
			fmt.Printf(" by %s statement %q at %d:%d", m.PolicyID, m.Sid, m.Start.Line, m.Start.Column)
		}
		fmt.Println()
	}
	// Output:
	// explicitDeny by force-mfa.json statement "DenyWithoutMFA" at 5:5
	// explicitDeny by force-mfa.json statement "DenyWithoutMFA" at 5:5
	// allowed by force-mfa.json statement "AllowS3" at 4:5
}

// Policy errors carry the file, line, column, JSON path and a stable code.
func ExampleCompile_errors() {
	_, err := policy.Parse("bad.json", []byte(`{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
    "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}}}
}`))
	fmt.Println(err)
	// Output:
	// bad.json:4:65: bad_numeric_value: NumericLessThan: "one hour" is not a number (at $.Statement.Condition.NumericLessThan["aws:MultiFactorAuthAge"])
}

// A Bool condition on aws:MultiFactorAuthPresent is skipped for long-term
// access keys, which carry no MFA key at all; the missing key is reported.
func ExampleDecision_MissingContextValues() {
	p, _ := policy.Parse("p.json", []byte(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
  "Action": "ec2:StopInstances", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}}`))
	engine, _ := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	d := engine.Evaluate(request.LongTermKeys("arn:aws:iam::123456789012:user/bob", "ec2:StopInstances", "*"))
	fmt.Println(d.Verdict, d.MissingContextValues())
	// Output:
	// implicitDeny [aws:MultiFactorAuthPresent]
}
