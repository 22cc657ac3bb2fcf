package evaluator_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

func mustParse(t testing.TB, name, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse(name, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustCompile(t testing.TB, set evaluator.PolicySet) *evaluator.Engine {
	t.Helper()
	e, err := evaluator.Compile(set)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const admin = `{"Version":"2012-10-17","Statement":{"Sid":"Admin","Effect":"Allow","Action":"*","Resource":"*"}}`

func TestZeroDecisionDenies(t *testing.T) {
	var d evaluator.Decision
	if d.Allowed() || d.Verdict != evaluator.ImplicitDeny || d.MatchedStatements() != nil || d.MissingContextValues() != nil {
		t.Errorf("the zero Decision must be an implicit deny with no evidence: %+v", d)
	}
	if d.Verdict.String() != "implicitDeny" || evaluator.Allowed.String() != "allowed" || evaluator.ExplicitDeny.String() != "explicitDeny" {
		t.Error("verdicts are spelled as the simulator spells them")
	}
}

func TestNotPolicyControlled(t *testing.T) {
	// SPEC 8 case 12: GetSessionToken is not controlled by policies.
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{
		mustParse(t, "deny", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sts:GetSessionToken","Resource":"*"}}`)}})
	d := e.Evaluate(request.LongTermKeys("arn:aws:iam::1:user/a", "sts:getsessiontoken", "*"))
	if d.Verdict != evaluator.ExplicitDeny || !d.NotPolicyControlled {
		t.Errorf("got %v NotPolicyControlled=%v, want explicitDeny flagged not policy-controlled", d.Verdict, d.NotPolicyControlled)
	}
}

// TestActionSpecific: the actions whose requests the evaluation logic
// decides apart from their statements, which callers must not share
// answers with other actions (iameval mfa --account): those AWS authorizes
// without policies (SPEC 8 case 12, "GetSessionToken ... is not
// controlled by IAM policies") and those whose resource policy must allow
// the caller within an account (role trust policies' actions; KMS key
// policies: "Every KMS key must have exactly one key policy" and IAM
// policies alone do not give access to a key). Case does not matter, as
// for any action name.
func TestActionSpecific(t *testing.T) {
	for _, tt := range []struct {
		action string
		// without and with a resource policy in the engine
		want, withResource bool
	}{
		{"sts:GetSessionToken", true, true},
		{"STS:getcalleridentity", true, true},
		{"sts:AssumeRole", false, true},
		{"sts:AssumeRoleWithSAML", false, true},
		{"sts:TagSession", false, true},
		{"kms:Decrypt", false, true},
		{"KMS:ScheduleKeyDeletion", false, true},
		{"sts:GetFederationToken", false, false},
		{"s3:GetObject", false, false},
		{"iam:CreateAccessKey", false, false},
		{"kmsx:Decrypt", false, false},
	} {
		if got := evaluator.ActionSpecific(tt.action, false); got != tt.want {
			t.Errorf("ActionSpecific(%q, false) = %v, want %v", tt.action, got, tt.want)
		}
		if got := evaluator.ActionSpecific(tt.action, true); got != tt.withResource {
			t.Errorf("ActionSpecific(%q, true) = %v, want %v", tt.action, got, tt.withResource)
		}
	}
}

func TestDetail(t *testing.T) {
	set := evaluator.PolicySet{
		Identity: []*policy.Policy{mustParse(t, "id", admin)},
		Boundary: mustParse(t, "boundary", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`),
		SCPs: [][]*policy.Policy{
			{mustParse(t, "full", admin)},
			{mustParse(t, "deny-ec2", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`)},
		},
	}
	e := mustCompile(t, set)
	alice := "arn:aws:iam::111122223333:user/alice"
	tests := []struct {
		action string
		want   evaluator.Verdict
		detail evaluator.Detail
	}{
		{"s3:GetObject", evaluator.Allowed, evaluator.Detail{Identity: evaluator.OutcomeAllowed, Boundary: evaluator.OutcomeAllowed, Organizations: evaluator.OutcomeAllowed}},
		{"ec2:RunInstances", evaluator.ImplicitDeny, evaluator.Detail{Identity: evaluator.OutcomeAllowed, Boundary: evaluator.OutcomeImplicitDeny, Organizations: evaluator.OutcomeAllowed}},
		{"ec2:TerminateInstances", evaluator.ExplicitDeny, evaluator.Detail{Identity: evaluator.OutcomeAllowed, Boundary: evaluator.OutcomeImplicitDeny, Organizations: evaluator.OutcomeExplicitDeny}},
	}
	for _, tc := range tests {
		d := e.Evaluate(request.New(alice, tc.action, "*"))
		if d.Verdict != tc.want || d.Detail != tc.detail {
			t.Errorf("%s: got %v %+v, want %v %+v", tc.action, d.Verdict, d.Detail, tc.want, tc.detail)
		}
	}
}

func TestMatchedStatements(t *testing.T) {
	p := mustParse(t, "two.json", `{"Version":"2012-10-17","Statement":[
 {"Sid":"A1","Effect":"Allow","Action":"s3:Get*","Resource":"*"},
 {"Sid":"A2","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
 {"Sid":"D1","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret/*"}]}`)
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{p}})
	d := e.Evaluate(request.New("arn:aws:iam::1:user/a", "s3:GetObject", "arn:aws:s3:::b/k"))
	got := d.MatchedStatements()
	if d.Verdict != evaluator.Allowed || len(got) != 2 || got[0].Sid != "A1" || got[1].Sid != "A2" || got[1].Start.Line != 3 || got[1].PolicyType != evaluator.TypeIdentity {
		t.Errorf("allowed: every matching Allow is listed with its position: %+v", got)
	}
	d = e.Evaluate(request.New("arn:aws:iam::1:user/a", "s3:GetObject", "arn:aws:s3:::b/secret/k"))
	got = d.MatchedStatements()
	if d.Verdict != evaluator.ExplicitDeny || len(got) != 1 || got[0].Sid != "D1" || got[0].Index != 2 {
		t.Errorf("when a Deny decides only the Deny is listed: %+v", got)
	}
}

func TestManyMatches(t *testing.T) {
	// More matches than the inline storage holds: nothing is lost.
	doc := `{"Version":"2012-10-17","Statement":[`
	for i := 0; i < 20; i++ {
		if i > 0 {
			doc += ","
		}
		doc += `{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"k` + string(rune('a'+i)) + `":"v"}}}`
	}
	doc += "]}"
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "many", doc)}})
	req := request.New("arn:aws:iam::1:user/a", "s3:GetObject", "*")
	if d := e.Evaluate(req); len(d.MissingContextValues()) != 20 {
		t.Errorf("missing = %v, want 20 keys", d.MissingContextValues())
	}
	for i := 0; i < 20; i++ {
		_ = req.Set("k"+string(rune('a'+i)), request.TypeString, "v")
	}
	if d := e.Evaluate(req); len(d.MatchedStatements()) != 20 || len(d.MissingContextValues()) != 0 {
		t.Errorf("matched %d statements, want 20", len(d.MatchedStatements()))
	}
}

