package main

import (
	"slices"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/request"
)

// Answers shared between actions.
//
// A principal of a real account can allow thousands of actions through one
// NotAction or "*" statement, and the engine decides a request for any of
// them from the statements whose Action covers it (its footprint). Two
// actions covered by the same statements of the principal's policies, when
// every one of those statements names the resource "*" and the engine
// holds no resource-based policy, are decided alike on every resource of
// the principal's account: the action enters a decision only through the
// statements that match it (and through the rules evaluator.ActionSpecific
// names, whose actions are not shared), and the resource only through the
// statements' Resource entries and its account. The analysis of such an
// action is then one request, decided once for every action of the same
// statements (account.Classifier.SharedClass, across principals too), and
// its rows are that request's, once for each resource a live request for
// the action can name: the instances of "*" for the action's resource types
// (mfa.Instances), as analyzeAction would have checked.

// sharedActions returns, for each action of names (cat their catalogue
// entries), the answer it shares with the other actions covered by the same
// statements of e, mapped to p's policies, or nil for an action analysed on
// its own: one the catalogue does not know, one a trust policy decides, one
// evaluator.ActionSpecific sets apart, or one covered by a statement that
// names a resource other than "*". It returns no answer when no action
// shares (sharedRuns.any).
func sharedActions(an *account.Analyzer, p *account.Principal, e *evaluator.Engine, names []string, cat []*catalog.Action, idx []int32, tab *mfa.StarTable,
	run *accountRun, classes *actionClasses, cl *account.Classifier, sc *requestScratch) sharedRuns {
	// the set of catalogue actions each statement of e covers, in the
	// engine's order (the order of a footprint's statements)
	covers := sc.covers[:0]
	for i := range e.NumPolicies() {
		d := e.Policy(i).Policy
		if !an.HeldByMany(d) {
			for _, st := range d.Statements {
				covers = append(covers, run.share.Covering(st.Action))
			}
			continue
		}
		covers = append(covers, run.covers.of(run.share, d)...)
	}
	sc.covers = covers
	// group the actions by the statements that cover them (a bit each),
	// and decide each group for its first action whose instances the
	// caller's account owns (instances.own); an action with an instance another account owns (an
	// ARN format whose account field holds something else) is decided on
	// its own: the request is cross-account
	const (
		unknown = iota // not yet looked at
		free           // the statements name "*" only: key and slots are its
		apart          // the statements tell resources apart
	)
	// the worker's room, left empty for the next principal
	groups := sc.groups[:0]
	defer func() {
		clear(groups)
		sc.groups = groups[:0]
	}()
	masks := map[string]int32{}
	mask := make([]byte, (len(covers)+7)/8)
	var out sharedRuns
	engine := func() *evaluator.Engine { return e }
	acct, owner := request.ParsePrincipal(p.Caller).Account, e.ResourceOwner()
	for i, a := range names {
		x := idx[i]
		// (a group is shared only without resource policies: ResourceFree)
		if x < 0 || isAssumeRole(a) || evaluator.ActionSpecific(a, false) {
			continue
		}
		w, bit := x/64, uint64(1)<<(x%64)
		clear(mask)
		for k, c := range covers {
			if c[w]&bit != 0 {
				mask[k/8] |= 1 << (k % 8)
			}
		}
		g, ok := masks[string(mask)]
		if !ok {
			g = int32(len(groups))
			masks[string(mask)] = g
			groups = append(groups, sharedGroup{})
		}
		gs := &groups[g]
		if gs.state == unknown {
			gs.state = apart
			// (with RCPs, or keys given that describe the resource,
			// another account's resource, which they may not reach or
			// describe, is decided otherwise: the action is analysed on
			// its own, its resources standing beside other accounts',
			// standInRow; the key is made only for a group that shares)
			if !run.rcps && !run.resourceKeys && cl.ResourceFreeFor(a) {
				key, slots := cl.SharedClass(a)
				gs.state, gs.key, gs.slots, gs.alone = free, string(key), slots, cl.OnlyMember()
			}
		}
		if gs.state != free || !ownStar(tab.Of(x, engine), acct, owner) {
			continue
		}
		if gs.part == nil {
			// a class nobody else is in is not kept
			c := &actionClass{}
			if !gs.alone {
				c = classes.Get([]byte(gs.key))
			}
			decided := false
			c.once.Do(func() {
				decided = true
				res := tab.Of(x, engine).List[0]
				analyzeAction(&c.part, an, p, e, a, cat[i], []string{res}, sc)
				c.slots = gs.slots
			})
			if decided {
				// counted again with every action the answer stands for
				an.CountDecisions(-c.part.decisions)
			}
			gs.part = c.part.mapped(c.slots, gs.slots)
		}
		out.set(i, gs.part)
	}
	return out
}

