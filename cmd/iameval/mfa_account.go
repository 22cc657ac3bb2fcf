package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/internal/keyhash"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// principalReport is the MFA analysis of one user or role: every sensitive
// action it can do without MFA, and how, and what could not be checked.
type principalReport struct {
	principal *account.Principal
	// the rows: rows is the number of action x resource requests
	// analysed, decisions the number of requests decided for them;
	// findings are the requests allowed without MFA (for a user with
	// long-term keys or a session without MFA, for a role in a session);
	// blocked are a role's requests its own policies allow only with
	// MFA, which no session of it carries; unchecked are the Resource
	// entries that could not be rendered for this principal; incomplete
	// the results (other than findings) that depend on context keys not
	// given
	actionPart
	// outside are the requests for roles the dump does not hold that the
	// principal's own policies let through without MFA, or might
	outside []outsideRow
	// names are the actions checked, cat their catalogue entries (nil
	// for one the catalogue does not know); unknown the Action entries of
	// the principal's policies the catalogue does not know, when the
	// actions came from them
	names   []string
	cat     []*catalog.Action
	unknown []string
	// shared, when the results are summarised, holds for each action of
	// names whose answers it shares with other actions (sharedActions) the
	// answer: the rows of one request, which stand for a request on each
	// of instances(i); nil for the other actions, whose rows are in
	// findings, incomplete and blocked. stars are the instances of "*" of
	// the principal's account (mfa.StarTable), idx the actions' places in
	// it, engine the principal's engine.
	shared sharedRuns
	stars  *mfa.StarTable
	idx    []int32
	engine *evaluator.Engine
	// sum is the report per access level and service
	sum *principalSummary
	err error
}

// accountRun is what the analyses of every principal share: the actions
// given (wildcards expanded) and their catalogue entries, or, without
// --action, reach, which finds the actions each principal's own policies
// can allow; the resources given.
type accountRun struct {
	names  []string
	cat    []*catalog.Action
	reach  *mfa.Reach
	levels catalog.AccessLevel
	given  []string
	// share tells which actions share answers (sharedActions): the
	// catalogue's actions, with the statements that cover each; idx the
	// places of names in it (-1 for an action it does not know); insts the
	// instances of "*" for each action; summarised says the results are
	// said per service and access level, so that shared answers stay
	// shared in the report
	share      *mfa.Reach
	idx        []int32
	insts      *mfa.StarInstances
	summarised bool
	// memo keeps the instances of the policies' Resource entries for
	// every principal (mfa.InstanceMemo)
	memo *mfa.InstanceMemo
	// rcps says the run has RCPs (--rcp); resourceKeys that --context
	// gives a key that describes the resource (mfa.ResourceKey)
	rcps, resourceKeys bool
	// rows keeps the answers of the classes of single requests
	// (account.Classifier.RowClass) of every principal; nil when each
	// principal is decided by itself
	rows *actionClasses
	// templates keeps the answers of the template classes
	// (account.Classifier.TemplateClass) of every user, with the name of
	// the user each was found for; vocab the catalogue's texts of each
	// action (mfa.Vocabulary); nil when each principal is decided by
	// itself
	templates *actionClasses
	vocab     *vocabulary
	// covers keeps, for each policy more than one principal holds, what
	// share.Covering gives each of its statements (sharedActions)
	covers policyCovers
	// alike keeps the report of the first user of each principal
	// template (analyzeAlike), whose keys principalTemplates makes; nil
	// when each principal is analysed by itself
	alike              *alikeReports
	principalTemplates *account.PrincipalTemplates
}

// policyCovers keeps mfa.Reach.Covering of each statement of the policies
// many principals hold (a group's, a managed policy, the SCPs), read for
// each principal's engine.
type policyCovers struct {
	mu sync.Mutex
	m  map[*policy.Policy][][]uint64
}

// of returns share.Covering of each statement of d, made once.
func (pc *policyCovers) of(share *mfa.Reach, d *policy.Policy) [][]uint64 {
	pc.mu.Lock()
	c, ok := pc.m[d]
	pc.mu.Unlock()
	if ok {
		return c
	}
	c = make([][]uint64, len(d.Statements))
	for i, st := range d.Statements {
		c[i] = share.Covering(st.Action)
	}
	pc.mu.Lock()
	if pc.m == nil {
		pc.m = map[*policy.Policy][][]uint64{}
	}
	pc.m[d] = c
	pc.mu.Unlock()
	return c
}

type accountFinding struct {
	action, resource string
	// how names the credentials that get through: "long-term keys",
	// "session without MFA", or both.
	how     []string
	verdict mfa.Verdict
	// allowedBy are the statements that allow it without MFA.
	allowedBy []evaluator.MatchedStatement
	bypasses  []mfa.Bypass
	// dependsOn are the context keys not given that the result depends on.
	dependsOn []string
	// For an action a trust policy decides: roles are the roles that admit
	// the principal without MFA, of the matched roles of the account the
	// resource matches.
	roles   []account.RoleCrossing
	matched int
	// others says matched counts the roles no resource before "*" names
	others bool
}

// outsideRow is a request for sessions of roles the dump does not hold:
// their trust policies are not known. how are the credentials with which
// the principal's own policies let it through without MFA (allowedBy the
// statements); keys, the keys not given its own side depends on.
type outsideRow struct {
	action, resource, reason string
	// standIn says the resource's account is made up (standInRow)
	standIn bool
	// for a row analyzeRow made: plain is the reason of a resource of
	// another account, madeAccount the account its request names, with
	// which madeUpReason words the reason for a resource made up from an
	// entry of the principal's own
	plain, madeAccount string
	how                []string
	allowedBy          []evaluator.MatchedStatement
	keys               []string
}

// blockedFinding is a request a role's policies allow only with MFA: every
// session of the role is denied it, because role sessions carry
// aws:MultiFactorAuthPresent=false.
type blockedFinding struct {
	action, resource string
	// explicit is true when a Deny denies the sessions; by are the
	// statements that decided: the Deny, or the Allow that needs MFA.
	explicit bool
	by       []evaluator.MatchedStatement
}

// incompleteRow is a result that depends on context keys not given.
// session says that a session's own decision may depend on them (a role's
// session may be allowed there): false only where a Deny that tests none of
// them denies it (sessionMayDepend).
type incompleteRow struct {
	action, resource string
	keys             []string
	session          bool
}

// analyzePrincipal checks every action x resource for one principal: the
// resources given, or those its policies name for the action, and *. Users
// sign with long-term keys or sessions; roles only with sessions, which
// carry no MFA (SPEC 6.2). sts:AssumeRole and the other actions a trust
// policy decides are decided against the trust policy of every role of the
// account the resource matches (assumeRow). The other actions are decided
// once per class of principals (account.Classifier) when classes is not
// nil, and the answers carried over to the class's other members.
//
// sc is the worker's scratch (requestScratch), used by one principal at a
// time.
//
// trace, when not nil, receives where the entries of each action begin in
// the report and the own side of each row of an action a trust policy
// decides, for analyzeAlike.
func analyzePrincipal(an *account.Analyzer, acct *account.Account, p *account.Principal, run *accountRun, classes *actionClasses, sc *requestScratch, trace *principalTrace) principalReport {
	rep := principalReport{principal: p}
	e, err := an.Engine(p, nil)
	if err != nil {
		rep.err = err
		return rep
	}
	// the actions, and their places in the catalogue (-1 for one it does
	// not know)
	rep.names, rep.cat = run.names, run.cat
	idx := run.idx
	if run.reach != nil {
		// shared by the principals whose Allow statements are alike
		// (mfa.Reach.Set): the report only reads them
		set := run.reach.Set(e)
		idx, rep.unknown, rep.cat, rep.names = set.Indexes, set.Unknown, set.Actions(), set.Names()
	}
	given := run.given
	// the request the principal's rows are decided in, one at a time
	sc.start(run.memo)
	sc.resourceKeys, sc.rcps = run.resourceKeys, run.rcps
	var cl *account.Classifier
	var shared sharedRuns
	var tab *mfa.StarTable
	if classes != nil {
		sc.classifier = an.ClassifierIn(sc.classifier, p, e)
		cl = sc.classifier
		if len(given) == 0 {
			tab = run.insts.Table(p.Caller)
			shared = sharedActions(an, p, e, rep.names, rep.cat, idx, tab, run, classes, cl, sc)
		}
	}
	if shared.any() && run.summarised {
		rep.shared, rep.stars, rep.idx, rep.engine = shared, tab, idx, e
	}
	var sharedDecisions int
	engine := func() *evaluator.Engine { return e }
	for i, a := range rep.names {
		if trace != nil {
			trace.sections = append(trace.sections, rep.section())
		}
		if part := shared.at(i); part != nil {
			insts := tab.Of(idx[i], engine)
			n := len(insts.List)
			sharedDecisions += n * part.decisions
			if rep.shared.any() {
				rep.rows += n * part.rows
				rep.decisions += n * part.decisions
				continue
			}
			part.expand(&rep, a, insts.List)
			continue
		}
		if !isAssumeRole(a) {
			if cl == nil {
				analyzeAction(&rep.actionPart, an, p, e, a, rep.cat[i], given, sc)
				continue
			}
			key, slots := cl.Class(a)
			if cl.OnlyMember() && run.templates != nil && p.Kind == account.KindUser && len(given) == 0 && rep.cat[i] != nil {
				// nobody else is in the class, but other users may be but
				// for their names: the answer found for one of them is
				// carried over renamed
				parts, fields := run.vocab.of(rep.cat[i])
				if tkey, ok := cl.TemplateClass(a, slots, parts, fields); ok {
					c := run.templates.Get(tkey)
					decided := false
					c.once.Do(func() {
						decided = true
						sc.rows, sc.cl = run.rows, cl
						analyzeAction(&c.part, an, p, e, a, rep.cat[i], given, sc)
						sc.rows, sc.cl = nil, nil
						c.slots, c.name = slots, p.Name
						c.renamable = c.part.renamable(p.Name)
					})
					switch {
					case decided:
						c.part.addTo(&rep, c.slots, slots)
						continue
					case c.renamable:
						an.CountDecisions(c.part.decisions)
						c.part.addRenamedTo(&rep.actionPart, c.slots, slots, c.name, p.Name)
						continue
					}
				}
			}
			if cl.OnlyMember() {
				// nobody else is in the class: its answer is not kept,
				// but those of its requests other principals can make
				// alike are (a request on a team's bucket, beside the
				// principal's own prefix)
				sc.rows, sc.cl = run.rows, cl
				analyzeAction(&rep.actionPart, an, p, e, a, rep.cat[i], given, sc)
				sc.rows, sc.cl = nil, nil
				continue
			}
			c := classes.Get(key)
			decided := false
			c.once.Do(func() {
				decided = true
				analyzeAction(&c.part, an, p, e, a, rep.cat[i], given, sc)
				c.slots = slots
			})
			if !decided {
				an.CountDecisions(c.part.decisions)
			}
			c.part.addTo(&rep, c.slots, slots)
			continue
		}
		var rows *[]ownRow
		if trace != nil {
			trace.rows = append(trace.rows, make([][]ownRow, i+1-len(trace.rows))...)
			rows = &trace.rows[i]
		}
		if rep.err = assumeAction(&rep, an, acct, e, a, given, sc, rows); rep.err != nil {
			return rep
		}
	}
	if trace != nil {
		trace.sections = append(trace.sections, rep.section())
	}
	an.CountDecisions(sharedDecisions)
	rep.sum = summarise(&rep, run.levels, len(run.given) > 0, &sc.summary)
	return rep
}

// assumeAction adds to rep the rows of action a, one a trust policy
// decides, for rep's principal, whose engine is e: on the resources given,
// or those its policies name for a, and * (assumeRow).
//
// rows, when not nil, receives the own side of each row (assumeRow).
func assumeAction(rep *principalReport, an *account.Analyzer, acct *account.Account, e *evaluator.Engine, a string, given []string, sc *requestScratch, rows *[]ownRow) error {
	p := rep.principal
	resources := given
	// the roles the resources before "*" match, when the resources
	// come from the policies: "*" stands for the others
	var named map[*account.Role]bool
	if len(resources) == 0 {
		named = map[*account.Role]bool{}
		var unchecked []mfa.Unchecked
		base := an.LiveRequest(p, a, "*")
		resources, unchecked = mfa.Resources(e, a, base)
		resources = roleResources(e, a, base, resources)
		for _, u := range unchecked {
			if lacksAll(p, u.Missing) {
				continue // a key this principal never has: the entry matches nothing (SPEC 4)
			}
			rep.unchecked = append(rep.unchecked, uncheckedResource{a, u})
		}
	}
	for _, res := range resources {
		own, err := assumeRow(rep, an, acct, e, a, res, named, sc)
		if err != nil {
			return err
		}
		if rows != nil {
			*rows = append(*rows, ownRow{res, own})
		}
	}
	return nil
}

// ownRow is the own side of a row of an action a trust policy decides, on
// resource res.
type ownRow struct {
	res string
	own assumeOwn
}

// actionPart is what analyzeAction found of one action (or analyzeRow of
// one request): the rows and decisions it counted and the entries of the
// report.
type actionPart struct {
	rows, decisions int
	findings        []accountFinding
	blocked         []blockedFinding
	unchecked       []uncheckedResource
	incomplete      []incompleteRow
	// elsewhere are the requests on resources of other accounts that the
	// principal's own policies let through without MFA (or might): the
	// resource's own policy, which the dump does not hold, decides the
	// rest (otherAccountRow)
	elsewhere []outsideRow
	// origin, for a part alike reports keep once for users alike but for
	// their names, is the name of the user its resources name
	// (alikeReports.keepNamed); "" for any other part
	origin string
}

// analyzeAction checks one action that no trust policy decides for p, whose
// engine is e, on every resource: those given, or those its policies name
// for the action, and *, a wildcard made a resource of each of the
// action's types it matches (mfa.Instances; ca is the action's catalogue
// entry, or nil). It adds what it finds to part (p's own report, or the
// answer of a class): each row's entries are appended where they are kept,
// not gathered in a part of their own first.
func analyzeAction(part *actionPart, an *account.Analyzer, p *account.Principal, e *evaluator.Engine, a string, ca *catalog.Action, given []string, sc *requestScratch) {
	resources := given
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	// a live request names one resource of one of the action's types:
	// "*" and other patterns become such resources (expandResources)
	sc.base = an.LiveRequestIn(sc.base, p, a, "*")
	base := sc.base
	// the resources made from wildcard entries (and *), each of which may
	// stand beside another account's (standInRow)
	// (the maps within made, read only)
	sc.made = sc.made[:0]
	resources = expandResources(resources, func(pattern string) ([]string, map[string]string, []mfa.Unchecked) {
		return sc.memo.Within(e, ca, a, pattern, base)
	}, func(made map[string]string, unchecked []mfa.Unchecked) {
		for _, u := range unchecked {
			if lacksAll(p, u.Missing) {
				continue // a key this principal never has: the entry matches nothing (SPEC 4)
			}
			part.unchecked = append(part.unchecked, uncheckedResource{a, u})
		}
		if len(made) > 0 {
			sc.made = append(sc.made, made)
		}
	})
	// one request at a time, in sc's: each is decided and left; the MFA
	// ages that matter are e's
	ages := sc.agesOf(e)
	// sc.others is read for e and a at the first row that needs it
	othersRead := false
	for _, res := range resources {
		sc.req = an.LiveRequestIn(sc.req, p, a, res)
		found, undecided := len(part.findings), len(part.incomplete)
		inClass := false
		if sc.rows != nil {
			// the request's class among every principal's requests for
			// this action on a resource the same statements let in
			// (account.Classifier.RowClass): decided once, unless p
			// alone can be in it, and carried over naming res
			key, slots := sc.cl.RowClass(sc.req)
			if !sc.cl.OnlyMember() {
				inClass = true
				c := sc.rows.Get(key)
				decided := false
				c.once.Do(func() {
					decided = true
					// RowClass's slots are the classifier's room
					analyzeRow(&c.part, an, p, e, a, res, ages, sc)
					c.slots = slices.Clone(slots)
				})
				if !decided {
					an.CountDecisions(c.part.decisions)
				}
				o := len(part.elsewhere)
				c.part.addRowTo(part, c.slots, slots, res)
				for i := o; i < len(part.elsewhere); i++ {
					sc.madeUpReason(&part.elsewhere[i], p, res)
				}
			}
		}
		if !inClass {
			analyzeRow(part, an, p, e, a, res, ages, sc)
		}
		if within, ok := standInWithin(res, given); ok && len(part.findings) == found {
			// (decided for p, never carried over in a class of rows:
			// RowClass's key leaves out the Resource entries that tell
			// other accounts apart)
			if !othersRead {
				othersRead = true
				if cl := sc.classifier; cl != nil && cl.Engine() == e {
					// the footprint its classes read
					sc.others.ResetFootprint(e, cl.Footprint(a))
				} else {
					sc.others.Reset(e, a)
				}
			}
			// the keys res's own result depends on, not given
			var keys []string
			if len(part.incomplete) > undecided {
				keys = part.incomplete[len(part.incomplete)-1].keys
			}
			standInRow(part, an, p, e, a, res, within, keys, resources, ages, &sc.others, sc)
		}
	}
}

