package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/iameval/iameval/internal/jsonlist"
	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/internal/gencache"
	"github.com/iameval/iameval/request"
)

// MaxDocumentSize is the largest policy document Parse reads, in bytes:
// 16 MiB, over a hundred times AWS's largest policy quota (the simulator's
// 131,072 characters). A larger document is an error, never truncated.
const MaxDocumentSize = 16 << 20

// MaxErrors is the most errors Parse lists for one document: the errors
// beyond it are counted in one last error (CodeTooManyErrors), so that a
// document of a million faulty statements costs what its statements do,
// not twice over in messages.
const MaxErrors = 1000

// Parse reads the policy document doc; name identifies it in positions and
// decisions. It validates the whole document before reading it, accepts
// every form IAM accepts (Statement as an object or an array, string-or-list
// values, unquoted JSON booleans and numbers in conditions, Version
// 2012-10-17, 2008-10-17 or none), and compiles each condition clause.
//
// On failure it returns a nil Policy and an ErrorList naming every problem it
// found, each with a position, a JSON path and a stable code. Problems that
// depend on the policy's role (a Principal in an identity policy, a missing
// Resource) are Check's.
func Parse(name string, doc []byte) (*Policy, error) {
	return ParseSpan(name, doc, 0, len(doc))
}

// ParseSpan parses the policy document that takes up file[off:off+n], such as
// a policy written inline in a larger JSON file, and reports positions in the
// whole file. Policy.Source is a copy of the span: the policy does not keep
// the file.
//
// ParseSpan indexes the lines of the whole file on each call; to parse many
// documents of one file, index it once with NewLineIndex and call
// ParseSpanIndex.
func ParseSpan(name string, file []byte, off, n int) (*Policy, error) {
	if off < 0 || n < 0 || off+n > len(file) {
		return nil, spanError(name)
	}
	return parseSpan(NewLineIndex(name, file), file, off, n, false)
}

// ParseSpanIndex is ParseSpan for a file already indexed: idx must be
// NewLineIndex(name, file), and the policy and its positions are named name.
// Its work is proportional to n, not to the file's size, so parsing every
// document of a file takes time linear in the file. A span outside the file,
// a nil idx, or an index of a file of another size is an ErrorList of one
// CodeInvalidJSON error. The policy keeps idx (not a copy) for the positions
// CheckLimits reports.
func ParseSpanIndex(idx *LineIndex, file []byte, off, n int) (*Policy, error) {
	return parseSpanIndex(idx, file, off, n, SpanOptions{})
}

// SpanOptions are what a caller of ParseSpanIndexWith knows of a span and
// wants of its policy.
type SpanOptions struct {
	// Valid says the caller has already found the span to be one valid
	// JSON value (encoding/json.Valid), such as a value of a JSON document
	// it validated whole: it is not checked again (an account dump's
	// documents are a third of its bytes). Given a span that is not valid
	// JSON, the result is a policy or an error, maybe not ParseSpanIndex's,
	// and never a panic.
	Valid bool
	// Compact keeps the document without the white space between its JSON
	// tokens: Source and StatementText are the compacted text (as
	// encoding/json.Compact writes it), and positions are still the
	// file's. The AWS CLI indents each document of an account dump by its
	// depth: most of its bytes are spaces. CheckLimits counts and places
	// what it finds as in the document as written. A span that is not
	// valid JSON is parsed as ParseSpanIndex parses it, for its errors.
	Compact bool
	// Share, when not nil, is a table of the statements of the documents
	// parsed with it (StatementShare): a statement whose text, place and
	// Version another document parsed with the table holds is not parsed
	// again but shared, with no positions (see StatementShare). Used only
	// with Compact.
	Share *StatementShare
}

// ParseSpanIndexWith is ParseSpanIndex with the options opt.
func ParseSpanIndexWith(idx *LineIndex, file []byte, off, n int, opt SpanOptions) (*Policy, error) {
	return parseSpanIndex(idx, file, off, n, opt)
}

