package mfa

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/internal/gencache"
)

// InstanceMemo keeps the instances Instances finds for each Resource entry
// with a wildcard, so that another request that expands the entry alike
// reuses them: an account's principals hold the same managed policies, and
// one principal asks for several actions of one resource type. It is safe
// for concurrent use. The zero value is not usable; call NewInstanceMemo.
//
// What an entry expands to depends on the resource type, the entry, the
// caller's partition and account, and the other entries of the request's
// statements that tell its instances apart: those whose patterns can match
// an instance of the entry (an entry on arn:aws:s3:::home/alice/* tells
// nothing of arn:aws:s3:::team/*, whose instances it never matches), and
// whether any entry names a region. The memo keys the instances by those,
// so principals whose policies differ only in entries of other resources
// share them. It keeps too whether an entry without a wildcard can be a
// resource of the action, by action and entry.
//
// It keeps at most 2×memoGeneration entries of each resource type and of
// the literal entries (gencache.Map: the entries asked for again stay,
// however many are asked for once).
type InstanceMemo struct {
	mu sync.Mutex
	// byType holds the instances by resource type and key (the entry,
	// partition, account and the relevant entries, each after its length
	// and a colon, then 'r' when some entry names a region)
	byType map[*catalog.ResourceType]*gencache.Map[string, []string]
	// sparse holds the last instances found by resource type and key but
	// for the relevant entries (entryKey.sparse), with what they were
	// found from (sparseInstances)
	sparse map[*catalog.ResourceType]*gencache.Map[string, *sparseInstances]
	// literals says whether a request for the action can name a literal
	// entry (one of its service and of no other resource type)
	literals *gencache.Map[literalKey, bool]
	// gen is how many entries a generation holds
	gen int
	// sparseHits counts the lists found in sparse (for the tests)
	sparseHits atomic.Int64
}

type literalKey struct {
	a *catalog.Action
	r string
}

// memoGeneration is how many entries a generation of an InstanceMemo
// holds. The entries asked for again are few (those of policies many
// principals hold); most are asked for once (each user's home prefix), and
// a larger generation only keeps more of those: at 20,000 users 1,024
// kept 2 MB less than 4,096, and 256 1.5 MB less than 1,024, each for the
// same time, here and over the whole catalogue (BENCHMARKS.md).
const memoGeneration = 256

// NewInstanceMemo returns an empty memo.
func NewInstanceMemo() *InstanceMemo {
	return newInstanceMemo(memoGeneration)
}

// newInstanceMemo returns an empty memo whose generations hold gen entries.
func newInstanceMemo(gen int) *InstanceMemo {
	return &InstanceMemo{byType: map[*catalog.ResourceType]*gencache.Map[string, []string]{},
		sparse:   map[*catalog.ResourceType]*gencache.Map[string, *sparseInstances]{},
		literals: gencache.New[literalKey, bool](gen), gen: gen}
}

// literal reports whether a request for a can name r, an entry without a
// wildcard: neither of another service nor of another of its service's
// resource types (otherService, otherType). A nil m keeps nothing.
func (m *InstanceMemo) literal(a *catalog.Action, r string) bool {
	if m == nil {
		return !otherService(a, r) && !otherType(a, r)
	}
	key := literalKey{a, r}
	m.mu.Lock()
	ok, found := m.literals.Get(key)
	m.mu.Unlock()
	if found {
		return ok
	}
	ok = !otherService(a, r) && !otherType(a, r)
	m.mu.Lock()
	m.literals.Put(key, ok)
	m.mu.Unlock()
	return ok
}

// entryKey is what InstanceMemo keys an entry's instances by, for every
// resource type (entryInstances): the entry, the caller's partition and
// account, and the entries of the request's statements that can match an
// instance of it (relevant). ok false: the memo is not used for the entry.
type entryKey struct {
	ok       bool
	key      []byte
	relevant narrowing
	// sparse is key but for the relevant entries
	sparse []byte
}

