package main

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/internal/keyhash"
	"github.com/iameval/iameval/mfa"
)

// Users alike but for their names.
//
// An account made from templates gives thousands of users the same groups,
// managed policies and tags, and copies of the same inline policies with
// each user's name written in. Two such users are of one principal
// template (account.PrincipalTemplates): whatever their own policies
// decide of any action analysed, the second's is the first's with the
// names replaced, in the resources and Resource entries of its rows
// (actionPart.addRenamedTo, as for a template class), and its statements
// those of its own policies in the same places. So the first user of each
// principal template is analysed, and what the others' own policies
// decide is carried over: every entry of an action no trust policy
// decides, and for one a trust policy decides (sts:AssumeRole), the own
// side of each row (assumeOwn), which crossRow then puts beside what the
// trust policies of the roles the row names decide of the user itself
// (account.Analyzer.EachRoleWithoutMFA: the roles are the dump's, not
// renamed).
//
// A report is carried over only when every entry can be renamed
// (actionPart.renamable), the rows of the actions a trust policy decides
// name the user nowhere (keep), and no answer is shared between actions
// in a summary (principalReport.shared); and only for the actions the
// user gave (--action), analysed on the resources the policies name: the
// vocabularies PrincipalTemplates checks the name against are those of
// the actions given, and a resource the user gave is not renamed.

// alikeReports are the reports of the first user of each principal
// template, by key; plain keeps once the parts of them that name neither
// the user nor a statement (the rows of an action that depend on context
// keys not given, alike for thousands of users), by content.
type alikeReports struct {
	keyhash.Table[alikeReport]
	plain keyhash.Table[plainPart]
}

type plainPart struct {
	once sync.Once
	part *actionPart
}

// keepPlain returns a copy of part, which names no statement, kept once
// for every part of the same content; *room is the room of its key.
func (t *alikeReports) keepPlain(part *actionPart, room *[]byte) *actionPart {
	return t.keepShared(part, "", room)
}

// keepNamed is keepPlain for a part that names user name in its
// resources (and no statement): kept once for every part that is the same
// but for the name of the user it names, with the name of the first
// (actionPart.origin), which carry renames. Renaming a part so shared from
// its origin gives what renaming the part it stands for from its own user
// would: both are the same text with the same places replaced
// (strings.ReplaceAll), which a 0 byte stands for in the key. ok is false
// when a resource holds a 0 byte already.
func (t *alikeReports) keepNamed(part *actionPart, name string, room *[]byte) (kept *actionPart, ok bool) {
	for _, r := range part.incomplete {
		if strings.IndexByte(r.resource, 0) >= 0 {
			return nil, false
		}
	}
	return t.keepShared(part, name, room), true
}

func (t *alikeReports) keepShared(part *actionPart, name string, room *[]byte) *actionPart {
	b := (*room)[:0]
	if name != "" {
		b = append(b, 'N')
	}
	b = strconv.AppendInt(b, int64(part.rows), 10)
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(part.decisions), 10)
	for _, r := range part.incomplete {
		b = append(b, 1)
		if r.session {
			b = append(b, 3)
		}
		b = strconv.AppendQuote(b, r.action)
		res := r.resource
		if name != "" {
			res = strings.ReplaceAll(res, name, "\x00")
		}
		b = strconv.AppendQuote(b, res)
		for _, k := range r.keys {
			b = append(b, 2)
			b = strconv.AppendQuote(b, k)
		}
	}
	*room = b
	e := t.plain.Get(b)
	e.once.Do(func() {
		e.part = &actionPart{rows: part.rows, decisions: part.decisions, incomplete: slices.Clone(part.incomplete), origin: name}
	})
	return e.part
}

type alikeReport struct {
	once sync.Once
	// ok says the report can be carried over: its user's name, the
	// slots of its engine, how it was made (trace, until kept)
	ok    bool
	name  string
	slots account.Slots
	trace principalTrace
	// parts are the entries of each action (for one a trust policy
	// decides, the Resource entries that could not be rendered, then the
	// own side of each row, rows), kept apart from the report; names,
	// cat and unknown the report's
	parts []*actionPart
	rows  []keptRows
	// named says which actions name the user (account.PrincipalTemplates
	// Key): their entries are renamed, the others' are the same
	named   []bool
	names   []string
	cat     []*catalog.Action
	unknown []string
}

// principalTrace is what analyzePrincipal tells of its analysis: where
// each action's entries begin in the report (one more section than the
// actions: the end), and the own side of each row of the actions a trust
// policy decides, by the action's place (nil for the others).
type principalTrace struct {
	sections []reportSection
	rows     [][]ownRow
}

