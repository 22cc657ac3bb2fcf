// Package diff finds what a change to IAM policies flips: the requests one
// side allows and the other does not, and those that need MFA on one side
// and not on the other.
//
// Nothing proves two policy sets equivalent here; Compare decides a
// systematic sample of requests on both sides — the request matrix — and
// reports every request whose decision differs:
//
//   - actions: every action of the catalogue an Allow statement of either
//     side can grant (Action wildcards expanded, NotAction as the
//     catalogue's complement; mfa.Reach), and every Action entry without a
//     wildcard the catalogue does not know;
//   - resources: every Resource entry either side names for the action,
//     rendered for the caller and made a concrete ARN of each of the
//     action's resource types (mfa.Resources, mfa.Instances), and "*";
//   - credentials: long-term access keys (no MFA key), a session without
//     MFA, and MFA at age 0, at one second either side of every
//     aws:MultiFactorAuthAge value either side names, and at ten years;
//   - context: for every condition key the statements that match the
//     action test (but the MFA keys, the keys the principal's request
//     carries and, with a caller, the principal keys a live request
//     derives, which it lacks when it does not carry them, and, for an
//     unsigned request, every key of a principal: unsignedLacks), each value
//     either side names — for an IP range, its first and last address
//     and those just outside it; for a number or a date, also the values
//     just below and above it; for a multivalued key, also every value
//     named at once, and with one value none names — and the key absent
//     (but, with a caller, for the keys AWS puts in every request, which
//     take a value none names instead); every combination while they are
//     at most maxCombinations, else each key varied alone.
//
// Actions whose statements (on both sides) are the same and all name the
// resource "*" are decided alike on every resource of the caller's
// account (see the evaluator's footprint): they are decided once and the
// answer stands for each (Report.Requests counts what was decided,
// Report.Covered what it stands for).
package diff

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
	"net/netip"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/internal/gencache"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Kind is the kind of a flip.
type Kind uint8

// The kinds of flips.
const (
	// NewAccess: denied on the old side, allowed on the new, and the old
	// side did not allow it with MFA (at any age below) either.
	NewAccess Kind = iota + 1
	// LostAccess: allowed on the old side, denied on the new, and the new
	// side does not allow it with MFA (at any age below) either.
	LostAccess
	// MFAWeakened: the old side allowed the request only with MFA (or with
	// MFA only up to some age); the new side allows it without MFA (or
	// at a greater age).
	MFAWeakened
	// MFAStrengthened is MFAWeakened the other way.
	MFAStrengthened
)

// Kinds are the kinds in the order reports group them.
var Kinds = []Kind{NewAccess, MFAWeakened, LostAccess, MFAStrengthened}

// String names the kind as --fail-on does: "new-access", "lost-access",
// "mfa-weakened", "mfa-strengthened".
func (k Kind) String() string {
	switch k {
	case NewAccess:
		return "new-access"
	case LostAccess:
		return "lost-access"
	case MFAWeakened:
		return "mfa-weakened"
	case MFAStrengthened:
		return "mfa-strengthened"
	}
	return "unknown"
}

// ParseKind parses a kind as String names it.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if strings.EqualFold(s, k.String()) {
			return k, true
		}
	}
	return 0, false
}

// State is a credential state of the matrix.
type State struct {
	// LongTerm: long-term access keys, which carry no MFA key (Unsigned:
	// an unsigned request, which carries none either). Else MFA says
	// whether the session carries MFA, Age how many seconds ago.
	LongTerm, Unsigned bool
	MFA                bool
	Age                int64
}

// String names the state: "long-term keys", "session without MFA", "MFA
// age 3601s".
func (s State) String() string {
	switch {
	case s.Unsigned:
		return "unsigned"
	case s.LongTerm:
		return "long-term keys"
	case !s.MFA:
		return "session without MFA"
	}
	return "MFA age " + strconv.FormatInt(s.Age, 10) + "s"
}

func (s State) apply(r *request.Context) {
	switch {
	case s.LongTerm:
		r.SetLongTermKeys()
	case !s.MFA:
		r.SetSessionWithoutMFA()
	default:
		r.SetSessionWithMFA(time.Duration(s.Age) * time.Second)
	}
}

// Principal is one side of a principal: its policies, compiled, and the
// requests it makes.
type Principal struct {
	Engine *evaluator.Engine
	// Request returns the principal's request for action on resource:
	// its caller and the keys it carries, without MFA keys. Nil means a
	// request with no caller and no key (as AWS's policy simulator makes
	// without CallerArn).
	Request func(action, resource string) *request.Context
	// RequestIn, when not nil, is Request made in req (which it resets;
	// nil for a new one) and returned: the comparison of a pair decides
	// one request of a side at a time and keeps none, so it makes two,
	// not two for each decision. Nil: Request makes each.
	RequestIn func(req *request.Context, action, resource string) *request.Context
	// Key, when not nil, is the text of everything that decides the
	// principal's requests (its policies' contents, types and levels, its
	// caller and keys): two sides of equal keys decide every request
	// alike, and the pair is not compared.
	Key []byte
	// Known says Request carries every principal key the principal has:
	// its tags (aws:PrincipalTag/KEY) and unique id (aws:userid), as an
	// account dump tells them; a request without one of them lacks it.
	// Otherwise (a caller given by its ARN alone) those keys are not known
	// and are varied like any other.
	Known bool
	// ResourceEngine, when not nil, returns the engine that decides the
	// request for action on resource when a resource policy the side
	// holds decides it too (an account dump's role trust policy, for
	// sts:AssumeRole on the role: AWS requires it to allow the call), or
	// nil when Engine alone does; ErrNoSuchResource when the side holds
	// no such resource (a role of the dump's account the dump, which
	// lists its roles, does not hold), so that every request for it is
	// denied there.
	ResourceEngine func(action, resource string) (*evaluator.Engine, error)
	// Resources, when not nil, returns what requests for action may name
	// beyond the resources the policies name (an account dump's roles, for
	// sts:AssumeRole): each is decided too.
	Resources func(action string) []string
	// ResourceShape, when not nil, numbers the resource policy
	// ResourceEngine adds for action on resource (a role's trust policy)
	// by all of it that decides a request but how its statements'
	// Principal elements name the caller, which
	// evaluator.Engine.AppendPrincipalMatches tells: two policies of one
	// number decide alike each request whose caller they name alike. ok
	// must be false where the number does not say all that, and where a
	// statement has Resource or NotResource (or NotPrincipal; or for a
	// policy built rather than parsed). The
	// comparison then decides a request for action once for each class of
	// resources it is decided alike on, both sides' numbers, keys and
	// statements' Resource matches the same (Pair), and the others of a
	// class only where that one flipped. Numbers are compared with the
	// same side's only.
	ResourceShape func(action, resource string) (shape uint32, ok bool)
	// ResourceTagsKnown, when not nil, reports whether Request for action
	// on resource carries every tag the resource has, as
	// aws:ResourceTag/KEY and iam:ResourceTag/KEY (an account dump's user
	// or role whose tags the dump lists): a resource tag key it lacks is
	// absent, and is not varied.
	ResourceTagsKnown func(action, resource string) bool
}

// Pair is a principal on both sides; Old or New is nil where it does not
// exist (every request of it is then denied there).
type Pair struct {
	Name     string
	Old, New *Principal
	// ResourceCallers says that every caller the sides' resource policies
	// grant to is compared in a pair of its own: a pair without a caller
	// then does not say their grants were not compared.
	ResourceCallers bool
	// Decides, when not nil, says which resources this pair compares:
	// the others are compared by another pair (a variant of the caller
	// that only some resources differ for), and are skipped here.
	Decides func(resource string) bool
}

// Flip is a set of requests of one principal decided otherwise on the two
// sides, alike: each action of Actions on each of its resources, with the
// same context, under the same credential states, by the same statements.
type Flip struct {
	Kind      Kind
	Principal string
	// Actions are the actions and their resources. The slice may be
	// shared between flips (an ActionSet): do not modify it.
	Actions *ActionSet
	// Context are the keys the request carried beyond the principal's,
	// "key=value" (a list's values joined by commas); a key not listed
	// was absent.
	Context []string
	// States are the credential states for which the decision flipped
	// this way, in matrix order.
	States []State
	// Old and New are the decisions at the first of States, OldBy and
	// NewBy the statements that made them (empty for an implicit deny).
	Old, New     evaluator.Verdict
	OldBy, NewBy []evaluator.MatchedStatement
	// OldRule and NewRule name the rule that decided where no statement
	// did (evaluator.Rule).
	OldRule, NewRule evaluator.Rule
}

// ActionSet is a list of actions, each with the resources of the requests
// for it. Flips of many principals share a set when the same actions flip
// alike for each (a change to a managed policy they all hold).
type ActionSet struct {
	// ID numbers the set in its report, from 1, in the order the
	// report's flips first name each set (Compare).
	ID    int
	Items []ActionResources
	// made numbers the set in the order its Comparer made it, from 1
	// (appendSetIDs); ID may be numbered again
	made int
}

// ActionResources is an action and resources.
type ActionResources struct {
	Action    string
	Resources []string
}

// Requests counts the (action, resource) pairs of the set.
func (s *ActionSet) Requests() int {
	n := 0
	for _, a := range s.Items {
		n += len(a.Resources)
	}
	return n
}

// Action and Resource are those of the flip's first request.
func (f *Flip) Action() string { return f.Actions.Items[0].Action }

// Resource is the first resource of the flip's first action.
func (f *Flip) Resource() string { return f.Actions.Items[0].Resources[0] }

// Unchecked is an entry the matrix could not cover.
type Unchecked struct {
	Principal string
	// Entry is the Action or Resource entry; Reason why it was not
	// checked.
	Entry, Reason string
}

// Report is what Compare found.
type Report struct {
	Flips []Flip
	// Pairs are the principals compared (Same of them skipped: the same
	// policies and keys on both sides).
	Pairs, Same int
	// Actions counts the (principal, action) pairs checked.
	Actions int
	// Requests counts the requests decided (each side, each credential
	// state), Covered the requests of the matrix they stand for.
	Requests, Covered int64
	// Unchecked are the Action entries (wildcards the catalogue matches
	// nothing of) and Resource entries (policy variables the request
	// cannot fill) not covered.
	Unchecked []Unchecked
}

