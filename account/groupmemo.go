package account

import (
	"strconv"
	"strings"
	"sync"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/internal/gencache"
	"github.com/iameval/iameval/internal/keyhash"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Group keys made without an engine.
//
// groupKey compiles a principal's engine to find the class of its
// sts:AssumeRole request (Classifier.Class); at 20,000 users that is a
// compilation and a footprint per principal for a few hundred groups. What
// the key reads of the engine is a function of the principal's policy set
// that can be read without compiling it:
//
//   - the footprint of sts:AssumeRole: the statements whose Action or
//     NotAction matches it (evaluator.Engine.AppendFootprint), their
//     policies' types and levels, their places and their contents (by
//     statementIDs), and the keys they read;
//   - the engine's shape (evaluator.Engine.AppendShape), from which
//     policies the set holds, and its MFA thresholds (mfa.Thresholds), from
//     the conditions of every statement;
//   - the spelling and order of the keys, from the conditions and policy
//     variables of every statement, in order.
//
// So principals whose sets are alike in these (preKey) have group keys
// alike but for the values their live requests carry of the keys read,
// which are read from each principal's own request. The first principal of
// each pre-key is keyed the whole way, and the parts of its key the others
// share are kept (preEntry); each other member's key is that with its own
// values, and its slots its own policies in the same places. A principal
// whose policy does not check (policy.Check) is keyed the whole way, as is
// every member of a pre-key whose first principal's key could not be made
// or whose slots share a name (Slots.Map tells such policies apart by
// identity). TestGroupKeysWithoutEngines compares every principal's key and
// slots made so with those made the whole way.

// preKeys are the group keys' parts shared by pre-key.
type preKeys = keyhash.Table[preEntry]

// preEntry is what the principals of one pre-key share of their group
// keys, made from the first of them.
type preEntry struct {
	once sync.Once
	// ok says the parts were made: else each member is keyed the whole
	// way
	ok bool
	// may is groupKey's answer to "may its identity policies allow
	// sts:AssumeRole at all"
	may bool
	// head is the class key up to the values of the keys the footprint
	// reads, which are names, in the order the key writes them
	head  []byte
	names []string
	// slots are the first principal's; places, each slot's index among
	// the engine's policies (engineSlots)
	slots  Slots
	places []int
}

// appendPreKey appends p's pre-key to b (see above); ok is false when p is
// to be keyed the whole way: a policy of its own does not check, or its set
// holds policies a pre-key does not describe.
func (an *Analyzer) appendPreKey(b []byte, p *Principal, set *evaluator.PolicySet) (_ []byte, ok bool) {
	if len(set.Session) > 0 || set.Resource != nil {
		return b, false
	}
	caller := request.ParsePrincipal(p.Caller)
	b = append(b, byte(p.Kind), byte(caller.Kind))
	b = gencache.AppendPart(b, caller.Partition)
	b = gencache.AppendPart(b, caller.Account)
	for _, d := range set.Identity {
		b = append(b, 'I')
		if b, ok = an.appendPolicyPreKey(b, d); !ok {
			return b, false
		}
	}
	if set.Boundary != nil {
		b = append(b, 'B')
		if b, ok = an.appendPolicyPreKey(b, set.Boundary); !ok {
			return b, false
		}
	}
	return b, true
}

// appendPolicyPreKey appends what the pre-key reads of d: a policy other
// principals hold too by identity; one of p's own by the content of each
// statement, all of it for a statement that may match sts:AssumeRole or
// names a policy variable in its Resource or NotResource element, all but
// those elements for the others (rowStatementIDs: a user's home prefix).
func (an *Analyzer) appendPolicyPreKey(b []byte, d *policy.Policy) ([]byte, bool) {
	if d == nil {
		return append(b, 'n'), true
	}
	if an.HeldByMany(d) {
		b = append(b, 'p')
		return strconv.AppendUint(b, uint64(an.policyID(d)), 10), true
	}
	// compiling p's engine would fail: keyed the whole way, which says so
	if errs := policy.Check(d, policy.KindIdentity); len(errs) > 0 {
		return b, false
	}
	var all, rows []uint32
	b = append(b, 'c')
	for i, st := range d.Statements {
		if mayMatchAssumeRole(st) || readsVariables(st.Resource) {
			if all == nil {
				all = an.statementIDs(d)
			}
			b = append(b, 't')
			b = strconv.AppendUint(b, uint64(all[i]), 10)
			continue
		}
		if rows == nil {
			rows = an.rowStatementIDs(d)
		}
		b = append(b, 'r')
		b = strconv.AppendUint(b, uint64(rows[i]), 10)
	}
	return append(b, 0), true
}

// mayMatchAssumeRole reports whether st's Action or NotAction element may
// match sts:AssumeRole, erring towards yes: a NotAction, a missing
// element, and any entry that is not a plain action name of another
// service (one holding a wildcard, a variable or anything but letters,
// digits, '-', '_' and one ':').
func mayMatchAssumeRole(st *policy.Statement) bool {
	if st.Action == nil || st.Action.Not {
		return true
	}
	for _, v := range st.Action.Values {
		service, _, found := strings.Cut(v.Text, ":")
		if !found || strings.EqualFold(service, "sts") {
			return true
		}
		for i := 0; i < len(v.Text); i++ {
			c := v.Text[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == ':') {
				return true
			}
		}
		if strings.Count(v.Text, ":") != 1 {
			return true
		}
	}
	return false
}

// readsVariables reports whether a Resource or NotResource element names
// a policy variable, whose key the engine interns.
func readsVariables(l *policy.List) bool {
	if l == nil {
		return false
	}
	for _, v := range l.Values {
		if strings.Contains(v.Text, "${") {
			return true
		}
	}
	return false
}

// keep makes e from the first principal's classifier cl, whose last Class
// call made key and slots: ok only when the key is its head and the values
// of the footprint's keys, as cl wrote them.
func (e *preEntry) keep(cl *Classifier, key []byte, slots Slots, may bool) {
	var tail []byte
	var names []string
	for _, id := range cl.fp.KeyIDs {
		name := cl.e.Keys()[id]
		names = append(names, name)
		tail = append(tail, name...)
		tail = append(tail, '=')
		tail = append(tail, keyValue(cl.p, cl.req, name)...)
		tail = append(tail, 0)
	}
	if len(key) < len(tail) || string(key[len(key)-len(tail):]) != string(tail) || duplicateNames(slots) {
		return
	}
	places := make([]int, 0, len(slots))
	last := -1
	for _, ref := range cl.fp.Statements {
		if ref.Policy != last {
			last = ref.Policy
			places = append(places, ref.Policy)
		}
	}
	if len(places) != len(slots) {
		return
	}
	for i, at := range places {
		if cl.pols[at] != slots[i] {
			return
		}
	}
	e.ok, e.may = true, may
	e.head = append([]byte(nil), key[:len(key)-len(tail)]...)
	e.names, e.slots, e.places = names, slots, places
}

// classOf returns the class key and slots of member p, whose policies in
// engine order are pols (engineSlots) and whose live request is req, from
// e; ok false: p's slots share a name, and p is keyed the whole way.
func (e *preEntry) classOf(b []byte, p *Principal, pols Slots, req *request.Context) (class []byte, slots Slots, ok bool) {
	if len(e.slots) > 0 {
		// (none is nil, as Classifier.Class makes it)
		slots = make(Slots, len(e.slots))
	}
	for i, s := range e.slots {
		s.Policy = pols[e.places[i]].Policy
		slots[i] = s
	}
	if duplicateNames(slots) {
		return b, nil, false
	}
	b = append(b, e.head...)
	for _, name := range e.names {
		b = append(b, name...)
		b = append(b, '=')
		b = append(b, keyValue(p, req, name)...)
		b = append(b, 0)
	}
	return b, slots, true
}
