package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestMFANoFalseAllClearOnEscapes pins a walkthrough's find: a Resource
// entry holding the escapes ${*}, ${?} or ${$} (IAM User Guide, policy
// variables: they stand for the characters *, ? and $), or "${...}" under
// a Version without policy variables (literal text there), was checked on
// a resource it does not match, said never allowed, and --expect
// mfa-required passed, where simulate allows the entry's own resources
// with long-term keys. Such an entry is now said as not checked, in every
// format, for policies and for an account; --expect mfa-required cannot
// be confirmed.
func TestMFANoFalseAllClearOnEscapes(t *testing.T) {
	policy := func(version, resource string) string {
		v := ""
		if version != "" {
			v = `"Version":"` + version + `",`
		}
		return `{` + v + `"Statement":[{"Sid":"Esc","Effect":"Allow","Action":"s3:GetObject","Resource":"` + resource + `"}]}`
	}
	cases := []struct{ version, resource, allowed string }{
		{"2012-10-17", `arn:aws:s3:::reports/${*}/*`, "arn:aws:s3:::reports/*/q3.csv"},
		{"2012-10-17", `arn:aws:s3:::q/${?}x`, "arn:aws:s3:::q/?x"},
		{"2012-10-17", `arn:aws:s3:::d/${$}{y}/*`, "arn:aws:s3:::d/${y}/k"},
		{"2008-10-17", `arn:aws:s3:::home/${aws:username}/*`, "arn:aws:s3:::home/${aws:username}/k"},
		{"", `arn:aws:s3:::home/${aws:username}/*`, "arn:aws:s3:::home/${aws:username}/k"},
	}
	for _, tc := range cases {
		doc := policy(tc.version, tc.resource)
		// the entry does allow its own resources without MFA
		code, out, errOut := runCLI(t, "simulate", "--policy", doc, "--action", "s3:GetObject", "--resource", tc.allowed, "--long-term-keys")
		if code != exitOK || !strings.Contains(out, "allowed") || strings.Contains(out, "implicitDeny") {
			t.Fatalf("%s: simulate on %s: exit %d, %s%s", tc.resource, tc.allowed, code, out, errOut)
		}
		code, out, errOut = runCLI(t, "mfa", "--policy", doc, "--action", "s3:GetObject", "--caller-arn", "arn:aws:iam::123456789012:user/alice", "--expect", "mfa-required")
		if code != exitCheck || !strings.Contains(out, "Not checked") || !strings.Contains(out, tc.resource) || !strings.Contains(errOut, "cannot be confirmed") {
			t.Errorf("%s: mfa --expect mfa-required: exit %d, want %d and the entry said as not checked:\n%s%s", tc.resource, code, exitCheck, out, errOut)
		}
		_, out, _ = runCLI(t, "mfa", "--policy", doc, "--action", "s3:GetObject", "-o", "json")
		var j struct {
			Unchecked []struct {
				Pattern string   `json:"resourcePattern"`
				Missing []string `json:"missingContextValues"`
				Reason  string   `json:"reason"`
			} `json:"unchecked"`
		}
		if err := json.Unmarshal([]byte(out), &j); err != nil {
			t.Fatal(err)
		}
		if len(j.Unchecked) != 1 || j.Unchecked[0].Pattern != tc.resource || j.Unchecked[0].Reason == "" || j.Unchecked[0].Missing == nil {
			t.Errorf("%s: JSON unchecked %+v, want the entry with a reason and an empty list of keys", tc.resource, j.Unchecked)
		}
	}
	// in an account: carol's inline policy holds ${*}
	dump := `{"UserDetailList":[{"UserName":"carol","UserId":"AIDACAROL","Arn":"arn:aws:iam::123456789012:user/carol","Path":"/",
 "GroupList":[],"AttachedManagedPolicies":[],"UserPolicyList":[{"PolicyName":"Reports","PolicyDocument":` + policy("2012-10-17", `arn:aws:s3:::reports/${*}/*`) + `}]}],
 "GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`
	for _, args := range [][]string{
		{"mfa", "--account", dump, "--action", "s3:GetObject", "--expect", "mfa-required"},
		{"mfa", "--account", dump, "--action", "s3:GetObject", "--principal", "carol", "--expect", "mfa-required"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitCheck || !strings.Contains(out, "reports/${*}/*") || !strings.Contains(out, "Not checked") {
			t.Errorf("%s: exit %d, want %d and carol's entry said as not checked:\n%s%s", strings.Join(args[3:], " "), code, exitCheck, out, errOut)
		}
	}
	// carol's own summary says so too, not "nothing without MFA" alone (a
	// README helper's find)
	_, out, _ := runCLI(t, "mfa", "--account", dump, "--action", "s3:GetObject", "-o", "json")
	if !strings.Contains(out, `"text":"user carol: nothing without MFA, of 1 action checked; not checked: 1 Resource entry"`) {
		t.Errorf("carol's summary does not say her entry was not checked:\n%s", out)
	}
}

// TestWhoCanSaysEntriesNotChecked pins the sibling of the escapes' false
// all-clear in who-can: a --resource pattern is checked on resources made
// of the principals' Resource entries (mfa.Within), and an entry none
// stands for (here ${*}, a literal star) or whose variable needs a key the
// request lacks was dropped, so carol, whose policy allows the pattern's
// literal-star objects, was left out. She is now listed, in every format,
// as a principal whose entries were not checked; dave's way stays a way.
func TestWhoCanSaysEntriesNotChecked(t *testing.T) {
	dump := `{"UserDetailList":[{"UserName":"carol","UserId":"AIDACAROL","Arn":"arn:aws:iam::123456789012:user/carol","Path":"/","GroupList":[],"AttachedManagedPolicies":[],
 "UserPolicyList":[{"PolicyName":"Reports","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"Esc","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/${*}/*"}]}}]},
 {"UserName":"dave","UserId":"AIDADAVE","Arn":"arn:aws:iam::123456789012:user/dave","Path":"/","GroupList":[],"AttachedManagedPolicies":[],
 "UserPolicyList":[{"PolicyName":"All","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}}]}],
 "GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`
	args := []string{"who-can", "--account", dump, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::reports/*/q3.csv"}
	for _, extra := range [][]string{nil, {"--without-mfa"}, {"-o", "markdown"}} {
		code, out, errOut := runCLI(t, append(append([]string{}, args...), extra...)...)
		if code != exitOK || !strings.Contains(out, "1 way; the Resource entries of 1 principal were not checked") || !strings.Contains(out, "Not checked: Resource entries of 1 principal's own policies") ||
			!strings.Contains(out, "user carol, directly: no way found, but not checked: arn:aws:s3:::reports/${*}/*") || !strings.Contains(out, "user dave, directly, with") {
			t.Errorf("%v: exit %d:\n%s%s", extra, code, out, errOut)
		}
	}
	code, out, errOut := runCLI(t, append(args, "-o", "json")...)
	if code != exitOK {
		t.Fatalf("json: exit %d, %s", code, errOut)
	}
	var j struct {
		Queries []struct {
			Ways []struct {
				Start       string   `json:"start"`
				Credentials []string `json:"credentials"`
				Unchecked   []struct {
					Pattern string `json:"resourcePattern"`
					Reason  string `json:"reason"`
				} `json:"unchecked"`
			} `json:"ways"`
		} `json:"queries"`
		Summary struct {
			Ways       int `json:"ways"`
			NotChecked int `json:"notChecked"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if j.Summary.Ways != 1 || j.Summary.NotChecked != 1 || len(j.Queries) != 1 || len(j.Queries[0].Ways) != 2 {
		t.Fatalf("json: %s", out)
	}
	carol := j.Queries[0].Ways[0]
	if carol.Start != "user carol" || len(carol.Credentials) != 0 || len(carol.Unchecked) != 1 || carol.Unchecked[0].Pattern != `arn:aws:s3:::reports/${*}/*` || carol.Unchecked[0].Reason == "" {
		t.Errorf("json: carol's way %+v", carol)
	}
}

// TestWhoCanNotCheckedCountsAndReach pins the second walkthrough's finds
// on the listing above: a way with MFA that also has entries not checked
// is no way under --without-mfa, but its entries are still said; every
// principal with entries not checked is counted, also the ones with a way;
// a role listed for its entries alone says how its session can be had; and
// every format, dot too, says entries were not checked.
func TestWhoCanNotCheckedCountsAndReach(t *testing.T) {
	esc := `{"Sid":"Esc","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/${*}/*"}`
	user := func(name, stmts string) string {
		return `{"UserName":"` + name + `","UserId":"AIDA` + strings.ToUpper(name) + `","Arn":"arn:aws:iam::123456789012:user/` + name + `","Path":"/","GroupList":[],"AttachedManagedPolicies":[],
 "UserPolicyList":[{"PolicyName":"P","PolicyDocument":{"Version":"2012-10-17","Statement":[` + stmts + `]}}]}`
	}
	dump := `{"UserDetailList":[` + user("mfaer", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},`+esc) + `,` +
		user("plain", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`) + `],
 "GroupDetailList":[],"RoleDetailList":[{"RoleName":"EscRole","RoleId":"AROAESC","Arn":"arn:aws:iam::123456789012:role/EscRole","Path":"/",
 "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/plain"},"Action":"sts:AssumeRole"}]},
 "AttachedManagedPolicies":[],"RolePolicyList":[{"PolicyName":"R","PolicyDocument":{"Version":"2012-10-17","Statement":[` + esc + `]}}]}],"Policies":[]}`
	args := []string{"who-can", "--account", dump, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::reports/*/q3.csv"}
	code, out, errOut := runCLI(t, args...)
	if code != exitOK || !strings.Contains(out, "1 way; the Resource entries of 2 principals were not checked") ||
		!strings.Contains(out, "role EscRole, directly (its session reached without MFA): no way found, but not checked") ||
		!strings.Contains(out, "user mfaer, directly, with MFA") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, append(args, "--without-mfa")...)
	if code != exitOK || !strings.Contains(out, "0 ways; the Resource entries of 2 principals were not checked") ||
		!strings.Contains(out, "user mfaer, directly: no way found, but not checked") {
		t.Errorf("--without-mfa: exit %d:\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, append(args, "-o", "dot")...)
	if code != exitOK || !strings.Contains(out, "Not checked: Resource entries of 2 principals' own policies") {
		t.Errorf("dot: exit %d:\n%s%s", code, out, errOut)
	}
}
