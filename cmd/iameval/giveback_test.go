package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/iameval/iameval/account/accounttest"
)

// TestGiveBack: giveBack gives back the whole pages within what it is
// given, which then read as zeros, and leaves the bytes of the pages it
// only partly covers as they were.
func TestGiveBack(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("giveBack gives back nothing here")
	}
	page := os.Getpagesize()
	file := filepath.Join(t.TempDir(), "pages.json")
	want := []byte(strings.Repeat("x", 5*page+100))
	if err := os.WriteFile(file, want, 0o644); err != nil {
		t.Fatal(err)
	}
	data, unmap, ok := mapFile(file)
	if !ok {
		t.Fatalf("%s is not read outside the heap", file)
	}
	defer unmap()
	from, to := 100, 3*page+50
	giveBack(data[from:to])
	for i, c := range data {
		zero := i >= page && i < 3*page
		if (c == 0) != zero {
			t.Fatalf("byte %d of %d is %q after giving back %d to %d (pages of %d bytes)", i, len(data), c, from, to, page)
		}
	}
	// less than a page: nothing
	giveBack(data[4*page+1 : 5*page-1])
	if data[4*page+1] != 'x' {
		t.Errorf("less than a page was given back")
	}
}

// TestAccountFileGivenBackOnAProblem: --account's loader gives the mapped
// dump back as it parses (account.LoadOptions.Release); when it meets a
// broken inline policy after that, the file is read again and the problems
// are those listed reading the dump from stdin (where nothing is given
// back), with the same exit code.
func TestAccountFileGivenBackOnAProblem(t *testing.T) {
	good := string(accounttest.CLIDump(2000))
	at := strings.Index(good, `"UserName": "user1990"`)
	bad := good[:at] + strings.Replace(good[at:], `"Sid": "HomePrefix"`, `"Sid": "HomePrefix", "Effect": "Maybe"`, 1)
	file := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"mfa", "--action", "s3:GetObject", "--account"},
		{"who-can", "--action", "s3:GetObject", "--resource", "*", "--account"},
	} {
		wantCode, _, wantErr := runCLIStdin(t, bad, append(args, "-")...)
		if wantCode != exitUsage || !strings.Contains(wantErr, `got "Maybe"`) {
			t.Fatalf("%s from stdin: exit %d, %s", args[0], wantCode, wantErr)
		}
		code, _, errOut := runCLI(t, append(args, file)...)
		if got := strings.ReplaceAll(errOut, file, stdinName); code != wantCode || got != wantErr {
			t.Errorf("%s from a file: exit %d\n%s\nwant exit %d\n%s", args[0], code, got, wantCode, wantErr)
		}
	}
}
