package account

import (
	"encoding/binary"
	"iter"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"unsafe"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/request"
)

// Groups of callers.
//
// Who can reach each role asks about every (caller, role) pair: 44 million
// pairs at 20,000 users and 2,000 roles. A caller's request for a session of
// a role is decided by its class (callerEngine.callerClass): the class of
// its sts:AssumeRole request (Classifier.Class), the role, the credentials
// tried, how the trust policy's Principal elements name the caller, and the
// values the caller's live request carries of the keys the trust policy
// reads. All but the Principal match are the same for a caller whatever the
// role, once the values of every key any trust policy reads are known; and
// a trust policy names most callers only through their account, or as
// everyone, as it names every other caller of their kind and account
// (evaluator.Engine.IndividualPrincipals). So the principals of the dump
// are put in groups once (same kind, credentials tried, identity-side
// answer to "may it call sts:AssumeRole at all", class, and values of the
// trust policies' keys), each group is decided once per role through a
// member the trust policy does not name one by one, and only the members a
// trust policy names one by one (and principals that fit no group: their
// engine does not compile, or every caller is decided by itself,
// Options.EachCaller) are decided pair by pair. Every answer is the answer
// of the class its pair has, as deciding the pair would find it.

// callerGroups are the principals of the dump in groups.
type callerGroups struct {
	// of is the group of each principal (dumpPrincipals order), -1 for a
	// principal decided pair by pair for every role
	of []int32
	// members are each group's principals, in dump order; roles says
	// they are role sessions
	members [][]int32
	roles   []bool
	// solo are the principals of no group
	solo []int32
	// dense holds *[]int32 of len(of), each's scratch
	dense sync.Pool
}

// groups returns the groups of the dump's principals, made once. It sets
// each grouped principal's slots (assumeSlots).
func (an *Analyzer) groups() *callerGroups {
	an.groupsOnce.Do(func() { an.callerGroups = an.makeGroups() })
	return an.callerGroups
}

func (an *Analyzer) makeGroups() *callerGroups {
	principals := an.dumpPrincipals()
	keys := an.trustKeys()
	gkeys := make([]string, len(principals))
	ok := make([]bool, len(principals))
	if !an.opts.EachCaller {
		// each core makes its principals' classifiers in rooms it reuses
		var rooms sync.Pool
		memo := &preKeys{}
		run(len(principals), func(i int) {
			room, _ := rooms.Get().(*Classifier)
			gkeys[i], ok[i], room = an.sharedGroupKey(principals[i], int32(i), keys, room, memo)
			if room != nil {
				rooms.Put(room)
			}
		})
	}
	g := &callerGroups{of: make([]int32, len(principals))}
	index := map[string]int32{}
	for i, p := range principals {
		if !ok[i] {
			g.of[i] = -1
			g.solo = append(g.solo, int32(i))
			continue
		}
		id, found := index[gkeys[i]]
		if !found {
			id = int32(len(g.members))
			index[gkeys[i]] = id
			g.members = append(g.members, nil)
			g.roles = append(g.roles, p.Kind == KindRole)
		}
		g.of[i] = id
		g.members[id] = append(g.members[id], int32(i))
	}
	return g
}

