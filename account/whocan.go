package account

import (
	"strings"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Access is one way a caller gets a request allowed: directly, with its
// own policies, or through a chain of roles it can assume, each session of
// which can assume the next, the last allowed the request.
type Access struct {
	// Start is the caller that begins the way: a user or role of the dump
	// (Principal set), or a service, an identity provider or an external
	// principal a trust policy names (as Assumers returns them).
	Start *Assumer
	// Roles are the roles assumed on the way, in order; empty for direct
	// access.
	Roles []*Role
	// Credentials are the states of Start's credentials with which the
	// whole way is allowed; Undecided those with which it was denied but
	// a decision needed context keys the requests lacked (Missing).
	Credentials, Undecided Credentials
	Missing                []string
	// AllowedBy are the statements that allow the request at the last
	// step (the statements of Start's own policies for direct access, of
	// the last role's for a chain).
	AllowedBy []evaluator.MatchedStatement
	// Reach, for a role's own (direct) access, says how a session of the
	// role can be had (Reachability); ReachNone for other ways.
	Reach ReachStatus
	// Resource is the resource of the last step's request: the resource
	// asked about or, for a pattern (arn:aws:s3:::bucket/*), the first
	// resource it covers on which the way is allowed or undecided
	// (mfa.Within); the credentials are those of every such resource.
	Resource string
	// Bypass says Start is a user of the dump whose own policies allow
	// the request only with MFA (a Deny without MFA, or an Allow that needs
	// it), while this way through roles gets it done without MFA: the
	// classic MFA bypass through a trust policy that asks for no MFA. A
	// user whose own policies never allow the request gets it through the
	// role, which is access, not a bypass.
	Bypass bool
	// OtherAccount, when not "", is the account that owns Resource, not
	// the account of the last step's caller: a request across accounts,
	// which the resource's own policy (not in the dump) must allow too
	// ("the resource-based policy in Account B must allow the requester in
	// Account A", IAM policy evaluation logic, cross-account). The
	// credentials are those with which the caller's side allows it (the
	// request decided as if the resource were the caller's account's).
	// StandIn says the account is made up: Resource stands for the
	// resources of every other account that the pattern asked about (or a
	// Resource entry of the caller's policies) leaves open
	// (mfa.OtherAccountInstances).
	OtherAccount string
	StandIn      bool
	// Unchecked, for a pattern asked about, are the Resource entries of
	// Start's own policies for the action that were not checked
	// (mfa.Within: a variable needing a key Start's live requests may
	// carry but this one lacks, or an entry no made-up resource stands
	// for, Unchecked.Reason): the request may be allowed on the resources
	// they name. A way with no credentials is listed for them alone.
	Unchecked []mfa.Unchecked
}

// decideDirect decides p's request for action on resource with its own
// policies (e) and adds to a what decideStates finds.
func (an *Analyzer) decideDirect(a *Access, e *evaluator.Engine, p *Principal, action, resource string) {
	an.decideStates(e, p, an.LiveRequest(p, action, resource), &a.Credentials, &a.Undecided, &a.Missing, &a.AllowedBy)
}

// decideStates decides req, a live request of p, with e under each
// credential state p can present (a role signs only as a session, which
// carries no MFA; a user also with its long-term keys, and with MFA just
// now) and adds to creds the states with which it is allowed (to
// allowedBy, when empty, the statements that allow it first), to
// undecided those with which it is denied but a decision needed context
// keys p's requests can carry, and those keys to missing. req is left in
// the last state decided.
func (an *Analyzer) decideStates(e *evaluator.Engine, p *Principal, req *request.Context, creds, undecided *Credentials, missing *[]string, allowedBy *[]evaluator.MatchedStatement) {
	req.SetSessionWithoutMFA()
	decided := []stateDecision{{SessionWithoutMFA, e.Evaluate(req)}}
	if p.Kind == KindUser {
		req.SetLongTermKeys()
		lt := e.Evaluate(req)
		req.SetSessionWithMFA(0)
		decided = append(decided, stateDecision{LongTermKeys, lt}, stateDecision{WithMFA, e.Evaluate(req)})
	}
	an.CountDecisions(len(decided))
	for _, x := range decided {
		switch {
		case x.d.Allowed():
			*creds |= x.c
			if *allowedBy == nil {
				*allowedBy = x.d.MatchedStatements()
			}
		default:
			// the MFA keys are the credential state's, never missing
			if m := lacking(p, nonMFA(x.d.MissingContextValues())); len(m) > 0 {
				*undecided |= x.c
				*missing = appendNew(*missing, m...)
			}
		}
	}
}

// stateDecision is a decision under one credential state.
type stateDecision struct {
	c Credentials
	d evaluator.Decision
}

// lacksAllKeys reports whether p's live requests never carry any of keys
// (none given: false).
func lacksAllKeys(p *Principal, keys []string) bool {
	for _, k := range keys {
		if !p.Lacks(k) {
			return false
		}
	}
	return len(keys) > 0
}

// maxChain is the longest chain of roles WhoCan follows.
const maxChain = 5

// WhoCan returns every way a caller gets action on resource allowed: each
// user and role of the dump directly (a user with long-term keys, a
// session without MFA, or MFA; a role only in a session, which carries no
// MFA: SPEC 6.2), and every caller that can reach, through a chain of at
// most maxChain roles (Reachability's callers: users, role sessions,
// services, identity providers, external principals), a role whose
// session is allowed it. The request is decided with the engine on each
// principal's own policies and boundary (and, for an action a trust policy
// decides, the role's trust policy as the resource policy), as a live
// request of the principal. Direct accesses come first, in dump order, then
// those through roles, by role in dump order.
func (an *Analyzer) WhoCan(action, resource string) ([]Access, error) {
	trustAction := evaluator.TrustPolicyAction(action)
	direct := map[string]Access{} // by principal ARN: Principals makes new values each call
	var out []Access
	roleCan := map[*Role]*Access{}
	// roleElse and directElse are the ways on another account's resource
	// (Access.OtherAccount) of the roles, for the chains through them,
	// and of each principal, by ARN
	roleElse := map[*Role]*Access{}
	directElse := map[string]Access{}
	pattern := !trustAction && strings.ContainsAny(resource, "*?")
	// reachNeeded says a role's way of entries not checked alone is listed
	reachNeeded := false
	for _, p := range an.acct.Principals() {
		a := Access{Start: &Assumer{Kind: AssumerUser, Name: p.String(), Caller: p.Caller, Principal: p}}
		if p.Kind != KindUser {
			a.Start.Kind = AssumerRole
		}
		decide := func(e *evaluator.Engine, res string) {
			before := a.Credentials | a.Undecided
			an.decideDirect(&a, e, p, action, res)
			if a.Resource == "" && a.Credentials|a.Undecided != before {
				a.Resource = res
			}
		}
		// elsewhere is p's way on another account's resource: one asked
		// about, or a stand-in beside a resource of p's account that the
		// pattern asked about leaves open
		elsewhere := Access{Start: a.Start}
		var others *mfa.OtherAccounts
		var ee *evaluator.Engine
		// across decides p's request on res when res is another
		// account's, on p's side alone (EngineElsewhere: without the
		// RCPs; without the keys given that describe p's own resources,
		// mfa.ResourceKey), and keeps the way as elsewhere when it is the
		// first or has credentials the one kept lacks (none is decided
		// once one needs no MFA); it reports whether res is another
		// account's
		own := request.ParsePrincipal(p.Caller).Account
		across := func(e *evaluator.Engine, res string, standIn bool) (bool, error) {
			req := an.LiveRequest(p, action, res)
			other := e.ResourceAccount(req)
			if own == "" || other == "" || other == own {
				return false, nil
			}
			if elsewhere.Credentials.WithoutMFA() {
				return true, nil // one such resource is said
			}
			if ee == nil {
				var err error
				if ee, err = an.EngineElsewhere(p); err != nil {
					return true, err
				}
			}
			mfa.DropResourceKeys(req)
			var w Access
			req.ResourceAccount = own
			an.decideStates(ee, p, req, &w.Credentials, &w.Undecided, &w.Missing, &w.AllowedBy)
			// the first, or one with credentials it lacks
			if c := w.Credentials | w.Undecided; c != 0 && (elsewhere.Resource == "" || w.Credentials&^elsewhere.Credentials != 0) {
				w.Start, w.Resource, w.OtherAccount, w.StandIn = a.Start, res, other, standIn
				elsewhere = w
			}
			return true, nil
		}
		var perRole []Access
		if trustAction {
			// a trust policy decides: the resource stands for the dump's
			// roles it names (an ARN or a pattern), each decided as mfa
			// decides it (AssumeRole: the trust policy names the caller,
			// with the values the caller passes); one way per role; roles
			// it can name outside the dump are RolesOutside's, not checked
			ra, err := an.AssumeRole(p, action, resource)
			if err != nil {
				return nil, err
			}
			for _, rc := range ra.Roles {
				x := rc.Assumer
				w := a
				w.Credentials, w.Undecided, w.Missing, w.AllowedBy, w.Resource = x.Crosses, x.Undecided, x.Missing, x.AllowedBy, rc.Role.ARN
				perRole = append(perRole, w)
				a.Credentials, a.Undecided = a.Credentials|x.Crosses, a.Undecided|x.Undecided
				a.Missing = appendNew(a.Missing, x.Missing...)
				if a.AllowedBy == nil {
					a.AllowedBy = x.AllowedBy
				}
				if a.Resource == "" {
					a.Resource = rc.Role.ARN
				}
			}
		} else {
			e, err := an.Engine(p, nil)
			if err != nil {
				return nil, err
			}
			resources := []string{resource}
			var made map[string]string
			if pattern {
				// a pattern is no resource a request names: the resources
				// it covers that p's policies tell apart (mfa.Within)
				var unchecked []mfa.Unchecked
				resources, made, unchecked = mfa.Within(e, catalog.Default().Action(action), action, resource, an.LiveRequest(p, action, "*"))
				for _, u := range unchecked {
					// a key p's live requests never carry: the entry
					// matches nothing (SPEC 4)
					if !lacksAllKeys(p, u.Missing) {
						a.Unchecked = append(a.Unchecked, u)
					}
				}
			}
			for _, res := range resources {
				// a resource of an account made up for an entry only
				// partly open on it is a stand-in too
				f, ok := made[res]
				other, err := across(e, res, ok && mfa.MadeUpAccount(f, res, own))
				if err != nil {
					return nil, err
				}
				if !other {
					decide(e, res)
				}
				if !pattern || elsewhere.Credentials.WithoutMFA() {
					continue
				}
				// a resource of the pattern stands beside other accounts'
				if others == nil {
					others = mfa.NewOtherAccounts(e, action)
				}
				for _, r2 := range others.Instances(an.LiveRequest(p, action, res), mfa.ResourceAccountOf(res), resource) {
					if _, err := across(e, r2, true); err != nil {
						return nil, err
					}
					if elsewhere.Credentials.WithoutMFA() {
						break
					}
				}
			}
		}
		// the way elsewhere is said when it holds credentials the way on
		// p's own account's resources does not, or is on a resource asked
		// about
		c := elsewhere.Credentials | elsewhere.Undecided
		addElsewhere := c != 0 && (!elsewhere.StandIn || c&^(a.Credentials|a.Undecided) != 0 || elsewhere.Credentials&^a.Credentials != 0)
		if addElsewhere {
			directElse[p.ARN] = elsewhere
			if p.Kind == KindRole {
				w := elsewhere
				roleElse[p.Role] = &w
			}
		}
		direct[p.ARN] = a
		if a.Credentials|a.Undecided == 0 {
			if addElsewhere {
				out = append(out, elsewhere)
			}
			if len(a.Unchecked) > 0 {
				// no way, but entries not checked: said, never left out
				// (a role's with how its session can be had)
				out = append(out, a)
				reachNeeded = reachNeeded || p.Kind == KindRole
			}
			continue
		}
		if trustAction {
			// a way per role; a chain through p's role reads them merged
			out = append(out, perRole...)
			if p.Kind == KindRole {
				merged := a
				roleCan[p.Role] = &merged
			}
			continue
		}
		out = append(out, a)
		if p.Kind == KindRole {
			roleCan[p.Role] = &out[len(out)-1]
		}
		if addElsewhere {
			out = append(out, elsewhere)
		}
	}
	if trustAction {
		// the callers outside the dump a matched role's trust policy
		// names (services, identity providers, other accounts), each a
		// way of its own
		for _, r := range an.match(resource).roles {
			entries, err := an.entryPointsDecided(r)
			if err != nil {
				return nil, err
			}
			for i := range entries {
				if x := &entries[i]; x.Principal == nil && strings.EqualFold(x.Action, action) {
					out = append(out, Access{Start: x, Credentials: x.Crosses, Undecided: x.Undecided, Missing: x.Missing, AllowedBy: x.AllowedBy, Resource: r.ARN})
				}
			}
		}
	}
	if len(roleCan) == 0 && len(roleElse) == 0 && !reachNeeded {
		return out, nil
	}
	reach, err := an.Reachability()
	if err != nil {
		return nil, err
	}
	byRole := map[*Role]*RoleReach{}
	for _, rr := range reach {
		byRole[rr.Role] = rr
	}
	for i := range out {
		if p := out[i].Start.Principal; p != nil && p.Kind == KindRole && byRole[p.Role] != nil {
			out[i].Reach = byRole[p.Role].Status
		}
	}
	ways := an.roleWays(byRole)
	best, order, rolesOf := ways.best, ways.order, ways.roles
	for i, r := range an.acct.Roles {
		// the chains to the role's way on the resource asked about, then
		// to its way on another account's
		for _, last := range [2]*Access{roleCan[r], roleElse[r]} {
			if last == nil {
				continue
			}
			for _, st := range order[i] {
				b := best[i][st]
				w := Access{Start: st, Roles: rolesOf(r, st), Credentials: b.creds, Undecided: b.undecided, Missing: b.missing, AllowedBy: last.AllowedBy, Resource: last.Resource,
					OtherAccount: last.OtherAccount, StandIn: last.StandIn}
				if last.Credentials&SessionWithoutMFA == 0 {
					w.Undecided |= w.Credentials
					w.Credentials = 0
					w.Missing = appendNew(append([]string{}, w.Missing...), last.Missing...)
				}
				// a bypass: its own policies allow it with MFA only (on
				// another account's resource, as they allow that)
				if p := w.Start.Principal; p != nil && p.Kind == KindUser && w.Credentials.WithoutMFA() {
					own := direct[p.ARN]
					if x, ok := directElse[p.ARN]; ok && last.OtherAccount != "" {
						own = x
					}
					w.Bypass = own.Credentials&WithMFA != 0 && !own.Credentials.WithoutMFA()
				}
				out = append(out, w)
			}
		}
	}
	return out, nil
}

// RolesOutside says, for an action a trust policy decides
// (evaluator.TrustPolicyAction), which roles resource can name that the
// dump does not hold, whose trust policies WhoCan therefore did not check
// (OutsideOtherAccounts, OutsideMissingRole); "" when there are none or
// the action is no such action.
func (an *Analyzer) RolesOutside(action, resource string) string {
	if !evaluator.TrustPolicyAction(action) {
		return ""
	}
	return an.match(resource).outside
}

// clauseText writes c as KEY OPERATOR VALUES.
func clauseText(c *policy.Clause) string {
	var vals []string
	for _, v := range c.Values {
		vals = append(vals, v.Text)
	}
	return c.Key + " " + c.Operator + " " + strings.Join(vals, ",")
}

// chosenByCaller are the keys whose value the caller of sts:AssumeRole
// chooses freely (a StringLike "*" on one of them, or on a key every
// request carries, alwaysPresent, guards nothing).
var chosenByCaller = map[string]bool{"sts:externalid": true, "sts:rolesessionname": true, "sts:sourceidentity": true}

// wildcardClause reports whether c is a StringLike or ArnLike clause
// (IfExists or not, no set qualifier) with the value "*", and whether the
// key is one that makes it match every caller (like "like") or none (like
// "notlike").
func wildcardClause(c *policy.Clause, like string) bool {
	op := strings.ToLower(c.Operator)
	ifExists := strings.HasSuffix(op, "ifexists")
	op = strings.TrimSuffix(op, "ifexists")
	if op != "string"+like && op != "arn"+like {
		return false
	}
	star := false
	for _, v := range c.Values {
		if v.Text == "*" {
			star = true
		}
	}
	if like == "notlike" {
		// a negated operator matches an absent key: only a key every
		// request carries makes it match nobody
		return star && !ifExists && alwaysPresent[strings.ToLower(c.Key)]
	}
	k := strings.ToLower(c.Key)
	return star && (ifExists || alwaysPresent[k] || chosenByCaller[k])
}

// alwaysPresent are the keys every AWS principal's request carries.
var alwaysPresent = map[string]bool{
	"aws:principalarn": true, "aws:principalaccount": true, "aws:principaltype": true, "aws:userid": true,
}

// everyCallerMatches reports whether every caller satisfies c (an Allow's
// condition that guards nothing): StringLike "*" on a key every caller
// sends or chooses.
func everyCallerMatches(c *policy.Clause) bool { return wildcardClause(c, "like") }

// noCallerMatches reports whether no caller satisfies c (a Deny's condition
// that denies nobody): StringNotLike "*" on a key every caller sends.
func noCallerMatches(c *policy.Clause) bool { return wildcardClause(c, "notlike") }

// roleWay is the shortest way from a start into a role.
type roleWay struct {
	start     *Assumer
	depth     int   // the number of roles on the way
	prev      *Role // the role before, nil for a first step
	creds     Credentials
	undecided Credentials
	missing   []string
}

// roleWayTable holds, per role (by index in the dump), the shortest way
// from each start, and the starts in the order found.
type roleWayTable struct {
	best  []map[*Assumer]*roleWay
	order [][]*Assumer
	roles func(r *Role, st *Assumer) []*Role
}

// roleWays finds the ways into every role (byRole: Reachability's).
func (an *Analyzer) roleWays(byRole map[*Role]*RoleReach) *roleWayTable {
	// The ways into each role, shortest first, one per caller that starts
	// them: breadth first over chain length. A first step is a caller that
	// crosses the role's trust policy (not a role session); a longer way
	// is a way into a role whose session then crosses the next role's
	// trust policy. Keeping one way per start and role keeps this linear
	// in roles times callers, however many paths the graph holds.
	index := map[*Role]int{}
	for i, r := range an.acct.Roles {
		index[r] = i
	}
	best := make([]map[*Assumer]*roleWay, len(an.acct.Roles))
	order := make([][]*Assumer, len(an.acct.Roles)) // starts in the order found
	add := func(r int, w *roleWay) bool {
		if best[r] == nil {
			best[r] = map[*Assumer]*roleWay{}
		}
		if _, ok := best[r][w.start]; ok {
			return false
		}
		best[r][w.start] = w
		order[r] = append(order[r], w.start)
		return true
	}
	// starts are named by the caller of the first step: a user or role of
	// the dump by its principal, others by their Assumer
	startOf := map[string]*Assumer{} // by principal ARN
	key := func(x *Assumer) *Assumer {
		if x.Principal == nil {
			return x
		}
		if k, ok := startOf[x.Principal.ARN]; ok {
			return k
		}
		startOf[x.Principal.ARN] = x
		return x
	}
	for i, r := range an.acct.Roles {
		rr := byRole[r]
		if rr == nil {
			continue
		}
		xs := rr.Assumers()
		for j := range xs {
			x := &xs[j]
			if x.Kind == AssumerRole || x.Crosses|x.Undecided == 0 {
				continue
			}
			add(i, &roleWay{start: key(x), depth: 1, creds: x.Crosses, undecided: x.Undecided, missing: x.Missing})
		}
	}
	// the role sessions among each role's callers, made once
	sessions := make([][]Assumer, len(an.acct.Roles))
	for i, r := range an.acct.Roles {
		if rr := byRole[r]; rr != nil {
			sessions[i] = rr.roleSessions()
		}
	}
	for depth := 2; depth <= maxChain; depth++ {
		changed := false
		for i := range an.acct.Roles {
			xs := sessions[i]
			for j := range xs {
				x := &xs[j]
				// a session of another role: its session (no MFA) crosses
				if x.Kind != AssumerRole || (x.Crosses|x.Undecided)&SessionWithoutMFA == 0 {
					continue
				}
				q := index[x.Principal.Role]
				for _, st := range order[q] {
					if _, known := best[i][st]; known {
						continue // a way as short or shorter is kept
					}
					prevWay := best[q][st]
					if prevWay.depth != depth-1 {
						continue // extend only the ways one shorter: breadth first
					}
					w := &roleWay{start: st, depth: depth, prev: x.Principal.Role, creds: prevWay.creds, undecided: prevWay.undecided, missing: prevWay.missing}
					if x.Crosses&SessionWithoutMFA == 0 {
						// undecided at this step: the way is at best undecided
						w.undecided |= w.creds
						w.creds = 0
						w.missing = appendNew(append([]string{}, w.missing...), x.Missing...)
					}
					if add(i, w) {
						changed = true
					}
				}
			}
		}
		if !changed {
			break
		}
	}
	// the roles of a way, first to last
	rolesOf := func(r *Role, st *Assumer) []*Role {
		var rs []*Role
		for cur := r; cur != nil && len(rs) <= maxChain; {
			rs = append(rs, cur)
			cur = best[index[cur]][st].prev
		}
		for a, b := 0, len(rs)-1; a < b; a, b = a+1, b-1 {
			rs[a], rs[b] = rs[b], rs[a]
		}
		return rs
	}
	return &roleWayTable{best: best, order: order, roles: rolesOf}
}

// appendNew appends to list the values it does not hold.
func appendNew(list []string, values ...string) []string {
	for _, v := range values {
		found := false
		for _, l := range list {
			found = found || l == v
		}
		if !found {
			list = append(list, v)
		}
	}
	return list
}

// Exposure is a role that a principal outside the account can assume.
type Exposure struct {
	Role *Role
	// Assumer is the outside caller (AssumerExternal: another account,
	// one of its principals, "*"; AssumerFederated: an identity provider).
	Assumer *Assumer
	// Guards are the conditions of the trust statements that let it in,
	// "KEY OPERATOR VALUES" ("sts:ExternalId StringEquals partner-7f3a");
	// none for a role open to the caller without condition.
	Guards []string
}

// Exposure returns the roles that callers outside the account can assume
// (Reachability's external and federated callers that cross, or might),
// with the conditions that guard each crossing (sts:ExternalId, MFA,
// aws:PrincipalOrgID, ...), by role in dump order. The outside caller's
// own policies are not known: they are assumed to allow.
func (an *Analyzer) Exposure() ([]Exposure, error) {
	reach, err := an.Reachability()
	if err != nil {
		return nil, err
	}
	var out []Exposure
	for _, rr := range reach {
		for i := range rr.callers.entries {
			x := &rr.callers.entries[i]
			if x.Kind != AssumerExternal && x.Kind != AssumerFederated || x.Crosses|x.Undecided == 0 {
				continue
			}
			e := Exposure{Role: rr.Role, Assumer: x}
			if t := rr.Role.Trust; t != nil {
				idx := []int{}
				for _, m := range x.AllowedBy {
					idx = append(idx, m.Index)
				}
				if len(idx) == 0 {
					// undecided: no statement allowed yet; every Allow of
					// the trust policy may be the one
					for i, st := range t.Statements {
						if st.Effect == policy.Allow {
							idx = append(idx, i)
						}
					}
				}
				for _, i := range idx {
					if i < 0 || i >= len(t.Statements) {
						continue
					}
					for _, c := range t.Statements[i].Conditions {
						if !everyCallerMatches(c) {
							e.Guards = appendNew(e.Guards, clauseText(c))
						}
					}
				}
				// a Deny with conditions limits the Allow: it blocks
				// every caller its conditions match
				action := x.Action
				if action == "" {
					action = "sts:AssumeRole"
				}
				for _, st := range t.Statements {
					if st.Effect != policy.Deny || !st.Action.Covers(action, true) {
						continue
					}
					for _, c := range st.Conditions {
						if !everyCallerMatches(c) && !noCallerMatches(c) {
							e.Guards = appendNew(e.Guards, "denied when "+clauseText(c))
						}
					}
				}
			}
			out = append(out, e)
		}
	}
	return out, nil
}