// Options tune Compare.
type Options struct {
	// Catalog is the AWS catalogue (catalog.Default() when nil).
	Catalog *catalog.Catalog
	// Levels keeps only actions at these access levels (every level when
	// 0).
	Levels catalog.AccessLevel
}

// maxCombinations is the most context combinations tried for one action:
// beyond, each key is varied alone, the others absent.
const maxCombinations = 64

// Comparer compares pairs; it keeps what pairs share (the catalogue's
// coverage of each Action list, the instances of each action, the sets of
// actions that flip). It is safe for concurrent use.
type Comparer struct {
	mu    sync.Mutex
	reach *mfa.Reach
	cat   *catalog.Catalog
	empty *evaluator.Engine
	// elsewhere stands for the policy of a resource another account owns,
	// which the change does not hold: assumed to allow (otherAccounts)
	elsewhere *policy.Policy
	// sets interns the action sets of shared groups by their members
	sets  map[string]*ActionSet
	nsets int
	// merges holds the set each list of sets merged to (flush), by
	// their numbers as made (appendSetIDs)
	merges map[string]*ActionSet
	// stars holds the instances of "*" of each catalogue action, per
	// caller partition and account
	stars *mfa.StarInstances
	// listed holds the service keys (lower-case, as the catalogue names
	// them) some action of the catalogue lists
	listed func() map[string]bool
	// rooms holds *[]member, share's room, lent to one pair at a time:
	// a group's members are thousands of actions, shared thousands of
	// times a pair
	rooms sync.Pool
	// mergeRooms holds map[string]int, flush's room (mergeItems)
	mergeRooms sync.Pool
	// seed seeds the hashes that name sets in sets (a set's key holds
	// its hash; sets of one hash are told apart by their requests, and
	// numbered in the order made, so the hash never shows)
	seed maphash.Seed
}

// tableKey names what mfa.Instances reads of a caller: its partition and
// account.
func tableKey(caller string) string {
	partition := "aws"
	if parts, ok := request.SplitARN(caller); ok && parts[1] != "" {
		partition = parts[1]
	}
	return partition + ":" + request.ParsePrincipal(caller).Account
}

// actionSet returns the set of items, one for each distinct key.
func (c *Comparer) actionSet(key string, items func() []ActionResources) *ActionSet {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.sets[key]; ok {
		return s
	}
	c.nsets++
	s := &ActionSet{ID: c.nsets, Items: items(), made: c.nsets}
	c.sets[key] = s
	return s
}

// single returns a set of one request.
func (c *Comparer) single(action, resource string) *ActionSet {
	return c.actionSet(action+"\x00"+resource, func() []ActionResources {
		return []ActionResources{{action, []string{resource}}}
	})
}

// NewComparer returns a Comparer for o.
func NewComparer(o Options) *Comparer {
	c := o.Catalog
	if c == nil {
		c = catalog.Default()
	}
	levels := o.Levels
	if levels == 0 {
		levels = catalog.List | catalog.Read | catalog.Write | catalog.PermissionsManagement | catalog.Tagging
	}
	empty, _ := evaluator.Compile(evaluator.PolicySet{}) // an empty set always compiles
	listed := sync.OnceValue(func() map[string]bool {
		out := map[string]bool{}
		add := func(name string) {
			if k := c.FindKey(name); k != nil && !k.Global {
				out[strings.ToLower(k.Name)] = true
			}
		}
		for _, s := range c.Services() {
			for _, a := range s.Actions {
				for k := range a.AllKeys() {
					add(k)
				}
			}
		}
		return out
	})
	reach := mfa.NewReach(c, levels)
	// (a fixed document: it always parses)
	elsewhere, _ := policy.Parse(otherAccountsPolicy, []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"AssumedToAllow","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`))
	return &Comparer{reach: reach, cat: c, empty: empty, elsewhere: elsewhere, sets: map[string]*ActionSet{}, stars: mfa.NewStarInstances(reach), listed: listed,
		seed: maphash.MakeSeed()}
}

// serviceKey reports whether key is a service key (not aws:, not global)
// that the catalogue lists for some actions: its requests carry it only
// for those (Action.SupportsKey). It is false for a key the catalogue does
// not know, or lists for no action (the catalogue is silent, not the
// request), as lint's CAT005 decides.
func (c *Comparer) serviceKey(key string) bool {
	if len(key) >= 4 && strings.EqualFold(key[:4], "aws:") {
		return false
	}
	k := c.cat.FindKey(key)
	return k != nil && !k.Global && c.listed()[strings.ToLower(k.Name)]
}

// neverCarried reports whether the requests for a (a catalogue action, or
// nil for one the catalogue does not know) never carry key: a service key
// a does not support.
func (c *Comparer) neverCarried(key string, a *catalog.Action) bool {
	return a != nil && c.serviceKey(key) && !a.SupportsKey(key)
}

// Compare compares every pair, on every CPU, and returns the report: the
// flips in the order of pairs.
func Compare(pairs []Pair, o Options) *Report {
	c := NewComparer(o)
	parts := make([]Report, len(pairs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c.Pair(pairs[i], &parts[i])
			}
		}()
	}
	for i := range pairs {
		next <- i
	}
	close(next)
	wg.Wait()
	rep := &Report{}
	for i := range parts {
		p := &parts[i]
		rep.Flips = append(rep.Flips, p.Flips...)
		rep.Pairs += p.Pairs
		rep.Same += p.Same
		rep.Actions += p.Actions
		rep.Requests += p.Requests
		rep.Covered += p.Covered
		rep.Unchecked = append(rep.Unchecked, p.Unchecked...)
	}
	// the pairs were compared in no set order, and their sets numbered
	// as made: numbered again in the order of the flips, so that a report
	// is the same from run to run
	ids := map[*ActionSet]bool{}
	for _, f := range rep.Flips {
		if f.Actions != nil && !ids[f.Actions] {
			ids[f.Actions] = true
			f.Actions.ID = len(ids)
		}
	}
	return rep
}

// otherAccountsPolicy names the policy assumed for a resource another
// account owns (Comparer.elsewhere), as flips name it.
const otherAccountsPolicy = "the resource's policy in its own account (not in the change: assumed to allow)"

// ErrNoSuchResource is what Principal.ResourceEngine returns for a
// resource its side does not hold.
var ErrNoSuchResource = errors.New("no such resource")

// side is one side of a pair being compared.
type side struct {
	e     *evaluator.Engine
	req   func(action, resource string) *request.Context
	reqIn func(req *request.Context, action, resource string) *request.Context
	// re and res are Principal.ResourceEngine and Principal.Resources
	re  func(action, resource string) (*evaluator.Engine, error)
	res func(action string) []string
	// shape is Principal.ResourceShape, tagsKnown
	// Principal.ResourceTagsKnown
	shape     func(action, resource string) (uint32, bool)
	tagsKnown func(action, resource string) bool
}

// knowsTags reports whether the side's requests for action on resource
// carry every tag of the resource (Principal.ResourceTagsKnown).
func (s side) knowsTags(action, resource string) bool {
	return s.tagsKnown != nil && s.tagsKnown(action, resource)
}

// names reports whether requests for action may name resources of the
// side's own (Principal.Resources): they are compared one by one.
func (s side) names(action string) bool {
	return s.res != nil && len(s.res(action)) > 0
}

func (s side) request(action, resource string) *request.Context {
	if s.req == nil {
		return &request.Context{Action: action, Resource: resource}
	}
	return s.req(action, resource)
}

// requestIn is request made in *room when the side can (Principal.RequestIn).
func (s side) requestIn(room **request.Context, action, resource string) *request.Context {
	if s.reqIn == nil {
		return s.request(action, resource)
	}
	*room = s.reqIn(*room, action, resource)
	return *room
}

// Pair compares one pair and adds what it found to rep.
func (c *Comparer) Pair(p Pair, rep *Report) {
	rep.Pairs++
	if p.Old != nil && p.New != nil && p.Old.Key != nil && string(p.Old.Key) == string(p.New.Key) {
		rep.Same++
		return
	}
	var old, new side
	old.e, new.e = c.empty, c.empty
	if p.Old != nil {
		old = side{p.Old.Engine, p.Old.Request, p.Old.RequestIn, p.Old.ResourceEngine, p.Old.Resources, p.Old.ResourceShape, p.Old.ResourceTagsKnown}
	}
	if p.New != nil {
		new = side{p.New.Engine, p.New.Request, p.New.RequestIn, p.New.ResourceEngine, p.New.Resources, p.New.ResourceShape, p.New.ResourceTagsKnown}
	}
	// a side without the principal makes its requests as the other would
	if p.Old == nil && p.New != nil {
		old.req, old.reqIn = new.req, new.reqIn
	}
	if p.New == nil && p.Old != nil {
		new.req, new.reqIn = old.req, old.reqIn
	}
	pc := &pairComparer{c: c, name: p.Name, old: old, new: new, rep: rep, decides: p.Decides, resourceCallers: p.ResourceCallers,
		known: (p.Old == nil || p.Old.Known) && (p.New == nil || p.New.Known)}
	pc.run()
}

// pairComparer compares one pair.
type pairComparer struct {
	c *Comparer
	// decides is Pair.Decides, resourceCallers Pair.ResourceCallers
	resourceCallers bool
	decides         func(resource string) bool
	name            string
	old, new        side
	// known: both sides' requests carry every principal key the
	// principal has (Principal.Known)
	known  bool
	rep    *Report
	states []State
	// union is an engine of both sides' policies, as identity policies:
	// what mfa.Resources and mfa.Instances read of the statements
	union *evaluator.Engine
	// covers are the coverage sets of the statements of old then new, in
	// engine order
	covers [][]uint64
	stmts  []stmtRef
	// noted are the entries said not checked, each said once
	noted map[Unchecked]bool
	// alike are the flips of single requests found so far, merged: by
	// the key of what makes them alike (alikeKey), their place in merged
	alike    map[string]int
	merged   []mergedFlip
	room     []byte
	partsKey []byte
	// ro and rn are the requests decide makes in (side.requestIn)
	ro, rn *request.Context
	// classKey, piece and matches are resourceClass's room, fps the
	// sides' footprints it reads (classFootprints)
	classKey, piece []byte
	fps             [2]evaluator.Footprint
	matches         []bool
	// rfp is relevantKeys' room
	rfp evaluator.Footprint
	// engines are the sides' engines with a resource policy
	// (pairComparer.engine), made once for the pair
	engines map[sideRequest]sideEngine
	// elsewhere are the engines with the policy assumed for another
	// account's resources (otherAccounts), by the engine they extend
	elsewhere map[*evaluator.Engine]*evaluator.Engine
}

