package evaluator

import (
	"strings"

	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// level is how closely a principal entry names the caller.
type level uint8

const (
	levelNone    level = iota
	levelAccount       // the caller's account
	levelRole          // the role whose session the caller is
	levelDirect        // the caller itself, or everyone ("*")
)

type pentry struct {
	typ     string
	value   string
	any     bool   // "*"
	account string // account id, for account entries
	role    string // role name, for role ARNs
	roleAcc string
}

type cprincipal struct {
	not     bool
	entries []pentry
}

func compilePrincipal(p *policy.Principal) *cprincipal {
	cp := &cprincipal{not: p.Not}
	if p.Any {
		cp.entries = append(cp.entries, pentry{typ: "AWS", value: "*", any: true})
	}
	for _, e := range p.Entries {
		pe := pentry{typ: e.Type, value: e.Text, any: e.Text == "*"}
		if e.Type == "AWS" && !pe.any {
			if acct, ok := request.ParseAccount(e.Text); ok {
				pe.account = acct
			} else if parts, ok := request.SplitARN(e.Text); ok && parts[2] == "iam" && strings.HasPrefix(parts[5], "role/") {
				pe.role = parts[5][strings.LastIndexByte(parts[5], '/')+1:]
				pe.roleAcc = parts[4]
			}
		}
		cp.entries = append(cp.entries, pe)
	}
	return cp
}

// entryLevel is how closely one entry names the caller. Each element type
// names its own kind of caller (Principal element page): "AWS" the
// principals of accounts, "Service" service principals, "Federated"
// web-identity and SAML callers by their provider; "*" names everyone. A
// caller of unknown form is named only by "*" and identical text.
func (pe *pentry) level(c *request.Principal) level {
	if pe.any {
		return levelDirect
	}
	if pe.typ != "AWS" {
		if c.ARN == pe.value && entryNames(pe.typ, c.Kind) {
			return levelDirect
		}
		return levelNone
	}
	switch {
	case c.Kind.Identityless() || c.Kind == request.PrincipalNone:
		return levelNone
	case pe.account != "":
		if c.Account == pe.account {
			if c.Kind == request.PrincipalRoot {
				// the account's principal is its root user
				return levelDirect
			}
			return levelAccount
		}
	case pe.value == c.ARN:
		return levelDirect
	case pe.role != "":
		if c.Kind == request.PrincipalAssumedRole && c.Name == pe.role && c.Account == pe.roleAcc {
			return levelRole
		}
	}
	return levelNone
}

// entryNames reports whether a non-AWS Principal entry of type typ can name
// a caller of kind k by its text.
func entryNames(typ string, k request.PrincipalKind) bool {
	switch k {
	case request.PrincipalUnknown:
		return true
	case request.PrincipalService:
		return typ == "Service"
	case request.PrincipalWebIdentity, request.PrincipalSAML:
		return typ == "Federated"
	}
	return false
}

// best is the closest level at which any entry names the caller.
func (cp *cprincipal) best(c *request.Principal) level {
	best := levelNone
	for i := range cp.entries {
		if l := cp.entries[i].level(c); l > best {
			best = l
		}
	}
	return best
}

// excluded reports whether a Deny+NotPrincipal list spares the caller: every
// identity AWS evaluates for it must be listed — the account, the role (for
// a role session) and the caller itself.
func (cp *cprincipal) excluded(c *request.Principal) bool {
	var acct, role, self bool
	for i := range cp.entries {
		pe := &cp.entries[i]
		if pe.any {
			return true
		}
		switch pe.level(c) {
		case levelAccount:
			acct = true
		case levelRole:
			role = true
		case levelDirect:
			self = true
		}
	}
	switch c.Kind {
	case request.PrincipalRoot:
		return acct || self
	case request.PrincipalAssumedRole:
		return acct && role && self
	case request.PrincipalUser, request.PrincipalFederatedUser, request.PrincipalRole:
		return acct && self
	}
	return self
}
