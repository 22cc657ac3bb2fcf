package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

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
	if err := request.CheckKeyName(ce.name); err != nil {
		return err
	}
	return (&request.Context{}).Set(ce.name, ce.typ, ce.values...)
}

const contextFlagForms = `KEY=VALUE (one string value, taken verbatim), ` +
	`ContextKeyName=KEY,ContextKeyValues=V1,V2,ContextKeyType=TYPE (the AWS CLI's shorthand), ` +
	`or JSON ({"ContextKeyName": ..., "ContextKeyValues": [...], "ContextKeyType": ...}, or a list of them)`

// parseContextFlag reads one --context value. Three forms, none of which can
// be misread:
//
//	KEY=VALUE
//	    one string value; everything after the first "=" is the value,
//	    colons and commas included
//	ContextKeyName=KEY,ContextKeyValues=V1,V2,...,ContextKeyType=TYPE
//	    the AWS CLI's shorthand for --context-entries: any type, any number
//	    of values (none for an empty list)
//	{"ContextKeyName": ..., "ContextKeyValues": [...], "ContextKeyType": ...}
//	    JSON, an object or a list of objects: values may hold commas
//
// Types are the simulator's twelve, in any letter case. A KEY=VALUE whose
// value ends in ":TYPE" is refused: it is the old KEY=VALUE:TYPE form, which
// cannot be told from a value holding a colon.
func parseContextFlag(s string) ([]contextEntry, error) {
	t := strings.TrimSpace(s)
	var out []contextEntry
	var err error
	switch {
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		out, err = contextJSON(t)
	case strings.HasPrefix(t, "ContextKeyName=") || strings.HasPrefix(t, "ContextKeyValues=") || strings.HasPrefix(t, "ContextKeyType="):
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
		out = []contextEntry{{name: name, typ: request.TypeString, values: []string{value}}}
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

// contextShorthand reads the AWS CLI's shorthand. Members start at
// "ContextKeyName=", "ContextKeyValues=" and "ContextKeyType=" (at the start
// or after a comma); ContextKeyValues runs to the next member and splits on
// commas.
func contextShorthand(s string) (contextEntry, error) {
	members := []string{"ContextKeyName=", "ContextKeyValues=", "ContextKeyType="}
	type span struct{ member, start int }
	var spans []span
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i-1] != ',' {
			continue
		}
		for m, p := range members {
			if strings.HasPrefix(s[i:], p) {
				spans = append(spans, span{m, i})
			}
		}
	}
	if len(spans) == 0 || spans[0].start != 0 {
		return contextEntry{}, errors.New("want " + contextFlagForms)
	}
	var ce contextEntry
	seen := [3]bool{}
	for k, sp := range spans {
		end := len(s)
		if k+1 < len(spans) {
			end = spans[k+1].start - 1 // the comma before the next member
		}
		text := s[sp.start+len(members[sp.member]) : end]
		if seen[sp.member] {
			return contextEntry{}, fmt.Errorf("%s given twice", strings.TrimSuffix(members[sp.member], "="))
		}
		seen[sp.member] = true
		switch sp.member {
		case 0:
			ce.name = text
		case 1:
			if text != "" {
				ce.values = strings.Split(text, ",")
			}
		case 2:
			t, err := request.ParseType(text)
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
		return contextEntry{}, errors.New("ContextKeyValues is missing")
	}
	return ce, nil
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