// member is an action a shared request stands for, and its instances of
// "*" (pairComparer.share).
type member struct {
	name  string
	insts []string
}

// sideRequest names a side's request: new or old, action and resource.
type sideRequest struct {
	new              bool
	action, resource string
}

type sideEngine struct {
	e   *evaluator.Engine
	err error
}

// otherAccounts returns e, or, for req on a resource another account than
// its caller's owns when e holds no resource policy, e with one that allows
// it (Comparer.elsewhere): a cross-account request is allowed when the
// caller's policies and the resource's allow it ("cross-account access",
// policy evaluation logic), and the change holds only the first. Made once
// for the pair, for each engine.
func (pc *pairComparer) otherAccounts(e *evaluator.Engine, req *request.Context) *evaluator.Engine {
	caller := request.ParsePrincipal(req.Principal).Account
	if caller == "" {
		return e
	}
	if owner := e.ResourceAccount(req); owner == "" || owner == caller {
		return e
	}
	for _, cp := range e.Policies() {
		if cp.Type == evaluator.TypeResource {
			return e
		}
	}
	if x, ok := pc.elsewhere[e]; ok {
		return x
	}
	x, err := e.WithResourcePolicy(pc.c.elsewhere)
	if err != nil {
		x = e // (a fixed policy: it always compiles)
	}
	if pc.elsewhere == nil {
		pc.elsewhere = map[*evaluator.Engine]*evaluator.Engine{}
	}
	pc.elsewhere[e] = x
	return x
}

// engine returns the engine that decides action on resource on the new or
// old side: its engine, or the one with the resource policy that decides
// it too (Principal.ResourceEngine), made once for the pair.
func (pc *pairComparer) engine(new bool, action, resource string) (*evaluator.Engine, error) {
	s := pc.old
	if new {
		s = pc.new
	}
	if s.re == nil {
		return s.e, nil
	}
	k := sideRequest{new, action, resource}
	if x, ok := pc.engines[k]; ok {
		return x.e, x.err
	}
	e, err := s.re(action, resource)
	if e == nil && err == nil {
		e = s.e
	}
	if pc.engines == nil {
		pc.engines = map[sideRequest]sideEngine{}
	}
	pc.engines[k] = sideEngine{e, err}
	return e, err
}

// mergedFlip is a flip of the requests alike found so far: f's own set,
// then the sets of the flips merged into it, in the order found. Their
// requests are merged by action once, when the pair is done (flush): a
// flip of thousands of actions is often merged with a few others, of
// other actions.
type mergedFlip struct {
	f     Flip
	parts []*ActionSet
}

// mergeItems returns the requests of first and then of parts, by action
// in the order found: an action's resources are those of each set that
// holds it, in order. at is the caller's room, emptied. The lists of the
// sets are shared, not changed (an action's resources are copied when a
// later set adds to them).
func mergeItems(first *ActionSet, parts []*ActionSet, at map[string]int) []ActionResources {
	clear(at)
	n := len(first.Items)
	for _, p := range parts {
		n += len(p.Items)
	}
	items := make([]ActionResources, 0, n)
	for k := -1; k < len(parts); k++ {
		set := first
		if k >= 0 {
			set = parts[k]
		}
		for _, it := range set.Items {
			j, ok := at[it.Action]
			if !ok {
				at[it.Action] = len(items)
				items = append(items, it)
				continue
			}
			items[j].Resources = append(slices.Clip(items[j].Resources), it.Resources...)
		}
	}
	return items
}

// add adds f's requests to the flips alike (Flip): a pair that flips
// thousands of requests the same way keeps one flip, not one each with its
// own lists of statements.
func (pc *pairComparer) add(f Flip) {
	pc.room = alikeKey(pc.room[:0], &f)
	i, ok := pc.alike[string(pc.room)]
	if !ok {
		if pc.alike == nil {
			pc.alike = map[string]int{}
		}
		pc.alike[string(pc.room)] = len(pc.merged)
		pc.merged = append(pc.merged, mergedFlip{f: f})
		return
	}
	m := &pc.merged[i]
	m.parts = append(m.parts, f.Actions)
}

// flush adds the merged flips to the report, each with its set of
// requests: a flip's own set when nothing was merged into it (a single
// request, or the actions share made one), else a set shared with every
// pair whose flip holds the same requests.
func (pc *pairComparer) flush() {
	var at map[string]int
	for _, m := range pc.merged {
		f := m.f
		if len(m.parts) > 0 {
			if at == nil {
				at, _ = pc.c.mergeRooms.Get().(map[string]int)
				if at == nil {
					at = map[string]int{}
				}
				defer pc.c.mergeRooms.Put(at)
			}
			// the same sets merged before (by another pair whose flip
			// holds the same requests) make the same set: found by
			// their numbers, not merged and hashed again
			pc.partsKey = appendSetIDs(pc.partsKey[:0], f.Actions, m.parts)
			if set, ok := pc.c.mergedSet(pc.partsKey); ok {
				f.Actions = set
			} else {
				if items := mergeItems(f.Actions, m.parts, at); !sameItems(f.Actions.Items, items) {
					f.Actions = pc.c.setOf(items)
				}
				pc.c.keepMerged(pc.partsKey, f.Actions)
			}
		}
		pc.rep.Flips = append(pc.rep.Flips, f)
	}
	pc.merged, pc.alike = nil, nil
}

// appendSetIDs appends to b the numbers of first and of parts, which
// the Comparer gave them as it made them (ActionSet.made): its sets are
// never changed once made, so one list of numbers merges to one list of
// requests (mergeItems).
func appendSetIDs(b []byte, first *ActionSet, parts []*ActionSet) []byte {
	b = binary.AppendUvarint(b, uint64(first.made))
	for _, p := range parts {
		b = binary.AppendUvarint(b, uint64(p.made))
	}
	return b
}

// mergedSet returns the set that merging the sets numbered key
// (appendSetIDs) made, if any pair merged them before.
func (c *Comparer) mergedSet(key []byte) (*ActionSet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.merges[string(key)]
	return s, ok
}

// keepMerged keeps set as what merging the sets numbered key made.
func (c *Comparer) keepMerged(key []byte, set *ActionSet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.merges == nil {
		c.merges = map[string]*ActionSet{}
	}
	c.merges[string(key)] = set
}

// alikeKey appends to b what flips alike share (Flip): all but their
// requests.
func alikeKey(b []byte, f *Flip) []byte {
	b = append(b, byte(f.Kind), byte(f.Old), byte(f.New), byte(f.OldRule), byte(f.NewRule))
	b = binary.AppendUvarint(b, uint64(len(f.Context)))
	for _, c := range f.Context {
		b = appendString(b, c)
	}
	b = binary.AppendUvarint(b, uint64(len(f.States)))
	for _, st := range f.States {
		var flags byte
		if st.LongTerm {
			flags |= 1
		}
		if st.Unsigned {
			flags |= 2
		}
		if st.MFA {
			flags |= 4
		}
		b = append(b, flags)
		b = binary.AppendVarint(b, st.Age)
	}
	for _, ms := range [][]evaluator.MatchedStatement{f.OldBy, f.NewBy} {
		b = binary.AppendUvarint(b, uint64(len(ms)))
		for _, m := range ms {
			b = appendString(b, m.PolicyID)
			b = append(b, byte(m.PolicyType), byte(m.Effect))
			b = binary.AppendVarint(b, int64(m.Level))
			b = binary.AppendVarint(b, int64(m.Index))
			b = appendString(b, m.Sid)
			for _, p := range []policy.Position{m.Start, m.End} {
				b = appendString(b, p.Filename)
				b = binary.AppendVarint(b, int64(p.Offset))
				b = binary.AppendVarint(b, int64(p.Line))
				b = binary.AppendVarint(b, int64(p.Column))
			}
		}
	}
	return b
}

// appendString appends s after its length.
func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// setOf returns the set of items, shared by every flip of the same
// requests: found by a hash of them, and checked to hold them.
func (c *Comparer) setOf(items []ActionResources) *ActionSet {
	var h maphash.Hash
	h.SetSeed(c.seed)
	n := 0
	for _, it := range items {
		h.WriteString(it.Action)
		h.WriteByte(0)
		for _, r := range it.Resources {
			h.WriteString(r)
			h.WriteByte(1)
			n++
		}
	}
	key := "m" + strconv.Itoa(n) + "\x00" + strconv.FormatUint(h.Sum64(), 10)
	set := c.actionSet(key, func() []ActionResources { return items })
	if !sameItems(set.Items, items) {
		// a hash collision: keyed by the requests themselves, each
		// field after its length
		full := []byte(key + "\x00")
		for _, it := range items {
			full = gencache.AppendPart(full, it.Action)
			full = strconv.AppendInt(full, int64(len(it.Resources)), 10)
			for _, r := range it.Resources {
				full = gencache.AppendPart(full, r)
			}
		}
		set = c.actionSet(string(full), func() []ActionResources { return items })
	}
	return set
}

// sameItems reports whether a and b hold the same requests in the same
// order.
func sameItems(a, b []ActionResources) bool {
	return slices.EqualFunc(a, b, func(x, y ActionResources) bool {
		return x.Action == y.Action && slices.Equal(x.Resources, y.Resources)
	})
}

