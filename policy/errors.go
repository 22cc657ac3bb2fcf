package policy

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iameval/iameval/condition"
)

// Position is a place in a policy document, in the manner of go/token: Offset
// is a 0-based byte offset, Line and Column are 1-based (Column counts
// bytes). A Position with Line 0 is unknown.
type Position struct {
	Filename string
	Offset   int
	Line     int
	Column   int
}

// withMore returns l, the first MaxErrors errors found, and when more
// were not listed, one last error that counts them (CodeTooManyErrors, at
// the last one listed).
func (l ErrorList) withMore(more int) ErrorList {
	if more <= 0 || len(l) == 0 {
		return l
	}
	return append(l, &Error{Pos: l[len(l)-1].Pos, Code: CodeTooManyErrors, Path: "$", NotListed: more,
		Msg: fmt.Sprintf("%d more errors are not listed (at most %d are; the first found)", more, MaxErrors)})
}

// IsValid reports whether the position is known.
func (p Position) IsValid() bool { return p.Line > 0 }

// String returns "file:line:col", "line:col" without a file name, or the
// file name alone (or "-") when the position is unknown.
func (p Position) String() string {
	s := p.Filename
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Error codes. They are stable: tools and tests match on them, while the
// messages may improve.
const (
	CodeInvalidJSON        = "invalid_json"
	CodeInvalidUTF8        = "invalid_utf8"
	CodeWrongType          = "wrong_type"
	CodeDuplicateKey       = "duplicate_key"
	CodeUnknownElement     = "unknown_element"
	CodeBadVersion         = "bad_version"
	CodeMissingStatement   = "missing_statement"
	CodeEmptyStatement     = "empty_statement"
	CodeMissingEffect      = "missing_effect"
	CodeBadEffect          = "bad_effect"
	CodeMissingAction      = "missing_action"
	CodeEmptyAction        = "empty_action"
	CodeBadAction          = "bad_action"
	CodeConflict           = "conflicting_elements"
	CodeMissingResource    = "missing_resource"
	CodeEmptyResource      = "empty_resource"
	CodeBadResource        = "bad_resource"
	CodeMissingPrincipal   = "missing_principal"
	CodeBadPrincipal       = "bad_principal"
	CodeElementNotAllowed  = "element_not_allowed"
	CodeBadSid             = "bad_sid"
	CodeDuplicateSid       = "duplicate_sid"
	CodeDuplicateCondKey   = "duplicate_condition_key"
	CodeEmptyConditionKey  = "empty_condition_key"
	CodeSizeLimit          = "size_limit"
	CodeBadCharacter       = "bad_character"
	CodeVersionRequired    = "version_required"
	CodeTooManyErrors      = "too_many_errors"        // the count of the errors beyond MaxErrors
	CodeRCPAllow           = "rcp_allow"              // an Allow statement in an RCP other than RCPFullAWSAccess
	CodeRCPPrincipal       = "rcp_principal"          // an RCP Principal other than "*"
	CodeRCPAction          = "rcp_action"             // an RCP action that names no service ("*", "*:Get*")
	CodeUnknownOperator    = "unknown_operator"       // from package condition
	CodeNullIfExists       = "null_ifexists"          // from package condition
	CodeBadNumericValue    = "bad_numeric_value"      // from package condition
	CodeBadDateValue       = "bad_date_value"         // from package condition
	CodeBadIPValue         = "bad_ip_value"           // from package condition
	CodeBadBoolValue       = "bad_bool_value"         // from package condition
	CodeBadBinaryValue     = "bad_binary_value"       // from package condition
	CodeBadNullValue       = "bad_null_value"         // from package condition
	CodeVariableNotAllowed = "variable_not_supported" // from package condition
)

// Error is one problem in a policy document: where (Pos, and Path, a JSON
// path such as $.Statement[1].Condition.Bool["aws:MultiFactorAuthPresent"]),
// a stable Code, and a message.
type Error struct {
	Pos  Position
	Code string
	Path string
	Msg  string
	// NotListed, for CodeTooManyErrors, is the number of errors it
	// stands for (MaxErrors)
	NotListed int
}

// Error returns "file:line:col: code: message (at path)".
func (e *Error) Error() string {
	s := e.Pos.String() + ": " + e.Code + ": " + e.Msg
	if e.Path != "" {
		s += " (at " + e.Path + ")"
	}
	return s
}

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, &policy.Error{Code: policy.CodeBadEffect}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrorList is a list of errors, sorted by position.
type ErrorList []*Error

// Error returns the first error and a count of the others, those not
// listed too (CodeTooManyErrors).
func (l ErrorList) Error() string {
	n := len(l)
	for _, e := range l {
		if e.Code == CodeTooManyErrors {
			n += e.NotListed - 1
		}
	}
	switch {
	case n == 0:
		return "no errors"
	case n == 1:
		return l[0].Error()
	case n == 2:
		return fmt.Sprintf("%s (and 1 more error)", l[0])
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], n-1)
}

