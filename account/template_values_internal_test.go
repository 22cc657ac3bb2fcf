package account

import (
	"bytes"
	"testing"

	"github.com/iameval/iameval/policy"
)

// TestTemplateValuesApart: a statement's template (templater) writes
// lists of values that differ so that they differ: two users' statements
// that write alike share one template class, and so one answer of
// mfa --account. A value may hold any byte (a 1, digits: an auditor's find
// was ["zzzzzzzzz", "q1"] written as "zzzzzzzzz9\x01q").
func TestTemplateValuesApart(t *testing.T) {
	write := func(values string) []byte {
		src := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":["arn:aws:s3:::home/alice/*"],"Condition":{"StringEquals":{"aws:PrincipalTag/team":` + values + `}}}]}`
		p, err := policy.Parse("p.json", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		tp := templater{name: "alice", vars: p.VariablesEnabled()}
		tp.statement(p.Statements[0])
		if tp.bad {
			t.Fatalf("%s: not templated", values)
		}
		return tp.b
	}
	for _, c := range [][2]string{
		{`["zzzzzzzzz","q1"]`, `"zzzzzzzzz9\u0001q"`},
		{`["zq","zr"]`, `"zq2\u0001zr"`},
		{`["zq","zr"]`, `"zq\u0001zr"`},
		{`["zqzr"]`, `["zq","zr"]`},
		{`["alice","x"]`, `["alice\u00011x"]`},
	} {
		if a, b := write(c[0]), write(c[1]); bytes.Equal(a, b) {
			t.Errorf("%s and %s write alike: %q", c[0], c[1], a)
		}
	}
}
