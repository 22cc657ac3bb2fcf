package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/evaluator"
)

// catAccount is a small hand-made account for mfa --account over the
// catalogue: admin holds AdministratorAccess; careful too, with a force-MFA
// Deny that spares only iam:ChangePassword and iam:GetUser; power a
// PowerUser-like NotAction iam:*; role deploy may put and delete artifacts
// and trusts power, without MFA.
const catAccount = `{
 "UserDetailList": [
  {"UserName": "admin", "Arn": "arn:aws:iam::123456789012:user/admin", "GroupList": [], "UserPolicyList": [],
   "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]},
  {"UserName": "careful", "Arn": "arn:aws:iam::123456789012:user/careful", "GroupList": [],
   "UserPolicyList": [{"PolicyName": "ForceMFA", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Sid": "DenyWithoutMFA", "Effect": "Deny",
     "NotAction": ["iam:ChangePassword", "iam:GetUser"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}}}],
   "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]},
  {"UserName": "power", "Arn": "arn:aws:iam::123456789012:user/power", "GroupList": [], "UserPolicyList": [
   {"PolicyName": "PowerUser", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Sid": "AllButIAM", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}}],
   "AttachedManagedPolicies": []}
 ],
 "GroupDetailList": [],
 "RoleDetailList": [
  {"RoleName": "deploy", "Arn": "arn:aws:iam::123456789012:role/deploy",
   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/power"}, "Action": "sts:AssumeRole"}},
   "RolePolicyList": [{"PolicyName": "Artifacts", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Sid": "Artifacts", "Effect": "Allow",
     "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::artifacts/*"}}}],
   "AttachedManagedPolicies": []}
 ],
 "Policies": [
  {"PolicyName": "AdministratorAccess", "Arn": "arn:aws:iam::aws:policy/AdministratorAccess", "DefaultVersionId": "v1",
   "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}
 ]
}`

// catJSON is the part of mfa --account's JSON these tests read.
type catJSON struct {
	Summarised bool
	Principals []catPrincipal
	Summary    struct {
		ByServiceAndLevel []struct {
			Service, Level string
			Users, Roles   int
		}
		Text string
	}
}

// catPrincipal is a principal's entry and its summary.
type catPrincipal struct {
	Principal string
	Summary   struct {
		Actions    int
		WithoutMfa int
		Levels     []struct {
			Level      string
			WithoutMfa int
		}
		Credentials []struct {
			Credentials string
			Actions     int
		}
		Services []struct {
			Service, Level      string
			Actions, WithoutMfa int
			WithoutMfaActions   []string
			AllowedBy           []string
		}
		Including []string
		Counted   bool
		Text      string
	}
}

// levelCounts counts the catalogue's actions at levels, each once, at the
// more sensitive of its levels (permissions management before write).
func levelCounts(levels catalog.AccessLevel, skip string) (write, pm int) {
	for _, a := range catalog.Default().Expand("*") {
		if !a.Level.Has(levels) || a.Service.Prefix == skip {
			continue
		}
		if a.Level.Has(catalog.PermissionsManagement) && levels.Has(catalog.PermissionsManagement) {
			pm++
		} else {
			write++
		}
	}
	return write, pm
}

