package iamapi

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Simulation decides requests against one policy set as AWS's simulator
// does. Within an account snapshot (Account set), sts:AssumeRole* on one of
// its roles is decided with the role's trust policy as the resource policy,
// unless the set names a resource policy of its own. A Simulation caches
// the engines of trust policies: it is not safe for concurrent use.
type Simulation struct {
	// Set is the policy set; Base its compiled engine.
	Set  evaluator.PolicySet
	Base *evaluator.Engine
	// Account, when the policies come from an account snapshot.
	Account *account.Account
	trust   map[*policy.Policy]*evaluator.Engine
}

// NewSimulation compiles set (acct may be nil). The error is the
// evaluator's (a policy.ErrorList).
func NewSimulation(set evaluator.PolicySet, acct *account.Account) (*Simulation, error) {
	e, err := evaluator.Compile(set)
	if err != nil {
		return nil, err
	}
	return &Simulation{Set: set, Base: e, Account: acct}, nil
}

// EngineFor returns the engine that decides action on resource: Base, or
// in an account the engine of Set with the role's trust policy as the
// resource policy for sts:AssumeRole* on one of its roles.
func (s *Simulation) EngineFor(action, resource string) (*evaluator.Engine, error) {
	if s.Account == nil || s.Set.Resource != nil {
		return s.Base, nil
	}
	trust := s.Account.TrustPolicy(action, resource)
	if trust == nil {
		return s.Base, nil
	}
	if e, ok := s.trust[trust]; ok {
		return e, nil
	}
	set := s.Set
	set.Resource = trust
	e, err := evaluator.Compile(set)
	if err != nil {
		return nil, err
	}
	if s.trust == nil {
		s.trust = map[*policy.Policy]*evaluator.Engine{}
	}
	s.trust[trust] = e
	return e, nil
}

// Decide decides every request and returns the decisions and the engine
// that decided each (for explanations), in the order of reqs. Requests of
// the base engine are decided as one batch on every core.
func (s *Simulation) Decide(reqs []*request.Context) ([]evaluator.Decision, []*evaluator.Engine, error) {
	engines := make([]*evaluator.Engine, len(reqs))
	var batch []*request.Context
	var at []int
	for i, r := range reqs {
		e, err := s.EngineFor(r.Action, r.Resource)
		if err != nil {
			return nil, nil, err
		}
		engines[i] = e
		if e == s.Base {
			batch, at = append(batch, r), append(at, i)
		}
	}
	decisions := make([]evaluator.Decision, len(reqs))
	for k, d := range s.Base.EvaluateBatch(batch, make([]evaluator.Decision, len(batch))) {
		decisions[at[k]] = d
	}
	for i, e := range engines {
		if e != s.Base {
			decisions[i] = e.Evaluate(reqs[i])
		}
	}
	return decisions, engines, nil
}

// Simulate decides every action x resource of r (ActionNames, then
// ResourceArns or "*") with the requests r builds (NewContext: only what r
// supplies, as AWS's simulator), and shapes the results.
func (s *Simulation) Simulate(r *Request) ([]Result, error) {
	return s.SimulateRange(r, 0, r.Pairs())
}

// Pairs is the number of results r asks for: its actions times its
// resources.
func (r *Request) Pairs() int { return len(r.ActionNames) * len(r.Resources()) }

// SimulateRange is Simulate for results from to to (0 <= from <= to <=
// r.Pairs()) alone, in the same order: a page is decided without deciding
// the others.
func (s *Simulation) SimulateRange(r *Request, from, to int) ([]Result, error) {
	resources := r.Resources()
	reqs := make([]*request.Context, 0, to-from)
	for i := from; i < to; i++ {
		reqs = append(reqs, r.NewContext(r.ActionNames[i/len(resources)], resources[i%len(resources)]))
	}
	decisions, _, err := s.Decide(reqs)
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(reqs))
	for i, q := range reqs {
		out[i] = Result{Action: q.Action, Resource: q.Resource, Decision: decisions[i],
			HasBoundary: s.Set.Boundary != nil, HasSCP: len(s.Set.SCPs) > 0, FromAccount: s.Account != nil}
	}
	return out, nil
}

// Source is what a PolicySourceArn names in an account snapshot: a user or
// a role (Principal), or a group (Group), and the snapshot that holds it.
type Source struct {
	Account   *account.Account
	Principal *account.Principal
	Group     *account.Group
}

// FindSource finds the user, group or role PolicySourceArn names among
// accts. The error is an *Error: NoSuchEntity when no snapshot holds it
// (IAM API Reference, SimulatePrincipalPolicy: "The request was rejected
// because it referenced a resource entity that does not exist").
func FindSource(accts []*account.Account, arn string) (*Source, error) {
	for _, a := range accts {
		if parts, ok := request.SplitARN(arn); ok && strings.HasPrefix(parts[5], "group/") {
			if g, ok := a.Group(arn); ok {
				return &Source{Account: a, Group: g}, nil
			}
			continue
		}
		if p, err := a.Principal(arn); err == nil {
			return &Source{Account: a, Principal: p}, nil
		}
	}
	return nil, Errorf(CodeNoSuchEntity, "The user, group or role with ARN %s cannot be found.", arn)
}

