package account

import (
	"github.com/iameval/iameval/internal/gencache"
	"strconv"
	"strings"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// CallerKey reports whether key is one a caller sets in its own
// sts:AssumeRole call, by the parameters it passes: sts:ExternalId
// (ExternalId), sts:RoleSessionName (RoleSessionName), sts:SourceIdentity
// (SourceIdentity), sts:TransitiveTagKeys (TransitiveTagKeys), and the
// session tags it passes, aws:RequestTag/KEY and aws:TagKeys (Tags). The
// caller chooses their values, so a trust policy that tests them admits
// whoever passes the values it names: such a key is no context a request
// may lack, and no result depends on it.
func CallerKey(key string) bool {
	lk := strings.ToLower(key)
	switch lk {
	case "sts:externalid", "sts:rolesessionname", "sts:sourceidentity", "sts:transitivetagkeys", "aws:tagkeys":
		return true
	}
	return strings.HasPrefix(lk, "aws:requesttag/") && len(lk) > len("aws:requesttag/")
}

// multivaluedCallerKey reports whether a caller key holds a list.
func multivaluedCallerKey(key string) bool {
	return strings.EqualFold(key, "aws:TagKeys") || strings.EqualFold(key, "sts:TransitiveTagKeys")
}

// callerValue is one key a caller passes and its values.
type callerValue struct {
	key    string
	values []string
}

// callerValues is what a caller passes in one AssumeRole call.
type callerValues []callerValue

// set puts the values in req.
func (cv callerValues) set(req *request.Context) {
	for _, v := range cv {
		t := request.TypeString
		if multivaluedCallerKey(v.key) {
			t = request.TypeStringList
		}
		_ = req.Set(v.key, t, v.values...) // strings always read as strings
	}
}

// strings renders the values as "key=value", a list's values joined by
// commas.
func (cv callerValues) strings() []string {
	out := make([]string, len(cv))
	for i, v := range cv {
		out[i] = v.key + "=" + strings.Join(v.values, ",")
	}
	return out
}

// appendKey appends to b the values, each key and value after its length
// and each list after its count: two lists of values append alike only
// when equal (strings, the display text, does not tell "a=b" set to "c"
// from "a" set to "b=c").
func (cv callerValues) appendKey(b []byte) []byte {
	b = strconv.AppendInt(b, int64(len(cv)), 10)
	for _, v := range cv {
		b = gencache.AppendPart(b, v.key)
		b = strconv.AppendInt(b, int64(len(v.values)), 10)
		for _, s := range v.values {
			b = gencache.AppendPart(b, s)
		}
	}
	return b
}

// callerAssignments returns, for each Allow statement of trust that covers
// action, the caller keys its conditions test set to values that meet them:
// for a String or Arn operator (Equals, EqualsIgnoreCase, Like), the values
// it names, their policy variables rendered for req (${aws:username} is the
// caller's user name) and, for Like, each '*' read as nothing and each '?'
// as one letter; for Null false, any value. A negated operator, or Null
// true, is met by passing nothing. A value whose variable req cannot
// resolve matches nothing (SPEC 4), so no value meets it: it sets nothing.
// Passing session tags (aws:RequestTag/KEY) passes their keys as
// aws:TagKeys unless the statement names those. Statements that set
// nothing give nothing; equal assignments are returned once. unmet is true
// when a clause on a caller key has an operator of another family (Numeric,
// Date, ...), whose values are not searched: the decision stays undecided.
func callerAssignments(trust *policy.Policy, action string, req *request.Context) (out []callerValues, unmet bool) {
	if trust == nil {
		return nil, false
	}
	seen := map[string]bool{}
	for _, s := range trust.Statements {
		if s.Effect != policy.Allow || !s.Action.Covers(action, true) {
			continue
		}
		var cv callerValues
		has := func(key string) bool {
			for _, v := range cv {
				if strings.EqualFold(v.key, key) {
					return true
				}
			}
			return false
		}
		var tagKeys []string
		for _, c := range s.Conditions {
			if !CallerKey(c.Key) || has(c.Key) || len(c.Values) == 0 {
				continue
			}
			vals, ok := clauseValues(c, req, trust.VariablesEnabled())
			unmet = unmet || !ok
			if len(vals) == 0 {
				continue
			}
			if !multivaluedCallerKey(c.Key) && c.Op.Qualifier == condition.NoQualifier {
				vals = vals[:1]
			}
			cv = append(cv, callerValue{c.Key, vals})
			if lk := strings.ToLower(c.Key); strings.HasPrefix(lk, "aws:requesttag/") {
				tagKeys = append(tagKeys, c.Key[len("aws:requesttag/"):])
			}
		}
		if len(tagKeys) > 0 && !has("aws:TagKeys") {
			cv = append(cv, callerValue{"aws:TagKeys", tagKeys})
		}
		if len(cv) == 0 {
			continue
		}
		if k := string(cv.appendKey(nil)); !seen[k] {
			seen[k] = true
			out = append(out, cv)
		}
	}
	return out, unmet
}

// clauseValues returns values that meet clause c, or none when passing
// nothing does or nothing can (see callerAssignments); ok is false for an
// operator whose values are not searched.
func clauseValues(c *policy.Clause, req *request.Context, vars bool) (values []string, ok bool) {
	base := c.Op.Base
	switch {
	case base == condition.Null:
		if strings.EqualFold(c.Values[0].Text, "false") {
			return []string{"iameval"}, true
		}
		return nil, true
	case base.Negated():
		return nil, true
	case base.Family() != condition.FamilyString && base.Family() != condition.FamilyARN:
		return nil, false
	}
	like := base == condition.StringLike || base == condition.ArnLike
	for _, v := range c.Values {
		p := condition.CompilePattern(v.Text, condition.PatternOptions{Wildcards: like, Variables: vars})
		text, missing := p.Render(req)
		if len(missing) > 0 {
			continue
		}
		if like {
			text = strings.ReplaceAll(strings.ReplaceAll(text, "*", ""), "?", "x")
		}
		values = append(values, text)
	}
	return values, true
}
