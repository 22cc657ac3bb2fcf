package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMFAGolden(t *testing.T) {
	inRoot(t)
	pol := func(name string) string { return "testdata/policies/" + name }
	tests := []struct {
		name string
		args []string
	}{
		{"p1-default-actions", []string{"mfa", "--policy", pol("p1-force-mfa-self-manage.json")}},
		{"p1-own-user", []string{"mfa", "--policy", pol("p1-force-mfa-self-manage.json"),
			"--action", "iam:CreateAccessKey,iam:EnableMFADevice,iam:DeactivateMFADevice", "--resource", "arn:aws:iam::123456789012:user/alice",
			"--caller-arn", "arn:aws:iam::123456789012:user/alice"}},
		{"p7-age-limit", []string{"mfa", "--policy", pol("p7-production-bucket-mfa-age.json"),
			"--action", "s3:GetObject", "--resource", "arn:aws:s3:::Production/report.csv,arn:aws:s3:::dev-bucket/a.txt"}},
		{"anti-patterns", []string{"mfa", "--policy", pol("p10-a1-deny-bool-false.json"), "--policy", pol("p10-a4-allow-boolifexists-true.json"),
			"--action", "s3:GetObject,ec2:StopInstances", "--resource", "arn:aws:s3:::b/k"}},
		{"p12-four-hours", []string{"mfa", "--policy", pol("admin.json"), "--policy", pol("p12-session-lifetime-cap.json"), "--action", "ec2:DescribeInstances"}},
		{"input-document", []string{"mfa", "--input", "testdata/simulate/mfa-inline.json"}},
	}
	for _, tc := range tests {
		for _, format := range []string{"table", "json", "markdown"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				code, out, errOut := runCLI(t, append(append([]string{}, tc.args...), "--output", format)...)
				if tc.name == "input-document" {
					// the document gives MFA keys, which mfa replaces: said
					// (TestMFAReplacesDocumentMFAKeys)
					errOut = strings.ReplaceAll(errOut, "iameval mfa: the request document's ContextEntries give aws:MultiFactorAuthPresent: mfa replaces the MFA keys with each kind of credential it decides, so that value is not used\n", "")
					errOut = strings.ReplaceAll(errOut, "iameval mfa: the request document's ContextEntries give aws:MultiFactorAuthAge: mfa replaces the MFA keys with each kind of credential it decides, so that value is not used\n", "")
				}
				if code != exitOK || errOut != "" {
					t.Fatalf("exit %d, stderr %q", code, errOut)
				}
				if format == "json" && !json.Valid([]byte(out)) {
					t.Fatal("invalid JSON")
				}
				goldenAt(t, "mfa-"+tc.name+"."+format, out)
			})
		}
	}
}

func TestMFAExpect(t *testing.T) {
	inRoot(t)
	code, _, errOut := runCLI(t, "mfa", "--policy", "testdata/policies/p10-a1-deny-bool-false.json", "--action", "s3:GetObject", "--expect", "mfa-required")
	// the first resource checked: * made a resource of s3:GetObject's first
	// type (an access point's object), which the Deny misses as well
	if code != exitCheck || !strings.Contains(errOut, "s3:GetObject on arn:aws:s3:us-east-1:123456789012:accesspoint/accesspointname/object/objectname is mfa-not-required, expected mfa-required") {
		t.Errorf("exit %d, %q", code, errOut)
	}
	code, _, _ = runCLI(t, "mfa", "--policy", "testdata/policies/p10-a5-deny-boolifexists-false.json", "--action", "s3:GetObject", "--expect", "mfa-required")
	if code != exitOK {
		t.Errorf("exit %d", code)
	}
	code, _, errOut = runCLI(t, "mfa", "--action", "s3:GetObject")
	if code != exitUsage || !strings.Contains(errOut, "no policy") {
		t.Errorf("no policy: exit %d, %q", code, errOut)
	}
}

