package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

type lintJSON struct {
	Files []struct {
		File       string `json:"file"`
		Kind       string `json:"kind"`
		KindSource string `json:"kindSource"`
		Parsed     bool   `json:"parsed"`
		Findings   int    `json:"findings"`
	} `json:"files"`
	FilesNotRead []struct {
		File    string `json:"file"`
		Message string `json:"message"`
	} `json:"filesNotRead"`
	Findings []struct {
		File string `json:"file"`
		Rule string `json:"rule"`
	} `json:"findings"`
	Summary lintJSONSummary `json:"summary"`
}

func decodeLintJSON(t *testing.T, out string) lintJSON {
	t.Helper()
	var v lintJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return v
}

// TestLintReadmeExample: "iameval lint testdata/policies/*.json" checks each
// policy as what it is: the trust and bucket policies are not identity
// policies, so their Principal is no error.
func TestLintReadmeExample(t *testing.T) {
	inRoot(t)
	files, err := filepath.Glob("testdata/policies/*.json")
	if err != nil || len(files) == 0 {
		t.Fatal(err, files)
	}
	code, out, errOut := runCLI(t, append([]string{"lint", "--format", "json"}, files...)...)
	if code != exitCheck || errOut != "" {
		t.Fatalf("exit %d (the anti-pattern policies have errors), stderr %q", code, errOut)
	}
	v := decodeLintJSON(t, out)
	want := map[string]string{
		"testdata/policies/p5-trust-cross-account-mfa.json":  "trust",
		"testdata/policies/p6-bucket-mfa-cross-account.json": "resource",
	}
	if len(v.Files) != len(files) {
		t.Fatalf("%d files reported, %d given", len(v.Files), len(files))
	}
	for i, f := range v.Files {
		k, ok := want[f.File]
		if !ok {
			k = "identity"
		}
		if f.File != files[i] || f.Kind != k || f.KindSource != "detected" || !f.Parsed {
			t.Errorf("%+v: want %s, %s (detected)", f, files[i], k)
		}
	}
	for _, f := range v.Findings {
		switch f.Rule {
		case policy.CodeElementNotAllowed, policy.CodeMissingPrincipal, policy.CodeMissingResource:
			t.Errorf("%s: %s", f.File, f.Rule)
		}
	}
	_, out, _ = runCLI(t, append([]string{"lint"}, files...)...)
	for _, line := range []string{
		"testdata/policies/p5-trust-cross-account-mfa.json: checked as a role trust policy (kind detected)\n",
		"testdata/policies/p6-bucket-mfa-cross-account.json: checked as a resource policy (kind detected)\n",
		"testdata/policies/p1-force-mfa-self-manage.json: checked as an identity policy (kind detected)\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("text output lacks %q:\n%s", line, out)
		}
	}
}

