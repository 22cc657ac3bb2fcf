package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLintDocumentGivenDirectly pins review 14 U: an account authorization
// dump (or a simulate request document, or a test suite) is no policy.
// lint skips it in a directory with a note; given by name it is said the
// same way, not checked as a broken policy (missing_statement), and a run
// that lints nothing is an error (exit 2: its input was not checked).
func TestLintDocumentGivenDirectly(t *testing.T) {
	dump := filepath.Join("..", "..", "testdata", "account", "review14-sessname.json") // review 14 acct/sessname.json
	pol := filepath.Join("..", "..", "examples", "policies", "ec2-stop-needs-mfa.json")
	code, out, errOut := runCLI(t, "lint", dump)
	if code != exitUsage || strings.Contains(out, "missing_statement") || !strings.Contains(errOut, "not a policy (an account authorization dump), skipped") {
		t.Errorf("lint DUMP: exit %d, stdout %q, stderr %q; want exit 2, the dump said as skipped", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "lint", dump, pol)
	if code == exitUsage || strings.Contains(out, "missing_statement") || !strings.Contains(out, "1 JSON file was skipped as no policy") || !strings.Contains(errOut, "skipped") {
		t.Errorf("lint DUMP POLICY: exit %d, stdout %q, stderr %q; want the policy linted and the dump said as skipped", code, out, errOut)
	}
}
