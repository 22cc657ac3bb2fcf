package account

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Template classes: users whose requests differ only in their own name.
//
// An account made from templates gives each user a copy of the same inline
// policy with the user's own name written in (arn:aws:s3:::home/alice/*), or
// read through ${aws:username}. Such a statement is held by its user alone,
// so Class puts each user in a class of its own (OnlyMember) and every user
// is analysed anew. TemplateClass keys the class with the user's name
// abstracted: two users share it when their footprints are the same
// statements but for where each writes its own name (or reads
// ${aws:username}), and the keys the statements read carry the same values
// but for the name. The answer found for one of them is then the answer for
// the other with the name replaced, provided renaming cannot change what any
// match, comparison or made-up resource of the analysis reads.
//
// That is what the rules below keep, for a name n (the user's):
//
//   - n is two or more bytes of printable ASCII, none of * ? $ { } : / (so
//     it never reads as a wildcard, a variable or a separator of an ARN),
//     holds a byte other than a digit (so it never lies inside an account
//     number), and no proper prefix of it is also its suffix, ignoring case
//     (so two occurrences never overlap and replacing them is one-to-one);
//   - every other text the analysis compares with a resource part or a
//     value that holds n (each piece of a Resource, NotResource or String
//     or Arn condition value between wildcards and occurrences of n, the
//     values the request carries for the keys the statements read, and
//     the texts the catalogue fills resource parts with: the caller's
//     parts) neither holds n, nor lies inside it, nor overlaps its start
//     or its end, ignoring case (nameOverlaps). Then in any match of a
//     pattern against a text, an occurrence of n is matched whole by a '*'
//     or by an occurrence of n, and the same holds with any other such
//     name: the answer is the same; and n occurs in a resource made only
//     where the policies put it, so that replacing it there renames the
//     resource;
//   - no field the catalogue fills before the resource part (a partition,
//     a service, a region, an account: the caller's fields, and the
//     caller's own partition and account, which fill the fields an entry
//     leaves open), which colons bound, holds n;
//   - no value holds a '?' (which matches one byte of a name of any
//     length), or a policy variable other than ${aws:username} (whose
//     value may be another text to compare), and no statement reads
//     aws:userid (a unique ID, not the name). A "${...}" the evaluator
//     does not resolve (under a Version other than 2012-10-17, or in a
//     Resource entry before its resource part) is text like any other,
//     which the resources made hold as written: checked as such;
//   - an occurrence of n or a variable in a condition is in a String or
//     Arn operator's values: the other operators compare their values
//     with the key's as numbers, dates, addresses or bools, never with a
//     name, so their values are not checked against it;
//   - the kinds of bytes n holds (appendKinds: lower-case and upper-case
//     letters, digits, and each other byte) are in the key, so that the
//     catalogue's character classes take the names of a class alike; and
//     when a Resource or NotResource value writes n (or ${aws:username})
//     beside a '*', its whole shape (appendShape: its length, and each
//     byte a letter of either case, a digit or itself): where such a name
//     lands in a resource made (a bucket's name or an object's) depends on
//     it. So is which of the bytes catalog.InstanceAvoiding may invent n
//     holds, where those could be chosen (templater.fresh).
//
// ok is false when a rule does not hold: the caller then analyses the user
// alone, as before.

// nameMarker stands for the user's name written in a value, varMarker for
// ${aws:username}, in a template key: no text of a parsed policy or key
// value holds a NUL byte... except one written as \u0000, which the value's
// own text then shows, so each marker is a NUL and a letter no escape
// writes after a NUL here (a value's NUL is written as "\x00\x00").
const (
	nameMarker = "\x00n"
	varMarker  = "\x00v"
)

