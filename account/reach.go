package account

import (
	"runtime"
	"sync"
)

// ReachStatus says how a role can be reached: whether someone can get a
// session of it, and whether MFA is needed somewhere on the way. The
// statuses are ordered from the strictest to the loosest.
type ReachStatus uint8

// The statuses.
const (
	// ReachNone: no caller can get a session of the role.
	ReachNone ReachStatus = iota
	// ReachOnlyWithMFA: every caller that can get a session needs MFA to
	// do so (at the AssumeRole call, or to get the role it chains from).
	ReachOnlyWithMFA
	// ReachUndecided: no caller can definitely get a session without MFA,
	// but one might: its decision needed context keys not given.
	ReachUndecided
	// ReachWithoutMFA: some caller can get a session without MFA.
	ReachWithoutMFA
)

var reachNames = [...]string{"unreachable", "only-with-mfa", "undecided", "without-mfa"}

// String returns "unreachable", "only-with-mfa", "undecided" or
// "without-mfa".
func (s ReachStatus) String() string {
	if int(s) < len(reachNames) {
		return reachNames[s]
	}
	return "unknown"
}

// Path is one caller through which a role can be reached, and what it
// gives: ReachWithoutMFA, ReachUndecided or ReachOnlyWithMFA.
type Path struct {
	Assumer *Assumer
	Status  ReachStatus
}

// RoleReach is how a role can be reached.
type RoleReach struct {
	Role *Role
	// Status is the loosest status of its paths (ReachNone without any).
	Status ReachStatus
	// Paths are the callers that reach it, in Assumers order.
	Paths []Path
	// Assumers are every caller Assumers returned for the role, including
	// sessions of roles that are themselves unreachable.
	Assumers []Assumer
}

// callerRef is one decision of a caller on a role: the role's index and
// the caller's among the role's callers.
type callerRef struct {
	role, caller int
}

// allCallers returns the callers of every role (Assumers), in dump order,
// deciding them on all cores the first time it is called.
func (an *Analyzer) allCallers() ([][]Assumer, error) {
	an.callersOnce.Do(func() {
		an.callers, an.callersErr = an.decideAllCallers()
		if an.callersErr != nil {
			return
		}
		an.byCaller = map[string][]callerRef{}
		for i, xs := range an.callers {
			for j := range xs {
				if x := &xs[j]; x.Principal != nil {
					an.byCaller[x.Caller] = append(an.byCaller[x.Caller], callerRef{i, j})
				}
			}
		}
	})
	return an.callers, an.callersErr
}

// decideAllCallers is Assumers for every role at once, principal by
// principal, so that each principal's policies are compiled once and
// joined with each trust policy (evaluator.Engine.WithResourcePolicy), not
// compiled again for every role: the principals on all cores, then the
// entry points of each role.
func (an *Analyzer) decideAllCallers() ([][]Assumer, error) {
	return an.decideCallers(an.acct.Roles)
}

// decideCallers is decideAllCallers for the roles given: their callers, in
// the order of roles.
func (an *Analyzer) decideCallers(roles []*Role) ([][]Assumer, error) {
	principals := an.acct.Principals()
	type hit struct {
		role int
		x    Assumer
	}
	hits := make([][]hit, len(principals))
	errs := make([]error, len(principals))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), max(len(principals), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p := principals[i]
				base := an.callerEngine(p)
				caller := dumpAssumer(p)
				for ri, r := range roles {
					x, err := an.decideDump(caller, r, base)
					if err != nil {
						errs[i] = err
						break
					}
					if x.kept() {
						hits[i] = append(hits[i], hit{ri, x})
					}
				}
			}
		}()
	}
	for i := range principals {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	// each role's callers in one allocation of their number; each
	// principal's hits freed once copied
	count := make([]int, len(roles))
	for _, hs := range hits {
		for _, h := range hs {
			count[h.role]++
		}
	}
	callers := make([][]Assumer, len(roles))
	for ri, n := range count {
		if n > 0 {
			callers[ri] = make([]Assumer, 0, n)
		}
	}
	for i, hs := range hits {
		for _, h := range hs {
			callers[h.role] = append(callers[h.role], h.x)
		}
		hits[i] = nil
	}
	for ri, r := range roles {
		entries, err := an.entryPointsDecided(r)
		if err != nil {
			return nil, err
		}
		callers[ri] = append(callers[ri], entries...)
	}
	return callers, nil
}

