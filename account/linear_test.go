package account_test

import (
	"runtime"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestLoadWorkGrowsLinearly: loading four times the users of a CLI-shaped
// dump allocates about four times the bytes. A per-policy cost proportional
// to the file's size (say, indexing the whole file's lines for each policy
// document) makes it sixteen times. Bytes allocated are deterministic, unlike
// time.
func TestLoadWorkGrowsLinearly(t *testing.T) {
	const small = 100
	load := func(data []byte) func() {
		return func() {
			if _, err := account.Load("cli.json", data); err != nil {
				t.Fatal(err)
			}
		}
	}
	d1, d4 := accounttest.CLIDump(small), accounttest.CLIDump(4*small)
	load(d1)() // one-time initialisation is not the loader's work
	b1, b4 := allocated(load(d1)), allocated(load(d4))
	ratio := float64(b4) / float64(b1)
	t.Logf("%d users: %d bytes allocated; %d users: %d bytes (×%.2f)", small, b1, 4*small, b4, ratio)
	if ratio > 5 {
		t.Errorf("4× the users allocate %.1f× the bytes: the loader does per-policy work proportional to the file", ratio)
	}
}
