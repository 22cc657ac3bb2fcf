package fuzz_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
	"github.com/iameval/iameval/suite"
)

// seedPolicies adds every policy document under testdata/ as a seed.
func seedPolicies(f *testing.F) {
	files, _ := filepath.Glob("../testdata/policies/*.json")
	more, _ := filepath.Glob("../examples/policies/*.json")
	for _, file := range append(files, more...) {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
}

// FuzzParse: Parse never panics; it returns a policy or a positioned error;
// an accepted policy compiles (or is refused with an error) and evaluates;
// and its canonical encoding is stable under re-parsing.
func FuzzParse(f *testing.F) {
	seedPolicies(f)
	f.Add([]byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"k":"2020-01-01T00:00Z"},"IpAddress":{"k":["::1/128"]}}}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := policy.Parse("fuzz.json", doc)
		if (p == nil) == (err == nil) {
			t.Fatalf("Parse must return a policy or an error")
		}
		if err != nil {
			var list policy.ErrorList
			if !errorsAs(err, &list) || len(list) == 0 {
				t.Fatalf("not an ErrorList: %v", err)
			}
			for _, e := range list {
				if !e.Pos.IsValid() || e.Code == "" || e.Path == "" {
					t.Fatalf("error without position, code or path: %#v", e)
				}
			}
			return
		}
		enc1, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		p2, err := policy.Parse("re-encoded", enc1)
		if err != nil {
			t.Fatalf("the canonical encoding does not parse: %v\n%s", err, enc1)
		}
		enc2, _ := json.Marshal(p2)
		if string(enc1) != string(enc2) {
			t.Fatalf("re-encoding is not stable:\n%s\n%s", enc1, enc2)
		}
		for _, set := range []evaluator.PolicySet{{Identity: []*policy.Policy{p}}, {Resource: p}, {SCPs: [][]*policy.Policy{{p}}}} {
			e, err := evaluator.Compile(set)
			if err != nil {
				continue
			}
			for _, a := range actions {
				e.Evaluate(request.New(callers[0], a, resources[0]))
			}
		}
	})
}

func errorsAs(err error, list *policy.ErrorList) bool {
	l, ok := err.(policy.ErrorList)
	*list = l
	return ok
}

// refGlobOK is the reference matcher for FuzzWildcard (the same as the
// reference evaluator's).
func FuzzWildcard(f *testing.F) {
	f.Add("s3:*Obj?ct*", "s3:GetObject", false)
	f.Add("*a*a*a*b", "aaaaaaaaaaaaa", false)
	f.Add("IAM:*ACCESS*", "iam:listaccesskeys", true)
	f.Add("b/*/test/*", "b//test/o.jpg", false)
	f.Fuzz(func(t *testing.T, pattern, s string, fold bool) {
		if len(pattern) > 64 || len(s) > 256 || !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return
		}
		p := condition.CompilePattern(pattern, condition.PatternOptions{Wildcards: true})
		got := p.Match(s, fold, nil)
		if want := refGlob(pattern, s, fold); got != want {
			// simple lower-casing can change a rune's byte length; the
			// reference folds whole strings, which agrees for all but
			// such runes
			if fold && strings.ToLower(s) != s && !utf8.ValidString(strings.ToLower(s)) {
				return
			}
			t.Fatalf("Match(%q, %q, fold=%v) = %v, reference says %v", pattern, s, fold, got, want)
		}
	})
}

var operatorNames = []string{
	"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
	"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
	"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
	"Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
}

// negations pairs each negated operator with its positive form.
var negations = map[string]string{
	"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase", "StringNotLike": "StringLike",
	"NumericNotEquals": "NumericEquals", "DateNotEquals": "DateEquals", "NotIpAddress": "IpAddress",
}

// FuzzOperator: every operator family against arbitrary operands and context
// values. Compile either refuses the operand with a coded error or accepts
// it; evaluation never panics; a negated operator is the exact complement of
// its positive form on a present single value; IfExists only changes the
// answer for an absent key.
func FuzzOperator(f *testing.F) {
	f.Add(uint8(0), "blue", "blue", uint8(0))
	f.Add(uint8(8), "3600", "3601", uint8(2))
	f.Add(uint8(12), "2020-01-01T00:00:00Z", "1577836800", uint8(10))
	f.Add(uint8(20), "203.0.113.0/24", "203.0.113.9", uint8(6))
	f.Add(uint8(23), "arn:aws:s3:::b*", "arn:aws:s3:::bucket", uint8(0))
	f.Add(uint8(18), "true", "TRUE", uint8(4))
	f.Fuzz(func(t *testing.T, opIndex uint8, operand, value string, typ uint8) {
		name := operatorNames[int(opIndex)%len(operatorNames)]
		op, err := condition.ParseOperator(name)
		if err != nil {
			t.Fatal(err)
		}
		c, errs := condition.Compile(op, "k", []string{operand}, true)
		if errs != nil {
			for _, e := range errs {
				if e.Code == "" {
					t.Fatalf("error without code: %v", e)
				}
			}
			return
		}
		ctx := &request.Context{}
		kt := request.Type(typ % 12)
		if ctx.Set("k", kt, value) != nil {
			kt = request.TypeString
			if ctx.Set("k", kt, value) != nil {
				return
			}
		}
		got := c.Eval(ctx)
		if pos, ok := negations[name]; ok && !kt.List() {
			pop, _ := condition.ParseOperator(pos)
			pc, perrs := condition.Compile(pop, "k", []string{operand}, true)
			if perrs == nil && pc.Eval(ctx) == got {
				t.Fatalf("%s and %s agree (%v) on %q vs %q", name, pos, got, operand, value)
			}
		}
		if name != "Null" {
			op.IfExists = true
			ic, _ := condition.Compile(op, "k", []string{operand}, true)
			if ic.Eval(ctx) != got {
				t.Fatalf("IfExists changed the answer for a present key")
			}
			if !ic.Eval(&request.Context{}) {
				t.Fatalf("IfExists must be true for an absent key")
			}
		}
	})
}

