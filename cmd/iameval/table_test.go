package main

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// containsFlat reports whether out holds want once the lines of both are
// joined and every run of white space is one space: table output wraps
// its sentences and cells to fit tableWidth.
func containsFlat(out, want string) bool {
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	return strings.Contains(" "+flat(out)+" ", flat(want))
}

// A Sid of 60 characters and long ARNs: what tables must fit.
var (
	longSid = "AllowReadingTheQuarterlyReportsOfEveryDepartmentWithoutMFA01"
	longARN = "arn:aws:s3:::very-long-bucket-name-for-the-finance-department-reports/2026/quarterly/q3/report-final.csv"
)

func longPolicy(t *testing.T) map[string]string {
	t.Helper()
	if len(longSid) != 60 {
		t.Fatalf("the Sid has %d characters", len(longSid))
	}
	return writeFiles(t, map[string]string{
		"p.json": `{"Version":"2012-10-17","Statement":[` +
			`{"Sid":"` + longSid + `","Effect":"Allow","Action":"s3:*","Resource":"*"},` +
			`{"Sid":"DenyDeleteWithoutMFAForEveryBucketOfTheFinanceDepartment","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*",` +
			`"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`,
		"bypass.iamtest.json": `{"policies": {"p": {"Version": "2012-10-17", "Statement": [
    {"Sid": "` + longSid + `", "Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Sid": "NoMFA", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}},
  "cases": [{"name": "delete needs MFA", "set": "p", "action": "s3:DeleteObject", "resource": "` + longARN + `",
     "expect": {"LT": "explicitDeny", "TMP": "explicitDeny", "FRESH": "allowed"}}]}`,
	})
}

// checkFits fails unless every line of out has at most tableWidth runes
// and, when header is given, every line of the table under it keeps the
// columns where the header puts them: two spaces (or the line's end)
// before each column's start.
func checkFits(t *testing.T, name, out string, header []string) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > tableWidth {
			t.Errorf("%s: a line of %d runes:\n%s", name, n, l)
		}
	}
	if header == nil {
		return
	}
	lines := strings.Split(out, "\n")
	at := -1
	for i, l := range lines {
		if strings.Contains(l, header[0]) && strings.Contains(l, header[len(header)-1]) {
			at = i
			break
		}
	}
	if at < 0 {
		t.Fatalf("%s: no header %q in:\n%s", name, header, out)
	}
	hl := lines[at]
	indent := len(hl) - len(strings.TrimLeft(hl, " "))
	var starts []int
	for _, h := range header {
		starts = append(starts, utf8.RuneCountInString(hl[:strings.Index(hl, h)]))
	}
	rows := 0
	for _, l := range lines[at+1:] {
		if strings.TrimSpace(l) == "" {
			break
		}
		if len(l)-len(strings.TrimLeft(l, " ")) < indent {
			continue // a heading
		}
		rows++
		r := []rune(l)
		for i, s := range starts[1:] {
			if s > len(r) {
				break
			}
			if r[s-1] != ' ' || r[s-2] != ' ' {
				t.Errorf("%s: column %s (at %d) does not start after two spaces:\n%s\n%s", name, header[i+1], s, hl, l)
			}
		}
	}
	if rows == 0 {
		t.Errorf("%s: no rows under the header:\n%s", name, out)
	}
}

