package main

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/iamapi"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// inputError is a problem in an input file, printed "file:line:col: code: message".
type inputError struct {
	pos  policy.Position
	code string
	msg  string
}

func (e *inputError) Error() string { return e.pos.String() + ": " + e.code + ": " + e.msg }

// simulation is everything one simulate run decides, however it was given.
type simulation struct {
	set evaluator.PolicySet
	// elseE is set without its RCPs, made when first needed
	// (elsewhereEngine)
	elseE   *evaluator.Engine
	display map[string]string // policy id -> name to show people (a file name)
	// origin maps a policy id to where its text sits inside a larger file
	// (an --input document, a file holding a list of policies), so that
	// people are shown absolute file positions.
	origin  map[string]origin
	actions []string
	// actionAt is where each action is written, for those an --input
	// document gives (none for --action)
	actionAt  []policy.Position
	resources []string
	// caller is the caller's ARN, request.Anonymous, or "" for none.
	caller string
	// live derives the caller's principal keys as a live request carries
	// them; otherwise the context is exactly what the request supplies.
	live    bool
	context []contextEntry
	mfa     mfaScenario
	// handling is the ResourceHandlingOption given: accepted, not modelled.
	handling string
	// selection is how mfa chose the actions, for its report
	selection *mfaSelection

	// account, when the policies come from an account snapshot; trust
	// holds an engine per role for sts:AssumeRole on it.
	account   *account.Account
	principal *account.Principal

	// source is the PolicySourceArn of a SimulatePrincipalPolicy request
	// document, and sourceAt where it is written.
	source   string
	sourceAt policy.Position
}

// loadAccount reads the --account snapshot.
func (o *opener) loadAccount(arg string) (*account.Account, error) {
	return o.loadAccountWith(arg, account.LoadOptions{})
}

// loadAccountWith is loadAccount with the options opt.
func (o *opener) loadAccountWith(arg string, opt account.LoadOptions) (*account.Account, error) {
	// the account keeps none of the dump's bytes (account.Load): they
	// are read outside the heap, and given back once it is made
	f, release, err := o.readMapped("--account", arg)
	if err != nil {
		return nil, err
	}
	// a dump is one JSON value or several (its pages): what does not
	// start as one is said here, as for every other file
	if text := bytes.TrimSpace(f.data); len(text) == 0 || text[0] != '{' && text[0] != '[' {
		err := f.jsonError()
		release()
		return nil, err
	}
	if f.mapped {
		// the bytes the loader is done with go as it parses
		opt.Release = func(from, to int) { giveBack(f.data[from:to]) }
	}
	acct, err := account.LoadWith(f.name, f.data, opt)
	if errors.Is(err, account.ErrReadAgain) {
		// a problem met once bytes were given back: the file is read
		// again, and loaded whole, which lists every problem
		release()
		if f, release, err = o.readMapped("--account", arg); err != nil {
			return nil, err
		}
		opt.Release = nil
		acct, err = account.LoadWith(f.name, f.data, opt)
	}
	if err == nil {
		release()
	}
	// else they stay until the program ends: an error's text is made of
	// copies, but nothing promises it
	return acct, err
}

