package catalog

import (
	"strings"

	"github.com/iameval/iameval/condition"
)

// Expand returns the actions an Action element's entry matches, in
// catalogue order (by service, then name): "s3:*Object", "iam:Get*", "*",
// "s3:getobject". Letter case is ignored and '*' and '?' are wildcards, as
// IAM matches actions, with the one matcher the evaluator uses. A service
// part without wildcards narrows the search to that service.
func (c *Catalog) Expand(pattern string) []*Action {
	if pattern == "*" {
		var out []*Action
		for _, s := range c.services {
			out = append(out, s.Actions...)
		}
		return out
	}
	prefix, _, ok := strings.Cut(pattern, ":")
	if !ok {
		return nil
	}
	p := condition.CompilePattern(pattern, condition.PatternOptions{Wildcards: true})
	services := c.services
	if !strings.ContainsAny(prefix, "*?") {
		s := c.Service(prefix)
		if s == nil {
			return nil
		}
		services = []*Service{s}
	}
	var out []*Action
	var name []byte
	for _, s := range services {
		for _, a := range s.Actions {
			name = append(append(append(name[:0], s.Prefix...), ':'), a.Name...)
			if p.Match(string(name), true, nil) {
				out = append(out, a)
			}
		}
	}
	return out
}

// Suggest returns the service's actions closest to a name the catalogue does
// not know ("s3:GetObjcet" → s3:GetObject), at most three, nearest first;
// none when nothing is close (an edit distance above a third of the name).
func (c *Catalog) Suggest(name string) []*Action {
	prefix, action, ok := strings.Cut(name, ":")
	if !ok {
		return nil
	}
	s := c.Service(prefix)
	if s == nil {
		return nil
	}
	limit := max(1, len(action)/3)
	type near struct {
		a *Action
		d int
	}
	var best []near
	lower := strings.ToLower(action)
	for _, a := range s.Actions {
		d := distance(lower, strings.ToLower(a.Name), limit)
		if d > limit {
			continue
		}
		best = append(best, near{a, d})
		for i := len(best) - 1; i > 0 && best[i].d < best[i-1].d; i-- {
			best[i], best[i-1] = best[i-1], best[i]
		}
		if len(best) > 3 {
			best = best[:3]
		}
	}
	out := make([]*Action, len(best))
	for i, n := range best {
		out[i] = n.a
	}
	return out
}

// SuggestService returns the service prefixes closest to an unknown one
// ("s4" → s3), at most three.
func (c *Catalog) SuggestService(prefix string) []string {
	limit := max(1, len(prefix)/3)
	var out []string
	for d := 0; d <= limit && len(out) < 3; d++ {
		for _, s := range c.services {
			if distance(strings.ToLower(prefix), s.Prefix, limit) == d && len(out) < 3 {
				out = append(out, s.Prefix)
			}
		}
	}
	return out
}

// distance is the edit distance between a and b, with adjacent
// transpositions counting one ("Objcet" is one from "Object"); any value
// above limit is reported as limit+1.
func distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
