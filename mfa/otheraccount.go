package mfa

import (
	"slices"
	"strings"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
)

// OtherAccountInstance returns a resource of another account that stands,
// beside resource, for the resources of other accounts that a wildcard
// Resource entry (or "*") also matches: resource is an instance of the
// entry made in the caller's account (Instances fills an open account
// field with account, the caller's), and within are the patterns the
// result must match too (the entry, and a --resource pattern). A request
// for another account's resource is decided on the caller's side by the
// same identity policies (IAM policy evaluation logic, cross-account: the
// identity-based policy in the requester's account must allow it, and the
// resource's own policy too), so a Deny without MFA that names only the
// caller's account leaves it open: the caller's own resource alone would
// say "MFA required" of an entry that lets other accounts' resources
// through without MFA.
//
// The result is resource with its account field (the fifth of an ARN's
// colon-separated fields) made a 12-digit account other than account,
// matched by every pattern of within; of those it tries (each account
// field written in within and in the Resource and NotResource entries of
// e's statements for action, its wildcards filled with one digit, and
// twelve of one digit), the one that the fewest Deny statements of the
// footprint and then the most Allow statements let in (by their Resource
// elements, as written: a policy variable matches only itself), and that
// some Allow statement lets in. It is a stand-in (the account is made up,
// and the output should say so), chosen so that the statements that tell
// accounts apart decide it as they would most other accounts.
//
// ok is false when resource is not an ARN of account's (no account field,
// or another account's), when no other account is within every pattern,
// when no Allow statement of the footprint lets another account's
// resource in, or when every statement of the footprint names the
// resource "*" (tellsResources): then nothing but resource itself needs
// deciding.
func OtherAccountInstance(e *evaluator.Engine, action, resource, account string, within ...string) (string, bool) {
	return NewOtherAccounts(e, action).Instance(resource, account, within...)
}

// OtherAccounts is what OtherAccountInstance reads of an engine for one
// action, read once for the instances of many resources. The zero value
// is ready for Reset.
type OtherAccounts struct {
	f evaluator.Footprint
	// stmts are the caller's side of the footprint (not a resource
	// policy's statements)
	stmts []*policy.Statement
	// accounts are the accounts tried, made when first needed (made):
	// each account field with a wildcard written in a Resource or
	// NotResource entry of stmts, filled with each digit (fillField),
	// then twelve of each digit
	accounts []string
	made     bool
	fields   []string
}

// NewOtherAccounts reads e's statements for action.
func NewOtherAccounts(e *evaluator.Engine, action string) *OtherAccounts {
	o := &OtherAccounts{}
	o.Reset(e, action)
	return o
}

// Reset makes o read e's statements for action, in o's room.
func (o *OtherAccounts) Reset(e *evaluator.Engine, action string) {
	e.AppendFootprint(&o.f, action)
	o.ResetFootprint(e, &o.f)
}

// ResetFootprint is Reset of f, e's footprint of the action
// (evaluator.Engine.AppendFootprint), made already.
func (o *OtherAccounts) ResetFootprint(e *evaluator.Engine, f *evaluator.Footprint) {
	clear(o.stmts)
	o.stmts, o.accounts, o.made = o.stmts[:0], o.accounts[:0], false
	for _, ref := range f.Statements {
		cp := e.Policy(ref.Policy)
		if cp.Type == evaluator.TypeResource {
			continue // the resource's own side, not the caller's
		}
		o.stmts = append(o.stmts, cp.Policy.Statements[ref.Statement])
	}
}

// makeAccounts fills o.accounts.
func (o *OtherAccounts) makeAccounts() {
	o.made = true
	fields := o.fields[:0]
	for _, st := range o.stmts {
		if st.Resource != nil {
			for _, v := range st.Resource.Values {
				fields = appendField(fields, v.Text)
			}
		}
	}
	fields = append(fields, "*")
	o.fields = fields
	for _, field := range fields {
		for d := byte('0'); d <= '9'; d++ {
			if a := fillField(field, d); twelveDigits(a) && !slices.Contains(o.accounts, a) {
				o.accounts = append(o.accounts, a)
			}
		}
	}
}

// appendField appends to fields the account field of pattern, a Resource
// entry, when it has a wildcard ("*" for "*").
func appendField(fields []string, pattern string) []string {
	if pattern == "*" {
		return append(fields, "*")
	}
	if ps := strings.SplitN(pattern, ":", 6); len(ps) == 6 && strings.ContainsAny(ps[4], "*?") {
		return append(fields, ps[4])
	}
	return fields
}

