package request_test

import (
	"testing"

	"github.com/iameval/iameval/request"
)

// TestCallerKinds pins how each form AWS writes in a trust policy's
// Principal element reads as a caller (IAM User Guide, "AWS JSON policy
// elements: Principal"): a service by its name, an OIDC provider by its ARN
// or a well-known provider name, a SAML provider by its ARN. None of them
// is a principal of an account: Identityless is true for them, as for an
// anonymous request, and they have no account.
func TestCallerKinds(t *testing.T) {
	tests := []struct {
		caller string
		kind   request.PrincipalKind
	}{
		{"ec2.amazonaws.com", request.PrincipalService},
		{"lambda.amazonaws.com", request.PrincipalService},
		{"ec2.amazonaws.com.cn", request.PrincipalService},
		{"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", request.PrincipalWebIdentity},
		{"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", request.PrincipalWebIdentity},
		{"cognito-identity.amazonaws.com", request.PrincipalWebIdentity},
		{"accounts.google.com", request.PrincipalWebIdentity},
		{"graph.facebook.com", request.PrincipalWebIdentity},
		{"www.amazon.com", request.PrincipalWebIdentity},
		{"arn:aws:iam::123456789012:saml-provider/Okta", request.PrincipalSAML},
		{"arn:aws:iam::123456789012:oidc-provider/", request.PrincipalUnknown},
		{"arn:aws:iam::123456789012:saml-provider/", request.PrincipalUnknown},
		{"example.com", request.PrincipalUnknown},
	}
	for _, tc := range tests {
		p := request.ParsePrincipal(tc.caller)
		if p.Kind != tc.kind {
			t.Errorf("%s: kind %v, want %v", tc.caller, p.Kind, tc.kind)
		}
		if tc.kind != request.PrincipalUnknown && (!p.Kind.Identityless() || p.Account != "") {
			t.Errorf("%s: Identityless %v, account %q; want true and none", tc.caller, p.Kind.Identityless(), p.Account)
		}
	}
	for _, k := range []request.PrincipalKind{request.PrincipalUser, request.PrincipalRole, request.PrincipalAssumedRole, request.PrincipalFederatedUser, request.PrincipalRoot, request.PrincipalNone, request.PrincipalUnknown} {
		if k.Identityless() {
			t.Errorf("%v is Identityless", k)
		}
	}
	if !request.PrincipalAnonymous.Identityless() {
		t.Error("an anonymous caller has an identity side")
	}
	if request.PrincipalWebIdentity.String() != "WebIdentity" || request.PrincipalSAML.String() != "SAML" {
		t.Errorf("kind names %q, %q", request.PrincipalWebIdentity, request.PrincipalSAML)
	}
}

// TestCheckCallerKinds: CheckCaller takes every caller kind a trust policy
// names, and still refuses forms that name none (failing closed).
func TestCheckCallerKinds(t *testing.T) {
	for _, ok := range []string{
		"ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "ec2.amazonaws.com.cn",
		"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
		"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
		"cognito-identity.amazonaws.com", "accounts.google.com",
		"arn:aws:iam::123456789012:saml-provider/Okta", "arn:aws-cn:iam::123456789012:saml-provider/my_idp.1-2",
	} {
		if err := request.CheckCaller(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"example.com", "*.amazonaws.com", "EC2.amazonaws.com", ".amazonaws.com", "ec2..amazonaws.com", "ec2 .amazonaws.com",
		"arn:aws:iam::123456789012:oidc-provider/", "arn:aws:iam::123456789012:oidc-provider/*",
		"arn:aws:iam::12345:oidc-provider/token.actions.githubusercontent.com",
		"arn:aws:iam:us-east-1:123456789012:oidc-provider/token.actions.githubusercontent.com",
		"arn:aws:iam::123456789012:oidc-provider/https://token.actions.githubusercontent.com",
		"arn:aws:iam::123456789012:oidc-provider/a//b",
		"arn:aws:iam::123456789012:saml-provider/", "arn:aws:iam::123456789012:saml-provider/a b",
		"arn:aws:iam::123456789012:saml-provider/a/b", "arn:foo:iam::123456789012:saml-provider/Okta",
		"arn:aws:sts::123456789012:saml-provider/Okta",
	} {
		if err := request.CheckCaller(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestProviderKeyNames: the keys of an identity provider's claims are
// prefixed with the provider's name, dots and all, or with "SAML" (IAM
// User Guide, "Available keys for AWS OIDC federation" and "... for
// SAML-based federation"); CheckKeyName takes them.
func TestProviderKeyNames(t *testing.T) {
	for _, k := range []string{"token.actions.githubusercontent.com:sub", "token.actions.githubusercontent.com:aud",
		"cognito-identity.amazonaws.com:amr", "accounts.google.com:oaud", "SAML:aud", "SAML:sub", "saml:namequalifier",
		"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"} {
		if err := request.CheckKeyName(k); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
}
