package mfa

import (
	"encoding/binary"
	"strconv"
	"strings"
	"sync"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/internal/gencache"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// ReachableActions returns the actions of the catalogue at one of levels
// that some statement of e's policies can allow: every action an Allow
// statement's Action entries match (wildcards expanded), and every action
// of the catalogue that an Allow statement's NotAction does not exclude.
// Only identity and resource-based policies grant (AWS's evaluation logic:
// boundaries, session policies, SCPs and RCPs only limit), so only their
// statements count. The result is in catalogue order, without duplicates.
// Entries the catalogue does not know (a typo, a service it lacks) give no
// action; unknown lists them, so that nothing is dropped unsaid.
func ReachableActions(c *catalog.Catalog, e *evaluator.Engine, levels catalog.AccessLevel) (actions []*catalog.Action, unknown []string) {
	r := NewReach(c, levels)
	idx, unknown := r.indexes(e)
	actions = make([]*catalog.Action, len(idx))
	for i, x := range idx {
		actions[i] = r.order[x]
	}
	return actions, unknown
}

// Reach answers ReachableActions for many engines that share policies (the
// principals of an account): what each Allow statement's Action or
// NotAction grants is found once per distinct list of entries, however
// many policies hold it. A Reach is safe for concurrent use.
type Reach struct {
	c      *catalog.Catalog
	levels catalog.AccessLevel
	// order holds the catalogue's actions in catalogue order, names their
	// names ("s3:GetObject")
	order []*catalog.Action
	names []string
	mu    sync.Mutex
	// grants maps a statement's Action (or NotAction) entries to what it
	// grants at levels; covers to the set of every action it covers
	grants map[string]*grant
	covers map[string][]uint64
	// index maps an action to its place in order, made when first needed
	indexOnce sync.Once
	index     map[*catalog.Action]int32
	// sets keeps the sets last asked for, by the ids of their grants
	// (grant.id) in the order of the statements that hold them
	sets *gencache.Map[string, *ReachSet]
}

// ReachSet is what an engine's policies can allow at a Reach's levels
// (ReachableActions), as Reach.Set finds it: Indexes are the actions'
// positions in the Reach's catalogue, ascending; Unknown the Action
// entries the catalogue does not know, each once (the first of the
// spellings that differ only in case). A set is shared by every engine
// that asks for it: none of its lists must be modified. A ReachSet is
// safe for concurrent use.
type ReachSet struct {
	Indexes []int32
	Unknown []string
	r       *Reach
	once    sync.Once
	actions []*catalog.Action
	names   []string
}

// Actions returns the actions at s's Indexes, made once (a caller that
// reads only the positions, as iameval diff does, makes no list of them).
func (s *ReachSet) Actions() []*catalog.Action {
	s.make()
	return s.actions
}

// Names returns the names of s's actions ("s3:GetObject"), made once.
func (s *ReachSet) Names() []string {
	s.make()
	return s.names
}

func (s *ReachSet) make() {
	s.once.Do(func() {
		s.actions, s.names = make([]*catalog.Action, len(s.Indexes)), make([]string, len(s.Indexes))
		for i, x := range s.Indexes {
			s.actions[i], s.names[i] = s.r.order[x], s.r.names[x]
		}
	})
}

// maxSets is how many sets a generation of Reach.sets holds: a set of the
// whole catalogue is about half a megabyte, and the principals of an
// account ask for a few sets again and again (those of their groups and
// managed policies), one after the other.
const maxSets = 4

// Len is the number of actions of r's catalogue; At returns the action at
// position x (0 <= x < Len, catalogue order) and its name.
func (r *Reach) Len() int { return len(r.order) }

// At returns the action at position x of r's catalogue and its name.
func (r *Reach) At(x int32) (*catalog.Action, string) { return r.order[x], r.names[x] }

// Index returns the position of a in r's catalogue, or false for an action
// of another catalogue (or nil).
func (r *Reach) Index(a *catalog.Action) (int32, bool) {
	r.indexOnce.Do(func() {
		r.index = make(map[*catalog.Action]int32, len(r.order))
		for x, a := range r.order {
			r.index[a] = int32(x)
		}
	})
	x, ok := r.index[a]
	return x, ok
}

// Indexes returns the positions of the actions e's policies can allow at
// r's levels (what Actions returns), ascending, and the Action entries the
// catalogue does not know: those of Set(e), which are shared: do not
// modify them.
func (r *Reach) Indexes(e *evaluator.Engine) (idx []int32, unknown []string) {
	s := r.Set(e)
	return s.Indexes, s.Unknown
}

// Set returns what e's policies can allow at r's levels. Engines whose
// identity and resource-based policies hold, in order, Allow statements of
// the same Action (or NotAction) lists get the same set: what those lists
// grant is all a set depends on. r keeps the sets asked for last (a few)
// and makes one again when asked after it was let go; asking for a set
// kept makes nothing (for policies whose Allow statements' lists take
// fewer than 256 bytes of key in all).
func (r *Reach) Set(e *evaluator.Engine) *ReachSet {
	var keyBuf, setBuf [256]byte
	var grantBuf [16]*grant
	grants, setKey := grantBuf[:0], setBuf[:0]
	r.eachGrant(e, keyBuf[:0], func(g *grant) {
		grants = append(grants, g)
		setKey = binary.AppendUvarint(setKey, uint64(g.id))
	})
	r.mu.Lock()
	s, ok := gencache.GetBytes(r.sets, setKey)
	r.mu.Unlock()
	if ok {
		return s
	}
	s = &ReachSet{r: r}
	s.Indexes, s.Unknown = r.union(grants)
	r.mu.Lock()
	if kept, ok := gencache.GetBytes(r.sets, setKey); ok {
		// made beside: the first kept is the one shared
		s = kept
	} else {
		r.sets.Put(string(setKey), s)
	}
	r.mu.Unlock()
	return s
}

// Covering returns the positions of the actions of r's catalogue, at any
// level, that a statement whose Action (or NotAction) is l covers, as a
// bitset: bit x%64 of word x/64 is set for position x. Coverage is
// policy.List.Covers(name, true), the engine's own matching
// (case-insensitive, with wildcards); a statement without Action or
// NotAction (l nil) covers nothing. Each distinct list is matched once.
// The slice is shared: do not modify it.
func (r *Reach) Covering(l *policy.List) []uint64 {
	// the key on the stack for most lists: a principal's statements are
	// read for each principal
	var buf [256]byte
	key := buf[:0]
	if l != nil {
		key = append(key, 'A')
		if l.Not {
			key[0] = 'N'
		}
		// each action after its length: no bytes of an entry make
		// two lists' keys one
		for _, v := range l.Values {
			key = gencache.AppendPart(key, v.Text)
		}
	}
	r.mu.Lock()
	bits, ok := r.covers[string(key)]
	r.mu.Unlock()
	if ok {
		return bits
	}
	bits = make([]uint64, (len(r.order)+63)/64)
	if l != nil {
		for x, name := range r.names {
			if l.Covers(name, true) {
				bits[x/64] |= 1 << (x % 64)
			}
		}
	}
	r.mu.Lock()
	r.covers[string(key)] = bits
	r.mu.Unlock()
	return bits
}

type grant struct {
	id      int     // its place among r.grants, which names it in a set's key
	idx     []int32 // indexes into order, ascending
	unknown []string
}

// NewReach returns a Reach of c's actions at levels.
func NewReach(c *catalog.Catalog, levels catalog.AccessLevel) *Reach {
	r := &Reach{c: c, levels: levels, grants: map[string]*grant{}, covers: map[string][]uint64{}, sets: gencache.New[string, *ReachSet](maxSets)}
	for _, s := range c.Services() {
		for _, a := range s.Actions {
			r.order = append(r.order, a)
			r.names = append(r.names, a.String())
		}
	}
	return r
}

// Actions is ReachableActions(c, e, levels) of r's catalogue and levels,
// with the actions' names: the lists of Set(e), which are shared: do not
// modify them.
func (r *Reach) Actions(e *evaluator.Engine) (actions []*catalog.Action, names, unknown []string) {
	s := r.Set(e)
	return s.Actions(), s.Names(), s.Unknown
}

// eachGrant calls fn with what each Allow statement of e's identity and
// resource-based policies grants, in order; key is its room for the
// statements' keys.
func (r *Reach) eachGrant(e *evaluator.Engine, key []byte, fn func(*grant)) {
	for i := range e.NumPolicies() {
		cp := e.Policy(i)
		if cp.Type != evaluator.TypeIdentity && cp.Type != evaluator.TypeResource {
			continue
		}
		for _, s := range cp.Policy.Statements {
			if s.Effect != policy.Allow || s.Action == nil {
				continue
			}
			key = append(key[:0], 'A')
			if s.Action.Not {
				key[0] = 'N'
			}
			for _, v := range s.Action.Values {
				key = gencache.AppendPart(key, v.Text)
			}
			fn(r.grant(key, s.Action))
		}
	}
}

// indexes returns the indexes into r.order of the actions e's policies can
// allow, ascending, and the entries the catalogue does not know.
func (r *Reach) indexes(e *evaluator.Engine) (idx []int32, unknown []string) {
	var grants []*grant
	r.eachGrant(e, nil, func(g *grant) { grants = append(grants, g) })
	return r.union(grants)
}

// union returns the indexes into r.order of the actions grants grant,
// ascending, and their entries the catalogue does not know, each once.
func (r *Reach) union(grants []*grant) (idx []int32, unknown []string) {
	if len(grants) == 1 {
		return grants[0].idx, grants[0].unknown
	}
	mark := make([]bool, len(r.order))
	seenUnknown := map[string]bool{}
	for _, g := range grants {
		for _, x := range g.idx {
			mark[x] = true
		}
		for _, u := range g.unknown {
			if l := strings.ToLower(u); !seenUnknown[l] {
				seenUnknown[l] = true
				unknown = append(unknown, u)
			}
		}
	}
	for x, m := range mark {
		if m {
			idx = append(idx, int32(x))
		}
	}
	return idx, unknown
}

// grant returns what a statement whose Action (or NotAction) is l grants;
// key stands for l.
func (r *Reach) grant(key []byte, l *policy.List) *grant {
	r.mu.Lock()
	g, ok := r.grants[string(key)]
	r.mu.Unlock()
	if ok {
		return g
	}
	g = &grant{}
	if l.Not {
		for x, a := range r.order {
			if a.Level.Has(r.levels) && !l.Match(r.names[x], true) {
				g.idx = append(g.idx, int32(x))
			}
		}
	} else {
		at := map[*catalog.Action]bool{}
		seen := map[string]bool{}
		for _, v := range l.Values {
			found := r.c.Expand(v.Text)
			if len(found) == 0 && v.Text != "*" && !seen[strings.ToLower(v.Text)] {
				seen[strings.ToLower(v.Text)] = true
				g.unknown = append(g.unknown, v.Text)
			}
			for _, a := range found {
				if a.Level.Has(r.levels) {
					at[a] = true
				}
			}
		}
		for x, a := range r.order {
			if at[a] {
				g.idx = append(g.idx, int32(x))
			}
		}
	}
	r.mu.Lock()
	if kept, ok := r.grants[string(key)]; ok {
		// made beside: one grant of a list, of one id
		g = kept
	} else {
		g.id = len(r.grants)
		r.grants[string(key)] = g
	}
	r.mu.Unlock()
	return g
}

// Instances turns the resources Resources returned for an action into the
// resources of a live request: a resource with a wildcard ("*",
// "arn:aws:s3:::reports/*") becomes, for each of the action's resource
// types it can match, a concrete ARN of that type that it matches
// (catalog.ResourceType.Instance: the caller's partition and account where
// the entry leaves them open, the type's variable names for the rest, such
// as arn:aws:s3:::reports/objectname). A request always names a resource of
// one of those types, so deciding on the instance is what AWS decides.
//
// One instance stands for every resource the entry covers only when no
// statement of e for the action tells them apart. When one does (a Deny
// without MFA on arn:aws:ec2:us-east-1:*:* or arn:aws:s3:::bucket/obj*
// matches the first instance), another instance of the type's Variants that
// the statement's Resource entries do not all match is checked too: a
// resource in another region, or with another name, that the statement
// misses. Where every variant matches a statement (a Deny on reports/o*:
// objectname and other-objectname begin with "o"), a resource built to
// miss it is (catalog.ResourceType.InstanceAvoiding: reports/xobjectname),
// and then one that all the statements that tell resources apart miss.
// Without a caller, the account is a placeholder (123456789012): when a
// statement names an account, a resource in an account none names
// (999999999999) is checked too; with a caller, the account is the
// caller's, and another account's resource is not checked (see below).
// "*" stays only for an action that supports only "*" (or one the
// catalogue does not know). A request for an action that supports only "*"
// is on "*": of the entries given for such an action only "*" and those
// that name a whole service's resources (arn:aws:s3:::*) stay, the others
// never matching one of its requests (lint's CAT009). A literal resource
// stays as it is.
// instantiated maps each instance to the entry it came from, for the
// report. The order of resources is kept, without duplicates.
func Instances(e *evaluator.Engine, a *catalog.Action, resources []string, base *request.Context) (out []string, instantiated map[string]string) {
	return (*InstanceMemo)(nil).Instances(e, a, resources, base)
}

// Instances is the package's Instances, with the instances of each entry
// of each resource type kept in m for the next request that expands it
// alike (InstanceMemo). A nil m keeps nothing.
func (m *InstanceMemo) Instances(e *evaluator.Engine, a *catalog.Action, resources []string, base *request.Context) (out []string, instantiated map[string]string) {
	return m.instances(e, a, resources, base, nil)
}

// instances is Instances; f, when not nil, is e's footprint for a (found
// by the caller for its own use too), else it is found when needed.
func (m *InstanceMemo) instances(e *evaluator.Engine, a *catalog.Action, resources []string, base *request.Context, f *evaluator.Footprint) (out []string, instantiated map[string]string) {
	instantiated = map[string]string{}
	seen := map[string]bool{}
	add := func(r string) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	if a == nil {
		for _, r := range resources {
			add(r)
		}
		return out, instantiated
	}
	if a.OnlyStar() {
		// its requests are on "*": an entry that names resources never
		// matches one, but for a whole service's (catalog.WholeService,
		// as lint's CAT009 has it)
		for _, r := range resources {
			if parts := strings.SplitN(r, ":", 6); r == "*" || parts[0] != "arn" || len(parts) == 6 && a.NamesWholeService(parts[2], parts[5]) {
				add(r)
			}
		}
		return out, instantiated
	}
	caller := request.ParsePrincipal(base.Principal)
	vars := map[string]string{"Partition": "aws"}
	if parts, ok := request.SplitARN(base.Principal); ok && parts[1] != "" {
		vars["Partition"] = parts[1]
	}
	if caller.Account != "" {
		vars["Account"] = caller.Account
	}
	var nw narrowing
	narrowerRead := false
	// the entries' memo keys, made in room on the stack
	var kbuf [512]byte
	var tbuf [16]string
	k := entryKey{key: kbuf[:0], relevant: narrowing{texts: tbuf[:0]}}
	for _, r := range resources {
		if !strings.ContainsAny(r, "*?") {
			if m.literal(a, r) {
				add(r)
			}
			continue
		}
		if !narrowerRead {
			if f == nil {
				f = new(evaluator.Footprint)
				e.AppendFootprint(f, a.String())
			}
			nw = statementPatterns(e, f, base)
			narrowerRead = true
		}
		// an entry naming an account of its own (arn:aws:sqs:*:
		// 999999999999:*) is rendered in it, not in the caller's: filling
		// the caller's would leave the entry's account to a wildcard, in
		// no resource the entry names
		ev := entryVars(vars, r)
		k = m.keyOf(k, r, ev, &nw, caller.Account == "")
		for _, ar := range a.Resources {
			// each instance in the order entryInstances found it, the
			// first of an instance naming the entry it came from
			for _, v := range m.entryInstances(ar.Type, r, ev, &nw, caller.Account == "", &k) {
				if !seen[v] {
					instantiated[v] = r
				}
				add(v)
			}
		}
		// an entry that fits none of the action's types names no resource
		// a request for the action names: "*" stands for its types
	}
	return out, instantiated
}

// entryVars is vars for entry r: with r's own account, when r is an ARN
// whose account field is an account ID other than vars' Account (a request
// on that resource is a request across accounts, which the caller's
// analysis reports as such), else vars itself.
func entryVars(vars map[string]string, r string) map[string]string {
	parts, ok := request.SplitARN(r)
	if !ok || vars["Account"] == "" || parts[4] == vars["Account"] {
		return vars
	}
	account := parts[4]
	if !request.IsAccountID(account) {
		// an account field only partly open (*99, 9999*, 12345678901?)
		// that the caller's account does not match is rendered in one it
		// matches, made up (MadeUpAccount): filling the caller's would
		// push the field's own text into the next one, in no resource the
		// entry names
		if account == "*" || !strings.ContainsAny(account, "*?") || condition.MatchWildcard(account, vars["Account"], false) {
			return vars
		}
		account = ""
		for d := byte('0'); d <= '9' && account == ""; d++ {
			if a := fillField(parts[4], d); request.IsAccountID(a) {
				account = a
			}
		}
		if account == "" {
			return vars
		}
	}
	ev := make(map[string]string, len(vars))
	for k, v := range vars {
		ev[k] = v
	}
	ev["Account"] = account
	return ev
}

// MadeUpAccount reports whether resource, made from the Resource entry
// from (Instances) for a caller of account account, is in an account the
// analysis made up: from's account field is only partly open (*99, 9999*)
// and does not match the caller's account, so its resources are rendered
// in an account the field matches, which no input names (entryVars).
func MadeUpAccount(from, resource, account string) bool {
	fp, ok := request.SplitARN(from)
	if !ok || fp[4] == "*" || !strings.ContainsAny(fp[4], "*?") {
		return false
	}
	rp, ok := request.SplitARN(resource)
	return ok && rp[4] != account && request.IsAccountID(rp[4])
}

// entryInstances returns the instances of r, a Resource entry with a
// wildcard, of resource type t (Instances): first t's instance of r, then
// the other variants, regions, accounts and resources built to avoid
// statements that nw's entries tell apart, in that order, each once.
// noCaller says the request has no caller's account (vars has none).
func entryInstances(t *catalog.ResourceType, r string, vars map[string]string, nw *narrowing, noCaller bool) []string {
	return entryInstancesTrying(t, r, vars, nw, noCaller, nil)
}

// entryInstancesTrying is entryInstances, appending to tried, when not
// nil, every resource it checks against nw's entries (matching), in
// order: what it reads of them is which of these each matches
// (InstanceMemo.entryInstances).
func entryInstancesTrying(t *catalog.ResourceType, r string, vars map[string]string, nw *narrowing, noCaller bool, tried *[]string) []string {
	narrower := nw.texts
	variants := t.Variants(r, vars) // the first is Instance's
	if len(variants) == 0 {
		return nil
	}
	inst := variants[0]
	out := []string{inst}
	if tried != nil {
		*tried = append(*tried, inst)
	}
	if len(narrower) == 0 {
		return out
	}
	// statements that tell the instance from other resources of the
	// entry: check a resource of each other set of them that matches
	// (none of them, some of them), among the variants and then in every
	// region AWS has
	sets := map[string]bool{matching(narrower, inst): true}
	alt := func(v string) {
		if tried != nil {
			*tried = append(*tried, v)
		}
		if m := matching(narrower, v); !sets[m] {
			sets[m] = true
			out = append(out, v)
		}
	}
	for _, v := range variants[1:] {
		alt(v)
	}
	none := strings.Repeat("0", len(narrower)) // a resource no statement names
	for _, region := range awsRegions {
		if !nw.regional || sets[none] {
			break
		}
		rv := map[string]string{"Region": region}
		for k, v := range vars {
			rv[k] = v
		}
		if v, ok := t.Instance(r, rv); ok {
			alt(v)
		}
	}
	// without a caller, the account is a placeholder (123456789012),
	// which a statement may name: a resource in an account none names.
	// (With a caller, the account is the caller's, or the entry's own when
	// it names one (entryVars): a resource of an account no entry names
	// would be a cross-account request, which that account's resource
	// policy must allow, and the resource policy of a policy set is one of
	// the caller's account or the resource owner's, not that account's; no
	// such resource is made.)
	if noCaller && len(nw.accounts) > 0 {
		av := map[string]string{"Account": otherAccount(nw.accounts)}
		for k, v := range vars {
			av[k] = v
		}
		if v, ok := t.Instance(r, av); ok {
			alt(v)
		}
	}
	// a statement every resource checked matches (a Deny on reports/o*,
	// which objectname and other-objectname begin with): a resource it
	// misses; then, of the statements some resource checked matches and
	// some misses, a resource they all miss (reports/yobjectname for
	// reports/o* and reports/x*)
	for x := range narrower {
		if !missedBySome(sets, x) {
			if v, ok := t.InstanceAvoiding(r, vars, nw.texts[x:x+1]); ok {
				alt(v)
			}
		}
	}
	var told []int
	for x := range narrower {
		if missedBySome(sets, x) && matchedBySome(sets, x) {
			told = append(told, x)
		}
	}
	if !missedByOne(sets, told) {
		avoid := make([]string, len(told))
		for k, x := range told {
			avoid[k] = nw.texts[x]
		}
		if v, ok := t.InstanceAvoiding(r, vars, avoid); ok {
			alt(v)
		}
	}
	return out
}

// awsRegions are the regions of AWS's commercial partition, tried as the
// region of a resource that narrower statements (a Deny on some regions)
// may miss.
var awsRegions = [...]string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-northeast-1", "ap-northeast-2",
	"ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2",
	"eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "sa-east-1",
}

