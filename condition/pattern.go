package condition

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/iameval/iameval/request"
)

// A Pattern is a compiled wildcard pattern, the one matcher behind Action,
// NotAction, Resource, NotResource, StringLike, StringNotLike and the ARN
// operators, and (with wildcards off) behind the exact string operators.
//
// With wildcards on, '*' matches any run of characters, including none and
// including '/' and ':', and '?' matches exactly one character (one UTF-8
// encoded rune). With variables on, "${key}" is replaced by the request's
// value of the single-valued key, "${key, 'default'}" falls back to default,
// and "${*}", "${?}" and "${$}" stand for a literal '*', '?' and '$'.
// Substituted text is always literal: a '*' in a tag value is no wildcard.
//
// Matching never recurses and never backtracks more than one star: the text
// between stars is matched leftmost-first, the last part is anchored at the
// end, so the cost is at most proportional to len(s) times the length of the
// longest star-free part of the pattern.
//
// The zero Pattern matches only the empty string. A Pattern is immutable and
// safe for concurrent use.
type Pattern struct {
	text    string    // source text
	lit     string    // the literal text, when exact
	segs    []segment // the parts between stars; len(segs) = stars + 1
	exact   bool      // no star, no '?', no variable: compare text directly
	hasVars bool
}

type segment []atom

type atomKind uint8

const (
	atomLit atomKind = iota // literal text
	atomOne                 // '?': one rune
	atomVar                 // ${key} or ${key, 'default'}
)

type atom struct {
	kind   atomKind
	text   string // literal text, or the variable's key
	def    string // default value
	hasDef bool
}

// PatternOptions say which special forms a pattern recognises.
type PatternOptions struct {
	Wildcards bool // '*' and '?' are wildcards
	Variables bool // "${...}" is a policy variable
}

