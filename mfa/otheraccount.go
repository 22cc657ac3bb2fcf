package mfa

import (
	"slices"
	"strings"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// OtherAccountInstances returns resources of other accounts that stand,
// beside req's resource, for the resources of other accounts that a
// wildcard Resource entry (or "*") also matches: req is a live request of
// the caller on a resource of account account (ResourceAccountOf: the
// caller's, where Instances fills an open account field, or one made up
// for an entry only partly open, MadeUpAccount), made from such an entry
// or named within a pattern, and within are the patterns the results must match
// too (* or a --resource pattern, as the evaluator matches an ARN: field
// by field). A request for another account's resource is decided on the
// caller's side by the same identity policies (IAM policy evaluation
// logic, cross-account: the identity-based policy in the requester's
// account must allow it, and the resource's own policy too), so a Deny
// without MFA that names only the caller's account leaves other accounts'
// resources open: the caller's own resource alone would say "MFA
// required" of an entry that lets them through without MFA.
//
// Each result is req's resource with its account field (the fifth of an
// ARN's colon-separated fields) made a 12-digit account other than
// account. Of the accounts tried (each account field written in within
// and in the Resource and NotResource entries of e's statements for the
// action, its wildcards filled with one digit, then twelve of one digit
// and a few irregular numbers), one is returned for each distinct set of
// the footprint's statements that let its resource in
// (evaluator.Engine.AppendResourceMatches, with req's keys) that holds an
// Allow of an identity-based policy, but for the set req's own resource is
// let in by: requests whose resources the same statements let in, with the
// same keys, are decided alike. That set too when req carries a key that
// describes the resource (ResourceKey), which another account's resource
// does not share. They are stand-ins (the accounts are made up, and the
// output should say so): one of them decided as allowed without MFA shows
// that the entry lets some other account's resource through; none does
// not prove that no account's is (the accounts tried are finitely many).
//
// The result is empty when req's resource is not an ARN of account's (no
// account field, or another account's), when every Resource entry of the
// footprint lets in every account's resource of its shape alike
// (accountBlind: "*" among them), or when no account tried is let in
// otherwise.
func OtherAccountInstances(e *evaluator.Engine, req *request.Context, account string, within ...string) []string {
	return NewOtherAccounts(e, req.Action).Instances(req, account, within...)
}

// OtherAccounts is what OtherAccountInstances reads of an engine for one
// action, read once for the resources of many requests. The zero value
// is ready for Reset.
type OtherAccounts struct {
	e *evaluator.Engine
	// f is Reset's room; fp the footprint read
	f  evaluator.Footprint
	fp *evaluator.Footprint
	// stmts are the footprint's statements, identity says which are an
	// Allow of an identity-based policy
	stmts    []*policy.Statement
	identity []bool
	// accounts are the accounts tried, made when first needed (made):
	// each account field with a wildcard written in a Resource or
	// NotResource entry of stmts, filled with each digit (fillField),
	// then twelve of each digit, then irregular ones
	accounts []string
	made     bool
	fields   []string
	// rcp says the footprint holds statements of RCPs, which another
	// account's resource may be out of the reach of (a request on it is
	// decided without them)
	rcp bool
	// describes says the requests carry a key that describes the
	// resource (ResourceKey), which another account's resource does not
	// share; read at the first request (describesRead)
	describes, describesRead bool
	// own, keep and req are Instances' room
	own, keep []bool
	req       request.Context
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
// (evaluator.Engine.AppendFootprint), made already; f must stay as it is
// while o reads it.
func (o *OtherAccounts) ResetFootprint(e *evaluator.Engine, f *evaluator.Footprint) {
	clear(o.stmts)
	o.e, o.fp = e, f
	o.stmts, o.identity, o.accounts, o.made = o.stmts[:0], o.identity[:0], o.accounts[:0], false
	o.rcp, o.describes, o.describesRead = false, false, false
	for _, ref := range f.Statements {
		cp := e.Policy(ref.Policy)
		o.rcp = o.rcp || cp.Type == evaluator.TypeRCP
		st := cp.Policy.Statements[ref.Statement]
		o.stmts = append(o.stmts, st)
		o.identity = append(o.identity, st.Effect == policy.Allow && cp.Type == evaluator.TypeIdentity)
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
			if a := fillField(field, d); request.IsAccountID(a) && !slices.Contains(o.accounts, a) {
				o.accounts = append(o.accounts, a)
			}
		}
	}
	for _, a := range irregularAccounts {
		if !slices.Contains(o.accounts, a) {
			o.accounts = append(o.accounts, a)
		}
	}
	// every two-digit prefix, the rest its second digit: accounts that
	// statements naming leading digits (0*, 57*) or a last one leave out
	for p := range 100 {
		d1, d2 := byte('0'+p/10), byte('0'+p%10)
		a := string([]byte{d1, d2}) + strings.Repeat(string(d2), 10)
		if !slices.Contains(o.accounts, a) {
			o.accounts = append(o.accounts, a)
		}
	}
}

// irregularAccounts are accounts tried beside the fills of the account
// fields: a policy that names accounts one by one rarely names these.
var irregularAccounts = [...]string{"210987654321", "503948271605", "861207394528"}

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

// Instances is OtherAccountInstances of the engine and action o was made
// for. It allocates nothing when req's resource is not an ARN of
// account's, or when every Resource and NotResource entry of the
// statements lets in every account's resource of its shape alike.
func (o *OtherAccounts) Instances(req *request.Context, account string, within ...string) []string {
	resource := req.Resource
	if parts, ok := request.SplitARN(resource); account == "" || !ok || parts[4] != account {
		return nil
	}
	if !o.describesRead {
		// a key that describes the resource is the caller's resource's,
		// not another account's: the requests on the stand-ins go
		// without it, and may be decided otherwise whatever the
		// statements that let them in
		o.describesRead = true
		for _, k := range req.Keys() {
			o.describes = o.describes || ResourceKey(k.Name)
		}
	}
	// (so too with RCPs, which another account's resource may be out of
	// the reach of)
	alike := !o.describes && !o.rcp
	if alike && !o.tellsAccounts(resource) {
		return nil
	}
	if !o.made {
		o.makeAccounts()
	}
	o.own = o.e.AppendResourceMatches(o.own[:0], o.fp, req)
	req.CopyTo(&o.req)
	var out []string
	var seen []string
	parts := strings.SplitN(resource, ":", 6)
	try := func(acct string) {
		if acct == account {
			return
		}
		parts[4] = acct
		cand := strings.Join(parts, ":")
		if slices.Contains(out, cand) {
			return
		}
		for _, w := range within {
			if !arnMatch(w, cand) {
				return
			}
		}
		o.req.Resource = cand
		o.keep = o.e.AppendResourceMatches(o.keep[:0], o.fp, &o.req)
		allowed := false
		for i, in := range o.keep {
			allowed = allowed || in && o.identity[i]
		}
		if !allowed || alike && slices.Equal(o.keep, o.own) {
			return
		}
		sig := string(boolBytes(o.keep))
		if slices.Contains(seen, sig) {
			return
		}
		seen = append(seen, sig)
		out = append(out, cand)
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
			if a := fillField(field, d); request.IsAccountID(a) {
				try(a)
			}
		}
	}
	for _, a := range o.accounts {
		try(a)
	}
	return out
}

