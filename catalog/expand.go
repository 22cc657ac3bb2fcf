package catalog

import (
	"strings"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/internal/editdist"
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
	best := editdist.NewNearest[*Action](3, nil)
	lower := strings.ToLower(action)
	for _, a := range s.Actions {
		if d := editdist.Distance(lower, strings.ToLower(a.Name), limit); d <= limit {
			best.Offer(a, d)
		}
	}
	return best.Values()
}

// SuggestService returns the service prefixes closest to an unknown one
// ("s4" → s3), at most three.
func (c *Catalog) SuggestService(prefix string) []string {
	limit := max(1, len(prefix)/3)
	var out []string
	for d := 0; d <= limit && len(out) < 3; d++ {
		for _, s := range c.services {
			if editdist.Distance(strings.ToLower(prefix), s.Prefix, limit) == d && len(out) < 3 {
				out = append(out, s.Prefix)
			}
		}
	}
	return out
}
