package evaluator

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/internal/gencache"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// PolicySet is every policy that bears on the requests of one caller to one
// kind of resource. Nil and empty fields mean "no such policy".
type PolicySet struct {
	// Identity holds the caller's identity-based policies (inline and
	// managed, its groups' policies).
	Identity []*policy.Policy
	// Boundary is the caller's permissions boundary, or nil.
	Boundary *policy.Policy
	// Session holds the session policies passed when the caller's session
	// was created.
	Session []*policy.Policy
	// Resource is the resource-based policy of the resource (a bucket
	// policy, a role trust policy, a key policy), or nil.
	Resource *policy.Policy
	// ResourceOwner is the account that owns the resource, as a 12-digit id
	// or arn:aws:iam::ACCOUNT:root. It is used when the request names no
	// resource account and the resource ARN carries none.
	ResourceOwner string
	// SCPs are the service control policies of the caller's account, one
	// list per organization level, the root first, the account last.
	SCPs [][]*policy.Policy
	// RCPs are the resource control policies of the resource's account,
	// one list per level, the root first.
	RCPs [][]*policy.Policy
}

// Engine is a compiled PolicySet. It is immutable and safe for concurrent use
// by multiple goroutines.
type Engine struct {
	pols          []*cpolicy
	hasIdentity   bool
	hasBoundary   bool
	hasSession    bool
	hasResource   bool
	scpLevels     int
	scpDenyOnly   uint64 // the SCP levels holding statements, all of them Deny
	rcpLevels     int
	resourceOwner string
	keys          []string // condition keys referenced, first spelling
}

// cpolicy is a policy in its role in one engine: its compiled body, which
// engines of one Compiler share, and the map from the body's key ids to the
// engine's.
type cpolicy struct {
	*cbody
	typ    PolicyType
	level  int
	keyMap []int // body key id -> engine key id
}

// cbody is a compiled policy document, the same in every engine and role:
// its statements, its action index, and the condition and variable keys
// its statements reference (cstmt.keyIDs index keys).
type cbody struct {
	src   *policy.Policy
	stmts []cstmt
	index actionIndex
	keys  []string
}

type cstmt struct {
	deny      bool
	notAction bool
	actions   []condition.Pattern
	// bySvc files actions by lower-cased service (serviceBuckets), nil
	// for a statement of few patterns or a pattern of any service
	bySvc     map[string][]int32
	notRes    bool
	noRes     bool // no Resource element: the attached resource
	resources []resPattern
	principal *cprincipal
	conds     []*condition.Condition
	keyIDs    []int
}

type resPattern struct {
	any   bool
	isARN bool
	parts [6]condition.Pattern
	whole condition.Pattern
	// litPrefix is the lower-cased "arn:partition:service:region:account:"
	// when those five parts have no wildcard, to compare in one step.
	litPrefix   string
	hasLitPrefx bool
}

// Compile checks every policy of set for its role and compiles the set. The
// error, if any, is a policy.ErrorList naming each problem with its position.
func Compile(set PolicySet) (*Engine, error) { return (*Compiler)(nil).Compile(set) }

// Compiler compiles policy sets and compiles each distinct policy document
// (each *policy.Policy) once, sharing its compiled form among every engine
// it makes: the managed and group policies of an account's principals, its
// SCPs, are compiled once however many principals' engines hold them.
// Policies must not change once compiled. A Compiler is safe for concurrent
// use; it holds every policy it has compiled for as long as it lives
// (NewCompilerKeeping: those it is told to keep). The
// zero Compiler is not usable: make one with NewCompiler. A nil *Compiler
// compiles without sharing, as Compile does.
type Compiler struct {
	// kept holds what c keeps of each policy it keeps (*keptPolicy), by
	// policy: read without a lock by every goroutine that compiles, for
	// an account's thousands of engines read it far more often than they
	// add to it; mu makes each body compiled once
	mu   sync.Mutex
	kept sync.Map
	// keep, when not nil, says which policies' bodies to keep
	keep func(*policy.Policy) bool
	// stmts holds, for the bodies not kept, compiled statements by their
	// text (sharedStatement), in two generations of maxSharedStatements
	stmtMu sync.Mutex
	stmts  *gencache.Map[string, sharedStatement]
}

