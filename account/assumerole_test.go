package account_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
)

// accessString renders a RoleAccess: the roles matched, each crossing as
// "role=states" (crossings' states as in crossings), and what is outside.
func accessString(ra account.RoleAccess) string {
	var roles []string
	for _, c := range ra.Roles {
		m := crossings([]account.Assumer{c.Assumer})
		roles = append(roles, c.Role.Name+"="+m[c.Assumer.Name])
	}
	out := fmt.Sprintf("%d matched [%s]", ra.Matched, strings.Join(roles, ", "))
	if ra.Outside != "" {
		out += " outside: " + ra.Outside
	}
	return out
}

// TestAssumeRole pins how a principal's sts:AssumeRole on a resource is
// decided in an account: SPEC 5.2, "an identity policy alone can never
// grant sts:AssumeRole ... the trust policy must allow the principal", so
// the request is decided against the trust policy of each role of the dump
// the resource matches — a wildcard resource (role/*, or "*") against
// every role it matches — and a role the dump does not hold (another
// account's, or a role ARN of this account the dump lacks) is said to be
// outside, its trust policy not known, never decided on identity policies
// alone. Deciding each principal alone and reading its decisions from every
// role's callers (ShareCallers) give the same answer.
func TestAssumeRole(t *testing.T) {
	assumeRoles := doc(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::` + acctID + `:role/*"}`)
	a := buildDump(t,
		[]tUser{{name: "operator", inline: []string{assumeRoles}}, {name: "admin", inline: []string{doc(allowAll)}}},
		[]tRole{
			{name: "Admin", trust: doc(trustStmt(rootOfAcct, "", mfaTrue))},
			{name: "Lambda", trust: doc(trustStmt(`{"Service":"lambda.amazonaws.com"}`, "", ""))},
			{name: "Partner", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::999988887777:root"}`, "", `{"StringEquals":{"sts:ExternalId":"x"}}`))},
			{name: "Open", trust: doc(trustStmt(rootOfAcct, "", "")), inline: []string{doc(allowAll)}},
		})
	const other = "roles of other accounts, whose trust policies are not in the dump"
	const missing = "a role of this account the dump does not hold (deleted, or not yet created): its trust policy is not in the dump"
	tests := []struct {
		name, who, resource, want string
	}{
		{"a wildcard role resource is decided against the trust policy of every role it matches: Admin needs MFA, Open does not, Lambda and Partner admit other callers",
			"operator", "arn:aws:iam::" + acctID + ":role/*", "4 matched [Admin=mfa, Open=lt tmp mfa]"},
		{"a narrower pattern matches fewer roles", "operator", "arn:aws:iam::" + acctID + ":role/Ad*", "1 matched [Admin=mfa]"},
		{"a role of the dump by its ARN", "operator", "arn:aws:iam::" + acctID + ":role/Open", "1 matched [Open=lt tmp mfa]"},
		{`"*" matches every role of the dump, and roles of other accounts`, "admin", "*", "4 matched [Admin=mfa, Open=lt tmp mfa] outside: " + other},
		{"a role of another account: its trust policy is not in the dump", "admin", "arn:aws:iam::999988887777:role/Audit", "0 matched [] outside: " + other},
		{"a pattern whose account is a wildcard: the dump's roles and other accounts'", "admin", "arn:aws:iam::*:role/Ad*", "1 matched [Admin=mfa] outside: " + other},
		{"a role ARN of this account the dump does not hold", "operator", "arn:aws:iam::" + acctID + ":role/Deleted", "0 matched [] outside: " + missing},
		{"a resource that names no role: no role can be assumed through it", "admin", "arn:aws:s3:::reports/q3.csv", "0 matched []"},
		{"a role session chains into roles without MFA only (SPEC 6.2)", "role/Open", "*", "4 matched [Open=tmp] outside: " + other},
	}
	for _, share := range []bool{false, true} {
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s (ShareCallers %v)", tc.name, share), func(t *testing.T) {
				an := a.NewAnalyzer(account.Options{ShareCallers: share})
				p, err := a.Principal(tc.who)
				if err != nil {
					t.Fatal(err)
				}
				ra, err := an.AssumeRole(p, "sts:AssumeRole", tc.resource)
				if err != nil {
					t.Fatal(err)
				}
				if got := accessString(ra); got != tc.want {
					t.Errorf("%s sts:AssumeRole on %s:\n got %s\nwant %s", tc.who, tc.resource, got, tc.want)
				}
			})
		}
	}
}
