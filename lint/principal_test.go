package lint_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

// TestAWSPrincipalForms pins review 14 M: IAM refuses a policy whose AWS
// principal is not one of the forms of IAM's Principal element reference
// ("Invalid principal in policy"): an account id (12 digits) or its root
// ARN, an IAM user or role ARN, an STS assumed-role session or federated
// user ARN, "*", or the unique id (AIDA..., AROA...) AWS writes where a
// principal it named was deleted. PRN001 reports the others, with a fix.
func TestAWSPrincipalForms(t *testing.T) {
	for _, tc := range []struct {
		name      string
		principal string
		fix       string // a fragment of the fix; "" when quiet
	}{
		{"an account id", "123456789012", ""},
		{"the account root", "arn:aws:iam::123456789012:root", ""},
		{"a user, with a path", "arn:aws:iam::123456789012:user/division/alice", ""},
		{"a role", "arn:aws:iam::123456789012:role/Deploy", ""},
		{"an assumed-role session", "arn:aws:sts::123456789012:assumed-role/Deploy/s1", ""},
		{"a federated user", "arn:aws:sts::123456789012:federated-user/bob", ""},
		{"another partition", "arn:aws-cn:iam::123456789012:root", ""},
		{"anyone", "*", ""},
		{"review 14 trust-badacct.json: a 5-digit account", "arn:aws:iam::12345:root", "123456789012"},
		{"an account with letters", "arn:aws:iam::12345678901a:user/bob", "123456789012"},
		{"review 14 prin2.json: partition awss", "arn:awss:iam::123456789012:root", `"arn:aws:iam::123456789012:root"`},
		{"review 14 prin2.json: usr/bob", "arn:aws:iam::123456789012:usr/bob", `"arn:aws:iam::123456789012:user/bob"`},
		{"review 14 prin2.json: a bucket", "arn:aws:s3:::bucket", "Resource"},
		{"a group is no principal", "arn:aws:iam::123456789012:group/admins", "user"},
		{"an iam ARN with a region", "arn:aws:iam:us-east-1:123456789012:root", `"arn:aws:iam::123456789012:root"`},
		{"a role ARN written with sts", "arn:aws:sts::123456789012:role/Deploy", `"arn:aws:iam::123456789012:role/Deploy"`},
		{"an assumed-role without a session", "arn:aws:sts::123456789012:assumed-role/Deploy", "session"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + tc.principal + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
			var got []lint.Finding
			for _, f := range lint.File("p.json", []byte(doc), policy.KindResource) {
				if f.RuleID == "PRN001" {
					got = append(got, f)
				}
			}
			if tc.fix == "" {
				if len(got) > 0 {
					t.Fatalf("want no PRN001, got %v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one PRN001, got %v", got)
			}
			f := got[0]
			if f.Severity != lint.Error || !f.Pos.IsValid() || f.Path != `$.Statement[0].Principal.AWS` || !strings.Contains(f.Fix, tc.fix) || strings.Contains(f.Fix, "::user") || strings.Contains(f.Fix, ":::root") {
				t.Errorf("finding %+v: want an error at $.Statement[0].Principal.AWS, with a fix holding %q", f, tc.fix)
			}
		})
	}
}