// CompilePattern compiles s. Text that looks like a variable but is not well
// formed (no closing brace, an empty name) is kept as literal text.
func CompilePattern(s string, opt PatternOptions) Pattern {
	p := Pattern{text: s}
	var cur segment
	lit := strings.Builder{}
	flush := func() {
		if lit.Len() > 0 {
			cur = append(cur, atom{kind: atomLit, text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case opt.Wildcards && c == '*':
			flush()
			p.segs = append(p.segs, cur)
			cur = nil
			i++
			continue
		case opt.Wildcards && c == '?':
			flush()
			cur = append(cur, atom{kind: atomOne})
			i++
			continue
		case opt.Variables && c == '$' && i+1 < len(s) && s[i+1] == '{':
			if a, n, ok := parseVariable(s[i:]); ok {
				if a.kind == atomLit {
					lit.WriteString(a.text)
				} else {
					flush()
					cur = append(cur, a)
					p.hasVars = true
				}
				i += n
				continue
			}
		}
		lit.WriteByte(c)
		i++
	}
	flush()
	p.segs = append(p.segs, cur)
	if len(p.segs) == 1 && !p.hasVars {
		p.exact = true
		for _, a := range p.segs[0] {
			if a.kind != atomLit {
				p.exact = false
			}
		}
		if p.exact {
			// literal text without the ${*} escapes
			for _, a := range p.segs[0] {
				p.lit += a.text
			}
		}
	}
	return p
}

// parseVariable reads "${...}" at the start of s. It returns a literal atom
// for ${*}, ${?} and ${$}, and the length consumed.
func parseVariable(s string) (atom, int, bool) {
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return atom{}, 0, false
	}
	body := s[2:end]
	switch body {
	case "*", "?", "$":
		return atom{kind: atomLit, text: body}, end + 1, true
	}
	name, def, hasDef := body, "", false
	if i := strings.Index(body, ", '"); i >= 0 {
		if !strings.HasSuffix(body, "'") || len(body) < i+4 {
			return atom{}, 0, false
		}
		name, def, hasDef = body[:i], body[i+3:len(body)-1], true
	}
	if name == "" || strings.ContainsAny(name, " ,'${") {
		return atom{}, 0, false
	}
	return atom{kind: atomVar, text: name, def: def, hasDef: hasDef}, end + 1, true
}

// String returns the pattern's source text.
func (p *Pattern) String() string { return p.text }

// Render returns a text the pattern matches: its literal parts, each '*' and
// '?' as itself (a star matches itself, a '?' any one character), and each
// policy variable replaced by its value in ctx or else its default. missing
// lists the variables that ctx cannot resolve and that have no default;
// when it is not empty the text is not a match.
func (p *Pattern) Render(ctx *request.Context) (text string, missing []string) {
	var b strings.Builder
	for i, seg := range p.segs {
		if i > 0 {
			b.WriteByte('*')
		}
		for k := range seg {
			a := &seg[k]
			switch a.kind {
			case atomLit:
				b.WriteString(a.text)
			case atomOne:
				b.WriteByte('?')
			case atomVar:
				v, ok := resolve(a, ctx)
				if !ok {
					missing = append(missing, a.text)
				}
				b.WriteString(v)
			}
		}
	}
	return b.String(), missing
}

// Wildcards returns the number of wildcards ('*' and '?') of the pattern:
// not the literal characters of an escape (${*}, ${?}) or of a variable's
// default value.
func (p *Pattern) Wildcards() int {
	n := len(p.segs) - 1
	for _, seg := range p.segs {
		for _, a := range seg {
			if a.kind == atomOne {
				n++
			}
		}
	}
	return n
}

// IsLiteral reports whether the pattern has no wildcard and no variable.
func (p *Pattern) IsLiteral() bool { return p.exact }

// MatchAll reports whether the pattern is a lone "*".
func (p *Pattern) MatchAll() bool {
	return len(p.segs) == 2 && len(p.segs[0]) == 0 && len(p.segs[1]) == 0
}

// Variables returns the keys of the policy variables in the pattern.
func (p *Pattern) Variables() []string {
	var out []string
	for _, s := range p.segs {
		for _, a := range s {
			if a.kind == atomVar {
				out = append(out, a.text)
			}
		}
	}
	return out
}

// EachVariable calls yield with the key of each policy variable of the
// pattern, in order, until yield returns false, and reports whether every
// call returned true. It allocates nothing: Variables for a caller that
// only checks them.
func (p *Pattern) EachVariable(yield func(key string) bool) bool {
	for _, s := range p.segs {
		for _, a := range s {
			if a.kind == atomVar && !yield(a.text) {
				return false
			}
		}
	}
	return true
}

// Match reports whether s matches the pattern. fold makes the comparison
// ignore letter case (simple Unicode lower-casing). ctx resolves policy
// variables and may be nil when the pattern has none; a variable that cannot
// be resolved makes the pattern match nothing.
func (p *Pattern) Match(s string, fold bool, ctx *request.Context) bool {
	if p.exact {
		if fold {
			n, ok := foldPrefix(s, p.lit)
			return ok && n == len(s)
		}
		return s == p.lit
	}
	segs := p.segs
	if len(segs) == 0 {
		return s == ""
	}
	pos, ok := matchAt(segs[0], s, 0, fold, ctx)
	if !ok {
		return false
	}
	if len(segs) == 1 {
		return pos == len(s)
	}
	last := len(segs) - 1
	start, ok := matchBack(segs[last], s, len(s), fold, ctx)
	if !ok || start < pos {
		return false
	}
	for k := 1; k < last; k++ {
		seg := segs[k]
		if len(seg) == 0 {
			continue
		}
		found := false
		for i := pos; i <= start; {
			if !fold && seg[0].kind == atomLit {
				j := strings.Index(s[i:start], seg[0].text)
				if j < 0 {
					return false
				}
				i += j
			}
			if end, ok := matchAt(seg, s, i, fold, ctx); ok && end <= start {
				pos, found = end, true
				break
			}
			if i == len(s) {
				break
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
		if !found {
			return false
		}
	}
	return true
}

// resolve returns the text of a variable atom.
func resolve(a *atom, ctx *request.Context) (string, bool) {
	if ctx != nil {
		if k, ok := ctx.Lookup(a.text); ok && !k.Multivalued() && len(k.Values) == 1 {
			return k.Values[0].String(), true
		}
	}
	if a.hasDef {
		return a.def, true
	}
	return "", false
}

// matchAt matches seg against s starting at i and returns where it ends.
func matchAt(seg segment, s string, i int, fold bool, ctx *request.Context) (int, bool) {
	for k := range seg {
		a := &seg[k]
		switch a.kind {
		case atomOne:
			if i >= len(s) {
				return 0, false
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		default:
			text := a.text
			if a.kind == atomVar {
				var ok bool
				if text, ok = resolve(a, ctx); !ok {
					return 0, false
				}
			}
			if fold {
				n, ok := foldPrefix(s[i:], text)
				if !ok {
					return 0, false
				}
				i += n
			} else {
				if !strings.HasPrefix(s[i:], text) {
					return 0, false
				}
				i += len(text)
			}
		}
	}
	return i, true
}

// matchBack matches seg against s so that it ends at end, and returns where
// it starts.
func matchBack(seg segment, s string, end int, fold bool, ctx *request.Context) (int, bool) {
	for k := len(seg) - 1; k >= 0; k-- {
		a := &seg[k]
		switch a.kind {
		case atomOne:
			if end <= 0 {
				return 0, false
			}
			_, n := utf8.DecodeLastRuneInString(s[:end])
			end -= n
		default:
			text := a.text
			if a.kind == atomVar {
				var ok bool
				if text, ok = resolve(a, ctx); !ok {
					return 0, false
				}
			}
			if fold {
				n, ok := foldSuffix(s[:end], text)
				if !ok {
					return 0, false
				}
				end -= n
			} else {
				if !strings.HasSuffix(s[:end], text) {
					return 0, false
				}
				end -= len(text)
			}
		}
	}
	return end, true
}

func lower(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// foldPrefix reports whether s starts with prefix, ignoring case, and how
// many bytes of s the prefix covers.
func foldPrefix(s, prefix string) (int, bool) {
	// ASCII fast path: compare bytes while both sides are ASCII.
	i := 0
	for i < len(prefix) && i < len(s) {
		a, b := s[i], prefix[i]
		if a >= utf8.RuneSelf || b >= utf8.RuneSelf {
			break
		}
		if a != b {
			if 'A' <= a && a <= 'Z' {
				a += 'a' - 'A'
			}
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			if a != b {
				return 0, false
			}
		}
		i++
	}
	if i == len(prefix) {
		return i, true
	}
	if i == len(s) {
		return 0, false
	}
	n, ok := foldPrefixRunes(s[i:], prefix[i:])
	return i + n, ok
}

func foldPrefixRunes(s, prefix string) (int, bool) {
	i := 0
	for _, pr := range prefix {
		if i >= len(s) {
			return 0, false
		}
		sr, n := utf8.DecodeRuneInString(s[i:])
		if sr != pr && lower(sr) != lower(pr) {
			return 0, false
		}
		i += n
	}
	return i, true
}

// foldSuffix reports whether s ends with suffix, ignoring case, and how many
// bytes of s the suffix covers.
func foldSuffix(s, suffix string) (int, bool) {
	end := len(s)
	for j := len(suffix); j > 0; {
		pr, pn := utf8.DecodeLastRuneInString(suffix[:j])
		j -= pn
		if end <= 0 {
			return 0, false
		}
		sr, n := utf8.DecodeLastRuneInString(s[:end])
		if sr != pr && lower(sr) != lower(pr) {
			return 0, false
		}
		end -= n
	}
	return len(s) - end, true
}

// EqualFold reports whether a and b are equal under simple Unicode
// lower-casing, the comparison of StringEqualsIgnoreCase and of action names.
func EqualFold(a, b string) bool {
	n, ok := foldPrefix(a, b)
	return ok && n == len(a)
}
