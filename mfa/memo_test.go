package mfa_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/request"
)

// TestInstanceMemoInstancesAlike checks that Instances with a memo, shared
// by thousands of requests of random policies as an account's analysis
// shares it, gives what Instances without one gives: the same resources in
// the same order, from the same entries. The entries and statements are
// drawn from a few shapes that overlap (home prefixes of several users,
// team buckets, prefixes that tell objects apart, regions, accounts,
// variables), so that the memo is both hit and missed, and entries that
// cannot match each other's instances are left out of its keys; and so
// that an entry's list is found again where the other entries differ only
// in ones that match none of the resources tried (sparseInstances): home
// prefixes, for "*", beside others that the resources tried do match.
func TestInstanceMemoInstancesAlike(t *testing.T) {
	for _, tc := range []struct {
		name string
		memo *mfa.InstanceMemo
	}{
		{"memo", mfa.NewInstanceMemo()},
		// generations of a few entries: entries are dropped, and found
		// in the old generation
		{"small generations", mfa.NewInstanceMemoSized(3)},
	} {
		t.Run(tc.name, func(t *testing.T) { instancesAlike(t, tc.memo) })
	}
}

func instancesAlike(t *testing.T, memo *mfa.InstanceMemo) {
	c := catalog.Default()
	r := rand.New(rand.NewPCG(7, 8))
	s3Entries := []string{
		"arn:aws:s3:::home/alice/*", "arn:aws:s3:::home/bob/*", "arn:aws:s3:::home/${aws:username}/*",
		"arn:aws:s3:::team-1/*", "arn:aws:s3:::team-2/*", "arn:aws:s3:::team-1", "arn:aws:s3:::*/o*",
		"arn:aws:s3:::team-1/x*", "arn:aws:s3:::*", "arn:aws:s3:::home/*", "arn:aws:s3:::team-?/*", "*",
		"arn:aws:s3:::report?/*", "arn:aws:s3:::home/alice/objectname",
		"arn:aws:s3:::home/carol/*", "arn:aws:s3:::home/dave/*", "arn:aws:s3:::home/erin/*", "arn:aws:s3:::b*",
		"arn:aws:s3:::*name/*", "arn:aws:s3:::*/objectname", "arn:aws:s3:::*/other-*",
	}
	ec2Entries := []string{
		"arn:aws:ec2:us-east-1:*:instance/*", "arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:eu-*:*:instance/i-1*",
		"arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:*:210987654321:*", "*", "arn:aws:ec2:us-*:*:volume/*",
	}
	iamEntries := []string{"arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:user/alice", "arn:aws:iam::*:user/*", "*", "arn:aws:iam::*:user/a*",
		"arn:aws:iam::*:user/carol", "arn:aws:iam::*:user/dave", "arn:aws:iam::*:user/u*"}
	callers := []string{
		"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/bob",
		"arn:aws:iam::210987654321:user/carol", "arn:aws:sts::123456789012:assumed-role/R/s", "",
	}
	pick := func(from []string) string { return from[r.IntN(len(from))] }
	hits, runs := 0, 0
	for n := 0; n < 1500; n++ {
		var action string
		var entries []string
		switch r.IntN(3) {
		case 0:
			action, entries = pick([]string{"s3:GetObject", "s3:DeleteObject", "s3:DeleteBucket", "s3:ListBucket"}), s3Entries
		case 1:
			action, entries = pick([]string{"ec2:TerminateInstances", "ec2:RunInstances"}), ec2Entries
		default:
			action, entries = "iam:CreateAccessKey", iamEntries
		}
		var stmts []string
		for k := 1 + r.IntN(4); k > 0; k-- {
			effect := pick([]string{"Allow", "Allow", "Deny"})
			res := make([]string, 1+r.IntN(3))
			for i := range res {
				res[i] = fmt.Sprintf("%q", pick(entries))
			}
			stmts = append(stmts, fmt.Sprintf(`{"Effect":%q,"Action":%q,"Resource":[%s]}`, effect, action, strings.Join(res, ",")))
		}
		doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
		e := engineOf(t, identity, doc)
		caller := pick(callers)
		base := request.New(caller, action, "*")
		resources, _ := mfa.Resources(e, action, base)
		if strings.HasPrefix(action, "s3:") && r.IntN(3) == 0 {
			// a resource given, as --resource gives it: an entry no
			// statement names, so none may be relevant to it
			resources = append(resources, pick([]string{"arn:aws:s3:::data/*", "arn:aws:s3:::team-1/*", "arn:aws:s3:::data/x*"}))
		}
		want, wantFrom := mfa.Instances(e, c.Action(action), resources, base)
		got, gotFrom := memo.Instances(e, c.Action(action), resources, base)
		again, _ := memo.Instances(e, c.Action(action), resources, base)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%s by %q under %s: with the memo (-without +with):\n%s", action, caller, doc, diff)
		}
		if diff := cmp.Diff(wantFrom, gotFrom); diff != "" {
			t.Fatalf("%s by %q under %s: entries with the memo (-without +with):\n%s", action, caller, doc, diff)
		}
		if diff := cmp.Diff(want, again); diff != "" {
			t.Fatalf("%s by %q under %s: from the memo (-without +memo):\n%s", action, caller, doc, diff)
		}
		runs++
		if len(want) > 1 {
			hits++
		}
	}
	if hits < runs/4 {
		t.Fatalf("only %d of %d requests have more than one instance: the cases do not tell", hits, runs)
	}
	if memo.SparseHits() < 50 {
		t.Fatalf("only %d lists found by their key but for the entries that match nothing tried: the cases do not tell", memo.SparseHits())
	}
}

