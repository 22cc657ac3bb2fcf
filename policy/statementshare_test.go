package policy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/iameval/iameval/policy"
)

// shareDocs are documents as an account dump repeats them: the same
// statements, laid out at different depths, with one statement each that
// names its user; a statement at another place, under another Version, a
// byte apart, or with a Principal, Not elements and conditions.
var shareDocs = []string{
	`{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/alice/*"},{"Sid":"List","Effect":"Allow","Action":["s3:ListBucket"],"Resource":"*","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/bob/*"},{"Sid":"List","Effect":"Allow","Action":["s3:ListBucket"],"Resource":"*","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}}]}`,
	// the List statement first: another place
	`{"Version":"2012-10-17","Statement":[{"Sid":"List","Effect":"Allow","Action":["s3:ListBucket"],"Resource":"*","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}}]}`,
	// another Version: ${aws:username} is text
	`{"Version":"2008-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/carol/*"},{"Sid":"List","Effect":"Allow","Action":["s3:ListBucket"],"Resource":"*","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}}]}`,
	// a byte apart
	`{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/dave/*"},{"Sid":"List","Effect":"Allow","Action":["s3:ListBucket"],"Resource":"*","Condition":{"StringLike":{"s3:prefix":["${aws:username}/"]}}}]}`,
	// every element that has a position, in a statement two documents hold
	`{"Version":"2012-10-17","Statement":{"Sid":"All","Effect":"Deny","Principal":{"AWS":["arn:aws:iam::123456789012:root"],"Service":"ec2.amazonaws.com"},"NotAction":["iam:*","sts:GetSessionToken"],"NotResource":"arn:aws:iam::*:user/${aws:username}","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"NumericGreaterThan":{"aws:MultiFactorAuthAge":["3600"]}}}}`,
	`{"Version":"2012-10-17","Statement":{"Sid":"All","Effect":"Deny","Principal":{"AWS":["arn:aws:iam::123456789012:root"],"Service":"ec2.amazonaws.com"},"NotAction":["iam:*","sts:GetSessionToken"],"NotResource":"arn:aws:iam::*:user/${aws:username}","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"NumericGreaterThan":{"aws:MultiFactorAuthAge":["3600"]}}}}`,
}

// shareFile lays the documents out in one file, each indented by its own
// depth (as the AWS CLI indents an account dump), and returns the file
// and each document's span.
func shareFile(t *testing.T, docs []string) (file []byte, offs, lens []int) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, d := range docs {
		var ind bytes.Buffer
		if err := json.Indent(&ind, []byte(d), strings.Repeat(" ", i), strings.Repeat("  ", 1+i%3)); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(strings.Repeat(" ", i))
		offs = append(offs, b.Len())
		lens = append(lens, ind.Len())
		b.Write(ind.Bytes())
	}
	b.WriteString("\n]\n")
	return b.Bytes(), offs, lens
}

// positions returns every policy.Position v holds, walking its fields,
// pointers, slices and embedded structs.
func positions(v reflect.Value, out []policy.Position) []policy.Position {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = positions(v.Elem(), out)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			out = positions(v.Index(i), out)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(policy.Position{}) {
			return append(out, v.Interface().(policy.Position))
		}
		// the positions a part gives by its methods (a statement's Start
		// and End, an element's, a value's or a clause's Pos, OpPos)
		w := v
		if v.CanAddr() {
			w = v.Addr()
		}
		for _, name := range []string{"Start", "End", "Pos", "OpPos"} {
			if m := w.MethodByName(name); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 && m.Type().Out(0) == reflect.TypeOf(policy.Position{}) {
				out = append(out, m.Call(nil)[0].Interface().(policy.Position))
			}
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				out = positions(v.Field(i), out)
			}
		}
	}
	return out
}