// keyOf returns the entryKey of r, a Resource entry with a wildcard, made
// in k's room: the entries of nw that can match an instance of r
// are found once for all of the action's types. A nil m, a request without
// a caller's account, or an entry or pattern outside ASCII (where
// globsIntersect cannot tell) is not kept.
func (m *InstanceMemo) keyOf(k entryKey, r string, vars map[string]string, nw *narrowing, noCaller bool) entryKey {
	k.ok = false
	if m == nil || noCaller || !isASCII(r) || strings.Contains(r, "${") {
		return k
	}
	// the entries that can match an instance of r: the others match none
	// of the resources entryInstances tries (every one is an instance of
	// r), so their bits in matching are always 0 and they change nothing
	// each text after its length: no bytes of an entry (a NUL, JSON's
	// \u0000) make two requests' keys one
	b := gencache.AppendPart(k.key[:0], r)
	b = gencache.AppendPart(b, vars["Partition"])
	b = gencache.AppendPart(b, vars["Account"])
	k.sparse = append(k.sparse[:0], b...)
	if nw.regional {
		k.sparse = append(k.sparse, 'r')
	}
	k.relevant = narrowing{regional: nw.regional, texts: k.relevant.texts[:0]}
	for _, x := range nw.texts {
		if !isASCII(x) {
			k.key = b
			return k
		}
		if globsIntersect(x, r) {
			k.relevant.texts = append(k.relevant.texts, x)
			b = gencache.AppendPart(b, x)
		}
	}
	if nw.regional {
		b = append(b, 'r')
	}
	if len(k.relevant.texts) == 0 {
		// without relevant entries entryInstances stops at the first
		// instance, trying no other: a list found so is no other's
		k.sparse = append(k.sparse, 'e')
	}
	k.key, k.ok = b, true
	return k
}

// entryInstances is the package's entryInstances, kept in m by k, r's
// entryKey (keyOf); without k.ok it computes it each time.
func (m *InstanceMemo) entryInstances(t *catalog.ResourceType, r string, vars map[string]string, nw *narrowing, noCaller bool, k *entryKey) []string {
	if !k.ok {
		return entryInstances(t, r, vars, nw, noCaller)
	}
	m.mu.Lock()
	byKey := m.byType[t]
	if byKey == nil {
		byKey = gencache.New[string, []string](m.gen)
		m.byType[t] = byKey
	}
	list, ok := gencache.GetBytes(byKey, k.key)
	if ok {
		m.mu.Unlock()
		return list
	}
	bySparse := m.sparse[t]
	if bySparse == nil {
		bySparse = gencache.New[string, *sparseInstances](m.gen)
		m.sparse[t] = bySparse
	}
	last, _ := gencache.GetBytes(bySparse, k.sparse)
	m.mu.Unlock()
	if last != nil && last.agrees(k.relevant.texts) {
		m.sparseHits.Add(1)
		m.mu.Lock()
		byKey.Put(string(k.key), last.list)
		m.mu.Unlock()
		return last.list
	}
	// the relevant texts are copied: k's room is the next entry's
	relevant := narrowing{regional: k.relevant.regional, texts: slices.Clone(k.relevant.texts)}
	found := &sparseInstances{}
	list = entryInstancesTrying(t, r, vars, &relevant, noCaller, &found.tried)
	found.list = list
	for _, x := range relevant.texts {
		if found.tells(x) {
			found.telling = append(found.telling, x)
		}
	}
	m.mu.Lock()
	byKey.Put(string(k.key), list)
	bySparse.Put(string(k.sparse), found)
	m.mu.Unlock()
	return list
}

