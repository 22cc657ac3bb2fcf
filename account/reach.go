package account

import "slices"

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
//
// A role's callers are kept compactly, each principal of the dump as a
// reference to the answer of its class of callers (who-can-reach is a
// question about every caller and role, and thousands of users share an
// answer): Assumers and Paths make them on each call.
type RoleReach struct {
	Role *Role
	// Status is the loosest status of its paths (ReachNone without any).
	Status ReachStatus

	an      *Analyzer
	callers *roleCallers
	state   *reachState
}

// Assumers returns every caller Assumers returns for the role, including
// sessions of roles that are themselves unreachable: the principals of the
// dump in dump order, then the callers outside it in policy order. The
// slice is made on each call; keep it rather than calling again.
func (rr *RoleReach) Assumers() []Assumer { return rr.assumers(false) }

// Paths returns the callers that reach the role, in Assumers order, each
// with what it gives. Each Path's Assumer is an element of one slice made
// on each call; keep the result rather than calling again.
func (rr *RoleReach) Paths() []Path { return rr.paths(false) }

// PathsBrief is Paths without the statements that let each caller in:
// AllowedBy is nil, the rest as Paths makes it. It spares naming each
// caller's own copies of the statements where they are not shown.
func (rr *RoleReach) PathsBrief() []Path { return rr.paths(true) }

// assumers makes Assumers, without AllowedBy when brief.
func (rr *RoleReach) assumers(brief bool) []Assumer {
	out := make([]Assumer, 0, rr.NumAssumers())
	rr.eachAssumer(brief, nil, func(x *Assumer) bool {
		out = append(out, *x)
		return true
	})
	return out
}

// eachAssumer calls fn with each caller Assumers returns, in order, made
// into an Assumer that is valid until fn returns and that fn must not
// change; without AllowedBy when brief. It stops when fn returns false.
//
// show, when not nil, says before each member whether fn shows a path of
// its status (EachPathShowing): a member of a brief answer it does not show
// is left with the names of the user before it of the same answer.
func (rr *RoleReach) eachAssumer(brief bool, show func(ReachStatus) bool, fn func(x *Assumer) bool) {
	mk := rr.an.memberMaker()
	mk.brief = brief
	x := new(Assumer)
	stop := false
	// brief, the members of one answer differ only in their names
	// (callerClassAnswer.assumer, setCaller): each answer's caller is made
	// once, in a direct-mapped table, and a member's names set in it, for
	// a role of thousands of callers (a member whose answer's slot holds
	// another answer has its caller made anew, the same caller)
	var byAnswer *[answerSlots]answerCaller
	if brief {
		// the table and its callers are reused from call to call (the
		// path summaries read thousands of roles): nothing a call yields
		// outlives it, since a slot's caller changes from member to member
		byAnswer, _ = rr.an.answerTables.Get().(*[answerSlots]answerCaller)
		if byAnswer == nil {
			byAnswer = new([answerSlots]answerCaller)
		}
		for i := range byAnswer {
			byAnswer[i].ans = -1
		}
		defer rr.an.answerTables.Put(byAnswer)
	}
	rr.callers.each(rr.an.groups(), func(at, ans int32) {
		if stop {
			return
		}
		if !brief {
			*x = mk.assumer(at, ans, rr.Role)
			stop = !fn(x)
			return
		}
		slot := &byAnswer[uint32(ans)%answerSlots]
		switch {
		case slot.ans != ans:
			if slot.y == nil {
				slot.y = new(Assumer)
			}
			*slot.y = mk.assumer(at, ans, rr.Role)
			slot.ans = ans
		case !mk.answers[ans].exact:
			// the answer's status is every member's but a role
			// session's, which its own role's status bounds: a role
			// session, or a user after one, is made whole
			if show == nil || mk.roles[at] || slot.y.Kind == AssumerRole || show(crossingStatus(slot.y.Crosses, slot.y.Undecided)) {
				x := mk.caller(at)
				slot.y.setCaller(&x)
			}
		}
		stop = !fn(slot.y)
	})
	for i := 0; i < len(rr.callers.entries) && !stop; i++ {
		*x = rr.callers.entries[i]
		if brief {
			x.AllowedBy = nil
		}
		stop = !fn(x)
	}
}

