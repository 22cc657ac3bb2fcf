package evaluator_test

import (
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// bare is a request as AWS's policy simulator builds it: the caller, action
// and resource, and no context key at all.
func bare(caller, action, resource string) *request.Context {
	return &request.Context{Principal: caller, Action: action, Resource: resource}
}

// TestNoCaller pins how a request without a caller is decided: as AWS's
// simulator decides SimulateCustomPolicy without CallerArn, on the
// identity-side policies only, with no cross-account reasoning and no
// principal keys; a resource policy then needs a caller (the API reference:
// CallerArn "is required if you include a ResourcePolicy").
func TestNoCaller(t *testing.T) {
	orders := "arn:aws:dynamodb:eu-west-1:555566667777:table/Orders"
	allowOrders := mustParse(t, "id", `{"Version":"2012-10-17","Statement":{"Sid":"Orders","Effect":"Allow","Action":"dynamodb:*","Resource":"`+orders+`"}}`)
	denyGet := mustParse(t, "deny", `{"Version":"2012-10-17","Statement":{"Sid":"NoGet","Effect":"Deny","Action":"dynamodb:GetItem","Resource":"*"}}`)
	home := mustParse(t, "home", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}}`)
	bucket := mustParse(t, "bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`)
	tests := []struct {
		name    string
		set     evaluator.PolicySet
		req     *request.Context
		want    evaluator.Verdict
		rule    evaluator.Rule
		missing []string
	}{
		{"identity Allow on a table of another account than no one's: allowed, not cross-account (issue 11 case 1)",
			evaluator.PolicySet{Identity: []*policy.Policy{allowOrders}}, bare("", "dynamodb:GetItem", orders), evaluator.Allowed, evaluator.RuleNone, nil},
		{"an identity Deny still denies", evaluator.PolicySet{Identity: []*policy.Policy{allowOrders, denyGet}}, bare("", "dynamodb:GetItem", orders), evaluator.ExplicitDeny, evaluator.RuleNone, nil},
		{"no principal key is derived: ${aws:username} is missing",
			evaluator.PolicySet{Identity: []*policy.Policy{home}}, bare("", "s3:GetObject", "arn:aws:s3:::bucket/home/alice/f"), evaluator.ImplicitDeny, evaluator.RuleNoAllow, []string{"aws:username"}},
		{"a caller without context keys derives none either (the simulator derives nothing from CallerArn)",
			evaluator.PolicySet{Identity: []*policy.Policy{home}}, bare("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::bucket/home/alice/f"), evaluator.ImplicitDeny, evaluator.RuleNoAllow, []string{"aws:username"}},
		{"a resource policy without a caller fails closed",
			evaluator.PolicySet{Resource: bucket}, bare("", "s3:GetObject", "arn:aws:s3:::b/k"), evaluator.ImplicitDeny, evaluator.RuleCallerRequired, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustCompile(t, tc.set).Evaluate(tc.req)
			if d.Verdict != tc.want || d.Rule != tc.rule || d.CrossAccount {
				t.Errorf("got %v rule %v cross-account %v, want %v rule %v, same account", d.Verdict, d.Rule, d.CrossAccount, tc.want, tc.rule)
			}
			if got := d.MissingContextValues(); !equalStrings(got, tc.missing) {
				t.Errorf("MissingContextValues %v, want %v", got, tc.missing)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestAnonymousCaller pins the explicit anonymous caller: only a resource
// policy naming everyone ("*") grants to it (Principal page: "*" includes
// anonymous callers); it has no identity policies and no account.
func TestAnonymousCaller(t *testing.T) {
	public := mustParse(t, "public", `{"Version":"2012-10-17","Statement":{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}}`)
	publicAWS := mustParse(t, "public-aws", `{"Version":"2012-10-17","Statement":{"Sid":"Public","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}}`)
	account := mustParse(t, "account", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}}`)
	id := mustParse(t, "id", admin)
	req := request.New(request.Anonymous, "s3:GetObject", "arn:aws:s3:::site/index.html")
	tests := []struct {
		name string
		set  evaluator.PolicySet
		want evaluator.Verdict
	}{
		{`Principal "*" grants to anonymous callers`, evaluator.PolicySet{Resource: public, ResourceOwner: "111122223333"}, evaluator.Allowed},
		{`Principal {"AWS": "*"} is the same as "*"`, evaluator.PolicySet{Resource: publicAWS, ResourceOwner: "111122223333"}, evaluator.Allowed},
		{"an account principal does not name anonymous callers", evaluator.PolicySet{Resource: account, ResourceOwner: "111122223333"}, evaluator.ImplicitDeny},
		{"identity policies do not apply to an anonymous caller", evaluator.PolicySet{Identity: []*policy.Policy{id}, ResourceOwner: "111122223333"}, evaluator.ImplicitDeny},
	}
	for _, tc := range tests {
		if d := mustCompile(t, tc.set).Evaluate(req); d.Verdict != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, d.Verdict, tc.want)
		}
	}
	// Identity policies, boundaries, session policies and SCPs govern
	// principals of an account; an unsigned request is none, so none of
	// them applies to it, not even a Deny (SCP evaluation page: SCPs
	// affect only IAM users and roles managed by accounts in the
	// organization). RCPs, on the resource side, do apply.
	denyAll := mustParse(t, "deny-all", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`)
	ec2Only := mustParse(t, "scp-ec2", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}`)
	rcpDeny := mustParse(t, "rcp", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`)
	for _, tc := range []struct {
		name string
		set  evaluator.PolicySet
		want evaluator.Verdict
	}{
		{"an identity Deny does not apply to anonymous callers", evaluator.PolicySet{Identity: []*policy.Policy{denyAll}, Resource: public, ResourceOwner: "111122223333"}, evaluator.Allowed},
		{"a boundary does not apply", evaluator.PolicySet{Boundary: denyAll, Resource: public, ResourceOwner: "111122223333"}, evaluator.Allowed},
		{"a session policy does not apply", evaluator.PolicySet{Session: []*policy.Policy{denyAll}, Resource: public, ResourceOwner: "111122223333"}, evaluator.Allowed},
		{"an SCP Deny does not apply", evaluator.PolicySet{SCPs: [][]*policy.Policy{{denyAll}}, Resource: public, ResourceOwner: "111122223333"}, evaluator.Allowed},
		{"an SCP level without an Allow does not apply", evaluator.PolicySet{SCPs: [][]*policy.Policy{{ec2Only}}, Resource: public, ResourceOwner: "111122223333"}, evaluator.Allowed},
		{"an RCP Deny applies", evaluator.PolicySet{RCPs: [][]*policy.Policy{{rcpDeny}}, Resource: public, ResourceOwner: "111122223333"}, evaluator.ExplicitDeny},
	} {
		d := mustCompile(t, tc.set).Evaluate(req)
		if d.Verdict != tc.want {
			t.Errorf("%s: got %v (%v), want %v", tc.name, d.Verdict, d.Detail, tc.want)
		}
		if d.Detail.Identity != evaluator.NotApplicable || d.Detail.Boundary != evaluator.NotApplicable || d.Detail.Session != evaluator.NotApplicable || d.Detail.Organizations != evaluator.NotApplicable {
			t.Errorf("%s: the caller's policy types must read not applicable: %+v", tc.name, d.Detail)
		}
	}
	if d := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{id}, ResourceOwner: "111122223333"}).Evaluate(req); d.Rule != evaluator.RuleAnonymousHasNoIdentity {
		t.Errorf("an identity Allow for an anonymous caller is decided by %v, want %v", d.Rule, evaluator.RuleAnonymousHasNoIdentity)
	}
	if p := request.ParsePrincipal(request.Anonymous); p.Kind != request.PrincipalAnonymous {
		t.Errorf("request.Anonymous parses as %v", p.Kind)
	}
	if p := request.ParsePrincipal(""); p.Kind != request.PrincipalNone {
		t.Errorf("the empty principal is no caller, not anonymous: %v", p.Kind)
	}
}