// TestTablesFit: every table writer fits a 100-column terminal with long
// ARNs and a 60-character Sid, its columns aligned; the full text stays
// in explain and JSON.
func TestTablesFit(t *testing.T) {
	inRoot(t)
	f := longPolicy(t)
	caller := "arn:aws:iam::123456789012:user/a-user-with-a-rather-long-name-from-the-finance-department"
	simArgs := []string{"simulate", "--policy", f["p.json"], "--action", "s3:GetObject,s3:DeleteObject", "--resource", longARN, "--caller-arn", caller, "--no-mfa-session"}
	_, out, errOut := runCLI(t, simArgs...)
	checkFits(t, "simulate table", out, []string{"ACTION", "RESOURCE", "DECISION", "DECIDED BY"})
	cells := tableCells(t, out, []string{"ACTION", "RESOURCE", "DECISION", "DECIDED BY"})
	if len(cells) != 2 || !strings.Contains(strings.ReplaceAll(cells[0][3], " ", ""), longSid) || strings.ReplaceAll(cells[0][1], " ", "") != longARN {
		t.Errorf("simulate table: cells %q (stderr %q): want the Sid and the ARN whole (wrapped, never elided)", cells, errOut)
	}
	_, full, _ := runCLI(t, append(simArgs, "--output", "explain")...)
	if !strings.Contains(full, "Allow "+longSid+" (") || !strings.Contains(full, longARN) {
		t.Errorf("simulate explain lacks the full Sid or ARN:\n%s", full)
	}
	_, full, _ = runCLI(t, append(simArgs, "--output", "json")...)
	if !strings.Contains(full, longARN) {
		t.Errorf("simulate json lacks the full ARN:\n%s", full)
	}

	_, out, _ = runCLI(t, "simulate")
	checkFits(t, "the bundled example", out, []string{"CREDENTIALS", "DECISION", "DECIDED BY"})

	mfaHeader := []string{"RESOURCE", "KEYS", "SESSION", "MFA", "VERDICT", "MAX AGE", "BYPASSES"}
	_, out, _ = runCLI(t, "mfa", "--policy", f["p.json"], "--action", "s3:GetObject,s3:DeleteObject", "--resource", longARN, "--caller-arn", caller)
	checkFits(t, "mfa table", out, mfaHeader)
	_, out, _ = runCLI(t, "mfa", "--policy", "testdata/policies/p1-force-mfa-self-manage.json")
	checkFits(t, "mfa table, the catalogue's actions", out, []string{"SERVICE", "ACCESS LEVEL", "ACTIONS", "WITHOUT MFA", "MFA REQUIRED", "NEVER ALLOWED"})
	_, out, _ = runCLI(t, "mfa", "--policy", "testdata/policies/admin.json")
	checkFits(t, "mfa table, every action of the catalogue", out, []string{"SERVICE", "ACCESS LEVEL", "ACTIONS", "WITHOUT MFA", "MFA REQUIRED", "NEVER ALLOWED"})

	_, out, _ = runCLI(t, "mfa", "--account", "testdata/account/example-account.json")
	checkFits(t, "mfa --account table", out, nil)

	_, out, _ = runCLI(t, "test", f["bypass.iamtest.json"])
	checkFits(t, "test text", out, nil)
	if !containsFlat(out, longSid) {
		t.Errorf("test text lacks the Sid:\n%s", out)
	}
}

func TestLayoutTable(t *testing.T) {
	header := []string{"ACTION", "RESOURCE", "DECISION", "DECIDED BY"}
	rows := [][]string{
		{"s3:GetObject", longARN, "allowed", "Allow " + longSid + " (p.json:1:38)"},
		{"s3:DeleteObject", "*", "explicitDeny", "Deny NoMFA (p.json:1:200); missing aws:MultiFactorAuthPresent"},
	}
	for _, width := range []int{60, 80, 100, 200} {
		out := layoutTable(header, rows, width, false)
		for _, l := range strings.Split(out, "\n") {
			if utf8.RuneCountInString(l) > max(width, 60) {
				t.Errorf("width %d: %q", width, l)
			}
		}
		cells := tableCells(t, out, header)
		flat := func(s string) string { return strings.ReplaceAll(s, " ", "") }
		if len(cells) != 2 || flat(cells[0][3]) != flat(rows[0][3]) || flat(cells[1][3]) != flat(rows[1][3]) {
			t.Errorf("width %d: prose cells lost text: %q\n%s", width, cells, out)
		}
		if width == 200 && cells[0][1] != longARN {
			t.Errorf("width 200: the ARN is wrapped: %q", cells[0][1])
		}
		if flat(cells[0][1]) != longARN {
			t.Errorf("width %d: the ARN must be whole, wrapped but never elided: %q", width, cells[0][1])
		}
	}
}

func TestWrap(t *testing.T) {
	if got := fitCell("arn:aws:s3:::very-long-bucket/key.csv", 20); !slices.Equal(got, []string{"arn:aws:s3:::", "very-long-bucket/", "key.csv"}) {
		t.Errorf("fitCell wraps an ARN, never elides it: %q", got)
	}
	if got := wrapWords("(testdata/policies/p3-ec2-deny-stop-without-mfa.json:10:9)", 40); !slices.Equal(got, []string{"(testdata/policies/", "p3-ec2-deny-stop-without-mfa.json:10:9)"}) {
		t.Errorf("a position is never split: %q", got)
	}
	if got := wrapWords("Deny DenyAllExceptListedIfNoMFA (force-mfa.json:87:9); missing aws:MultiFactorAuthPresent", 30); !slices.Equal(got,
		[]string{"Deny", "DenyAllExceptListedIfNoMFA", "(force-mfa.json:87:9); missing", "aws:MultiFactorAuthPresent"}) {
		t.Errorf("wrapWords: %q", got)
	}
	if got := wrapText("Caller: one two three four\n  detail five six seven\n", 14); got != "Caller: one\n    two three\n    four\n  detail five\n      six\n      seven\n" {
		t.Errorf("wrapText: %q", got)
	}
}
