package evaluator

import (
	"strconv"
	"strings"

	"github.com/iameval/iameval/request"
)

// StatementRef names a statement of an engine: Policy indexes Policies(),
// Statement the statements of that policy.
type StatementRef struct {
	Policy, Statement int
}

// Footprint is what of an engine can bear on a request for one action: the
// statements whose Action or NotAction matches it, and the keys they
// reference. Evaluate, Explain and the decisions' MatchedStatements and
// MissingContextValues never look at another statement of a request for
// that action (its first test, the action's, fails), so two engines that
// agree on Shape, Keys and their footprints' statements (the same statements
// of policies of the same types and levels) decide every request for the
// action alike when the requests agree on the caller and on the keys of
// KeyIDs.
type Footprint struct {
	// Statements are in the order Evaluate scans them: policy by policy,
	// each in document order.
	Statements []StatementRef
	// KeyIDs index Keys(): the condition and policy-variable keys the
	// statements reference, ascending.
	KeyIDs []int
}

// AppendFootprint fills f with e's footprint for action, reusing its
// slices. Matching is the engine's own (case-insensitive, with wildcards),
// which is what policy.List.Covers(action, true) computes on the parsed
// statement.
func (e *Engine) AppendFootprint(f *Footprint, action string) {
	f.Statements, f.KeyIDs = f.Statements[:0], f.KeyIDs[:0]
	var seen [4]uint64 // key ids below 256, then a scan
	e.eachActionMatch(action, func(pi int, si int32) bool {
		cp := e.pols[pi]
		s := &cp.stmts[si]
		f.Statements = append(f.Statements, StatementRef{pi, int(si)})
		for _, local := range s.keyIDs {
			id := cp.keyMap[local]
			if id < 256 {
				if seen[id/64]&(1<<(id%64)) != 0 {
					continue
				}
				seen[id/64] |= 1 << (id % 64)
			} else if containsInt(f.KeyIDs, id) {
				continue
			}
			f.KeyIDs = append(f.KeyIDs, id)
		}
		return true
	})
	sortInts(f.KeyIDs)
}

