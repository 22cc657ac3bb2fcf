//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

// mapFile is not available here: the caller reads the file (os.ReadFile).
func mapFile(path string) (data []byte, unmap func(), ok bool) { return nil, nil, false }
