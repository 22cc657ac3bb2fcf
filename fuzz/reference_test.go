package fuzz_test

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// The reference evaluator: deliberately simple, straight from SPEC.md §5.2,
// with no compile step and no index. It reads the parsed policy model and
// matches text on every call, with a dynamic-programming glob of its own. It
// covers the operators the generator writes.

// refGlob matches pattern against s rune by rune: '*' any run, '?' one rune.
func refGlob(pattern, s string, fold bool) bool {
	p, r := []rune(pattern), []rune(s)
	if fold {
		for i := range p {
			p[i] = unicode.ToLower(p[i])
		}
		for i := range r {
			r[i] = unicode.ToLower(r[i])
		}
	}
	dp := make([]bool, len(r)+1)
	dp[0] = true
	for i := range p {
		next := make([]bool, len(r)+1)
		for j := 0; j <= len(r); j++ {
			switch p[i] {
			case '*':
				next[j] = dp[j] || (j > 0 && next[j-1])
			case '?':
				next[j] = j > 0 && dp[j-1]
			default:
				next[j] = j > 0 && dp[j-1] && r[j-1] == p[i]
			}
		}
		dp = next
	}
	return dp[len(r)]
}

// refSubst substitutes ${aws:username}-style variables; ok is false when
// one cannot be resolved. Substituted text that holds a wildcard is not
// expected from the generator's requests.
func refSubst(s string, req *request.Context) (string, bool) {
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return s, true
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			return s, true
		}
		k, ok := req.Lookup(s[i+2 : i+j])
		if !ok || k.Multivalued() {
			return "", false
		}
		s = s[:i] + k.Values[0].String() + s[i+j+1:]
	}
}

func refResource(pattern, res string, vars bool, req *request.Context) bool {
	if pattern == "*" {
		return true
	}
	if vars {
		var ok bool
		if pattern, ok = refSubst(pattern, req); !ok {
			return false
		}
	}
	pp := strings.SplitN(pattern, ":", 6)
	for len(pp) < 6 {
		pp = append(pp, "*")
	}
	rp := strings.SplitN(res, ":", 6)
	if len(rp) < 6 {
		return false
	}
	for i := 0; i < 5; i++ {
		if !refGlob(pp[i], rp[i], true) {
			return false
		}
	}
	return refGlob(pp[5], rp[5], false)
}

// refSingle applies the base operator to one request value.
func refSingle(base string, values []string, v string, vars bool, req *request.Context) bool {
	neg := strings.Contains(base, "Not")
	any := false
	for _, pv := range values {
		if vars && strings.HasPrefix(base, "String") {
			var ok bool
			if pv, ok = refSubst(pv, req); !ok {
				continue
			}
		}
		var m bool
		switch strings.TrimPrefix(strings.TrimPrefix(base, "String"), "Not") {
		case "Equals":
			m = v == pv
		case "Like":
			m = refGlob(pv, v, false)
		}
		switch base {
		case "Bool":
			m = strings.EqualFold(v, pv)
		case "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan":
			a, err1 := strconv.ParseFloat(v, 64)
			b, err2 := strconv.ParseFloat(pv, 64)
			if err1 == nil && err2 == nil {
				switch base {
				case "NumericLessThan":
					m = a < b
				case "NumericLessThanEquals":
					m = a <= b
				case "NumericGreaterThan":
					m = a > b
				}
			}
		}
		if m {
			any = true
		}
	}
	if neg {
		return !any
	}
	return any
}

