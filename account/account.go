// Package account loads an AWS account snapshot — the output of
// "aws iam get-account-authorization-details", one page or all pages
// concatenated — and builds the policy set of any user or role in it: the
// principal's inline and attached managed policies, its groups' policies and
// its permissions boundary, each named as AWS names it. A role's trust
// policy is the resource policy of sts:AssumeRole on that role.
//
// Loading is strict: a dump that is truncated (its last page continues: a
// NextToken of the AWS CLI's --max-items, or the API's IsTruncated or
// Marker), that names a managed policy it does not contain, or whose entities
// lack a required field is an error that names the entity and the field.
// Nothing is evaluated on a partial account.
package account

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unique"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/internal/jsonlist"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Account is a loaded snapshot.
type Account struct {
	// ID is the account id, read from the entities' ARNs.
	ID       string
	Users    []*User
	Groups   []*Group
	Roles    []*Role
	Policies map[string]*ManagedPolicy // by ARN
	// UsersListed, GroupsListed, RolesListed and PoliciesListed say that a
	// page of the dump has the list (UserDetailList, ...), empty or not. A
	// dump filtered with --filter leaves the other lists out: their
	// entities are not in it, which is not the same as none in the account.
	UsersListed, GroupsListed, RolesListed, PoliciesListed bool

	users  map[string]*User // by name
	groups map[string]*Group
	roles  map[string]*Role
	// userARNs and roleARNs find an entity by ARN; the first in dump
	// order when two share one
	userARNs map[string]*User
	roleARNs map[string]*Role
	// partition is that of the entities' ARNs ("aws", "aws-cn", ...)
	partition string
}

// User is an IAM user.
type User struct {
	Name, ARN string
	// ID is the user's unique id (UserId, "AIDA..."), or "" when the dump
	// does not give it.
	ID       string
	Groups   []string
	Inline   []*policy.Policy
	Attached []string // managed policy ARNs
	Boundary string   // managed policy ARN, or ""
	// Tags are the user's tags, in dump order; TagsListed says the dump
	// gives its Tags (an empty list included), so that a tag it lacks is
	// known to be absent.
	Tags       []Tag
	TagsListed bool
}

// Group is an IAM group.
type Group struct {
	Name, ARN string
	Inline    []*policy.Policy
	Attached  []string
}

// Role is an IAM role.
type Role struct {
	Name, ARN string
	// ID is the role's unique id (RoleId, "AROA..."), or "" when the dump
	// does not give it.
	ID       string
	Trust    *policy.Policy
	Inline   []*policy.Policy
	Attached []string
	Boundary string
	// Tags are the role's tags, in dump order; TagsListed says the dump
	// gives its Tags (an empty list included).
	Tags       []Tag
	TagsListed bool
	// InstanceProfiles are the ARNs of the instance profiles that hold
	// the role (InstanceProfileList), through which EC2 runs instances as
	// it.
	InstanceProfiles []string
}

// ManagedPolicy is a managed policy and its default version.
type ManagedPolicy struct {
	Name, ARN string
	Document  *policy.Policy
}

// Error is a problem in a dump: where, which entity and field, and what.
type Error struct {
	Pos    policy.Position
	Entity string
	Msg    string
}

// Error returns "file:line:col: entity: message".
func (e *Error) Error() string {
	s := e.Pos.String() + ": "
	if e.Entity != "" {
		s += e.Entity + ": "
	}
	return s + e.Msg
}

type loader struct {
	name  string
	data  []byte
	index *policy.LineIndex
	acct  *Account
	errs  []error
	// nerrs counts the problems found, listed in errs or not (add)
	nerrs int
	// parallel defers the parsing of inline policy documents written as
	// JSON objects to parsePending; pending are those read so far
	parallel bool
	pending  []pendingDocument
	// attachments are every AttachedManagedPolicies member that names its
	// policy, checked once every managed policy is read
	attachments []attachment
	// share, when not nil, is the table of the statements the pending
	// documents share (LoadOptions.ShareStatements)
	share *policy.StatementShare
	// release is LoadOptions.Release, for a load that parses the
	// documents on all cores; given is how far it has given the data back
	release func(from, to int)
	given   int
}

// keepShared is keep for a text that many entities of a dump repeat: the
// ARN of a policy they attach or have as their boundary, a group they are
// in, a tag's key and value. Each is kept once, not once per entity: the
// standard library's unique package interns it (and copies it, so that
// nothing of the dump's bytes is kept).
func keepShared(s string) string { return unique.Make(s).Value() }

func (l *loader) pos(off int) policy.Position { return l.index.Position(off) }

func (l *loader) errorf(off int, entity, format string, args ...any) {
	l.add(func() error { return &Error{Pos: l.pos(off), Entity: entity, Msg: fmt.Sprintf(format, args...)} })
}

// add adds the problem made, when fewer than policy.MaxErrors are listed;
// the others are counted (nerrs), in a last problem (problems).
func (l *loader) add(mk func() error) {
	l.nerrs++
	if len(l.errs) < policy.MaxErrors {
		l.errs = append(l.errs, mk())
	}
}

