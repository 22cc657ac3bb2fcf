// Package suite reads and runs policy test suites: JSON files that name
// policies and policy sets, and list requests with the decision AWS gives
// for each. It is the one case format of the project: the conformance cases
// under testdata/, the `iameval test` command and the fuzz seeds all use it.
//
// A suite file looks like this (every field but "cases" is optional):
//
//	{
//	  "suite": "force MFA",
//	  "principal": "arn:aws:iam::123456789012:user/alice",
//	  "policies": {
//	    "force-mfa": {"Version": "2012-10-17", "Statement": [ ... ]},
//	    "admin": "policies/admin.json"
//	  },
//	  "sets": {
//	    "alice": {"identity": ["admin", "force-mfa"], "boundary": "b",
//	              "session": ["s"], "resource": "bucket", "resourceOwner": "123456789012",
//	              "scps": [["root-level"], ["ou-level"]], "rcps": [["..."]]}
//	  },
//	  "scenarios": {"VPN": {"context": {"aws:SourceIp": {"type": "ip", "values": ["10.0.0.1"]}}}},
//	  "templates": {"alice-reports": {"set": "alice", "resource": "arn:aws:s3:::reports/*"}},
//	  "cases": [
//	    {"name": "s3 needs MFA", "set": "alice", "action": "s3:GetObject",
//	     "resource": "arn:aws:s3:::b/k",
//	     "expect": {"LT": "explicitDeny", "TMP": "explicitDeny", "FRESH": "allowed"},
//	     "sid": "DenyWithoutMFA"}
//	  ],
//	  "invalid": [
//	    {"name": "lower-case effect", "kind": "identity",
//	     "policy": {"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}},
//	     "error": "bad_effect"}
//	  ]
//	}
//
// A "principal" (of the suite, or of a case) is the caller: any form
// request.CheckCaller takes (an IAM user, role, role session, federated
// user or root ARN; a service principal such as ec2.amazonaws.com; a
// web-identity or SAML caller as its identity provider, an oidc-provider or
// saml-provider ARN or cognito-identity.amazonaws.com), or "anonymous".
// Its request carries the principal keys a live request derives
// (request.DerivePrincipalKeys); an identity provider's claims
// (token.actions.githubusercontent.com:sub, SAML:aud) go in "context".
//
// Policies are inline JSON objects or file paths relative to the suite file.
// A case may name a "template": a request whose fields (set, principal,
// action, resource, resourceAccount, context, scenario, expect, sid) fill in
// what the case leaves out; the template's context is applied first.
// A case's "set" names a set, or a single policy used as the only identity
// policy. "action" and "resource" take a string or a list (every pair is a
// case). "context" maps a key to a string (type string), a number (numeric),
// a boolean (boolean), a list of strings (stringList), an object
// {"type": "...", "values": [...]} for any of the twelve simulator types, or
// null to remove a key. "expect" is allowed, explicitDeny, implicitDeny or
// denied (either deny), or an object from scenario name to one of those.
// "sid" names the statement that must decide: a string, or an object from
// scenario name to Sid.
//
// The scenarios for MFA, applied before "context":
//
//	LT       long-term access keys: no MFA key
//	TMP      temporary credentials without MFA: aws:MultiFactorAuthPresent false
//	FRESH    MFA 300 seconds ago
//	STALE    MFA 7200 seconds ago
//	AGE=N    MFA N seconds ago
//	FAS      a service acting for the caller: MFA false, aws:ViaAWSService true
//
// Every built-in scenario but FAS also sets aws:ViaAWSService to false.
package suite

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Suite is a loaded suite file.
type Suite struct {
	Name    string
	File    string
	Cases   []*Case
	Invalid []*InvalidCase
}

// Expect is an expected decision: one verdict, or (Denied) either deny.
type Expect struct {
	Verdict evaluator.Verdict
	Denied  bool
}

// String returns the expectation as written in suites.
func (x Expect) String() string {
	if x.Denied {
		return "denied"
	}
	return x.Verdict.String()
}

// Met reports whether v meets the expectation.
func (x Expect) Met(v evaluator.Verdict) bool {
	if x.Denied {
		return v != evaluator.Allowed
	}
	return v == x.Verdict
}

// Case is one request and its expected decision.
type Case struct {
	Name     string
	Pos      policy.Position
	Set      string
	Scenario string
	Engine   *evaluator.Engine
	Request  *request.Context
	Expect   Expect
	// Sid, when not empty, must be among the matched statements' Sids.
	Sid string
	// Missing, when not nil, must equal the decision's
	// MissingContextValues (compared case-insensitively, in any order).
	Missing []string
	Note    string
}

