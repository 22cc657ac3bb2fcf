package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/mfa"
)

// TestSummaryWording pins issue 12: every summary sentence says "1
// principal", "1 request", "1 requires", "1 has", and "2 principals", "2
// requests", "2 require", "2 have": each line is driven with n=1 and n=2.
func TestSummaryWording(t *testing.T) {
	one := &simulation{actions: []string{"s3:GetObject"}, resources: []string{"arn:aws:s3:::b/k"}}
	two := &simulation{actions: []string{"s3:GetObject", "s3:PutObject"}, resources: []string{"arn:aws:s3:::b/k"}}
	role := func(name string) account.RoleCrossing {
		return account.RoleCrossing{Role: &account.Role{Name: name, ARN: "arn:aws:iam::123456789012:role/" + name}}
	}
	firstLine := func(lines []string) string { return lines[0] }
	rolesLine := func(lines []string) string {
		for _, l := range lines {
			if strings.Contains(l, "reachable without MFA, ") {
				return l
			}
		}
		return fmt.Sprintf("no roles line in %q", lines)
	}
	// the line after the first maxMarkdownBlocked denied sessions, or
	// maxMarkdownRoles roles, in markdown
	more := func(blocked, roles int) string {
		var b bytes.Buffer
		a := newAccountWriter(&b, "markdown", one, nil)
		for i := 0; i < blocked; i++ {
			a.blockedLines = append(a.blockedLines, fmt.Sprintf("role R%d: no session can s3:GetObject on *", i))
		}
		for i := 0; i < roles; i++ {
			a.roleLines = append(a.roleLines, roleLine{account.ReachNone, fmt.Sprintf("role R%d: nobody can assume it", i)})
		}
		a.end(0)
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.HasPrefix(l, "- _and ") {
				return l
			}
		}
		return "no _and N more_ line in\n" + b.String()
	}
	for _, tc := range []struct {
		name, got, want string
	}{
		{"mfa 1", mfaTally{requests: 1, verdicts: map[mfa.Verdict]int{mfa.NotRequired: 1}, withBypass: 1}.sentence(false),
			"1 request checked: 1 allowed without MFA, 0 require MFA, 0 never allowed; 1 has a bypass."},
		{"mfa 2", mfaTally{requests: 2, verdicts: map[mfa.Verdict]int{mfa.NotRequired: 2}, withBypass: 2}.sentence(false),
			"2 requests checked: 2 allowed without MFA, 0 require MFA, 0 never allowed; 2 have a bypass."},
		{"mfa required 1", mfaTally{requests: 1, verdicts: map[mfa.Verdict]int{mfa.Required: 1}}.sentence(false),
			"1 request checked: 0 allowed without MFA, 1 requires MFA, 0 never allowed; 0 have a bypass."},
		{"mfa required 2", mfaTally{requests: 2, verdicts: map[mfa.Verdict]int{mfa.Required: 2}}.sentence(false),
			"2 requests checked: 0 allowed without MFA, 2 require MFA, 0 never allowed; 0 have a bypass."},
		{"mfa inverted 1", mfaTally{requests: 1, verdicts: map[mfa.Verdict]int{mfa.Inverted: 1}}.sentence(true),
			"1 request checked: 1 allowed without MFA (1 of them only *without* MFA: inverted), 0 require MFA, 0 never allowed; 0 have a bypass."},

		{"headline 1 user", (&accountWriter{users: 1, withoutMFA: 1}).headline(), "1 of 1 user can do a sensitive action without MFA."},
		{"headline 2 users", (&accountWriter{users: 2, withoutMFA: 1}).headline(), "1 of 2 users can do a sensitive action without MFA."},
		{"headline 1 role", (&accountWriter{roles: 1}).headline(), "0 of 1 role can do a sensitive action without MFA."},
		{"headline 2 roles", (&accountWriter{roles: 2}).headline(), "0 of 2 roles can do a sensitive action without MFA."},
		{"headline both", (&accountWriter{users: 1, roles: 1, withoutMFA: 2}).headline(), "2 of 2 users and roles can do a sensitive action without MFA."},
		{"headline none", (&accountWriter{}).headline(), "0 of 0 principals can do a sensitive action without MFA, counting only what was checked; not checked: no principal was analysed (0 principals confirm nothing)."},

		{"coverage 1", firstLine((&accountWriter{sim: one, users: 1, rows: 1, rowDecisions: 1}).coverage(1)),
			"Checked 1 request of 1 principal (1 action against the resources given), each under long-term keys (users), a session without MFA and MFA at every age that matters; 1 request decided in all."},
		{"coverage 2", firstLine((&accountWriter{sim: two, users: 2, rows: 2, rowDecisions: 2}).coverage(2)),
			"Checked 2 requests of 2 principals (2 actions against the resources given), each under long-term keys (users), a session without MFA and MFA at every age that matters; 2 requests decided in all."},
		{"coverage trust 1", firstLine((&accountWriter{sim: one, users: 1, rows: 1, rowDecisions: 2}).coverage(3)),
			"Checked 1 request of 1 principal (1 action against the resources given), each under long-term keys (users), a session without MFA and MFA at every age that matters; 3 requests decided in all, 1 of them sts:AssumeRole against the roles' trust policies."},
		{"roles 1", rolesLine((&accountWriter{sim: one, roles: 1, roleStatus: map[account.ReachStatus]int{account.ReachWithoutMFA: 1}}).coverage(2)),
			"1 role: 1 reachable without MFA, 0 only with MFA, 0 undecided, 0 that nobody can assume."},
		{"roles 2", rolesLine((&accountWriter{sim: one, roles: 2, roleStatus: map[account.ReachStatus]int{account.ReachWithoutMFA: 1, account.ReachNone: 1}}).coverage(2)),
			"2 roles: 1 reachable without MFA, 0 only with MFA, 0 undecided, 1 that nobody can assume."},

		{"summary 1", strings.Join((&accountWriter{counts: map[string]map[string]int{"s3:GetObject\x00long-term keys": {"users": 1, "roles": 1}}}).summary(), "; "),
			"1 user can s3:GetObject with long-term keys and no MFA; 1 role can s3:GetObject with long-term keys and no MFA"},
		{"summary 2", strings.Join((&accountWriter{counts: map[string]map[string]int{"s3:GetObject\x00session without MFA": {"users": 2, "roles": 2}}}).summary(), "; "),
			"2 users can s3:GetObject in a session without MFA; 2 roles can s3:GetObject in a session without MFA"},

		{"markdown more 1", more(maxMarkdownBlocked+1, 0), "- _and 1 more denied session_"},
		{"markdown more 2", more(maxMarkdownBlocked+2, 0), "- _and 2 more denied sessions_"},
		{"markdown roles 1", more(0, maxMarkdownRoles+1), "- _and 1 more role, less open than those above_"},
		{"markdown roles 2", more(0, maxMarkdownRoles+2), "- _and 2 more roles, each less open than those above_"},

		{"roles text 1", rolesText(accountFinding{resource: "arn:aws:iam::123456789012:role/*", roles: []account.RoleCrossing{role("A")}, matched: 1}),
			" (role A: the only role it matches)"},
		{"roles text 2", rolesText(accountFinding{resource: "arn:aws:iam::123456789012:role/*", roles: []account.RoleCrossing{role("A")}, matched: 2}),
			" (role A: 1 of the 2 roles it matches)"},
		{"roles text others", rolesText(accountFinding{resource: "*", roles: []account.RoleCrossing{role("A"), role("B")}, matched: 2, others: true}),
			" (role A, role B: 2 of the 2 roles no other resource names)"},

		{"how 1 key", (&accountWriter{}).howText(accountFinding{how: []string{"long-term keys"}, dependsOn: []string{"aws:SourceIp"}}),
			"long-term keys (when aws:SourceIp is not given)"},
		{"how 2 keys", (&accountWriter{}).howText(accountFinding{how: []string{"long-term keys"}, dependsOn: []string{"aws:SourceIp", "aws:PrincipalTag/team"}}),
			"long-term keys (when aws:SourceIp, aws:PrincipalTag/team are not given)"},

		{"lint 1", lintSummaryText(map[lint.Severity]int{lint.Error: 1, lint.Warning: 1, lint.Note: 1}, 1, 1),
			"1 error, 1 warning, 1 note; 1 file could not be read and was not checked (see stderr); 1 JSON file was skipped as no policy (see stderr)"},
		{"lint 2", lintSummaryText(map[lint.Severity]int{lint.Error: 2, lint.Warning: 2, lint.Note: 2}, 2, 2),
			"2 errors, 2 warnings, 2 notes; 2 files could not be read and were not checked (see stderr); 2 JSON files were skipped as no policy (see stderr)"},
		{"lint none", lintSummaryText(nil, 0, 0), "no findings"},
		{"lint none, 1 skipped", lintSummaryText(nil, 0, 1), "no findings; 1 JSON file was skipped as no policy (see stderr)"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, tc.got, tc.want)
		}
	}
}
