package mfa_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
)

// TestOtherAccountInstance pins the resource of another account that an
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
func TestOtherAccountInstance(t *testing.T) {
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
		{"a Deny without MFA on accounts ending in 9, not the caller's: another account's queue is let in alike, none",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:*:*9:*",`+deny+`}`),
			queue, []string{"*"}, "", nil},
		{"a Deny without MFA on ${aws:PrincipalAccount}, the caller's own: another account",
			doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}`,
				`{"Effect":"Deny","Action":"sqs:*","Resource":"arn:aws:sqs:*:${aws:PrincipalAccount}:*",`+deny+`}`),
			queue, []string{"*"}, "????????????", []string{own}},
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
			got, ok := mfa.OtherAccountInstance(e, action, tc.resource, own, tc.within...)
			if tc.want == "" {
				if ok {
					t.Fatalf("got %s, want none", got)
				}
				return
			}
			if !ok {
				t.Fatalf("no stand-in, want one of account %s", tc.want)
			}
			parts := strings.Split(got, ":")
			orig := strings.Split(tc.resource, ":")
			if len(parts) != len(orig) {
				t.Fatalf("got %s: not %s with another account", got, tc.resource)
			}
			acct := parts[4]
			parts[4] = orig[4]
			if strings.Join(parts, ":") != tc.resource || len(acct) != 12 || !condition.MatchWildcard(tc.want, acct, false) {
				t.Errorf("got %s: want %s in an account of %s", got, tc.resource, tc.want)
			}
			for _, n := range tc.not {
				if condition.MatchWildcard(n, acct, false) {
					t.Errorf("got %s: its account matches %s", got, n)
				}
			}
			for _, w := range tc.within {
				if !condition.MatchWildcard(w, got, false) {
					t.Errorf("got %s, not within %s", got, w)
				}
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
		got, ok := mfa.OtherAccountInstance(e, "sqs:SendMessage", resource, own, within)
		if !ok {
			return
		}
		gp, rp := strings.SplitN(got, ":", 6), strings.SplitN(resource, ":", 6)
		if len(gp) != 6 || len(rp) != 6 || rp[4] != own || gp[4] == own || len(gp[4]) != 12 || strings.Trim(gp[4], "0123456789") != "" {
			t.Fatalf("got %q for %q", got, resource)
		}
		gp[4] = own
		if strings.Join(gp, ":") != resource || !condition.MatchWildcard(within, got, false) {
			t.Fatalf("got %q for %q within %q", got, resource, within)
		}
	})
}
