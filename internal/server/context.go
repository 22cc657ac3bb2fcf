package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/iamapi"
	"github.com/iameval/iameval/request"
)

// setContext sets the keys of a request's "context" on rc. raw is absent,
// null, AWS's ContextEntries list
//
//	[{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["203.0.113.7"], "ContextKeyType": "ip"}]
//
// or an object of keys and values
//
//	{"aws:MultiFactorAuthPresent": "true", "aws:TagKeys": ["a", "b"]}
//
// In the object, a key takes the type AWS fixes for it
// (request.GlobalKeyType: aws:MultiFactorAuthPresent boolean,
// aws:MultiFactorAuthAge numeric, aws:SourceIp ip, aws:TagKeys stringList,
// ...); any other key is a string, or a stringList when its value is a
// list. Values are strings; JSON numbers and booleans are taken as their
// text. Keys are checked as the simulator checks them. raw is valid JSON
// (a member of a body decoded already); pos says where its offsets are in
// the body. The errors say "context" and name the key once.
func setContext(rc *request.Context, raw json.RawMessage, pos posFunc) error {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return nil
	}
	pos = pos.shift(len(raw) - len(bytes.TrimLeft(raw, " \t\r\n")))
	switch t[0] {
	case '[':
		return setEntries(rc, t, pos)
	case '{':
		return setObject(rc, t, pos)
	}
	return errors.New(`context: want a list of ContextEntries ([{"ContextKeyName": ..., "ContextKeyValues": [...], "ContextKeyType": ...}]) or an object of keys and values ({"aws:MultiFactorAuthPresent": "true"})`)
}

// contextEntry is one item of AWS's ContextEntries.
type contextEntry struct {
	ContextKeyName   *string   `json:"ContextKeyName"`
	ContextKeyValues *[]string `json:"ContextKeyValues"`
	ContextKeyType   *string   `json:"ContextKeyType"`
}

func setEntries(rc *request.Context, raw []byte, pos posFunc) error {
	seen := map[string]bool{}
	var err error
	i := 0
	gjson.ParseBytes(raw).ForEach(func(_, item gjson.Result) bool {
		err = setEntry(rc, seen, i, item, pos)
		i++
		return err == nil
	})
	return err
}

// setEntry sets the ContextEntries item i.
func setEntry(rc *request.Context, seen map[string]bool, i int, item gjson.Result, pos posFunc) error {
	var e contextEntry
	if aerr := decodeStrict([]byte(item.Raw), &e, "ContextKeyName, ContextKeyValues, ContextKeyType", pos.shift(item.Index)); aerr != nil {
		return fmt.Errorf("context[%d]: %s", i, aerr.Message)
	}
	switch {
	case e.ContextKeyName == nil:
		return fmt.Errorf("context[%d]: ContextKeyName is missing", i)
	case e.ContextKeyValues == nil:
		return fmt.Errorf("context[%d] (%s): ContextKeyValues is missing", i, *e.ContextKeyName)
	case e.ContextKeyType == nil:
		return fmt.Errorf("context[%d] (%s): ContextKeyType is missing", i, *e.ContextKeyName)
	}
	typ, err := request.ParseType(*e.ContextKeyType)
	if err != nil {
		return fmt.Errorf("context[%d] (%s): %v", i, *e.ContextKeyName, err)
	}
	return setKey(rc, seen, *e.ContextKeyName, typ, *e.ContextKeyValues)
}

func setObject(rc *request.Context, raw []byte, pos posFunc) error {
	seen := map[string]bool{}
	var err error
	gjson.ParseBytes(raw).ForEach(func(k, v gjson.Result) bool {
		name := k.Str
		values, list, bad := objectValues(v)
		if bad.Exists() {
			err = fmt.Errorf("context key %q at %s: want a string, a number, a boolean, or a list of them", name, pos(int64(bad.Index)))
			return false
		}
		typ, fixed := request.GlobalKeyType(name)
		switch {
		case fixed && !typ.List() && list:
			err = fmt.Errorf("context key %q at %s: takes one %s value, not a list", name, pos(int64(v.Index)), typ)
			return false
		case !fixed && list:
			typ = request.TypeStringList
		case !fixed:
			typ = request.TypeString
		}
		err = setKey(rc, seen, name, typ, values)
		return err == nil
	})
	return err
}

// objectValues reads a value of the object form: a string, number or
// boolean, or a list of them; bad is the value that is none of these, if
// any.
func objectValues(v gjson.Result) (values []string, list bool, bad gjson.Result) {
	one := func(x gjson.Result) (string, bool) {
		switch x.Type {
		case gjson.String:
			return x.Str, true
		case gjson.Number:
			return x.Raw, true // as written: 1e3 stays 1e3
		case gjson.True:
			return "true", true
		case gjson.False:
			return "false", true
		}
		return "", false
	}
	if v.IsArray() {
		values = []string{}
		v.ForEach(func(_, x gjson.Result) bool {
			s, ok := one(x)
			if !ok {
				bad = x
				return false
			}
			values = append(values, s)
			return true
		})
		return values, true, bad
	}
	s, ok := one(v)
	if !ok {
		return nil, false, v
	}
	return []string{s}, false, bad
}

// setKey checks a key as the simulator does and sets it
// (iamapi.ContextEntry.SetOn). Its errors name the key once.
func setKey(rc *request.Context, seen map[string]bool, name string, typ request.Type, values []string) error {
	// a name that is not a key fails SetOn the first time it is met, so
	// the twice-given check comes first without changing any answer
	lower := strings.ToLower(name)
	if seen[lower] {
		return fmt.Errorf("context key %q is given twice (key names ignore letter case)", name)
	}
	seen[lower] = true
	return iamapi.ContextEntry{ContextKeyName: name, ContextKeyType: typ, ContextKeyValues: values}.SetOn(rc)
}
