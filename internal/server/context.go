package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

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
// text. Keys are checked as the simulator checks them.
func setContext(rc *request.Context, raw json.RawMessage) error {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return nil
	}
	switch t[0] {
	case '[':
		return setEntries(rc, t)
	case '{':
		return setObject(rc, t)
	}
	return errors.New(`want a list of ContextEntries ([{"ContextKeyName": ..., "ContextKeyValues": [...], "ContextKeyType": ...}]) or an object of keys and values ({"aws:MultiFactorAuthPresent": "true"})`)
}

// contextEntry is one item of AWS's ContextEntries.
type contextEntry struct {
	ContextKeyName   *string   `json:"ContextKeyName"`
	ContextKeyValues *[]string `json:"ContextKeyValues"`
	ContextKeyType   *string   `json:"ContextKeyType"`
}

func setEntries(rc *request.Context, raw []byte) error {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return errors.New("invalid ContextEntries list: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	seen := map[string]bool{}
	for i, item := range list {
		var e contextEntry
		if aerr := decodeStrict(item, &e, "ContextKeyName, ContextKeyValues, ContextKeyType"); aerr != nil {
			return fmt.Errorf("entry %d: %s", i, aerr.Message)
		}
		switch {
		case e.ContextKeyName == nil:
			return fmt.Errorf("entry %d: ContextKeyName is missing", i)
		case e.ContextKeyValues == nil:
			return fmt.Errorf("entry %d (%s): ContextKeyValues is missing", i, *e.ContextKeyName)
		case e.ContextKeyType == nil:
			return fmt.Errorf("entry %d (%s): ContextKeyType is missing", i, *e.ContextKeyName)
		}
		typ, err := request.ParseType(*e.ContextKeyType)
		if err != nil {
			return fmt.Errorf("entry %d (%s): %v", i, *e.ContextKeyName, err)
		}
		if err := setKey(rc, seen, *e.ContextKeyName, typ, *e.ContextKeyValues); err != nil {
			return err
		}
	}
	return nil
}

func setObject(rc *request.Context, raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("key %q: %v", name, err)
		}
		values, list, err := objectValues(v)
		if err != nil {
			return fmt.Errorf("key %q: %v", name, err)
		}
		typ, fixed := request.GlobalKeyType(name)
		switch {
		case fixed && !typ.List() && list:
			return fmt.Errorf("key %q takes one %s value, not a list", name, typ)
		case !fixed && list:
			typ = request.TypeStringList
		case !fixed:
			typ = request.TypeString
		}
		if err := setKey(rc, seen, name, typ, values); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil && err != io.EOF { // }
		return err
	}
	return nil
}

// objectValues reads a value of the object form: a string, number or
// boolean, or a list of them.
func objectValues(v any) (values []string, list bool, err error) {
	one := func(x any) (string, error) {
		switch x := x.(type) {
		case string:
			return x, nil
		case json.Number:
			return x.String(), nil
		case bool:
			if x {
				return "true", nil
			}
			return "false", nil
		}
		return "", errors.New("want a string, a number, a boolean, or a list of them")
	}
	if l, ok := v.([]any); ok {
		values = make([]string, 0, len(l))
		for _, x := range l {
			s, err := one(x)
			if err != nil {
				return nil, true, err
			}
			values = append(values, s)
		}
		return values, true, nil
	}
	s, err := one(v)
	if err != nil {
		return nil, false, err
	}
	return []string{s}, false, nil
}

// setKey checks a key as the simulator does and sets it.
func setKey(rc *request.Context, seen map[string]bool, name string, typ request.Type, values []string) error {
	if err := request.CheckKeyName(name); err != nil {
		return fmt.Errorf("key %q: %v", name, err)
	}
	lower := strings.ToLower(name)
	if seen[lower] {
		return fmt.Errorf("key %q is given twice (key names ignore letter case)", name)
	}
	seen[lower] = true
	if err := rc.Set(name, typ, values...); err != nil {
		return fmt.Errorf("key %q: %v", name, err)
	}
	if err := request.CheckGlobalKey(name, typ, values); err != nil {
		return fmt.Errorf("key %q: %v", name, err)
	}
	return nil
}
