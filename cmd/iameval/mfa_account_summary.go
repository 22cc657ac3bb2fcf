package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
)

// principalSummary is one principal's report per access level and
// service: what a review reads when the actions are hundreds.
type principalSummary struct {
	// actions are the actions checked, without those allowed without MFA
	// on some resource; keys and session those allowed with long-term
	// keys and in a session without MFA
	actions, without, keys, session int
	// levels counts the actions without MFA at each access level
	// (reviewLevel; 0 for an action the catalogue does not know)
	levels map[catalog.AccessLevel]int
	// groups are the services and access levels of the actions checked,
	// by service then level
	groups []*summaryGroup
	// including names up to maxIncluding actions without MFA, the most
	// telling first (headlineActions)
	including []string
	bypasses  []bypassCount
	// depends counts the results (other than those allowed without MFA)
	// that depend on context keys not given, keys those keys
	depends int
	missing []string
	// elsewhere counts the requests on other accounts' resources that
	// the principal's own policies let through without MFA, or might: not
	// checked (otherAccountRow)
	elsewhere int
	// unchecked counts the Resource entries not checked
	unchecked int
	// blocked counts the actions a role's own policies allow only with
	// MFA (blockedFinding) on every resource checked: no request of the
	// action is allowed to its sessions, nor may be with keys not given
	// (incompleteRow.session), nor is left unchecked; blockedBy are the
	// statements that decide them, blockedEx their names. blockedSome
	// counts those denied so on some resources, which its sessions may do
	// on others (AWS decides each request on its own).
	blocked       int
	blockedBy     []evaluator.MatchedStatement
	blockedEx     []string
	blockedSome   int
	blockedSomeBy []evaluator.MatchedStatement
	blockedSomeEx []string
}

// summaryGroup is a principal's actions of one service and access level.
type summaryGroup struct {
	service string
	level   catalog.AccessLevel
	// actions are the actions checked; names those allowed without MFA,
	// allowedBy the statements that allow them
	actions   int
	names     []string
	allowedBy []evaluator.MatchedStatement
}

// bypassCount is a bypass and the number of actions it lets through.
type bypassCount struct {
	bypass  mfa.Bypass
	actions int
}

// maxIncluding is how many actions a principal's summary names.
const maxIncluding = 5

// headlineActions are the actions a review asks about first, named first
// in a principal's summary when it can do them without MFA: a way to new
// credentials or more permissions, to switch off MFA or the audit trail,
// to destroy what cannot be restored.
var headlineActions = func() map[string]int {
	m := map[string]int{}
	for i, a := range []string{
		"iam:CreateAccessKey", "iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:CreateUser", "iam:CreateLoginProfile",
		"iam:UpdateLoginProfile", "iam:DeactivateMFADevice", "iam:DeleteVirtualMFADevice", "iam:AttachRolePolicy",
		"iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion", "iam:PassRole", "sts:AssumeRole",
		"organizations:LeaveOrganization", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "kms:ScheduleKeyDeletion",
		"s3:PutBucketPolicy", "s3:DeleteBucket", "s3:DeleteObject", "ec2:TerminateInstances",
	} {
		m[a] = i
	}
	return m
}()

// levelOrder is the order of access levels in sentences and tables
// (catalogue order), sensitivity the order reviewLevel prefers.
var (
	levelOrder  = []catalog.AccessLevel{catalog.List, catalog.Read, catalog.Write, catalog.PermissionsManagement, catalog.Tagging, 0}
	sensitivity = []catalog.AccessLevel{catalog.PermissionsManagement, catalog.Write, catalog.Tagging, catalog.Read, catalog.List}
)

// reviewLevel is the one access level an action counts at in a summary: of
// its levels among those checked (or of all its levels, for an action
// named outside them), the most sensitive. An action the catalogue does
// not know is at 0.
func reviewLevel(a *catalog.Action, checked catalog.AccessLevel) catalog.AccessLevel {
	if a == nil {
		return 0
	}
	l := a.Level & checked
	if l == 0 {
		l = a.Level
	}
	for _, s := range sensitivity {
		if l.Has(s) {
			return s
		}
	}
	return 0
}

// levelName names a level as --access-level does ("permissions-management").
func levelName(l catalog.AccessLevel) string {
	if l == 0 {
		return "unknown"
	}
	return l.Flag()
}

// statementKey tells statements apart.
type statementKey struct {
	policy string
	index  int
}