func TestCompileChecksRoles(t *testing.T) {
	_, err := evaluator.Compile(evaluator.PolicySet{
		Identity: []*policy.Policy{mustParse(t, "id.json", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`)},
		Resource: mustParse(t, "bucket.json", `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`),
	})
	var list policy.ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want two errors, got %v", err)
	}
	if list[0].Code != policy.CodeMissingPrincipal || list[1].Code != policy.CodeElementNotAllowed {
		t.Errorf("codes = %s, %s", list[0].Code, list[1].Code)
	}
	if _, err := evaluator.Compile(evaluator.PolicySet{ResourceOwner: "acct-1"}); err == nil {
		t.Error("a resource owner that is no account must be refused")
	}
}

func TestRootUser(t *testing.T) {
	// SPEC 5.1: the root user needs no identity Allow in its own account,
	// but explicit denies and SCPs still apply.
	e := mustCompile(t, evaluator.PolicySet{SCPs: [][]*policy.Policy{{mustParse(t, "scp", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`)}}})
	if d := e.Evaluate(request.Root("111122223333", "s3:GetObject", "arn:aws:s3:::b/k", nil)); d.Verdict != evaluator.Allowed {
		t.Errorf("root in its own account: %v", d.Verdict)
	}
	if d := e.Evaluate(request.Root("111122223333", "s3:DeleteBucket", "arn:aws:s3:::b", nil)); d.Verdict != evaluator.ExplicitDeny {
		t.Errorf("root under an SCP Deny: %v", d.Verdict)
	}
	// A resource policy that names the account names its root user
	// itself: a direct grant (found by differential fuzzing).
	bucket := mustParse(t, "bucket", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}}`)
	rootGrant := mustCompile(t, evaluator.PolicySet{Resource: bucket, SCPs: [][]*policy.Policy{{mustParse(t, "full", admin)}}})
	other := request.Root("111122223333", "s3:GetObject", "arn:aws:s3:::b/k", nil)
	other.ResourceAccount = "111122223333"
	if d := rootGrant.Evaluate(other); d.Verdict != evaluator.Allowed || len(d.MatchedStatements()) != 1 {
		t.Errorf("root named through its account: %v %v", d.Verdict, d.MatchedStatements())
	}
	cross := request.Root("111122223333", "s3:GetObject", "arn:aws:s3:::b/k", nil)
	cross.ResourceAccount = "444455556666"
	if d := e.Evaluate(cross); d.Verdict != evaluator.ImplicitDeny {
		t.Errorf("root of another account without a resource policy: %v", d.Verdict)
	}
}

func TestTrustPolicyRequired(t *testing.T) {
	// SPEC 5.2: an identity policy alone never grants sts:AssumeRole when
	// the role's trust policy does not name the caller.
	trustAccount := mustParse(t, "trust", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}}`)
	trustOther := mustParse(t, "trust2", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`)
	id := mustParse(t, "id", admin)
	req := request.New("arn:aws:iam::111122223333:user/alice", "sts:AssumeRole", "arn:aws:iam::111122223333:role/R")
	if d := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{id}, Resource: trustAccount}).Evaluate(req); d.Verdict != evaluator.Allowed {
		t.Errorf("trust names the account and identity allows: %v", d.Verdict)
	}
	if d := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{id}, Resource: trustOther}).Evaluate(req); d.Verdict != evaluator.ImplicitDeny {
		t.Errorf("trust does not name the caller: %v", d.Verdict)
	}
	if d := mustCompile(t, evaluator.PolicySet{Resource: trustAccount}).Evaluate(req); d.Verdict != evaluator.ImplicitDeny {
		t.Errorf("trust names only the account, no identity Allow: %v", d.Verdict)
	}
	svc := request.New("ec2.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::111122223333:role/R")
	if d := mustCompile(t, evaluator.PolicySet{Resource: trustOther}).Evaluate(svc); d.Verdict != evaluator.Allowed {
		t.Errorf("a service principal named in the trust policy: %v", d.Verdict)
	}
}

func TestFederatedUserNeedsSessionPolicy(t *testing.T) {
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "id", admin)}})
	fed := request.SessionWithoutMFA("arn:aws:sts::111122223333:federated-user/bob", "s3:GetObject", "arn:aws:s3:::b/k")
	if d := e.Evaluate(fed); d.Verdict != evaluator.ImplicitDeny {
		t.Errorf("a federated-user session without a session policy gets nothing: %v", d.Verdict)
	}
}

func TestConcurrentUse(t *testing.T) {
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "p", forceMFA)}})
	reqs := []*request.Context{
		request.LongTermKeys("arn:aws:iam::1:user/a", "s3:DeleteObject", "arn:aws:s3:::b/k"),
		request.SessionWithMFA("arn:aws:iam::1:user/a", "s3:DeleteObject", "arn:aws:s3:::b/k", time.Minute),
	}
	want := []evaluator.Verdict{evaluator.ExplicitDeny, evaluator.Allowed}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				if got := e.Evaluate(reqs[i%2]).Verdict; got != want[i%2] {
					t.Errorf("concurrent Evaluate: got %v, want %v", got, want[i%2])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestEvaluateDoesNotAllocate(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
 {"Sid":"Read","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::team-*/*","arn:aws:s3:::home/${aws:username}/*"]},
 {"Sid":"DenyNoMFA","Effect":"Deny","NotAction":["iam:ListMFADevices"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},
 {"Sid":"Fresh","Effect":"Allow","Action":"s3:Delete*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}`
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "p", doc)}})
	reqs := []*request.Context{
		request.SessionWithMFA("arn:aws:iam::1:user/alice", "s3:GetObject", "arn:aws:s3:::home/alice/k", time.Minute),
		request.LongTermKeys("arn:aws:iam::1:user/alice", "s3:GetObject", "arn:aws:s3:::home/alice/k"),
		request.SessionWithMFA("arn:aws:iam::1:user/alice", "s3:DeleteObject", "arn:aws:s3:::b/k", time.Hour*2),
	}
	_ = reqs[2].Set("aws:SourceIp", request.TypeIP, "203.0.113.5")
	for i, r := range reqs {
		var d evaluator.Decision
		if n := testing.AllocsPerRun(100, func() { d = e.Evaluate(r) }); n != 0 {
			t.Errorf("request %d: Evaluate allocated %v times per run", i, n)
		}
		_ = d
	}
}

