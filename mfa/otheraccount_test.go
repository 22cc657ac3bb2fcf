package mfa_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestOtherAccountInstances pins the resource of another account that an
// entry leaving the account open stands for beside the caller's own: a
// Resource entry such as arn:aws:sqs:*:*:* matches every account's queues
// (IAM JSON policy elements: Resource, "you can use wildcard characters
// (* and ?) within any ARN segment"), and a request for another account's
// queue is decided on the caller's side by the same identity policies
// (IAM policy evaluation logic, cross-account: the identity-based policy
// in account A must allow the request too). A Deny without MFA on the
// caller's own account alone leaves the others' open: the stand-in must
// be an account that the pattern matches, that is not the caller's, and
// that the Deny statements leave out where some account does.
func TestOtherAccountInstances(t *testing.T) {
	const (
		own   = "123456789012"
		queue = "arn:aws:sqs:us-east-1:123456789012:queuename"
		deny  = `"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`
	)
	doc := func(stmts ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	}
	tests := []struct {
		name     string
		policy   string
		resource string
		within   []string
		// want: the account the stand-in must have, as a pattern; "" for
		// none
		want string
		// not: patterns its account must not match
		not []string
	}{
		{"every account's queues, a Deny without MFA on the caller's and on one other: a third account",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":["arn:aws:sqs:*:123456789012:*","arn:aws:sqs:*:999999999999:*"],`+deny+`}`),
			queue, []string{"*"}, "????????????", []string{own, "999999999999"}},
		{"an Allow on accounts 1234567890*: the stand-in is one of them",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:1234567890*:*"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:*:123456789012:*",`+deny+`}`),
			queue, []string{"arn:aws:sqs:*:1234567890*:*"}, "1234567890??", []string{own}},
		{"a Deny without MFA on accounts ending in 2, the caller's among them: an account it leaves out",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:*:*2:*",`+deny+`}`),
			queue, []string{"*"}, "????????????", []string{"*2", own}},
		{"a Deny without MFA on accounts ending in 9, not the caller's: the accounts it names, the others being let in as the caller's",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:*:*9:*",`+deny+`}`),
			queue, []string{"*"}, "*9", nil},
		{"a Deny without MFA outside accounts 9*, and one inside them unless the caller is alice: an account of 9*",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:*"}`,
				`{"Effect":"Deny","Action":"sqs:SendMessage","NotResource":"arn:aws:sqs:*:9*:*",`+deny+`}`,
				`{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:9*:*","Condition":{"StringNotEquals":{"aws:username":"alice"}}}`),
			queue, []string{"*"}, "9*", nil},
		{"a Deny without MFA on the caller's account and ten others named one by one: an account none names",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:*"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":["arn:aws:sqs:*:123456789012:*","arn:aws:sqs:*:000000000000:*","arn:aws:sqs:*:111111111111:*","arn:aws:sqs:*:222222222222:*","arn:aws:sqs:*:333333333333:*","arn:aws:sqs:*:444444444444:*","arn:aws:sqs:*:555555555555:*","arn:aws:sqs:*:666666666666:*","arn:aws:sqs:*:777777777777:*","arn:aws:sqs:*:888888888888:*","arn:aws:sqs:*:999999999999:*"],`+deny+`}`),
			queue, []string{"*"}, "????????????", []string{"000000000000", "111111111111", "222222222222", "333333333333", "444444444444", "555555555555", "666666666666", "777777777777", "888888888888", "999999999999"}},
		{"a short ARN, padded with * fields as the evaluator reads it",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:*:123456789012:*",`+deny+`}`),
			queue, []string{"*"}, "????????????", nil},
		{"--resource on accounts 9*, field by field: an account of 9*",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:*:*"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:*:123456789012:*",`+deny+`}`),
			"arn:aws:sqs:us-east-1:123456789012:9:queuename", []string{"arn:aws:sqs:*:9*:*"}, "9*", nil},
		{"every entry takes any account in its account field: none",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:*:queuename"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:eu-west-1:123456789012:*",`+deny+`}`),
			queue, []string{"*"}, "", nil},
		{"two Allows and a Deny on the first's accounts: the second's",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":["arn:aws:sqs:*:111*:*","arn:aws:sqs:*:222*:*"]}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:*:111*:*",`+deny+`}`),
			queue, []string{"*"}, "222?????????", nil},
		{"an Allow with NotResource on the caller's account: another account",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","NotResource":"arn:aws:sqs:*:123456789012:*"}`),
			queue, []string{"*"}, "????????????", []string{own}},
		{"the entry names the caller's account: no other account is within it",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}`),
			queue, []string{"arn:aws:sqs:*:123456789012:*"}, "", nil},
		{"nothing allows another account's queue: no stand-in",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:123456789012:*"}`),
			queue, []string{"*"}, "", nil},
		{"an Allow only through ${aws:PrincipalAccount}, the caller's own: no stand-in",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:${aws:PrincipalAccount}:*"}`),
			queue, []string{"*"}, "", nil},
		{"every statement names *: another account's queue is decided as the caller's own, none",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"*",`+deny+`}`),
			queue, []string{"*"}, "", nil},
		{"a resource of another account already: none",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}`),
			"arn:aws:sqs:us-east-1:999999999999:q", []string{"*"}, "", nil},
		{"a resource whose ARN names no account: none",
			doc(`{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}`),
			"arn:aws:s3:::bucket/key", []string{"*"}, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := engineOf(t, identity, tc.policy)
			action := "sqs:SendMessage"
			if strings.HasPrefix(tc.resource, "arn:aws:s3") {
				action = "s3:PutObject"
			}
			req := request.New("arn:aws:iam::123456789012:user/alice", action, tc.resource)
			got := mfa.OtherAccountInstances(e, req, own, tc.within...)
			if tc.want == "" {
				if len(got) > 0 {
					t.Fatalf("got %v, want none", got)
				}
				return
			}
			// each is the resource in another account, within the
			// patterns; one is of an account of want that none of not
			// matches
			found := false
			for _, g := range got {
				parts := strings.Split(g, ":")
				orig := strings.Split(tc.resource, ":")
				if len(parts) != len(orig) {
					t.Fatalf("got %s: not %s with another account", g, tc.resource)
				}
				acct := parts[4]
				parts[4] = orig[4]
				if strings.Join(parts, ":") != tc.resource || len(acct) != 12 || acct == own {
					t.Errorf("got %s: want %s in another account", g, tc.resource)
				}
				for _, w := range tc.within {
					if !condition.MatchWildcard(w, g, false) {
						t.Errorf("got %s, not within %s", g, w)
					}
				}
				ok := condition.MatchWildcard(tc.want, acct, false)
				for _, n := range tc.not {
					ok = ok && !condition.MatchWildcard(n, acct, false)
				}
				found = found || ok
			}
			if !found {
				t.Errorf("got %v: none of an account of %s, none of %v", got, tc.want, tc.not)
			}
		})
	}
}