// mapped returns part with the statements it names made those of the
// policies to, of the same class as from, those of the member it was found
// for: part itself when they are the same policies.
func (part *actionPart) mapped(from, to account.Slots) *actionPart {
	if from.Same(to) {
		return part
	}
	var rep principalReport
	part.addTo(&rep, from, to)
	return &actionPart{rows: part.rows, decisions: part.decisions, findings: rep.findings, blocked: rep.blocked,
		unchecked: rep.unchecked, incomplete: rep.incomplete}
}

// expand adds to rep the rows of a shared answer for action: part's rows
// (those of one request) once for each of resources.
func (part *actionPart) expand(rep *principalReport, action string, resources []string) {
	// room for every row at once, not grown row by row
	n := len(resources)
	rep.findings = slices.Grow(rep.findings, n*len(part.findings))
	rep.incomplete = slices.Grow(rep.incomplete, n*len(part.incomplete))
	rep.blocked = slices.Grow(rep.blocked, n*len(part.blocked))
	for _, res := range resources {
		rep.rows += part.rows
		rep.decisions += part.decisions
		for _, f := range part.findings {
			f.action, f.resource = action, res
			rep.findings = append(rep.findings, f)
		}
		for _, r := range part.incomplete {
			r.action, r.resource = action, res
			rep.incomplete = append(rep.incomplete, r)
		}
		for _, b := range part.blocked {
			b.action, b.resource = action, res
			rep.blocked = append(rep.blocked, b)
		}
	}
}

// ownStar reports whether account acct owns every instance of st, as an
// engine whose resource owner is owner decides it (mfa.OwnedBy).
func ownStar(st *mfa.Star, acct, owner string) bool {
	if owner != "" && owner != acct {
		return mfa.OwnedBy(st.List, acct, owner)
	}
	return st.Own
}

// instances returns the resources that the shared answer of action i
// stands for a request on each of (principalReport.shared).
func (rep *principalReport) instances(i int) []string {
	return rep.stars.Of(rep.idx[i], func() *evaluator.Engine { return rep.engine }).List
}

// findingRows is the number of rep's findings, a shared answer's once for
// each resource it stands for.
func (rep *principalReport) findingRows() int {
	n := len(rep.findings)
	rep.shared.each(func(i int, part *actionPart) { n += len(part.findings) * len(rep.instances(i)) })
	return n
}

// incompleteRows is findingRows of the incomplete results.
func (rep *principalReport) incompleteRows() int {
	n := len(rep.incomplete)
	rep.shared.each(func(i int, part *actionPart) { n += len(part.incomplete) * len(rep.instances(i)) })
	return n
}

// eachFinding calls fn for rep's findings in the order of its actions: a
// finding of its own with resources nil (the row is f's action and
// resource), a shared answer's once with the action and the resources it
// stands for (a row on each).
func (rep *principalReport) eachFinding(fn func(action string, f *accountFinding, resources []string)) {
	eachRow(rep, rep.findings, func(f *accountFinding) string { return f.action },
		func(part *actionPart) []accountFinding { return part.findings }, fn)
}