// addStatements adds to list the statements of ms it does not hold.
func addStatements(list []evaluator.MatchedStatement, seen map[statementKey]bool, ms []evaluator.MatchedStatement) []evaluator.MatchedStatement {
	for _, m := range ms {
		k := statementKey{m.PolicyID, m.Index}
		if !seen[k] {
			seen[k] = true
			list = append(list, m)
		}
	}
	return list
}

// groupKey names a summaryGroup.
type groupKey struct {
	service string
	level   catalog.AccessLevel
}

// groupStatement is a statement of the group at a place of
// summaryScratch.groups.
type groupStatement struct {
	group int
	statementKey
}

// summaryScratch is summarise's room, which a worker keeps from one
// principal to the next: the groups of every service and access level of
// the actions checked, found by at, and the statements each one lists.
// Only the groups with actions without MFA are kept in the summary (all
// that any format shows): over the catalogue a principal checks actions
// of hundreds of services, and may do few of them without MFA.
type summaryScratch struct {
	at     map[groupKey]int
	groups []summaryGroup
	seen   map[groupStatement]bool
}

// summarise makes rep's summary in sc's room. The
// findings, incomplete results and blocks of rep are in the order of its
// actions (analyzePrincipal), which it reads in step. given says the
// resources were given (--resource): the others were not checked.
func summarise(rep *principalReport, levels catalog.AccessLevel, given bool, sc *summaryScratch) *principalSummary {
	s := &principalSummary{actions: len(rep.names), levels: map[catalog.AccessLevel]int{}, elsewhere: len(rep.elsewhere), unchecked: len(rep.unchecked)}
	if sc.at == nil {
		sc.at, sc.seen = map[groupKey]int{}, map[groupStatement]bool{}
	}
	clear(sc.at)
	clear(sc.seen)
	// each group is new: its lists go with the summary that keeps it
	sc.groups = sc.groups[:0]
	bypassAt := map[statementKey]int{}
	blockedSeen, blockedSomeSeen := map[statementKey]bool{}, map[statementKey]bool{}
	// the actions with a request on another account's resource or a
	// Resource entry not checked: not known to be denied everywhere
	open := map[string]bool{}
	for _, o := range rep.elsewhere {
		open[o.action] = true
	}
	for _, u := range rep.unchecked {
		open[u.action] = true
	}
	var by []evaluator.MatchedStatement // the blocks' statements of an action
	type ranked struct {
		name string
		rank int
	}
	var named []ranked
	fi, ii, bi := 0, 0, 0
	var bypassed []int // the bypasses counted for the action
	for i, name := range rep.names {
		ca := rep.cat[i]
		level := reviewLevel(ca, levels)
		service, _, _ := strings.Cut(name, ":")
		if ca != nil {
			service = ca.Service.Prefix
		}
		k := groupKey{service, level}
		gi, ok := sc.at[k]
		if !ok {
			gi = len(sc.groups)
			sc.at[k] = gi
			sc.groups = append(sc.groups, summaryGroup{service: service, level: level})
		}
		g := &sc.groups[gi]
		g.actions++
		keys, session, maybe := false, false, false
		bypassed = bypassed[:0]
		by = by[:0]
		finding := func(f *accountFinding) {
			for _, how := range f.how {
				keys = keys || how == "long-term keys"
				session = session || how == "session without MFA"
			}
			for _, m := range f.allowedBy {
				if k := (groupStatement{gi, statementKey{m.PolicyID, m.Index}}); !sc.seen[k] {
					sc.seen[k] = true
					g.allowedBy = append(g.allowedBy, m)
				}
			}
			for _, b := range f.bypasses {
				bk := statementKey{b.Statement.PolicyID + "\x00" + b.Kind, b.Statement.Index}
				at, ok := bypassAt[bk]
				if !ok {
					at = len(s.bypasses)
					bypassAt[bk] = at
					s.bypasses = append(s.bypasses, bypassCount{bypass: b})
				}
				if !slices.Contains(bypassed, at) {
					bypassed = append(bypassed, at)
					s.bypasses[at].actions++
				}
			}
		}
		incomplete := func(r *incompleteRow, n int) {
			maybe = maybe || r.session
			s.depends += n
			for _, key := range r.keys {
				if !slices.Contains(s.missing, key) {
					s.missing = append(s.missing, key)
				}
			}
		}
		blockedHere := false
		if part := rep.shared.at(i); part != nil {
			// one request's rows stand for one on each instance
			n := len(rep.instances(i))
			for j := range part.findings {
				finding(&part.findings[j])
			}
			for j := range part.incomplete {
				incomplete(&part.incomplete[j], n)
			}
			for j := range part.blocked {
				blockedHere = true
				by = append(by, part.blocked[j].by...)
			}
			maybe = maybe || len(part.elsewhere) > 0 || len(part.unchecked) > 0
		}
		for ; fi < len(rep.findings) && rep.findings[fi].action == name; fi++ {
			finding(&rep.findings[fi])
		}
		for ; ii < len(rep.incomplete) && rep.incomplete[ii].action == name; ii++ {
			incomplete(&rep.incomplete[ii], 1)
		}
		for ; bi < len(rep.blocked) && rep.blocked[bi].action == name; bi++ {
			blockedHere = true
			by = append(by, rep.blocked[bi].by...)
		}
		switch {
		case !blockedHere:
		case keys || session || maybe || open[name] || given:
			s.blockedSome++
			s.blockedSomeBy = addStatements(s.blockedSomeBy, blockedSomeSeen, by)
			s.blockedSomeEx = append(s.blockedSomeEx, name)
		default:
			s.blocked++
			s.blockedBy = addStatements(s.blockedBy, blockedSeen, by)
			s.blockedEx = append(s.blockedEx, name)
		}
		if !keys && !session {
			continue
		}
		s.without++
		s.levels[level]++
		if keys {
			s.keys++
		}
		if session {
			s.session++
		}
		g.names = append(g.names, name)
		rank := len(headlineActions) + 2
		if r, ok := headlineActions[name]; ok {
			rank = r
		} else if level == catalog.PermissionsManagement {
			rank = len(headlineActions)
		}
		named = append(named, ranked{name, rank})
	}
	// findings on actions a trust policy decides for other principals'
	// roles, and the like, are in step; anything left is a finding on an
	// action not in the list, which cannot be: it would be a bug
	if fi != len(rep.findings) || ii != len(rep.incomplete) || bi != len(rep.blocked) {
		panic(fmt.Sprintf("summarise %s: findings out of step with the actions", rep.principal))
	}
	for i := range sc.groups {
		if len(sc.groups[i].names) > 0 {
			g := sc.groups[i]
			s.groups = append(s.groups, &g)
		}
	}
	sort.SliceStable(s.groups, func(i, j int) bool {
		if s.groups[i].service != s.groups[j].service {
			return s.groups[i].service < s.groups[j].service
		}
		return levelIndex(s.groups[i].level) < levelIndex(s.groups[j].level)
	})
	if len(named) > maxIncluding {
		sort.SliceStable(named, func(i, j int) bool { return named[i].rank < named[j].rank })
		named = named[:maxIncluding]
	}
	for _, n := range named {
		s.including = append(s.including, n.name)
	}
	return s
}

