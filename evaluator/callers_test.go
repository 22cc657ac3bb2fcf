package evaluator_test

import (
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Callers that are no principal of an account: AWS service principals and
// the web-identity (OIDC) and SAML federated callers of
// sts:AssumeRoleWithWebIdentity and sts:AssumeRoleWithSAML. Sources:
//
//   - IAM User Guide, "AWS JSON policy elements: Principal": a trust policy
//     names a service as {"Service": "ec2.amazonaws.com"} (one name or a
//     list), an OIDC provider as {"Federated":
//     "arn:aws:iam::ACCOUNT:oidc-provider/HOST"} or by a well-known name
//     ("cognito-identity.amazonaws.com", "accounts.google.com", ...), and a
//     SAML provider as {"Federated": "arn:aws:iam::ACCOUNT:saml-provider/NAME"}.
//   - STS API reference, AssumeRoleWithWebIdentity and AssumeRoleWithSAML:
//     the call needs no AWS security credentials; the identity provider's
//     token or assertion vouches for the caller. So there is no IAM
//     identity whose identity policies, boundary or session policies could
//     apply.
//   - Organizations User Guide, SCPs: SCPs affect only the IAM users and
//     roles managed by accounts of the organization (and never
//     service-linked roles).
//   - Control Tower "Controls implemented with RCPs" (RCPs cover Amazon S3,
//     AWS STS, AWS KMS, Amazon SQS, AWS Secrets Manager) and the KMS
//     developer guide's RCP examples, which exempt service principals with
//     aws:PrincipalIsAWSService: RCPs apply to the resource whoever calls,
//     service principals included.

const (
	deployRole = "arn:aws:iam::123456789012:role/deploy"
	githubOIDC = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
	cognito    = "cognito-identity.amazonaws.com"
	oktaSAML   = "arn:aws:iam::123456789012:saml-provider/Okta"
)

// TestServicePrincipalTrust pins that a trust policy naming a service
// allows that service's sts:AssumeRole and nothing else: the Service entry
// is compared with the caller's name, one name or a list, and a service not
// named is implicitly denied (Principal element page).
func TestServicePrincipalTrust(t *testing.T) {
	one := mustParse(t, "ec2-trust", `{"Version":"2012-10-17","Statement":{"Sid":"EC2","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`)
	list := mustParse(t, "list-trust", `{"Version":"2012-10-17","Statement":{"Sid":"Compute","Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}}`)
	tests := []struct {
		name   string
		trust  *policy.Policy
		caller string
		want   evaluator.Verdict
		rule   evaluator.Rule
	}{
		{"the service named is allowed", one, "ec2.amazonaws.com", evaluator.Allowed, evaluator.RuleNone},
		{"a service not named is implicitly denied", one, "lambda.amazonaws.com", evaluator.ImplicitDeny, evaluator.RuleResourcePolicyRequired},
		{"a list of services names each", list, "lambda.amazonaws.com", evaluator.Allowed, evaluator.RuleNone},
		{"a list of services names no other", list, "ecs-tasks.amazonaws.com", evaluator.ImplicitDeny, evaluator.RuleResourcePolicyRequired},
		{"a Service entry never names an IAM user", one, "arn:aws:iam::123456789012:user/ec2.amazonaws.com", evaluator.ImplicitDeny, evaluator.RuleResourcePolicyRequired},
	}
	for _, tc := range tests {
		d := mustCompile(t, evaluator.PolicySet{Resource: tc.trust}).Evaluate(request.New(tc.caller, "sts:AssumeRole", deployRole))
		if d.Verdict != tc.want || d.Rule != tc.rule {
			t.Errorf("%s: got %v (%v), want %v (%v)", tc.name, d.Verdict, d.Rule, tc.want, tc.rule)
		}
	}
}

// TestWebIdentityTrust pins AWS's documented GitHub OIDC trust policy: the
// Federated entry names the provider by its ARN, and the provider's claims
// arrive as condition keys named for the provider
// (token.actions.githubusercontent.com:aud and :sub; IAM User Guide,
// "Available keys for AWS OIDC federation" and "Configuring a role for
// GitHub OIDC identity provider").
func TestWebIdentityTrust(t *testing.T) {
	trust := mustParse(t, "github", `{"Version":"2012-10-17","Statement":{"Sid":"GitHubMain","Effect":"Allow",
 "Principal":{"Federated":"`+githubOIDC+`"},"Action":"sts:AssumeRoleWithWebIdentity",
 "Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
  "StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/octo-repo:ref:refs/heads/main"}}}}`)
	orgWide := mustParse(t, "github-org", `{"Version":"2012-10-17","Statement":{"Effect":"Allow",
 "Principal":{"Federated":"`+githubOIDC+`"},"Action":"sts:AssumeRoleWithWebIdentity",
 "Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/*"}}}}`)
	claims := func(sub, aud string) func(*request.Context) {
		return func(c *request.Context) {
			if sub != "" {
				_ = c.Set("token.actions.githubusercontent.com:sub", request.TypeString, sub)
			}
			if aud != "" {
				_ = c.Set("token.actions.githubusercontent.com:aud", request.TypeString, aud)
			}
		}
	}
	tests := []struct {
		name   string
		trust  *policy.Policy
		caller string
		action string
		ctx    func(*request.Context)
		want   evaluator.Verdict
	}{
		{"the repository's main branch is allowed", trust, githubOIDC, "sts:AssumeRoleWithWebIdentity", claims("repo:octo-org/octo-repo:ref:refs/heads/main", "sts.amazonaws.com"), evaluator.Allowed},
		{"another branch is implicitly denied", trust, githubOIDC, "sts:AssumeRoleWithWebIdentity", claims("repo:octo-org/octo-repo:ref:refs/heads/dev", "sts.amazonaws.com"), evaluator.ImplicitDeny},
		{"another repository is implicitly denied", trust, githubOIDC, "sts:AssumeRoleWithWebIdentity", claims("repo:evil-org/octo-repo:ref:refs/heads/main", "sts.amazonaws.com"), evaluator.ImplicitDeny},
		{"a token without sub is implicitly denied", trust, githubOIDC, "sts:AssumeRoleWithWebIdentity", claims("", "sts.amazonaws.com"), evaluator.ImplicitDeny},
		{"another audience is implicitly denied", trust, githubOIDC, "sts:AssumeRoleWithWebIdentity", claims("repo:octo-org/octo-repo:ref:refs/heads/main", "api://other"), evaluator.ImplicitDeny},
		{"claim key names are case-insensitive", trust, githubOIDC, "sts:AssumeRoleWithWebIdentity", func(c *request.Context) {
			_ = c.Set("Token.Actions.GitHubUserContent.com:SUB", request.TypeString, "repo:octo-org/octo-repo:ref:refs/heads/main")
			_ = c.Set("token.actions.githubusercontent.com:aud", request.TypeString, "sts.amazonaws.com")
		}, evaluator.Allowed},
		{"StringLike repo:octo-org/* takes any repository of the org", orgWide, githubOIDC, "sts:AssumeRoleWithWebIdentity", claims("repo:octo-org/tools:environment:prod", ""), evaluator.Allowed},
		{"StringLike repo:octo-org/* takes no other org", orgWide, githubOIDC, "sts:AssumeRoleWithWebIdentity", claims("repo:octo-org-fork/tools:ref:refs/heads/main", ""), evaluator.ImplicitDeny},
		{"another provider is not named", trust, "arn:aws:iam::123456789012:oidc-provider/gitlab.com", "sts:AssumeRoleWithWebIdentity", claims("repo:octo-org/octo-repo:ref:refs/heads/main", "sts.amazonaws.com"), evaluator.ImplicitDeny},
		{"the same provider of another account is not named", trust, "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com", "sts:AssumeRoleWithWebIdentity", claims("repo:octo-org/octo-repo:ref:refs/heads/main", "sts.amazonaws.com"), evaluator.ImplicitDeny},
		{"the statement's action is AssumeRoleWithWebIdentity only", trust, githubOIDC, "sts:AssumeRole", claims("repo:octo-org/octo-repo:ref:refs/heads/main", "sts.amazonaws.com"), evaluator.ImplicitDeny},
	}
	for _, tc := range tests {
		req := request.New(tc.caller, tc.action, deployRole)
		tc.ctx(req)
		if d := mustCompile(t, evaluator.PolicySet{Resource: tc.trust}).Evaluate(req); d.Verdict != tc.want {
			t.Errorf("%s: got %v (%v), want %v", tc.name, d.Verdict, d.Rule, tc.want)
		}
	}
}

// TestCognitoAndSAMLTrust pins the other two Federated forms: Amazon
// Cognito identity pools, named by the provider name
// cognito-identity.amazonaws.com, whose amr claim is multivalued and tested
// with ForAnyValue:StringLike "authenticated" (Cognito developer guide,
// "IAM roles" / role trust); and SAML providers, named by their ARN, with
// SAML:aud and SAML:sub keys (IAM User Guide, "Available keys for SAML-based
// federation").
func TestCognitoAndSAMLTrust(t *testing.T) {
	cognitoTrust := mustParse(t, "cognito", `{"Version":"2012-10-17","Statement":{"Effect":"Allow",
 "Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
 "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:12345678-abcd-abcd-abcd-123456789012"},
  "ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}}`)
	samlTrust := mustParse(t, "saml", `{"Version":"2012-10-17","Statement":{"Effect":"Allow",
 "Principal":{"Federated":"`+oktaSAML+`"},"Action":"sts:AssumeRoleWithSAML",
 "Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}}`)
	pool := "us-east-1:12345678-abcd-abcd-abcd-123456789012"
	tests := []struct {
		name   string
		trust  *policy.Policy
		caller string
		action string
		keys   map[string][]string
		want   evaluator.Verdict
	}{
		{"an authenticated Cognito identity is allowed", cognitoTrust, cognito, "sts:AssumeRoleWithWebIdentity",
			map[string][]string{"cognito-identity.amazonaws.com:aud": {pool}, "cognito-identity.amazonaws.com:amr": {"authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE"}}, evaluator.Allowed},
		{"an unauthenticated Cognito identity is implicitly denied", cognitoTrust, cognito, "sts:AssumeRoleWithWebIdentity",
			map[string][]string{"cognito-identity.amazonaws.com:aud": {pool}, "cognito-identity.amazonaws.com:amr": {"unauthenticated"}}, evaluator.ImplicitDeny},
		{"another identity pool is implicitly denied", cognitoTrust, cognito, "sts:AssumeRoleWithWebIdentity",
			map[string][]string{"cognito-identity.amazonaws.com:aud": {"us-east-1:other"}, "cognito-identity.amazonaws.com:amr": {"authenticated"}}, evaluator.ImplicitDeny},
		{"Cognito is a Federated name, not a service: a Service entry does not name it", mustParse(t, "svc", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}}`), cognito, "sts:AssumeRoleWithWebIdentity",
			nil, evaluator.ImplicitDeny},
		{"the SAML provider named is allowed", samlTrust, oktaSAML, "sts:AssumeRoleWithSAML",
			map[string][]string{"SAML:aud": {"https://signin.aws.amazon.com/saml"}, "SAML:sub": {"alice@example.com"}}, evaluator.Allowed},
		{"another SAML provider is implicitly denied", samlTrust, "arn:aws:iam::123456789012:saml-provider/Other", "sts:AssumeRoleWithSAML",
			map[string][]string{"SAML:aud": {"https://signin.aws.amazon.com/saml"}}, evaluator.ImplicitDeny},
		{"a SAML assertion for another audience is implicitly denied", samlTrust, oktaSAML, "sts:AssumeRoleWithSAML",
			map[string][]string{"SAML:aud": {"https://example.com/saml"}}, evaluator.ImplicitDeny},
	}
	for _, tc := range tests {
		req := request.New(tc.caller, tc.action, deployRole)
		for k, v := range tc.keys {
			typ := request.TypeString
			if len(v) > 1 || k == "cognito-identity.amazonaws.com:amr" {
				typ = request.TypeStringList
			}
			if err := req.Set(k, typ, v...); err != nil {
				t.Fatal(err)
			}
		}
		if d := mustCompile(t, evaluator.PolicySet{Resource: tc.trust}).Evaluate(req); d.Verdict != tc.want {
			t.Errorf("%s: got %v (%v), want %v", tc.name, d.Verdict, d.Rule, tc.want)
		}
	}
}

// TestNoIdentitySide pins that services and federated callers, like
// anonymous ones, have no identity side: the account's identity policies,
// boundary, session policies and SCPs neither allow nor deny them, and
// their Detail reads not applicable; the trust policy decides, a Deny in
// it wins, and an RCP Deny applies (sources above). They are no account
// principal, so no cross-account rule applies to them.
func TestNoIdentitySide(t *testing.T) {
	denyAll := mustParse(t, "deny-all", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)
	s3Only := mustParse(t, "s3-only", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	adminPol := mustParse(t, "admin", admin)
	rcpDeny := mustParse(t, "rcp", `{"Version":"2012-10-17","Statement":{"Sid":"NoSTS","Effect":"Deny","Principal":"*","Action":"sts:*","Resource":"*"}}`)
	trust := mustParse(t, "trust", `{"Version":"2012-10-17","Statement":[
 {"Sid":"EC2","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
 {"Sid":"GitHub","Effect":"Allow","Principal":{"Federated":"`+githubOIDC+`"},"Action":"sts:AssumeRoleWithWebIdentity"},
 {"Sid":"Okta","Effect":"Allow","Principal":{"Federated":"`+oktaSAML+`"},"Action":"sts:AssumeRoleWithSAML"}]}`)
	denyTrust := mustParse(t, "deny-trust", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com","Federated":["`+githubOIDC+`","`+oktaSAML+`"]},"Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity","sts:AssumeRoleWithSAML"]},
 {"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"sts:*"}]}`)
	callers := []struct{ caller, action string }{
		{"ec2.amazonaws.com", "sts:AssumeRole"},
		{githubOIDC, "sts:AssumeRoleWithWebIdentity"},
		{oktaSAML, "sts:AssumeRoleWithSAML"},
	}
	// A service's role in another account: still no cross-account rule, as
	// the caller belongs to no account. (A provider ARN belongs to one:
	// TestProviderInAnotherAccount.)
	otherRole := "arn:aws:iam::444455556666:role/deploy"
	tests := []struct {
		name     string
		set      evaluator.PolicySet
		resource string
		want     evaluator.Verdict
		rule     evaluator.Rule
	}{
		{"the trust policy alone allows", evaluator.PolicySet{Resource: trust}, deployRole, evaluator.Allowed, evaluator.RuleNone},
		{"an identity Deny does not apply", evaluator.PolicySet{Resource: trust, Identity: []*policy.Policy{denyAll}}, deployRole, evaluator.Allowed, evaluator.RuleNone},
		{"a boundary does not apply", evaluator.PolicySet{Resource: trust, Boundary: s3Only}, deployRole, evaluator.Allowed, evaluator.RuleNone},
		{"a session policy does not apply", evaluator.PolicySet{Resource: trust, Session: []*policy.Policy{s3Only}}, deployRole, evaluator.Allowed, evaluator.RuleNone},
		{"an SCP Deny does not apply", evaluator.PolicySet{Resource: trust, SCPs: [][]*policy.Policy{{denyAll}}}, deployRole, evaluator.Allowed, evaluator.RuleNone},
		{"an SCP level without an Allow does not apply", evaluator.PolicySet{Resource: trust, SCPs: [][]*policy.Policy{{s3Only}}}, deployRole, evaluator.Allowed, evaluator.RuleNone},
		{"an RCP Deny applies", evaluator.PolicySet{Resource: trust, RCPs: [][]*policy.Policy{{rcpDeny}}}, deployRole, evaluator.ExplicitDeny, evaluator.RuleNone},
		{"a Deny in the trust policy wins", evaluator.PolicySet{Resource: denyTrust}, deployRole, evaluator.ExplicitDeny, evaluator.RuleNone},
		{"no cross-account rule: a role of another account", evaluator.PolicySet{Resource: trust}, otherRole, evaluator.Allowed, evaluator.RuleNone},
		{"no cross-account rule: another resource owner", evaluator.PolicySet{Resource: trust, ResourceOwner: "444455556666"}, deployRole, evaluator.Allowed, evaluator.RuleNone},
		{"an identity Allow alone grants nothing: a trust policy is required", evaluator.PolicySet{Identity: []*policy.Policy{adminPol}}, deployRole, evaluator.ImplicitDeny, evaluator.RuleServiceOrFederatedHasNoIdentity},
		{"without any resource policy: implicit deny, the rule says why", evaluator.PolicySet{SCPs: [][]*policy.Policy{{adminPol}}}, deployRole, evaluator.ImplicitDeny, evaluator.RuleServiceOrFederatedHasNoIdentity},
	}
	for _, c := range callers {
		for _, tc := range tests {
			if tc.resource == otherRole && c.caller != "ec2.amazonaws.com" {
				continue // TestProviderInAnotherAccount
			}
			d := mustCompile(t, tc.set).Evaluate(request.New(c.caller, c.action, tc.resource))
			if d.Verdict != tc.want || d.Rule != tc.rule {
				t.Errorf("%s, %s: got %v (%v), want %v (%v)", c.caller, tc.name, d.Verdict, d.Rule, tc.want, tc.rule)
			}
			if d.CrossAccount {
				t.Errorf("%s, %s: reported cross-account", c.caller, tc.name)
			}
			if d.Detail.Identity != evaluator.NotApplicable || d.Detail.Boundary != evaluator.NotApplicable || d.Detail.Session != evaluator.NotApplicable || d.Detail.Organizations != evaluator.NotApplicable {
				t.Errorf("%s, %s: the caller's policy types must read not applicable: %+v", c.caller, tc.name, d.Detail)
			}
		}
	}
	// Explain says why the caller's side did not apply.
	ex := mustCompile(t, evaluator.PolicySet{Resource: trust, Identity: []*policy.Policy{denyAll}}).Explain(request.New(githubOIDC, "sts:AssumeRoleWithWebIdentity", deployRole))
	for _, st := range ex.Statements {
		if st.PolicyType == evaluator.TypeIdentity && st.Reason != evaluator.NotAccountPrincipal {
			t.Errorf("explain: identity statement reason %v, want %v", st.Reason, evaluator.NotAccountPrincipal)
		}
	}
	if r := evaluator.RuleServiceOrFederatedHasNoIdentity; r.String() != "serviceOrFederatedHasNoIdentity" || r.Describe() == evaluator.RuleNone.Describe() {
		t.Errorf("rule %q: %q", r.String(), r.Describe())
	}
}

// TestCallerKindsDoNotCross pins that each Principal element type names only
// its own kind of caller: an AWS entry holding a provider's ARN names no
// federated caller, a Federated entry holding a service's name names no
// service, and a Federated entry never names an IAM principal of the same
// text. "*" names everyone (Principal element page).
func TestCallerKindsDoNotCross(t *testing.T) {
	tests := []struct {
		name, principal, caller, action string
		want                            evaluator.Verdict
	}{
		{"AWS entry with a provider ARN", `{"AWS":"` + githubOIDC + `"}`, githubOIDC, "sts:AssumeRoleWithWebIdentity", evaluator.ImplicitDeny},
		{"Federated entry with a service name", `{"Federated":"ec2.amazonaws.com"}`, "ec2.amazonaws.com", "sts:AssumeRole", evaluator.ImplicitDeny},
		{"Service entry with a provider ARN", `{"Service":"` + oktaSAML + `"}`, oktaSAML, "sts:AssumeRoleWithSAML", evaluator.ImplicitDeny},
		{"Federated entry with a role ARN", `{"Federated":"arn:aws:iam::123456789012:role/x"}`, "arn:aws:iam::123456789012:role/x", "sts:AssumeRole", evaluator.ImplicitDeny},
		{`"*" names a service`, `"*"`, "ec2.amazonaws.com", "sts:AssumeRole", evaluator.Allowed},
		{`"*" names a web-identity caller`, `"*"`, githubOIDC, "sts:AssumeRoleWithWebIdentity", evaluator.Allowed},
		{"Federated accounts.google.com", `{"Federated":"accounts.google.com"}`, "accounts.google.com", "sts:AssumeRoleWithWebIdentity", evaluator.Allowed},
	}
	for _, tc := range tests {
		trust := mustParse(t, "trust", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":`+tc.principal+`,"Action":"`+tc.action+`"}}`)
		if d := mustCompile(t, evaluator.PolicySet{Resource: trust}).Evaluate(request.New(tc.caller, tc.action, deployRole)); d.Verdict != tc.want {
			t.Errorf("%s: got %v (%v), want %v", tc.name, d.Verdict, d.Rule, tc.want)
		}
	}
}

// TestServicePrincipalKeys pins the keys a live request from a service
// carries (global condition keys page): aws:PrincipalServiceName is the
// service principal's name and aws:PrincipalIsAWSService is true, so a trust
// policy can test them; a federated caller's request is not signed with AWS
// credentials and carries neither, nor aws:PrincipalArn.
func TestServicePrincipalKeys(t *testing.T) {
	trust := mustParse(t, "trust", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole",
 "Condition":{"StringEquals":{"aws:PrincipalServiceName":"ec2.amazonaws.com"},"Bool":{"aws:PrincipalIsAWSService":"true"}}}}`)
	e := mustCompile(t, evaluator.PolicySet{Resource: trust})
	if d := e.Evaluate(request.New("ec2.amazonaws.com", "sts:AssumeRole", deployRole)); d.Verdict != evaluator.Allowed {
		t.Errorf("ec2.amazonaws.com: %v (missing %v)", d.Verdict, d.MissingContextValues())
	}
	if d := e.Evaluate(request.New("lambda.amazonaws.com", "sts:AssumeRole", deployRole)); d.Verdict != evaluator.ImplicitDeny {
		t.Errorf("lambda.amazonaws.com: %v", d.Verdict)
	}
	for _, caller := range []string{githubOIDC, cognito, oktaSAML} {
		req := request.New(caller, "sts:AssumeRoleWithWebIdentity", deployRole)
		if keys := req.Keys(); len(keys) != 0 {
			t.Errorf("%s: a federated caller's request derives %v, want no key", caller, keys)
		}
	}
}

// TestCallersDoNotAllocate: deciding a federated or service caller against
// its trust policy stays off the heap, as every Evaluate does.
func TestCallersDoNotAllocate(t *testing.T) {
	trust := mustParse(t, "github", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
 {"Effect":"Allow","Principal":{"Federated":"`+githubOIDC+`"},"Action":"sts:AssumeRoleWithWebIdentity",
  "Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/*"}}}]}`)
	e := mustCompile(t, evaluator.PolicySet{Resource: trust, Identity: []*policy.Policy{mustParse(t, "admin", admin)}})
	web := request.New(githubOIDC, "sts:AssumeRoleWithWebIdentity", deployRole)
	_ = web.Set("token.actions.githubusercontent.com:sub", request.TypeString, "repo:octo-org/octo-repo:ref:refs/heads/main")
	svc := request.New("ec2.amazonaws.com", "sts:AssumeRole", deployRole)
	for _, req := range []*request.Context{web, svc} {
		if n := testing.AllocsPerRun(100, func() { _ = e.Evaluate(req) }); n != 0 {
			t.Errorf("%s: %v allocations per Evaluate", req.Principal, n)
		}
		if d := e.Evaluate(req); d.Verdict != evaluator.Allowed {
			t.Errorf("%s: %v", req.Principal, d.Verdict)
		}
	}
}

// TestProviderInAnotherAccount pins that an IAM identity provider (an
// oidc-provider or saml-provider ARN) is an entity of one account and
// vouches only for roles of that account: a role trusts a provider that
// exists in its own account (the IAM User Guide's "Create a role for OpenID
// Connect federation" and "for SAML 2.0 federation" create the provider in
// the role's account, and a trust policy naming another account's provider
// is observed to be refused at AssumeRoleWithWebIdentity). So a provider
// ARN of another account than the role's never gets the role, whatever the
// trust policy says; a provider named by its well-known name
// (cognito-identity.amazonaws.com) belongs to no account.
func TestProviderInAnotherAccount(t *testing.T) {
	otherGitHub := "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com"
	trust := mustParse(t, "trust", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":["`+githubOIDC+`","`+otherGitHub+`","arn:aws:iam::999999999999:saml-provider/Okta","`+oktaSAML+`","cognito-identity.amazonaws.com"]},"Action":["sts:AssumeRoleWithWebIdentity","sts:AssumeRoleWithSAML"]}}`)
	tests := []struct {
		name, caller, action, role, owner string
		want                              evaluator.Verdict
		rule                              evaluator.Rule
	}{
		{"a provider of the role's account", githubOIDC, "sts:AssumeRoleWithWebIdentity", deployRole, "", evaluator.Allowed, evaluator.RuleNone},
		{"a provider of another account", otherGitHub, "sts:AssumeRoleWithWebIdentity", deployRole, "", evaluator.ImplicitDeny, evaluator.RuleProviderInAnotherAccount},
		{"a role of another account than its provider", githubOIDC, "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::999999999999:role/deploy", "", evaluator.ImplicitDeny, evaluator.RuleProviderInAnotherAccount},
		{"a SAML provider of another account", "arn:aws:iam::999999999999:saml-provider/Okta", "sts:AssumeRoleWithSAML", deployRole, "", evaluator.ImplicitDeny, evaluator.RuleProviderInAnotherAccount},
		{"a SAML provider of the role's account", oktaSAML, "sts:AssumeRoleWithSAML", deployRole, "", evaluator.Allowed, evaluator.RuleNone},
		{"the resource owner given says whose resource it is", githubOIDC, "sts:AssumeRoleWithWebIdentity", "*", "999999999999", evaluator.ImplicitDeny, evaluator.RuleProviderInAnotherAccount},
		{"a well-known provider belongs to no account", cognito, "sts:AssumeRoleWithWebIdentity", "arn:aws:iam::999999999999:role/deploy", "", evaluator.Allowed, evaluator.RuleNone},
	}
	for _, tc := range tests {
		e, err := evaluator.Compile(evaluator.PolicySet{Resource: trust, ResourceOwner: tc.owner})
		if err != nil {
			t.Fatal(err)
		}
		d := e.Evaluate(&request.Context{Principal: tc.caller, Action: tc.action, Resource: tc.role})
		if d.Verdict != tc.want || d.Rule != tc.rule {
			t.Errorf("%s: %s, rule %s; want %s, rule %s", tc.name, d.Verdict, d.Rule, tc.want, tc.rule)
		}
	}
}

// TestAPIGatewayShorthandDecides: an API's resource policy written with API
// Gateway's shorthand (execute-api:/stage/GET/path) decides requests on the
// API's own ARN, as API Gateway expands it.
func TestAPIGatewayShorthandDecides(t *testing.T) {
	p := mustParse(t, "apigw", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/GET/*"},
 {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}`)
	e := mustCompile(t, evaluator.PolicySet{Resource: p})
	api := "arn:aws:execute-api:us-east-1:123456789012:abcd123/"
	for _, tc := range []struct {
		resource, ip string
		want         evaluator.Verdict
	}{
		{api + "prod/GET/pets", "203.0.113.5", evaluator.Allowed},
		{api + "prod/POST/pets", "203.0.113.5", evaluator.ImplicitDeny},
		{api + "prod/GET/pets", "198.51.100.1", evaluator.ExplicitDeny},
	} {
		req := &request.Context{Principal: request.Anonymous, Action: "execute-api:Invoke", Resource: tc.resource}
		if err := req.Set("aws:SourceIp", request.TypeIP, tc.ip); err != nil {
			t.Fatal(err)
		}
		if d := e.Evaluate(req); d.Verdict != tc.want {
			t.Errorf("%s from %s: %s, want %s", tc.resource, tc.ip, d.Verdict, tc.want)
		}
	}
}
