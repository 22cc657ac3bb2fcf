package iamapi

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// params lists the parameters each operation takes besides Action and
// Version (IAM API Reference, each action's Request Parameters).
var params = map[Operation][]string{
	SimulateCustomPolicy: {"PolicyInputList", "PermissionsBoundaryPolicyInputList", "ActionNames", "ResourceArns",
		"ResourcePolicy", "ResourceOwner", "CallerArn", "ContextEntries", "ResourceHandlingOption", "MaxItems", "Marker"},
	SimulatePrincipalPolicy: {"PolicySourceArn", "PolicyInputList", "PermissionsBoundaryPolicyInputList", "ActionNames", "ResourceArns",
		"ResourcePolicy", "ResourceOwner", "CallerArn", "ContextEntries", "ResourceHandlingOption", "MaxItems", "Marker"},
	GetContextKeysForCustomPolicy:    {"PolicyInputList"},
	GetContextKeysForPrincipalPolicy: {"PolicySourceArn", "PolicyInputList"},
}

// Operations lists the operations ParseForm reads, in the IAM API
// Reference's order.
var Operations = []Operation{SimulateCustomPolicy, SimulatePrincipalPolicy, GetContextKeysForCustomPolicy, GetContextKeysForPrincipalPolicy}

// ParseForm reads a Query API request: the form-encoded parameters of a
// POST (or a query string), with Action naming one of Operations and
// Version 2010-05-08. Lists are encoded as AWS's Query protocol encodes
// them: Name.member.N (1-based; an empty list as "Name="), and a context
// entry as ContextEntries.member.N.ContextKeyName, .ContextKeyType and
// .ContextKeyValues.member.M. Parameters of SigV4 query signing (X-Amz-*)
// are ignored: the server accepts any credentials.
//
// The error is an *Error: MissingAction, InvalidAction,
// MissingParameter, InvalidParameterValue, InvalidQueryParameter (a
// parameter the action does not take) or InvalidInput (a value AWS would
// refuse: a policy that does not parse, an ARN that is not one, an
// unknown context type, MaxItems out of range).
func ParseForm(form url.Values) (*Request, error) {
	action := form.Get("Action")
	if action == "" {
		return nil, Errorf(CodeMissingAction, "the request names no Action (one of %s)", operationList())
	}
	op := Operation(action)
	allowed, ok := params[op]
	if !ok {
		return nil, Errorf(CodeInvalidAction, "Action %q is not one this endpoint answers: it answers %s", action, operationList())
	}
	switch v := form.Get("Version"); v {
	case APIVersion:
	case "":
		return nil, Errorf(CodeMissingParameter, "the request names no Version (IAM's is %s)", APIVersion)
	default:
		return nil, Errorf(CodeInvalidParameterValue, "Version %q: IAM's API version is %s", v, APIVersion)
	}
	f := &form2{values: form, op: op, req: &Request{Operation: op}}
	byName := map[string][]string{} // parameter -> its keys
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "Action" || k == "Version" || strings.HasPrefix(strings.ToLower(k), "x-amz-") {
			continue
		}
		name, _, _ := strings.Cut(k, ".")
		if !slices.Contains(allowed, name) {
			return nil, Errorf(CodeInvalidQueryParameter, "%s does not take the parameter %q (it takes %s)", op, k, strings.Join(allowed, ", "))
		}
		if len(form[k]) > 1 {
			return nil, Errorf(CodeInvalidParameterValue, "parameter %s is given %d times", k, len(form[k]))
		}
		byName[name] = append(byName[name], k)
	}
	r := f.req
	var err error
	for _, name := range allowed {
		ks := byName[name]
		if len(ks) == 0 {
			continue
		}
		switch name {
		case "PolicyInputList":
			r.Set.Identity, err = f.policies(name, ks)
		case "PermissionsBoundaryPolicyInputList":
			var ps []*policy.Policy
			ps, err = f.policies(name, ks)
			if len(ps) > 1 {
				err = Errorf(CodeInvalidInput, "PermissionsBoundaryPolicyInputList takes at most one policy, got %d", len(ps))
			} else if len(ps) == 1 {
				r.Set.Boundary = ps[0]
			}
		case "ActionNames":
			var vs []string
			if vs, err = f.strings(name, ks); err == nil {
				for _, a := range vs {
					if cerr := policy.CheckActionName(a); cerr != nil {
						err = Errorf(CodeInvalidInput, "ActionNames: %v", cerr)
						break
					}
				}
				r.ActionNames = vs
			}
		case "ResourceArns":
			var vs []string
			if vs, err = f.strings(name, ks); err == nil {
				for _, res := range vs {
					if cerr := CheckARN(res, true); cerr != nil {
						err = Errorf(CodeInvalidInput, "ResourceArns: %v", cerr)
						break
					}
				}
				r.ResourceArns = vs
			}
		case "ResourcePolicy":
			r.Set.Resource, err = f.policy(name, f.scalar(name, ks))
		case "ResourceOwner":
			owner := f.scalar(name, ks)
			if !IsOwner(owner) {
				err = Errorf(CodeInvalidInput, "ResourceOwner %q must be an account ID or arn:aws:iam::ACCOUNT:root", owner)
			}
			r.Set.ResourceOwner = owner
		case "CallerArn":
			r.CallerArn = f.scalar(name, ks)
			if cerr := request.CheckCaller(r.CallerArn); cerr != nil {
				err = Errorf(CodeInvalidInput, "CallerArn: %v", cerr)
			}
		case "ContextEntries":
			r.ContextEntries, err = f.contextEntries(ks)
		case "ResourceHandlingOption":
			r.ResourceHandlingOption = f.scalar(name, ks)
			if cerr := CheckResourceHandlingOption(r.ResourceHandlingOption); cerr != nil {
				err = Errorf(CodeInvalidInput, "%v", cerr)
			}
		case "PolicySourceArn":
			r.PolicySourceArn = f.scalar(name, ks)
			if cerr := CheckARN(r.PolicySourceArn, false); cerr != nil {
				err = Errorf(CodeInvalidInput, "PolicySourceArn: %v", cerr)
			}
		case "MaxItems":
			s := f.scalar(name, ks)
			n, cerr := strconv.Atoi(s)
			if cerr != nil || n < 1 || n > MaxMaxItems {
				err = Errorf(CodeInvalidInput, "MaxItems %q: want a whole number from 1 to %d", s, MaxMaxItems)
			}
			r.MaxItems = n
		case "Marker":
			r.Marker = f.scalar(name, ks)
		}
		if err == nil {
			err = f.err
		}
		if err != nil {
			return nil, err
		}
	}
	// required parameters
	need := func(name string, given bool) error {
		if given {
			return nil
		}
		return Errorf(CodeMissingParameter, "%s requires %s", op, name)
	}
	switch op {
	case SimulateCustomPolicy, GetContextKeysForCustomPolicy:
		if err := need("PolicyInputList", len(byName["PolicyInputList"]) > 0); err != nil {
			return nil, err
		}
	case SimulatePrincipalPolicy, GetContextKeysForPrincipalPolicy:
		if err := need("PolicySourceArn", r.PolicySourceArn != ""); err != nil {
			return nil, err
		}
	}
	if op == SimulateCustomPolicy || op == SimulatePrincipalPolicy {
		if err := need("ActionNames", len(byName["ActionNames"]) > 0); err != nil {
			return nil, err
		}
		if len(r.ActionNames) == 0 {
			return nil, Errorf(CodeInvalidInput, "ActionNames is empty: give the actions to simulate")
		}
	}
	return r, nil
}

