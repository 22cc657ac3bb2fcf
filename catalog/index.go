package catalog

import (
	"strings"
	"sync"

	"github.com/iameval/iameval/internal/editdist"
)

// index holds what lookups across services need, built on first use.
type index struct {
	once        sync.Once
	keys        map[string]*ConditionKey // every listed key, lower-case name
	keyPatterns []*ConditionKey          // keys with a ${...} or <...> part
	arnTypes    map[string][]*ResourceType
}

func (c *Catalog) index() *index {
	x := &c.idx
	x.once.Do(func() {
		x.keys = map[string]*ConditionKey{}
		x.arnTypes = map[string][]*ResourceType{}
		for _, s := range c.services {
			for _, k := range s.Keys {
				if k.head != "" {
					x.keyPatterns = append(x.keyPatterns, k)
				} else if _, dup := x.keys[strings.ToLower(k.Name)]; !dup {
					x.keys[strings.ToLower(k.Name)] = k
				}
			}
			for _, rt := range s.ResourceTypes {
				if svc, ok := arnService(rt.ARN); ok {
					x.arnTypes[svc] = append(x.arnTypes[svc], rt)
				}
			}
		}
	})
	return x
}

// arnService is the service field of an ARN format, when it is literal.
func arnService(format string) (string, bool) {
	parts := strings.SplitN(format, ":", 4)
	if len(parts) < 4 || strings.Contains(parts[2], "${") {
		return "", false
	}
	return strings.ToLower(parts[2]), true
}

// FindKey returns the condition key wherever the catalogue lists it: a
// global key, a key of the service its prefix names, or a key another
// service lists (ec2:osuser is a key of ec2-instance-connect, the keys of
// identity providers, such as saml:aud and accounts.google.com:aud, are
// keys of sts). Nil when no service lists it.
func (c *Catalog) FindKey(name string) *ConditionKey {
	if k := c.Key(name); k != nil {
		return k
	}
	x := c.index()
	if k := x.keys[strings.ToLower(name)]; k != nil {
		return k
	}
	for _, k := range x.keyPatterns {
		if k.matches(name) {
			return k
		}
	}
	return nil
}

// ARNTypes returns the resource types, of every service, whose ARN format
// has the service field given ("s3": bucket, object, access point, ...).
func (c *Catalog) ARNTypes(service string) []*ResourceType {
	return c.index().arnTypes[strings.ToLower(service)]
}

// SuggestKey returns the condition keys closest to a name the catalogue
// does not know ("aws:usrename" → aws:username), at most three, nearest
// first: global keys and the keys of the service the name's prefix names.
// A key with a ${...} part is compared up to that part
// ("aws:PrincipalTags/team" → aws:PrincipalTag/${TagKey}).
func (c *Catalog) SuggestKey(name string) []*ConditionKey {
	lower := strings.ToLower(name)
	var keys []*ConditionKey
	for _, k := range c.global {
		keys = append(keys, k)
	}
	keys = append(keys, c.globalPatterns...)
	if prefix, _, ok := strings.Cut(name, ":"); ok {
		if s := c.Service(prefix); s != nil {
			keys = append(keys, s.Keys...)
		}
	}
	limit := max(1, len(name)/3)
	best := editdist.NewNearest[*ConditionKey](3, func(a, b *ConditionKey) bool { return a.Name < b.Name })
	seen := map[string]bool{}
	for _, k := range keys {
		id := strings.ToLower(k.Name)
		if seen[id] {
			continue
		}
		seen[id] = true
		var d int
		if k.head == "" {
			d = editdist.Distance(lower, id, limit)
		} else {
			// compare the part before the variable with the name up to
			// its first '/'
			part := lower
			if i := strings.IndexByte(lower, '/'); i >= 0 && strings.HasSuffix(k.head, "/") {
				part = lower[:i+1]
			}
			d = editdist.Distance(part, k.head, limit)
		}
		if d > limit {
			continue
		}
		best.Offer(k, d)
	}
	return best.Values()
}
