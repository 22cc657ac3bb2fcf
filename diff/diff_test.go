package diff_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/diff"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

func principal(t *testing.T, caller string, docs ...string) *diff.Principal {
	t.Helper()
	return principalB(t, caller, docs...)
}

func principalB(t testing.TB, caller string, docs ...string) *diff.Principal {
	t.Helper()
	var set evaluator.PolicySet
	for i, d := range docs {
		p, err := policy.Parse(fmt.Sprintf("p%d.json", i), []byte(d))
		if err != nil {
			t.Fatal(err)
		}
		set.Identity = append(set.Identity, p)
	}
	e, err := evaluator.Compile(set)
	if err != nil {
		t.Fatal(err)
	}
	pr := &diff.Principal{Engine: e}
	if caller != "" {
		pr.Request = func(action, resource string) *request.Context { return request.New(caller, action, resource) }
	}
	return pr
}

const forceMFA = `{"Version":"2012-10-17","Statement":[
 {"Sid":"AllowS3","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/*"},
 {"Sid":"DenyWithoutMFA","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`

// flipsOf are the flips of one comparison, as "kind action resource
// states" lines.
func flipsOf(old, new *diff.Principal) []string {
	rep := diff.Compare([]diff.Pair{{Name: "p", Old: old, New: new}}, diff.Options{})
	var out []string
	for _, f := range rep.Flips {
		var states []string
		for _, s := range f.States {
			states = append(states, s.String())
		}
		for _, a := range f.Actions.Items {
			for _, r := range a.Resources {
				out = append(out, fmt.Sprintf("%s %s %s %v %v", f.Kind, a.Action, r, states, f.Context))
			}
		}
	}
	return out
}

// TestDiffKinds pins what each change flips, the acceptance cases of the
// diff command: decisions as AWS's evaluation logic makes them (an explicit
// Deny wins; Bool on an absent key is false, so a Deny with Bool does not
// apply to long-term keys, which carry no aws:MultiFactorAuthPresent;
// NumericGreaterThan on aws:MultiFactorAuthAge denies sessions older than
// the value).
func TestDiffKinds(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	// 1. new access: one policy without conditions, added
	old := principal(t, alice, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}}`)
	new := principal(t, alice, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*"}}`)
	got := flipsOf(old, new)
	if len(got) == 0 {
		t.Fatal("adding an Allow on s3:DeleteObject flips nothing")
	}
	for _, g := range got {
		if !strings.HasPrefix(g, "new-access s3:DeleteObject ") {
			t.Errorf("unexpected flip %s", g)
		}
	}

	// 2. BoolIfExists -> Bool: long-term keys slip past the Deny
	bool_ := principal(t, alice, `{"Version":"2012-10-17","Statement":[
 {"Sid":"AllowS3","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/*"},
 {"Sid":"DenyWithoutMFA","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`)
	got = flipsOf(principal(t, alice, forceMFA), bool_)
	want := []string{
		"mfa-weakened s3:GetObject arn:aws:s3:::reports/objectname [long-term keys] []",
		"mfa-weakened s3:PutObject arn:aws:s3:::reports/objectname [long-term keys] []",
	}
	if !slices.Equal(got, want) {
		t.Errorf("BoolIfExists -> Bool:\n got %q\nwant %q", got, want)
	}

	// 3. a longer MFA age accepted
	age := func(n string) *diff.Principal {
		return principal(t, alice, `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod/*"},
 {"Sid":"RecentMFA","Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"NumericGreaterThanIfExists":{"aws:MultiFactorAuthAge":"`+n+`"}}}]}`)
	}
	got = flipsOf(age("3600"), age("14400"))
	want = []string{"mfa-weakened s3:GetObject arn:aws:s3:::prod/objectname [MFA age 3601s MFA age 14399s MFA age 14400s] []"}
	if !slices.Equal(got, want) {
		t.Errorf("3600 -> 14400:\n got %q\nwant %q", got, want)
	}
	// and back: strengthened
	got = flipsOf(age("14400"), age("3600"))
	want = []string{"mfa-strengthened s3:GetObject arn:aws:s3:::prod/objectname [MFA age 3601s MFA age 14399s MFA age 14400s] []"}
	if !slices.Equal(got, want) {
		t.Errorf("14400 -> 3600:\n got %q\nwant %q", got, want)
	}
	// removing the Allow: lost access, every state
	got = flipsOf(principal(t, alice, forceMFA), principal(t, alice, `{"Version":"2012-10-17","Statement":[
 {"Sid":"DenyWithoutMFA","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`))
	if len(got) != 2 || !strings.HasPrefix(got[0], "lost-access") || !strings.HasPrefix(got[1], "lost-access") {
		t.Errorf("removing the Allow: %q", got)
	}
}

