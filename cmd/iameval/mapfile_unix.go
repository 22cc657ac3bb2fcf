//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"os"
	"syscall"
)

// mapFile maps the regular file path read-only, for a reader that keeps
// none of its bytes (account.LoadWith): the kernel reads its pages as they
// are read and drops them with the mapping, where os.ReadFile's copy would
// sit in the heap beside the model built from it, and the collector would
// let the heap grow by half of both (a 61 MB dump of 20,000 users peaked
// near 190 MB so; mapped, near 140 MB: BENCHMARKS.md). ok is false when the
// file cannot be mapped (empty, not a regular file, the system refuses):
// the caller reads it instead. unmap releases the mapping; the bytes must
// not be read after it.
func mapFile(path string) (data []byte, unmap func(), ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() <= 0 || int64(int(st.Size())) != st.Size() {
		return nil, nil, false
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, false
	}
	return data, func() { _ = syscall.Munmap(data) }, true
}