// problems returns the problems listed, and after them the count of
// those that are not.
func (l *loader) problems() Errors {
	if more := l.nerrs - len(l.errs); more > 0 {
		return append(Errors(l.errs), &Error{Pos: policy.Position{Filename: l.name},
			Msg: fmt.Sprintf("%d more problems are not listed (at most %d are; the first found)", more, policy.MaxErrors)})
	}
	return Errors(l.errs)
}

// Errors is every problem found in a dump.
type Errors []error

// Error lists every problem, one per line.
func (e Errors) Error() string {
	var b strings.Builder
	for i, x := range e {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(x.Error())
	}
	return b.String()
}

// Load reads a dump named name. data holds one page of
// get-account-authorization-details output, or several pages one after
// another (as concatenated JSON documents or as a JSON list of pages).
// data must not be modified while Load runs; the account keeps no
// reference to it.
func Load(name string, data []byte) (*Account, error) {
	return LoadWith(name, data, LoadOptions{})
}

// LoadOptions are the choices of LoadWith.
type LoadOptions struct {
	// ShareStatements parses each inline policy statement that several
	// documents of the dump hold alike (the same text at the same place
	// of a document of the same Version: every user's copy of a force-MFA
	// policy) once, and the documents share it (policy.StatementShare):
	// the model of a 20,000-user dump is about a quarter smaller; so are
	// the Action, NotAction, Resource and NotResource elements statements
	// hold alike (every user's home-prefix statement lists the same
	// actions), a few megabytes more. Such a statement or element has no
	// positions (its Start, End and the positions of its elements and
	// values are the zero policy.Position), since it stands at several
	// places of the file: policy.Policy.Braces gives where a statement
	// stands in each document that holds it. A document holding one that
	// policy.Check finds fault with as an identity policy is parsed on
	// its own, so that the errors an analysis reports of it are placed.
	// For analyses that name statements by policy, Sid and index, not by
	// position.
	ShareStatements bool
	// Release, when not nil, is given back the dump's bytes as LoadWith
	// is done with them: it is called with from and to, an offset of
	// data and one past it, when LoadWith will not read data[from:to]
	// again, such as when every inline policy document there is parsed.
	// The calls come one at a time, each from where the last ended, from
	// the goroutines that parse the documents; Release may then change
	// those bytes or give their memory back to the system (a 61 MB dump
	// need not stay whole beside the model made of it). When LoadWith
	// meets a problem after it has given bytes back it returns
	// ErrReadAgain: the caller reads the dump again and loads it without
	// Release, which lists every problem.
	Release func(from, to int)
}

// ErrReadAgain is LoadWith's error when it met a problem in the dump after
// it had given bytes of it back (LoadOptions.Release): the problems are
// listed by a load of the dump's bytes, read again, without Release.
var ErrReadAgain = errors.New("account: the dump has a problem, met after its bytes were given back: load it again, without LoadOptions.Release, to list its problems")

// LoadWith is Load with the options opt.
func LoadWith(name string, data []byte, opt LoadOptions) (*Account, error) {
	index := policy.NewLineIndex(name, data)
	acct, err := load(name, data, index, loadWhole, opt)
	if errors.Is(err, errSplit) {
		acct, err = load(name, data, index, loadParallel, opt)
	}
	if errors.Is(err, errAgain) {
		acct, err = load(name, data, index, loadInOrder, opt)
	}
	return acct, err
}

// loadMode is how load reads a dump.
type loadMode uint8

const (
	// loadWhole is loadParallel for the common dump of one page: input
	// whose first and last bytes but white space are the brackets of one
	// object (or list) is read as that one value, without finding where
	// its values end first (split); json.Valid on another core then
	// confirms it, and any doubt is errSplit.
	loadWhole loadMode = iota
	// loadParallel splits the input into its values, reads their
	// entities in order and parses their inline policy documents (most
	// of a dump's text) afterwards on all cores; any error is errAgain.
	loadParallel
	// loadInOrder reads one entity at a time, which reports every
	// problem in the order it meets them.
	loadInOrder
)

// errSplit says the input is not the one JSON value loadWhole took it
// for: it is read again, its values found one by one.
var errSplit = errors.New("load again, finding each value")

// errAgain says a load that parsed the inline policies on all cores met
// an error: the dump is read again one entity at a time, which reports
// every problem in the order it meets them.
var errAgain = errors.New("load again, one entity at a time")