// standInRow adds to part a request on another account's resource that
// res, a resource of p's account made from a wildcard entry (or *) of p's
// policies, stands beside (mfa.OtherAccounts.Instances; others is read
// for e and a): such an entry matches other accounts' resources too, and
// p's policies may let them through without MFA where they do not let res
// through (a Deny without MFA that names p's account alone). The stand-ins
// are decided in turn as requests across accounts (otherAccountRow), and
// the first that p's policies let through without MFA, or might on the
// values of a context key not given other than keys (those res's own
// result depends on, which the report already says are not given), is
// added; if none is, what p's side decides for res holds for them too, as
// far as the accounts tried tell. resources are the action's rows (a
// stand-in among them is decided there); the stand-ins are within within,
// the pattern res stands for (standInWithin).
func standInRow(part *actionPart, an *account.Analyzer, p *account.Principal, e *evaluator.Engine, a, res, within string, keys, resources []string, ages []int64, others *mfa.OtherAccounts, sc *requestScratch) {
	// sc.req is the request on res the row was decided in (its MFA keys
	// are the analysis's, which no Resource entry reads but through a
	// policy variable, as the row's decisions read them)
	account := mfa.ResourceAccountOf(res)
	if account != "" && account != sc.callerAccount(p) {
		// a resource of a made-up account (an entry only partly open on
		// it): its row was decided across accounts, without the keys
		// that describe it, which the stand-ins read
		sc.req = an.LiveRequestIn(sc.req, p, a, res)
	}
	for _, r2 := range others.Instances(sc.req, account, within) {
		if slices.Contains(resources, r2) {
			continue
		}
		sc.req = an.LiveRequestIn(sc.req, p, a, r2)
		o, elsewhere, decided := otherAccountRow(an, p, e, a, r2, ages, sc.req, sc)
		part.decisions += decided
		if elsewhere && (len(o.how) > 0 || !subset(o.keys, keys)) {
			o.standIn = true
			o.reason = "a resource of another account (" + e.ResourceAccount(sc.req) + " standing for any the policies leave open), whose resource policy is not in the dump"
			part.elsewhere = append(part.elsewhere, o)
			return
		}
	}
	// a resource whose ARN names no account (an S3 bucket) is p's
	// account's by default, but may be another's: with keys given that
	// describe it (--context), or RCPs, that other account's is decided
	// without them, on p's side alone
	if parts, ok := request.SplitARN(res); !ok || parts[4] != "" || !sc.resourceKeys && !sc.rcps {
		return
	}
	ee, err := sc.elsewhere(an, p, e)
	if err != nil {
		return
	}
	sc.req = an.LiveRequestIn(sc.req, p, a, res)
	mfa.DropResourceKeys(sc.req)
	var r mfa.Result
	an.AnalyzeInto(&r, ee, sc.req, ages)
	part.decisions += 2 + len(r.Ages)
	o := outsideRow{action: a, resource: res, standIn: true,
		reason: "the same resource as if another account (" + madeUpOwner + ", standing for any) owned it, whose resource policy is not in the dump"}
	o.how, o.allowedBy = withoutMFA(p, &r)
	if len(o.how) == 0 {
		o.keys = known(p, mfa.DependsOnIn(ee, sc.req, &r))
	}
	if len(o.how) > 0 || !subset(o.keys, keys) {
		part.elsewhere = append(part.elsewhere, o)
	}
}

// elsewhere returns account.Analyzer.EngineElsewhere of p, whose engine is
// e, made once for p.
func (sc *requestScratch) elsewhere(an *account.Analyzer, p *account.Principal, e *evaluator.Engine) (*evaluator.Engine, error) {
	if sc.elseP != p || sc.elseFor != e {
		ee, err := an.EngineElsewhere(p)
		if err != nil {
			return nil, err
		}
		sc.elseP, sc.elseFor, sc.elseE = p, e, ee
	}
	return sc.elseE, nil
}

// analyzeRow analyses p's request sc.req, for action a on resource res,
// with e at the MFA ages ages: one row of analyzeAction, added to part.
func analyzeRow(part *actionPart, an *account.Analyzer, p *account.Principal, e *evaluator.Engine, a, res string, ages []int64, sc *requestScratch) {
	// r is made in sc's Result: what the row keeps of it (verdict,
	// bypasses, the statements withoutMFA and blockedRow list) is its own
	r := &sc.result
	deps := an.AnalyzeDependsInto(r, e, sc.req, ages)
	part.rows++
	part.decisions += 2 + len(r.Ages)
	deps = known(p, deps)
	// a Deny that denies the session only because a variable of its
	// Resource or NotResource reads a key the request lacks (a session
	// tag, the source identity: the caller's to choose) depends on it too
	deps = denyVariableKeys(deps, p, e, r, sc.req)
	f := accountFinding{action: a, resource: res, verdict: r.Verdict, bypasses: r.Bypasses, dependsOn: deps}
	f.how, f.allowedBy = withoutMFA(p, r)
	// a session's denial that keys not given may lift is no claim: the
	// request is listed as depending on them
	sessionDepends := len(deps) > 0 && sessionMayDepend(p, e, r, deps)
	if b, ok := blockedRow(p, a, res, r, len(f.how) > 0); ok && !sessionDepends {
		part.blocked = append(part.blocked, b)
	}
	o, elsewhere, decided := otherAccountRow(an, p, e, a, res, ages, sc.req, sc)
	part.decisions += decided
	if elsewhere {
		o.plain, o.madeAccount = o.reason, e.ResourceAccount(sc.req)
		sc.madeUpReason(&o, p, res)
		part.elsewhere = append(part.elsewhere, o)
	}
	switch {
	case len(f.how) > 0:
		part.findings = append(part.findings, f)
	case len(deps) > 0 && !elsewhere:
		// (a request on another account's resource is not checked
		// whatever the keys: it is listed there, with them)
		part.incomplete = append(part.incomplete, incompleteRow{a, res, deps, sessionDepends})
	}
}

// otherAccountRow is the request req (p's, for action a on res, decided
// with e at the MFA ages ages) when its resource is another account's and
// p's own policies let it through without MFA, or might: a request across
// accounts needs the resource's own policy to allow it too ("the
// resource-based policy in Account B must allow the requester in Account
// A", IAM policy evaluation logic, cross-account), and the dump holds no
// policy of another account's resources, so the answer is not known.
// What p's own policies let through is decided as if the resource were in
// p's account (req's ResourceAccount set to it, then put back): decided
// counts those requests. ok is false for a resource of p's account, or one
// p's policies do not let through.
func otherAccountRow(an *account.Analyzer, p *account.Principal, e *evaluator.Engine, a, res string, ages []int64, req *request.Context, sc *requestScratch) (o outsideRow, ok bool, decided int) {
	own, other, across := acrossAccounts(e, p.Caller, req)
	if !across {
		return outsideRow{}, false, 0
	}
	// decided by p's side alone (sc.elsewhere: without the RCPs of p's
	// organization, which the other account may be outside), without the
	// keys given that describe p's own resources (mfa.ResourceKey); req
	// is left so
	ee, err := sc.elsewhere(an, p, e)
	if err != nil {
		ee = e
	}
	mfa.DropResourceKeys(req)
	saved := req.ResourceAccount
	req.ResourceAccount = own
	defer func() { req.ResourceAccount = saved }()
	var r mfa.Result
	an.AnalyzeInto(&r, ee, req, ages)
	e = ee
	o = outsideRow{action: a, resource: res, reason: "a resource of account " + other + ", whose resource policy is not in the dump"}
	o.how, o.allowedBy = withoutMFA(p, &r)
	if len(o.how) == 0 {
		o.keys = known(p, mfa.DependsOnIn(e, req, &r))
	}
	return o, len(o.how) > 0 || len(o.keys) > 0, 2 + len(r.Ages)
}

// acrossAccounts returns the account of caller and the account that owns
// req's resource as e decides it (evaluator.Engine.ResourceAccount), and
// whether both are known and differ: a request across accounts, which the
// resource's own policy must allow too.
func acrossAccounts(e *evaluator.Engine, caller string, req *request.Context) (own, other string, ok bool) {
	own, other = request.ParsePrincipal(caller).Account, e.ResourceAccount(req)
	return own, other, own != "" && other != "" && other != own
}

// subset reports whether every key of xs is one of ys.
func subset(xs, ys []string) bool {
	for _, x := range xs {
		if !slices.Contains(ys, x) {
			return false
		}
	}
	return true
}

// requestScratch holds the request a principal's analysis decides its
// rows in, one at a time (account.Analyzer.LiveRequestIn): nil until the
// first; and the Result their analyses are made in
// (account.Analyzer.AnalyzeDependsInto). A worker keeps one for every
// principal it analyses (start), so their room is made once.
type requestScratch struct {
	// plainKey is the room of alikeReports.keepPlain's keys
	plainKey []byte
	// summary is summarise's room
	summary summaryScratch
	// base is the request of an action on "*" that its resources are
	// found for
	base   *request.Context
	req    *request.Context
	result mfa.Result
	// memo is the run's (accountRun.memo)
	memo *mfa.InstanceMemo
	// rows, when not nil, keeps the answer of each class of requests
	// (account.Classifier.RowClass) of the principal's classifier cl: set
	// while an action whose class p alone can be in is analysed
	rows *actionClasses
	cl   *account.Classifier
	// classifier is the room of each principal's classifier
	// (account.Analyzer.ClassifierIn)
	classifier *account.Classifier
	// ages are the MFA ages that matter to agesE (agesOf)
	ages  []int64
	agesE *evaluator.Engine
	// covers and groups are sharedActions' room
	covers [][]uint64
	groups []sharedGroup
	// others is standInRow's, read for one action after another;
	// resourceKeys is accountRun.resourceKeys
	others             mfa.OtherAccounts
	resourceKeys, rcps bool
	// elseE is the engine of elseP's requests on other accounts'
	// resources (elsewhere), elseFor its engine
	elseP          *account.Principal
	elseFor, elseE *evaluator.Engine
	// account is the account of accountOf's caller (callerAccount)
	accountOf *account.Principal
	account   string
	// made are the resources analyzeAction made from wildcard entries
	// (and *) for the action it analyses, mapped to the entry
	made []map[string]string
	// template is the room of account.Analyzer.PrincipalTemplate
	template *account.Classifier
}

// callerAccount returns the account of p's caller, read once for p.
func (sc *requestScratch) callerAccount(p *account.Principal) string {
	if sc.accountOf != p {
		sc.accountOf, sc.account = p, request.ParsePrincipal(p.Caller).Account
	}
	return sc.account
}

// standInWithin returns the pattern of the resources the run checks that
// res, a resource of a row, stands for beside itself, and beside which
// other accounts' resources stand (standInRow, otherAccountStandIn): "*"
// when the resources come from the policies (none given, or "*" alone),
// else the first pattern given that res is within. ok is false for a
// literal resource given, which is checked as it is.
func standInWithin(res string, given []string) (within string, ok bool) {
	if len(given) == 0 {
		return "*", true
	}
	for _, g := range given {
		if strings.ContainsAny(g, "*?") && condition.MatchWildcard(g, res, false) {
			return g, true
		}
	}
	return "", false
}

// madeUpReason words the reason of o, p's request on res, a row of
// analyzeRow on another account's resource: when res was made from an
// entry of p's policies only partly open on the account (sc.made), in a
// made-up account, that account stands for any the entry names; else the
// account's resource policy is not in the dump (o.plain). A row carried
// over from another principal of its class of rows (RowClass's key leaves
// the Resource entries out) is worded anew with p's own entry.
func (sc *requestScratch) madeUpReason(o *outsideRow, p *account.Principal, res string) {
	o.standIn, o.reason = false, o.plain
	if f, ok := sc.madeEntry(res); ok && mfa.MadeUpAccount(f, res, sc.callerAccount(p)) {
		o.standIn = true
		o.reason = "a resource of another account (" + o.madeAccount + " standing for any " + f + " names), whose resource policy is not in the dump"
	}
}

// madeEntry returns the wildcard entry (or *) res was made from for the
// action analyzeAction analyses (sc.made), if it was.
func (sc *requestScratch) madeEntry(res string) (string, bool) {
	for _, m := range sc.made {
		if f, ok := m[res]; ok {
			return f, true
		}
	}
	return "", false
}

// start readies sc for another principal's analysis, with the run's memo:
// what it knew of the last principal is forgotten, and the room of its
// requests and Result kept.
func (sc *requestScratch) start(memo *mfa.InstanceMemo) {
	sc.memo, sc.rows, sc.cl, sc.ages, sc.agesE = memo, nil, nil, nil, nil
	clear(sc.made)
	sc.made = sc.made[:0]
}

// agesOf returns mfa.Ages(mfa.Thresholds(e)), made once for the
// principal's engine: each of its actions asks.
func (sc *requestScratch) agesOf(e *evaluator.Engine) []int64 {
	if sc.agesE != e || sc.ages == nil {
		sc.ages, sc.agesE = mfa.Ages(mfa.Thresholds(e)), e
	}
	return sc.ages
}

// addTo adds the part to rep. from and to, when they are not the same
// policies, are the slots of the class member the part was found for and
// of rep's principal: the statements the part names are then rep's own
// copies (account.Slots.Map).
func (part *actionPart) addTo(rep *principalReport, from, to account.Slots) {
	part.addToPart(&rep.actionPart, from, to)
}

// addRowTo is addToPart for the part of one row, found for a request on
// another resource than res, maybe (account.Classifier.RowClass): what it
// adds names res.
func (part *actionPart) addRowTo(rep *actionPart, from, to account.Slots, res string) {
	part.addNaming(rep, from, to, func(string) string { return res }, false)
}

// addNaming is addToPart naming the resource of each row added by
// resource(its own), and, with entries, each Resource entry that could not
// be rendered by resource(the entry).
func (part *actionPart) addNaming(rep *actionPart, from, to account.Slots, resource func(string) string, entries bool) {
	n := len(rep.findings)
	m := len(rep.blocked)
	u := len(rep.unchecked)
	k := len(rep.incomplete)
	o := len(rep.elsewhere)
	part.addToPart(rep, from, to)
	// the entries just added are rep's own (addToPart copies them)
	for i := n; i < len(rep.findings); i++ {
		rep.findings[i].resource = resource(rep.findings[i].resource)
	}
	for i := m; i < len(rep.blocked); i++ {
		rep.blocked[i].resource = resource(rep.blocked[i].resource)
	}
	for i := k; i < len(rep.incomplete); i++ {
		rep.incomplete[i].resource = resource(rep.incomplete[i].resource)
	}
	for i := o; i < len(rep.elsewhere); i++ {
		rep.elsewhere[i].resource = resource(rep.elsewhere[i].resource)
	}
	if entries {
		for i := u; i < len(rep.unchecked); i++ {
			rep.unchecked[i].Pattern = resource(rep.unchecked[i].Pattern)
		}
	}
}

