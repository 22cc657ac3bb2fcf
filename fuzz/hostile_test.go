package fuzz_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Hostile inputs: each has a documented limit or a cost bound, and a test
// that it holds. Bounds are generous (they must hold under -race on a
// 2-core machine); the point is that cost is bounded, not fast.

// within fails the test if f takes longer than bound.
func within(t *testing.T, bound time.Duration, f func()) {
	t.Helper()
	start := time.Now()
	f()
	if d := time.Since(start); d > bound {
		t.Errorf("took %v, bound %v", d, bound)
	}
}

func wantCode(t *testing.T, err error, code string) *policy.Error {
	t.Helper()
	var list policy.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("want a %s error, got %v", code, err)
	}
	for _, e := range list {
		if e.Code == code {
			if !e.Pos.IsValid() || e.Path == "" {
				t.Errorf("error without position or path: %+v", e)
			}
			return e
		}
	}
	t.Fatalf("want a %s error, got %v", code, err)
	return nil
}

const alice = "arn:aws:iam::111122223333:user/alice"

func TestHostileDeepNesting(t *testing.T) {
	// JSON nested 100,000 deep is refused by the validator (its limit is
	// 10,000 levels) before any of it is read.
	doc := `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":` +
		strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "}}}}"
	within(t, 5*time.Second, func() {
		_, err := policy.Parse("deep.json", []byte(doc))
		wantCode(t, err, policy.CodeInvalidJSON)
	})
	// Nesting the validator accepts is still refused where the grammar
	// wants a string.
	doc = `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":` +
		strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "}}}}"
	within(t, 5*time.Second, func() {
		_, err := policy.Parse("deep.json", []byte(doc))
		wantCode(t, err, policy.CodeWrongType)
	})
}

