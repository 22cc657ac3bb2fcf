package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// compactByBytes is compactJSON as first written, byte by byte: the
// reference compactJSON is checked against.
func compactByBytes(span []byte) compacted {
	var c compacted
	lastSpace := false
	inStr, esc := false, false
	for _, b := range span {
		space := false
		switch {
		case esc:
			esc = false
		case inStr && b == '\\':
			esc = true
		case b == '"':
			inStr = !inStr
		case !inStr && (b == ' ' || b == '\t' || b == '\n' || b == '\r'):
			space = true
		}
		if space {
			c.removed++
			lastSpace = true
			continue
		}
		if lastSpace {
			c.gaps = append(c.gaps, uint32(len(c.doc)), uint32(c.removed))
			lastSpace = false
		}
		c.doc = append(c.doc, b)
		if b >= 0xC4 || b < 0x20 {
			c.flagged = true
		}
	}
	if lastSpace {
		c.gaps = append(c.gaps, uint32(len(c.doc)), uint32(c.removed))
	}
	return c
}

func sameCompact(t *testing.T, doc string) {
	t.Helper()
	got, want := compactJSON([]byte(doc)), compactByBytes([]byte(doc))
	if len(want.doc) == 0 {
		want.doc = nil
	}
	if len(got.doc) == 0 {
		got.doc = nil
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(compacted{})); diff != "" {
		t.Errorf("%q: compactJSON differs from the byte-by-byte reference (-want +got):\n%s", doc, diff)
	}
	if cap(got.doc) != len(got.doc) && got.doc != nil {
		t.Errorf("%q: doc made at %d bytes for %d", doc, cap(got.doc), len(got.doc))
	}
}

// compactJSON leaves out the white space between tokens and keeps every
// byte of a string, an escaped quote or backslash too, and says where it
// left what out (gaps) and whether a byte CheckLimits may report is kept.
func TestCompactJSONAsByBytes(t *testing.T) {
	for _, doc := range []string{
		``, ` `, `{}`, ` {} `, "\n\t{ \"a\" : [ 1 , 2 ] }\r\n",
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`,
		`{"a": "x y\tz"}`, `{"a": "q\"  \" q"}`, `{"a": "b\\"  , "c": "d\\\\"   }`, `{"a": "\\\""  }`,
		`{"a":"é ü ł  €"}`, "{\"a\": \"\u0100 \"}", `"unterminated  `, `{"a": "x\`,
		strings.Repeat(`{ "k" :  "v \" w" ,  "n": [ 1 ,  2 ] }`, 50),
	} {
		sameCompact(t, doc)
	}
}

func FuzzCompactJSON(f *testing.F) {
	for _, s := range []string{`{ "a" : "b\" c" }`, " [ 1,\n 2 ] ", `{"x": "\\"}`, `"é  "`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		sameCompact(t, doc)
	})
}
