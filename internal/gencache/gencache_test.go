package gencache

import (
	"fmt"
	"testing"
)

// TestKeepsWhatIsAskedAgain: a caller asks for a few entries again and
// again and for many once. However many it asks for once, the ones it
// keeps asking for stay, an entry of the old generation moves back, the
// map stays within two generations, and GetBytes finds what Get finds
// without allocating.
func TestKeepsWhatIsAskedAgain(t *testing.T) {
	const limit = 100
	m := New[string, int](limit)
	built := 0
	get := func(k string) {
		if _, ok := GetBytes(m, []byte(k)); !ok {
			built++
			m.Put(k, len(k))
		}
	}
	for i := 0; i < 30*limit; i++ {
		get(fmt.Sprintf("home/user%d", i))
		if i > limit && i%(limit/2) == 0 {
			get("team") // first asked for once the map is full
		}
		if m.Len() > 2*limit {
			t.Fatalf("%d entries held, more than 2 × %d", m.Len(), limit)
		}
	}
	if want := 30*limit + 1; built != want {
		t.Errorf("%d entries made, want %d: the shared one was made again", built, want)
	}
	// an entry of the old generation moves back and is found again
	m.Put("x", 1)
	for i := 0; i < limit; i++ {
		m.Put(fmt.Sprint("y", i), i)
	}
	if v, ok := m.Get("x"); !ok || v != 1 {
		t.Fatalf("x in the old generation: %v %v", v, ok)
	}
	for i := 0; i < limit-1; i++ {
		m.Put(fmt.Sprint("z", i), i)
	}
	if v, ok := m.Get("x"); !ok || v != 1 {
		t.Errorf("x, moved back, was dropped with its old generation: %v %v", v, ok)
	}
	if _, ok := m.Get("nothing"); ok {
		t.Errorf("found an entry never put")
	}
	b := []byte("team")
	if allocs := testing.AllocsPerRun(100, func() { GetBytes(m, b) }); allocs != 0 {
		t.Errorf("GetBytes allocates %v times", allocs)
	}
}

// TestAppendPartTellsPartsApart: keys of parts appended with AppendPart
// are equal exactly when the parts are, for parts holding the bytes a
// joined key would separate them with.
func TestAppendPartTellsPartsApart(t *testing.T) {
	key := func(parts ...string) string {
		var b []byte
		for _, p := range parts {
			b = AppendPart(b, p)
		}
		return string(b)
	}
	lists := [][]string{{"a\x00b"}, {"a", "b"}, {"a", "", "b"}, {"a:b"}, {"1:a"}, {"", "1:a"}, {}, {""}, {"", ""}, {"ab"}, {"a", "b", ""}}
	for i, x := range lists {
		for j, y := range lists {
			if (key(x...) == key(y...)) != (i == j) {
				t.Errorf("%q and %q: keys %q and %q", x, y, key(x...), key(y...))
			}
		}
	}
}