func refCondition(c *policy.Clause, vars bool, req *request.Context) bool {
	op := c.Operator
	qual := ""
	for _, q := range []string{"ForAllValues:", "ForAnyValue:"} {
		if strings.HasPrefix(op, q) {
			qual, op = q, op[len(q):]
		}
	}
	ifExists := strings.HasSuffix(op, "IfExists")
	base := strings.TrimSuffix(op, "IfExists")
	var values []string
	for _, v := range c.Values {
		values = append(values, v.Text)
	}
	k, present := req.Lookup(c.Key)
	if base == "Null" {
		isNull := !present || (k.Multivalued() && len(k.Values) == 0)
		for _, v := range values {
			if (v == "true") == isNull {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case qual == "ForAnyValue:":
			return false // the set prefix wins over IfExists
		case ifExists, qual == "ForAllValues:":
			return true
		}
		return strings.Contains(base, "Not")
	}
	switch qual {
	case "ForAllValues:":
		for _, v := range k.Values {
			if v.String() != "" && !refSingle(base, values, v.String(), vars, req) {
				return false
			}
		}
		return true
	case "ForAnyValue:":
		for _, v := range k.Values {
			if v.String() != "" && refSingle(base, values, v.String(), vars, req) {
				return true
			}
		}
		return false
	}
	if k.Multivalued() {
		return false
	}
	return refSingle(base, values, k.Values[0].String(), vars, req)
}

// refPrincipal says how a principal element names the caller: 3 itself or
// everyone, 2 its role, 1 its account, 0 not at all.
func refPrincipal(pr *policy.Principal, caller string) int {
	c := request.ParsePrincipal(caller)
	best := 0
	if pr.Any {
		best = 3
	}
	for _, e := range pr.Entries {
		l := 0
		switch {
		case e.Text == "*":
			l = 3
		case e.Text == caller:
			l = 3
		case e.Text == c.Account || e.Text == "arn:aws:iam::"+c.Account+":root":
			// naming the account names its root user itself
			l = 1
			if c.Kind == request.PrincipalRoot {
				l = 3
			}
		case c.Kind == request.PrincipalAssumedRole && e.Text == "arn:aws:iam::"+c.Account+":role/"+c.Name:
			l = 2
		}
		if l > best {
			best = l
		}
	}
	return best
}

// refExcluded: a Deny+NotPrincipal spares the caller only if every identity
// of it is listed.
func refExcluded(pr *policy.Principal, caller string) bool {
	c := request.ParsePrincipal(caller)
	has := func(s string) bool {
		for _, e := range pr.Entries {
			if e.Text == s || e.Text == "*" {
				return true
			}
		}
		return pr.Any
	}
	acct := has(c.Account) || has("arn:aws:iam::"+c.Account+":root")
	switch c.Kind {
	case request.PrincipalRoot:
		return acct
	case request.PrincipalAssumedRole:
		return acct && has("arn:aws:iam::"+c.Account+":role/"+c.Name) && has(caller)
	}
	return acct && has(caller)
}

type refMatch struct {
	applies bool
	level   int
}

func refStatement(p *policy.Policy, s *policy.Statement, req *request.Context, isResource, hasBoundary bool) refMatch {
	hit := false
	for _, a := range s.Action.Values {
		if refGlob(a.Text, req.Action, true) {
			hit = true
		}
	}
	if hit == s.Action.Not {
		return refMatch{}
	}
	if s.Resource != nil {
		hit = false
		for _, r := range s.Resource.Values {
			if refResource(r.Text, req.Resource, p.VariablesEnabled(), req) {
				hit = true
			}
		}
		if hit == s.Resource.Not {
			return refMatch{}
		}
	}
	level := 3
	if pr := s.Principal; pr != nil {
		switch {
		case !pr.Not:
			if level = refPrincipal(pr, req.Principal); level == 0 {
				return refMatch{}
			}
		case s.Effect == policy.Deny:
			if !(isResource && hasBoundary) && refExcluded(pr, req.Principal) {
				return refMatch{}
			}
		default:
			if refPrincipal(pr, req.Principal) > 0 {
				return refMatch{}
			}
		}
	}
	for _, c := range s.Conditions {
		if !refCondition(c, p.VariablesEnabled(), req) {
			return refMatch{}
		}
	}
	return refMatch{applies: true, level: level}
}

// refEvaluate is SPEC §5.2 and §5.3, step by step.
func refEvaluate(set evaluator.PolicySet, req *request.Context) evaluator.Verdict {
	if request.ParsePrincipal(req.Principal).Kind == request.PrincipalAnonymous {
		// an unsigned request is no principal of an account: only the
		// resource side applies
		set = evaluator.PolicySet{Resource: set.Resource, ResourceOwner: set.ResourceOwner, RCPs: set.RCPs}
	}
	type scan struct{ allow, deny bool }
	look := func(ps []*policy.Policy, isResource bool) (scan, int) {
		var out scan
		best := 0
		for _, p := range ps {
			if p == nil {
				continue
			}
			for _, s := range p.Statements {
				m := refStatement(p, s, req, isResource, set.Boundary != nil)
				if !m.applies {
					continue
				}
				if s.Effect == policy.Deny {
					out.deny = true
				} else {
					out.allow = true
					if m.level > best {
						best = m.level
					}
				}
			}
		}
		return out, best
	}
	identity, _ := look(set.Identity, false)
	boundary, _ := look([]*policy.Policy{set.Boundary}, false)
	session, _ := look(set.Session, false)
	resource, level := look([]*policy.Policy{set.Resource}, true)
	var scps, rcps []scan
	for _, lv := range set.SCPs {
		s, _ := look(lv, false)
		scps = append(scps, s)
	}
	for _, lv := range set.RCPs {
		s, _ := look(lv, true)
		rcps = append(rcps, s)
	}
	// 1. explicit deny anywhere
	deny := identity.deny || boundary.deny || session.deny || resource.deny
	for _, s := range append(append([]scan{}, scps...), rcps...) {
		deny = deny || s.deny
	}
	if deny {
		return evaluator.ExplicitDeny
	}
	// 2. every SCP level must allow; 3. every RCP level holds the
	// undetachable RCPFullAWSAccess, so only RCP Denies count
	for _, s := range scps {
		if !s.allow {
			return evaluator.ImplicitDeny
		}
	}
	caller := request.ParsePrincipal(req.Principal)
	if caller.Kind == request.PrincipalNone && set.Resource != nil {
		return evaluator.ImplicitDeny // a resource policy needs a caller
	}
	if caller.Kind == request.PrincipalAnonymous {
		// STS (but the two calls made with a SAML assertion or a web
		// identity token), IAM and KMS take only requests signed with
		// AWS credentials
		service, name, _ := strings.Cut(strings.ToLower(req.Action), ":")
		if service == "iam" || service == "kms" || service == "sts" && name != "assumerolewithsaml" && name != "assumerolewithwebidentity" {
			return evaluator.ImplicitDeny
		}
	}
	rAcct := req.ResourceAccount
	if rAcct == "" {
		if parts := strings.SplitN(req.Resource, ":", 6); len(parts) == 6 && parts[4] != "" {
			rAcct = parts[4]
		} else if set.ResourceOwner != "" {
			rAcct = set.ResourceOwner
		} else {
			rAcct = caller.Account
		}
	}
	root := caller.Kind == request.PrincipalRoot
	identityOK := (identity.allow || root) && caller.Kind != request.PrincipalAnonymous
	if caller.Account == rAcct || caller.Account == "" || rAcct == "" {
		// 4. a resource-policy grant that names the caller itself
		if level == 3 {
			return evaluator.Allowed
		}
		// 5. identity grant, or a grant to the caller's role
		grant := identityOK || level == 2
		svc, name, _ := strings.Cut(strings.ToLower(req.Action), ":")
		if set.Resource != nil && (svc == "kms" || svc == "sts" && strings.HasPrefix(name, "assumerole")) {
			grant = level == 2 || level == 1 && identityOK
		}
		if !grant {
			return evaluator.ImplicitDeny
		}
	} else if level == 0 || !identityOK {
		// §5.3: both accounts must allow
		return evaluator.ImplicitDeny
	}
	// 6. boundary; 7. session policies
	if set.Boundary != nil && !boundary.allow {
		return evaluator.ImplicitDeny
	}
	if len(set.Session) > 0 && !session.allow {
		return evaluator.ImplicitDeny
	}
	if len(set.Session) == 0 && caller.Kind == request.PrincipalFederatedUser {
		return evaluator.ImplicitDeny
	}
	return evaluator.Allowed
}
