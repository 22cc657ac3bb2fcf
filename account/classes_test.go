package account_test

import (
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
)

// TestSlotsMap: a statement of one copy of a policy, mapped to the same
// statement of another copy in the same place: its name and positions are
// the other copy's, and so is a clause of it.
func TestSlotsMap(t *testing.T) {
	doc := []byte(`{"Version":"2012-10-17","Statement":[
		{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},
		{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`)
	parse := func(name string, pad int) *policy.Policy {
		// the copies lie at different places of their files
		text := append(make([]byte, 0, pad+len(doc)), []byte("                "[:pad])...)
		p, err := policy.Parse(name, append(text, doc...))
		if err != nil {
			t.Fatal(err)
		}
		p.Name = name
		return p
	}
	shared := parse("arn:aws:iam::123456789012:policy/Shared", 0)
	alice, bob := parse("user alice inline Copy", 0), parse("user bob inline Copy", 7)
	from := account.Slots{{Policy: shared, Type: evaluator.TypeIdentity}, {Policy: alice, Type: evaluator.TypeIdentity}}
	to := account.Slots{{Policy: shared, Type: evaluator.TypeIdentity}, {Policy: bob, Type: evaluator.TypeIdentity}}
	if from.Same(to) || !from.Same(from) {
		t.Fatal("Same")
	}
	stmt := func(p *policy.Policy, i int) evaluator.MatchedStatement {
		s := p.Statements[i]
		return evaluator.MatchedStatement{PolicyID: p.Name, PolicyType: evaluator.TypeIdentity, Index: i, Sid: s.Sid, Effect: s.Effect, Start: s.Start, End: s.End}
	}
	if got, want := from.Map(stmt(alice, 1), to), stmt(bob, 1); got != want {
		t.Errorf("Map = %+v, want %+v", got, want)
	}
	if got := from.Map(stmt(shared, 0), to); got != stmt(shared, 0) {
		t.Errorf("a shared policy's statement: %+v", got)
	}
	ms := []evaluator.MatchedStatement{stmt(shared, 0)}
	if got := from.MapAll(ms, to); &got[0] != &ms[0] {
		t.Error("MapAll copied statements Map leaves as they are")
	}
	if got := from.MapAll([]evaluator.MatchedStatement{stmt(shared, 0), stmt(alice, 0)}, to); got[0] != stmt(shared, 0) || got[1] != stmt(bob, 0) {
		t.Errorf("MapAll = %+v", got)
	}
	if got := from.MapClause(stmt(alice, 1), alice.Statements[1].Conditions[0], to); got != bob.Statements[1].Conditions[0] {
		t.Errorf("MapClause = %p, want bob's %p", got, bob.Statements[1].Conditions[0])
	}
}