// gapError is the error for a list whose member numbers skip want: the
// Query protocol numbers a list's members 1, 2, 3, ... and a gap means a
// member was lost on the way (or the form was built by hand).
func gapError(name string, want, got int) error {
	return Errorf(CodeInvalidParameterValue, "%s.member.%d is given without %s.member.%d: a list's members are numbered from 1 without gaps", name, got, name, want)
}

// operationList names Operations for messages.
func operationList() string {
	names := make([]string, len(Operations))
	for i, o := range Operations {
		names[i] = string(o)
	}
	return strings.Join(names, ", ")
}

// form2 reads the parameters of one operation; err holds the first
// problem met by scalar.
type form2 struct {
	values url.Values
	op     Operation
	req    *Request
	err    error
}

// scalar is the value of a parameter that is not a list: exactly the key
// name itself.
func (f *form2) scalar(name string, keys []string) string {
	if len(keys) != 1 || keys[0] != name {
		if f.err == nil {
			f.err = Errorf(CodeInvalidParameterValue, "%s is a single value, not a list or structure (got %s)", name, keys[0])
		}
		return ""
	}
	return f.values.Get(name)
}

// memberIndex reads "member.N" (N >= 1) at the start of rest and returns N
// and what follows it.
func memberIndex(key, rest string) (int, string, error) {
	m, ok := strings.CutPrefix(rest, "member.")
	if !ok {
		return 0, "", Errorf(CodeInvalidParameterValue, "parameter %s: a list's entries are NAME.member.N", key)
	}
	num, tail, _ := strings.Cut(m, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || num[0] == '0' || n > 1<<20 {
		return 0, "", Errorf(CodeInvalidParameterValue, "parameter %s: list index %q is not a whole number from 1", key, num)
	}
	return n, tail, nil
}

// strings reads a list of strings: NAME.member.N, in index order, or
// "NAME=" for an empty list.
func (f *form2) strings(name string, keys []string) ([]string, error) {
	type item struct {
		n int
		v string
	}
	var items []item
	for _, k := range keys {
		if k == name {
			if f.values.Get(k) != "" || len(keys) > 1 {
				return nil, Errorf(CodeInvalidParameterValue, "%s is a list: give NAME.member.1, NAME.member.2, ... (or %s= for an empty list)", name, name)
			}
			continue
		}
		n, tail, err := memberIndex(k, strings.TrimPrefix(k, name+"."))
		if err != nil {
			return nil, err
		}
		if tail != "" {
			return nil, Errorf(CodeInvalidParameterValue, "parameter %s: %s is a list of strings", k, name)
		}
		items = append(items, item{n, f.values.Get(k)})
	}
	slices.SortFunc(items, func(a, b item) int { return a.n - b.n })
	out := make([]string, len(items))
	for i, it := range items {
		if it.n != i+1 {
			return nil, gapError(name, i+1, it.n)
		}
		out[i] = it.v
	}
	return out, nil
}

// policies reads a list of policy documents; each is named NAME.I, I its
// 1-based place in the list, as AWS names them in SourcePolicyId.
func (f *form2) policies(name string, keys []string) ([]*policy.Policy, error) {
	texts, err := f.strings(name, keys)
	if err != nil {
		return nil, err
	}
	out := make([]*policy.Policy, 0, len(texts))
	for i, t := range texts {
		p, err := f.policy(name+"."+strconv.Itoa(i+1), t)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// policy parses one policy document named id. The text may be URL-encoded,
// as the IAM API returns documents.
func (f *form2) policy(id, text string) (*policy.Policy, error) {
	if text == "" {
		return nil, Errorf(CodeInvalidInput, "%s is empty: a policy document is required", id)
	}
	if IsURLEncoded(text) {
		dec, _, err := urlDecode(text)
		if err != nil {
			return nil, Errorf(CodeInvalidInput, "%s: a URL-encoded policy: %v", id, err)
		}
		text = dec
	}
	p, err := policy.Parse(id, []byte(text))
	if err != nil {
		var list policy.ErrorList
		if errors.As(err, &list) {
			msgs := make([]string, len(list))
			for i, e := range list {
				msgs[i] = e.Error()
			}
			return nil, Errorf(CodeInvalidInput, "%s", strings.Join(msgs, "; "))
		}
		return nil, Errorf(CodeInvalidInput, "%s: %v", id, err)
	}
	return p, nil
}

// contextEntries reads ContextEntries.member.N.{ContextKeyName,
// ContextKeyType, ContextKeyValues.member.M}.
func (f *form2) contextEntries(keys []string) ([]ContextEntry, error) {
	type parts struct {
		name, typ       string
		hasName, hasTyp bool
		values          []string
	}
	byIndex := map[int]*parts{}
	var valueKeys = map[int][]string{}
	for _, k := range keys {
		if k == "ContextEntries" {
			if f.values.Get(k) != "" || len(keys) > 1 {
				return nil, Errorf(CodeInvalidParameterValue, "ContextEntries is a list: give ContextEntries.member.N.ContextKeyName, ...")
			}
			continue
		}
		n, tail, err := memberIndex(k, strings.TrimPrefix(k, "ContextEntries."))
		if err != nil {
			return nil, err
		}
		p := byIndex[n]
		if p == nil {
			p = &parts{}
			byIndex[n] = p
		}
		field, _, _ := strings.Cut(tail, ".")
		switch {
		case tail == "ContextKeyName":
			p.name, p.hasName = f.values.Get(k), true
		case tail == "ContextKeyType":
			p.typ, p.hasTyp = f.values.Get(k), true
		case field == "ContextKeyValues":
			valueKeys[n] = append(valueKeys[n], k)
		default:
			return nil, Errorf(CodeInvalidParameterValue, "parameter %s: a context entry has ContextKeyName, ContextKeyType and ContextKeyValues", k)
		}
	}
	idx := make([]int, 0, len(byIndex))
	for n := range byIndex {
		idx = append(idx, n)
	}
	slices.Sort(idx)
	for i, n := range idx {
		if n != i+1 {
			return nil, gapError("ContextEntries", i+1, n)
		}
	}
	out := make([]ContextEntry, 0, len(idx))
	seen := map[string]bool{}
	for _, n := range idx {
		p := byIndex[n]
		prefix := "ContextEntries.member." + strconv.Itoa(n) + "."
		if vk := valueKeys[n]; len(vk) > 0 {
			trimmed := make([]string, len(vk))
			for i, k := range vk {
				trimmed[i] = strings.TrimPrefix(k, prefix)
			}
			sub := &form2{values: url.Values{}}
			for i, k := range trimmed {
				sub.values[k] = f.values[vk[i]]
			}
			vals, err := sub.strings("ContextKeyValues", trimmed)
			if err != nil {
				return nil, Errorf(CodeInvalidParameterValue, "%s%v", prefix, err.(*Error).Message)
			}
			p.values = vals
		}
		if !p.hasName || p.name == "" {
			return nil, Errorf(CodeInvalidInput, "%sContextKeyName is required", prefix)
		}
		if !p.hasTyp || p.typ == "" {
			return nil, Errorf(CodeInvalidInput, "context key %s: ContextKeyType is required (one of %s)", p.name, TypeNames)
		}
		t, err := request.ParseType(p.typ)
		if err != nil {
			return nil, Errorf(CodeInvalidInput, "context key %s: %v", p.name, err)
		}
		ce := ContextEntry{ContextKeyName: p.name, ContextKeyType: t, ContextKeyValues: p.values}
		if err := ce.Check(); err != nil {
			return nil, Errorf(CodeInvalidInput, "%v", err) // it names the key
		}
		if l := strings.ToLower(p.name); seen[l] {
			return nil, Errorf(CodeInvalidInput, "context key %s is given twice", p.name)
		} else {
			seen[l] = true
		}
		out = append(out, ce)
	}
	return out, nil
}
