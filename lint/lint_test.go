package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

func ids(fs []lint.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.RuleID)
	}
	return out
}

// TestExamplePolicies: every anti-pattern of MFA-POLICIES P10 is flagged,
// and no correct example policy is.
func TestExamplePolicies(t *testing.T) {
	tests := []struct {
		file string
		kind policy.Kind
		want []string
	}{
		{"admin.json", policy.KindIdentity, nil},
		{"p1-force-mfa-self-manage.json", policy.KindIdentity, nil},
		{"p2-mfa-device-self-manage.json", policy.KindIdentity, nil},
		{"p3-ec2-deny-stop-without-mfa.json", policy.KindIdentity, nil},
		{"p4-ec2-allow-stop-with-mfa.json", policy.KindIdentity, nil},
		{"p5-trust-cross-account-mfa.json", policy.KindTrust, nil},
		{"p5-caller-identity.json", policy.KindIdentity, nil},
		// a resource policy: lint notes that its size quota, the service's, was not checked
		{"p6-bucket-mfa-cross-account.json", policy.KindResource, []string{"SIZE002"}},
		{"p7-production-bucket-mfa-age.json", policy.KindIdentity, nil},
		{"p8-deactivate-mfa-recent.json", policy.KindIdentity, nil},
		{"p8b-ec2-mfa-within-hour.json", policy.KindIdentity, nil},
		// AWS's example is a template: its placeholders service-prefix-1
		// and service-prefix-2 name no service, and an action of neither
		// matches a request until they are filled in
		{"p9-mfa-date-window.json", policy.KindIdentity, []string{"CAT001", "CAT001", "CAT001"}},
		{"p11-cli-bypass-fixed.json", policy.KindIdentity, nil},
		{"p10-a5-deny-boolifexists-false.json", policy.KindIdentity, nil},
		// the anti-patterns
		{"p10-a1-deny-bool-false.json", policy.KindIdentity, []string{"MFA001"}},
		{"p10-a2-deny-null-true.json", policy.KindIdentity, []string{"MFA007"}},
		{"p10-a3-allow-null-false.json", policy.KindIdentity, []string{"MFA007"}},
		{"p10-a4-allow-boolifexists-true.json", policy.KindIdentity, []string{"MFA002"}},
		{"p11-cli-bypass-broken.json", policy.KindIdentity, []string{"MFA001"}},
		{"p8b-ec2-mfa-within-hour-ifexists.json", policy.KindIdentity, []string{"MFA003"}},
		// P12 exempts only ListMFADevices and GetSessionToken: a user without
		// MFA cannot enrol one. A true finding, by the policy's own design.
		{"p12-session-lifetime-cap.json", policy.KindIdentity, []string{"MFA004", "MFA004"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "policies", tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := lint.File(path, data, tc.kind)
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, ids(got)); diff != "" {
				t.Errorf("rules (-want +got):\n%s\n%v", diff, got)
			}
			for _, f := range got {
				if !f.Pos.IsValid() || f.Fix == "" || f.Message == "" {
					t.Errorf("finding without position, fix or message: %+v", f)
				}
			}
		})
	}
}