func bigPolicy(statements, valuesPerStatement int) string {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; i < statements; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","Action":"svc%d:Get*","Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":[`, i, i, i)
		for v := 0; v < valuesPerStatement; v++ {
			if v > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"team-%d-%d"`, i, v)
		}
		b.WriteString("]}}}")
	}
	b.WriteString("]}")
	return b.String()
}

func TestHostileTenMegabytePolicy(t *testing.T) {
	doc := bigPolicy(25000, 20) // about 10 MB
	if len(doc) < 10<<20 {
		t.Fatalf("only %d bytes", len(doc))
	}
	within(t, 60*time.Second, func() {
		p, err := policy.Parse("big.json", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
		if err != nil {
			t.Fatal(err)
		}
		r := request.New(alice, "svc24999:GetThing", "arn:aws:s3:::bucket-24999/k")
		_ = r.Set("aws:PrincipalTag/team", request.TypeString, "team-24999-19")
		if d := e.Evaluate(r); d.Verdict != evaluator.Allowed {
			t.Errorf("the last statement of a 10 MB policy must still apply: %v", d.Verdict)
		}
	})
}

func TestHostileDocumentTooLarge(t *testing.T) {
	doc := `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Sid":"` + strings.Repeat("x", policy.MaxDocumentSize) + `"}}`
	within(t, 5*time.Second, func() {
		_, err := policy.Parse("huge.json", []byte(doc))
		e := wantCode(t, err, policy.CodeSizeLimit)
		if e.Pos.Offset != policy.MaxDocumentSize {
			t.Errorf("the error points at the limit: %+v", e.Pos)
		}
	})
}

func TestHostileManyStatements(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; i < 100000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Effect":"Allow","Action":"svc%d:Get*","Resource":"arn:aws:s3:::bucket-%d/*"}`, i, i)
	}
	b.WriteString("]}")
	var e *evaluator.Engine
	within(t, 30*time.Second, func() {
		p, err := policy.Parse("many.json", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		if e, err = evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}}); err != nil {
			t.Fatal(err)
		}
	})
	r := request.New(alice, "svc99999:GetThing", "arn:aws:s3:::bucket-99999/k")
	within(t, 2*time.Second, func() {
		for i := 0; i < 10; i++ {
			if d := e.Evaluate(r); d.Verdict != evaluator.Allowed {
				t.Fatalf("%v", d.Verdict)
			}
		}
	})
}

func TestHostileManyConditionValues(t *testing.T) {
	p, err := policy.Parse("values.json", []byte(bigPolicy(1, 10000)))
	if err != nil {
		t.Fatal(err)
	}
	e, _ := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	r := request.New(alice, "svc0:GetThing", "arn:aws:s3:::bucket-0/k")
	_ = r.Set("aws:PrincipalTag/team", request.TypeString, "team-0-9999")
	within(t, 2*time.Second, func() {
		for i := 0; i < 100; i++ {
			if d := e.Evaluate(r); d.Verdict != evaluator.Allowed {
				t.Fatalf("%v", d.Verdict)
			}
		}
	})
}

func TestHostilePatterns(t *testing.T) {
	// 1,000 stars in an action, resource and condition pattern, against
	// 100 KB request strings that almost match.
	stars := strings.Repeat("*a", 1000) + "*b*"
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:%s","Resource":"arn:aws:s3:::%s","Condition":{"StringLike":{"aws:PrincipalTag/p":%q}}}}`, stars, stars, stars)
	p, err := policy.Parse("stars.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	e, _ := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p, mustParse("all", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)}})
	long := strings.Repeat("a", 100000)
	r := request.New(alice, "s3:"+long, "arn:aws:s3:::"+long)
	_ = r.Set("aws:PrincipalTag/p", request.TypeString, long)
	within(t, 5*time.Second, func() {
		if d := e.Evaluate(r); d.Verdict != evaluator.Allowed {
			t.Errorf("%v", d.Verdict)
		}
	})
	q := strings.Repeat("?", 2000)
	p, _ = policy.Parse("q.json", []byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::*`+q+`x*"}}`))
	e, _ = evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	within(t, 10*time.Second, func() {
		e.Evaluate(request.New(alice, "s3:GetObject", "arn:aws:s3:::"+strings.Repeat("b", 20000)))
	})
}

func TestHostileNumbers(t *testing.T) {
	for _, n := range []string{"1e400", strings.Repeat("9", 400), "-" + strings.Repeat("9", 400), "0x10", "Infinity", "NaN"} {
		for _, lit := range []string{n, fmt.Sprintf("%q", n)} {
			_, err := policy.Parse("n.json", []byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":`+lit+`}}}}`))
			if lit == n && (n == "Infinity" || n == "NaN" || n == "0x10") {
				wantCode(t, err, policy.CodeInvalidJSON)
				continue
			}
			wantCode(t, err, policy.CodeBadNumericValue)
		}
		if err := (&request.Context{}).Set("aws:MultiFactorAuthAge", request.TypeNumeric, n); err == nil {
			t.Errorf("context value %q must be refused", n[:min(len(n), 10)])
		}
	}
	// A large but finite number is fine.
	p, err := policy.Parse("n.json", []byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":"`+strings.Repeat("9", 300)+`"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	e, _ := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	r := request.New(alice, "s3:GetObject", "*")
	_ = r.Set("k", request.TypeNumeric, "12")
	if d := e.Evaluate(r); !d.Allowed() {
		t.Error("12 < 10^300")
	}
}

func TestHostileEncoding(t *testing.T) {
	// Invalid UTF-8 is refused at the first bad byte.
	doc := []byte(`{"Statement":{"Effect":"Allow","Action":"s3:Get` + "\xff\xfe" + `","Resource":"*"}}`)
	e := wantCode(t, mustErr(policy.Parse("utf8.json", doc)), policy.CodeInvalidUTF8)
	if e.Pos.Offset != strings.Index(string(doc), "\xff") {
		t.Errorf("position %+v", e.Pos)
	}
	// A raw NUL byte is not JSON; an escaped one is an ordinary character
	// that matches only itself.
	wantCode(t, mustErr(policy.Parse("nul.json", []byte("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:Get\x00\",\"Resource\":\"*\"}}"))), policy.CodeInvalidJSON)
	p, err := policy.Parse("nul.json", []byte(`{"Statement":{"Effect":"Allow","Action":"s3:Get\u0000*","Resource":"*"}}`))
	if err != nil {
		t.Fatal(err)
	}
	eng, _ := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	plain, nul := eng.Evaluate(request.New(alice, "s3:GetObject", "*")), eng.Evaluate(request.New(alice, "s3:Get\x00Object", "*"))
	if plain.Allowed() || !nul.Allowed() {
		t.Error("an escaped NUL is a literal character")
	}
}

// Duplicate keys: IAM refuses a document with the same key twice in one
// object, so neither value wins: the document is an error, with the position
// of the second key.
func TestHostileDuplicateKeys(t *testing.T) {
	for _, doc := range []string{
		`{"Statement":{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`,
		`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true","aws:MultiFactorAuthPresent":"false"}}}}`,
	} {
		wantCode(t, mustErr(policy.Parse("dup.json", []byte(doc))), policy.CodeDuplicateKey)
	}
}

func mustErr(_ *policy.Policy, err error) error { return err }