// TestRCPLevels pins SPEC 5.2 step 3: RCPFullAWSAccess is attached at every
// level and cannot be detached, and custom RCPs may only Deny (RCP syntax
// and evaluation pages), so a level never denies implicitly; only RCP Denies
// matter. SCP levels still need an Allow each (SCP evaluation page).
func TestRCPLevels(t *testing.T) {
	full := `{"Version":"2012-10-17","Statement":{"Sid":"RCPFullAWSAccess","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`
	denyPut := `{"Version":"2012-10-17","Statement":{"Sid":"DenyPut","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"}}`
	alice := "arn:aws:iam::111122223333:user/alice"
	tests := []struct {
		name   string
		levels [][]string
		action string
		want   evaluator.Verdict
		rcp    evaluator.Outcome
	}{
		{"a level holding only a custom Deny RCP: other actions allowed (issue 11 case 4)", [][]string{{denyPut}}, "s3:GetObject", evaluator.Allowed, evaluator.OutcomeAllowed},
		{"a level holding only a custom Deny RCP: its action denied", [][]string{{denyPut}}, "s3:PutObject", evaluator.ExplicitDeny, evaluator.OutcomeExplicitDeny},
		{"the full-access RCP at the root, a custom Deny below", [][]string{{full}, {denyPut}}, "s3:GetObject", evaluator.Allowed, evaluator.OutcomeAllowed},
		{"an empty level still holds RCPFullAWSAccess", [][]string{{}, {}}, "s3:GetObject", evaluator.Allowed, evaluator.OutcomeAllowed},
		{"a Deny at a lower level", [][]string{{full}, {full}, {denyPut}}, "s3:PutObject", evaluator.ExplicitDeny, evaluator.OutcomeExplicitDeny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set := evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "admin", admin)}}
			for l, level := range tc.levels {
				var ps []*policy.Policy
				for i, doc := range level {
					ps = append(ps, mustParse(t, "rcp"+string(rune('0'+l))+string(rune('0'+i)), doc))
				}
				set.RCPs = append(set.RCPs, ps)
			}
			d := mustCompile(t, set).Evaluate(request.New(alice, tc.action, "arn:aws:s3:::b/k"))
			if d.Verdict != tc.want || d.Detail.ResourceControl != tc.rcp {
				t.Errorf("got %v (RCPs %v), want %v (RCPs %v)", d.Verdict, d.Detail.ResourceControl, tc.want, tc.rcp)
			}
		})
	}
	// SCPs keep needing an Allow at every level (SPEC 8 case 38).
	onlyDeny := mustParse(t, "scp", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}}`)
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "admin", admin)}, SCPs: [][]*policy.Policy{{onlyDeny}}})
	if d := e.Evaluate(request.New(alice, "s3:GetObject", "*")); d.Verdict != evaluator.ImplicitDeny || d.Rule != evaluator.RuleSCPLevel {
		t.Errorf("an SCP level holding only a Deny: got %v rule %v, want implicitDeny by %v", d.Verdict, d.Rule, evaluator.RuleSCPLevel)
	}
}

// TestRules pins which rule of AWS's evaluation logic decided when no
// statement did (or not only a statement), so that explanations can name it.
func TestRules(t *testing.T) {
	id := mustParse(t, "id", admin)
	trustAccount := mustParse(t, "trust", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}}`)
	trustService := mustParse(t, "trust-svc", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`)
	keyAccount := mustParse(t, "key", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}}`)
	bucketOther := mustParse(t, "bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:user/bob"},"Action":"s3:GetObject","Resource":"*"}}`)
	bucketAlice := mustParse(t, "bucket-alice", `{"Version":"2012-10-17","Statement":{"Sid":"Alice","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"*"}}`)
	s3only := mustParse(t, "s3", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	alice := "arn:aws:iam::111122223333:user/alice"
	role := "arn:aws:iam::111122223333:role/R"
	other := func(action string) *request.Context {
		r := request.New(alice, action, "arn:aws:s3:::b/k")
		r.ResourceAccount = "444455556666"
		return r
	}
	tests := []struct {
		name string
		set  evaluator.PolicySet
		req  *request.Context
		want evaluator.Verdict
		rule evaluator.Rule
	}{
		{"a statement allows: no rule", evaluator.PolicySet{Identity: []*policy.Policy{id}}, request.New(alice, "s3:GetObject", "*"), evaluator.Allowed, evaluator.RuleNone},
		{"nothing allows: the default deny", evaluator.PolicySet{Identity: []*policy.Policy{s3only}}, request.New(alice, "ec2:RunInstances", "*"), evaluator.ImplicitDeny, evaluator.RuleNoAllow},
		{"the root user has full access to its own account (evaluation page)", evaluator.PolicySet{}, request.Root("111122223333", "s3:GetObject", "arn:aws:s3:::b/k", nil), evaluator.Allowed, evaluator.RuleRootUser},
		{"a trust policy naming the account still needs an identity Allow (evaluation page: role trust policies)", evaluator.PolicySet{Resource: trustAccount}, request.New(alice, "sts:AssumeRole", role), evaluator.ImplicitDeny, evaluator.RuleAccountPrincipalNeedsIdentityAllow},
		{"a key policy naming the account still needs an identity Allow", evaluator.PolicySet{Resource: keyAccount}, request.New(alice, "kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/k"), evaluator.ImplicitDeny, evaluator.RuleAccountPrincipalNeedsIdentityAllow},
		{"a trust policy that does not name the caller: an identity Allow is not enough", evaluator.PolicySet{Identity: []*policy.Policy{id}, Resource: trustService}, request.New(alice, "sts:AssumeRole", role), evaluator.ImplicitDeny, evaluator.RuleResourcePolicyRequired},
		{"a federated user without a session policy gets nothing (evaluation page)", evaluator.PolicySet{Identity: []*policy.Policy{id}}, request.SessionWithoutMFA("arn:aws:sts::111122223333:federated-user/bob", "s3:GetObject", "*"), evaluator.ImplicitDeny, evaluator.RuleFederatedUserNeedsSessionPolicy},
		{"cross-account without a resource policy (cross-account page: both sides must allow)", evaluator.PolicySet{Identity: []*policy.Policy{id}}, other("s3:GetObject"), evaluator.ImplicitDeny, evaluator.RuleCrossAccountNeedsResourcePolicy},
		{"cross-account with a resource policy that names someone else", evaluator.PolicySet{Identity: []*policy.Policy{id}, Resource: bucketOther}, other("s3:GetObject"), evaluator.ImplicitDeny, evaluator.RuleCrossAccountNeedsResourcePolicy},
		{"cross-account: the resource policy allows, no identity Allow", evaluator.PolicySet{Resource: bucketAlice}, other("s3:GetObject"), evaluator.ImplicitDeny, evaluator.RuleCrossAccountNeedsIdentityAllow},
		{"the permissions boundary allows nothing", evaluator.PolicySet{Identity: []*policy.Policy{id}, Boundary: s3only}, request.New(alice, "ec2:RunInstances", "*"), evaluator.ImplicitDeny, evaluator.RuleBoundary},
		{"no session policy allows", evaluator.PolicySet{Identity: []*policy.Policy{id}, Session: []*policy.Policy{s3only}}, request.New("arn:aws:sts::111122223333:assumed-role/R/s", "ec2:RunInstances", "*"), evaluator.ImplicitDeny, evaluator.RuleSessionPolicy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustCompile(t, tc.set).Evaluate(tc.req)
			if d.Verdict != tc.want || d.Rule != tc.rule {
				t.Errorf("got %v by %v, want %v by %v", d.Verdict, d.Rule, tc.want, tc.rule)
			}
		})
	}
}

// TestExplainMissingVariables pins that explain says why a Resource entry
// with a policy variable did not match: the request lacks the key, and an
// entry whose variable cannot be resolved matches nothing (SPEC 4); a
// variable with a default is not missing.
func TestExplainMissingVariables(t *testing.T) {
	p := mustParse(t, "home", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"},
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/shared/${aws:PrincipalTag/team, 'all'}/*"}]}`)
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{p}})
	ex := e.Explain(bare("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::b/other/k"))
	if got := ex.Statements[0].MissingVariables; !equalStrings(got, []string{"aws:username"}) {
		t.Errorf("first statement: MissingVariables %v, want [aws:username]", got)
	}
	if got := ex.Statements[1].MissingVariables; len(got) != 0 {
		t.Errorf("a variable with a default is not missing: %v", got)
	}
}

// TestResourceAccountFromARN pins whose resource a request names, read from
// its ARN's account field: "The ID of the AWS account that owns the
// resource" (IAM User Guide, ARN format), where an account ID "is a 12-digit
// number" (AWS account identifiers). A field without an account ID —
// empty (S3 buckets), "aws" (AWS managed policies), or a word, as in AWS's
// own ARN format for MediaConnect offerings,
// arn:${Partition}:mediaconnect:${Region}:offering:${OfferingId} — names
// no other account, so the request is not cross-account: the caller's own
// identity Allow decides, as for any resource of its account. A
// 12-digit field of another account makes it cross-account (SPEC 5: the
// resource's policy must then allow too).
func TestResourceAccountFromARN(t *testing.T) {
	id := mustParse(t, "id", admin)
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{id}})
	alice := "arn:aws:iam::111122223333:user/alice"
	tests := []struct {
		resource string
		cross    bool
	}{
		{"arn:aws:sqs:us-east-1:111122223333:q", false},
		{"arn:aws:s3:::bucket/k", false},
		{"arn:aws:iam::aws:policy/ReadOnlyAccess", false},
		{"arn:aws:mediaconnect:us-east-1:offering:offeringid", false},
		{"*", false},
		{"arn:aws:sqs:us-east-1:444455556666:q", true},
	}
	for _, tc := range tests {
		d := e.Evaluate(request.LongTermKeys(alice, "sqs:SendMessage", tc.resource))
		want := evaluator.Allowed
		if tc.cross {
			want = evaluator.ImplicitDeny
		}
		if d.CrossAccount != tc.cross || d.Verdict != want {
			t.Errorf("%s: got %v cross-account %v, want %v cross-account %v", tc.resource, d.Verdict, d.CrossAccount, want, tc.cross)
		}
	}
}