// addToPart is addTo for a part made of parts: the rows of one action.
func (part *actionPart) addToPart(rep *actionPart, from, to account.Slots) {
	rep.rows += part.rows
	rep.decisions += part.decisions
	if from.Same(to) {
		rep.findings = append(rep.findings, part.findings...)
		rep.blocked = append(rep.blocked, part.blocked...)
		rep.unchecked = append(rep.unchecked, part.unchecked...)
		rep.incomplete = append(rep.incomplete, part.incomplete...)
		rep.elsewhere = append(rep.elsewhere, part.elsewhere...)
		return
	}
	for _, f := range part.findings {
		f.allowedBy = from.MapAll(f.allowedBy, to)
		f.bypasses = mapBypasses(f.bypasses, from, to)
		rep.findings = append(rep.findings, f)
	}
	for _, b := range part.blocked {
		b.by = from.MapAll(b.by, to)
		rep.blocked = append(rep.blocked, b)
	}
	for _, u := range part.unchecked {
		u.Statement = from.Map(u.Statement, to)
		rep.unchecked = append(rep.unchecked, u)
	}
	rep.incomplete = append(rep.incomplete, part.incomplete...)
	for _, o := range part.elsewhere {
		o.allowedBy = from.MapAll(o.allowedBy, to)
		rep.elsewhere = append(rep.elsewhere, o)
	}
}

// actionClasses holds the answers of each class of requests for an action
// (account.Classifier), found for the first member asked about, by their
// keys' digests: a key is hundreds of bytes.
type actionClasses = keyhash.Table[actionClass]

type actionClass struct {
	once  sync.Once
	part  actionPart
	slots account.Slots
	// for a template class: name is the user the answer was found for,
	// renamable says it can be carried over to another name
	// (actionPart.renamable)
	name      string
	renamable bool
}

// vocabulary keeps mfa.Vocabulary of each service asked for: it is the
// same for every action of a service (the texts of its resource types).
type vocabulary struct {
	mu sync.Mutex
	m  map[*catalog.Service][2][]string
}

// of returns mfa.Vocabulary(a), made once for a's service.
func (v *vocabulary) of(a *catalog.Action) (parts, fields []string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	out, ok := v.m[a.Service]
	if !ok {
		out[0], out[1] = mfa.Vocabulary(a)
		v.m[a.Service] = out
	}
	return out[0], out[1]
}

// renamable reports whether part, found for the user name, can be carried
// over to another user of its template class by replacing name in its
// resources (addRenamedTo): every text of it that is not a resource or a
// Resource entry is free of the name (the fixes of bypasses), and no row
// is on another account's resource (whose reason quotes an entry).
func (part *actionPart) renamable(name string) bool {
	if len(part.elsewhere) > 0 {
		return false
	}
	for _, f := range part.findings {
		for _, b := range f.bypasses {
			if strings.Contains(b.Fix, name) || strings.Contains(b.Kind, name) {
				return false
			}
		}
	}
	return true
}

// addRenamedTo is addToPart for another user of part's template class:
// what it adds names to where part names from, in its resources and
// Resource entries (account.Classifier.TemplateClass keeps that exact).
func (part *actionPart) addRenamedTo(rep *actionPart, fromSlots, toSlots account.Slots, from, to string) {
	part.addNaming(rep, fromSlots, toSlots, func(s string) string { return strings.ReplaceAll(s, from, to) }, true)
}

// blockedRow is the block a role's request records when its own policies
// allow it only with MFA, which its sessions never carry: r is what its own
// policies decide, allowed whether the request is allowed without MFA.
func blockedRow(p *account.Principal, action, resource string, r *mfa.Result, allowed bool) (blockedFinding, bool) {
	// (a role has no long-term keys: its sessions are denied and MFA
	// allowed, whatever long-term keys would be)
	if p.Kind != account.KindRole || allowed || r.SessionWithoutMFA.Allowed() || !r.HasMFAAllowed {
		return blockedFinding{}, false
	}
	b := blockedFinding{action: action, resource: resource, explicit: r.SessionWithoutMFA.Verdict == evaluator.ExplicitDeny}
	if b.explicit {
		for _, m := range r.SessionWithoutMFA.MatchedStatements() {
			if m.PolicyType != evaluator.TypeResource {
				b.by = append(b.by, m)
			}
		}
	} else {
		b.by = r.Fresh.MatchedStatements()
	}
	return b, len(b.by) > 0
}

// sessionMayDepend reports whether a session's decision in r, p's request
// of engine e, may change with keys, which the request lacks: false only
// for a role whose session is denied by a Deny that tests none of them (in
// a condition's key or a policy variable of its values), so that it is
// denied whatever they are (an explicit deny overrides any allow). keys
// may hold those of the other credentials' decisions (with MFA, say).
func sessionMayDepend(p *account.Principal, e *evaluator.Engine, r *mfa.Result, keys []string) bool {
	if p.Kind != account.KindRole || r.SessionWithoutMFA.Verdict != evaluator.ExplicitDeny {
		return true
	}
	for _, m := range r.SessionWithoutMFA.MatchedStatements() {
		if m.Effect != policy.Deny {
			continue
		}
		if _, st := statementOf(e, m); st != nil && !testsAny(st, keys) {
			return false
		}
	}
	return true
}

// denyVariableKeys returns deps with the keys that the policy variables
// of the Resource or NotResource of each Deny that denies p's session in r
// read, where req lacks them and p may carry them (not Lacks): the Deny
// may not apply to a session that carries them (NotResource
// arn:aws:s3:::${aws:PrincipalTag/team}/* leaves out the bucket a
// session's tag names), and a request on a resource it names is decided
// with the variable matching nothing (SPEC 4), so that no claim rests on
// the key's absence.
func denyVariableKeys(deps []string, p *account.Principal, e *evaluator.Engine, r *mfa.Result, req *request.Context) []string {
	if r.SessionWithoutMFA.Verdict != evaluator.ExplicitDeny {
		return deps
	}
	for _, m := range r.SessionWithoutMFA.MatchedStatements() {
		pol, st := statementOf(e, m)
		if m.Effect != policy.Deny || st == nil || st.Resource == nil {
			continue
		}
		for _, v := range st.Resource.Values {
			if !strings.Contains(v.Text, "${") {
				continue
			}
			// (a statement whose policy enables no variables holds none:
			// its "${" is literal text, and its Deny reads no key)
			pat := condition.CompilePattern(v.Text, condition.PatternOptions{Wildcards: true, Variables: pol.VariablesEnabled()})
			for _, key := range pat.Variables() {
				if _, ok := req.Lookup(key); ok || p.Lacks(key) || slices.ContainsFunc(deps, func(d string) bool { return strings.EqualFold(d, key) }) {
					continue
				}
				deps = append(deps, key)
			}
		}
	}
	return deps
}

// statementOf returns the statement m names among e's policies, and its
// policy, or nils.
func statementOf(e *evaluator.Engine, m evaluator.MatchedStatement) (*policy.Policy, *policy.Statement) {
	for _, cp := range e.Policies() {
		if cp.Policy.Name == m.PolicyID && cp.Type == m.PolicyType && cp.Level == m.Level {
			if m.Index >= 0 && m.Index < len(cp.Policy.Statements) {
				return cp.Policy, cp.Policy.Statements[m.Index]
			}
			return nil, nil
		}
	}
	return nil, nil
}

// testsAny reports whether a condition of st tests one of keys, by its key
// or by a policy variable in its values, or st's Resource or NotResource
// reads one in a policy variable (NotResource arn:aws:s3:::${aws:
// PrincipalTag/team}/* leaves a session out where its tag names the
// bucket).
func testsAny(st *policy.Statement, keys []string) bool {
	// reads reports whether text holds a policy variable of one of keys
	reads := func(text string) bool {
		for _, k := range keys {
			if strings.Contains(strings.ToLower(text), "${"+strings.ToLower(k)) {
				return true
			}
		}
		return false
	}
	if st.Resource != nil {
		for _, v := range st.Resource.Values {
			if reads(v.Text) {
				return true
			}
		}
	}
	for _, c := range st.Conditions {
		for _, k := range keys {
			if evaluator.SameKey(c.Key, k) {
				return true
			}
		}
		for _, v := range c.Values {
			if reads(v.Text) {
				return true
			}
		}
	}
	return false
}

// isAssumeRole reports whether a trust policy decides action: sts:AssumeRole,
// sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity.
func isAssumeRole(action string) bool {
	const prefix = "sts:assumerole"
	return len(action) >= len(prefix) && strings.EqualFold(action[:len(prefix)], prefix)
}

// roleResources adjusts the resources mfa.Resources rendered for an action
// a trust policy decides: a Resource entry whose account is a wildcard
// (arn:aws:iam::*:role/deploy-*) names roles of every account, which
// mfa.Resources renders in the caller's own; it is put back with its
// account, so that the roles of other accounts it names are said too.
func roleResources(e *evaluator.Engine, action string, base *request.Context, resources []string) []string {
	for _, cp := range e.Policies() {
		vars := cp.Policy.VariablesEnabled()
		for _, s := range cp.Policy.Statements {
			if s.Resource == nil || s.Resource.Not || !s.Action.Covers(action, true) {
				continue
			}
			for _, v := range s.Resource.Values {
				parts := strings.SplitN(v.Text, ":", 6)
				if len(parts) < 6 || parts[0] != "arn" || !strings.ContainsAny(parts[4], "*?") {
					continue
				}
				own, missing := mfa.RenderResource(v.Text, vars, base)
				if len(missing) > 0 {
					continue
				}
				wide := strings.SplitN(own, ":", 6)
				wide[4] = parts[4]
				w := strings.Join(wide, ":")
				out := resources[:0:0]
				seen := false
				for _, r := range resources {
					if r == own || r == w {
						if !seen {
							out = append(out, w)
						}
						seen = true
						continue
					}
					out = append(out, r)
				}
				resources = out
			}
		}
	}
	return resources
}

// assumeRow decides p's action on res, an action a trust policy decides:
// against the trust policy of each role of the account res matches
// (account.Analyzer.AssumeRole), never on p's own policies alone (SPEC 5.2:
// the trust policy must allow the principal). It is a finding when some
// role admits p without MFA; undecided (incomplete) when a role might; and
// when res names roles the dump does not hold, whose trust policies are
// not known, p's own side is decided and, if it lets p through without
// MFA, the request is reported not checked. e is p's engine without a
// resource policy, which decides p's own side and the blocks of a role's
// own MFA conditions. named, when not nil, collects the roles the rows of
// the action match, and for "*" (the last row) holds those of the rows
// before it: "*" stands for the roles no policy names, as it stands for
// the resources no policy names (mfa.Resources). The row's own request is
// made in sc's.
// It returns the row's own side, with what crossRow asked of it.
func assumeRow(rep *principalReport, an *account.Analyzer, acct *account.Account, e *evaluator.Engine, action, res string, named map[*account.Role]bool, sc *requestScratch) (assumeOwn, error) {
	own := ownSide(rep.principal, an, acct, e, action, res, sc)
	own.needHow = func() ([]string, []evaluator.MatchedStatement) { return withoutMFA(rep.principal, &sc.result) }
	own.needKeys = func() []string { return known(rep.principal, mfa.DependsOnIn(e, sc.req, &sc.result)) }
	err := crossRow(rep, an, action, res, named, &own)
	own.needHow, own.needKeys = nil, nil
	return own, err
}

// assumeOwn is what p's own policies decide of a row of an action a trust
// policy decides (assumeRow): the requests decided, the bypasses, and what
// the row blocks (a role's, blockedRow). When the row names roles outside
// the dump, crossRow asks for how p's own side lets it through without
// MFA and by which statements (withoutMFA, needHow: how, allowedBy), and
// when nothing, for the context keys not given it depends on (needKeys:
// keys).
type assumeOwn struct {
	decisions       int
	bypasses        []mfa.Bypass
	blocked         blockedFinding
	hasBlocked      bool
	how             []string
	allowedBy       []evaluator.MatchedStatement
	hasHow, hasKeys bool
	keys            []string
	needHow         func() ([]string, []evaluator.MatchedStatement)
	needKeys        func() []string
}

// ownSide decides p's own side of the row of action on res with e, p's
// engine without a resource policy, in sc's request and result.
func ownSide(p *account.Principal, an *account.Analyzer, acct *account.Account, e *evaluator.Engine, action, res string, sc *requestScratch) assumeOwn {
	sc.req = an.LiveRequestIn(sc.req, p, action, res)
	own := sc.req
	own.ResourceAccount = acct.ID // the own side alone, whoever's role it is
	// r is made in sc's Result, decided on own itself (its MFA keys are
	// the analysis's): what the row keeps of it (bypasses, the statements
	// withoutMFA and blocked list) is its own
	r := &sc.result
	an.AnalyzeInto(r, e, own, sc.agesOf(e))
	o := assumeOwn{decisions: 2 + len(r.Ages), bypasses: r.Bypasses}
	o.blocked, o.hasBlocked = blockedRow(p, action, res, r, r.SessionWithoutMFA.Allowed())
	return o
}

// crossRow adds the row of action on res to rep: own, its principal's own
// side, and who of the roles of the account res matches admits it
// without MFA (account.Analyzer.EachRoleWithoutMFA). It is a finding when
// some role admits the principal without MFA; undecided (incomplete) when
// a role might; and when res names roles the dump does not hold, whose
// trust policies are not known, the principal's own side is reported if
// it lets the principal through without MFA, or might.
func crossRow(rep *principalReport, an *account.Analyzer, action, res string, named map[*account.Role]bool, own *assumeOwn) error {
	p := rep.principal
	rep.rows++
	rep.decisions += own.decisions
	without := account.SessionWithoutMFA
	if p.Kind == account.KindUser {
		without |= account.LongTermKeys
	}
	// for "*" (the last row), the roles the rows before named are theirs
	others := named != nil && res == "*"
	f := accountFinding{action: action, resource: res, verdict: mfa.NotRequired, bypasses: own.bypasses, others: others}
	var crosses account.Credentials
	// the roles of a large account are thousands, and many share one
	// answer and its keys
	var dependsOn, undecided keyMerge
	ra, err := an.EachRoleWithoutMFA(p, action, res, func(c account.RoleCrossing) {
		if others && len(named) > 0 && named[c.Role] {
			return
		}
		switch {
		case c.Crosses&without != 0:
			crosses |= c.Crosses & without
			f.roles = append(f.roles, c)
			if f.allowedBy == nil {
				f.allowedBy = c.AllowedBy
			}
			dependsOn.add(c.Missing)
		case c.Undecided&without != 0:
			undecided.add(c.Missing)
		}
	}, func(u account.UndecidedRole) {
		if others && named[u.Role] {
			return
		}
		if u.Undecided&without != 0 {
			undecided.add(u.Missing)
		}
	})
	if err != nil {
		return err
	}
	f.dependsOn = dependsOn.keys
	f.matched = ra.Matched
	if others {
		// (named is empty when "*" is the only row: nothing to take off)
		for i := 0; i < len(ra.Matches) && len(named) > 0; i++ {
			if named[ra.Matches[i]] {
				f.matched--
			}
		}
	} else if named != nil {
		for _, r := range ra.Matches {
			named[r] = true
		}
	}
	if crosses&account.LongTermKeys != 0 {
		f.how = append(f.how, "long-term keys")
	}
	if crosses&account.SessionWithoutMFA != 0 {
		f.how = append(f.how, "session without MFA")
	}
	switch {
	case len(f.how) > 0:
		rep.findings = append(rep.findings, f)
	case len(undecided.keys) > 0:
		// (undecided for a session: without holds the session)
		rep.incomplete = append(rep.incomplete, incompleteRow{action, res, undecided.keys, true})
	}
	if ra.Outside != "" && evaluator.SignedByCaller(action) {
		o := outsideRow{action: action, resource: res, reason: ra.Outside}
		if !own.hasHow {
			own.how, own.allowedBy = own.needHow()
			own.hasHow = true
		}
		o.how, o.allowedBy = own.how, own.allowedBy
		if len(o.how) == 0 {
			if !own.hasKeys {
				own.keys, own.hasKeys = own.needKeys(), true
			}
			o.keys = own.keys
		}
		if len(o.how) > 0 || len(o.keys) > 0 {
			rep.outside = append(rep.outside, o)
		}
	}
	// what the role's own policies allow only with MFA; a trust policy
	// that requires MFA is the reachability of the role it belongs to
	if own.hasBlocked {
		rep.blocked = append(rep.blocked, own.blocked)
	}
	return nil
}

