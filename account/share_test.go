package account_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/policy"
)

// inlinePolicies returns every inline policy of a, entity by entity.
func inlinePolicies(a *account.Account) []*policy.Policy {
	var out []*policy.Policy
	for _, u := range a.Users {
		out = append(out, u.Inline...)
	}
	for _, g := range a.Groups {
		out = append(out, g.Inline...)
	}
	for _, r := range a.Roles {
		out = append(out, r.Inline...)
	}
	return out
}

// TestLoadShareStatements: LoadWith's ShareStatements makes the model Load
// makes, but that the inline statements several documents hold alike are
// one, placed in each document by Policy.Braces where Load's have their
// own positions: the same policies, names, statements (by text, place and
// Sid) and braces. A document whose shared statement policy.Check finds
// fault with as an identity policy is parsed on its own, its positions
// kept for the errors an analysis reports of it.
func TestLoadShareStatements(t *testing.T) {
	dumps := map[string][]byte{
		"copies":  accounttest.CLIDumpWith(60, accounttest.Options{Copies: true, Admins: true}),
		"plain":   accounttest.CLIDump(40),
		"faulted": faultedDump(),
	}
	addTestdataDumps(t, dumps)
	for name, data := range dumps {
		own, err := account.Load(name, data)
		if err != nil {
			continue // not a dump Load reads: nothing to compare
		}
		got, err := account.LoadWith(name, data, account.LoadOptions{ShareStatements: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ps, qs := inlinePolicies(got), inlinePolicies(own)
		if len(ps) != len(qs) {
			t.Fatalf("%s: %d inline policies, want %d", name, len(ps), len(qs))
		}
		holders := map[*policy.Statement]int{}
		for i, p := range ps {
			q := qs[i]
			if p.Name != q.Name || p.Version != q.Version || p.Start() != q.Start() || len(p.Statements) != len(q.Statements) {
				t.Fatalf("%s: policy %q (%d statements), want %q (%d)", name, p.Name, len(p.Statements), q.Name, len(q.Statements))
			}
			for k, st := range p.Statements {
				holders[st]++
				want := q.Statements[k]
				start, end := p.Braces(st)
				if start != want.Start() || end != want.End() || st.Index != want.Index || st.Sid != want.Sid || st.Path != want.Path ||
					!bytes.Equal(p.StatementText(st), q.StatementText(want)) {
					t.Errorf("%s: %s statement %d: %v-%v %q, want %v-%v %q", name, p.Name, k, start, end, p.StatementText(st), want.Start(), want.End(), q.StatementText(want))
				}
				if g, w := withoutPositions(t, st), withoutPositions(t, want); g != w {
					t.Errorf("%s: %s statement %d parses as\n%s\nwant\n%s", name, p.Name, k, g, w)
				}
			}
		}
		shared := 0
		for st, n := range holders {
			if n > 1 {
				shared++
				if st.Start().IsValid() {
					t.Errorf("%s: a statement %d documents hold has positions %v", name, n, st.Start())
				}
			}
		}
		if strings.HasPrefix(name, "copies") && shared == 0 {
			t.Errorf("%s: no statement shared", name)
		}
		if name == "plain" {
			// every user's home statement names its own prefix but lists
			// the same actions: the element is shared, without positions
			var home *policy.List
			n := 0
			for _, p := range ps {
				if !strings.HasSuffix(p.Name, " inline Home") {
					continue
				}
				n++
				l := p.Statements[0].Action
				if home == nil {
					home = l
				}
				if l != home || l.Pos().IsValid() || holders[p.Statements[0]] != 1 {
					t.Errorf("%s: %s's home statement's Action %p (positions %v, held %d times), want %p shared", name, p.Name, l, l.Pos(), holders[p.Statements[0]], home)
				}
			}
			if n < 40 {
				t.Errorf("%s: %d home policies, want 40", name, n)
			}
		}
		if name == "faulted" {
			for _, p := range ps {
				for _, st := range p.Statements {
					if strings.Contains(p.Name, "Misplaced") && (holders[st] != 1 || !st.Start().IsValid()) {
						t.Errorf("%s: %s, which Check faults, shares its statement (positions %v)", name, p.Name, st.Start())
					}
				}
			}
		}
	}
}

// withoutPositions is st as JSON without its positions: what a statement
// shared between documents, or holding elements they share, keeps of its
// own parse.
func withoutPositions(t testing.TB, st *policy.Statement) string {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if k == "Start" || k == "End" || k == "Pos" || k == "OpPos" {
					delete(x, k)
				} else {
					strip(e)
				}
			}
		case []any:
			for _, e := range x {
				strip(e)
			}
		}
	}
	strip(v)
	b, _ = json.Marshal(v)
	return string(b)
}

// faultedDump is two users with the same inline policies: one an identity
// policy can be, one with a Principal, which policy.Check faults.
func faultedDump() []byte {
	var b strings.Builder
	b.WriteString(`{"UserDetailList": [`)
	for i, n := range []string{"alice", "bob"} {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`
  {"UserName": "` + n + `", "UserId": "AIDA` + strings.ToUpper(n) + `", "Arn": "arn:aws:iam::123456789012:user/` + n + `", "Path": "/",
   "UserPolicyList": [
    {"PolicyName": "Fine", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}},
    {"PolicyName": "Misplaced", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}}],
   "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}`)
	}
	b.WriteString(`], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`)
	return []byte(b.String())
}

// FuzzLoadShareStatements: whatever the dump, LoadWith with
// ShareStatements fails as Load does, or makes the same inline policies:
// each statement parses as Load's but for positions, and stands where
// Load's does (Policy.Braces).
func FuzzLoadShareStatements(f *testing.F) {
	small := string(accounttest.CLIDumpWith(3, accounttest.Options{Copies: true, Admins: true}))
	f.Add([]byte(small))
	f.Add(faultedDump())
	f.Add([]byte(strings.Replace(small, `"s3:GetObject"`, `"s3GetObject"`, 2)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		own, err := account.Load("f.json", data)
		got, errShared := account.LoadWith("f.json", data, account.LoadOptions{ShareStatements: true})
		if (err == nil) != (errShared == nil) || err != nil && err.Error() != errShared.Error() {
			t.Fatalf("sharing: %v, want %v", errShared, err)
		}
		if err != nil {
			return
		}
		ps, qs := inlinePolicies(got), inlinePolicies(own)
		if len(ps) != len(qs) {
			t.Fatalf("%d inline policies, want %d", len(ps), len(qs))
		}
		for i, p := range ps {
			q := qs[i]
			if p.Name != q.Name || len(p.Statements) != len(q.Statements) {
				t.Fatalf("policy %q (%d statements), want %q (%d)", p.Name, len(p.Statements), q.Name, len(q.Statements))
			}
			for k, st := range p.Statements {
				want := q.Statements[k]
				if start, end := p.Braces(st); start != want.Start() || end != want.End() {
					t.Errorf("%s statement %d at %v-%v, want %v-%v", p.Name, k, start, end, want.Start(), want.End())
				}
				if g, w := withoutPositions(t, st), withoutPositions(t, want); g != w {
					t.Errorf("%s statement %d parses as\n%s\nwant\n%s", p.Name, k, g, w)
				}
			}
		}
	})
}

// addTestdataDumps adds every dump of testdata/account to dumps, by its
// file's name.
func addTestdataDumps(t *testing.T, dumps map[string][]byte) {
	t.Helper()
	files, err := filepath.Glob("../testdata/account/*.json")
	if err != nil || len(files) < 10 {
		t.Fatalf("testdata/account: %d dumps, %v", len(files), err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dumps[filepath.Base(f)] = data
	}
}
