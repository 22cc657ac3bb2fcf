package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A role's own MFA conditions that deny an action on some resources only
// leave its sessions the action on the others: AWS decides each request on
// its own, and a Deny denies only the requests it matches (the policy
// evaluation logic: "an explicit deny in any policy overrides an allow" for
// the request it applies to). example-account.json's DataScience role is
// allowed s3:PutObject, s3:DeleteObject and s3:PutObjectAcl on every
// bucket's objects and denied them on Production/* without recent MFA; its
// sessions can do them elsewhere (simulate decides reports/q3.csv allowed).
// The summary of many actions said "no session can do 3 actions", and
// JSON counted them as blocked in every session beside counting them
// usable without MFA.
func TestMFAAccountBlockedOnSomeResources(t *testing.T) {
	inRoot(t)
	dump := filepath.Join("testdata", "account", "example-account.json")
	for _, args := range [][]string{
		{"--principal", "DataScience"}, // over the catalogue: summarised
		{"--principal", "DataScience", "-o", "markdown"},
		{"--principal", "DataScience", "--action", "s3:*"}, // 60 actions: summarised
		{}, // every principal
	} {
		args = append([]string{"mfa", "--account", dump}, args...)
		code, out, errOut := runCLI(t, args...)
		if code == exitUsage {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "DataScience: no session can do") {
				t.Errorf("%s says no session can do an action it can do on other resources:\n%s", strings.Join(args, " "), line)
			}
		}
		if !strings.Contains(out, "DataScience: sessions are denied ") || !strings.Contains(out, " on some resources") {
			t.Errorf("%s does not say the sessions are denied the actions on some resources:\n%s", strings.Join(args, " "), out)
		}
	}
	code, out, errOut := runCLI(t, "mfa", "--account", dump, "--principal", "DataScience", "-o", "json")
	if code == exitUsage {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if every, some := blockedCounts(t, out); every != 0 || some != 3 {
		t.Errorf("DataScience's summary: blockedInEverySession %d, blockedOnSomeResources %d; want 0, 3", every, some)
	}
}

