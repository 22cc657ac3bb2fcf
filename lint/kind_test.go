package lint_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

// TestDetectKind: a policy's elements say where it can be attached. Only
// resource-based policies (a role's trust policy among them) name a
// Principal ("Principal ... Required in resource-based policies and role trust
// policies; forbidden in identity-based policies", IAM's Principal page), and a
// trust policy grants the sts: actions that assume a role or tag its session.
func TestDetectKind(t *testing.T) {
	doc := func(stmts string) string { return `{"Version":"2012-10-17","Statement":[` + stmts + `]}` }
	tests := []struct {
		name string
		doc  string
		want policy.Kind
	}{
		{"no Principal: identity", doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), policy.KindIdentity},
		{"sts:AssumeRole without Principal is an identity policy that lets a user assume a role",
			doc(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/Admin"}`), policy.KindIdentity},
		{"Principal and an s3 action: resource", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), policy.KindResource},
		{"NotPrincipal: resource", doc(`{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`), policy.KindResource},
		{"Principal and sts:AssumeRole: trust", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}`), policy.KindTrust},
		{"SAML federation: trust", doc(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/IdP"},"Action":"sts:AssumeRoleWithSAML"}`), policy.KindTrust},
		{"web identity: trust", doc(`{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}`), policy.KindTrust},
		{"assume, tag the session, set the source identity: trust",
			doc(`{"Effect":"Allow","Principal":{"Service":"rolesanywhere.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}`), policy.KindTrust},
		{"action names are case-insensitive", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"STS:assumerole"}`), policy.KindTrust},
		{"sts:AssumeRole* as a pattern: trust", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole*"}`), policy.KindTrust},
		{"two trust statements: trust", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"444455556666"},"Action":"sts:TagSession"}`), policy.KindTrust},
		{"sts:* is more than assuming a role: resource", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:*"}`), policy.KindResource},
		{"a trust action beside another: resource", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["sts:AssumeRole","s3:GetObject"]}`), policy.KindResource},
		{"NotAction is every other action: resource", doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"NotAction":"sts:AssumeRole"}`), policy.KindResource},
		{"a statement without Principal beside one with: resource (Check then reports the missing Principal)",
			doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`), policy.KindResource},
	}
	for _, tc := range tests {
		p, err := policy.Parse("p.json", []byte(tc.doc))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := lint.DetectKind(p); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestDetectKindProjectPolicies: the README's "iameval lint
// testdata/policies/*.json" checks each policy as what it is.
func TestDetectKindProjectPolicies(t *testing.T) {
	want := map[string]policy.Kind{
		"p5-trust-cross-account-mfa.json":  policy.KindTrust,
		"p6-bucket-mfa-cross-account.json": policy.KindResource,
	}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "policies", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatal(err, files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := lint.DocumentAuto(f, data)
		k, ok := want[filepath.Base(f)]
		if !ok {
			k = policy.KindIdentity
		}
		if r.Kind != k || r.KindSource != lint.KindDetected {
			t.Errorf("%s: %s (%s), want %s (detected)", f, r.Kind, r.KindSource, k)
		}
		for _, fd := range r.Findings {
			switch fd.RuleID {
			case policy.CodeElementNotAllowed, policy.CodeMissingPrincipal, policy.CodeMissingResource:
				t.Errorf("%s: %s", f, fd)
			}
		}
	}
}

// TestKindGivenWins: a kind given by the caller is used as given.
func TestKindGivenWins(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "policies", "p5-trust-cross-account-mfa.json"))
	if err != nil {
		t.Fatal(err)
	}
	r := lint.Document("p5.json", data, policy.KindIdentity)
	if r.Kind != policy.KindIdentity || r.KindSource != lint.KindGiven {
		t.Errorf("%s (%s)", r.Kind, r.KindSource)
	}
	if got := ids(r.Findings); len(got) == 0 || got[0] != policy.CodeMissingResource {
		t.Errorf("a trust policy checked as identity: %v", got)
	}
}

// TestKindUndetermined: a document that does not parse has no kind; only its
// grammar was checked, and the result says so.
func TestKindUndetermined(t *testing.T) {
	r := lint.DocumentAuto("bad.json", []byte(`{"Statement": [}`))
	if r.KindSource != lint.KindUndetermined || r.Parsed || len(r.Findings) == 0 {
		t.Errorf("%+v", r)
	}
	r = lint.Document("bad.json", []byte(`{"Statement": [}`), policy.KindRCP)
	if r.KindSource != lint.KindGiven || r.Kind != policy.KindRCP || r.Parsed {
		t.Errorf("%+v", r)
	}
	for _, s := range []lint.KindSource{lint.KindGiven, lint.KindDetected, lint.KindUndetermined} {
		if s.String() == "" {
			t.Errorf("KindSource %d has no name", s)
		}
	}
}
