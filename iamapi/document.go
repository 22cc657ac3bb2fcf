package iamapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// document is a JSON request document being read, with a line table for
// positions.
type document struct {
	name  string
	data  []byte
	index *policy.LineIndex
	errs  policy.ErrorList
	req   *Request
}

func (f *document) pos(off int) policy.Position { return f.index.Position(off) }

// fail records a problem at offset off of the document.
func (f *document) fail(off int, code, format string, args ...any) {
	f.errs = append(f.errs, &policy.Error{Pos: f.pos(off), Code: code, Msg: fmt.Sprintf(format, args...)})
}

// JSONError is the error for data that is not a JSON object: where it stops
// being valid JSON, or what it is instead. name names the file.
func JSONError(name string, data []byte) error {
	f := &document{name: name, data: data, index: policy.NewLineIndex(name, data)}
	at := func(off int, code, format string, args ...any) error {
		return policy.ErrorList{&policy.Error{Pos: f.pos(off), Code: code, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return at(0, policy.CodeInvalidJSON, "empty document")
	}
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return at(int(se.Offset)-1, policy.CodeInvalidJSON, "invalid JSON: %v", se)
	}
	if err == nil {
		return at(0, policy.CodeWrongType, "a JSON %s, where a JSON object belongs", JSONTypeName(gjson.ParseBytes(data)))
	}
	return at(0, policy.CodeInvalidJSON, "invalid JSON: %v", err)
}

// JSONTypeName names the JSON type of v for messages: "string", "number",
// "list", "object", "boolean", "null".
func JSONTypeName(v gjson.Result) string {
	switch {
	case v.IsObject():
		return "object"
	case v.IsArray():
		return "list"
	}
	switch v.Type {
	case gjson.String:
		return "string"
	case gjson.Number:
		return "number"
	case gjson.True, gjson.False:
		return "boolean"
	}
	return "null"
}

// PolicyText returns the text of a policy given as the JSON value raw (a
// JSON string holding the text, URL-encoded as the IAM API returns
// documents or not, or an inline object) that starts at offset base of its
// document, and a map from offsets in the text to offsets in the document.
// label names the value in errors.
func PolicyText(raw string, base int, label string) ([]byte, func(int) int, error) {
	v := gjson.Parse(raw)
	switch {
	case v.Type == gjson.String && IsURLEncoded(v.Str):
		text, table, err := urlDecode(v.Str)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: a URL-encoded policy: %v", label, err)
		}
		inString := stringOffsets(raw, base)
		return []byte(text), func(off int) int {
			if off < len(table) {
				return inString(table[off])
			}
			return inString(len(v.Str))
		}, nil
	case v.Type == gjson.String:
		return []byte(v.Str), stringOffsets(raw, base), nil
	case v.IsObject():
		return []byte(raw), func(off int) int { return base + off }, nil
	}
	return nil, nil, fmt.Errorf("%s: a policy must be a JSON string or an object, got %s", label, v.Type)
}

// parsePolicy parses the policy the JSON value v gives and names it id;
// positions in the policy are those of its own text, as AWS reports them,
// and errors are reported at their place in the document.
func (f *document) parsePolicy(v gjson.Result, id string) *policy.Policy {
	text, toDoc, err := PolicyText(v.Raw, v.Index, id)
	if err != nil {
		code := policy.CodeWrongType
		if v.Type == gjson.String {
			code = policy.CodeInvalidJSON
		}
		f.fail(v.Index, code, "%v", err)
		return nil
	}
	p, err := policy.Parse(id, text)
	if err != nil {
		var list policy.ErrorList
		if !errors.As(err, &list) {
			f.fail(v.Index, policy.CodeInvalidJSON, "%s: %v", id, err)
			return nil
		}
		for _, e := range list {
			c := *e
			c.Pos = f.pos(toDoc(e.Pos.Offset))
			c.Msg = id + ": " + c.Msg
			f.errs = append(f.errs, &c)
		}
		return nil
	}
	if f.req.Origin == nil {
		f.req.Origin = map[string]func(int) int{}
	}
	f.req.Origin[id] = toDoc
	return p
}

// ParseDocument reads a request document: the JSON that "aws iam
// simulate-custom-policy --cli-input-json" (or simulate-principal-policy's)
// takes, plus iameval's extensions (SessionPolicyInputList,
// ServiceControlPolicyInputList and ResourceControlPolicyInputList as lists
// of levels, root first, AnonymousCaller). Policies are JSON strings, as AWS
// takes them (URL-encoded or not), or inline objects. Empty members, as
// "--generate-cli-skeleton" prints them, are not given. name names the
// document in positions. The error is a policy.ErrorList, every problem at
// its file:line:col.
func ParseDocument(name string, data []byte) (*Request, error) {
	return ParseDocumentWith(name, data, DocumentOptions{})
}

