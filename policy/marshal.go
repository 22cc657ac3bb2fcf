package policy

import (
	"bytes"
	"encoding/json"
)

// MarshalJSON encodes the policy in a canonical form: Version and Id when
// present, then Statement as a list, each statement's elements in the order
// Sid, Effect, Principal or NotPrincipal, Action or NotAction, Resource or
// NotResource, Condition; every list written as a JSON list and every
// condition value as a string. Parsing the result gives the same policy
// (positions aside), so encoding is stable: Marshal(Parse(Marshal(p))) equals
// Marshal(p).
func (p *Policy) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	field := func(name string, v any) error {
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(name)
		b.Write(k)
		b.WriteByte(':')
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(data)
		return nil
	}
	if p.Version != "" {
		if err := field("Version", p.Version); err != nil {
			return nil, err
		}
	}
	if p.ID != "" {
		if err := field("Id", p.ID); err != nil {
			return nil, err
		}
	}
	stmts := make([]json.RawMessage, 0, len(p.Statements))
	for _, s := range p.Statements {
		data, err := s.marshal()
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, data)
	}
	if err := field("Statement", stmts); err != nil {
		return nil, err
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func texts(vs []Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Text
	}
	return out
}

// orderedObject is a JSON object that keeps its keys' order.
type orderedObject struct {
	keys []string
	vals []any
}

func (o *orderedObject) set(k string, v any) {
	for i, x := range o.keys {
		if x == k {
			o.vals[i] = v
			return
		}
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

func (o *orderedObject) get(k string) (any, bool) {
	for i, x := range o.keys {
		if x == k {
			return o.vals[i], true
		}
	}
	return nil, false
}

// MarshalJSON writes the object with its keys in insertion order.
func (o *orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (s *Statement) marshal() ([]byte, error) {
	o := &orderedObject{}
	if s.HasSid {
		o.set("Sid", s.Sid)
	}
	o.set("Effect", s.Effect.String())
	if pr := s.Principal; pr != nil {
		name := "Principal"
		if pr.Not {
			name = "NotPrincipal"
		}
		if pr.Any && len(pr.Entries) == 0 {
			o.set(name, "*")
		} else {
			types := &orderedObject{}
			for _, e := range pr.Entries {
				prev, _ := types.get(e.Type)
				list, _ := prev.([]string)
				types.set(e.Type, append(list, e.Text))
			}
			o.set(name, types)
		}
	}
	if s.Action != nil {
		name := "Action"
		if s.Action.Not {
			name = "NotAction"
		}
		o.set(name, texts(s.Action.Values))
	}
	if s.Resource != nil {
		name := "Resource"
		if s.Resource.Not {
			name = "NotResource"
		}
		o.set(name, texts(s.Resource.Values))
	}
	if len(s.Conditions) > 0 {
		cond := &orderedObject{}
		for _, c := range s.Conditions {
			prev, ok := cond.get(c.Operator)
			keys, _ := prev.(*orderedObject)
			if !ok {
				keys = &orderedObject{}
				cond.set(c.Operator, keys)
			}
			keys.set(c.Key, texts(c.Values))
		}
		o.set("Condition", cond)
	}
	return o.MarshalJSON()
}