// reportSection is where an action's entries begin in a report: the
// lengths of its lists and its counts when the action's analysis began.
type reportSection struct {
	rows, decisions                                     int
	findings, blocked, unchecked, incomplete, elsewhere int
	outside                                             int
}

// section returns where the next action's entries begin in rep.
func (rep *principalReport) section() reportSection {
	return reportSection{rep.rows, rep.decisions, len(rep.findings), len(rep.blocked), len(rep.unchecked),
		len(rep.incomplete), len(rep.elsewhere), len(rep.outside)}
}

// part returns the entries of action i of rep, which sections (its
// analysis's) place.
func (rep *principalReport) part(sections []reportSection, i int) actionPart {
	from, to := sections[i], sections[i+1]
	return actionPart{
		rows: to.rows - from.rows, decisions: to.decisions - from.decisions,
		findings:   rep.findings[from.findings:to.findings],
		blocked:    rep.blocked[from.blocked:to.blocked],
		unchecked:  rep.unchecked[from.unchecked:to.unchecked],
		incomplete: rep.incomplete[from.incomplete:to.incomplete],
		elsewhere:  rep.elsewhere[from.elsewhere:to.elsewhere],
	}
}

// analyzeAlike is analyzePrincipal, carrying over the report of the first
// user of p's principal template when it can (see above).
func analyzeAlike(an *account.Analyzer, acct *account.Account, p *account.Principal, run *accountRun, classes *actionClasses, sc *requestScratch) principalReport {
	if run.alike == nil || p.Kind != account.KindUser {
		return analyzePrincipal(an, acct, p, run, classes, sc, nil)
	}
	var key []byte
	var slots account.Slots
	var named []bool
	var ok bool
	sc.template, key, slots, named, ok = run.principalTemplates.Key(sc.template, p)
	if !ok {
		return analyzePrincipal(an, acct, p, run, classes, sc, nil)
	}
	m := run.alike.Get(key)
	first := false
	var rep principalReport
	m.once.Do(func() {
		first = true
		rep = analyzePrincipal(an, acct, p, run, classes, sc, &m.trace)
		m.keep(rep, slots, named, run.alike, &sc.plainKey)
		m.trace = principalTrace{}
	})
	if first {
		return rep
	}
	if m.ok {
		if rep, ok := m.carry(an, p, slots, run, sc); ok {
			return rep
		}
	}
	return analyzePrincipal(an, acct, p, run, classes, sc, nil)
}

// keep makes m from rep, the report of the first user of its principal
// template, whose engine holds slots: ok when it can be carried over to a
// user of another name. That is so when every entry can be renamed
// (actionPart.renamable), and the rows of each action a trust policy
// decides, whose roles are the dump's and are not renamed, name the user
// nowhere: their resources and the Resource entries that could not be
// rendered do not hold its name, nor do their bypasses' texts. room is the
// room of keepPlain's keys.
func (m *alikeReport) keep(rep principalReport, slots account.Slots, named []bool, alike *alikeReports, room *[]byte) {
	tr := &m.trace
	if rep.err != nil || rep.shared.any() || len(tr.sections) != len(rep.names)+1 {
		return
	}
	name := rep.principal.Name
	lower := strings.ToLower(name)
	parts := make([]*actionPart, len(rep.names))
	var rows []keptRows
	for i, a := range rep.names {
		part := rep.part(tr.sections, i)
		if !isAssumeRole(a) {
			// (only assumeRow says what roles outside the dump need)
			if !part.renamable(name) || tr.sections[i].outside != tr.sections[i+1].outside {
				return
			}
			if len(part.findings) == 0 && len(part.blocked) == 0 && len(part.unchecked) == 0 && len(part.elsewhere) == 0 {
				if !named[i] {
					parts[i] = alike.keepPlain(&part, room)
					continue
				}
				if kept, ok := alike.keepNamed(&part, name, room); ok {
					parts[i] = kept
					continue
				}
			}
			// copied: the report goes once written
			parts[i] = &actionPart{rows: part.rows, decisions: part.decisions,
				findings: slices.Clone(part.findings), blocked: slices.Clone(part.blocked), unchecked: slices.Clone(part.unchecked),
				incomplete: slices.Clone(part.incomplete), elsewhere: slices.Clone(part.elsewhere)}
			continue
		}
		if i >= len(tr.rows) {
			return
		}
		holds := func(s string) bool { return strings.Contains(strings.ToLower(s), lower) }
		for _, u := range part.unchecked {
			if holds(u.Pattern) {
				return
			}
		}
		for _, r := range tr.rows[i] {
			if holds(r.res) {
				return
			}
			for _, b := range r.own.bypasses {
				if holds(b.Fix) || holds(b.Kind) {
					return
				}
			}
		}
		parts[i] = &actionPart{unchecked: slices.Clone(part.unchecked)}
		rows = append(rows, keptRows{i, tr.rows[i]})
	}
	m.ok, m.name, m.slots, m.parts, m.rows, m.named = true, name, slots, parts, rows, named
	m.names, m.cat, m.unknown = rep.names, rep.cat, rep.unknown
}

