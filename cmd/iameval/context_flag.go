package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/iameval/iameval/iamapi"
	"github.com/iameval/iameval/request"
)

// contextEntry is one ContextEntries item or --context flag.
type contextEntry struct {
	name   string
	typ    request.Type
	values []string
}

// check validates an entry as the simulator would take it: a key with a
// service prefix, and values that read as the type (exactly one for a
// single-valued type).
func (ce contextEntry) check() error {
	return iamapi.ContextEntry{ContextKeyName: ce.name, ContextKeyType: ce.typ, ContextKeyValues: ce.values}.Check()
}

const contextFlagForms = `KEY=VALUE (one string value, taken verbatim), ` +
	`ContextKeyName=KEY,ContextKeyValues=V1,V2,ContextKeyType=TYPE (the AWS CLI's shorthand), ` +
	`or JSON ({"ContextKeyName": ..., "ContextKeyValues": [...], "ContextKeyType": ...}, or a list of them)`

// parseContextFlag reads one --context value. Three forms, none of which can
// be misread:
//
//	KEY=VALUE
//	    one value; everything after the first "=" is the value, colons and
//	    commas included. Its type is string, or the type AWS fixes for a
//	    global key (request.GlobalKeyType: aws:MultiFactorAuthPresent is
//	    boolean, aws:SourceIp ip, aws:TagKeys a one-value stringList, ...)
//	ContextKeyName=KEY,ContextKeyValues=V1,V2,...,ContextKeyType=TYPE
//	    the AWS CLI's shorthand for --context-entries: any type, any number
//	    of values (none for an empty list)
//	{"ContextKeyName": ..., "ContextKeyValues": [...], "ContextKeyType": ...}
//	    JSON, an object or a list of objects: values may hold commas
//
// Types are the simulator's twelve, in any letter case. A KEY=VALUE whose
// value ends in ":TYPE" is refused: it is the old KEY=VALUE:TYPE form, which
// cannot be told from a value holding a colon.
//
// A value written file://FILE (or fileb://FILE), as the AWS CLI takes it, is
// read from FILE, which holds one of the forms (JSON, as a rule).
func readContextFlag(s string, o *opener) ([]contextEntry, error) {
	if filePath(s) == s {
		return parseContextFlag(s)
	}
	f, err := o.read("--context", s)
	if err != nil {
		return nil, err
	}
	ces, err := parseContextFlag(string(f.data))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", f.name, err)
	}
	return ces, nil
}

func parseContextFlag(s string) ([]contextEntry, error) {
	t := strings.TrimSpace(s)
	var out []contextEntry
	var err error
	switch {
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		out, err = contextJSON(t)
	case isShorthand(t):
		var ce contextEntry
		ce, err = contextShorthand(s)
		out = []contextEntry{ce}
	default:
		name, value, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("--context %q: want %s", s, contextFlagForms)
		}
		if i := strings.LastIndexByte(value, ':'); i >= 0 {
			if tp, terr := request.ParseType(value[i+1:]); terr == nil {
				return nil, fmt.Errorf("--context %q: KEY=VALUE takes one string value verbatim, and this one ends in %q, a type name; for a %s write ContextKeyName=%s,ContextKeyValues=%s,ContextKeyType=%s",
					s, value[i:], tp, name, value[:i], tp)
			}
		}
		// a global key whose type AWS fixes takes that type
		typ, _ := request.GlobalKeyType(name)
		out = []contextEntry{{name: name, typ: typ, values: []string{value}}}
	}
	if err != nil {
		return nil, fmt.Errorf("--context %q: %v", s, err)
	}
	for _, ce := range out {
		if err := ce.check(); err != nil {
			return nil, fmt.Errorf("--context %q: %v", s, err)
		}
	}
	return out, nil
}