// parseSpanIndex checks ParseSpanIndex's arguments and parses the span.
func parseSpanIndex(idx *LineIndex, file []byte, off, n int, opt SpanOptions) (*Policy, error) {
	if idx == nil {
		return nil, spanError("")
	}
	if idx.size != len(file) {
		return nil, ErrorList{{Pos: Position{Filename: idx.name}, Code: CodeInvalidJSON, Path: "$",
			Msg: fmt.Sprintf("the line index is of a %d-byte file, not of this %d-byte one", idx.size, len(file))}}
	}
	if off < 0 || n < 0 || off+n > len(file) {
		return nil, spanError(idx.name)
	}
	if opt.Compact {
		span := file[off : off+n]
		if n <= MaxDocumentSize && utf8.Valid(span) && (opt.Valid || json.Valid(span)) {
			return parseDoc(idx, compactJSON(span), off, true, opt.Share)
		}
		// its errors, as ParseSpanIndex finds them
		opt.Valid = false
	}
	return parseSpan(idx, file, off, n, opt.Valid)
}

func spanError(name string) ErrorList {
	return ErrorList{{Pos: Position{Filename: name}, Code: CodeInvalidJSON, Path: "$", Msg: "span outside the file"}}
}

// parseSpan parses file[off:off+n], a valid span of the file idx indexes;
// valid says the span is known to be valid JSON.
func parseSpan(idx *LineIndex, file []byte, off, n int, valid bool) (*Policy, error) {
	// the policy's own copy of its document: a document read from a large
	// file (an account's dump) does not keep the file. The parsed strings
	// are substrings of the copy, which Source is (one copy, not two: the
	// documents of a large account are tens of megabytes)
	doc := bytes.Clone(file[off : off+n])
	p := &parser{name: idx.name, src: unsafe.String(unsafe.SliceData(doc), len(doc)), base: off, index: idx}
	if len(doc) > MaxDocumentSize {
		p.errorf(MaxDocumentSize, "$", CodeSizeLimit, "the document is %d bytes; iameval reads policies of at most %d bytes", len(doc), MaxDocumentSize)
		return nil, p.errs
	}
	if !utf8.Valid(doc) {
		bad := 0
		for bad < len(doc) {
			r, size := utf8.DecodeRune(doc[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		p.errorf(bad, "$", CodeInvalidUTF8, "the document is not valid UTF-8 (byte 0x%02x)", doc[bad])
		return nil, p.errs
	}
	if !valid && !json.Valid(doc) {
		p.syntaxError(doc)
		return nil, p.errs
	}
	return parseDoc(idx, compacted{doc: doc}, off, false, nil)
}

// parseDoc parses c.doc, a valid JSON span of UTF-8 at offset off of the
// file idx indexes, compacted (compactJSON) when compact.
func parseDoc(idx *LineIndex, c compacted, off int, compact bool, share *StatementShare) (*Policy, error) {
	doc := c.doc
	p := &parser{name: idx.name, src: unsafe.String(unsafe.SliceData(doc), len(doc)), base: off, index: idx, gaps: c.gaps, share: share}
	root := gjson.Parse(p.src)
	pol := &Policy{Name: p.name, Source: doc, index: idx, base: off}
	var braces []uint32
	if compact {
		p.spans = &pol.spans
		if share != nil {
			// a shared statement is placed by its document
			p.braces = &braces
		}
		pol.compact, pol.removed = true, uint32(c.removed)
	}
	if !root.IsObject() {
		p.errorf(root.Index, "$", CodeWrongType, "a policy must be a JSON object, got %s", typeName(root))
		return nil, p.errs
	}
	raw := strings.TrimRight(root.Raw, " \t\r\n")
	pol.start, pol.end = uint32(p.fileOffset(root.Index)-off), uint32(p.fileOffset(root.Index+len(raw)-1)-off)

	var stmt gjson.Result
	haveStmt := false
	p.members(root, "$", func(key string, k, v gjson.Result, path string) {
		switch key {
		case "Version":
			if s, ok := p.str(v, path, "Version"); ok {
				if s != Version2012 && s != Version2008 {
					p.errorf(v.Index, path, CodeBadVersion, "Version must be %q or %q, got %q", Version2012, Version2008, s)
				}
				pol.Version = s
			}
		case "Id":
			if s, ok := p.str(v, path, "Id"); ok {
				pol.ID = s
			}
		case "Statement":
			stmt, haveStmt = v, true
		default:
			p.errorf(k.Index, path, CodeUnknownElement, "unknown policy element %q (elements are case-sensitive: Version, Id, Statement)", key)
		}
	})
	if !haveStmt {
		p.errorf(root.Index, "$", CodeMissingStatement, "policy has no Statement")
	} else {
		vars := pol.Version == Version2012
		p.version = pol.Version
		switch {
		case stmt.IsObject():
			pol.Statements = append(pol.Statements, p.statement(stmt, 0, "$.Statement", vars))
		case stmt.IsArray():
			if jsonlist.Empty(stmt) {
				p.errorf(stmt.Index, "$.Statement", CodeEmptyStatement, "Statement is an empty list")
			}
			for i, it := range jsonlist.Elements(stmt) {
				path := p.indexPath("$.Statement", i)
				if !it.IsObject() {
					p.errorf(it.Index, path, CodeWrongType, "a statement must be a JSON object, got %s", typeName(it))
					continue
				}
				pol.Statements = append(pol.Statements, p.statement(it, len(pol.Statements), path, vars))
			}
		default:
			p.errorf(stmt.Index, "$.Statement", CodeWrongType, "Statement must be an object or a list of objects, got %s", typeName(stmt))
		}
	}
	if len(p.errs) > 0 {
		return nil, p.sortedErrors()
	}
	if compact {
		var gaps []uint32
		if c.flagged {
			// CheckLimits places what it flags in the file
			gaps = c.gaps
		}
		pol.setMarks(braces, gaps)
	}
	if share != nil && len(pol.gaps()) == 0 {
		share.sameDocument(pol)
	}
	return pol, nil
}

type parser struct {
	buf   []byte // scratch for paths
	name  string
	src   string     // the document
	base  int        // the document's offset in its file
	index *LineIndex // the file's lines
	errs  ErrorList
	// nerrs counts the errors found, listed in errs or not (MaxErrors)
	nerrs int
	// gaps, for a compacted document, map its offsets to the span's
	// (compacted.gaps); spans, when not nil, receives each statement's
	// span in the document (Policy.spans)
	gaps  []uint32
	spans *[]int32
	// share, when not nil, holds the statements parsed before
	// (SpanOptions.Share); version is the document's Version, key the
	// scratch of its statements' keys, lkey of its elements'
	share     *StatementShare
	version   string
	key, lkey []byte
	// braces, when not nil, receives each statement's braces as offsets
	// of the file (Policy.braces)
	braces *[]uint32
}

// pos is the position in the file of offset off in the document, clamped to
// the document.
func (p *parser) pos(off int) Position { return p.index.Position(p.fileOffset(off)) }

// place is pos kept as a place: offset off of the document, in its file.
func (p *parser) place(off int) place { return placeOf(p.index, p.index.clamp(p.fileOffset(off))) }

// fileOffset is the offset in the file of offset off in the document,
// clamped to the document.
func (p *parser) fileOffset(off int) int {
	return p.base + spanOffset(p.gaps, max(0, min(off, len(p.src))))
}

func (p *parser) errorf(off int, path, code, format string, args ...any) {
	p.errorAt(p.pos(off), path, code, format, args...)
}

// errorAt is errorf at pos, a position in the file already (a value's
// Pos), not an offset in the document.
func (p *parser) errorAt(pos Position, path, code, format string, args ...any) {
	p.nerrs++
	if len(p.errs) < MaxErrors {
		p.errs = append(p.errs, &Error{Pos: pos, Code: code, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
}

// sortedErrors returns the errors in document order, and after them the
// count of those not listed (MaxErrors).
func (p *parser) sortedErrors() ErrorList {
	p.errs.Sort()
	return p.errs.withMore(p.nerrs - len(p.errs))
}

func (p *parser) syntaxError(doc []byte) {
	var v any
	err := json.Unmarshal(doc, &v)
	off := len(doc)
	msg := "invalid JSON"
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset) - 1
		msg = "invalid JSON: " + se.Error()
	} else if err != nil {
		msg = "invalid JSON: " + err.Error()
	}
	if len(strings.TrimSpace(string(doc))) == 0 {
		msg, off = "empty document", 0
	}
	p.errorf(off, "$", CodeInvalidJSON, "%s", msg)
}

func typeName(r gjson.Result) string {
	switch r.Type {
	case gjson.String:
		return "a string"
	case gjson.Number:
		return "a number"
	case gjson.True, gjson.False:
		return "a boolean"
	case gjson.Null:
		return "null"
	}
	if r.IsArray() {
		return "a list"
	}
	return "an object"
}

// keyPath is path with an object key appended: path.key, or
// path["key"] for a key that is not an identifier. The file's policies
// share each path (LineIndex's share): the same paths recur in every
// document.
func (p *parser) keyPath(path, key string) string {
	ident := key != ""
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			ident = false
			break
		}
	}
	b := append(p.buf[:0], path...)
	if ident {
		b = append(b, '.')
		b = append(b, key...)
	} else {
		b = append(b, '[')
		b = strconv.AppendQuote(b, key)
		b = append(b, ']')
	}
	p.buf = b
	return p.index.share.path(b)
}

// indexPath is path with a list index appended, path[i], shared as
// keyPath's paths are.
func (p *parser) indexPath(path string, i int) string {
	b := append(p.buf[:0], path...)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ']')
	p.buf = b
	return p.index.share.path(b)
}

// members calls fn for each member of object o, reporting duplicate keys.
func (p *parser) members(o gjson.Result, path string, fn func(key string, k, v gjson.Result, path string)) {
	seen := map[string]bool{}
	o.ForEach(func(k, v gjson.Result) bool {
		key := k.Str
		kp := p.keyPath(path, key)
		if seen[key] {
			p.errorf(k.Index, kp, CodeDuplicateKey, "duplicate key %q", key)
			return true
		}
		seen[key] = true
		fn(key, k, v, kp)
		return true
	})
}

func (p *parser) str(v gjson.Result, path, what string) (string, bool) {
	if v.Type != gjson.String {
		p.errorf(v.Index, path, CodeWrongType, "%s must be a string, got %s", what, typeName(v))
		return "", false
	}
	return v.Str, true
}

// strList reads a string or a list of strings.
func (p *parser) strList(v gjson.Result, path, what string) []Value {
	if v.Type == gjson.String {
		return []Value{{Text: v.Str, place: p.place(v.Index), Path: path}}
	}
	if !v.IsArray() {
		p.errorf(v.Index, path, CodeWrongType, "%s must be a string or a list of strings, got %s", what, typeName(v))
		return nil
	}
	out := make([]Value, 0, jsonlist.Len(v))
	for i, it := range jsonlist.Elements(v) {
		ip := p.indexPath(path, i)
		if it.Type != gjson.String {
			p.errorf(it.Index, ip, CodeWrongType, "%s entries must be strings, got %s", what, typeName(it))
			continue
		}
		out = append(out, Value{Text: it.Str, place: p.place(it.Index), Path: ip})
	}
	return out
}

func (p *parser) statement(o gjson.Result, index int, path string, vars bool) *Statement {
	if p.spans != nil {
		*p.spans = append(*p.spans, int32(o.Index), int32(o.Index+len(o.Raw)))
	}
	if p.braces != nil {
		if at, to := p.fileOffset(o.Index), p.fileOffset(o.Index+len(o.Raw)-1); to < 1<<32 {
			*p.braces = append(*p.braces, uint32(at), uint32(to))
		}
	}
	if p.share == nil {
		return p.parseStatement(o, index, path, vars)
	}
	p.key = p.share.appendKey(p.key[:0], p.version, index, path, o.Raw)
	if s := p.share.lookup(p.key); s != nil {
		return s
	}
	n := p.nerrs
	s := p.parseStatement(o, index, path, vars)
	if p.nerrs > n {
		// its errors are its own: a document of the same statement must
		// report them too
		return s
	}
	return p.share.add(p.key, s)
}

// parseStatement parses statement o, the index-th of the document, at
// path.
func (p *parser) parseStatement(o gjson.Result, index int, path string, vars bool) *Statement {
	s := &Statement{Index: index, Path: path}
	s.placeAt(p.index, p.index.clamp(p.fileOffset(o.Index)), p.index.clamp(p.fileOffset(o.Index+len(o.Raw)-1)))
	var action, notAction, resource, notResource, principal, notPrincipal *List
	var pr, npr gjson.Result
	var effectSeen bool
	p.members(o, path, func(key string, k, v gjson.Result, kp string) {
		kpos := p.place(k.Index)
		switch key {
		case "Sid":
			if sid, ok := p.str(v, kp, "Sid"); ok {
				s.Sid, s.HasSid = sid, true
				if at := p.fileOffset(v.Index); at >= 0 && at < 1<<32-1 {
					s.sidAt = uint32(at) + 1
				}
			}
		case "Effect":
			effectSeen = true
			if e, ok := p.str(v, kp, "Effect"); ok {
				switch e {
				case "Allow":
					s.Effect = Allow
				case "Deny":
					s.Effect = Deny
				default:
					p.errorf(v.Index, kp, CodeBadEffect, "Effect must be exactly \"Allow\" or \"Deny\" (case-sensitive), got %q", e)
				}
			}
		case "Action", "NotAction":
			l := p.element(key, kp, kpos, v, false)
			if l.Not {
				notAction = l
			} else {
				action = l
			}
		case "Resource", "NotResource":
			l := p.element(key, kp, kpos, v, true)
			if l.Not {
				notResource = l
			} else {
				resource = l
			}
		case "Principal":
			principal, pr = &List{place: kpos}, v
		case "NotPrincipal":
			notPrincipal, npr = &List{Not: true, place: kpos}, v
		case "Condition":
			s.Conditions = p.conditions(v, kp, vars)
		default:
			p.errorf(k.Index, kp, CodeUnknownElement, "unknown statement element %q (elements are case-sensitive: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition)", key)
		}
	})
	if !effectSeen {
		p.errorf(o.Index, path, CodeMissingEffect, "statement has no Effect")
	}
	switch {
	case action != nil && notAction != nil:
		p.errorf(o.Index, path, CodeConflict, "statement has both Action and NotAction")
	case action == nil && notAction == nil:
		p.errorf(o.Index, path, CodeMissingAction, "statement has neither Action nor NotAction: a statement must contain actions")
	case action != nil:
		s.Action = action
	default:
		s.Action = notAction
	}
	switch {
	case resource != nil && notResource != nil:
		p.errorf(o.Index, path, CodeConflict, "statement has both Resource and NotResource")
	case resource != nil:
		s.Resource = resource
	case notResource != nil:
		s.Resource = notResource
	}
	switch {
	case principal != nil && notPrincipal != nil:
		p.errorf(o.Index, path, CodeConflict, "statement has both Principal and NotPrincipal")
	case principal != nil:
		s.Principal = p.principal(pr, p.keyPath(path, "Principal"), principal)
	case notPrincipal != nil:
		s.Principal = p.principal(npr, p.keyPath(path, "NotPrincipal"), notPrincipal)
	}
	return s
}

// element parses v, the Action, NotAction, Resource or NotResource
// element key (resource says which kind; a Not element when key starts
// so) at path kp, its name at kpos; or it takes the element another
// document parsed with the table holds alike (sharedList). An element
// whose parsing reports an error is not shared.
func (p *parser) element(key, kp string, kpos place, v gjson.Result, resource bool) *List {
	if l := p.sharedList(kp, v); l != nil {
		return l
	}
	n := p.nerrs
	l := &List{Not: strings.HasPrefix(key, "Not"), place: kpos, Values: p.strList(v, kp, key)}
	code, what := CodeEmptyAction, "actions"
	if resource {
		code, what = CodeEmptyResource, "resources"
	}
	if v.IsArray() && jsonlist.Empty(v) {
		p.errorf(v.Index, kp, code, "%s is an empty list: a statement must contain %s", key, what)
	}
	for _, x := range l.Values {
		if resource {
			p.checkResource(x)
		} else {
			p.checkAction(x)
		}
	}
	if p.nerrs == n {
		l = p.shareList(l)
	}
	return l
}

func validVendor(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '*' || c == '?') {
			return false
		}
	}
	return true
}