// boolBytes writes bs as bytes, 1 for true.
func boolBytes(bs []bool) []byte {
	out := make([]byte, len(bs))
	for i, b := range bs {
		if b {
			out[i] = 1
		}
	}
	return out
}

// ResourceKey reports whether key describes the resource a request is on:
// its account, organization, tags or aliases, as the global keys
// aws:ResourceAccount, aws:ResourceOrgID, aws:ResourceOrgPaths and
// aws:ResourceTag/KEY and the service keys named alike
// (s3:ResourceAccount, kms:ResourceAliases, ec2:ResourceTag/KEY: a key
// whose name after the service's prefix begins with "Resource"), and
// s3:ExistingObjectTag/KEY. A value given for the caller's own resources
// is not another account's resource's.
func ResourceKey(key string) bool {
	_, name, ok := strings.Cut(key, ":")
	if !ok {
		return false
	}
	if hasPrefixFold(name, "Resource") || strings.EqualFold(key[:len(key)-len(name)], "s3:") && hasPrefixFold(name, "ExistingObjectTag/") {
		return true
	}
	for _, k := range describingKeys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}

// DropResourceKeys deletes from req the keys that describe its resource
// (ResourceKey): given for the caller's own resources, they are not those
// of another account's resource, which a request across accounts is on.
func DropResourceKeys(req *request.Context) {
	for _, k := range req.Keys() {
		if ResourceKey(k.Name) {
			req.Delete(k.Name)
		}
	}
}

// describingKeys are service keys, named otherwise, that describe the
// resource a request is on (Service Authorization Reference): an S3
// access point's account, ARN and network origin, a KMS key's spec,
// origin, usage and regions.
var describingKeys = [...]string{"s3:DataAccessPointAccount", "s3:DataAccessPointArn", "s3:AccessPointNetworkOrigin",
	"kms:KeySpec", "kms:KeyOrigin", "kms:KeyUsage", "kms:MultiRegion", "kms:MultiRegionKeyType"}

// ResourceAccountOf returns the account field of resource, an ARN, when it
// is an account id: the account a row of the analysis is in, which its
// stand-ins (OtherAccountInstances) differ from; "" otherwise.
func ResourceAccountOf(resource string) string {
	if parts, ok := request.SplitARN(resource); ok && request.IsAccountID(parts[4]) {
		return parts[4]
	}
	return ""
}

// hasPrefixFold is strings.HasPrefix, ASCII letters compared without case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// arnMatch reports whether pattern, "*" or an ARN pattern, matches arn as
// the evaluator matches a Resource entry: field by field, the first five
// colon-separated fields each alone and the rest as one (a pattern of
// fewer fields taken to end with "*" ones), so that no wildcard reaches
// across a colon of the first five.
func arnMatch(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	pp, ap := strings.SplitN(pattern, ":", 6), strings.SplitN(arn, ":", 6)
	if len(ap) != 6 {
		return condition.MatchWildcard(pattern, arn, false)
	}
	for i := range 6 {
		p := "*"
		if i < len(pp) {
			p = pp[i]
		}
		if !condition.MatchWildcard(p, ap[i], false) {
			return false
		}
	}
	return true
}

// tellsAccounts reports whether some Resource or NotResource entry of o's
// statements may let in resource, an ARN, and not the same ARN in
// another account, or the other way round: one that is not accountBlind.
func (o *OtherAccounts) tellsAccounts(resource string) bool {
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
// its account field (an account holds no colon): entry is "*"; or its
// first four fields hold no wildcard and no policy variable, and either
// differ from resource's (it lets in neither) or are resource's, and its
// fifth, the account, is "*" (a run that takes any account, whatever
// follows it). Any other entry may tell accounts apart, as far as this
// says.
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