// lacksAll reports whether p's live requests never carry any of keys (its
// tags are all in the dump, say): an entry that needs them matches nothing.
func lacksAll(p *account.Principal, keys []string) bool {
	for _, k := range keys {
		if !p.Lacks(k) {
			return false
		}
	}
	return len(keys) > 0
}

// known returns keys without those p's live requests never carry.
func known(p *account.Principal, keys []string) []string {
	var out []string
	for _, k := range keys {
		if !p.Lacks(k) {
			out = append(out, k)
		}
	}
	return out
}

// accountRefusedFlag names a flag given that makes no sense with
// --account (each principal's own policies and ARN decide), or "".
func accountRefusedFlag(f *simulateFlags) string {
	for _, x := range []struct {
		set  bool
		name string
	}{
		{len(f.policies) > 0, "--policy"}, {f.boundary != "", "--boundary"}, {f.resourcePolicy != "", "--resource-policy"},
		{len(f.sessions) > 0, "--session-policy"}, {f.caller != "", "--caller-arn"}, {f.anonymous, "--anonymous"},
		{f.owner != "", "--resource-owner"},
	} {
		if x.set {
			return x.name
		}
	}
	return ""
}

// maxAhead is how many principals' reports may be made before the writer
// has written them: enough that the workers do not wait for the writer,
// few enough that the reports waiting hold little memory.
const maxAhead = 32

// decideEachPrincipal, set by tests, makes mfa --account decide every
// principal's requests itself, as it did before the classes of principals
// (account.Classifier): the reference its output is compared with.
var decideEachPrincipal bool

type reachResult struct {
	roles []*account.RoleReach
	err   error
	// summaries are the paths to each role as the table and markdown
	// show them (capped), made beside the principals' analyses rather
	// than by the writer, one role after another, at the end
	summaries map[*account.Role]*pathSummary
}

// accountHooks are what tests give runMFAAccount: keepOwn keeps every
// user's own documents to the end (ownDocs.keep); loaded is given the
// account once it is loaded.
type accountHooks struct {
	keepOwn bool
	loaded  func(*account.Account)
	// holdReach, when not nil, holds back who can reach the roles until
	// it is closed; written is told of each report written, by index
	holdReach <-chan struct{}
	written   func(i int)
	// alike is given the reports kept of users alike (nil when none
	// were) once every report is written
	alike func(*alikeReports)
}

// ownDocs lets go of each user's own inline documents once nothing will
// read them again, which keeps the analysis's peak down: the 20,000 users
// of BENCHMARKS.md's dump hold about 17 MB of them, a fifth of the live
// heap. A user's own documents are read by its own analysis (written
// before after is called) and by who may assume each role
// (Analyzer.Reachability, which decides every user who may), so the users
// wait until reached is closed. Only users': a role's documents are read
// by the roles that chain from it, and groups' and managed policies by
// many.
type ownDocs struct {
	reached <-chan struct{}
	keep    bool
	waiting []*account.User
}

// after is told that p's report is written. The entries of a user's Inline
// are set to nil: a step that read them after that would fail, not decide
// without them.
func (d *ownDocs) after(p *account.Principal) {
	if d.keep {
		return
	}
	if p.User != nil {
		d.waiting = append(d.waiting, p.User)
	}
	if len(d.waiting) == 0 {
		return
	}
	select {
	case <-d.reached:
	default:
		return
	}
	for _, u := range d.waiting {
		clear(u.Inline)
	}
	d.waiting = d.waiting[:0]
}

// runMFAAccount analyses every principal of an account on all cores and
// writes the reports in account order as they complete.
func runMFAAccount(f *simulateFlags, sel *mfaSelection, o *opener, stdout, stderr io.Writer, hooks accountHooks) int {
	usageErr := usageError(stderr, "mfa")
	if name := accountRefusedFlag(f); name != "" {
		return usageErr("%s does not apply with --account: each principal's own policies and ARN decide (simulate --account --principal takes extra policies)", name)
	}
	if f.expect != "" && f.expect != "mfa-required" {
		return usageErr("--expect with --account takes only mfa-required: exit 1 if anything is usable without MFA or could not be checked")
	}
	if os.Getenv("GOGC") == "" {
		// The analysis keeps the account's model, who can reach each role
		// and the answers of each class of principals (about 75 MB at
		// 20,000 users) while it makes hundreds of megabytes of
		// short-lived requests, decisions and reports: the process takes
		// about 1.1 × (1 + GOGC/100) times what it keeps, plus the
		// binary's pages and the runtime's. Collecting when the heap has
		// grown by 35% rather than doubled keeps the 20,000-user run near
		// 135 MB (195 MB at the default 100, 145 MB at 50), for 5-10% more
		// CPU there and up to 20% more in a JSON run, which makes more
		// (BENCHMARKS.md).
		defer debug.SetGCPercent(debug.SetGCPercent(35))
	}
	// the report names statements by policy, Sid and index: the
	// statements users' copies of one policy repeat are kept once
	acct, err := o.loadAccountWith(f.account, account.LoadOptions{ShareStatements: true})
	if err != nil {
		printCmdErr(stderr, "mfa", err)
		return exitUsage
	}
	if hooks.loaded != nil {
		hooks.loaded(acct)
	}
	extra := *f
	extra.account, extra.principal = "", ""
	sel.fromPolicies = len(f.actions) == 0
	extra.actionsLater, extra.actionPatterns = sel.fromPolicies, true
	sim, err := simulationFromFlags(&extra, o)
	if err == nil {
		err = duplicateKeys(sim.context)
	}
	if err != nil {
		printCmdErr(stderr, "mfa", err)
		return exitUsage
	}
	run := &accountRun{levels: sel.levels, given: sim.resources, memo: mfa.NewInstanceMemo()}
	if sel.fromPolicies {
		// each principal's own: analyzePrincipal asks reach
		run.reach = mfa.NewReach(catalog.Default(), sel.levels)
	} else {
		// the actions the user named, wildcards expanded
		sim.checkActions("mfa", false, stderr)
		if err := sim.chooseActions(nil, sel, sim.actions); err != nil {
			return usageErr("%v", err)
		}
		run.names = sim.actions
		for _, a := range sim.actions {
			run.cat = append(run.cat, catalog.Default().Action(a))
		}
	}
	sim.selection = sel
	run.summarised = sim.summarised()
	run.share = run.reach
	if run.share == nil {
		run.share = mfa.NewReach(catalog.Default(), sel.levels)
	}
	run.insts = mfa.NewStarInstances(run.share)
	for _, a := range run.cat {
		x, ok := run.share.Index(a)
		if !ok {
			x = -1
		}
		run.idx = append(run.idx, x)
	}
	opts := account.Options{SCPs: sim.set.SCPs, RCPs: sim.set.RCPs}
	run.rcps, run.resourceKeys = len(sim.set.RCPs) > 0, sim.givesResourceKey()
	if len(sim.context) > 0 {
		opts.Context = func(req *request.Context) {
			for _, ce := range sim.context {
				_ = req.Set(ce.name, ce.typ, ce.values...) // checked when read
			}
		}
	}
	var principals []*account.Principal
	if f.principal != "" {
		p, err := acct.Principal(f.principal)
		if err != nil {
			if g, ok := acct.Group(f.principal); ok && (strings.HasPrefix(f.principal, "group/") || strings.Contains(f.principal, ":group/")) {
				// its members are the principals: each has its
				// policies as its own
				return usageErr("%s is a group, not a user or role: mfa --account checks its members, each with the group's policies (give one of them, or simulate --account --principal %s for the group's policies alone)", f.principal, "group/"+g.Name)
			}
			// a usage mistake, said as simulate --account says it
			return usageErr("%v", err)
		}
		principals = []*account.Principal{p}
	}
	hasRole := len(acct.Roles) > 0
	if principals != nil {
		hasRole = principals[0].Kind == account.KindRole
	}
	// When every role's callers are decided (to say how each role of the
	// report is reached), the principals' sts:AssumeRole requests are read
	// from them rather than decided again. With --principal only the
	// callers of that role, and of the roles that chain to it, are
	// decided (Analyzer.ReachabilityOf).
	opts.ShareCallers = hasRole && f.principal == ""
	opts.EachCaller = decideEachPrincipal
	an := acct.NewAnalyzer(opts)
	if principals == nil {
		// the analyzer's, which its answers name: not another copy
		principals = an.Principals()
	}

	// Who can reach each role is decided beside the principals' own
	// analyses; the writer waits for it at the first role.
	reachDone := make(chan reachResult, 1)
	// closed once who can reach the roles is decided, which reads the
	// documents of every user who may assume one
	reached := make(chan struct{})
	// (--principal: one report, nothing to let go; JSON lists every path
	// to a role with the statements of each user's own documents that
	// allow it, read at the role's report: RoleReach.Paths)
	own := &ownDocs{reached: reached, keep: hooks.keepOwn || f.principal != "" || hasRole && f.output == "json"}
	if !hasRole {
		if !own.keep && an.Prepare() == nil {
			close(reached)
		}
	} else {
		go func() {
			if hooks.holdReach != nil {
				<-hooks.holdReach
			}
			var rr reachResult
			if f.principal == "" {
				rr.roles, rr.err = an.Reachability()
			} else {
				rr.roles, rr.err = an.ReachabilityOf(principals[0].Role)
			}
			if rr.err == nil && f.output != "json" {
				rr.summaries = make(map[*account.Role]*pathSummary, len(rr.roles))
				for _, r := range rr.roles {
					ps := cappedPaths(r)
					rr.summaries[r.Role] = &ps
				}
			}
			if rr.err == nil && !own.keep {
				// what else reads every principal's documents, made
				// now: then each user's are read by its own analysis
				// alone (Analyzer.Prepare)
				rr.err = an.Prepare()
			}
			reachDone <- rr
			if rr.err == nil {
				close(reached)
			}
		}()
	}

	// workers analyse; the writer emits in order
	var classes *actionClasses
	if !decideEachPrincipal {
		classes = &actionClasses{}
		run.rows = &actionClasses{}
		run.templates = &actionClasses{}
		run.vocab = &vocabulary{m: map[*catalog.Service][2][]string{}}
	}
	if classes != nil && run.reach == nil && len(run.given) == 0 {
		// users alike but for their names are analysed once
		// (analyzeAlike), for the vocabularies of every action
		vocabs := make([][2][]string, len(run.names))
		for i, ca := range run.cat {
			if ca != nil {
				vocabs[i][0], vocabs[i][1] = run.vocab.of(ca)
			}
		}
		run.alike = &alikeReports{}
		run.principalTemplates = an.PrincipalTemplates(run.names, vocabs)
	}
	// principal i's report comes in reports[i%maxAhead]: the window below
	// lets job i start only when the writer has taken report i-maxAhead
	reports := make([]chan principalReport, min(maxAhead, len(principals)))
	for i := range reports {
		reports[i] = make(chan principalReport, 1)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// the requests and results of one principal after another
			sc := &requestScratch{}
			for i := range jobs {
				reports[i%maxAhead] <- analyzeAlike(an, acct, principals[i], run, classes, sc)
			}
		}()
	}
	// at most maxAhead reports wait for the writer: the analyses of
	// principals whose classes are decided are quick, and writing is not
	window := make(chan struct{}, maxAhead)
	go func() {
		for i := range principals {
			window <- struct{}{}
			jobs <- i
		}
		close(jobs)
	}()

	// a report that could not be written is an error, whatever it says
	ww := &errWriter{w: stdout}
	out := newAccountWriter(ww, f.output, sim, acct)
	out.begin(len(principals))
	failed := false
	// each error once: the principals whose sts:AssumeRole requests need
	// who can reach the roles all fail with the error that stopped it
	said := map[string]bool{}
	sayErr := func(err error) {
		failed = true
		if !said[err.Error()] {
			said[err.Error()] = true
			printCmdErr(stderr, "mfa", err)
		}
	}
	for i := range principals {
		rep := <-reports[i%maxAhead]
		<-window
		if rep.err != nil {
			sayErr(rep.err)
			continue
		}
		if rep.principal.Kind == account.KindRole && out.reach == nil {
			rr := <-reachDone
			if rr.err != nil {
				sayErr(rr.err)
				out.reach = map[*account.Role]*account.RoleReach{}
			} else {
				out.setReach(rr.roles)
				out.summaries = rr.summaries
			}
		}
		out.add(rep)
		own.after(principals[i])
		if hooks.written != nil {
			hooks.written(i)
		}
		if len(principals) >= 1000 && (i+1)%1000 == 0 {
			fmt.Fprintf(stderr, "iameval mfa: %d of %d principals analysed\n", i+1, len(principals))
		}
	}
	wg.Wait()
	if hooks.alike != nil {
		hooks.alike(run.alike)
	}
	if hasRole && out.reach == nil {
		// every role's report failed, so the writer did not wait for who
		// can reach the roles: it does now, so that the requests decided
		// are all counted, run after run, and its error is said too
		if rr := <-reachDone; rr.err != nil {
			sayErr(rr.err)
		}
	}
	out.end(an.Decisions())
	if ww.err != nil {
		fmt.Fprintf(stderr, "iameval mfa: %v\n", ww.err)
		return exitUsage
	}
	if len(out.unknown) > 0 {
		fmt.Fprintf(stderr, "iameval mfa: %s the catalogue does not know, so no action of %s was checked: %s\n",
			count(len(out.unknown), "Action entry of the policies is one", "Action entries of the policies are ones"), agree(len(out.unknown), "it", "them"), strings.Join(out.unknown, ", "))
	}
	if failed {
		return exitUsage
	}
	if f.expect != "" {
		if out.withoutMFA > 0 {
			fmt.Fprintf(stderr, "iameval mfa: %s can do sensitive actions without MFA\n", count(out.withoutMFA, "principal", "principals"))
			return exitCheck
		}
		if !out.complete() {
			fmt.Fprintf(stderr, "iameval mfa: --expect %s cannot be confirmed: %s (see the output)\n", f.expect, strings.Join(out.notChecked(), ", "))
			return exitCheck
		}
		if expectUnknownActions(stderr, f.expect, unknownActionNotes(out.sim)) {
			return exitCheck
		}
	}
	return exitOK
}

// accountWriter streams the account report in table, json or markdown, and
// counts what the summary says.
type accountWriter struct {
	w io.Writer
	// buf and enc, for JSON, make each principal's entry (addJSON)
	buf bytes.Buffer
	enc *json.Encoder
	// wrap, for the table, is w
	wrap   *wrapWriter
	format string
	sim    *simulation
	acct   *account.Account
	reach  map[*account.Role]*account.RoleReach
	// summaries, when not nil, are cappedPaths of each role's reach,
	// made before (reachResult)
	summaries map[*account.Role]*pathSummary
	first     bool
	// printed says whether the table listed any finding
	printed bool

	users, roles int
	// withoutMFA counts the principals that can do something without MFA
	withoutMFA int
	// counts: action \x00 how -> "users"/"roles" -> principals
	counts map[string]map[string]int
	// rows and rowDecisions are the principals' own requests
	rows, rowDecisions int
	// what was not checked, among what counts
	unchecked  map[string]*uncheckedGroup
	uncheckedN int
	// uncheckedWhy says some of them need no key but have a reason
	// (mfa.Unchecked.Reason)
	uncheckedWhy bool
	depends      detailList // "principal: action on resource (keys)"
	dependKeys   []string
	undecided    []string   // "role X (keys)"
	externals    []string   // "role X: name"
	outside      detailList // "principal: action on resource (reason): ..."
	// elsewhere are the requests on other accounts' resources, as outside
	elsewhere detailList
	// notCounted is what roles nobody reaches without MFA leave
	// unchecked, each kind with its own count
	notCounted notCounted
	// role statuses
	roleStatus map[account.ReachStatus]int
	// lines printed at the end by table and markdown
	roleLines    []roleLine
	blockedLines []string
	// mdRows are the finding rows the markdown table showed, mdRowsLeft
	// those it left out; mdHead the table's head until its first row
	mdRows, mdRowsLeft int
	mdHead             string
	// mdBypasses are the MFA conditions callers slip past (each bypass's
	// line and fix), with the principals each lets past, in the order
	// found: markdown lists them under the table, once each
	mdBypasses []mdBypass
	mdBypassAt map[string]int
	// namesCut says some list of names showed only its first maxNames
	namesCut bool

	// summarised: a principal's results are said per access level and
	// service (accountRun's actions are many, or the catalogue's)
	summarised bool
	// bySL counts the principals that can do some action of a service
	// and access level without MFA
	bySL map[slKey]*slCount
	// unknown are the Action entries of the policies the catalogue does
	// not know; pairs, minActions and maxActions count the actions checked
	unknown                       []string
	pairs, minActions, maxActions int
}