func (p *parser) checkAction(a Value) {
	if a.Text == "*" {
		return
	}
	if msg := actionProblem(a.Text); msg != "" {
		p.errorAt(a.Pos(), a.Path, CodeBadAction, "%s", msg)
	}
}

// actionProblem says what IAM refuses in an action pattern of a policy, or
// returns "".
func actionProblem(text string) string {
	vendor, name, ok := strings.Cut(text, ":")
	switch {
	case !ok:
		return fmt.Sprintf("action %q is not service:action (e.g. s3:GetObject): it has no colon", text)
	case strings.Contains(name, ":"):
		return fmt.Sprintf("action %q has more than one colon", text)
	case !validVendor(vendor):
		return fmt.Sprintf("action %q: service prefix %q is not valid", text, vendor)
	case name == "":
		return fmt.Sprintf("action %q has no action name", text)
	}
	return ""
}

// CheckActionName reports what is wrong with name as the action of a
// request (a simulator ActionNames entry): everything IAM refuses in a
// policy's action (no service prefix, more than one colon, a service prefix
// outside [A-Za-z0-9.-]), and, since a request names one action, any
// wildcard, white space or control character. It returns nil for a valid
// name such as "s3:GetObject".
func CheckActionName(name string) error {
	if msg := actionProblem(name); msg != "" {
		return errors.New(msg)
	}
	for _, r := range name {
		switch {
		case r == '*' || r == '?':
			return fmt.Errorf("action %q has a wildcard: a request names one action, service:Action", name)
		case unicode.IsSpace(r) || unicode.IsControl(r):
			return fmt.Errorf("action %q contains white space or a control character", name)
		}
	}
	return nil
}