// Reachability returns how each role of the account can be reached, in
// dump order. A caller outside a role chain (a user, a service, an
// identity provider, an external principal) reaches a role without MFA
// when it crosses the role's trust policy with long-term keys or a session
// without MFA, and only with MFA when it crosses only with MFA; undecided
// crossings are undecided. A session of another role crosses without MFA
// or not at all (SPEC 6.2), so it reaches the role as that other role is
// reached: without MFA only if that role is reachable without MFA, only
// with MFA if reaching that role needed MFA, not at all if nobody can get
// that role. The statuses are the least fixed point of these rules, so
// roles that only trust each other are unreachable.
func (an *Analyzer) Reachability() ([]*RoleReach, error) {
	callers, err := an.allCallers()
	if err != nil {
		return nil, err
	}
	return reachOf(an.acct.Roles, callers), nil
}

// ReachabilityOf is Reachability for the roles given, in their order:
// each answer is the one Reachability gives for that role. It decides the
// callers of those roles and, following role chains backwards, of every
// role whose sessions may call one of them (those roles' answers decide
// theirs), not of every role of the account: with a few roles it costs a
// few passes over the principals, where Reachability costs one per role.
func (an *Analyzer) ReachabilityOf(roles ...*Role) ([]*RoleReach, error) {
	var all []*Role
	var callers [][]Assumer
	seen := map[*Role]bool{}
	next := []*Role{}
	for _, r := range roles {
		if !seen[r] {
			seen[r] = true
			next = append(next, r)
		}
	}
	for len(next) > 0 {
		cs, err := an.decideCallers(next)
		if err != nil {
			return nil, err
		}
		all, callers = append(all, next...), append(callers, cs...)
		next = nil
		for _, xs := range cs {
			for i := range xs {
				if x := &xs[i]; x.Kind == AssumerRole && !seen[x.Principal.Role] {
					seen[x.Principal.Role] = true
					next = append(next, x.Principal.Role)
				}
			}
		}
	}
	byRole := map[*Role]*RoleReach{}
	for _, rr := range reachOf(all, callers) {
		byRole[rr.Role] = rr
	}
	out := make([]*RoleReach, len(roles))
	for i, r := range roles {
		out[i] = byRole[r]
	}
	return out, nil
}

// reachOf is the reachability of roles, whose callers are callers (in the
// same order); the sessions of every role a caller is are among roles.
func reachOf(roles []*Role, callers [][]Assumer) []*RoleReach {
	out := make([]*RoleReach, len(roles))
	index := make(map[*Role]int, len(roles))
	for i, r := range roles {
		out[i] = &RoleReach{Role: r, Assumers: callers[i]}
		index[r] = i
	}

	status := make([]ReachStatus, len(roles))
	path := func(x *Assumer) ReachStatus {
		var s ReachStatus
		switch {
		case x.Crosses.WithoutMFA():
			s = ReachWithoutMFA
		case x.Undecided.WithoutMFA():
			s = ReachUndecided
		case (x.Crosses|x.Undecided)&WithMFA != 0:
			s = ReachOnlyWithMFA
		}
		if x.Kind == AssumerRole {
			s = min(s, status[index[x.Principal.Role]])
		}
		return s
	}
	for changed := true; changed; {
		changed = false
		for i, rr := range out {
			var s ReachStatus
			for j := range rr.Assumers {
				s = max(s, path(&rr.Assumers[j]))
			}
			if s != status[i] {
				status[i], changed = s, true
			}
		}
	}
	for i, rr := range out {
		rr.Status = status[i]
		for j := range rr.Assumers {
			if s := path(&rr.Assumers[j]); s != ReachNone {
				rr.Paths = append(rr.Paths, Path{Assumer: &rr.Assumers[j], Status: s})
			}
		}
	}
	return out
}
