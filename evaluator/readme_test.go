package evaluator_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEGoSnippet keeps the README's Go API program true: it runs the
// snippet exactly as written, as a program of this module (go run -overlay:
// nothing is written into the source tree), and checks that the policy
// decides what the README says it does.
func TestREADMEGoSnippet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## The Go API\n\n```go\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README's Go program is gone")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, m[1], 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(root, "internal", "readmesnippet", "main.go")
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {target: file}})
	ov := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goBin, "run", "-overlay", ov, target)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's Go program does not run: %v\n%s", err, out)
	}
	want := "explicitDeny by DenyDeleteWithoutMFA at s3-mfa.json:3:4\nallowed by AllowS3 at s3-mfa.json:2:4\n"
	if string(out) != want {
		t.Errorf("the README's Go program prints:\n%s\nwant:\n%s", out, want)
	}
	for _, line := range []string{"explicitDeny by DenyDeleteWithoutMFA at s3-mfa.json:3:4", "It prints `explicitDeny by DenyDeleteWithoutMFA", "`allowed by AllowS3"} {
		if !strings.Contains(string(readme), line) {
			t.Errorf("the README no longer says %q", line)
		}
	}
}
