package diff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iameval/iameval/diff"
)

// policy50 is a 50-statement identity policy of the shapes real policies
// have: Action lists, service wildcards, NotAction, named resources with
// wildcards and policy variables, MFA, region, IP and tag conditions. shift
// changes some of them: a region added, a Bool for a BoolIfExists, a
// greater MFA age, an action more.
func policy50(shift bool) string {
	services := []string{"s3", "ec2", "iam", "lambda", "dynamodb", "kms", "sqs", "sns", "logs", "cloudformation"}
	var st []string
	for i := range 50 {
		svc := services[i%len(services)]
		region := `"eu-west-1","us-east-1"`
		if shift && i%7 == 0 {
			region += `,"ap-southeast-2"`
		}
		switch i % 5 {
		case 0:
			st = append(st, fmt.Sprintf(`{"Sid":"Read%d","Effect":"Allow","Action":["%s:Get*","%s:List*","%s:Describe*"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":[%s]}}}`, i, svc, svc, svc, region))
		case 1:
			op := "BoolIfExists"
			if shift && i%3 == 0 {
				op = "Bool"
			}
			st = append(st, fmt.Sprintf(`{"Sid":"DenyNoMFA%d","Effect":"Deny","Action":"%s:Delete*","Resource":"*","Condition":{"%s":{"aws:MultiFactorAuthPresent":"false"}}}`, i, svc, op))
		case 2:
			age := 3600
			if shift && i%4 == 2 {
				age = 14400
			}
			st = append(st, fmt.Sprintf(`{"Sid":"Fresh%d","Effect":"Deny","Action":["%s:Put*","%s:Create*"],"Resource":"*","Condition":{"NumericGreaterThanIfExists":{"aws:MultiFactorAuthAge":"%d"}}}`, i, svc, svc, age))
		case 3:
			actions := fmt.Sprintf(`"%s:Put*","%s:Create*","%s:Update*"`, svc, svc, svc)
			if shift && i%6 == 3 {
				actions += fmt.Sprintf(`,"%s:Delete*"`, svc)
			}
			st = append(st, fmt.Sprintf(`{"Sid":"Team%d","Effect":"Allow","Action":[%s],"Resource":"arn:aws:%s:*:*:*team-%d*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]}}}`, i, actions, svc, i))
		default:
			st = append(st, fmt.Sprintf(`{"Sid":"Power%d","Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"t%d"}}}`, i, i))
		}
	}
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(st, ",") + `]}`
}

// BenchmarkDiffPolicies50 compares two 50-statement policies over the full
// request matrix (issue 14: under 2 s).
func BenchmarkDiffPolicies50(b *testing.B) {
	alice := "arn:aws:iam::111122223333:user/alice"
	old := principalB(b, alice, policy50(false))
	new := principalB(b, alice, policy50(true))
	b.ReportAllocs()
	var rep *diff.Report
	for b.Loop() {
		rep = diff.Compare([]diff.Pair{{Name: "alice", Old: old, New: new}}, diff.Options{})
	}
	b.ReportMetric(float64(rep.Requests), "requests/op")
	b.ReportMetric(float64(len(rep.Flips)), "flips/op")
}
