package account

import (
	"strings"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/request"
)

// The roles a resource can name that the dump does not hold (RoleAccess's
// Outside).
const (
	OutsideOtherAccounts = "roles of other accounts, whose trust policies are not in the dump"
	OutsideMissingRole   = "a role of this account the dump does not hold (deleted, or not yet created): its trust policy is not in the dump"
)

// RoleCrossing is a principal's decision on one role: the principal as a
// caller of the role, as Assumers decides it.
type RoleCrossing struct {
	Role *Role
	Assumer
}

// UndecidedRole is a role a principal might cross into without MFA: the
// credential states Undecided might cross, whether they do depending on
// Missing, context keys not given (shared: not to be modified).
type UndecidedRole struct {
	Role      *Role
	Undecided Credentials
	Missing   []string
}

// RoleAccess is what a principal's request for sessions of the roles a
// resource names gets (AssumeRole).
type RoleAccess struct {
	// Matches are the roles of the dump the resource matches, in dump
	// order (shared: not to be modified); Matched is their number.
	Matches []*Role
	Matched int
	// Roles are the principal's decisions on those of them it crosses
	// under some credential state, or might (Crosses or Undecided not
	// empty), in dump order. Every other role matched denies it under
	// every state.
	Roles []RoleCrossing
	// Undecided, from AssumeRoleWithoutMFA only, are the roles p might
	// cross into without MFA but does not definitely (Crosses.WithoutMFA
	// false, Undecided.WithoutMFA true), in dump order; Roles then leaves
	// them out.
	Undecided []UndecidedRole
	// Outside, when not empty, says which roles the resource can name
	// that the dump does not hold: OutsideOtherAccounts, or
	// OutsideMissingRole. Their trust policies are not known, so whether
	// the request gets a session of one is not decided: only the
	// principal's own side of it is known, which its engine without a
	// resource policy (Engine(p, nil)) decides on the resource, the
	// request's ResourceAccount set to the account's.
	Outside string
}

// roleMatch is the roles of the dump a resource matches and what it names
// beyond them.
type roleMatch struct {
	roles []*Role
	// set holds roles, or is nil when they are every role of the dump
	set     map[*Role]bool
	outside string
}

func (m *roleMatch) has(r *Role) bool { return m.set == nil || m.set[r] }

// match returns the roles resource matches, worked out once per resource.
func (an *Analyzer) match(resource string) *roleMatch {
	an.matchMu.Lock()
	m, ok := an.matches[resource]
	an.matchMu.Unlock()
	if ok {
		return m
	}
	m = an.acct.matchRoles(resource)
	an.matchMu.Lock()
	an.matches[resource] = m
	an.matchMu.Unlock()
	return m
}

// matchRoles works out the roles resource matches: as an ARN pattern ('*'
// and '?' wildcards), the roles of the dump whose ARNs it matches, and
// whether it can name a role of another account (its partition or account
// is another, or a wildcard) or is the ARN of a role of this account that
// the dump does not hold. "*" matches every role, of this account and of
// others. A resource that can name no role ARN (an S3 ARN, say) matches
// nothing.
func (a *Account) matchRoles(resource string) *roleMatch {
	m := &roleMatch{}
	if resource == "*" {
		m.roles, m.outside = a.Roles, OutsideOtherAccounts
		return m
	}
	parts, ok := request.SplitARN(resource)
	if !ok {
		return m
	}
	wild := func(s string) bool { return strings.ContainsAny(s, "*?") }
	matches := func(pattern, s string) bool {
		p := condition.CompilePattern(pattern, condition.PatternOptions{Wildcards: true})
		return p.Match(s, false, nil)
	}
	// a role's ARN is arn:PARTITION:iam::ACCOUNT:role/PATH/NAME
	lit := parts[5]
	if i := strings.IndexAny(lit, "*?"); i >= 0 {
		lit = lit[:i]
	}
	if !matches(parts[2], "iam") || !matches(parts[3], "") || !strings.HasPrefix(lit, "role/") && !strings.HasPrefix("role/", lit) {
		return m
	}
	partition := a.partition
	if partition == "" {
		partition = "aws"
	}
	ours := matches(parts[1], partition) && (parts[4] == "" || matches(parts[4], a.ID))
	switch {
	case ours && !wild(resource):
		if r, ok := a.Role(resource); ok {
			m.roles = []*Role{r}
		} else {
			m.outside = OutsideMissingRole
		}
	case ours:
		p := condition.CompilePattern(resource, condition.PatternOptions{Wildcards: true})
		m.set = map[*Role]bool{}
		for _, r := range a.Roles {
			if p.Match(r.ARN, false, nil) {
				m.roles = append(m.roles, r)
				m.set[r] = true
			}
		}
	}
	if parts[1] != partition || parts[4] != "" && parts[4] != a.ID {
		// another partition or account, or any account
		m.outside = OutsideOtherAccounts
	}
	if m.set == nil && len(m.roles) != len(a.Roles) {
		m.set = map[*Role]bool{}
		for _, r := range m.roles {
			m.set[r] = true
		}
	}
	return m
}