// slKey is a service and access level.
type slKey struct {
	service string
	level   catalog.AccessLevel
}

type slCount struct{ users, roles int }

// roleLine is how a role can be reached, in a sentence, with its status.
type roleLine struct {
	status account.ReachStatus
	text   string
}

// Markdown output is meant for a pull request comment, which holds about
// 65,536 characters: it shows at most these many finding rows, role lines
// and block lines (the most open roles first), and says what it left out.
const (
	maxMarkdownRows    = 50
	maxMarkdownRoles   = 25
	maxMarkdownBlocked = 20
	// maxDetailLines is how many detail lines a coverage sentence lists,
	// in every format (the JSON principals list each).
	maxDetailLines = 20
)

// detailList is a list of detail lines of the coverage: how many there
// are, and the first maxDetailLines, all that the coverage shows.
type detailList struct {
	first []string
	n     int
}

// add counts a line, and makes and keeps it if it is shown.
func (d *detailList) add(line func() string) {
	if len(d.first) < maxDetailLines {
		d.first = append(d.first, line())
	}
	d.n++
}

// addN counts n lines, and makes and keeps those shown (line(k) makes the
// k-th).
func (d *detailList) addN(n int, line func(k int) string) {
	for k := 0; k < n && len(d.first) < maxDetailLines; k++ {
		d.first = append(d.first, line(k))
	}
	d.n += n
}

// appendTo appends the lines shown, indented, and how many more there are.
func (d *detailList) appendTo(out []string) []string {
	for _, l := range d.first {
		out = append(out, "  "+l)
	}
	if d.n > len(d.first) {
		out = append(out, fmt.Sprintf("  and %d more (--output json lists each)", d.n-len(d.first)))
	}
	return out
}

// uncheckedGroup is one Resource entry that could not be rendered, with the
// principals it could not be rendered for.
type uncheckedGroup struct {
	line  string
	names []string
}

func newAccountWriter(w io.Writer, format string, sim *simulation, acct *account.Account) *accountWriter {
	var wrap *wrapWriter
	if format != "json" && format != "markdown" {
		// the table's lines fit tableWidth
		wrap = newWrapWriter(w)
		w = wrap
	}
	return &accountWriter{w: w, wrap: wrap, format: format, sim: sim, acct: acct, first: true, counts: map[string]map[string]int{},
		unchecked: map[string]*uncheckedGroup{}, roleStatus: map[account.ReachStatus]int{}, summarised: sim.summarised(), bySL: map[slKey]*slCount{}, minActions: -1}
}

func (a *accountWriter) setReach(rr []*account.RoleReach) {
	a.reach = map[*account.Role]*account.RoleReach{}
	for _, r := range rr {
		a.reach[r.Role] = r
	}
}

// notInDump lists, in phrases, the principals a filtered dump leaves out:
// get-account-authorization-details --filter prints only the lists asked
// for, and the users or roles of a list not printed are not in the dump,
// which is not the same as none in the account.
func notInDump(acct *account.Account) []string {
	var out []string
	if acct == nil {
		return nil
	}
	if !acct.UsersListed {
		out = append(out, "users: the dump has no UserDetailList (left out by --filter) so no user was checked")
	}
	if !acct.RolesListed {
		out = append(out, "roles: the dump has no RoleDetailList (left out by --filter) so no role was checked")
	}
	return out
}

// accountIDText is the dump's account id, or says it is unknown: the id is
// read from the entities' ARNs, and a dump without entities gives none.
func accountIDText(id string) string {
	if id == "" {
		return "unknown (no entity of the dump has an ARN to give it)"
	}
	return id
}

// roleSessionARN is the ARN of a role session of the account, with ACCOUNT
// standing for an account id the dump does not give.
func roleSessionARN(id string) string {
	if id == "" {
		return "arn:aws:sts::ACCOUNT:assumed-role/ROLE/" + account.SessionName + " (ACCOUNT: the account id, unknown: no entity of the dump has an ARN)"
	}
	return "arn:aws:sts::" + id + ":assumed-role/ROLE/" + account.SessionName
}

// callerModel says how the requests were built, in sentences.
// principalKey reports whether key is one of the keys each principal's
// live request carries of its own (the principal keys AWS derives, its
// tags, its unique id).
func principalKey(key string) bool {
	for _, k := range []string{request.KeyUsername, request.KeyUserID, request.KeyPrincipalARN, request.KeyPrincipalType, request.KeyPrincipalAccount} {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	const tag = "aws:PrincipalTag/"
	return len(key) > len(tag) && strings.EqualFold(key[:len(tag)], tag)
}

func (a *accountWriter) callerModel() []string {
	ctx := ""
	if len(a.sim.context) > 0 {
		ctx = ", then the keys given with --context"
		// a principal key given is every principal's: say so
		var own []string
		for _, ce := range a.sim.context {
			if principalKey(ce.name) {
				own = appendNew(own, ce.name)
			}
		}
		if len(own) > 0 {
			ctx += fmt.Sprintf(" (%s: the value given for every principal, in place of each one's own)", strings.Join(own, ", "))
		}
	}
	return []string{
		"Requests: live requests: each caller's principal keys are derived as AWS sends them (aws:username, aws:PrincipalArn, aws:PrincipalType, aws:PrincipalAccount), with what the dump tells of the principal (its tags as aws:PrincipalTag/KEY, its unique id as aws:userid; a tag missing from the Tags the dump lists is absent)" + ctx + ".",
		"Users: their own ARN, with long-term access keys (no MFA key), a session without MFA (aws:MultiFactorAuthPresent=false) and MFA (true, at every aws:MultiFactorAuthAge that matters).",
		fmt.Sprintf("Role sessions: %s (session name %q stands for the name whoever assumes the role chooses: aws:userid, ROLEID:SESSIONNAME, is not set, so a result that depends on it is undecided on aws:userid; a session a trust policy names is decided under its own name; for a role whose trust policy allows sts:TagSession, the caller chooses the session tags too: no aws:PrincipalTag is set, and a result that depends on one is undecided on it), with aws:MultiFactorAuthPresent=false and no MFA age, whatever MFA was used to assume the role.", roleSessionARN(a.acct.ID), account.SessionName),
		"Who can get a role session, and with which credentials, is decided by sts:AssumeRole against the role's trust policy: every user (each credential state) and every role session (without MFA only) of the dump with its own policies, and the services, identity providers and outside principals the trust policy names.",
	}
}

func (a *accountWriter) begin(n int) {
	switch a.format {
	case "json":
		callers, _ := json.Marshal(struct {
			Requests    string   `json:"requests"`
			Users       string   `json:"users"`
			RoleSession string   `json:"roleSession"`
			SessionName string   `json:"sessionName"`
			Model       []string `json:"model"`
		}{"live", "their own ARN", roleSessionARN(a.acct.ID), account.SessionName, a.callerModel()})
		id, _ := json.Marshal(a.acct.ID)
		if a.acct.ID == "" {
			id = []byte("null") // unknown: no entity of the dump has an ARN
		}
		fmt.Fprintf(a.w, "{\n  \"account\": %s,\n  \"callers\": %s,\n  \"summarised\": %t,\n  \"principals\": [", id, callers, a.summarised)
	case "markdown":
		fmt.Fprintf(a.w, "### iameval: what can be done without MFA in account %s\n\n", accountIDText(a.acct.ID))
		for _, l := range a.callerModel() {
			fmt.Fprintf(a.w, "- %s\n", l)
		}
		// the table's head waits for its first row (mdRow)
		a.mdHead = "\n| Principal | Action | Resource | Without MFA, with | Allowed by |\n| --- | --- | --- | --- | --- |\n"
		if a.summarised {
			a.mdHead = "\n| Principal | Without MFA | With | Including | Allowed by |\n| --- | --- | --- | --- | --- |\n"
		}
	default:
		fmt.Fprintf(a.w, "Account %s: %s.\n", accountIDText(a.acct.ID), count(n, "principal", "principals"))
		for _, l := range a.callerModel() {
			fmt.Fprintf(a.w, "%s\n", l)
		}
		if a.summarised {
			fmt.Fprintf(a.w, "\n%s allowed without MFA, per principal, service and access level:\n\n", a.actionsPhrase())
			break
		}
		fmt.Fprintf(a.w, "\nSensitive actions allowed without MFA:\n\n")
	}
}

func via(ms []evaluator.MatchedStatement) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%s %s", m.PolicyID, stmtName(m)))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, "; ")
}

// pathText describes one way into a role: the caller, what it is, and the
// credentials that cross.
func pathText(p account.Path) string {
	x := p.Assumer
	var notes []string
	switch x.Kind {
	case account.AssumerService:
		notes = append(notes, "a service: services carry no MFA")
	case account.AssumerFederated:
		notes = append(notes, "an identity provider: "+x.Action+" carries no MFA")
	case account.AssumerExternal:
		n := "outside the dump: its identity policies were not checked"
		if x.Crosses != 0 {
			n += "; counted as reachable, the safe side"
		}
		notes = append(notes, n)
	}
	if x.Kind != account.AssumerRole && x.Kind != account.AssumerService && x.Kind != account.AssumerFederated {
		c := x.Crosses.String()
		if x.Crosses&account.WithMFA != 0 {
			if x.NoAgeLimit {
				c += ", any age"
			} else {
				c += fmt.Sprintf(" up to %ds", x.MaxMFAAge)
			}
		}
		if x.Crosses != 0 {
			notes = append(notes, c)
		}
	}
	if len(x.CallerValues) > 0 {
		notes = append(notes, "passing the "+callerKeyNames(x.CallerValues)+" the trust policy names")
	}
	if x.Undecided != 0 {
		notes = append(notes, "undecided with "+x.Undecided.String()+": depends on "+strings.Join(x.Missing, ", ")+", not given")
	} else if len(x.Missing) > 0 {
		notes = append(notes, "holds without "+strings.Join(x.Missing, ", "))
	}
	if len(notes) == 0 {
		return x.Name
	}
	return x.Name + " (" + strings.Join(notes, "; ") + ")"
}

// callerKeyNames names the keys of an assumer's CallerValues ("key=value"),
// not their values: an sts:ExternalId is the trusted party's to keep.
func callerKeyNames(values []string) string {
	keys := make([]string, len(values))
	for i, v := range values {
		keys[i], _, _ = strings.Cut(v, "=")
	}
	return strings.Join(keys, " and ")
}

// pathSummary is what a report says of a role's paths: for each status,
// how many paths give it and the texts (pathText) of those shown: the
// first maxNames when capped, else all; the names of the first maxNames
// callers that reach it without MFA; the names of the callers outside the
// dump; the context keys any path's decision needed, first seen first.
type pathSummary struct {
	counts    [account.ReachWithoutMFA + 1]int
	texts     [account.ReachWithoutMFA + 1][]string
	without   []string
	externals []string
	missing   []string
}

// cappedPaths is summarisePaths of rr's paths as the table and markdown
// show them (capped).
func cappedPaths(rr *account.RoleReach) pathSummary {
	return summarisePaths(func(show func(account.ReachStatus) bool, yield func(account.Path) bool) {
		rr.EachPathShowing(true, show, yield)
	}, true)
}

// summarisePaths reads the paths each yields, in order. When capped, it
// tells each which paths it shows (account.RoleReach.EachPathShowing): the
// first maxNames of each status; of the others it reads only the status
// and what the caller's answer holds (the keys it misses), not the names.
func summarisePaths(each func(show func(account.ReachStatus) bool, yield func(account.Path) bool), capped bool) pathSummary {
	var ps pathSummary
	// the callers of one answer share its keys
	var missing keyMerge
	// (a caller that does not reach the role is no path)
	show := func(s account.ReachStatus) bool {
		return s != account.ReachNone && (!capped || ps.counts[s] < maxNames)
	}
	each(show, func(p account.Path) bool {
		s := p.Status
		ps.counts[s]++
		if !capped || ps.counts[s] <= maxNames {
			ps.texts[s] = append(ps.texts[s], pathText(p))
		}
		if s == account.ReachWithoutMFA && len(ps.without) < maxNames {
			ps.without = append(ps.without, p.Assumer.Name)
		}
		if p.Assumer.Kind == account.AssumerExternal {
			ps.externals = append(ps.externals, p.Assumer.Name)
		}
		missing.add(p.Assumer.Missing)
		return true
	})
	ps.missing = missing.keys
	return ps
}

// keyMerge merges lists of context keys, each key once, first seen first
// (appendNew). A list added before (the same slice: the callers of one
// answer share its list, and a role's callers interleave answers) is not
// read again.
//
// A role of an account of thousands of users has millions of callers: the
// lists read lately are kept by where they are, in a table each list's
// place in memory picks a slot of, so that telling one seen before costs a
// comparison, not a lookup in a map.
type keyMerge struct {
	keys   []string
	lately [keyMergeSlots]keyList
}

// keyMergeSlots is how many slots keyMerge's table has.
const keyMergeSlots = 64

// keyList is a list of keys by its memory and length.
type keyList struct {
	first *string
	n     int
}

func (m *keyMerge) add(keys []string) {
	if len(keys) == 0 {
		return
	}
	k := keyList{&keys[0], len(keys)}
	// the address of the first key, in units of a string, picks the slot
	slot := &m.lately[uintptr(unsafe.Pointer(k.first))/unsafe.Sizeof("")%keyMergeSlots]
	if *slot == k {
		return
	}
	*slot = k
	m.keys = appendNew(m.keys, keys...)
}

// capped is ps showing the texts of the first maxNames paths of each
// status only.
func (ps pathSummary) capped() pathSummary {
	for s := range ps.texts {
		ps.texts[s] = ps.texts[s][:min(len(ps.texts[s]), maxNames)]
	}
	return ps
}

// withoutNames names the callers that reach the role without MFA, the
// first maxNames, then how many more.
func (ps *pathSummary) withoutNames() string {
	n := ps.counts[account.ReachWithoutMFA]
	if n <= maxNames {
		return strings.Join(ps.without, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ps.without, ", "), n-maxNames)
}

// reachText says how a role can be reached, in a sentence: the callers of
// each kind of path that ps shows, then how many more there are.
func reachText(rr *account.RoleReach, ps *pathSummary, sessionRequests int) string {
	join := func(s account.ReachStatus) string {
		if more := ps.counts[s] - len(ps.texts[s]); more > 0 {
			return fmt.Sprintf("%s and %d more", strings.Join(ps.texts[s], ", "), more)
		}
		return strings.Join(ps.texts[s], ", ")
	}
	groups := ps.texts
	var parts []string
	switch rr.Status {
	case account.ReachNone:
		return "nobody can assume it (no user or role of the dump, and no entry point its trust policy names, is admitted)"
	case account.ReachWithoutMFA:
		parts = append(parts, "reachable without MFA via "+join(account.ReachWithoutMFA))
	case account.ReachUndecided:
		parts = append(parts, "may be reachable without MFA via "+join(account.ReachUndecided))
	case account.ReachOnlyWithMFA:
		parts = append(parts, "reachable only with MFA, via "+join(account.ReachOnlyWithMFA))
	}
	if rr.Status > account.ReachUndecided && len(groups[account.ReachUndecided]) > 0 {
		parts = append(parts, "maybe without MFA via "+join(account.ReachUndecided))
	}
	if rr.Status > account.ReachOnlyWithMFA && len(groups[account.ReachOnlyWithMFA]) > 0 {
		parts = append(parts, "with MFA via "+join(account.ReachOnlyWithMFA))
	}
	s := strings.Join(parts, "; ")
	if rr.Status < account.ReachWithoutMFA && sessionRequests > 0 {
		s += fmt.Sprintf("; what its sessions can do (%s) is not counted as usable without MFA", count(sessionRequests, "sensitive request", "sensitive requests"))
	}
	return s
}