// TestStatementShare: the documents parsed with one StatementShare hold
// one statement for each text, place and Version, which parses as each
// document's own would but for positions; a statement two documents hold
// has none of its own (every Position it holds is the zero one) and
// Braces places it in each document as a parse without the table does; a
// statement one document holds keeps its positions; statements a byte,
// a place or a Version apart are each their own; StatementText is each
// document's.
func TestStatementShare(t *testing.T) {
	file, offs, lens := shareFile(t, shareDocs)
	idx := policy.NewLineIndex("dump.json", file)
	var share policy.StatementShare
	own := make([]*policy.Policy, len(shareDocs))
	got := make([]*policy.Policy, len(shareDocs))
	for i := range shareDocs {
		var err error
		if own[i], err = policy.ParseSpanIndexWith(idx, file, offs[i], lens[i], policy.SpanOptions{Valid: true, Compact: true}); err != nil {
			t.Fatal(err)
		}
		if got[i], err = policy.ParseSpanIndexWith(idx, file, offs[i], lens[i], policy.SpanOptions{Valid: true, Compact: true, Share: &share}); err != nil {
			t.Fatal(err)
		}
	}
	holders := map[*policy.Statement]int{}
	// the documents that hold each element
	lists := map[*policy.List]map[int]bool{}
	for i, p := range got {
		for _, st := range p.Statements {
			holders[st]++
			for _, l := range []*policy.List{st.Action, st.Resource} {
				if lists[l] == nil {
					lists[l] = map[int]bool{}
				}
				lists[l][i] = true
			}
		}
	}
	// 11 places: alice's and bob's List statement is one, and so are the
	// two All statements
	if len(holders) != 9 {
		t.Errorf("%d statements for 11 places, want 9", len(holders))
	}
	for i, p := range got {
		q := own[i]
		if len(p.Statements) != len(q.Statements) {
			t.Fatalf("doc %d: %d statements, want %d", i, len(p.Statements), len(q.Statements))
		}
		for k, st := range p.Statements {
			want := q.Statements[k]
			start, end := p.Braces(st)
			if start != want.Start() || end != want.End() || !start.IsValid() {
				t.Errorf("doc %d statement %d: Braces %v-%v, want %v-%v", i, k, start, end, want.Start(), want.End())
			}
			if !bytes.Equal(p.StatementText(st), q.StatementText(want)) {
				t.Errorf("doc %d statement %d: text %s, want %s", i, k, p.StatementText(st), q.StatementText(want))
			}
			ps := positions(reflect.ValueOf(st), nil)
			if len(ps) < 4 {
				t.Fatalf("doc %d statement %d: %d positions found", i, k, len(ps))
			}
			if holders[st] == 1 {
				// its own but for the elements other documents hold too,
				// which have no positions
				for _, e := range []struct {
					name      string
					got, want *policy.List
				}{{"Action", st.Action, want.Action}, {"Resource", st.Resource, want.Resource}} {
					if len(lists[e.got]) == 1 {
						if !reflect.DeepEqual(e.got, e.want) {
							t.Errorf("doc %d statement %d, %s held once: %+v, want %+v", i, k, e.name, e.got, e.want)
						}
						continue
					}
					for _, pos := range positions(reflect.ValueOf(e.got), nil) {
						if pos != (policy.Position{}) {
							t.Errorf("doc %d statement %d, %s shared: holds position %v", i, k, e.name, pos)
						}
					}
					if g, w := listJSON(t, e.got), listJSON(t, e.want); g != w {
						t.Errorf("doc %d statement %d, %s shared: %s, want %s", i, k, e.name, g, w)
					}
				}
				c, w := *st, *want
				c.Action, c.Resource, w.Action, w.Resource = nil, nil, nil, nil
				if !reflect.DeepEqual(c, w) {
					t.Errorf("doc %d statement %d, held once: %+v, want %+v", i, k, c, w)
				}
				continue
			}
			for _, pos := range ps {
				if pos != (policy.Position{}) {
					t.Errorf("doc %d statement %d, shared: holds position %v", i, k, pos)
				}
			}
			// but for positions, its own
			if got, wantText := stmtJSON(t, st), stmtJSON(t, want); got != wantText {
				t.Errorf("doc %d statement %d, shared: %s, want %s", i, k, got, wantText)
			}
		}
	}
	if p0, p1 := got[0].Statements[1], got[1].Statements[1]; p0 != p1 {
		t.Errorf("alice's and bob's List statements are not shared")
	}
	if got[0].Statements[1] == got[2].Statements[0] || got[0].Statements[1] == got[3].Statements[1] || got[0].Statements[1] == got[4].Statements[1] {
		t.Errorf("a statement at another place, under another Version or a byte apart is shared")
	}
	// alice's, bob's and dave's home statements name their own prefixes
	// but list the same action at the same place; dave's list statement
	// is a byte apart from alice's but its elements are alike
	home := got[0].Statements[0].Action
	if got[1].Statements[0].Action != home || got[4].Statements[0].Action != home {
		t.Errorf("the home statements' Action elements are not shared")
	}
	if got[4].Statements[1].Action != got[0].Statements[1].Action || got[4].Statements[1].Resource != got[0].Statements[1].Resource {
		t.Errorf("the elements of a statement a byte apart are not shared")
	}
	// the same text elsewhere, or under another Version, is not
	if got[3].Statements[0].Action == home || got[3].Statements[1].Action == got[0].Statements[1].Action {
		t.Errorf("an element under another Version is shared")
	}
	if got[2].Statements[0].Action == got[0].Statements[1].Action || got[2].Statements[0].Resource == got[0].Statements[1].Resource {
		t.Errorf("an element at another path is shared")
	}
	if len(lists) != 14 {
		t.Errorf("%d elements for 22 places, want 14", len(lists))
	}
}

