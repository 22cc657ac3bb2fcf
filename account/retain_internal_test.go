package account

import (
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"weak"

	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/policy"
)

// ownPoliciesAlive loads data, makes an analyzer and has work use it (what
// work returns is kept alive with the analyzer, as its caller keeps it), then
// lets go of the account's references to the users' inline policies and
// returns how many of them (and of their statements no other document
// shares) are still reachable, and how many there were.
// The users' own policies are most of a large account's model (about a
// third of mfa --account's memory at 20,000 users, BENCHMARKS.md): what the
// analyzer keeps of a principal must not keep them alive, so that they can
// go once the principal is analysed.
func ownPoliciesAlive(t *testing.T, data []byte, work func(an *Analyzer) any) (alive, total int) {
	t.Helper()
	acct, err := LoadWith("dump.json", data, LoadOptions{ShareStatements: true})
	if err != nil {
		t.Fatal(err)
	}
	an := acct.NewAnalyzer(Options{ShareCallers: true})
	kept := work(an)
	// each policy, and each of its statements no other document shares
	// (LoadOptions.ShareStatements): a shared statement is the table's
	held := map[*policy.Statement]int{}
	for _, u := range acct.Users {
		for _, d := range u.Inline {
			for _, st := range d.Statements {
				held[st]++
			}
		}
	}
	var policies []weak.Pointer[policy.Policy]
	var statements []weak.Pointer[policy.Statement]
	for _, u := range acct.Users {
		for _, d := range u.Inline {
			policies = append(policies, weak.Make(d))
			for _, st := range d.Statements {
				if held[st] == 1 {
					statements = append(statements, weak.Make(st))
				}
			}
		}
		u.Inline = nil
	}
	clear(held)
	runtime.GC()
	runtime.GC()
	for _, w := range policies {
		if w.Value() != nil {
			alive++
		}
	}
	for _, w := range statements {
		if w.Value() != nil {
			alive++
		}
	}
	runtime.KeepAlive(an)
	runtime.KeepAlive(kept)
	return alive, len(policies) + len(statements)
}