// paths makes Paths, without AllowedBy when brief.
func (rr *RoleReach) paths(brief bool) []Path {
	xs := rr.assumers(brief)
	var out []Path
	for i := range xs {
		if s := rr.state.path(&xs[i]); s != ReachNone {
			out = append(out, Path{Assumer: &xs[i], Status: s})
		}
	}
	return out
}

// EachPath calls yield with each path Paths returns, in the same order,
// without making them all: the Path's Assumer is valid only until yield
// returns (copy it to keep it), and yield must not change it. brief leaves
// the statements out, as PathsBrief does. It stops when yield returns
// false. A role of a large account has thousands of callers: EachPath is
// how a report that shows a few of them and counts the rest reads them.
func (rr *RoleReach) EachPath(brief bool, yield func(Path) bool) {
	rr.EachPathShowing(brief, nil, yield)
}

// EachPathShowing is EachPath for a report that shows some of a role's
// paths and only counts the others (a role of thousands of callers): show
// says, before each path of a caller of the dump, whether the report shows
// a path of its status, nil that it shows every path. A path of a user it
// does not show holds the user's answer (Crosses, Undecided, Missing, the
// status) and what every user of the dump holds alike as a caller (Kind,
// Action, Tried, IdentityChecked: dumpAssumer), but another user's names
// (Name, Caller, Principal): for a role everyone in the account may assume,
// reading each of 20,000 callers' names for each such role is most of what
// such a report costs. A path of a role session, whose status depends on
// its own role, and of a caller outside the dump, is always whole.
func (rr *RoleReach) EachPathShowing(brief bool, show func(ReachStatus) bool, yield func(Path) bool) {
	rr.eachAssumer(brief, show, func(x *Assumer) bool {
		if s := rr.state.path(x); s != ReachNone {
			return yield(Path{Assumer: x, Status: s})
		}
		return true
	})
}

// answerSlots is how many answers' callers eachAssumer keeps at once.
const answerSlots = 256

// answerCaller is the caller eachAssumer made last for the answer ans
// (-1 for none yet).
type answerCaller struct {
	ans int32
	y   *Assumer
}

// roleSessions returns the callers of Assumers that are sessions of a
// role (AssumerRole), in Assumers order.
func (rr *RoleReach) roleSessions() []Assumer {
	var out []Assumer
	mk := rr.an.memberMaker()
	rr.callers.each(rr.an.groups(), func(at, ans int32) {
		if rr.an.principals[at].Kind == KindRole {
			out = append(out, mk.assumer(at, ans, rr.Role))
		}
	})
	for _, x := range rr.callers.entries {
		if x.Kind == AssumerRole {
			out = append(out, x)
		}
	}
	return out
}

// NumAssumers returns len(Assumers()) without making them.
func (rr *RoleReach) NumAssumers() int {
	return rr.callers.n + len(rr.callers.entries)
}

// pair is a principal of the dump among a role's callers: at is the
// principal's index (Analyzer.principals) in a role's list, the role's in a
// principal's list; ans indexes the answer of its class (Analyzer.answers).
type pair struct {
	at, ans int32
}

// reachState holds the statuses of the roles of one reachability answer,
// which the paths through their sessions read.
type reachState struct {
	index  map[*Role]int
	status []ReachStatus
}

// path is what x gives as a path into a role: by its own crossing, and for
// a role's session no more than that role's status.
func (st *reachState) path(x *Assumer) ReachStatus {
	s := crossingStatus(x.Crosses, x.Undecided)
	if x.Kind == AssumerRole {
		s = min(s, st.status[st.index[x.Principal.Role]])
	}
	return s
}

// crossingStatus is what a caller that crosses with crosses and might with
// undecided gives, leaving aside how it got its own credentials.
func crossingStatus(crosses, undecided Credentials) ReachStatus {
	switch {
	case crosses.WithoutMFA():
		return ReachWithoutMFA
	case undecided.WithoutMFA():
		return ReachUndecided
	case (crosses|undecided)&WithMFA != 0:
		return ReachOnlyWithMFA
	}
	return ReachNone
}

// dumpPrincipals returns the principals of the dump in Account.Principals
// order, made once: the callers' references index it.
func (an *Analyzer) dumpPrincipals() []*Principal {
	an.principalsOnce.Do(func() {
		an.principals = an.acct.Principals()
		an.principalAt = make(map[string]int32, len(an.principals))
		for i, p := range an.principals {
			an.principalAt[p.Caller] = int32(i)
		}
		an.assumeSlots = make([]*keptSlots, len(an.principals))
	})
	return an.principals
}