// sparseInstances are the instances list that entryInstances found for an
// entry of one resource type, caller's partition and account, and regional
// mark, from relevant entries of which telling are those that match some
// resource it tried (entryInstancesTrying); with no relevant entry at all,
// it stops at the first instance, so such a list is kept apart (the key
// says so). entryInstances reads the relevant entries only through which
// of the resources it tries each one matches: an entry that matches none
// of them is a digit 0 in every set it compares, is missed by every
// resource and matched by none, so no resource is built to avoid it, and
// it changes nothing it does. So, with other relevant entries of which
// telling are again those that match some resource of tried, in the same
// order, it tries the same resources, one after another, and finds the
// same list: users whose own prefix no resource tried matches
// (arn:aws:s3:::home/alice/*, beside the entries of the team buckets, for
// "*") share it.
type sparseInstances struct {
	tried, telling, list []string
}

// tells reports whether x, a relevant entry, matches some resource tried
// (as matching reads it).
func (s *sparseInstances) tells(x string) bool {
	for _, v := range s.tried {
		if condition.MatchWildcard(x, v, false) {
			return true
		}
	}
	return false
}

// agrees reports whether of texts, relevant entries, those that match some
// resource tried are telling, in the same order.
func (s *sparseInstances) agrees(texts []string) bool {
	j := 0
	for _, x := range texts {
		if !s.tells(x) {
			continue
		}
		if j == len(s.telling) || s.telling[j] != x {
			return false
		}
		j++
	}
	return j == len(s.telling)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// globsIntersect reports whether some string matches both p and q,
// wildcard patterns of ASCII text ('*' any run, '?' one character, the
// rest literal and compared with case, as condition.MatchWildcard reads
// them): a walk over the pairs of positions, O(len(p)·len(q)).
func globsIntersect(p, q string) bool {
	// the literal text before the first wildcard of either, and after
	// the last, must agree: most entries of an account differ there
	// (arn:aws:s3:::home/... and arn:aws:s3:::team-1/...)
	for i := 0; i < len(p) && i < len(q); i++ {
		a, c := p[i], q[i]
		if a == '*' || c == '*' {
			break
		}
		if a != c && a != '?' && c != '?' {
			return false
		}
	}
	for i, j := len(p)-1, len(q)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		a, c := p[i], q[j]
		if a == '*' || c == '*' {
			break
		}
		if a != c && a != '?' && c != '?' {
			return false
		}
	}
	if p == q {
		return true
	}
	// a literal text intersects a pattern when the pattern matches it: one
	// pass, where the table below takes a row per byte (most Resource
	// entries that pass the checks above are a bucket beside its objects,
	// arn:aws:s3:::b and arn:aws:s3:::b/*)
	if !strings.ContainsAny(p, "*?") {
		return condition.MatchWildcard(q, p, false)
	}
	if !strings.ContainsAny(q, "*?") {
		return condition.MatchWildcard(p, q, false)
	}
	// row i of the table of positions (i in p, j in q) both can be at
	// after reading the same text, and row i+1: moves stay in the row or
	// go to the next one
	var buf [2 * 257]bool
	var cur, next []bool
	if n := len(q) + 1; n <= 257 {
		cur, next = buf[:n], buf[257:257+n]
	} else {
		cur, next = make([]bool, n), make([]bool, n)
	}
	cur[0] = true
	for i := 0; i <= len(p); i++ {
		any := false
		for j := 0; j <= len(q); j++ {
			if !cur[j] {
				continue
			}
			any = true
			pi, qj := i < len(p), j < len(q)
			// a star matches the empty string
			if pi && p[i] == '*' {
				next[j] = true
			}
			if qj && q[j] == '*' {
				cur[j+1] = true
			}
			if !pi || !qj {
				continue
			}
			// one character both accept: a star takes it and stays
			a, c := p[i], q[j]
			switch {
			case a == '*' && c == '*':
				// both stay: nothing new
			case a == '*':
				cur[j+1] = true
			case c == '*':
				next[j] = true
			case a == '?' || c == '?' || a == c:
				next[j+1] = true
			}
		}
		if i == len(p) {
			return cur[len(q)]
		}
		if !any {
			return false
		}
		cur, next = next, cur
		clear(next)
	}
	return false
}