// DocumentOptions change what ParseDocumentWith requires of a document.
type DocumentOptions struct {
	// ActionsElsewhere says the caller gives the actions itself (a command
	// line's --action-names over --cli-input-json, which the AWS CLI
	// merges before it checks the request): a document without
	// ActionNames, or with an empty list, is then no error.
	ActionsElsewhere bool
}

// ParseDocumentWith is ParseDocument with opts.
func ParseDocumentWith(name string, data []byte, opts DocumentOptions) (*Request, error) {
	if !gjson.ValidBytes(data) {
		return nil, JSONError(name, data)
	}
	root := gjson.ParseBytes(data)
	f := &document{name: name, data: data, index: policy.NewLineIndex(name, data), req: &Request{Operation: SimulateCustomPolicy}}
	if !root.IsObject() {
		f.fail(root.Index, policy.CodeWrongType, "the input must be a JSON object (a SimulateCustomPolicy request)")
		return nil, f.errs
	}
	r := f.req
	policies := func(v gjson.Result, field string) []*policy.Policy {
		if !v.IsArray() {
			f.fail(v.Index, policy.CodeWrongType, "%s must be a list of policies", field)
			return nil
		}
		var out []*policy.Policy
		for i, item := range v.Array() {
			if item.Type == gjson.String && item.Str == "" {
				continue // as in the AWS CLI's skeleton: no policy
			}
			if p := f.parsePolicy(item, field+"."+strconv.Itoa(i+1)); p != nil {
				out = append(out, p)
			}
		}
		return out
	}
	// nonEmpty is the strings of a list with their values, without the
	// AWS CLI skeleton's empty strings
	nonEmpty := func(v gjson.Result, field string) (vals []string, at []gjson.Result) {
		if !v.IsArray() {
			f.fail(v.Index, policy.CodeWrongType, "%s must be a list of strings", field)
			return nil, nil
		}
		for _, item := range v.Array() {
			switch {
			case item.Type != gjson.String:
				f.fail(item.Index, policy.CodeWrongType, "%s entries must be strings", field)
			case item.Str != "":
				vals, at = append(vals, item.Str), append(at, item)
			}
		}
		return vals, at
	}
	str := func(v gjson.Result, field string) string {
		if v.Type != gjson.String {
			f.fail(v.Index, policy.CodeWrongType, "%s must be a string", field)
			return ""
		}
		return v.Str
	}
	seen := map[string]bool{}
	root.ForEach(func(k, v gjson.Result) bool {
		if seen[k.Str] {
			f.fail(k.Index, policy.CodeDuplicateKey, "duplicate key %q", k.Str)
			return true
		}
		seen[k.Str] = true
		switch k.Str {
		case "PolicyInputList":
			r.Set.Identity = policies(v, k.Str)
		case "PermissionsBoundaryPolicyInputList":
			ps := policies(v, k.Str)
			if len(ps) > 1 {
				f.fail(v.Index, "too_many_boundaries", "PermissionsBoundaryPolicyInputList takes at most one policy, got %d", len(ps))
			} else if len(ps) == 1 {
				r.Set.Boundary = ps[0]
			}
		case "SessionPolicyInputList":
			r.Set.Session = policies(v, k.Str)
		case "ServiceControlPolicyInputList", "ResourceControlPolicyInputList":
			if !v.IsArray() {
				f.fail(v.Index, policy.CodeWrongType, "%s must be a list of levels (root first), each a list of policies", k.Str)
				return true
			}
			var levels [][]*policy.Policy
			for l, level := range v.Array() {
				levels = append(levels, policies(level, k.Str+"."+strconv.Itoa(l+1)))
			}
			if k.Str == "ServiceControlPolicyInputList" {
				r.Set.SCPs = levels
			} else {
				r.Set.RCPs = levels
			}
		case "ResourcePolicy":
			if v.Type == gjson.String && v.Str == "" {
				return true // as in the AWS CLI's skeleton: no resource policy
			}
			r.Set.Resource = f.parsePolicy(v, "ResourcePolicy")
		case "ActionNames":
			actions, at := nonEmpty(v, k.Str)
			for i, a := range actions {
				if err := policy.CheckActionName(a); err != nil {
					f.fail(at[i].Index, "bad_action_name", "ActionNames: %v", err)
					continue
				}
				r.ActionNames = append(r.ActionNames, a)
				r.ActionAt = append(r.ActionAt, f.pos(at[i].Index))
			}
		case "ResourceArns":
			resources, at := nonEmpty(v, k.Str)
			for i, res := range resources {
				if err := CheckARN(res, true); err != nil {
					f.fail(at[i].Index, "bad_arn", "ResourceArns: %v", err)
					continue
				}
				r.ResourceArns = append(r.ResourceArns, res)
			}
		case "ResourceOwner":
			owner := str(v, k.Str)
			if owner != "" && !IsOwner(owner) {
				f.fail(v.Index, "bad_arn", "ResourceOwner %q must be an account id or arn:aws:iam::ACCOUNT:root", owner)
			}
			r.Set.ResourceOwner = owner
		case "CallerArn":
			caller := str(v, k.Str)
			if caller == "" {
				return true // as in the AWS CLI's skeleton: no caller
			}
			if err := request.CheckCaller(caller); err != nil {
				f.fail(v.Index, "bad_arn", "CallerArn: %v", err)
				return true
			}
			if r.CallerArn == request.Anonymous {
				f.fail(v.Index, "conflicting_caller", "CallerArn and AnonymousCaller exclude each other")
				return true
			}
			r.CallerArn = caller
		case "AnonymousCaller":
			// our extension: an unsigned request, for public resources
			if v.Type != gjson.True && v.Type != gjson.False {
				f.fail(v.Index, policy.CodeWrongType, "AnonymousCaller must be true or false")
				return true
			}
			if v.Type == gjson.True {
				if r.CallerArn != "" {
					f.fail(v.Index, "conflicting_caller", "CallerArn and AnonymousCaller exclude each other")
					return true
				}
				r.CallerArn = request.Anonymous
			}
		case "ContextEntries":
			if !v.IsArray() {
				f.fail(v.Index, policy.CodeWrongType, "ContextEntries must be a list")
				return true
			}
			seenKeys := map[string]bool{}
			for _, e := range v.Array() {
				ce, ok := f.contextEntry(e)
				if !ok {
					continue
				}
				if seenKeys[strings.ToLower(ce.ContextKeyName)] {
					f.fail(e.Index, "duplicate_context_key", "context key %s is given twice", ce.ContextKeyName)
					continue
				}
				seenKeys[strings.ToLower(ce.ContextKeyName)] = true
				r.ContextEntries = append(r.ContextEntries, ce)
			}
		case "PolicySourceArn":
			// a SimulatePrincipalPolicy request: the principal whose
			// policies are simulated
			arn := str(v, k.Str)
			if arn == "" {
				return true // as in the AWS CLI's skeleton
			}
			if err := CheckARN(arn, false); err != nil {
				f.fail(v.Index, "bad_arn", "PolicySourceArn: %v", err)
				return true
			}
			r.PolicySourceArn, r.PolicySourceAt = arn, f.pos(v.Index)
			r.Operation = SimulatePrincipalPolicy
		case "ResourceHandlingOption":
			opt := str(v, k.Str)
			if err := CheckResourceHandlingOption(opt); err != nil {
				f.fail(v.Index, "bad_resource_handling_option", "%v", err)
			}
			r.ResourceHandlingOption = opt
		case "Marker":
			r.Marker = str(v, k.Str)
		case "MaxItems":
			if v.Type != gjson.Number {
				f.fail(v.Index, policy.CodeWrongType, "MaxItems must be a number")
				return true
			}
			r.MaxItems = int(v.Int())
		default:
			f.fail(k.Index, policy.CodeUnknownElement, "unknown request field %q", k.Str)
		}
		return true
	})
	if len(r.ActionNames) == 0 && len(f.errs) == 0 && !opts.ActionsElsewhere {
		at := root.Index
		if v := root.Get("ActionNames"); v.Exists() {
			at = v.Index // a skeleton's empty list
		}
		f.fail(at, "missing_actions", "ActionNames is required: the actions to simulate")
	}
	if len(f.errs) > 0 {
		f.errs.Sort()
		return nil, f.errs
	}
	return r, nil
}