// TestEvaluateDoesNotAllocateManyMatches: many matching statements, up to
// the documented bound of 16 of the deciding kind, cost no allocation;
// beyond it every matched statement is still reported, in order.
func TestEvaluateDoesNotAllocateManyMatches(t *testing.T) {
	stmts := func(n int, effect, sidPrefix string) string {
		var parts []string
		for i := range n {
			parts = append(parts, fmt.Sprintf(`{"Sid":"%s%d","Effect":%q,"Action":["s3:Get*","ec2:*"],"Resource":"*"}`, sidPrefix, i, effect))
		}
		return strings.Join(parts, ",")
	}
	for _, tc := range []struct {
		name          string
		allows, denys int
		verdict       evaluator.Verdict
		matched       int
		allocs        bool
	}{
		{"16 allows", 16, 0, evaluator.Allowed, 16, false},
		{"16 allows and 16 denies", 16, 16, evaluator.ExplicitDeny, 16, false},
		{"100 allows", 100, 0, evaluator.Allowed, 100, true},
	} {
		var pols []*policy.Policy
		// spread over several policies, as a principal's many managed
		// policies are
		for p := 0; p < 4; p++ {
			body := stmts(tc.allows/4, "Allow", fmt.Sprintf("A%dx", p))
			if tc.denys > 0 {
				body += "," + stmts(tc.denys/4, "Deny", fmt.Sprintf("D%dx", p))
			}
			pols = append(pols, mustParse(t, fmt.Sprintf("p%d", p), `{"Version":"2012-10-17","Statement":[`+body+`]}`))
		}
		e := mustCompile(t, evaluator.PolicySet{Identity: pols})
		req := request.SessionWithMFA("arn:aws:iam::1:user/alice", "s3:GetObject", "arn:aws:s3:::b/k", time.Minute)
		var d evaluator.Decision
		n := testing.AllocsPerRun(50, func() { d = e.Evaluate(req) })
		if (n != 0) != tc.allocs {
			t.Errorf("%s: %v allocations per run", tc.name, n)
		}
		ms := d.MatchedStatements()
		if d.Verdict != tc.verdict || len(ms) != tc.matched {
			t.Fatalf("%s: %s with %d matched statements, want %s with %d", tc.name, d.Verdict, len(ms), tc.verdict, tc.matched)
		}
		for i := 1; i < len(ms); i++ {
			if ms[i-1].PolicyID > ms[i].PolicyID || ms[i-1].PolicyID == ms[i].PolicyID && ms[i-1].Index >= ms[i].Index {
				t.Fatalf("%s: matched statements out of order at %d: %+v then %+v", tc.name, i, ms[i-1], ms[i])
			}
		}
	}
}