// InvalidCase is a policy that must be refused with a given error code.
type InvalidCase struct {
	Name   string
	Pos    policy.Position
	Kind   policy.Kind
	Policy []byte
	File   []byte
	Off    int
	Code   string

	// index is File's line index when File is the suite file (shared by
	// every case, so that checking them all is linear in the file).
	index *policy.LineIndex
}

// Result is the outcome of running a case.
type Result struct {
	Case     *Case
	Decision evaluator.Decision
	Pass     bool
	// Problem says what did not meet the expectation, or "".
	Problem string
}

// Run evaluates the case and checks it.
func (c *Case) Run() Result {
	d := c.Engine.Evaluate(c.Request)
	r := Result{Case: c, Decision: d, Pass: true}
	var problems []string
	if !c.Expect.Met(d.Verdict) {
		problems = append(problems, fmt.Sprintf("expected %s, got %s", c.Expect, d.Verdict))
	}
	if c.Sid != "" {
		found := false
		var sids []string
		for _, m := range d.MatchedStatements() {
			sids = append(sids, strconv.Quote(m.Sid))
			if m.Sid == c.Sid {
				found = true
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("expected statement %q to decide, matched [%s]", c.Sid, strings.Join(sids, " ")))
		}
	}
	if c.Missing != nil {
		got := d.MissingContextValues()
		if !sameKeys(got, c.Missing) {
			problems = append(problems, fmt.Sprintf("expected missing context values %v, got %v", c.Missing, got))
		}
	}
	if len(problems) > 0 {
		r.Pass, r.Problem = false, strings.Join(problems, "; ")
	}
	return r
}

func sameKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	norm := func(x []string) []string {
		y := make([]string, len(x))
		for i, s := range x {
			y[i] = strings.ToLower(s)
		}
		sort.Strings(y)
		return y
	}
	na, nb := norm(a), norm(b)
	for i := range na {
		if na[i] != nb[i] {
			return false
		}
	}
	return true
}

// Check parses the invalid case's policy and reports whether it was refused
// with the expected code, and what happened.
func (c *InvalidCase) Check() (bool, string) {
	var p *policy.Policy
	var err error
	if c.index != nil {
		p, err = policy.ParseSpanIndex(c.index, c.File, c.Off, len(c.Policy))
	} else {
		p, err = policy.ParseSpan(c.Pos.Filename, c.File, c.Off, len(c.Policy))
	}
	if err == nil {
		if errs := policy.Check(p, c.Kind); len(errs) > 0 {
			err = errs
		}
	}
	if err == nil {
		return false, fmt.Sprintf("expected error %s, but the policy was accepted", c.Code)
	}
	list, _ := err.(policy.ErrorList)
	var codes []string
	for _, e := range list {
		if e.Code == c.Code {
			return true, ""
		}
		codes = append(codes, e.Code)
	}
	return false, fmt.Sprintf("expected error %s, got %s", c.Code, strings.Join(codes, ", "))
}

// Error is a problem in a suite file.
type Error struct {
	Pos policy.Position
	Msg string
}

// Error returns "file:line:col: message".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Load reads and parses the suite file at path. Policy files it names are
// read relative to the suite file's directory.
func Load(path string) (*Suite, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	return Parse(path, data, func(name string) ([]byte, string, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		b, err := os.ReadFile(name)
		return b, name, err
	})
}

type loader struct {
	file      string
	src       string
	data      []byte
	index     *policy.LineIndex
	read      Reader
	policies  map[string]*policy.Policy
	polPos    map[string]gjson.Result
	sets      map[string]*evaluator.Engine
	setDefs   map[string]gjson.Result
	scen      map[string]gjson.Result
	templates map[string]gjson.Result
	errs      []error
}

func (l *loader) pos(off int) policy.Position { return l.index.Position(off) }

func (l *loader) errorf(off int, format string, args ...any) {
	l.errs = append(l.errs, &Error{Pos: l.pos(off), Msg: fmt.Sprintf(format, args...)})
}

// Reader reads a policy file that a suite names, and returns its contents
// and the path to show in positions.
type Reader func(name string) (data []byte, path string, err error)