// APIGatewayShorthand starts the resources API Gateway's resource policies
// may write without an ARN: "execute-api:/stage/GET/pets" (AWS's API
// Gateway developer guide, resource policy examples); API Gateway expands
// them to the API's own ARN.
const APIGatewayShorthand = "execute-api:/"

func (p *parser) checkResource(r Value) {
	if r.Text == "*" || strings.HasPrefix(r.Text, "arn:") && len(r.Text) > len("arn:") || strings.HasPrefix(r.Text, APIGatewayShorthand) {
		return
	}
	p.errorAt(r.Pos(), r.Path, CodeBadResource, "resource %q must be an ARN or \"*\"", r.Text)
}

func (p *parser) principal(v gjson.Result, path string, l *List) *Principal {
	pr := &Principal{Not: l.Not, place: l.place}
	if v.Type == gjson.String {
		if v.Str != "*" {
			p.errorf(v.Index, path, CodeBadPrincipal, "a principal given as a string must be \"*\", got %q (use {\"AWS\": ...})", v.Str)
		}
		pr.Any = true
		return pr
	}
	if !v.IsObject() {
		p.errorf(v.Index, path, CodeWrongType, "principal must be \"*\" or an object, got %s", typeName(v))
		return pr
	}
	n := 0
	p.members(v, path, func(key string, k, val gjson.Result, kp string) {
		n++
		switch key {
		case "AWS", "Service", "Federated", "CanonicalUser":
		default:
			p.errorf(k.Index, kp, CodeBadPrincipal, "unknown principal type %q (want AWS, Service, Federated or CanonicalUser)", key)
			return
		}
		vals := p.strList(val, kp, key)
		if val.IsArray() && len(vals) == 0 && jsonlist.Empty(val) {
			p.errorf(val.Index, kp, CodeBadPrincipal, "%s principal list is empty", key)
		}
		for _, x := range vals {
			if x.Text == "" {
				p.errorAt(x.Pos(), x.Path, CodeBadPrincipal, "empty %s principal", key)
				continue
			}
			if x.Text != "*" && strings.ContainsAny(x.Text, "*?") {
				p.errorAt(x.Pos(), x.Path, CodeBadPrincipal, "principal %q: wildcards are not allowed in principals except a lone \"*\"", x.Text)
				continue
			}
			if key == "AWS" && x.Text != "*" && !strings.HasPrefix(x.Text, "arn:") && !request.IsAccountID(x.Text) && !request.IsUniqueID(x.Text) {
				p.errorAt(x.Pos(), x.Path, CodeBadPrincipal, "AWS principal %q must be \"*\", a 12-digit account id, an ARN or the unique id of a deleted user or role (AIDA..., AROA...)", x.Text)
				continue
			}
			pr.Entries = append(pr.Entries, PrincipalEntry{Type: key, Value: x})
		}
	})
	if n == 0 {
		p.errorf(v.Index, path, CodeBadPrincipal, "principal object is empty")
	}
	return pr
}