// noneText says there is no finding row: "None.", or, when something
// was not checked (notChecked), that this is no all clear.
func (a *accountWriter) noneText() string {
	if a.complete() {
		return "None."
	}
	return "None found among what was checked, which is not an all clear: see the summary for what was not."
}

// mdRow writes a row of the markdown table, after its head for the first.
func (a *accountWriter) mdRow(format string, args ...any) {
	if a.mdHead != "" {
		fmt.Fprint(a.w, a.mdHead)
		a.mdHead = ""
	}
	a.mdRows++
	fmt.Fprintf(a.w, format, args...)
}

func (a *accountWriter) blockedText(p *account.Principal, b blockedFinding) string {
	if b.explicit {
		return fmt.Sprintf("%s: every session is denied %s on %s by its own Deny on MFA (%s), because role sessions carry aws:MultiFactorAuthPresent=false and no aws:MultiFactorAuthAge",
			p, b.action, b.resource, via(b.by))
	}
	return fmt.Sprintf("%s: no session can %s on %s: its policies allow it only with MFA (allowed with MFA by %s), and role sessions carry aws:MultiFactorAuthPresent=false and no aws:MultiFactorAuthAge",
		p, b.action, b.resource, via(b.by))
}

// status says whether a principal's results count toward the summary: a
// user's always (ReachWithoutMFA); a role's as it can be reached.
func (a *accountWriter) status(p *account.Principal) account.ReachStatus {
	if p.Kind != account.KindRole {
		return account.ReachWithoutMFA
	}
	if rr := a.reach[p.Role]; rr != nil {
		return rr.Status
	}
	return account.ReachNone
}

func (a *accountWriter) add(rep principalReport) {
	p := rep.principal
	kind := "users"
	if p.Kind == account.KindRole {
		kind = "roles"
		a.roles++
	} else {
		a.users++
	}
	a.rows += rep.rows
	a.rowDecisions += rep.decisions
	a.pairs += len(rep.names)
	if a.minActions < 0 || len(rep.names) < a.minActions {
		a.minActions = len(rep.names)
	}
	a.maxActions = max(a.maxActions, len(rep.names))
	for _, u := range rep.unknown {
		if !slices.Contains(a.unknown, u) {
			a.unknown = append(a.unknown, u)
		}
	}
	st := a.status(p)
	counted := st == account.ReachWithoutMFA
	var rr *account.RoleReach
	var paths []account.Path // rr's, made once, for JSON
	var all, ps pathSummary  // rr's paths, for JSON; capped
	if p.Kind == account.KindRole {
		rr = a.reach[p.Role]
		a.roleStatus[st]++
		if rr != nil {
			// the statements of each path are shown only in JSON, which
			// lists every path; the others show a few of each kind
			if a.format == "json" {
				paths = rr.Paths()
				all = summarisePaths(func(_ func(account.ReachStatus) bool, yield func(account.Path) bool) {
					slices.Values(paths)(yield)
				}, false)
				ps = all.capped()
			} else if s := a.summaries[p.Role]; s != nil {
				ps = *s
			} else {
				ps = cappedPaths(rr)
			}
			a.roleLines = append(a.roleLines, roleLine{rr.Status, fmt.Sprintf("%s: %s", p, reachText(rr, &ps, rep.findingRows()))})
			for s := range ps.counts {
				a.namesCut = a.namesCut || ps.counts[s] > maxNames
			}
			for _, name := range ps.externals {
				a.externals = append(a.externals, fmt.Sprintf("%s: %s", p, name))
			}
			if st == account.ReachUndecided {
				a.undecided = append(a.undecided, fmt.Sprintf("%s (%s)", p, strings.Join(ps.missing, ", ")))
			}
		}
		if a.summarised {
			if rep.sum.blocked > 0 {
				a.blockedLines = append(a.blockedLines, rep.sum.blockedText(p))
			}
			if rep.sum.blockedSome > 0 {
				a.blockedLines = append(a.blockedLines, rep.sum.blockedSomeText(p))
			}
		} else {
			for _, b := range rep.blocked {
				a.blockedLines = append(a.blockedLines, a.blockedText(p, b))
			}
		}
	}
	// what was not checked counts where it could change the answer
	if st >= account.ReachUndecided {
		for _, u := range rep.unchecked {
			key := fmt.Sprintf("%s\x00%s\x00%s\x00%d", u.action, u.Pattern, u.Statement.PolicyID, u.Statement.Index)
			g := a.unchecked[key]
			if g == nil {
				g = &uncheckedGroup{line: fmt.Sprintf("%s on %s%s: %s", u.action, u.Pattern, uncheckedFrom(u.Unchecked, true), u.why())}
				a.unchecked[key] = g
			}
			g.names = append(g.names, p.String())
			a.uncheckedN++
			a.uncheckedWhy = a.uncheckedWhy || u.Reason != ""
		}
		// a row on each resource of resources, or on resource
		addDep := func(action, resource string, resources []string, keys []string) {
			if resources == nil {
				a.depends.add(func() string { return fmt.Sprintf("%s: %s on %s (%s)", p, action, resource, strings.Join(keys, ", ")) })
			} else {
				a.depends.addN(len(resources), func(k int) string {
					return fmt.Sprintf("%s: %s on %s (%s)", p, action, resources[k], strings.Join(keys, ", "))
				})
			}
			for _, k := range keys {
				if !slices.Contains(a.dependKeys, k) {
					a.dependKeys = append(a.dependKeys, k)
				}
			}
		}
		rep.eachFinding(func(action string, f *accountFinding, resources []string) {
			if len(f.dependsOn) > 0 {
				addDep(action, f.resource, resources, f.dependsOn)
			}
		})
		rep.eachIncomplete(func(action string, r *incompleteRow, resources []string) {
			addDep(action, r.resource, resources, r.keys)
		})
		for _, o := range rep.outside {
			a.outside.add(func() string { return outsideLine(p, o) })
		}
		for _, o := range rep.elsewhere {
			a.elsewhere.add(func() string { return outsideLine(p, o) })
		}
	} else {
		a.notCounted.unchecked += len(rep.unchecked)
		a.notCounted.depends += rep.incompleteRows()
		a.notCounted.outside += len(rep.outside)
		a.notCounted.elsewhere += len(rep.elsewhere)
	}
	if counted && rep.findingRows() > 0 {
		a.withoutMFA++
		for _, g := range rep.sum.groups {
			if len(g.names) == 0 {
				continue
			}
			c := a.bySL[slKey{g.service, g.level}]
			if c == nil {
				c = &slCount{}
				a.bySL[slKey{g.service, g.level}] = c
			}
			if p.Kind == account.KindRole {
				c.roles++
			} else {
				c.users++
			}
		}
		seen := map[string]bool{}
		rep.eachFinding(func(action string, f *accountFinding, _ []string) {
			for _, how := range f.how {
				key := action + "\x00" + how
				if seen[key] {
					continue
				}
				seen[key] = true
				if a.counts[key] == nil {
					a.counts[key] = map[string]int{}
				}
				a.counts[key][kind]++
			}
		})
	}
	switch a.format {
	case "json":
		a.addJSON(rep, rr, paths, &all, counted)
	case "markdown":
		if !counted {
			return
		}
		a.mdBypassesOf(rep)
		if a.summarised {
			if rep.sum.without == 0 {
				return
			}
			if a.mdRows == maxMarkdownRows {
				a.mdRowsLeft++
				return
			}
			a.mdRow("| %s | %s | %s | %s | %s |\n", p, rep.sum.levelCount(), rep.sum.credentials(p.Kind), rep.sum.includingText(true), via(rep.sum.allowedBy()))
			return
		}
		for _, f := range rep.findings {
			a.namesCut = a.namesCut || len(f.roles) > maxNames
			if a.mdRows == maxMarkdownRows {
				a.mdRowsLeft++
				continue
			}
			a.mdRow("| %s | `%s` | `%s`%s | %s | %s |\n", p, f.action, f.resource, rolesText(f), a.howText(f), via(f.allowedBy))
		}
	default:
		if !counted || rep.findingRows() == 0 {
			return
		}
		a.printed = true
		head := p.String()
		if rr != nil {
			head += " (reachable without MFA via " + ps.withoutNames() + ")"
		}
		if a.summarised {
			fmt.Fprintf(a.w, "%s\n", rep.sum.sentence(head, p.Kind))
			lines, more := rep.sum.groupLines(maxDetailLines)
			for _, l := range lines {
				fmt.Fprintf(a.w, "  %s\n", l)
			}
			if more > 0 {
				fmt.Fprintf(a.w, "  and %s (-o json lists each)\n", count(more, "more service and access level", "more services and access levels"))
			}
			for _, b := range rep.sum.bypasses {
				fmt.Fprintf(a.w, "  bypass, on %s: %s\n    fix: %s\n", count(b.actions, "action", "actions"), a.sim.bypassLine(b.bypass), b.bypass.Fix)
			}
			return
		}
		fmt.Fprintf(a.w, "%s\n", head)
		for _, f := range rep.findings {
			fmt.Fprintf(a.w, "  %s on %s%s with %s: allowed by %s\n", f.action, f.resource, rolesText(f), a.howText(f), via(f.allowedBy))
			for _, b := range f.bypasses {
				fmt.Fprintf(a.w, "    bypass: %s\n    fix: %s\n", a.sim.bypassLine(b), b.Fix)
			}
		}
	}
}

// mdSection writes a markdown section of lines under title, the first
// maxMarkdownBlocked of them, then how many more there are (more: the
// singular and plural of what they are); what it left out is added to
// left (notShown names them), which it returns.
func (a *accountWriter) mdSection(title string, lines []string, more, notShown [2]string, left []string) []string {
	if len(lines) == 0 {
		return left
	}
	fmt.Fprintf(a.w, "\n#### %s\n\n", title)
	for i, l := range lines {
		if i == maxMarkdownBlocked {
			n := len(lines) - i
			fmt.Fprintf(a.w, "- _and %s_\n", count(n, "more "+more[0], "more "+more[1]))
			return append(left, count(n, notShown[0], notShown[1])+" not shown")
		}
		fmt.Fprintf(a.w, "- %s\n", l)
	}
	return left
}

// mdBypass is an MFA condition callers slip past, as markdown lists it.
type mdBypass struct {
	text       string // the bypass's line, ". Fix: ", its fix
	principals int
}

// mdBypassesOf counts each bypass rep's findings name once for its
// principal.
func (a *accountWriter) mdBypassesOf(rep principalReport) {
	var seen map[string]bool
	add := func(b mfa.Bypass) {
		text := a.sim.bypassLine(b) + ". Fix: " + b.Fix
		if seen[text] {
			return
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[text] = true
		i, ok := a.mdBypassAt[text]
		if !ok {
			if a.mdBypassAt == nil {
				a.mdBypassAt = map[string]int{}
			}
			i = len(a.mdBypasses)
			a.mdBypassAt[text] = i
			a.mdBypasses = append(a.mdBypasses, mdBypass{text: text})
		}
		a.mdBypasses[i].principals++
	}
	if a.summarised {
		for _, b := range rep.sum.bypasses {
			add(b.bypass)
		}
		return
	}
	for _, f := range rep.findings {
		for _, b := range f.bypasses {
			add(b)
		}
	}
}

// rolesText names the roles through which a finding on an action a trust
// policy decides is allowed, when its resource is not just that role:
// " (role A, role B: 2 of the 5 roles it matches)".
func rolesText(f accountFinding) string {
	if len(f.roles) == 0 || f.matched == 1 && len(f.roles) == 1 && f.roles[0].Role.ARN == f.resource {
		return ""
	}
	names := make([]string, len(f.roles))
	for i, c := range f.roles {
		names[i] = "role " + c.Role.Name
	}
	what := "it matches"
	if f.others {
		what = "no other resource names"
	}
	if f.matched == 1 && len(f.roles) == 1 {
		return fmt.Sprintf(" (%s: the only role %s)", names[0], what)
	}
	return fmt.Sprintf(" (%s: %d of the %s %s)", capNames(names), len(f.roles), count(f.matched, "role", "roles"), what)
}

// outsideLine is the detail line of o, p's request that the dump cannot
// decide: "principal: action on resource (reason): outsideText".
func outsideLine(p *account.Principal, o outsideRow) string {
	return fmt.Sprintf("%s: %s on %s (%s): %s", p, o.action, o.resource, o.reason, outsideText(o))
}

// outsideText says what a principal's own policies let through of a
// request whose answer a policy outside the dump decides (a role's trust
// policy, another account's resource policy).
func outsideText(o outsideRow) string {
	if len(o.how) > 0 {
		return fmt.Sprintf("its own policies allow it with %s (%s)", strings.Join(o.how, " or "), via(o.allowedBy))
	}
	return "whether its own policies allow it without MFA depends on " + strings.Join(o.keys, ", ") + ", not given"
}

// howText names the credentials of a finding, and the keys it depends on.
func (a *accountWriter) howText(f accountFinding) string {
	s := strings.Join(f.how, " or ")
	if len(f.dependsOn) > 0 {
		s += " (when " + strings.Join(f.dependsOn, ", ") + " " + agree(len(f.dependsOn), "is", "are") + " not given)"
	}
	return s
}

type jsonFinding struct {
	Action    string   `json:"action"`
	Resource  string   `json:"resource"`
	With      []string `json:"withoutMfaWith"`
	Verdict   string   `json:"verdict"`
	AllowedBy []string `json:"allowedBy"`
	Bypasses  []string `json:"bypasses,omitempty"`
	DependsOn []string `json:"dependsOn,omitempty"`
	// for an action a trust policy decides: the roles that admit the
	// principal without MFA, of the matched roles the resource matches
	Roles        []jsonRole `json:"roles,omitempty"`
	MatchedRoles int        `json:"matchedRoles,omitempty"`
}

type jsonRole struct {
	Role       string   `json:"role"`
	ARN        string   `json:"arn"`
	With       []string `json:"withoutMfaWith"`
	CallerKeys []string `json:"callerKeys,omitempty"`
	DependsOn  []string `json:"dependsOn,omitempty"`
	AllowedBy  []string `json:"allowedBy"`
}

func (a *accountWriter) jsonFindings(fs []accountFinding) []jsonFinding {
	out := []jsonFinding{}
	for _, f := range fs {
		j := jsonFinding{Action: f.action, Resource: f.resource, With: f.how, Verdict: f.verdict.String(), AllowedBy: statementNames(f.allowedBy), DependsOn: f.dependsOn,
			MatchedRoles: f.matched}
		for _, c := range f.roles {
			jr := jsonRole{Role: "role " + c.Role.Name, ARN: c.Role.ARN, With: credentialNames(c.Crosses &^ account.WithMFA), DependsOn: c.Missing, AllowedBy: statementNames(c.AllowedBy)}
			for _, v := range c.CallerValues {
				k, _, _ := strings.Cut(v, "=")
				jr.CallerKeys = append(jr.CallerKeys, k)
			}
			j.Roles = append(j.Roles, jr)
		}
		for _, b := range f.bypasses {
			j.Bypasses = append(j.Bypasses, a.sim.bypassLine(b)+". Fix: "+b.Fix)
		}
		out = append(out, j)
	}
	return out
}

func statementNames(ms []evaluator.MatchedStatement) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.PolicyID+" "+stmtName(m))
	}
	return out
}

