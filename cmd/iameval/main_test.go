package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestBundledExample(t *testing.T) {
	inRoot(t)
	code, out, errOut := runCLI(t, "simulate")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.HasPrefix(out, "iameval: no input given, so this is the bundled example") {
		t.Errorf("the first line must say this is the bundled example: %q", strings.SplitN(out, "\n", 2)[0])
	}
	goldenAt(t, "simulate-example.txt", out)
}

func TestSimulateFlags(t *testing.T) {
	p := filepath.Join("..", "..", "testdata", "policies", "p3-ec2-deny-stop-without-mfa.json")
	res := "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"
	tests := []struct {
		mfa  []string
		want string
	}{
		{nil, "explicitDeny"},
		{[]string{"--long-term-keys"}, "explicitDeny"},
		{[]string{"--no-mfa-session"}, "explicitDeny"},
		{[]string{"--mfa-age", "10m"}, "allowed"},
	}
	for _, tc := range tests {
		args := append([]string{"simulate", "--policy", p, "--action", "ec2:StopInstances", "--resource", res}, tc.mfa...)
		code, out, errOut := runCLI(t, args...)
		if code != exitOK || !strings.Contains(out, " "+tc.want+" ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %s", tc.mfa, code, out, errOut, tc.want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\n  \"Statement\": {\"Effect\": \"allow\", \"Action\": \"*\", \"Resource\": \"*\"}\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte("{\n  \"Statement\": [,]\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no command", nil, "Usage:"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"simulate", "--nope"}, "unknown flag --nope"},
		{"missing file", []string{"simulate", "--policy", filepath.Join(dir, "none.json"), "--action", "s3:GetObject"}, "no such file or directory"},
		{"invalid policy", []string{"simulate", "--policy", bad, "--action", "s3:GetObject"}, bad + `:2:27: bad_effect: Effect must be exactly "Allow" or "Deny" (case-sensitive), got "allow" (at $.Statement.Effect)`},
		{"invalid JSON", []string{"simulate", "--policy", broken, "--action", "s3:GetObject"}, broken + ":2:17: invalid_json"},
		{"no action", []string{"simulate", "--policy", bad}, "no action"},
		{"two MFA flags", []string{"simulate", "--policy", bad, "--action", "a:b", "--mfa-age", "1m", "--long-term-keys"}, "exclude each other"},
	}
	for _, tc := range tests {
		code, out, errOut := runCLI(t, tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tc.stderr) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2, no stdout, stderr containing %q", tc.name, code, out, errOut, tc.stderr)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"help", "simulate"}, {"simulate", "--help"}, {"version"}} {
		code, out, _ := runCLI(t, args...)
		if code != exitOK || out == "" {
			t.Errorf("%v: exit %d, stdout %q", args, code, out)
		}
	}
	_, out, _ := runCLI(t, "help", "simulate")
	if !strings.Contains(out, "Examples:") || !strings.Contains(out, "--mfa-age") {
		t.Errorf("simulate help must teach with examples and list the flags:\n%s", out)
	}
}
