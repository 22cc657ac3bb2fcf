package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/evaluator"
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
	set     evaluator.PolicySet
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
	trust     map[*policy.Policy]*evaluator.Engine

	// source is the PolicySourceArn of a SimulatePrincipalPolicy request
	// document, and sourceAt where it is written.
	source   string
	sourceAt policy.Position
}

// engineFor returns the engine for a request: in an account, sts:AssumeRole*
// on one of its roles is decided with the role's trust policy as the
// resource policy (unless the run names a resource policy of its own).
func (sim *simulation) engineFor(base *evaluator.Engine, action, resource string) (*evaluator.Engine, error) {
	if sim.account == nil || sim.set.Resource != nil {
		return base, nil
	}
	trust := sim.account.TrustPolicy(action, resource)
	if trust == nil {
		return base, nil
	}
	if e, ok := sim.trust[trust]; ok {
		return e, nil
	}
	set := sim.set
	set.Resource = trust
	e, err := evaluator.Compile(set)
	if err != nil {
		return nil, err
	}
	if sim.trust == nil {
		sim.trust = map[*policy.Policy]*evaluator.Engine{}
	}
	sim.trust[trust] = e
	return e, nil
}

// loadAccount reads the --account snapshot.
func (o *opener) loadAccount(arg string) (*account.Account, error) {
	f, err := o.read("--account", arg)
	if err != nil {
		return nil, err
	}
	// a dump is one JSON value or several (its pages): what does not
	// start as one is said here, as for every other file
	if text := bytes.TrimSpace(f.data); len(text) == 0 || text[0] != '{' && text[0] != '[' {
		return nil, f.jsonError()
	}
	return account.Load(f.name, f.data)
}

