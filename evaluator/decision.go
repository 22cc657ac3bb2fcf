package evaluator

import (
	"fmt"
	"strconv"

	"github.com/iameval/iameval/policy"
)

// Verdict is the final decision on a request. The zero value is ImplicitDeny,
// so a Decision that was never filled in denies.
type Verdict uint8

// The three decisions of AWS's evaluation logic.
const (
	ImplicitDeny Verdict = iota
	Allowed
	ExplicitDeny
)

// String returns the verdict as the policy simulator spells it: "allowed",
// "explicitDeny" or "implicitDeny".
func (v Verdict) String() string {
	switch v {
	case Allowed:
		return "allowed"
	case ExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// MarshalText implements encoding.TextMarshaler with String's spelling.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (v *Verdict) UnmarshalText(b []byte) error {
	switch string(b) {
	case "allowed":
		*v = Allowed
	case "explicitDeny":
		*v = ExplicitDeny
	case "implicitDeny":
		*v = ImplicitDeny
	default:
		return fmt.Errorf("unknown decision %q (want allowed, explicitDeny or implicitDeny)", b)
	}
	return nil
}

// PolicyType is the role a policy plays in a PolicySet.
type PolicyType uint8

// Policy types.
const (
	TypeIdentity PolicyType = iota
	TypeBoundary
	TypeSession
	TypeResource
	TypeSCP
	TypeRCP
)

var typeNames = [...]string{"identity", "permissionsBoundary", "session", "resource", "SCP", "RCP"}

// String returns the type's name.
func (t PolicyType) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown"
}

// Outcome is what one policy type said about a request.
type Outcome uint8

// Outcomes. NotApplicable (the zero value) means the set has no policy of
// that type.
const (
	NotApplicable Outcome = iota
	OutcomeAllowed
	OutcomeImplicitDeny
	OutcomeExplicitDeny
)

// String returns "notApplicable", "allowed", "implicitDeny" or
// "explicitDeny".
func (o Outcome) String() string {
	switch o {
	case OutcomeAllowed:
		return "allowed"
	case OutcomeImplicitDeny:
		return "implicitDeny"
	case OutcomeExplicitDeny:
		return "explicitDeny"
	}
	return "notApplicable"
}

// Detail records the outcome per policy type. For Organizations,
// ImplicitDeny means some SCP level had no matching Allow. ResourceControl is
// never ImplicitDeny: every RCP level holds RCPFullAWSAccess.
// For Resource, OutcomeAllowed means the resource policy allowed the caller
// at some level (itself, its role, or its account).
type Detail struct {
	Identity        Outcome
	Boundary        Outcome
	Session         Outcome
	Resource        Outcome
	Organizations   Outcome
	ResourceControl Outcome
}

// Rule names the rule of AWS's evaluation logic that decided a request
// where no statement did, or not a statement alone. The zero value, RuleNone,
// means the matched statements decided (a Deny, or the Allows that granted).
type Rule uint8

// The rules. Sources: the IAM User Guide's policy evaluation logic and
// cross-account evaluation pages, the simulator API reference for
// RuleCallerRequired.
const (
	// RuleNone: the matched statements decided.
	RuleNone Rule = iota
	// RuleNoAllow: no statement allows; every request is denied by
	// default.
	RuleNoAllow
	// RuleRootUser: the account's root user has full access to its own
	// account without an identity Allow.
	RuleRootUser
	// RuleSCPLevel: an SCP level has no Allow that matches; every level
	// from the root to the account must allow.
	RuleSCPLevel
	// RuleBoundary: the permissions boundary has no Allow that matches.
	RuleBoundary
	// RuleSessionPolicy: session policies were passed and none allows.
	RuleSessionPolicy
	// RuleFederatedUserNeedsSessionPolicy: a federated-user session gets
	// nothing without a session policy.
	RuleFederatedUserNeedsSessionPolicy
	// RuleResourcePolicyRequired: a role trust policy or KMS key policy
	// must allow the caller itself; an identity Allow alone never grants
	// sts:AssumeRole or KMS use.
	RuleResourcePolicyRequired
	// RuleAccountPrincipalNeedsIdentityAllow: a trust or key policy names
	// the caller's account, which delegates to the account's identity
	// policies, and none allows.
	RuleAccountPrincipalNeedsIdentityAllow
	// RuleCrossAccountNeedsResourcePolicy: the resource is in another
	// account and no resource policy allows the caller; both sides must.
	RuleCrossAccountNeedsResourcePolicy
	// RuleCrossAccountNeedsIdentityAllow: the resource is in another
	// account and the caller's identity policies do not allow; both
	// sides must.
	RuleCrossAccountNeedsIdentityAllow
	// RuleCallerRequired: the set has a resource policy and the request
	// names no caller, so the resource policy cannot be decided (AWS's
	// simulator requires CallerArn with a ResourcePolicy). Fails closed.
	RuleCallerRequired
	// RuleAnonymousHasNoIdentity: the set has identity policies, but the
	// caller is anonymous: an unsigned request is no principal of an
	// account, so identity policies, boundaries, session policies and
	// SCPs do not apply to it; only a resource policy naming everyone
	// grants to it.
	RuleAnonymousHasNoIdentity
	// RuleServiceOrFederatedHasNoIdentity: the caller is a service
	// principal or a web-identity or SAML federated caller, which is no
	// principal of an account: identity policies, boundaries, session
	// policies and SCPs do not apply to it, and no resource policy
	// allows it; only a resource (trust) policy naming it grants.
	RuleServiceOrFederatedHasNoIdentity
	// RuleProviderInAnotherAccount: the caller is vouched for by an IAM
	// identity provider (an oidc-provider or saml-provider ARN) of another
	// account than the resource's: a provider vouches only for roles of its
	// own account, so no trust policy can grant it.
	RuleProviderInAnotherAccount
	// RuleSignedRequestRequired: the caller is anonymous (an unsigned
	// request) and the action is of a service that takes only requests
	// signed with AWS credentials: AWS STS but for AssumeRoleWithSAML and
	// AssumeRoleWithWebIdentity (STS API reference: those two need no AWS
	// security credentials), IAM and AWS KMS. No policy can grant it, not
	// even a trust or key policy naming Principal {"AWS":"*"}.
	RuleSignedRequestRequired
)

