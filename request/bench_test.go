package request_test

import (
	"testing"
	"time"

	"github.com/iameval/iameval/request"
	"github.com/iameval/iameval/request/requesttest"
)

// The benchmarks of building a request, the cost a service pays on every
// call before the decision (issue 17). Compare with the decision itself in
// evaluator's BenchmarkBuildDecide.

const (
	benchUser    = "arn:aws:iam::123456789012:user/alice"
	benchRole    = "arn:aws:sts::123456789012:assumed-role/Admin/alice-session"
	benchAction  = "s3:GetObject"
	benchObject  = "arn:aws:s3:::reports/2024/q1.csv"
	benchAccount = "123456789012"
)

// realistic sets the 14 keys a signed S3 request carries on c: one of each
// scalar type the services send (ip, date, numeric, boolean), strings, and
// a stringList.
func realistic(tb testing.TB, c *request.Context) {
	if err := requesttest.SetRealistic(c); err != nil {
		tb.Fatal(err)
	}
}

var sink *request.Context

func BenchmarkConstructNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = request.New(benchUser, benchAction, benchObject)
	}
}

func BenchmarkConstructLongTermKeys(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = request.LongTermKeys(benchUser, benchAction, benchObject)
	}
}

func BenchmarkConstructSessionWithoutMFA(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = request.SessionWithoutMFA(benchUser, benchAction, benchObject)
	}
}

func BenchmarkConstructSessionWithMFA(b *testing.B) {
	for _, p := range []struct{ name, arn string }{{"user", benchUser}, {"assumed-role", benchRole}} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = request.SessionWithMFA(p.arn, benchAction, benchObject, 5*time.Minute)
			}
		})
	}
}

func BenchmarkConstructRoot(b *testing.B) {
	age := 90 * time.Second
	b.ReportAllocs()
	for b.Loop() {
		sink = request.Root(benchAccount, benchAction, benchObject, &age)
	}
}

// BenchmarkConstructSet: replacing one key of each type on a request that
// already carries it.
func BenchmarkConstructSet(b *testing.B) {
	for _, k := range []struct {
		t  request.Type
		vs []string
	}{
		{request.TypeString, []string{"us-east-1"}},
		{request.TypeStringList, []string{"team", "project"}},
		{request.TypeNumeric, []string{"1714564800"}},
		{request.TypeBoolean, []string{"true"}},
		{request.TypeDate, []string{"2024-05-01T12:00:00Z"}},
		{request.TypeIP, []string{"203.0.113.7"}},
		{request.TypeBinary, []string{"aGVsbG8gd29ybGQ="}},
	} {
		b.Run(k.t.String(), func(b *testing.B) {
			c := request.New(benchUser, benchAction, benchObject)
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Set("k", k.t, k.vs...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkConstructRealistic: a request as a service builds it, a struct
// literal with the 14 keys of a signed S3 request.
func BenchmarkConstructRealistic(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c := &request.Context{Principal: benchUser, Action: benchAction, Resource: benchObject}
		realistic(b, c)
		sink = c
	}
}

// BenchmarkConstructReset: the fast path for services, one Context reused
// for every request: Reset, then the keys of the call.
func BenchmarkConstructReset(b *testing.B) {
	b.Run("SessionWithMFA", func(b *testing.B) {
		c := new(request.Context)
		b.ReportAllocs()
		for b.Loop() {
			c.Reset(benchUser, benchAction, benchObject)
			c.DerivePrincipalKeys()
			c.SetSessionWithMFA(5 * time.Minute)
		}
	})
	b.Run("realistic", func(b *testing.B) {
		c := new(request.Context)
		b.ReportAllocs()
		for b.Loop() {
			c.Reset(benchUser, benchAction, benchObject)
			realistic(b, c)
		}
	})
}
