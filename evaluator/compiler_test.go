package evaluator_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// TestCompilerSharesAndDecidesAlike: engines of one Compiler, built from
// sets that share policies in different roles and orders, decide every
// request exactly as Compile's engines do (verdict, matched statements,
// missing keys, in order), also when compiled concurrently, and also when
// the Compiler keeps only some of the policies (NewCompilerKeeping).
func TestCompilerSharesAndDecidesAlike(t *testing.T) {
	shared := []*policy.Policy{realisticPolicy(t, "m0", 0), realisticPolicy(t, "m1", 3), realisticPolicy(t, "m2", 7)}
	base := realisticSet(t, 5)
	var sets []evaluator.PolicySet
	for i := range 12 {
		s := base
		s.Identity = append([]*policy.Policy{shared[i%3], shared[(i+1)%3]}, base.Identity[:i%5]...)
		if i%4 == 0 {
			s.Boundary = shared[2] // the same document as a boundary here
		}
		if i%3 == 0 {
			s.Resource = nil
		}
		sets = append(sets, s)
	}
	reqs := []*request.Context{
		request.SessionWithMFA("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "arn:aws:s3:::team-data/k", 300),
		request.SessionWithoutMFA("arn:aws:iam::123456789012:user/alice", "ec2:StopInstances", "*"),
		request.LongTermKeys("arn:aws:iam::123456789012:user/alice", "dynamodb:DeleteItem", "*"),
		{Action: "lambda:CreateFunction", Resource: "arn:aws:lambda:eu-west-1:123456789012:function:team-3-x"},
	}
	// a Compiler that keeps every policy, and one that keeps only one
	// of those the sets share (NewCompilerKeeping)
	for _, c := range []*evaluator.Compiler{evaluator.NewCompiler(), evaluator.NewCompilerKeeping(func(p *policy.Policy) bool { return p == shared[1] })} {
		compilerDecidesAlike(t, c, sets, reqs)
	}
}

func compilerDecidesAlike(t *testing.T, c *evaluator.Compiler, sets []evaluator.PolicySet, reqs []*request.Context) {
	t.Helper()
	engines := make([]*evaluator.Engine, len(sets))
	var wg sync.WaitGroup
	for i := range sets {
		wg.Go(func() {
			e, err := c.Compile(sets[i])
			if err != nil {
				t.Error(err)
			}
			engines[i] = e
		})
	}
	wg.Wait()
	for i, set := range sets {
		want, err := evaluator.Compile(set)
		if err != nil {
			t.Fatal(err)
		}
		for j, r := range reqs {
			a, b := want.Evaluate(r), engines[i].Evaluate(r)
			got := fmt.Sprint(b.Verdict, b.MatchedStatements(), b.MissingContextValues(), b.Detail)
			exp := fmt.Sprint(a.Verdict, a.MatchedStatements(), a.MissingContextValues(), a.Detail)
			if d := cmp.Diff(exp, got); d != "" {
				t.Errorf("set %d request %d: the shared engine decides otherwise (-Compile +Compiler):\n%s", i, j, d)
			}
		}
		if d := cmp.Diff(want.Keys(), engines[i].Keys()); d != "" {
			t.Errorf("set %d: keys differ:\n%s", i, d)
		}
		// another set's resource policy put in its place: as the engine's
		// own WithResourcePolicy does it, twice (the second time from
		// what c kept, when it keeps the policy)
		other := sets[(i+1)%len(sets)].Resource
		if other == nil {
			other = sets[(i+2)%len(sets)].Resource
		}
		wantR, err := want.WithResourcePolicy(other)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			gotR, err := c.WithResourcePolicy(engines[i], other)
			if err != nil {
				t.Fatal(err)
			}
			for j, r := range reqs {
				a, b := wantR.Evaluate(r), gotR.Evaluate(r)
				got := fmt.Sprint(b.Verdict, b.MatchedStatements(), b.MissingContextValues(), b.Detail)
				exp := fmt.Sprint(a.Verdict, a.MatchedStatements(), a.MissingContextValues(), a.Detail)
				if d := cmp.Diff(exp, got); d != "" {
					t.Errorf("set %d request %d: Compiler.WithResourcePolicy decides otherwise (-Engine's +Compiler's):\n%s", i, j, d)
				}
			}
		}
	}
	if _, err := c.WithResourcePolicy(engines[0], nil); err != nil {
		t.Errorf("no resource policy: %v", err)
	}
}

