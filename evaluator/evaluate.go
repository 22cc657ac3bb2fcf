package evaluator

import (
	mathbits "math/bits"
	"strings"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/request"
)

// state collects what the statements said about one request.
type state struct {
	denies, allows refs

	identityAllow, boundaryAllow, sessionAllow bool
	identityDeny, boundaryDeny, sessionDeny    bool
	resourceDeny, scpDeny, rcpDeny             bool
	resourceLevel                              level
	scpAllow                                   uint64 // per-level allow bits
}

// Evaluate decides req. It does not modify req, and it does not allocate
// while at most 16 statements of the kind that decides match the request
// (denies for an explicit deny, allows otherwise) and the engine's
// statements reference at most 128 distinct condition keys: beyond either
// bound it allocates to keep every matched statement and missing key. (The
// bound keeps a Decision as small as when it held 8: a larger one costs
// every decision more than the allocation it saves the rare one.) A
// policy that reads as text (a string operator, a policy variable) a value
// the request package formats on demand — aws:MultiFactorAuthAge of 100
// seconds or more set by SetSessionWithMFA, aws:CurrentTime and
// aws:EpochTime set by SetTime — costs one allocation to format it.
//
// A nil Engine or a nil request is an implicit deny.
func (e *Engine) Evaluate(req *request.Context) Decision {
	if e == nil || req == nil {
		return Decision{}
	}
	d := Decision{engine: e}
	var st state
	var in reqInfo
	in.read(req)
	caller := &in.caller
	// An unsigned request, a service principal and a web-identity or SAML
	// caller are no principal of an account: the caller's side (identity,
	// boundary, session policies, SCPs) does not apply.
	anonymous := caller.Kind == request.PrincipalAnonymous
	identityless := caller.Kind.Identityless()
	for pi, cp := range e.pols {
		if identityless && cp.typ != TypeResource && cp.typ != TypeRCP {
			continue
		}
		// Scan the statements that can match the action, in document
		// order: merge the three candidate lists.
		exact, service, always := cp.index.candidates(&in.action)
		for len(exact)+len(service)+len(always) > 0 {
			si, actionKnown := int32(1<<31-1), false
			var from *[]int32
			for k, list := range [3]*[]int32{&exact, &service, &always} {
				if len(*list) > 0 && (*list)[0] < si {
					si, from, actionKnown = (*list)[0], list, k == 0
				}
			}
			*from = (*from)[1:]
			s := &cp.stmts[si]
			in.actionKnown = actionKnown
			in.keyMap = cp.keyMap
			lv, ok := e.statementApplies(s, cp.typ, req, &in, &d)
			if !ok {
				continue
			}
			r := ref{uint32(pi), uint32(si)}
			if s.deny {
				st.denies.add(r)
				switch cp.typ {
				case TypeIdentity:
					st.identityDeny = true
				case TypeBoundary:
					st.boundaryDeny = true
				case TypeSession:
					st.sessionDeny = true
				case TypeResource:
					st.resourceDeny = true
				case TypeSCP:
					st.scpDeny = true
				case TypeRCP:
					st.rcpDeny = true
				}
				continue
			}
			switch cp.typ {
			case TypeIdentity:
				st.identityAllow = true
				st.allows.add(r)
			case TypeBoundary:
				st.boundaryAllow = true
				st.allows.add(r)
			case TypeSession:
				st.sessionAllow = true
				st.allows.add(r)
			case TypeResource:
				if lv > st.resourceLevel {
					st.resourceLevel = lv
				}
				st.allows.add(r)
			case TypeSCP:
				st.scpAllow |= 1 << cp.level
			}
		}
	}
	e.fillDetail(&d.Detail, &st)
	if identityless {
		d.Detail.Identity, d.Detail.Boundary, d.Detail.Session, d.Detail.Organizations = NotApplicable, NotApplicable, NotApplicable, NotApplicable
	}
	d.NotPolicyControlled = notPolicyControlled(req.Action)
	rAcct := e.resourceAccount(req, &in)
	cross := caller.Account != "" && rAcct != "" && caller.Account != rAcct
	d.CrossAccount = cross

	if st.denies.n > 0 {
		d.Verdict = ExplicitDeny
		d.matched = st.denies
		return d
	}
	if anonymous && signedRequestRequired(req.Action) {
		d.Rule = RuleSignedRequestRequired
		return d
	}
	if k := caller.Kind; (k == request.PrincipalWebIdentity || k == request.PrincipalSAML) && rAcct != "" {
		if p, ok := request.SplitARN(caller.ARN); ok && p[4] != "" && p[4] != rAcct {
			d.Rule = RuleProviderInAnotherAccount
			return d
		}
	}
	if d.Detail.Organizations == OutcomeImplicitDeny {
		d.Rule = RuleSCPLevel
		d.SCPLevel = mathbits.TrailingZeros64(^st.scpAllow & allLevels(e.scpLevels))
		return d
	}
	if caller.Kind == request.PrincipalNone && e.hasResource {
		d.Rule = RuleCallerRequired
		return d
	}
	root := caller.Kind == request.PrincipalRoot
	identityOK := st.identityAllow || root

	if !cross {
		if st.resourceLevel == levelDirect {
			d.Verdict = Allowed
			e.keepAllows(&d, &st, TypeResource)
			return d
		}
		if e.hasResource && resourcePolicyRequired(req.Action) {
			// trust and key policies must allow the caller themselves
			switch {
			case st.resourceLevel == levelRole:
			case st.resourceLevel == levelAccount && identityOK:
			case st.resourceLevel == levelAccount:
				d.Rule = RuleAccountPrincipalNeedsIdentityAllow
				return d
			default:
				d.Rule = RuleResourcePolicyRequired
				return d
			}
		} else if !identityOK && st.resourceLevel != levelRole {
			d.Rule = RuleNoAllow
			switch {
			case anonymous && e.hasIdentity:
				d.Rule = RuleAnonymousHasNoIdentity
			case identityless && !anonymous:
				d.Rule = RuleServiceOrFederatedHasNoIdentity
			}
			return d
		}
	} else {
		if st.resourceLevel == levelNone {
			d.Rule = RuleCrossAccountNeedsResourcePolicy
			return d
		}
		if !identityOK {
			d.Rule = RuleCrossAccountNeedsIdentityAllow
			return d
		}
	}
	if e.hasBoundary && !st.boundaryAllow && !identityless {
		d.Rule = RuleBoundary
		return d
	}
	if e.hasSession && !st.sessionAllow && !identityless {
		d.Rule = RuleSessionPolicy
		return d
	}
	if !e.hasSession && caller.Kind == request.PrincipalFederatedUser {
		d.Rule = RuleFederatedUserNeedsSessionPolicy
		return d
	}
	d.Verdict = Allowed
	d.matched = st.allows
	if root && !st.identityAllow && st.resourceLevel == levelNone {
		d.Rule = RuleRootUser
	}
	return d
}

