package account

import (
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// PrincipalTemplates makes the principal template keys of users for the
// analyses of some actions: users whose analyses differ only in their
// names share a key. It is safe for concurrent use.
//
// An action's analysis reads its footprint's statements and the keys
// they read (Classifier). Where none of those holds the user's name, reads
// ${aws:username}, or reads a key whose value holds the name, the name
// does not enter the analysis: two users whose policies and keys are alike
// there get the same answers (the same class: Classifier.Class). Where
// one does, TemplateClass abstracts the name under its rules (see there),
// and the answer of one user is the other's with the names replaced.
// PrincipalTemplates.Key keys a user's analyses of every action at once,
// without an engine, so that two users of one key get, action by action,
// answers alike: the same where the action does not name them, alike but
// for the names (TemplateClass keys equal, both made) where it does. The
// key holds:
//
//   - the caller's kind, partition and account, and its ARN with the name
//     marked (its path);
//   - the engine's policies in order, by type and level; a policy other
//     principals hold too by identity, no value of it holding or
//     overlapping the name (nameOverlaps, containsFold: so its statements
//     name nobody, and are templated alike for both), one of the user's
//     own by the template of each statement (statementTemplate), which
//     writes the Action elements as they are, so the footprints of every
//     action are the same places; the engine's shape and MFA thresholds
//     follow;
//   - every condition key of every statement, as spelt, with whether the
//     user lacks it and the value its live request carries with the name
//     marked (no statement may read aws:userid), and so the value of
//     aws:username, which ${aws:username} reads (the options' context may
//     give every user one name);
//   - the name's kinds (appendKinds), or its shape when some Resource
//     value writes it beside a '*' (appendShape, which its kinds follow);
//   - for each action, whether the statements that may match it
//     (policy.List.Covers: every statement of its footprint, maybe more)
//     name the user (they hold its name or ${aws:username}, or read a key
//     whose value holds it); when they do, that the name fits the
//     vocabulary of the action's service (vocabFits), and, when one writes
//     the name in a Resource value, the bytes of
//     catalog.InstanceAvoiding's alphabet the name holds up to the first
//     that neither it nor any Resource value of those statements writes
//     (the footprint's values are some of them: its fresh bytes follow).
//
// What a trust policy decides (sts:AssumeRole) reads the roles of the
// dump as well, which are not renamed: a caller carries over only the own
// side of such an action's rows.
type PrincipalTemplates struct {
	an      *Analyzer
	actions []string
	// vocabs check a name against the vocabulary of each action's
	// service (vocabFits), nil for an action without one
	vocabs []*nameChecker
	// shared are the templates of the policies other principals hold;
	// covers, for statements of principals' own policies, which actions
	// each may match, a bit each (statements copies of one policy share)
	mu     sync.Mutex
	shared map[*policy.Policy]*sharedTemplate
	// covers are by the Action element's text (actionKey): a statement
	// of a principal's own is not kept alive for it
	covers map[string][]uint64
}

// sharedTemplate is what a principal template reads of a policy other
// principals hold, whatever the user's name: its statements templated
// without a name (templater.collect).
type sharedTemplate struct {
	// bad says some statement breaks a rule whatever the name
	bad bool
	// overlap and contain are the texts the name must not overlap or lie
	// in, lower-cased but for those not ASCII (odd, which containsFold
	// reads)
	overlap, contain, odd []string
	loose                 bool
	// keys are the condition keys of its statements, in order; actions,
	// what the statements that may match each action read
	keys    []string
	actions []actionLiterals
}

// actionLiterals is what a principal template reads of the statements
// that may match an action: whether one writes the name (or
// ${aws:username}) in a Resource value (named), or anywhere (mentions),
// the bytes their Resource values write, and the condition keys they
// read.
type actionLiterals struct {
	named, mentions bool
	literal         [4]uint64
	keys            []string
}

// add adds what a statement that may match the action reads.
func (x *actionLiterals) add(named, mentions bool, literal [4]uint64, conds []*policy.Clause) {
	x.named = x.named || named
	x.mentions = x.mentions || mentions
	for k, w := range literal {
		x.literal[k] |= w
	}
	for _, cl := range conds {
		x.keys = append(x.keys, cl.Key)
	}
}

// PrincipalTemplates returns the maker of principal template keys for the
// analyses of actions; vocabs are the vocabularies of their services
// (mfa.Vocabulary of each: the texts of resource parts and of the fields
// before), in the order of actions, nil for an action the catalogue does
// not know.
func (an *Analyzer) PrincipalTemplates(actions []string, vocabs [][2][]string) *PrincipalTemplates {
	pt := &PrincipalTemplates{an: an, actions: actions, vocabs: make([]*nameChecker, len(actions)),
		shared: map[*policy.Policy]*sharedTemplate{}, covers: map[string][]uint64{}}
	made := map[*string]*nameChecker{}
	for i, v := range vocabs {
		if v[0] == nil && v[1] == nil {
			continue
		}
		// one per vocabulary: a service's actions share theirs
		var id *string
		if len(v[0]) > 0 {
			id = &v[0][0]
		} else if len(v[1]) > 0 {
			id = &v[1][0]
		}
		c, ok := made[id]
		if !ok || id == nil {
			c = newNameChecker(v[0], v[1])
			made[id] = c
		}
		pt.vocabs[i] = c
	}
	return pt
}

// coversOf returns which of the actions s may match (policy.List.Covers),
// a bit each, made once for s.
func (pt *PrincipalTemplates) coversOf(s *policy.Statement) []uint64 {
	var room [256]byte
	key := actionKey(room[:0], s.Action)
	pt.mu.Lock()
	bits, ok := pt.covers[string(key)]
	pt.mu.Unlock()
	if ok {
		return bits
	}
	bits = make([]uint64, (len(pt.actions)+63)/64)
	for i, a := range pt.actions {
		if s.Action == nil || s.Action.Covers(a, true) {
			bits[i/64] |= 1 << (i % 64)
		}
	}
	pt.mu.Lock()
	pt.covers[string(key)] = bits
	pt.mu.Unlock()
	return bits
}

// actionKey appends to b the text of an Action or NotAction element
// (none: nil), what List.Covers reads of it.
func actionKey(b []byte, l *policy.List) []byte {
	switch {
	case l == nil:
		return append(b, 2)
	case l.Not:
		b = append(b, 1)
	default:
		b = append(b, 0)
	}
	for _, v := range l.Values {
		b = binary.AppendUvarint(b, uint64(len(v.Text)))
		b = append(b, v.Text...)
	}
	return b
}

// sharedOf returns d's sharedTemplate, made once.
func (pt *PrincipalTemplates) sharedOf(d *policy.Policy) *sharedTemplate {
	pt.mu.Lock()
	st, ok := pt.shared[d]
	pt.mu.Unlock()
	if ok {
		return st
	}
	st = &sharedTemplate{actions: make([]actionLiterals, len(pt.actions))}
	var col collected
	for _, s := range d.Statements {
		if s.Principal != nil {
			st.bad = true
			break
		}
		t := templater{name: "\x00\x00", vars: d.VariablesEnabled(), collect: &col}
		t.statement(s)
		if t.bad || t.occurs {
			st.bad = true
			break
		}
		st.loose = st.loose || t.loose
		for _, cl := range s.Conditions {
			st.keys = append(st.keys, cl.Key)
		}
		bits := pt.coversOf(s)
		for i := range pt.actions {
			if bits[i/64]&(1<<(i%64)) != 0 {
				st.actions[i].add(t.named, t.usesVar, t.literal, s.Conditions)
			}
		}
	}
	for _, o := range col.overlap {
		if !isASCIIText(o) {
			st.bad = true // nameOverlaps: every name overlaps it
		}
		st.overlap = append(st.overlap, strings.ToLower(o))
	}
	for _, o := range col.contain {
		if !isASCIIText(o) {
			st.odd = append(st.odd, o)
			continue
		}
		st.contain = append(st.contain, strings.ToLower(o))
	}
	pt.mu.Lock()
	if had, ok := pt.shared[d]; ok {
		st = had
	} else {
		pt.shared[d] = st
	}
	pt.mu.Unlock()
	return st
}

// fits reports whether the name n (lower lower-cased) breaks no rule with
// st's texts.
func (st *sharedTemplate) fits(n, lower string) bool {
	if st.bad {
		return false
	}
	for _, o := range st.overlap {
		if overlapsLower(o, lower) {
			return false
		}
	}
	for _, o := range st.contain {
		if strings.Contains(o, lower) {
			return false
		}
	}
	for _, o := range st.odd {
		if containsFold(o, n) {
			return false
		}
	}
	return true
}

// overlapsLower is nameOverlaps of s and n, both ASCII and lower-cased:
// s holds n, lies inside it, or one's end is the other's beginning. (It
// is nameOverlaps's rule for texts lower-cased once: nameOverlaps, called
// on the catalogue's texts as they are, compares without case rather than
// lower-case each.)
func overlapsLower(s, n string) bool {
	if s == "" {
		return false
	}
	if strings.Contains(s, n) || strings.Contains(n, s) {
		return true
	}
	for k := 1; k < len(n) && k <= len(s); k++ {
		if s[len(s)-k:] == n[:k] || s[:k] == n[len(n)-k:] {
			return true
		}
	}
	return false
}

// Key returns the principal template key of user p (see above), the slots
// of p's engine (every policy of Engine(p, nil), in its order), and which
// of the actions name p (named; the same for every user of the key). The
// key is valid until the next call with room, which it is made in (nil
// makes one; the room returned is for the next call). ok is false when p
// is not a user, a rule does not hold, or two of its policies share a
// name, type and level.
func (pt *PrincipalTemplates) Key(room *Classifier, p *Principal) (_ *Classifier, key []byte, slots Slots, named []bool, ok bool) {
	an := pt.an
	c := room
	if c == nil {
		c = &Classifier{values: map[int]string{}}
	}
	if c.tstmts == nil {
		c.tstmts = map[*policy.Statement]*stmtTemplate{}
	}
	clear(c.tstmts)
	n := p.Name
	if p.Kind != KindUser || !templateName(n) {
		return c, nil, nil, nil, false
	}
	lower := strings.ToLower(n)
	caller := request.ParsePrincipal(p.Caller)
	set := an.acct.PolicySet(p)
	set.SCPs, set.RCPs = an.opts.SCPs, an.opts.RCPs
	if len(set.Session) > 0 || set.Resource != nil {
		return c, nil, nil, nil, false
	}
	slots = engineSlots(make(Slots, 0, len(set.Identity)+1), &set)
	if duplicateNames(slots) {
		return c, nil, nil, nil, false
	}
	c.an, c.p, c.e = an, p, nil
	c.req = an.LiveRequestIn(c.req, p, "", "")
	t := templater{name: n, b: append(c.tbuf[:0], 'P', byte(p.Kind), byte(caller.Kind))}
	t.part(caller.Partition)
	t.part(caller.Account)
	t.value(p.Caller, false)
	if t.bad {
		return c, nil, nil, nil, false
	}
	acts := slices.Grow(c.acts[:0], len(pt.actions))[:len(pt.actions)]
	clear(acts)
	c.acts = acts
	// first aws:username, which ${aws:username} reads: the user's name,
	// unless the options' context gives it another
	keys := append(c.keys[:0], "aws:username")
	defer func() { c.keys = keys[:0] }()
	for _, cp := range slots {
		d := cp.Policy
		t.b = append(t.b, 2, byte(cp.Type))
		t.b = strconv.AppendInt(t.b, int64(cp.Level), 10)
		t.b = append(t.b, ':')
		t.b = append(t.b, d.Version...)
		t.b = append(t.b, 0)
		if an.HeldByMany(d) {
			st := pt.sharedOf(d)
			if !st.fits(n, lower) {
				return c, nil, nil, nil, false
			}
			t.b = append(t.b, 'p')
			t.b = strconv.AppendUint(t.b, uint64(an.policyID(d)), 10)
			t.loose = t.loose || st.loose
			for i := range st.actions {
				x := &st.actions[i]
				acts[i].add(x.named, x.mentions, x.literal, nil)
			}
			keys = append(keys, st.keys...)
			continue
		}
		for i, s := range d.Statements {
			rec := c.statementTemplate(d, s)
			if rec.bad {
				return c, nil, nil, nil, false
			}
			t.b = append(t.b, ' ')
			t.b = strconv.AppendInt(t.b, int64(i), 10)
			t.b = append(t.b, '=')
			t.b = strconv.AppendUint(t.b, uint64(rec.id), 10)
			t.loose = t.loose || rec.loose
			bits := pt.coversOf(s)
			for k := range pt.actions {
				if bits[k/64]&(1<<(k%64)) != 0 {
					acts[k].add(rec.named, rec.occurs || rec.usesVar, rec.literal, nil)
				}
			}
			for _, cl := range s.Conditions {
				keys = append(keys, cl.Key)
			}
		}
	}
	t.nameForm()
	// the keys: their values, and which name the user
	if c.naming == nil {
		c.naming = map[string]bool{}
	}
	naming := c.naming
	clear(naming)
	for _, k := range keys {
		names, ok := t.key(p, c.req, k)
		if !ok {
			return c, nil, nil, nil, false
		}
		if names {
			naming[k] = true
		}
	}
	t.b = append(t.b, 0)
	if len(naming) > 0 {
		// the actions the statements that read such a key may match name
		// the user too
		for _, cp := range slots {
			d := cp.Policy
			if an.HeldByMany(d) {
				for i := range acts {
					for _, k := range pt.sharedOf(d).actions[i].keys {
						acts[i].mentions = acts[i].mentions || naming[k]
					}
				}
				continue
			}
			for _, s := range d.Statements {
				bits := pt.coversOf(s)
				for _, cl := range s.Conditions {
					if !naming[cl.Key] {
						continue
					}
					for i := range acts {
						if bits[i/64]&(1<<(i%64)) != 0 {
							acts[i].mentions = true
						}
					}
				}
			}
		}
	}
	named = make([]bool, len(pt.actions))
	// each vocabulary's verdict, asked once (vocabFits)
	var fits []*nameChecker
	for i := range acts {
		x := &acts[i]
		if !x.mentions && !x.named {
			t.b = append(t.b, 1)
			continue
		}
		named[i] = true
		v := pt.vocabs[i]
		if v == nil {
			return c, nil, nil, nil, false
		}
		if !slices.Contains(fits, v) {
			if v.hits(n, lower) || containsFold(caller.Partition, n) || containsFold(caller.Account, n) {
				return c, nil, nil, nil, false
			}
			fits = append(fits, v)
		}
		t.b = append(t.b, 2)
		if x.named {
			f := templater{name: n, literal: x.literal}
			t.b = append(t.b, f.freshWalk()...)
		}
		t.b = append(t.b, 1)
	}
	c.tbuf = t.b
	return c, t.b, slots, named, true
}

// freshWalk is what fresh reads of the name for any footprint: walking
// catalog.InstanceAvoiding's alphabet, each byte the name holds, or '.'
// for one it does not, up to the first that neither the name nor any of
// the values written (literal) holds. A footprint's values are some of
// them, so fresh stops for it at that byte or before, having read only
// bytes the walk names.
func (t *templater) freshWalk() []byte { return t.walk(true) }

// engineSlots appends to out the policies of set in the order an engine
// compiled from it holds them (evaluator.Compiler.Compile), with their
// types and levels: the identity policies, the boundary, the session
// policies, the resource policy, the SCPs and the RCPs of each level, but
// for nil ones.
func engineSlots(out Slots, set *evaluator.PolicySet) Slots {
	add := func(d *policy.Policy, t evaluator.PolicyType, level int) {
		if d != nil {
			out = append(out, evaluator.CompiledPolicy{Policy: d, Type: t, Level: level})
		}
	}
	for _, d := range set.Identity {
		add(d, evaluator.TypeIdentity, 0)
	}
	add(set.Boundary, evaluator.TypeBoundary, 0)
	for _, d := range set.Session {
		add(d, evaluator.TypeSession, 0)
	}
	add(set.Resource, evaluator.TypeResource, 0)
	for l, level := range set.SCPs {
		for _, d := range level {
			add(d, evaluator.TypeSCP, l)
		}
	}
	for l, level := range set.RCPs {
		for _, d := range level {
			add(d, evaluator.TypeRCP, l)
		}
	}
	return out
}