// unchecked says the entry was not checked, for reason, once: both sides
// often hold the same entry (a policy changed elsewhere, a statement
// kept), and each would say it again.
func (pc *pairComparer) unchecked(entry, reason string) {
	u := Unchecked{pc.name, entry, reason}
	if pc.noted[u] {
		return
	}
	if pc.noted == nil {
		pc.noted = map[Unchecked]bool{}
	}
	pc.noted[u] = true
	pc.rep.Unchecked = append(pc.rep.Unchecked, u)
}

type stmtRef struct {
	e  *evaluator.Engine
	st *policy.Statement
}

func (pc *pairComparer) run() {
	c := pc.c
	// the actions either side can grant, in catalogue order
	idxO, unkO := c.reach.Indexes(pc.old.e)
	idxN, unkN := c.reach.Indexes(pc.new.e)
	idx := mergeIdx(idxO, idxN)
	// the actions the side's own resources' policies decide with the
	// resource (a role's trust policy, for sts:AssumeRole on the dump's
	// roles): one that names the caller itself grants the call with no
	// identity Allow (evaluator: a resource policy naming the caller in
	// its own account), so they are compared whatever the caller's own
	// policies allow (the actions a role's trust policy decides that the
	// caller's own credentials sign: evaluator.TrustPolicyAction and
	// SignedByCaller)
	for _, name := range [...]string{"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"} {
		if !pc.old.names(name) && !pc.new.names(name) {
			continue
		}
		if x, ok := c.reach.Index(c.cat.Action(name)); ok {
			idx = mergeIdx(idx, []int32{x})
		}
	}
	var literal []string
	seen := map[string]bool{}
	for _, u := range append(append([]string{}, unkO...), unkN...) {
		l := strings.ToLower(u)
		if seen[l] {
			continue
		}
		seen[l] = true
		if strings.ContainsAny(u, "*?") {
			pc.unchecked(u, "an Action entry the catalogue matches no action of")
			continue
		}
		literal = append(literal, u)
	}
	pc.states = states(append(mfa.Thresholds(pc.old.e), mfa.Thresholds(pc.new.e)...))
	// the credentials the caller can have (SPEC 6.2): a role session, a
	// federated or identity-provider session, a service, only a session
	// without MFA (aws:MultiFactorAuthPresent false, whatever MFA was used
	// to get a role session); an unsigned request, no MFA key
	switch request.ParsePrincipal(pc.new.request("", "").Principal).Kind {
	case request.PrincipalRole, request.PrincipalAssumedRole, request.PrincipalFederatedUser, request.PrincipalService,
		request.PrincipalWebIdentity, request.PrincipalSAML:
		pc.states = []State{{}}
	case request.PrincipalAnonymous:
		pc.states = []State{{LongTerm: true, Unsigned: true}}
	}
	// a resource policy grants nothing to a request without a caller (AWS's
	// simulator needs CallerArn with one): what it grants is not compared
	if !pc.resourceCallers && (pc.old.request("", "").Principal == "" || pc.new.request("", "").Principal == "") {
		for _, s := range []side{pc.old, pc.new} {
			for i := range len(s.e.Policies()) {
				if cp := s.e.Policy(i); cp.Type == evaluator.TypeResource {
					pc.unchecked(cp.Policy.Name, "a resource policy: with no caller it allows nobody, so what it grants was not compared (give a caller)")
				}
			}
		}
	}
	for _, e := range []*evaluator.Engine{pc.old.e, pc.new.e} {
		for _, cp := range e.Policies() {
			for _, st := range cp.Policy.Statements {
				pc.covers = append(pc.covers, c.reach.Covering(st.Action))
				pc.stmts = append(pc.stmts, stmtRef{e, st})
			}
		}
	}
	// group the catalogue's actions by the statements that cover them
	type group struct {
		members []int32
	}
	var groups []*group
	byMask := map[string]*group{}
	mask := make([]byte, (len(pc.covers)+7)/8)
	federated := false
	switch request.ParsePrincipal(pc.new.request("", "").Principal).Kind {
	case request.PrincipalWebIdentity, request.PrincipalSAML:
		federated = true
	}
	for _, x := range idx {
		if _, n := c.reach.At(x); evaluator.ActionSpecific(n, false) || !federated && !evaluator.SignedByCaller(n) {
			// sts:GetSessionToken, sts:GetCallerIdentity: AWS authorizes
			// them without policies, so no policy change flips them; nor
			// does one flip a caller's sts:AssumeRoleWithSAML or
			// sts:AssumeRoleWithWebIdentity, which its credentials do not
			// sign (evaluator.SignedByCaller)
			continue
		}
		clear(mask)
		w, bit := x/64, uint64(1)<<(x%64)
		for k, cv := range pc.covers {
			if cv[w]&bit != 0 {
				mask[k/8] |= 1 << (k % 8)
			}
		}
		g := byMask[string(mask)]
		if g == nil {
			g = &group{}
			byMask[string(mask)] = g
			groups = append(groups, g)
		}
		g.members = append(g.members, x)
	}
	for _, g := range groups {
		pc.group(g.members)
	}
	for _, a := range literal {
		if federated || evaluator.SignedByCaller(a) {
			pc.action(a, nil)
		}
	}
	pc.flush()
}

// group compares the actions of a group: the same statements cover them.
// Where the statements test service keys, the group is split by the keys
// each action's requests can carry (Comparer.neverCarried): the actions
// of one part carry the same keys, and one of them decides for all.
func (pc *pairComparer) group(members []int32) {
	_, name := pc.c.reach.At(members[0])
	var keys []string
	var f evaluator.Footprint
	for _, e := range []*evaluator.Engine{pc.old.e, pc.new.e} {
		e.AppendFootprint(&f, name)
		for _, ref := range f.Statements {
			for _, cl := range e.Policy(ref.Policy).Policy.Statements[ref.Statement].Conditions {
				if pc.c.serviceKey(cl.Key) && !slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, cl.Key) }) {
					keys = append(keys, cl.Key)
				}
			}
		}
	}
	if len(keys) == 0 {
		pc.share(members)
		return
	}
	var order []string
	parts := map[string][]int32{}
	sig := make([]byte, len(keys))
	for _, x := range members {
		a, _ := pc.c.reach.At(x)
		for i, k := range keys {
			sig[i] = '1'
			if pc.c.neverCarried(k, a) {
				sig[i] = '0'
			}
		}
		if parts[string(sig)] == nil {
			order = append(order, string(sig))
		}
		parts[string(sig)] = append(parts[string(sig)], x)
	}
	for _, s := range order {
		pc.share(parts[s])
	}
}

// share compares the actions of a group whose requests carry the same
// keys.
func (pc *pairComparer) share(members []int32) {
	_, name := pc.c.reach.At(members[0])
	if !pc.resourceFree(name) || pc.decides != nil {
		for _, x := range members {
			a, n := pc.c.reach.At(x)
			pc.action(n, a)
		}
		return
	}
	// one request stands for every action of the group the caller's
	// account owns the instances of, and every instance
	combos := pc.combos(name)
	base := pc.new.request(name, "*")
	room, _ := pc.c.rooms.Get().(*[]member)
	if room == nil {
		room = new([]member)
	}
	shared := (*room)[:0]
	defer func() {
		clear(shared)
		*room = shared[:0]
		pc.c.rooms.Put(room)
	}()
	table := pc.c.stars.Table(base.Principal)
	union := pc.unionEngine // made only when an action's instances are
	acct := request.ParsePrincipal(base.Principal).Account
	for _, x := range members {
		a, n := pc.c.reach.At(x)
		if evaluator.ActionSpecific(n, false) || pc.old.names(n) || pc.new.names(n) { // resourceFree: no resource policy

			pc.action(n, a)
			continue
		}
		// every statement for the action names "*": its instances depend
		// on the caller's partition and account only
		in := table.Of(x, union)
		own := in.Own
		for _, e := range []*evaluator.Engine{pc.old.e, pc.new.e} {
			if o := e.ResourceOwner(); o != "" && o != acct {
				own = own && mfa.OwnedBy(in.List, acct, o)
			}
		}
		if !own {
			pc.action(n, a)
			continue
		}
		shared = append(shared, member{n, in.List})
	}
	if len(shared) == 0 {
		return
	}
	n := int64(0)
	for _, m := range shared {
		n += int64(len(m.insts))
	}
	pc.rep.Actions += len(shared)
	rep0 := shared[0]
	var set *ActionSet
	for _, combo := range combos {
		flips := pc.decide(rep0.name, rep0.insts[0], combo)
		pc.rep.Covered += (n - 1) * int64(2*len(pc.states))
		if len(flips) == 0 {
			continue
		}
		if set == nil {
			// the set is named by the caller's account (the instances are
			// its) and a hash of the actions; a set found under the name
			// is checked to hold the same actions
			var h maphash.Hash
			h.SetSeed(pc.c.seed)
			for _, m := range shared {
				h.WriteString(m.name)
				h.WriteByte(0)
			}
			key := "s" + tableKey(base.Principal) + "\x00" + strconv.Itoa(len(shared)) + "\x00" + strconv.FormatUint(h.Sum64(), 10)
			items := func() []ActionResources {
				items := make([]ActionResources, len(shared))
				for i, m := range shared {
					items[i] = ActionResources{m.name, m.insts}
				}
				return items
			}
			set = pc.c.actionSet(key, items)
			same := len(set.Items) == len(shared)
			for i := 0; same && i < len(shared); i++ {
				same = set.Items[i].Action == shared[i].name
			}
			if !same { // a hash collision: the names themselves
				full := []byte(key + "\x00")
				for _, m := range shared {
					full = gencache.AppendPart(full, m.name)
				}
				set = pc.c.actionSet(string(full), items)
			}
		}
		for _, f := range flips {
			f.Actions = set
			pc.add(f)
		}
	}
}

// resourceFree reports whether the statements of both sides that match
// action all name the resource "*", and neither side holds a resource
// policy.
func (pc *pairComparer) resourceFree(action string) bool {
	var f evaluator.Footprint
	for _, e := range []*evaluator.Engine{pc.old.e, pc.new.e} {
		e.AppendFootprint(&f, action)
		if !e.ResourceFree(&f) {
			return false
		}
	}
	return true
}

