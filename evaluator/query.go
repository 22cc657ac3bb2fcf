package evaluator

import "github.com/iameval/iameval/request"

// PrincipalMatch is how closely a resource policy's Principal names a
// caller, the closest of its Allow statements: conditions, actions and
// resources aside.
type PrincipalMatch uint8

// How a resource policy can name a caller.
const (
	// NotNamed: no Allow statement names the caller, so the resource
	// policy grants it nothing, whatever the request.
	NotNamed PrincipalMatch = iota
	// NamedAccount: an Allow names the caller's account, which delegates
	// to the account's identity policies: in the account, an identity
	// Allow is needed too.
	NamedAccount
	// NamedRole: an Allow names the role whose session the caller is.
	NamedRole
	// NamedDirectly: an Allow names the caller itself, or everyone ("*"),
	// or spares it from a NotPrincipal.
	NamedDirectly
)

// ResourcePolicyNames reports how closely an Allow statement of the
// engine's resource policy names caller (an ARN, as request.Context's
// Principal), with the principal rules Evaluate applies, and without
// looking at conditions, actions or resources: NotNamed means the resource
// policy cannot grant caller anything. An engine without a resource policy
// names no one.
func (e *Engine) ResourcePolicyNames(caller string) PrincipalMatch {
	if e == nil {
		return NotNamed
	}
	c := request.ParsePrincipal(caller)
	best := levelNone
	for _, cp := range e.pols {
		if cp.typ != TypeResource {
			continue
		}
		for i := range cp.stmts {
			s := &cp.stmts[i]
			if s.deny || s.principal == nil {
				continue
			}
			lv := s.principal.best(&c)
			if s.principal.not {
				lv = levelDirect // everyone but those listed
				if s.principal.best(&c) != levelNone {
					lv = levelNone
				}
			}
			if lv > best {
				best = lv
			}
		}
	}
	return PrincipalMatch(best)
}

// IdentityMayAllow reports whether some Allow statement of the engine's
// identity policies can match action by its Action or NotAction, resources,
// principals and conditions aside. When it is false, no identity policy of
// the engine allows action on any resource in any request.
func (e *Engine) IdentityMayAllow(action string) bool {
	if e == nil {
		return false
	}
	var k actionKey
	k.set(action)
	for _, cp := range e.pols {
		if cp.typ != TypeIdentity {
			continue
		}
		exact, service, always := cp.index.candidates(&k)
		for _, list := range [3][]int32{exact, service, always} {
			for _, si := range list {
				s := &cp.stmts[si]
				if !s.deny && s.matchAction(action, &k) {
					return true
				}
			}
		}
	}
	return false
}