// Parse parses a suite file's contents. read loads the policy files the
// suite names; it may be nil when every policy is inline.
func Parse(file string, data []byte, read Reader) (*Suite, error) {
	l := newLoader(file, data, read)
	if !gjson.Valid(l.src) {
		if _, err := policy.Parse(file, data); err != nil {
			return nil, err
		}
		return nil, &Error{Pos: l.pos(0), Msg: "invalid JSON"}
	}
	root := gjson.Parse(l.src)
	if !root.IsObject() {
		return nil, &Error{Pos: l.pos(root.Index), Msg: "a suite must be a JSON object"}
	}
	s := &Suite{File: file, Name: root.Get("suite").String()}
	root.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "suite", "principal", "policies", "sets", "scenarios", "templates", "cases", "invalid", "description":
		default:
			l.errorf(k.Index, "unknown suite field %q", k.Str)
		}
		return true
	})
	l.index0(root)
	root.Get("templates").ForEach(func(k, v gjson.Result) bool {
		l.templates[k.Str] = v
		return true
	})
	root.Get("scenarios").ForEach(func(k, v gjson.Result) bool {
		l.scen[k.Str] = v
		return true
	})
	principal := root.Get("principal").String()
	cases := root.Get("cases")
	if cases.Exists() && !cases.IsArray() {
		l.errorf(cases.Index, "cases must be a list")
	}
	for _, c := range cases.Array() {
		s.Cases = append(s.Cases, l.cases(c, principal)...)
	}
	for _, c := range root.Get("invalid").Array() {
		ic := &InvalidCase{Name: c.Get("name").String(), Pos: l.pos(c.Index), Code: c.Get("error").String()}
		switch kind := c.Get("kind").String(); kind {
		case "", "identity":
			ic.Kind = policy.KindIdentity
		case "resource":
			ic.Kind = policy.KindResource
		case "trust":
			ic.Kind = policy.KindTrust
		case "scp":
			ic.Kind = policy.KindSCP
		case "rcp":
			ic.Kind = policy.KindRCP
		default:
			l.errorf(c.Get("kind").Index, "unknown policy kind %q (want identity, resource, trust, scp or rcp)", kind)
		}
		p := c.Get("policy")
		if !p.Exists() || ic.Code == "" {
			l.errorf(c.Index, "an invalid case needs \"policy\" and \"error\"")
			continue
		}
		if p.Type == gjson.String {
			ic.File = []byte(p.Str)
			ic.Policy = ic.File
		} else {
			ic.File, ic.Off, ic.Policy, ic.index = data, p.Index, []byte(p.Raw), l.index
		}
		s.Invalid = append(s.Invalid, ic)
	}
	// Every policy and set the suite names is loaded and validated, used
	// by a case or not: a broken policy never hides behind a filter.
	for _, name := range sortedKeys(l.polPos) {
		l.policy(name, l.polPos[name].Index)
	}
	for _, name := range sortedKeys(l.setDefs) {
		l.engine(name, l.setDefs[name].Index)
	}
	if len(s.Cases) == 0 && len(s.Invalid) == 0 && len(l.errs) == 0 {
		l.errorf(root.Index, "suite has no cases")
	}
	if len(l.errs) > 0 {
		return nil, joinErrors(l.errs)
	}
	return s, nil
}

func sortedKeys(m map[string]gjson.Result) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Errors is the list of problems found in a suite.
type Errors []error

// Error lists every problem, one per line.
func (e Errors) Error() string {
	var b strings.Builder
	for i, x := range e {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(x.Error())
	}
	return b.String()
}

func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return Errors(errs)
}

// policy returns the named policy, parsing it on first use.
func (l *loader) policy(name string, at int) *policy.Policy {
	if p, ok := l.policies[name]; ok {
		return p
	}
	v, ok := l.polPos[name]
	if !ok {
		l.errorf(at, "no policy named %q", name)
		l.policies[name] = nil
		return nil
	}
	var p *policy.Policy
	var err error
	if v.Type == gjson.String {
		if l.read == nil {
			l.errorf(v.Index, "policy %q: cannot read file %q here", name, v.Str)
			return nil
		}
		data, path, rerr := l.read(v.Str)
		if rerr != nil {
			l.errorf(v.Index, "policy %q: %v", name, rerr)
			l.policies[name] = nil
			return nil
		}
		p, err = policy.Parse(path, data)
	} else {
		p, err = policy.ParseSpanIndex(l.index, l.data, v.Index, len(v.Raw))
		if p != nil {
			p.Name = name
		}
	}
	if err != nil {
		l.errs = append(l.errs, err)
	}
	l.policies[name] = p
	return p
}

