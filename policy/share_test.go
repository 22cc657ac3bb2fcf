package policy_test

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestPoliciesOfAFileShareConditions: the policies parsed from one file
// (an account dump's thousands of copies of one inline policy) share the
// compiled form of identical condition clauses, and their JSON paths; a clause that differs in
// operator, key, a value or the Version that enables policy variables is
// compiled on its own, a clause IAM refuses is reported in each policy
// that holds it, and each shared clause decides as its own would.
func TestPoliciesOfAFileShareConditions(t *testing.T) {
	docs := []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"${aws:username}*"}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"${aws:username}*"}}}}`,
		`{"Version":"2008-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"${aws:username}*"}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":["${aws:username}","*"]}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":["${aws:username}*"]}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:userid":"${aws:username}*"}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"soon"}}}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"soon"}}}}`,
	}
	file := "[" + strings.Join(docs, ",\n") + "]"
	idx := policy.NewLineIndex("f.json", []byte(file))
	var pols []*policy.Policy
	var errs []error
	off := 1
	for _, d := range docs {
		p, err := policy.ParseSpanIndex(idx, []byte(file), off, len(d))
		pols, errs = append(pols, p), append(errs, err)
		off += len(d) + 2
	}
	cond := func(i int) any { return pols[i].Statements[0].Conditions[0].Cond }
	// a value and a list of that one value are the same clause
	if cond(0) != cond(1) || cond(0) != cond(4) {
		t.Errorf("identical clauses are compiled more than once")
	}
	for _, i := range []int{2, 3, 5} {
		if cond(i) == cond(0) {
			t.Errorf("document %d's clause shares the first's: %s", i, docs[i])
		}
	}
	for i := 6; i <= 7; i++ {
		if errs[i] == nil || !strings.Contains(errs[i].Error(), "not a number") {
			t.Errorf("document %d: %v, want the bad number reported", i, errs[i])
		}
	}
	// and their JSON paths are one string each
	a, b := pols[0].Statements[0].Conditions[0], pols[1].Statements[0].Conditions[0]
	if a.Path != `$.Statement.Condition.StringLike["aws:userid"]` || unsafe.StringData(a.Path) != unsafe.StringData(b.Path) {
		t.Errorf("the clause paths %q and %q are not one shared string", a.Path, b.Path)
	}
	v3, v4 := pols[3].Statements[0].Conditions[0].Values[1], pols[4].Statements[0].Conditions[0].Values[0]
	if v3.Path != `$.Statement.Condition.StringLike["aws:userid"][1]` || v4.Path != `$.Statement.Condition.StringLike["aws:userid"][0]` {
		t.Errorf("value paths %q and %q", v3.Path, v4.Path)
	}
	// each decides as its own text says: alice's userid begins with
	// her name only under 2012-10-17 (and "*" matches it anyway)
	req := request.New("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "*")
	_ = req.Set("aws:userid", request.TypeString, "alice-1")
	for i, want := range []bool{true, true, false, true, true, false} {
		if got := pols[i].Statements[0].Conditions[0].Cond.Eval(req); got != want {
			t.Errorf("document %d: %v, want %v", i, got, want)
		}
	}
}

// TestSharedConditionsToldApart: two clauses of one file share a compiled
// condition only when their operator, key, values and Version are the
// same, whatever bytes the key and values hold: a key holding a NUL and
// what follows it is not a shorter key with more values.
func TestSharedConditionsToldApart(t *testing.T) {
	docs := []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"a":["ab\u0000","def"]}}}}`,
		`{"Version":"2008-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"a\u0000v3:ab":"def"}}}}`,
	}
	file := "[" + strings.Join(docs, ",\n") + "]"
	idx := policy.NewLineIndex("f.json", []byte(file))
	var conds []any
	off := 1
	for _, d := range docs {
		p, err := policy.ParseSpanIndex(idx, []byte(file), off, len(d))
		if err != nil {
			t.Fatal(err)
		}
		conds = append(conds, p.Statements[0].Conditions[0].Cond)
		off += len(d) + 2
	}
	if conds[0] == conds[1] {
		t.Errorf("the clause on key %q shares the compiled clause on key %q", "a\x00v3:ab", "a")
	}
}
