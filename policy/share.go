package policy

import (
	"slices"
	"strconv"
	"sync"
	"unsafe"

	"github.com/tidwall/gjson"
)

// StatementShare is a table of parsed statements shared between the
// documents parsed with it (SpanOptions.Share). The documents of an
// account dump repeat their statements: every user's copy of a force-MFA
// policy, the statements a template gives every user but for the one that
// names the user's home prefix. A statement of the same text (as the
// compacted document holds it), at the same place (Index and Path) of a
// document of the same Version, parses alike but for its positions in the
// file; it is parsed once and the documents that hold it share it.
//
// So is an Action, NotAction, Resource or NotResource element (a List) of
// the same text at the same path of a document of the same Version, in
// statements that are otherwise not alike: every user's copy of a home
// prefix statement lists the same actions, and "Resource": "*" recurs in
// thousands of statements. The element's values and their paths are the
// same; only their positions differ.
//
// Documents of the same compacted text share their Source and Statements
// list too, each keeping its own name and places in the file.
//
// A statement or element that stands at several places of the file has
// no position of its own: once a second document holds it, its Start and
// End, the Pos of its elements and of each of their values, and the place
// of its Sid are the zero Position (IsValid false), in every document that
// holds it. A statement or element no other document holds keeps its
// positions, so the result does not depend on the order the documents were
// parsed in. A statement or element whose parsing reports an error is
// never shared. The positions of parse errors are the file's, as without a
// table. Shared statements and elements must not be modified.
//
// It is safe for concurrent use: documents may be parsed on several cores.
// The zero value is ready to use.
type StatementShare struct {
	mu sync.Mutex
	m  map[string]*shareEntry
	// docs holds the first document of each compacted text, by its
	// Source (sameDocument)
	docs map[string]*Policy
}

type shareEntry struct {
	s *Statement
	// l, for an entry of an Action or NotAction element, is the element
	l *List
	// shared says a second document holds s: its positions are cleared
	shared bool
}

// appendKey appends the key of a statement of text raw at place index and
// path of a document of Version version.
func (t *StatementShare) appendKey(b []byte, version string, index int, path, raw string) []byte {
	b = append(b, version...)
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(index), 10)
	b = append(b, 0)
	b = append(b, path...)
	b = append(b, 0)
	return append(b, raw...)
}

// lookup returns the statement of key, marked shared, or nil.
func (t *StatementShare) lookup(key []byte) *Statement {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.m[string(key)]
	if e == nil {
		return nil
	}
	t.reuse(e)
	return e.s
}

// add keeps s under key and returns it; if another document's statement
// was kept under key meanwhile, it returns that one, marked shared.
func (t *StatementShare) add(key []byte, s *Statement) *Statement {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.m[string(key)]; e != nil {
		t.reuse(e)
		return e.s
	}
	if t.m == nil {
		t.m = map[string]*shareEntry{}
	}
	t.m[string(key)] = &shareEntry{s: s}
	return s
}

// reuse marks e held by a second document, clearing its positions the
// first time.
func (t *StatementShare) reuse(e *shareEntry) {
	if !e.shared {
		e.shared = true
		if e.l != nil {
			e.l.clearPositions()
		} else {
			e.s.clearPositions()
		}
	}
}

// sharedList returns the Action or NotAction element of text v at path
// that another document parsed with the table holds, marked shared, or
// nil (no table, or none).
func (p *parser) sharedList(path string, v gjson.Result) *List {
	if p.share == nil {
		return nil
	}
	p.lkey = p.share.appendKey(p.lkey[:0], p.version, -1, path, v.Raw)
	t := p.share
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.m[string(p.lkey)]
	if e == nil {
		return nil
	}
	t.reuse(e)
	return e.l
}

// shareList keeps l, the element sharedList was last asked for, in the
// table under the key sharedList made, and returns it, or the one another
// document kept meanwhile, marked shared.
func (p *parser) shareList(l *List) *List {
	if p.share == nil {
		return l
	}
	t := p.share
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.m[string(p.lkey)]; e != nil {
		t.reuse(e)
		return e.l
	}
	if t.m == nil {
		t.m = map[string]*shareEntry{}
	}
	t.m[string(p.lkey)] = &shareEntry{l: l}
	return l
}

// sameDocument makes pol, a compacted document parsed with t, share the
// Source, statement list and spans of the first document parsed with t of
// the same text, if any, whose statements are pol's (all shared: none
// reported an error): a copy of a policy given to thousands of users is
// then kept once but for its name and its places in the file. Its Version
// and ID, strings of its Source, become that document's.
func (t *StatementShare) sameDocument(pol *Policy) {
	// the key is the Source's own bytes, which are never modified
	key := unsafe.String(unsafe.SliceData(pol.Source), len(pol.Source))
	t.mu.Lock()
	defer t.mu.Unlock()
	first := t.docs[key]
	if first == nil {
		if t.docs == nil {
			t.docs = map[string]*Policy{}
		}
		t.docs[key] = pol
		return
	}
	if !slices.Equal(first.Statements, pol.Statements) {
		return
	}
	pol.Source, pol.Statements, pol.spans = first.Source, first.Statements, first.spans
	pol.Version, pol.ID = first.Version, first.ID
}

// clearPositions sets every position s holds to the zero Position.
func (s *Statement) clearPositions() {
	s.start, s.end, s.sidAt = 0, 0, 0
	if pr := s.Principal; pr != nil {
		pr.place = place{}
		for i := range pr.Entries {
			pr.Entries[i].place = place{}
		}
	}
	s.Action.clearPositions()
	s.Resource.clearPositions()
	for _, c := range s.Conditions {
		c.place, c.opAt = place{}, 0
		for i := range c.Values {
			c.Values[i].place = place{}
		}
	}
}

// clearPositions sets the positions of l and of its values to the zero
// Position; l may be nil.
func (l *List) clearPositions() {
	if l == nil {
		return
	}
	l.place = place{}
	for i := range l.Values {
		l.Values[i].place = place{}
	}
}
