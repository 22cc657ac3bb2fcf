package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Kind is the role a policy plays, which decides the elements it may and
// must have.
type Kind uint8

// Policy kinds.
const (
	// KindIdentity is an identity-based policy (user, group or role
	// policy), and also the rules of a permissions boundary and a session
	// policy: no Principal or NotPrincipal; Resource or NotResource
	// required; Sids alphanumeric and unique.
	KindIdentity Kind = iota
	// KindResource is a resource-based policy (bucket, queue, key ...):
	// Principal or NotPrincipal required; Resource optional.
	KindResource
	// KindTrust is a role trust policy: Principal required; no
	// NotPrincipal, Resource or NotResource.
	KindTrust
	// KindSCP is a service control policy: no Principal or NotPrincipal.
	KindSCP
	// KindRCP is a resource control policy: Version 2012-10-17;
	// Principal "*" and Resource or NotResource in every statement; no
	// NotPrincipal or NotAction; Deny statements only, but for the
	// AWS-managed RCPFullAWSAccess.
	KindRCP
)

var kindNames = [...]string{"identity", "resource", "trust", "SCP", "RCP"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Noun names a policy of kind k with its article, for messages: "an
// identity policy", "a role trust policy", "an SCP".
func (k Kind) Noun() string {
	switch k {
	case KindIdentity:
		return "an identity policy"
	case KindResource:
		return "a resource policy"
	case KindTrust:
		return "a role trust policy"
	case KindSCP:
		return "an SCP"
	case KindRCP:
		return "an RCP"
	}
	return "a policy"
}

// Check reports what IAM or Organizations refuse in a policy of kind k,
// beyond what Parse already refused.
//
// For an RCP that is what AWS's "RCP syntax" page states: Version
// 2012-10-17; a Principal in every statement, and only "*" (CodeRCPPrincipal);
// no NotPrincipal and no NotAction (CodeElementNotAllowed); Resource or
// NotResource in every statement (CodeMissingResource); Deny statements only
// (CodeRCPAllow), the one exception being the AWS-managed RCPFullAWSAccess
// policy, whose single statement allows "*" to "*" on "*" without a
// Condition; and no "*" nor wildcard service prefix as an action of a Deny
// statement (CodeRCPAction). Which services support RCPs is not checked.
func Check(p *Policy, k Kind) (errs ErrorList) {
	// at most MaxErrors listed; the rest counted in a last one
	more := 0
	add := func(pos Position, path, code, format string, args ...any) {
		if len(errs) == MaxErrors {
			more++
			return
		}
		errs = append(errs, &Error{Pos: pos, Path: path, Code: code, Msg: fmt.Sprintf(format, args...)})
	}
	defer func() { errs = errs.withMore(more) }()
	if k == KindRCP && p.Version != Version2012 {
		add(p.Start(), "$", CodeVersionRequired, "an RCP must have \"Version\": %q", Version2012)
	}
	if k == KindRCP {
		checkRCP(p, add)
	}
	sids := map[string]bool{}
	for _, s := range p.Statements {
		if s.Principal != nil {
			what := "Principal"
			if s.Principal.Not {
				what = "NotPrincipal"
			}
			switch {
			case k == KindIdentity || k == KindSCP:
				add(s.Principal.Pos(), s.Path+"."+what, CodeElementNotAllowed, "%s is not allowed in %s (the principal is the one the policy is attached to)", what, k.Noun())
			case s.Principal.Not && k == KindTrust:
				add(s.Principal.Pos(), s.Path+".NotPrincipal", CodeElementNotAllowed, "NotPrincipal is not allowed in %s", k.Noun())
			case s.Principal.Not && k == KindRCP:
				add(s.Principal.Pos(), s.Path+".NotPrincipal", CodeElementNotAllowed, "NotPrincipal is not supported in an RCP: write \"Principal\": \"*\" and exempt principals with a Condition")
			}
		} else if k == KindResource || k == KindTrust || k == KindRCP {
			add(s.Start(), s.Path, CodeMissingPrincipal, "every statement of %s must have a Principal", k.Noun())
		}
		switch {
		case s.Resource == nil && k == KindIdentity:
			add(s.Start(), s.Path, CodeMissingResource, "statement has neither Resource nor NotResource: an identity policy statement must contain resources")
		case s.Resource == nil && k == KindRCP:
			add(s.Start(), s.Path, CodeMissingResource, "statement has neither Resource nor NotResource: every RCP statement must have one")
		case s.Resource != nil && k == KindTrust:
			add(s.Resource.Pos(), s.Path, CodeElementNotAllowed, "Resource and NotResource are not allowed in a role trust policy")
		}
		if s.Resource != nil && k != KindResource {
			for _, v := range s.Resource.Values {
				if strings.HasPrefix(v.Text, APIGatewayShorthand) {
					add(v.Pos(), v.Path, CodeBadResource, "resource %q: the %s shorthand is API Gateway's, only in an API's resource policy; %s takes an ARN (arn:aws:execute-api:REGION:ACCOUNT:API-ID/...)", v.Text, APIGatewayShorthand, k.Noun())
				}
			}
		}
		if k == KindIdentity && s.HasSid && s.Sid != "" {
			for i := 0; i < len(s.Sid); i++ {
				c := s.Sid[i]
				if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
					add(sidPos(p, s), s.Path+".Sid", CodeBadSid, "Sid %q: IAM policies allow only ASCII letters and digits in a Sid", s.Sid)
					break
				}
			}
		}
		if s.HasSid && s.Sid != "" && (k == KindIdentity || k == KindTrust) {
			if sids[s.Sid] {
				add(sidPos(p, s), s.Path+".Sid", CodeDuplicateSid, "Sid %q is used twice: statement IDs in a single policy must be unique", s.Sid)
			}
			sids[s.Sid] = true
		}
	}
	errs.Sort()
	return errs
}