// TestInstanceMemoKeysTellEntriesApart: the instances kept for the entries
// of one request are never another's, whatever bytes the entries hold: a
// Deny on two entries is not a Deny on one entry holding both, joined by
// a NUL (JSON's \u0000).
func TestInstanceMemoKeysTellEntriesApart(t *testing.T) {
	c := catalog.Default()
	memo := mfa.NewInstanceMemo()
	for _, doc := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},` +
			`{"Effect":"Deny","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/o*","arn:aws:s3:::b/x*"]}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},` +
			`{"Effect":"Deny","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/o*\u0000arn:aws:s3:::b/x*"]}]}`,
	} {
		e := engineOf(t, identity, doc)
		base := request.New("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "*")
		resources, _ := mfa.Resources(e, "s3:GetObject", base)
		want, _ := mfa.Instances(e, c.Action("s3:GetObject"), resources, base)
		got, _ := memo.Instances(e, c.Action("s3:GetObject"), resources, base)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("under %s: with the memo (-without +with):\n%s", doc, diff)
		}
	}
}

// TestReachKeysTellListsApart: what Reach keeps for one Action list is
// never another's, whatever bytes its entries hold: ["s3:GetObject", "*"]
// is not ["s3:GetObject\u0000*"].
func TestReachKeysTellListsApart(t *testing.T) {
	r := mfa.NewReach(catalog.Default(), catalog.Write|catalog.Read)
	c := catalog.Default()
	x, ok := r.Index(c.Action("s3:PutObject"))
	if !ok {
		t.Fatal("s3:PutObject is not in the reach")
	}
	for _, doc := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","*"],"Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject\u0000*"],"Resource":"*"}]}`,
	} {
		e := engineOf(t, identity, doc)
		want := !strings.Contains(doc, `\u0000`)
		bits := r.Covering(e.Policy(0).Policy.Statements[0].Action)
		if got := bits[x/64]&(1<<(x%64)) != 0; got != want {
			t.Errorf("under %s: Covering says s3:PutObject %v, want %v", doc, got, want)
		}
	}
}

// TestInstanceMemoEmptyRelevantKeptApart: an entry expanded with no other
// entry to tell its resources apart stops at its first instance; its list
// is not the list of the same entry beside others that its other variants
// match (a breaker's case: s3:GetObject on arn:aws:s3:::data/* under a
// policy whose only other entry, arn:aws:s3:::*/other-*, is on
// s3:PutObject, asked for first, made s3:PutObject lose the resource
// data/other-objectname, which that statement allows without MFA).
func TestInstanceMemoEmptyRelevantKeptApart(t *testing.T) {
	c := catalog.Default()
	e := engineOf(t, identity, `{"Version":"2012-10-17","Statement":[
		{"Sid":"All","Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
		{"Sid":"Other","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::*/other-*"}]}`)
	memo := mfa.NewInstanceMemo()
	for _, action := range []string{"s3:GetObject", "s3:PutObject", "s3:GetObject"} {
		base := request.New("arn:aws:iam::123456789012:user/b", action, "*")
		resources := []string{"arn:aws:s3:::data/*"}
		want, _ := mfa.Instances(e, c.Action(action), resources, base)
		got, _ := memo.Instances(e, c.Action(action), resources, base)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s on arn:aws:s3:::data/*: with the memo (-without +with):\n%s", action, diff)
		}
	}
}
