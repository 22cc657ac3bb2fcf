package account

import (
	"fmt"
	"github.com/iameval/iameval/internal/gencache"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/internal/keyhash"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// SessionName is the session name of the role sessions whose requests are
// decided: arn:aws:sts::ACCOUNT:assumed-role/ROLE/iameval. Whoever assumes a
// role chooses the name, and a result depends on it only where a policy
// names a session ARN: a session a trust policy names is decided under its
// own name (see Assumers), so no result of Assumers depends on this one.
const SessionName = "iameval"

// Credentials is a set of the states of the MFA keys a caller can sign a
// request with (SPEC 6.2).
type Credentials uint8

// The credential states.
const (
	// LongTermKeys: neither MFA key (an IAM user's access keys, an
	// AssumeRole call made with them without MFA parameters, a service
	// principal's own request).
	LongTermKeys Credentials = 1 << iota
	// SessionWithoutMFA: aws:MultiFactorAuthPresent is false and
	// aws:MultiFactorAuthAge absent (temporary credentials obtained without
	// MFA: a console sign-in without MFA, GetSessionToken without a code,
	// every role session, SAML and web-identity federation).
	SessionWithoutMFA
	// WithMFA: aws:MultiFactorAuthPresent is true and aws:MultiFactorAuthAge
	// holds an age (a session validated with MFA, or an AssumeRole call
	// that passes SerialNumber and TokenCode).
	WithMFA
)

// WithoutMFA reports whether the set holds a state without MFA.
func (c Credentials) WithoutMFA() bool { return c&(LongTermKeys|SessionWithoutMFA) != 0 }

// String lists the states: "long-term keys, session without MFA, MFA", or
// "none".
func (c Credentials) String() string {
	var parts []string
	if c&LongTermKeys != 0 {
		parts = append(parts, "long-term keys")
	}
	if c&SessionWithoutMFA != 0 {
		parts = append(parts, "session without MFA")
	}
	if c&WithMFA != 0 {
		parts = append(parts, "MFA")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// AssumerKind says what kind of caller an Assumer is.
type AssumerKind uint8

// The kinds of caller.
const (
	// AssumerUser is a user of the dump, signing as its own ARN.
	AssumerUser AssumerKind = iota
	// AssumerRole is a session of a role of the dump: a role chain.
	AssumerRole
	// AssumerService is a service principal the trust policy names
	// (ec2.amazonaws.com, ...).
	AssumerService
	// AssumerFederated is an identity provider the trust policy names
	// (a SAML provider, or an OIDC provider for web identity).
	AssumerFederated
	// AssumerExternal is an AWS principal the trust policy names that is
	// not in the dump: another account, a principal of another account,
	// "*", or an entity of this account the dump does not hold. Its
	// identity policies are not known.
	AssumerExternal
)

var assumerKindNames = [...]string{"user", "role", "service", "federated", "external"}

// String returns "user", "role", "service", "federated" or "external".
func (k AssumerKind) String() string {
	if int(k) < len(assumerKindNames) {
		return assumerKindNames[k]
	}
	return "unknown"
}

// Assumer is a caller whose request for a session of a role is allowed, or
// undecided for want of context keys, under some credential state.
type Assumer struct {
	Kind AssumerKind
	// Name names the caller for people: "user alice", "role Admin", "role
	// Admin session deploy", "ec2.amazonaws.com", a provider's ARN, an
	// external principal's ARN (an account as its root ARN), or "*".
	Name string
	// Caller is the principal of the requests decided: the user's ARN, a
	// role session's ARN (session name SessionName unless the trust
	// policy names the session), or the principal as the trust policy
	// names it (a service, a provider, an account's root ARN, "*").
	Caller string
	// Principal is the user or role of the dump whose policies decided
	// the caller's side; nil for callers outside the dump.
	Principal *Principal
	// Action is the action decided: sts:AssumeRole, or
	// sts:AssumeRoleWithSAML / sts:AssumeRoleWithWebIdentity for an
	// identity provider.
	Action string
	// Tried are the credential states the caller can present: a user all
	// three, a role session and a federated identity only
	// SessionWithoutMFA, a service LongTermKeys and SessionWithoutMFA.
	Tried Credentials
	// Crosses are the tried states with which the request is allowed.
	Crosses Credentials
	// Undecided are the tried states with which it is denied but whose
	// decisions needed context keys the request lacked (Missing): with
	// them, it might be allowed.
	Undecided Credentials
	// Missing are the context keys (never the MFA keys, nor the keys the
	// caller chooses, see CallerKey) that statements matching the request
	// tested and the request lacked; a crossing holds only for requests
	// without them.
	Missing []string
	// CallerValues are the keys the caller passed in its sts:AssumeRole
	// call to cross, as "key=value" (a list's values joined by commas):
	// the values the trust policy names for sts:ExternalId,
	// sts:RoleSessionName, session tags and the like (CallerKey). Empty
	// when the crossing needed none.
	CallerValues []string
	// IdentityChecked is false for AWS principals outside the dump: their
	// identity policies, boundary and SCPs are not known and were assumed
	// to allow, so only the trust side was decided. Services and identity
	// providers have no identity side: for them it is true.
	IdentityChecked bool
	// MaxMFAAge is the largest MFA age in seconds still allowed when
	// Crosses holds WithMFA; NoAgeLimit is true when any age is.
	MaxMFAAge  int64
	NoAgeLimit bool
	// AllowedBy are the statements that allowed the loosest crossing.
	AllowedBy []evaluator.MatchedStatement
	// Varied are the context keys, as "key=value" or "key absent", a
	// decision of Passing was made with (Options.Probes).
	Varied []string
	// PassingKey, for a decision of Passing, is its CallerValues and
	// Varied as a key: equal only for decisions made with the same values
	// (their text is not: "aws:RequestTag/a=b" set to "c" and
	// "aws:RequestTag/a" set to "b=c" print alike, and AWS allows '=' in
	// tag keys and values).
	PassingKey string
	// Passing, filled by AssumeCallers for sts:AssumeRole, is the
	// caller's decision for each set of values it may pass in its call
	// (CallerKey) that the trust policy decided or one of the others
	// given names, rendered for the caller, and for passing none of them
	// (first): each decided with exactly those values, the keys it does
	// not pass absent. Its CallerValues are the values passed. Two
	// versions of a trust policy are compared value by value: one that
	// admits a caller with "abc" and one that admits it with nothing
	// admit the same caller, but not for the same calls.
	Passing []Assumer
	// also are the other trust policies whose values Passing tries;
	// passing says to fill Passing
	also    []*policy.Policy
	passing bool
}

// Options are the inputs of an analysis beyond the dump.
type Options struct {
	// SCPs and RCPs apply to the requests of the dump's users and roles,
	// as in evaluator.PolicySet. They are not applied to entry points
	// outside the dump (services, identity providers, other accounts),
	// which over-reports what those can reach.
	SCPs, RCPs [][]*policy.Policy
	// Context, if not nil, adds keys to every request after its
	// principal keys (a --context given on the command line).
	Context func(*request.Context)
	// Probes, if not nil, gives the values of a context key that tell
	// apart the clauses on it (diff.KeyProbes): AssumeCallers then decides
	// each caller with each combination of them (and absent) for the keys
	// the trust policies name that the request lacks (Assumer.Passing),
	// so that two versions of a trust policy are compared on them. Nil
	// leaves those keys absent and the decisions needing them undecided.
	// ok false: the values are not all known (a policy variable req
	// cannot fill), and the key is left absent, undecided.
	Probes func(key string, clauses []*policy.Clause, req *request.Context) (typ request.Type, values [][]string, ok bool)
	// ShareCallers says that the analysis decides who can assume every
	// role (Reachability): AssumeRole then reads a principal's decision on
	// each role from the role's callers, decided once for all, instead of
	// deciding it again. It changes the work done, never a result: set it
	// when every role's callers are decided anyway, leave it unset when
	// few principals are analysed.
	ShareCallers bool
	// EachCaller says to decide every caller of a role itself, rather
	// than once per class of callers whose answers are the same (see
	// Classifier). It changes the work done, never a result: it is the
	// reference the classes are tested against.
	EachCaller bool
}

// Analyzer decides the requests of an account's principals. It compiles
// each policy set that several principals hold once (they share the
// engine) and counts the requests it decides. It is safe for concurrent
// use.
type Analyzer struct {
	acct     *Account
	opts     Options
	external *policy.Policy
	// compiler compiles each policy document of the account once for
	// every principal's engine
	compiler *evaluator.Compiler

	mu  sync.Mutex
	ids map[*policy.Policy]int
	// shared holds the identity-and-boundary keys of the sets more than
	// one principal holds; engines the engines kept.
	shared  map[string]bool
	engines map[string]*compiled
	// setKeys are the keys of the principals' sets that others may hold
	// too (setKey), by their user or role (Principals makes new
	// Principals each time), made once and read without mu. A set that
	// holds a policy of the principal's own (thousands of users' own
	// inline documents) has none here: its key is ownSetKey of the
	// principal's place, made when asked for.
	setKeys map[entity]string

	decisions atomic.Int64

	// mayAssume records, per caller ARN, whether the caller's identity
	// policies have an Allow statement for sts:AssumeRole at all
	mayAssume sync.Map

	// callers are the callers of every role (Assumers), decided once
	// when first asked for; byGroup are the roles (pair.at) each group of
	// callers reaches, byPrincipal those each principal decided pair by
	// pair reaches, or does not (pair.ans -1, for a member of a group)
	callersOnce sync.Once
	callers     []roleCallers
	callersErr  error
	byGroup     [][]pair
	byPrincipal [][]pair
	// groupWithoutMFA says, for each group of callers, whether some role
	// admits it without MFA or might (mayCrossWithoutMFA), made once
	withoutMFAOnce  sync.Once
	groupWithoutMFA []bool
	// answerTables holds eachAssumer's tables of callers
	// (*[answerSlots]answerCaller) for reuse
	answerTables sync.Pool
	// groupsOnce makes the groups of callers (groups)
	groupsOnce   sync.Once
	callerGroups *callerGroups
	// principals are Account.Principals, made once (dumpPrincipals), the
	// index of each by its caller ARN, and each one's slots of the
	// sts:AssumeRole footprint (Classifier.Class), which map its class's
	// answers to its own policies
	principalsOnce sync.Once
	principals     []*Principal
	principalAt    map[string]int32
	slotsMu        sync.Mutex
	assumeSlots    []*keptSlots
	// keptShapes are the kept slots by their content (setAssumeSlots)
	keptShapes map[string]*keptSlots
	// dumpCallerNames are the names of dumpAssumer of each principal,
	// made once (the rest of it is read off the principal: dumpCaller),
	// and dumpCallerRoles says which are sessions of a role (AssumerRole)
	dumpCallersOnce sync.Once
	dumpCallerNames []string
	dumpCallerRoles []bool
	// matches are the roles each resource asked about matches
	matchMu sync.Mutex
	matches map[string]*roleMatch

	classIDs
	classMu       sync.Mutex
	callerClasses map[string]*callerClassAnswer
	// answers are the callers' answers kept by reference (pair.ans): the
	// classes' and, deciding each caller itself, each caller's
	answers []*callerClassAnswer
	trusts  map[*Role]*compiled
}

type compiled struct {
	once sync.Once
	e    *evaluator.Engine
	err  error
}

// externalIdentityName names the policy that stands for the identity side
// of a principal outside the dump.
const externalIdentityName = "identity policies of a principal outside the dump (not known: assumed to allow)"

// NewAnalyzer returns an analyzer of a's principals.
func (a *Account) NewAnalyzer(opts Options) *Analyzer {
	ext, err := policy.Parse(externalIdentityName, []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"NotInTheDump","Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`))
	if err != nil {
		panic("account: the external identity policy does not parse: " + err.Error())
	}
	ext.Name = externalIdentityName
	an := &Analyzer{acct: a, opts: opts, external: ext, ids: map[*policy.Policy]int{}, engines: map[string]*compiled{}, shared: map[string]bool{}, setKeys: map[entity]string{},
		matches: map[string]*roleMatch{}, classIDs: classIDs{stmtIDs: map[*policy.Policy][]uint32{}, rowIDs: map[*policy.Policy][]uint32{}, rowMasks: map[*policy.Policy][]uint8{}, shapes: map[*policy.Policy]trustShapeID{}, contents: map[keyhash.Sum]uint32{}, pointerIDs: map[*policy.Policy]uint32{}, nameIDs: map[string]uint32{}, interned: map[keyhash.Sum]uint32{}},
		callerClasses: map[string]*callerClassAnswer{}, trusts: map[*Role]*compiled{}}
	seen := map[string]bool{}
	// how many principals hold each policy: the compiled form of one only
	// one principal holds (its own inline policies, a policy attached to
	// it alone) is not kept, but goes with the engines that use it
	holders := map[*policy.Policy]int{}
	principals := an.dumpPrincipals()
	for _, p := range principals {
		for d := range a.setPolicies(p) {
			holders[d]++
		}
	}
	// each principal's set key: by the ids of its policies (setKey) when
	// others may hold the same set; a set holding a policy of the
	// principal's own is its alone, keyed by the principal's place, so
	// that the ids name only the policies others hold too (the others are
	// thousands of users' own inline documents)
	for i, p := range principals {
		set := a.PolicySet(p)
		own := set.Boundary != nil && holders[set.Boundary] == 1
		for _, d := range set.Identity {
			own = own || holders[d] == 1
		}
		var key string
		if own {
			key = ownSetKey(i)
		} else {
			key = an.setKey(&set)
			an.setKeys[entityOf(p)] = key
		}
		if seen[key] {
			an.shared[key] = true
		}
		seen[key] = true
	}
	// the policies several principals hold by identity, those one holds
	// by name and braces, which does not keep them: a principal's own
	// policies may go once its analysis is done
	an.policyHolders, an.ownPolicies = map[*policy.Policy]int32{}, make(map[string]uint64, len(holders))
	// the names of the policies one principal holds, and of the others
	// the analyzer reads: the roles' trust policies, the options' SCPs
	// and RCPs, the external identity
	names := make(map[string]int, len(holders))
	for d, n := range holders {
		if n == 1 {
			names[d.Name]++
		}
	}
	for _, r := range a.Roles {
		if r.Trust != nil {
			names[r.Trust.Name]++
		}
	}
	for _, levels := range [][][]*policy.Policy{opts.SCPs, opts.RCPs} {
		for _, level := range levels {
			for _, d := range level {
				names[d.Name]++
			}
		}
	}
	names[ext.Name]++
	for d, n := range holders {
		if n != 1 || names[d.Name] > 1 || !an.addOwn(d) {
			// (a policy of one principal that shares its name with
			// another is rare: a user "bob inline P" beside bob's
			// policy "P inline Q", a role "A inline B" whose trust
			// policy is named as role A's policy "B trust policy")
			an.policyHolders[d] = int32(n)
		}
	}
	an.compiler = evaluator.NewCompilerKeeping(an.HeldByMany)
	return an
}

// Assumers returns every caller that can get a session of r, and with
// which credentials, as NewAnalyzer(opts).Assumers(r) does.
func (a *Account) Assumers(r *Role, opts Options) ([]Assumer, error) {
	return a.NewAnalyzer(opts).Assumers(r)
}

// Decisions returns the number of requests the analyzer has decided.
func (an *Analyzer) Decisions() int64 { return an.decisions.Load() }

// setKey names the identity policies and boundary of a set by the ids
// of their policies. (NewAnalyzer keys the set of a principal that holds
// a policy of its own "own N", which no key setKey makes is.)
func (an *Analyzer) setKey(set *evaluator.PolicySet) string {
	var key strings.Builder
	id := func(p *policy.Policy) {
		n, ok := an.ids[p]
		if !ok {
			n = len(an.ids)
			an.ids[p] = n
		}
		key.WriteString(strconv.Itoa(n))
		key.WriteByte(',')
	}
	for _, p := range set.Identity {
		id(p)
	}
	key.WriteByte('|')
	if set.Boundary != nil {
		id(set.Boundary)
	}
	return key.String()
}

// compile returns the engine of set. org says whether the options' SCPs
// and RCPs apply. The engines of sets that more than one principal holds,
// and of the sets that stand for callers outside the dump, are compiled once
// and kept; a set of one principal's own is compiled when asked for and
// left to the garbage collector, so that an account of thousands of users
// with policies of their own does not keep thousands of engines alive.
func (an *Analyzer) compile(set evaluator.PolicySet, org bool) (*evaluator.Engine, error) {
	return an.compileKeyed(set, org, "")
}

// compileKeyed is compile, given the set's setKey when known ("" when
// not).
func (an *Analyzer) compileKeyed(set evaluator.PolicySet, org bool, key string) (*evaluator.Engine, error) {
	build := func() (*evaluator.Engine, error) {
		set.ResourceOwner = an.acct.ID
		if org {
			set.SCPs, set.RCPs = an.opts.SCPs, an.opts.RCPs
		}
		return an.compiler.Compile(set)
	}
	if key == "" {
		an.mu.Lock()
		key = an.setKey(&set)
		an.mu.Unlock()
	}
	// (shared is made by NewAnalyzer and only read after)
	if !an.shared[key] && org {
		return build()
	}
	an.mu.Lock()
	key += "|" + strconv.FormatBool(org) + "|"
	if set.Resource != nil {
		key += an.setKey(&evaluator.PolicySet{Identity: []*policy.Policy{set.Resource}})
	}
	c, ok := an.engines[key]
	if !ok {
		c = &compiled{}
		an.engines[key] = c
	}
	an.mu.Unlock()
	c.once.Do(func() { c.e, c.err = build() })
	return c.e, c.err
}

// entity is a principal's user or role.
type entity struct {
	u *User
	r *Role
}

func entityOf(p *Principal) entity { return entity{p.User, p.Role} }

// Engine returns the engine that decides p's requests: its policy set, the
// options' SCPs and RCPs, and resource as the resource policy (nil for
// none; a role's trust policy for sts:AssumeRole on it, see TrustPolicy).
func (an *Analyzer) Engine(p *Principal, resource *policy.Policy) (*evaluator.Engine, error) {
	set := an.acct.PolicySet(p)
	set.Resource = resource
	// the key NewAnalyzer made of p's set (it reads no resource policy)
	return an.compileKeyed(set, true, an.setKeyOf(p))
}

// setKeyOf is the key NewAnalyzer made of p's set: "" for a principal not
// of the dump.
func (an *Analyzer) setKeyOf(p *Principal) string {
	if key, ok := an.setKeys[entityOf(p)]; ok {
		return key
	}
	if i := an.indexOf(p); i >= 0 {
		return ownSetKey(int(i))
	}
	return ""
}

// ownSetKey is the key of the set of the principal at place i of the dump
// when the set holds a policy of the principal's own: no other principal
// holds that set.
func ownSetKey(i int) string { return "own " + strconv.Itoa(i) }

// EngineElsewhere returns the engine that decides p's requests on another
// account's resources on p's side (the resource's own policy, not in the
// dump, must allow them too): Engine(p, nil) without the options' RCPs,
// which govern the resources of the organization's own accounts ("RCPs
// apply to resources in member accounts", AWS Organizations, resource
// control policies), while the other account may well be outside it. It
// is Engine(p, nil) when the options hold no RCP.
func (an *Analyzer) EngineElsewhere(p *Principal) (*evaluator.Engine, error) {
	if len(an.opts.RCPs) == 0 {
		return an.Engine(p, nil)
	}
	set := an.acct.PolicySet(p)
	set.ResourceOwner, set.SCPs = an.acct.ID, an.opts.SCPs
	return an.compiler.Compile(set)
}

// Request returns a live request of caller: the principal keys AWS derives
// from its ARN (request.New), then the options' context. The MFA keys are
// the analysis's to set. For a principal of the dump, LiveRequest adds what
// the dump tells of it.
func (an *Analyzer) Request(caller, action, resource string) *request.Context {
	req := request.New(caller, action, resource)
	if an.opts.Context != nil {
		an.opts.Context(req)
	}
	return req
}

// LiveRequest returns a live request of p, as p.Caller, doing action on
// resource: the principal keys AWS derives from the caller's ARN
// (request.New), those the dump tells of p (Principal.DeriveKeys: its tags
// as aws:PrincipalTag, its unique id as aws:userid), then the options'
// context, which wins over both. The MFA keys are the analysis's to set.
func (an *Analyzer) LiveRequest(p *Principal, action, resource string) *request.Context {
	return an.LiveRequestIn(nil, p, action, resource)
}

// LiveRequestIn is LiveRequest made in req (request.Context.Reset), or in
// a new Context when req is nil, and returned: for a caller that decides
// one request at a time and needs none of them after the next. Each
// request is derived anew: the analyzer keeps no request of its own (one
// per principal was 28 MB of an account of 20,000 users).
func (an *Analyzer) LiveRequestIn(req *request.Context, p *Principal, action, resource string) *request.Context {
	if req == nil {
		req = &request.Context{}
	}
	req.Reset(p.Caller, action, resource)
	req.DerivePrincipalKeys()
	p.DeriveKeys(req)
	an.acct.DeriveResourceTags(req)
	if an.opts.Context != nil {
		an.opts.Context(req)
	}
	return req
}

// AnalyzeDepends is mfa.AnalyzeDepends, counting the requests decided as
// Analyze does.
func (an *Analyzer) AnalyzeDepends(e *evaluator.Engine, req *request.Context, ages []int64) (mfa.Result, []string) {
	var r mfa.Result
	deps := an.AnalyzeDependsInto(&r, e, req, ages)
	return r, deps
}

// AnalyzeDependsInto is mfa.AnalyzeDependsInto (the result made in r,
// reusing its room), counting the requests decided as Analyze does.
func (an *Analyzer) AnalyzeDependsInto(r *mfa.Result, e *evaluator.Engine, req *request.Context, ages []int64) []string {
	deps := mfa.AnalyzeDependsInto(r, e, req, ages)
	an.decisions.Add(int64(2 + len(r.Ages)))
	return deps
}

// AnalyzeInto is mfa.AnalyzeInto (decided on req itself, the result made
// in r), counting the requests decided as Analyze does.
func (an *Analyzer) AnalyzeInto(r *mfa.Result, e *evaluator.Engine, req *request.Context, ages []int64) {
	mfa.AnalyzeInto(r, e, req, ages)
	an.decisions.Add(int64(2 + len(r.Ages)))
}

// Analyze decides req under every MFA scenario (mfa.Analyze) and counts
// the requests decided.
func (an *Analyzer) Analyze(e *evaluator.Engine, req *request.Context) mfa.Result {
	r := mfa.Analyze(e, req)
	an.decisions.Add(int64(2 + len(r.Ages)))
	return r
}

// Assumers returns every caller that can get a session of r, with the
// credential states that cross r's trust policy, decided by the engine on
// sts:AssumeRole with the trust policy as the resource policy:
//
//   - every user of the dump, with its own policies and boundary, under
//     long-term keys, a session without MFA and MFA;
//   - every role of the dump, as one of its sessions, with its own policies
//     and boundary, without MFA only: role sessions carry
//     aws:MultiFactorAuthPresent=false whatever MFA was used to get them
//     (SPEC 6.2), so a role chain never has MFA;
//   - every entry point the trust policy names that is not a principal of
//     the dump: a service (without MFA: services carry none), an identity
//     provider (on sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity,
//     without MFA: neither supports it), a session of a role of the dump
//     that the trust policy names by its session ARN (decided as that
//     session), and AWS principals outside the dump — other accounts,
//     their users, roles and sessions, "*", and entities of this account
//     the dump does not hold — whose identity side is not known and is
//     assumed to allow (IdentityChecked false): only the trust side is
//     decided, which can over-report, never under-report.
//
// A caller is returned when some state crosses or is undecided (denied, but
// the decision needed context keys the requests lacked). Users come first,
// then the roles' sessions, then the trust policy's entry points, each in
// dump or policy order.
func (an *Analyzer) Assumers(r *Role) ([]Assumer, error) {
	var out []Assumer
	for _, p := range an.acct.Principals() {
		x, err := an.decideDump(dumpAssumer(p), r, nil)
		if err != nil {
			return nil, err
		}
		if x.kept() {
			out = append(out, x)
		}
	}
	entries, err := an.entryPointsDecided(r)
	if err != nil {
		return nil, err
	}
	return append(out, entries...), nil
}

// kept reports whether some state crosses or is undecided: the callers
// Assumers returns.
func (x *Assumer) kept() bool { return x.Crosses|x.Undecided != 0 }

// dumpAssumer is the caller a principal of the dump is: a user under every
// credential state, a role's session without MFA only.
func dumpAssumer(p *Principal) Assumer {
	return dumpCaller(p, p.String())
}

// dumpCaller is dumpAssumer(p), named name (p.String()).
func dumpCaller(p *Principal, name string) Assumer {
	x := Assumer{Kind: AssumerUser, Name: name, Caller: p.Caller, Principal: p, Action: "sts:AssumeRole",
		Tried: triedBy(p), IdentityChecked: true}
	if p.Kind == KindRole {
		x.Kind = AssumerRole
	}
	return x
}

// triedBy is the credentials a principal of the dump is tried with as a
// caller: a user's long-term keys and sessions with and without MFA, a
// role's sessions, which carry no MFA (SPEC 6.2).
func triedBy(p *Principal) Credentials {
	if p.Kind == KindRole {
		return SessionWithoutMFA
	}
	return LongTermKeys | SessionWithoutMFA | WithMFA
}

// decideEntry decides an entry point of a trust policy as a caller of r:
// a principal of the dump on its own policies and r's trust policy
// (decideDump), one outside the dump on the trust side (decideOutside).
func (an *Analyzer) decideEntry(x Assumer, r *Role) (Assumer, error) {
	if x.Principal != nil {
		return an.decideDump(x, r, nil)
	}
	return an.decideOutside(x, r)
}

// entryPointsDecided decides the entry points r's trust policy names that are
// not principals of the dump, and keeps those that cross or are undecided.
func (an *Analyzer) entryPointsDecided(r *Role) ([]Assumer, error) {
	var out []Assumer
	for _, x := range an.entryPoints(r) {
		x, err := an.decideEntry(x, r)
		if err != nil {
			return nil, err
		}
		if x.kept() {
			out = append(out, x)
		}
	}
	return out, nil
}

// decideDump decides the request of a caller of the dump: its own policies,
// r's trust policy as the resource policy.
// base, when not nil, holds the engine of x's principal without a
// resource policy (compiled once for all the roles it is asked about), and
// the decision is made once per class of callers (callerClass) and carried
// over to the class's other members; nil compiles the principal's set with
// the trust policy.
func (an *Analyzer) decideDump(x Assumer, r *Role, base *callerEngine) (Assumer, error) {
	te, denied, err := an.shortcut(x, r, base)
	if err != nil || denied {
		return x, err
	}
	if base == nil {
		e, err := an.Engine(x.Principal, r.Trust)
		if err != nil {
			return x, err
		}
		an.decide(&x, e, an.LiveRequest(x.Principal, x.Action, r.ARN), r.Trust)
		return x, nil
	}
	b, err := base.engine()
	if err != nil {
		return x, err
	}
	if an.opts.EachCaller {
		e, err := an.compiler.WithResourcePolicy(b, r.Trust)
		if err != nil {
			return x, err
		}
		an.decide(&x, e, an.LiveRequest(x.Principal, x.Action, r.ARN), r.Trust)
		return x, nil
	}
	c, slots, err := an.classAnswer(x, r, base, te, b)
	if err != nil {
		return x, err
	}
	return c.assumer(an, x, slots, false, r.Trust), nil
}

// classAnswer is the answer of the class of x's request for a session of
// r (callerClass), decided for the first member asked about, and the slots
// of x's own policies; te is r's trust policy's engine, b base's engine.
func (an *Analyzer) classAnswer(x Assumer, r *Role, base *callerEngine, te, b *evaluator.Engine) (*callerClassAnswer, Slots, error) {
	key, slots := base.callerClass(x, r, te)
	c := an.callerClass(key)
	decided := false
	c.once.Do(func() {
		decided = true
		var e *evaluator.Engine
		if e, c.err = an.compiler.WithResourcePolicy(b, r.Trust); c.err != nil {
			return
		}
		c.x, c.slots, c.trust = x, an.classSlots(x.Principal, slots), r.Trust
		c.decisions = an.decide(&c.x, e, an.LiveRequest(x.Principal, x.Action, r.ARN), r.Trust)
	})
	if c.err != nil {
		return nil, nil, c.err
	}
	if !decided {
		an.CountDecisions(c.decisions)
	}
	return c, slots, nil
}

// shortcut returns r's trust policy's engine and whether x is denied by
// one of two exact shortcuts, each the engine's answer, so that an account
// of thousands of users and hundreds of roles is not decided user by role
// in full: a trust policy that names the caller nowhere grants it
// nothing, and one that names only its account delegates to identity
// policies, which cannot allow the action without an Allow statement for
// it (SPEC 5.2: trust policies must allow the caller; an account principal
// still needs an identity Allow).
func (an *Analyzer) shortcut(x Assumer, r *Role, base *callerEngine) (te *evaluator.Engine, denied bool, err error) {
	if te, err = an.trustEngine(r); err != nil {
		return nil, false, err
	}
	switch te.ResourcePolicyNames(x.Caller) {
	case evaluator.NotNamed:
		return te, true, nil
	case evaluator.NamedAccount:
		ok, err := an.mayAllow(x, base)
		if err != nil || !ok {
			return te, true, err
		}
	}
	return te, false, nil
}

// decideDumpRef is decideDump for a caller kept by reference: the index
// of its answer in an.answers when it crosses or is undecided, else -1.
// base is not nil.
func (an *Analyzer) decideDumpRef(x Assumer, r *Role, base *callerEngine) (int32, error) {
	if an.opts.EachCaller {
		y, err := an.decideDump(x, r, base)
		if err != nil || !y.kept() {
			return -1, err
		}
		c := &callerClassAnswer{x: y, exact: true}
		c.once.Do(func() {})
		return an.keep(c), nil
	}
	c, err := an.decideClass(x, r, base)
	if err != nil || c == nil || !c.x.kept() {
		return -1, err
	}
	return an.keep(c), nil
}

// decideClass is the answer of the class of x's request for a session of
// r (classAnswer), or nil when a shortcut denies it. base is not nil.
func (an *Analyzer) decideClass(x Assumer, r *Role, base *callerEngine) (*callerClassAnswer, error) {
	te, denied, err := an.shortcut(x, r, base)
	if err != nil || denied {
		return nil, err
	}
	b, err := base.engine()
	if err != nil {
		return nil, err
	}
	c, _, err := an.classAnswer(x, r, base, te, b)
	return c, err
}

// keep returns c's index in an.answers, adding it the first time.
func (an *Analyzer) keep(c *callerClassAnswer) int32 {
	an.classMu.Lock()
	defer an.classMu.Unlock()
	if c.idx == 0 {
		an.answers = append(an.answers, c)
		c.idx = int32(len(an.answers))
	}
	return c.idx - 1
}

// setCaller gives y x's caller: its kind, names, principal, action, the
// states tried and whether its identity side was checked.
func (y *Assumer) setCaller(x *Assumer) {
	y.Kind, y.Name, y.Caller, y.Principal, y.Action, y.Tried, y.IdentityChecked = x.Kind, x.Name, x.Caller, x.Principal, x.Action, x.Tried, x.IdentityChecked
}

// assumer is the answer c for x, a member of its class whose own
// policies are slots: x's names, and the statements of its own policies,
// or no statements (AllowedBy nil) when brief.
//
// trust is the trust policy of the role x asks for a session of: when the
// answer was decided with another of the same shape (trustShape), the
// statements of that one it names are made trust's.
func (c *callerClassAnswer) assumer(an *Analyzer, x Assumer, slots Slots, brief bool, trust *policy.Policy) Assumer {
	y := c.x
	if !c.exact {
		y.setCaller(&x)
	}
	switch {
	case brief:
		y.AllowedBy = nil
	case !c.exact && len(y.AllowedBy) > 0:
		if from := c.slots; x.Principal != c.x.Principal && !from.Same(slots) {
			y.AllowedBy = from.MapAll(y.AllowedBy, slots)
		}
	}
	if !brief && len(y.AllowedBy) > 0 && c.trust != nil && trust != nil && c.trust != trust {
		y.AllowedBy = Slots{{Policy: c.trust, Type: evaluator.TypeResource}}.MapAll(y.AllowedBy, Slots{{Policy: trust, Type: evaluator.TypeResource}})
	}
	return y
}

// callerEngine is the engine of a principal of the dump without a
// resource policy, compiled when first asked for, and the classifier of
// its requests. It is used by one goroutine at a time.
type callerEngine struct {
	an   *Analyzer
	p    *Principal
	done bool
	e    *evaluator.Engine
	err  error
	cl   *Classifier
	// mayAllow is IdentityMayAllow by action
	mayAllow map[string]bool
	// action is the action of the last class asked for, class its key
	// (Classifier.Class, interned) and slots, free its ResourceFree
	action string
	class  uint32
	slots  Slots
	free   bool
	// values are Classifier.value by key
	values map[string]string
	key    []byte
}

func (an *Analyzer) callerEngine(p *Principal) *callerEngine {
	return &callerEngine{an: an, p: p}
}

func (c *callerEngine) engine() (*evaluator.Engine, error) {
	if !c.done {
		c.done = true
		c.e, c.err = c.an.Engine(c.p, nil)
	}
	return c.e, c.err
}

// mayAllow is identityMayAllow of x's principal and action, read from
// base's engine when there is one: IdentityMayAllow reads only the
// identity policies, which are the same.
func (an *Analyzer) mayAllow(x Assumer, base *callerEngine) (bool, error) {
	if base == nil || base.p != x.Principal {
		return an.identityMayAllow(x.Principal, x.Action)
	}
	if e, err := base.engine(); err != nil || e == nil {
		return an.identityMayAllow(x.Principal, x.Action)
	}
	ok, seen := base.mayAllow[x.Action]
	if !seen {
		if base.mayAllow == nil {
			base.mayAllow = map[string]bool{}
		}
		ok = base.e.IdentityMayAllow(x.Action)
		base.mayAllow[x.Action] = ok
	}
	return ok, nil
}

// callerClass is the class key of x's request for a session of r, whose
// trust policy's engine is te: the class of x's request for the action
// (Classifier.Class; x's principal is c's), the role, how each statement
// of the trust policy names x's caller, and what x's live request carries
// of each key the trust policy references. Those are all decideDump's
// answer reads, but for x's name and caller and the names of the policies
// (Slots.Map). The key is valid until the next call.
func (c *callerEngine) callerClass(x Assumer, r *Role, te *evaluator.Engine) ([]byte, Slots) {
	if c.cl == nil {
		c.cl = c.an.Classifier(c.p, c.e)
		c.values = map[string]string{}
	}
	if c.slots == nil || c.action != x.Action {
		key, slots := c.cl.Class(x.Action)
		c.action, c.class, c.slots, c.free = x.Action, c.an.intern(key), slots, c.cl.ResourceFree()
	}
	key := strconv.AppendUint(c.key[:0], uint64(c.class), 10)
	// the role: its ARN and trust policy, or, when the caller's policies
	// read nothing of the role, the trust policy's shape, which the roles
	// whose trust policies differ only in whom they name share (the
	// answer names the statements of the trust policy it was decided
	// with: callerClassAnswer.assumer)
	if shape, ok := c.an.trustShape(r); ok && c.free && !x.passing && len(x.also) == 0 {
		key = append(key, 4)
		key = strconv.AppendUint(key, uint64(shape), 10)
	} else {
		key = append(key, 3)
		key = gencache.AppendPart(key, r.ARN) // (a dump's ARN may hold any byte)
		key = strconv.AppendUint(key, uint64(c.an.policyID(r.Trust)), 10)
	}
	key = append(key, 0, byte(x.Tried))
	key = te.AppendPrincipalMatches(key, x.Caller)
	key = append(key, 0)
	for _, k := range te.Keys() {
		v, ok := c.values[k]
		if !ok {
			v = c.cl.value(k)
			c.values[k] = v
		}
		key = append(key, k...)
		key = append(key, '=')
		key = append(key, v...)
		key = append(key, 0)
	}
	c.key = key
	return key, c.slots
}

// callerClassAnswer is the answer of a class of callers of a role.
type callerClassAnswer struct {
	once sync.Once
	x    Assumer
	// slots are the slots of the first member decided (x.Principal), its
	// own policies (keepSlots) by stand-ins that hold only their names,
	// which is all Slots.Map reads of them: the answer neither keeps them
	// alive nor reads them again from the member's set, which the member
	// may have let go (Prepare)
	slots Slots
	// trust is the trust policy x was decided with
	trust     *policy.Policy
	decisions int
	err       error
	// idx is 1 + the answer's index in Analyzer.answers, 0 before it is
	// kept; exact says x is one caller's own answer, not a class's
	idx   int32
	exact bool
}

// classSlots returns p's slots as a class answer keeps them
// (callerClassAnswer.slots): its own policies by stand-ins of their names.
func (an *Analyzer) classSlots(p *Principal, slots Slots) Slots {
	kept := an.keepSlots(p, slots)
	for i, j := range kept.own {
		if j >= 0 {
			kept.slots[i].Policy = &policy.Policy{Name: slots[i].Policy.Name}
		}
	}
	return kept.slots
}

func (an *Analyzer) callerClass(key []byte) *callerClassAnswer {
	an.classMu.Lock()
	defer an.classMu.Unlock()
	c, ok := an.callerClasses[string(key)]
	if !ok {
		c = &callerClassAnswer{}
		an.callerClasses[string(key)] = c
	}
	return c
}

// trustEngine returns the engine of r's trust policy alone, compiled once.
func (an *Analyzer) trustEngine(r *Role) (*evaluator.Engine, error) {
	an.classMu.Lock()
	c, ok := an.trusts[r]
	if !ok {
		c = &compiled{}
		an.trusts[r] = c
	}
	an.classMu.Unlock()
	c.once.Do(func() { c.e, c.err = an.compile(evaluator.PolicySet{Resource: r.Trust}, false) })
	return c.e, c.err
}

// identityMayAllow reports whether p's identity policies have an Allow
// statement that can match action (evaluator.Engine.IdentityMayAllow),
// remembered per caller.
func (an *Analyzer) identityMayAllow(p *Principal, action string) (bool, error) {
	key := p.Caller + "\x00" + strings.ToLower(action)
	if v, ok := an.mayAssume.Load(key); ok {
		return v.(bool), nil
	}
	e, err := an.compiler.Compile(evaluator.PolicySet{Identity: an.acct.PolicySet(p).Identity})
	if err != nil {
		return false, err
	}
	ok := e.IdentityMayAllow(action)
	an.mayAssume.Store(key, ok)
	return ok, nil
}

// decideOutside decides the request of an entry point outside the dump:
// r's trust policy as the resource policy and, for AWS principals, an
// identity side that allows.
func (an *Analyzer) decideOutside(x Assumer, r *Role) (Assumer, error) {
	set := evaluator.PolicySet{Resource: r.Trust}
	if x.Kind == AssumerExternal {
		set.Identity = []*policy.Policy{an.external}
	}
	e, err := an.compile(set, false)
	if err != nil {
		return x, err
	}
	// Only the keys known of the caller: an account's principals are
	// known by their account alone, "*", services and providers by
	// nothing. A user, role or session ARN tells its keys.
	var req *request.Context
	p := request.ParsePrincipal(x.Caller)
	switch p.Kind {
	case request.PrincipalUser, request.PrincipalAssumedRole, request.PrincipalFederatedUser:
		req = request.New(x.Caller, x.Action, r.ARN)
	default:
		req = &request.Context{Principal: x.Caller, Action: x.Action, Resource: r.ARN}
		if p.Kind == request.PrincipalRoot {
			_ = req.Set(request.KeyPrincipalAccount, request.TypeString, p.Account)
		}
	}
	if an.opts.Context != nil {
		an.opts.Context(req)
	}
	an.decide(&x, e, req, r.Trust)
	return x, nil
}

// decide fills in x's crossings from the decisions under each state, on
// req against e, whose resource policy is trust. The keys a caller sets in
// its own sts:AssumeRole call (CallerKey) are its to choose: when a
// decision needs them, the call is decided again with the values each Allow
// statement of trust names for them (callerAssignments), and a state
// crosses when the call crosses with some of them. A state that crosses
// with none is undecided when a decision needed other keys, which the
// caller does not choose.
func (an *Analyzer) decide(x *Assumer, e *evaluator.Engine, req *request.Context, trust *policy.Policy) (decisions int) {
	// req is kept as it is for the calls below: a request without MFA
	// keys (a live request's) is decided itself, and its MFA keys removed
	// again, which leaves it as it was; another is decided on a copy
	_, present := req.Lookup(request.KeyMultiFactorAuthPresent)
	_, age := req.Lookup(request.KeyMultiFactorAuthAge)
	decided := req
	if present || age {
		decided = req.Clone()
	}
	res, deps := an.AnalyzeDepends(e, decided, nil)
	if decided == req {
		req.SetLongTermKeys()
	}
	decisions += 2 + len(res.Ages)
	deps = an.knownFor(x, decided, deps)
	chooses := strings.EqualFold(x.Action, "sts:AssumeRole")
	var missing, chosen []string
	for _, k := range deps {
		if chooses && CallerKey(k) {
			chosen = append(chosen, k)
			continue
		}
		missing = append(missing, k)
	}
	an.merge(x, &res, nil)
	var assignments []callerValues
	unmet := false
	if len(chosen) > 0 && x.Crosses != x.Tried {
		assignments, unmet = callerAssignments(trust, x.Action, req)
		// a key the caller chooses that no assignment passes (one a
		// Deny, or the caller's own policy, tests): some value of it
		// may let the call through, which was not searched
		for _, k := range chosen {
			if !passes(assignments, k) {
				unmet = true
				missing = append(missing, k)
			}
		}
	}
	// passing nothing was decided above, and passing the values the trust
	// policy names below: the caller keys leave a decision undecided only
	// where their values were not searched
	undecided := len(missing) > 0 || unmet
	for _, cv := range assignments {
		with := req.Clone()
		cv.set(with)
		r, d := an.AnalyzeDepends(e, with, nil)
		decisions += 2 + len(r.Ages)
		d = an.knownFor(x, with, d)
		an.merge(x, &r, cv)
		for _, k := range d {
			if !(chooses && CallerKey(k)) {
				missing = append(missing, k)
				undecided = true
			}
		}
	}
	if undecided {
		x.Undecided = x.Tried &^ x.Crosses
		if x.Undecided&withoutMFA != 0 {
			sure, n := an.cannotCross(x, e, req, trust, &res)
			x.Undecided &^= sure
			decisions += n
		}
	}
	if x.Crosses|x.Undecided != 0 {
		x.Missing = dedupeFold(missing)
	}
	if x.passing {
		decisions += an.decidePassing(x, e, req, trust)
	}
	return decisions
}

// passes reports whether one of assignments passes key.
func passes(assignments []callerValues, key string) bool {
	for _, cv := range assignments {
		for _, v := range cv {
			if strings.EqualFold(v.key, key) {
				return true
			}
		}
	}
	return false
}

// withoutMFA are the credential states that carry no MFA.
const withoutMFA = LongTermKeys | SessionWithoutMFA

// cannotCross returns the states without MFA of x that no value of the
// keys the decisions lacked could let through, and how many requests it
// decided to tell: those the caller's side denies explicitly by statements
// that test none of the keys its decision lacked, and those trust does not
// allow even beside an identity side that allows everything, needing no
// key it lacked (a trust policy that asks Bool aws:MultiFactorAuthPresent
// true admits no call without MFA, whatever region or address the caller's
// Allow asks for). res holds x's decisions on e (Analyze).
func (an *Analyzer) cannotCross(x *Assumer, e *evaluator.Engine, req *request.Context, trust *policy.Policy, res *mfa.Result) (sure Credentials, decisions int) {
	var alone *mfa.Result
	if trust != nil {
		if te, err := an.compile(evaluator.PolicySet{Identity: []*policy.Policy{an.external}, Resource: trust}, false); err == nil {
			with := req.Clone()
			r, _ := an.AnalyzeDepends(te, with, nil)
			decisions += 2 + len(r.Ages)
			alone = &r
		}
	}
	for _, st := range []struct {
		c    Credentials
		d    *evaluator.Decision
		last *evaluator.Decision
	}{{LongTermKeys, &res.LongTermKeys, pick(alone, true)}, {SessionWithoutMFA, &res.SessionWithoutMFA, pick(alone, false)}} {
		if x.Undecided&st.c == 0 {
			continue
		}
		if st.d.Verdict == evaluator.ExplicitDeny && !testsAnyOf(e, st.d.MatchedStatements(), lacked(st.d)) {
			sure |= st.c
			continue
		}
		if st.last != nil && !st.last.Allowed() && len(an.knownFor(x, req, lacked(st.last))) == 0 {
			sure |= st.c
		}
	}
	return sure, decisions
}

// lacked are the keys d's request lacked but for the MFA keys, whose
// absence is the credential state's (long-term keys carry neither).
func lacked(d *evaluator.Decision) []string {
	var out []string
	for _, k := range d.MissingContextValues() {
		if !strings.EqualFold(k, request.KeyMultiFactorAuthPresent) && !strings.EqualFold(k, request.KeyMultiFactorAuthAge) {
			out = append(out, k)
		}
	}
	return out
}

// pick returns r's decision with long-term keys (or, with longTerm false,
// in a session without MFA), nil for a nil r.
func pick(r *mfa.Result, longTerm bool) *evaluator.Decision {
	switch {
	case r == nil:
		return nil
	case longTerm:
		return &r.LongTermKeys
	}
	return &r.SessionWithoutMFA
}

// knownFor is keys, which req lacked, but for those known to be absent:
// a tag x's principal lacks when its dump lists its tags
// (Principal.Lacks), and a tag of req's resource when the dump lists the
// resource's tags (Account.ResourceTagsListed: a role the call is on) —
// a tag it lacks is absent, not unknown.
func (an *Analyzer) knownFor(x *Assumer, req *request.Context, keys []string) []string {
	if x.Principal != nil {
		keys = x.Principal.known(keys)
	}
	if !an.acct.ResourceTagsListed(req.Action, req.Resource) {
		return keys
	}
	var out []string
	for _, k := range keys {
		if !request.ResourceTagKey(k) {
			out = append(out, k)
		}
	}
	return out
}

// testsAnyOf reports whether a condition of one of the statements ms (of
// e's policies) tests one of keys.
func testsAnyOf(e *evaluator.Engine, ms []evaluator.MatchedStatement, keys []string) bool {
	if len(keys) == 0 {
		return false
	}
	for _, m := range ms {
		for _, cp := range e.Policies() {
			if cp.Policy.Name != m.PolicyID || cp.Type != m.PolicyType || cp.Level != m.Level || m.Index < 0 || m.Index >= len(cp.Policy.Statements) {
				continue
			}
			for _, cl := range cp.Policy.Statements[m.Index].Conditions {
				for _, k := range keys {
					if strings.EqualFold(cl.Key, k) {
						return true
					}
				}
			}
		}
	}
	return false
}

// decidePassing fills x.Passing (see Assumer.Passing): the call decided
// passing nothing, then passing each assignment of caller values that
// trust or one of x.also names for x.Action (callerAssignments), once each.
// A decision with a set of values is final for the caller keys (a key not
// passed is absent): only the other keys it needed leave it undecided.
func (an *Analyzer) decidePassing(x *Assumer, e *evaluator.Engine, req *request.Context, trust *policy.Policy) (decisions int) {
	all := []callerValues{nil}
	if strings.EqualFold(x.Action, "sts:AssumeRole") {
		seen := map[string]bool{}
		for _, t := range append([]*policy.Policy{trust}, x.also...) {
			as, _ := callerAssignments(t, x.Action, req)
			for _, cv := range as {
				if k := string(cv.appendKey(nil)); !seen[k] {
					seen[k] = true
					all = append(all, cv)
				}
			}
		}
	}
	combos := an.probeCombos(x.Action, req, append([]*policy.Policy{trust}, x.also...))
	for _, cv := range all {
		for _, combo := range combos {
			y := Assumer{Kind: x.Kind, Name: x.Name, Caller: x.Caller, Principal: x.Principal, Action: x.Action, Tried: x.Tried, IdentityChecked: x.IdentityChecked}
			with := req
			if cv != nil || len(combo) > 0 {
				with = req.Clone()
				cv.set(with)
				for _, v := range combo {
					if v.values != nil {
						_ = v.set(with)
					}
					y.Varied = append(y.Varied, v.text())
				}
			}
			key := cv.appendKey(nil)
			key = strconv.AppendInt(key, int64(len(combo)), 10)
			for _, v := range combo {
				key = gencache.AppendPart(key, v.key)
				key = strconv.AppendInt(key, int64(len(v.values)), 10) // (absent: none, nil)
				if v.values == nil {
					key = append(key, 'x')
				}
				for _, s := range v.values {
					key = gencache.AppendPart(key, s)
				}
			}
			y.PassingKey = string(key)
			r := an.Analyze(e, with)
			decisions += 2 + len(r.Ages)
			d := an.knownFor(x, with, mfa.DependsOn(e, with, &r))
			an.merge(&y, &r, nil)
			var missing []string
			for _, k := range d {
				varied := false
				for _, v := range combo {
					varied = varied || strings.EqualFold(v.key, k)
				}
				if !varied && !(len(all) > 1 && CallerKey(k)) {
					missing = append(missing, k)
				}
			}
			if len(missing) > 0 {
				y.Undecided = y.Tried &^ y.Crosses
				y.Missing = dedupeFold(missing)
			}
			if cv != nil {
				y.CallerValues = cv.strings()
			}
			x.Passing = append(x.Passing, y)
		}
	}
	return decisions
}

// maxProbeCombos bounds the combinations of probed keys decided per caller
// and caller values: beyond it, the keys are left absent (undecided).
const maxProbeCombos = 256

// probeValue is one probed key in a request: values nil for absent.
type probeValue struct {
	key    string
	typ    request.Type
	values []string
}

func (v probeValue) set(req *request.Context) error { return req.Set(v.key, v.typ, v.values...) }

func (v probeValue) text() string {
	if v.values == nil {
		return v.key + " absent"
	}
	return v.key + "=" + strings.Join(v.values, ",")
}

// probeCombos are the combinations of values (Options.Probes, and absent)
// of the keys that the statements of trusts covering action test and req
// lacks, but for the keys the caller passes (CallerKey) and the MFA keys
// (the credential states): one empty combination when there are none, no
// Probes, or more than maxProbeCombos.
func (an *Analyzer) probeCombos(action string, req *request.Context, trusts []*policy.Policy) [][]probeValue {
	none := [][]probeValue{nil}
	if an.opts.Probes == nil {
		return none
	}
	var keys []string
	clauses := map[string][]*policy.Clause{}
	for _, t := range trusts {
		if t == nil {
			continue
		}
		for _, s := range t.Statements {
			if !s.Action.Covers(action, true) {
				continue
			}
			for _, c := range s.Conditions {
				lk := strings.ToLower(c.Key)
				if CallerKey(c.Key) || strings.HasPrefix(lk, "aws:multifactorauth") {
					continue
				}
				if _, ok := req.Lookup(c.Key); ok {
					continue
				}
				if _, ok := clauses[lk]; !ok {
					keys = append(keys, c.Key)
				}
				clauses[lk] = append(clauses[lk], c)
			}
		}
	}
	out := none
	for _, k := range keys {
		typ, values, ok := an.opts.Probes(k, clauses[strings.ToLower(k)], req)
		if !ok {
			continue
		}
		opts := []probeValue{{key: k, typ: typ}}
		for _, v := range values {
			opts = append(opts, probeValue{key: k, typ: typ, values: v})
		}
		if len(out)*len(opts) > maxProbeCombos {
			return none
		}
		var next [][]probeValue
		for _, c := range out {
			for _, o := range opts {
				next = append(next, append(append([]probeValue(nil), c...), o))
			}
		}
		out = next
	}
	return out
}

// merge adds to x the states that cross in r, the decisions of a call that
// passed cv (nil: no caller values): the statements of the first crossing,
// the values passed for the first that needed them, and the loosest MFA
// age.
func (an *Analyzer) merge(x *Assumer, r *mfa.Result, cv callerValues) {
	cross := func(c Credentials, d *evaluator.Decision) {
		if x.Tried&c == 0 || d == nil || !d.Allowed() || x.Crosses&c != 0 {
			return
		}
		x.Crosses |= c
		if x.AllowedBy == nil {
			x.AllowedBy = d.MatchedStatements()
		}
		if cv != nil && x.CallerValues == nil {
			x.CallerValues = cv.strings()
		}
		if c == WithMFA {
			x.MaxMFAAge, x.NoAgeLimit = r.MaxAge, r.NoAgeLimit
		}
	}
	cross(LongTermKeys, &r.LongTermKeys)
	cross(SessionWithoutMFA, &r.SessionWithoutMFA)
	var withMFA *evaluator.Decision
	for i := range r.Ages {
		if r.Ages[i].Decision.Allowed() {
			withMFA = &r.Ages[i].Decision
			break
		}
	}
	if withMFA != nil && x.Crosses&WithMFA != 0 && x.Tried&WithMFA != 0 {
		// crossing with MFA already: keep the loosest age limit
		switch {
		case r.NoAgeLimit:
			x.NoAgeLimit = true
		case !x.NoAgeLimit && r.MaxAge > x.MaxMFAAge:
			x.MaxMFAAge = r.MaxAge
		}
	}
	cross(WithMFA, withMFA)
}

// dedupeFold returns keys without repeats, compared without case, sorted
// without case; nil for none.
func dedupeFold(keys []string) []string {
	var out []string
	for _, k := range keys {
		dup := false
		for _, o := range out {
			dup = dup || strings.EqualFold(o, k)
		}
		if !dup {
			out = append(out, k)
		}
	}
	// in one order, whichever decisions named them first (a caller
	// decided alone, or as a member of its class)
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}

// entryPoints lists the callers r's trust policy names that the loops over
// the dump's users and roles do not cover, in policy order, once each.
func (an *Analyzer) entryPoints(r *Role) []Assumer {
	a := an.acct
	all := LongTermKeys | SessionWithoutMFA | WithMFA
	var out []Assumer
	seen := map[string]bool{}
	add := func(x Assumer) {
		if seen[x.Kind.String()+" "+x.Caller] {
			return
		}
		seen[x.Kind.String()+" "+x.Caller] = true
		out = append(out, x)
	}
	external := func(name, caller string, tried Credentials) {
		add(Assumer{Kind: AssumerExternal, Name: name, Caller: caller, Action: "sts:AssumeRole", Tried: tried})
	}
	if r.Trust == nil {
		return nil
	}
	for _, s := range r.Trust.Statements {
		if s.Effect != policy.Allow || s.Principal == nil || s.Principal.Not {
			continue
		}
		if s.Principal.Any {
			external("*", "*", all)
		}
		for _, pe := range s.Principal.Entries {
			v := pe.Text
			switch pe.Type {
			case "Service":
				add(Assumer{Kind: AssumerService, Name: v, Caller: v, Action: "sts:AssumeRole", Tried: LongTermKeys | SessionWithoutMFA, IdentityChecked: true})
			case "Federated":
				action := "sts:AssumeRoleWithWebIdentity"
				if strings.Contains(v, ":saml-provider/") {
					action = "sts:AssumeRoleWithSAML"
				}
				add(Assumer{Kind: AssumerFederated, Name: v, Caller: v, Action: action, Tried: SessionWithoutMFA, IdentityChecked: true})
			case "AWS":
				if v == "*" {
					external("*", "*", all)
					continue
				}
				if acct, ok := request.ParseAccount(v); ok {
					if acct != a.ID {
						root := "arn:aws:iam::" + acct + ":root"
						external(root, root, all)
						continue
					}
					// this account: its users and roles are the dump's,
					// but for those of a list the dump does not have
					// (--filter), who stand in as the account's root,
					// their own policies not known
					if name, tried := a.unlisted(); tried != 0 {
						root := "arn:" + a.partitionOr() + ":iam::" + a.ID + ":root"
						external(name, root, tried)
					}
					continue
				}
				p := request.ParsePrincipal(v)
				ours := p.Account == a.ID
				switch p.Kind {
				case request.PrincipalUser:
					if ours && a.userByARN(v) != nil {
						continue
					}
					external(v, v, all)
				case request.PrincipalRole:
					if role, ok := a.Role(v); ok && ours && role.ARN == v {
						continue
					}
					external(v, "arn:"+p.Partition+":sts::"+p.Account+":assumed-role/"+p.Name+"/"+SessionName, SessionWithoutMFA)
				case request.PrincipalAssumedRole:
					if role, ok := a.roles[p.Name]; ok && ours {
						sp := a.rolePrincipal(role)
						sp.Caller = v
						add(Assumer{Kind: AssumerRole, Name: fmt.Sprintf("role %s session %s", p.Name, p.Session), Caller: v, Principal: sp,
							Action: "sts:AssumeRole", Tried: SessionWithoutMFA, IdentityChecked: true})
						continue
					}
					external(v, v, SessionWithoutMFA)
				case request.PrincipalFederatedUser:
					external(v, v, SessionWithoutMFA)
				default:
					// a unique id left by a deleted entity, or text
					// that names no principal form
					external(v, v, all)
				}
			}
		}
	}
	return out
}

// unlisted names the principals of the account a dump made with --filter
// leaves out (it has no UserDetailList, or no RoleDetailList), and the
// credentials they can present: users all, role sessions none with MFA
// (SPEC 6.2). tried is 0 when the dump lists both.
func (a *Account) unlisted() (name string, tried Credentials) {
	switch {
	case !a.UsersListed && !a.RolesListed:
		return "the users and roles of account " + a.ID + " (the dump lists neither: left out by --filter)", LongTermKeys | SessionWithoutMFA | WithMFA
	case !a.UsersListed:
		return "the users of account " + a.ID + " (the dump lists none: left out by --filter)", LongTermKeys | SessionWithoutMFA | WithMFA
	case !a.RolesListed:
		return "the role sessions of account " + a.ID + " (the dump lists no role: left out by --filter)", SessionWithoutMFA
	}
	return "", 0
}

// partitionOr is the partition of the account's ARNs, "aws" when none
// says.
func (a *Account) partitionOr() string {
	if a.partition == "" {
		return "aws"
	}
	return a.partition
}

// userByARN returns the user whose ARN is arn, or nil.
func (a *Account) userByARN(arn string) *User {
	for _, u := range a.Users {
		if u.ARN == arn {
			return u
		}
	}
	return nil
}

// AssumeCallers decides, against r's trust policy, every principal of the
// dump (as Assumers does) and every entry point that r's trust policy or
// one of others' names (others: other versions of r, such as the same role
// in another dump), and returns each, whether it crosses or not: users
// first, then the roles' sessions, then the entry points in policy order
// (r's, then others'). It tells who may assume a role whose trust policy
// changed on both sides of a change, caller by caller.
func (an *Analyzer) AssumeCallers(r *Role, others ...*Role) ([]Assumer, error) {
	var out []Assumer
	var also []*policy.Policy
	for _, o := range others {
		if o != nil && o.Trust != nil {
			also = append(also, o.Trust)
		}
	}
	for _, p := range an.acct.Principals() {
		x := dumpAssumer(p)
		x.passing, x.also = true, also
		x, err := an.decideDump(x, r, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	seen := map[string]bool{}
	for _, from := range append([]*Role{r}, others...) {
		if from == nil {
			continue
		}
		for _, x := range an.entryPoints(from) {
			k := x.Kind.String() + " " + x.Caller
			if seen[k] {
				continue
			}
			seen[k] = true
			x.passing, x.also = true, also
			x, err := an.decideEntry(x, r)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
	}
	return out, nil
}