// checkRCP adds the RCP rules that no other kind has: Deny statements only
// (but for RCPFullAWSAccess), Principal "*", no NotAction, and a service in
// every action of a Deny statement.
func checkRCP(p *Policy, add func(pos Position, path, code, format string, args ...any)) {
	fullAccess := len(p.Statements) == 1 && isFullAccess(p.Statements[0])
	for _, s := range p.Statements {
		if s.Effect == Allow && !fullAccess {
			if isFullAccess(s) {
				add(s.Start(), s.Path+".Effect", CodeRCPAllow, "an RCP you create may have only Deny statements: this Allow is the statement of RCPFullAWSAccess, which AWS attaches as a policy of its own")
			} else {
				add(s.Start(), s.Path+".Effect", CodeRCPAllow, "an RCP you create may have only Deny statements: Allow is supported only in the AWS-managed RCPFullAWSAccess (Principal, Action and Resource \"*\", no Condition)")
			}
		}
		if s.Principal != nil && !s.Principal.Not && !isAnyPrincipal(s.Principal) {
			add(s.Principal.Pos(), s.Path+".Principal", CodeRCPPrincipal, "an RCP's Principal can only be \"*\": narrow the principals with a Condition (aws:PrincipalAccount, aws:PrincipalOrgID, ...)")
		}
		if s.Action == nil {
			continue
		}
		if s.Action.Not {
			add(s.Action.Pos(), s.Path+".NotAction", CodeElementNotAllowed, "NotAction is not supported in an RCP: list the actions with Action")
			continue
		}
		if s.Effect != Deny {
			continue
		}
		for _, a := range s.Action.Values {
			vendor, _, _ := strings.Cut(a.Text, ":")
			if a.Text == "*" || strings.Trim(vendor, "*?") != vendor {
				add(a.Pos(), a.Path, CodeRCPAction, "action %q names no service: an RCP you create must give the service prefix of every action (s3:*, sqs:*, ...)", a.Text)
			}
		}
	}
}

