package catalog

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestInstanceAvoidingItself pins InstanceAvoiding's shortcut: an entry
// avoiding itself has no instance, which is what the walk finds. For every
// resource type of the catalogue and entries of every shape (the type's own
// format with its variables made wildcards, "*", partial ARNs, '?', policy
// variables, random text), the walk avoiding the entry finds nothing.
func TestInstanceAvoidingItself(t *testing.T) {
	c := Default()
	vars := map[string]string{"Partition": "aws", "Account": "123456789012"}
	r := rand.New(rand.NewPCG(9, 10))
	walked, n := 0, 0
	for _, s := range c.Services() {
		for _, rt := range s.ResourceTypes {
			// one type in four, of every service in turn
			if n++; n%4 != 0 {
				continue
			}
			entries := []string{"*", "arn:aws:" + s.Prefix + ":*", "arn:aws:" + s.Prefix + ":*:*:*", rt.ARN}
			// the format with each variable a wildcard, a '?' or a policy
			// variable
			for _, fill := range []string{"*", "?*", "${aws:username}", "x*"} {
				var b strings.Builder
				rest := rt.ARN
				for {
					i := strings.Index(rest, "${")
					if i < 0 {
						b.WriteString(rest)
						break
					}
					b.WriteString(rest[:i])
					end := strings.IndexByte(rest[i:], '}')
					if end < 0 {
						b.WriteString(rest[i:])
						break
					}
					b.WriteString(fill)
					rest = rest[i+end+1:]
				}
				entries = append(entries, b.String())
			}
			for k := 0; k < 3; k++ {
				e := []byte(entries[len(entries)-4])
				e[r.IntN(len(e))] = "*?ab:/"[r.IntN(6)]
				entries = append(entries, string(e))
			}
			for _, e := range entries {
				walked++
				if inst, ok := rt.instanceAvoiding(e, vars, []string{e}); ok {
					t.Errorf("%s %s (%s): the walk finds %q avoiding %q itself", s.Prefix, rt.Name, rt.ARN, inst, e)
				}
				if _, ok := rt.InstanceAvoiding(e, vars, []string{"arn:aws:nothing", e}); ok {
					t.Errorf("%s %s: an instance of %q avoids it", s.Prefix, rt.Name, e)
				}
			}
		}
	}
	if walked < 1000 {
		t.Fatalf("only %d walks", walked)
	}
}