// seedSuites adds the conformance suites' byte-free seeds: the generator
// reads any bytes, so these only widen the start of the search.
func seedEvaluate(f *testing.F) {
	for i := 0; i < 64; i++ {
		b := make([]byte, 48)
		for j := range b {
			b[j] = byte(i*31 + j*7)
		}
		f.Add(b)
	}
	if _, err := suite.Load("../testdata/conformance/spec-edge-cases.iamtest.json"); err != nil {
		f.Fatal(err)
	}
}

// FuzzEvaluate is the differential test: on generated policy sets and
// requests, the engine and the reference evaluator must agree.
func FuzzEvaluate(f *testing.F) {
	seedEvaluate(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{b: data}
		set := g.policySet(genOpts{})
		e, err := evaluator.Compile(set)
		if err != nil {
			t.Fatalf("generated set does not compile: %v\n%s", err, describe(set, &request.Context{}))
		}
		// the same set compiled without its resource policy, which is
		// then added with WithResourcePolicy, decides the same way
		bare := set
		bare.Resource = nil
		b, err := evaluator.Compile(bare)
		if err != nil {
			t.Fatal(err)
		}
		w, err := b.WithResourcePolicy(set.Resource)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i++ {
			req := g.request()
			d := e.Evaluate(req)
			got := d.Verdict
			if want := refEvaluate(set, req); got != want {
				t.Fatalf("engine %s, reference %s\n%s", got, want, describe(set, req))
			}
			dw := w.Evaluate(req)
			if dw.Verdict != d.Verdict || dw.Rule != d.Rule || dw.Detail != d.Detail ||
				fmt.Sprint(dw.MatchedStatements()) != fmt.Sprint(d.MatchedStatements()) ||
				fmt.Sprint(sorted(dw.MissingContextValues())) != fmt.Sprint(sorted(d.MissingContextValues())) {
				t.Fatalf("WithResourcePolicy decides %v %v %v %v, Compile %v %v %v %v\n%s", dw.Verdict, dw.Rule, dw.MatchedStatements(), dw.MissingContextValues(),
					d.Verdict, d.Rule, d.MatchedStatements(), d.MissingContextValues(), describe(set, req))
			}
		}
	})
}

// FuzzProperties checks the evaluator's invariants on generated inputs:
// the same answer every time and from many goroutines; an added Deny never
// allows; a removed Allow never grants; MFA never turns an allowed request
// into a denied one under a Bool/BoolIfExists deny-without-MFA policy.
func FuzzProperties(f *testing.F) {
	seedEvaluate(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{b: data}
		set := g.policySet(genOpts{})
		e, err := evaluator.Compile(set)
		if err != nil {
			t.Fatal(err)
		}
		req := g.request()
		d := e.Evaluate(req).Verdict

		// determinism, also under concurrent use
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if e.Evaluate(req).Verdict != d {
					t.Error("a different answer for the same request")
				}
			}()
		}
		wg.Wait()

		// adding a Deny statement never turns a denied request into allowed
		deny := mustParse("extra-deny", `{"Version":"2012-10-17","Statement":`+strings.Replace(g.statement(policy.KindIdentity, genOpts{}, 99), `"Effect":"Allow"`, `"Effect":"Deny"`, 1)+`}`)
		more := set
		more.Identity = append(append([]*policy.Policy{}, set.Identity...), deny)
		if e2, err := evaluator.Compile(more); err == nil && d != evaluator.Allowed && e2.Evaluate(req).Verdict == evaluator.Allowed {
			t.Fatalf("adding a Deny allowed a denied request\n%s", describe(more, req))
		}

		// removing an Allow statement never grants more
		if len(set.Identity) > 0 {
			p := set.Identity[0]
			for i, s := range p.Statements {
				if s.Effect != policy.Allow || len(p.Statements) == 1 {
					continue
				}
				fewer := *p
				fewer.Statements = append(append([]*policy.Statement{}, p.Statements[:i]...), p.Statements[i+1:]...)
				less := set
				less.Identity = append([]*policy.Policy{&fewer}, set.Identity[1:]...)
				if e3, err := evaluator.Compile(less); err == nil && d != evaluator.Allowed && e3.Evaluate(req).Verdict == evaluator.Allowed {
					t.Fatalf("removing an Allow granted more\n%s", describe(less, req))
				}
				break
			}
		}

		// MFA: under a deny-without-MFA policy and no other MFA condition,
		// adding MFA never denies an allowed request
		g2 := &gen{b: data}
		plain := g2.policySet(genOpts{noMFAConds: true})
		op := []string{"Bool", "BoolIfExists"}[len(data)%2]
		plain.Identity = append(plain.Identity, mustParse("deny-no-mfa", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"`+op+`":{"aws:MultiFactorAuthPresent":"false"}}}}`))
		e4, err := evaluator.Compile(plain)
		if err != nil {
			t.Fatal(err)
		}
		without := req.Clone()
		if len(data)%3 == 0 {
			without.SetLongTermKeys()
		} else {
			without.SetSessionWithoutMFA()
		}
		with := req.Clone()
		with.SetSessionWithMFA(0)
		if e4.Evaluate(without).Verdict == evaluator.Allowed && e4.Evaluate(with).Verdict != evaluator.Allowed {
			t.Fatalf("adding MFA denied an allowed request\n%s", describe(plain, with))
		}
	})
}

func sorted(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}
