package account_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
)

// TestWhoCanRolePattern pins who-can for an action a trust policy decides
// (sts:AssumeRole) on a pattern of role ARNs: the pattern stands for the
// dump's roles it matches, each decided with its own trust policy as the
// resource policy (IAM User Guide: "a role trust policy ... must allow the
// principal"; an identity Allow alone never grants sts:AssumeRole), never
// an invented role that no trust policy decides. In whocan-locked.json both
// roles trust only ec2.amazonaws.com, so no user or role of the dump may
// assume them, pattern or exact ARN alike; in whocan-eve.json the pattern
// role/MFARol? names the real role MFARole only.
func TestWhoCanRolePattern(t *testing.T) {
	load := func(name string) *account.Account { return loadDump(t, name) }
	for _, tc := range []struct {
		file, resource string
	}{
		{"whocan-locked.json", "arn:aws:iam::210987654321:role/Locked*"},
		{"whocan-locked.json", "arn:aws:iam::210987654321:role/*"},
		{"whocan-eve.json", "arn:aws:iam::*:role/*"},
		{"whocan-eve.json", "arn:aws:iam::*:role/MFARol?"},
	} {
		a := load(tc.file)
		ways, err := a.NewAnalyzer(account.Options{}).WhoCan("sts:AssumeRole", tc.resource)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ways {
			if w.Resource == "" {
				continue
			}
			if _, ok := a.Role(w.Resource); !ok {
				t.Errorf("%s %s: way of %s on %s, no role of the dump", tc.file, tc.resource, w.Start.Name, w.Resource)
			}
		}
		if tc.file == "whocan-locked.json" {
			// the only ways: the service each trust policy names
			for _, w := range ways {
				if w.Start.Principal != nil || w.Start.Name != "ec2.amazonaws.com" || len(w.Roles) > 0 {
					t.Errorf("%s %s: way of %s (roles %d): both roles trust only ec2.amazonaws.com", tc.file, tc.resource, w.Start.Name, len(w.Roles))
				}
			}
			if len(ways) != 2 {
				t.Errorf("%s %s: %d ways, want ec2.amazonaws.com into each of the 2 roles", tc.file, tc.resource, len(ways))
			}
		}
	}
}

// TestWhoCanTrustNamesTheCaller: a trust policy that names only another
// account's root (PartnerRole in paths-account.json, with an
// sts:ExternalId condition) admits no principal of this account, whatever
// external id it passes (IAM User Guide: the trust policy "must allow the
// principal"): who-can's one way is that account, passing the external id
// the trust policy names, never a "maybe" for each user and role of the
// dump on sts:ExternalId (a new user's find).
func TestWhoCanTrustNamesTheCaller(t *testing.T) {
	a := pathsAccount(t)
	ways, err := a.NewAnalyzer(account.Options{}).WhoCan("sts:AssumeRole", "arn:aws:iam::111122223333:role/PartnerRole")
	if err != nil {
		t.Fatal(err)
	}
	if len(ways) != 1 || ways[0].Start.Name != "arn:aws:iam::444455556666:root" || !ways[0].Credentials.WithoutMFA() {
		for _, w := range ways {
			t.Logf("way of %s: crosses %s, undecided %s %v", w.Start.Name, w.Credentials, w.Undecided, w.Missing)
		}
		t.Fatalf("%d ways, want one: arn:aws:iam::444455556666:root", len(ways))
	}
}