// simulationFromAccount simulates a principal of an account snapshot, as
// SimulatePrincipalPolicy does: its own policies, its groups', its boundary;
// --policy adds policies and --boundary replaces the principal's boundary.
func simulationFromAccount(f *simulateFlags, o *opener) (*simulation, error) {
	var req *simulation // a SimulatePrincipalPolicy request document
	if f.input != "" {
		var err error
		if req, err = simulationFromInput(f.input, o); err != nil {
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
		if parts, ok := request.SplitARN(ref); ok && strings.HasPrefix(parts[5], "group/") {
			return nil, fmt.Errorf("%s: PolicySourceArn %s is a group: iameval simulates a user or a role of the account; name a user of the group", req.sourceAt, ref)
		}
	}
	p, err := acct.Principal(ref)
	if err != nil {
		if req != nil && f.principal == "" {
			return nil, fmt.Errorf("%s: PolicySourceArn: %v", req.sourceAt, err)
		}
		return nil, err
	}
	// the default caller, as SimulatePrincipalPolicy has it
	caller := ""
	switch {
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
	own := acct.PolicySet(p)
	sim.set.Identity = append(own.Identity, sim.set.Identity...)
	if sim.set.Boundary == nil {
		sim.set.Boundary = own.Boundary
	}
	if sim.set.ResourceOwner == "" {
		sim.set.ResourceOwner = own.ResourceOwner
	}
	sim.account = acct
	sim.principal = p
	return sim, nil
}

// srcFile is a file being read, with a line table for positions.
type srcFile struct {
	name  string
	data  []byte
	index *policy.LineIndex
}

func newSrcFile(name string, data []byte) *srcFile {
	return &srcFile{name: name, data: data, index: policy.NewLineIndex(name, data)}
}

func (f *srcFile) pos(off int) policy.Position { return f.index.Position(off) }

func (f *srcFile) errorf(off int, code, format string, args ...any) error {
	return &inputError{pos: f.pos(off), code: code, msg: fmt.Sprintf(format, args...)}
}

// jsonError reports where a file stops being valid JSON.
func (f *srcFile) jsonError() error {
	if len(bytes.TrimSpace(f.data)) == 0 {
		return f.errorf(0, policy.CodeInvalidJSON, "empty document")
	}
	var v any
	err := json.Unmarshal(f.data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return f.errorf(int(se.Offset)-1, policy.CodeInvalidJSON, "invalid JSON: %v", se)
	}
	if err == nil {
		return f.errorf(0, policy.CodeWrongType, "a JSON %s, where a JSON object belongs", jsonTypeName(gjson.ParseBytes(f.data)))
	}
	return f.errorf(0, policy.CodeInvalidJSON, "invalid JSON: %v", err)
}

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
	switch {
	case v.Type == gjson.String && isURLEncoded(v.Str):
		text, table, err := urlDecode(v.Str)
		if err != nil {
			return nil, nil, f.errorf(v.Index, policy.CodeInvalidJSON, "%s: a URL-encoded policy: %v", label, err)
		}
		inString := stringOffsets(v.Raw, v.Index)
		return []byte(text), func(off int) int {
			if off < len(table) {
				return inString(table[off])
			}
			return inString(len(v.Str))
		}, nil
	case v.Type == gjson.String:
		return []byte(v.Str), stringOffsets(v.Raw, v.Index), nil
	case v.IsObject():
		return []byte(v.Raw), func(off int) int { return v.Index + off }, nil
	}
	return nil, nil, f.errorf(v.Index, policy.CodeWrongType, "%s: a policy must be a JSON string or an object, got %s", label, v.Type)
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

// stringOffsets maps a byte offset in the decoded value of the JSON string
// raw (which starts at file offset base) to its file offset.
func stringOffsets(raw string, base int) func(int) int {
	var table []int // decoded offset -> raw offset
	for i := 1; i < len(raw)-1; {
		if raw[i] == '\\' && i+1 < len(raw) {
			n := 2
			dec := 1
			switch raw[i+1] {
			case 'u':
				n = 6
				r, _ := strconv.ParseUint(raw[min(i+2, len(raw)):min(i+6, len(raw))], 16, 32)
				dec = utf8.RuneLen(rune(r))
				if dec < 0 {
					dec = 3
				}
			}
			for k := 0; k < dec; k++ {
				table = append(table, i)
			}
			i += n
			continue
		}
		table = append(table, i)
		i++
	}
	return func(off int) int {
		if off < len(table) {
			return base + table[off]
		}
		return base + len(raw) - 1
	}
}

// readInput reads a SimulateCustomPolicy request document (plus our
// extensions) into a simulation.
func readInput(name string, data []byte) (*simulation, error) {
	f := newSrcFile(name, data)
	if !gjson.ValidBytes(data) {
		return nil, f.jsonError()
	}
	root := gjson.ParseBytes(data)
	if !root.IsObject() {
		return nil, f.errorf(root.Index, policy.CodeWrongType, "the input must be a JSON object (a SimulateCustomPolicy request)")
	}
	sim := &simulation{display: map[string]string{}}
	var errs policy.ErrorList
	fail := func(err error) {
		var list policy.ErrorList
		var ie *inputError
		switch {
		case errors.As(err, &list):
			errs = append(errs, list...)
		case errors.As(err, &ie):
			errs = append(errs, &policy.Error{Pos: ie.pos, Code: ie.code, Msg: ie.msg})
		default:
			errs = append(errs, &policy.Error{Pos: f.pos(0), Code: "error", Msg: err.Error()})
		}
	}
	policies := func(v gjson.Result, field string) []*policy.Policy {
		if !v.IsArray() {
			fail(f.errorf(v.Index, policy.CodeWrongType, "%s must be a list of policies", field))
			return nil
		}
		var out []*policy.Policy
		for i, item := range v.Array() {
			if item.Type == gjson.String && item.Str == "" {
				continue // as in the AWS CLI's skeleton: no policy
			}
			id := field + "." + strconv.Itoa(i+1)
			p, err := f.parsePolicyValue(item, id, sim)
			if err != nil {
				fail(err)
				continue
			}
			sim.display[id] = id
			out = append(out, p)
		}
		return out
	}
	strs := func(v gjson.Result, field string) []string {
		if !v.IsArray() {
			fail(f.errorf(v.Index, policy.CodeWrongType, "%s must be a list of strings", field))
			return nil
		}
		var out []string
		for _, item := range v.Array() {
			if item.Type != gjson.String {
				fail(f.errorf(item.Index, policy.CodeWrongType, "%s entries must be strings", field))
				continue
			}
			out = append(out, item.Str)
		}
		return out
	}
	// nonEmpty is the strings of a list with their values, without the
	// AWS CLI skeleton's empty strings
	nonEmpty := func(v gjson.Result, field string) (vals []string, at []gjson.Result) {
		list := strs(v, field)
		if len(list) == 0 {
			return nil, nil
		}
		for _, item := range v.Array() {
			if item.Type == gjson.String && item.Str != "" {
				vals, at = append(vals, item.Str), append(at, item)
			}
		}
		return vals, at
	}
	str := func(v gjson.Result, field string) string {
		if v.Type != gjson.String {
			fail(f.errorf(v.Index, policy.CodeWrongType, "%s must be a string", field))
			return ""
		}
		return v.Str
	}
	seen := map[string]bool{}
	root.ForEach(func(k, v gjson.Result) bool {
		if seen[k.Str] {
			fail(f.errorf(k.Index, policy.CodeDuplicateKey, "duplicate key %q", k.Str))
			return true
		}
		seen[k.Str] = true
		switch k.Str {
		case "PolicyInputList":
			sim.set.Identity = policies(v, k.Str)
		case "PermissionsBoundaryPolicyInputList":
			ps := policies(v, k.Str)
			if len(ps) > 1 {
				fail(f.errorf(v.Index, "too_many_boundaries", "PermissionsBoundaryPolicyInputList takes at most one policy, got %d", len(ps)))
			} else if len(ps) == 1 {
				sim.set.Boundary = ps[0]
			}
		case "SessionPolicyInputList":
			sim.set.Session = policies(v, k.Str)
		case "ServiceControlPolicyInputList", "ResourceControlPolicyInputList":
			if !v.IsArray() {
				fail(f.errorf(v.Index, policy.CodeWrongType, "%s must be a list of levels (root first), each a list of policies", k.Str))
				return true
			}
			var levels [][]*policy.Policy
			for l, level := range v.Array() {
				levels = append(levels, policies(level, k.Str+"."+strconv.Itoa(l+1)))
			}
			if k.Str == "ServiceControlPolicyInputList" {
				sim.set.SCPs = levels
			} else {
				sim.set.RCPs = levels
			}
		case "ResourcePolicy":
			if v.Type == gjson.String && v.Str == "" {
				return true // as in the AWS CLI's skeleton: no resource policy
			}
			p, err := f.parsePolicyValue(v, "ResourcePolicy", sim)
			if err != nil {
				fail(err)
				return true
			}
			sim.display["ResourcePolicy"] = "ResourcePolicy"
			sim.set.Resource = p
		case "ActionNames":
			actions, at := nonEmpty(v, k.Str)
			for i, a := range actions {
				if err := policy.CheckActionName(a); err != nil {
					fail(f.errorf(at[i].Index, "bad_action_name", "ActionNames: %v", err))
					continue
				}
				sim.actions = append(sim.actions, a)
				sim.actionAt = append(sim.actionAt, f.pos(at[i].Index))
			}
		case "ResourceArns":
			resources, at := nonEmpty(v, k.Str)
			for i, r := range resources {
				if err := checkARN(r, true); err != nil {
					fail(f.errorf(at[i].Index, "bad_arn", "ResourceArns: %v", err))
					continue
				}
				sim.resources = append(sim.resources, r)
			}
		case "ResourceOwner":
			owner := str(v, k.Str)
			if owner != "" && !isOwner(owner) {
				fail(f.errorf(v.Index, "bad_arn", "ResourceOwner %q must be an account id or arn:aws:iam::ACCOUNT:root", owner))
			}
			sim.set.ResourceOwner = owner
		case "CallerArn":
			caller := str(v, k.Str)
			if caller == "" {
				return true // as in the AWS CLI's skeleton: no caller
			}
			if err := checkCaller(caller); err != nil {
				fail(f.errorf(v.Index, "bad_arn", "CallerArn: %v", err))
				return true
			}
			if sim.caller == request.Anonymous {
				fail(f.errorf(v.Index, "conflicting_caller", "CallerArn and AnonymousCaller exclude each other"))
				return true
			}
			sim.caller = caller
		case "AnonymousCaller":
			// our extension: an unsigned request, for public resources
			if v.Type != gjson.True && v.Type != gjson.False {
				fail(f.errorf(v.Index, policy.CodeWrongType, "AnonymousCaller must be true or false"))
				return true
			}
			if v.Type == gjson.True {
				if sim.caller != "" {
					fail(f.errorf(v.Index, "conflicting_caller", "CallerArn and AnonymousCaller exclude each other"))
					return true
				}
				sim.caller = request.Anonymous
			}
		case "ContextEntries":
			if !v.IsArray() {
				fail(f.errorf(v.Index, policy.CodeWrongType, "ContextEntries must be a list"))
				return true
			}
			seenKeys := map[string]bool{}
			for _, e := range v.Array() {
				ce, skip, err := f.contextEntry(e)
				if err != nil {
					fail(err)
					continue
				}
				if skip {
					continue
				}
				if seenKeys[strings.ToLower(ce.name)] {
					fail(f.errorf(e.Index, "duplicate_context_key", "context key %s is given twice", ce.name))
					continue
				}
				seenKeys[strings.ToLower(ce.name)] = true
				sim.context = append(sim.context, ce)
			}
		case "PolicySourceArn":
			// a SimulatePrincipalPolicy request: the principal whose
			// policies are simulated, found in the --account dump
			arn := str(v, k.Str)
			if arn == "" {
				return true // as in the AWS CLI's skeleton
			}
			if err := checkARN(arn, false); err != nil {
				fail(f.errorf(v.Index, "bad_arn", "PolicySourceArn: %v", err))
				return true
			}
			sim.source, sim.sourceAt = arn, f.pos(v.Index)
		case "ResourceHandlingOption":
			opt := str(v, k.Str)
			if err := checkHandlingOption(opt); err != nil {
				fail(f.errorf(v.Index, "bad_resource_handling_option", "%v", err))
			}
			sim.handling = opt
		case "Marker":
			// accepted for compatibility; every result is returned at once
			str(v, k.Str)
		case "MaxItems":
			if v.Type != gjson.Number {
				fail(f.errorf(v.Index, policy.CodeWrongType, "MaxItems must be a number"))
			}
		default:
			fail(f.errorf(k.Index, policy.CodeUnknownElement, "unknown request field %q", k.Str))
		}
		return true
	})
	if len(sim.actions) == 0 && len(errs) == 0 {
		at := root.Index
		if v := root.Get("ActionNames"); v.Exists() {
			at = v.Index // a skeleton's empty list
		}
		fail(f.errorf(at, "missing_actions", "ActionNames is required: the actions to simulate"))
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return sim, nil
}

// contextEntry reads one ContextEntries item. skip reports an entry that
// gives nothing (every member empty, as in the AWS CLI's skeleton).
func (f *srcFile) contextEntry(e gjson.Result) (ce contextEntry, skip bool, err error) {
	if !e.IsObject() {
		return ce, false, f.errorf(e.Index, policy.CodeWrongType, "a context entry must be an object")
	}
	var hasName, hasType, hasValues bool
	e.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "ContextKeyName":
			if v.Type != gjson.String {
				err = f.errorf(v.Index, policy.CodeWrongType, "ContextKeyName must be a string")
				return false
			}
			ce.name, hasName = v.Str, v.Str != ""
		case "ContextKeyValues":
			if !v.IsArray() {
				err = f.errorf(v.Index, policy.CodeWrongType, "ContextKeyValues must be a list of strings")
				return false
			}
			hasValues = true
			for _, x := range v.Array() {
				if x.Type != gjson.String {
					err = f.errorf(x.Index, policy.CodeWrongType, "ContextKeyValues entries must be strings")
					return false
				}
				ce.values = append(ce.values, x.Str)
			}
		case "ContextKeyType":
			if v.Type != gjson.String {
				err = f.errorf(v.Index, policy.CodeWrongType, "ContextKeyType must be a string")
				return false
			}
			hasType = v.Str != ""
			if !hasType {
				return true
			}
			t, terr := request.ParseType(v.Str)
			if terr != nil {
				err = f.errorf(v.Index, "unknown_context_type", "%v", terr)
				return false
			}
			ce.typ = t
		default:
			err = f.errorf(k.Index, policy.CodeUnknownElement, "unknown context entry field %q (want ContextKeyName, ContextKeyValues, ContextKeyType)", k.Str)
			return false
		}
		return true
	})
	if err != nil {
		return ce, false, err
	}
	if !hasName {
		empty := true
		for _, v := range ce.values {
			empty = empty && v == ""
		}
		// the AWS CLI's skeleton entry: no name, no value, and the
		// first type it offers (string)
		if empty && (!hasType || ce.typ == request.TypeString) {
			return ce, true, nil
		}
		return ce, false, f.errorf(e.Index, "bad_context_entry", "context entry without ContextKeyName")
	}
	switch {
	case !hasType:
		return ce, false, f.errorf(e.Index, "bad_context_entry", "context key %s: ContextKeyType is missing or empty (one of string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList)", ce.name)
	case !hasValues:
		return ce, false, f.errorf(e.Index, "bad_context_entry", "context key %s: ContextKeyValues is missing", ce.name)
	}
	if cerr := ce.check(); cerr != nil {
		return ce, false, f.errorf(e.Index, "bad_context_entry", "%v", cerr)
	}
	return ce, false, nil
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

// resourceHandlingOptions are the values AWS's simulator takes for
// ResourceHandlingOption: the EC2 scenarios whose resources it requires.
var resourceHandlingOptions = []string{"EC2-VPC-InstanceStore", "EC2-VPC-InstanceStore-Subnet", "EC2-VPC-EBS", "EC2-VPC-EBS-Subnet", "EC2-Classic-InstanceStore", "EC2-Classic-EBS"}

// checkHandlingOption checks a ResourceHandlingOption ("" is none).
func checkHandlingOption(opt string) error {
	if opt == "" || slices.Contains(resourceHandlingOptions, opt) {
		return nil
	}
	return fmt.Errorf("ResourceHandlingOption %q: want one of %s", opt, strings.Join(resourceHandlingOptions, ", "))
}

// checkCaller is request.CheckCaller.
func checkCaller(s string) error { return request.CheckCaller(s) }

// checkARN reports whether s is an ARN (or, when star is true, "*").
func checkARN(s string, star bool) error {
	if star && s == "*" {
		return nil
	}
	parts, ok := request.SplitARN(s)
	if !ok || parts[1] == "" || parts[2] == "" {
		return fmt.Errorf("%q is not an ARN (arn:partition:service:region:account:resource)", s)
	}
	return nil
}

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

func isOwner(s string) bool {
	_, ok := request.ParseAccount(s)
	return ok
}