func runCatAccount(t *testing.T, args ...string) (catJSON, string) {
	t.Helper()
	f := writeFiles(t, map[string]string{"acct.json": catAccount})
	code, out, errOut := runCLI(t, append([]string{"mfa", "--account", f["acct.json"]}, args...)...)
	if code != exitOK {
		t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	var got catJSON
	if slices.Contains(args, "json") {
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	return got, out
}

// TestMFAAccountCatalogue: without --action each principal is checked on
// every Write and Permissions-management action its own policies can
// allow, and its summary counts them per access level and names some.
func TestMFAAccountCatalogue(t *testing.T) {
	wp := catalog.Write | catalog.PermissionsManagement
	allW, allPM := levelCounts(wp, "")
	powW, powPM := levelCounts(wp, "iam")
	// sts:AssumeRole and its kin are decided against the trust policies:
	// deploy's admits only power
	assume := 0
	for _, a := range catalog.Default().Expand("sts:AssumeRole*") {
		if a.Level.Has(wp) {
			assume++
		}
	}
	got, _ := runCatAccount(t, "--output", "json")
	if !got.Summarised {
		t.Errorf("not summarised")
	}
	tests := []struct {
		principal string
		actions   int
		without   int
		levels    map[string]int
		named     []string // among the names the summary gives
		notNamed  string   // a service none of whose actions is named
		text      string
	}{
		{"user admin", allW + allPM, allW + allPM - assume, map[string]int{"write": allW - assume, "permissions-management": allPM},
			[]string{"iam:CreateAccessKey", "iam:AttachUserPolicy"}, "", "user admin: " + itoa(allW-assume) + " write and " + itoa(allPM) + " permissions-management actions without MFA (long-term keys or session without MFA), including iam:CreateAccessKey, iam:AttachUserPolicy"},
		{"user careful", allW + allPM, 1, map[string]int{"write": 1}, []string{"iam:ChangePassword"}, "",
			"user careful: 1 write action without MFA (long-term keys or session without MFA): iam:ChangePassword"},
		{"user power", powW + powPM, powW + powPM - assume + 1, map[string]int{"write": powW - assume + 1, "permissions-management": powPM},
			[]string{"sts:AssumeRole"}, "iam", "user power: " + itoa(powW-assume+1) + " write and " + itoa(powPM) + " permissions-management actions without MFA (long-term keys or session without MFA), including "},
		{"role deploy", 2, 2, map[string]int{"write": 2}, []string{"s3:DeleteObject", "s3:PutObject"}, "",
			"role deploy: 2 write actions without MFA (session without MFA): s3:DeleteObject, s3:PutObject"},
	}
	for _, tc := range tests {
		i := slices.IndexFunc(got.Principals, func(p catPrincipal) bool {
			return p.Principal == tc.principal
		})
		if i < 0 {
			t.Fatalf("no %s", tc.principal)
		}
		s := got.Principals[i].Summary
		if s.Actions != tc.actions || s.WithoutMfa != tc.without {
			t.Errorf("%s: %d actions, %d without MFA; want %d, %d", tc.principal, s.Actions, s.WithoutMfa, tc.actions, tc.without)
		}
		levels := map[string]int{}
		for _, l := range s.Levels {
			levels[l.Level] = l.WithoutMfa
		}
		for l, n := range tc.levels {
			if levels[l] != n {
				t.Errorf("%s: %s %d, want %d", tc.principal, l, levels[l], n)
			}
		}
		for _, n := range tc.named {
			if !slices.Contains(s.Including, n) {
				t.Errorf("%s: including %v lacks %s", tc.principal, s.Including, n)
			}
		}
		for _, n := range s.Including {
			if tc.notNamed != "" && strings.HasPrefix(n, tc.notNamed+":") {
				t.Errorf("%s: names %s", tc.principal, n)
			}
		}
		if !strings.HasPrefix(s.Text, tc.text) {
			t.Errorf("%s: text\n%s\nwant it to begin\n%s", tc.principal, s.Text, tc.text)
		}
		// the services add up, and name the statements that allow them
		sum := 0
		for _, sv := range s.Services {
			sum += sv.WithoutMfa
			if sv.WithoutMfa != len(sv.WithoutMfaActions) || sv.WithoutMfa > 0 && len(sv.AllowedBy) == 0 {
				t.Errorf("%s: %+v", tc.principal, sv)
			}
		}
		if sum != tc.without {
			t.Errorf("%s: the services count %d, want %d", tc.principal, sum, tc.without)
		}
	}
	// admin's actions are allowed by AdministratorAccess; deploy's by its Sid
	for _, p := range got.Principals {
		for _, sv := range p.Summary.Services {
			want := map[string]string{"user admin": "arn:aws:iam::aws:policy/AdministratorAccess statement 1", "role deploy": "role deploy inline Artifacts Artifacts",
				"user power": "user power inline PowerUser AllButIAM"}[p.Principal]
			if want != "" && sv.WithoutMfa > 0 && !slices.Contains(sv.AllowedBy, want) {
				t.Errorf("%s %s %s: allowed by %v, want %s", p.Principal, sv.Service, sv.Level, sv.AllowedBy, want)
			}
		}
	}
	// the account's summary per service and access level
	var iamPM struct{ users, roles int }
	for _, r := range got.Summary.ByServiceAndLevel {
		if r.Service == "iam" && r.Level == "permissions-management" {
			iamPM.users, iamPM.roles = r.Users, r.Roles
		}
	}
	if iamPM.users != 1 || iamPM.roles != 0 {
		t.Errorf("iam permissions-management: %+v, want 1 user (admin)", iamPM)
	}
	if !strings.HasPrefix(got.Summary.Text, "4 of 4 users and roles can do a write or permissions-management action without MFA") {
		t.Errorf("summary text:\n%s", got.Summary.Text)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestMFAAccountCatalogueTable: the table and markdown say the same per
// principal, per service and access level, capped and saying so.
func TestMFAAccountCatalogueTable(t *testing.T) {
	_, out := runCatAccount(t)
	for _, want := range []string{
		"user careful: 1 write action without MFA (long-term keys or session without MFA): iam:ChangePassword",
		"iam, write: 1 of ",
		"role deploy (reachable without MFA via user power): 2 write actions without MFA (session without MFA): s3:DeleteObject, s3:PutObject",
		"s3, write: 2 of 2 actions, allowed by role deploy inline Artifacts Artifacts",
		// (sts:AssumeRole of the two callers with "*": sts:AssumeRoleWithSAML
		// and WithWebIdentity are not signed with their credentials)
		"Summary: 4 of 4 users and roles can do a write or permissions-management action without MFA, counting only what was checked; not checked: 2 requests for roles outside the dump.",
		"2 users and 1 role can do s3 write actions without MFA",
		"more services and access levels (-o json lists each)",
	} {
		if !containsFlat(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Sensitive actions") {
		t.Errorf("table speaks of sensitive actions:\n%s", out)
	}
	_, md := runCatAccount(t, "--output", "markdown")
	for _, want := range []string{
		"| Principal | Without MFA | With | Including | Allowed by |",
		"| user careful | 1 write action | long-term keys or session without MFA | `iam:ChangePassword` |",
		"can do a write or permissions-management action without MFA",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// TestMFAAccountCatalogueSelection: --access-level narrows the actions of
// the catalogue, and --action wildcards are expanded at it.
func TestMFAAccountCatalogueSelection(t *testing.T) {
	_, pm := levelCounts(catalog.PermissionsManagement, "")
	_, powPM := levelCounts(catalog.PermissionsManagement, "iam")
	got, _ := runCatAccount(t, "--access-level", "permissions-management", "--output", "json")
	for _, p := range got.Principals {
		want := map[string]int{"user admin": pm, "user careful": pm, "user power": powPM, "role deploy": 0}[p.Principal]
		if p.Summary.Actions != want {
			t.Errorf("%s: %d permissions-management actions checked, want %d", p.Principal, p.Summary.Actions, want)
		}
	}
	// iam:Create* at write: admin and careful are checked on each
	var create []string
	for _, a := range catalog.Default().Expand("iam:Create*") {
		if a.Level.Has(catalog.Write) {
			create = append(create, a.String())
		}
	}
	got, _ = runCatAccount(t, "--action", "iam:Create*", "--access-level", "write", "--output", "json")
	for _, p := range got.Principals {
		if p.Summary.Actions != len(create) {
			t.Errorf("%s: %d actions checked, want the %d of iam:Create* at write", p.Principal, p.Summary.Actions, len(create))
		}
		want := map[string]int{"user admin": len(create), "user careful": 0, "user power": 0, "role deploy": 0}[p.Principal]
		if p.Summary.WithoutMfa != want {
			t.Errorf("%s: %d without MFA, want %d", p.Principal, p.Summary.WithoutMfa, want)
		}
	}
	// a wildcard that matches nothing at the level is refused
	f := writeFiles(t, map[string]string{"acct.json": catAccount})
	code, _, errOut := runCLI(t, "mfa", "--account", f["acct.json"], "--action", "iam:Get*", "--access-level", "write")
	if code != exitUsage || !strings.Contains(errOut, "--action iam:Get* matches 34 actions, none at write") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	// --expect mfa-required fails
	code, _, errOut = runCLI(t, "mfa", "--account", f["acct.json"], "--expect", "mfa-required")
	if code != exitCheck || !strings.Contains(errOut, "4 principals can do") {
		t.Errorf("--expect: exit %d: %s", code, errOut)
	}
}

// TestSummaryKeepsGroupsWithoutMFA: a principal's summary over the
// catalogue keeps the services and access levels of the actions it may do
// without MFA, the groups every format shows, and counts the others
// without keeping them; made with a worker's room, a summary of thousands
// of actions makes about as much as one of a few (the 5,000 users of
// BENCHMARKS.md's catalogue run made a group and a map for each of
// hundreds of services each, 1.1 GB in all).
func TestSummaryKeepsGroupsWithoutMFA(t *testing.T) {
	c := catalog.Default()
	p := &account.Principal{Kind: account.KindUser, Name: "u"}
	var few, many principalReport
	for _, s := range c.Services() {
		for _, a := range s.Actions {
			many.names, many.cat = append(many.names, a.String()), append(many.cat, a)
			if len(few.names) < 3 {
				few.names, few.cat = append(few.names, a.String()), append(few.cat, a)
			}
		}
	}
	by := []evaluator.MatchedStatement{{PolicyID: "user u inline P", Index: 0}}
	for _, rep := range []*principalReport{&few, &many} {
		rep.principal = p
		rep.findings = []accountFinding{{action: rep.names[1], resource: "*", how: []string{"long-term keys"}, allowedBy: by}}
	}
	sc := &summaryScratch{}
	sum := summarise(&many, catalog.Write|catalog.PermissionsManagement, false, sc)
	if len(sum.groups) != 1 || sum.groups[0].service != many.cat[1].Service.Prefix || len(sum.groups[0].names) != 1 || sum.actions != len(many.names) {
		t.Fatalf("groups %+v of %d actions", sum.groups, sum.actions)
	}
	want := 0
	for _, a := range many.cat {
		if a.Service == many.cat[1].Service && reviewLevel(a, catalog.Write|catalog.PermissionsManagement) == sum.groups[0].level {
			want++
		}
	}
	if sum.groups[0].actions != want {
		t.Errorf("the group counts %d actions, want %d", sum.groups[0].actions, want)
	}
	base := testing.AllocsPerRun(20, func() { summarise(&few, catalog.Write|catalog.PermissionsManagement, false, sc) })
	all := testing.AllocsPerRun(20, func() { summarise(&many, catalog.Write|catalog.PermissionsManagement, false, sc) })
	if all > base+2 {
		t.Errorf("a summary of %d actions makes %v allocations, of %d actions %v", len(many.names), all, len(few.names), base)
	}
}
