package main

import (
	"strings"
	"testing"
)

// The callers that are no principal of an account, end to end: a trust
// policy's "Federated" and "Service" entries decide them, and the caller is
// given as the trust policy names it (--caller-arn with the provider's ARN,
// a provider name such as cognito-identity.amazonaws.com, or a service
// principal). Sources: IAM User Guide, "AWS JSON policy elements:
// Principal" (the forms), "Configuring a role for GitHub OIDC identity
// provider" and "Available keys for AWS OIDC federation" (the GitHub trust
// policy shape and its aud and sub keys), Amazon Cognito developer guide,
// "IAM roles" (the amr key and ForAnyValue:StringLike "authenticated").

const (
	githubTrust = "../../examples/github-oidc-trust.json"
	githubOIDC  = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
	deployRole  = "arn:aws:iam::123456789012:role/deploy"
)

// TestGitHubOIDCTrust pins AWS's documented GitHub Actions trust policy:
// the workflow of octo-org/octo-repo on main, whose token's audience is
// sts.amazonaws.com, may assume the role; another repository or branch, or
// a token without sub, is implicitly denied.
func TestGitHubOIDCTrust(t *testing.T) {
	base := []string{"--resource-policy", githubTrust, "--caller-arn", githubOIDC, "--action", "sts:AssumeRoleWithWebIdentity", "--resource", deployRole}
	const aud = "token.actions.githubusercontent.com:aud=sts.amazonaws.com"
	tests := []struct {
		name string
		ctx  []string
		want string
	}{
		{"the repository's main branch", []string{"token.actions.githubusercontent.com:sub=repo:octo-org/octo-repo:ref:refs/heads/main", aud}, "allowed"},
		{"another branch", []string{"token.actions.githubusercontent.com:sub=repo:octo-org/octo-repo:ref:refs/heads/feature", aud}, "implicitDeny"},
		{"another repository", []string{"token.actions.githubusercontent.com:sub=repo:octo-org/other-repo:ref:refs/heads/main", aud}, "implicitDeny"},
		{"a pull request", []string{"token.actions.githubusercontent.com:sub=repo:octo-org/octo-repo:pull_request", aud}, "implicitDeny"},
		{"no sub claim", []string{aud}, "implicitDeny"},
		{"another audience", []string{"token.actions.githubusercontent.com:sub=repo:octo-org/octo-repo:ref:refs/heads/main", "token.actions.githubusercontent.com:aud=https://github.com/octo-org"}, "implicitDeny"},
	}
	for _, tc := range tests {
		args := append([]string{}, base...)
		for _, c := range tc.ctx {
			args = append(args, "--context", c)
		}
		code, got, missing, errOut := simulateJSON(t, args...)
		if code != exitOK || len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s: exit %d, %v (missing %v), %s; want %s", tc.name, code, got, missing, errOut, tc.want)
		}
	}
	// without sub, the key is reported missing
	_, _, missing, _ := simulateJSON(t, append(append([]string{}, base...), "--context", aud)...)
	if len(missing) != 1 || strings.Join(missing[0], ",") != "token.actions.githubusercontent.com:sub" {
		t.Errorf("missing context values: %v", missing)
	}
	// an identity Deny of the account does not apply to the federated
	// caller, and explain says why
	f := writeFiles(t, map[string]string{"deny.json": `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`})
	args := append(append([]string{}, base...), "--policy", f["deny.json"], "--scp", f["deny.json"],
		"--context", "token.actions.githubusercontent.com:sub=repo:octo-org/octo-repo:ref:refs/heads/main", "--context", aud)
	if code, got, _, errOut := simulateJSON(t, args...); code != exitOK || len(got) != 1 || got[0] != "allowed" {
		t.Errorf("with an identity and an SCP Deny: exit %d, %v, %s; want allowed", code, got, errOut)
	}
	_, out, _ := runCLI(t, append(append([]string{"simulate"}, args...), "--output", "explain")...)
	if !strings.Contains(out, "no principal of an account") {
		t.Errorf("explain does not say why the identity Deny does not apply:\n%s", out)
	}
}