func BenchmarkEvaluate(b *testing.B) {
	e := mustCompile(b, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(b, "p", forceMFA)}})
	req := request.SessionWithMFA("arn:aws:iam::1:user/a", "s3:DeleteObject", "arn:aws:s3:::b/k", time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		e.Evaluate(req)
	}
}

func TestNilFailsClosed(t *testing.T) {
	var e *evaluator.Engine
	if d := e.Evaluate(request.New("arn:aws:iam::1:user/a", "s3:GetObject", "*")); d.Allowed() {
		t.Error("a nil Engine must deny")
	}
	e = mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "p", admin)}})
	if d := e.Evaluate(nil); d.Allowed() {
		t.Error("a nil request must deny")
	}
}

func TestEvaluateBatch(t *testing.T) {
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "p", forceMFA)}})
	var reqs []*request.Context
	for i := 0; i < 2000; i++ {
		if i%2 == 0 {
			reqs = append(reqs, request.LongTermKeys("arn:aws:iam::1:user/a", "s3:DeleteObject", "*"))
		} else {
			reqs = append(reqs, request.SessionWithMFA("arn:aws:iam::1:user/a", "s3:DeleteObject", "*", time.Minute))
		}
	}
	out := e.EvaluateBatch(reqs, make([]evaluator.Decision, len(reqs)))
	for i, d := range out {
		if want := e.Evaluate(reqs[i]).Verdict; d.Verdict != want {
			t.Fatalf("request %d: batch %v, single %v", i, d.Verdict, want)
		}
	}
}