func levelIndex(l catalog.AccessLevel) int {
	for i, o := range levelOrder {
		if o == l {
			return i
		}
	}
	return len(levelOrder)
}

// levelCount is "412 write and 37 permissions-management actions": the
// actions at each level, the noun agreeing with their sum.
func (s *principalSummary) levelCount() string {
	var parts []string
	for _, l := range levelOrder {
		if n := s.levels[l]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, levelName(l)))
		}
	}
	words := strings.Join(parts, ", ")
	if i := strings.LastIndex(words, ", "); i >= 0 {
		words = words[:i] + " and " + words[i+2:]
	}
	return words + " " + agree(s.without, "action", "actions")
}

// credentials says with which credentials the actions are allowed without
// MFA: "long-term keys or session without MFA" when each of them is
// allowed with both.
func (s *principalSummary) credentials(kind account.Kind) string {
	switch {
	case kind != account.KindUser || s.keys == 0:
		return "session without MFA"
	case s.session == 0:
		return "long-term keys"
	case s.keys == s.without && s.session == s.without:
		return "long-term keys or session without MFA"
	}
	return fmt.Sprintf("long-term keys for %d of them, session without MFA for %d", s.keys, s.session)
}

// includingText names the actions of the summary: all of them, or
// "including a, b, c (and N more)".
func (s *principalSummary) includingText(quote bool) string {
	names := s.including
	if quote {
		names = make([]string, len(s.including))
		for i, n := range s.including {
			names[i] = "`" + n + "`"
		}
	}
	if s.without <= len(names) {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("including %s (and %d more)", strings.Join(names, ", "), s.without-len(names))
}

// sentence is the summary in a sentence, after head (the principal):
// "user alice: 412 write and 37 permissions-management actions without MFA
// (long-term keys), including iam:CreateAccessKey, ... (and 444 more)".
func (s *principalSummary) sentence(head string, kind account.Kind) string {
	// what was not checked is said with what was: "nothing" alone would
	// be an all-clear the requests on other accounts' resources, the
	// Resource entries not checked and the results that depend on keys not
	// given do not give
	var nc []string
	if s.elsewhere > 0 {
		nc = append(nc, count(s.elsewhere, "request on another account's resource", "requests on other accounts' resources"))
	}
	if s.unchecked > 0 {
		nc = append(nc, count(s.unchecked, "Resource entry", "Resource entries"))
	}
	if s.depends > 0 && s.without == 0 {
		// else the sentence names what was found, and claims no more
		nc = append(nc, count(s.depends, "result that depends", "results that depend")+" on context keys not given")
	}
	var notChecked string
	if len(nc) > 0 {
		notChecked = "; not checked: " + strings.Join(nc, ", ")
	}
	if s.without == 0 {
		return fmt.Sprintf("%s: nothing without MFA, of %s checked%s", head, count(s.actions, "action", "actions"), notChecked)
	}
	sep := ": "
	if s.without > len(s.including) {
		sep = ", "
	}
	return fmt.Sprintf("%s: %s without MFA (%s)%s%s%s", head, s.levelCount(), s.credentials(kind), sep, s.includingText(false), notChecked)
}

// groupLines are the lines of the groups with actions without MFA, the
// most first, at most max of them (all when max is 0), and how many more
// there are.
func (s *principalSummary) groupLines(max int) (lines []string, more int) {
	var gs []*summaryGroup
	for _, g := range s.groups {
		if len(g.names) > 0 {
			gs = append(gs, g)
		}
	}
	sort.SliceStable(gs, func(i, j int) bool { return len(gs[i].names) > len(gs[j].names) })
	for i, g := range gs {
		if max > 0 && i == max {
			return lines, len(gs) - max
		}
		lines = append(lines, fmt.Sprintf("%s, %s: %d of %s, allowed by %s", g.service, levelName(g.level), len(g.names), count(g.actions, "action", "actions"), via(g.allowedBy)))
	}
	return lines, 0
}

// allowedBy are the statements that allow the actions without MFA, over
// every group.
func (s *principalSummary) allowedBy() []evaluator.MatchedStatement {
	var out []evaluator.MatchedStatement
	seen := map[statementKey]bool{}
	for _, g := range s.groups {
		out = addStatements(out, seen, g.allowedBy)
	}
	return out
}

// blockedText says what a role's own MFA conditions deny every session of
// it on every resource, in a sentence.
func (s *principalSummary) blockedText(p *account.Principal) string {
	return blockedSentence(p, s.blocked, s.blockedEx, s.blockedBy, false)
}

// blockedSomeText says what a role's own MFA conditions deny every session
// of it on some resources, in a sentence.
func (s *principalSummary) blockedSomeText(p *account.Principal) string {
	return blockedSentence(p, s.blockedSome, s.blockedSomeEx, s.blockedSomeBy, true)
}

// blockedSentence says that p's own MFA conditions deny its sessions n
// actions, ex the first of them, by the statements by: on some resources,
// or on every one.
func blockedSentence(p *account.Principal, n int, ex []string, by []evaluator.MatchedStatement, some bool) string {
	ex = ex[:min(len(ex), maxIncluding)]
	list := strings.Join(ex, ", ")
	if n > len(ex) {
		list = fmt.Sprintf("including %s (and %d more)", list, n-len(ex))
	}
	it := agree(n, "it", "them")
	if some {
		return fmt.Sprintf("%s: sessions are denied %s (%s) on some resources: its own policies allow %s there only with MFA, or deny %s there without it (%s), and role sessions carry aws:MultiFactorAuthPresent=false and no aws:MultiFactorAuthAge",
			p, count(n, "action", "actions"), list, it, it, via(by))
	}
	return fmt.Sprintf("%s: no session can do %s (%s): its own policies allow %s only with MFA, or deny %s without it (%s), and role sessions carry aws:MultiFactorAuthPresent=false and no aws:MultiFactorAuthAge",
		p, count(n, "action", "actions"), list, it, it, via(by))
}

// jsonPrincipalSummary is a principal's summary in JSON.
type jsonPrincipalSummary struct {
	Actions     int                `json:"actions"`
	WithoutMfa  int                `json:"withoutMfa"`
	Levels      []jsonLevelCount   `json:"levels"`
	Credentials []jsonCredentials  `json:"credentials"`
	Services    []jsonServiceLevel `json:"services"`
	Including   []string           `json:"including"`
	Bypasses    []jsonBypassCount  `json:"bypasses"`
	// DependsOnMissingContext counts the other results that depend on
	// the context keys MissingContextValues, not given
	DependsOnMissingContext int      `json:"dependsOnMissingContext"`
	MissingContextValues    []string `json:"missingContextValues"`
	// OtherAccountsResources counts the requests on other accounts'
	// resources its own policies let through without MFA, or might, which
	// were not checked (the resource's own policy is not in the dump)
	OtherAccountsResources int `json:"otherAccountsResources"`
	// BlockedInEverySession counts the actions a role's own MFA
	// conditions deny every session of it on every resource checked;
	// BlockedOnSomeResources those they deny it on some resources only
	BlockedInEverySession  int `json:"blockedInEverySession"`
	BlockedOnSomeResources int `json:"blockedOnSomeResources"`
	// BlockedInEverySessionActions and BlockedOnSomeResourcesActions
	// name them, each of them, in the order of the actions checked
	BlockedInEverySessionActions  []string `json:"blockedInEverySessionActions"`
	BlockedOnSomeResourcesActions []string `json:"blockedOnSomeResourcesActions"`
	// UnknownActionEntries are the Action entries of the principal's
	// policies the catalogue does not know, which give no action
	UnknownActionEntries []string `json:"unknownActionEntries"`
	// Counted says whether the summary counts toward the account's: a
	// user's does, a role's when it is reachable without MFA
	Counted bool   `json:"counted"`
	Text    string `json:"text"`
}

type jsonLevelCount struct {
	Level      string `json:"level"`
	WithoutMfa int    `json:"withoutMfa"`
}

type jsonCredentials struct {
	Credentials string `json:"credentials"`
	Actions     int    `json:"actions"`
}

// jsonServiceLevel is a service and access level of a principal's actions
// allowed without MFA.
type jsonServiceLevel struct {
	Service           string   `json:"service"`
	Level             string   `json:"level"`
	Actions           int      `json:"actions"`
	WithoutMfa        int      `json:"withoutMfa"`
	WithoutMfaActions []string `json:"withoutMfaActions"`
	AllowedBy         []string `json:"allowedBy"`
}

type jsonBypassCount struct {
	Text    string `json:"text"`
	Fix     string `json:"fix"`
	Actions int    `json:"actions"`
}

func (a *accountWriter) jsonSummaryOf(rep *principalReport, counted bool) *jsonPrincipalSummary {
	s := rep.sum
	p := rep.principal
	j := &jsonPrincipalSummary{Actions: s.actions, WithoutMfa: s.without, Levels: []jsonLevelCount{}, Credentials: []jsonCredentials{},
		Services: []jsonServiceLevel{}, Including: append([]string{}, s.including...), Bypasses: []jsonBypassCount{},
		DependsOnMissingContext: s.depends, MissingContextValues: append([]string{}, s.missing...), OtherAccountsResources: s.elsewhere, BlockedInEverySession: s.blocked, BlockedOnSomeResources: s.blockedSome,
		BlockedInEverySessionActions: append([]string{}, s.blockedEx...), BlockedOnSomeResourcesActions: append([]string{}, s.blockedSomeEx...),
		UnknownActionEntries: append([]string{}, rep.unknown...), Counted: counted, Text: s.sentence(p.String(), p.Kind)}
	for _, l := range levelOrder {
		if n := s.levels[l]; n > 0 {
			j.Levels = append(j.Levels, jsonLevelCount{levelName(l), n})
		}
	}
	if s.keys > 0 && p.Kind == account.KindUser {
		j.Credentials = append(j.Credentials, jsonCredentials{"long-term keys", s.keys})
	}
	if s.session > 0 {
		j.Credentials = append(j.Credentials, jsonCredentials{"session without MFA", s.session})
	}
	for _, g := range s.groups {
		if len(g.names) == 0 {
			continue
		}
		j.Services = append(j.Services, jsonServiceLevel{Service: g.service, Level: levelName(g.level), Actions: g.actions, WithoutMfa: len(g.names),
			WithoutMfaActions: g.names, AllowedBy: statementNames(g.allowedBy)})
	}
	for _, b := range s.bypasses {
		j.Bypasses = append(j.Bypasses, jsonBypassCount{a.sim.bypassLine(b.bypass), b.bypass.Fix, b.actions})
	}
	return j
}