// FuzzOtherAccountInstance: whatever the policy's entries and the
// resource, a stand-in differs from the resource only in its account
// field, which is twelve digits and not the caller's, and lies within
// every pattern asked for; and the call does not panic.
func FuzzOtherAccountInstance(f *testing.F) {
	f.Add("arn:aws:sqs:*:*:*", "arn:aws:sqs:*:123456789012:*", "arn:aws:sqs:us-east-1:123456789012:q", "*")
	f.Add("arn:aws:sqs:*:1234567890*:*", "*", "arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:sqs:*:*2:*")
	f.Add("arn:aws:sqs:*:*99:*", "arn:aws:sqs:*:?9:*", "arn:aws:sqs:us-east-1:123456789012:99:q", "arn:*")
	f.Add("*", "arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::123456789012:user/alice", "*")
	f.Fuzz(func(t *testing.T, allow, deny, resource, within string) {
		doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": allow},
			map[string]any{"Effect": "Deny", "Action": "sqs:SendMessage", "Resource": deny},
		}})
		if err != nil {
			t.Skip()
		}
		p, err := policy.Parse("p.json", doc)
		if err != nil {
			t.Skip()
		}
		e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
		if err != nil {
			t.Skip()
		}
		const own = "123456789012"
		req := request.New("arn:aws:iam::123456789012:user/alice", "sqs:SendMessage", resource)
		for _, got := range mfa.OtherAccountInstances(e, req, own, within) {
			gp, rp := strings.SplitN(got, ":", 6), strings.SplitN(resource, ":", 6)
			if len(gp) != 6 || len(rp) != 6 || rp[4] != own || gp[4] == own || len(gp[4]) != 12 || strings.Trim(gp[4], "0123456789") != "" {
				t.Fatalf("got %q for %q", got, resource)
			}
			gp[4] = own
			if strings.Join(gp, ":") != resource {
				t.Fatalf("got %q for %q within %q", got, resource, within)
			}
		}
	})
}
