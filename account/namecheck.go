package account

import "strings"

// nameChecker answers, for many names, whether a name overlaps any of a set
// of texts (nameOverlaps) or lies in any of another (containsFold), in
// about the time of a few lookups per byte pair of the name rather than a
// pass over every text: the texts of every resource type of the services
// analysed (mfa.Vocabulary) are thousands, the names tens of thousands.
// The names are those templateName accepts: ASCII, without NUL.
type nameChecker struct {
	// any says some overlap text is not ASCII, which every name
	// overlaps (nameOverlaps)
	any bool
	// whole are the overlap texts, lower-cased; pre and suf their
	// prefixes and suffixes (of every length, the whole too)
	whole, pre, suf map[string]bool
	// inside is every text, overlap and contain, lower-cased, each after
	// a NUL: a name lies in one when inside holds it
	inside strings.Builder
	// odd are the contain texts that are not ASCII, whose case folding
	// containsFold reads as the standard library folds it
	odd []string
}

// newNameChecker makes the checker of the texts overlap (nameOverlaps)
// and contain (containsFold).
func newNameChecker(overlap, contain []string) *nameChecker {
	c := &nameChecker{whole: map[string]bool{}, pre: map[string]bool{}, suf: map[string]bool{}}
	for _, s := range overlap {
		if !isASCIIText(s) {
			c.any = true
			continue
		}
		if s == "" {
			continue
		}
		l := strings.ToLower(s)
		c.whole[l] = true
		for k := 1; k <= len(l); k++ {
			c.pre[l[:k]] = true
			c.suf[l[len(l)-k:]] = true
		}
		c.inside.WriteByte(0)
		c.inside.WriteString(l)
	}
	for _, s := range contain {
		if !isASCIIText(s) {
			c.odd = append(c.odd, s)
			continue
		}
		c.inside.WriteByte(0)
		c.inside.WriteString(strings.ToLower(s))
	}
	return c
}

// hits reports whether n overlaps some overlap text or lies in some
// contain text, as nameOverlaps and containsFold say; lower is n
// lower-cased.
func (c *nameChecker) hits(n, lower string) bool {
	if c.any || strings.Contains(c.inside.String(), lower) {
		return true
	}
	for _, s := range c.odd {
		if containsFold(s, n) {
			return true
		}
	}
	// a text inside n
	for i := 0; i < len(lower); i++ {
		for j := i + 1; j <= len(lower); j++ {
			if c.whole[lower[i:j]] {
				return true
			}
		}
	}
	// a text's end that begins n, or its beginning that ends n
	for k := 1; k < len(lower); k++ {
		if c.suf[lower[:k]] || c.pre[lower[len(lower)-k:]] {
			return true
		}
	}
	return false
}