// TemplateClass returns the template class key of p's live requests for
// action (Class's, with p's name abstracted), for a user whose last Class
// call for action returned slots. parts and fields are the texts the
// catalogue fills the action's resources with, in their resource parts
// and in the fields before (mfa.Vocabulary). The key is valid until the
// next call. ok is false when p is not a user, or a rule of template classes
// does not hold for p's name and this footprint.
func (c *Classifier) TemplateClass(action string, slots Slots, parts, fields []string) (key []byte, ok bool) {
	n := c.p.Name
	if c.p.Kind != KindUser || !templateName(n) {
		return nil, false
	}
	if !c.vocabFits(parts, fields) {
		return nil, false
	}
	c.footprint(action)
	t := templater{name: n, b: append(c.tbuf[:0], c.prefix...)}
	t.b = append(t.b, 'T')
	t.b = append(t.b, action...)
	t.b = append(t.b, 0)
	last := -1
	for _, ref := range c.fp.Statements {
		cp := c.pols[ref.Policy]
		if ref.Policy != last {
			last = ref.Policy
			t.b = append(t.b, 2, byte(cp.Type))
			t.b = strconv.AppendInt(t.b, int64(cp.Level), 10)
			t.b = append(t.b, ':')
			t.b = append(t.b, cp.Policy.Version...)
			t.b = append(t.b, 0)
			if sharesName(slots, cp) {
				// Slots.Map tells such policies apart by their place
				// only when they are the same policies: by identity
				t.b = append(t.b, 'p')
				t.b = strconv.AppendUint(t.b, uint64(c.an.policyID(cp.Policy)), 10)
			}
		}
		st := cp.Policy.Statements[ref.Statement]
		rec := c.statementTemplate(cp.Policy, st)
		if rec.bad {
			return nil, false
		}
		t.b = append(t.b, ' ')
		t.b = strconv.AppendInt(t.b, int64(ref.Statement), 10)
		t.b = append(t.b, '=')
		t.b = strconv.AppendUint(t.b, uint64(rec.id), 10)
		t.named = t.named || rec.named
		t.loose = t.loose || rec.loose
		for i, w := range rec.literal {
			t.literal[i] |= w
		}
	}
	t.nameForm()
	t.b = append(t.b, t.fresh()...)
	t.b = append(t.b, 0)
	for _, id := range c.fp.KeyIDs {
		if _, ok := t.key(c.p, c.req, c.e.Keys()[id]); !ok {
			return nil, false
		}
	}
	c.tbuf = t.b
	return t.b, true
}

// nameForm writes what the key reads of the name itself: its kinds
// (appendKinds), or its shape when a Resource value writes it beside a
// '*' (loose, appendShape).
func (t *templater) nameForm() {
	t.b = append(t.b, 0)
	if t.loose {
		t.b = appendShape(t.b, t.name)
	} else {
		t.b = appendKinds(t.b, t.name)
	}
	t.b = append(t.b, 0)
}

// key writes the context key name: whether p never carries it, and the
// value its live request req carries, as text with the name abstracted
// (aws:username, aws:PrincipalArn) and every other piece checked. names
// says the value holds the name; ok is false when the key is aws:userid
// (a unique ID, not the name) or a piece breaks a rule.
func (t *templater) key(p *Principal, req *request.Context, name string) (names, ok bool) {
	if strings.EqualFold(name, "aws:userid") {
		return false, false
	}
	t.part(name)
	if p.Lacks(name) {
		t.b = append(t.b, 'L')
	}
	k, found := req.Lookup(name)
	if !found {
		t.b = append(t.b, '-', 0)
		return false, true
	}
	t.b = strconv.AppendInt(t.b, int64(k.Type), 10)
	was := t.occurs
	t.occurs = false
	for _, v := range k.Values {
		t.value(v.String(), false)
	}
	names, t.occurs = t.occurs, t.occurs || was
	t.b = append(t.b, 0)
	return names, !t.bad
}

// sharesName reports whether another slot than cp has cp's name, type and
// level (sameName).
func sharesName(slots Slots, cp evaluator.CompiledPolicy) bool {
	n := 0
	for _, s := range slots {
		if sameName(s, cp) {
			n++
		}
	}
	return n > 1
}

