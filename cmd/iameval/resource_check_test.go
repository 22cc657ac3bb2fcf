package main

import (
	"strings"
	"testing"
)

// TestResourceMustBeARN pins that who-can and paths refuse a --resource
// that is not an ARN (nor "*"), as mfa does: no request names
// "notanarn", so answering "2 ways" for it would invent a resource.
func TestResourceMustBeARN(t *testing.T) {
	for _, args := range [][]string{
		{"who-can", "--account", "../../testdata/account/paths-account.json", "--action", "s3:DeleteObject", "--resource", "notanarn"},
		{"who-can", "--account", "../../testdata/account/paths-account.json", "--action", "s3:DeleteObject", "--resource", "?"},
		{"paths", "--account", "../../testdata/account/paths-account.json", "--from", "alice", "--action", "s3:DeleteObject", "--resource", "notanarn"},
	} {
		code, out, stderr := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "is not an ARN") {
			t.Errorf("%v: exit %d, want %d and \"is not an ARN\":\n%s%s", args, code, exitUsage, out, stderr)
		}
	}
}