// startCredentialNames is credentialNames for the first step of a way
// from start: a service principal has no credentials of its own, so what
// it crosses with is ["service"] (as the service), never a user's states.
func startCredentialNames(start *account.Assumer, c account.Credentials) []string {
	if start.Kind == account.AssumerService {
		if c == 0 {
			return []string{}
		}
		return []string{"service"}
	}
	return credentialNames(c)
}

func credentialNames(c account.Credentials) []string {
	out := []string{}
	for _, x := range []account.Credentials{account.LongTermKeys, account.SessionWithoutMFA, account.WithMFA} {
		if c&x != 0 {
			out = append(out, x.String())
		}
	}
	return out
}

// addJSON writes rep's entry; for a role, rr is how it is reached, paths
// its paths and all their summary, every path's text shown.
func (a *accountWriter) addJSON(rep principalReport, rr *account.RoleReach, paths []account.Path, all *pathSummary, counted bool) {
	p := rep.principal
	type jpath struct {
		Caller          string   `json:"caller"`
		Kind            string   `json:"kind"`
		ARN             string   `json:"arn"`
		Action          string   `json:"action"`
		Status          string   `json:"status"`
		Crosses         []string `json:"crosses"`
		Undecided       []string `json:"undecided"`
		IdentityChecked bool     `json:"identityChecked"`
		MaxMFAAge       *int64   `json:"maxMfaAgeSeconds"`
		NoAgeLimit      bool     `json:"noAgeLimit"`
		DependsOn       []string `json:"dependsOn"`
		CallerKeys      []string `json:"callerKeys,omitempty"`
		AllowedBy       []string `json:"allowedBy"`
	}
	type jreach struct {
		Status string  `json:"status"`
		Text   string  `json:"text"`
		Paths  []jpath `json:"paths"`
	}
	type jnot struct {
		Reason      string         `json:"reason"`
		SessionsCan *[]jsonFinding `json:"sessionsCan,omitempty"`
	}
	type jblocked struct {
		Action       string   `json:"action"`
		Resource     string   `json:"resource"`
		ExplicitDeny bool     `json:"explicitDeny"`
		DecidedBy    []string `json:"decidedBy"`
		Text         string   `json:"text"`
	}
	type jdep struct {
		Action   string   `json:"action"`
		Resource string   `json:"resource"`
		Keys     []string `json:"missingContextValues"`
	}
	// a request for roles the dump does not hold: their trust policies
	// are not known; what the principal's own policies allow of it
	type joutside struct {
		Action    string   `json:"action"`
		Resource  string   `json:"resource"`
		Outside   string   `json:"outside"`
		OwnSide   []string `json:"ownPoliciesAllowWithoutMfaWith"`
		DependsOn []string `json:"dependsOn,omitempty"`
		AllowedBy []string `json:"allowedBy"`
		// StandIn says the resource's account is made up, standing for
		// any other (standInRow)
		StandIn bool `json:"otherAccountStandIn,omitempty"`
	}
	// Findings, Incomplete and Blocked list each request, unless the
	// results are summarised (the summary then says them per service and
	// access level)
	entry := struct {
		Principal    string                `json:"principal"`
		Kind         string                `json:"kind"`
		ARN          string                `json:"arn"`
		Caller       string                `json:"caller"`
		Checked      int                   `json:"checked"`
		Summary      *jsonPrincipalSummary `json:"summary"`
		Findings     *[]jsonFinding        `json:"withoutMfa,omitempty"`
		Unchecked    []mfaJSONUnchecked    `json:"unchecked"`
		Incomplete   *[]jdep               `json:"dependsOnMissingContext,omitempty"`
		Outside      []joutside            `json:"rolesOutsideTheDump"`
		Elsewhere    []joutside            `json:"otherAccountsResources"`
		Reachability *jreach               `json:"reachability,omitempty"`
		NotCounted   *jnot                 `json:"notCounted,omitempty"`
		Blocked      []jblocked            `json:"blockedInEverySession,omitempty"`
	}{Principal: p.String(), Kind: "user", ARN: p.ARN, Caller: p.Caller, Checked: rep.rows, Summary: a.jsonSummaryOf(&rep, counted),
		Unchecked: []mfaJSONUnchecked{}}
	if !a.summarised {
		findings, incomplete := []jsonFinding{}, []jdep{}
		if counted {
			findings = a.jsonFindings(rep.findings)
		}
		for _, r := range rep.incomplete {
			incomplete = append(incomplete, jdep{r.action, r.resource, r.keys})
		}
		entry.Findings, entry.Incomplete = &findings, &incomplete
	}
	for _, u := range rep.unchecked {
		entry.Unchecked = append(entry.Unchecked, jsonUnchecked(u))
	}
	// the requests the dump cannot decide, for roles outside it and on
	// other accounts' resources
	outside := func(rows []outsideRow) []joutside {
		out := []joutside{}
		for _, o := range rows {
			out = append(out, joutside{o.action, o.resource, o.reason, append([]string{}, o.how...), o.keys, statementNames(o.allowedBy), o.standIn})
		}
		return out
	}
	entry.Outside, entry.Elsewhere = outside(rep.outside), outside(rep.elsewhere)
	var reachPath func(account.Path) jpath
	if p.Kind == account.KindRole {
		entry.Kind = "role"
		if rr != nil {
			// the sentence names as many callers as the table's (paths
			// lists each): naming every caller in it, for each of the
			// roles a whole account may assume, grew the output with
			// users × roles twice over
			capped := all.capped()
			j := &jreach{Status: rr.Status.String(), Text: reachText(rr, &capped, rep.findingRows()), Paths: []jpath{}}
			// each path is written as it is made (below): the paths of a
			// role a whole account may assume are thousands
			reachPath = func(path account.Path) jpath {
				x := path.Assumer
				jp := jpath{Caller: x.Name, Kind: x.Kind.String(), ARN: x.Caller, Action: x.Action, Status: path.Status.String(),
					Crosses: startCredentialNames(x, x.Crosses), Undecided: startCredentialNames(x, x.Undecided), IdentityChecked: x.IdentityChecked,
					NoAgeLimit: x.NoAgeLimit && x.Crosses&account.WithMFA != 0, DependsOn: append([]string{}, x.Missing...), AllowedBy: statementNames(x.AllowedBy)}
				for _, v := range x.CallerValues {
					k, _, _ := strings.Cut(v, "=")
					jp.CallerKeys = append(jp.CallerKeys, k)
				}
				if x.Crosses&account.WithMFA != 0 && !x.NoAgeLimit {
					age := x.MaxMFAAge
					jp.MaxMFAAge = &age
				}
				return jp
			}
			entry.Reachability = j
			if !counted && rep.findingRows() > 0 {
				reason := map[account.ReachStatus]string{
					account.ReachOnlyWithMFA: "reachable only with MFA: every way to a session of this role needs MFA",
					account.ReachUndecided:   "not checked: whether the role is reachable without MFA depends on context keys not given",
					account.ReachNone:        "nobody can assume this role",
				}[rr.Status]
				entry.NotCounted = &jnot{Reason: reason}
				if !a.summarised {
					can := a.jsonFindings(rep.findings)
					entry.NotCounted.SessionsCan = &can
				}
			}
		}
		for _, b := range rep.blocked {
			if a.summarised {
				break
			}
			entry.Blocked = append(entry.Blocked, jblocked{b.action, b.resource, b.explicit, statementNames(b.by), a.blockedText(p, b)})
		}
	}
	// the entry is made in a.buf, kept from one entry to the next, and
	// written at once; its fields in their order, reachability's paths
	// one by one
	b := &a.buf
	b.Reset()
	if a.first {
		b.WriteString("\n    ")
	} else {
		b.WriteString(",\n    ")
	}
	a.first = false
	if a.enc == nil {
		a.enc = json.NewEncoder(b)
	}
	// encode appends v's JSON, as json.Marshal makes it, to b
	encode := func(v any) {
		_ = a.enc.Encode(v)     // (of types that always encode)
		b.Truncate(b.Len() - 1) // Encode's newline
	}
	reach, notCounted, blocked := entry.Reachability, entry.NotCounted, entry.Blocked
	entry.Reachability, entry.NotCounted, entry.Blocked = nil, nil, nil
	encode(entry)
	b.Truncate(b.Len() - 1) // "}"
	if reach != nil {
		b.WriteString(`,"reachability":`)
		encode(reach)
		// (Paths is the last field, and empty)
		b.Truncate(b.Len() - len("]}"))
		for i, path := range paths {
			if i > 0 {
				b.WriteByte(',')
			}
			encode(reachPath(path))
		}
		b.WriteString("]}")
	}
	if notCounted != nil {
		b.WriteString(`,"notCounted":`)
		encode(notCounted)
	}
	if len(blocked) > 0 {
		b.WriteString(`,"blockedInEverySession":`)
		encode(blocked)
	}
	b.WriteByte('}')
	_, _ = a.w.Write(b.Bytes())
}

// countKeys are the keys of counts (action \x00 how), sorted.
func (a *accountWriter) countKeys() []string {
	var keys []string
	for k := range a.counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var howPhrase = map[string]string{
	"long-term keys":      "with long-term keys and no MFA",
	"session without MFA": "in a session without MFA",
}

// summary lines: "7 users can s3:DeleteObject with long-term keys and no
// MFA", counting principals; when the results are summarised, per service
// and access level ("2 users and 1 role can do s3 write actions without
// MFA"), the most first, the first maxDetailLines of them.
func (a *accountWriter) summary() []string {
	var out []string
	if a.summarised {
		keys := a.slKeys()
		sort.SliceStable(keys, func(i, j int) bool {
			ci, cj := a.bySL[keys[i]], a.bySL[keys[j]]
			return ci.users+ci.roles > cj.users+cj.roles
		})
		for i, k := range keys {
			if i == maxDetailLines {
				out = append(out, fmt.Sprintf("and %s (-o json lists each)", count(len(keys)-i, "more service and access level", "more services and access levels")))
				break
			}
			c := a.bySL[k]
			var who []string
			if c.users > 0 {
				who = append(who, count(c.users, "user", "users"))
			}
			if c.roles > 0 {
				who = append(who, count(c.roles, "role", "roles"))
			}
			out = append(out, fmt.Sprintf("%s can do %s %s actions without MFA", strings.Join(who, " and "), k.service, levelName(k.level)))
		}
		return out
	}
	for _, k := range a.countKeys() {
		action, how, _ := strings.Cut(k, "\x00")
		for _, kind := range []string{"users", "roles"} {
			n := a.counts[k][kind]
			if n == 0 {
				continue
			}
			noun := kind
			if n == 1 {
				noun = strings.TrimSuffix(kind, "s")
			}
			out = append(out, fmt.Sprintf("%d %s can %s %s", n, noun, action, howPhrase[how]))
		}
	}
	return out
}

// slKeys are the keys of bySL, by service then access level.
func (a *accountWriter) slKeys() []slKey {
	var keys []slKey
	for k := range a.bySL {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].service != keys[j].service {
			return keys[i].service < keys[j].service
		}
		return levelIndex(keys[i].level) < levelIndex(keys[j].level)
	})
	return keys
}

// fromCatalogue says whether each principal's actions are those of the
// catalogue its policies can allow (no --action).
func (a *accountWriter) fromCatalogue() bool {
	return a.sim != nil && a.sim.selection != nil && a.sim.selection.fromPolicies
}

// actionsPhrase names the actions checked, for a heading: "Write and
// permissions-management actions".
func (a *accountWriter) actionsPhrase() string {
	if !a.fromCatalogue() {
		return "Actions"
	}
	w := levelWords(a.sim.selection.levels)
	return strings.ToUpper(w[:1]) + w[1:] + " actions"
}