// BenchmarkCompileShared: compiling a principal's 17 identity policies, a
// boundary, 3 SCP levels and a bucket policy, alone (Compile) and when
// another principal's engine already compiled the same documents
// (Compiler).
func BenchmarkCompileShared(b *testing.B) {
	set := realisticSet(b, 17)
	b.Run("Compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := evaluator.Compile(set); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Compiler", func(b *testing.B) {
		c := evaluator.NewCompiler()
		if _, err := c.Compile(set); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Compile(set); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestPolicyAsPolicies: NumPolicies and Policy(i) read what Policies
// lists, in its order, without making the list.
func TestPolicyAsPolicies(t *testing.T) {
	doc := func(sid string) *policy.Policy {
		p, err := policy.Parse(sid+".json", []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"`+sid+`","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{doc("A"), doc("B")}, Boundary: doc("C"), SCPs: [][]*policy.Policy{{doc("D")}}})
	if err != nil {
		t.Fatal(err)
	}
	all := e.Policies()
	if e.NumPolicies() != len(all) || len(all) != 4 {
		t.Fatalf("NumPolicies = %d, Policies has %d, want 4", e.NumPolicies(), len(all))
	}
	for i, cp := range all {
		if got := e.Policy(i); got != cp {
			t.Errorf("Policy(%d) = %+v, want %+v", i, got, cp)
		}
	}
}

// TestCompilerSharesStatementsByText: a Compiler that keeps no body
// compiles a statement it compiled before for another policy of the same
// text once (Compiler.statement), and its engines decide and explain every
// request exactly as Compile's do: verdicts, matched statements, missing
// keys in order, the clause each trace names, the engine's keys. The
// documents put the same statements at other places, after statements that
// read other keys (so the statement's keys have other ids in each body) or
// the same keys spelled otherwise, under both Versions (a variable is one
// in the 2012 Version only), and each is parsed on its own (so conditions
// are not shared by the parser).
func TestCompilerSharesStatementsByText(t *testing.T) {
	const (
		regional  = `{"Sid":"Regional","Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}`
		denyNoMFA = `{"Sid":"DenyNoMFA","Effect":"Deny","NotAction":["iam:ChangePassword","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"StringNotEquals":{"aws:PrincipalTag/team":"ops"}}}`
		home      = `{"Sid":"Home","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::home/${aws:username}/*"}`
		office    = `{"Sid":"Office","Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"AWS:SourceIp":"192.0.2.0/24"}}}`
		tagged    = `{"Sid":"Tagged","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:sourceip":"192.0.2.7","aws:PrincipalTag/Team":"ops"}}}`
	)
	docs := [][]string{
		{denyNoMFA, home},
		{regional, denyNoMFA, home},
		{tagged, office, home, denyNoMFA},
		{home, office, regional},
		{office, tagged},
	}
	var sets []evaluator.PolicySet
	for i, stmts := range docs {
		for _, version := range []string{"2012-10-17", "2008-10-17"} {
			doc := `{"Version":"` + version + `","Statement":[` + strings.Join(stmts, ",") + `]}`
			p, err := policy.Parse(fmt.Sprintf("doc%d-%s", i, version), []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			sets = append(sets, evaluator.PolicySet{Identity: []*policy.Policy{p}})
		}
	}
	// two of them in one set too: the keys of the second policy follow
	// the first's
	sets = append(sets, evaluator.PolicySet{Identity: []*policy.Policy{sets[4].Identity[0], sets[2].Identity[0]}})
	user := "arn:aws:iam::123456789012:user/alice"
	var reqs []*request.Context
	for _, action := range []string{"s3:GetObject", "ec2:StopInstances", "iam:ChangePassword", "s3:DeleteBucket"} {
		for _, res := range []string{"arn:aws:s3:::home/alice/x", "arn:aws:s3:::home/${aws:username}/x", "*"} {
			reqs = append(reqs,
				request.SessionWithoutMFA(user, action, res),
				request.SessionWithMFA(user, action, res, 60),
				request.LongTermKeys(user, action, res))
			r := request.SessionWithoutMFA(user, action, res)
			r.Set("aws:SourceIp", request.TypeIP, "192.0.2.7")
			r.Set("aws:RequestedRegion", request.TypeString, "eu-west-1")
			r.Set("aws:PrincipalTag/team", request.TypeString, "ops")
			reqs = append(reqs, r)
		}
	}
	c := evaluator.NewCompilerKeeping(func(*policy.Policy) bool { return false })
	for round := range 2 { // the second time, every statement is shared
		for i, set := range sets {
			want, err := evaluator.Compile(set)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Compile(set)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want.Keys(), got.Keys()); d != "" {
				t.Errorf("round %d set %d: keys differ (-Compile +Compiler):\n%s", round, i, d)
			}
			for j, r := range reqs {
				a, b := want.Explain(r), got.Explain(r)
				if d := cmp.Diff(explained(a), explained(b)); d != "" {
					t.Errorf("round %d set %d request %d: the shared statements decide otherwise (-Compile +Compiler):\n%s", round, i, j, d)
				}
			}
		}
	}
}

// explained writes an explanation as text: the decision, and each trace
// with the clause it names (by pointer: the policy's own).
func explained(x evaluator.Explanation) string {
	d := x.Decision
	s := fmt.Sprint(d.Verdict, d.MatchedStatements(), d.MissingContextValues(), d.Detail)
	for _, tr := range x.Statements {
		s += fmt.Sprintf("\n%v %v %p %v %v", tr.MatchedStatement, tr.Reason, tr.Clause, tr.KeyMissing, tr.MissingVariables)
	}
	return s
}

// TestCompilerChecksAsCompile: a Compiler reports what Compile reports of
// each set (policy.Check of every policy for its role: SPEC's element
// rules), whether it keeps the policies or compiles them anew, the first
// time and again from what it remembers, and for a policy that is valid
// in one role and not in another (a Principal element is not allowed in
// an identity policy; a resource policy needs one).
func TestCompilerChecksAsCompile(t *testing.T) {
	parse := func(name, doc string) *policy.Policy {
		p, err := policy.Parse(name, []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	withPrincipal := parse("bucket", `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	plain := parse("plain", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	badSid := parse("badsid", `{"Version":"2012-10-17","Statement":[{"Sid":"not ok!","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	sets := []evaluator.PolicySet{
		{Identity: []*policy.Policy{plain}},
		{Identity: []*policy.Policy{plain, withPrincipal}},
		{Identity: []*policy.Policy{plain}, Resource: withPrincipal},
		{Identity: []*policy.Policy{badSid}, Boundary: withPrincipal},
		{Identity: []*policy.Policy{plain}, Resource: plain},
	}
	errText := func(err error) string {
		if err == nil {
			return ""
		}
		return err.Error()
	}
	for _, keep := range []func(*policy.Policy) bool{nil, func(*policy.Policy) bool { return false }, func(p *policy.Policy) bool { return p == plain }} {
		c := evaluator.NewCompilerKeeping(keep)
		if keep == nil {
			c = evaluator.NewCompiler()
		}
		for round := range 2 {
			for i, set := range sets {
				_, want := evaluator.Compile(set)
				_, got := c.Compile(set)
				if errText(got) != errText(want) {
					t.Errorf("round %d set %d: Compiler says %q, Compile %q", round, i, errText(got), errText(want))
				}
			}
			// a resource policy added to an engine is checked as one
			e, err := c.Compile(sets[0])
			if err != nil {
				t.Fatal(err)
			}
			for _, rp := range []*policy.Policy{withPrincipal, plain} {
				_, want := evaluator.Compile(evaluator.PolicySet{Identity: sets[0].Identity, Resource: rp})
				_, got := c.WithResourcePolicy(e, rp)
				if errText(got) != errText(want) {
					t.Errorf("round %d: WithResourcePolicy(%s) says %q, Compile %q", round, rp.Name, errText(got), errText(want))
				}
			}
		}
	}
	// the cases above do fail where they should
	if _, err := evaluator.Compile(sets[2]); err != nil {
		t.Errorf("a bucket policy as the resource policy: %v", err)
	}
	for _, i := range []int{1, 3, 4} {
		if _, err := evaluator.Compile(sets[i]); err == nil {
			t.Errorf("set %d compiled without an error", i)
		}
	}
}