// TestServiceAndCognitoCallers pins a service principal against an EC2
// trust policy, and a Cognito identity pool's trust policy that admits
// authenticated identities only.
func TestServiceAndCognitoCallers(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"ec2.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`,
		"cognito.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
 "Action":"sts:AssumeRoleWithWebIdentity",
 "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:12345678-abcd-abcd-abcd-123456789012"},
  "ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}}`,
		"saml.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/Okta"},
 "Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}}`,
	})
	const pool = "cognito-identity.amazonaws.com:aud=us-east-1:12345678-abcd-abcd-abcd-123456789012"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"EC2 may assume its role", []string{"--resource-policy", f["ec2.json"], "--caller-arn", "ec2.amazonaws.com", "--action", "sts:AssumeRole"}, "allowed"},
		{"Lambda is not named", []string{"--resource-policy", f["ec2.json"], "--caller-arn", "lambda.amazonaws.com", "--action", "sts:AssumeRole"}, "implicitDeny"},
		{"an authenticated Cognito identity", []string{"--resource-policy", f["cognito.json"], "--caller-arn", "cognito-identity.amazonaws.com", "--action", "sts:AssumeRoleWithWebIdentity",
			"--context", pool, "--context", "ContextKeyName=cognito-identity.amazonaws.com:amr,ContextKeyValues=authenticated,cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE,ContextKeyType=stringList"}, "allowed"},
		{"an unauthenticated Cognito identity", []string{"--resource-policy", f["cognito.json"], "--caller-arn", "cognito-identity.amazonaws.com", "--action", "sts:AssumeRoleWithWebIdentity",
			"--context", pool, "--context", "cognito-identity.amazonaws.com:amr=unauthenticated"}, "implicitDeny"},
		{"a SAML sign-in for the AWS audience", []string{"--resource-policy", f["saml.json"], "--caller-arn", "arn:aws:iam::123456789012:saml-provider/Okta", "--action", "sts:AssumeRoleWithSAML",
			"--context", "SAML:aud=https://signin.aws.amazon.com/saml", "--context", "SAML:sub=alice@example.com"}, "allowed"},
		{"another SAML provider", []string{"--resource-policy", f["saml.json"], "--caller-arn", "arn:aws:iam::123456789012:saml-provider/Other", "--action", "sts:AssumeRoleWithSAML",
			"--context", "SAML:aud=https://signin.aws.amazon.com/saml"}, "implicitDeny"},
	}
	for _, tc := range tests {
		code, got, missing, errOut := simulateJSON(t, append(tc.args, "--resource", deployRole)...)
		if code != exitOK || len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s: exit %d, %v (missing %v), %s; want %s", tc.name, code, got, missing, errOut, tc.want)
		}
	}
}

// TestCallerFormsFailClosed: a caller in no form a policy can name is
// still refused, and an identity provider or service has no long-term
// access keys.
func TestCallerFormsFailClosed(t *testing.T) {
	for _, caller := range []string{"token.actions.githubusercontent.com", "example.com", "EC2.amazonaws.com",
		"arn:aws:iam::123456789012:oidc-provider/", "arn:aws:iam::123456789012:oidc-provider/*"} {
		code, _, errOut := runCLI(t, "simulate", "--resource-policy", githubTrust, "--caller-arn", caller, "--action", "sts:AssumeRoleWithWebIdentity")
		if code != exitUsage || !strings.Contains(errOut, "--caller-arn") {
			t.Errorf("--caller-arn %s: exit %d, %q; want refused", caller, code, errOut)
		}
	}
	for _, caller := range []string{githubOIDC, "ec2.amazonaws.com"} {
		code, _, errOut := runCLI(t, "simulate", "--resource-policy", githubTrust, "--caller-arn", caller, "--action", "sts:AssumeRoleWithWebIdentity", "--long-term-keys")
		if code != exitUsage || !strings.Contains(errOut, "no long-term access keys") {
			t.Errorf("--long-term-keys for %s: exit %d, %q", caller, code, errOut)
		}
	}
}