// unionEngine returns the engine of both sides' policies, compiled once.
func (pc *pairComparer) unionEngine() *evaluator.Engine {
	if pc.union != nil {
		return pc.union
	}
	var set evaluator.PolicySet
	for _, e := range []*evaluator.Engine{pc.old.e, pc.new.e} {
		for _, cp := range e.Policies() {
			if cp.Type == evaluator.TypeResource {
				continue // its statements may lack Resource; identity policies must not
			}
			set.Identity = append(set.Identity, cp.Policy)
		}
	}
	u, err := evaluator.Compile(set)
	if err != nil {
		u = pc.new.e // the sides compiled: their policies are valid
	}
	pc.union = u
	return u
}

// action compares one action on every resource of the matrix. a is its
// catalogue entry, or nil.
func (pc *pairComparer) action(name string, a *catalog.Action) {
	pc.rep.Actions++
	base := pc.new.request(name, "*")
	var resources []string
	seen := map[string]bool{}
	for _, e := range []*evaluator.Engine{pc.old.e, pc.new.e} {
		rs, unchecked := mfa.Resources(e, name, base)
		for _, r := range rs {
			if !seen[r] {
				seen[r] = true
				resources = append(resources, r)
			}
		}
		for _, u := range unchecked {
			pc.unchecked(u.Pattern, name+": needs "+strings.Join(u.Missing, ", "))
		}
	}
	// the side's own resources requests may name (an account's roles)
	for _, s := range []side{pc.old, pc.new} {
		if s.res == nil {
			continue
		}
		for _, r := range s.res(name) {
			if !seen[r] {
				seen[r] = true
				resources = append(resources, r)
			}
		}
	}
	// "*" last, once
	out := resources[:0]
	for _, r := range resources {
		if r != "*" {
			out = append(out, r)
		}
	}
	resources = append(out, "*")
	resources, _ = mfa.Instances(pc.unionEngine(), a, resources, base)
	combos := pc.combos(name)
	// the resources decided alike (resourceClass) are decided once, the
	// others of a class only where that one flipped
	var classes map[string]*decidedClass
	if pc.decides == nil && pc.old.shape != nil && pc.new.shape != nil && pc.classFootprints(name) {
		classes = map[string]*decidedClass{}
	}
	for _, r := range resources {
		var cl *decidedClass
		if classes != nil {
			if key, ok := pc.resourceClass(name, r); ok {
				if cl = classes[string(key)]; cl == nil {
					cl = &decidedClass{}
					classes[string(key)] = cl
				} else if !cl.flipped {
					pc.rep.Covered += cl.covered
					continue
				}
			}
		}
		covered, noted := pc.rep.Covered, len(pc.rep.Unchecked)
		flipped := false
		if classes != nil {
			flipped = pc.decideAlike(name, r, combos)
		} else {
			for _, combo := range combos {
				for _, f := range pc.decide(name, r, combo) {
					flipped = true
					pc.add(f)
				}
			}
		}
		if cl != nil && !cl.decided {
			cl.decided, cl.flipped, cl.covered = true, flipped || len(pc.rep.Unchecked) != noted, pc.rep.Covered-covered
		}
	}
}

// classFootprints sets pc.fps to the sides' footprints for action
// (without the resource policies ResourceEngine adds: those of a shape
// have statements without Resource, which let every resource in), and
// reports whether no statement of them has a policy variable in its
// Resource, which the keys a combination sets would fill: resourceClass
// reads the statements' Resource matches of a request without them.
func (pc *pairComparer) classFootprints(action string) bool {
	for i, s := range []side{pc.old, pc.new} {
		fp := &pc.fps[i]
		s.e.AppendFootprint(fp, action)
		var none request.Context
		for _, ref := range fp.Statements {
			if varies, _ := s.e.ResourceVariables(ref, &none, func(string) bool { return true }); varies {
				return false
			}
		}
	}
	return true
}

// decideAlike decides action on resource in each combination of combos,
// as decide does, but once for the combinations that set the keys that
// can bear on the decisions alike (relevantKeys): the others take the
// first one's flips, with their own context. It reports whether any
// request flipped.
func (pc *pairComparer) decideAlike(action, resource string, combos [][]ctxValue) bool {
	// the requests as decide makes them before it sets a combination's
	// keys (made again by each decide)
	ro := pc.old.requestIn(&pc.ro, action, resource)
	rn := pc.new.requestIn(&pc.rn, action, resource)
	relevant, ok := pc.relevantKeys(action, resource, ro, rn)
	flipped := false
	if !ok || len(combos) < 2 {
		for _, combo := range combos {
			for _, f := range pc.decide(action, resource, combo) {
				flipped = true
				pc.add(f)
			}
		}
		return flipped
	}
	type decided struct {
		flips   []Flip
		covered int64
	}
	groups := map[string]decided{}
	// what decide reads of a combination before it decides: the keys it
	// keeps out (keptOut), each found once, and the instants it gives
	keptOut := map[string]bool{}
	for _, combo := range combos {
		for _, cv := range combo {
			lk := strings.ToLower(cv.key)
			if _, seen := keptOut[lk]; !seen {
				keptOut[lk] = pc.keptOut(cv.key, action, resource, ro, rn)
			}
		}
	}
	var key []byte
	for _, combo := range combos {
		if _, _, apart := comboInstant(combo); apart || slices.ContainsFunc(combo, func(cv ctxValue) bool { return keptOut[strings.ToLower(cv.key)] }) {
			continue
		}
		key = key[:0]
		for _, cv := range combo {
			if !relevant[strings.ToLower(cv.key)] && !timeKey(cv.key) {
				continue
			}
			key = gencache.AppendPart(key, strings.ToLower(cv.key))
			key = strconv.AppendInt(key, int64(len(cv.values)), 10)
			for _, v := range cv.values {
				key = gencache.AppendPart(key, v)
			}
		}
		if g, ok := groups[string(key)]; ok {
			pc.rep.Covered += g.covered
			ctx := comboContext(combo)
			for _, f := range g.flips {
				flipped = true
				f.Context = ctx
				pc.add(f)
			}
			continue
		}
		covered := pc.rep.Covered
		flips := pc.decide(action, resource, combo)
		groups[string(key)] = decided{flips, pc.rep.Covered - covered}
		for _, f := range flips {
			flipped = true
			pc.add(f)
		}
	}
	return flipped
}

// timeKey reports whether key is aws:CurrentTime or aws:EpochTime, which a
// combination sets together (comboInstant).
func timeKey(key string) bool {
	return strings.EqualFold(key, request.KeyEpochTime) || strings.EqualFold(key, request.KeyCurrentTime)
}

// keptOut reports whether the matrix gives key no value in requests for
// action on resource, made as ro and rn (side.requestIn): a key a side's
// request carries of its own (an account dump's resource tags) keeps its
// value, and a tag of a resource a side knows all the tags of
// (Principal.ResourceTagsKnown) is absent when not carried (the resource
// has no such tag). A combination that gives such a key a value is that
// combination without it, which is decided once: decide decides nothing
// for it.
func (pc *pairComparer) keptOut(key, action, resource string, ro, rn *request.Context) bool {
	for _, r := range []*request.Context{ro, rn} {
		if _, carried := r.Lookup(key); carried {
			return true
		}
	}
	return request.ResourceTagKey(key) && (pc.old.knowsTags(action, resource) || pc.new.knowsTags(action, resource))
}

// comboContext is the context of a flip of combo (Flip.Context).
func comboContext(combo []ctxValue) []string {
	var ctx []string
	for _, cv := range combo {
		ctx = append(ctx, cv.key+"="+strings.Join(cv.values, ","))
	}
	return ctx
}

// relevantKeys returns the keys (lower-case) that can bear on a decision
// of action on resource on either side: those the conditions test of the
// statements for action whose Resource lets the resource in (a statement
// that does not is passed over before its conditions: evaluator.Engine.
// AppendResourceMatches), in the engines that decide it
// (pairComparer.engine) and the policy assumed for another account's
// resource. ok is false when that is not all: a statement whose Resource
// or condition values hold a policy variable, which a combination's keys
// may fill. ro and rn are the sides' requests (side.requestIn).
func (pc *pairComparer) relevantKeys(action, resource string, ro, rn *request.Context) (map[string]bool, bool) {
	relevant := map[string]bool{}
	for _, new := range []bool{false, true} {
		req := ro
		if new {
			req = rn
		}
		e, err := pc.engine(new, action, resource)
		if errors.Is(err, ErrNoSuchResource) {
			continue
		}
		if err != nil {
			return nil, false
		}
		e = pc.otherAccounts(e, req)
		e.AppendFootprint(&pc.rfp, action)
		pc.matches = e.AppendResourceMatches(pc.matches[:0], &pc.rfp, req)
		for i, ref := range pc.rfp.Statements {
			if varies, _ := e.ResourceVariables(ref, req, func(string) bool { return true }); varies {
				return nil, false
			}
			if !pc.matches[i] {
				continue
			}
			cp := e.Policy(ref.Policy)
			for _, cl := range cp.Policy.Statements[ref.Statement].Conditions {
				if cp.Policy.VariablesEnabled() {
					for _, v := range cl.Values {
						if strings.Contains(v.Text, "${") {
							return nil, false
						}
					}
				}
				relevant[strings.ToLower(cl.Key)] = true
			}
		}
	}
	return relevant, true
}

// decidedClass is what deciding the first resource of a class
// (resourceClass) found: whether a request flipped (or an entry was said
// not checked), and how many of the matrix its decisions covered.
type decidedClass struct {
	decided, flipped bool
	covered          int64
}

