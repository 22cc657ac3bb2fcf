package mfa_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

func load(t *testing.T, name string) *policy.Policy {
	t.Helper()
	path := filepath.Join("..", "testdata", "policies", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func inline(t *testing.T, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse("inline.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const alice = "arn:aws:iam::123456789012:user/alice"

// TestExamplePolicies checks the verdict and the largest allowed MFA age
// that each MFA-POLICIES scenario table implies.
func TestExamplePolicies(t *testing.T) {
	type tc struct {
		name     string
		set      func(t *testing.T) evaluator.PolicySet
		caller   string
		action   string
		resource string
		ctx      map[string]string
		verdict  mfa.Verdict
		maxAge   string   // MaxAgeString
		bypass   []string // bypass kinds
	}
	ids := func(names ...string) func(t *testing.T) evaluator.PolicySet {
		return func(t *testing.T) evaluator.PolicySet {
			var s evaluator.PolicySet
			for _, n := range names {
				s.Identity = append(s.Identity, load(t, n))
			}
			return s
		}
	}
	p5 := func(withIdentity bool) func(t *testing.T) evaluator.PolicySet {
		return func(t *testing.T) evaluator.PolicySet {
			s := evaluator.PolicySet{Resource: load(t, "p5-trust-cross-account-mfa.json")}
			if withIdentity {
				s.Identity = []*policy.Policy{load(t, "p5-caller-identity.json")}
			}
			return s
		}
	}
	p6 := func(t *testing.T) evaluator.PolicySet {
		return evaluator.PolicySet{
			Identity:      []*policy.Policy{inline(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::ACCOUNT-A-BUCKET-NAME/*"}}`)},
			Resource:      load(t, "p6-bucket-mfa-cross-account.json"),
			ResourceOwner: "123456789012",
		}
	}
	inlineSet := func(doc string) func(t *testing.T) evaluator.PolicySet {
		return func(t *testing.T) evaluator.PolicySet {
			return evaluator.PolicySet{Identity: []*policy.Policy{inline(t, doc)}}
		}
	}
	user := "arn:aws:iam::123456789012:user/"
	tests := []tc{
		{"P1 CreateAccessKey own", ids("p1-force-mfa-self-manage.json"), alice, "iam:CreateAccessKey", user + "alice", nil, mfa.Required, "no limit", nil},
		{"P1 CreateAccessKey other", ids("p1-force-mfa-self-manage.json"), alice, "iam:CreateAccessKey", user + "bob", nil, mfa.NeverAllowed, "-", nil},
		{"P1 EnableMFADevice", ids("p1-force-mfa-self-manage.json"), alice, "iam:EnableMFADevice", user + "alice", nil, mfa.NotRequired, "no limit", nil},
		{"P1 ListAllMyBuckets", ids("p1-force-mfa-self-manage.json"), alice, "s3:ListAllMyBuckets", "*", nil, mfa.NeverAllowed, "-", nil},
		{"P2 DeactivateMFADevice", ids("p2-mfa-device-self-manage.json"), alice, "iam:DeactivateMFADevice", user + "alice", nil, mfa.Required, "no limit", nil},
		{"P2 ListUsers", ids("p2-mfa-device-self-manage.json"), alice, "iam:ListUsers", "*", nil, mfa.NotRequired, "no limit", nil},
		{"P3 StopInstances", ids("p3-ec2-deny-stop-without-mfa.json"), alice, "ec2:StopInstances", "*", nil, mfa.Required, "no limit", nil},
		{"P3 DescribeInstances", ids("p3-ec2-deny-stop-without-mfa.json"), alice, "ec2:DescribeInstances", "*", nil, mfa.NotRequired, "no limit", nil},
		{"P4 alone", ids("p4-ec2-allow-stop-with-mfa.json"), alice, "ec2:TerminateInstances", "*", nil, mfa.Required, "no limit", nil},
		{"P4 plus Allow *", ids("p4-ec2-allow-stop-with-mfa.json", "admin.json"), alice, "ec2:TerminateInstances", "*", nil, mfa.NotRequired, "no limit", nil},
		{"P5 richard", p5(true), "arn:aws:iam::111122223333:user/richard", "sts:AssumeRole", "arn:aws:iam::123456789012:role/CrossAccountRole", nil, mfa.Required, "no limit", nil},
		{"P5 without identity policy", p5(false), "arn:aws:iam::111122223333:user/richard", "sts:AssumeRole", "arn:aws:iam::123456789012:role/CrossAccountRole", nil, mfa.NeverAllowed, "-", nil},
		{"P6 account C", p6, "arn:aws:iam::444455556666:user/carol", "s3:PutObject", "arn:aws:s3:::ACCOUNT-A-BUCKET-NAME/file.txt", nil, mfa.Required, "no limit", nil},
		{"P6 account A", p6, alice, "s3:PutObject", "arn:aws:s3:::ACCOUNT-A-BUCKET-NAME/file.txt", nil, mfa.NotRequired, "no limit", nil},
		{"P7 Production", ids("p7-production-bucket-mfa-age.json"), alice, "s3:GetObject", "arn:aws:s3:::Production/report.csv", nil, mfa.Required, "1800s (30m0s)", nil},
		{"P7 dev bucket", ids("p7-production-bucket-mfa-age.json"), alice, "s3:GetObject", "arn:aws:s3:::dev-bucket/a.txt", nil, mfa.NotRequired, "no limit", nil},
		{"P8 within the hour", ids("p8-deactivate-mfa-recent.json"), alice, "iam:DeactivateMFADevice", user + "alice", nil, mfa.Required, "3600s (1h0m0s)", nil},
		{"P8b strict hour", ids("p8b-ec2-mfa-within-hour.json"), alice, "ec2:RunInstances", "*", nil, mfa.Required, "3599s (59m59s)", nil},
		{"P8b IfExists lets callers without MFA in", ids("p8b-ec2-mfa-within-hour-ifexists.json"), alice, "ec2:RunInstances", "*", nil, mfa.NotRequired, "3599s (59m59s)", []string{"allow-ifexists"}},
		{"P9 inside the window", ids("p9-mfa-date-window.json"), alice, "service-prefix-2:action-name-a", "*", map[string]string{"aws:CurrentTime": "2017-09-01T12:00:00Z"}, mfa.Required, "no limit", nil},
		{"P9 after the window", ids("p9-mfa-date-window.json"), alice, "service-prefix-2:action-name-a", "*", map[string]string{"aws:CurrentTime": "2018-01-01T00:00:00Z"}, mfa.NeverAllowed, "-", nil},
		{"P10 A1 Deny Bool false", ids("p10-a1-deny-bool-false.json"), alice, "s3:GetObject", "arn:aws:s3:::b/k", nil, mfa.NotRequired, "no limit", []string{"deny-skipped"}},
		{"P10 A2 Deny Null true", ids("p10-a2-deny-null-true.json"), alice, "s3:GetObject", "arn:aws:s3:::b/k", nil, mfa.NotRequired, "no limit", nil},
		{"P10 A3 Allow Null false", ids("p10-a3-allow-null-false.json"), alice, "s3:GetObject", "arn:aws:s3:::b/k", nil, mfa.NotRequired, "no limit", nil},
		{"P10 A4 Allow BoolIfExists true", ids("p10-a4-allow-boolifexists-true.json"), alice, "s3:GetObject", "arn:aws:s3:::b/k", nil, mfa.NotRequired, "no limit", []string{"allow-ifexists"}},
		{"P10 A5 Deny BoolIfExists false", ids("p10-a5-deny-boolifexists-false.json"), alice, "s3:GetObject", "arn:aws:s3:::b/k", nil, mfa.Required, "no limit", nil},
		{"P11 broken", ids("p11-cli-bypass-broken.json"), alice, "ec2:DescribeInstances", "*", map[string]string{"aws:ViaAWSService": "false"}, mfa.NotRequired, "no limit", []string{"deny-skipped"}},
		{"P11 fixed", ids("p11-cli-bypass-fixed.json"), alice, "ec2:DescribeInstances", "*", map[string]string{"aws:ViaAWSService": "false"}, mfa.Required, "no limit", nil},
		{"P12 four-hour cap", ids("admin.json", "p12-session-lifetime-cap.json"), alice, "ec2:DescribeInstances", "*", nil, mfa.Required, "14400s (4h0m0s)", nil},
		{"P13 redundant values: < 3600 wins", inlineSet(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":["2700","3600"]}}}}`), alice, "s3:GetObject", "*", nil, mfa.Required, "3599s (59m59s)", nil},
		{"P13 type mismatch never matches", inlineSet(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericEquals":{"aws:MultiFactorAuthPresent":"1"}}}}`), alice, "s3:GetObject", "*", nil, mfa.NeverAllowed, "-", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := evaluator.Compile(tc.set(t))
			if err != nil {
				t.Fatal(err)
			}
			base := request.New(tc.caller, tc.action, tc.resource)
			for k, v := range tc.ctx {
				if err := base.Set(k, request.TypeString, v); err != nil {
					t.Fatal(err)
				}
			}
			r := mfa.Analyze(e, base)
			if r.Verdict != tc.verdict || r.MaxAgeString() != tc.maxAge {
				t.Errorf("verdict %s, max age %s; want %s, %s (LT %s, TMP %s, fresh %s)", r.Verdict, r.MaxAgeString(), tc.verdict, tc.maxAge,
					r.LongTermKeys.Verdict, r.SessionWithoutMFA.Verdict, r.Fresh.Verdict)
			}
			var kinds []string
			for _, b := range r.Bypasses {
				kinds = append(kinds, b.Kind)
				if b.Fix == "" || b.Clause == nil {
					t.Errorf("bypass without clause or fix: %+v", b)
				}
			}
			if len(kinds) != len(tc.bypass) || (len(kinds) > 0 && kinds[0] != tc.bypass[0]) {
				t.Errorf("bypasses %v, want %v", kinds, tc.bypass)
			}
		})
	}
}

func TestInvertedAndAgeOnlyDeny(t *testing.T) {
	// A Deny on MFA present inverts the requirement.
	e, _ := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{inline(t, `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"*","Resource":"*"},
 {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)}})
	if r := mfa.Analyze(e, request.New(alice, "s3:GetObject", "*")); r.Verdict != mfa.Inverted {
		t.Errorf("verdict %s, want inverted", r.Verdict)
	}
	// SPEC 8 case 8: a Deny on a stale age never catches callers without
	// MFA; both scenarios without MFA are bypasses of that Deny.
	e, _ = evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{inline(t, `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"*","Resource":"*"},
 {"Sid":"DenyStale","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}}]}`)}})
	r := mfa.Analyze(e, request.New(alice, "s3:GetObject", "*"))
	if r.Verdict != mfa.NotRequired || r.MaxAge != 3600 || len(r.Bypasses) != 1 || r.Bypasses[0].Statement.Sid != "DenyStale" {
		t.Errorf("verdict %s, max %d, bypasses %+v", r.Verdict, r.MaxAge, r.Bypasses)
	}
	if want := "use NumericGreaterThanIfExists instead of NumericGreaterThan, so that requests without the key (long-term access keys) are denied too"; r.Bypasses[0].Fix != want {
		t.Errorf("fix %q", r.Bypasses[0].Fix)
	}
}

func TestThresholdsAndAges(t *testing.T) {
	e, _ := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{inline(t, `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":["900.5","60"]}}},
 {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericGreaterThanEquals":{"AWS:MULTIFACTORAUTHAGE":60}}}]}`)}})
	got := mfa.Thresholds(e)
	if len(got) != 2 || got[0] != 60 || got[1] != 900.5 {
		t.Errorf("thresholds %v", got)
	}
	r := mfa.Analyze(e, request.New(alice, "s3:GetObject", "*"))
	if r.Verdict != mfa.Required || r.MaxAge != 59 {
		t.Errorf("verdict %s max %d, want mfa-required 59", r.Verdict, r.MaxAge)
	}
}

// TestInvertedDenyIsNoBypass: a Deny on aws:MultiFactorAuthPresent "true"
// denies MFA sessions (a reviewer's find: it was reported as a Deny that
// long-term keys slip past, with the fix "use BoolIfExists", which would
// deny long-term keys too and still not require MFA). The policy is
// inverted (Verdict Inverted); a real MFA requirement that long-term keys
// slip past (Bool "false") is still a bypass.
func TestInvertedDenyIsNoBypass(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	for _, tc := range []struct {
		name, cond string
		verdict    mfa.Verdict
		bypasses   int
	}{
		{"a Deny on MFA sessions", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, mfa.Inverted, 0},
		{"a Deny on sessions without MFA, Bool", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, mfa.NotRequired, 1},
		{"a Deny on old MFA sessions", `{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}`, mfa.NotRequired, 1},
	} {
		p, err := policy.Parse("p.json", []byte(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"s3:*","Resource":"*"},
			{"Sid":"D","Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":`+tc.cond+`}]}`))
		if err != nil {
			t.Fatal(err)
		}
		e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
		if err != nil {
			t.Fatal(err)
		}
		r := mfa.Analyze(e, request.New(alice, "s3:GetObject", "arn:aws:s3:::b/k"))
		if r.Verdict != tc.verdict || len(r.Bypasses) != tc.bypasses {
			t.Errorf("%s: verdict %s with %d bypasses %+v, want %s with %d", tc.name, r.Verdict, len(r.Bypasses), r.Bypasses, tc.verdict, tc.bypasses)
		}
	}
}