// Principals returns every principal of the account, as
// Account.Principals does, in a slice of the caller's own; the principals
// are those the analyzer keeps (made once for it), which its callers and
// answers name: they must not be modified.
func (an *Analyzer) Principals() []*Principal {
	return slices.Clone(an.dumpPrincipals())
}

// indexOf returns p's index in dumpPrincipals, or -1.
func (an *Analyzer) indexOf(p *Principal) int32 {
	an.dumpPrincipals()
	i, ok := an.principalAt[p.Caller]
	if !ok {
		return -1
	}
	if q := an.principals[i]; q.Kind != p.Kind || q.User != p.User || q.Role != p.Role {
		return -1
	}
	return i
}

// memberMaker makes the callers that principals are from their answers:
// the answers and slots as they are when it is made (every answer and
// slots a kept reference reads are there by then).
type memberMaker struct {
	an      *Analyzer
	answers []*callerClassAnswer
	slots   []*keptSlots
	// principals and names are the dump's principals and their callers'
	// names (dumpCaller)
	principals []*Principal
	names      []string
	// roles says which callers are sessions of a role (AssumerRole)
	roles []bool
	// brief leaves AllowedBy out (nil) rather than name each member's
	// own statements
	brief bool
}

func (an *Analyzer) memberMaker() memberMaker {
	an.classMu.Lock()
	answers := an.answers
	an.classMu.Unlock()
	an.slotsMu.Lock()
	slots := an.assumeSlots
	an.slotsMu.Unlock()
	names, roles := an.dumpCallers()
	return memberMaker{an: an, answers: answers, slots: slots, principals: an.dumpPrincipals(), names: names, roles: roles}
}

// caller is dumpAssumer of principal at.
func (mk *memberMaker) caller(at int32) Assumer {
	return dumpCaller(mk.principals[at], mk.names[at])
}

// assumer makes the caller that principal at is of role r, with the
// answer ans.
func (mk *memberMaker) assumer(at, ans int32, r *Role) Assumer {
	if mk.brief {
		return mk.answers[ans].assumer(mk.an, mk.caller(at), nil, true, r.Trust)
	}
	return mk.answers[ans].assumer(mk.an, mk.caller(at), mk.an.slotsFrom(mk.principals[at], mk.slots[at]), false, r.Trust)
}

// dumpCallers returns the names of dumpAssumer of each principal of
// dumpPrincipals, and which of them are sessions of a role, made once.
func (an *Analyzer) dumpCallers() ([]string, []bool) {
	principals := an.dumpPrincipals()
	an.dumpCallersOnce.Do(func() {
		an.dumpCallerNames = make([]string, len(principals))
		an.dumpCallerRoles = make([]bool, len(principals))
		for i, p := range principals {
			an.dumpCallerNames[i] = p.String()
			an.dumpCallerRoles[i] = p.Kind == KindRole
		}
	})
	return an.dumpCallerNames, an.dumpCallerRoles
}

// allCallers returns the callers of every role (Assumers), in dump order,
// deciding them on all cores the first time it is called, and keeps the
// roles each group and principal reaches (rolesOf).
func (an *Analyzer) allCallers() ([]roleCallers, error) {
	an.callersOnce.Do(func() {
		an.callers, an.byGroup, an.byPrincipal, an.callersErr = an.decideCallers(an.acct.Roles)
		// the classes' keys served deciding every pair; the answers
		// kept are in an.answers. A request decided later finds its
		// class afresh (decided again, counted alike).
		an.classMu.Lock()
		an.callerClasses = map[string]*callerClassAnswer{}
		an.classMu.Unlock()
	})
	return an.callers, an.callersErr
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
	return an.reachOf(an.acct.Roles, callers), nil
}

