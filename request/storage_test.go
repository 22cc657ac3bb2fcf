package request_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/iameval/iameval/request"
)

// keyText is c's keys as "name=v1,v2;..." in order, for comparing.
func keyText(c *request.Context) string {
	s := ""
	for _, k := range c.Keys() {
		s += k.Name + ":" + k.Type.String() + "="
		for i, v := range k.Values {
			if i > 0 {
				s += ","
			}
			s += v.String()
		}
		s += ";"
	}
	return s
}

// TestManyKeys: past the keys and values a Context holds inside itself,
// keys and values spill to the heap and read back as set, in order, when
// replaced by longer and shorter lists and when deleted.
func TestManyKeys(t *testing.T) {
	c := request.New("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "*")
	c.SetSessionWithMFA(time.Minute)
	want := map[string][]string{}
	for i := 0; i < 40; i++ {
		name := "svc:k" + strconv.Itoa(i)
		vs := make([]string, i%5)
		for j := range vs {
			vs[j] = fmt.Sprintf("v%d.%d", i, j)
		}
		if err := c.Set(name, request.TypeStringList, vs...); err != nil {
			t.Fatal(err)
		}
		want[name] = vs
	}
	// replace with longer, shorter and single values
	for i := 0; i < 40; i += 3 {
		name := "SVC:K" + strconv.Itoa(i)
		vs := make([]string, (i*7)%6)
		for j := range vs {
			vs[j] = fmt.Sprintf("w%d.%d", i, j)
		}
		if err := c.Set(name, request.TypeStringList, vs...); err != nil {
			t.Fatal(err)
		}
		delete(want, "svc:k"+strconv.Itoa(i))
		want[name] = vs
	}
	for i := 1; i < 40; i += 7 {
		c.Delete("svc:k" + strconv.Itoa(i))
		delete(want, "svc:k"+strconv.Itoa(i))
		delete(want, "SVC:K"+strconv.Itoa(i))
	}
	for name, vs := range want {
		k, ok := c.Lookup(name)
		if !ok || k.Name != name || len(k.Values) != len(vs) {
			t.Fatalf("%s: %+v, want %q", name, k, vs)
		}
		for j, v := range vs {
			if k.Values[j].String() != v {
				t.Errorf("%s[%d] = %q, want %q", name, j, k.Values[j].String(), v)
			}
		}
	}
	if k, _ := c.Lookup(request.KeyMultiFactorAuthAge); k.Values[0].String() != "60" {
		t.Errorf("age %v", k.Values[0])
	}
	if got := len(c.Keys()); got != len(want)+6 {
		t.Errorf("%d keys, want %d", got, len(want)+6)
	}
}

// TestSetRefusedListLeavesKey: a list with a value that does not read as
// its type is refused whole; the key keeps its values.
func TestSetRefusedListLeavesKey(t *testing.T) {
	c := &request.Context{}
	if err := c.Set("n", request.TypeNumericList, "1", "2"); err != nil {
		t.Fatal(err)
	}
	before := keyText(c)
	if err := c.Set("n", request.TypeNumericList, "3", "four", "5"); err == nil {
		t.Fatal("a list with a non-number accepted")
	}
	if err := c.Set("m", request.TypeIPList, "1.2.3.4", "x"); err == nil {
		t.Fatal("a list with a non-address accepted")
	}
	if got := keyText(c); got != before {
		t.Errorf("after refused lists: %s, want %s", got, before)
	}
	if err := c.Set("n", request.TypeNumericList, "7", "8", "9"); err != nil || keyText(c) != "n:numericList=7,8,9;" {
		t.Errorf("after a good list: %s, %v", keyText(c), err)
	}
}

// TestCloneIsIndependent: changing a clone, in place or by adding keys,
// changes nothing of the original, and the other way round.
func TestCloneIsIndependent(t *testing.T) {
	for _, n := range []int{0, 3, 12} { // within the inline room, and past it
		c := request.SessionWithMFA("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "*", time.Minute)
		for i := 0; i < n; i++ {
			_ = c.Set("svc:k"+strconv.Itoa(i), request.TypeStringList, "a", "b")
		}
		before := keyText(c)
		d := c.Clone()
		if keyText(d) != before {
			t.Fatalf("clone %s, want %s", keyText(d), before)
		}
		d.SetSessionWithMFA(time.Hour)
		d.SetSessionWithoutMFA()
		_ = d.Set("aws:username", request.TypeString, "mallory")
		_ = d.Set("svc:k0", request.TypeStringList, "x", "y")
		_ = d.Set("svc:new", request.TypeString, "z")
		d.Reset("p", "a", "r")
		_ = d.Set("aws:username", request.TypeString, "eve")
		if got := keyText(c); got != before {
			t.Errorf("%d keys: the original changed with its clone: %s, want %s", n, got, before)
		}
		e := c.Clone()
		c.SetSessionWithMFA(2 * time.Hour)
		_ = c.Set("aws:username", request.TypeString, "bob")
		if keyText(e) != before {
			t.Errorf("%d keys: the clone changed with its original: %s", n, keyText(e))
		}
	}
}

// TestCopyTo: a copy made in another Context is the Clone, whatever that
// Context held before, is independent of the original, and once the
// Context has held the largest request, copying allocates nothing.
func TestCopyTo(t *testing.T) {
	var d request.Context
	for _, n := range []int{12, 0, 3, 12, 1} { // past the inline room, within it, past it again
		c := request.SessionWithMFA("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "arn:aws:s3:::b/k"+strconv.Itoa(n), time.Minute)
		c.ResourceAccount = "11112222333" + strconv.Itoa(n%10)
		for i := 0; i < n; i++ {
			_ = c.Set("svc:k"+strconv.Itoa(i), request.TypeStringList, "a", "b")
		}
		before := keyText(c)
		c.CopyTo(&d)
		if got := keyText(&d); got != before {
			t.Errorf("%d keys: copy %s, want %s", n, got, before)
		}
		if d.Principal != c.Principal || d.Action != c.Action || d.Resource != c.Resource || d.ResourceAccount != c.ResourceAccount {
			t.Errorf("%d keys: copy's fields %q %q %q %q", n, d.Principal, d.Action, d.Resource, d.ResourceAccount)
		}
		d.SetSessionWithoutMFA()
		_ = d.Set("svc:k0", request.TypeStringList, "x", "y")
		_ = d.Set("svc:new", request.TypeString, "z")
		if got := keyText(c); got != before {
			t.Errorf("%d keys: the original changed with its copy: %s, want %s", n, got, before)
		}
		c.CopyTo(&d)
		if allocs := testing.AllocsPerRun(50, func() { c.CopyTo(&d) }); allocs != 0 {
			t.Errorf("%d keys: CopyTo into a used Context: %v allocations, want 0", n, allocs)
		}
	}
}

// TestReset: a reset Context is a struct literal with the new fields, keeps
// nothing of the previous request, and then builds a request without
// allocating.
func TestReset(t *testing.T) {
	c := request.SessionWithMFA("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "*", time.Minute)
	c.ResourceAccount = "111122223333"
	realistic(t, c)
	_ = c.Set("bin", request.TypeBinary, "aGVsbG8=")
	c.Reset("arn:aws:iam::123456789012:user/bob", "s3:PutObject", "arn:aws:s3:::b/k")
	if c.Principal != "arn:aws:iam::123456789012:user/bob" || c.Action != "s3:PutObject" || c.Resource != "arn:aws:s3:::b/k" || c.ResourceAccount != "" {
		t.Errorf("fields after Reset: %+v", c)
	}
	if n := len(c.Keys()); n != 0 {
		t.Errorf("%d keys after Reset", n)
	}
	build := func() {
		c.Reset("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "arn:aws:s3:::reports/2024/q1.csv")
		c.DerivePrincipalKeys()
		c.SetSessionWithMFA(5 * time.Minute)
		c.SetTime(time.Unix(1714564800, 0))
		realistic(t, c)
	}
	build()
	if allocs := testing.AllocsPerRun(100, build); allocs != 0 {
		t.Errorf("building a request on a reset Context: %v allocations, want 0", allocs)
	}
	if k, _ := c.Lookup("aws:TagKeys"); len(k.Values) != 2 || k.Values[1].String() != "project" {
		t.Errorf("aws:TagKeys after reuse: %+v", k)
	}
}

// TestConstructorAllocs pins the allocations of the constructors: the
// Context alone, and the role ARN AWS puts in aws:PrincipalArn for an
// assumed-role session.
func TestConstructorAllocs(t *testing.T) {
	const user = "arn:aws:iam::123456789012:user/alice"
	age := time.Minute
	for _, tc := range []struct {
		name string
		f    func()
		max  float64
	}{
		{"New", func() { sink = request.New(user, "s3:GetObject", "*") }, 1},
		{"SessionWithoutMFA", func() { sink = request.SessionWithoutMFA(user, "s3:GetObject", "*") }, 1},
		{"SessionWithMFA", func() { sink = request.SessionWithMFA(user, "s3:GetObject", "*", time.Hour) }, 1},
		{"SessionWithMFA role", func() {
			sink = request.SessionWithMFA("arn:aws:sts::123456789012:assumed-role/Admin/s", "s3:GetObject", "*", time.Hour)
		}, 2},
		{"Root", func() { sink = request.Root("123456789012", "s3:GetObject", "*", &age) }, 2},
	} {
		if got := testing.AllocsPerRun(100, tc.f); got > tc.max {
			t.Errorf("%s: %v allocations, want at most %v", tc.name, got, tc.max)
		}
	}
}