// resourceClass returns the key of the class of resource for action: the
// resources of one key are decided alike in every request of the matrix,
// on each side, but for their names. It reads, on each side, all that
// Evaluate reads of the resource and of its policy (evaluator.Engine's
// ResourceAccount, AppendResourceMatches and AppendPrincipalMatches, and
// Principal.ResourceShape): whether the side holds the resource and a
// policy of it, that policy's shape, the account that owns the resource,
// the request's keys (a role's tags), whether each statement for action
// lets the resource in, and how each statement of the resource policy
// names the caller. The combinations and credential states decide sets
// the same keys in each, and deciding reads the resource nowhere else
// (decide). ok is false where that is not all: an engine that could not
// be made, a resource policy of no shape. The statements' matches are
// read on the sides' own engines (classFootprints): a resource policy of
// a shape has no Resource to read.
func (pc *pairComparer) resourceClass(action, resource string) (key []byte, ok bool) {
	// every field of variable length is preceded by its length, so that
	// no two keys join alike (a tag's key and value may hold any byte)
	key = pc.classKey[:0]
	field := func(b []byte) {
		key = binary.AppendUvarint(key, uint64(len(b)))
		key = append(key, b...)
	}
	text := func(s string) {
		key = binary.AppendUvarint(key, uint64(len(s)))
		key = append(key, s...)
	}
	for _, new := range []bool{false, true} {
		s, room := pc.old, &pc.ro
		if new {
			s, room = pc.new, &pc.rn
		}
		e, err := pc.engine(new, action, resource)
		switch {
		case errors.Is(err, ErrNoSuchResource):
			key = append(key, 'n')
			continue
		case err != nil:
			return key, false
		}
		req := s.requestIn(room, action, resource)
		key = append(key, 'e')
		if s.knowsTags(action, resource) {
			key = append(key, 't')
		}
		if e != s.e {
			shape, ok := s.shape(action, resource)
			if !ok {
				return key, false
			}
			key = append(key, 's')
			key = binary.AppendUvarint(key, uint64(shape))
		}
		pc.piece = e.AppendShape(pc.piece[:0])
		field(pc.piece)
		text(req.Principal)
		text(e.ResourceAccount(req))
		keys := req.Keys()
		key = binary.AppendUvarint(key, uint64(len(keys)))
		for _, k := range keys {
			text(k.Name)
			key = binary.AppendUvarint(key, uint64(k.Type))
			key = binary.AppendUvarint(key, uint64(len(k.Values)))
			for _, v := range k.Values {
				text(v.String())
			}
		}
		fp := &pc.fps[0]
		if new {
			fp = &pc.fps[1]
		}
		pc.matches = s.e.AppendResourceMatches(pc.matches[:0], fp, req)
		pc.piece = pc.piece[:0]
		for _, m := range pc.matches {
			c := byte('0')
			if m {
				c = '1'
			}
			pc.piece = append(pc.piece, c)
		}
		field(pc.piece)
		pc.piece = e.AppendPrincipalMatches(pc.piece[:0], req.Principal)
		field(pc.piece)
	}
	pc.classKey = key
	return key, true
}

// decide decides one request of the matrix, under every credential state,
// on both sides, and returns its flips (without Action and Resource when
// the caller fills them in).
func (pc *pairComparer) decide(action, resource string, combo []ctxValue) []Flip {
	if pc.decides != nil && !pc.decides(resource) {
		return nil
	}
	n := len(pc.states)
	var bufO, bufN [16]evaluator.Decision
	oldD, newD := bufO[:0], bufN[:0]
	// (made in the pair's two requests: none outlives the decision)
	ro := pc.old.requestIn(&pc.ro, action, resource)
	rn := pc.new.requestIn(&pc.rn, action, resource)
	if ro.Principal == request.Anonymous && !acceptsUnsigned(action) {
		return nil // denied on both sides: the service takes no unsigned request
	}
	if slices.ContainsFunc(combo, func(cv ctxValue) bool { return pc.keptOut(cv.key, action, resource, ro, rn) }) {
		return nil
	}
	// aws:CurrentTime and aws:EpochTime are one instant: a combination
	// that gives them two is no request AWS sends; one given sets both
	instant, timed, apart := comboInstant(combo)
	if apart {
		return nil
	}
	for _, r := range []*request.Context{ro, rn} {
		for _, cv := range combo {
			_ = r.Set(cv.key, cv.typ, cv.values...) // values parsed as the statements' own
		}
		if timed {
			r.SetTime(instant)
		}
		callerDerived(r, action)
	}
	// the engines, with the resource policy that decides the request too
	// (a role's trust policy in an account dump)
	eo, errO := pc.engine(false, action, resource)
	en, errN := pc.engine(true, action, resource)
	// a side without the resource denies every request for it
	if errors.Is(errO, ErrNoSuchResource) && errors.Is(errN, ErrNoSuchResource) {
		return nil
	}
	if errors.Is(errO, ErrNoSuchResource) {
		eo, errO = pc.c.empty, nil
	}
	if errors.Is(errN, ErrNoSuchResource) {
		en, errN = pc.c.empty, nil
	}
	if err := errors.Join(errO, errN); err != nil {
		pc.unchecked(resource, action+": "+err.Error())
		return nil
	}
	// a resource another account owns: its policy, which the change
	// does not hold, must allow the request too; assumed to, so that
	// what the caller's own side lets through is compared
	eo, en = pc.otherAccounts(eo, ro), pc.otherAccounts(en, rn)
	// each state sets or removes both MFA keys: one request per side
	for _, s := range pc.states {
		s.apply(ro)
		s.apply(rn)
		oldD, newD = append(oldD, eo.Evaluate(ro)), append(newD, en.Evaluate(rn))
	}
	pc.rep.Requests += int64(2 * n)
	pc.rep.Covered += int64(2 * n)
	ctx := comboContext(combo)
	var flips []Flip
	// the states that flipped alike (the same kind, decisions and
	// statements: alikeKey) are one flip's
	var at map[string]int
	for i, s := range pc.states {
		oa, na := oldD[i].Allowed(), newD[i].Allowed()
		if oa == na {
			continue
		}
		var k Kind
		if na {
			k = NewAccess
			if pc.allowedWithMFA(oldD, i) {
				k = MFAWeakened
			}
		} else {
			k = LostAccess
			if pc.allowedWithMFA(newD, i) {
				k = MFAStrengthened
			}
		}
		f := Flip{Kind: k, Principal: pc.name, Context: ctx, Old: oldD[i].Verdict, New: newD[i].Verdict,
			OldBy: oldD[i].MatchedStatements(), NewBy: newD[i].MatchedStatements(), OldRule: oldD[i].Rule, NewRule: newD[i].Rule}
		pc.room = alikeKey(pc.room[:0], &f)
		if j, ok := at[string(pc.room)]; ok {
			flips[j].States = append(flips[j].States, s)
			continue
		}
		if at == nil {
			at = map[string]int{}
		}
		at[string(pc.room)] = len(flips)
		f.Actions, f.States = pc.c.single(action, resource), []State{s}
		flips = append(flips, f)
	}
	return flips
}

// allowedWithMFA reports whether ds allow the request with MFA more
// strictly than state i: at any MFA age when i is a state without MFA, at a
// smaller age when i is an MFA state.
func (pc *pairComparer) allowedWithMFA(ds []evaluator.Decision, i int) bool {
	s := pc.states[i]
	for j, t := range pc.states {
		if !t.MFA || s.MFA && t.Age >= s.Age {
			continue
		}
		if ds[j].Allowed() {
			return true
		}
	}
	return false
}

// states are the credential states of the matrix for thresholds, the
// aws:MultiFactorAuthAge values either side names.
func states(thresholds []float64) []State {
	out := []State{{LongTerm: true}, {}}
	for _, a := range mfa.Ages(thresholds) {
		out = append(out, State{MFA: true, Age: a})
	}
	return out
}

// ctxValue is a context key set in a request of the matrix.
type ctxValue struct {
	key    string
	typ    request.Type
	values []string
}

// keyValues are the states of a context key the matrix tries.
type keyValues struct {
	key string
	typ request.Type
	// values are the key's values in each request that carries it: one
	// value, or a set of them for a multivalued key
	values [][]string
	// absent: a request without the key is tried too
	absent bool
}

// states counts the key's states: each of values, and absent.
func (kv *keyValues) states() int {
	if kv.absent {
		return len(kv.values) + 1
	}
	return len(kv.values)
}

// combos returns the context combinations for action: for each key the
// statements of both sides that match it test (but the keys varies
// leaves alone, and the service keys the action's requests never carry), each of its values (keyValues), and the key absent.
// Every combination while they are at most maxCombinations, else each
// key varied alone, the others absent (or at their first value, for a
// key that is never absent). The first combination has every key absent
// (or at its first value).
func (pc *pairComparer) combos(action string) [][]ctxValue {
	type keyClauses struct {
		key     string
		clauses []*policy.Clause
	}
	var order []*keyClauses
	byKey := map[string]*keyClauses{}
	base := pc.new.request(action, "*")
	act := pc.c.cat.Action(action)
	var f evaluator.Footprint
	// the sides' engines, and those with the resource policies of the
	// sides' own resources (a role's trust policy: the keys it tests, such
	// as aws:SourceIp, are varied too)
	engines := []*evaluator.Engine{pc.old.e, pc.new.e}
	for _, new := range []bool{false, true} {
		s := pc.old
		if new {
			s = pc.new
		}
		if s.res == nil {
			continue
		}
		// a resource policy of a shape read before adds no condition
		// (Principal.ResourceShape: the same statements but for their
		// Principal), nor values: keyValues takes each once
		var shapes map[uint32]bool
		for _, r := range s.res(action) {
			if s.shape != nil {
				if sh, ok := s.shape(action, r); ok {
					if shapes[sh] {
						continue
					}
					if shapes == nil {
						shapes = map[uint32]bool{}
					}
					shapes[sh] = true
				}
			}
			if e, err := pc.engine(new, action, r); err == nil && e != nil {
				engines = append(engines, e)
			}
		}
	}
	for _, e := range engines {
		e.AppendFootprint(&f, action)
		for _, ref := range f.Statements {
			st := e.Policy(ref.Policy).Policy.Statements[ref.Statement]
			for _, cl := range st.Conditions {
				if !varies(cl.Key, base, pc.known) || pc.c.neverCarried(cl.Key, act) {
					continue
				}
				lk := strings.ToLower(cl.Key)
				kc := byKey[lk]
				if kc == nil {
					kc = &keyClauses{key: cl.Key}
					byKey[lk] = kc
					order = append(order, kc)
				}
				kc.clauses = append(kc.clauses, cl)
			}
		}
	}
	keys := make([]keyValues, 0, len(order))
	for _, kc := range order {
		keys = append(keys, pc.keyValues(kc.key, kc.clauses, base.Principal != "", base))
	}
	return combinations(keys)
}