// AssumeRole decides p's request for sessions of the roles resource names,
// action being sts:AssumeRole or another action a trust policy decides:
// against the trust policy of each role of the dump resource matches (a
// role ARN, a pattern such as arn:aws:iam::ACCOUNT:role/*, or "*", which
// matches every role), as Assumers decides p as a caller of that role. An
// identity policy alone never grants sts:AssumeRole (SPEC 5.2: the trust
// policy must allow the principal), so nothing is decided on p's own
// policies alone: the roles resource can name that the dump does not hold
// are said in Outside, undecided.
//
// With Options.ShareCallers, p's decisions on sts:AssumeRole are read from
// the callers of every role, decided once for all (the first call decides
// them, on all cores); otherwise p is decided against each role matched.
func (an *Analyzer) AssumeRole(p *Principal, action, resource string) (RoleAccess, error) {
	return an.assumeRole(p, action, resource, false)
}

// AssumeRoleWithoutMFA is AssumeRole with Roles holding only the roles p
// crosses into, or might, with a credential state that carries no MFA
// (Credentials.WithoutMFA): what a session without MFA can get. With
// Options.ShareCallers, the roles p crosses into only with MFA are not
// made at all: in an account whose roles trust the whole account and ask
// for MFA, those are most of the pairs. The roles p crosses into without
// MFA only undecided are in Undecided, said briefly (what might cross, on
// which keys), not in Roles: in such an account, when a key the identity
// policies read is not given, those are the rest of the pairs.
func (an *Analyzer) AssumeRoleWithoutMFA(p *Principal, action, resource string) (RoleAccess, error) {
	return an.assumeRole(p, action, resource, true)
}

// EachRoleWithoutMFA is AssumeRoleWithoutMFA without making its lists:
// the RoleAccess it returns has Matches, Matched and Outside, and no Roles
// or Undecided; each role that would be in Roles is given to crossing, and
// each that would be in Undecided to undecided, in the same order. A
// caller that reads each role once (every user of a large account, each
// asking about thousands of roles) makes nothing for those it skips.
func (an *Analyzer) EachRoleWithoutMFA(p *Principal, action, resource string, crossing func(RoleCrossing), undecided func(UndecidedRole)) (RoleAccess, error) {
	return an.eachRole(p, action, resource, true, crossing, undecided)
}

// mayCrossWithoutMFA reports whether some answer of a role principal at
// reaches (rolesOf) crosses without MFA or may (answers are
// memberMaker's): when none does, eachRole asking for those finds none,
// without a walk over the roles of its group. Made once per group, after
// every role's callers are decided (allCallers).
func (an *Analyzer) mayCrossWithoutMFA(at int32, answers []*callerClassAnswer) bool {
	without := func(ans int32) bool {
		x := &answers[ans].x
		return x.Crosses.WithoutMFA() || x.Undecided.WithoutMFA()
	}
	an.withoutMFAOnce.Do(func() {
		an.groupWithoutMFA = make([]bool, len(an.byGroup))
		for gi, hs := range an.byGroup {
			for _, h := range hs {
				if without(h.ans) {
					an.groupWithoutMFA[gi] = true
					break
				}
			}
		}
	})
	if gi := an.callerGroups.of[at]; gi >= 0 && an.groupWithoutMFA[gi] {
		return true
	}
	for _, o := range an.byPrincipal[at] {
		if o.ans >= 0 && without(o.ans) {
			return true
		}
	}
	return false
}

func (an *Analyzer) assumeRole(p *Principal, action, resource string, withoutMFA bool) (RoleAccess, error) {
	var roles []RoleCrossing
	var und []UndecidedRole
	ra, err := an.eachRole(p, action, resource, withoutMFA,
		func(c RoleCrossing) { roles = append(roles, c) },
		func(u UndecidedRole) { und = append(und, u) })
	ra.Roles, ra.Undecided = roles, und
	return ra, err
}

// eachRole is assumeRole, giving the roles of Roles to crossing and those
// of Undecided to undecided.
func (an *Analyzer) eachRole(p *Principal, action, resource string, withoutMFA bool, crossing func(RoleCrossing), undecided func(UndecidedRole)) (RoleAccess, error) {
	m := an.match(resource)
	ra := RoleAccess{Matches: m.roles, Matched: len(m.roles), Outside: m.outside}
	if len(m.roles) == 0 {
		return ra, nil
	}
	if an.opts.ShareCallers && strings.EqualFold(action, "sts:AssumeRole") {
		if _, err := an.allCallers(); err != nil {
			return ra, err
		}
		at := an.indexOf(p)
		if at < 0 {
			return ra, nil
		}
		mk := an.memberMaker()
		if withoutMFA && !an.mayCrossWithoutMFA(at, mk.answers) {
			return ra, nil // no role it reaches admits it without MFA, or might
		}
		for ref := range an.rolesOf(at) {
			r := an.acct.Roles[ref.at]
			if !m.has(r) {
				continue
			}
			switch x := &mk.answers[ref.ans].x; {
			case !withoutMFA || x.Crosses.WithoutMFA():
				crossing(RoleCrossing{Role: r, Assumer: mk.assumer(at, ref.ans, r)})
			case x.Undecided.WithoutMFA():
				undecided(UndecidedRole{Role: r, Undecided: x.Undecided, Missing: x.Missing})
			}
		}
		return ra, nil
	}
	x := dumpAssumer(p)
	x.Action = action
	base := an.callerEngine(p)
	for _, r := range m.roles {
		d, err := an.decideDump(x, r, base)
		if err != nil {
			return ra, err
		}
		switch {
		case !d.kept():
		case !withoutMFA || d.Crosses.WithoutMFA():
			crossing(RoleCrossing{Role: r, Assumer: d})
		case d.Undecided.WithoutMFA():
			undecided(UndecidedRole{Role: r, Undecided: d.Undecided, Missing: d.Missing})
		}
	}
	return ra, nil
}