func TestRules(t *testing.T) {
	doc := func(stmt string) string { return `{"Version":"2012-10-17","Statement":[` + stmt + `]}` }
	tests := []struct {
		name string
		kind policy.Kind
		doc  string
		want []string
	}{
		{"Deny NumericGreaterThan on the age", policy.KindIdentity, doc(`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}}`), []string{"MFA003"}},
		{"Deny NumericGreaterThanIfExists on the age is right", policy.KindIdentity, doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NumericGreaterThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}}`), []string{}},
		{"force-MFA Deny on every action blocks enrolment", policy.KindIdentity, doc(`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`), []string{"MFA004"}},
		{"ForAllValues on a single-valued key", policy.KindIdentity, doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":["o-abc"]}}}`), []string{"MFA005"}},
		{"ForAllValues on aws:TagKeys is right", policy.KindIdentity, doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}}`), []string{}},
		{"no qualifier on a multivalued key", policy.KindIdentity, doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"env"}}}`), []string{"MFA006"}},
		{"root MFA in an identity policy", policy.KindIdentity, doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}`), []string{"MFA008"}},
		{"root MFA in an SCP is right", policy.KindSCP, doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}`), []string{}},
		{"StringEquals false in a Deny has Bool's blind spot for long-term keys", policy.KindIdentity, doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:MultiFactorAuthPresent":"false"}}}`), []string{"MFA001", "MFA009"}},
		{"StringEqualsIfExists true in an Allow lets long-term keys through", policy.KindIdentity, doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:MultiFactorAuthPresent":"true"}}}`), []string{"MFA002", "MFA009"}},
		{"a Deny with Bool on the MFA age never applies: an error, as it lets callers without MFA through", policy.KindIdentity, doc(`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthAge":"false"}}}`), []string{"MFA010"}},
		{"type mismatch on the MFA flag (P13)", policy.KindIdentity, doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"aws:MultiFactorAuthPresent":"1"}}}`), []string{"MFA010"}},
		{"grammar: NullIfExists (P13)", policy.KindIdentity, doc(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"aws:MultiFactorAuthAge":"true"}}}`), []string{"null_ifexists"}},
		{"grammar: Principal in an identity policy", policy.KindIdentity, doc(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`), []string{"element_not_allowed"}},
		{"grammar: invalid JSON", policy.KindIdentity, `{"Statement": [}`, []string{"invalid_json"}},
	}
	for _, tc := range tests {
		got := lint.File("p.json", []byte(tc.doc), tc.kind)
		if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s\n%v", tc.name, diff, got)
		}
	}
}

func TestFindingText(t *testing.T) {
	got := lint.File("deny.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*",
  "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}}`), policy.KindIdentity)
	if len(got) != 1 {
		t.Fatalf("%v", got)
	}
	want := "deny.json:2:16: error: MFA001 deny-bool-mfa-false: Deny on Bool aws:MultiFactorAuthPresent false does not apply to long-term access keys, which carry no MFA key"
	if got[0].String() != want || !strings.Contains(got[0].Fix, "BoolIfExists") {
		t.Errorf("%s\nwant %s", got[0], want)
	}
	for _, r := range lint.Rules() {
		if r.ID == "" || r.Name == "" || r.Summary == "" || r.Help == "" {
			t.Errorf("incomplete rule %+v", r)
		}
	}
}

// TestSetQualifiersFromTheCatalogue: AWS's catalogue types a key as one
// value or several (ArrayOf...), so the set-qualifier rules reach every
// service's keys: StringEquals on dynamodb:LeadingKeys (ArrayOfString)
// never matches (MFA006); ForAllValues: on ec2:InstanceType (String) in an
// Allow is true when the key is absent (MFA005); the right forms are clean.
func TestSetQualifiersFromTheCatalogue(t *testing.T) {
	for _, tc := range []struct {
		cond string
		want []string
	}{
		{`{"StringEquals":{"dynamodb:LeadingKeys":"${aws:userid}"}}`, []string{"MFA006"}},
		{`{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":"${aws:userid}"}}`, nil},
		{`{"ForAllValues:StringEquals":{"ec2:InstanceType":["t3.micro"]}}`, []string{"MFA005"}},
		{`{"StringEquals":{"ec2:InstanceType":["t3.micro"]}}`, nil},
	} {
		doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["dynamodb:GetItem","ec2:RunInstances"],"Resource":"*","Condition":` + tc.cond + `}}`
		r := lint.Document("p.json", []byte(doc), policy.KindIdentity)
		var got []string
		for _, f := range r.Findings {
			if strings.HasPrefix(f.RuleID, "MFA") {
				got = append(got, f.RuleID)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: %v, want %v", tc.cond, got, tc.want)
		}
	}
}
