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