// TestLintKindInEveryFormat: each format says which kind each file was
// checked as, and whether it was detected or given; --kind wins.
func TestLintKindInEveryFormat(t *testing.T) {
	inRoot(t)
	trust := "testdata/policies/p5-trust-cross-account-mfa.json"
	for _, tc := range []struct {
		args       []string
		kind, from string
		code       int
	}{
		{nil, "trust", "detected", exitOK},
		{[]string{"--kind", "auto"}, "trust", "detected", exitOK},
		{[]string{"--kind", "trust"}, "trust", "given", exitOK},
		{[]string{"--kind", "identity"}, "identity", "given", exitCheck},
	} {
		args := append(append([]string{"lint"}, tc.args...), trust)
		code, text, _ := runCLI(t, args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d", args, code, tc.code)
		}
		noun := map[string]string{"trust": "a role trust policy", "identity": "an identity policy"}[tc.kind]
		line := trust + ": checked as " + noun + " (kind " + map[string]string{"detected": "detected", "given": "given with --kind"}[tc.from] + ")"
		if !strings.Contains(text, line) {
			t.Errorf("%v: text lacks %q:\n%s", args, line, text)
		}
		_, out, _ := runCLI(t, append(append([]string{"lint", "--format", "json"}, tc.args...), trust)...)
		if v := decodeLintJSON(t, out); len(v.Files) != 1 || v.Files[0].Kind != tc.kind || v.Files[0].KindSource != tc.from {
			t.Errorf("%v: JSON files %+v", args, v.Files)
		}
		_, out, _ = runCLI(t, append(append([]string{"lint", "--format", "sarif"}, tc.args...), trust)...)
		var log struct {
			Runs []struct {
				Artifacts []struct {
					Location   struct{ URI string }
					Properties struct{ Kind, KindSource string }
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		if a := log.Runs[0].Artifacts; len(a) != 1 || a[0].Location.URI != trust || a[0].Properties.Kind != tc.kind || a[0].Properties.KindSource != tc.from {
			t.Errorf("%v: SARIF artifacts %+v", args, a)
		}
	}
}

// TestLintUnreadable: a path lint cannot read is exit 2 in every format, and
// nothing says "no findings" of what was not checked.
func TestLintUnreadable(t *testing.T) {
	inRoot(t)
	clean := "testdata/policies/p1-force-mfa-self-manage.json"
	missing := "testdata/policies/no-such-file.json"
	for _, files := range [][]string{{missing}, {clean, missing}} {
		code, out, errOut := runCLI(t, append([]string{"lint"}, files...)...)
		if code != exitUsage || strings.Contains(out, "no findings") || !strings.Contains(errOut, missing) ||
			!strings.Contains(out, "1 file could not be read") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", files, code, out, errOut)
		}

		code, out, _ = runCLI(t, append([]string{"lint", "--format", "json"}, files...)...)
		v := decodeLintJSON(t, out)
		if code != exitUsage || len(v.FilesNotRead) != 1 || v.FilesNotRead[0].File != missing || !strings.Contains(v.FilesNotRead[0].Message, "no such file") ||
			v.Summary.FilesNotRead != 1 || !strings.Contains(v.Summary.Text, "1 file could not be read") {
			t.Errorf("%v: JSON exit %d, filesNotRead %+v, summary %+v", files, code, v.FilesNotRead, v.Summary)
		}

		code, out, _ = runCLI(t, append([]string{"lint", "--format", "sarif"}, files...)...)
		var log struct {
			Runs []struct {
				Invocations []struct {
					ExecutionSuccessful        *bool `json:"executionSuccessful"`
					ToolExecutionNotifications []struct {
						Level   string
						Message struct{ Text string }
						// SARIF: notification.locations are location objects
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct{ URI string }
							}
						}
					} `json:"toolExecutionNotifications"`
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		inv := log.Runs[0].Invocations
		if code != exitUsage || len(inv) != 1 || inv[0].ExecutionSuccessful == nil || *inv[0].ExecutionSuccessful ||
			len(inv[0].ToolExecutionNotifications) != 1 {
			t.Fatalf("%v: SARIF exit %d, invocations %+v", files, code, inv)
		}
		n := inv[0].ToolExecutionNotifications[0]
		if n.Level != "error" || !strings.Contains(n.Message.Text, "no such file") || len(n.Locations) != 1 || n.Locations[0].PhysicalLocation.ArtifactLocation.URI != missing {
			t.Errorf("%v: notification %+v", files, n)
		}
	}
	// a successful run says so
	_, out, _ := runCLI(t, "lint", "--format", "sarif", clean)
	if !strings.Contains(out, `"executionSuccessful": true`) {
		t.Errorf("SARIF of a run that read everything:\n%s", out)
	}
}

// TestLintDirectory: a directory is linted as its *.json files, recursively,
// in lexical order, leaving out *.iamtest.json suites; a directory with none
// is an error, not an all-clear.
func TestLintDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	write("a/trust.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}}`)
	write("suite.iamtest.json", `{"suite": "not a policy"}`)
	write("notes.txt", "not JSON")
	code, out, errOut := runCLI(t, "lint", "--format", "json", dir)
	v := decodeLintJSON(t, out)
	if code != exitOK || errOut != "" || len(v.Files) != 2 ||
		v.Files[0].File != filepath.Join(dir, "a", "trust.json") || v.Files[0].Kind != "trust" ||
		v.Files[1].File != filepath.Join(dir, "b.json") || v.Files[1].Kind != "identity" {
		t.Errorf("exit %d, stderr %q, %+v", code, errOut, v.Files)
	}

	empty := t.TempDir()
	code, out, errOut = runCLI(t, "lint", empty)
	if code != exitUsage || strings.Contains(out, "no findings") || !strings.Contains(errOut, "no *.json files") {
		t.Errorf("empty directory: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestLintNotAPolicy: valid JSON that is not a policy is checked, and IAM
// would refuse it: its findings say why, at exit 1.
func TestLintNotAPolicy(t *testing.T) {
	dir := t.TempDir()
	obj := filepath.Join(dir, "package.json")
	list := filepath.Join(dir, "list.json")
	if err := os.WriteFile(obj, []byte(`{"name": "web", "version": "1.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(list, []byte(`[1, 2]`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "lint", obj, list)
	for _, want := range []string{
		obj + ": does not parse as a policy: only its grammar was checked",
		obj + ":1:1: error: missing_statement",
		obj + `:1:2: error: unknown_element: unknown policy element "name"`,
		list + ": does not parse as a policy: only its grammar was checked",
		list + ":1:1: error: wrong_type: a policy must be a JSON object",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if code != exitCheck || errOut != "" {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, out, _ = runCLI(t, "lint", "--format", "json", obj)
	if v := decodeLintJSON(t, out); len(v.Files) != 1 || v.Files[0].Parsed || v.Files[0].Kind != "" || v.Files[0].KindSource != "undetermined" {
		t.Errorf("%+v", v.Files)
	}
}

// TestLintHelp: the help names every rule and says how the kind is chosen.
func TestLintHelp(t *testing.T) {
	code, out, _ := runCLI(t, "help", "lint")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, r := range lint.Rules() {
		if !strings.Contains(out, r.ID+" "+r.Name) {
			t.Errorf("help lacks rule %s %s", r.ID, r.Name)
		}
	}
	for _, want := range []string{"sts:AssumeRole", "--kind", "rcp_allow", "directory"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}

// TestLintRCP: --kind rcp refuses what AWS's RCP syntax refuses, and accepts
// RCPFullAWSAccess and a Deny-only RCP.
func TestLintRCP(t *testing.T) {
	inRoot(t)
	for _, ok := range []string{"testdata/lint/rcp-full-access.json", "testdata/lint/rcp-deny-insecure-transport.json"} {
		if code, out, errOut := runCLI(t, "lint", "--kind", "rcp", ok); code != exitOK || !strings.HasSuffix(out, "no findings\n") {
			t.Errorf("%s: exit %d, %s%s", ok, code, out, errOut)
		}
	}
	code, out, _ := runCLI(t, "lint", "--kind", "rcp", "--format", "json", "testdata/lint/rcp-refused.json")
	var got []string
	for _, f := range decodeLintJSON(t, out).Findings {
		got = append(got, f.Rule)
	}
	want := []string{
		policy.CodeVersionRequired,                                 // "Every RCP must include a Version element with the value "2012-10-17""
		policy.CodeRCPAllow,                                        // "For RCPs that you create, the value must be Deny"
		policy.CodeRCPPrincipal,                                    // "You can only specify "*" in the Principal element of an RCP"
		policy.CodeElementNotAllowed, policy.CodeElementNotAllowed, // "not supported in RCPs: NotPrincipal, NotAction"
		policy.CodeMissingResource, policy.CodeRCPAction, // "Each statement must contain the Resource or NotResource element"; no "*" action
	}
	if code != exitCheck || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("exit %d, rules %v, want %v", code, got, want)
	}
	// detected without --kind, the same document is a resource policy
	_, out, _ = runCLI(t, "lint", "--format", "json", "testdata/lint/rcp-refused.json")
	if v := decodeLintJSON(t, out); v.Files[0].Kind != "resource" {
		t.Errorf("%+v", v.Files)
	}
}

// TestLintCatalogGolden: the catalogue rules (CAT001-CAT010) on the typos
// and wrong keys of issue 13, in each output; SARIF names each rule in the
// driver's rules and places each result at the offending value.
func TestLintCatalogGolden(t *testing.T) {
	inRoot(t)
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := runCLI(t, "lint", "--output", format, "testdata/lint/catalog-typos.json")
			if code != exitCheck || errOut != "" {
				t.Fatalf("error findings must exit 1: exit %d, stderr %q", code, errOut)
			}
			goldenAt(t, "lint-catalog."+format, out)
		})
	}
}

// TestLintVariablePositions: a typo in a policy variable's key (CAT004) is
// reported at the variable's "$" in every output and in every container of
// a policy: a policy file with characters of two UTF-8 bytes before it
// (JSON columns count bytes, SARIF's UTF-16 code units), and the
// URL-encoded document of aws iam get-policy-version output, where the
// position is the "$" in the file, not in the decoded policy.
func TestLintVariablePositions(t *testing.T) {
	plain := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/café/${aws:usrename}/*"}}`
	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:usrename}/*"}}`
	encoded := `{"PolicyVersion":{"Document":"` + url.PathEscape(doc) + `","VersionId":"v1","IsDefaultVersion":true}}`
	f := writeFiles(t, map[string]string{"plain.json": plain, "encoded.json": encoded})
	tests := []struct {
		file     string
		byteCol  int // JSON's column: bytes
		sarifCol int // SARIF's: UTF-16 code units
	}{
		{f["plain.json"], strings.Index(plain, "${aws:usrename}") + 1, len([]rune(plain[:strings.Index(plain, "${aws:usrename}")])) + 1},
		{f["encoded.json"], strings.Index(encoded, "$%7Baws:usrename") + 1, strings.Index(encoded, "$%7Baws:usrename") + 1},
	}
	for _, tc := range tests {
		if tc.byteCol < 1 {
			t.Fatalf("%s holds no variable where the test looks", tc.file)
		}
		code, out, errOut := runCLI(t, "lint", "-o", "json", tc.file)
		var v struct {
			Findings []struct {
				Rule   string `json:"rule"`
				Line   int    `json:"line"`
				Column int    `json:"column"`
				Fix    string `json:"fix"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v\n%s%s", err, out, errOut)
		}
		if code != exitCheck || len(v.Findings) != 1 || v.Findings[0].Rule != "CAT004" || v.Findings[0].Line != 1 ||
			v.Findings[0].Column != tc.byteCol || v.Findings[0].Fix != `write "${aws:username}"` {
			t.Errorf("%s: exit %d, %+v; want one CAT004 at 1:%d\n%s", tc.file, code, v.Findings, tc.byteCol, errOut)
		}
		_, out, _ = runCLI(t, "lint", "-o", "sarif", tc.file)
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID    string
					Locations []struct {
						PhysicalLocation struct {
							Region struct{ StartLine, StartColumn int }
						}
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		if r := log.Runs[0].Results; len(r) != 1 || r[0].RuleID != "CAT004" || r[0].Locations[0].PhysicalLocation.Region.StartColumn != tc.sarifCol {
			t.Errorf("%s: SARIF %+v; want CAT004 at column %d", tc.file, r, tc.sarifCol)
		}
	}
}

// TestREADMELintRules: the rule ranges the README names (`MFA001`–`MFA010`)
// are the rules lint has, first to last, as iameval help lint lists them;
// every rule id it names exists.
func TestREADMELintRules(t *testing.T) {
	inRoot(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	families := map[string][]string{} // prefix → ids, in order
	for _, r := range lint.Rules() {
		p := strings.TrimRight(r.ID, "0123456789")
		families[p] = append(families[p], r.ID)
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile("`([A-Z]+)([0-9]{3})`[–-]`([A-Z]+)([0-9]{3})`").FindAllStringSubmatch(string(readme), -1) {
		ids := families[m[1]]
		if m[1] != m[3] || len(ids) == 0 || m[1]+m[2] != ids[0] || m[3]+m[4] != ids[len(ids)-1] {
			t.Errorf("README names the rules %s, lint has %v", m[0], ids)
		}
		seen[m[1]] = true
	}
	for _, p := range []string{"MFA", "CAT"} {
		if !seen[p] {
			t.Errorf("README names no range of the %s rules (%v)", p, families[p])
		}
	}
	known := map[string]bool{}
	for _, r := range lint.Rules() {
		known[r.ID] = true
	}
	for _, id := range regexp.MustCompile(`\b(?:MFA|CAT|ARN|SIZE|VAR)[0-9]{3}\b`).FindAllString(string(readme), -1) {
		if !known[id] {
			t.Errorf("README names rule %s, which lint does not have", id)
		}
	}
}