// rowsOf returns the rows kept of action i (nil when no trust policy
// decides it).
func (m *alikeReport) rowsOf(i int) []ownRow {
	for _, r := range m.rows {
		if r.action == i {
			return r.rows
		}
	}
	return nil
}

// keptRows are the own side of each row of the action at index action, one
// a trust policy decides (of a few of a report's actions at most).
type keptRows struct {
	action int
	rows   []ownRow
}

// carry returns p's report from m's, and whether it could: the entries of
// each action no trust policy decides renamed; for the others, the own
// side of each row mapped to p's policies, and the roles that admit p
// found for p (crossRow); sc is the worker's room. ok is false when a row asks of its own side
// what the first user's did not (never, as their rows name the same roles).
func (m *alikeReport) carry(an *account.Analyzer, p *account.Principal, slots account.Slots, run *accountRun, sc *requestScratch) (rep principalReport, ok bool) {
	rep = principalReport{principal: p, names: m.names, cat: m.cat, unknown: m.unknown}
	// the entries carried over, in lists made once at their length; each
	// row of an action a trust policy decides adds at most a finding, an
	// undecided row or a blocked one (crossRow)
	var findings, blocked, unchecked, incomplete, elsewhere int
	for i, part := range m.parts {
		findings += len(part.findings) + len(m.rowsOf(i))
		blocked += len(part.blocked) + len(m.rowsOf(i))
		unchecked += len(part.unchecked)
		incomplete += len(part.incomplete) + len(m.rowsOf(i))
		elsewhere += len(part.elsewhere)
	}
	rep.findings = make([]accountFinding, 0, findings)
	rep.blocked = make([]blockedFinding, 0, blocked)
	rep.unchecked = make([]uncheckedResource, 0, unchecked)
	rep.incomplete = make([]incompleteRow, 0, incomplete)
	rep.elsewhere = make([]outsideRow, 0, elsewhere)
	decisions := 0
	missed := false
	for i, a := range rep.names {
		part := m.parts[i]
		if !isAssumeRole(a) {
			if m.named[i] {
				from := m.name
				if part.origin != "" {
					// shared with templates alike but for the name
					// (keepNamed)
					from = part.origin
				}
				part.addRenamedTo(&rep.actionPart, m.slots, slots, from, p.Name)
			} else {
				part.addToPart(&rep.actionPart, m.slots, slots)
			}
			decisions += part.decisions
			continue
		}
		part.addToPart(&rep.actionPart, m.slots, slots)
		var named map[*account.Role]bool
		if len(run.given) == 0 {
			named = map[*account.Role]bool{}
		}
		for _, r := range m.rowsOf(i) {
			own := r.own
			own.bypasses = mapBypasses(own.bypasses, m.slots, slots)
			own.allowedBy = m.slots.MapAll(own.allowedBy, slots)
			own.needHow = func() ([]string, []evaluator.MatchedStatement) { missed = true; return nil, nil }
			own.needKeys = func() []string { missed = true; return nil }
			decisions += own.decisions
			if rep.err = crossRow(&rep, an, a, r.res, named, &own); rep.err != nil {
				return rep, true
			}
		}
	}
	if missed {
		return rep, false
	}
	// counted as the first user's were (each answer found once and
	// counted again for each principal it stands for)
	an.CountDecisions(decisions)
	rep.sum = summarise(&rep, run.levels, len(run.given) > 0, &sc.summary)
	return rep, true
}

// mapBypasses returns bs with their statements and clauses those of the
// policies to in the places of from's (account.Slots.Map).
func mapBypasses(bs []mfa.Bypass, from, to account.Slots) []mfa.Bypass {
	if bs == nil || from.Same(to) {
		return bs
	}
	out := make([]mfa.Bypass, len(bs))
	for i, b := range bs {
		b.Clause = from.MapClause(b.Statement, b.Clause, to)
		b.Statement = from.Map(b.Statement, to)
		out[i] = b
	}
	return out
}
