package catalog

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Parse decodes a catalogue written by go generate ./catalog: gzipped text,
// one record a line, fields separated by tabs (see internal/generate). An
// error names the line that is wrong.
//
// What it keeps is made once for what the catalogue holds, not for the
// lines of the text: names a catalogue repeats (key names in the actions'
// lists, types, resource type names) are one string each, and each
// action's full name ("s3:GetObject") is made once, its Name a part of it.
func Parse(gz []byte) (*Catalog, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("catalog: %v", err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("catalog: %v", err)
	}
	c := &Catalog{byPrefix: map[string]*Service{}, global: map[string]*ConditionKey{}}
	// one string of each text kept (the decoded text is let go)
	strs := map[string]string{}
	str := func(b []byte) string {
		if s, ok := strs[string(b)]; ok {
			return s
		}
		s := string(b)
		strs[s] = s
		return s
	}
	// one list of each text (actions of a service often take the same
	// keys); a list is never modified
	lists := map[string][]string{}
	list := func(b []byte) []string {
		if len(b) == 0 || string(b) == "-" {
			return nil
		}
		if l, ok := lists[string(b)]; ok {
			return l
		}
		out := make([]string, 0, bytes.Count(b, []byte{','})+1)
		for f := range bytes.SplitSeq(b, []byte{','}) {
			out = append(out, str(f))
		}
		lists[string(b)] = out
		return out
	}
	var s *Service
	lineNo := 0
	var line []byte
	fail := func(format string, args ...any) error {
		return fmt.Errorf("catalog: line %d: "+format, append([]any{lineNo}, args...)...)
	}
	var f [][]byte // the fields of line, in line
	for len(text) > 0 {
		lineNo++
		end := bytes.IndexByte(text, '\n')
		if end < 0 {
			end = len(text)
		}
		line = text[:end]
		text = text[min(end+1, len(text)):]
		f = f[:0]
		for field := range bytes.SplitSeq(line, []byte{'\t'}) {
			f = append(f, field)
		}
		switch kind := string(f[0]); {
		case lineNo == 1:
			if len(f) != 2 || kind != "iameval-catalogue" || string(f[1]) != "1" {
				return nil, fail("not an iameval catalogue (version 1)")
			}
		case kind == "source" && len(f) >= 4:
			c.source, c.version, c.date = string(f[1]), string(f[2]), string(f[3])
		case kind == "G" && len(f) == 3:
			name := str(f[1])
			k := &ConditionKey{Name: name, Type: KeyType(str(f[2])), Global: true, head: keyHead(name)}
			if k.head != "" {
				c.globalPatterns = append(c.globalPatterns, k)
			} else {
				c.global[strings.ToLower(k.Name)] = k
			}
		case kind == "S" && len(f) == 2:
			s = &Service{catalog: c, Prefix: string(f[1]), byType: map[string]*ResourceType{}, byKey: map[string]*ConditionKey{}}
			c.services = append(c.services, s)
			c.byPrefix[strings.ToLower(s.Prefix)] = s
		case s == nil:
			return nil, fail("a record before the first service")
		case kind == "K" && len(f) == 3:
			name := str(f[1])
			k := &ConditionKey{Name: name, Type: KeyType(str(f[2])), head: keyHead(name)}
			s.Keys = append(s.Keys, k)
			if k.head != "" {
				s.keyPatterns = append(s.keyPatterns, k)
			} else {
				s.byKey[strings.ToLower(k.Name)] = k
			}
		case kind == "R" && len(f) == 4:
			// a few types have two formats, "ARN1, ARN2" (API Gateway's
			// HTTP and REST APIs): a type of each, of the same name,
			// which the actions that take the type take both of
			name, keys := str(f[1]), list(f[3])
			for i, format := range arnFormats(string(f[2])) {
				rt := &ResourceType{Service: s, Name: name, ARN: format, Keys: keys}
				rt.format = compileFormat(rt.ARN)
				s.ResourceTypes = append(s.ResourceTypes, rt)
				if i == 0 {
					s.byType[rt.Name] = rt
				} else {
					if s.alternates == nil {
						s.alternates = map[string][]*ResourceType{}
					}
					s.alternates[rt.Name] = append(s.alternates[rt.Name], rt)
				}
			}
		case kind == "A" && len(f) == 5:
			full := s.Prefix + ":" + string(f[1])
			a := &Action{Service: s, Name: full[len(s.Prefix)+1:], Keys: list(f[4]), full: full}
			for _, code := range string(f[2]) {
				switch code {
				case 'L':
					a.Level |= List
				case 'R':
					a.Level |= Read
				case 'W':
					a.Level |= Write
				case 'P':
					a.Level |= PermissionsManagement
				case 'T':
					a.Level |= Tagging
				default:
					return nil, fail("unknown access level %q", code)
				}
			}
			if string(f[3]) != "-" && len(f[3]) > 0 {
				for r := range bytes.SplitSeq(f[3], []byte{','}) {
					name, required := bytes.CutSuffix(r, []byte{'!'})
					rt := s.byType[string(name)]
					if rt == nil {
						return nil, fail("%s:%s takes resource type %q, which %s does not have", s.Prefix, a.Name, name, s.Prefix)
					}
					a.Resources = append(a.Resources, ActionResource{Type: rt, Required: required})
					for _, alt := range s.alternates[string(name)] {
						a.Resources = append(a.Resources, ActionResource{Type: alt, Required: required})
					}
				}
			}
			s.Actions = append(s.Actions, a)
		default:
			return nil, fail("malformed record %.40q", line)
		}
	}
	if len(c.services) == 0 || len(c.global) == 0 {
		return nil, fmt.Errorf("catalog: no services or no global keys")
	}
	byFold := func(a, b *Action) int { return compareFold(a.Name, b.Name) }
	for _, s := range c.services {
		s.byName = s.Actions
		if !slices.IsSortedFunc(s.byName, byFold) {
			s.byName = slices.SortedStableFunc(slices.Values(s.Actions), byFold)
		}
		for i := 1; i < len(s.byName); i++ {
			if byFold(s.byName[i-1], s.byName[i]) == 0 {
				return nil, fmt.Errorf("catalog: %s has two actions named %s", s.Prefix, s.byName[i].Name)
			}
		}
	}
	return c, nil
}

// arnFormats splits a resource type's ARN field into its formats: one, or
// several written "ARN1, ARN2", each beginning "arn:".
func arnFormats(field string) []string {
	parts := strings.Split(field, ", ")
	for _, p := range parts {
		if !strings.HasPrefix(p, "arn:") {
			return []string{field}
		}
	}
	return parts
}