var ruleNames = [...]string{"none", "noAllow", "rootUser", "scpLevel", "permissionsBoundary", "sessionPolicy",
	"federatedUserNeedsSessionPolicy", "resourcePolicyRequired", "accountPrincipalNeedsIdentityAllow",
	"crossAccountNeedsResourcePolicy", "crossAccountNeedsIdentityAllow", "callerRequired", "anonymousHasNoIdentity",
	"serviceOrFederatedHasNoIdentity", "providerInAnotherAccount", "signedRequestRequired"}

// String returns the rule's stable name, such as "rootUser" or
// "crossAccountNeedsResourcePolicy".
func (r Rule) String() string {
	if int(r) < len(ruleNames) {
		return ruleNames[r]
	}
	return "unknown"
}

// Describe says in a sentence what the rule did, for people.
func (r Rule) Describe() string {
	switch r {
	case RuleNoAllow:
		return "no statement allows (implicit deny by default)"
	case RuleRootUser:
		return "the root user has full access to its own account"
	case RuleSCPLevel:
		return "an SCP level has no Allow for the request (every level from the root to the account must allow)"
	case RuleBoundary:
		return "the permissions boundary does not allow"
	case RuleSessionPolicy:
		return "no session policy allows"
	case RuleFederatedUserNeedsSessionPolicy:
		return "a federated-user session gets nothing without a session policy"
	case RuleResourcePolicyRequired:
		return "the trust or key policy does not allow the caller (an identity Allow alone never grants it)"
	case RuleAccountPrincipalNeedsIdentityAllow:
		return "the trust or key policy names the caller's account, which still needs an identity Allow, and none allows"
	case RuleCrossAccountNeedsResourcePolicy:
		return "cross-account: no resource policy allows the caller (both accounts must allow)"
	case RuleCrossAccountNeedsIdentityAllow:
		return "cross-account: no identity policy allows (both accounts must allow)"
	case RuleCallerRequired:
		return "a resource policy needs a caller to decide, and the request names none"
	case RuleAnonymousHasNoIdentity:
		return "an anonymous (unsigned) request has no identity policies (nor boundary, session policies or SCPs); only a resource policy naming everyone grants it"
	case RuleProviderInAnotherAccount:
		return "the caller's identity provider (an oidc-provider or saml-provider ARN) belongs to another account than the resource, and a provider vouches only for roles of its own account"
	case RuleSignedRequestRequired:
		return "the action takes only requests signed with AWS credentials (STS but AssumeRoleWithSAML and AssumeRoleWithWebIdentity, IAM, KMS), and an anonymous (unsigned) request has none"
	case RuleServiceOrFederatedHasNoIdentity:
		return "a service principal or a web-identity or SAML caller is no principal of an account: identity policies, boundaries, session policies and SCPs do not apply to it, and no resource (trust) policy allows it"
	}
	return "the matched statements decided"
}

// MarshalText implements encoding.TextMarshaler with String's spelling.
func (r Rule) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// MatchedStatement identifies a statement that decided a request.
type MatchedStatement struct {
	// PolicyID is the policy's Name.
	PolicyID   string
	PolicyType PolicyType
	// Level is the organization level (0 = root) for SCPs and RCPs.
	Level  int
	Index  int
	Sid    string
	Effect policy.Effect
	// Start and End are the statement's braces.
	Start, End policy.Position
}

type ref struct{ pol, stmt uint32 }

