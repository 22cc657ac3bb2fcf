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
// share them. It keeps at most about 2×memoGeneration entries: when the
// current generation is full it becomes the old one, and an entry found
// there moves back.
type InstanceMemo struct {
	mu       sync.Mutex
	cur, old map[memoKey][]string
}

// memoGeneration is how many entries a generation of an InstanceMemo
// holds.
const memoGeneration = 4096

type memoKey struct {
	t *catalog.ResourceType
	// entry, partition, account and the relevant entries, each ended by
	// a 0 byte, then 'r' when some entry names a region
	text string
}

// NewInstanceMemo returns an empty memo.
func NewInstanceMemo() *InstanceMemo {
	return &InstanceMemo{cur: map[memoKey][]string{}}
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
	var b strings.Builder
	b.WriteString(r)
	b.WriteByte(0)
	b.WriteString(vars["Partition"])
	b.WriteByte(0)
	b.WriteString(vars["Account"])
	b.WriteByte(0)
	relevant := narrowing{regional: nw.regional}
	for _, x := range nw.texts {
		if !isASCII(x) {
			return entryInstances(t, r, vars, nw, noCaller)
		}
		if globsIntersect(x, r) {
			relevant.texts = append(relevant.texts, x)
			b.WriteString(x)
			b.WriteByte(0)
		}
	}
	if nw.regional {
		b.WriteByte('r')
	}
	key := memoKey{t, b.String()}
	m.mu.Lock()
	list, ok := m.cur[key]
	if !ok {
		if list, ok = m.old[key]; ok {
			m.store(key, list)
		}
	}
	m.mu.Unlock()
	if ok {
		return list
	}
	list = entryInstances(t, r, vars, &relevant, noCaller)
	m.mu.Lock()
	m.store(key, list)
	m.mu.Unlock()
	return list
}

// store keeps list under key in the current generation; m.mu is held.
func (m *InstanceMemo) store(key memoKey, list []string) {
	if len(m.cur) >= memoGeneration {
		m.old, m.cur = m.cur, make(map[memoKey][]string, memoGeneration)
	}
	m.cur[key] = list
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
	w := len(q) + 1
	var buf [4096]bool
	var reach []bool
	if n := (len(p) + 1) * w; n <= len(buf) {
		reach = buf[:n]
	} else {
		reach = make([]bool, n)
	}
	reach[0] = true
	for i := 0; i <= len(p); i++ {
		for j := 0; j <= len(q); j++ {
			if !reach[i*w+j] {
				continue
			}
			pi, qj := i < len(p), j < len(q)
			// a star matches the empty string
			if pi && p[i] == '*' {
				reach[(i+1)*w+j] = true
			}
			if qj && q[j] == '*' {
				reach[i*w+j+1] = true
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
				reach[i*w+j+1] = true
			case c == '*':
				reach[(i+1)*w+j] = true
			case a == '?' || c == '?' || a == c:
				reach[(i+1)*w+j+1] = true
			}
		}
	}
	return reach[len(p)*w+len(q)]
}