// listJSON is l as JSON without its positions.
func listJSON(t *testing.T, l *policy.List) string {
	t.Helper()
	return stmtJSON(t, &policy.Statement{Action: l})
}

// stmtJSON is st as JSON without its positions.
func stmtJSON(t *testing.T, st *policy.Statement) string {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var strip func(any) any
	strip = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if k == "Start" || k == "End" || k == "Pos" || k == "OpPos" {
					delete(x, k)
					continue
				}
				x[k] = strip(e)
			}
		case []any:
			for i := range x {
				x[i] = strip(x[i])
			}
		}
		return v
	}
	b, _ = json.Marshal(strip(v))
	return string(b)
}

// TestStatementShareErrors: a statement or element whose parsing reports
// an error is never shared: each document that holds it reports it, at its
// own place.
func TestStatementShareErrors(t *testing.T) {
	for _, bad := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}`,
		// in an element of statements otherwise apart
		`{"Version":"2012-10-17","Statement":[{"Sid":"A%d","Effect":"Allow","Action":["s3:GetObject","s3GetObject"],"Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Sid":"A%d","Effect":"Allow","Action":"s3:GetObject","Resource":["*",""]}]}`,
	} {
		docs := []string{fmt.Sprintf(bad, 1), fmt.Sprintf(bad, 2), fmt.Sprintf(bad, 3)}
		if !strings.Contains(bad, "%d") {
			docs = []string{bad, bad, bad}
		}
		file, offs, lens := shareFile(t, docs)
		idx := policy.NewLineIndex("dump.json", file)
		var share policy.StatementShare
		var said []string
		for i := range offs {
			_, err := policy.ParseSpanIndexWith(idx, file, offs[i], lens[i], policy.SpanOptions{Valid: true, Compact: true, Share: &share})
			_, own := policy.ParseSpanIndexWith(idx, file, offs[i], lens[i], policy.SpanOptions{Valid: true, Compact: true})
			if err == nil || own == nil || err.Error() != own.Error() {
				t.Fatalf("%s: doc %d: error %v, want %v", bad, i, err, own)
			}
			said = append(said, err.Error())
		}
		if said[0] == said[1] || said[1] == said[2] {
			t.Errorf("%s: the documents' errors are not each at its own place: %q", bad, said)
		}
	}
}

// TestStatementShareConcurrent: documents parsed on many goroutines with
// one table share as when parsed one after another: every statement two
// documents hold is one, without positions, whichever parsed first.
func TestStatementShareConcurrent(t *testing.T) {
	var docs []string
	for range 40 {
		docs = append(docs, shareDocs...)
	}
	file, offs, lens := shareFile(t, docs)
	idx := policy.NewLineIndex("dump.json", file)
	var share policy.StatementShare
	got := make([]*policy.Policy, len(docs))
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(docs); i += 8 {
				p, err := policy.ParseSpanIndexWith(idx, file, offs[i], lens[i], policy.SpanOptions{Valid: true, Compact: true, Share: &share})
				if err != nil {
					t.Error(err)
					return
				}
				got[i] = p
			}
		}()
	}
	wg.Wait()
	distinct := map[*policy.Statement]bool{}
	for i, p := range got {
		for k, st := range p.Statements {
			distinct[st] = true
			if st != got[i%len(shareDocs)].Statements[k] {
				t.Fatalf("doc %d statement %d is not shared with its copy", i, k)
			}
			if st.Start().IsValid() {
				t.Errorf("doc %d statement %d, held %d times, has positions", i, k, len(docs)/len(shareDocs))
			}
			if start, _ := p.Braces(st); !start.IsValid() || start.Offset < offs[i] || start.Offset >= offs[i]+lens[i] {
				t.Errorf("doc %d statement %d: Braces %v, not in the document", i, k, start)
			}
		}
	}
	if len(distinct) != 9 {
		t.Errorf("%d statements, want 9 (11 places, two pairs alike)", len(distinct))
	}
}

// TestStatementShareDocuments: documents of the same compacted text (the
// same policy given to several users, laid out at other depths) share
// their Source and statement list, each keeping its own braces and places
// in the file; documents a byte apart keep their own, and documents that
// report an error are errors still.
func TestStatementShareDocuments(t *testing.T) {
	same := `{"Version":"2012-10-17","Id":"copy","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`
	apart := strings.Replace(same, `"A"`, `"B"`, 1)
	bad := strings.Replace(same, `"Deny"`, `"deny"`, 1)
	docs := []string{same, apart, same, bad, same, bad}
	file, offs, lens := shareFile(t, docs)
	idx := policy.NewLineIndex("dump.json", file)
	var share policy.StatementShare
	got := make([]*policy.Policy, len(docs))
	for i := range docs {
		own, ownErr := policy.ParseSpanIndexWith(idx, file, offs[i], lens[i], policy.SpanOptions{Valid: true, Compact: true})
		p, err := policy.ParseSpanIndexWith(idx, file, offs[i], lens[i], policy.SpanOptions{Valid: true, Compact: true, Share: &share})
		if (err == nil) != (ownErr == nil) {
			t.Fatalf("doc %d: %v, want %v", i, err, ownErr)
		}
		if err != nil {
			continue
		}
		got[i] = p
		if p.Start() != own.Start() || p.End() != own.End() || p.Version != own.Version || p.ID != own.ID || !bytes.Equal(p.Source, own.Source) {
			t.Errorf("doc %d: %v-%v %q %q %s, want %v-%v %q %q %s", i, p.Start(), p.End(), p.Version, p.ID, p.Source, own.Start(), own.End(), own.Version, own.ID, own.Source)
		}
		for k, st := range p.Statements {
			if start, end := p.Braces(st); start != own.Statements[k].Start() || end != own.Statements[k].End() {
				t.Errorf("doc %d statement %d at %v-%v, want %v-%v", i, k, start, end, own.Statements[k].Start(), own.Statements[k].End())
			}
			if !bytes.Equal(p.StatementText(st), own.StatementText(own.Statements[k])) {
				t.Errorf("doc %d statement %d: text %s, want %s", i, k, p.StatementText(st), own.StatementText(own.Statements[k]))
			}
		}
	}
	sameSource := func(a, b *policy.Policy) bool { return &a.Source[0] == &b.Source[0] }
	if !sameSource(got[0], got[2]) || !sameSource(got[0], got[4]) || &got[0].Statements[0] != &got[2].Statements[0] {
		t.Errorf("copies of one document do not share their Source and statements")
	}
	if sameSource(got[0], got[1]) {
		t.Errorf("documents a byte apart share their Source")
	}
	if got[3] != nil || got[5] != nil {
		t.Fatalf("a document with an error parsed")
	}
}
