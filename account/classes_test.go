package account_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
)

// TestSlotsMap: a statement of one copy of a policy, mapped to the same
// statement of another copy in the same place: its name and positions are
// the other copy's, and so is a clause of it.
func TestSlotsMap(t *testing.T) {
	doc := []byte(`{"Version":"2012-10-17","Statement":[
		{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},
		{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`)
	parse := func(name string, pad int) *policy.Policy {
		// the copies lie at different places of their files
		text := append(make([]byte, 0, pad+len(doc)), []byte("                "[:pad])...)
		p, err := policy.Parse(name, append(text, doc...))
		if err != nil {
			t.Fatal(err)
		}
		p.Name = name
		return p
	}
	shared := parse("arn:aws:iam::123456789012:policy/Shared", 0)
	alice, bob := parse("user alice inline Copy", 0), parse("user bob inline Copy", 7)
	from := account.Slots{{Policy: shared, Type: evaluator.TypeIdentity}, {Policy: alice, Type: evaluator.TypeIdentity}}
	to := account.Slots{{Policy: shared, Type: evaluator.TypeIdentity}, {Policy: bob, Type: evaluator.TypeIdentity}}
	if from.Same(to) || !from.Same(from) {
		t.Fatal("Same")
	}
	stmt := func(p *policy.Policy, i int) evaluator.MatchedStatement {
		s := p.Statements[i]
		return evaluator.MatchedStatement{PolicyID: p.Name, PolicyType: evaluator.TypeIdentity, Index: i, Sid: s.Sid, Effect: s.Effect, Start: s.Start(), End: s.End()}
	}
	if got, want := from.Map(stmt(alice, 1), to), stmt(bob, 1); got != want {
		t.Errorf("Map = %+v, want %+v", got, want)
	}
	if got := from.Map(stmt(shared, 0), to); got != stmt(shared, 0) {
		t.Errorf("a shared policy's statement: %+v", got)
	}
	ms := []evaluator.MatchedStatement{stmt(shared, 0)}
	if got := from.MapAll(ms, to); &got[0] != &ms[0] {
		t.Error("MapAll copied statements Map leaves as they are")
	}
	if got := from.MapAll([]evaluator.MatchedStatement{stmt(shared, 0), stmt(alice, 0)}, to); got[0] != stmt(shared, 0) || got[1] != stmt(bob, 0) {
		t.Errorf("MapAll = %+v", got)
	}
	if got := from.MapClause(stmt(alice, 1), alice.Statements[1].Conditions[0], to); got != bob.Statements[1].Conditions[0] {
		t.Errorf("MapClause = %p, want bob's %p", got, bob.Statements[1].Conditions[0])
	}
}

