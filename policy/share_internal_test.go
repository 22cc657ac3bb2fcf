package policy

import "testing"

// TestStatementShareRace: when two documents parse a statement at once,
// the second to keep it gets the first's, without positions, as if it had
// found it: which statements are shared and placeless does not depend on
// the order the cores parsed in.
func TestStatementShareRace(t *testing.T) {
	var share StatementShare
	idx := NewLineIndex("f", []byte(`   {"Action":"s3:GetObject"}`))
	pos := placeOf(idx, 3)
	first := &Statement{Action: &List{place: pos, Values: []Value{{Text: "s3:GetObject", place: pos}}}}
	second := &Statement{Action: &List{place: pos, Values: []Value{{Text: "s3:GetObject", place: pos}}}}
	first.placeAt(idx, 3, 28)
	second.placeAt(idx, 3, 28)
	key := share.appendKey(nil, Version2012, 0, "$.Statement", `{"Action":"s3:GetObject"}`)
	if got := share.add(key, first); got != first || !first.Start().IsValid() {
		t.Fatalf("the first statement kept: %p (want %p), positions %v", got, first, first.Start())
	}
	if got := share.add(key, second); got != first {
		t.Fatalf("the second statement kept under the same key: got %p, want the first %p", got, first)
	}
	if first.Start().IsValid() || first.Action.Pos().IsValid() || first.Action.Values[0].Pos().IsValid() {
		t.Errorf("the statement two documents hold keeps positions: %+v", first)
	}
	if got := share.lookup(key); got != first {
		t.Errorf("lookup: %p, want %p", got, first)
	}
}