// ActionReadsKey reports whether a statement whose Action or NotAction
// matches action (a statement of its footprint, AppendFootprint)
// references key, in any letter case, in a condition or as a policy
// variable. When none does, no value of key, and its absence, changes a
// decision of action: an analysis that tries many values of a key
// (aws:MultiFactorAuthAge, say) decides one. It allocates nothing.
func (e *Engine) ActionReadsKey(action, key string) bool {
	id := -1
	for i, k := range e.keys {
		if SameKey(k, key) {
			id = i
			break
		}
	}
	if id < 0 {
		return false
	}
	found := false
	e.eachActionMatch(action, func(pi int, si int32) bool {
		cp := e.pols[pi]
		for _, local := range cp.stmts[si].keyIDs {
			if cp.keyMap[local] == id {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// SameKey reports whether two context key names are one key to the
// engine, which numbers the keys of its policies by their lower-case forms
// (strings.ToLower): for ASCII names, strings.EqualFold. It allocates
// nothing for ASCII names.
func SameKey(a, b string) bool {
	if isASCIIString(a) && isASCIIString(b) {
		return strings.EqualFold(a, b)
	}
	// ToLower's equality, not EqualFold's, is the engine's: they differ
	// on U+212A KELVIN SIGN and on invalid UTF-8
	//lint:ignore SA6005 the comparison must be ToLower's
	return strings.ToLower(a) == strings.ToLower(b)
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// eachActionMatch calls yield with the policy and statement indexes of
// each statement whose Action or NotAction matches action, in the order
// Evaluate scans them, until yield returns false.
func (e *Engine) eachActionMatch(action string, yield func(pi int, si int32) bool) {
	var k actionKey
	k.set(action)
	for pi, cp := range e.pols {
		exact, service, always := cp.index.candidates(&k)
		for len(exact)+len(service)+len(always) > 0 {
			si, known := int32(1<<31-1), false
			var from *[]int32
			for k, list := range [3]*[]int32{&exact, &service, &always} {
				if len(*list) > 0 && (*list)[0] < si {
					si, from, known = (*list)[0], list, k == 0
				}
			}
			*from = (*from)[1:]
			if !known && !cp.stmts[si].matchAction(action, &k) {
				continue
			}
			if !yield(pi, si) {
				return
			}
		}
	}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// sortInts sorts a short list in place (insertion sort: no allocation).
func sortInts(xs []int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// Keys returns the condition and policy-variable keys e's statements
// reference, each spelt as first met, in the order MissingContextValues
// reports them. The slice is e's: do not modify it.
func (e *Engine) Keys() []string { return e.keys }

// AppendShape appends to dst a text of what decides where no statement
// does: which kinds of policy e holds (identity, boundary, session,
// resource), its SCP and RCP levels, and its resource owner. Engines of the
// same shape apply the same rules of the evaluation logic.
func (e *Engine) AppendShape(dst []byte) []byte {
	for _, b := range [...]bool{e.hasIdentity, e.hasBoundary, e.hasSession, e.hasResource} {
		c := byte('0')
		if b {
			c = '1'
		}
		dst = append(dst, c)
	}
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(e.scpLevels), 10)
	dst = append(dst, ' ')
	dst = strconv.AppendUint(dst, e.scpDenyOnly, 16)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(e.rcpLevels), 10)
	dst = append(dst, ' ')
	return append(dst, e.resourceOwner...)
}

// ResourceFree reports whether a request for the action of footprint f
// (AppendFootprint) is decided alike on every resource of one owner: e
// holds no resource-based policy (whose Principal and rules read the
// resource's owner), and every statement of f has a Resource element (not
// NotResource) whose entries are all "*". A request's resource then bears on
// its decision only through the account that owns it.
func (e *Engine) ResourceFree(f *Footprint) bool {
	if e.hasResource {
		return false
	}
	for _, ref := range f.Statements {
		r := e.pols[ref.Policy].src.Statements[ref.Statement].Resource
		if r == nil || r.Not || len(r.Values) == 0 {
			return false
		}
		for _, v := range r.Values {
			if v.Text != "*" {
				return false
			}
		}
	}
	return true
}

// ResourceOwner returns the account that owns a resource whose ARN names
// no account (PolicySet.ResourceOwner, as a 12-digit id), or "" when the
// set gave none: the caller's account then owns it.
func (e *Engine) ResourceOwner() string { return e.resourceOwner }

// IndividualPrincipals calls yield with each entry of the resource-based
// policies' Principal and NotPrincipal elements that names principals one
// by one: every entry but "*" and an account (its id or root ARN). text is
// the entry as written; role and roleAccount, for an IAM role's ARN, are the
// role's name and account, whose sessions the entry names too (SPEC 2.4:
// a role's ARN in a Principal stands for its sessions). A caller whose ARN
// is no entry's text, and that is no session of a role an entry names, is
// matched by e's Principal elements as every other caller of its kind and
// account is: AppendPrincipalMatches and ResourcePolicyNames give each such
// caller the same answer. Account-wide analyses decide those callers once.
func (e *Engine) IndividualPrincipals(yield func(text, role, roleAccount string)) {
	e.resourcePrincipals(func(p *cprincipal) {
		if p == nil {
			return
		}
		for j := range p.entries {
			if pe := &p.entries[j]; !pe.any && pe.account == "" {
				yield(pe.value, pe.role, pe.roleAcc)
			}
		}
	})
}

// resourcePrincipals calls fn with the Principal or NotPrincipal element
// of each statement of e's resource-based policies, in order: nil for a
// statement without either.
func (e *Engine) resourcePrincipals(fn func(p *cprincipal)) {
	for _, cp := range e.pols {
		if cp.typ != TypeResource {
			continue
		}
		for i := range cp.stmts {
			fn(cp.stmts[i].principal)
		}
	}
}

// AppendPrincipalMatches appends to dst two bytes for each statement of e's
// resource policy, in order: how closely its Principal or NotPrincipal
// element names caller, and whether a NotPrincipal excludes it ('-' for a
// statement without either). These are all Evaluate and Explain read of
// the caller's ARN in a resource policy's statements.
func (e *Engine) AppendPrincipalMatches(dst []byte, caller string) []byte {
	c := request.ParsePrincipal(caller)
	e.resourcePrincipals(func(p *cprincipal) {
		if p == nil {
			dst = append(dst, '-', '-')
			return
		}
		x := byte('0')
		if p.not && p.excluded(&c) {
			x = '1'
		}
		dst = append(dst, '0'+byte(p.best(&c)), x)
	})
	return dst
}

// ResourceAccount returns the account Evaluate takes to own req's
// resource, which tells a cross-account request (Decision.CrossAccount)
// and a federated caller's provider in another account: req's
// ResourceAccount, else the resource ARN's account field when it holds a
// 12-digit account ID, else the engine's resource owner, else the caller's
// account ("" when none of them is known). Besides this, Evaluate reads
// the resource only through the statements' Resource and NotResource
// elements (AppendResourceMatches).
func (e *Engine) ResourceAccount(req *request.Context) string {
	var in reqInfo
	in.read(req)
	return e.resourceAccount(req, &in)
}

// ResourceVariables tells, of statement ref of e (a StatementRef of its
// Footprint), whether some policy variable of its Resource or NotResource
// entries names a key for which vary reports true (varies), and whether
// req carries the key of every one of them (carried). A statement none of
// whose variables varies matches req's resource (AppendResourceMatches)
// alike in every request that differs from req only in the keys vary
// names: Evaluate resolves each variable from the request's value of its
// key, else its default. A statement without variables (or of a policy
// whose Version does not enable them, where "${" is text) has none:
// varies false and carried true.
func (e *Engine) ResourceVariables(ref StatementRef, req *request.Context, vary func(key string) bool) (varies, carried bool) {
	s := &e.pols[ref.Policy].stmts[ref.Statement]
	carried = true
	each := func(k string) bool {
		if vary(k) {
			varies = true
		}
		if _, ok := req.Lookup(k); !ok {
			carried = false
		}
		return true
	}
	for i := range s.resources {
		rp := &s.resources[i]
		rp.parts[5].EachVariable(each)
		rp.whole.EachVariable(each)
	}
	return varies, carried
}

// AppendResourceMatches appends to dst, for each statement of f (e's
// footprint for req's action, AppendFootprint), whether its Resource or
// NotResource element lets req's resource in, as Evaluate reads it: false
// exactly where the statement's trace for req (MatchingTraces) says
// ResourceMismatch; true for a statement with neither element. A
// statement's resource is matched before its principal and conditions,
// so nothing else of req is read but the keys of its policy variables.
// It allocates nothing but dst's growth: an analysis that needs only this
// of each statement need not build the traces.
func (e *Engine) AppendResourceMatches(dst []bool, f *Footprint, req *request.Context) []bool {
	var in reqInfo
	in.read(req)
	for _, ref := range f.Statements {
		cp := e.pols[ref.Policy]
		in.keyMap = cp.keyMap
		dst = append(dst, cp.stmts[ref.Statement].matchResource(&in, req))
	}
	return dst
}
