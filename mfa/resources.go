package mfa

import (
	"slices"
	"strings"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Unchecked is a Resource entry that could not be turned into a resource to
// check, because its policy variables need keys the request lacks (a
// ${aws:username} without a caller, say). An analysis that skips it must say
// so.
type Unchecked struct {
	// Pattern is the Resource entry as written.
	Pattern string
	// Missing are the keys its variables need; none when Reason says why
	// it was not checked.
	Missing []string
	// Reason, when not "", says why an entry that needs no key was not
	// checked: no resource made of its text stands for what it matches
	// (renderEntry).
	Reason string
	// Statement is the statement that holds it.
	Statement evaluator.MatchedStatement
	// NoRequest says the entry (a resource given to Within) names no
	// resource a request for the action names; Reason says so too.
	NoRequest bool
}

// Resources returns the resources to check action against, taken from the
// policies rather than assumed: for every statement of e's policies whose
// Action or NotAction matches action, each entry of its Resource element
// rendered into a resource it matches — literal ARNs as written; a '*' or
// '?' stands for itself (an ARN that contains a literal star matches the
// pattern and no narrower one), policy variables take their value in base
// (or their default), and a wildcard account becomes the caller's own
// account (with no caller it stays a wildcard) — then "*". Entries whose variables base cannot resolve are
// returned as unchecked. A NotResource entry of the action's service gives
// the resources it names too, where its statement does not apply (a Deny without MFA that exempts
// arn:aws:s3:::bucket/scratch/* leaves them open). Statements without a
// Resource element (which apply to the resource a resource policy is
// attached to) give no resource; "*" stands in for them.
//
// The result has no duplicates and keeps the order of the policies.
func Resources(e *evaluator.Engine, action string, base *request.Context) (resources []string, unchecked []Unchecked) {
	// the statements whose Action covers action, as the engine matches
	// them (its footprint): policy.List.Covers(action, true) on each
	// statement, without compiling every pattern again
	var f evaluator.Footprint
	e.AppendFootprint(&f, action)
	return resourcesOf(e, &f, action, base)
}

// resourcesOf is Resources of f, e's footprint for action.
func resourcesOf(e *evaluator.Engine, f *evaluator.Footprint, action string, base *request.Context) (resources []string, unchecked []Unchecked) {
	seen := map[string]bool{"*": true}
	for _, ref := range f.Statements {
		cp := e.Policy(ref.Policy)
		vars := cp.Policy.VariablesEnabled()
		s := cp.Policy.Statements[ref.Statement]
		if s.Resource == nil {
			continue
		}
		// a NotResource entry names what the statement leaves out: a
		// Deny without MFA that exempts it does not apply there
		for _, v := range s.Resource.Values {
			if v.Text == "*" || s.Resource.Not && !sameService(v.Text, action) {
				continue
			}
			arn, missing, why := renderEntry(v.Text, vars, base)
			if len(missing) == 0 && why != "" {
				unchecked = append(unchecked, Unchecked{Pattern: v.Text, Reason: why, Statement: statementOf(cp, s)})
				continue
			}
			if len(missing) > 0 && lacksAll(base, missing) {
				continue // a variable this caller never has: the entry matches nothing (SPEC 4)
			}
			if len(missing) > 0 {
				unchecked = append(unchecked, Unchecked{Pattern: v.Text, Missing: missing, Statement: statementOf(cp, s)})
				continue
			}
			if !seen[arn] {
				seen[arn] = true
				resources = append(resources, arn)
			}
		}
	}
	return append(resources, "*"), unchecked
}

// sameService reports whether an ARN (pattern) can name a resource of the
// action's service: its service field is the action's prefix, or open.
func sameService(arn, action string) bool {
	parts := strings.SplitN(arn, ":", 4)
	prefix, _, _ := strings.Cut(action, ":")
	return len(parts) < 3 || strings.ContainsAny(parts[2], "*?") || strings.EqualFold(parts[2], prefix)
}

// lacksAll reports whether base's caller never carries any of keys in a live
// request (aws:username for a role session, say).
func lacksAll(base *request.Context, keys []string) bool {
	p := request.ParsePrincipal(base.Principal)
	for _, k := range keys {
		if !p.Lacks(k) {
			return false
		}
	}
	return true
}

// RenderResource turns a Resource entry into a resource it matches, for the
// request base: '*' and '?' stand for themselves, policy variables (when vars
// says the policy's Version enables them) take their value in base or their
// default, and a wildcard account becomes the account of base's caller when
// it matches (with no caller it stays a wildcard: the account is not known). Variables are recognised
// only in the resource part, after the fifth colon, as the engine does.
// missing lists the keys base lacks for the variables; the text is then not
// a match.
func RenderResource(text string, vars bool, base *request.Context) (arn string, missing []string) {
	arn, missing, _ = renderEntry(text, vars, base)
	return arn, missing
}

// renderEntry is RenderResource, and why no resource made of the
// rendered entry stands for what the entry matches ("" when one does).
// The resources checked are made from a rendered entry whose '*' and '?'
// are wildcards and whose "${" is a variable; so an entry's literal star
// or question mark cannot be told from a wildcard, and its literal "${"
// from a variable. They come from the escapes ${*}, ${?} and ${$} of a
// policy that enables variables, from a variable's value or default, and
// from "${...}" in a policy whose Version does not enable variables,
// where it is literal text (IAM User Guide, "IAM policy elements:
// Variables and tags": "${*}", "${?}" and "${$}" stand for those
// characters; variables need "Version": "2012-10-17", and under earlier
// versions "${...}" is treated as literal text). Such an entry is said as
// not checked rather than checked on a resource it does not match (which
// would call it never allowed).
func renderEntry(text string, vars bool, base *request.Context) (arn string, missing []string, why string) {
	// an entry without '$' has no variable nor escape; with six parts
	// and an account without a wildcard it renders as written
	if strings.IndexByte(text, '$') < 0 {
		if !strings.HasPrefix(text, "arn:") {
			return text, nil, ""
		}
		if acct, ok := arnAccount(text); ok && !strings.ContainsAny(acct, "*?") {
			return text, nil, ""
		}
	}
	return renderResource(text, vars, base)
}

// arnAccount returns the fifth colon-separated part of an ARN, the
// account, when the ARN has six parts (five colons at least).
func arnAccount(text string) (string, bool) {
	start := 0
	for field := 0; field < 4; field++ {
		k := strings.IndexByte(text[start:], ':')
		if k < 0 {
			return "", false
		}
		start += k + 1
	}
	k := strings.IndexByte(text[start:], ':')
	if k < 0 {
		return "", false
	}
	return text[start : start+k], true
}

// renderResource is renderEntry's general path.
func renderResource(text string, vars bool, base *request.Context) (arn string, missing []string, why string) {
	account := request.ParsePrincipal(base.Principal).Account
	if !strings.HasPrefix(text, "arn:") {
		p := condition.CompilePattern(text, condition.PatternOptions{Wildcards: true, Variables: vars})
		arn, missing = p.Render(base)
		return arn, missing, unrendered(text, vars, &p, arn, arn)
	}
	parts := strings.SplitN(text, ":", 6)
	for len(parts) < 6 {
		parts = append(parts, "*")
	}
	if strings.ContainsAny(parts[4], "*?") {
		acct := condition.CompilePattern(parts[4], condition.PatternOptions{Wildcards: true})
		if account != "" && acct.Match(account, false, nil) {
			parts[4] = account
		}
		// else it stays as written: with no caller, the account is not
		// known, and Instances makes it the placeholder 123456789012 (an
		// empty account is only what AWS owns: public AMIs, documents)
	}
	res := condition.CompilePattern(parts[5], condition.PatternOptions{Wildcards: true, Variables: vars})
	parts[5], missing = res.Render(base)
	arn = strings.Join(parts, ":")
	return arn, missing, unrendered(text, vars, &res, arn, parts[5])
}

// unrendered is renderEntry's why for the entry text, whose part that
// variables are read in (the resource part of an ARN, or all of it)
// compiles to p and renders as part in arn: the other parts render as
// written, but for a wildcard account made the caller's.
func unrendered(text string, vars bool, p *condition.Pattern, arn, part string) string {
	switch {
	case !strings.Contains(text, "${"):
		return ""
	case !vars:
		return "its ${...} is literal text under its policy's Version (only 2012-10-17 enables policy variables), which iameval does not make a resource of"
	case strings.Contains(arn, "${"):
		return "it holds a literal ${ (the escape ${$}, or a variable's value), which iameval does not make a resource of"
	case strings.Count(part, "*")+strings.Count(part, "?") > p.Wildcards():
		return "it holds a literal * or ? (the escapes ${*} and ${?}, or a variable's value), which iameval does not make a resource of"
	}
	return ""
}

func statementOf(cp evaluator.CompiledPolicy, s *policy.Statement) evaluator.MatchedStatement {
	start, end := cp.Policy.Braces(s)
	return evaluator.MatchedStatement{PolicyID: cp.Policy.Name, PolicyType: cp.Type, Level: cp.Level,
		Index: s.Index, Sid: s.Sid, Effect: s.Effect, Start: start, End: end}
}

// Within returns the resources to check action against for a resource
// pattern the user gives (an ARN with '*' or '?', which no live request
// names): the pattern's own instances (Instances of the pattern, concrete
// resources of the action's types that it covers), then every resource
// Resources and Instances give (those the policies name, made concrete)
// that the pattern matches, so that a statement on part of what the
// pattern covers (an Allow on bucket/public/* within bucket/*) is checked
// where it applies. When none is (a bucket for an action requested on "*",
// an object for sqs:DeleteQueue), no resource is returned and the pattern
// is listed as not checked, with its reason: no request AWS makes names it.
// The pattern "*" gives exactly what Resources and Instances give. The order is kept, without duplicates; instantiated
// and unchecked are as Instances and Resources return them.
func Within(e *evaluator.Engine, a *catalog.Action, action, pattern string, base *request.Context) (resources []string, instantiated map[string]string, unchecked []Unchecked) {
	return (*InstanceMemo)(nil).Within(e, a, action, pattern, base)
}

// Within is the package's Within, its instances kept in m
// (InstanceMemo.Instances). A nil m keeps nothing.
func (m *InstanceMemo) Within(e *evaluator.Engine, a *catalog.Action, action, pattern string, base *request.Context) (resources []string, instantiated map[string]string, unchecked []Unchecked) {
	// the footprint, found once for the entries and for the statements
	// that tell their instances apart
	var f evaluator.Footprint
	e.AppendFootprint(&f, action)
	named, unchecked := resourcesOf(e, &f, action, base)
	named, instantiated = m.instances(e, a, named, base, &f)
	if pattern == "*" {
		return named, instantiated, unchecked
	}
	own, ownFrom := m.instances(e, a, []string{pattern}, base, &f)
	p := condition.CompilePattern(pattern, condition.PatternOptions{Wildcards: true})
	seen := map[string]bool{}
	add := func(r, from string) {
		if seen[r] || !p.Match(r, false, nil) {
			return
		}
		seen[r] = true
		resources = append(resources, r)
		if from != "" {
			if instantiated == nil {
				instantiated = map[string]string{}
			}
			instantiated[r] = from
		}
	}
	for _, r := range own {
		add(r, ownFrom[r])
	}
	for _, r := range named {
		add(r, instantiated[r])
	}
	for r := range instantiated {
		if !seen[r] {
			delete(instantiated, r)
		}
	}
	if len(resources) == 0 {
		// no resource a request for the action names is of this shape
		// (a bucket for an action requested on "*", an object of another
		// service's type): decided as the literal string, it would answer
		// for a request AWS never makes, so it is not checked
		unchecked = append(unchecked, Unchecked{Pattern: pattern, NoRequest: true, Reason: noRequestReason(action, a)})
	}
	return resources, instantiated, unchecked
}

// noRequestReason says why no request for action (a, its catalogue entry,
// or nil) names a resource of a Resource entry's shape.
func noRequestReason(action string, a *catalog.Action) string {
	why := "none of the action's resource types is of its shape"
	switch {
	case a != nil && a.OnlyStar():
		why = action + ` acts on no resource type: its requests name "*"`
	case a != nil:
		names := make([]string, 0, len(a.Resources))
		for _, r := range a.Resources {
			// (a type of two formats is two types of one name)
			if !slices.Contains(names, r.Type.Name) {
				names = append(names, r.Type.Name)
			}
		}
		why = "none of " + action + "'s resource types (" + strings.Join(names, ", ") + ") is of its shape"
	}
	return "no request for " + action + " names a resource it matches: " + why
}