// otherService reports whether a literal resource is of another service
// than any of the action's resource types (arn:aws:iam::1:user/bob for
// s3:GetObject): no request for the action names it. A literal of the
// action's own service stays, even where the catalogue's formats do not
// describe it.
func otherService(a *catalog.Action, r string) bool {
	parts, ok := request.SplitARN(r)
	if !ok || len(a.Resources) == 0 {
		return false
	}
	for _, ar := range a.Resources {
		if ar.Type.Matches(r) {
			return false
		}
		if tp, ok := request.SplitARN(strings.ReplaceAll(ar.Type.ARN, "${Partition}", "aws")); ok && strings.EqualFold(tp[2], parts[2]) {
			return false
		}
	}
	return true
}

// otherType reports whether a literal resource is a resource of another
// type than the action's, of the action's service (a bucket ARN for
// s3:DeleteObject, which acts on objects: AWS's Service Authorization
// Reference) or of the service the ARN names, when the action's types are
// that service's resources too (an IAM user for sts:AssumeRoleWithSAML,
// whose one type, role, is an iam ARN): no request for the action names
// it, and lint says so (CAT008). A literal that fits none of those formats
// (which lint reports as CAT010, a catalogue that may not describe it)
// stays.
func otherType(a *catalog.Action, r string) bool {
	if len(a.Resources) == 0 || len(a.ResourceTypesFor(r)) > 0 {
		return false
	}
	parts, ok := request.SplitARN(r)
	if !ok {
		return false
	}
	services := []*catalog.Service{a.Service}
	if named := a.Service.Catalog().Service(parts[2]); named != nil && named != a.Service {
		services = append(services, named)
	}
	for _, svc := range services {
		for _, rt := range svc.ResourceTypes {
			if rt.Matches(r) {
				return true
			}
		}
	}
	return false
}

