package catalog

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
)

// Parse decodes a catalogue written by go generate ./catalog: gzipped text,
// one record a line, fields separated by tabs (see internal/generate). An
// error names the line that is wrong.
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
	var s *Service
	lineNo := 0
	fail := func(format string, args ...any) error {
		return fmt.Errorf("catalog: line %d: "+format, append([]any{lineNo}, args...)...)
	}
	for len(text) > 0 {
		lineNo++
		end := bytes.IndexByte(text, '\n')
		if end < 0 {
			end = len(text)
		}
		line := string(text[:end])
		text = text[min(end+1, len(text)):]
		f := strings.Split(line, "\t")
		switch {
		case lineNo == 1:
			if len(f) != 2 || f[0] != "iameval-catalogue" || f[1] != "1" {
				return nil, fail("not an iameval catalogue (version 1)")
			}
		case f[0] == "source" && len(f) >= 4:
			c.source, c.version, c.date = f[1], f[2], f[3]
		case f[0] == "G" && len(f) == 3:
			k := &ConditionKey{Name: f[1], Type: KeyType(f[2]), Global: true, head: keyHead(f[1])}
			if k.head != "" {
				c.globalPatterns = append(c.globalPatterns, k)
			} else {
				c.global[strings.ToLower(k.Name)] = k
			}
		case f[0] == "S" && len(f) == 2:
			s = &Service{catalog: c, Prefix: f[1], byAction: map[string]*Action{}, byType: map[string]*ResourceType{}, byKey: map[string]*ConditionKey{}}
			c.services = append(c.services, s)
			c.byPrefix[strings.ToLower(s.Prefix)] = s
		case s == nil:
			return nil, fail("a record before the first service")
		case f[0] == "K" && len(f) == 3:
			k := &ConditionKey{Name: f[1], Type: KeyType(f[2]), head: keyHead(f[1])}
			s.Keys = append(s.Keys, k)
			if k.head != "" {
				s.keyPatterns = append(s.keyPatterns, k)
			} else {
				s.byKey[strings.ToLower(k.Name)] = k
			}
		case f[0] == "R" && len(f) == 4:
			// a few types have two formats, "ARN1, ARN2" (API Gateway's
			// HTTP and REST APIs): a type of each, of the same name,
			// which the actions that take the type take both of
			for i, format := range arnFormats(f[2]) {
				rt := &ResourceType{Service: s, Name: f[1], ARN: format, Keys: fields(f[3])}
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
		case f[0] == "A" && len(f) == 5:
			a := &Action{Service: s, Name: f[1], Keys: fields(f[4])}
			for _, code := range f[2] {
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
			for _, r := range fields(f[3]) {
				name, required := strings.CutSuffix(r, "!")
				rt := s.byType[name]
				if rt == nil {
					return nil, fail("%s:%s takes resource type %q, which %s does not have", s.Prefix, a.Name, name, s.Prefix)
				}
				a.Resources = append(a.Resources, ActionResource{Type: rt, Required: required})
				for _, alt := range s.alternates[name] {
					a.Resources = append(a.Resources, ActionResource{Type: alt, Required: required})
				}
			}
			s.Actions = append(s.Actions, a)
			s.byAction[strings.ToLower(a.Name)] = a
		default:
			return nil, fail("malformed record %.40q", line)
		}
	}
	if len(c.services) == 0 || len(c.global) == 0 {
		return nil, fmt.Errorf("catalog: no services or no global keys")
	}
	return c, nil
}

// fields splits a list field ("-" is empty).
func fields(s string) []string {
	if s == "-" || s == "" {
		return nil
	}
	return strings.Split(s, ",")
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