// Instance is OtherAccountInstance of the engine and action o was made
// for. It allocates nothing when resource is not an ARN of account's, or
// when every Resource and NotResource entry of the statements treats every
// account's resource of its shape alike (accountBlind).
func (o *OtherAccounts) Instance(resource, account string, within ...string) (string, bool) {
	if account == "" || !hasAccountField(resource, account) || !o.tellsAccounts(resource) {
		return "", false
	}
	if !o.made {
		o.makeAccounts()
	}
	parts := strings.SplitN(resource, ":", 6)
	best, bestDeny, bestAllow := "", 0, 0
	try := func(acct string) {
		if acct == account {
			return
		}
		parts[4] = acct
		cand := strings.Join(parts, ":")
		for _, w := range within {
			if !condition.MatchWildcard(w, cand, false) {
				return
			}
		}
		deny, allow := 0, 0
		for _, st := range o.stmts {
			if !resourceLetsIn(st.Resource, cand) {
				continue
			}
			if st.Effect == policy.Deny {
				deny++
			} else {
				allow++
			}
		}
		if allow > 0 && (best == "" || deny < bestDeny || deny == bestDeny && allow > bestAllow) {
			best, bestDeny, bestAllow = cand, deny, allow
		}
	}
	// the accounts within's own account fields allow, then o's
	var fields []string
	for _, w := range within {
		fields = appendField(fields, w)
	}
	for _, field := range fields {
		if field == "*" {
			continue // o's accounts hold its fills
		}
		for d := byte('0'); d <= '9'; d++ {
			if a := fillField(field, d); twelveDigits(a) {
				try(a)
			}
		}
	}
	for _, a := range o.accounts {
		try(a)
	}
	if best == "" {
		return "", false
	}
	// a stand-in every statement lets in as it lets resource in (a
	// policy variable in an entry's first five fields may tell them
	// apart) is decided as resource is: nothing to add
	for _, st := range o.stmts {
		if variableUpToAccount(st.Resource) || resourceLetsIn(st.Resource, best) != resourceLetsIn(st.Resource, resource) {
			return best, true
		}
	}
	return "", false
}

// tellsAccounts reports whether some Resource or NotResource entry of o's
// statements may let in resource, an ARN, and not the same ARN in
// another account, or the other way round: one that is not accountBlind.
func (o *OtherAccounts) tellsAccounts(resource string) bool {
	if !tellsResources(o.stmts) {
		return false
	}
	for _, st := range o.stmts {
		if st.Resource == nil {
			continue
		}
		for _, v := range st.Resource.Values {
			if !accountBlind(v.Text, resource) {
				return true
			}
		}
	}
	return false
}

// accountBlind reports whether entry, a Resource entry, lets in resource,
// an ARN, exactly when it lets in the same ARN with any other account in
// its account field: entry is "*"; or its first four fields hold no
// wildcard and no policy variable, and either differ from resource's (it
// lets in neither) or are resource's, and its fifth, the account, is "*"
// (a run that takes any account, whatever follows it). Any other entry
// may tell accounts apart, as far as this says.
func accountBlind(entry, resource string) bool {
	if entry == "*" {
		return true
	}
	same := true
	for n := 0; n < 4; n++ {
		i := strings.IndexByte(entry, ':')
		j := strings.IndexByte(resource, ':')
		if i < 0 || j < 0 {
			return false
		}
		field := entry[:i]
		if strings.ContainsAny(field, "*?$") {
			return false
		}
		same = same && field == resource[:j]
		entry, resource = entry[i+1:], resource[j+1:]
	}
	if !same {
		return true
	}
	i := strings.IndexByte(entry, ':')
	return i >= 0 && entry[:i] == "*"
}

// variableUpToAccount reports whether an entry of l holds a policy
// variable in its first five fields (up to and in the account field),
// which the request's keys resolve.
func variableUpToAccount(l *policy.List) bool {
	if l == nil {
		return false
	}
	for _, v := range l.Values {
		t, n := v.Text, 0
		for ; n < 5; n++ {
			i := strings.IndexByte(t, ':')
			if i < 0 {
				break
			}
			t = t[i+1:]
		}
		if strings.Contains(v.Text[:len(v.Text)-len(t)], "${") || n < 5 && strings.Contains(t, "${") {
			return true
		}
	}
	return false
}

// resourceLetsIn reports whether a statement's Resource or NotResource
// element l lets resource in, its values read as written (a policy
// variable matches only itself); a statement without one (a trust
// policy's) lets every resource in.
func resourceLetsIn(l *policy.List, resource string) bool {
	if l == nil {
		return true
	}
	return l.Match(resource, false) != l.Not
}

// fillField writes an account field pattern with its wildcards filled by
// the digit d: each '?' one, the first '*' as many as make the field
// twelve characters long (none when it is that already), the other stars
// none.
func fillField(field string, d byte) string {
	literal := 0
	for i := 0; i < len(field); i++ {
		if field[i] != '*' {
			literal++
		}
	}
	var b strings.Builder
	starred := false
	for i := 0; i < len(field); i++ {
		switch c := field[i]; {
		case c == '?':
			b.WriteByte(d)
		case c == '*' && !starred:
			starred = true
			for range max(0, 12-literal) {
				b.WriteByte(d)
			}
		case c == '*':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// twelveDigits reports whether s is an AWS account ID's shape: twelve
// ASCII digits.
func twelveDigits(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// tellsResources reports whether some statement of stmts tells resources
// apart: a Resource entry other than "*", or NotResource. When none does,
// the caller's side decides another account's resource as it does its own
// (but for the keys of the resource's account, aws:ResourceAccount and
// the like, which a request of an analysis carries only when they are
// given, and whose absence the caller's own resource's result already
// depends on), so no stand-in is needed.
func tellsResources(stmts []*policy.Statement) bool {
	for _, st := range stmts {
		if st.Resource == nil || st.Resource.Not {
			return true
		}
		for _, v := range st.Resource.Values {
			if v.Text != "*" {
				return true
			}
		}
	}
	return false
}

// hasAccountField reports whether resource is an ARN whose account field
// (the fifth of its colon-separated fields) is account.
func hasAccountField(resource, account string) bool {
	if !strings.HasPrefix(resource, "arn:") {
		return false
	}
	i, n := 0, 0
	for n < 4 {
		j := strings.IndexByte(resource[i:], ':')
		if j < 0 {
			return false
		}
		i += j + 1
		n++
	}
	rest := resource[i:]
	return len(rest) > len(account) && rest[:len(account)] == account && rest[len(account)] == ':'
}