// TestAnalyzerKeepsNoOwnPolicies pins that what the analyzer keeps of
// each principal does not hold its own policies: the counts of who holds
// each policy, the compiler's choice of the policies to keep, the
// numbering of statements by content.
func TestAnalyzerKeepsNoOwnPolicies(t *testing.T) {
	data := accounttest.CLIDump(200)
	for _, tc := range []struct {
		name string
		work func(an *Analyzer) any
	}{
		{"NewAnalyzer", func(an *Analyzer) any { return nil }},
		{"statement holders", func(an *Analyzer) any {
			an.statementHolders()
			an.rowHolders()
			return nil
		}},
		{"who can reach each role", func(an *Analyzer) any {
			rr, err := an.Reachability()
			if err != nil {
				t.Fatal(err)
			}
			return rr
		}},
		{"principal templates", func(an *Analyzer) any {
			actions := []string{"s3:GetObject", "s3:PutObject", "iam:CreateAccessKey", "sts:AssumeRole"}
			pt := an.PrincipalTemplates(actions, make([][2][]string, len(actions)))
			var room *Classifier
			for _, p := range an.dumpPrincipals() {
				if p.Kind == KindUser {
					room, _, _, _, _ = pt.Key(room, p)
				}
			}
			return pt
		}},
		{"engines", func(an *Analyzer) any {
			for _, p := range an.dumpPrincipals() {
				if _, err := an.Engine(p, nil); err != nil {
					t.Fatal(err)
				}
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			alive, total := ownPoliciesAlive(t, data, tc.work)
			if total < 400 {
				t.Fatalf("only %d inline policies and statements of users", total)
			}
			if alive != 0 {
				t.Errorf("%d of the users' %d inline policies and own statements are still reachable", alive, total)
			}
		})
	}
}

// TestActionKey pins that actionKey tells apart every two Action elements
// List.Covers may read differently: coversOf keeps its answers by it.
func TestActionKey(t *testing.T) {
	list := func(not bool, vs ...string) *policy.List {
		l := &policy.List{Not: not}
		for _, v := range vs {
			l.Values = append(l.Values, policy.Value{Text: v})
		}
		return l
	}
	lists := []*policy.List{nil, list(false), list(true), list(false, ""), list(false, "", ""),
		list(false, "a\x00b"), list(false, "a", "b"), list(false, "ab"), list(true, "ab"), list(false, "b", "a"),
		list(false, "\x01a"), list(false, "", "a")}
	seen := map[string]int{}
	for i, l := range lists {
		k := string(actionKey(nil, l))
		if j, ok := seen[k]; ok {
			t.Errorf("lists %d and %d have the same key %q", j, i, k)
		}
		seen[k] = i
	}
	if k1, k2 := actionKey(nil, list(false, "s3:Get*")), actionKey([]byte("x"), list(false, "s3:Get*")); string(k1) != string(k2[1:]) {
		t.Errorf("actionKey does not append: %q, %q", k1, k2)
	}
}

// TestHeldByMany pins how the analyzer tells a policy one principal holds
// from others without keeping it (holdersOf): by name, braces and file, by
// identity when two of them share a name (a user's two inline policies of
// one PolicyName, given as objects or URL-encoded; alice's "P inline Q"
// and the user "alice inline P"'s "Q", a breaker's find), and a policy of
// no principal's set with the name of one is not taken for it; and that
// policyID numbers each apart.
func TestHeldByMany(t *testing.T) {
	doc := func(sid string) string {
		return `{"Version":"2012-10-17","Statement":[{"Sid":"` + sid + `","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	}
	enc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	// a trust policy as long as doc's
	trust := func(sid string) string {
		return `{"Version":"2012-10-17","Statement":[{"Sid":"` + sid + `","Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`
	}
	dump := `{"UserDetailList":[
 {"UserName":"alice","Arn":"arn:aws:iam::111122223333:user/alice","UserPolicyList":[
  {"PolicyName":"P","PolicyDocument":` + doc("A") + `},
  {"PolicyName":"P","PolicyDocument":"` + enc(doc("B")) + `"},
  {"PolicyName":"P","PolicyDocument":"` + enc(doc("LongerSid")) + `"},
  {"PolicyName":"Q","PolicyDocument":` + doc("Q") + `},
  {"PolicyName":"P inline Q","PolicyDocument":"` + enc(doc("C")) + `"}],
  "GroupList":["solo"],
  "AttachedManagedPolicies":[{"PolicyName":"M","PolicyArn":"arn:aws:iam::111122223333:policy/M"}]},
 {"UserName":"alice inline P","Arn":"arn:aws:iam::111122223333:user/alice inline P","UserPolicyList":[
  {"PolicyName":"Q","PolicyDocument":"` + enc(doc("D")) + `"}],"GroupList":[],"AttachedManagedPolicies":[]},
 {"UserName":"bob","Arn":"arn:aws:iam::111122223333:user/bob","UserPolicyList":[
  {"PolicyName":"P","PolicyDocument":` + doc("A") + `}],
  "GroupList":[],
  "AttachedManagedPolicies":[{"PolicyName":"M","PolicyArn":"arn:aws:iam::111122223333:policy/M"}]}],
 "GroupDetailList":[{"GroupName":"solo","Arn":"arn:aws:iam::111122223333:group/solo","GroupPolicyList":[{"PolicyName":"G","PolicyDocument":` + doc("G") + `}],"AttachedManagedPolicies":[]}],
 "RoleDetailList":[
  {"RoleName":"A","Arn":"arn:aws:iam::111122223333:role/A","AssumeRolePolicyDocument":"` + enc(trust("X")) + `",
   "RolePolicyList":[{"PolicyName":"B trust policy","PolicyDocument":"` + enc(doc("TTTTTTTTTTTT")) + `"}],"AttachedManagedPolicies":[]},
  {"RoleName":"A inline B","Arn":"arn:aws:iam::111122223333:role/A inline B","AssumeRolePolicyDocument":"` + enc(trust("Y")) + `",
   "RolePolicyList":[],"AttachedManagedPolicies":[]}],
 "Policies":[{"PolicyName":"M","Arn":"arn:aws:iam::111122223333:policy/M","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":true,"Document":` + doc("M") + `}]}]}`
	acct, err := LoadWith("dump.json", []byte(dump), LoadOptions{ShareStatements: true})
	if err != nil {
		t.Fatal(err)
	}
	an := acct.NewAnalyzer(Options{})
	alice, aliceP, bob := acct.Users[0], acct.Users[1], acct.Users[2]
	if len(alice.Inline) != 5 || len(aliceP.Inline) != 1 || len(bob.Inline) != 1 {
		t.Fatalf("alice has %d inline policies, alice inline P %d, bob %d", len(alice.Inline), len(aliceP.Inline), len(bob.Inline))
	}
	// alice's "P inline Q" and the user "alice inline P"'s "Q" have one
	// name, braces and file: told apart by identity
	if a, b := alice.Inline[4], aliceP.Inline[0]; a.Name != b.Name || a.Start() != b.Start() || a.End() != b.End() {
		t.Fatalf("the two policies of one name differ in place: %s %v %v, %s %v %v", a.Name, a.Start(), a.End(), b.Name, b.Start(), b.End())
	}
	own := append(slices.Clone(alice.Inline), aliceP.Inline[0], bob.Inline[0], acct.Groups[0].Inline[0])
	ids := map[uint32]string{}
	for i, d := range own {
		if an.HeldByMany(d) {
			t.Errorf("policy %d (%s, braces at %d and %d) is taken for one several principals hold", i, d.Name, d.Start().Offset, d.End().Offset)
		}
		id := an.policyID(d)
		if other, ok := ids[id]; ok {
			t.Errorf("policy %d (%s) has the number of %s", i, d.Name, other)
		}
		ids[id] = d.Name
		if again := an.policyID(d); again != id {
			t.Errorf("policy %d (%s) is numbered %d, then %d", i, d.Name, id, again)
		}
	}
	// role A's policy "B trust policy" and the role "A inline B"'s trust
	// policy have one name
	roleA, roleAB := acct.Roles[0], acct.Roles[1]
	if a, b := roleA.Inline[0], roleAB.Trust; a.Name != b.Name || a.Start() != b.Start() || a.End() != b.End() {
		t.Fatalf("the role policy %s %v %v and the trust policy %s %v %v differ in place", a.Name, a.Start(), a.End(), b.Name, b.Start(), b.End())
	}
	if an.HeldByMany(roleA.Inline[0]) {
		t.Errorf("role A's own policy is taken for one several principals hold")
	}
	if !an.HeldByMany(roleAB.Trust) || an.holdersOf(roleAB.Trust) != 0 {
		t.Errorf("the trust policy %q is taken for a principal's own", roleAB.Trust.Name)
	}
	if an.policyID(roleA.Inline[0]) == an.policyID(roleAB.Trust) {
		t.Errorf("role A's policy and the role \"A inline B\"'s trust policy have one number")
	}
	m := acct.Policies["arn:aws:iam::111122223333:policy/M"]
	if m == nil || !an.HeldByMany(m.Document) {
		t.Errorf("the managed policy attached to both users is taken for one principal's own")
	}
	// the same name and text, parsed from another file: held by none
	other, err := policy.Parse("other.json", []byte(doc("A")))
	if err != nil {
		t.Fatal(err)
	}
	other.Name = alice.Inline[0].Name
	if !an.HeldByMany(other) {
		t.Errorf("a policy of no principal's set named %q is taken for a principal's own", other.Name)
	}
	if !an.HeldByMany(nil) {
		t.Error("no policy is taken for a principal's own")
	}
}

// TestPolicyAt pins that policyAt and placeIn read each place of a
// principal's set as PolicySet makes it, the boundary after the identity
// policies.
func TestPolicyAt(t *testing.T) {
	for _, data := range [][]byte{accounttest.CLIDump(120), accounttest.CLIDumpWith(60, accounttest.Options{Copies: true, Admins: true})} {
		acct, err := LoadWith("dump.json", data, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		boundaries := 0
		for _, p := range acct.Principals() {
			set := acct.PolicySet(p)
			for j, d := range set.Identity {
				if got := acct.policyAt(p, j); got != d {
					t.Fatalf("%s: place %d is %v, the set's %s", p, j, got, d.Name)
				}
				if at := acct.placeIn(p, d, false); at != slices.Index(set.Identity, d) {
					t.Errorf("%s: %s is at %d, found at %d", p, d.Name, slices.Index(set.Identity, d), at)
				}
			}
			if got := acct.policyAt(p, len(set.Identity)); got != set.Boundary {
				t.Errorf("%s: after its identity policies %v, its boundary %v", p, got, set.Boundary)
			}
			if set.Boundary != nil {
				if at := acct.placeIn(p, set.Boundary, true); at != len(set.Identity) {
					t.Errorf("%s: its boundary is found at %d, not after its %d identity policies", p, at, len(set.Identity))
				}
			}
			if set.Boundary != nil {
				boundaries++
			}
			if acct.policyAt(p, len(set.Identity)+1) != nil || acct.policyAt(p, -1) != nil {
				t.Errorf("%s: a place outside its set holds a policy", p)
			}
		}
		if boundaries == 0 {
			t.Error("no principal has a boundary: the test does not reach it")
		}
	}
}

// TestSetKeysOnlyOfSetsOthersMayHold: the analyzer keeps the key of a
// principal's set only where others may hold the same set; a set holding a
// policy of the principal's own (each user's home-prefix document in the
// dumps BENCHMARKS.md measures) is keyed by the principal's place, made when
// asked for, not kept for each of 20,000 users.
func TestSetKeysOnlyOfSetsOthersMayHold(t *testing.T) {
	a, err := Load("cli.json", accounttest.CLIDump(200))
	if err != nil {
		t.Fatal(err)
	}
	an := a.NewAnalyzer(Options{})
	own := 0
	for i, p := range an.dumpPrincipals() {
		key := an.setKeyOf(p)
		if _, kept := an.setKeys[entityOf(p)]; key == ownSetKey(i) {
			own++
			if kept {
				t.Errorf("%s: own set key %q kept", p, key)
			}
		} else if !kept || key == "" {
			t.Errorf("%s: shared set key %q not kept", p, key)
		}
	}
	if own < 100 {
		t.Fatalf("%d principals with sets of their own: the dump no longer has what this test is about", own)
	}
	if key := an.setKeyOf(&Principal{Kind: KindUser, Name: "nobody", ARN: "arn:aws:iam::123456789012:user/nobody", Caller: "arn:aws:iam::123456789012:user/nobody", User: &User{Name: "nobody"}}); key != "" {
		t.Errorf("a principal not of the dump: key %q, want none", key)
	}
}