// load is Load, reading the dump as mode says.
func load(name string, data []byte, index *policy.LineIndex, mode loadMode, opt LoadOptions) (*Account, error) {
	parallel := mode != loadInOrder
	l := &loader{name: name, data: data, index: index, parallel: parallel, acct: &Account{
		Policies: map[string]*ManagedPolicy{}, users: map[string]*User{}, groups: map[string]*Group{}, roles: map[string]*Role{},
		userARNs: map[string]*User{}, roleARNs: map[string]*Role{},
	}}
	if parallel && opt.ShareStatements {
		l.share = &policy.StatementShare{}
	}
	if parallel {
		l.release = opt.Release
	}
	var pages []gjson.Result
	var err error
	valid := make(chan bool, 1)
	if parallel {
		// the pages are checked on another core while this one reads
		// their entities; the documents are parsed, trusting the
		// pages' JSON, only once it is known to be valid
		pages, err = l.spans(valid, mode == loadWhole)
	} else {
		pages, err = l.pages()
	}
	if err != nil {
		return nil, err
	}
	for i, p := range pages {
		last := i == len(pages)-1
		l.page(p, last)
	}
	if parallel {
		ok := <-valid
		if !ok && mode == loadWhole {
			return nil, errSplit
		}
		if !ok || len(l.errs) > 0 {
			return nil, errAgain
		}
		// before the documents are parsed, when the data may go
		// (LoadOptions.Release): the names it compares are the data's
		// (and read in order, a problem it finds is listed after the
		// documents')
		if l.resolve(); len(l.errs) > 0 {
			return nil, errAgain
		}
		if !l.parsePending() {
			if l.given > 0 {
				return nil, ErrReadAgain
			}
			return nil, errAgain
		}
	}
	if !parallel && len(l.errs) == 0 {
		l.resolve()
	}
	if len(l.errs) > 0 {
		return nil, l.problems()
	}
	return l.acct, nil
}

// pendingDocument is an inline policy document read but not yet parsed:
// the policy is made in slot, which the entity already holds.
type pendingDocument struct {
	slot   *policy.Policy
	off, n int
	name   string
}

