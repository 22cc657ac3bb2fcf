package account_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
)

// TestAssumersCallerKeys pins the keys a caller sets in its own AssumeRole
// call: sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity,
// sts:TransitiveTagKeys, and the session tags it passes (aws:RequestTag/KEY,
// aws:TagKeys) are request parameters the caller chooses, so a trust policy
// that tests them admits whoever passes the values it names. They are
// decided with those values, never left undecided; a key the caller does not
// choose (aws:PrincipalOrgID, a token claim) stays undecided.
func TestAssumersCallerKeys(t *testing.T) {
	const partner = `{"AWS":"arn:aws:iam::999988887777:root"}`
	aliceAssumes := []tUser{{name: "alice", inline: []string{doc(allowAssume)}}}
	tests := []struct {
		name  string
		users []tUser
		trust string
		want  map[string]string
		// values are the caller keys the crossing of want's first key
		// passed, as "key=value"
		values string
	}{
		{
			name:   "sts:ExternalId: the trusted account passes the ExternalId the trust policy names (the confused-deputy guard is no MFA)",
			trust:  doc(trustStmt(partner, "", `{"StringEquals":{"sts:ExternalId":"partner-123"}}`)),
			want:   map[string]string{"arn:aws:iam::999988887777:root": "lt tmp mfa ext"},
			values: "sts:ExternalId=partner-123",
		},
		{
			name:  "sts:ExternalId with MFA required: only with MFA",
			trust: doc(trustStmt(partner, "", `{"StringEquals":{"sts:ExternalId":"partner-123"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}`)),
			want:  map[string]string{"arn:aws:iam::999988887777:root": "mfa ext"},
		},
		{
			name:   "sts:RoleSessionName: the caller names its session; a pattern naming the caller's own user name is met",
			users:  aliceAssumes,
			trust:  doc(trustStmt(rootOfAcct, "", `{"StringLike":{"sts:RoleSessionName":"${aws:username}-*"}}`)),
			want:   map[string]string{"user alice": "lt tmp mfa"},
			values: "sts:RoleSessionName=alice-",
		},
		{
			name:   "sts:SourceIdentity: set by the caller in its AssumeRole call",
			users:  aliceAssumes,
			trust:  doc(trustStmt(rootOfAcct, "", `{"StringEquals":{"sts:SourceIdentity":"${aws:username}"}}`)),
			want:   map[string]string{"user alice": "lt tmp mfa"},
			values: "sts:SourceIdentity=alice",
		},
		{
			name:   "session tags the caller passes: aws:RequestTag/KEY and aws:TagKeys",
			users:  aliceAssumes,
			trust:  doc(trustStmt(rootOfAcct, "", `{"StringEquals":{"aws:RequestTag/project":"blue"},"ForAllValues:StringEquals":{"aws:TagKeys":["project"]}}`)),
			want:   map[string]string{"user alice": "lt tmp mfa"},
			values: "aws:RequestTag/project=blue, aws:TagKeys=project",
		},
		{
			name:   "sts:TransitiveTagKeys: the caller chooses which of its session tags pass on",
			users:  aliceAssumes,
			trust:  doc(trustStmt(rootOfAcct, "", `{"ForAnyValue:StringEquals":{"sts:TransitiveTagKeys":["project"]}}`)),
			want:   map[string]string{"user alice": "lt tmp mfa"},
			values: "sts:TransitiveTagKeys=project",
		},
		{
			name:  "a negated condition on a caller key: the caller passes another value or none",
			users: aliceAssumes,
			trust: doc(trustStmt(rootOfAcct, "", `{"StringNotEquals":{"sts:ExternalId":"revoked"}}`)),
			want:  map[string]string{"user alice": "lt tmp mfa"},
		},
		{
			name:  "a caller key beside a key the caller does not choose: still undecided on aws:PrincipalOrgID",
			trust: doc(trustStmt(partner, "", `{"StringEquals":{"sts:ExternalId":"partner-123","aws:PrincipalOrgID":"o-abc"}}`)),
			want:  map[string]string{"arn:aws:iam::999988887777:root": "?lt ?tmp ?mfa ext"},
		},
		{
			name:  "a Deny on the ExternalId the caller would not pass: the Allow's value crosses",
			users: aliceAssumes,
			trust: doc(trustStmt(rootOfAcct, "", `{"StringEquals":{"sts:ExternalId":"ok"}}`),
				`{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"leaked"}}}`),
			want:   map[string]string{"user alice": "lt tmp mfa"},
			values: "sts:ExternalId=ok",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := buildDump(t, tc.users, []tRole{{name: "Target", trust: tc.trust}})
			got, err := a.Assumers(a.Roles[0], account.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if g, w := render(crossings(got)), render(tc.want); g != w {
				t.Errorf("assumers:\n got %s\nwant %s", g, w)
			}
			if tc.values == "" {
				return
			}
			for _, x := range got {
				if _, ok := tc.want[x.Name]; ok {
					if g := strings.Join(x.CallerValues, ", "); g != tc.values {
						t.Errorf("%s passed %q, want %q", x.Name, g, tc.values)
					}
					if len(x.Missing) != 0 {
						t.Errorf("%s: a crossing with the values passed depends on %v", x.Name, x.Missing)
					}
				}
			}
		})
	}
}

// TestReachabilityCallerKeys: a role another account may assume with the
// ExternalId its trust policy names is reachable without MFA through that
// account: the trusted party holds the ExternalId, so it is no MFA, and the
// role counts (it was undecided, and so not counted, while another line
// said outside principals are counted as reachable).
func TestReachabilityCallerKeys(t *testing.T) {
	a := buildDump(t, nil, []tRole{{name: "PartnerAudit", trust: doc(trustStmt(`{"AWS":"arn:aws:iam::999988887777:root"}`, "", `{"StringEquals":{"sts:ExternalId":"partner-123"}}`))}})
	reach, err := a.NewAnalyzer(account.Options{}).Reachability()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := reachString(reach[0]), "without-mfa [arn:aws:iam::999988887777:root=without-mfa]"; got != want {
		t.Errorf("role PartnerAudit:\n got %s\nwant %s", got, want)
	}
}
