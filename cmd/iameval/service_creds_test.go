package main

import (
	"strings"
	"testing"
)

// TestServiceWayCredentials pins that a service principal's way is said
// "as the service" in every format: a service (lambda.amazonaws.com,
// ec2.amazonaws.com) assumes a role with no long-term keys and no MFA of
// its own (IAM User Guide: a service principal is no IAM identity), so JSON
// says "service", never a user's "long-term keys".
func TestServiceWayCredentials(t *testing.T) {
	for _, args := range [][]string{
		{"who-can", "--account", "../../testdata/account/whocan-svc.json", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::prod-data/x", "-o", "json"},
		{"mfa", "--account", "../../testdata/account/whocan-svc.json", "--action", "s3:GetObject", "-o", "json"},
	} {
		_, out, stderr := runCLI(t, args...)
		if !strings.Contains(out, `"service"`) || strings.Contains(out, `"kind":"service","arn":"lambda.amazonaws.com","action":"sts:AssumeRole","status":"without-mfa","crosses":["long-term keys"`) {
			t.Errorf("%v: a service way is not said as the service:\n%s%s", args, out, stderr)
		}
		if i := strings.Index(out, `"lambda.amazonaws.com"`); i >= 0 {
			rest := out[i:]
			if j := strings.Index(rest, "}"); j >= 0 && strings.Contains(rest[:j], "long-term keys") {
				t.Errorf("%v: a service way with long-term keys: %s", args, rest[:j])
			}
		}
	}
}

// TestServiceWayCredentialsDiff: diff of a trust policy that newly names a
// service says the service's flip once, as the service, never with a
// user's long-term keys.
func TestServiceWayCredentialsDiff(t *testing.T) {
	_, out, stderr := runCLI(t, "diff", "../../testdata/account/whocan-svc-old.json", "../../testdata/account/whocan-svc.json")
	found := false
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "lambda.amazonaws.com") && strings.Contains(line, "sts:AssumeRole") {
			found = true
			if strings.Contains(line, "long-term keys") || !strings.Contains(line, "as the service") {
				t.Errorf("a service's flip: %s", line)
			}
		}
	}
	if !found {
		t.Errorf("no flip for lambda.amazonaws.com:\n%s%s", out, stderr)
	}
}
