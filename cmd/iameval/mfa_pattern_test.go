package main

import (
	"strings"
	"testing"
)

// TestMFAResourcePatterns: a --resource with a wildcard is no resource a
// live request names; mfa and who-can check the resources it stands for (its own
// instances, and every resource the policies name within it), never the
// pattern as a literal string. AWS matches a request's resource against
// each Resource entry (IAM JSON policy elements: Resource), so an Allow on
// bucket/public/* applies to objects there, which bucket/* covers: a
// pattern taken literally matched no entry and reported a false all
// clear. "--resource '*'" is the default, as --help says.
func TestMFAResourcePatterns(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"public.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::prod-data/public/*"}]}`,
		"acct.json": `{"UserDetailList":[{"Path":"/","UserName":"eve","UserId":"AIDAEVE000000000001","Arn":"arn:aws:iam::210987654321:user/eve","CreateDate":"2024-01-01T00:00:00+00:00",
			"UserPolicyList":[{"PolicyName":"Pub","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::prod-data/public/*"}]}}],
			"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`,
	})
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		want    []string
		mustNot []string
	}{
		{"policy, * is the default", []string{"mfa", "--policy", f["public.json"], "--action", "s3:DeleteObject", "--resource", "*", "--expect", "mfa-required"},
			exitCheck, []string{"arn:aws:s3:::prod-data/public/objectname is mfa-not-required"}, nil},
		{"policy, a bucket pattern covers its public prefix", []string{"mfa", "--policy", f["public.json"], "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-data/*", "--expect", "mfa-required"},
			exitCheck, []string{"arn:aws:s3:::prod-data/public/objectname is mfa-not-required"}, nil},
		{"policy, a pattern outside the prefix: never allowed, on a concrete object", []string{"mfa", "--policy", f["public.json"], "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-data/private/*", "-o", "json"},
			exitOK, []string{`"resource": "arn:aws:s3:::prod-data/private/objectname"`, `"verdict": "never-allowed"`}, []string{"prod-data/public", `"resource": "arn:aws:s3:::prod-data/private/*"`}},
		{"policy, a literal resource stays literal", []string{"mfa", "--policy", f["public.json"], "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-data/public/a.txt", "-o", "json"},
			exitOK, []string{`"resource": "arn:aws:s3:::prod-data/public/a.txt"`, `"verdict": "mfa-not-required"`}, []string{"objectname"}},
		{"account, a bucket pattern covers the user's prefix", []string{"mfa", "--account", f["acct.json"], "--principal", "eve", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-data/*", "--expect", "mfa-required"},
			exitCheck, []string{"1 of 1 user can do a sensitive action without MFA", "a pattern (arn:aws:s3:::prod-data/*) standing for"}, []string{"Everything counted was checked.\n0 of"}},
		{"who-can, a bucket pattern covers the user's prefix", []string{"who-can", "--account", f["acct.json"], "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-data/*", "--without-mfa"},
			exitOK, []string{"Who can s3:DeleteObject on arn:aws:s3:::prod-data/*: 1 way.", "user eve, directly, with long-term keys, session without MFA, MFA, on arn:aws:s3:::prod-data/public/objectname"}, nil},
		{"who-can json names the resource decided", []string{"who-can", "--account", f["acct.json"], "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-data/*", "-o", "json"},
			exitOK, []string{`"resource": "arn:aws:s3:::prod-data/public/objectname"`}, nil},
		{"who-can, a pattern outside the prefix", []string{"who-can", "--account", f["acct.json"], "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-data/private/*"},
			exitOK, []string{"Who can s3:DeleteObject on arn:aws:s3:::prod-data/private/*: 0 ways."}, []string{"user eve"}},
		{"paths to a pattern names the resource", []string{"paths", "--account", f["acct.json"], "--from", "eve", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::prod-data/*"},
			exitOK, []string{"s3:DeleteObject on arn:aws:s3:::prod-data/*: 1 way.", "user eve, directly, with long-term keys, session without MFA, MFA, on arn:aws:s3:::prod-data/public/objectname"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			all := out + errOut
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, all)
			}
			for _, w := range tc.want {
				if !strings.Contains(strings.Join(strings.Fields(all), " "), strings.Join(strings.Fields(w), " ")) {
					t.Errorf("missing %q in\n%s", w, all)
				}
			}
			for _, w := range tc.mustNot {
				if strings.Contains(all, w) {
					t.Errorf("unexpected %q in\n%s", w, all)
				}
			}
		})
	}
}