// keepAllows keeps only the matched Allow statements of policy type t.
func (e *Engine) keepAllows(d *Decision, st *state, t PolicyType) {
	for i := 0; i < st.allows.n; i++ {
		r := st.allows.at(i)
		if e.pols[r.pol].typ == t {
			d.matched.add(r)
		}
	}
}

func outcome(present, deny, allow bool) Outcome {
	switch {
	case !present:
		return NotApplicable
	case deny:
		return OutcomeExplicitDeny
	case allow:
		return OutcomeAllowed
	}
	return OutcomeImplicitDeny
}

// allLevels is the bit set of n organization levels.
func allLevels(n int) uint64 { return uint64(1)<<n - 1 }

func (e *Engine) fillDetail(dt *Detail, st *state) {
	dt.Identity = outcome(e.hasIdentity, st.identityDeny, st.identityAllow)
	dt.Boundary = outcome(e.hasBoundary, st.boundaryDeny, st.boundaryAllow)
	dt.Session = outcome(e.hasSession, st.sessionDeny, st.sessionAllow)
	dt.Resource = outcome(e.hasResource, st.resourceDeny, st.resourceLevel != levelNone)
	dt.Organizations = outcome(e.scpLevels > 0, st.scpDeny, st.scpAllow == allLevels(e.scpLevels))
	// Every RCP level holds RCPFullAWSAccess, which cannot be detached,
	// and custom RCPs may only Deny: only a Deny decides.
	dt.ResourceControl = outcome(e.rcpLevels > 0, st.rcpDeny, true)
}