// TestDiffEquivalent: changes that change no decision report nothing:
// statements reordered, reformatted, Sids renamed, an Action list split in
// two statements, policies reordered.
func TestDiffEquivalent(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	reordered := `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Renamed", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
    {"Sid": "Gets", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
    {"Sid": "Puts", "Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::reports/*"]}
  ]
}`
	for _, caller := range []string{alice, ""} {
		if got := flipsOf(principal(t, caller, forceMFA), principal(t, caller, reordered)); len(got) != 0 {
			t.Errorf("caller %q: equivalent policies flip %q", caller, got)
		}
	}
	split := principal(t, alice,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]}}}}`)
	split2 := principal(t, alice,
		`{"Version":"2012-10-17","Statement":{"Sid":"x","Effect":"Allow","NotAction":["organizations:*","iam:*"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}}`)
	if got := flipsOf(split, split2); len(got) != 0 {
		t.Errorf("NotAction reordered: %d flips, first %q", len(got), got[0])
	}
}

// TestDiffContext: a condition's values are tried, and the key absent.
func TestDiffContext(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	region := func(r string) *diff.Principal {
		return principal(t, alice, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"`+r+`"}}}}`)
	}
	got := flipsOf(region("eu-west-1"), region("us-east-1"))
	var kinds []string // those on the instance type (the action has three types)
	for _, g := range got {
		if strings.Contains(g, ":instance/") {
			kinds = append(kinds, g)
		}
	}
	if len(got) != 6 {
		t.Errorf("%d flips, want 2 on each of 3 resource types: %q", len(got), got)
	}
	want := []string{
		"lost-access ec2:StartInstances arn:aws:ec2:us-east-1:111122223333:instance/instanceid [long-term keys session without MFA MFA age 0s MFA age 315360000s] [aws:RequestedRegion=eu-west-1]",
		"new-access ec2:StartInstances arn:aws:ec2:us-east-1:111122223333:instance/instanceid [long-term keys session without MFA MFA age 0s MFA age 315360000s] [aws:RequestedRegion=us-east-1]",
	}
	if !slices.Equal(kinds, want) {
		t.Errorf("region changed:\n got %q\nwant %q", kinds, want)
	}
}

// TestDiffResourcePolicyNeedsCaller: without a caller a resource policy
// allows nobody (AWS's simulator needs CallerArn with a resource policy),
// so a change to its grants is said not checked, never "no change".
func TestDiffResourcePolicyNeedsCaller(t *testing.T) {
	bucket := func(who string) *diff.Principal {
		p, err := policy.Parse("bucket.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"`+who+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`))
		if err != nil {
			t.Fatal(err)
		}
		e, err := evaluator.Compile(evaluator.PolicySet{Resource: p})
		if err != nil {
			t.Fatal(err)
		}
		return &diff.Principal{Engine: e}
	}
	rep := diff.Compare([]diff.Pair{{Name: "bucket", Old: bucket("arn:aws:iam::111122223333:root"), New: bucket("*")}}, diff.Options{})
	if len(rep.Unchecked) == 0 {
		t.Errorf("a resource policy compared without a caller is not said to be unchecked: %+v", rep)
	}
}

