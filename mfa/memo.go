package mfa

import (
	"strings"
	"sync"

	"github.com/iameval/iameval/catalog"
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
// It keeps at most about 2×memoGeneration entries of each kind: when the
// current generation is full it becomes the old one, and an entry found
// there moves back.
type InstanceMemo struct {
	mu sync.Mutex
	// cur and old hold the instances by resource type and key (the entry,
	// partition, account and the relevant entries, each ended by a 0
	// byte, then 'r' when some entry names a region); n counts cur's
	cur, old map[*catalog.ResourceType]map[string][]string
	n        int
	// gen is how many entries of each kind a generation holds
	gen int
	// literals says whether a request for the action can name a literal
	// entry (one of its service and of no other resource type)
	literals, oldLiterals map[literalKey]bool
}

type literalKey struct {
	a *catalog.Action
	r string
}

// memoGeneration is how many entries a generation of an InstanceMemo
// holds.
const memoGeneration = 4096

// NewInstanceMemo returns an empty memo.
func NewInstanceMemo() *InstanceMemo {
	return newInstanceMemo(memoGeneration)
}

// newInstanceMemo returns an empty memo whose generations hold gen entries.
func newInstanceMemo(gen int) *InstanceMemo {
	return &InstanceMemo{cur: map[*catalog.ResourceType]map[string][]string{}, literals: map[literalKey]bool{}, gen: gen}
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
	ok, found := m.literals[key]
	if !found {
		if ok, found = m.oldLiterals[key]; found {
			m.storeLiteral(key, ok)
		}
	}
	m.mu.Unlock()
	if found {
		return ok
	}
	ok = !otherService(a, r) && !otherType(a, r)
	m.mu.Lock()
	m.storeLiteral(key, ok)
	m.mu.Unlock()
	return ok
}

// storeLiteral keeps ok under key in the current generation; m.mu is
// held.
func (m *InstanceMemo) storeLiteral(key literalKey, ok bool) {
	if len(m.literals) >= m.gen {
		m.oldLiterals, m.literals = m.literals, make(map[literalKey]bool, memoGeneration)
	}
	m.literals[key] = ok
}

// entryInstances is the package's entryInstances, kept in m. A nil m, a
// request without a caller's account, or an entry or pattern outside ASCII
// (where globsIntersect cannot tell) computes it each time.
func (m *InstanceMemo) entryInstances(t *catalog.ResourceType, r string, vars map[string]string, nw *narrowing, noCaller bool) []string {
	if m == nil || noCaller || !isASCII(r) || strings.Contains(r, "${") {
		return entryInstances(t, r, vars, nw, noCaller)
	}
	// the entries that can match an instance of r: the others match none
	// of the resources entryInstances tries (every one is an instance of
	// r), so their bits in matching are always 0 and they change nothing
	var buf [512]byte
	b := append(buf[:0], r...)
	b = append(b, 0)
	b = append(b, vars["Partition"]...)
	b = append(b, 0)
	b = append(b, vars["Account"]...)
	b = append(b, 0)
	relevant := narrowing{regional: nw.regional}
	for _, x := range nw.texts {
		if !isASCII(x) {
			return entryInstances(t, r, vars, nw, noCaller)
		}
		if globsIntersect(x, r) {
			relevant.texts = append(relevant.texts, x)
			b = append(b, x...)
			b = append(b, 0)
		}
	}
	if nw.regional {
		b = append(b, 'r')
	}
	m.mu.Lock()
	list, ok := m.cur[t][string(b)]
	if !ok {
		if list, ok = m.old[t][string(b)]; ok {
			m.store(t, string(b), list)
		}
	}
	m.mu.Unlock()
	if ok {
		return list
	}
	list = entryInstances(t, r, vars, &relevant, noCaller)
	m.mu.Lock()
	m.store(t, string(b), list)
	m.mu.Unlock()
	return list
}

// store keeps list under t and key in the current generation; m.mu is
// held.
func (m *InstanceMemo) store(t *catalog.ResourceType, key string, list []string) {
	if m.n >= m.gen {
		m.old, m.cur, m.n = m.cur, map[*catalog.ResourceType]map[string][]string{}, 0
	}
	byKey := m.cur[t]
	if byKey == nil {
		byKey = map[string][]string{}
		m.cur[t] = byKey
	}
	if _, dup := byKey[key]; !dup {
		m.n++
	}
	byKey[key] = list
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
