package main

import (
	"encoding/json"
	"regexp"
	"sort"
	"testing"
)

// jsonKeyRE is the key convention of the JSON our own commands print:
// lowerCamelCase, with initialisms written as words (withoutMfa,
// maxMfaAgeSeconds, goVersion).
var jsonKeyRE = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

// initialismRE finds an initialism written in capitals (MFA, ARN, ID):
// two upper-case letters in a row.
var initialismRE = regexp.MustCompile(`[A-Z]{2}`)

// badJSONKeys walks v and returns the path of every object key that breaks
// the convention, the elements of an array as one ("$.results[].key").
func badJSONKeys(v any, path string) []string {
	var bad []string
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := path + "." + k
			if !jsonKeyRE.MatchString(k) || initialismRE.MatchString(k) {
				bad = append(bad, p)
			}
			bad = append(bad, badJSONKeys(x[k], p)...)
		}
	case []any:
		seen := map[string]bool{}
		for _, e := range x {
			for _, p := range badJSONKeys(e, path+"[]") {
				if !seen[p] {
					seen[p] = true
					bad = append(bad, p)
				}
			}
		}
	}
	return bad
}

// TestJSONKeys pins issue 12: the JSON of our own commands (mfa, mfa
// --account, lint, test, version) uses one key convention, and each
// report's summary is data (counts, lists) with its sentences beside them
// in "text". None of these outputs embeds an AWS shape (a policy document,
// an AWS response), so every key is walked; simulate's JSON is AWS's
// SimulatePolicyResponse (PascalCase), and SARIF and JUnit keep their own
// standards: none of them is checked here.
func TestJSONKeys(t *testing.T) {
	inRoot(t)
	tests := []struct {
		name    string
		args    []string
		summary bool
	}{
		// no caller: Resource entries that need aws:username are not checked
		{"mfa", []string{"mfa", "--policy", "testdata/policies/p1-force-mfa-self-manage.json"}, true},
		{"mfa bypasses", []string{"mfa", "--policy", "testdata/policies/p10-a1-deny-bool-false.json", "--policy", "testdata/policies/p10-a4-allow-boolifexists-true.json",
			"--action", "s3:GetObject,ec2:StopInstances", "--resource", "arn:aws:s3:::b/k"}, true},
		{"mfa account", []string{"mfa", "--account", exampleAccount}, true},
		{"mfa account ci", []string{"mfa", "--account", ciAccount}, true},
		{"lint findings", []string{"lint", "testdata/policies/p10-a1-deny-bool-false.json", "testdata/lint/grammar-errors.json"}, true},
		{"lint unreadable", []string{"lint", "testdata/lint/no-such-file.json"}, true},
		{"test", []string{"test", "examples/"}, true},
		{"version", []string{"version"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, out, errOut := runCLI(t, append(tc.args, "-o", "json")...)
			var v any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("not JSON: %v\nstdout %q\nstderr %q", err, out, errOut)
			}
			for _, p := range badJSONKeys(v, "$") {
				t.Errorf("key %s: want lowerCamelCase with initialisms as words (withoutMfa)", p)
			}
			if !tc.summary {
				return
			}
			top, _ := v.(map[string]any)
			summary, ok := top["summary"].(map[string]any)
			if !ok {
				t.Fatalf("no summary object: %T", top["summary"])
			}
			if text, _ := summary["text"].(string); text == "" {
				t.Errorf("summary has no text: %v", summary)
			}
			numbers := 0
			for _, x := range summary {
				if _, ok := x.(float64); ok {
					numbers++
				}
			}
			if numbers == 0 {
				t.Errorf("summary holds no count: %v", summary)
			}
		})
	}
}