// varies reports whether the matrix varies key in requests like base:
// not the MFA keys (the credential states set them), nor a key base
// carries, nor, when base has a caller, a principal key the live request
// derives (derivedPrincipalKey).
//
// A principal's tags and a user's unique id are not in its ARN: they are
// the caller's own, absent when lacking, only when known says the request
// carries every principal key the principal has (an account dump's);
// otherwise they are varied.
func varies(key string, base *request.Context, known bool) bool {
	if strings.EqualFold(key, request.KeyMultiFactorAuthPresent) || strings.EqualFold(key, request.KeyMultiFactorAuthAge) {
		return false
	}
	if _, carried := base.Lookup(key); carried {
		return false
	}
	if strings.EqualFold(key, "aws:userid") && request.ParsePrincipal(base.Principal).Kind == request.PrincipalAssumedRole {
		// a role session's is ROLEID:SESSIONNAME, the session name its
		// assumer's to choose: varied, whatever else is known
		return true
	}
	if base.Principal != "" && derivedPrincipalKey(key) && (known || !notInARN(key)) {
		return false // the caller's own: absent means it lacks the key
	}
	if base.Principal == request.Anonymous && unsignedLacks(key) {
		return false // an unsigned request has no principal
	}
	if strings.EqualFold(key, keyKMSCallerAccount) && (base.Principal == request.Anonymous || request.ParsePrincipal(base.Principal).Account != "") {
		return false // the caller's own account (callerDerived)
	}
	return true
}

// keyKMSCallerAccount is the AWS KMS condition key of the caller's account.
const keyKMSCallerAccount = "kms:CallerAccount"

// callerDerived sets in r, a request for action, the service keys whose
// value is the caller's own and which are therefore never varied apart
// from it (varies): kms:CallerAccount, "the AWS account ID of the
// caller" (AWS KMS condition keys), for a kms action by a caller whose
// ARN names its account.
func callerDerived(r *request.Context, action string) {
	if !strings.HasPrefix(strings.ToLower(action), "kms:") {
		return
	}
	if acct := request.ParsePrincipal(r.Principal).Account; acct != "" {
		_ = r.Set(keyKMSCallerAccount, request.TypeString, acct)
	}
}

// acceptsUnsigned reports whether the service of action may take an
// unsigned (anonymous) request: not AWS KMS nor AWS STS's AssumeRole and
// key operations, which authenticate every request (AWS KMS: every request
// is signed with AWS credentials; STS AssumeRole requires credentials).
func acceptsUnsigned(action string) bool {
	svc, _, _ := strings.Cut(strings.ToLower(action), ":")
	switch svc {
	case "kms", "sts":
		return false
	}
	return true
}