// eachIncomplete is eachFinding of the incomplete results.
func (rep *principalReport) eachIncomplete(fn func(action string, r *incompleteRow, resources []string)) {
	eachRow(rep, rep.incomplete, func(r *incompleteRow) string { return r.action },
		func(part *actionPart) []incompleteRow { return part.incomplete }, fn)
}

// eachRow walks rep's rows of one kind in the order of its actions: own,
// rep's own rows (in step with its actions, action naming each one's), and
// of each shared answer those of, the rows standing for each instance.
func eachRow[T any](rep *principalReport, own []T, action func(*T) string, of func(*actionPart) []T, fn func(action string, r *T, resources []string)) {
	k := 0
	if rep.shared.any() {
		for i, name := range rep.names {
			if part := rep.shared.at(i); part != nil {
				rows := of(part)
				for j := range rows {
					fn(name, &rows[j], rep.instances(i))
				}
				continue
			}
			for ; k < len(own) && action(&own[k]) == name; k++ {
				fn(name, &own[k], nil)
			}
		}
	}
	for ; k < len(own); k++ {
		fn(action(&own[k]), &own[k], nil)
	}
}

// sharedGroup is what sharedActions knows of the actions covered by one
// set of statements.
type sharedGroup struct {
	state int
	key   string
	slots account.Slots
	part  *actionPart
	// alone: the principal is the class's only member
	// (account.Classifier.OnlyMember)
	alone bool
}

// sharedRuns are the shared answers of a report's actions
// (principalReport.shared), by runs: the actions from starts[k] up to
// starts[k+1] (or end) share parts[k], nil for none; the actions from end
// on have none. Actions come in catalogue order, and those of a service
// mostly share one answer: over the catalogue a principal checks eleven
// thousand actions, whose answers a few hundred runs hold.
type sharedRuns struct {
	starts []int32
	parts  []*actionPart
	end    int32
	// last is the run at last found
	last int
}

// set gives action i answer part, not nil. Actions are given theirs in
// ascending order, each once; an action not given one has none.
func (s *sharedRuns) set(i int, part *actionPart) {
	at, n := int32(i), len(s.parts)
	switch {
	case n > 0 && s.end == at && s.parts[n-1] == part:
		// the run goes on
	case s.end == at:
		s.starts, s.parts = append(s.starts, at), append(s.parts, part)
	default:
		// a run of actions without one before it
		s.starts, s.parts = append(s.starts, s.end, at), append(s.parts, nil, part)
	}
	s.end = at + 1
}

// at returns the answer of action i, nil for none. Its callers ask for
// one action after the next: the run of the last answer is tried first.
func (s *sharedRuns) at(i int) *actionPart {
	if i < 0 || i >= int(s.end) {
		return nil
	}
	k := s.last
	if !s.holds(k, i) {
		k++
		if !s.holds(k, i) {
			// starts[0] is 0
			var found bool
			if k, found = slices.BinarySearch(s.starts, int32(i)); !found {
				k--
			}
		}
		s.last = k
	}
	return s.parts[k]
}

// holds reports whether run k holds action i (< end).
func (s *sharedRuns) holds(k, i int) bool {
	return k < len(s.starts) && int(s.starts[k]) <= i && (k+1 == len(s.starts) || i < int(s.starts[k+1]))
}

// any reports whether some action has an answer.
func (s *sharedRuns) any() bool { return s.end > 0 }

// each calls fn with each action that has an answer, in order, and the
// answer.
func (s *sharedRuns) each(fn func(i int, part *actionPart)) {
	for k, part := range s.parts {
		if part == nil {
			continue
		}
		to := s.end
		if k+1 < len(s.starts) {
			to = s.starts[k+1]
		}
		for i := s.starts[k]; i < to; i++ {
			fn(int(i), part)
		}
	}
}