func TestLintGolden(t *testing.T) {
	inRoot(t)
	files := []string{
		"testdata/policies/p1-force-mfa-self-manage.json",
		"testdata/policies/p10-a1-deny-bool-false.json",
		"testdata/policies/p10-a2-deny-null-true.json",
		"testdata/policies/p10-a3-allow-null-false.json",
		"testdata/policies/p10-a4-allow-boolifexists-true.json",
		"testdata/policies/p10-a5-deny-boolifexists-false.json",
		"testdata/policies/p11-cli-bypass-broken.json",
		"testdata/policies/p8b-ec2-mfa-within-hour-ifexists.json",
		"testdata/lint/grammar-errors.json",
	}
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"lint", "--format", format}, files...)...)
			if code != exitCheck || errOut != "" {
				t.Fatalf("error findings must exit 1: exit %d, stderr %q", code, errOut)
			}
			goldenAt(t, "lint."+format, out)
		})
	}
}

func TestLintExitCodes(t *testing.T) {
	inRoot(t)
	clean := "testdata/policies/p1-force-mfa-self-manage.json"
	warnOnly := "testdata/policies/p10-a4-allow-boolifexists-true.json"
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"lint", clean}, exitOK},
		{[]string{"lint", warnOnly}, exitOK},
		{[]string{"lint", "--fail-on", "warning", warnOnly}, exitCheck},
		{[]string{"lint", "testdata/policies/p10-a1-deny-bool-false.json"}, exitCheck},
		{[]string{"lint", "--kind", "trust", "testdata/policies/p5-trust-cross-account-mfa.json"}, exitOK},
		{[]string{"lint", "testdata/policies/no-such-file.json"}, exitUsage},
		{[]string{"lint"}, exitUsage},
		{[]string{"lint", "--kind", "group", clean}, exitUsage},
	}
	for _, tc := range tests {
		if code, _, errOut := runCLI(t, tc.args...); code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, errOut)
		}
	}
	_, out, _ := runCLI(t, "lint", clean)
	if out != clean+": checked as an identity policy (kind detected)\nno findings\n" {
		t.Errorf("a clean policy prints %q", out)
	}
}

// The SARIF output carries every field the SARIF 2.1.0 schema requires, and
// each result points at a rule the driver declares.
func TestSARIFRequiredFields(t *testing.T) {
	inRoot(t)
	_, out, _ := runCLI(t, "lint", "--format", "sarif", "testdata/policies/p10-a1-deny-bool-false.json", "testdata/lint/grammar-errors.json")
	var log map[string]any
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	need := func(m map[string]any, key, where string) any {
		v, ok := m[key]
		if !ok {
			t.Fatalf("%s lacks the required %q", where, key)
		}
		return v
	}
	if need(log, "version", "sarifLog") != "2.1.0" {
		t.Error("version must be 2.1.0")
	}
	if s, _ := log["$schema"].(string); !strings.Contains(s, "sarif-2.1.0") {
		t.Errorf("$schema %q", s)
	}
	runs := need(log, "runs", "sarifLog").([]any)
	run := runs[0].(map[string]any)
	driver := need(need(run, "tool", "run").(map[string]any), "driver", "tool").(map[string]any)
	need(driver, "name", "driver")
	rules := need(driver, "rules", "driver").([]any)
	results := need(run, "results", "run").([]any)
	if len(results) < 2 {
		t.Fatalf("%d results", len(results))
	}
	for _, r := range results {
		res := r.(map[string]any)
		msg := need(res, "message", "result").(map[string]any)
		need(msg, "text", "message")
		idx := int(need(res, "ruleIndex", "result").(float64))
		rule := rules[idx].(map[string]any)
		if rule["id"] != res["ruleId"] {
			t.Errorf("ruleIndex %d names %v, result says %v", idx, rule["id"], res["ruleId"])
		}
		switch res["level"] {
		case "error", "warning", "note", "none":
		default:
			t.Errorf("level %v", res["level"])
		}
		loc := res["locations"].([]any)[0].(map[string]any)
		phys := need(loc, "physicalLocation", "location").(map[string]any)
		need(need(phys, "artifactLocation", "physicalLocation").(map[string]any), "uri", "artifactLocation")
		region := need(phys, "region", "physicalLocation").(map[string]any)
		if region["startLine"].(float64) < 1 || region["startColumn"].(float64) < 1 {
			t.Errorf("region %v", region)
		}
	}
}
