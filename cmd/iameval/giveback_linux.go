package main

import (
	"os"
	"syscall"
	"unsafe"
)

// giveBack gives the memory of the whole pages within b back to the system
// (madvise MADV_DONTNEED): b lies in memory mapFile mapped, whose bytes
// there read as zeros afterwards. It is how the account loader lets go of
// a dump's bytes as it parses them (account.LoadOptions.Release), so that
// the dump and the model made of it do not both stay whole in memory.
func giveBack(b []byte) {
	page := uintptr(os.Getpagesize())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	end := start + uintptr(len(b))
	// the first page boundary at or after start, the last at or before end
	first, last := (start+page-1)/page*page, end/page*page
	if last > first {
		lo, hi := first-start, last-start
		// an error gives back nothing, and changes nothing read
		_ = syscall.Madvise(b[lo:hi], syscall.MADV_DONTNEED)
	}
}