// unsignedLacks reports whether an unsigned (anonymous) request never
// carries key: the keys of a principal, which AWS sends only for signed
// requests (global condition keys page, on aws:PrincipalArn,
// aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalOrgPaths,
// aws:PrincipalTag, aws:PrincipalType's signed values, aws:userid,
// aws:username, aws:PrincipalIsAWSService, aws:PrincipalServiceName,
// aws:PrincipalServiceNamesList, aws:SourceIdentity,
// aws:FederatedProvider, aws:TokenIssueTime, aws:AssumedRoot, the MFA
// keys: "Anonymous requests do not include this key"), and those a
// service adds when it acts for a principal or for itself (aws:SourceArn,
// aws:SourceAccount, aws:SourceOrgID, aws:SourceOrgPaths, aws:CalledVia,
// aws:CalledViaFirst, aws:CalledViaLast) or that name the EC2 instance
// whose role credentials signed (aws:Ec2InstanceSourceVpc,
// aws:Ec2InstanceSourcePrivateIPv4), and a role session's name.
func unsignedLacks(key string) bool {
	if derivedPrincipalKey(key) {
		return !strings.EqualFold(key, request.KeyPrincipalType) // "Anonymous", which the request carries
	}
	for _, k := range [...]string{request.KeyMultiFactorAuthPresent, request.KeyMultiFactorAuthAge,
		"aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalServiceNamesList", "aws:SourceIdentity",
		"aws:FederatedProvider", "aws:TokenIssueTime", "aws:AssumedRoot", "aws:SourceArn", "aws:SourceAccount",
		"aws:SourceOrgID", "aws:SourceOrgPaths", "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast",
		"aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4", "aws:RoleSessionName"} {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}

// notInARN reports a principal key a caller's ARN does not tell: its tags
// and unique id.
func notInARN(key string) bool {
	const tag = "aws:principaltag/"
	return strings.EqualFold(key, request.KeyUserID) || len(key) > len(tag) && strings.EqualFold(key[:len(tag)], tag)
}

// keyValues returns the states tried of key, which clauses test: each
// value they name as a request value (valuesFor), both booleans for a
// Boolean key, a value of the key's type when they name none (a Null
// test), and the key absent — but for a live request (one with a caller),
// which always carries the keys alwaysPresent names: one of those takes a
// value none names instead (a string key; the values of other types
// already hold some). A multivalued key (a set qualifier, or a
// list in the catalogue) takes each value alone, the set of every value
// named, and that set with one value none names.
func (pc *pairComparer) keyValues(key string, clauses []*policy.Clause, live bool, base *request.Context) keyValues {
	typ := typeFor(clauses[0], pc.c.cat)
	for _, cl := range clauses {
		if cl.Op.Base != condition.Null {
			typ = typeFor(cl, pc.c.cat)
			break
		}
	}
	scalar := typ.Scalar()
	like, ignoreCase := false, false
	for _, cl := range clauses {
		switch cl.Op.Base {
		case condition.StringLike, condition.StringNotLike, condition.ArnLike, condition.ArnNotLike:
			like = true
		case condition.StringEqualsIgnoreCase, condition.StringNotEqualsIgnoreCase:
			ignoreCase = true
		}
	}
	var named []string
	add := func(v string) {
		if !slices.Contains(named, v) && (&request.Context{}).Set(key, scalar, v) == nil {
			named = append(named, v)
		}
	}
	// the clauses' own values, patterns kept: an unnamed value matches
	// none of them (unnamed); arn says one compares ARNs
	var patterns []string
	arn := false
	for _, cl := range clauses {
		if cl.Op.Base != condition.Null {
			arn = arn || cl.Op.Base.Family() == condition.FamilyARN
			patterns = append(patterns, valuesFor(cl)...)
			for _, v := range valuesFor(cl) {
				// a policy variable takes the request's value, as the
				// engine substitutes it; one the request cannot fill is
				// said not checked
				if strings.Contains(v, "${") {
					r, missing := mfa.RenderResource(v, true, base)
					if len(missing) > 0 {
						pc.unchecked(v, "a condition value with a policy variable the request has no value for ("+strings.Join(missing, ", ")+"): give a caller")
						continue
					}
					v = r
				}
				add(v)
				if f := cl.Op.Base.Family(); f == condition.FamilyString || f == condition.FamilyARN {
					for _, p := range stringProbes(v, like, ignoreCase) {
						add(p)
					}
				}
			}
		}
	}
	if scalar == request.TypeBoolean {
		add("true")
		add("false")
	}
	if scalar == request.TypeIP {
		// an IPv6 address, which no IPv4 range holds (0.0.0.0/0 included:
		// a request over IPv6 passes a NotIpAddress of IPv4 ranges)
		add("2001:db8::1")
	}
	if len(named) == 0 {
		add(placeholder(scalar))
	}
	kv := keyValues{key: key, typ: typ, absent: !live || !alwaysPresent(key)}
	if scalar == request.TypeString {
		// a value no statement names, whether or not the key may also
		// be absent: StringNotEquals and Null tell the two apart (a
		// Deny with StringNotEquals aws:SourceVpce applies to a request
		// through another endpoint, one with Null does not)
		if v, ok := unnamed(scalar, named, patterns, arn); ok {
			named = append(named, v)
		}
	}
	for _, v := range named {
		kv.values = append(kv.values, []string{v})
	}
	if typ.List() {
		// sets of two values and more: every value named, and with one
		// more no statement names (ForAllValues and ForAnyValue differ
		// only there)
		if len(named) > 1 {
			kv.values = append(kv.values, named)
		}
		if v, ok := unnamed(scalar, named, patterns, arn); ok {
			kv.values = append(kv.values, append(slices.Clip(named), v))
		}
	}
	return kv
}

// unnamed returns a value of type t that is not among named: "other" for a
// string (or "other2", ...), else the type's placeholder; false when there
// is none.
func unnamed(t request.Type, named, patterns []string, arn bool) (string, bool) {
	if t != request.TypeString {
		v := placeholder(t)
		return v, t != request.TypeBoolean && !slices.Contains(named, v)
	}
	// matched by no value named nor pattern of the clauses (StringNotLike
	// o* tells "other" from nothing; a-first letters are tried so that one
	// pattern's prefix does not hold them all), an ARN where the clauses
	// compare ARNs (ArnNotEquals on a text that is no ARN is false)
	prefixes := []string{"other", "zq-other", "9-other", "Q_other"}
	heads := []string{""}
	if arn {
		heads = []string{"arn:aws:sns:us-east-1:999999999999:", "arn:aws:sqs:eu-west-1:888888888888:", "arn:aws-cn:ec2:cn-north-1:555555555555:"}
	}
	for i := 1; i < 100; i++ {
		for _, h := range heads {
			for _, p := range prefixes {
				v := h + p
				if i > 1 {
					v += strconv.Itoa(i)
				}
				clash := func(n string) bool { return strings.EqualFold(n, v) || condition.MatchWildcard(n, v, true) }
				if !slices.ContainsFunc(named, clash) && !slices.ContainsFunc(patterns, clash) {
					return v, true
				}
			}
		}
	}
	return "", false
}

// placeholder is a value of type t, for a key whose presence alone is
// tested.
func placeholder(t request.Type) string {
	switch t {
	case request.TypeNumeric:
		return "0"
	case request.TypeBoolean:
		return "true"
	case request.TypeDate:
		return "1970-01-01T00:00:00Z"
	case request.TypeIP:
		return "192.0.2.1"
	case request.TypeBinary:
		return "eA=="
	}
	return "x"
}

// combinations are every combination of the keys' states while they are
// at most maxCombinations, else each key varied alone from the first
// state of every key.
func combinations(keys []keyValues) [][]ctxValue {
	total := 1
	for i := range keys {
		total *= keys[i].states()
		if total > maxCombinations {
			break
		}
	}
	if total <= maxCombinations {
		out := [][]ctxValue{nil}
		for i := range keys {
			kv := &keys[i]
			next := make([][]ctxValue, 0, len(out)*kv.states())
			for _, c := range out {
				if kv.absent {
					next = append(next, c)
				}
				for _, v := range kv.values {
					next = append(next, append(slices.Clip(c), ctxValue{kv.key, kv.typ, v}))
				}
			}
			out = next
		}
		return out
	}
	// the first state of each key: absent, or its first value
	with := func(k int, v []string) []ctxValue {
		var c []ctxValue
		for i := range keys {
			switch {
			case i == k:
				c = append(c, ctxValue{keys[i].key, keys[i].typ, v})
			case !keys[i].absent:
				c = append(c, ctxValue{keys[i].key, keys[i].typ, keys[i].values[0]})
			}
		}
		return c
	}
	out := [][]ctxValue{with(-1, nil)}
	for k := range keys {
		vs := keys[k].values
		if !keys[k].absent {
			vs = vs[1:]
		}
		for _, v := range vs {
			out = append(out, with(k, v))
		}
	}
	return out
}

// alwaysPresent reports whether AWS includes key in the context of every
// request (global condition keys page, on aws:CurrentTime,
// aws:EpochTime, aws:RequestedRegion, aws:SecureTransport, aws:UserAgent
// and aws:ViaAWSService: "This key is always included in the request
// context"). The principal keys AWS always sends are derivedPrincipalKey's.
func alwaysPresent(key string) bool {
	for _, k := range [...]string{request.KeyCurrentTime, request.KeyEpochTime, "aws:RequestedRegion", "aws:SecureTransport", "aws:UserAgent", "aws:ViaAWSService"} {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}

// derivedPrincipalKey reports whether a live request derives key from its
// caller: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
// aws:username, aws:userid, aws:PrincipalServiceName and
// aws:PrincipalIsAWSService (request.Context.DerivePrincipalKeys), and a
// principal's tags as aws:PrincipalTag/KEY and its unique id as aws:userid
// (account.Principal.DeriveKeys). A request with a caller that does not
// carry such a key lacks it (a user without the tag, a role session's
// aws:username): trying values for it would invent a principal.
func derivedPrincipalKey(key string) bool {
	for _, k := range [...]string{request.KeyPrincipalARN, request.KeyPrincipalAccount, request.KeyPrincipalType,
		request.KeyUsername, request.KeyUserID, request.KeyPrincipalServiceName, request.KeyPrincipalIsAWSService} {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	const tag = "aws:principaltag/"
	return len(key) > len(tag) && strings.EqualFold(key[:len(tag)], tag)
}

// typeFor is the type of a key in requests: the catalogue's, else the one
// the operator compares, as a list under a set qualifier.
func typeFor(cl *policy.Clause, c *catalog.Catalog) request.Type {
	var t request.Type
	switch cl.Op.Base.Family() {
	case condition.FamilyNumeric:
		t = request.TypeNumeric
	case condition.FamilyDate:
		t = request.TypeDate
	case condition.FamilyBool:
		t = request.TypeBoolean
	case condition.FamilyIP:
		t = request.TypeIP
	case condition.FamilyBinary:
		t = request.TypeBinary
	default:
		t = request.TypeString
	}
	list := cl.Op.Qualifier != condition.NoQualifier
	if k := c.FindKey(cl.Key); k != nil {
		switch k.Type.Elem() {
		case "String", "ARN":
			t = request.TypeString
		case "Numeric":
			t = request.TypeNumeric
		case "Date":
			t = request.TypeDate
		case "Bool":
			t = request.TypeBoolean
		case "IPAddress":
			t = request.TypeIP
		case "Binary":
			t = request.TypeBinary
		}
		list = list || k.Type.IsList()
	}
	if list {
		t |= 1 // the list type of each scalar type is the next
	}
	return t
}

// valuesFor are the values a clause names, as request values: both
// booleans for Bool; for an address or range of the IP operators, the
// addresses that tell it from its neighbours (ipProbes); for a number or
// date of the numeric and date operators, the value and those either side
// of it (aroundProbes).
func valuesFor(cl *policy.Clause) []string {
	var out []string
	switch fam := cl.Op.Base.Family(); fam {
	case condition.FamilyBool:
		return []string{"true", "false"}
	case condition.FamilyIP:
		for _, v := range cl.Values {
			out = append(out, ipProbes(v.Text)...)
		}
		return out
	case condition.FamilyNumeric, condition.FamilyDate:
		for _, v := range cl.Values {
			out = append(out, aroundProbes(v.Text, fam == condition.FamilyDate)...)
		}
		return out
	}
	for _, v := range cl.Values {
		out = append(out, v.Text)
	}
	return out
}

// stringProbes are the strings that tell the string operators the clauses
// of a key use apart at s, a value they name: where one of them matches
// wildcards (StringLike, StringNotLike, ArnLike, ArnNotLike), s with its
// wildcards filled (wildcardFills: "home/*" as "home/x", what StringLike
// matches and StringEquals does not; and each * empty and of two
// characters, which tell "a*c" from "a?c"); where one ignores case, s in
// another letter case (what StringEqualsIgnoreCase matches and
// StringEquals does not).
func stringProbes(s string, like, ignoreCase bool) []string {
	var out []string
	if like {
		out = append(out, wildcardFills(s)...)
	}
	if ignoreCase {
		other := strings.ToUpper(s)
		if other == s {
			other = strings.ToLower(s)
		}
		if other != s {
			out = append(out, other)
		}
	}
	return out
}

// wildcardFills are the strings that fill the wildcards of the pattern s
// (none when it has none): every ? as one character and every * as one
// character, as none, and as two (condition operators page: * is "a
// multi-character match wildcard", which matches the empty string too, ?
// "a single-character match wildcard"). Two patterns that differ in their
// wildcards differ on one of these fills of one of them: "a?c" and "a*c"
// at "ac" and "axxc", "a*" and "a?*" at "a".
func wildcardFills(s string) []string {
	if !strings.ContainsAny(s, "*?") {
		return nil
	}
	out := make([]string, 0, 3)
	for _, star := range [...]string{"x", "", "xx"} {
		f := strings.NewReplacer("*", star, "?", "x").Replace(s)
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// aroundProbes are s, a number (or a date when date is set), and the
// values just below and just above it, in the form s is written in: a
// number one less and one more, a date one second before and after (epoch
// seconds as numbers, an ISO 8601 date in RFC 3339). Operators that agree
// at s itself (NumericLessThan and NumericGreaterThan) differ there. s
// alone when it is neither.
func aroundProbes(s string, date bool) []string {
	if n, ok := request.ParseNumber(s); ok {
		return []string{s, strconv.FormatFloat(n-1, 'f', -1, 64), strconv.FormatFloat(n+1, 'f', -1, 64)}
	}
	if d, ok := request.ParseDate(s); ok && date {
		return []string{s, d.Add(-time.Second).UTC().Format(time.RFC3339), d.Add(time.Second).UTC().Format(time.RFC3339)}
	}
	return []string{s}
}

// ipProbes are the addresses that tell the range s (a CIDR block, or one
// address) from the addresses around it: its first and last address, and
// the address just before and just after it (where the address space has
// one). s as written when it is neither.
func ipProbes(s string) []string {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return []string{s}
		}
		p = netip.PrefixFrom(a.WithZone(""), a.BitLen())
	}
	p = p.Masked()
	first := p.Addr()
	b := first.AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	last, _ := netip.AddrFromSlice(b)
	out := []string{first.String()}
	if last != first {
		out = append(out, last.String())
	}
	if a := first.Prev(); a.IsValid() {
		out = append(out, a.String())
	}
	if a := last.Next(); a.IsValid() {
		out = append(out, a.String())
	}
	return out
}

// mergeIdx merges two ascending lists without duplicates.
func mergeIdx(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// KeyProbes are the values of key that tell apart the clauses on it that
// a set of policies names (the probes Compare tries: each value named, its
// wildcards filled, other letter case, IP range ends and neighbours,
// numbers and dates either side), as request values of type typ: one
// value, or a set of them for a multivalued key. base renders policy
// variables; a value whose variable base cannot fill is left out and
// returned in unfilled. cat is the AWS catalogue (catalog.Default() when
// nil).
func KeyProbes(cat *catalog.Catalog, key string, clauses []*policy.Clause, base *request.Context) (typ request.Type, values [][]string, unfilled []string) {
	if cat == nil {
		cat = catalog.Default()
	}
	if len(clauses) == 0 {
		return request.TypeString, nil, nil
	}
	rep := &Report{}
	pc := &pairComparer{c: &Comparer{cat: cat, seed: maphash.MakeSeed()}, rep: rep}
	kv := pc.keyValues(key, clauses, false, base)
	for _, u := range rep.Unchecked {
		unfilled = append(unfilled, u.Entry)
	}
	return kv.typ, kv.values, unfilled
}

// comboInstant returns the instant combo gives aws:CurrentTime or
// aws:EpochTime (set: one of them is given), and apart when it gives them
// two instants, which no request holds (both keys are the request's time,
// global condition keys).
func comboInstant(combo []ctxValue) (at time.Time, set, apart bool) {
	for _, cv := range combo {
		if len(cv.values) != 1 {
			continue
		}
		if !strings.EqualFold(cv.key, request.KeyEpochTime) && !strings.EqualFold(cv.key, request.KeyCurrentTime) {
			continue
		}
		// (either key reads as IAM reads dates: ISO 8601 or epoch seconds)
		t, ok := request.ParseDate(cv.values[0])
		if !ok {
			continue
		}
		t = t.Truncate(time.Second)
		if set && !t.Equal(at) {
			return at, set, true
		}
		at, set = t, true
	}
	return at, set, false
}
