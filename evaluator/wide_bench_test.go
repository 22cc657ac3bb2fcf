package evaluator_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// readOnlyShaped builds a policy of the shape of AWS's ReadOnlyAccess and
// ViewOnlyAccess: one Allow statement whose Action lists, for each of
// services services of the catalogue, a pattern per verb its read and list
// actions start with ("s3:Get*", "s3:List*", "ec2:Describe*", ...), up to
// patterns patterns in all. It returns the policy and the services listed.
func readOnlyShaped(tb testing.TB, services, patterns int) (*policy.Policy, []string) {
	tb.Helper()
	var acts, listed []string
	per := (patterns + services - 1) / services
	svcs := catalog.Default().Services()
	// the services everyone uses first, then the others in name order
	slices.SortStableFunc(svcs, func(a, b *catalog.Service) int {
		rank := func(s *catalog.Service) int {
			if i := slices.Index([]string{"s3", "ec2", "iam", "dynamodb", "lambda"}, s.Prefix); i >= 0 {
				return i
			}
			return 5
		}
		return rank(a) - rank(b)
	})
	for _, svc := range svcs {
		if len(listed) == services || len(acts) >= patterns {
			break
		}
		// a pattern per verb of the read and list actions ("Get*"), then
		// literal read actions, per patterns per service
		var own []string
		var reads []string
		for _, a := range svc.Actions {
			if a.Level&(catalog.Read|catalog.List) == 0 {
				continue
			}
			reads = append(reads, svc.Prefix+":"+a.Name)
			verb := a.Name
			for i, r := range a.Name {
				if i > 0 && unicode.IsUpper(r) {
					verb = a.Name[:i]
					break
				}
			}
			if pat := svc.Prefix + ":" + verb + "*"; !slices.Contains(own, pat) {
				own = append(own, pat)
			}
		}
		for _, r := range reads {
			if len(own) >= per {
				break
			}
			own = append(own, r)
		}
		if len(own) == 0 {
			continue
		}
		listed = append(listed, svc.Prefix)
		acts = append(acts, own...)
	}
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Sid": "ReadOnly", "Effect": "Allow", "Action": acts, "Resource": "*"},
	}})
	p, err := policy.Parse("readonly.json", doc)
	if err != nil {
		tb.Fatal(err)
	}
	return p, listed
}

// BenchmarkWidePolicy decides against a ReadOnlyAccess-shaped policy (about
// 1,500 action patterns over 237 services): an action of a service it does
// not list, a read it allows, and a write of a listed service it does not
// allow, which must be no slower than the others by much (issue 17: "a
// decision against a 1,500-pattern policy costs about what a 10-pattern
// one does").
func BenchmarkWidePolicy(b *testing.B) {
	p, listed := readOnlyShaped(b, 237, 1500)
	b.Logf("%d services, %d patterns", len(listed), len(p.Statements[0].Action.Values))
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	if err != nil {
		b.Fatal(err)
	}
	last := listed[len(listed)-1]
	for _, tc := range []struct{ name, action string }{
		{"unlisted-service", "zzzunlisted:GetThing"},
		{"listed-read-allowed", "s3:GetObject"},
		{"listed-write-denied", "s3:PutObject"},
		{"last-service-write-denied", last + ":DeleteEverything"},
		{"ec2-describe-allowed", "ec2:DescribeInstances"},
	} {
		req := &request.Context{Principal: "arn:aws:iam::123456789012:user/alice", Action: tc.action, Resource: "*"}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.Evaluate(req)
			}
		})
	}
}

// realisticPolicy is an identity policy of a working principal: n
// statements over a few services, some with conditions, some denies.
func realisticPolicy(tb testing.TB, name string, i int) *policy.Policy {
	tb.Helper()
	svcs := []string{"s3", "ec2", "dynamodb", "lambda", "sqs", "sns", "logs", "cloudwatch", "kms", "secretsmanager", "ssm", "ecr", "ecs", "iam", "sts", "rds", "elasticloadbalancing"}
	s := svcs[i%len(svcs)]
	t := svcs[(i+5)%len(svcs)]
	doc := fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [
  {"Sid": "Read%[3]d", "Effect": "Allow", "Action": ["%[1]s:Get*", "%[1]s:List*", "%[1]s:Describe*"], "Resource": "*"},
  {"Sid": "Write%[3]d", "Effect": "Allow", "Action": ["%[1]s:Put*", "%[1]s:Create*", "%[1]s:Update*"], "Resource": "arn:aws:%[1]s:*:123456789012:team-%[3]d-*"},
  {"Sid": "TagOnly%[3]d", "Effect": "Allow", "Action": "%[2]s:*", "Resource": "*",
   "Condition": {"StringEquals": {"aws:ResourceTag/team": "team-%[3]d"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}},
  {"Sid": "DenyDelete%[3]d", "Effect": "Deny", "Action": ["%[1]s:Delete*"], "Resource": "*",
   "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
  {"Sid": "Region%[3]d", "Effect": "Allow", "Action": ["%[2]s:Start*", "%[2]s:Stop*"], "Resource": "*",
   "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}}
]}`, s, t, i)
	p, err := policy.Parse(name, []byte(doc))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// realisticSet is a principal's policy set as AWS evaluates it for a
// working user: identity policies (its own and its groups'), a
// permissions boundary, three levels of SCPs and a bucket policy.
func realisticSet(tb testing.TB, identity int) evaluator.PolicySet {
	tb.Helper()
	parse := func(name, doc string) *policy.Policy {
		p, err := policy.Parse(name, []byte(doc))
		if err != nil {
			tb.Fatal(err)
		}
		return p
	}
	var set evaluator.PolicySet
	for i := range identity {
		set.Identity = append(set.Identity, realisticPolicy(tb, fmt.Sprintf("identity-%d", i), i))
	}
	set.Boundary = parse("boundary", `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
  {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "iam:PassRole"], "Resource": "*"}]}`)
	fullAccess := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`
	set.SCPs = [][]*policy.Policy{
		{parse("root-full", fullAccess), parse("root-deny-leave", `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["organizations:LeaveOrganization", "account:CloseAccount"], "Resource": "*"}]}`)},
		{parse("ou-full", fullAccess), parse("ou-regions", `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "sts:*", "cloudfront:*", "route53:*", "support:*"], "Resource": "*",
  "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}}]}`)},
		{parse("account-full", fullAccess)},
	}
	set.Resource = parse("bucket", `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::team-data", "arn:aws:s3:::team-data/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::team-data/*"}]}`)
	set.ResourceOwner = "123456789012"
	return set
}