// simulationFromAccount simulates a principal of an account snapshot, as
// SimulatePrincipalPolicy does: its own policies, its groups', its boundary;
// --policy adds policies and --boundary replaces the principal's boundary.
func simulationFromAccount(f *simulateFlags, o *opener) (*simulation, error) {
	var req *simulation // a SimulatePrincipalPolicy request document
	if f.input != "" {
		var err error
		if req, err = simulationFromInput(f.input, len(f.actions) > 0, o); err != nil {
			return nil, err
		}
		if err = req.override(f, o); err != nil {
			return nil, err
		}
		if req.source == "" && f.principal == "" {
			return nil, fmt.Errorf("--account and --input %s: --input with --account must be a simulate-principal-policy request, whose PolicySourceArn names the principal in the account (or give --principal)", filePath(f.input))
		}
	} else if f.principal == "" {
		return nil, errors.New("--account needs --principal ARN|NAME (the user or role to simulate)")
	}
	acct, err := o.loadAccount(f.account)
	if err != nil {
		return nil, err
	}
	ref := f.principal
	if req != nil && f.principal == "" {
		// --principal, like any flag given with the document, replaces
		// the member it stands for (PolicySourceArn)
		ref = req.source
	}
	var src *iamapi.Source
	if parts, ok := request.SplitARN(ref); ok && strings.HasPrefix(parts[5], "group/") || strings.HasPrefix(ref, "group/") {
		// a group: its policies, and no caller unless one is given (as
		// SimulatePrincipalPolicy has it)
		g, ok := acct.Group(ref)
		if !ok {
			err := fmt.Errorf("no group %s in the account", ref)
			if req != nil && f.principal == "" {
				return nil, fmt.Errorf("%s: PolicySourceArn: %v", req.sourceAt, err)
			}
			return nil, err
		}
		src = &iamapi.Source{Account: acct, Group: g}
	} else {
		p, err := acct.Principal(ref)
		if _, isGroup := acct.Group(ref); err != nil && isGroup && !strings.Contains(ref, ":") {
			// a group's bare name: a group is named as its ARN or with
			// group/ before it, as users and roles are with user/ and
			// role/
			err = fmt.Errorf("%v; a group has that name: give group/%s", err, ref)
		}
		if err != nil {
			if req != nil && f.principal == "" {
				return nil, fmt.Errorf("%s: PolicySourceArn: %v", req.sourceAt, err)
			}
			return nil, err
		}
		src = &iamapi.Source{Account: acct, Principal: p}
	}
	p := src.Principal
	// the default caller, as SimulatePrincipalPolicy has it
	caller := ""
	switch {
	case p == nil:
		// a group has no caller
	case p.Kind == account.KindUser:
		// CallerArn defaults to the user
		caller = p.ARN
	case f.live:
		// a live request of a role comes from one of its sessions;
		// the session name is ours, and said
		caller = p.Caller
	}
	// otherwise a role has no default caller (identity-side only)
	sim := req
	if sim == nil {
		// the flags give actions, resources, context, extra policies
		// and organization policies
		extra := *f
		extra.account, extra.principal = "", ""
		if extra.caller == "" && !extra.anonymous {
			extra.caller = caller
		}
		if sim, err = simulationFromFlags(&extra, o); err != nil {
			return nil, err
		}
	} else if sim.caller == "" {
		sim.caller = caller
	}
	// the principal's own policies, boundary and account, as
	// SimulatePrincipalPolicy composes them (one implementation with
	// iameval serve)
	r := iamapi.Request{Set: sim.set, CallerArn: sim.caller}
	r.WithSource(src)
	sim.set, sim.caller = r.Set, r.CallerArn
	sim.account = acct
	sim.principal = p
	return sim, nil
}

// srcFile is a file being read, with a line table for positions.
type srcFile struct {
	name  string
	data  []byte
	index *policy.LineIndex
	// mapped says data lies in memory mapFile mapped, which giveBack may
	// give back a piece at a time
	mapped bool
}

func newSrcFile(name string, data []byte) *srcFile {
	return &srcFile{name: name, data: data, index: policy.NewLineIndex(name, data)}
}

func (f *srcFile) pos(off int) policy.Position { return f.index.Position(off) }

func (f *srcFile) errorf(off int, code, format string, args ...any) error {
	return &inputError{pos: f.pos(off), code: code, msg: fmt.Sprintf(format, args...)}
}

// jsonError reports where a file stops being valid JSON.
func (f *srcFile) jsonError() error { return iamapi.JSONError(f.name, f.data) }

// origin is where a policy's text sits in a larger file: toFile maps an
// offset in the policy's text to an offset in file.
type origin struct {
	file   *srcFile
	toFile func(off int) int
}

// at returns the file position of pos, a position in the policy's text.
func (o origin) at(pos policy.Position) policy.Position { return o.file.pos(o.toFile(pos.Offset)) }