func TestExplain(t *testing.T) {
	e := mustCompile(t, evaluator.PolicySet{Identity: []*policy.Policy{mustParse(t, "p.json", `{"Version":"2012-10-17","Statement":[
 {"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
 {"Sid":"EC2","Effect":"Allow","Action":"ec2:*","Resource":"*"},
 {"Sid":"Other","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::other/*"},
 {"Sid":"NoMFA","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`)}})
	ex := e.Explain(request.LongTermKeys("arn:aws:iam::1:user/a", "s3:DeleteObject", "arn:aws:s3:::b/k"))
	want := []evaluator.Reason{evaluator.Applied, evaluator.ActionMismatch, evaluator.ResourceMismatch, evaluator.ConditionFailed}
	if len(ex.Statements) != len(want) {
		t.Fatalf("got %d traces", len(ex.Statements))
	}
	for i, tr := range ex.Statements {
		if tr.Reason != want[i] {
			t.Errorf("statement %s: reason %v, want %v", tr.Sid, tr.Reason, want[i])
		}
	}
	last := ex.Statements[3]
	if last.Clause == nil || last.Clause.Operator != "Bool" || !last.KeyMissing {
		t.Errorf("the failed condition is Bool on a missing key: %+v", last)
	}
	if ex.Decision.Verdict != evaluator.Allowed {
		t.Errorf("decision %v", ex.Decision.Verdict)
	}
}

// TestSignedByCaller: sts:AssumeRoleWithSAML and
// sts:AssumeRoleWithWebIdentity are not signed with the caller's
// credentials (STS API reference: "Calling AssumeRoleWithSAML does not
// require the use of AWS security credentials"), in any letter case; every
// other action is.
func TestSignedByCaller(t *testing.T) {
	for _, tt := range []struct {
		action string
		want   bool
	}{
		{"sts:AssumeRole", true},
		{"s3:GetObject", true},
		{"sts:AssumeRoleWithSAML", false},
		{"STS:assumerolewithwebidentity", false},
	} {
		if got := evaluator.SignedByCaller(tt.action); got != tt.want {
			t.Errorf("SignedByCaller(%q) = %v, want %v", tt.action, got, tt.want)
		}
	}
}