// sharedStatement is a statement compiled once for every policy not kept
// that holds the same text (a force-MFA policy copied into each user's
// inline policies): its keyIDs are 0, 1, ... and stand for keys, the key
// names as the statement spells them, in the order it reads them.
type sharedStatement struct {
	cs   cstmt
	keys []string
}

// maxSharedStatements is how many statements a generation of
// Compiler.stmts holds: few, for a statement of a principal's own (a user's
// home prefix) passes through it too, and one that every principal holds
// stays however few (gencache.Map moves what is asked for again to the
// newer generation).
const maxSharedStatements = 256

// keptPolicy is what a Compiler keeps of a policy: its compiled body, and
// the errors of policy.Check for each role it was checked for, by
// policy.Kind (read without a lock).
type keptPolicy struct {
	body   *cbody
	checks [keptKinds]atomic.Pointer[policy.ErrorList]
}

// keptKinds is how many policy.Kinds a keptPolicy remembers its checks
// for: every kind the policy package has, and room for more.
const keptKinds = 8

// check is policy.Check(k.body.src, kind), remembered.
func (k *keptPolicy) check(kind policy.Kind) policy.ErrorList {
	if int(kind) >= keptKinds {
		return policy.Check(k.body.src, kind)
	}
	if errs := k.checks[kind].Load(); errs != nil {
		return *errs
	}
	// checked by whichever goroutine comes first: the result is the same
	errs := policy.Check(k.body.src, kind)
	k.checks[kind].CompareAndSwap(nil, &errs)
	return *k.checks[kind].Load()
}

// NewCompiler returns an empty Compiler.
func NewCompiler() *Compiler {
	return &Compiler{}
}

// NewCompilerKeeping returns a Compiler that keeps the compiled form of
// only the policies keep reports true for, and compiles (and checks) the
// others each time an engine holds them: the compiled form of a policy
// that one engine uses (a user's own inline policy) then lives and goes
// with that engine, while those that many share (managed and group
// policies, SCPs) are compiled once. A statement of the others whose text
// the Compiler compiled lately for another policy (the same force-MFA
// statement in each user's inline policy) is not compiled again: the last
// few hundred statements are kept by text. Engines are the same either way; keep is
// called from every goroutine that compiles and must be safe for
// concurrent use.
func NewCompilerKeeping(keep func(p *policy.Policy) bool) *Compiler {
	c := NewCompiler()
	c.keep = keep
	return c
}

// policy returns p's compiled body and the errors of policy.Check(p,
// kind). A policy c keeps is compiled and checked on first use and
// remembered; one it does not keep (each engine's own) is compiled anew,
// its statements shared by text (Compiler.statement), and checked anew,
// which costs less than finding it among thousands.
func (c *Compiler) policy(p *policy.Policy, kind policy.Kind) (*cbody, policy.ErrorList) {
	if c == nil {
		return compileBody(p, nil), policy.Check(p, kind)
	}
	if k, ok := c.kept.Load(p); ok {
		return k.(*keptPolicy).body, k.(*keptPolicy).check(kind)
	}
	if c.keep != nil && !c.keep(p) {
		return compileBody(p, c), policy.Check(p, kind)
	}
	c.mu.Lock()
	k, ok := c.kept.Load(p)
	if !ok {
		k = &keptPolicy{body: compileBody(p, nil)}
		c.kept.Store(p, k)
	}
	c.mu.Unlock()
	return k.(*keptPolicy).body, k.(*keptPolicy).check(kind)
}