// parsePending parses the pending documents on all cores, each into its
// slot, and reports whether every one parsed. With LoadOptions.Release it
// gives back the bytes before the first document not parsed yet as the
// documents are, and the rest once all are (nothing is read after them).
func (l *loader) parsePending() bool {
	// a few documents at a time: each takes microseconds
	const chunk = 64
	chunks := (len(l.pending) + chunk - 1) / chunk
	// (Release) the chunks parsed (done), the first not (frontier), and
	// where the documents of each chunk and those after it start (from;
	// one more: the end of the data)
	var mu sync.Mutex
	var done []bool
	var from []int
	frontier := 0
	if l.release != nil {
		done, from = make([]bool, chunks), make([]int, chunks+1)
		from[chunks] = len(l.data)
		for c := chunks - 1; c >= 0; c-- {
			from[c] = from[c+1]
			for _, d := range l.pending[c*chunk : min((c+1)*chunk, len(l.pending))] {
				from[c] = min(from[c], d.off)
			}
		}
	}
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	var shareMu sync.RWMutex
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1)) - 1
				if c >= chunks || failed.Load() {
					return
				}
				docs := l.pending[c*chunk : min((c+1)*chunk, len(l.pending))]
				// parsing with the table clears the positions of a
				// statement another document holds (StatementShare),
				// which policy.Check reads: the chunks parse together,
				// and are checked one at a time
				shareMu.RLock()
				for _, d := range docs {
					// the page holding it was validated whole (pages); the
					// AWS CLI's indentation, most of a document's bytes, is
					// not kept
					p, err := policy.ParseSpanIndexWith(l.index, l.data, d.off, d.n, policy.SpanOptions{Valid: true, Compact: true, Share: l.share})
					if err != nil {
						shareMu.RUnlock()
						failed.Store(true)
						return
					}
					p.Name = d.name
					*d.slot = *p
				}
				shareMu.RUnlock()
				if l.share != nil {
					l.ownPositions(docs, &shareMu)
				}
				if l.release != nil {
					mu.Lock()
					done[c] = true
					for frontier < chunks && done[frontier] {
						frontier++
					}
					if to := from[frontier]; to > l.given {
						l.release(l.given, to)
						l.given = to
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	l.pending = nil
	return !failed.Load()
}

// ownPositions parses again, on its own, each of docs (parsed with the
// table, LoadOptions.ShareStatements) that policy.Check finds fault with
// as an identity policy: its errors, which an analysis reports, are placed
// in the file. (Whether another document will share a statement of it,
// which clears the statement's positions, is not known yet; it is parsed
// again now, while its bytes are there (LoadOptions.Release), and a
// statement no other document holds parses alike either way.) Check runs
// holding mu, which the documents' parsing holds for reading.
func (l *loader) ownPositions(docs []pendingDocument, mu *sync.RWMutex) {
	var faulted []pendingDocument
	mu.Lock()
	for _, d := range docs {
		if len(policy.Check(d.slot, policy.KindIdentity)) > 0 {
			faulted = append(faulted, d)
		}
	}
	mu.Unlock()
	for _, d := range faulted {
		// it parsed with the table: it parses without
		if p, err := policy.ParseSpanIndexWith(l.index, l.data, d.off, d.n, policy.SpanOptions{Valid: true, Compact: true}); err == nil {
			p.Name = d.name
			*d.slot = *p
		}
	}
}

// pages splits the input into page objects with their offsets. Each JSON
// value of the input is found by matching its brackets, checked with
// json.Valid and read in place, so every byte is scanned twice and copied
// never. On any doubt it leaves the work to decodePages, which says what is
// wrong where.
//
// The values are read from a string that is the input's own memory, not a
// copy (a copy of a 60 MB dump took a fifth of the time to load it): data
// is not modified while Load runs, and every string the account keeps is
// its own copy (keep, and policy.ParseSpanIndex's), so the account holds
// no reference to data once Load returns (TestLoadKeepsNoneOfTheInput).
func (l *loader) pages() ([]gjson.Result, error) {
	pages, ok := l.split(func(off, end int) bool { return json.Valid(l.data[off:end]) })
	if !ok {
		return l.decodePages()
	}
	if len(pages) == 0 {
		return nil, &Error{Pos: l.pos(0), Msg: "empty dump: want the JSON of aws iam get-account-authorization-details"}
	}
	return pages, nil
}

// split finds each JSON value of the input by matching its brackets and
// reads it in place, a list as its items: the pages. check is asked about
// each value's span before it is read; when it says no, split stops and
// ok is false.
func (l *loader) split(check func(off, end int) bool) (pages []gjson.Result, ok bool) {
	for off := skipSpace(l.data, 0); off < len(l.data); off = skipSpace(l.data, off) {
		end := valueEnd(l.data, off)
		if !check(off, end) {
			return nil, false
		}
		pages = l.appendPages(pages, off, end)
		off = end
	}
	return pages, true
}

// appendPages reads the value data[off:end] in place and appends it to
// pages, a list as its items.
func (l *loader) appendPages(pages []gjson.Result, off, end int) []gjson.Result {
	// Indexes of values read from r are offsets in the file.
	r := gjson.Parse(unsafe.String(unsafe.SliceData(l.data[off:]), end-off))
	r.Index = off
	if r.IsArray() {
		return append(pages, r.Array()...)
	}
	return append(pages, r)
}

// spans is pages without json.Valid: it splits the input into page
// objects by matching their brackets and reads them in place, and checks
// them with json.Valid on another goroutine, which sends on valid whether
// every one is valid. What it returns of input that is not valid JSON is
// whatever gjson reads there (gjson does not fail on it): the caller reads
// it only to throw it away when valid says false (load's errAgain), and
// pages then says what is wrong where.
//
// whole, input that begins with '{' and ends with '}', or begins with '['
// and ends with ']', but for white space, is taken for one value and not
// split: when it is one, its end is where split would find it, and when it
// is not, json.Valid refuses it (valid says false).
func (l *loader) spans(valid chan<- bool, whole bool) ([]gjson.Result, error) {
	var bounds [][2]int
	var pages []gjson.Result
	if off, end := skipSpace(l.data, 0), trimSpaceEnd(l.data); whole && end-off >= 2 &&
		(l.data[off] == '{' && l.data[end-1] == '}' || l.data[off] == '[' && l.data[end-1] == ']') {
		bounds = append(bounds, [2]int{off, end})
		pages = l.appendPages(nil, off, end)
	} else {
		pages, _ = l.split(func(off, end int) bool {
			bounds = append(bounds, [2]int{off, end})
			return true
		})
	}
	go func() {
		for _, b := range bounds {
			if !json.Valid(l.data[b[0]:b[1]]) {
				valid <- false
				return
			}
		}
		valid <- true
	}()
	if len(pages) == 0 {
		// nothing to read ("[]", or "[" cut short): pages says which
		return l.pages()
	}
	return pages, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// trimSpaceEnd returns the length of data without the JSON white space at
// its end.
func trimSpaceEnd(data []byte) int {
	end := len(data)
	for end > 0 && isSpace(data[end-1]) {
		end--
	}
	return end
}

// skipSpace returns the offset of the first byte at or after off that is
// not JSON white space.
func skipSpace(data []byte, off int) int {
	for off < len(data) && isSpace(data[off]) {
		off++
	}
	return off
}

// valueEnd returns the end of the JSON value that starts at data[off], a byte
// that is not white space, without validating it: an object or list ends at
// its matching bracket (brackets in strings aside), a string at its closing
// quote, anything else at white space or punctuation. The end of a malformed
// value may be anywhere after off; json.Valid then refuses the span.
func valueEnd(data []byte, off int) int {
	depth, inStr, esc := 0, false, false
	for i := off; i < len(data); i++ {
		c := data[i]
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
				if depth == 0 {
					return i + 1
				}
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth <= 0 {
				return i + 1
			}
		case depth == 0 && (isSpace(c) || c == ',' || c == ':'):
			return max(i, off+1)
		}
	}
	return len(data)
}

// decodePages is pages by encoding/json's Decoder: slower, but it reports
// the first syntax error of a malformed dump with its offset.
func (l *loader) decodePages() ([]gjson.Result, error) {
	dec := json.NewDecoder(bytes.NewReader(l.data))
	var pages []gjson.Result
	for {
		start := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *json.SyntaxError
			switch {
			case errors.As(err, &se):
				return nil, &Error{Pos: l.pos(int(se.Offset) - 1), Msg: "invalid JSON: " + err.Error()}
			case errors.Is(err, io.ErrUnexpectedEOF):
				// where more was wanted: the end, and the value left open
				open := l.pos(skipSpace(l.data, int(start)))
				return nil, &Error{Pos: l.pos(len(l.data)), Msg: fmt.Sprintf("invalid JSON: unexpected end of the dump, in the value that begins at %d:%d (a truncated dump?)", open.Line, open.Column)}
			}
			return nil, &Error{Pos: l.pos(int(dec.InputOffset())), Msg: "invalid JSON: " + err.Error()}
		}
		// skip the white space the decoder counted before the value
		s := skipSpace(l.data, int(start))
		// Indexes of values read from r are offsets in the file.
		r := gjson.ParseBytes(raw)
		r.Index = s
		if r.IsArray() {
			pages = append(pages, r.Array()...)
			continue
		}
		pages = append(pages, r)
	}
	if len(pages) == 0 {
		return nil, &Error{Pos: l.pos(0), Msg: "empty dump: want the JSON of aws iam get-account-authorization-details"}
	}
	return pages, nil
}

