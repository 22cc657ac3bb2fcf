package keyhash

import (
	"encoding/hex"
	"testing"
)

// The digest is SHA-256's first 16 bytes (FIPS 180-4's test vector "abc":
// ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad).
func TestOfIsSHA256Cut(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"abc", "ba7816bf8f01cfea414140de5dae2223"},
		{"", "e3b0c44298fc1c149afbf4c8996fb924"},
	} {
		got := Of([]byte(tc.in))
		if hex.EncodeToString(got[:]) != tc.want {
			t.Errorf("Of(%q) = %x, want %s", tc.in, got, tc.want)
		}
	}
}

// Keys that differ in one byte, or only in length, get different sums.
func TestOfTellsKeysApart(t *testing.T) {
	keys := []string{"", "\x00", "\x00\x00", "a", "b", "ab", "ba", "t\x00Allow", "r\x00Allow"}
	seen := map[Sum]string{}
	for _, k := range keys {
		s := Of([]byte(k))
		if o, dup := seen[s]; dup {
			t.Errorf("%q and %q share a sum", o, k)
		}
		seen[s] = k
	}
}

func BenchmarkOf(b *testing.B) {
	key := make([]byte, 640) // a class key of a principal of a large account
	b.SetBytes(int64(len(key)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Of(key)
	}
}

// TestTable checks that a Table gives one value per key, the same to every
// caller at once, and others to other keys.
func TestTable(t *testing.T) {
	var tab Table[int]
	keys := [][]byte{[]byte("a"), []byte("b"), []byte("")}
	got := make([][]*int, 8)
	done := make(chan int)
	for g := range got {
		go func() {
			for _, k := range keys {
				got[g] = append(got[g], tab.Get(k))
			}
			done <- g
		}()
	}
	for range got {
		<-done
	}
	for g := range got {
		for i := range keys {
			if got[g][i] != got[0][i] {
				t.Fatalf("caller %d got another value for %q", g, keys[i])
			}
		}
	}
	if got[0][0] == got[0][1] || got[0][1] == got[0][2] || tab.Len() != len(keys) {
		t.Fatalf("keys share values, or Len %d != %d", tab.Len(), len(keys))
	}
	*tab.Get([]byte("a")) = 7
	if *got[0][0] != 7 {
		t.Fatal("Get made a new value for a key it holds")
	}
}