// otherAccount is an account that named does not hold: 999999999999, or
// the next below it that is not named.
func otherAccount(named map[string]bool) string {
	for n := 999999999999; ; n-- {
		if s := strconv.Itoa(n); !named[s] {
			return s
		}
	}
}

// missedBySome reports whether some set of sets (matching's) misses
// pattern x; matchedBySome whether some set matches it.
func missedBySome(sets map[string]bool, x int) bool {
	for m := range sets {
		if m[x] == '0' {
			return true
		}
	}
	return false
}

func matchedBySome(sets map[string]bool, x int) bool {
	for m := range sets {
		if m[x] == '1' {
			return true
		}
	}
	return false
}

// missedByOne reports whether some set of sets misses every pattern of xs.
func missedByOne(sets map[string]bool, xs []int) bool {
	for m := range sets {
		all := true
		for _, x := range xs {
			all = all && m[x] == '0'
		}
		if all {
			return true
		}
	}
	return false
}

// narrowing is what statementPatterns finds: the statements' entries, as
// patterns and as text, whether some names a region, and the accounts
// they name.
type narrowing struct {
	// texts are the entries, their variables rendered: wildcard
	// patterns, matched by condition.MatchWildcard
	texts    []string
	regional bool
	accounts map[string]bool
}

// statementPatterns are the Resource and NotResource entries of e's
// statements that cover an action (f, e's footprint for it), other than
// "*": what can tell one resource of an entry from another. Their policy
// variables are rendered for base, their wildcards kept, the account
// field's too: a Deny on arn:aws:ec2:us-east-1:*:* matches an instance in
// any account, the placeholder account of a request without a caller as
// well (RenderResource, which makes resources to check, fills an account
// wildcard with the caller's, or leaves it empty). regional says some
// entry names a region (its region field holds no wildcard): a resource in
// another region may then be told apart; accounts are the accounts entries
// name (a 12-digit account field).
func statementPatterns(e *evaluator.Engine, f *evaluator.Footprint, base *request.Context) (nw narrowing) {
	for _, ref := range f.Statements {
		cp := e.Policy(ref.Policy)
		s := cp.Policy.Statements[ref.Statement]
		if s.Resource == nil {
			continue
		}
		for _, v := range s.Resource.Values {
			if v.Text == "*" {
				continue
			}
			text := v.Text
			if cp.Policy.VariablesEnabled() && strings.Contains(text, "${") {
				// a variable, or an escape (${*}): rendered
				pat := condition.CompilePattern(text, condition.PatternOptions{Wildcards: true, Variables: true})
				var missing []string
				if text, missing = pat.Render(base); len(missing) > 0 {
					continue
				}
			}
			nw.texts = append(nw.texts, text)
			parts, ok := request.SplitARN(text)
			if !ok {
				continue
			}
			if parts[3] != "" && !strings.ContainsAny(parts[3], "*?") {
				nw.regional = true
			}
			if request.IsAccountID(parts[4]) {
				if nw.accounts == nil {
					nw.accounts = map[string]bool{}
				}
				nw.accounts[parts[4]] = true
			}
		}
	}
	return nw
}

// matching is the set of patterns (wildcard patterns, matched with case)
// that match r, as a bit string.
func matching(patterns []string, r string) string {
	b := make([]byte, len(patterns))
	for i := range patterns {
		b[i] = '0'
		if condition.MatchWildcard(patterns[i], r, false) {
			b[i] = '1'
		}
	}
	return string(b)
}