// parsePolicyValue parses a policy given in a JSON document, either as a JSON
// string holding the policy text (AWS's form) or as an inline object, and
// names it id. Positions in the policy are those of its own text, as AWS
// reports them; errors are reported at their place in f, and sim (if not
// nil) records where the policy sits in f for the positions shown to people.
func (f *srcFile) parsePolicyValue(v gjson.Result, id string, sim *simulation) (*policy.Policy, error) {
	return f.parsePolicyAs(v, id, id, sim)
}

// policyText returns the text of a policy given in a JSON document (a JSON
// string holding the text, URL-encoded as the IAM API returns it or not, or
// an inline object) and the map from offsets in the text to offsets in f;
// label names the value in errors.
func (f *srcFile) policyText(v gjson.Result, label string) ([]byte, func(int) int, error) {
	text, toFile, err := iamapi.PolicyText(v.Raw, v.Index, label)
	if err != nil {
		code := policy.CodeWrongType
		if v.Type == gjson.String {
			code = policy.CodeInvalidJSON
		}
		return nil, nil, f.errorf(v.Index, code, "%v", err)
	}
	return text, toFile, nil
}

// parsePolicyAs is parsePolicyValue with label, rather than id, naming the
// value in error messages.
func (f *srcFile) parsePolicyAs(v gjson.Result, id, label string, sim *simulation) (*policy.Policy, error) {
	text, toFile, err := f.policyText(v, label)
	if err != nil {
		return nil, err
	}
	p, err := policy.Parse(id, text)
	if err != nil {
		var list policy.ErrorList
		if errors.As(err, &list) {
			out := make(policy.ErrorList, len(list))
			for i, e := range list {
				c := *e
				c.Pos = f.pos(toFile(e.Pos.Offset))
				c.Msg = label + ": " + c.Msg
				out[i] = &c
			}
			return nil, out
		}
		return nil, err
	}
	if sim != nil {
		if sim.origin == nil {
			sim.origin = map[string]origin{}
		}
		sim.origin[id] = origin{file: f, toFile: toFile}
	}
	return p, nil
}

// readInput reads a SimulateCustomPolicy request document (plus our
// extensions) into a simulation: iamapi.ParseDocument reads it, and the
// simulation names each policy by its id and knows where its text sits in
// the file. actionsGiven says the command line gives the actions (--action,
// which replaces ActionNames): the document may then leave them out, as the
// AWS CLI's skeleton does.
func readInput(f *srcFile, actionsGiven bool) (*simulation, error) {
	r, err := iamapi.ParseDocumentWith(f.name, f.data, iamapi.DocumentOptions{ActionsElsewhere: actionsGiven})
	if err != nil {
		return nil, err
	}
	sim := &simulation{display: map[string]string{}, origin: map[string]origin{}}
	for id, toFile := range r.Origin {
		sim.display[id] = id
		sim.origin[id] = origin{file: f, toFile: toFile}
	}
	sim.set = r.Set
	sim.actions, sim.actionAt = r.ActionNames, r.ActionAt
	sim.resources = r.ResourceArns
	sim.caller = r.CallerArn
	for _, ce := range r.ContextEntries {
		sim.context = append(sim.context, contextEntry{name: ce.ContextKeyName, typ: ce.ContextKeyType, values: ce.ContextKeyValues})
	}
	sim.handling = r.ResourceHandlingOption
	sim.source, sim.sourceAt = r.PolicySourceArn, r.PolicySourceAt
	return sim, nil
}

