package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTestCommandOnProjectSuites(t *testing.T) {
	inRoot(t)
	code, out, errOut := runCLI(t, "test", "testdata/conformance", "examples")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.HasSuffix(last, " passed, 0 failed") {
		t.Errorf("closing line %q", last)
	}
	// deterministic order: suites as given, files sorted in each
	if !strings.HasPrefix(lines[0], "ok   testdata/conformance/issue-11-engine.iamtest.json") || !strings.HasPrefix(lines[1], "ok   testdata/conformance/mfa-policies.iamtest.json") ||
		!strings.HasPrefix(lines[len(lines)-2], "ok   examples/mfa.iamtest.json") {
		t.Errorf("order:\n%s", out)
	}
}

func writeSuite(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const failingSuite = `{
  "policies": {"deny-bool": {"Version": "2012-10-17", "Statement": [
    {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Sid": "NoMFA", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}},
  "cases": [
    {"name": "delete needs MFA", "set": "deny-bool", "action": "s3:DeleteObject", "resource": "arn:aws:s3:::b/k",
     "expect": {"LT": "denied", "TMP": "explicitDeny", "FRESH": "allowed"}},
    {"name": "read is fine", "set": "deny-bool", "action": "s3:GetObject", "expect": "allowed"}
  ]
}`

func TestTestCommandFailure(t *testing.T) {
	dir := t.TempDir()
	file := writeSuite(t, dir, "bypass.iamtest.json", failingSuite)
	junit := filepath.Join(dir, "report.xml")
	code, out, errOut := runCLI(t, "test", "--junit", junit, dir)
	if code != exitCheck || errOut != "" {
		t.Fatalf("a failing case must exit 1: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"--- FAIL: delete needs MFA/LT (" + file + ":7:5)",
		"    expected denied, got allowed",
		"    decided by: Allow All (deny-bool at " + file + ":3:5)",
		`not applied: condition Bool aws:MultiFactorAuthPresent ["false"] is false (the key is missing from the request)`,
		"FAIL " + file + "\t3 passed, 1 failed",
		"\n3 passed, 1 failed\n",
	} {
		if !containsFlat(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The JUnit report is well-formed XML with the counts a consumer reads.
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
			Cases []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Time      string `xml:"time,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Body    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &report); err != nil {
		t.Fatalf("JUnit report is not XML: %v\n%s", err, data)
	}
	if report.Tests != 4 || report.Failures != 1 || len(report.Suites) != 1 || len(report.Suites[0].Cases) != 4 {
		t.Fatalf("report counts: %+v", report)
	}
	failed := report.Suites[0].Cases[0]
	if failed.Failure == nil || failed.Failure.Message != "expected denied, got allowed" || failed.Classname != file || failed.Time == "" {
		t.Errorf("failed case: %+v", failed)
	}
	// --run selects; --json is machine-readable.
	code, out, _ = runCLI(t, "test", "--run", "read", "--json", file)
	var res struct {
		Suites  []struct{ Cases []struct{ Name string } }
		Summary struct {
			Passed, Failed, Suites, InvalidSuites int
			Text                                  string
		}
	}
	if code != exitOK || json.Unmarshal([]byte(out), &res) != nil || res.Summary.Passed != 1 || res.Summary.Failed != 0 || res.Summary.Suites != 1 ||
		res.Summary.InvalidSuites != 0 || res.Summary.Text != "1 passed, 0 failed" || res.Suites[0].Cases[0].Name != "read is fine" {
		t.Errorf("--run read --json: exit %d, %s", code, out)
	}
}

func TestTestCommandMalformed(t *testing.T) {
	dir := t.TempDir()
	good := writeSuite(t, dir, "a.iamtest.json", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "s3:GetObject", "expect": "allowed"}]}`)
	bad := writeSuite(t, dir, "b.iamtest.json", "{\n  \"cases\": [{\"name\": \"x\", \"set\": \"p\", \"action\": \"s3:GetObject\", \"expect\": \"allowed\"}]\n}")
	code, out, errOut := runCLI(t, "test", dir)
	if code != exitUsage {
		t.Fatalf("an invalid suite must exit 2: exit %d", code)
	}
	if !strings.Contains(errOut, bad+`:2:34: no policy named "p"`) {
		t.Errorf("the error names the place: %q", errOut)
	}
	if !strings.Contains(out, "ok   "+good) || !strings.Contains(out, "FAIL "+bad+" (invalid suite)") {
		t.Errorf("other suites still run:\n%s", out)
	}
	_, out, _ = runCLI(t, "test", "-o", "json", dir)
	var res struct {
		Summary struct{ Passed, Failed, Suites, InvalidSuites int }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Summary.Passed != 1 || res.Summary.Suites != 2 || res.Summary.InvalidSuites != 1 {
		t.Errorf("JSON summary %+v (%v)", res.Summary, err)
	}
	if code, _, _ := runCLI(t, "test", filepath.Join(dir, "none")); code != exitUsage {
		t.Errorf("a missing path: exit %d", code)
	}
	if code, _, _ := runCLI(t, "test", "--run", "(", dir); code != exitUsage {
		t.Errorf("a bad --run: exit %d", code)
	}
}

// TestNoVacuousTestRun pins issue 11 item 6: a --run that selects no case
// fails, and every policy and set a suite names is loaded and validated,
// used or not.
func TestNoVacuousTestRun(t *testing.T) {
	dir := t.TempDir()
	writeSuite(t, dir, "a.iamtest.json", failingSuite)
	code, out, errOut := runCLI(t, "test", "--run", "no such case", dir)
	if code != exitCheck || !strings.Contains(errOut, "no cases matched") || strings.Contains(out, "ok ") || !strings.Contains(out, "none ") {
		t.Errorf("--run selecting nothing: exit %d, stdout %q, stderr %q; want exit 1 and \"no cases matched\"", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "test", "--run", "read is fine", dir); code != exitOK {
		t.Errorf("--run selecting a passing case: exit %d", code)
	}

	unused := t.TempDir()
	bad := writeSuite(t, unused, "unused.iamtest.json", `{
  "policies": {
    "used": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}},
    "unused-broken": {"Version": "2012-10-17", "Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}},
    "unused-file": "no-such-policy.json"
  },
  "sets": {
    "unused-set": {"identity": ["used"], "resource": "used"}
  },
  "cases": [{"name": "x", "set": "used", "action": "s3:GetObject", "expect": "allowed"}]
}`)
	code, _, errOut = runCLI(t, "test", unused)
	if code != exitUsage {
		t.Fatalf("a suite naming broken policies it does not use: exit %d, want 2", code)
	}
	for _, want := range []string{bad + ":4:72: bad_effect", "unused-file", "no-such-policy.json", "Principal"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

// TestTestTraceNamesTheMode pins issue 11 item 2 for test: a failure's trace
// says the case was decided as a live request and prints its keys.
func TestTestTraceNamesTheMode(t *testing.T) {
	dir := t.TempDir()
	writeSuite(t, dir, "a.iamtest.json", failingSuite)
	_, out, _ := runCLI(t, "test", dir)
	for _, want := range []string{"context: a live request (the caller's principal keys derived)", "request: caller none, action s3:DeleteObject"} {
		if !strings.Contains(out, want) {
			t.Errorf("the trace lacks %q:\n%s", want, out)
		}
	}
}