func (l *loader) names(v gjson.Result) []gjson.Result {
	if v.IsArray() {
		return v.Array()
	}
	if v.Exists() {
		return []gjson.Result{v}
	}
	return nil
}

// engine returns the compiled set (or single policy) named name.
func (l *loader) engine(name string, at int) *evaluator.Engine {
	if e, ok := l.sets[name]; ok {
		return e
	}
	set, at, ok := l.set(name, at)
	if !ok {
		l.sets[name] = nil
		return nil // the suite fails to load; the errors say why
	}
	e, err := evaluator.Compile(set)
	if err != nil {
		l.errorf(at, "set %q: %v", name, err)
	}
	l.sets[name] = e
	return e
}

// set returns the set (or single policy) named name, and where it is
// defined; ok is false when loading it failed (l.errs say why).
func (l *loader) set(name string, at int) (set evaluator.PolicySet, where int, ok bool) {
	errsBefore := len(l.errs)
	if def, ok := l.setDefs[name]; ok {
		def.ForEach(func(k, v gjson.Result) bool {
			switch k.Str {
			case "identity":
				for _, n := range l.names(v) {
					set.Identity = append(set.Identity, l.policy(n.String(), n.Index))
				}
			case "boundary":
				set.Boundary = l.policy(v.String(), v.Index)
			case "session":
				for _, n := range l.names(v) {
					set.Session = append(set.Session, l.policy(n.String(), n.Index))
				}
			case "resource":
				set.Resource = l.policy(v.String(), v.Index)
			case "resourceOwner":
				set.ResourceOwner = v.String()
			case "scps", "rcps":
				var levels [][]*policy.Policy
				for _, lv := range v.Array() {
					var level []*policy.Policy
					for _, n := range l.names(lv) {
						level = append(level, l.policy(n.String(), n.Index))
					}
					levels = append(levels, level)
				}
				if k.Str == "scps" {
					set.SCPs = levels
				} else {
					set.RCPs = levels
				}
			default:
				l.errorf(k.Index, "unknown set field %q", k.Str)
			}
			return true
		})
		at = def.Index
	} else {
		set.Identity = []*policy.Policy{l.policy(name, at)}
	}
	return set, at, len(l.errs) == errsBefore
}

// newLoader returns a loader of a suite file's contents.
func newLoader(file string, data []byte, read Reader) *loader {
	l := &loader{file: file, src: string(data), data: data, read: read,
		policies: map[string]*policy.Policy{}, polPos: map[string]gjson.Result{},
		sets: map[string]*evaluator.Engine{}, setDefs: map[string]gjson.Result{}, scen: map[string]gjson.Result{}, templates: map[string]gjson.Result{}}
	l.index = policy.NewLineIndex(file, data)
	return l
}

// index0 records where the suite's policies and sets are.
func (l *loader) index0(root gjson.Result) {
	root.Get("policies").ForEach(func(k, v gjson.Result) bool {
		l.polPos[k.Str] = v
		return true
	})
	root.Get("sets").ForEach(func(k, v gjson.Result) bool {
		l.setDefs[k.Str] = v
		return true
	})
}

// PolicySets reads the policies and sets of a suite file (its cases, if
// any, are not read): each set by name, in name order; a suite without
// "sets" gives one set, "policies", of every policy of its "policies" block
// as identity policies, in name order. read loads the policy files the
// suite names (nil when every policy is inline). Errors carry positions.
func PolicySets(file string, data []byte, read Reader) (names []string, sets map[string]evaluator.PolicySet, err error) {
	l := newLoader(file, data, read)
	if !gjson.Valid(l.src) {
		return nil, nil, &Error{Pos: l.pos(0), Msg: "invalid JSON"}
	}
	root := gjson.Parse(l.src)
	l.index0(root)
	sets = map[string]evaluator.PolicySet{}
	if len(l.setDefs) == 0 {
		var all evaluator.PolicySet
		for _, name := range sortedKeys(l.polPos) {
			all.Identity = append(all.Identity, l.policy(name, l.polPos[name].Index))
		}
		names, sets["policies"] = []string{"policies"}, all
	}
	for _, name := range sortedKeys(l.setDefs) {
		set, _, ok := l.set(name, l.setDefs[name].Index)
		if ok {
			names = append(names, name)
			sets[name] = set
		}
	}
	if len(l.errs) > 0 {
		return nil, nil, joinErrors(l.errs)
	}
	if len(names) == 0 || len(sets["policies"].Identity) == 0 && len(l.setDefs) == 0 {
		return nil, nil, &Error{Pos: l.pos(root.Index), Msg: "no policies: a policy set file needs \"policies\" (and \"sets\")"}
	}
	return names, sets, nil
}