// TestDiffNotPolicyControlled: AWS authorizes sts:GetCallerIdentity and
// sts:GetSessionToken without consulting policies ("No permission is
// required to perform this operation", GetCallerIdentity API reference;
// SPEC 8 case 12), so a policy change never flips them.
func TestDiffNotPolicyControlled(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	old := principal(t, alice, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:*","Resource":"*"}}`)
	new := principal(t, alice, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"sts:*","Resource":"*"}}`)
	for _, f := range flipsOf(old, new) {
		if strings.Contains(f, "sts:GetCallerIdentity") || strings.Contains(f, "sts:GetSessionToken") {
			t.Errorf("a flip of an action AWS authorizes without policies: %s", f)
		}
	}
}

// TestDiffRoleSessions: a role session has no long-term keys and carries
// aws:MultiFactorAuthPresent false whatever MFA was used to assume the
// role (SPEC 6.2, observed), so BoolIfExists -> Bool on "false" changes
// nothing for it; a user's long-term keys slip past the Bool.
func TestDiffRoleSessions(t *testing.T) {
	boolIf := forceMFA
	plain := strings.Replace(forceMFA, `{"BoolIfExists"`, `{"Bool"`, 1)
	for _, caller := range []string{"arn:aws:sts::111122223333:assumed-role/app/s1", "arn:aws:iam::111122223333:role/app"} {
		if got := flipsOf(principal(t, caller, boolIf), principal(t, caller, plain)); len(got) != 0 {
			t.Errorf("%s: %q, want no flip", caller, got)
		}
	}
	if got := flipsOf(principal(t, "arn:aws:iam::111122223333:user/alice", boolIf), principal(t, "arn:aws:iam::111122223333:user/alice", plain)); len(got) == 0 {
		t.Error("a user: no flip")
	}
}

// TestDiffStringOperators: operators that match more than the values they
// name (StringLike's wildcards, the IgnoreCase operators' other cases) are
// told apart: a value with its wildcards filled and one in another case
// are tried (condition operators page: StringLike "can include a
// multi-character match wildcard (*)"; StringEqualsIgnoreCase "ignoring
// case"); and a condition value's policy variable takes the caller's value
// (policy variables page), or is said not checked without a caller.
func TestDiffStringOperators(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	cond := func(op, key, value string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"` + op + `":{"` + key + `":"` + value + `"}}}}`
	}
	for _, tc := range []struct{ name, old, new string }{
		{"StringEquals -> StringLike", cond("StringEquals", "s3:prefix", "home/*"), cond("StringLike", "s3:prefix", "home/*")},
		{"StringEquals -> StringEqualsIgnoreCase", cond("StringEquals", "aws:ResourceTag/env", "Prod"), cond("StringEqualsIgnoreCase", "aws:ResourceTag/env", "Prod")},
		{"StringNotLike -> StringNotEquals", cond("StringNotLike", "s3:prefix", "home/*"), cond("StringNotEquals", "s3:prefix", "home/*")},
		{"a variable in a value, with a caller", cond("StringEquals", "s3:prefix", "x/${aws:username}"), cond("StringEquals", "s3:prefix", "y/${aws:username}")},
	} {
		if got := flipsOf(principal(t, alice, tc.old), principal(t, alice, tc.new)); len(got) == 0 {
			t.Errorf("%s: no flip", tc.name)
		}
	}
	rep := diff.Compare([]diff.Pair{{Name: "p", Old: principal(t, "", cond("StringEquals", "s3:prefix", "x/${aws:username}")),
		New: principal(t, "", cond("StringEquals", "s3:prefix", "y/${aws:username}"))}}, diff.Options{})
	if len(rep.Unchecked) == 0 {
		t.Error("a condition value's variable without a caller is not said unchecked")
	}
}

// TestDiffFlipsMerged pins what a Flip is: the requests of one principal
// decided otherwise alike (the same context, credential states, verdicts
// and statements), whatever their actions and resources. Every flipped
// request of a pair was kept as a flip of its own, with its own lists of
// statements, so that a change granting "*" to 60 users made 485,273 flips
// and 3.5 GB; the flips alike are one, and the requests counted are the
// same.
func TestDiffFlipsMerged(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	old := principal(t, alice, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}}`)
	new := principal(t, alice, `{"Version":"2012-10-17","Statement":{"Sid":"S1","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]}}`)
	rep := diff.Compare([]diff.Pair{{Name: "p", Old: old, New: new}}, diff.Options{})
	if len(rep.Flips) != 1 {
		for _, f := range rep.Flips {
			t.Logf("%s %s on %s (%d requests)", f.Kind, f.Action(), f.Resource(), f.Actions.Requests())
		}
		t.Fatalf("%d flips, want 1: every flipped request is new access, by S1, under the same states", len(rep.Flips))
	}
	got := flipsOf(old, new)
	slices.Sort(got)
	want := []string{
		"new-access s3:DeleteObject arn:aws:s3:::a/objectname [long-term keys session without MFA MFA age 0s MFA age 315360000s] []",
		"new-access s3:DeleteObject arn:aws:s3:::b/objectname [long-term keys session without MFA MFA age 0s MFA age 315360000s] []",
		"new-access s3:GetObject arn:aws:s3:::b/objectname [long-term keys session without MFA MFA age 0s MFA age 315360000s] []",
		"new-access s3:PutObject arn:aws:s3:::a/objectname [long-term keys session without MFA MFA age 0s MFA age 315360000s] []",
		"new-access s3:PutObject arn:aws:s3:::b/objectname [long-term keys session without MFA MFA age 0s MFA age 315360000s] []",
	}
	if !slices.Equal(got, want) {
		t.Errorf("requests:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// flips that differ in their statements stay apart
	new2 := principal(t, alice, `{"Version":"2012-10-17","Statement":[{"Sid":"S1","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::a/*"},
		{"Sid":"S2","Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::a/*"}]}`)
	rep = diff.Compare([]diff.Pair{{Name: "p", Old: old, New: new2}}, diff.Options{})
	var by []string
	for _, f := range rep.Flips {
		by = append(by, fmt.Sprintf("%s %s %d", f.Action(), f.NewBy[0].Sid, f.Actions.Requests()))
	}
	if want := []string{"s3:DeleteObject S2 1", "s3:PutObject S1 1"}; !slices.Equal(by, want) {
		t.Errorf("flips %q, want %q", by, want)
	}
}

// TestDiffFederatedAssumeNotTheCallers: sts:AssumeRoleWithSAML and
// sts:AssumeRoleWithWebIdentity are not requests a caller signs ("Calling
// AssumeRoleWithSAML does not require the use of AWS security credentials",
// and the same of AssumeRoleWithWebIdentity, STS API reference): an
// identity provider's assertion or token makes them, and the role's trust
// policy alone decides them. A change to a user's own policies that allows
// them flips nothing (a helper found it reported as new access "with
// long-term keys"); sts:AssumeRole, which the caller signs, does flip.
func TestDiffFederatedAssumeNotTheCallers(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	old := principal(t, alice, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}}`)
	new := principal(t, alice, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"},
		{"Effect":"Allow","Action":["sts:AssumeRoleWithSAML","sts:AssumeRoleWithWebIdentity","sts:AssumeRole"],"Resource":"arn:aws:iam::111122223333:role/*"}]}`)
	var actions []string
	for _, f := range flipsOf(old, new) {
		actions = append(actions, strings.Fields(f)[1])
	}
	slices.Sort(actions)
	if actions = slices.Compact(actions); !slices.Equal(actions, []string{"sts:AssumeRole"}) {
		t.Errorf("flips of %q, want sts:AssumeRole's alone", actions)
	}
}

// TestDiffStatesApartByDecision: the credential states of one flip are
// those its requests flipped under alike. A helper's find: long-term keys
// (an explicit Deny, whose Null on aws:MultiFactorAuthPresent is true when
// the key is absent) and a session without MFA (an implicit deny: the key
// is present, false) both flipped to allowed, and were one flip that said
// "old explicitDeny by DenyLongTermKeys" of both.
func TestDiffStatesApartByDecision(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	old := principal(t, alice, `{"Version":"2012-10-17","Statement":[
		{"Sid":"WithMFA","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
		{"Sid":"DenyLongTermKeys","Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
	new := principal(t, alice, `{"Version":"2012-10-17","Statement":[
		{"Sid":"Open","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`)
	rep := diff.Compare([]diff.Pair{{Name: "p", Old: old, New: new}}, diff.Options{})
	var got []string
	for _, f := range rep.Flips {
		var states []string
		for _, s := range f.States {
			states = append(states, s.String())
		}
		by := ""
		for _, m := range f.OldBy {
			by += " " + m.Sid
		}
		got = append(got, fmt.Sprintf("%s %s [%s] old %s%s", f.Kind, f.Action(), strings.Join(states, ", "), f.Old, by))
	}
	want := []string{
		"mfa-weakened s3:GetObject [long-term keys] old explicitDeny DenyLongTermKeys",
		"mfa-weakened s3:GetObject [session without MFA] old implicitDeny",
	}
	if !slices.Equal(got, want) {
		t.Errorf("flips:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDiffFlipsAlikeAreOne: no two flips of a principal are alike (Flip):
// the requests of actions compared together (their statements all name
// "*") and those compared one by one were two flips with the same states,
// decisions and statements (a helper's find, on a ReadOnly-like policy
// made PowerUser-like). Every request flipped is in one flip.
func TestDiffFlipsAlikeAreOne(t *testing.T) {
	old := principal(t, "", `{"Version":"2012-10-17","Statement":[{"Sid":"ReadOnly","Effect":"Allow","Action":["s3:Get*","s3:List*","ec2:Describe*","iam:Get*","iam:List*"],"Resource":"*"}]}`)
	new := principal(t, "", `{"Version":"2012-10-17","Statement":[
		{"Sid":"ReadOnly","Effect":"Allow","Action":["s3:Get*","s3:List*","ec2:Describe*","iam:Get*","iam:List*"],"Resource":"*"},
		{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},
		{"Effect":"Allow","Action":["account:GetAccountInformation","iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization"],"Resource":"*"}]}`)
	rep := diff.Compare([]diff.Pair{{Name: "p", Old: old, New: new}}, diff.Options{})
	seen := map[string]bool{}
	requests := 0
	for _, f := range rep.Flips {
		key := fmt.Sprintf("%s %q %v %s %s %v %v %s %s", f.Principal, f.Context, f.States, f.Old, f.New, f.OldBy, f.NewBy, f.OldRule, f.NewRule)
		if seen[key] {
			t.Errorf("two flips alike: %s (%s)", key, f.Kind)
		}
		seen[key] = true
		requests += f.Actions.Requests()
	}
	if len(rep.Flips) == 0 || requests < 1000 {
		t.Fatalf("%d flips, %d requests: the test needs the many new actions", len(rep.Flips), requests)
	}
}

// TestDiffUnnamedValueOfAKeyThatMayBeAbsent: a request may carry a value no
// statement names of a key that may also be absent, and the two differ: a
// Deny with StringNotEquals aws:SourceVpce vpce-1a2b3c4d applies to a
// request through any other endpoint, one with Null aws:SourceVpce true
// does not (the key is present). A helper's find: the change was "No
// change in access", since the matrix tried the value named and the key
// absent, and another value only of the keys every request carries.
func TestDiffUnnamedValueOfAKeyThatMayBeAbsent(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	const allow = `{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/*"}`
	old := principal(t, alice, `{"Version":"2012-10-17","Statement":[`+allow+`,
		{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`)
	new := principal(t, alice, `{"Version":"2012-10-17","Statement":[`+allow+`,
		{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Null":{"aws:SourceVpce":"true"}}}]}`)
	var got []string
	for _, f := range flipsOf(old, new) {
		if strings.Contains(f, "s3:GetObject") {
			got = append(got, f)
		}
	}
	if len(got) == 0 || !strings.HasPrefix(got[0], "new-access") || !strings.Contains(got[0], "aws:SourceVpce=") || strings.Contains(got[0], "vpce-1a2b3c4d") {
		t.Errorf("s3:GetObject flips %q; want new access with aws:SourceVpce at a value no statement names", got)
	}
}

// TestDiffOtherAccountsResource: a request on a resource another account
// owns is allowed when the caller's own policies allow it and the
// resource's policy does too ("cross-account access", policy evaluation
// logic); the resource's policy is not in the change. A change to the
// caller's own side is a change of what it can do there: it was "No change
// in access" (a second helper's find: alice's new Allow of sts:AssumeRole
// on arn:aws:iam::999999999999:role/X), since both sides were decided
// without the other account's policy, which denies.
func TestDiffOtherAccountsResource(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	const reads = `{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}`
	old := principal(t, alice, `{"Version":"2012-10-17","Statement":[`+reads+`]}`)
	new := principal(t, alice, `{"Version":"2012-10-17","Statement":[`+reads+`,{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::999999999999:role/X"}]}`)
	got := flipsOf(old, new)
	if len(got) == 0 || !strings.HasPrefix(got[0], "new-access sts:AssumeRole arn:aws:iam::999999999999:role/X") {
		t.Errorf("flips %q; want new access to sts:AssumeRole on the other account's role", got)
	}
}

// TestDiffUnnamedValueMatchesNoPattern: the value no statement names
// matches none of the clauses' patterns, is an ARN where they compare ARNs,
// and an IP key is tried over IPv6 too. A second helper's finds, each "No
// change in access": a Deny moved from StringNotLike aws:PrincipalTag/team
// o* to Null ("other" matched o*); from ArnNotLike
// arn:aws:sns:*:123456789012:* to Null plus an ArnLike on another account
// ("other" is no ARN); from NotIpAddress 10.0.0.0/8 to IpAddress 0.0.0.0/0
// with NotIpAddress 10.0.0.0/8, plus Null (an IPv6 caller passes the new
// one, AWS's documented pitfall).
func TestDiffUnnamedValueMatchesNoPattern(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	const allow = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	deny := func(cond string) string {
		return `{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":` + cond + `}`
	}
	for _, tc := range []struct{ name, old, new, key string }{
		{"a pattern", deny(`{"StringNotLike":{"aws:PrincipalTag/team":"o*"}}`), deny(`{"Null":{"aws:PrincipalTag/team":"true"}}`), "aws:PrincipalTag/team="},
		{"an ARN", deny(`{"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`),
			deny(`{"Null":{"aws:SourceArn":"true"}}`) + `,` + deny(`{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:999999999999:*"}}`), "aws:SourceArn=arn:"},
		{"IPv6", deny(`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`),
			deny(`{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"},"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`) + `,` + deny(`{"Null":{"aws:SourceIp":"true"}}`), "aws:SourceIp=2001:db8::"},
	} {
		old := principal(t, alice, `{"Version":"2012-10-17","Statement":[`+allow+`,`+tc.old+`]}`)
		new := principal(t, alice, `{"Version":"2012-10-17","Statement":[`+allow+`,`+tc.new+`]}`)
		found := false
		for _, f := range flipsOf(old, new) {
			found = found || strings.HasPrefix(f, "new-access s3:GetObject") && strings.Contains(f, tc.key)
		}
		if !found {
			t.Errorf("%s: flips %q; want new access with %s...", tc.name, flipsOf(old, new), tc.key)
		}
	}
}

// TestDiffRoleSessionUserID: a role session's aws:userid is
// ROLEID:SESSIONNAME ("aws:userid" in the global condition keys), and the
// session name is its assumer's to choose: a known caller's keys are not
// varied, but this one is, for a role session (a second helper's find: a
// trust condition on aws:userid was never met, and a role's new Allow of
// sts:AssumeRole was "No change in access").
func TestDiffRoleSessionUserID(t *testing.T) {
	session := "arn:aws:sts::111122223333:assumed-role/A/iameval"
	mk := func(docs ...string) *diff.Principal {
		p := principalB(t, session, docs...)
		p.Known = true
		return p
	}
	old := mk(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`)
	new := mk(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"},
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:userid":"AROA*:ci-*"}}}]}`)
	found := false
	for _, f := range flipsOf(old, new) {
		found = found || strings.HasPrefix(f, "new-access s3:GetObject") && strings.Contains(f, "aws:userid=")
	}
	if !found {
		t.Errorf("flips %q; want new access for a session whose aws:userid matches", flipsOf(old, new))
	}
}

// TestDiffTimeKeysTogether: aws:CurrentTime and aws:EpochTime are the same
// instant in every request ("aws:EpochTime ... the date and time of the
// request in epoch or Unix time", global condition keys): a Deny moved
// from DateGreaterThan aws:EpochTime 1700000000 to DateGreaterThan
// aws:CurrentTime 2023-11-14T22:13:20Z, the same instant, flips nothing (a
// second helper's find: new and lost access, from requests whose two keys
// disagreed).
func TestDiffTimeKeysTogether(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	const allow = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`
	old := principal(t, alice, `{"Version":"2012-10-17","Statement":[`+allow+`,{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:EpochTime":"1700000000"}}}]}`)
	new := principal(t, alice, `{"Version":"2012-10-17","Statement":[`+allow+`,{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2023-11-14T22:13:20Z"}}}]}`)
	if got := flipsOf(old, new); len(got) != 0 {
		t.Errorf("flips %q; want none (the two Denys deny the same requests)", got)
	}
}

// TestDiffRequestIn: a principal whose requests are made in a request
// given back (Principal.RequestIn, as an account dump's are) is compared
// exactly as one whose requests are each new: the keys a combination or a
// credential state set on one request do not reach the next. The pair
// reuses its requests rather than making two for each decision.
func TestDiffRequestIn(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	reused := func(p *diff.Principal, seen map[*request.Context]int) *diff.Principal {
		q := *p
		q.RequestIn = func(req *request.Context, action, resource string) *request.Context {
			if req == nil {
				req = &request.Context{}
			}
			req.Reset(alice, action, resource)
			req.DerivePrincipalKeys()
			_ = req.Set("aws:PrincipalTag/team", request.TypeString, "blue")
			seen[req]++
			return req
		}
		inner := q.Request
		q.Request = func(action, resource string) *request.Context {
			r := inner(action, resource)
			_ = r.Set("aws:PrincipalTag/team", request.TypeString, "blue")
			return r
		}
		return &q
	}
	fresh := func(p *diff.Principal) *diff.Principal {
		q := *p
		inner := q.Request
		q.Request = func(action, resource string) *request.Context {
			r := inner(action, resource)
			r.DerivePrincipalKeys()
			_ = r.Set("aws:PrincipalTag/team", request.TypeString, "blue")
			return r
		}
		return &q
	}
	for _, c := range []struct{ old, new string }{
		{forceMFA, strings.Replace(forceMFA, "BoolIfExists", "Bool", 1)},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}}`,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}`},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}}`,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}}`},
	} {
		want := flipsOf(fresh(principal(t, alice, c.old)), fresh(principal(t, alice, c.new)))
		seen := map[*request.Context]int{}
		got := flipsOf(reused(principal(t, alice, c.old), seen), reused(principal(t, alice, c.new), seen))
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s -> %s: requests made in one:\n%q\neach new:\n%q", c.old, c.new, got, want)
		}
		many := 0
		for _, n := range seen {
			many = max(many, n)
		}
		if len(seen) == 0 || many < 2 {
			t.Errorf("%s: RequestIn gave %d requests, the most reused %d times", c.old, len(seen), many)
		}
	}
}
