package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const escalationsAccount = "testdata/account/paths-escalations.json"

// TestPathsUndecidedNamesKeys: an escalation the engine leaves undecided
// names the context keys it depends on, in every format, as role ways do
// ("depends on aws:PrincipalOrgID"). User restricted may attach a policy
// to itself only where iam:PolicyARN is ReadOnlyAccess (ArnEquals): AWS
// sends iam:PolicyARN with AttachUserPolicy (Service Authorization
// Reference), which paths does not know, so the step depends on it (review
// 13 F12: the table said "maybe" and the JSON only the credentials).
func TestPathsUndecidedNamesKeys(t *testing.T) {
	inRoot(t)
	for _, format := range []string{"table", "json", "dot", "markdown"} {
		code, out, errOut := runCLI(t, "paths", "--account", escalationsAccount, "--from", "restricted", "-o", format)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		if format == "json" {
			var doc struct {
				Escalations []struct {
					Action  string   `json:"action"`
					Missing []string `json:"missingContextValues"`
				} `json:"escalations"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Escalations) != 1 {
				t.Fatalf("json: %v, %s", err, out)
			}
			if e := doc.Escalations[0]; e.Action != "iam:AttachUserPolicy" || strings.Join(e.Missing, ",") != "iam:PolicyARN" {
				t.Errorf("json: %+v, want iam:AttachUserPolicy depending on iam:PolicyARN", e)
			}
			continue
		}
		if !strings.Contains(out, "depends on iam:PolicyARN") {
			t.Errorf("%s: the undecided escalation does not name iam:PolicyARN:\n%s", format, out)
		}
	}
	// through a role the way reaches maybe (review 13's acct-trust.json:
	// IpRole's trust policy asks for aws:SourceIp, which a dump does not
	// give), a session's escalation depends on that key
	code, out, errOut := runCLI(t, "paths", "--account", "testdata/account/paths-trust.json", "--from", "u1")
	want := "user u1 -> role IpRole, maybe with long-term keys, session without MFA, MFA (depends on aws:SourceIp): iam:AttachRolePolicy"
	if code != exitOK || !strings.Contains(out, want) {
		t.Errorf("exit %d, no %q in\n%s%s", code, want, out, errOut)
	}
}

// TestPathsEC2InstanceProfile: paths says through which instance profile
// a role passed to EC2 runs (review 13 F6: passer was said to run EC2Role,
// in no instance profile, though it may create none; EC2 launches an
// instance with an instance profile, which carries the role).
func TestPathsEC2InstanceProfile(t *testing.T) {
	inRoot(t)
	code, out, _ := runCLI(t, "paths", "--account", escalationsAccount, "--from", "passer")
	if code != exitOK || !strings.Contains(out, "From user passer: 0 roles reached, 0 escalations.") {
		t.Errorf("EC2Role in no instance profile: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "paths", "--account", "testdata/account/paths-instanceprofile.json", "--from", "passer")
	want := "iam:PassRole and ec2:RunInstances on arn:aws:iam::210987654321:role/EC2Role: user passer can pass role EC2Role to ec2.amazonaws.com in its instance profile arn:aws:iam::210987654321:instance-profile/EC2Role and run it"
	if code != exitOK || !strings.Contains(out, want) {
		t.Errorf("exit %d, no %q in\n%s", code, want, out)
	}
}

// TestWhoCanServiceLabel: a service principal that assumes a role
// (ec2.amazonaws.com, which a trust policy names) has no long-term keys,
// no session of its own and no MFA: its edge is labelled as the service,
// in every format (review 13 F14a). Dump: review 13's acct-esc.json, where
// EC2Role and LambdaAdmin (AdministratorAccess) trust EC2 and Lambda.
func TestWhoCanServiceLabel(t *testing.T) {
	inRoot(t)
	for _, format := range []string{"table", "json", "dot", "markdown"} {
		code, out, errOut := runCLI(t, "who-can", "--account", escalationsAccount, "--action", "iam:CreateUser",
			"--resource", "arn:aws:iam::210987654321:user/x", "-o", format)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		want := "ec2.amazonaws.com -> role EC2Role, as the service:"
		switch format {
		case "json": // its text, with '>' escaped
			want = `"text": "ec2.amazonaws.com -\u003e role EC2Role, as the service:`
		case "dot", "markdown":
			want = `|"as the service"|`
			if format == "dot" {
				want = `[label="as the service"]`
			}
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s: no %q in\n%s", format, want, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "amazonaws.com") && strings.Contains(line, "long-term keys") {
				t.Errorf("%s: a service labelled with credentials: %s", format, line)
			}
		}
	}
}

// TestWhoCanExposureFormats: who-can --exposure takes every format the
// README's flag table lists for who-can (review 13 F14b: it refused dot
// and markdown): the roles of paths-account.json that other accounts can
// assume, PartnerRole guarded by the external id its trust policy asks
// for, OpenPartnerRole by nothing (drawn marked).
func TestWhoCanExposureFormats(t *testing.T) {
	inRoot(t)
	wants := map[string][]string{
		"dot": {"digraph exposure {", `[label="arn:aws:iam::444455556666:root"]`, `[label="role PartnerRole", shape=ellipse, style=bold]`,
			`label="long-term keys, session without MFA, MFA; guarded by sts:ExternalId StringEquals partner-7f3a"]`,
			`label="long-term keys, session without MFA, MFA; guarded by no condition", color=red, fontcolor=red]`},
		"markdown": {"### Roles callers outside the account can assume",
			"- role OpenPartnerRole <- arn:aws:iam::777788889999:root, with long-term keys, session without MFA, MFA: guarded by no condition",
			"```mermaid", `==>|"long-term keys, session without MFA, MFA; guarded by no condition"|`},
	}
	for format, want := range wants {
		code, out, errOut := runCLI(t, "who-can", "--account", "testdata/account/paths-account.json", "--exposure", "-o", format)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: no %q in\n%s", format, w, out)
			}
		}
	}
}
