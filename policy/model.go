package policy

import (
	"github.com/iameval/iameval/condition"
)

// Versions of the policy language.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Effect is a statement's Effect: Allow or Deny.
type Effect uint8

// The two effects. The zero value is invalid and never produced by Parse.
const (
	Allow Effect = iota + 1
	Deny
)

// String returns "Allow" or "Deny".
func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Effect(?)"
}

// Policy is a parsed policy document. It is not modified after Parse and is
// safe for concurrent reads.
type Policy struct {
	// Name identifies the policy in errors and decisions (a file name, or
	// "PolicyInputList.1").
	Name string
	// Version is the Version element, or "" when absent.
	Version string
	// ID is the Id element, or "".
	ID string
	// Statements in document order. A Statement given as a single object
	// yields one statement.
	Statements []*Statement
	// Source is the document as parsed: the policy's own copy, which the
	// texts of its statements share; without the white space between its
	// JSON tokens when parsed with SpanOptions.Compact. Documents of the
	// same compacted text parsed with one StatementShare share it, and
	// their Statements list. Neither must be modified.
	Source []byte

	index *LineIndex // the lines of the file Source was read from
	base  int        // Source's offset in that file
	// start and end are where the document's opening and closing braces
	// are in that file, as offsets from base (Start, End): a document of
	// an account dump is one of tens of thousands, each of which would
	// keep two Positions of 40 bytes
	start, end uint32
	// compact says Source is the document compacted (SpanOptions.Compact):
	// spans are then each statement's start and end in Source, removed the
	// bytes of white space left out
	compact bool
	// placed says marks begins with each statement's opening and closing
	// braces as offsets of the file (a compacted document parsed with a
	// StatementShare): Braces places a statement that has no positions of
	// its own. The rest of marks, when Source holds a character
	// CheckLimits reports, is the map of its offsets to the file's
	// (compacted.gaps). One list, not two: a document of an account dump
	// is one of tens of thousands.
	placed  bool
	removed uint32
	spans   []int32
	marks   []uint32
}

// braces are the offsets of each statement's braces in the file, or nil
// (placed).
func (p *Policy) braces() []uint32 {
	if !p.placed {
		return nil
	}
	return p.marks[:2*len(p.Statements)]
}

// gaps are the map of Source's offsets to the file's, or nil (placed).
func (p *Policy) gaps() []uint32 {
	if p.placed {
		return p.marks[2*len(p.Statements):]
	}
	return p.marks
}

// setMarks keeps braces, when there is a pair for each statement, and gaps.
func (p *Policy) setMarks(braces, gaps []uint32) {
	p.placed = braces != nil && len(braces) == 2*len(p.Statements)
	if !p.placed {
		braces = nil
	}
	p.marks = append(braces, gaps...)
	if len(p.marks) == 0 {
		p.marks = nil
	}
}

// Start is the position of the document's opening brace in the file it
// was parsed from; the zero Position for a policy not parsed.
func (p *Policy) Start() Position { return p.at(p.start) }

// End is the position of the document's closing brace; the zero Position
// for a policy not parsed.
func (p *Policy) End() Position { return p.at(p.end) }

// Filename is the name of the file the policy was parsed from, as Start
// gives it, without finding a line; "" for a policy not parsed.
func (p *Policy) Filename() string {
	if p.index == nil {
		return ""
	}
	return p.index.name
}

// BraceOffsets are the byte offsets in that file of the document's opening
// and closing braces, as Start and End give them, without finding their
// lines; 0 and 0 for a policy not parsed.
func (p *Policy) BraceOffsets() (start, end int) {
	if p.index == nil {
		return 0, 0
	}
	return p.index.clamp(p.base + int(p.start)), p.index.clamp(p.base + int(p.end))
}

func (p *Policy) at(off uint32) Position {
	if p.index == nil {
		return Position{}
	}
	return p.index.Position(p.base + int(off))
}

// VariablesEnabled reports whether policy variables are substituted: only
// under Version 2012-10-17. Under 2008-10-17 or without a Version, "${...}"
// is literal text.
func (p *Policy) VariablesEnabled() bool { return p.Version == Version2012 }

// Statement is one statement of a policy.
type Statement struct {
	// Index is the statement's 0-based place in the policy.
	Index int
	Sid   string
	// HasSid reports whether a Sid element was present (it may be "").
	HasSid bool
	Effect Effect
	// sidAt is the file offset of the Sid's value plus one (0: not known),
	// for Check's errors about it; in the padding after Effect
	sidAt uint32
	// Principal is the Principal or NotPrincipal element, or nil.
	Principal *Principal
	// Action is the Action or NotAction element. Parse guarantees it is set.
	Action *List
	// Resource is the Resource or NotResource element, or nil when absent
	// (legal in resource-based policies, where the statement then applies
	// to the resource the policy is attached to).
	Resource *List
	// Conditions are the Condition element's clauses, one per operator and
	// key, in document order.
	Conditions []*Clause
	// start and end are the file offsets of the statement's braces plus
	// one (0: not known), in the file index indexes: read by Start and
	// End, they take 16 bytes where two Positions took 80 (an account
	// dump's statements are tens of thousands)
	start, end uint32
	index      *LineIndex
	// Path is the statement's JSON path, such as $.Statement[2].
	Path string
}

// Start is the position of the statement's opening brace, as the policy
// simulator reports it; the zero Position when the statement has none of
// its own: one several documents share (StatementShare), which
// Policy.Braces places in each, or one not parsed.
func (s *Statement) Start() Position { return s.at(s.start) }

// End is the position of the statement's closing brace, or the zero
// Position (see Start).
func (s *Statement) End() Position { return s.at(s.end) }

