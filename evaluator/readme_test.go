package evaluator_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestREADMEGoSnippet keeps the README's "Go API in ten lines" compiling: it
// builds the snippet, wrapped in a main function, against this module with
// go build -overlay (nothing is written into the source tree).
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
	m := regexp.MustCompile("(?s)## The Go API in ten lines\n\n```go\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README's Go snippet is gone")
	}
	src := `package main

import (
	"fmt"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

func main() {
	var doc []byte
` + string(m[1]) + `	_ = err
}
`
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
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
	cmd := exec.Command(goBin, "build", "-overlay", ov, "-o", os.DevNull, target)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's Go snippet does not compile: %v\n%s\n%s", err, out, src)
	}
}
