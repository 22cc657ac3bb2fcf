package evaluator

import (
	"iter"
	"slices"
	"strings"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Reason says why a statement did not apply to a request.
type Reason uint8

// Reasons, in the order the tests are made.
const (
	// Applied: the statement applied.
	Applied Reason = iota
	// ActionMismatch: the action is not in Action (or is in NotAction).
	ActionMismatch
	// ResourceMismatch: the resource is not in Resource (or is in
	// NotResource), including an entry whose policy variable the request
	// cannot resolve.
	ResourceMismatch
	// PrincipalMismatch: the caller is not named by Principal (or is
	// excluded by NotPrincipal).
	PrincipalMismatch
	// ConditionFailed: a condition clause was false.
	ConditionFailed
	// NotForAnonymous: the statement is in a policy of the caller's side
	// (identity, boundary, session policy, SCP), which does not apply to
	// an anonymous request.
	NotForAnonymous
	// NotAccountPrincipal: the statement is in a policy of the caller's
	// side, which does not apply to a service principal or a
	// web-identity or SAML caller (no principal of an account).
	NotAccountPrincipal
)

// String names the reason.
func (r Reason) String() string {
	switch r {
	case ActionMismatch:
		return "action"
	case ResourceMismatch:
		return "resource"
	case PrincipalMismatch:
		return "principal"
	case ConditionFailed:
		return "condition"
	case NotForAnonymous:
		return "anonymous"
	case NotAccountPrincipal:
		return "notAccountPrincipal"
	}
	return "applied"
}

// StatementTrace is what one statement said about a request.
type StatementTrace struct {
	MatchedStatement
	// Statement is the statement itself, as parsed.
	Statement *policy.Statement
	// Reason is Applied, or the first test the statement failed.
	Reason Reason
	// Clause is the condition clause that was false, for ConditionFailed.
	Clause *policy.Clause
	// KeyMissing reports whether the failed clause's key was absent from
	// the request.
	KeyMissing bool
	// MissingVariables, for ResourceMismatch, are the keys of the policy
	// variables of its Resource or NotResource entries that the request
	// lacks: an entry whose variable cannot be resolved (and has no
	// default) matches nothing, which may be why the resource did not
	// match.
	MissingVariables []string
}

// Explanation is a decision with the trace of every statement.
type Explanation struct {
	Decision   Decision
	Statements []StatementTrace
}

// Explain decides req like Evaluate and also reports, for every statement of
// every policy, whether it applied and, if not, the first reason. It
// allocates; use Evaluate on hot paths.
func (e *Engine) Explain(req *request.Context) Explanation {
	return e.explain(req, false)
}

// ExplainMatching is Explain with the traces of only the statements whose
// Action or NotAction matches req's action, in the same order: every other
// statement's trace says ActionMismatch and nothing more. An analysis that
// reads only the statements that match (those that applied, or failed on
// their resource, principal or conditions) gets what Explain gives it, and
// the traces of a long policy set are not built for nothing.
func (e *Engine) ExplainMatching(req *request.Context) Explanation {
	return e.explain(req, true)
}

// MatchingTraces yields the traces ExplainMatching lists, in the same
// order, without deciding req or keeping the traces: for an analysis that
// reads each trace once (which statements match a request but for their
// conditions, say). The traces it yields allocate what ExplainMatching's
// do (a condition's clause, the variables a Resource entry lacks); the
// walk itself allocates nothing.
func (e *Engine) MatchingTraces(req *request.Context) iter.Seq[StatementTrace] {
	return func(yield func(StatementTrace) bool) {
		if e == nil || req == nil {
			return
		}
		var in reqInfo
		in.read(req)
		var scratch Decision
		e.eachActionMatch(req.Action, func(pi int, si int32) bool {
			return yield(e.trace(e.pols[pi], int(si), req, &in, &scratch))
		})
	}
}

func (e *Engine) explain(req *request.Context, matching bool) Explanation {
	ex := Explanation{Decision: e.Evaluate(req)}
	if e == nil || req == nil {
		return ex
	}
	if matching {
		// the statements whose action matches, in the same order
		ex.Statements = slices.Collect(e.MatchingTraces(req))
		return ex
	}
	var in reqInfo
	in.read(req)
	var scratch Decision
	for _, cp := range e.pols {
		for si := range cp.stmts {
			ex.Statements = append(ex.Statements, e.trace(cp, si, req, &in, &scratch))
		}
	}
	return ex
}

// trace is the trace of statement si of cp for req.
func (e *Engine) trace(cp *cpolicy, si int, req *request.Context, in *reqInfo, scratch *Decision) StatementTrace {
	s := &cp.stmts[si]
	src := cp.src.Statements[si]
	in.keyMap = cp.keyMap
	_, why, ci := e.check(s, cp.typ, req, in, scratch)
	if in.caller.Kind.Identityless() && cp.typ != TypeResource && cp.typ != TypeRCP {
		why, ci = uint8(NotAccountPrincipal), -1
		if in.caller.Kind == request.PrincipalAnonymous {
			why = uint8(NotForAnonymous)
		}
	}
	start, end := cp.src.Braces(src)
	tr := StatementTrace{MatchedStatement: MatchedStatement{
		PolicyID: cp.src.Name, PolicyType: cp.typ, Level: cp.level,
		Index: src.Index, Sid: src.Sid, Effect: src.Effect, Start: start, End: end,
	}, Statement: src, Reason: Reason(why)}
	if why == whyResource {
		tr.MissingVariables = missingVariables(s, req)
	}
	if why == whyCondition {
		tr.Clause = clauseOf(src, s.conds[ci])
		if tr.Clause != nil {
			_, present := req.Lookup(tr.Clause.Key)
			tr.KeyMissing = !present
		}
	}
	return tr
}

func clauseOf(s *policy.Statement, c *condition.Condition) *policy.Clause {
	for _, cl := range s.Conditions {
		if cl.Cond == c {
			return cl
		}
	}
	return nil
}

// missingVariables returns the keys of s's Resource variables that req
// lacks and that have no default.
func missingVariables(s *cstmt, req *request.Context) []string {
	var out []string
	for i := range s.resources {
		rp := &s.resources[i]
		_, a := rp.parts[5].Render(req)
		_, b := rp.whole.Render(req)
		for _, k := range append(a, b...) {
			dup := false
			for _, x := range out {
				dup = dup || strings.EqualFold(x, k)
			}
			if !dup {
				out = append(out, k)
			}
		}
	}
	return out
}