// Why a statement did not apply.
const (
	whyApplied uint8 = iota
	whyAction
	whyResource
	whyPrincipal
	whyCondition
)

// statementApplies reports whether s applies to the request, and for a
// resource-policy Allow how closely its principal names the caller. For every
// statement whose action matches, it records in d the keys the statement
// references (conditions and policy variables) that the request lacks.
func (e *Engine) statementApplies(s *cstmt, t PolicyType, req *request.Context, in *reqInfo, d *Decision) (level, bool) {
	lv, why, _ := e.check(s, t, req, in, d)
	return lv, why == whyApplied
}

// check is statementApplies with the reason: which test failed first, and
// for a condition, its index.
func (e *Engine) check(s *cstmt, t PolicyType, req *request.Context, in *reqInfo, d *Decision) (level, uint8, int) {
	caller := &in.caller
	if !in.actionKnown && !s.matchAction(req.Action, &in.action) {
		return levelNone, whyAction, -1
	}
	for _, id := range s.keyIDs {
		g := in.keyMap[id]
		if _, ok := req.Lookup(e.keys[g]); !ok {
			d.missing.set(g)
		}
	}
	if !s.matchResource(in, req) {
		return levelNone, whyResource, -1
	}
	lv := levelDirect
	if p := s.principal; p != nil {
		switch {
		case !p.not:
			if lv = p.best(caller); lv == levelNone {
				return levelNone, whyPrincipal, -1
			}
		case s.deny:
			// A Deny with NotPrincipal always applies to a caller that
			// has a permissions boundary.
			if !(t == TypeResource && e.hasBoundary && !caller.Kind.Identityless()) && p.excluded(caller) {
				return levelNone, whyPrincipal, -1
			}
		default:
			if p.best(caller) != levelNone {
				return levelNone, whyPrincipal, -1
			}
		}
	}
	for i, c := range s.conds {
		if !c.Eval(req) {
			return levelNone, whyCondition, i
		}
	}
	return lv, whyApplied, -1
}

// matchAction reports whether action (k folded, or nil) matches the
// statement's Action or NotAction; with service buckets, only the
// patterns of the action's service are tried.
func (s *cstmt) matchAction(action string, k *actionKey) bool {
	hit := false
	if s.bySvc != nil && k != nil && k.ok {
		for _, i := range s.bySvc[string(k.buf[:k.svcEnd])] {
			if s.actions[i].Match(action, true, nil) {
				hit = true
				break
			}
		}
		return hit != s.notAction
	}
	for i := range s.actions {
		if s.actions[i].Match(action, true, nil) {
			hit = true
			break
		}
	}
	return hit != s.notAction
}

func (s *cstmt) matchResource(in *reqInfo, ctx *request.Context) bool {
	if s.noRes {
		return true
	}
	hit := false
	for i := range s.resources {
		if s.resources[i].match(in, ctx) {
			hit = true
			break
		}
	}
	return hit != s.notRes
}

// resourceAccount is the account that owns the requested resource: the
// request's ResourceAccount, else the ARN's account field when it holds an
// account ID (12 digits: "aws", empty, or a word such as the "offering" of
// AWS's ARN format for MediaConnect offerings names no account), else the
// engine's resource owner, else the caller's account.
func (e *Engine) resourceAccount(req *request.Context, in *reqInfo) string {
	if req.ResourceAccount != "" {
		return req.ResourceAccount
	}
	if in.isARN && request.IsAccountID(in.res[4]) {
		return in.res[4]
	}
	if e.resourceOwner != "" {
		return e.resourceOwner
	}
	return in.caller.Account
}