func parseExpect(s string) (Expect, bool) {
	switch s {
	case "allowed":
		return Expect{Verdict: evaluator.Allowed}, true
	case "explicitDeny":
		return Expect{Verdict: evaluator.ExplicitDeny}, true
	case "implicitDeny":
		return Expect{Verdict: evaluator.ImplicitDeny}, true
	case "denied":
		return Expect{Denied: true}, true
	}
	return Expect{}, false
}

// cases expands one case object into its cases.
func (l *loader) cases(c gjson.Result, principal string) []*Case {
	if !c.IsObject() {
		l.errorf(c.Index, "a case must be an object")
		return nil
	}
	name := c.Get("name").String()
	if name == "" {
		l.errorf(c.Index, "a case needs a name")
	}
	c.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "name", "template", "set", "principal", "action", "resource", "resourceAccount", "context", "scenario", "expect", "sid", "missing", "note":
		default:
			l.errorf(k.Index, "unknown case field %q", k.Str)
		}
		return true
	})
	var tmpl gjson.Result
	if tn := c.Get("template"); tn.Exists() {
		var ok bool
		if tmpl, ok = l.templates[tn.String()]; !ok {
			l.errorf(tn.Index, "no template named %q", tn.String())
			return nil
		}
	}
	// get reads a field of the case, or else of its template.
	get := func(field string) gjson.Result {
		if v := c.Get(field); v.Exists() {
			return v
		}
		return tmpl.Get(field)
	}
	setName := get("set")
	if !setName.Exists() {
		l.errorf(c.Index, "case %q has no set", name)
		return nil
	}
	eng := l.engine(setName.String(), setName.Index)
	at := c.Index
	if p := get("principal"); p.Exists() {
		principal, at = p.String(), p.Index
	}
	if principal != "" && principal != request.Anonymous {
		if err := request.CheckCaller(principal); err != nil {
			l.errorf(at, "case %q: principal: %v", name, err)
			return nil
		}
	}
	var missing []string
	if m := c.Get("missing"); m.Exists() {
		missing = []string{}
		for _, x := range m.Array() {
			missing = append(missing, x.String())
		}
	}
	type want struct {
		scen string
		exp  Expect
	}
	var wants []want
	ex := get("expect")
	switch {
	case ex.Type == gjson.String:
		e, ok := parseExpect(ex.Str)
		if !ok {
			l.errorf(ex.Index, "unknown expected decision %q (want allowed, explicitDeny, implicitDeny or denied)", ex.Str)
		}
		wants = append(wants, want{get("scenario").String(), e})
	case ex.IsObject():
		ex.ForEach(func(k, v gjson.Result) bool {
			e, ok := parseExpect(v.String())
			if !ok {
				l.errorf(v.Index, "unknown expected decision %q (want allowed, explicitDeny, implicitDeny or denied)", v.String())
			}
			wants = append(wants, want{k.Str, e})
			return true
		})
	default:
		l.errorf(c.Index, "case %q has no expect", name)
		return nil
	}
	// every assertion is checked, or the case is refused: nothing that
	// names a scenario the case does not run may pass unchecked
	if ex.IsObject() {
		if len(wants) == 0 {
			l.errorf(ex.Index, "case %q: expect names no scenario", name)
		}
		if sc := get("scenario"); sc.Exists() {
			l.errorf(sc.Index, "case %q: scenario and an expect object exclude each other (the object names the scenarios it runs)", name)
		}
	}
	if sid := get("sid"); sid.IsObject() {
		runs := map[string]bool{}
		for _, w := range wants {
			runs[w.scen] = true
		}
		sid.ForEach(func(k, v gjson.Result) bool {
			if !runs[k.Str] {
				l.errorf(k.Index, "case %q: sid names scenario %q, which the case does not run", name, k.Str)
			}
			return true
		})
	}
	var out []*Case
	resources := []string{"*"} // the simulator's default
	if r := get("resource"); r.Exists() {
		resources = nil
		for _, x := range l.names(r) {
			resources = append(resources, x.String())
		}
	}
	for _, action := range l.names(get("action")) {
		for _, resource := range resources {
			for _, w := range wants {
				req := request.New(principal, action.String(), resource)
				req.ResourceAccount = get("resourceAccount").String()
				if w.scen != "" && !l.applyScenario(req, w.scen, ex.Index) {
					continue
				}
				l.applyContext(req, tmpl.Get("context"))
				l.applyContext(req, c.Get("context"))
				n := name
				if len(l.names(get("action"))) > 1 {
					n += "/" + action.String()
				}
				if len(resources) > 1 {
					n += "/" + resource
				}
				if w.scen != "" && ex.IsObject() {
					n += "/" + w.scen
				}
				out = append(out, &Case{Name: n, Pos: l.pos(c.Index), Set: setName.String(), Scenario: w.scen,
					Engine: eng, Request: req, Expect: w.exp, Sid: sidFor(get("sid"), w.scen), Missing: missing,
					Note: c.Get("note").String()})
			}
		}
	}
	if len(out) == 0 && len(l.names(get("action"))) == 0 {
		l.errorf(c.Index, "case %q has no action", name)
	}
	if eng == nil {
		return nil
	}
	return out
}