// Err returns nil for an empty list, else the list.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the errors, so that errors.Is and errors.As see each one.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Sort orders the list by file, then offset.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
}

// String lists every error, one per line.
func (l ErrorList) String() string {
	var b strings.Builder
	for _, e := range l {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// LineIndex turns byte offsets in a file into positions. The zero value is
// not usable; call NewLineIndex. Its lines are not modified after
// NewLineIndex, and it is safe for concurrent use. The policies parsed from
// its file (ParseSpanIndex) share what they have alike through it: the
// compiled form of their identical condition clauses.
type LineIndex struct {
	// share is what the policies parsed from the file share
	share *parseShare
	name  string
	// The lines are kept in blocks of lineBlock: starts holds the offset
	// of each block's first line, and lengths the length of every line,
	// '\n' included, in a byte; a block with a line of more than 255
	// bytes (a minified document, say) keeps its lines' starts in wide
	// instead. An account dump of 60 MB has 1.5 million lines, which take
	// 1.5 MB so, not the 6 MB of four-byte offsets.
	starts  []int
	lengths []uint8
	wide    map[int][]int
	lines   int
	size    int
}

// lineBlock is how many lines a LineIndex block holds.
const lineBlock = 64

// NewLineIndex indexes the lines of data, a file called name. It takes time
// linear in len(data) and keeps about a byte per line, not data itself.
func NewLineIndex(name string, data []byte) *LineIndex {
	n := bytes.Count(data, []byte{'\n'}) + 1
	x := &LineIndex{name: name, size: len(data), share: &parseShare{}, lines: n,
		starts: make([]int, 0, (n+lineBlock-1)/lineBlock), lengths: make([]uint8, n)}
	// block holds the starts of the lines of the block being read
	block := make([]int, 0, lineBlock)
	long := false
	flush := func() {
		if long {
			if x.wide == nil {
				x.wide = map[int][]int{}
			}
			x.wide[len(x.starts)-1] = slices.Clone(block)
		}
		block, long = block[:0], false
	}
	for line, off := 0, 0; line < n; line++ {
		if line%lineBlock == 0 {
			if line > 0 {
				flush()
			}
			x.starts = append(x.starts, off)
		}
		block = append(block, off)
		end := len(data)
		if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
			end = off + i + 1
		}
		if end-off > 255 {
			long = true
		} else {
			x.lengths[line] = uint8(end - off)
		}
		off = end
	}
	flush()
	return x
}

// Position returns the position of byte offset off, clamped to the file, in
// time logarithmic in the number of lines.
func (x *LineIndex) Position(off int) Position {
	off = x.clamp(off)
	b := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off }) - 1
	line, start := b*lineBlock, x.starts[b]
	if w, ok := x.wide[b]; ok {
		k := sort.Search(len(w), func(i int) bool { return w[i] > off }) - 1
		line, start = line+k, w[k]
	} else {
		// the next line starts at or before off: off is on it or after
		for last := min(x.lines, line+lineBlock) - 1; line < last && start+int(x.lengths[line]) <= off; line++ {
			start += int(x.lengths[line])
		}
	}
	return Position{Filename: x.name, Offset: off, Line: line + 1, Column: off - start + 1}
}

// clamp is off within the file, as Position places it.
func (x *LineIndex) clamp(off int) int { return max(0, min(off, x.size)) }

// parseShare holds what the policies of one file share: the compiled
// condition of each clause (by operator, key, values and whether
// variables are read), for the many copies of one policy an account dump
// holds (a force-MFA Deny in every user's inline policies), and the JSON
// paths of their values.
type parseShare struct {
	mu    sync.Mutex
	conds map[string]*condition.Condition
	// paths holds each JSON path once ($.Statement[0].Action[1], ...)
	paths map[string]string
}

// path returns the path whose text is b, made once.
func (s *parseShare) path(b []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.paths[string(b)]; ok {
		return p
	}
	if s.paths == nil {
		s.paths = map[string]string{}
	}
	p := string(b)
	s.paths[p] = p
	return p
}

// condition returns the compiled clause under key, if any.
func (s *parseShare) condition(key []byte) *condition.Condition {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conds[string(key)]
}

// keepCondition keeps c under key.
func (s *parseShare) keepCondition(key []byte, c *condition.Condition) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conds == nil {
		s.conds = map[string]*condition.Condition{}
	}
	s.conds[string(key)] = c
}