// TestClassesByFootprintStatements: a class key names the footprint's
// statements by their content, not the whole document's. Two users whose
// inline policies differ only in a statement that does not match an action
// are one class for it, and the answers map to each user's own copy (its
// name and positions, though the statement lies elsewhere in the text);
// they are two classes for an action the differing statement matches, and
// for one whose matching statement differs only in a condition, or lies at
// another index.
func TestClassesByFootprintStatements(t *testing.T) {
	user := func(name, doc string) string {
		return `{"Path":"/","UserName":"` + name + `","UserId":"AIDA` + name + `","Arn":"arn:aws:iam::123456789012:user/` + name +
			`","UserPolicyList":[{"PolicyName":"Inline","PolicyDocument":` + doc + `}],"GroupList":[],"AttachedManagedPolicies":[]}`
	}
	const s3 = `{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`
	docs := map[string]string{
		// only the Sid and the spacing of the ec2 statement differ
		"u1": `{"Version":"2012-10-17","Statement":[{"Sid":"Reads1","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},` + s3 + `]}`,
		"u2": `{"Version":"2012-10-17","Statement":[{"Sid":"ReadsNumber2",   "Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},` + s3 + `]}`,
		// the s3 statement differs in its condition
		"u3": `{"Version":"2012-10-17","Statement":[{"Sid":"Reads1","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},` +
			strings.Replace(s3, `"true"`, `"false"`, 1) + `]}`,
		// the s3 statement at another index
		"u4": `{"Version":"2012-10-17","Statement":[` + s3 + `,{"Sid":"Reads1","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}`,
		// another Version
		"u5": `{"Version":"2008-10-17","Statement":[{"Sid":"Reads1","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},` + s3 + `]}`,
	}
	names := []string{"u1", "u2", "u3", "u4", "u5"}
	var users []string
	for _, n := range names {
		users = append(users, user(n, docs[n]))
	}
	dump := `{"UserDetailList":[` + strings.Join(users, ",") + `],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`
	a, err := account.Load("classes.json", []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	an := a.NewAnalyzer(account.Options{})
	type class struct {
		key   string
		slots account.Slots
	}
	classOf := func(who, action string) class {
		_, cl := classifier(t, a, an, who)
		key, slots := cl.Class(action)
		return class{string(key), slots}
	}
	// OnlyMember: a class whose footprint holds a statement no other
	// principal's policies hold has one member, whose answer need not be
	// kept for others
	for _, tc := range []struct {
		who, action string
		alone       bool
	}{
		{"u1", "s3:PutObject", false}, {"u2", "s3:PutObject", false}, {"u4", "s3:PutObject", false},
		{"u1", "ec2:DescribeInstances", false}, {"u3", "ec2:DescribeInstances", false},
		{"u3", "s3:PutObject", true},                                        // its s3 statement is its own
		{"u5", "s3:PutObject", true}, {"u5", "ec2:DescribeInstances", true}, // another Version
		{"u1", "iam:CreateUser", false}, // an empty footprint
	} {
		_, cl := classifier(t, a, an, tc.who)
		for _, shared := range []bool{false, true} {
			if shared {
				cl.SharedClass(tc.action)
			} else {
				cl.Class(tc.action)
			}
			if got := cl.OnlyMember(); got != tc.alone {
				t.Errorf("%s %s (shared %v): OnlyMember = %v, want %v", tc.who, tc.action, shared, got, tc.alone)
			}
		}
	}
	c1, c2 := classOf("u1", "s3:PutObject"), classOf("u2", "s3:PutObject")
	if c1.key != c2.key {
		t.Fatalf("s3:PutObject: documents that differ only outside the footprint are two classes:\n%q\n%q", c1.key, c2.key)
	}
	for _, who := range names[2:] {
		if c := classOf(who, "s3:PutObject"); c.key == c1.key {
			t.Errorf("s3:PutObject: %s, whose footprint differs, is u1's class", who)
		}
	}
	// a Sid names a statement and decides nothing (IAM JSON policy
	// reference, "Sid": "an optional identifier that you provide for the
	// policy statement"): statements that differ only in it, and in the
	// spacing between their members, are one class, and the answer names
	// each principal's own statement (its Sid)
	e1, e2 := classOf("u1", "ec2:DescribeInstances"), classOf("u2", "ec2:DescribeInstances")
	if e1.key != e2.key {
		t.Errorf("ec2:DescribeInstances: statements that differ only in their Sids are two classes:\n%q\n%q", e1.key, e2.key)
	}
	{
		p1, p2 := e1.slots[0].Policy, e2.slots[0].Policy
		st := p1.Statements[0]
		m := evaluator.MatchedStatement{PolicyID: p1.Name, PolicyType: evaluator.TypeIdentity, Index: 0, Sid: st.Sid, Effect: st.Effect, Start: st.Start(), End: st.End()}
		if got := e1.slots.Map(m, e2.slots); got.Sid != "ReadsNumber2" || got.Start != p2.Statements[0].Start() {
			t.Errorf("Map of u1's ec2 statement = %+v, want u2's (Sid ReadsNumber2)", got)
		}
	}
	if c := classOf("u3", "ec2:DescribeInstances"); c.key != e1.key {
		t.Error("ec2:DescribeInstances: u3's ec2 statement is u1's, but another class")
	}
	// u1's answer, a statement of its copy, is u2's statement
	p1, p2 := c1.slots[0].Policy, c2.slots[0].Policy
	st := p1.Statements[1]
	m := evaluator.MatchedStatement{PolicyID: p1.Name, PolicyType: evaluator.TypeIdentity, Index: 1, Sid: st.Sid, Effect: st.Effect, Start: st.Start(), End: st.End()}
	want := p2.Statements[1]
	got := c1.slots.Map(m, c2.slots)
	if got.PolicyID != p2.Name || got.Start != want.Start() || got.End != want.End() || got.Start == st.Start() {
		t.Errorf("Map = %+v, want u2's statement at %+v", got, want.Start())
	}
	if string(p2.StatementText(want)) != s3 {
		t.Errorf("StatementText = %s", p2.StatementText(want))
	}
}

// TestClassesByFootprintKeys: the keys in a class key are the footprint's,
// as the engine spells them, not the ids the engine gave them: a key met
// first in a statement outside the footprint changes no class, unless it
// changes how the engine spells a key of the footprint (MissingContextValues
// reports that spelling).
func TestClassesByFootprintKeys(t *testing.T) {
	const s3 = `{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}`
	docs := map[string]string{
		"u1": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}},` + s3 + `]}`,
		"u2": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},` + s3 + `]}`,
		"u3": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*","Condition":{"StringEquals":{"aws:requestedregion":"us-east-1"}}},` + s3 + `]}`,
	}
	var users []string
	for _, n := range []string{"u1", "u2", "u3"} {
		users = append(users, `{"Path":"/","UserName":"`+n+`","UserId":"AIDA`+n+`","Arn":"arn:aws:iam::123456789012:user/`+n+
			`","UserPolicyList":[{"PolicyName":"Inline","PolicyDocument":`+docs[n]+`}],"GroupList":[],"AttachedManagedPolicies":[]}`)
	}
	a, err := account.Load("keys.json", []byte(`{"UserDetailList":[`+strings.Join(users, ",")+`],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	an := a.NewAnalyzer(account.Options{})
	classOf := func(who string) string {
		_, cl := classifier(t, a, an, who)
		key, _ := cl.Class("s3:PutObject")
		return string(key)
	}
	if k1, k2 := classOf("u1"), classOf("u2"); k1 != k2 {
		t.Errorf("a key outside the footprint makes another class:\n%q\n%q", k1, k2)
	}
	if classOf("u3") == classOf("u2") {
		t.Error("a footprint key the engine spells otherwise is the same class")
	}
}

// TestOnlyMemberByOwnKeys pins that a class whose key holds the value of a
// key naming the principal itself has no other member: IAM user names are
// unique within an account ("IAM identifiers": "Names of users, groups,
// roles, policies ... must be unique within the account"), as are unique
// IDs (aws:userid) and ARNs (aws:PrincipalArn); the key holds each
// footprint key's value, so no other principal's key can equal it.
// A key a principal lacks, or one whose values others may share (a
// principal tag), leaves the class shareable. A row (RowClass) whose
// statements read the principal's name only through a Resource variable
// that lets the row's resource in (each user's own prefix) leaves the
// name's value out, and the rows of two users on their own prefixes are
// one class: the variable resolves alike in every request the MFA
// analysis makes, and IAM resolves it to the user's name ("IAM policy
// elements: Variables and tags": aws:username is the friendly name of
// the current user).
func TestOnlyMemberByOwnKeys(t *testing.T) {
	const doc = `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"},` +
		`{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"*","Condition":{"StringLike":{"aws:userid":"AIDA*"}}},` +
		`{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:*"}}},` +
		`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}},` +
		`{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`
	user := func(name string) string {
		return `{"Path":"/","UserName":"` + name + `","UserId":"AIDA` + name + `","Arn":"arn:aws:iam::123456789012:user/` + name +
			`","UserPolicyList":[{"PolicyName":"Inline","PolicyDocument":` + doc + `}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[{"Key":"team","Value":"a"}]}`
	}
	role := func(name string) string {
		return `{"Path":"/","RoleName":"` + name + `","RoleId":"AROA` + name + `","Arn":"arn:aws:iam::123456789012:role/` + name +
			`","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]},"RolePolicyList":[{"PolicyName":"Inline","PolicyDocument":` + doc + `}],"AttachedManagedPolicies":[],"Tags":[{"Key":"team","Value":"a"}]}`
	}
	dump := `{"UserDetailList":[` + user("u1") + `,` + user("u2") + `],"GroupDetailList":[],"RoleDetailList":[` +
		role("r1") + `,` + role("r2") + `],"Policies":[]}`
	a, err := account.Load("own.json", []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	an := a.NewAnalyzer(account.Options{})
	for _, tc := range []struct {
		who, action, resource string
		alone, rowAlone       bool
	}{
		{"u1", "s3:GetObject", "arn:aws:s3:::home/u1/x", true, false},                 // aws:username, in the Resource alone
		{"u1", "iam:ChangePassword", "arn:aws:iam::123456789012:user/u1", true, true}, // aws:userid
		{"u1", "ec2:StartInstances", "*", true, true},                                 // aws:PrincipalArn
		{"r1", "ec2:StartInstances", "*", true, true},
		{"u1", "sqs:SendMessage", "*", false, false}, // a tag others may carry alike
		{"u1", "s3:PutObject", "*", false, false},
		{"r1", "s3:GetObject", "arn:aws:s3:::home/r1/x", false, false}, // a role lacks aws:username
		{"r1", "sqs:SendMessage", "*", false, false},
	} {
		p, cl := classifier(t, a, an, tc.who)
		cl.Class(tc.action)
		if got := cl.OnlyMember(); got != tc.alone {
			t.Errorf("%s %s: Class: OnlyMember = %v, want %v", tc.who, tc.action, got, tc.alone)
		}
		cl.RowClass(an.LiveRequest(p, tc.action, tc.resource))
		if got := cl.OnlyMember(); got != tc.rowAlone {
			t.Errorf("%s %s on %s: RowClass: OnlyMember = %v, want %v", tc.who, tc.action, tc.resource, got, tc.rowAlone)
		}
	}
	rowOf := func(who, resource string) string {
		p, cl := classifier(t, a, an, who)
		key, _ := cl.RowClass(an.LiveRequest(p, "s3:GetObject", resource))
		return string(key)
	}
	own1, own2 := rowOf("u1", "arn:aws:s3:::home/u1/x"), rowOf("u2", "arn:aws:s3:::home/u2/x")
	if own1 != own2 {
		t.Errorf("two users' requests on their own prefixes are two classes:\n%q\n%q", own1, own2)
	}
	// on another's prefix the statement lets nothing in, whatever the MFA
	// keys: that is another class
	if other := rowOf("u1", "arn:aws:s3:::home/u2/x"); other == own1 {
		t.Errorf("u1's request on u2's prefix is in the class of its request on its own: %q", other)
	}
}

// classifier returns who's principal and the classifier of its requests.
func classifier(t *testing.T, a *account.Account, an *account.Analyzer, who string) (*account.Principal, *account.Classifier) {
	t.Helper()
	p, err := a.Principal(who)
	if err != nil {
		t.Fatal(err)
	}
	e, err := an.Engine(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p, an.Classifier(p, e)
}

// TestClassifierInAsClassifier: a classifier made in the room of the one
// before (Analyzer.ClassifierIn, as a worker makes one principal's after
// another's) gives every class key, slot list and OnlyMember a fresh one
// gives: every principal of a dump with copies and administrators, in
// turn, for actions of every kind and rows on their own resources.
func TestClassifierInAsClassifier(t *testing.T) {
	a, err := account.Load("cli.json", accounttest.CLIDumpWith(120, accounttest.Options{Copies: true, Admins: true}))
	if err != nil {
		t.Fatal(err)
	}
	an := a.NewAnalyzer(account.Options{})
	actions := []string{"s3:GetObject", "iam:CreateAccessKey", "sts:AssumeRole", "ec2:RunInstances", "dynamodb:PutItem", "lambda:InvokeFunction"}
	var reused *account.Classifier
	compared := 0
	for _, p := range a.Principals() {
		e, err := an.Engine(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		fresh := an.Classifier(p, e)
		reused = an.ClassifierIn(reused, p, e)
		say := func(c *account.Classifier, key []byte, slots account.Slots) string {
			return fmt.Sprintf("%q %v %v", key, slots.Same(nil), c.OnlyMember()) + fmt.Sprint(len(slots))
		}
		for _, action := range actions {
			k1, s1 := fresh.Class(action)
			want := say(fresh, k1, s1)
			k2, s2 := reused.Class(action)
			if got := say(reused, k2, s2); got != want || !s1.Same(s2) {
				t.Fatalf("%s %s: Class in the room of another: %s, fresh: %s", p, action, got, want)
			}
			k1, s1 = fresh.SharedClass(action)
			want = say(fresh, k1, s1)
			k2, s2 = reused.SharedClass(action)
			if got := say(reused, k2, s2); got != want || !s1.Same(s2) {
				t.Fatalf("%s %s: SharedClass in the room of another: %s, fresh: %s", p, action, got, want)
			}
			for _, res := range []string{"arn:aws:s3:::home/" + p.Name + "/x", "arn:aws:iam::123456789012:user/" + p.Name, "*"} {
				k1, s1 = fresh.RowClass(an.LiveRequest(p, action, res))
				want = say(fresh, k1, s1)
				s1 = slices.Clone(s1)
				k2, s2 = reused.RowClass(an.LiveRequest(p, action, res))
				if got := say(reused, k2, s2); got != want || !s1.Same(s2) {
					t.Fatalf("%s %s on %s: RowClass in the room of another: %s, fresh: %s", p, action, res, got, want)
				}
				compared++
			}
		}
	}
	if compared < 1000 {
		t.Fatalf("only %d rows compared", compared)
	}
}