// contextEntry reads one ContextEntries item; ok is false for an entry
// that gives nothing (every member empty, as in the AWS CLI's skeleton) or
// that is wrong (the problem is recorded).
func (f *document) contextEntry(e gjson.Result) (ce ContextEntry, ok bool) {
	if !e.IsObject() {
		f.fail(e.Index, policy.CodeWrongType, "a context entry must be an object")
		return ce, false
	}
	var hasName, hasType, hasValues, bad bool
	e.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "ContextKeyName":
			if v.Type != gjson.String {
				f.fail(v.Index, policy.CodeWrongType, "ContextKeyName must be a string")
				bad = true
				return false
			}
			ce.ContextKeyName, hasName = v.Str, v.Str != ""
		case "ContextKeyValues":
			if !v.IsArray() {
				f.fail(v.Index, policy.CodeWrongType, "ContextKeyValues must be a list of strings")
				bad = true
				return false
			}
			hasValues = true
			for _, x := range v.Array() {
				if x.Type != gjson.String {
					f.fail(x.Index, policy.CodeWrongType, "ContextKeyValues entries must be strings")
					bad = true
					return false
				}
				ce.ContextKeyValues = append(ce.ContextKeyValues, x.Str)
			}
		case "ContextKeyType":
			if v.Type != gjson.String {
				f.fail(v.Index, policy.CodeWrongType, "ContextKeyType must be a string")
				bad = true
				return false
			}
			hasType = v.Str != ""
			if !hasType {
				return true
			}
			t, err := request.ParseType(v.Str)
			if err != nil {
				f.fail(v.Index, "unknown_context_type", "%v", err)
				bad = true
				return false
			}
			ce.ContextKeyType = t
		default:
			f.fail(k.Index, policy.CodeUnknownElement, "unknown context entry field %q (want ContextKeyName, ContextKeyValues, ContextKeyType)", k.Str)
			bad = true
			return false
		}
		return true
	})
	if bad {
		return ce, false
	}
	if !hasName {
		empty := true
		for _, v := range ce.ContextKeyValues {
			empty = empty && v == ""
		}
		// the AWS CLI's skeleton entry: no name, no value, and the
		// first type it offers (string)
		if !empty || hasType && ce.ContextKeyType != request.TypeString {
			f.fail(e.Index, "bad_context_entry", "context entry without ContextKeyName")
		}
		return ce, false
	}
	switch {
	case !hasType:
		f.fail(e.Index, "bad_context_entry", "context key %s: ContextKeyType is missing or empty (one of %s)", ce.ContextKeyName, TypeNames)
		return ce, false
	case !hasValues:
		f.fail(e.Index, "bad_context_entry", "context key %s: ContextKeyValues is missing", ce.ContextKeyName)
		return ce, false
	}
	if err := ce.Check(); err != nil {
		f.fail(e.Index, "bad_context_entry", "%v", err)
		return ce, false
	}
	return ce, true
}