// appendShape appends the shape of the name n: each byte as its kind (a
// lower-case letter 'a', an upper-case one 'A', a digit '0') or itself.
// Two names of one shape fill the catalogue's formats alike: the same
// character classes take them (catalog's Region, Account, bucket name),
// and catalog.InstanceAvoiding's walk, which reads a name's bytes only
// through those classes and the formats' literal bytes (which overlap no
// name in a template class), takes the same steps over each, their
// lengths being the same.
func appendShape(b []byte, n string) []byte {
	for i := 0; i < len(n); i++ {
		switch c := n[i]; {
		case 'a' <= c && c <= 'z':
			b = append(b, 'a')
		case 'A' <= c && c <= 'Z':
			b = append(b, 'A')
		case '0' <= c && c <= '9':
			b = append(b, '0')
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendKinds appends what of the name n the catalogue's character
// classes read (catalog's Region, Account, bucket name and the others):
// whether it holds a lower-case letter, an upper-case one, a digit, and
// each other byte it holds, in ascending order. Two names of the same
// kinds fit the same classes.
func appendKinds(b []byte, n string) []byte {
	var seen [256]bool
	var lower, upper, digit bool
	for i := 0; i < len(n); i++ {
		switch c := n[i]; {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
			upper = true
		case '0' <= c && c <= '9':
			digit = true
		default:
			seen[c] = true
		}
	}
	for _, k := range [...]struct {
		on bool
		c  byte
	}{{lower, 'a'}, {upper, 'A'}, {digit, '0'}} {
		if k.on {
			b = append(b, k.c)
		}
	}
	b = append(b, 1)
	for c := range seen {
		if seen[c] {
			b = append(b, byte(c))
		}
	}
	return b
}

// vocabFits reports whether p's name overlaps none of parts and lies in
// none of fields, nor in p's caller's partition or account
// (TemplateClass's rules), kept for the last lists asked about: the
// actions of a service share them.
func (c *Classifier) vocabFits(parts, fields []string) bool {
	if c.vocab.set && sameSlice(c.vocab.parts, parts) && sameSlice(c.vocab.fields, fields) {
		return c.vocab.ok
	}
	n := c.p.Name
	// the caller's partition and account fill the fields an entry leaves
	// open: text the name must not lie in either
	caller := request.ParsePrincipal(c.p.Caller)
	ok := !containsFold(caller.Partition, n) && !containsFold(caller.Account, n)
	for _, v := range parts {
		if !ok {
			break
		}
		if nameOverlaps(v, n) {
			ok = false
		}
	}
	for _, v := range fields {
		if !ok {
			break
		}
		if containsFold(v, n) {
			ok = false
		}
	}
	c.vocab = vocabVerdict{set: true, parts: parts, fields: fields, ok: ok}
	return ok
}

// sameSlice reports whether a and b are the same slice (not only equal).
func sameSlice(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// vocabVerdict is vocabFits's last answer.
type vocabVerdict struct {
	set           bool
	parts, fields []string
	ok            bool
}

// stmtTemplate is what TemplateClass writes of one statement for p's name
// (statementTemplate): the statement's text with the name marked, and
// what the key reads of it besides.
type stmtTemplate struct {
	// id numbers the text (Analyzer.intern): every principal's statement
	// of the same text with its own name marked gets the same number
	id           uint32
	literal      [4]uint64
	named, loose bool
	bad          bool
	// occurs says the name occurs in some value of the statement;
	// usesVar that one reads ${aws:username}
	occurs, usesVar bool
}

// statementTemplate returns the stmtTemplate of st for p's name, made once
// for p (a statement is in the footprints of many actions).
func (c *Classifier) statementTemplate(pol *policy.Policy, st *policy.Statement) *stmtTemplate {
	if rec, ok := c.tstmts[st]; ok {
		return rec
	}
	rec := &stmtTemplate{}
	c.tstmts[st] = rec
	if st.Principal != nil {
		rec.bad = true
		return rec
	}
	// (a 0xff first: no prefix Analyzer.intern numbers begins so)
	t := templater{name: c.p.Name, b: append(c.sbuf[:0], 0xff, 'S'), vars: pol.VariablesEnabled()}
	t.statement(st)
	rec.named, rec.loose, rec.bad, rec.literal, rec.occurs, rec.usesVar = t.named, t.loose, t.bad, t.literal, t.occurs, t.usesVar
	if !rec.bad {
		rec.id = c.an.intern(t.b)
	}
	c.sbuf = t.b
	return rec
}

// statement writes st, a statement without a Principal element.
func (t *templater) statement(st *policy.Statement) {
	t.b = append(t.b, '=', byte(st.Effect)+'0')
	t.list(st.Action, false)
	t.list(st.Resource, true)
	for _, cl := range st.Conditions {
		t.b = append(t.b, 3)
		t.part(cl.Operator)
		t.part(cl.Key)
		str := stringOperator(cl.Operator)
		for _, v := range cl.Values {
			if str {
				t.value(v.Text, true)
				continue
			}
			// a number, a date, an address, a bool: compared with the
			// key's values as such, never with a name, unless it holds
			// one or a variable
			if strings.Contains(v.Text, "${") || !isASCIIText(v.Text) || t.holds(v.Text) {
				t.bad = true
			}
			t.b = append(t.b, 1)
			t.part(v.Text)
		}
	}
}

// holds reports whether s holds the name, ignoring case (containsFold); a
// templater that collects keeps s in contain instead.
func (t *templater) holds(s string) bool {
	if t.collect != nil {
		t.collect.contain = append(t.collect.contain, s)
		return false
	}
	return containsFold(s, t.name)
}

// overlaps reports whether lit, a piece of a value between wildcards,
// variables and occurrences of the name, overlaps the name
// (nameOverlaps); a templater that collects keeps lit in overlap
// instead.
func (t *templater) overlaps(lit string) bool {
	if t.collect != nil {
		t.collect.overlap = append(t.collect.overlap, lit)
		return false
	}
	return nameOverlaps(lit, t.name)
}

// collected are the texts a templater without a name to check compares
// with names: each text a name must not overlap (nameOverlaps) or lie in
// (containsFold).
type collected struct {
	overlap, contain []string
}

// templater writes a template key.
type templater struct {
	// collect, when not nil, receives the texts the name would be
	// checked against (overlaps, holds), which are then not checked
	collect *collected
	name    string
	b       []byte
	// bad says a rule failed
	bad bool
	// literal holds the bytes the Resource and NotResource values write
	// literally, but for the name (templateFresh); named says some value
	// writes the name literally
	literal [4]uint64
	named   bool
	inRes   bool
	// vars says the statement's policy reads policy variables
	// (policy.Policy.VariablesEnabled)
	vars bool
	// loose says a Resource or NotResource value writes the name (or
	// ${aws:username}) beside a '*'
	loose bool
	// occurs says some value written holds the name; usesVar that one
	// reads ${aws:username}
	occurs, usesVar bool
}

// part writes s after its length.
func (t *templater) part(s string) {
	t.b = strconv.AppendInt(t.b, int64(len(s)), 10)
	t.b = append(t.b, ':')
	t.b = append(t.b, s...)
}

// list writes an Action, NotAction, Resource or NotResource element;
// resource says it names resources, whose values are templated.
func (t *templater) list(l *policy.List, resource bool) {
	if l == nil {
		t.b = append(t.b, 4)
		return
	}
	t.b = append(t.b, 5)
	if l.Not {
		t.b = append(t.b, '!')
	}
	for _, v := range l.Values {
		if !resource {
			t.b = append(t.b, 1)
			t.part(v.Text)
			continue
		}
		t.inRes = true
		t.value(v.Text, true)
		t.inRes = false
	}
}

// value writes one value with the name and ${aws:username} marked;
// pattern says it is read with wildcards and policy variables (a value the
// request carries is read literally).
func (t *templater) value(v string, pattern bool) {
	t.b = append(t.b, 1)
	start := len(t.b)
	piece := func(s string) {
		// s is literal text without wildcards: each occurrence of the
		// name is marked, and the texts between checked
		for {
			i := strings.Index(s, t.name)
			lit := s
			if i >= 0 {
				lit = s[:i]
			}
			if lit != "" && t.overlaps(lit) {
				t.bad = true
			}
			for k := 0; k < len(lit); k++ {
				if lit[k] == 0 {
					t.b = append(t.b, 0, 0)
				} else {
					t.b = append(t.b, lit[k])
				}
				if t.inRes {
					t.literal[lit[k]/64] |= 1 << (lit[k] % 64)
				}
			}
			if i < 0 {
				return
			}
			t.b = append(t.b, nameMarker...)
			t.occurs = true
			if t.inRes {
				t.named = true
			}
			s = s[i+len(t.name):]
		}
	}
	if !pattern {
		piece(v)
		t.lengthAt(start)
		return
	}
	if t.inRes {
		defer func() {
			// a name beside a wildcard of a Resource entry: where it
			// lands in a resource made depends on its shape
			w := t.b[start:]
			for _, m := range [...]string{"*" + nameMarker, "*" + varMarker, nameMarker + "*", varMarker + "*"} {
				if bytes.Contains(w, []byte(m)) {
					t.loose = true
				}
			}
		}()
	}
	whole := v
	for len(v) > 0 {
		i := strings.IndexAny(v, "*?$")
		if i < 0 {
			piece(v)
			break
		}
		piece(v[:i])
		switch v[i] {
		case '?':
			t.bad = true
			return
		case '*':
			t.b = append(t.b, '*')
			v = v[i+1:]
			continue
		}
		// a '$': a variable when "${" begins it (AWS reads no other),
		// the policy reads variables (Version 2012-10-17), and, in a
		// Resource entry, it lies in the resource part, where the
		// evaluator resolves them; elsewhere the text as written, which
		// the resources made hold as it is
		rest := v[i:]
		at := len(whole) - len(rest)
		if !strings.HasPrefix(rest, "${") || !t.vars || t.inRes && strings.Count(whole[:at], ":") < 5 {
			t.b = append(t.b, '$')
			v = v[i+1:]
			continue
		}
		end := strings.IndexByte(rest, '}')
		if end < 0 || !strings.EqualFold(rest[2:end], "aws:username") {
			t.bad = true
			return
		}
		t.b = append(t.b, varMarker...)
		t.usesVar = true
		if t.inRes {
			// the avoided entries of a resource made are rendered with
			// the name (templater.fresh)
			t.named = true
		}
		v = rest[end+1:]
	}
	t.lengthAt(start)
}

// lengthAt puts before the value written from start its length and a
// colon: a value's text may hold any byte (a 1, digits), so that a length
// after it would let two lists of values write alike (["zzzzzzzzz", "q1"]
// and ["zzzzzzzzz9\x01q"]).
func (t *templater) lengthAt(start int) {
	var n [24]byte
	head := append(strconv.AppendInt(n[:0], int64(len(t.b)-start), 10), ':')
	t.b = slices.Insert(t.b, start, head...)
}

// freshBytes are the bytes catalog.InstanceAvoiding invents a resource
// with, in the order it tries them (the first its avoided entries do not
// write literally).
const freshBytes = "xyzqjkwvbcdfghlmnprstaeiou0123456789"

// fresh returns what of the name the byte catalog.InstanceAvoiding invents
// may read: when some Resource or NotResource value writes the name
// literally, an avoided entry may write its bytes, so the bytes of the
// name among those tried up to the first that neither the values nor the
// name write (every list of avoided entries is some of the values: the
// byte chosen is one of those) are written; otherwise nothing.
func (t *templater) fresh() []byte {
	if !t.named {
		return nil
	}
	return t.walk(false)
}

// walk walks catalog.InstanceAvoiding's alphabet up to the first byte
// that neither the name nor the values written (literal) hold, and
// returns the bytes the name holds, with, when marked, a '.' for each it
// does not.
func (t *templater) walk(marked bool) []byte {
	var out []byte
	for i := 0; i < len(freshBytes); i++ {
		b := freshBytes[i]
		inName := strings.IndexByte(t.name, b) >= 0
		if inName {
			out = append(out, b)
		} else if marked {
			out = append(out, '.')
		}
		if !inName && t.literal[b/64]&(1<<(b%64)) == 0 {
			break
		}
	}
	return out
}

// stringOperator reports whether a condition operator (as written)
// compares strings or ARNs: String*, Arn*, with or without a set
// qualifier or IfExists.
func stringOperator(op string) bool {
	if _, after, ok := strings.Cut(op, ":"); ok {
		op = after
	}
	return strings.HasPrefix(op, "String") || strings.HasPrefix(op, "Arn")
}

// templateName reports whether n can be abstracted in a template class:
// printable ASCII but * ? $ { } : /, a byte other than a digit, no proper
// prefix that is also a suffix (ignoring case).
func templateName(n string) bool {
	if len(n) < 2 || len(n) > 128 {
		return false
	}
	digits := true
	for i := 0; i < len(n); i++ {
		b := n[i]
		if b <= ' ' || b >= 0x7f || strings.IndexByte("*?${}:/", b) >= 0 {
			return false
		}
		if b < '0' || b > '9' {
			digits = false
		}
	}
	if digits {
		return false
	}
	for k := 1; k < len(n); k++ {
		if strings.EqualFold(n[:k], n[len(n)-k:]) {
			return false
		}
	}
	return true
}

// nameOverlaps reports whether s, a text compared with texts that hold the
// name n, could be matched against part of an occurrence of n, ignoring
// case: s holds n, lies inside n, or a suffix of s is a prefix of n or a
// prefix of s a suffix of n. A text outside ASCII is taken to overlap.
// n is ASCII (templateName).
func nameOverlaps(s, n string) bool {
	if !isASCIIText(s) {
		return true
	}
	if s == "" {
		return false
	}
	if containsFold(s, n) || containsFold(n, s) {
		return true
	}
	for k := 1; k < len(n) && k <= len(s); k++ {
		if strings.EqualFold(s[len(s)-k:], n[:k]) || strings.EqualFold(s[:k], n[len(n)-k:]) {
			return true
		}
	}
	return false
}

// containsFold reports whether s holds sub, ASCII letters compared without
// case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// isASCIIText reports whether s is all ASCII.
func isASCIIText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