// BenchmarkRealisticPrincipal decides a realistic principal's requests: 17
// identity policies (its own and its groups'), a boundary, 3 SCP levels and
// a bucket policy; then 157 and 437 identity policies (issue 17).
func BenchmarkRealisticPrincipal(b *testing.B) {
	for _, n := range []int{17, 157, 437} {
		e, err := evaluator.Compile(realisticSet(b, n))
		if err != nil {
			b.Fatal(err)
		}
		reqs := []*request.Context{
			request.SessionWithMFA("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "arn:aws:s3:::team-data/reports/q3.csv", 300),
			request.SessionWithoutMFA("arn:aws:iam::123456789012:user/alice", "ec2:StopInstances", "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc"),
			request.SessionWithMFA("arn:aws:iam::123456789012:user/alice", "dynamodb:DeleteItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders", 300),
			request.SessionWithoutMFA("arn:aws:iam::123456789012:user/alice", "iam:CreateUser", "arn:aws:iam::123456789012:user/bob"),
		}
		for _, r := range reqs {
			_ = r.Set("aws:RequestedRegion", request.TypeString, "eu-west-1")
			_ = r.Set("aws:SecureTransport", request.TypeBoolean, "true")
		}
		b.Run(fmt.Sprintf("identity=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				e.Evaluate(reqs[i])
				i++
				if i == len(reqs) {
					i = 0
				}
			}
		})
	}
}

// TestWidePolicyDecisions pins what the wide-policy benchmark decides, so
// that a faster matcher cannot change it.
func TestWidePolicyDecisions(t *testing.T) {
	p, listed := readOnlyShaped(t, 237, 1500)
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		action string
		want   evaluator.Verdict
	}{
		{"zzzunlisted:GetThing", evaluator.ImplicitDeny},
		{"s3:GetObject", evaluator.Allowed},
		{"S3:getobject", evaluator.Allowed},
		{"s3:PutObject", evaluator.ImplicitDeny},
		{"ec2:DescribeInstances", evaluator.Allowed},
		{listed[len(listed)-1] + ":DeleteEverything", evaluator.ImplicitDeny},
	} {
		req := &request.Context{Principal: "arn:aws:iam::123456789012:user/alice", Action: tc.action, Resource: "*"}
		if got := e.Evaluate(req).Verdict; got != tc.want {
			t.Errorf("%s: %s, want %s", tc.action, got, tc.want)
		}
	}
	if n := len(p.Statements[0].Action.Values); n < 1000 || !strings.Contains(strings.Join(listed, " "), "s3") {
		t.Fatalf("the policy is not ReadOnlyAccess-shaped: %d patterns over %d services", n, len(listed))
	}
}

// BenchmarkToyWorkload decides the shared workload of bench/ (its
// policy.json, its ten request pairs round-robin), so that the wide-policy
// and realistic-principal figures have the toy's cost beside them in one
// run (issue 17's ratios).
func BenchmarkToyWorkload(b *testing.B) {
	data, err := os.ReadFile("../bench/workload/policy.json")
	if err != nil {
		b.Fatal(err)
	}
	p, err := policy.Parse("policy.json", data)
	if err != nil {
		b.Fatal(err)
	}
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	if err != nil {
		b.Fatal(err)
	}
	var cases struct {
		Principal, ResourceAccount string
		Contexts                   map[string]map[string]string
		Requests                   []struct{ Action, Resource string }
	}
	data, err = os.ReadFile("../bench/workload/cases.json")
	if err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		b.Fatal(err)
	}
	var reqs []*request.Context
	for _, r := range cases.Requests {
		for _, c := range []string{"mfa", "nomfa"} {
			q := request.New(cases.Principal, r.Action, r.Resource)
			q.ResourceAccount = cases.ResourceAccount
			for k, v := range cases.Contexts[c] {
				t := request.TypeBoolean
				if k == request.KeyMultiFactorAuthAge {
					t = request.TypeNumeric
				}
				if err := q.Set(k, t, v); err != nil {
					b.Fatal(err)
				}
			}
			reqs = append(reqs, q)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		e.Evaluate(reqs[i])
		i++
		if i == len(reqs) {
			i = 0
		}
	}
}