// Prepare makes at once what the analyzer otherwise makes on first use by
// reading every principal's documents: how many principals hold each
// statement (Classifier's classes) and, with Options.ShareCallers, every
// role's callers (Reachability's, which it returns the error of). Once it
// has returned, a question about a principal reads that principal's own
// inline documents and no other principal's (the documents of groups,
// managed policies and roles are read by many), but for RoleReach's
// Assumers and Paths, which name the statements of each assumer's own
// documents that allow it (PathsBrief and brief EachPath do not). A caller
// that will ask nothing more about a user may then let the user's own
// documents go, setting the entries of User.Inline to nil, as iameval mfa
// --account does after each user's report to keep its peak memory down.
// Without ShareCallers, Reachability and ReachabilityOf still read every
// caller's documents when first asked.
func (an *Analyzer) Prepare() error {
	an.statementHolders()
	an.rowHolders()
	if an.opts.ShareCallers {
		_, err := an.allCallers()
		return err
	}
	return nil
}

// ReachabilityOf is Reachability for the roles given, in their order:
// each answer is the one Reachability gives for that role. It decides the
// callers of those roles and, following role chains backwards, of every
// role whose sessions may call one of them (those roles' answers decide
// theirs), not of every role of the account: with a few roles it costs a
// few passes over the principals, where Reachability costs one per role.
func (an *Analyzer) ReachabilityOf(roles ...*Role) ([]*RoleReach, error) {
	var all []*Role
	var callers []roleCallers
	seen := map[*Role]bool{}
	next := []*Role{}
	for _, r := range roles {
		if !seen[r] {
			seen[r] = true
			next = append(next, r)
		}
	}
	principals := an.dumpPrincipals()
	for len(next) > 0 {
		cs, _, _, err := an.decideCallers(next)
		if err != nil {
			return nil, err
		}
		all, callers = append(all, next...), append(callers, cs...)
		next = nil
		for _, c := range cs {
			c.each(an.groups(), func(at, _ int32) {
				if p := principals[at]; p.Kind == KindRole && !seen[p.Role] {
					seen[p.Role] = true
					next = append(next, p.Role)
				}
			})
			for i := range c.entries {
				if x := &c.entries[i]; x.Kind == AssumerRole && x.Principal != nil && !seen[x.Principal.Role] {
					seen[x.Principal.Role] = true
					next = append(next, x.Principal.Role)
				}
			}
		}
	}
	byRole := map[*Role]*RoleReach{}
	for _, rr := range an.reachOf(all, callers) {
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
func (an *Analyzer) reachOf(roles []*Role, callers []roleCallers) []*RoleReach {
	st := &reachState{index: make(map[*Role]int, len(roles)), status: make([]ReachStatus, len(roles))}
	out := make([]*RoleReach, len(roles))
	for i, r := range roles {
		out[i] = &RoleReach{Role: r, an: an, callers: &callers[i], state: st}
		st.index[r] = i
	}
	// what each answer the members refer to gives by its own crossing
	// (every such answer was decided before its member was kept; others
	// may be being decided now, and are not read)
	an.classMu.Lock()
	answers := an.answers
	an.classMu.Unlock()
	const unknown = ReachStatus(255)
	own := make([]ReachStatus, len(answers))
	for i := range own {
		own[i] = unknown
	}
	ownOf := func(ans int32) ReachStatus {
		if own[ans] == unknown {
			c := answers[ans]
			own[ans] = crossingStatus(c.x.Crosses, c.x.Undecided)
		}
		return own[ans]
	}
	principals := an.principals
	roleAt := func(at int32) int {
		if p := principals[at]; p.Kind == KindRole {
			if i, ok := st.index[p.Role]; ok {
				return i
			}
		}
		return -1
	}
	g := an.groups()
	for changed := true; changed; {
		changed = false
		for i := range out {
			c := &callers[i]
			var s ReachStatus
			member := func(at, ans int32) {
				ms := ownOf(ans)
				if ms <= s {
					return
				}
				if q := roleAt(at); q >= 0 {
					ms = min(ms, st.status[q])
				}
				s = max(s, ms)
			}
			for _, ga := range c.groups {
				if ownOf(ga.ans) <= s {
					continue
				}
				for _, at := range g.members[ga.at] {
					if !c.isNamed(at) {
						member(at, ga.ans)
						if !g.roles[ga.at] {
							break // every member gives as much
						}
					}
				}
			}
			for _, m := range c.named {
				if m.ans >= 0 {
					member(m.at, m.ans)
				}
			}
			for j := range c.entries {
				s = max(s, st.path(&c.entries[j]))
			}
			if s != st.status[i] {
				st.status[i], changed = s, true
			}
		}
	}
	for i, rr := range out {
		rr.Status = st.status[i]
	}
	return out
}