// TestWhoCanCallerChosenSessionKeys pins that the keys whoever assumes a
// role chooses are not decided for the role's session: session tags, which
// "become aws:PrincipalTag/* of the session" when a trust policy allows
// sts:TagSession (IAM User Guide, "Passing session tags in AWS STS"), and
// the session name, the second part of aws:userid (ROLEID:SESSIONNAME). In
// whocan-sesstag.json role TagGated deletes on vault/* if
// aws:PrincipalTag/clearance=top and its trust lets the account tag
// sessions; in whocan-sessname.json role NameGated deletes if aws:userid is
// like *:breakglass-*. Neither may be said denied: each is a way, undecided,
// on the key the caller chooses.
func TestWhoCanCallerChosenSessionKeys(t *testing.T) {
	for _, tc := range []struct{ file, role, key string }{
		{"whocan-sesstag.json", "TagGated", "aws:PrincipalTag/clearance"},
		{"whocan-sessname.json", "NameGated", "aws:userid"},
	} {
		a := loadDump(t, tc.file)
		ways, err := a.NewAnalyzer(account.Options{}).WhoCan("s3:DeleteObject", "arn:aws:s3:::vault/x")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, w := range ways {
			if p := w.Start.Principal; p != nil && p.Role != nil && p.Role.Name == tc.role && len(w.Roles) == 0 {
				found = true
				if w.Undecided == 0 || !strings.Contains(strings.Join(w.Missing, " "), tc.key) {
					t.Errorf("%s: role %s's own way is %v undecided %v on %v, want undecided on %s", tc.file, tc.role, w.Credentials, w.Undecided, w.Missing, tc.key)
				}
			}
		}
		if !found {
			t.Errorf("%s: no way through role %s: its session's %s is the caller's to choose", tc.file, tc.role, tc.key)
		}
	}
}

// TestExposureGuards pins what guards an outside caller's way into a role:
// the conditions of the trust statements that let it in, and those of the
// Deny statements that limit them (a Deny with a condition blocks every
// caller the condition matches: AWS's evaluation logic, an explicit deny
// overrides any Allow), but no condition every caller satisfies
// (StringLike "*" on aws:PrincipalArn, which every AWS principal's request
// carries). whocan-expo.json: DenyGuard (Allow "*", Deny when
// aws:PrincipalOrgID is not o-abc123) is guarded; StarLike is not.
func TestExposureGuards(t *testing.T) {
	a := loadDump(t, "whocan-expo.json")
	ex, err := a.NewAnalyzer(account.Options{}).Exposure()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range ex {
		got[e.Role.Name] = strings.Join(e.Guards, "; ")
	}
	for role, want := range map[string]string{
		"DenyGuard": "denied when aws:PrincipalOrgID StringNotEquals o-abc123",
		"StarLike":  "",
	} {
		g, ok := got[role]
		if !ok {
			t.Errorf("%s: no exposure", role)
			continue
		}
		if g != want {
			t.Errorf("%s: guards %q, want %q", role, g, want)
		}
	}
}

// TestPathsEmptyGroupNoEscalation pins that joining a group with no
// policies (no inline, none attached) is no escalation: a user in a group
// holds the group's policies and nothing else (IAM User Guide, "IAM user
// groups"), and an empty group grants nothing. paths-emptygroup.json: user
// emptyjoin may iam:AddUserToGroup on group/empty only.
func TestPathsEmptyGroupNoEscalation(t *testing.T) {
	a := loadDump(t, "paths-emptygroup.json")
	esc, _ := escalationsFrom(t, a, "emptyjoin")
	for _, s := range esc {
		if s.Action == "iam:AddUserToGroup" && strings.HasSuffix(s.Target, "group/empty") {
			t.Errorf("joining group empty, which has no policies, is reported an escalation: %+v", s)
		}
	}
}

// TestPathsRoleTagsAreResourceTags pins that a role's tags in the dump are
// the aws:ResourceTag/KEY of a request on the role (IAM User Guide,
// "Controlling access to IAM resources": aws:ResourceTag on a role is the
// role's tag), so a step on role Blue is decided with its team tag, not
// left undecided on aws:ResourceTag/team (paths-resourcetag.json, from
// user tagger).
func TestPathsRoleTagsAreResourceTags(t *testing.T) {
	a := loadDump(t, "paths-resourcetag.json")
	esc, _ := escalationsFrom(t, a, "tagger")
	for _, s := range esc {
		for _, k := range s.Missing {
			if strings.HasPrefix(strings.ToLower(k), "aws:resourcetag/") {
				t.Errorf("%s on %s undecided on %s, a tag the dump gives", s.Action, s.Target, k)
			}
		}
	}
}