// String names the source: "user alice", "role Admin" or "group devs".
func (s *Source) String() string {
	if s.Group != nil {
		return "group " + s.Group.Name
	}
	return s.Principal.String()
}

// PolicySet returns the source's own policies: a user's inline and
// attached policies, its groups' and its permissions boundary; a role's
// and its boundary; a group's inline and attached policies.
func (s *Source) PolicySet() evaluator.PolicySet {
	if s.Group != nil {
		return s.Account.GroupPolicySet(s.Group)
	}
	return s.Account.PolicySet(s.Principal)
}

// WithSource makes r a SimulatePrincipalPolicy request of src, as AWS
// composes it (IAM API Reference, SimulatePrincipalPolicy): src's own
// policies before r's PolicyInputList, src's permissions boundary unless r
// gives one, the account as ResourceOwner unless r gives one, and for a
// user the user as CallerArn unless r gives one (a role or a group has no
// default caller: "CallerArn is required if you include a ResourcePolicy
// and the PolicySourceArn is not the ARN for an IAM user").
func (r *Request) WithSource(src *Source) {
	own := src.PolicySet()
	r.Set.Identity = append(own.Identity, r.Set.Identity...)
	if r.Set.Boundary == nil {
		r.Set.Boundary = own.Boundary
	}
	if r.Set.ResourceOwner == "" {
		r.Set.ResourceOwner = own.ResourceOwner
	}
	if r.CallerArn == "" && src.Principal != nil && src.Principal.Kind == account.KindUser {
		r.CallerArn = src.Principal.ARN
	}
}

// ContextKeys returns the context keys the policies reference, in their
// conditions and as policy variables (${aws:username}), each once
// (whatever its letter case) and spelt as first met, in the order met:
// the ContextKeyNames of GetContextKeysForCustomPolicy.
func ContextKeys(policies []*policy.Policy) ([]string, error) {
	seen := map[string]bool{}
	keys := []string{}
	for _, p := range policies {
		e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
		if err != nil {
			return nil, err
		}
		for _, k := range e.Keys() {
			if l := strings.ToLower(k); !seen[l] {
				seen[l] = true
				keys = append(keys, k)
			}
		}
	}
	return keys, nil
}

// DefaultMaxItems is the page size when MaxItems is not given, and
// MaxMaxItems the largest AWS takes (IAM API Reference: MaxItems, 1 to
// 1000, default 100).
const (
	DefaultMaxItems = 100
	MaxMaxItems     = 1000
)

// Page returns the bounds [from, to) of the page of n results r asks for
// (MaxItems from Marker), and the Marker of the next page ("" on the
// last). A marker is opaque: it holds the offset of the next result and a
// digest of the request it came from, so a marker of another request is
// refused. The error is an *Error with code InvalidInput.
func (r *Request) Page(n int, digest [8]byte) (from, to int, next string, err error) {
	size := r.MaxItems
	if size == 0 {
		size = DefaultMaxItems
	}
	if size < 1 || size > MaxMaxItems {
		return 0, 0, "", Errorf(CodeInvalidInput, "MaxItems %d: want 1 to %d", r.MaxItems, MaxMaxItems)
	}
	if r.Marker != "" {
		if from, err = readMarker(r.Marker, digest); err != nil {
			return 0, 0, "", err
		}
		if from > n {
			return 0, 0, "", Errorf(CodeInvalidInput, "Marker is past the last result")
		}
	}
	to = min(from+size, n)
	if to < n {
		next = makeMarker(to, digest)
	}
	return from, to, next, nil
}

// makeMarker encodes the offset of the next result with the request's
// digest.
func makeMarker(offset int, digest [8]byte) string {
	b := make([]byte, 0, 16)
	b = append(b, digest[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(offset))
	return base64.RawURLEncoding.EncodeToString(b)
}

// readMarker reads a marker of makeMarker for the request of digest.
func readMarker(m string, digest [8]byte) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil || len(b) != 16 {
		return 0, Errorf(CodeInvalidInput, "Marker %q is not one this server gave", m)
	}
	if [8]byte(b[:8]) != digest {
		return 0, Errorf(CodeInvalidInput, "Marker %q belongs to another request (give the same parameters as the request that returned it)", m)
	}
	off := binary.BigEndian.Uint64(b[8:])
	if off > 1<<31 {
		return 0, Errorf(CodeInvalidInput, "Marker %q is not one this server gave", m)
	}
	return int(off), nil
}

// Digest returns a digest of a request's parameters other than MaxItems and
// Marker (params is every parameter, in any order), which pages of the same
// request share.
func Digest(params map[string][]string) [8]byte {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k == "MaxItems" || k == "Marker" {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%d\x00", k, len(params[k]))
		for _, v := range params[k] {
			h.Write([]byte(strconv.Itoa(len(v))))
			h.Write([]byte{0})
			h.Write([]byte(v))
		}
	}
	var d [8]byte
	copy(d[:], h.Sum(nil))
	return d
}
