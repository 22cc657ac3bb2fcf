package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iameval/iameval/catalog"
)

// expandPolicy is a policy with an Action wildcard, a typo, and a NotAction
// statement, for expand --policy.
const expandPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadObjects",
      "Effect": "Allow",
      "Action": ["s3:Get*Object", "s3:GetObjcet"],
      "Resource": "*"
    },
    {
      "Effect": "Deny",
      "NotAction": ["iam:*", "sts:*", "s3:*", "ec2:*"],
      "Resource": "*"
    }
  ]
}
`

// TestExpandPatterns pins issue 13 item 1 for patterns: the actions each
// pattern matches, in catalogue order, with their access levels; the
// --access-level filter; a pattern matching nothing said (with a
// did-you-mean) and exit 1; bad usage exit 2.
func TestExpandPatterns(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // each contained, in this order
		not    []string // none contained
		stderr string   // contained ("" means none)
	}{
		{"a wildcard: its actions in catalogue order, with access levels",
			[]string{"s3:*Object"}, exitOK,
			[]string{"s3:*Object: 5 actions", "ACTION", "ACCESS LEVEL", "s3:DeleteObject", "Write", "s3:GetObject", "Read", "s3:PutObject", "Write",
				"s3:ReplicateObject", "s3:RestoreObject", "\n1 pattern: 5 actions\n"}, nil, ""},
		{"letter case does not matter",
			[]string{"S3:*OBJECT"}, exitOK, []string{"S3:*OBJECT: 5 actions", "s3:DeleteObject"}, nil, ""},
		{"--access-level filters, the count says of how many",
			[]string{"s3:*Object", "--access-level", "read"}, exitOK,
			[]string{"s3:*Object: 1 action at read (of 5)", "s3:GetObject", "1 pattern: 1 action at read"}, []string{"s3:PutObject", "s3:DeleteObject"}, ""},
		{"--access-level takes several, as the command line or AWS writes them",
			[]string{"iam:*AccessKey*", "--access-level", "Permissions management,write"}, exitOK,
			[]string{"iam:CreateAccessKey", "Write"}, []string{"iam:ListAccessKeys"}, ""},
		// no action at all: no table header over nothing (a README
		// walkthrough saw "ACTION  ACCESS LEVEL" printed under the typo)
		{"a typo: matches nothing, did you mean, exit 1",
			[]string{"s3:GetObjcet"}, exitCheck,
			[]string{"s3:GetObjcet: matches no action AWS knows (did you mean s3:GetObject?)", "1 pattern: 0 actions; 1 pattern matches no action AWS knows"}, []string{"ACTION"}, ""},
		{"an unknown service: the pattern under the nearest service",
			[]string{"s4:Get*Object"}, exitCheck,
			[]string{"s4:Get*Object: matches no action AWS knows (did you mean s3:Get*Object?)"}, []string{"ACTION"}, ""},
		{"several patterns: each its own list; one matching nothing fails the run",
			[]string{"s3:GetObject", "ec2:StopInstance"}, exitCheck,
			[]string{"s3:GetObject: 1 action", "ec2:StopInstance: matches no action AWS knows (did you mean ec2:StopInstances?)", "2 patterns: 1 action; 1 pattern matches no action AWS knows"}, nil, ""},
		{"not service:Action: bad usage",
			[]string{"s3GetObject"}, exitUsage, nil, nil, `iameval expand: pattern "s3GetObject" is not service:Action`},
		{"an unknown access level: bad usage",
			[]string{"s3:*", "--access-level", "admin"}, exitUsage, nil, nil, `iameval expand: --access-level: unknown access level "admin"`},
		{"nothing to expand: bad usage",
			nil, exitUsage, nil, nil, "iameval expand: give one or more PATTERNs (s3:*Object) or --policy FILE"},
		{"patterns and --policy: bad usage",
			[]string{"s3:*", "--policy", "x.json"}, exitUsage, nil, nil, "not both"},
		{"-o yaml: bad usage",
			[]string{"s3:*", "-o", "yaml"}, exitUsage, nil, nil, `--output "yaml": want table or json`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"expand"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			if tc.stderr == "" && errOut != "" || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr %q, want %q", errOut, tc.stderr)
			}
			if tc.code == exitUsage && out != "" {
				t.Errorf("bad usage printed on stdout:\n%s", out)
			}
			rest := out
			for _, w := range tc.stdout {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("stdout lacks %q (in this order):\n%s", w, out)
					break
				}
				rest = rest[i+len(w):]
			}
			for _, w := range tc.not {
				if strings.Contains(out, w) {
					t.Errorf("stdout holds %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestExpandEverything: "*" lists every action of the catalogue.
func TestExpandEverything(t *testing.T) {
	_, out, _ := runCLI(t, "expand", "*", "-o", "json")
	var got struct {
		Summary struct{ Actions int }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Summary.Actions != len(catalog.Default().Expand("*")) || got.Summary.Actions < 10000 {
		t.Errorf("expand '*': %d actions (%v)", got.Summary.Actions, err)
	}
}

// TestExpandJSON pins the JSON shape: lowerCamelCase, one entry per pattern
// with its actions, and a summary with counts and the text line.
func TestExpandJSON(t *testing.T) {
	code, out, _ := runCLI(t, "expand", "s3:*Object", "s3:GetObjcet", "--access-level", "write", "-o", "json")
	type action struct{ Action, AccessLevel string }
	var got struct {
		Patterns []struct {
			Pattern    string
			Matched    int
			Actions    []action
			DidYouMean string
			Message    string
		}
		Summary struct {
			Patterns, Actions, Unmatched int
			AccessLevel, Text            string
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitCheck {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	for _, key := range []string{`"pattern"`, `"matched"`, `"actions"`, `"action"`, `"accessLevel"`, `"didYouMean"`, `"summary"`, `"unmatched"`, `"text"`} {
		if !strings.Contains(out, key) {
			t.Errorf("JSON lacks %s:\n%s", key, out)
		}
	}
	if len(got.Patterns) != 2 || got.Patterns[0].Matched != 5 ||
		len(got.Patterns[0].Actions) != 4 || got.Patterns[0].Actions[0] != (action{"s3:DeleteObject", "Write"}) || got.Patterns[0].Actions[1] != (action{"s3:PutObject", "Write"}) ||
		got.Patterns[1].Matched != 0 || got.Patterns[1].Actions == nil || got.Patterns[1].DidYouMean != "s3:GetObject" {
		t.Errorf("patterns: %+v", got.Patterns)
	}
	want := "2 patterns: 4 actions at write; 1 pattern matches no action AWS knows"
	if s := got.Summary; s.Patterns != 2 || s.Actions != 4 || s.Unmatched != 1 || s.AccessLevel != "write" || s.Text != want {
		t.Errorf("summary %+v, want text %q", s, want)
	}
	_, table, _ := runCLI(t, "expand", "s3:*Object", "s3:GetObjcet", "--access-level", "write")
	if !strings.HasSuffix(table, "\n"+want+"\n") {
		t.Errorf("the table must end with the summary's text %q:\n%s", want, table)
	}
}

// TestExpandPolicy pins expand --policy: each statement (Sid or number,
// file:line:col, Effect) with its Action entries expanded, NotAction as the
// complement (the actions it does not exclude), entries that match nothing
// listed as unknown (exit 1), filtered by --access-level, through the opener
// (file://, a directory, AWS CLI output, -).
func TestExpandPolicy(t *testing.T) {
	t.Chdir(t.TempDir()) // short names: the headings are wrapped at 100 columns
	p := "p.json"
	role := filepath.Join("sub", "role.json")
	if err := os.MkdirAll(filepath.Dir(role), 0o755); err != nil {
		t.Fatal(err)
	}
	roleOut := `{"Role": {"RoleName": "deploy", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}`
	for name, text := range map[string]string{p: expandPolicy, role: roleOut} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := catalog.Default()
	excluded := len(c.Expand("iam:*")) + len(c.Expand("sts:*")) + len(c.Expand("s3:*")) + len(c.Expand("ec2:*"))
	complement := len(c.Expand("*")) - excluded
	code, out, errOut := runCLI(t, "expand", "--policy", p)
	flat := strings.Join(strings.Fields(out), " ")
	for _, w := range []string{
		p + `:4:5: ReadObjects: Allow Action s3:Get*Object, s3:GetObjcet: `,
		p + `:10:5: statement 2: Deny NotAction iam:*, sts:*, s3:*, ec2:*: the complement, every action it does not exclude: ` + plural(complement, "action"),
		"2 statements in 1 policy; 1 entry matches no action AWS knows",
		"s3:GetObjcet unknown: matches no action AWS knows (did you mean s3:GetObject?) s3:GetObject Read",
	} {
		if !strings.Contains(flat, w) {
			t.Errorf("stdout lacks %q:\n%.3000s", w, out)
		}
	}
	for _, w := range []string{
		`\n  s3:GetObject +Read\n`,
		`\n  lambda:InvokeFunction +Write\n`,
		"\n\n2 statements in 1 policy; 1 entry matches no action AWS knows\n$",
	} {
		if !regexp.MustCompile(w).MatchString(out) {
			t.Errorf("stdout does not match %q:\n%.3000s", w, out)
		}
	}
	if code != exitCheck || errOut != "" {
		t.Errorf("exit %d, stderr %q; want 1 (an entry matches nothing)", code, errOut)
	}
	if strings.Contains(out, "iam:CreateUser") || strings.Contains(out, "s3:PutObject ") {
		t.Errorf("the complement of NotAction must leave out what it excludes and hold the rest")
	}

	// JSON, filtered
	code, out, _ = runCLI(t, "expand", "--policy", "file://"+p, "--access-level", "permissions-management", "-o", "json")
	var got struct {
		Statements []struct {
			File         string
			Line, Column int
			Sid          string
			Statement    int
			Effect       string
			Element      string
			Complement   bool
			Entries      []struct {
				Pattern      string
				Line, Column int
				Matched      int
				DidYouMean   string
			}
			Actions []struct{ Action, AccessLevel string }
		}
		Summary struct {
			Files, Statements, Unmatched int
			AccessLevel, Text            string
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitCheck || len(got.Statements) != 2 {
		t.Fatalf("exit %d, %v:\n%.2000s", code, err, out)
	}
	s0, s1 := got.Statements[0], got.Statements[1]
	if s0.File != p || s0.Line != 4 || s0.Column != 5 || s0.Sid != "ReadObjects" || s0.Statement != 1 || s0.Effect != "Allow" || s0.Element != "Action" || s0.Complement ||
		len(s0.Entries) != 2 || s0.Entries[1].Pattern != "s3:GetObjcet" || s0.Entries[1].Line != 7 || s0.Entries[1].Matched != 0 || s0.Entries[1].DidYouMean != "s3:GetObject" ||
		len(s0.Actions) != 0 {
		t.Errorf("statement 1: %+v", s0)
	}
	if s1.Sid != "" || s1.Statement != 2 || s1.Element != "NotAction" || !s1.Complement || len(s1.Actions) == 0 {
		t.Errorf("statement 2: %+v", s1)
	}
	for _, a := range s1.Actions {
		if !c.Action(a.Action).Level.Has(catalog.PermissionsManagement) || strings.HasPrefix(a.Action, "iam:") {
			t.Errorf("statement 2 lists %s (%s)", a.Action, a.AccessLevel)
			break
		}
	}
	if got.Summary.Files != 1 || got.Summary.Statements != 2 || got.Summary.Unmatched != 1 || got.Summary.AccessLevel != "permissions-management" {
		t.Errorf("summary %+v", got.Summary)
	}

	// through the opener: a directory of AWS CLI output, and stdin
	code, out, errOut = runCLI(t, "expand", "--policy", filepath.Dir(role))
	if code != exitOK || !strings.Contains(out, role+":1:") || !regexp.MustCompile(`\n  sts:AssumeRole +Write\n`).MatchString(out) || !strings.Contains(errOut, "using Role.AssumeRolePolicyDocument") {
		t.Errorf("a directory of AWS CLI output: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	var stdout, stderr strings.Builder
	code = run([]string{"expand", "--policy", "-", "--access-level", "read"}, strings.NewReader(expandPolicy), &stdout, &stderr)
	if code != exitCheck || !strings.Contains(stdout.String(), "<stdin>:4:5: ReadObjects") {
		t.Errorf("stdin: exit %d, stderr %q:\n%.500s", code, stderr.String(), stdout.String())
	}
	// a policy that does not parse: exit 2, file:line:col
	bad := writeFiles(t, map[string]string{"bad.json": `{"Version": "2012-10-17", "Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}`})["bad.json"]
	code, out, errOut = runCLI(t, "expand", "--policy", bad)
	if code != exitUsage || out != "" || !strings.Contains(errOut, bad+":1:") {
		t.Errorf("a bad policy: exit %d, stderr %q", code, errOut)
	}
}

// TestExpandGolden pins the table and JSON of a README example.
func TestExpandGolden(t *testing.T) {
	inRoot(t)
	for _, format := range []string{"table", "json"} {
		code, out, errOut := runCLI(t, "expand", "s3:*Object", "iam:*AccessKey*", "--access-level", "write,permissions-management", "-o", format)
		if code != exitOK || errOut != "" {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		goldenAt(t, "expand-patterns."+format, out)
		code, out, errOut = runCLI(t, "expand", "--policy", "testdata/policies/p3-ec2-deny-stop-without-mfa.json", "--access-level", "permissions-management", "-o", format)
		if code != exitOK || errOut != "" {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		goldenAt(t, "expand-policy-p3."+format, out)
	}
}