// page reads one page. last says whether it is the dump's last page, which
// must not continue: a NextToken (the AWS CLI's --max-items), or IsTruncated
// true or a Marker (the API's own pagination), on the last page means pages
// are missing.
func (l *loader) page(p gjson.Result, last bool) {
	if !p.IsObject() {
		l.errorf(p.Index, "", "a page must be a JSON object, got %s", p.Type)
		return
	}
	known := false
	// the continuation fields, when set
	var truncated, marker, nextToken gjson.Result
	// the fields met: one twice is refused, as an entity's is (members)
	met := map[string]bool{}
	p.ForEach(func(k, v gjson.Result) bool {
		if met[k.Str] {
			l.errorf(k.Index, "", "field %q twice in a get-account-authorization-details page: which value to read would be a guess (the AWS CLI prints each field once)", k.Str)
			return true
		}
		met[k.Str] = true
		switch k.Str {
		case "UserDetailList", "GroupDetailList", "RoleDetailList", "Policies":
			known = true
			switch k.Str {
			case "UserDetailList":
				l.acct.UsersListed = true
			case "GroupDetailList":
				l.acct.GroupsListed = true
			case "RoleDetailList":
				l.acct.RolesListed = true
			default:
				l.acct.PoliciesListed = true
			}
			if !v.IsArray() {
				l.errorf(v.Index, "", "%s must be a list", k.Str)
				return true
			}
			for i, item := range jsonlist.Elements(v) {
				off := item.Index
				switch k.Str {
				case "UserDetailList":
					l.user(item, off, i)
				case "GroupDetailList":
					l.group(item, off, i)
				case "RoleDetailList":
					l.role(item, off, i)
				case "Policies":
					l.managed(item, off, i)
				}
			}
		case "IsTruncated":
			switch v.Type {
			case gjson.True:
				truncated = v
			case gjson.False:
			default:
				l.errorf(v.Index, "", "IsTruncated must be true or false, got %s", v.Raw)
			}
		case "Marker", "NextToken":
			switch {
			case v.Type == gjson.Null || v.Type == gjson.String && v.Str == "":
			case v.Type != gjson.String:
				l.errorf(v.Index, "", "%s must be a string, got %s", k.Str, v.Raw)
			case k.Str == "Marker":
				marker = v
			default:
				nextToken = v
			}
		default:
			l.errorf(k.Index, "", "unknown field %q in a get-account-authorization-details page", k.Str)
		}
		return true
	})
	if !known {
		l.errorf(p.Index, "", "this is not get-account-authorization-details output: no UserDetailList, GroupDetailList, RoleDetailList or Policies")
	}
	if !last {
		return
	}
	// A page that continues is not the last one: the pages after it are
	// missing, or the pages are out of order.
	const every = "pass every page, in the order the command printed them"
	switch {
	case nextToken.Exists():
		l.errorf(nextToken.Index, "", "NextToken on the last page: this is one page of get-account-authorization-details --max-items output, not the whole account (get the next page with --starting-token %s and %s, or run the command without --max-items)", nextToken.Str, every)
	case truncated.Exists() && marker.Exists():
		l.errorf(truncated.Index, "", "IsTruncated is true on the last page, with Marker %s: the dump is missing pages (%s, or use the AWS CLI without --max-items)", marker.Str, every)
	case truncated.Exists():
		l.errorf(truncated.Index, "", "IsTruncated is true on the last page: the dump is missing pages (%s, or use the AWS CLI without --max-items)", every)
	case marker.Exists():
		l.errorf(marker.Index, "", "Marker on the last page: the API had more pages to give and the dump is missing them (%s, or use the AWS CLI without --max-items)", every)
	}
}

// keep copies a string read from the dump that the account keeps: gjson's
// strings share the memory of the whole dump's text, which the account would
// otherwise hold on to.
func keep(s string) string { return strings.Clone(s) }

func (l *loader) account(arn string, off int, entity string) {
	parts, ok := request.SplitARN(arn)
	if !ok || !request.IsAccountID(parts[4]) {
		l.errorf(off, entity, "Arn %q is not an IAM ARN with an account", arn)
		return
	}
	switch {
	case l.acct.ID == "":
		l.acct.ID, l.acct.partition = parts[4], parts[1]
	case l.acct.ID != parts[4]:
		l.errorf(off, entity, "Arn %q is in account %s, the dump's other entities in %s", arn, parts[4], l.acct.ID)
	}
}

