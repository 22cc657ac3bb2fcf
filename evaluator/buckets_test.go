package evaluator

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// bucketStatement compiles patterns as one statement's Action (or
// NotAction) list, with its service buckets.
func bucketStatement(patterns []string, not bool) *cstmt {
	s := &cstmt{notAction: not, bySvc: serviceBuckets(patterns)}
	for _, p := range patterns {
		s.actions = append(s.actions, condition.CompilePattern(p, condition.PatternOptions{Wildcards: true}))
	}
	return s
}

// FuzzServiceBuckets: a statement that files its patterns by service
// decides every action as trying every pattern does (the reference), for
// Action and NotAction, in any letter case.
func FuzzServiceBuckets(f *testing.F) {
	f.Add("s3:Get* s3:List* ec2:Describe* iam:GetUser S3:put?bject dynamodb:* sqs:Send* sns:Publish lambda:Invoke* logs:* kms:Decrypt kms:Encrypt ssm:GetParameter* ecr:BatchGet* ecs:Describe* rds:Describe*", "s3:GetObject")
	f.Add("a:b a:c a:d a:e a:f a:g a:h a:i a:j a:k a:l a:m a:n a:o a:p a:q", "A:Q")
	f.Add("x:* y:* z:* w:* v:* u:* t:* s:* r:* q:* p:* o:* n:* m:* l:* k:*", "K:anything")
	f.Fuzz(func(t *testing.T, list, action string) {
		patterns := strings.Fields(list)
		if len(patterns) == 0 || len(patterns) > 64 || len(action) > 200 {
			return
		}
		for len(patterns) < bucketMin {
			patterns = append(patterns, patterns...)
		}
		for _, not := range []bool{false, true} {
			s := bucketStatement(patterns, not)
			var k actionKey
			k.set(action)
			got := s.matchAction(action, &k)
			ref := *s
			ref.bySvc = nil
			if want := ref.matchAction(action, nil); got != want {
				t.Fatalf("%q (not %v) on %q: buckets say %v, every pattern %v", patterns, not, action, got, want)
			}
		}
	})
}

// TestRefsKeepOrder: statement references come back in the order added,
// inline, spilled past refsInline, and after one that does not pack.
func TestRefsKeepOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []ref
	}{
		{"inline", []ref{{0, 1}, {2, 3}, {65535, 65535}}},
		{"spilled", func() (out []ref) {
			for i := range refsInline + 10 {
				out = append(out, ref{uint32(i / 3), uint32(i)})
			}
			return out
		}()},
		{"unpackable first", []ref{{1 << 16, 0}, {1, 1}, {2, 2}}},
		{"unpackable between", []ref{{1, 1}, {0, 1 << 20}, {2, 2}}},
	} {
		var r refs
		for _, x := range tc.in {
			r.add(x)
		}
		if r.n != len(tc.in) {
			t.Fatalf("%s: n %d, want %d", tc.name, r.n, len(tc.in))
		}
		for i, x := range tc.in {
			if got := r.at(i); got != x {
				t.Errorf("%s: at(%d) = %v, want %v", tc.name, i, got, x)
			}
		}
	}
}

// TestUnindexableActions: an action the index cannot fold (not ASCII, or
// longer than its buffer) is still matched by every statement whose
// patterns match it: "s3:*" matches "s3:GetObjectÄ" as any action of s3
// (IAM matches actions case-insensitively, "*" any run of characters), so
// the Deny applies and the deny wins. It used to be checked against the
// statements of wildcard services only: a wrong allow.
func TestUnindexableActions(t *testing.T) {
	p, err := policy.Parse("p.json", []byte(`{"Version":"2012-10-17","Statement":[
  {"Sid":"AllowAll","Effect":"Allow","Action":"*","Resource":"*"},
  {"Sid":"DenyS3","Effect":"Deny","Action":"s3:*","Resource":"*"},
  {"Sid":"DenyLiteral","Effect":"Deny","Action":["s3:GetObjectÄ"],"Resource":"*"},
  {"Sid":"Wide","Effect":"Deny","Action":["a:a","b:b","c:c","d:d","e:e","f:f","g:g","h:h","i:i","j:j","k:k","l:l","m:m","n:n","o:o","S3:Get*"],"Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Compiler{nil, NewCompiler()} {
		e, err := c.Compile(PolicySet{Identity: []*policy.Policy{p}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			action string
			sids   []string
		}{
			{"s3:GetObject", []string{"DenyS3", "Wide"}},
			{"s3:GetObjectÄ", []string{"DenyS3", "DenyLiteral", "Wide"}},
			{"S3:getobjectä", []string{"DenyS3", "DenyLiteral", "Wide"}},
			{"s3:" + strings.Repeat("X", 126), []string{"DenyS3"}},
			{"s3:Get" + strings.Repeat("X", 130), []string{"DenyS3", "Wide"}},
		} {
			d := e.Evaluate(&request.Context{Action: tc.action, Resource: "*"})
			var got []string
			for _, m := range d.MatchedStatements() {
				got = append(got, m.Sid)
			}
			if d.Verdict != ExplicitDeny || strings.Join(got, " ") != strings.Join(tc.sids, " ") {
				t.Errorf("%.40q: %s by %v, want explicitDeny by %v", tc.action, d.Verdict, got, tc.sids)
			}
		}
	}
}

// TestCompilerKeepingKeepsOnlyWhatItIsTold: NewCompilerKeeping keeps the
// compiled form of the policies keep names, and of no other.
func TestCompilerKeepingKeepsOnlyWhatItIsTold(t *testing.T) {
	parse := func(name string) *policy.Policy {
		p, err := policy.Parse(name, []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	shared, own := parse("shared"), parse("own")
	c := NewCompilerKeeping(func(p *policy.Policy) bool { return p == shared })
	for range 2 {
		if _, err := c.Compile(PolicySet{Identity: []*policy.Policy{shared, own}}); err != nil {
			t.Fatal(err)
		}
	}
	kept := 0
	c.kept.Range(func(any, any) bool { kept++; return true })
	if _, ok := c.kept.Load(shared); !ok || kept != 1 {
		t.Errorf("kept %d compiled policies (the shared one: %v); want only the shared one", kept, ok)
	}
}

// TestCompilerStatementSharedOnce: two policies a Compiler does not keep,
// parsed apart, that hold a statement of the same text get the same
// compiled patterns (one compilation), while a statement of the same text
// under the other Version, and one of other text, get their own.
func TestCompilerStatementSharedOnce(t *testing.T) {
	const st = `{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::home/${aws:username}/*"}`
	parse := func(version, stmts string) *policy.Policy {
		p, err := policy.Parse("p", []byte(`{"Version":"`+version+`","Statement":[`+stmts+`]}`))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	c := NewCompilerKeeping(func(*policy.Policy) bool { return false })
	body := func(p *policy.Policy) *cbody { b, _ := c.policy(p, policy.KindIdentity); return b }
	a := body(parse("2012-10-17", st))
	b := body(parse("2012-10-17", `{"Effect":"Deny","Action":"iam:*","Resource":"*"},`+st))
	old := body(parse("2008-10-17", st))
	other := body(parse("2012-10-17", strings.Replace(st, "home", "team", 1)))
	same := func(x, y *cstmt) bool { return &x.actions[0] == &y.actions[0] }
	if !same(&a.stmts[0], &b.stmts[1]) {
		t.Error("the statement of the same text was compiled twice")
	}
	if same(&a.stmts[0], &old.stmts[0]) || same(&a.stmts[0], &other.stmts[0]) {
		t.Error("a statement of another Version or text took the first's compiled form")
	}
}
