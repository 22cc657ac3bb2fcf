package main

import (
	"strings"
	"testing"
)

// TestUnknownActionWarnings pins issue 13 item 2: simulate (and mfa, for the
// actions it is given) says, one line on stderr each, which actions of the
// request the catalogue does not know, with a did-you-mean, and decides them
// as written; --strict makes that exit 2 instead. Known actions, in any
// letter case, are silent.
func TestUnknownActionWarnings(t *testing.T) {
	inRoot(t)
	allowAll := `"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"`
	files := writeFiles(t, map[string]string{
		"req.json": "{\"PolicyInputList\": [" + allowAll + "],\n \"ActionNames\": [\"s3:GetObject\",\n                 \"s3:GetObjcet\"]}",
	})
	req := files["req.json"]
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // exactly
		stdout string // contained; "" means stdout is empty
	}{
		{"a typo in --action: warned with the nearest action, decided as written",
			[]string{"simulate", "--policy", p3, "--action", "s3:GetObjcet"}, exitOK,
			"iameval: warning: s3:GetObjcet is not an action AWS knows (did you mean s3:GetObject?); decided as written\n", "s3:GetObjcet"},
		{"known actions in any letter case: silent",
			[]string{"simulate", "--policy", p3, "--action", "S3:getobject,ec2:StopInstances,EC2:STOPINSTANCES"}, exitOK, "", "implicitDeny"},
		{"an unknown service: the action under the nearest service",
			[]string{"simulate", "--policy", p3, "--action", "s4:GetObject"}, exitOK,
			"iameval: warning: s4:GetObject is not an action AWS knows (did you mean s3:GetObject?); decided as written\n", "s4:GetObject"},
		{"nothing close: no suggestion",
			[]string{"simulate", "--policy", p3, "--action", "s3:FrobnicateTheWidgets"}, exitOK,
			"iameval: warning: s3:FrobnicateTheWidgets is not an action AWS knows; decided as written\n", "s3:FrobnicateTheWidgets"},
		{"one line per unknown action, in the order given",
			[]string{"simulate", "--policy", p3, "--action", "ec2:StopInstance,s3:GetObject,s3:PutObjcet"}, exitOK,
			"iameval: warning: ec2:StopInstance is not an action AWS knows (did you mean ec2:StopInstances?); decided as written\n" +
				"iameval: warning: s3:PutObjcet is not an action AWS knows (did you mean s3:PutObject?); decided as written\n", "s3:PutObjcet"},
		{"--strict: exit 2, nothing decided",
			[]string{"simulate", "--policy", p3, "--action", "s3:GetObject,s3:GetObjcet", "--strict"}, exitUsage,
			"iameval simulate: s3:GetObjcet is not an action AWS knows (did you mean s3:GetObject?); --strict refuses it\n", ""},
		{"ActionNames of an --input document: the warning gives file:line:col",
			[]string{"simulate", "--input", req}, exitOK,
			"iameval: warning: " + req + ":3:18: s3:GetObjcet is not an action AWS knows (did you mean s3:GetObject?); decided as written\n", "s3:GetObjcet"},
		{"ActionNames with --strict: file:line:col: unknown_action",
			[]string{"simulate", "--input", req, "--strict"}, exitUsage,
			req + ":3:18: unknown_action: s3:GetObjcet is not an action AWS knows (did you mean s3:GetObject?); --strict refuses it\n", ""},
		{"--action over the document's ActionNames: only the flag's actions are checked",
			[]string{"simulate", "--input", req, "--action", "s3:GetObject"}, exitOK, "", "allowed"},
		{"mfa: an explicit --action is checked",
			[]string{"mfa", "--policy", p3, "--action", "ec2:StopInstance"}, exitOK,
			"iameval: warning: ec2:StopInstance is not an action AWS knows (did you mean ec2:StopInstances?); decided as written\n", "ec2:StopInstance"},
		{"mfa --account: an explicit --action is checked",
			[]string{"mfa", "--account", "testdata/account/example-account.json", "--action", "iam:CreateAccesKey"}, exitOK,
			"iameval: warning: iam:CreateAccesKey is not an action AWS knows (did you mean iam:CreateAccessKey?); decided as written\n", "iam:CreateAccesKey"},
		{"mfa: the actions it chooses from the policies are the catalogue's, and silent",
			[]string{"mfa", "--policy", p3}, exitOK, "", "ec2:AcceptAddressTransfer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != tc.code || errOut != tc.stderr {
				t.Errorf("%q: exit %d, stderr:\n%s\nwant exit %d, stderr:\n%s", tc.args, code, errOut, tc.code, tc.stderr)
			}
			if tc.stdout == "" && out != "" || !strings.Contains(out, tc.stdout) {
				t.Errorf("%q: stdout lacks %q:\n%s", tc.args, tc.stdout, out)
			}
		})
	}
	// --strict refuses nothing else: with known actions, the same answer
	base := []string{"simulate", "--policy", p3, "--action", "ec2:StopInstances", "-o", "json"}
	_, want, _ := runCLI(t, base...)
	if code, got, errOut := runCLI(t, append(base, "--strict")...); code != exitOK || got != want || errOut != "" {
		t.Errorf("--strict with known actions: exit %d, stderr %q, output differs:\n%s\nwant:\n%s", code, errOut, got, want)
	}
}
