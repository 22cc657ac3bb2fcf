package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/lint"
)

// TestColor: the mfa table and lint's text colour their verdicts and
// severities only when asked; JSON, SARIF and markdown never.
func TestColor(t *testing.T) {
	inRoot(t)
	f := writeFiles(t, map[string]string{"p.json": `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:*","Resource":"*"},
 {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`})
	sim, err := buildSimulation(&simulateFlags{policies: fileList{f["p.json"]}, actions: listFlag{"s3:DeleteObject", "s3:GetObject"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	engine, err := evaluator.Compile(sim.set)
	if err != nil {
		t.Fatal(err)
	}
	rep := sim.analyzeMFA(engine)
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := writeMFATable(&b, &rep, sim, color); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if got := strings.Contains(out, "\x1b["); got != color {
			t.Errorf("mfa table, color %v: escape codes %v:\n%q", color, got, out)
		}
		if color && (!strings.Contains(out, colorRed+"mfa-not-required"+colorReset) || !strings.Contains(out, colorGreen+"allow"+colorReset)) {
			t.Errorf("mfa table: the verdict and decisions are not coloured:\n%q", out)
		}
		if color {
			checkFits(t, "the coloured mfa table", stripColor(out), []string{"RESOURCE", "KEYS", "SESSION", "MFA", "VERDICT", "MAX AGE", "BYPASSES"})
		}
	}
	var b bytes.Buffer
	if err := writeMFAJSON(&b, &rep, sim); err != nil || strings.Contains(b.String(), "\x1b") {
		t.Errorf("mfa json: %v, escape codes %v", err, strings.Contains(b.String(), "\x1b"))
	}

	doc := []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}}`)
	results := []lint.Result{lint.DocumentAuto("p.json", doc)}
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := writeLintText(&b, results, nil, nil, color); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if got := strings.Contains(out, "\x1b["); got != color {
			t.Errorf("lint text, color %v: escape codes %v:\n%q", color, got, out)
		}
		if color && !strings.Contains(out, ": "+colorRed+"error"+colorReset+": ") && !strings.Contains(out, ": "+colorYellow+"warning"+colorReset+": ") {
			t.Errorf("lint text: the severity is not coloured:\n%q", out)
		}
	}
	for _, write := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return writeLintJSON(b, results, nil, nil) },
		func(b *bytes.Buffer) error { return writeSARIF(b, results, nil, nil, map[string][]byte{"p.json": doc}) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil || strings.Contains(b.String(), "\x1b") {
			t.Errorf("lint json/sarif: %v, escape codes %v", err, strings.Contains(b.String(), "\x1b"))
		}
	}
}

func stripColor(s string) string {
	for _, c := range []string{colorReset, colorGreen, colorRed, colorYellow, colorCyan} {
		s = strings.ReplaceAll(s, c, "")
	}
	return s
}

// TestColorEnabled: never is off, always on (even with NO_COLOR: the flag
// is explicit), auto only on a terminal, without NO_COLOR, with a TERM
// other than dumb. A buffer and a regular file are no terminal.
func TestColorEnabled(t *testing.T) {
	file, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	t.Setenv("NO_COLOR", "1")
	for _, tc := range []struct {
		mode string
		want bool
	}{{"never", false}, {"always", true}, {"auto", false}} {
		for _, w := range []io.Writer{&bytes.Buffer{}, file} {
			if got := colorEnabled(tc.mode, w); got != tc.want {
				t.Errorf("%s to %T with NO_COLOR: %v, want %v", tc.mode, w, got, tc.want)
			}
		}
	}
	t.Setenv("NO_COLOR", "")
	if colorEnabled("auto", file) || colorEnabled("auto", &bytes.Buffer{}) {
		t.Error("auto: a regular file and a buffer are no terminal")
	}
	// a terminal, when the test has one
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		t.Setenv("TERM", "xterm")
		if !colorEnabled("auto", tty) {
			t.Error("auto on a terminal: off")
		}
		t.Setenv("TERM", "dumb")
		if colorEnabled("auto", tty) {
			t.Error("auto with TERM=dumb: on")
		}
		t.Setenv("TERM", "xterm")
		t.Setenv("NO_COLOR", "1")
		if colorEnabled("auto", tty) || !colorEnabled("always", tty) {
			t.Error("NO_COLOR: auto must be off, always on")
		}
	}
}
