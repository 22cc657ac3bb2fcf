package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/iameval/iameval/account/accounttest"
)

// TestRun: the command writes CLIDumpWith's bytes for its flags, and
// refuses what it cannot read with exit 2 and a usage line.
func TestRun(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []byte
	}{
		{[]string{"-users", "30"}, accounttest.CLIDump(30)},
		{[]string{"-users", "12", "-copies", "-admins"}, accounttest.CLIDumpWith(12, accounttest.Options{Copies: true, Admins: true})},
		{nil, accounttest.CLIDump(1000)},
	} {
		var out, errs bytes.Buffer
		if code := run(tc.args, &out, &errs); code != 0 || !bytes.Equal(out.Bytes(), tc.want) || errs.Len() > 0 {
			t.Errorf("%v: exit %d, %d bytes (want %d), stderr %q", tc.args, code, out.Len(), len(tc.want), errs.String())
		}
	}
	for _, args := range [][]string{{"-users", "0"}, {"-users", "x"}, {"extra"}, {"-nope"}} {
		var out, errs bytes.Buffer
		if code := run(args, &out, &errs); code != 2 || out.Len() > 0 || !strings.Contains(errs.String(), "usage") && !strings.Contains(errs.String(), "invalid") && !strings.Contains(errs.String(), "not defined") {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q", args, code, out.Len(), errs.String())
		}
	}
}