// override applies the request flags given with --input (--cli-input-json)
// over the document, as the AWS CLI does: a flag replaces the whole member it
// stands for (--policy replaces PolicyInputList, --context ContextEntries,
// ...); the members no flag names stay as the document gives them.
func (sim *simulation) override(f *simulateFlags, o *opener) error {
	if !f.hasInputFlags() {
		return nil
	}
	fl, err := readRequestFlags(f, o)
	if err != nil {
		return err
	}
	replace := func(given bool, prefix string) bool {
		if !given {
			return false
		}
		for _, m := range []map[string]string{sim.display} {
			for id := range m {
				if strings.HasPrefix(id, prefix) {
					delete(m, id)
				}
			}
		}
		for id := range sim.origin {
			if strings.HasPrefix(id, prefix) {
				delete(sim.origin, id)
			}
		}
		for id, name := range fl.display {
			if strings.HasPrefix(id, prefix) {
				sim.display[id] = name
			}
		}
		for id, or := range fl.origin {
			if strings.HasPrefix(id, prefix) {
				if sim.origin == nil {
					sim.origin = map[string]origin{}
				}
				sim.origin[id] = or
			}
		}
		return true
	}
	if replace(len(f.policies) > 0, "PolicyInputList.") {
		sim.set.Identity = fl.set.Identity
	}
	if replace(f.boundary != "", "PermissionsBoundaryPolicyInputList.") {
		sim.set.Boundary = fl.set.Boundary
	}
	if replace(f.resourcePolicy != "", "ResourcePolicy") {
		sim.set.Resource = fl.set.Resource
	}
	if replace(len(f.sessions) > 0, "SessionPolicyInputList.") {
		sim.set.Session = fl.set.Session
	}
	if replace(len(f.scps) > 0, "ServiceControlPolicyInputList.") {
		sim.set.SCPs = fl.set.SCPs
	}
	if replace(len(f.rcps) > 0, "ResourceControlPolicyInputList.") {
		sim.set.RCPs = fl.set.RCPs
	}
	if len(f.actions) > 0 {
		sim.actions, sim.actionAt = fl.actions, nil
	}
	if len(f.resources) > 0 {
		sim.resources = fl.resources
	}
	if f.caller != "" || f.anonymous {
		sim.caller = fl.caller
	}
	if f.owner != "" {
		sim.set.ResourceOwner = fl.set.ResourceOwner
	}
	if len(f.contexts) > 0 {
		sim.context = fl.context
	}
	if f.handling != "" {
		sim.handling = fl.handling
	}
	return nil
}

// checkHandlingOption checks a ResourceHandlingOption ("" is none).
func checkHandlingOption(opt string) error { return iamapi.CheckResourceHandlingOption(opt) }

// checkCaller is request.CheckCaller.
func checkCaller(s string) error { return request.CheckCaller(s) }

// checkARN reports whether s is an ARN (or, when star is true, "*").
func checkARN(s string, star bool) error { return iamapi.CheckARN(s, star) }

// level reads an --scp or --rcp argument as one organization level: a
// policy (or AWS CLI output holding one), a JSON list of policies, or a
// directory whose policies form the level. idPrefix is the level's
// AWS-style id.
func (o *opener) level(flag, arg, idPrefix string, sim *simulation) ([]*policy.Policy, error) {
	var docs []policyDoc
	if isDir(arg) {
		var err error
		if docs, err = o.policies(flag, arg); err != nil {
			return nil, err
		}
	} else {
		f, err := o.read(flag, arg)
		if err != nil {
			return nil, err
		}
		if err := f.checkJSON(); err != nil {
			return nil, err
		}
		if root := gjson.ParseBytes(f.data); root.IsArray() {
			var out []*policy.Policy
			for i, item := range root.Array() {
				id := idPrefix + "." + strconv.Itoa(i+1)
				p, err := f.parsePolicyValue(item, id, sim)
				if err != nil {
					return nil, err
				}
				sim.display[id] = fmt.Sprintf("%s[%d]", f.name, i)
				out = append(out, p)
			}
			return out, nil
		}
		d, err := findPolicy(f)
		if err != nil {
			return nil, err
		}
		o.noteUnwrapped(&d)
		docs = []policyDoc{d}
	}
	var out []*policy.Policy
	for _, d := range docs {
		p, err := d.parse(idPrefix+"."+strconv.Itoa(len(out)+1), sim)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func isOwner(s string) bool { return iamapi.IsOwner(s) }
