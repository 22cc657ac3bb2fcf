package mfa

import (
	"sync"
	"sync/atomic"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/request"
)

// StarInstances caches the instances of "*" (Instances(e, a, ["*"], req))
// for the actions of a Reach's catalogue, per caller partition and
// account: for an action whose statements in e all name "*", Instances
// reads nothing of e and nothing of the request but its caller, so the
// answer holds for every engine and request of that caller's account. It
// is safe for concurrent use.
type StarInstances struct {
	r  *Reach
	mu sync.Mutex
	m  map[string]*StarTable
}

// NewStarInstances returns an empty cache for r's catalogue.
func NewStarInstances(r *Reach) *StarInstances {
	return &StarInstances{r: r, m: map[string]*StarTable{}}
}

// StarTable holds the instances of "*" of each action of the catalogue
// (by position in the Reach) for one caller partition and account.
type StarTable struct {
	r       *Reach
	caller  string
	account string
	at      []atomic.Pointer[Star]
}

// Star is the instances of "*" for an action. Own says the caller's
// account owns each when the engine names no other resource owner (see
// OwnedBy).
type Star struct {
	List []string
	Own  bool
}

// Table returns the table of caller's partition and account.
func (s *StarInstances) Table(caller string) *StarTable {
	partition := "aws"
	if parts, ok := request.SplitARN(caller); ok && parts[1] != "" {
		partition = parts[1]
	}
	account := request.ParsePrincipal(caller).Account
	key := partition + ":" + account
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.m[key]
	if !ok {
		t = &StarTable{r: s.r, caller: caller, account: account, at: make([]atomic.Pointer[Star], s.r.Len())}
		s.m[key] = t
	}
	return t
}

// Of returns the instances of "*" for the action at position x, made the
// first time with engine(), an engine whose statements for the action all
// name "*" ("*" itself when the action has no instance). The list is
// shared: do not modify it.
func (t *StarTable) Of(x int32, engine func() *evaluator.Engine) *Star {
	if got := t.at[x].Load(); got != nil {
		return got
	}
	a, name := t.r.At(x)
	list, _ := Instances(engine(), a, []string{"*"}, &request.Context{Principal: t.caller, Action: name, Resource: "*"})
	if len(list) == 0 {
		list = []string{"*"}
	}
	st := &Star{List: list, Own: OwnedBy(list, t.account, "")}
	t.at[x].Store(st)
	return st
}

// OwnedBy reports whether account acct owns every one of resources, as the
// engine decides who owns a resource: the account ID in an ARN's account
// field, else owner (the engine's resource owner), else acct.
func OwnedBy(resources []string, acct, owner string) bool {
	if owner == "" {
		owner = acct
	}
	for _, r := range resources {
		o := owner
		if parts, ok := request.SplitARN(r); ok && request.IsAccountID(parts[4]) {
			o = parts[4]
		}
		if o != acct {
			return false
		}
	}
	return true
}