// levelsOr names access levels joined by "or": "write or permissions-management".
func levelsOr(l catalog.AccessLevel) string {
	parts := strings.Split(l.Flag(), ",")
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// notChecked lists, in phrases, what was not checked among what counts.
func (a *accountWriter) notChecked() []string {
	var out []string
	out = append(out, notInDump(a.acct)...)
	if a.users+a.roles == 0 {
		out = append(out, "no principal was analysed (0 principals confirm nothing)")
	}
	if a.uncheckedN > 0 {
		out = append(out, count(a.uncheckedN, "Resource entry", "Resource entries"))
	}
	if n := a.depends.n; n > 0 {
		out = append(out, fmt.Sprintf("%s on context keys not given (%s)", count(n, "result that depends", "results that depend"), capNames(a.dependKeys)))
	}
	if n := len(a.undecided); n > 0 {
		out = append(out, count(n, "role", "roles")+" that may be reachable without MFA")
	}
	if n := a.outside.n; n > 0 {
		out = append(out, count(n, "request for roles outside the dump", "requests for roles outside the dump"))
	}
	if n := a.elsewhere.n; n > 0 {
		out = append(out, count(n, "request on another account's resource", "requests on other accounts' resources"))
	}
	if n := len(a.externals); n > 0 {
		out = append(out, count(n, "outside entry point", "outside entry points")+" whose identity policies are not in the dump")
	}
	if n := len(a.unknown); n > 0 {
		out = append(out, fmt.Sprintf("%s the catalogue does not know (%s)", count(n, "Action entry", "Action entries"), capNames(a.unknown)))
	}
	return out
}

func (a *accountWriter) complete() bool { return len(a.notChecked()) == 0 }

// headline is the summary's first sentence: "0 of N" only when everything
// counted was checked.
func (a *accountWriter) headline() string {
	what := "a sensitive action"
	if a.fromCatalogue() {
		what = "a " + levelsOr(a.sim.selection.levels) + " action"
	}
	s := fmt.Sprintf("%d of %d %s can do %s without MFA", a.withoutMFA, a.users+a.roles, principalNoun(a.users, a.roles), what)
	if nc := a.notChecked(); len(nc) > 0 {
		return s + ", counting only what was checked; not checked: " + strings.Join(nc, ", ") + "."
	}
	return s + "."
}

// principalNoun names users+roles principals: "user", "roles", "users and
// roles".
func principalNoun(users, roles int) string {
	switch {
	case roles == 0 && users > 0:
		return agree(users, "user", "users")
	case users == 0 && roles > 0:
		return agree(roles, "role", "roles")
	case users > 0:
		return "users and roles"
	}
	return "principals"
}

// openAccountWords says which account a wildcard entry that leaves the
// account open is checked in, with a caller: the caller's, and beside it
// another account's, a made-up account number standing for the others
// (standInRow, simulation.otherAccountStandIn), unless standIns is false
// (why says why).
func openAccountWords(standIns bool, why string) string {
	if !standIns {
		return "in the caller's account where the entry leaves the account open, and in no other (" + why + ")"
	}
	return "in the caller's account where the entry leaves the account open, and beside it in other accounts (made-up account numbers standing for the others, without the aws:Resource... keys given, one for each set of statements that lets them in, of the finitely many accounts tried; one is listed apart as a request on another account's resource when the caller's policies let it through without MFA, or may)"
}

// coverage says what was checked and what was not, in sentences; lines
// starting with two spaces detail the line before.
func (a *accountWriter) coverage(decisions int64) []string {
	from := "the resources their policies name for each action, and *; a wildcard entry, and *, stands for a resource of each of the action's resource types it matches, named by the type's ARN format, " + openAccountWords(true, "")
	if len(a.sim.resources) > 0 && !onlyStar(a.sim.resources) {
		from = givenResourcesWords(a.sim.resources)
	}
	what := count(len(a.sim.actions), "action", "actions")
	if a.fromCatalogue() {
		c := catalog.Default()
		per := fmt.Sprintf("%d to %d", max(a.minActions, 0), a.maxActions)
		if max(a.minActions, 0) == a.maxActions {
			per = fmt.Sprint(a.maxActions)
		}
		what = fmt.Sprintf("the %s actions each principal's own policies can allow, %s a principal, %d in all; the catalogue: %s %s;",
			levelWords(a.sim.selection.levels), per, a.pairs, c.Source(), c.Version())
	}
	first := fmt.Sprintf("Checked %s of %s (%s against %s), each under long-term keys (users), a session without MFA and MFA at every age that matters; %s decided in all",
		count(a.rows, "request", "requests"), count(a.users+a.roles, "principal", "principals"), what, from, count(int(decisions), "request", "requests"))
	if trust := decisions - int64(a.rowDecisions); trust > 0 {
		first += fmt.Sprintf(", %d of them sts:AssumeRole against the roles' trust policies", trust)
	}
	out := []string{first + "."}
	if a.roles > 0 {
		out = append(out, fmt.Sprintf("%s: %d reachable without MFA, %d only with MFA, %d undecided, %d that nobody can assume.",
			count(a.roles, "role", "roles"), a.roleStatus[account.ReachWithoutMFA], a.roleStatus[account.ReachOnlyWithMFA], a.roleStatus[account.ReachUndecided], a.roleStatus[account.ReachNone]))
	}
	if a.summarised {
		out = append(out, "Each principal's results are said per service and access level (-o json names every action); give --principal and at most 20 actions with --action for a line per request.")
	}
	out = append(out, checkedAsWritten(unknownActionNotes(a.sim))...)
	if len(a.unknown) > 0 {
		out = append(out, fmt.Sprintf("The catalogue does not know %s of the policies, which give no action to check: %s.",
			count(len(a.unknown), "Action entry", "Action entries"), capNames(a.unknown)))
	}
	if a.complete() {
		out = append(out, "Everything counted was checked.")
	}
	if a.uncheckedN > 0 {
		what := "the requests lack keys for"
		if a.uncheckedWhy {
			what = "no resource could be made of (the requests lack keys for them, or see each)"
		}
		out = append(out, fmt.Sprintf("Not checked: %s %s:", count(a.uncheckedN, "Resource entry", "Resource entries"), what))
		var keys []string
		for k := range a.unchecked {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i == maxDetailLines {
				out = append(out, fmt.Sprintf("  and %d more (--output json lists each)", len(keys)-maxDetailLines))
				break
			}
			g := a.unchecked[k]
			out = append(out, "  "+g.line+" ("+names(g.names)+")")
		}
	}
	if a.depends.n > 0 {
		out = append(out, fmt.Sprintf("Not fully checked: %s on context keys that were not given (%s), which a live request would carry: give them with --context.",
			count(a.depends.n, "result depends", "results depend"), capNames(a.dependKeys)))
		out = a.depends.appendTo(out)
	}
	a.namesCut = a.namesCut || len(a.undecided) > maxNames || len(a.externals) > maxNames || len(a.dependKeys) > maxNames
	if len(a.undecided) > 0 {
		out = append(out, fmt.Sprintf("Undecided: %s may be reachable without MFA: whether a trust policy admits a caller depends on context keys not given: %s.",
			count(len(a.undecided), "role", "roles"), capJoin(a.undecided, "; ")))
	}
	if a.outside.n > 0 {
		out = append(out, fmt.Sprintf("Roles outside the dump: %s for sessions of roles the dump does not hold, which the callers' own policies let through without MFA (or might): whether those roles' trust policies admit them is not in the dump.",
			count(a.outside.n, "request", "requests")))
		out = a.outside.appendTo(out)
	}
	if a.elsewhere.n > 0 {
		out = append(out, fmt.Sprintf("Resources of other accounts: %s on resources of accounts other than the caller's, which the callers' own policies let through without MFA (or might): a request across accounts needs the resource's own policy to allow it too, and that policy is not in the dump.",
			count(a.elsewhere.n, "request", "requests")))
		out = a.elsewhere.appendTo(out)
	}
	if len(a.externals) > 0 {
		verb := "principals are"
		if len(a.externals) == 1 {
			verb = "principal is"
		}
		out = append(out, fmt.Sprintf("Outside the dump: %d %s admitted by trust policies (%s): their identity policies are not in the dump and were not checked; a role a trust policy admits one of them to is counted as reachable, the safe side.",
			len(a.externals), verb, capJoin(a.externals, "; ")))
	}
	if kinds := a.notCounted.phrases(); len(kinds) > 0 {
		out = append(out, "Not counted (of roles that nobody can reach without MFA, which cannot change what is usable without MFA): "+strings.Join(kinds, ", ")+".")
	}
	return out
}

// notCounted counts what roles that nobody can reach without MFA leave
// unchecked, by kind: Resource entries not checked, results that depend on
// context keys not given, and requests for roles outside the dump.
type notCounted struct {
	unchecked, depends, outside, elsewhere int
}

// phrases says each kind not counted with its count, leaving out those
// of none.
func (n notCounted) phrases() []string {
	var out []string
	if n.unchecked > 0 {
		out = append(out, count(n.unchecked, "unchecked Resource entry", "unchecked Resource entries"))
	}
	if n.depends > 0 {
		out = append(out, count(n.depends, "result that depends", "results that depend")+" on context keys not given")
	}
	if n.outside > 0 {
		out = append(out, count(n.outside, "request for roles outside the dump", "requests for roles outside the dump"))
	}
	if n.elsewhere > 0 {
		out = append(out, count(n.elsewhere, "request on another account's resource", "requests on other accounts' resources"))
	}
	return out
}

// count is "1 request" or "N requests".
func count(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, agree(n, one, many))
}

// agree is the word of count without the number: one when n is 1, else
// many ("is", "are").
func agree(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// maxNames is how many names a list of names shows in table and markdown
// output; JSON lists every one.
const maxNames = 10

// capNames joins names, the first maxNames of them and then "and N more".
func capNames(ns []string) string {
	if len(ns) <= maxNames {
		return strings.Join(ns, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ns[:maxNames], ", "), len(ns)-maxNames)
}

// capJoin joins items with sep, the first maxNames of them and then "and
// N more".
func capJoin(items []string, sep string) string {
	if len(items) <= maxNames {
		return strings.Join(items, sep)
	}
	return fmt.Sprintf("%s%sand %d more", strings.Join(items[:maxNames], sep), sep, len(items)-maxNames)
}

func names(ns []string) string {
	if len(ns) <= 3 {
		return strings.Join(ns, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ns[:3], ", "), len(ns)-3)
}

// appendNew appends to xs, which holds no repeats, each of ys it does not
// hold yet: dedupe(append(xs, ys...)) without making a new list.
func appendNew(xs []string, ys ...string) []string {
	for _, y := range ys {
		if !slices.Contains(xs, y) {
			xs = append(xs, y)
		}
	}
	return xs
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func (a *accountWriter) end(decisions int64) {
	lines := a.summary()
	cov := a.coverage(decisions)
	switch a.format {
	case "json":
		tail, _ := json.Marshal(struct {
			Summary accountJSONSummary `json:"summary"`
		}{a.jsonSummary(lines, cov, decisions)})
		// the tail's members continue the top-level object
		fmt.Fprintf(a.w, "\n  ],\n  %s\n}\n", strings.TrimSuffix(strings.TrimPrefix(string(tail), "{"), "}"))
	case "markdown":
		var left []string
		if a.mdRows == 0 {
			// no finding row: no table, as the table format says
			fmt.Fprintf(a.w, "\n_%s_\n", a.noneText())
		}
		if a.mdRowsLeft > 0 {
			fmt.Fprintf(a.w, "\n_%s not shown._\n", count(a.mdRowsLeft, "more row", "more rows"))
			left = append(left, count(a.mdRowsLeft, "finding row", "finding rows")+" not shown")
		}
		bypasses := make([]string, len(a.mdBypasses))
		for i, b := range a.mdBypasses {
			bypasses[i] = fmt.Sprintf("%s (%s)", b.text, count(b.principals, "principal", "principals"))
		}
		left = a.mdSection("MFA conditions callers without MFA slip past", bypasses, [2]string{"condition", "conditions"}, [2]string{"condition slipped past", "conditions slipped past"}, left)
		if len(a.roleLines) > 0 {
			fmt.Fprintf(a.w, "\n#### Roles: who can get a session\n\n")
			// the most open roles first
			lines := append([]roleLine{}, a.roleLines...)
			sort.SliceStable(lines, func(i, j int) bool { return lines[i].status > lines[j].status })
			for i, l := range lines {
				if i == maxMarkdownRoles {
					n := len(lines) - i
					fmt.Fprintf(a.w, "- _and %s, %sless open than those above_\n", count(n, "more role", "more roles"), agree(n, "", "each "))
					left = append(left, count(len(lines)-i, "role", "roles")+" not shown")
					break
				}
				fmt.Fprintf(a.w, "- %s\n", l.text)
			}
		}
		left = a.mdSection("Role sessions denied by their own MFA conditions", a.blockedLines, [2]string{"denied session", "denied sessions"}, [2]string{"denied session", "denied sessions"}, left)
		defer func() {
			if a.namesCut {
				left = append(left, fmt.Sprintf("lists of names cut after the first %d", maxNames))
			}
			if len(left) > 0 {
				fmt.Fprintf(a.w, "\n_Output capped to fit a pull request comment (%s). The table output lists every finding and role; --output json lists everything._\n",
					strings.Join(left, "; "))
			}
		}()
		fmt.Fprintf(a.w, "\n#### Summary\n\n**%s**\n\n", a.headline())
		for _, l := range lines {
			fmt.Fprintf(a.w, "- %s\n", l)
		}
		fmt.Fprintf(a.w, "\n#### Coverage\n\n")
		for _, l := range cov {
			if strings.HasPrefix(l, "  ") {
				fmt.Fprintf(a.w, "  - %s\n", strings.TrimSpace(l))
				continue
			}
			fmt.Fprintf(a.w, "- %s\n", l)
		}
	default:
		if !a.printed {
			fmt.Fprintf(a.w, "  (%s)\n", strings.ToLower(strings.TrimSuffix(a.noneText(), ".")))
		}
		if len(a.roleLines) > 0 {
			fmt.Fprintf(a.w, "\nRoles: who can get a session (sts:AssumeRole against each trust policy):\n")
			for _, l := range a.roleLines {
				fmt.Fprintf(a.w, "  %s\n", l.text)
			}
		}
		if len(a.blockedLines) > 0 {
			fmt.Fprintf(a.w, "\nRole sessions denied by their own MFA conditions:\n")
			for _, l := range a.blockedLines {
				fmt.Fprintf(a.w, "  %s\n", l)
			}
		}
		fmt.Fprintf(a.w, "\nSummary: %s\n", a.headline())
		for _, l := range lines {
			fmt.Fprintf(a.w, "  %s\n", l)
		}
		fmt.Fprintf(a.w, "\n")
		for _, l := range cov {
			fmt.Fprintf(a.w, "%s\n", l)
		}
		a.wrap.Flush()
	}
}

// accountJSONSummary is the summary of mfa --account's JSON: the counts,
// the principals that can do each action without MFA, what was not checked
// (NotChecked, in phrases; Complete when it is empty), and the lines the
// table ends with as Text.
type accountJSONSummary struct {
	Principals          int `json:"principals"`
	Users               int `json:"users"`
	Roles               int `json:"roles"`
	WithoutMFA          int `json:"withoutMfa"`
	Requests            int `json:"requests"`
	Decisions           int `json:"decisions"`
	Unchecked           int `json:"uncheckedResourceEntries"`
	Depends             int `json:"dependsOnMissingContext"`
	RolesWithoutMFA     int `json:"rolesReachableWithoutMfa"`
	RolesOnlyWithMFA    int `json:"rolesReachableOnlyWithMfa"`
	RolesUndecided      int `json:"rolesUndecided"`
	RolesUnreachable    int `json:"rolesUnreachable"`
	ExternalEntryPoints int `json:"externalEntryPoints"`
	// RolesOutside counts the requests for roles outside the dump
	RolesOutside int `json:"rolesOutsideTheDump"`
	// OtherAccounts counts the requests on other accounts' resources
	// that the callers' own policies let through without MFA, or might
	OtherAccounts int `json:"otherAccountsResources"`
	// NotCounted counts, by kind, what roles that nobody can reach without
	// MFA leave unchecked: none of it is in the counts above, as it cannot
	// change what is usable without MFA
	NotCounted accountJSONNotCounted `json:"notCounted"`
	// CanWithoutMFA are the summary's lines as data: for each action and
	// credentials, how many users and roles can do it without MFA
	CanWithoutMFA []accountJSONCan `json:"canWithoutMfa"`
	// ByServiceAndLevel counts, for each service and access level, the
	// users and roles that can do some of its actions without MFA
	ByServiceAndLevel []accountJSONSL `json:"byServiceAndLevel"`
	// UnknownActionEntries are the Action entries of the policies the
	// catalogue does not know, which give no action to check
	UnknownActionEntries []string `json:"unknownActionEntries"`
	NotChecked           []string `json:"notChecked"`
	Complete             bool     `json:"complete"`
	Text                 string   `json:"text"`
}

// accountJSONNotCounted is notCounted in JSON.
type accountJSONNotCounted struct {
	Unchecked     int `json:"uncheckedResourceEntries"`
	Depends       int `json:"dependsOnMissingContext"`
	RolesOutside  int `json:"rolesOutsideTheDump"`
	OtherAccounts int `json:"otherAccountsResources"`
}

type accountJSONSL struct {
	Service string `json:"service"`
	Level   string `json:"level"`
	Users   int    `json:"users"`
	Roles   int    `json:"roles"`
}

type accountJSONCan struct {
	Action      string `json:"action"`
	Credentials string `json:"credentials"`
	Users       int    `json:"users"`
	Roles       int    `json:"roles"`
}

// jsonSummary is the account's summary in JSON; lines and cov are the
// summary lines and coverage the table prints.
func (a *accountWriter) jsonSummary(lines, cov []string, decisions int64) accountJSONSummary {
	text := []string{a.headline()}
	for _, l := range lines {
		text = append(text, "  "+l)
	}
	text = append(text, cov...)
	s := accountJSONSummary{Principals: a.users + a.roles, Users: a.users, Roles: a.roles, WithoutMFA: a.withoutMFA, Requests: a.rows, Decisions: int(decisions),
		Unchecked: a.uncheckedN, Depends: a.depends.n, RolesWithoutMFA: a.roleStatus[account.ReachWithoutMFA], RolesOnlyWithMFA: a.roleStatus[account.ReachOnlyWithMFA],
		RolesUndecided: a.roleStatus[account.ReachUndecided], RolesUnreachable: a.roleStatus[account.ReachNone], ExternalEntryPoints: len(a.externals), RolesOutside: a.outside.n,
		OtherAccounts: a.elsewhere.n,
		NotCounted:    accountJSONNotCounted{a.notCounted.unchecked, a.notCounted.depends, a.notCounted.outside, a.notCounted.elsewhere},
		CanWithoutMFA: []accountJSONCan{}, ByServiceAndLevel: []accountJSONSL{}, UnknownActionEntries: append([]string{}, a.unknown...), NotChecked: append([]string{}, a.notChecked()...), Complete: a.complete(), Text: strings.Join(text, "\n")}
	for _, k := range a.countKeys() {
		action, how, _ := strings.Cut(k, "\x00")
		s.CanWithoutMFA = append(s.CanWithoutMFA, accountJSONCan{action, how, a.counts[k]["users"], a.counts[k]["roles"]})
	}
	for _, k := range a.slKeys() {
		s.ByServiceAndLevel = append(s.ByServiceAndLevel, accountJSONSL{k.service, levelName(k.level), a.bySL[k].users, a.bySL[k].roles})
	}
	return s
}

// withoutMFA says with which credentials without MFA p's request is allowed
// in r (long-term keys only for a user: a role has none), and the
// statements that allow the first of them.
func withoutMFA(p *account.Principal, r *mfa.Result) (how []string, allowedBy []evaluator.MatchedStatement) {
	if p.Kind == account.KindUser && r.LongTermKeys.Allowed() {
		how = append(how, "long-term keys")
		allowedBy = r.LongTermKeys.MatchedStatements()
	}
	if r.SessionWithoutMFA.Allowed() {
		how = append(how, "session without MFA")
		if allowedBy == nil {
			allowedBy = r.SessionWithoutMFA.MatchedStatements()
		}
	}
	return how, allowedBy
}
