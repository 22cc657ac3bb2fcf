package policy_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/iameval/iameval/policy"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// bigFile is a policy document after and before 3 MB of other lines, as in
// an account dump; it returns the file and the document's span.
func bigFile() (file []byte, off, n int) {
	pad := strings.Repeat(`        "Padding": "some other entity's field",`+"\n", 1<<15)
	doc := "{\n    \"Statement\": {\"Sid\": \"€\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}\n}"
	s := "{\n" + pad + `    "Document": ` + doc + ",\n" + pad + "}\n"
	return []byte(s), strings.Index(s, doc), len(doc)
}

// TestCheckLimitsInLargeFile: CheckLimits of a document inside a large file
// reports positions in the file, and its work depends on the document, not
// on the file.
func TestCheckLimitsInLargeFile(t *testing.T) {
	file, off, n := bigFile()
	p, err := policy.ParseSpan("dump.json", file, off, n)
	if err != nil {
		t.Fatal(err)
	}
	var errs policy.ErrorList
	used := allocated(func() { errs = policy.CheckLimits(p, policy.LimitManaged) })
	euro := strings.Index(string(file), "€")
	line := strings.Count(string(file[:euro]), "\n") + 1
	col := euro - strings.LastIndexByte(string(file[:euro]), '\n')
	if len(errs) != 1 || errs[0].Code != policy.CodeBadCharacter || errs[0].Pos.Offset != euro || errs[0].Pos.Line != line || errs[0].Pos.Column != col {
		t.Errorf("€ at offset %d, line %d, column %d: %v", euro, line, col, errs)
	}
	if used > 64<<10 {
		t.Errorf("CheckLimits of a %d-byte document in a %d-byte file allocated %d bytes", n, len(file), used)
	}
}

// TestParseSpanIndex: with the file indexed once, a document's positions are
// those ParseSpan reports, and parsing it costs the same in a large file as
// alone.
func TestParseSpanIndex(t *testing.T) {
	file, off, n := bigFile()
	// an error, to compare positions
	bad := []byte(strings.Replace(string(file), `"Allow"`, `"allow"`, 1))
	_, want := policy.ParseSpan("dump.json", bad, off, n)
	idx := policy.NewLineIndex("dump.json", bad)
	_, got := policy.ParseSpanIndex(idx, bad, off, n)
	if want == nil || got == nil || got.Error() != want.Error() {
		t.Errorf("ParseSpanIndex: %v\nParseSpan:      %v", got, want)
	}

	idx = policy.NewLineIndex("dump.json", file)
	p, err := policy.ParseSpanIndex(idx, file, off, n)
	if err != nil {
		t.Fatal(err)
	}
	q, err := policy.ParseSpan("dump.json", file, off, n)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "dump.json" || p.Start() != q.Start() || p.End() != q.End() || p.Statements[0].Start() != q.Statements[0].Start() || p.Statements[0].Action.Values[0].Pos() != q.Statements[0].Action.Values[0].Pos() {
		t.Errorf("positions differ: %+v %+v, want %+v %+v", p.Start(), p.Statements[0].Action.Values[0].Pos(), q.Start(), q.Statements[0].Action.Values[0].Pos())
	}
	if p.Start().Line < 1<<15 || p.Start().Offset != off {
		t.Errorf("the document starts at %+v, want offset %d past line 32768", p.Start(), off)
	}

	// the policy keeps its own copy of its document, not the file: the
	// file can go (a dump of thousands of users is tens of megabytes), and
	// what becomes of it changes nothing of the policy
	before := string(p.Source)
	text := string(p.StatementText(p.Statements[0]))
	scratch := append([]byte(nil), file...)
	r, err := policy.ParseSpanIndex(idx, scratch, off, n)
	if err != nil {
		t.Fatal(err)
	}
	for i := range scratch {
		scratch[i] = 'x'
	}
	if string(r.Source) != before || string(r.StatementText(r.Statements[0])) != text {
		t.Errorf("the policy changed with its file: Source %.40q", r.Source)
	}

	doc := file[off : off+n]
	alone := allocated(func() { _, _ = policy.Parse("doc.json", doc) })
	inFile := allocated(func() { _, _ = policy.ParseSpanIndex(idx, file, off, n) })
	if inFile > 2*alone+(4<<10) {
		t.Errorf("parsing a %d-byte document allocates %d bytes alone, %d bytes in a %d-byte file", n, alone, inFile, len(file))
	}
}

func TestParseSpanIndexErrors(t *testing.T) {
	file := []byte(`{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}`)
	idx := policy.NewLineIndex("f.json", file)
	for _, tc := range []struct {
		name   string
		idx    *policy.LineIndex
		off, n int
		want   string
	}{
		{"no index", nil, 0, len(file), "span outside the file"},
		{"another file's index", policy.NewLineIndex("g.json", file[1:]), 0, len(file) - 1, "line index is of a"},
		{"past the end", idx, 1, len(file), "span outside the file"},
		{"negative", idx, -1, 2, "span outside the file"},
	} {
		p, err := policy.ParseSpanIndex(tc.idx, file, tc.off, tc.n)
		var list policy.ErrorList
		if p != nil || !errors.As(err, &list) || len(list) != 1 || list[0].Code != policy.CodeInvalidJSON || !strings.Contains(list[0].Msg, tc.want) {
			t.Errorf("%s: %v, %v; want %q", tc.name, p, err, tc.want)
		}
	}
	if p, err := policy.ParseSpanIndex(idx, file, 0, len(file)); err != nil || len(p.Statements) != 1 {
		t.Errorf("the whole file: %v", err)
	}
}

// TestCheckLimitsBuiltPolicy: a Policy built by hand, not by Parse, has
// positions in its Source.
func TestCheckLimitsBuiltPolicy(t *testing.T) {
	p := &policy.Policy{Name: "built", Source: []byte("{\n\"Sid\": \"€\"}")}
	errs := policy.CheckLimits(p, policy.LimitManaged)
	if len(errs) != 1 || errs[0].Pos.String() != "built:2:9" {
		t.Errorf("%v", errs)
	}
}