// Compile is the package's Compile, sharing compiled policies with every
// engine c has made. The engine decides exactly as Compile's does.
func (c *Compiler) Compile(set PolicySet) (*Engine, error) {
	e := &Engine{}
	var errs policy.ErrorList
	keyIndex := map[string]int{}
	add := func(p *policy.Policy, t PolicyType, level int, kind policy.Kind) {
		if p == nil {
			return
		}
		b, perrs := c.policy(p, kind)
		errs = append(errs, perrs...)
		e.pols = append(e.pols, e.place(b, t, level, keyIndex))
	}
	for _, p := range set.Identity {
		add(p, TypeIdentity, 0, policy.KindIdentity)
		e.hasIdentity = e.hasIdentity || p != nil
	}
	if set.Boundary != nil {
		add(set.Boundary, TypeBoundary, 0, policy.KindIdentity)
		e.hasBoundary = true
	}
	for _, p := range set.Session {
		add(p, TypeSession, 0, policy.KindIdentity)
		e.hasSession = e.hasSession || p != nil
	}
	if set.Resource != nil {
		add(set.Resource, TypeResource, 0, policy.KindResource)
		e.hasResource = true
	}
	for l, level := range set.SCPs {
		for _, p := range level {
			add(p, TypeSCP, l, policy.KindSCP)
		}
	}
	e.scpLevels = len(set.SCPs)
	for l, level := range set.SCPs {
		if l < 64 && onlyDenies(level) {
			e.scpDenyOnly |= 1 << l
		}
	}
	for l, level := range set.RCPs {
		for _, p := range level {
			add(p, TypeRCP, l, policy.KindRCP)
		}
	}
	e.rcpLevels = len(set.RCPs)
	if e.scpLevels > 64 || e.rcpLevels > 64 {
		errs = append(errs, &policy.Error{Code: "too_many_levels", Path: "$", Msg: "more than 64 organization levels"})
	}
	if set.ResourceOwner != "" {
		acct, ok := request.ParseAccount(set.ResourceOwner)
		if !ok {
			errs = append(errs, &policy.Error{Code: "bad_resource_owner", Path: "$", Msg: fmt.Sprintf("resource owner %q is neither a 12-digit account id nor arn:PARTITION:iam::ACCOUNT:root", set.ResourceOwner)})
		}
		e.resourceOwner = acct
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return e, nil
}

// onlyDenies reports whether the policies hold some statement and every
// one of them is a Deny.
func onlyDenies(ps []*policy.Policy) bool {
	n := 0
	for _, p := range ps {
		if p == nil {
			continue
		}
		for _, s := range p.Statements {
			if s.Effect != policy.Deny {
				return false
			}
			n++
		}
	}
	return n > 0
}

// place puts the compiled body b in the role t (at organization level
// level) in e, interning its keys in e.keys through keyIndex.
func (e *Engine) place(b *cbody, t PolicyType, level int, keyIndex map[string]int) *cpolicy {
	cp := &cpolicy{cbody: b, typ: t, level: level, keyMap: make([]int, len(b.keys))}
	for i, k := range b.keys {
		cp.keyMap[i] = intern(&e.keys, keyIndex, k)
	}
	return cp
}

// intern returns the id of key k in keys (whatever its letter case, through
// index, which maps lower-cased keys to ids), adding it as spelt if new.
func intern(keys *[]string, index map[string]int, k string) int {
	lk := strings.ToLower(k)
	id, ok := index[lk]
	if !ok {
		id = len(*keys)
		index[lk] = id
		*keys = append(*keys, k)
	}
	return id
}

// compileBody compiles p's statements and action index; keys are
// interned in the body's own table. With a Compiler, a statement whose
// text it compiled before for another policy is taken from it
// (Compiler.statement).
func compileBody(p *policy.Policy, shared *Compiler) *cbody {
	cp := &cbody{src: p, stmts: make([]cstmt, 0, len(p.Statements))}
	keyIndex := map[string]int{}
	patterns := make([][]string, 0, len(p.Statements))
	for _, s := range p.Statements {
		var texts []string
		if s.Action != nil && len(s.Action.Values) > 0 {
			texts = make([]string, len(s.Action.Values))
			for i, a := range s.Action.Values {
				texts[i] = a.Text
			}
		}
		cp.stmts = append(cp.stmts, shared.statement(p, s, cp, keyIndex, texts))
		patterns = append(patterns, texts)
	}
	cp.index = buildIndex(cp.stmts, patterns)
	return cp
}

// statement compiles s, a statement of p whose Action entries are texts,
// into body cp (keys interned through keyIndex). A Compiler keeps the
// compiled statement by its text (policy.Policy.StatementText) and whether
// p enables policy variables, which is all that compileStatement reads: a
// statement of the same text in another policy of the same Version
// compiles alike, but for its conditions, which are its own (the parser's,
// the same for the same text), and the ids of its keys in that body's
// table, which are interned again here in the order the statement reads
// them, as compileStatement interns them. A nil c, or a statement without
// its text (a policy built rather than parsed), compiles it.
func (c *Compiler) statement(p *policy.Policy, s *policy.Statement, cp *cbody, keyIndex map[string]int, texts []string) cstmt {
	var text []byte
	if c != nil {
		text = p.StatementText(s)
	}
	if text == nil {
		cs := compileStatement(p, s, cp, keyIndex)
		cs.bySvc = serviceBuckets(texts)
		return cs
	}
	var buf [512]byte
	key := append(buf[:0], 'n')
	if p.VariablesEnabled() {
		key[0] = 'v'
	}
	key = append(key, text...)
	c.stmtMu.Lock()
	if c.stmts == nil {
		c.stmts = gencache.New[string, sharedStatement](maxSharedStatements)
	}
	sh, ok := gencache.GetBytes(c.stmts, key)
	c.stmtMu.Unlock()
	if !ok {
		// compiled into a table of its own: its keys as it spells them
		own := &cbody{src: p}
		sh.cs = compileStatement(p, s, own, map[string]int{})
		sh.cs.bySvc = serviceBuckets(texts)
		sh.keys = own.keys
		c.stmtMu.Lock()
		c.stmts.Put(string(key), sh)
		c.stmtMu.Unlock()
	}
	cs := sh.cs
	// the statement's own conditions, which explain's traces find its
	// clauses by (clauseOf): the same text, compiled alike
	cs.conds = nil
	for _, cl := range s.Conditions {
		if cl.Cond != nil {
			cs.conds = append(cs.conds, cl.Cond)
		}
	}
	cs.keyIDs = nil
	if len(sh.keys) > 0 {
		cs.keyIDs = make([]int, len(sh.keys))
		for i, k := range sh.keys {
			cs.keyIDs[i] = intern(&cp.keys, keyIndex, k)
		}
	}
	return cs
}

// WithResourcePolicy returns an engine that decides as e does but with p as
// the resource policy (replacing e's, if any; nil for none). It reuses e's
// compiled policies and compiles only p, so deciding one caller's requests
// against many resources' policies (every role's trust policy, say) costs
// one compilation of the caller's policies. e is not changed. Its decisions
// are those of Compile with p in the set, but that MissingContextValues may
// list the same keys in another order. The error is a policy.ErrorList, as
// Compile's.
func (e *Engine) WithResourcePolicy(p *policy.Policy) (*Engine, error) {
	return (*Compiler)(nil).WithResourcePolicy(e, p)
}

// WithResourcePolicy is e.WithResourcePolicy, with p checked and compiled
// once for every engine c gives it to (when c keeps it: NewCompilerKeeping):
// deciding every caller of an account against every role's trust policy
// compiles each trust policy once.
func (c *Compiler) WithResourcePolicy(e *Engine, p *policy.Policy) (*Engine, error) {
	if e == nil {
		return nil, fmt.Errorf("evaluator: WithResourcePolicy on a nil engine")
	}
	n := *e
	// the resource policy's few keys are found among e's by a scan (not
	// a map of them all, which cost more than the rest when one caller is
	// decided against every role of an account); e's keys are copied only
	// when the policy adds one
	n.keys = slices.Clip(e.keys)
	n.pols = make([]*cpolicy, 0, len(e.pols)+1)
	n.hasResource = p != nil
	// the resource policy takes the place Compile gives it: after the
	// identity, boundary and session policies, before the SCPs
	placed := false
	for _, cp := range e.pols {
		if cp.typ == TypeResource {
			continue
		}
		if !placed && (cp.typ == TypeSCP || cp.typ == TypeRCP) {
			placed = true
			if p != nil {
				b, errs := c.policy(p, policy.KindResource)
				if len(errs) > 0 {
					return nil, errs
				}
				n.pols = append(n.pols, n.placeScanning(b, TypeResource))
			}
		}
		n.pols = append(n.pols, cp)
	}
	if !placed && p != nil {
		b, errs := c.policy(p, policy.KindResource)
		if len(errs) > 0 {
			return nil, errs
		}
		n.pols = append(n.pols, n.placeScanning(b, TypeResource))
	}
	return &n, nil
}

// placeScanning is place (at level 0) for a body of few keys: each is
// found among e's keys by a scan, with intern's notion of one key (equal
// when lower-cased), and added as spelt if new.
func (e *Engine) placeScanning(b *cbody, t PolicyType) *cpolicy {
	cp := &cpolicy{cbody: b, typ: t, keyMap: make([]int, len(b.keys))}
	for i, k := range b.keys {
		id := slices.IndexFunc(e.keys, func(x string) bool { return sameKey(x, k) })
		if id < 0 {
			id = len(e.keys)
			e.keys = append(e.keys, k)
		}
		cp.keyMap[i] = id
	}
	return cp
}

// sameKey reports whether a and b are one key to intern: equal when
// lower-cased (strings.ToLower), compared without lower-casing when both
// are ASCII.
func sameKey(a, b string) bool {
	if isASCIIString(a) && isASCIIString(b) {
		return condition.EqualFold(a, b) // ASCII: lower-cased alike
	}
	// (not strings.EqualFold, whose simple folding tells apart some keys
	// that lower-case alike, and the other way round)
	la, lb := strings.ToLower(a), strings.ToLower(b)
	return la == lb
}

func compileStatement(p *policy.Policy, s *policy.Statement, e *cbody, keyIndex map[string]int) cstmt {
	vars := p.VariablesEnabled()
	cs := cstmt{deny: s.Effect == policy.Deny}
	addKey := func(k string) {
		id := intern(&e.keys, keyIndex, k)
		for _, x := range cs.keyIDs {
			if x == id {
				return
			}
		}
		cs.keyIDs = append(cs.keyIDs, id)
	}
	if s.Action != nil {
		cs.notAction = s.Action.Not
		for _, a := range s.Action.Values {
			cs.actions = append(cs.actions, condition.CompilePattern(a.Text, condition.PatternOptions{Wildcards: true}))
		}
	}
	if s.Resource == nil {
		cs.noRes = true
	} else {
		cs.notRes = s.Resource.Not
		for _, r := range s.Resource.Values {
			rp := compileResource(r.Text, vars)
			for _, k := range rp.parts[5].Variables() {
				addKey(k)
			}
			for _, k := range rp.whole.Variables() {
				addKey(k)
			}
			cs.resources = append(cs.resources, rp)
		}
	}
	if s.Principal != nil {
		cs.principal = compilePrincipal(s.Principal)
	}
	for _, c := range s.Conditions {
		if c.Cond == nil {
			continue
		}
		cs.conds = append(cs.conds, c.Cond)
		addKey(c.Key)
		for _, k := range c.Cond.VariableKeys() {
			addKey(k)
		}
	}
	return cs
}

// compileResource compiles a Resource entry. An ARN with fewer than six
// parts is padded with "*" parts (arn:aws:ec2:* is arn:aws:ec2:*:*:*).
// Variables are recognised only in the resource part.
func compileResource(text string, vars bool) resPattern {
	if text == "*" {
		return resPattern{any: true}
	}
	if rest, ok := strings.CutPrefix(text, policy.APIGatewayShorthand); ok {
		// API Gateway's shorthand in an API's resource policy: the API
		// expands it to its own ARN, arn:PART:execute-api:REGION:ACCOUNT:
		// API-ID/rest. A resource policy decides only requests on its
		// own API, so any region, account and API id is the same.
		text = "arn:*:execute-api:*:*:*" + rest
	}
	rp := resPattern{whole: condition.CompilePattern(text, condition.PatternOptions{Wildcards: true, Variables: vars})}
	if !strings.HasPrefix(text, "arn:") {
		return rp
	}
	parts := strings.SplitN(text, ":", 6)
	for len(parts) < 6 {
		parts = append(parts, "*")
	}
	rp.isARN = true
	for i := 0; i < 5; i++ {
		rp.parts[i] = condition.CompilePattern(parts[i], condition.PatternOptions{Wildcards: true})
	}
	rp.parts[5] = condition.CompilePattern(parts[5], condition.PatternOptions{Wildcards: true, Variables: vars})
	rp.whole = condition.Pattern{}
	rp.hasLitPrefx = true
	for i := 0; i < 5; i++ {
		if !rp.parts[i].IsLiteral() || strings.ContainsRune(parts[i], utf8.RuneError) {
			rp.hasLitPrefx = false
		}
	}
	if rp.hasLitPrefx {
		rp.litPrefix = strings.ToLower(strings.Join(parts[:5], ":") + ":")
		for i := 0; i < len(rp.litPrefix); i++ {
			if rp.litPrefix[i] >= utf8.RuneSelf {
				rp.hasLitPrefx = false
			}
		}
	}
	return rp
}

// match reports whether the resource ARN res matches. Partition, service,
// region and account compare case-insensitively; the resource part
// case-sensitively. A requested resource that is not an ARN ("*", say)
// matches only patterns that match its text.
func (rp *resPattern) match(in *reqInfo, ctx *request.Context) bool {
	if rp.any {
		return true
	}
	if !rp.isARN || !in.isARN {
		if rp.isARN {
			return false
		}
		return rp.whole.Match(in.resource, false, ctx)
	}
	parts := &in.res
	if rp.hasLitPrefx {
		if !asciiEqualFold(in.prefix, rp.litPrefix) {
			return false
		}
	} else {
		for i := 0; i < 5; i++ {
			if !rp.parts[i].Match(parts[i], true, ctx) {
				return false
			}
		}
	}
	return rp.parts[5].Match(parts[5], false, ctx)
}

// Policies returns the policies the engine was compiled from, with their
// roles, in the order Compile took them.
func (e *Engine) Policies() []CompiledPolicy {
	out := make([]CompiledPolicy, len(e.pols))
	for i, cp := range e.pols {
		out[i] = CompiledPolicy{Policy: cp.src, Type: cp.typ, Level: cp.level}
	}
	return out
}

// NumPolicies returns len(Policies()) without making the slice.
func (e *Engine) NumPolicies() int { return len(e.pols) }

// Policy returns Policies()[i] without making the slice: i indexes a
// StatementRef's Policy.
func (e *Engine) Policy(i int) CompiledPolicy {
	cp := e.pols[i]
	return CompiledPolicy{Policy: cp.src, Type: cp.typ, Level: cp.level}
}

// CompiledPolicy is a policy of an Engine and its role.
type CompiledPolicy struct {
	Policy *policy.Policy
	Type   PolicyType
	// Level is the organization level for SCPs and RCPs.
	Level int
}

// asciiEqualFold compares s with lower, an ASCII lower-case string, ignoring
// the case of ASCII letters in s. A non-ASCII byte in s never equals.
func asciiEqualFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
