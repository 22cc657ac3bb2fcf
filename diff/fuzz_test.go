package diff_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/diff"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// FuzzDiffEquivalent: a policy compared with itself, and with its
// statements in reverse order (the evaluation logic reads no order), flips
// nothing, whatever the policy; and Compare never panics.
func FuzzDiffEquivalent(f *testing.F) {
	for _, seed := range []string{
		forceMFA,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1"]}}},{"Effect":"Deny","Action":"ec2:Terminate*","Resource":"arn:aws:ec2:us-east-1:*:instance/*","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"900"}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"},{"Effect":"Deny","NotAction":"s3:Get*","NotResource":"arn:aws:s3:::b/public/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`,
	} {
		f.Add(seed, true)
	}
	// compared over a few services' actions, not the catalogue's 22,000:
	// a NotAction statement covers every action the catalogue has, and
	// such an input took 7 s instrumented, near the fuzzing engine's 10 s
	// for an input (CI's run of 2026-12-03 stopped on one as hung)
	c := diff.NewComparer(diff.Options{Catalog: servicesOf(f, "s3", "ec2", "iam", "sts", "dynamodb")})
	f.Fuzz(func(t *testing.T, doc string, caller bool) {
		p, err := policy.Parse("p.json", []byte(doc))
		if err != nil || len(p.Statements) > 12 {
			return
		}
		e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
		if err != nil {
			return
		}
		q := *p
		q.Statements = slices.Clone(p.Statements)
		slices.Reverse(q.Statements)
		r, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{&q}})
		if err != nil {
			t.Fatalf("the reversed policy does not compile: %v", err)
		}
		var req func(action, resource string) *request.Context
		if caller {
			req = func(action, resource string) *request.Context {
				return request.New("arn:aws:iam::111122223333:user/alice", action, resource)
			}
		}
		for _, other := range []*evaluator.Engine{e, r} {
			var rep diff.Report
			c.Pair(diff.Pair{Name: "p", Old: &diff.Principal{Engine: e, Request: req}, New: &diff.Principal{Engine: other, Request: req}}, &rep)
			if len(rep.Flips) > 0 {
				f := rep.Flips[0]
				t.Fatalf("an equivalent policy flips %s %s on %s: old %v by %v, new %v by %v", f.Kind, f.Action(), f.Resource(), f.Old, f.OldBy, f.New, f.NewBy)
			}
		}
	})
}

// servicesOf is the embedded catalogue with only the services given (and
// every global key).
func servicesOf(tb testing.TB, prefixes ...string) *catalog.Catalog {
	tb.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(catalog.Embedded()))
	if err != nil {
		tb.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	keep := true
	for line := range strings.Lines(string(text)) {
		if prefix, ok := strings.CutPrefix(line, "S\t"); ok {
			keep = slices.Contains(prefixes, strings.TrimSpace(prefix))
		}
		if keep {
			out.WriteString(line)
		}
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(out.Bytes()); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	c, err := catalog.Parse(gz.Bytes())
	if err != nil {
		tb.Fatal(err)
	}
	if len(c.Services()) != len(prefixes) {
		tb.Fatalf("%d services, want %d", len(c.Services()), len(prefixes))
	}
	return c
}