// refsInline is how many statement references a Decision holds without
// allocating: Evaluate allocates only when more statements than this
// match one request, all of one kind (denies, or allows).
const refsInline = 16

// refs is a list of statement references in the order added: the first
// refsInline packed inline as pol<<16 | stmt (both below 1<<16), the rest
// (or all from one that does not pack) in big.
type refs struct {
	small  [refsInline]uint32
	nsmall int
	n      int
	big    []ref
}

func (r *refs) add(x ref) {
	if r.nsmall == r.n && r.n < refsInline && x.pol < 1<<16 && x.stmt < 1<<16 {
		r.small[r.n] = x.pol<<16 | x.stmt
		r.nsmall++
	} else {
		r.big = append(r.big, x)
	}
	r.n++
}

func (r *refs) at(i int) ref {
	if i < r.nsmall {
		return ref{r.small[i] >> 16, r.small[i] & (1<<16 - 1)}
	}
	return r.big[i-r.nsmall]
}

// bits is a set of small integers with 128 stored inline.
type bits struct {
	small [2]uint64
	big   []uint64
}

func (b *bits) set(i int) {
	w := i / 64
	if w < len(b.small) {
		b.small[w] |= 1 << (i % 64)
		return
	}
	w -= len(b.small)
	for len(b.big) <= w {
		b.big = append(b.big, 0)
	}
	b.big[w] |= 1 << (i % 64)
}

func (b *bits) has(i int) bool {
	w := i / 64
	if w < len(b.small) {
		return b.small[w]&(1<<(i%64)) != 0
	}
	w -= len(b.small)
	return w < len(b.big) && b.big[w]&(1<<(i%64)) != 0
}

// Decision is the answer to one request. Its zero value is an implicit deny.
type Decision struct {
	Verdict Verdict
	Detail  Detail
	// NotPolicyControlled is set for actions that AWS does not authorize
	// with policies at all (sts:GetSessionToken, sts:GetCallerIdentity):
	// the verdict answers the policy question, but the call succeeds
	// whatever it says.
	NotPolicyControlled bool
	// CrossAccount reports whether the caller's account differs from the
	// resource's, so that both sides had to allow.
	CrossAccount bool
	// Rule is the rule of the evaluation logic that decided, when no
	// statement did or not a statement alone (RuleNone otherwise).
	Rule Rule
	// SCPLevel is, when Rule is RuleSCPLevel, the first organization level
	// (0 = root, as in PolicySet.SCPs) that allows no statement matching
	// the request.
	SCPLevel int

	engine  *Engine
	matched refs
	missing bits
}

// Describe says in a phrase why the rule decided, for a request for
// action: Rule.Describe, except for RuleSCPLevel, which names the level
// (counted from 1 at the root, as ServiceControlPolicyInputList.N in AWS's
// simulator request) and, when the level holds only Deny statements, says
// that it lacks the FullAWSAccess policy AWS attaches by default.
func (d *Decision) Describe(action string) string {
	if d.Rule != RuleSCPLevel || d.engine == nil {
		return d.Rule.Describe()
	}
	s := "SCP level " + strconv.Itoa(d.SCPLevel+1) + " allows no statement matching " + action
	if d.engine.scpDenyOnly&(1<<d.SCPLevel) != 0 {
		s += " (the level holds only Deny statements; AWS attaches FullAWSAccess to every level by default — attach it, or an Allow, to that level)"
	}
	return s
}

// Allowed reports whether the verdict is Allowed.
func (d *Decision) Allowed() bool { return d.Verdict == Allowed }

// MatchedStatements returns the statements that decided the request: when a
// Deny decided, only the matching Deny statements; when allowed, the matching
// Allow statements of the policies that granted; none for an implicit deny.
func (d *Decision) MatchedStatements() []MatchedStatement {
	if d.engine == nil || d.matched.n == 0 {
		return nil
	}
	out := make([]MatchedStatement, 0, d.matched.n)
	for i := 0; i < d.matched.n; i++ {
		r := d.matched.at(i)
		cp := d.engine.pols[r.pol]
		s := cp.src.Statements[r.stmt]
		start, end := cp.src.Braces(s)
		out = append(out, MatchedStatement{
			PolicyID: cp.src.Name, PolicyType: cp.typ, Level: cp.level,
			Index: s.Index, Sid: s.Sid, Effect: s.Effect, Start: start, End: end,
		})
	}
	return out
}

// MissingContextValues returns the condition keys and policy-variable keys
// that statements matching the request's action referenced but the request
// did not carry, in the order the engine first met them.
func (d *Decision) MissingContextValues() []string {
	if d.engine == nil {
		return nil
	}
	var out []string
	for i, k := range d.engine.keys {
		if d.missing.has(i) {
			out = append(out, k)
		}
	}
	return out
}

// String returns the verdict.
func (d Decision) String() string { return d.Verdict.String() }
