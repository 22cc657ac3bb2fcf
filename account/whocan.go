package account

import (
	"strings"

	"github.com/iameval/iameval/evaluator"
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
	// Bypass says Start is a user of the dump whose own policies do not
	// allow the request without MFA (they deny it, or need MFA), while
	// this way through roles gets it done without MFA: the classic MFA
	// bypass through a trust policy that asks for no MFA.
	Bypass bool
}

// stateDecision is a decision under one credential state.
type stateDecision struct {
	c Credentials
	d evaluator.Decision
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
	trust := an.acct.TrustPolicy(action, resource)
	direct := map[*Principal]Access{}
	var out []Access
	roleCan := map[*Role]*Access{}
	for _, p := range an.acct.Principals() {
		e, err := an.Engine(p, trust)
		if err != nil {
			return nil, err
		}
		r := an.Analyze(e, an.LiveRequest(p, action, resource))
		a := Access{Start: &Assumer{Kind: AssumerUser, Name: p.String(), Caller: p.Caller, Principal: p}}
		// a role signs only as a session, which carries no MFA
		decided := []stateDecision{{SessionWithoutMFA, r.SessionWithoutMFA}}
		if p.Kind == KindUser {
			decided = append(decided, stateDecision{LongTermKeys, r.LongTermKeys}, stateDecision{WithMFA, r.Fresh})
		} else {
			a.Start.Kind = AssumerRole
		}
		for _, x := range decided {
			switch {
			case x.d.Allowed():
				a.Credentials |= x.c
				if a.AllowedBy == nil {
					a.AllowedBy = x.d.MatchedStatements()
				}
			default:
				// the MFA keys are the credential state's, never missing
				var missing []string
				for _, k := range x.d.MissingContextValues() {
					if !strings.EqualFold(k, request.KeyMultiFactorAuthPresent) && !strings.EqualFold(k, request.KeyMultiFactorAuthAge) {
						missing = append(missing, k)
					}
				}
				if len(missing) > 0 {
					a.Undecided |= x.c
					a.Missing = appendNew(a.Missing, missing...)
				}
			}
		}
		direct[p] = a
		if a.Credentials|a.Undecided == 0 {
			continue
		}
		out = append(out, a)
		if p.Kind == KindRole {
			roleCan[p.Role] = &out[len(out)-1]
		}
	}
	if len(roleCan) == 0 {
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
	// the ways into a role: each caller that crosses its trust policy, and
	// for a role session, the ways into that role first
	var into func(r *Role, depth int, seen map[*Role]bool) []Access
	into = func(r *Role, depth int, seen map[*Role]bool) []Access {
		rr := byRole[r]
		if rr == nil || depth > maxChain || seen[r] {
			return nil
		}
		seen[r] = true
		defer delete(seen, r)
		var ways []Access
		for i := range rr.Assumers {
			x := &rr.Assumers[i]
			if x.Crosses|x.Undecided == 0 {
				continue
			}
			if x.Kind != AssumerRole {
				ways = append(ways, Access{Start: x, Roles: []*Role{r}, Credentials: x.Crosses, Undecided: x.Undecided, Missing: x.Missing})
				continue
			}
			// a session of another role: it must itself be reached, and
			// its session (no MFA) cross
			if (x.Crosses|x.Undecided)&SessionWithoutMFA == 0 {
				continue
			}
			for _, w := range into(x.Principal.Role, depth+1, seen) {
				w.Roles = append(append([]*Role{}, w.Roles...), r)
				if x.Crosses&SessionWithoutMFA == 0 {
					// undecided at this hop: the way is at best undecided
					w.Undecided |= w.Credentials
					w.Credentials = 0
					w.Missing = appendNew(w.Missing, x.Missing...)
				}
				ways = append(ways, w)
			}
		}
		return ways
	}
	for _, r := range an.acct.Roles {
		last := roleCan[r]
		if last == nil {
			continue
		}
		for _, w := range into(r, 1, map[*Role]bool{}) {
			w.AllowedBy = last.AllowedBy
			if last.Credentials&SessionWithoutMFA == 0 {
				w.Undecided |= w.Credentials
				w.Credentials = 0
				w.Missing = appendNew(w.Missing, last.Missing...)
			}
			if p := w.Start.Principal; p != nil && p.Kind == KindUser && w.Credentials.WithoutMFA() && !direct[p].Credentials.WithoutMFA() {
				w.Bypass = true
			}
			out = append(out, w)
		}
	}
	return out, nil
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
