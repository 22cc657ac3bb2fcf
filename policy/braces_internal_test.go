package policy

import (
	"testing"
	"unsafe"
)

// TestPolicyKeepsNoPositions: a policy keeps where its braces are as two
// offsets, not as two Positions (40 bytes each, with the file's name): an
// account dump's tens of thousands of documents are each a Policy, and the
// 20,000-user run of BENCHMARKS.md keeps 26,667 of users' own until their
// reports. Start and End give what the Positions said.
func TestPolicyKeepsNoPositions(t *testing.T) {
	if n := unsafe.Sizeof(Policy{}); n > 176 {
		t.Errorf("a Policy is %d bytes, want at most 176 (no Position of its own, one list of marks)", n)
	}
	if n := unsafe.Sizeof(Statement{}); n > 112 {
		t.Errorf("a Statement is %d bytes, want at most 112 (no Position of its own)", n)
	}
	for _, c := range []struct {
		name      string
		size, max uintptr
	}{{"Value", unsafe.Sizeof(Value{}), 48}, {"List", unsafe.Sizeof(List{}), 48}, {"Principal", unsafe.Sizeof(Principal{}), 48}, {"Clause", unsafe.Sizeof(Clause{}), 112}} {
		if c.size > c.max {
			t.Errorf("a %s is %d bytes, want at most %d (no Position of its own)", c.name, c.size, c.max)
		}
	}
	file := []byte("[\n  {\"Version\": \"2012-10-17\",\n   \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  }\n]\n")
	open, close := 4, 103
	if file[open] != '{' || file[close] != '}' {
		t.Fatalf("the braces are not at %d and %d: %q %q", open, close, file[open], file[close])
	}
	idx := NewLineIndex("dump.json", file)
	for _, compact := range []bool{false, true} {
		// the span begins before the brace: what lies before it is white space
		p, err := ParseSpanIndexWith(idx, file, 2, close+1-2, SpanOptions{Compact: compact})
		if err != nil {
			t.Fatal(err)
		}
		want := [2]Position{{Filename: "dump.json", Offset: open, Line: 2, Column: 3}, {Filename: "dump.json", Offset: close, Line: 4, Column: 3}}
		if got := [2]Position{p.Start(), p.End()}; got != want {
			t.Errorf("compact %v: Start, End = %+v, want %+v", compact, got, want)
		}
		if s, e := p.BraceOffsets(); s != open || e != close || p.Filename() != "dump.json" {
			t.Errorf("compact %v: BraceOffsets = %d, %d, Filename %q; want %d, %d, dump.json", compact, s, e, p.Filename(), open, close)
		}
		st := p.Statements[0]
		want = [2]Position{{Filename: "dump.json", Offset: 46, Line: 3, Column: 17}, {Filename: "dump.json", Offset: 99, Line: 3, Column: 70}}
		if got := [2]Position{st.Start(), st.End()}; got != want {
			t.Errorf("compact %v: the statement's Start, End = %+v, want %+v", compact, got, want)
		}
		// the element's name, its value, a clause's key and operator
		for _, c := range []struct {
			name      string
			got, want Position
		}{
			{"Action", st.Action.Pos(), Position{Filename: "dump.json", Offset: 66, Line: 3, Column: 37}},
			{"s3:*", st.Action.Values[0].Pos(), Position{Filename: "dump.json", Offset: 76, Line: 3, Column: 47}},
		} {
			if c.got != c.want {
				t.Errorf("compact %v: %s at %+v, want %+v", compact, c.name, c.got, c.want)
			}
		}
		if text := string(p.StatementText(st)); text != `{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}` && text != `{"Effect":"Allow","Action":"s3:*","Resource":"*"}` {
			t.Errorf("compact %v: StatementText = %q", compact, text)
		}
	}
	var stmt Statement
	if stmt.Start() != (Position{}) || stmt.End() != (Position{}) {
		t.Errorf("a statement not parsed: %+v %+v, want zero", stmt.Start(), stmt.End())
	}
	var built Policy
	if s, e := built.BraceOffsets(); built.Start() != (Position{}) || built.End() != (Position{}) || s != 0 || e != 0 || built.Filename() != "" {
		t.Errorf("a policy not parsed: %+v %+v %d %d %q, want zero", built.Start(), built.End(), s, e, built.Filename())
	}
}

// BenchmarkLineIndexPosition: where an offset of a 60 MB account dump's
// 1.5 million lines is. Positions are found when asked for (Statement.Start,
// Value.Pos), so this is the cost of each.
func BenchmarkLineIndexPosition(b *testing.B) {
	var file []byte
	for i := 0; len(file) < 60<<20; i++ {
		file = append(file, "            \"Resource\": \"arn:aws:s3:::home/user"...)
		file = append(file, byte('0'+i%10), '/', '*', '"', ',', '\n')
	}
	idx := NewLineIndex("dump.json", file)
	offs := make([]int, 1024)
	for i := range offs {
		offs[i] = (i * 7919 * 4099) % len(file)
	}
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n += idx.Position(offs[n%len(offs)]).Line
	}
}
