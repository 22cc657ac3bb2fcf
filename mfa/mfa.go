// Package mfa answers the question iameval exists for: what can a caller do
// without MFA? For one request it decides the request under every kind of
// credential that matters — long-term access keys (no MFA key), a session
// without MFA, and a session with MFA at every age where a policy's
// aws:MultiFactorAuthAge threshold changes the answer — and reduces the
// answers to a verdict, the largest MFA age still allowed, and the bypasses
// that let a caller without MFA through a policy meant to stop them.
package mfa

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Verdict summarises what MFA does for one request.
type Verdict uint8

// Verdicts.
const (
	// NeverAllowed: denied under every credential scenario.
	NeverAllowed Verdict = iota
	// Required: allowed only with MFA.
	Required
	// NotRequired: allowed without MFA (with long-term keys or a session
	// without MFA, or both), and with it.
	NotRequired
	// Inverted: allowed without MFA but not with it.
	Inverted
)

// String returns "never-allowed", "mfa-required", "mfa-not-required" or
// "inverted".
func (v Verdict) String() string {
	switch v {
	case Required:
		return "mfa-required"
	case NotRequired:
		return "mfa-not-required"
	case Inverted:
		return "inverted"
	}
	return "never-allowed"
}

// MarshalText implements encoding.TextMarshaler.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// Scenario is one way a request can be signed.
type Scenario struct {
	// Name is "long-term-keys", "session-without-mfa" or "mfa-age=N".
	Name string
	// MFA reports whether the scenario authenticated with MFA; Age is then
	// the MFA age in seconds.
	MFA bool
	Age int64
}

// Outcome is the decision under one scenario.
type Outcome struct {
	Scenario Scenario
	Decision evaluator.Decision
}

// Bypass is a way around an MFA requirement: the request is allowed with
// long-term access keys although a session without MFA is denied, because
// a statement tests an MFA key that long-term keys do not carry.
type Bypass struct {
	// Statement is the statement that long-term keys slip past (a Deny
	// whose condition is false when the key is absent) or slip through (an
	// Allow whose condition is true when the key is absent).
	Statement evaluator.MatchedStatement
	Clause    *policy.Clause
	// Kind is "deny-skipped" (a Deny whose condition is false when the key
	// is absent), or, for an Allow whose condition is true when the key is
	// absent, "allow-ifexists" (...IfExists), "allow-forallvalues"
	// (ForAllValues:, vacuously true on an absent key) or
	// "allow-absent-key" (a negated operator, or Null true).
	Kind string
	// Fix is a concrete change that closes the bypass.
	Fix string
}

// Result is the MFA analysis of one request.
type Result struct {
	Action, Resource string
	Verdict          Verdict
	// LongTermKeys, SessionWithoutMFA and Fresh (MFA just now) are the
	// decisions under the three basic scenarios.
	LongTermKeys, SessionWithoutMFA, Fresh evaluator.Decision
	// Ages are the decisions with MFA at every age that matters, in
	// increasing order: 0, one second either side of every
	// aws:MultiFactorAuthAge threshold, and a very old MFA.
	Ages []Outcome
	// MaxAge is the largest MFA age, in seconds, that is still allowed;
	// NoAgeLimit is true when any age is. Both are meaningless unless some
	// MFA age is allowed (HasMFAAllowed).
	MaxAge        int64
	NoAgeLimit    bool
	HasMFAAllowed bool
	// Bypasses are the statements that let a request without MFA through
	// where a stricter one (a session without MFA, or an MFA session of
	// some age) is denied.
	Bypasses []Bypass
}

// MaxAgeString renders the largest allowed age: "no limit", "3600s (1h0m0s)",
// or "-" when no MFA age is allowed.
func (r *Result) MaxAgeString() string {
	switch {
	case !r.HasMFAAllowed:
		return "-"
	case r.NoAgeLimit:
		return "no limit"
	}
	return fmt.Sprintf("%ds (%s)", r.MaxAge, time.Duration(r.MaxAge)*time.Second)
}

// veryOld is the age used to test "any age": ten years, far beyond any
// session's lifetime and any threshold a policy is likely to hold.
const veryOld = 10 * 365 * 24 * 3600

