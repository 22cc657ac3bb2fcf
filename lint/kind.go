package lint

import (
	"strings"

	"github.com/iameval/iameval/policy"
)

// DetectKind says what kind of policy p is, from its elements:
//
//   - a policy with no Principal or NotPrincipal is an identity policy
//     (identity-based policies cannot name a principal);
//   - a policy with one is a role trust policy when every Action of every
//     statement is one of the actions that assume a role or shape its session
//     (sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity
//     and any other sts:AssumeRole* name or pattern, sts:TagSession,
//     sts:SetSourceIdentity; compared case-insensitively);
//   - otherwise it is a resource policy.
//
// SCPs and RCPs cannot be told apart from identity and resource policies by
// their elements: a caller who has them must name their kind.
func DetectKind(p *policy.Policy) policy.Kind {
	principal := false
	for _, s := range p.Statements {
		if s.Principal != nil {
			principal = true
		}
	}
	if !principal {
		return policy.KindIdentity
	}
	for _, s := range p.Statements {
		if s.Action == nil || s.Action.Not || len(s.Action.Values) == 0 {
			return policy.KindResource
		}
		for _, a := range s.Action.Values {
			if !isTrustAction(a.Text) {
				return policy.KindResource
			}
		}
	}
	return policy.KindTrust
}

// isTrustAction reports whether action is one a role's trust policy grants.
func isTrustAction(action string) bool {
	a := strings.ToLower(action)
	return strings.HasPrefix(a, "sts:assumerole") || a == "sts:tagsession" || a == "sts:setsourceidentity"
}

// KindSource says where the kind a document was checked as came from.
type KindSource uint8

// Where a kind comes from.
const (
	// KindGiven: the caller named the kind (iameval lint --kind).
	KindGiven KindSource = iota
	// KindDetected: DetectKind chose it from the document's elements.
	KindDetected
	// KindUndetermined: the document did not parse, so no kind could be
	// detected and no rule of a kind was applied.
	KindUndetermined
)

// String returns "given", "detected" or "undetermined".
func (s KindSource) String() string {
	switch s {
	case KindDetected:
		return "detected"
	case KindUndetermined:
		return "undetermined"
	}
	return "given"
}

// MarshalText implements encoding.TextMarshaler.
func (s KindSource) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Result is what linting one document found, and how it was checked.
type Result struct {
	// Name is the document's name, as given.
	Name string
	// Kind is the kind the document was checked as. It means nothing when
	// KindSource is KindUndetermined.
	Kind       policy.Kind
	KindSource KindSource
	// Parsed reports whether the document parsed. When it did not, only its
	// grammar was checked: the findings are the parser's errors.
	Parsed   bool
	Findings []Finding
}

// Document lints data, a policy document called name, as a policy of the
// given kind: grammar errors if it does not parse, otherwise the checks of
// Policy.
func Document(name string, data []byte, kind policy.Kind) Result {
	r := Result{Name: name, Kind: kind, KindSource: KindGiven}
	p, err := policy.Parse(name, data)
	if err != nil {
		r.Findings = grammar(name, err)
		return r
	}
	r.Parsed = true
	r.Findings = Policy(p, kind)
	return r
}

// DocumentAuto lints data as Document does, as a policy of the kind
// DetectKind sees in it.
func DocumentAuto(name string, data []byte) Result {
	r := Result{Name: name, KindSource: KindUndetermined}
	p, err := policy.Parse(name, data)
	if err != nil {
		r.Findings = grammar(name, err)
		return r
	}
	r.Parsed, r.Kind, r.KindSource = true, DetectKind(p), KindDetected
	r.Findings = Policy(p, r.Kind)
	return r
}