// trustKeys returns every key a trust policy of the account reads, as each
// trust policy spells it, in the order of roles.
func (an *Analyzer) trustKeys() []string {
	var keys []string
	seen := map[string]bool{}
	for _, r := range an.acct.Roles {
		te, err := an.trustEngine(r)
		if err != nil {
			continue // deciding any caller of r says the error
		}
		for _, k := range te.Keys() {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// sharedGroupKey is groupKey, made from the parts p shares with the other
// principals of its pre-key when it can (see groupmemo.go). room holds
// the scratch of the last principal its core keyed.
func (an *Analyzer) sharedGroupKey(p *Principal, at int32, keys []string, room *Classifier, memo *preKeys) (string, bool, *Classifier) {
	if room == nil {
		room = &Classifier{values: map[int]string{}}
	}
	set := an.acct.PolicySet(p)
	set.SCPs, set.RCPs = an.opts.SCPs, an.opts.RCPs
	pk, ok := an.appendPreKey(room.tbuf[:0], p, &set)
	room.tbuf = pk
	if !ok {
		return an.groupKey(p, at, keys, room)
	}
	e := memo.Get(pk)
	first := false
	var key string
	e.once.Do(func() {
		first = true
		key, ok, room = an.groupKey(p, at, keys, room)
		if ok {
			// the classifier's last Class call made the key's class
			e.keep(room, room.buf, an.slotsOf(at), key[2] == 1)
		}
	})
	if first {
		return key, ok, room
	}
	if !e.ok {
		return an.groupKey(p, at, keys, room)
	}
	pols := engineSlots(make(Slots, 0, len(set.Identity)+1), &set)
	room.req = an.LiveRequestIn(room.req, p, "", "")
	class, slots, ok := e.classOf(room.buf[:0], p, pols, room.req)
	room.buf = class
	if !ok {
		return an.groupKey(p, at, keys, room)
	}
	return an.makeGroupKey(p, at, keys, e.may, class, slots, room.req), true, room
}

// makeGroupKey sets p's slots (at in dumpPrincipals) and returns its group
// key: its kind, the credentials tried, may, the number of its class and
// what its live request req carries of each of keys.
func (an *Analyzer) makeGroupKey(p *Principal, at int32, keys []string, may bool, class []byte, slots Slots, req *request.Context) string {
	an.setAssumeSlots(at, an.keepSlots(p, slots))
	b := []byte{byte(p.Kind), byte(triedBy(p)), 0}
	if may {
		b[2] = 1
	}
	b = strconv.AppendUint(b, uint64(an.intern(class)), 10)
	b = append(b, 0)
	for _, k := range keys {
		b = append(b, k...)
		b = append(b, '=')
		b = append(b, keyValue(p, req, k)...)
		b = append(b, 0)
	}
	return string(b)
}

// slotsOf returns the slots groupKey set for principal at.
func (an *Analyzer) slotsOf(at int32) Slots {
	an.slotsMu.Lock()
	kept := an.assumeSlots[at]
	an.slotsMu.Unlock()
	return an.slotsFrom(an.principals[at], kept)
}

// setAssumeSlots sets principal at's kept slots, once: the same kept
// slots for every principal whose slots are alike but for its own policies
// (each user of a template keeps its group's and managed policies in the
// same places, and its own by place), so that 20,000 users keep a few
// thousand copies, not 20,000.
func (an *Analyzer) setAssumeSlots(at int32, kept keptSlots) {
	key := make([]byte, 0, 16*len(kept.slots))
	for i, cp := range kept.slots {
		// (a heap object does not move: its address names it)
		key = binary.LittleEndian.AppendUint64(key, uint64(uintptr(unsafe.Pointer(cp.Policy))))
		key = append(key, byte(cp.Type))
		key = binary.LittleEndian.AppendUint32(key, uint32(cp.Level))
		own := int32(-1)
		if kept.own != nil {
			own = kept.own[i]
		}
		key = binary.LittleEndian.AppendUint32(key, uint32(own))
	}
	an.slotsMu.Lock()
	defer an.slotsMu.Unlock()
	if an.assumeSlots[at] != nil {
		return
	}
	k := an.keptShapes[string(key)]
	if k == nil {
		if an.keptShapes == nil {
			an.keptShapes = map[string]*keptSlots{}
		}
		k = &kept
		an.keptShapes[string(key)] = k
	}
	an.assumeSlots[at] = k
}

// keptSlots are a principal's slots as the analyzer keeps them until the
// analysis ends (assumeSlots): the policies several principals hold by
// pointer, and each of the principal's own by its place in the
// principal's set (own: Account.placeIn), its Policy nil. Kept whole for every principal they would keep every
// user's inline policies alive, the most of a large account's model.
type keptSlots struct {
	slots Slots
	// own, when not nil, holds for each slot the place of the
	// principal's own policy, or -1
	own []int32
}

// keepSlots returns p's slots as they are kept.
func (an *Analyzer) keepSlots(p *Principal, slots Slots) keptSlots {
	var own []int32
	for i, cp := range slots {
		if cp.Type != evaluator.TypeIdentity && cp.Type != evaluator.TypeBoundary || an.HeldByMany(cp.Policy) {
			continue
		}
		if own == nil {
			own = make([]int32, len(slots))
			for j := range own {
				own[j] = -1
			}
		}
		own[i] = int32(an.acct.placeIn(p, cp.Policy, cp.Type == evaluator.TypeBoundary))
	}
	if own == nil {
		return keptSlots{slots: slots}
	}
	kept := keptSlots{slots: slices.Clone(slots), own: own}
	for i, j := range own {
		if j >= 0 {
			kept.slots[i].Policy = nil
		}
	}
	return kept
}

// slotsFrom returns the slots kept of p (keepSlots), its own policies
// found again in its set (Account.policyAt); nil when none were kept.
func (an *Analyzer) slotsFrom(p *Principal, kept *keptSlots) Slots {
	if kept == nil {
		return nil
	}
	if kept.own == nil {
		return kept.slots
	}
	slots := slices.Clone(kept.slots)
	for i, j := range kept.own {
		if j >= 0 {
			slots[i].Policy = an.acct.policyAt(p, int(j))
		}
	}
	return slots
}

// groupKey is the group of principal p, at in dumpPrincipals: its kind,
// the credentials tried, whether its identity policies may allow
// sts:AssumeRole at all (the shortcut of a trust policy that names its
// account), the class of its sts:AssumeRole request, and what its live
// request carries of each of keys. ok false: p is decided pair by pair.
// Its classifier is made in room's (ClassifierIn), which it returns.
func (an *Analyzer) groupKey(p *Principal, at int32, keys []string, room *Classifier) (key string, ok bool, _ *Classifier) {
	base := an.callerEngine(p)
	e, err := base.engine()
	if err != nil || e == nil {
		return "", false, room
	}
	x := dumpAssumer(p)
	may, err := an.mayAllow(x, base)
	if err != nil {
		return "", false, room
	}
	cl := an.ClassifierIn(room, p, e)
	class, slots := cl.Class(x.Action)
	return an.makeGroupKey(p, at, keys, may, class, slots, cl.req), true, cl
}

// namedOneByOne returns, for each role, the principals of the dump its
// trust policy names one by one (evaluator.Engine.IndividualPrincipals):
// by their caller ARN, or as sessions of their role. Sorted, no repeats.
func (an *Analyzer) namedOneByOne(roles []*Role) [][]int32 {
	principals := an.dumpPrincipals()
	byName := map[string][]int32{}
	// the sessions, by role name and account (apart from the names: a
	// dump's names may hold any byte)
	bySession := map[[2]string][]int32{}
	for i, p := range principals {
		byName[p.Caller] = append(byName[p.Caller], int32(i))
		if c := request.ParsePrincipal(p.Caller); c.Kind == request.PrincipalAssumedRole {
			k := [2]string{c.Name, c.Account}
			bySession[k] = append(bySession[k], int32(i))
		}
	}
	out := make([][]int32, len(roles))
	for ri, r := range roles {
		te, err := an.trustEngine(r)
		if err != nil {
			continue // deciding any caller of r says the error
		}
		var named []int32
		te.IndividualPrincipals(func(text, role, roleAccount string) {
			named = append(named, byName[text]...)
			if role != "" {
				named = append(named, bySession[[2]string{role, roleAccount}]...)
			}
		})
		slices.Sort(named)
		out[ri] = slices.Compact(named)
	}
	return out
}

// has reports whether sorted xs holds x.
func has(xs []int32, x int32) bool {
	_, ok := slices.BinarySearch(xs, x)
	return ok
}

// roleCallers are the callers of one role: the groups whose members cross
// or are undecided, each with its answer; the principals decided pair by
// pair (named), with their answers, -1 for one that does not cross (it is
// then no caller, though its group is); the callers outside the dump.
type roleCallers struct {
	groups  []pair // at: the group
	named   []pair // at: the principal; sorted by at
	entries []Assumer
	// n is the number of principals of the dump among the callers
	n int
}

// each calls fn with each principal of the dump among rc's callers and
// its answer, in dump order.
func (rc *roleCallers) each(g *callerGroups, fn func(at, ans int32)) {
	if len(rc.groups) == 0 {
		for _, m := range rc.named {
			if m.ans >= 0 {
				fn(m.at, m.ans)
			}
		}
		return
	}
	// a list of every principal's answer, reused: a report reads the
	// callers of thousands of roles
	var dense []int32
	if v, ok := g.dense.Get().(*[]int32); ok {
		dense = *v
	} else {
		dense = make([]int32, len(g.of))
	}
	defer g.dense.Put(&dense)
	for i := range dense {
		dense[i] = -1
	}
	for _, ga := range rc.groups {
		for _, m := range g.members[ga.at] {
			dense[m] = ga.ans
		}
	}
	for _, m := range rc.named {
		dense[m.at] = m.ans
	}
	for at, ans := range dense {
		if ans >= 0 {
			fn(int32(at), ans)
		}
	}
}

// decideCallers is the callers of each role given, in the order of roles
// (see the comment on groups above): each group once per role, through a
// member the trust policy does not name one by one, and the other pairs one
// by one, principal by principal, so that each principal's policies are
// compiled once and joined with each trust policy
// (evaluator.Engine.WithResourcePolicy). The decisions counted are those of
// deciding every pair. With the callers, it returns the roles (pair.at,
// by index in roles) each group reaches, and those each principal decided
// pair by pair reaches or, for a member of a group, does not (pair.ans -1),
// each in the order of roles.
func (an *Analyzer) decideCallers(roles []*Role) ([]roleCallers, [][]pair, [][]pair, error) {
	principals := an.dumpPrincipals()
	g := an.groups()
	named := an.namedOneByOne(roles)
	// the roles each principal is decided for one by one
	pairwise := make([][]int32, len(principals))
	if len(g.solo) > 0 {
		all := make([]int32, len(roles))
		for ri := range roles {
			all[ri] = int32(ri)
		}
		for _, at := range g.solo {
			pairwise[at] = all
		}
	}
	for ri, ns := range named {
		for _, at := range ns {
			if g.of[at] >= 0 {
				pairwise[at] = append(pairwise[at], int32(ri))
			}
		}
	}
	// the error of the first principal in dump order (then the first
	// role), whichever core found it first: every run says the same
	var errMu sync.Mutex
	var firstErr error
	var errAt [2]int
	fail := func(at, ri int, err error) {
		errMu.Lock()
		if firstErr == nil || at < errAt[0] || at == errAt[0] && ri < errAt[1] {
			firstErr, errAt = err, [2]int{at, ri}
		}
		errMu.Unlock()
	}
	// the groups, on all cores: hits[g] are its kept answers by role
	hits := make([][]pair, len(g.members))
	run(len(g.members), func(gi int) {
		members := g.members[gi]
		bases := map[int32]*callerEngine{}
		var hs []pair
		for ri, r := range roles {
			// the members the role does not name one by one: k of them,
			// the first rep (named[ri] is short; members may be many)
			k := len(members)
			for _, at := range named[ri] {
				if g.of[at] == int32(gi) {
					k--
				}
			}
			if k == 0 {
				continue
			}
			rep := members[0]
			for i := 1; has(named[ri], rep); i++ {
				rep = members[i]
			}
			base := bases[rep]
			if base == nil {
				base = an.callerEngine(principals[rep])
				bases[rep] = base
			}
			c, err := an.decideClass(dumpAssumer(principals[rep]), r, base)
			if err != nil {
				fail(int(rep), ri, err)
				return
			}
			if c == nil {
				continue
			}
			// the other members' pairs are decided as the class was
			an.CountDecisions((k - 1) * c.decisions)
			if c.x.kept() {
				hs = append(hs, pair{int32(ri), an.keep(c)})
			}
		}
		// kept for the run (Analyzer.byGroup): at its length, not the
		// capacity appending left
		hits[gi] = atLength(hs)
	})
	// the pairs decided one by one, principal by principal
	own := make([][]pair, len(principals))
	run(len(principals), func(i int) {
		if len(pairwise[i]) == 0 {
			return
		}
		p := principals[i]
		base := an.callerEngine(p)
		caller := dumpAssumer(p)
		solo := g.of[i] < 0
		var hs []pair
		for _, ri := range pairwise[i] {
			ans, err := an.decideDumpRef(caller, roles[ri], base)
			if err != nil {
				fail(i, int(ri), err)
				return
			}
			if ans >= 0 || !solo {
				hs = append(hs, pair{ri, ans})
			}
		}
		if base.slots != nil {
			// set once: readers of a kept member's slots
			// (memberMaker) take no lock
			an.setAssumeSlots(int32(i), an.keepSlots(p, base.slots))
		}
		own[i] = atLength(hs)
	})
	if firstErr != nil {
		return nil, nil, nil, firstErr
	}
	// each role's lists made at their length: kept for the run, they
	// hold a pair for each group that reaches a role
	callers := make([]roleCallers, len(roles))
	groups, named1 := make([]int, len(roles)), make([]int, len(roles))
	for _, hs := range hits {
		for _, h := range hs {
			groups[h.at]++
		}
	}
	for _, hs := range own {
		for _, h := range hs {
			named1[h.at]++
		}
	}
	for ri := range callers {
		callers[ri].groups = make([]pair, 0, groups[ri])
		callers[ri].named = make([]pair, 0, named1[ri])
	}
	for gi, hs := range hits {
		for _, h := range hs {
			rc := &callers[h.at]
			rc.groups = append(rc.groups, pair{int32(gi), h.ans})
			rc.n += len(g.members[gi])
		}
	}
	for i, hs := range own {
		for _, h := range hs {
			rc := &callers[h.at]
			rc.named = append(rc.named, pair{int32(i), h.ans})
			if gi := g.of[i]; gi >= 0 && rc.hasGroup(gi) {
				rc.n-- // counted with its group, and decided here
			}
			if h.ans >= 0 {
				rc.n++
			}
		}
	}
	for ri, r := range roles {
		entries, err := an.entryPointsDecided(r)
		if err != nil {
			return nil, nil, nil, err
		}
		callers[ri].entries = entries
	}
	return callers, hits, own, nil
}

// atLength is a copy of ps made at its length, or nil.
func atLength(ps []pair) []pair {
	if len(ps) == 0 {
		return nil
	}
	out := make([]pair, len(ps))
	copy(out, ps)
	return out
}

// rolesOf yields the roles principal at reaches, or might (pair.at, by
// index in the account's roles), each with its answer, in the order of
// roles: its group's, but for those decided pair by pair, which it has
// itself; merged as it goes, not into a list. allCallers has been called.
func (an *Analyzer) rolesOf(at int32) iter.Seq[pair] {
	return func(yield func(pair) bool) {
		own := an.byPrincipal[at]
		gi := an.callerGroups.of[at]
		if gi < 0 {
			for _, o := range own {
				if !yield(o) {
					return
				}
			}
			return
		}
		j := 0
		for _, h := range an.byGroup[gi] {
			for j < len(own) && own[j].at < h.at {
				if own[j].ans >= 0 && !yield(own[j]) {
					return
				}
				j++
			}
			if j < len(own) && own[j].at == h.at {
				continue // decided pair by pair: own[j] says
			}
			if !yield(h) {
				return
			}
		}
		for ; j < len(own); j++ {
			if own[j].ans >= 0 && !yield(own[j]) {
				return
			}
		}
	}
}

// hasGroup reports whether group gi is among rc's groups.
func (rc *roleCallers) hasGroup(gi int32) bool {
	i := sort.Search(len(rc.groups), func(i int) bool { return rc.groups[i].at >= gi })
	return i < len(rc.groups) && rc.groups[i].at == gi
}

// run calls fn(0), ..., fn(n-1) on all cores.
func run(n int, fn func(i int)) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), max(n, 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

// isNamed reports whether principal at is decided pair by pair for rc's
// role.
func (rc *roleCallers) isNamed(at int32) bool {
	i := sort.Search(len(rc.named), func(i int) bool { return rc.named[i].at >= at })
	return i < len(rc.named) && rc.named[i].at == at
}