// A role whose own policies allow an action only with MFA, on every
// resource, has no session that can do it (role sessions carry
// aws:MultiFactorAuthPresent=false): the summary says so, and counts it
// blocked in every session. One denied an action without MFA on one
// bucket and allowed it on another from some addresses only (a result
// that depends on aws:SourceIp, not given) is denied it on some
// resources only. One denied everything without MFA by a Deny that tests
// no other key (the force-MFA policy) and allowed an action on one bucket
// is denied it everywhere, even where its Allow, for MFA, depends on a key
// not given: a session's decision does not (an explicit deny overrides
// any allow).
func TestMFAAccountBlockedInEverySession(t *testing.T) {
	dump := filepath.Join(t.TempDir(), "locked.json")
	const doc = `{"UserDetailList":[],"GroupDetailList":[],"Policies":[],"RoleDetailList":[{"RoleName":"Locked","RoleId":"AROALOCKED","Arn":"arn:aws:iam::123456789012:role/Locked",` +
		`"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},` +
		`"RolePolicyList":[{"PolicyName":"OnlyWithMFA","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"PutWithMFA","Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}}],"AttachedManagedPolicies":[],"Tags":[]},` +
		`{"RoleName":"Partial","RoleId":"AROAPARTIAL","Arn":"arn:aws:iam::123456789012:role/Partial",` +
		`"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},` +
		`"RolePolicyList":[{"PolicyName":"FromTheOffice","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"PutFromTheOffice","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::office/*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},` +
		`{"Sid":"PutInTheVault","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::vault/*"},` +
		`{"Sid":"VaultNeedsMFA","Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::vault/*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}}],"AttachedManagedPolicies":[],"Tags":[]},` +
		`{"RoleName":"Forced","RoleId":"AROAFORCED","Arn":"arn:aws:iam::123456789012:role/Forced",` +
		`"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},` +
		`"RolePolicyList":[{"PolicyName":"ForceMFA","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"PutInRegion","Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}},` +
		`{"Sid":"PutArtifacts","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::artifacts/*"},` +
		`{"Sid":"DenyWithoutMFA","Effect":"Deny","NotAction":"iam:ListMFADevices","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}}],"AttachedManagedPolicies":[],"Tags":[]}]}`
	if err := os.WriteFile(dump, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "mfa", "--account", dump)
	if code == exitUsage {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "role Locked: no session can do 2 actions (s3:DeleteObject, s3:PutObject)") {
		t.Errorf("the role's sessions can do neither action anywhere:\n%s", out)
	}
	if strings.Contains(out, "role Locked: sessions are denied") {
		t.Errorf("said to be denied on some resources only:\n%s", out)
	}
	if !strings.Contains(out, "role Partial: sessions are denied 1 action (s3:PutObject) on some resources") || strings.Contains(out, "role Partial: no session can do") {
		t.Errorf("Partial's sessions are denied s3:PutObject on the vault only:\n%s", out)
	}
	if !strings.Contains(out, "role Forced: no session can do 1 action (s3:PutObject)") || strings.Contains(out, "role Forced: sessions are denied") {
		t.Errorf("Forced's sessions are denied s3:PutObject everywhere:\n%s", out)
	}
	code, out, errOut = runCLI(t, "mfa", "--account", dump, "--principal", "Locked", "-o", "json")
	if code == exitUsage {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if every, some := blockedCounts(t, out); every != 2 || some != 0 {
		t.Errorf("blockedInEverySession %d, blockedOnSomeResources %d; want 2, 0", every, some)
	}
}

// blockedCounts returns the blocked counts of the only principal of a
// JSON report.
func blockedCounts(t *testing.T, out string) (every, some int) {
	t.Helper()
	var rep struct {
		Principals []struct {
			Summary struct {
				Every int `json:"blockedInEverySession"`
				Some  int `json:"blockedOnSomeResources"`
			} `json:"summary"`
		} `json:"principals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Principals) != 1 {
		t.Fatalf("JSON: %v (%d principals)", err, len(rep.Principals))
	}
	return rep.Principals[0].Summary.Every, rep.Principals[0].Summary.Some
}

// The claims about what a role's own MFA conditions deny its sessions hold
// for the sessions alone, for every key not given, and for the resources
// checked (found by a breaker):
//   - a Deny on "Bool aws:MultiFactorAuthPresent false" (not IfExists)
//     lets long-term keys through, which a role has none of: its sessions
//     are denied, and the report says so;
//   - a Deny that also needs aws:SourceVpc absent does not deny a session
//     from a VPC endpoint: no line says every session is denied, the
//     request is listed as depending on the key;
//   - with --resource, a summarised run checked only those resources: it
//     does not say no session can do the actions.
func TestMFAAccountBlockedClaims(t *testing.T) {
	dump := filepath.Join(t.TempDir(), "claims.json")
	role := func(name, deny string) string {
		return `{"RoleName":"` + name + `","RoleId":"AROA` + strings.ToUpper(name) + `","Arn":"arn:aws:iam::123456789012:role/` + name + `",` +
			`"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},` +
			`"RolePolicyList":[{"PolicyName":"P","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"s3:*","Resource":"*"},` +
			`{"Sid":"SecretNeedsMFA","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::secret/*","Condition":` + deny + `}]}}],"AttachedManagedPolicies":[],"Tags":[]}`
	}
	doc := `{"UserDetailList":[],"GroupDetailList":[],"Policies":[],"RoleDetailList":[` +
		role("Plain", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`) + "," +
		role("Vpc", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"Null":{"aws:SourceVpc":"true"}}`) + `]}`
	if err := os.WriteFile(dump, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, append([]string{"mfa", "--account", dump}, args...)...)
		if code == exitUsage {
			t.Fatalf("mfa %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	out := run("--principal", "Plain", "--action", "s3:PutObject", "--resource", "arn:aws:s3:::secret/k")
	if !strings.Contains(out, "role Plain: every session is denied s3:PutObject on arn:aws:s3:::secret/k") {
		t.Errorf("Plain's sessions are denied s3:PutObject on the secret bucket:\n%s", out)
	}
	out = run("--principal", "Plain", "--action", "s3:*")
	if !strings.Contains(out, "role Plain: sessions are denied ") || strings.Contains(out, "role Plain: no session can do") {
		t.Errorf("Plain's sessions are denied the s3 actions on the secret bucket only:\n%s", out)
	}
	out = run("--principal", "Vpc", "--action", "s3:PutObject")
	if strings.Contains(out, "role Vpc: every session is denied") || !strings.Contains(out, "role Vpc: s3:PutObject on arn:aws:s3:::secret/objectname (aws:SourceVpc)") {
		t.Errorf("Vpc's sessions from a VPC endpoint may put to the secret bucket:\n%s", out)
	}
	out = run("--principal", "Plain", "--action", "s3:*", "--resource", "arn:aws:s3:::secret/*")
	if strings.Contains(out, "no session can do") || !strings.Contains(out, "role Plain: sessions are denied ") {
		t.Errorf("only the secret bucket was checked:\n%s", out)
	}
}

// TestMFAAccountBlockedReasonNamesAge: a role session carries
// aws:MultiFactorAuthPresent=false and no aws:MultiFactorAuthAge (SPEC
// 6.2). Where a role's own condition on the MFA age blocks its sessions
// (an Allow only within an hour of MFA, a Deny when the age is absent or
// old), the reason given says the sessions carry no age, not only that
// they carry MultiFactorAuthPresent=false, which the condition does not
// read. Summarised (the whole catalogue) and per request.
func TestMFAAccountBlockedReasonNamesAge(t *testing.T) {
	dump := filepath.Join(t.TempDir(), "age.json")
	const doc = `{"UserDetailList":[],"GroupDetailList":[],"Policies":[],"RoleDetailList":[{"RoleName":"Fresh","RoleId":"AROAFRESH","Arn":"arn:aws:iam::123456789012:role/Fresh",` +
		`"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},` +
		`"RolePolicyList":[{"PolicyName":"Recent","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"PutWithinAnHour","Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}},` +
		`{"Sid":"Delete","Effect":"Allow","Action":"s3:DeleteObject","Resource":"*"},` +
		`{"Sid":"DeleteNeedsRecentMFA","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"NumericGreaterThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}}]}}],"AttachedManagedPolicies":[],"Tags":[]}]}`
	if err := os.WriteFile(dump, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	const reason = "role sessions carry aws:MultiFactorAuthPresent=false and no aws:MultiFactorAuthAge"
	for _, args := range [][]string{
		{"mfa", "--account", dump},
		{"mfa", "--account", dump, "--action", "s3:PutObject,s3:DeleteObject"},
		{"mfa", "--account", dump, "--action", "s3:PutObject,s3:DeleteObject", "-o", "markdown"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code == exitUsage {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		// (the table wraps its lines)
		flat := strings.Join(strings.Fields(out), " ")
		blocked := strings.Count(flat, "role Fresh: no session can") + strings.Count(flat, "role Fresh: every session is denied") +
			strings.Count(flat, "role Fresh: sessions are denied")
		if blocked == 0 || strings.Count(flat, reason) != blocked {
			t.Errorf("%v: %d lines say Fresh's sessions are blocked, %d give the reason %q:\n%s", args, blocked, strings.Count(flat, reason), reason, out)
		}
	}
}

// TestMFAAccountBlockedActionsInJSON: a summarised JSON report names each
// action it counts as blocked, not only the first few its text shows: a
// machine reading the report gets them all (example-account.json's CIDeploy
// has 23 over the catalogue, the text names 5).
func TestMFAAccountBlockedActionsInJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "mfa", "--account", "../../testdata/account/example-account.json", "-o", "json")
	if code == exitUsage {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Principals []struct {
			Principal string `json:"principal"`
			Summary   struct {
				Every        int      `json:"blockedInEverySession"`
				Some         int      `json:"blockedOnSomeResources"`
				EveryActions []string `json:"blockedInEverySessionActions"`
				SomeActions  []string `json:"blockedOnSomeResourcesActions"`
				Text         string   `json:"text"`
			} `json:"summary"`
		} `json:"principals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, p := range rep.Principals {
		s := p.Summary
		if len(s.EveryActions) != s.Every || len(s.SomeActions) != s.Some {
			t.Errorf("%s: %d and %d blocked, %d and %d named", p.Principal, s.Every, s.Some, len(s.EveryActions), len(s.SomeActions))
		}
		for _, a := range append(append([]string{}, s.EveryActions...), s.SomeActions...) {
			if !strings.Contains(a, ":") {
				t.Errorf("%s: %q is not an action", p.Principal, a)
			}
		}
		if p.Principal == "role CIDeploy" {
			seen++
			if s.Every != 23 || !slices.Contains(s.EveryActions, "s3:DeleteAccessPoint") {
				t.Errorf("CIDeploy: %d blocked in every session, named %v", s.Every, s.EveryActions)
			}
		}
	}
	if seen != 1 {
		t.Errorf("no CIDeploy in the report")
	}
}

// TestMFAAccountBlockedNotResourceVariable: a Deny whose NotResource reads
// a value the caller chooses (a session tag, when the trust policy allows
// sts:TagSession; the source identity, when it allows
// sts:SetSourceIdentity) does not deny every session: a session whose
// value names the bucket is allowed there (simulate with the value given
// allows it). So no line says every session is denied; the request is
// listed as depending on the key. A helper's find.
func TestMFAAccountBlockedNotResourceVariable(t *testing.T) {
	dump := filepath.Join(t.TempDir(), "nr.json")
	role := func(name, chosen, variable string) string {
		return `{"RoleName":"` + name + `","RoleId":"AROA` + strings.ToUpper(name) + `","Arn":"arn:aws:iam::123456789012:role/` + name + `",` +
			`"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["sts:AssumeRole","` + chosen + `"]}]},` +
			`"RolePolicyList":[{"PolicyName":"P","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*"},` +
			`{"Effect":"Deny","Action":"s3:DeleteObject","NotResource":"arn:aws:s3:::${` + variable + `}/*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}}],` +
			`"AttachedManagedPolicies":[],"Tags":[{"Key":"team","Value":"ops"}]}`
	}
	// under Version 2008-10-17 "${...}" is literal text: the NotResource
	// leaves out only the bucket of that name, and every session is
	// denied elsewhere
	literal := strings.Replace(role("Literal", "sts:TagSession", "aws:PrincipalTag/team"), `"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject"`, `"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject"`, 1)
	doc := `{"UserDetailList":[],"GroupDetailList":[],"Policies":[],"RoleDetailList":[` +
		role("Tagged", "sts:TagSession", "aws:PrincipalTag/team") + "," + role("Sourced", "sts:SetSourceIdentity", "aws:SourceIdentity") + "," + literal + `]}`
	if err := os.WriteFile(dump, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--action", "s3:DeleteObject"},
		{"--action", "s3:DeleteObject", "-o", "markdown"},
		{},
	} {
		code, out, errOut := runCLI(t, append([]string{"mfa", "--account", dump}, args...)...)
		if code == exitUsage {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		flat := strings.Join(strings.Fields(out), " ")
		if len(args) > 0 && !strings.Contains(flat, "role Literal: every session is denied s3:DeleteObject on arn:aws:s3:::bucketname/objectname") {
			t.Errorf("%v: Literal's Deny (Version 2008-10-17: its ${...} is text) denies every session:\n%s", args, out)
		}
		for _, r := range []string{"Tagged", "Sourced"} {
			for _, claim := range []string{"role " + r + ": every session is denied", "role " + r + ": no session can"} {
				if strings.Contains(flat, claim) {
					t.Errorf("%v: %q, though a session whose value names the bucket may delete there:\n%s", args, claim, out)
				}
			}
		}
	}
}

// TestMFAOnlyStarActionsOnStar: an action that supports only "*" is
// requested on "*" (the Service Authorization Reference lists no resource
// type for it; lint's CAT009). Its rows are "*" and whole-service entries
// (arn:aws:s3:::*), never another Resource entry taken as a resource: a
// helper found iam:CreateAccountAlias "allowed without MFA" on
// arn:aws:iam::*:user/* (AWS denies it: the Allow never matches), and
// DataScience's sessions "denied s3:ListAllMyBuckets on
// arn:aws:s3:::Production/*" (simulate on "*" allows it).
func TestMFAOnlyStarActionsOnStar(t *testing.T) {
	pol := filepath.Join(t.TempDir(), "alias.json")
	if err := os.WriteFile(pol, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccountAlias","Resource":"arn:aws:iam::*:user/*"},`+
		`{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::*"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "mfa", "--policy", pol, "--action", "iam:CreateAccountAlias,s3:ListAllMyBuckets", "-o", "json")
	if code == exitUsage {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Results []struct {
			Action   string `json:"action"`
			Resource string `json:"resource"`
			Verdict  string `json:"verdict"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	got := map[string]string{}
	for _, r := range rep.Results {
		got[r.Action+" "+r.Resource] = r.Verdict
	}
	want := map[string]string{
		"iam:CreateAccountAlias *":           "never-allowed",
		"s3:ListAllMyBuckets *":              "never-allowed",
		"s3:ListAllMyBuckets arn:aws:s3:::*": "mfa-not-required",
	}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (all rows %v)", k, got[k], v, got)
		}
	}
	code, out, errOut = runCLI(t, "mfa", "--account", "../../testdata/account/example-account.json", "--principal", "DataScience", "--action", "s3:ListAllMyBuckets")
	if code == exitUsage {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "Production") {
		t.Errorf("DataScience's s3:ListAllMyBuckets decided on a Production bucket entry:\n%s", out)
	}
}

// TestMFAResourceNoRequestNames: a --resource that no request for an
// action names (a bucket for s3:ListAllMyBuckets, which is requested on
// "*"; an S3 object for sqs:DeleteQueue; a pattern that covers no bucket
// for s3:DeleteBucket) is not decided as the literal string: it is listed
// as not checked, with its reason, so that no all clear rests on it. A
// helper's find: sybil's ListAllMyBuckets on arn:aws:s3:::Production gave
// "(none)" and --expect mfa-required passed, while simulate allows the
// request on "*".
func TestMFAResourceNoRequestNames(t *testing.T) {
	const dump = "../../testdata/account/example-account.json"
	for _, tc := range []struct{ action, resource, reason string }{
		{"s3:ListAllMyBuckets", "arn:aws:s3:::Production", `s3:ListAllMyBuckets acts on no resource type: its requests name "*"`},
		{"sqs:DeleteQueue", "arn:aws:s3:::other-acct-bucket/x", "none of sqs:DeleteQueue's resource types (queue) is of its shape"},
		{"s3:DeleteBucket", "arn:aws:s3:::reports/*", "none of s3:DeleteBucket's resource types (bucket) is of its shape"},
	} {
		code, out, errOut := runCLI(t, "mfa", "--account", dump, "--principal", "sybil", "--action", tc.action, "--resource", tc.resource, "--expect", "mfa-required", "-o", "json")
		if code != exitCheck {
			t.Errorf("%s on %s: exit %d, want 1 (not confirmed): %s", tc.action, tc.resource, code, errOut)
		}
		var rep struct {
			Principals []struct {
				Checked   int `json:"checked"`
				Unchecked []struct {
					Pattern string `json:"resourcePattern"`
					Reason  string `json:"reason"`
					// a resource given is no statement's: no
					// statement is named (it was statement 0 of
					// policy "")
					PolicyID *string `json:"policyId"`
					Index    *int    `json:"statementIndex"`
				} `json:"unchecked"`
			} `json:"principals"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Principals) != 1 {
			t.Fatalf("%v:\n%s", err, out)
		}
		p := rep.Principals[0]
		if p.Checked != 0 || len(p.Unchecked) != 1 || p.Unchecked[0].Pattern != tc.resource || p.Unchecked[0].Reason == "" {
			t.Errorf("%s on %s: checked %d, unchecked %+v; want none checked and the resource listed with a reason", tc.action, tc.resource, p.Checked, p.Unchecked)
		}
		// the reason says why of the action: it was one sentence for all,
		// which said "an action of no resource type is requested on *" of
		// actions that have one
		if len(p.Unchecked) == 1 && !strings.HasSuffix(p.Unchecked[0].Reason, ": "+tc.reason) {
			t.Errorf("%s on %s: reason %q, want it to end %q", tc.action, tc.resource, p.Unchecked[0].Reason, tc.reason)
		}
		if len(p.Unchecked) == 1 && (p.Unchecked[0].PolicyID != nil || p.Unchecked[0].Index != nil) {
			t.Errorf("%s on %s: a resource given names policy %q statement %d; want no policyId and no statementIndex", tc.action, tc.resource, *p.Unchecked[0].PolicyID, *p.Unchecked[0].Index)
		}
	}
}