// isFullAccess reports whether s is the statement of RCPFullAWSAccess:
// Allow, Principal "*", Action "*", Resource "*", no Condition.
func isFullAccess(s *Statement) bool {
	all := func(l *List) bool {
		if l == nil || l.Not || len(l.Values) == 0 {
			return false
		}
		for _, v := range l.Values {
			if v.Text != "*" {
				return false
			}
		}
		return true
	}
	return s.Effect == Allow && s.Principal != nil && !s.Principal.Not && isAnyPrincipal(s.Principal) &&
		all(s.Action) && all(s.Resource) && len(s.Conditions) == 0
}

// isAnyPrincipal reports whether pr is "*" or {"AWS": "*"}.
func isAnyPrincipal(pr *Principal) bool {
	if pr.Any {
		return true
	}
	return len(pr.Entries) == 1 && pr.Entries[0].Type == "AWS" && pr.Entries[0].Text == "*"
}

// Limit is a size quota of AWS, in characters.
type Limit struct {
	Name string
	Max  int
	// CountSpace says whether white space outside strings counts.
	CountSpace bool
	// SimulatorCharset restricts characters to TAB, LF, CR and
	// U+0020-U+00FF, as IAM and the simulator do.
	Charset bool
}

// AWS's quotas on policy size.
var (
	LimitManaged    = Limit{Name: "managed policy", Max: 6144, Charset: true}
	LimitInlineUser = Limit{Name: "inline policies of a user", Max: 2048, Charset: true}
	LimitInlineGrp  = Limit{Name: "inline policies of a group", Max: 5120, Charset: true}
	LimitInlineRole = Limit{Name: "inline policies of a role", Max: 10240, Charset: true}
	LimitTrust      = Limit{Name: "role trust policy", Max: 2048, Charset: true}
	LimitSCP        = Limit{Name: "SCP", Max: 5120, CountSpace: true}
	LimitRCP        = Limit{Name: "RCP", Max: 5120, CountSpace: true}
	LimitSimulator  = Limit{Name: "policy simulator document", Max: 131072, CountSpace: true, Charset: true}
)

// CheckLimits reports whether p's source exceeds limit l, or (when l says
// so) holds characters IAM refuses.
func CheckLimits(p *Policy, l Limit) ErrorList {
	var errs ErrorList
	index, base := p.index, p.base
	if index == nil { // a Policy not made by Parse: positions in Source
		index, base = NewLineIndex(p.Name, p.Source), 0
	}
	n, inStr, esc := 0, false, false
	for off, r := range string(p.Source) {
		if l.Charset && !(r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xFF) || r == utf8.RuneError {
			if len(errs) == 0 {
				errs = append(errs, &Error{Pos: index.Position(base + spanOffset(p.gaps(), off)), Path: "$", Code: CodeBadCharacter,
					Msg: fmt.Sprintf("character %U is not allowed in IAM policies (only TAB, LF, CR and U+0020-U+00FF)", r)})
			}
		}
		switch {
		case esc:
			esc = false
		case inStr && r == '\\':
			esc = true
		case r == '"':
			inStr = !inStr
		}
		if !l.CountSpace && !inStr && (r == ' ' || r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		n++
	}
	if l.CountSpace {
		// the white space a compacted Source leaves out (SpanOptions)
		n += int(p.removed)
	}
	if n > l.Max {
		space := "white space not counted"
		if l.CountSpace {
			space = "white space counted"
		}
		errs = append(errs, &Error{Pos: p.Start(), Path: "$", Code: CodeSizeLimit, Msg: fmt.Sprintf("%d characters exceed the %s limit of %d (%s)", n, l.Name, l.Max, space)})
	}
	return errs
}

// sidPos is where the value of s's Sid is, for the errors about it, as
// the parser placed it; s.Start() when it did not (a Policy not made by
// Parse).
func sidPos(p *Policy, s *Statement) Position {
	if s.sidAt == 0 || p.index == nil {
		return s.Start()
	}
	return p.index.Position(int(s.sidAt) - 1)
}