// TypeNames lists the simulator's twelve ContextKeyType values, for
// messages.
const TypeNames = "string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList"

// stringOffsets maps a byte offset in the decoded value of the JSON string
// raw (which starts at file offset base) to its file offset.
func stringOffsets(raw string, base int) func(int) int {
	var table []int // decoded offset -> raw offset
	for i := 1; i < len(raw)-1; {
		if raw[i] == '\\' && i+1 < len(raw) {
			n := 2
			dec := 1
			switch raw[i+1] {
			case 'u':
				n = 6
				r, _ := strconv.ParseUint(raw[min(i+2, len(raw)):min(i+6, len(raw))], 16, 32)
				dec = utf8.RuneLen(rune(r))
				if dec < 0 {
					dec = 3
				}
			}
			for k := 0; k < dec; k++ {
				table = append(table, i)
			}
			i += n
			continue
		}
		table = append(table, i)
		i++
	}
	return func(off int) int {
		if off < len(table) {
			return base + table[off]
		}
		return base + len(raw) - 1
	}
}

// IsURLEncoded reports whether s is a URL-encoded policy document, as the
// IAM API returns documents ("%7B%22Version%22...").
func IsURLEncoded(s string) bool {
	return len(s) >= 3 && strings.EqualFold(s[:3], "%7B")
}

// urlDecode decodes s as url.QueryUnescape does and returns, for each byte
// of the result, the offset in s it came from.
func urlDecode(s string) (string, []int, error) {
	var b strings.Builder
	table := make([]int, 0, len(s))
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '%':
			if i+3 > len(s) {
				return "", nil, fmt.Errorf("invalid URL escape %q at byte %d", s[i:], i)
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", nil, fmt.Errorf("invalid URL escape %q at byte %d", s[i:i+3], i)
			}
			b.WriteByte(byte(v))
			table = append(table, i)
			i += 3
		case '+':
			b.WriteByte(' ')
			table = append(table, i)
			i++
		default:
			b.WriteByte(c)
			table = append(table, i)
			i++
		}
	}
	return b.String(), table, nil
}