// document reads a policy document: a URL-encoded JSON string, as the API
// returns it, or a JSON object, as the AWS CLI prints it.
func (l *loader) document(v gjson.Result, off int, entity, field, name string) *policy.Policy {
	var p *policy.Policy
	var err error
	switch {
	case v.Type == gjson.String:
		text, uerr := url.QueryUnescape(v.Str)
		if uerr != nil {
			text = v.Str
		}
		// positions are those of the decoded text, named by the policy
		p, err = policy.Parse(name, []byte(text))
	case v.IsObject():
		// the page holding it was validated whole (pages); the AWS
		// CLI's indentation, most of a document's bytes, is not kept
		p, err = policy.ParseSpanIndexWith(l.index, l.data, v.Index, len(v.Raw), policy.SpanOptions{Valid: true, Compact: true})
	default:
		l.errorf(off, entity, "%s: missing policy document", field)
		return nil
	}
	if err != nil {
		l.errorf(off, entity, "%s: invalid policy: %v", field, err)
		return nil
	}
	p.Name = name
	return p
}

// resolve checks that every reference points at an entity in the dump.
func (l *loader) resolve() {
	check := func(entity string, arns []string, field string) {
		for _, a := range arns {
			if _, ok := l.acct.Policies[a]; !ok {
				l.add(func() error {
					return &Error{Pos: policy.Position{Filename: l.name}, Entity: entity,
						Msg: fmt.Sprintf("%s names %s, which is not in the dump's Policies (include AWS managed policies: --filter LocalManagedPolicy AWSManagedPolicy ...)", field, a)}
				})
			}
		}
	}
	for _, u := range l.acct.Users {
		e := fmt.Sprintf("user %q", u.Name)
		check(e, u.Attached, "AttachedManagedPolicies")
		if u.Boundary != "" {
			check(e, []string{u.Boundary}, "PermissionsBoundary")
		}
		for _, g := range u.Groups {
			if _, ok := l.acct.groups[g]; !ok {
				l.add(func() error {
					return &Error{Pos: policy.Position{Filename: l.name}, Entity: e, Msg: fmt.Sprintf("GroupList names group %q, which is not in the dump's GroupDetailList", g)}
				})
			}
		}
	}
	for _, g := range l.acct.Groups {
		check(fmt.Sprintf("group %q", g.Name), g.Attached, "AttachedManagedPolicies")
	}
	for _, r := range l.acct.Roles {
		e := fmt.Sprintf("role %q", r.Name)
		check(e, r.Attached, "AttachedManagedPolicies")
		if r.Boundary != "" {
			check(e, []string{r.Boundary}, "PermissionsBoundary")
		}
	}
	for _, at := range l.attachments {
		if p, ok := l.acct.Policies[at.arn]; ok && p.Name != at.name {
			l.add(func() error {
				return &Error{Pos: policy.Position{Filename: l.name}, Entity: at.entity,
					Msg: fmt.Sprintf("%s calls %s %q, but the dump's Policies call it %q", attachedField(at.at), at.arn, at.name, p.Name)}
			})
		}
	}
}

// Kind is what a principal is.
type Kind uint8

// Principal kinds.
const (
	KindUser Kind = iota
	KindRole
)

// Principal is a user or role of the account.
type Principal struct {
	Kind Kind
	Name string
	// ARN is the entity's ARN; Caller is the ARN requests come from: the
	// user's, or an assumed-role session of the role.
	ARN, Caller string
	User        *User
	Role        *Role
}

// String names the principal: "user alice" or "role Admin".
func (p *Principal) String() string {
	if p.Kind == KindRole {
		return "role " + p.Name
	}
	return "user " + p.Name
}

// Principals returns every user, then every role, in dump order.
func (a *Account) Principals() []*Principal {
	var out []*Principal
	for _, u := range a.Users {
		out = append(out, a.userPrincipal(u))
	}
	for _, r := range a.Roles {
		out = append(out, a.rolePrincipal(r))
	}
	return out
}

func (a *Account) userPrincipal(u *User) *Principal {
	return &Principal{Kind: KindUser, Name: u.Name, ARN: u.ARN, Caller: u.ARN, User: u}
}

func (a *Account) rolePrincipal(r *Role) *Principal {
	return &Principal{Kind: KindRole, Name: r.Name, ARN: r.ARN, Role: r,
		Caller: "arn:aws:sts::" + a.ID + ":assumed-role/" + r.Name + "/" + SessionName}
}

// Principal finds a user or role by ARN, by name, or as "user/NAME" or
// "role/NAME" (with the entity's path too: "role/service-role/NAME"), or
// by its path and name as its ARN ends ("service-role/NAME"). A
// match by ARN comes before one by name; a bare name that is both a user's
// and a role's is refused, naming both forms (IAM keeps user and role names
// apart: one of each may share a name). The path may begin with its slash,
// as IAM writes it ("/service-role/NAME"). Each lookup takes constant
// time. When ref names no user or role, the error says the forms it takes
// and names the users and roles of ref's last part in another letter case
// or under another path (time linear in the account, on that error only).
func (a *Account) Principal(ref string) (*Principal, error) {
	p, err := a.principal(ref)
	if p != nil || err != nil {
		return p, err
	}
	return nil, a.noPrincipal(ref)
}