// contextShorthand reads the AWS CLI's shorthand for a ContextEntry, as the
// AWS CLI's shorthand grammar reads it: members KEY=VALUES separated by
// commas, in any order; VALUES a comma-separated list or an explicit list in
// brackets ("[a,b]", "[]" for none); a value may be quoted ('a,b' or "a,b")
// or escape a comma ("a\,b"); white space around names and values is
// dropped. A comma followed by NAME= starts the next member.
func contextShorthand(s string) (contextEntry, error) {
	members, err := shorthandMembers(s)
	if err != nil {
		return contextEntry{}, err
	}
	var ce contextEntry
	var seen [3]bool
	for _, m := range members {
		idx := -1
		for k, name := range [...]string{"ContextKeyName", "ContextKeyValues", "ContextKeyType"} {
			if m.key == name {
				idx = k
			}
		}
		if idx < 0 {
			return contextEntry{}, fmt.Errorf("unknown member %q (want ContextKeyName, ContextKeyValues, ContextKeyType)", m.key)
		}
		if seen[idx] {
			return contextEntry{}, fmt.Errorf("%s given twice", m.key)
		}
		seen[idx] = true
		if idx != 1 && (m.list || len(m.values) != 1) {
			return contextEntry{}, fmt.Errorf("%s takes one value", m.key)
		}
		switch idx {
		case 0:
			ce.name = m.values[0]
		case 1:
			ce.values = m.values
		case 2:
			t, err := request.ParseType(m.values[0])
			if err != nil {
				return contextEntry{}, err
			}
			ce.typ = t
		}
	}
	switch {
	case !seen[0]:
		return contextEntry{}, errors.New("ContextKeyName is missing")
	case !seen[2]:
		return contextEntry{}, errors.New("ContextKeyType is missing (the simulator's twelve: string, stringList, numeric, ..., dateList)")
	case !seen[1]:
		return contextEntry{}, errors.New("ContextKeyValues is missing (write ContextKeyValues=[] for none)")
	}
	return ce, nil
}

// shorthandMember is one KEY=VALUES of the shorthand; list says the values
// were written as an explicit [list].
type shorthandMember struct {
	key    string
	values []string
	list   bool
}

