package catalog_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/iameval/iameval/catalog"
)

// TestParseKeepsOnlyWhatItNeeds: a decoded catalogue keeps its names, ARN
// formats and indexes, not the lines of the text it was decoded from. Every
// account analysis holds one for the whole run, so what it keeps counts
// toward a run's peak (BENCHMARKS.md "The AWS catalogue"). The bound is well
// above what it keeps (4.8 MiB when measured) and well below what keeping
// every line as a string of its own made (7.2 MiB).
func TestParseKeepsOnlyWhatItNeeds(t *testing.T) {
	data := catalog.Embedded()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c, err := catalog.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	runtime.KeepAlive(c)
	if kept > 6<<20 {
		t.Errorf("a decoded catalogue keeps %.1f MiB of heap, want under 6 MiB", float64(kept)/(1<<20))
	}
}

// TestActionStringMakesNothing: an action's full name is made once, when the
// catalogue is decoded, so that naming every action (as mfa's reach does, once
// per run) shares it rather than making another copy.
func TestActionStringMakesNothing(t *testing.T) {
	a := catalog.Default().Action("s3:getobject")
	if a == nil {
		t.Fatal("s3:GetObject unknown")
	}
	if got := a.String(); got != "s3:GetObject" {
		t.Errorf("String = %q, want s3:GetObject", got)
	}
	// kept, as reach keeps them: a name made anew would be made on the heap
	names := make([]string, 1)
	if n := testing.AllocsPerRun(100, func() { names[0] = a.String() }); n != 0 {
		t.Errorf("String makes %v allocations, want none", n)
	}
	if got := (&catalog.Action{Service: a.Service, Name: "Made"}).String(); got != "s3:Made" {
		t.Errorf("String of an action made by hand = %q, want s3:Made", got)
	}
}

// TestActionLookupEveryAction: every action of the catalogue is found by its
// name in any ASCII letter case, as IAM matches actions, and a name no
// service has is not.
func TestActionLookupEveryAction(t *testing.T) {
	c := catalog.Default()
	n := 0
	for _, s := range c.Services() {
		for _, a := range s.Actions {
			n++
			for _, name := range []string{a.Name, strings.ToLower(a.Name), strings.ToUpper(a.Name)} {
				if got := s.Action(name); got != a {
					t.Fatalf("%s: Action(%q) = %v", s.Prefix, name, got)
				}
			}
			if got := c.Action(strings.ToUpper(a.String())); got != a {
				t.Fatalf("Action(%q) = %v", strings.ToUpper(a.String()), got)
			}
		}
	}
	if n < 20000 {
		t.Errorf("%d actions, want the whole catalogue", n)
	}
	// a letter outside ASCII that lowers to one in it is that letter, as
	// the engine folds actions (a helper's find: the Kelvin sign, U+212A,
	// in s3:ListBucKet)
	for _, name := range []string{"s3:ListBuc\u212Aet", "iam:CreateAccess\u212Aey"} {
		if a := c.Action(name); a == nil || !strings.EqualFold(a.String(), name) {
			t.Errorf("Action(%q) = %v, want the action it folds to", name, a)
		}
	}
	for _, name := range []string{"s3:GetObjec", "s3:GetObjectt", "s3:", "s3:*", "s3:GetObjeCT ", "nosuch:GetObject", "s3:GetObjectＳ"} {
		if a := c.Action(name); a != nil {
			t.Errorf("Action(%q) = %v, want nil", name, a)
		}
	}
}
