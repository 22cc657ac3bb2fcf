//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"io"
	"os"
	"syscall"
)

// mapFile reads the regular file path into memory of its own, mapped
// outside the Go heap, for a reader that keeps none of its bytes
// (account.LoadWith): os.ReadFile's copy would sit in the heap beside the
// model built from it, and the collector would let the heap grow by half
// of both (a 61 MB dump of 20,000 users peaked near 190 MB so; read here,
// near 155 MB: BENCHMARKS.md); unmap gives the memory back at once. The
// copy is the program's own, so a file rewritten meanwhile changes nothing
// read (a mapping of the file itself would fault if it were cut short). ok
// is false when it cannot be done (an empty file, not a regular file, the
// file grew or shrank while read, the system refuses): the caller reads the
// file as usual. The bytes must not be read after unmap.
func mapFile(path string) (data []byte, unmap func(), ok bool) {
	// a named pipe is never opened here: opening it waits for its
	// writer, and closing it then would leave the caller's read waiting
	// for another
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return nil, nil, false
	}
	// (nor blocks if the path became one meanwhile)
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() <= 0 || int64(int(st.Size())) != st.Size() {
		return nil, nil, false
	}
	data, err = syscall.Mmap(-1, 0, int(st.Size()), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, false
	}
	unmap = func() { _ = syscall.Munmap(data) }
	var more [1]byte
	if _, err := io.ReadFull(f, data); err != nil {
		unmap()
		return nil, nil, false
	}
	if n, _ := f.Read(more[:]); n > 0 {
		// it grew while read
		unmap()
		return nil, nil, false
	}
	return data, unmap, true
}
