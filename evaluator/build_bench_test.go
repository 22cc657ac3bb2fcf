package evaluator_test

import (
	"os"
	"testing"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
	"github.com/iameval/iameval/request/requesttest"
)

// The cost a service pays per call: building the request and deciding it,
// with an engine compiled from the example force-mfa.json (issue 17).

const (
	buildUser   = "arn:aws:iam::123456789012:user/alice"
	buildAction = "s3:GetObject"
	buildObject = "arn:aws:s3:::reports/2024/q1.csv"
)

func forceMFAEngine(tb testing.TB) *evaluator.Engine {
	doc, err := os.ReadFile("../cmd/iameval/example/force-mfa.json")
	if err != nil {
		tb.Fatal(err)
	}
	p, err := policy.Parse("force-mfa.json", doc)
	if err != nil {
		tb.Fatal(err)
	}
	return mustCompile(tb, evaluator.PolicySet{Identity: []*policy.Policy{p}})
}

// setRealistic sets the 14 keys of a signed S3 request (as request's
// BenchmarkConstructRealistic).
func setRealistic(tb testing.TB, c *request.Context) {
	if err := requesttest.SetRealistic(c); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkBuildDecide: build a request and decide it, per call.
func BenchmarkBuildDecide(b *testing.B) {
	e := forceMFAEngine(b)
	b.Run("decide-only/realistic", func(b *testing.B) {
		c := &request.Context{Principal: buildUser, Action: buildAction, Resource: buildObject}
		setRealistic(b, c)
		b.ReportAllocs()
		for b.Loop() {
			if d := e.Evaluate(c); d.Verdict != evaluator.ImplicitDeny {
				b.Fatal(d.Verdict)
			}
		}
	})
	b.Run("realistic", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := &request.Context{Principal: buildUser, Action: buildAction, Resource: buildObject}
			setRealistic(b, c)
			if d := e.Evaluate(c); d.Verdict != evaluator.ImplicitDeny {
				b.Fatal(d.Verdict)
			}
		}
	})
	b.Run("SessionWithMFA", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := request.SessionWithMFA(buildUser, "iam:ChangePassword", "arn:aws:iam::123456789012:user/alice", 5*time.Minute)
			if d := e.Evaluate(c); d.Verdict != evaluator.Allowed {
				b.Fatal(d.Verdict)
			}
		}
	})
	b.Run("reset/realistic", func(b *testing.B) {
		c := new(request.Context)
		b.ReportAllocs()
		for b.Loop() {
			c.Reset(buildUser, buildAction, buildObject)
			setRealistic(b, c)
			if d := e.Evaluate(c); d.Verdict != evaluator.ImplicitDeny {
				b.Fatal(d.Verdict)
			}
		}
	})
	b.Run("reset/SessionWithMFA", func(b *testing.B) {
		c := new(request.Context)
		b.ReportAllocs()
		for b.Loop() {
			c.Reset(buildUser, "iam:ChangePassword", "arn:aws:iam::123456789012:user/alice")
			c.DerivePrincipalKeys()
			c.SetSessionWithMFA(5 * time.Minute)
			if d := e.Evaluate(c); d.Verdict != evaluator.Allowed {
				b.Fatal(d.Verdict)
			}
		}
	})
	b.Run("SessionWithoutMFA", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := request.SessionWithoutMFA(buildUser, buildAction, buildObject)
			if d := e.Evaluate(c); d.Verdict != evaluator.ExplicitDeny {
				b.Fatal(d.Verdict)
			}
		}
	})
}

// TestBuildDecideNoAllocs: on a reused Context, building a request (Reset,
// the principal keys, the MFA state, 14 keys) and deciding it allocate
// nothing.
func TestBuildDecideNoAllocs(t *testing.T) {
	e := forceMFAEngine(t)
	c := new(request.Context)
	build := func() {
		c.Reset(buildUser, "iam:ChangePassword", "arn:aws:iam::123456789012:user/alice")
		c.DerivePrincipalKeys()
		c.SetSessionWithMFA(5 * time.Minute)
		setRealistic(t, c)
		if d := e.Evaluate(c); d.Verdict != evaluator.Allowed {
			t.Fatal(d.Verdict)
		}
	}
	build()
	if n := testing.AllocsPerRun(100, build); n != 0 {
		t.Errorf("build and decide on a reset Context: %v allocations, want 0", n)
	}
}