func (p *parser) conditions(v gjson.Result, path string, vars bool) []*Clause {
	if !v.IsObject() {
		p.errorf(v.Index, path, CodeWrongType, "Condition must be an object, got %s", typeName(v))
		return nil
	}
	var out []*Clause
	p.members(v, path, func(opName string, k, body gjson.Result, opPath string) {
		op, err := condition.ParseOperator(opName)
		if !body.IsObject() {
			p.errorf(body.Index, opPath, CodeWrongType, "condition operator %s must map to an object of keys, got %s", opName, typeName(body))
			return
		}
		if err != nil {
			var ce *condition.Error
			if errors.As(err, &ce) && ce.Code == condition.CodeUnknownOperator && len(body.Map()) == 0 {
				return // IAM accepts an unknown operator with an empty body; it has no effect
			}
			code := CodeUnknownOperator
			if ce != nil {
				code = ce.Code
			}
			p.errorf(k.Index, opPath, code, "%s", strings.TrimPrefix(err.Error(), code+": "))
			return
		}
		seen := map[string]string{}
		p.members(body, opPath, func(key string, kk, vals gjson.Result, keyPath string) {
			if key == "" {
				p.errorf(kk.Index, keyPath, CodeEmptyConditionKey, "empty condition key")
				return
			}
			lk := strings.ToLower(key)
			if prev, dup := seen[lk]; dup {
				p.errorf(kk.Index, keyPath, CodeDuplicateCondKey, "condition key %q repeats %q under %s (key names are case-insensitive)", key, prev, opName)
				return
			}
			seen[lk] = key
			cl := &Clause{Operator: opName, Op: op, Key: key, place: p.place(kk.Index), opAt: p.place(k.Index).at, Path: keyPath}
			cl.Values = p.condValues(vals, keyPath)
			if cl.Values == nil {
				return
			}
			// a clause the file's policies hold already is compiled
			// once (LineIndex's share): whether variables are read, the
			// operator, the key and the values, each a part of its own,
			// say it
			ck := append(make([]byte, 0, 64), '-')
			if vars {
				ck[0] = 'v'
			}
			ck = gencache.AppendPart(ck, opName)
			ck = gencache.AppendPart(ck, key)
			for _, x := range cl.Values {
				ck = gencache.AppendPart(ck, x.Text)
			}
			if c := p.index.share.condition(ck); c != nil {
				cl.Cond = c
				out = append(out, cl)
				return
			}
			texts := make([]string, len(cl.Values))
			for i, x := range cl.Values {
				texts[i] = x.Text
			}
			c, errs := condition.Compile(op, key, texts, vars)
			if len(errs) == 0 && c != nil {
				p.index.share.keepCondition(ck, c)
			}
			for _, e := range errs {
				at := cl.Values[0]
				if e.Index >= 0 && e.Index < len(cl.Values) {
					at = cl.Values[e.Index]
				}
				p.errorAt(at.Pos(), at.Path, e.Code, "%s", e.Msg)
			}
			cl.Cond = c
			out = append(out, cl)
		})
	})
	return out
}

// condValues reads a condition value: a string, number or boolean, or a list
// of them. It returns nil (not an empty slice) on error.
func (p *parser) condValues(v gjson.Result, path string) []Value {
	scalar := func(r gjson.Result, path string) (Value, bool) {
		switch r.Type {
		case gjson.String:
			return Value{Text: r.Str, place: p.place(r.Index), Path: path}, true
		case gjson.Number, gjson.True, gjson.False:
			return Value{Text: r.Raw, place: p.place(r.Index), Path: path}, true
		}
		p.errorf(r.Index, path, CodeWrongType, "condition values must be strings, numbers or booleans, got %s", typeName(r))
		return Value{}, false
	}
	if !v.IsArray() {
		x, ok := scalar(v, path)
		if !ok {
			return nil
		}
		return []Value{x}
	}
	out := make([]Value, 0, jsonlist.Len(v))
	ok := true
	for i, it := range jsonlist.Elements(v) {
		x, good := scalar(it, p.indexPath(path, i))
		ok = ok && good
		out = append(out, x)
	}
	if !ok {
		return nil
	}
	return out
}