// principal is Principal, with a nil error and a nil principal when ref
// names none (noPrincipal says so).
func (a *Account) principal(ref string) (*Principal, error) {
	// a path as IAM writes it (Path "/staff/"), then the name: the entity
	// whose ARN ends in user/ or role/ and ref without its slash
	// (/role/admin is the user admin at /role/, not the role admin)
	rooted := len(ref) > 1 && ref[0] == '/'
	if rooted {
		ref = ref[1:]
	}
	kind, rest, hasSlash := strings.Cut(ref, "/")
	pathForm := hasSlash && !strings.HasPrefix(ref, "arn:")
	if !rooted && pathForm && (kind == "user" || kind == "role") {
		// a path before the name must be the entity's own: its ARN ends
		// in kind/path/name
		name := rest[strings.LastIndexByte(rest, '/')+1:]
		ownPath := func(arn string) bool { return name == rest || strings.HasSuffix(arn, ":"+ref) }
		if u, ok := a.users[name]; ok && kind == "user" && ownPath(u.ARN) {
			return a.userPrincipal(u), nil
		}
		if r, ok := a.roles[name]; ok && kind == "role" && ownPath(r.ARN) {
			return a.rolePrincipal(r), nil
		}
		return nil, nil
	}
	if !rooted {
		if u, ok := a.userARNs[ref]; ok {
			return a.userPrincipal(u), nil
		}
		if r, ok := a.roleARNs[ref]; ok {
			return a.rolePrincipal(r), nil
		}
	}
	// a name, or a path and a name without the kind: the entity whose ARN
	// ends in user/ref or role/ref (any path for a bare name, "/" for a
	// rooted one)
	name := ref
	if pathForm {
		name = ref[strings.LastIndexByte(ref, '/')+1:]
	}
	u, isUser := a.users[name]
	r, isRole := a.roles[name]
	if pathForm || rooted {
		isUser = isUser && strings.HasSuffix(u.ARN, ":user/"+ref)
		isRole = isRole && strings.HasSuffix(r.ARN, ":role/"+ref)
	}
	switch {
	case isUser && isRole && rooted:
		return nil, fmt.Errorf("both a user and a role are at %q: give user/%s or role/%s", "/"+ref, ref, ref)
	case isUser && isRole:
		return nil, fmt.Errorf("both a user and a role are named %q: give user/%s or role/%s", ref, ref, ref)
	case isUser:
		return a.userPrincipal(u), nil
	case isRole:
		return a.rolePrincipal(r), nil
	}
	return nil, nil
}

// noPrincipal is the error of Principal(ref) when ref names no user or
// role: the forms it takes, and the users and roles whose names are ref's
// last part in another letter case or with another path, if any.
func (a *Account) noPrincipal(ref string) error {
	trimmed := strings.TrimRight(strings.TrimSpace(ref), "/")
	name := trimmed[strings.LastIndexAny(trimmed, "/:")+1:]
	var meant []string
	if name != "" {
		for _, u := range a.Users {
			if strings.EqualFold(u.Name, name) {
				meant = append(meant, entityRef(u.ARN, "user/"+u.Name))
			}
		}
		for _, r := range a.Roles {
			if strings.EqualFold(r.Name, name) {
				meant = append(meant, entityRef(r.ARN, "role/"+r.Name))
			}
		}
	}
	shown := ref
	if len(shown) > 200 {
		shown = shown[:200] + "..."
	}
	msg := fmt.Sprintf("no user or role %q in the account: give its name, its ARN, or its path and name with user/ or role/ or / before them", shown)
	if len(meant) > 0 {
		msg += "; did you mean " + strings.Join(meant, " or ") + "?"
	}
	return errors.New(msg)
}

// entityRef names a user or role for --principal: user/ or role/, its
// path and name (as its ARN ends), and its ARN; short when the ARN does
// not read.
func entityRef(arn, short string) string {
	if parts, ok := request.SplitARN(arn); ok && (strings.HasPrefix(parts[5], "user/") || strings.HasPrefix(parts[5], "role/")) {
		short = parts[5]
	}
	return short + " (" + arn + ")"
}

// Role returns the role whose ARN is arn, or whose name it is when arn is a
// role ARN of the account without the role's path, in constant time.
func (a *Account) Role(arn string) (*Role, bool) {
	if r, ok := a.roleARNs[arn]; ok {
		return r, true
	}
	// a role ARN may omit the path
	if parts, ok := request.SplitARN(arn); ok && strings.HasPrefix(parts[5], "role/") {
		name := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
		if r, ok := a.roles[name]; ok && parts[4] == a.ID {
			return r, true
		}
	}
	return nil, false
}