// shorthandMembers splits the shorthand into its members.
func shorthandMembers(s string) ([]shorthandMember, error) {
	var out []shorthandMember
	i := 0
	for i < len(s) {
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 {
			return nil, fmt.Errorf("%q is not NAME=VALUE", strings.TrimSpace(s[i:]))
		}
		m := shorthandMember{key: strings.TrimSpace(s[i : i+eq])}
		if !isShorthandKey(m.key) {
			return nil, fmt.Errorf("%q is not a member name", m.key)
		}
		i += eq + 1
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i < len(s) && s[i] == '[' {
			end, vals, err := shorthandList(s, i+1)
			if err != nil {
				return nil, err
			}
			m.values, m.list, i = vals, true, end
			for i < len(s) && s[i] == ' ' {
				i++
			}
			if i < len(s) {
				if s[i] != ',' {
					return nil, fmt.Errorf("text after %s=[...]: %q", m.key, s[i:])
				}
				i++
			}
			out = append(out, m)
			continue
		}
		// a comma-separated list, up to the next NAME=
		for {
			v, end, err := shorthandValue(s, i, ",")
			if err != nil {
				return nil, err
			}
			m.values = append(m.values, v)
			i = end
			if i >= len(s) {
				break
			}
			i++ // the comma
			if startsMember(s[i:]) {
				break
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// shorthandList reads the values of an explicit list that starts at i (after
// "[") and returns where it ends (after "]").
func shorthandList(s string, i int) (int, []string, error) {
	vals := []string{}
	for {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i < len(s) && s[i] == ']' {
			if len(vals) > 0 {
				return 0, nil, errors.New("an empty value in a [list]")
			}
			return i + 1, vals, nil
		}
		v, end, err := shorthandValue(s, i, ",]")
		if err != nil {
			return 0, nil, err
		}
		vals = append(vals, v)
		if end >= len(s) {
			return 0, nil, errors.New("a [list] without its closing ]")
		}
		i = end + 1
		if s[end] == ']' {
			return i, vals, nil
		}
	}
}

// shorthandValue reads one value starting at i, up to an unquoted,
// unescaped byte of stops (or the end), and returns it and where it ended.
func shorthandValue(s string, i int, stops string) (string, int, error) {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i < len(s) && (s[i] == '\'' || s[i] == '"') {
		q := s[i]
		end := strings.IndexByte(s[i+1:], q)
		if end < 0 {
			return "", 0, fmt.Errorf("a value opened with %c is not closed", q)
		}
		v := s[i+1 : i+1+end]
		j := i + 1 + end + 1
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j < len(s) && !strings.ContainsRune(stops, rune(s[j])) {
			return "", 0, fmt.Errorf("text after the quoted value %q", v)
		}
		return v, j, nil
	}
	var b strings.Builder
	j := i
	for ; j < len(s) && !strings.ContainsRune(stops, rune(s[j])); j++ {
		if s[j] == '\\' && j+1 < len(s) {
			j++
		}
		b.WriteByte(s[j])
	}
	return strings.TrimSpace(b.String()), j, nil
}

// isShorthand reports whether s starts with a ContextEntry member, NAME=.
func isShorthand(s string) bool {
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		return false
	}
	switch strings.TrimSpace(s[:eq]) {
	case "ContextKeyName", "ContextKeyValues", "ContextKeyType":
		return true
	}
	return false
}

// startsMember reports whether s starts with NAME=, a member name.
func startsMember(s string) bool {
	eq := strings.IndexByte(s, '=')
	return eq > 0 && isShorthandKey(strings.TrimSpace(s[:eq]))
}

func isShorthandKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// contextJSON reads a ContextEntry object or a list of them, strictly.
func contextJSON(s string) ([]contextEntry, error) {
	type entry struct {
		ContextKeyName   *string
		ContextKeyValues *[]string
		ContextKeyType   *string
	}
	var list []entry
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var err error
	if strings.HasPrefix(s, "[") {
		err = dec.Decode(&list)
	} else {
		var e entry
		err = dec.Decode(&e)
		list = []entry{e}
	}
	if err != nil {
		return nil, fmt.Errorf("invalid JSON context entry: %v", err)
	}
	if dec.More() {
		return nil, errors.New("invalid JSON context entry: text after the JSON value")
	}
	var out []contextEntry
	for _, e := range list {
		switch {
		case e.ContextKeyName == nil:
			return nil, errors.New("ContextKeyName is missing")
		case e.ContextKeyType == nil:
			return nil, errors.New("ContextKeyType is missing")
		case e.ContextKeyValues == nil:
			return nil, errors.New("ContextKeyValues is missing")
		}
		t, err := request.ParseType(*e.ContextKeyType)
		if err != nil {
			return nil, err
		}
		out = append(out, contextEntry{name: *e.ContextKeyName, typ: t, values: *e.ContextKeyValues})
	}
	return out, nil
}

// mfaAgeFlag is --mfa-age: a duration ("15m", "1h30m") or plain seconds
// ("900"), never negative.
type mfaAgeFlag struct {
	age time.Duration
	set bool
}

func (f *mfaAgeFlag) String() string {
	if !f.set {
		return ""
	}
	return f.age.String()
}

func (f *mfaAgeFlag) Type() string { return "duration" }

func (f *mfaAgeFlag) Set(v string) error {
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n > int64(1<<62)/int64(time.Second) {
			return fmt.Errorf("%q seconds is too large", v)
		}
		d = time.Duration(n) * time.Second
	} else {
		d, err = time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is neither seconds (900) nor a duration (15m, 1h30m)", v)
		}
	}
	if d < 0 {
		return fmt.Errorf("%q is negative: an MFA age is the time since MFA, 0 or more", v)
	}
	if d%time.Second != 0 {
		return fmt.Errorf("%q is not whole seconds: aws:MultiFactorAuthAge counts seconds", v)
	}
	f.age, f.set = d, true
	return nil
}

// duplicateKeys reports a key given twice (in any letter case).
func duplicateKeys(entries []contextEntry) error {
	seen := map[string]bool{}
	for _, ce := range entries {
		k := strings.ToLower(ce.name)
		if seen[k] {
			return fmt.Errorf("context key %s is given twice", ce.name)
		}
		seen[k] = true
	}
	return nil
}