// Thresholds returns the aws:MultiFactorAuthAge values that the engine's
// policies compare against, sorted.
func Thresholds(e *evaluator.Engine) []float64 {
	// most engines test no MFA age: their keys say so without a walk
	if !slices.ContainsFunc(e.Keys(), func(k string) bool { return evaluator.SameKey(k, request.KeyMultiFactorAuthAge) }) {
		return nil
	}
	seen := map[float64]bool{}
	var out []float64
	for i := range e.NumPolicies() {
		for _, s := range e.Policy(i).Policy.Statements {
			for _, c := range s.Conditions {
				if !strings.EqualFold(c.Key, request.KeyMultiFactorAuthAge) {
					continue
				}
				for _, v := range c.Values {
					if n, ok := request.ParseNumber(v.Text); ok && !seen[n] {
						seen[n] = true
						out = append(out, n)
					}
				}
			}
		}
	}
	sort.Float64s(out)
	return out
}

// Ages returns the MFA ages, in seconds, that decide every threshold (the
// aws:MultiFactorAuthAge values a policy compares against: Thresholds): 0,
// each threshold's floor and one second either side, and ten years (any
// age), ascending.
func Ages(thresholds []float64) []int64 {
	set := map[int64]bool{0: true, veryOld: true}
	for _, t := range thresholds {
		if t < 0 || t > veryOld {
			continue
		}
		f := int64(math.Floor(t))
		for _, a := range []int64{f - 1, f, f + 1} {
			if a >= 0 && a < veryOld {
				set[a] = true
			}
		}
	}
	out := make([]int64, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ageName names the scenario of an MFA session of age seconds; the ages
// every analysis tries are named without making the text.
func ageName(age int64) string {
	switch age {
	case 0:
		return "mfa-age=0"
	case veryOld:
		return "mfa-age=" + veryOldText
	}
	return "mfa-age=" + strconv.FormatInt(age, 10)
}

// veryOldText is veryOld in decimal.
const veryOldText = "315360000"

// Analyze decides base under every MFA scenario. base names the caller,
// action, resource and any other keys; its MFA keys are replaced.
func Analyze(e *evaluator.Engine, base *request.Context) Result {
	var r Result
	analyze(&r, e, base, nil, Ages(Thresholds(e)))
	return r
}

// analyze is Analyze with the ages to try, into r: r's fields are all set
// anew, and the room of r.Ages is reused. req, when not nil, is a copy of
// base it may change (its MFA keys).
func analyze(r *Result, e *evaluator.Engine, base, req *request.Context, ageList []int64) {
	*r = Result{Action: base.Action, Resource: base.Resource, Ages: r.Ages[:0]}
	// one request for every scenario: a decision keeps nothing of its
	// request
	if req == nil {
		req = base.Clone()
	}
	req.SetLongTermKeys()
	r.LongTermKeys = e.Evaluate(req)
	req.SetSessionWithoutMFA()
	r.SessionWithoutMFA = e.Evaluate(req)
	// when no statement of the action reads the MFA age, every age is
	// decided as the first (evaluator.Engine.ActionReadsKey)
	ageFree := len(ageList) > 1 && !e.ActionReadsKey(base.Action, request.KeyMultiFactorAuthAge)
	for i, a := range ageList {
		var d evaluator.Decision
		if ageFree && i > 0 {
			d = r.Ages[0].Decision
		} else {
			req.SetSessionWithMFA(time.Duration(a) * time.Second)
			d = e.Evaluate(req)
		}
		r.Ages = append(r.Ages, Outcome{Scenario: Scenario{Name: ageName(a), MFA: true, Age: a}, Decision: d})
	}
	r.Fresh = r.Ages[0].Decision

	// The largest allowed age: the decision is constant between the
	// points of ageList, so it is one less than the first denied point
	// above the largest allowed one.
	last := -1
	for i, o := range r.Ages {
		if o.Decision.Allowed() {
			last = i
		}
	}
	if last >= 0 {
		r.HasMFAAllowed = true
		if last == len(r.Ages)-1 {
			r.NoAgeLimit = true
		} else {
			r.MaxAge = r.Ages[last+1].Scenario.Age - 1
		}
	}

	without := r.LongTermKeys.Allowed() || r.SessionWithoutMFA.Allowed()
	switch {
	case without && !r.Fresh.Allowed():
		r.Verdict = Inverted
	case without:
		r.Verdict = NotRequired
	case r.HasMFAAllowed:
		r.Verdict = Required
	default:
		r.Verdict = NeverAllowed
	}
	if r.LongTermKeys.Allowed() || r.SessionWithoutMFA.Allowed() {
		r.Bypasses = bypasses(e, base, r)
	}
}

// bypasses explains why a request without MFA is allowed where a stricter
// one is denied: for long-term keys, compared with a session without MFA if
// that is denied; for either, compared with the first MFA age that is
// denied. It reports Deny statements that are skipped because the MFA key
// is absent, and Allow statements that let an absent key through with
// ...IfExists.
func bypasses(e *evaluator.Engine, base *request.Context, r *Result) []Bypass {
	lt := base.Clone()
	lt.SetLongTermKeys()
	tmp := base.Clone()
	tmp.SetSessionWithoutMFA()
	var deniedAge *request.Context
	for _, o := range r.Ages {
		if !o.Decision.Allowed() {
			deniedAge = base.Clone()
			deniedAge.SetSessionWithMFA(time.Duration(o.Scenario.Age) * time.Second)
			break
		}
	}
	type pair struct{ loose, strict *request.Context }
	var pairs []pair
	if r.LongTermKeys.Allowed() {
		if !r.SessionWithoutMFA.Allowed() {
			pairs = append(pairs, pair{lt, tmp})
		} else if deniedAge != nil {
			pairs = append(pairs, pair{lt, deniedAge})
		}
	}
	if r.SessionWithoutMFA.Allowed() && deniedAge != nil {
		pairs = append(pairs, pair{tmp, deniedAge})
	}
	// a Deny that applies to a fresh MFA session too is no MFA requirement
	// that long-term keys slip past (a Deny on aws:MultiFactorAuthPresent
	// "true" denies MFA sessions: the policy is inverted, and no ...IfExists
	// makes it require MFA)
	var fresh *evaluator.Explanation
	var out []Bypass
	seen := map[string]bool{}
	for _, pr := range pairs {
		// only the statements that match the action can be skipped or
		// slip through; both traces list the same ones
		loose, strict := e.ExplainMatching(pr.loose), e.ExplainMatching(pr.strict)
		for i, trS := range strict.Statements {
			trL := loose.Statements[i]
			var b Bypass
			switch {
			case trS.Effect == policy.Deny && trS.Reason == evaluator.Applied &&
				trL.Reason == evaluator.ConditionFailed && trL.KeyMissing:
				if fresh == nil {
					f := base.Clone()
					f.SetSessionWithMFA(0)
					t := e.ExplainMatching(f)
					fresh = &t
				}
				if i < len(fresh.Statements) && fresh.Statements[i].Reason == evaluator.Applied {
					continue
				}
				b = Bypass{Statement: trL.MatchedStatement, Clause: trL.Clause, Kind: "deny-skipped", Fix: fixFor(trL.Clause, true)}
			case trL.Effect == policy.Allow && trL.Reason == evaluator.Applied &&
				trS.Reason == evaluator.ConditionFailed && trS.Clause != nil && absent(pr.loose, trS.Clause.Key):
				b = Bypass{Statement: trL.MatchedStatement, Clause: trS.Clause, Kind: allowKind(trS.Clause), Fix: fixFor(trS.Clause, false)}
			default:
				continue
			}
			id := fmt.Sprintf("%s#%d", b.Statement.PolicyID, b.Statement.Index)
			if !seen[id] {
				seen[id] = true
				out = append(out, b)
			}
		}
	}
	return out
}

// absent reports a key the request does not carry: the loose request's
// condition that the strict one fails is then true because the key is
// absent.
func absent(r *request.Context, key string) bool {
	_, ok := r.Lookup(key)
	return !ok
}

// allowKind names why an Allow's condition is true on an absent key.
func allowKind(c *policy.Clause) string {
	switch {
	case c.Op.IfExists:
		return "allow-ifexists"
	case c.Op.Qualifier == condition.ForAllValues:
		return "allow-forallvalues"
	}
	return "allow-absent-key"
}

func fixFor(c *policy.Clause, deny bool) string {
	if c == nil {
		return "test the MFA key so that an absent key counts as no MFA"
	}
	op := c.Op
	switch {
	case deny && !op.IfExists:
		op.IfExists = true
		return fmt.Sprintf("use %s instead of %s, so that requests without the key (long-term access keys) are denied too", op, c.Operator)
	case !deny && op.IfExists:
		op.IfExists = false
		return fmt.Sprintf("use %s instead of %s, so that requests without the key (long-term access keys) are not allowed", op, c.Operator)
	case !deny && op.Qualifier == condition.ForAllValues:
		op.Qualifier = condition.NoQualifier
		return fmt.Sprintf("use %s instead of %s (ForAllValues: is true when the key is absent), so that requests without the key (long-term access keys) are not allowed", op, c.Operator)
	case !deny && strings.EqualFold(c.Key, request.KeyMultiFactorAuthPresent):
		return fmt.Sprintf("use {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}} instead of %s, which is true when the key is absent (long-term access keys)", c.Operator)
	}
	return "add a Deny with BoolIfExists {\"aws:MultiFactorAuthPresent\": \"false\"}"
}