// PolicySet builds the principal's policies: its inline and attached managed
// policies, its groups' (for a user), and its permissions boundary. Each
// policy's Name is its SourcePolicyId: "user alice inline NAME", "group devs
// inline NAME", or the managed policy's ARN.
func (a *Account) PolicySet(p *Principal) evaluator.PolicySet {
	set := evaluator.PolicySet{ResourceOwner: a.ID}
	// the list made at its length: a set is made for each principal at
	// every step of an account's analysis
	if n := a.identityCount(p); n > 0 {
		set.Identity = make([]*policy.Policy, 0, n)
	}
	for d, boundary := range a.setPolicies(p) {
		if boundary {
			set.Boundary = d
		} else {
			set.Identity = append(set.Identity, d)
		}
	}
	return set
}

// setPolicies yields the policies of p's set in the order PolicySet holds
// them, without making the set: its identity policies, then its boundary
// (boundary true).
func (a *Account) setPolicies(p *Principal) iter.Seq2[*policy.Policy, bool] {
	return func(yield func(*policy.Policy, bool) bool) {
		var inline []*policy.Policy
		var attached, groups []string
		boundary := ""
		switch p.Kind {
		case KindUser:
			inline, attached, groups, boundary = p.User.Inline, p.User.Attached, p.User.Groups, p.User.Boundary
		case KindRole:
			inline, attached, boundary = p.Role.Inline, p.Role.Attached, p.Role.Boundary
		}
		for _, d := range inline {
			if !yield(d, false) {
				return
			}
		}
		for _, arn := range attached {
			if !yield(a.Policies[arn].Document, false) {
				return
			}
		}
		for _, gname := range groups {
			g := a.groups[gname]
			for _, d := range g.Inline {
				if !yield(d, false) {
					return
				}
			}
			for _, arn := range g.Attached {
				if !yield(a.Policies[arn].Document, false) {
					return
				}
			}
		}
		if boundary != "" {
			yield(a.Policies[boundary].Document, true)
		}
	}
}

// identityCount is the number of p's identity policies.
func (a *Account) identityCount(p *Principal) int {
	switch p.Kind {
	case KindUser:
		n := len(p.User.Inline) + len(p.User.Attached)
		for _, gname := range p.User.Groups {
			g := a.groups[gname]
			n += len(g.Inline) + len(g.Attached)
		}
		return n
	case KindRole:
		return len(p.Role.Inline) + len(p.Role.Attached)
	}
	return 0
}

// policyAt returns the policy at place j of p's set (setPolicies): its
// j-th identity policy, its boundary when j is the number of them, or nil.
func (a *Account) policyAt(p *Principal, j int) *policy.Policy {
	i := 0
	for d := range a.setPolicies(p) {
		if i == j {
			return d
		}
		i++
	}
	return nil
}

// placeIn returns d's place in p's set (policyAt), as its boundary or as
// one of its identity policies, or -1.
func (a *Account) placeIn(p *Principal, d *policy.Policy, asBoundary bool) int {
	i := 0
	for e, boundary := range a.setPolicies(p) {
		if e == d && boundary == asBoundary {
			return i
		}
		i++
	}
	return -1
}

// Group finds a group by ARN (with or without its path), by name, or by
// group/ and its name or its path and name ("group/teams/ops").
func (a *Account) Group(ref string) (*Group, bool) {
	if g, ok := a.groups[ref]; ok {
		return g, true
	}
	if rest, ok := strings.CutPrefix(ref, "group/"); ok {
		// group/NAME, or group/ and the group's path and name, as
		// Principal takes user/ and role/
		g, ok := a.groups[rest[strings.LastIndexByte(rest, '/')+1:]]
		if ok && (!strings.Contains(rest, "/") || strings.HasSuffix(g.ARN, ":group/"+rest)) {
			return g, true
		}
		return nil, false
	}
	parts, ok := request.SplitARN(ref)
	if !ok || parts[4] != a.ID || !strings.HasPrefix(parts[5], "group/") {
		return nil, false
	}
	name := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	if g, ok := a.groups[name]; ok && (g.ARN == ref || "group/"+name == parts[5]) {
		return g, true
	}
	return nil, false
}

// GroupPolicySet builds a group's policies: its inline and attached
// managed policies, named as PolicySet names them ("group devs inline
// NAME", the managed policy's ARN), with the account as ResourceOwner.
// A group has no permissions boundary.
func (a *Account) GroupPolicySet(g *Group) evaluator.PolicySet {
	return evaluator.PolicySet{ResourceOwner: a.ID, Identity: a.appendGroupPolicies(nil, g)}
}

// appendGroupPolicies appends g's identity policies to ps: its inline
// policies, then its attached ones, as a member's set holds them.
func (a *Account) appendGroupPolicies(ps []*policy.Policy, g *Group) []*policy.Policy {
	ps = append(ps, g.Inline...)
	for _, arn := range g.Attached {
		ps = append(ps, a.Policies[arn].Document)
	}
	return ps
}

// TrustPolicy returns the resource policy that decides action on resource:
// the trust policy of the account's role resource when action is one of
// sts:AssumeRole*, or nil.
func (a *Account) TrustPolicy(action, resource string) *policy.Policy {
	if !strings.HasPrefix(strings.ToLower(action), "sts:assumerole") {
		return nil
	}
	if r, ok := a.Role(resource); ok {
		return r.Trust
	}
	return nil
}
