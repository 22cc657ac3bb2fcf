package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// shellWords splits a README command line as a POSIX shell would for the
// forms the README uses: words, single and double quotes, a trailing
// comment, and unquoted globs (expanded against the file system).
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord, glob := false, false
	var quote byte
	flush := func() {
		if !inWord {
			return
		}
		w := cur.String()
		cur.Reset()
		inWord = false
		if glob {
			if m, err := filepath.Glob(w); err == nil && len(m) > 0 {
				words = append(words, m...)
				glob = false
				return
			}
		}
		glob = false
		words = append(words, w)
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
				continue
			}
			cur.WriteByte(c)
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == '#' && !inWord:
			flush()
			return words
		case c == ' ' || c == '\t':
			flush()
		default:
			if c == '*' || c == '?' {
				glob = true
			}
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return words
}

// TestREADMECommands runs every "go run ./cmd/iameval ..." command of the
// README in process: none may be a usage error, and each exits as its
// comment or nature says (lint with findings 1, --expect denied on an
// allowed request 1, the rest 0).
func TestREADMECommands(t *testing.T) {
	inRoot(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllSubmatch(readme, -1)
	n := 0
	for _, b := range blocks {
		text := strings.ReplaceAll(string(b[1]), "\\\n", " ")
		for _, line := range strings.Split(text, "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "go run ./cmd/iameval") {
				continue
			}
			want := exitOK
			if strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(line, "go run ./cmd/iameval")), "lint") {
				want = exitCheck // the README lints the anti-patterns on purpose
			}
			if m := regexp.MustCompile(`# exit ([0-9])`).FindStringSubmatch(line); m != nil {
				want = int(m[1][0] - '0') // the line says
			}
			args := shellWords(t, strings.TrimPrefix(line, "go run ./cmd/iameval"))
			for i, a := range args {
				if a == ">" { // the output goes to a file: here, to stdout
					args = args[:i]
					break
				}
			}
			n++
			t.Run(fmt.Sprintf("%d-%s", n, args[0]), func(t *testing.T) {
				t.Logf("iameval %s", strings.Join(args, " "))
				code, out, errOut := runCLI(t, args...)
				if code != want || out == "" {
					t.Errorf("exit %d (want %d), stdout %d bytes, stderr:\n%s", code, want, len(out), errOut)
				}
			})
		}
	}
	if n < 8 {
		t.Errorf("found %d README commands; the README lost its examples?", n)
	}
}

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{count(1, "Resource entry", "Resource entries"), "1 Resource entry"},
		{count(2, "Resource entry", "Resource entries"), "2 Resource entries"},
		{plural(0, "request"), "0 requests"},
		{plural(1, "file"), "1 file"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}

// TestSARIFColumnsAreUTF16 pins SARIF's column unit: UTF-16 code units (its
// default, declared as columnKind), not the bytes the policy positions count.
// IAM allows U+0080-U+00FF, which take two bytes in UTF-8 and one unit in
// UTF-16.
func TestSARIFColumnsAreUTF16(t *testing.T) {
	f := writeFiles(t, map[string]string{"p.json": `{"Version":"2012-10-17","Statement":{"Sid":"","Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::café/*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}}`})
	_, out, _ := runCLI(t, "lint", "--format", "sarif", f["p.json"])
	var log struct {
		Runs []struct {
			ColumnKind string
			Results    []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct{ Region struct{ StartColumn int } }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	doc := `{"Version":"2012-10-17","Statement":{"Sid":"","Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::café/*","Condition":{"Bool":`
	want := len([]rune(doc)) - len(`"Bool":`) + 1 // the operator's quote, in characters
	// (café is no S3 bucket name either: CAT010 flags it too, first)
	r := log.Runs[0]
	col := -1
	for _, res := range r.Results {
		if res.RuleID == "MFA001" {
			col = res.Locations[0].PhysicalLocation.Region.StartColumn
		}
	}
	if r.ColumnKind != "utf16CodeUnits" || col != want {
		t.Errorf("columnKind %q, results %+v; want MFA001 at column %d", r.ColumnKind, r.Results, want)
	}
}

// TestREADMEStandsAlone: the README links only to files of the repository
// (and they exist), says how to install with go install, and pins the CI and
// pre-commit snippets to what exists: no release is tagged, so no tag.
func TestREADMEStandsAlone(t *testing.T) {
	inRoot(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	for _, m := range regexp.MustCompile(`\]\(([^)]+)\)`).FindAllStringSubmatch(text, -1) {
		target := m[1]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "..") || strings.HasPrefix(target, "/") {
			t.Errorf("README links outside the repository: %s", target)
			continue
		}
		if _, err := os.Stat(strings.SplitN(target, "#", 2)[0]); err != nil {
			t.Errorf("README links to a missing file: %s", target)
		}
	}
	if strings.Contains(text, "../shared") || strings.Contains(text, "DESIGN.md") || strings.Contains(text, "SPEC.md") {
		t.Error("README points at the team's files outside the repository")
	}
	if !strings.Contains(text, "go install github.com/iameval/iameval/cmd/iameval@latest") {
		t.Error("README lacks the go install line")
	}
	for _, f := range []string{"README.md", "action.yml", ".pre-commit-hooks.yaml"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`(?:iameval/iameval@|rev: )(v[0-9][0-9.]*)`).FindAllStringSubmatch(string(data), -1) {
			t.Errorf("%s pins %s, a tag this repository does not have: pin a commit id", f, m[1])
		}
	}
}