// reqInfo is what Evaluate reads from a request once: the caller's identity
// and the resource ARN's parts.
type reqInfo struct {
	caller   request.Principal
	resource string
	res      [6]string
	isARN    bool
	// prefix is the resource ARN up to and including its fifth colon.
	prefix string
	// actionKnown says the statement being checked was found by its
	// exact action in the index, so its action matches.
	actionKnown bool
	// action is the request's action folded once for every policy
	action actionKey
	// keyMap maps the key ids of the policy being checked to the
	// engine's
	keyMap []int
}

func (in *reqInfo) read(req *request.Context) {
	in.caller = request.ParsePrincipal(req.Principal)
	in.action.set(req.Action)
	in.resource = req.Resource
	in.res, in.isARN = request.SplitARN(req.Resource)
	if in.isARN {
		in.prefix = req.Resource[:len(req.Resource)-len(in.res[5])]
	}
}

// resourcePolicyRequired reports whether the action is one whose resource
// policy must allow the caller even within an account: the actions governed
// by role trust policies, and KMS.
func resourcePolicyRequired(action string) bool {
	svc, _, _ := strings.Cut(action, ":")
	switch {
	case condition.EqualFold(svc, "kms"):
		return true
	case condition.EqualFold(svc, "sts"):
		return TrustPolicyAction(action)
	}
	return false
}

// signedRequestRequired reports whether action is of a service that takes
// only requests signed with AWS credentials (RuleSignedRequestRequired):
// STS but for AssumeRoleWithSAML and AssumeRoleWithWebIdentity, IAM, KMS.
func signedRequestRequired(action string) bool {
	svc, name, _ := strings.Cut(action, ":")
	switch {
	case condition.EqualFold(svc, "iam"), condition.EqualFold(svc, "kms"):
		return true
	case condition.EqualFold(svc, "sts"):
		return !condition.EqualFold(name, "AssumeRoleWithSAML") && !condition.EqualFold(name, "AssumeRoleWithWebIdentity")
	}
	return false
}

// TrustPolicyAction reports whether action is one a role's trust policy
// decides, with the role as the resource: sts:AssumeRole,
// sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession,
// sts:SetSourceIdentity and sts:SetContext (IAM User Guide, "Role trust
// policies" and "Passing session tags in AWS STS").
func TrustPolicyAction(action string) bool {
	svc, name, _ := strings.Cut(action, ":")
	if !condition.EqualFold(svc, "sts") {
		return false
	}
	for _, a := range [...]string{"AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "TagSession", "SetSourceIdentity", "SetContext"} {
		if condition.EqualFold(name, a) {
			return true
		}
	}
	return false
}

// ActionSpecific reports whether the evaluation logic treats action apart
// from what the statements that match it say: AWS authorizes it without
// consulting policies (sts:GetSessionToken, sts:GetCallerIdentity), or,
// when resourcePolicy says the engine holds a resource policy, that policy
// must allow the caller even within the account (role trust policies'
// actions, KMS). For any other two actions, the same statements matching
// both, a request is decided alike but for the action's name: callers that
// share answers between actions (iameval mfa --account, iameval diff) must
// not share them for these.
func ActionSpecific(action string, resourcePolicy bool) bool {
	return notPolicyControlled(action) || resourcePolicy && resourcePolicyRequired(action)
}

// SignedByCaller reports whether a request for action is made with its
// caller's own credentials, so that the caller's identity policies take
// part: every action but sts:AssumeRoleWithSAML and
// sts:AssumeRoleWithWebIdentity ("Calling AssumeRoleWithSAML does not
// require the use of AWS security credentials", and the same of
// AssumeRoleWithWebIdentity, STS API reference), which an identity
// provider's assertion or token signs and the role's trust policy alone
// decides.
func SignedByCaller(action string) bool {
	return !condition.EqualFold(action, "sts:AssumeRoleWithSAML") && !condition.EqualFold(action, "sts:AssumeRoleWithWebIdentity")
}

// notPolicyControlled reports whether AWS authorizes the action without
// consulting policies.
func notPolicyControlled(action string) bool {
	switch len(action) {
	case len("sts:GetSessionToken"):
		return condition.EqualFold(action, "sts:GetSessionToken")
	case len("sts:GetCallerIdentity"):
		return condition.EqualFold(action, "sts:GetCallerIdentity")
	}
	return false
}