func (s *Statement) at(off uint32) Position {
	if off == 0 || s.index == nil {
		return Position{}
	}
	return s.index.Position(int(off) - 1)
}

// placeAt records the file offsets of the braces of s, a statement of the
// file idx indexes; an offset past 4 GiB is not known.
func (s *Statement) placeAt(idx *LineIndex, start, end int) {
	s.index, s.start, s.end = idx, 0, 0
	if start >= 0 && end >= start && end < 1<<32-1 {
		s.start, s.end = uint32(start)+1, uint32(end)+1
	}
}

// List is an Action, NotAction, Resource or NotResource element.
type List struct {
	// Not is true for NotAction and NotResource.
	Not    bool
	Values []Value
	// where the element's name is (Pos)
	place
}

// Pos is the position of the element's name; the zero Position when not
// known (a statement several documents share has none: StatementShare).
func (l *List) Pos() Position { return l.place.position() }

// Match reports whether some value of the list, read as a wildcard pattern
// ('*' any run, '?' one character), matches s; fold compares letters
// case-insensitively (as for actions). Not is not applied. It reads the
// patterns on each call (condition.MatchWildcard), allocating nothing: it
// is meant for analyses, not for deciding requests (the evaluator compiles
// once).
func (l *List) Match(s string, fold bool) bool {
	if l == nil {
		return false
	}
	for _, v := range l.Values {
		if condition.MatchWildcard(v.Text, s, fold) {
			return true
		}
	}
	return false
}

// Covers reports whether the element covers s: some value matches it, or,
// for NotAction and NotResource, none does. A nil list covers nothing.
func (l *List) Covers(s string, fold bool) bool {
	if l == nil {
		return false
	}
	return l.Match(s, fold) != l.Not
}

// Value is one string of a policy, with its position (Pos) and JSON path.
type Value struct {
	Text string
	Path string
	place
}

// Pos is the position of the value; the zero Position when not known.
func (v Value) Pos() Position { return v.place.position() }

// place is where a part of a policy is in the file it was parsed from: the
// file's index and an offset there plus one (0: not known). A policy's
// values, elements and clauses are the most numerous objects an account
// dump makes, and a place takes 16 bytes of each where a Position took 40.
type place struct {
	index *LineIndex
	at    uint32
}

// placeOf is the place of file offset off in the file idx indexes; an
// offset past 4 GiB is not known.
func placeOf(idx *LineIndex, off int) place {
	if idx == nil || off < 0 || off >= 1<<32-1 {
		return place{}
	}
	return place{idx, uint32(off) + 1}
}

func (p place) position() Position {
	if p.at == 0 || p.index == nil {
		return Position{}
	}
	return p.index.Position(int(p.at) - 1)
}

// Principal is a Principal or NotPrincipal element.
type Principal struct {
	// Not is true for NotPrincipal.
	Not bool
	// Any is true for the string form "*".
	Any bool
	// Entries are the values of the object form, such as {"AWS": [...]}.
	Entries []PrincipalEntry
	// where the element's name is (Pos)
	place
}

// Pos is the position of the element's name; the zero Position when not
// known.
func (pr *Principal) Pos() Position { return pr.place.position() }

// PrincipalEntry is one principal of the object form.
type PrincipalEntry struct {
	// Type is "AWS", "Service", "Federated" or "CanonicalUser".
	Type string
	Value
}

// Clause is one operator and key of a Condition element, with the values
// listed for that key.
type Clause struct {
	// Operator is the operator as written, Op as parsed.
	Operator string
	Op       condition.Operator
	Key      string
	Values   []Value
	// Cond is the compiled clause.
	Cond *condition.Condition
	Path string
	// where the key is (Pos), and opAt the operator's offset plus one
	place
	opAt uint32
}

// Pos is the position of the clause's key; the zero Position when not
// known.
func (c *Clause) Pos() Position { return c.place.position() }

// OpPos is the position of the clause's operator; the zero Position when
// not known.
func (c *Clause) OpPos() Position { return place{c.index, c.opAt}.position() }

// Braces returns the positions of the opening and closing braces of s, a
// statement of p: s.Start() and s.End(), or, for a statement several
// documents share (StatementShare), which has none of its own, where it
// stands in p, which p keeps for each of its statements when compacted.
// Both are the zero Position when neither is known (s is not p's).
func (p *Policy) Braces(s *Statement) (start, end Position) {
	if s.start != 0 || p.index == nil {
		return s.Start(), s.End()
	}
	i := s.Index
	braces := p.braces()
	if i < 0 || i >= len(p.Statements) || p.Statements[i] != s || 2*i+1 >= len(braces) {
		return s.Start(), s.End()
	}
	return p.index.Position(int(braces[2*i])), p.index.Position(int(braces[2*i+1]))
}

// StatementText returns the text of s, a statement of p, as p's Source
// holds it (from its opening to its closing brace), or nil when s's
// positions do not lie in Source (a policy built rather than parsed).
// Two statements of the same text in documents of the same Version parse
// alike.
func (p *Policy) StatementText(s *Statement) []byte {
	if p.compact {
		// by the statement's place: a statement of another policy has
		// none here
		i := s.Index
		if i < 0 || i >= len(p.Statements) || p.Statements[i] != s || 2*i+1 >= len(p.spans) {
			return nil
		}
		return p.Source[p.spans[2*i]:p.spans[2*i+1]]
	}
	if s.start == 0 || s.end == 0 || s.index != p.index {
		return nil
	}
	from, to := int(s.start)-1-p.base, int(s.end)-1-p.base+1
	if from < 0 || to > len(p.Source) || from >= to || p.Source[from] != '{' || p.Source[to-1] != '}' {
		return nil
	}
	return p.Source[from:to]
}
