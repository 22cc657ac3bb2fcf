package account

import (
	"strings"
	"testing"
)

// overlapsByAlignment is nameOverlaps by its definition: some placing of s
// beside n shares at least one position, and every shared position holds
// the same letter (ignoring case) — s holds n, lies inside it, or overlaps
// its start or its end. Text outside ASCII overlaps.
func overlapsByAlignment(s, n string) bool {
	if !isASCIIText(s) {
		return true
	}
	if s == "" {
		return false
	}
	// s placed at offset d of n: s[k] beside n[d+k]
	for d := -len(s) + 1; d < len(n); d++ {
		agree := true
		for k := 0; k < len(s); k++ {
			if j := d + k; j >= 0 && j < len(n) && !strings.EqualFold(s[k:k+1], n[j:j+1]) {
				agree = false
				break
			}
		}
		if agree {
			return true
		}
	}
	return false
}

// TestNameOverlaps pins the overlaps template classes refuse a name for
// (TemplateClass's rules): a text a name's occurrence could be matched
// against part of.
func TestNameOverlaps(t *testing.T) {
	for _, c := range []struct {
		s, n string
		want bool
	}{
		{"arn:aws:s3:::home/", "user5", false},
		{"arn:aws:s3:::home/user1", "user10", true}, // ends with its start (home/user1*)
		{"5/objectname", "user5", true},             // begins with its end (home/user55/)
		{"us-east-1", "us", true},                   // holds it
		{"bucketname", "ket", true},
		{"x", "xena", true}, // inside it
		{"jobid", "dan", true},
		{"USER5", "user5", true}, // case
		{"team-3", "user5", false},
		{"caf\u00e9", "bob7", true}, // outside ASCII
		{"", "bob7", false},
	} {
		if got := nameOverlaps(c.s, c.n); got != c.want {
			t.Errorf("nameOverlaps(%q, %q) = %v, want %v", c.s, c.n, got, c.want)
		}
		if got := overlapsByAlignment(c.s, c.n); got != c.want {
			t.Errorf("overlapsByAlignment(%q, %q) = %v, want %v", c.s, c.n, got, c.want)
		}
	}
}

// TestTemplateName pins which names template classes abstract: two or
// more bytes of printable ASCII without * ? $ { } : /, not all digits, and
// no border (a prefix that is also a suffix, which would let two
// occurrences overlap).
func TestTemplateName(t *testing.T) {
	for n, want := range map[string]bool{
		"user5": true, "ulrich": true, "john.doe@example.com": true,
		"anna": false, "bob": false, "u": false, "12345": false, "us": true,
		"a*b": false, "a?b": false, "a${b": false, "a:b": false, "a/b": false, "a b": false,
		"Abba": false, "x\u00e9y": false,
	} {
		if got := templateName(n); got != want {
			t.Errorf("templateName(%q) = %v, want %v", n, got, want)
		}
	}
}

// FuzzNameOverlaps checks nameOverlaps against its definition.
func FuzzNameOverlaps(f *testing.F) {
	f.Add("arn:aws:s3:::home/user1", "user10")
	f.Add("5/objectname", "user5")
	f.Add("abc", "cab")
	f.Fuzz(func(t *testing.T, s, n string) {
		if !templateName(n) {
			return
		}
		if got, want := nameOverlaps(s, n), overlapsByAlignment(s, n); got != want {
			t.Fatalf("nameOverlaps(%q, %q) = %v, want %v", s, n, got, want)
		}
	})
}