// sidFor reads "sid": a string for every scenario, or an object from
// scenario name to the Sid expected under it.
func sidFor(v gjson.Result, scen string) string {
	if v.IsObject() {
		return v.Get(gjson.Escape(scen)).String()
	}
	return v.String()
}

// applyScenario sets the MFA keys of a named scenario.
func (l *loader) applyScenario(req *request.Context, name string, at int) bool {
	setVia := func(v string) { _ = req.Set("aws:ViaAWSService", request.TypeBoolean, v) }
	switch {
	case name == "LT":
		req.SetLongTermKeys()
		setVia("false")
	case name == "TMP":
		req.SetSessionWithoutMFA()
		setVia("false")
	case name == "FRESH":
		req.SetSessionWithMFA(300 * time.Second)
		setVia("false")
	case name == "STALE":
		req.SetSessionWithMFA(7200 * time.Second)
		setVia("false")
	case name == "FAS":
		req.SetSessionWithoutMFA()
		setVia("true")
	case strings.HasPrefix(name, "AGE="):
		n, err := strconv.Atoi(name[4:])
		if err != nil || n < 0 {
			l.errorf(at, "scenario %q: want AGE=<seconds>", name)
			return false
		}
		req.SetSessionWithMFA(time.Duration(n) * time.Second)
		setVia("false")
	default:
		def, ok := l.scen[name]
		if !ok {
			l.errorf(at, "unknown scenario %q (built in: LT, TMP, FRESH, STALE, FAS, AGE=N)", name)
			return false
		}
		if base := def.Get("base"); base.Exists() && !l.applyScenario(req, base.String(), base.Index) {
			return false
		}
		l.applyContext(req, def.Get("context"))
	}
	return true
}

// applyContext sets the keys of a "context" object.
func (l *loader) applyContext(req *request.Context, ctx gjson.Result) {
	ctx.ForEach(func(k, v gjson.Result) bool {
		key := k.Str
		if err := request.CheckKeyName(key); err != nil {
			l.errorf(k.Index, "context: %v", err)
			return true
		}
		// a global key whose type AWS fixes takes that type, so that
		// "false " or "yes" for aws:MultiFactorAuthPresent is an error,
		// not a string that never matches (request.CheckGlobalKey)
		fixed, isFixed := request.GlobalKeyType(key)
		typed := func(t request.Type) request.Type {
			if isFixed {
				return fixed
			}
			return t
		}
		var t request.Type
		var vals []string
		var err error
		switch {
		case v.Type == gjson.Null:
			req.Delete(key)
			return true
		case v.Type == gjson.String:
			t, vals = typed(request.TypeString), []string{v.Str}
		case v.Type == gjson.Number:
			t, vals = typed(request.TypeNumeric), []string{v.Raw}
		case v.Type == gjson.True || v.Type == gjson.False:
			t, vals = typed(request.TypeBoolean), []string{v.Raw}
		case v.IsArray():
			t = typed(request.TypeStringList)
			for _, x := range v.Array() {
				vals = append(vals, x.String())
			}
		case v.IsObject():
			t, err = request.ParseType(v.Get("type").String())
			for _, x := range l.names(v.Get("values")) {
				vals = append(vals, x.String())
			}
		}
		if err == nil {
			err = req.Set(key, t, vals...)
		}
		if err == nil {
			err = request.CheckGlobalKey(key, t, vals)
		}
		if err != nil {
			l.errorf(v.Index, "context: %v", err)
		}
		return true
	})
}
