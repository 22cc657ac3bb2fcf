package lint_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

// stmts returns a policy of n copies of stmt.
func stmts(stmt string, n int) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Repeat(stmt+",", n-1) + stmt + `]}`
}

// TestSizeQuotas: lint applies the quota of the kind it checks (SPEC §1.6,
// from AWS's IAM and STS quotas page and the Organizations quotas page).
func TestSizeQuotas(t *testing.T) {
	identity := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/key"}` // 79 characters
	trust := `{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}`
	scp := `{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}`
	rcp := `{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"*"}`
	tests := []struct {
		source string
		kind   policy.Kind
		doc    string
		want   []string
	}{
		{"managed policy: 6,144 characters, white space not counted; 76 statements fit (6,119)", policy.KindIdentity, stmts(identity, 76), []string{}},
		{"managed policy: 77 statements do not (6,199)", policy.KindIdentity, stmts(identity, 77), []string{"SIZE001"}},
		{"managed policy: white space does not count", policy.KindIdentity, strings.ReplaceAll(stmts(identity, 76), ",", ",\n    "), []string{}},
		{"role trust policy: 2,048 characters; 26 statements do not fit (2,118)", policy.KindTrust, stmts(trust, 26), []string{"SIZE001"}},
		{"role trust policy: 25 statements fit (2,038)", policy.KindTrust, stmts(trust, 25), []string{}},
		{"SCP: 5,120 characters; 86 statements do not fit (5,198)", policy.KindSCP, stmts(scp, 86), []string{"SIZE001"}},
		{"SCP: every character counts, white space too", policy.KindSCP, strings.ReplaceAll(stmts(scp, 80), ",", ",\n      "), []string{"SIZE001"}},
		{"SCP: 80 statements fit without white space (4,838)", policy.KindSCP, stmts(scp, 80), []string{}},
		{"RCP: 5,120 characters, white space too", policy.KindRCP, strings.ReplaceAll(stmts(rcp, 64), ",", ",\n      "), []string{"SIZE001"}},
		{"resource policy: no IAM quota; lint says it did not check one", policy.KindResource,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, []string{"SIZE002"}},
	}
	for _, tc := range tests {
		got := lint.File("p.json", []byte(tc.doc), tc.kind)
		if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
			t.Errorf("%s (%d characters) (-want +got):\n%s\n%v", tc.source, len(tc.doc), diff, got)
		}
		for _, f := range got {
			if !f.Pos.IsValid() || f.Fix == "" || f.Message == "" {
				t.Errorf("%s: finding without position, fix or message: %+v", tc.source, f)
			}
		}
	}
}

// TestVariablesInOldVersions: "${...}" is a policy variable only under
// Version 2012-10-17 (IAM's Version page; Access Analyzer's "Variable
// unsupported in version", and "Missing version": without a Version,
// variables "aren't recognized as variables and are instead treated as literal
// strings").
func TestVariablesInOldVersions(t *testing.T) {
	stmt := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}`
	cond := `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}}`
	tests := []struct {
		source string
		doc    string
		want   []string
	}{
		{"Version 2012-10-17: a variable", `{"Version":"2012-10-17","Statement":[` + stmt + `]}`, []string{}},
		{"no Version: literal text", `{"Statement":[` + stmt + `]}`, []string{"VAR001"}},
		{"Version 2008-10-17: literal text", `{"Version":"2008-10-17","Statement":[` + stmt + `]}`, []string{"VAR001"}},
		{"in a condition value too", `{"Statement":[` + cond + `]}`, []string{"VAR001"}},
		{"no variable, no Version: nothing to say", `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/$x/{y}"}}`, []string{}},
	}
	for _, tc := range tests {
		got := lint.File("p.json", []byte(tc.doc), policy.KindIdentity)
		if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s\n%v", tc.source, diff, got)
		}
	}
	got := lint.File("p.json", []byte(`{"Version":"2008-10-17","Statement":[`+stmt+`]}`), policy.KindIdentity)
	if len(got) != 1 || got[0].Severity != lint.Warning || got[0].Pos.Column != 91 ||
		!strings.Contains(got[0].Message, "${aws:username}") || !strings.Contains(got[0].Fix, `"2012-10-17"`) {
		t.Errorf("%+v", got)
	}
}

// TestShortARNs: an ARN has six colon-separated parts,
// arn:partition:service:region:account:resource (IAM's identifiers page).
// IAM refuses a shorter one with an empty part, "arn:aws:s3::b/*" ("The policy
// failed legacy parsing", as moto reproduces IAM); "arn:aws:ec2:*", whose
// final "*" stands for the parts it lacks, is stored.
func TestShortARNs(t *testing.T) {
	// Action "*": the ARN rules alone speak (the catalogue rules relate
	// an ARN to the statement's actions, and "*" is every service)
	doc := func(res string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":` + res + `}}`
	}
	tests := []struct {
		source string
		res    string
		want   []string
	}{
		{"six parts", `"arn:aws:s3:::b/*"`, []string{}},
		{"six parts, the resource holding colons", `"arn:aws:logs:us-east-1:111122223333:log-group:g:*"`, []string{}},
		{"a variable's colon is not a part", `"arn:aws:s3:::b/${aws:username}"`, []string{}},
		{"*", `"*"`, []string{}},
		{"five parts, one empty: IAM refuses it", `"arn:aws:s3::b/*"`, []string{"ARN001"}},
		{"an IAM ARN without its region part", `"arn:aws:iam::user/alice"`, []string{"ARN001"}},
		{"no service", `"arn:aws"`, []string{"ARN001"}},
		{"a variable's colon does not make up a missing part", `"arn:aws:s3::${aws:username}"`, []string{"ARN001"}},
		{"four parts ending in *: stored, the * stands for the rest", `"arn:aws:ec2:*"`, []string{"ARN002"}},
		{"in NotResource too, and in each entry of a list", `["arn:aws:s3:::b","arn:aws:s3::c"]`, []string{"ARN001"}},
	}
	for _, tc := range tests {
		got := lint.File("p.json", []byte(doc(tc.res)), policy.KindIdentity)
		if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s\n%v", tc.source, diff, got)
		}
	}
	got := lint.File("p.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3::b/*"}}`), policy.KindIdentity)
	if len(got) != 1 || got[0].RuleID != "ARN001" || got[0].Severity != lint.Error || got[0].Path != "$.Statement.NotResource" ||
		!strings.Contains(got[0].Fix, `"arn:aws:s3:::b/*"`) {
		t.Errorf("%+v", got)
	}
	got = lint.File("p.json", []byte(doc(`"arn:aws:ec2:*"`)), policy.KindIdentity)
	if len(got) != 1 || got[0].Severity != lint.Note || !strings.Contains(got[0].Fix, `"arn:aws:ec2:*:*:*"`) {
		t.Errorf("%+v", got)
	}
}

// TestRuleList: every rule a finding can name is in Rules, once, in id order.
func TestRuleList(t *testing.T) {
	rules := lint.Rules()
	seen := map[string]bool{}
	for i, r := range rules {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
		if i > 0 && rules[i-1].ID > r.ID {
			t.Errorf("%s before %s", rules[i-1].ID, r.ID)
		}
	}
	for _, id := range []string{"MFA001", "MFA009", "SIZE001", "SIZE002", "VAR001", "ARN001", "ARN002", "CAT001", "CAT010"} {
		if !seen[id] {
			t.Errorf("rule %s missing", id)
		}
	}
}
