//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAccountFromNamedPipe checks that --account reads a named pipe (a
// FIFO a shell's process or another program writes the dump into) as it
// reads any file: the read outside the heap never opens it (opening it
// waits for its writer, and closing it then left the read that follows
// waiting for another, for ever). A walkthrough's find.
func TestAccountFromNamedPipe(t *testing.T) {
	inRoot(t)
	dump, err := os.ReadFile(ciAccount)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"mfa", "--action", sensitive, "--output", "json", "--account"}
	code, want, errOut := runCLI(t, append(args, ciAccount)...)
	if code != exitOK || errOut != "" {
		t.Fatalf("file: exit %d, %s", code, errOut)
	}
	for _, content := range [][]byte{dump, nil} {
		fifo := filepath.Join(t.TempDir(), "dump.json")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip("mkfifo:", err)
		}
		go func() {
			// the writer comes first or after the reader opens: both
			f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err != nil {
				return
			}
			f.Write(content)
			f.Close()
		}()
		type result struct {
			code        int
			out, errOut string
		}
		done := make(chan result, 1)
		go func() {
			code, out, errOut := runCLI(t, append(args, fifo)...)
			done <- result{code, out, errOut}
		}()
		select {
		case r := <-done:
			switch {
			case content != nil && (r.code != exitOK || r.out != want):
				t.Errorf("named pipe: exit %d, %s; the report differs from the file's: %v", r.code, r.errOut, r.out != want)
			case content == nil && (r.code != exitUsage || !strings.Contains(r.errOut, "empty")):
				t.Errorf("empty named pipe: exit %d, %q; want exit %d, an empty document", r.code, r.errOut, exitUsage)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("reading a named pipe (%d bytes written) has not ended in 30 s", len(content))
		}
	}
}
