package mfa

import (
	"slices"
	"strings"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/request"
)

// DependsOn returns the context keys, other than the MFA keys, that r's
// decisions needed and its requests lacked, limited to the keys tested by
// statements that match the request in everything but their conditions
// (action, resource and principal), and to the keys of policy variables in
// Resource entries that did not match (an entry whose variable cannot be
// resolved matches no resource, and might with the key): giving those keys
// could change a decision, so r holds only for requests without them. Keys
// tested only by statements that do not apply for another reason are left
// out, as are aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge, whose
// absence is one of r's scenarios, and keys base's caller never carries in
// a live request (request.Principal.Lacks). base is the request r was computed from; the keys
// keep the order the engine reports them in.
func DependsOn(e *evaluator.Engine, base *request.Context, r *Result) []string {
	return dependsOn(e, base, nil, r)
}

// DependsOnIn is DependsOn decided on req itself rather than on a copy,
// for a caller that no longer reads req's MFA keys: they are changed, as
// AnalyzeInto changes them, and nothing else of req is. req is the request
// r was computed from.
func DependsOnIn(e *evaluator.Engine, req *request.Context, r *Result) []string {
	return dependsOn(e, req, req, r)
}

// AnalyzeDepends is Analyze and DependsOn of its result, decided on req
// itself rather than on copies: req's MFA keys are changed (each scenario
// sets its own; they are left as the last one set them), and nothing else
// of it. It is for a caller that makes a request to analyse it once. ages
// are the MFA ages to try, Ages(Thresholds(e)), which a caller deciding
// many requests with one engine finds once; nil finds them.
func AnalyzeDepends(e *evaluator.Engine, req *request.Context, ages []int64) (Result, []string) {
	var r Result
	deps := AnalyzeDependsInto(&r, e, req, ages)
	return r, deps
}

// AnalyzeDependsInto is AnalyzeDepends with the result made in r, whose
// every field is set anew: the room of r.Ages is reused, so a caller that
// analyses many requests one at a time and keeps none of their Results
// allocates the ages once (a Result's Ages are about 1.2 KB for five ages).
// What r held before is overwritten; copy a Result to keep it.
func AnalyzeDependsInto(r *Result, e *evaluator.Engine, req *request.Context, ages []int64) []string {
	if ages == nil {
		ages = Ages(Thresholds(e))
	}
	analyze(r, e, req, req, ages)
	return dependsOn(e, req, req, r)
}

// AnalyzeInto is Analyze decided on req itself, as AnalyzeDependsInto
// decides it (req's MFA keys are changed, ages are the ages to try, nil
// finds them, and the result is made in r, its room reused), for a caller
// that needs the keys it depends on only now and then (DependsOn).
func AnalyzeInto(r *Result, e *evaluator.Engine, req *request.Context, ages []int64) {
	if ages == nil {
		ages = Ages(Thresholds(e))
	}
	analyze(r, e, req, req, ages)
}

// dependsOn is DependsOn; req, when not nil, is a copy of base it may
// change (its MFA keys).
func dependsOn(e *evaluator.Engine, base, req *request.Context, r *Result) []string {
	// keys are told apart as their lower-case forms are (the keys of a
	// request are few: a scan, not a map)
	var candidates []string
	caller := request.ParsePrincipal(base.Principal)
	add := func(d *evaluator.Decision) {
		for _, k := range d.MissingContextValues() {
			if slices.ContainsFunc(candidates, func(c string) bool { return evaluator.SameKey(c, k) }) || isMFAKey(k) || caller.Lacks(k) {
				continue
			}
			candidates = append(candidates, k)
		}
	}
	add(&r.LongTermKeys)
	add(&r.SessionWithoutMFA)
	for i := range r.Ages {
		add(&r.Ages[i].Decision)
	}
	if len(candidates) == 0 {
		return nil
	}
	// Action, resource and principal do not depend on the MFA keys: one
	// trace tells which statements match but for their conditions.
	if req == nil {
		req = base.Clone()
	}
	req.SetSessionWithoutMFA()
	relevant := make([]bool, len(candidates))
	mark := func(key string) {
		for i, k := range candidates {
			if !relevant[i] && evaluator.SameKey(k, key) {
				relevant[i] = true
			}
		}
	}
	var needles []string // "${" and each candidate, lower-cased
	variables := func(text string) {
		if !strings.Contains(text, "${") {
			return
		}
		if needles == nil {
			for _, k := range candidates {
				needles = append(needles, "${"+strings.ToLower(k))
			}
		}
		text = strings.ToLower(text)
		for i, n := range needles {
			if !relevant[i] && strings.Contains(text, n) {
				relevant[i] = true
			}
		}
	}
	for tr := range e.MatchingTraces(req) {
		switch tr.Reason {
		case evaluator.ResourceMismatch:
			// an entry whose variable cannot be resolved matches no
			// resource (SPEC 4); with the key, it might match the
			// resource asked for
			if tr.Statement.Resource != nil {
				for _, v := range tr.Statement.Resource.Values {
					// an entry without variables names no key
					if strings.Contains(v.Text, "${") && couldMatch(v.Text, base.Resource) {
						variables(v.Text)
					}
				}
			}
		case evaluator.Applied, evaluator.ConditionFailed:
			for _, c := range tr.Statement.Conditions {
				mark(c.Key)
				for _, v := range c.Values {
					variables(v.Text)
				}
			}
		}
	}
	var out []string
	for i, k := range candidates {
		if relevant[i] {
			out = append(out, k)
		}
	}
	return out
}

func isMFAKey(k string) bool {
	return strings.EqualFold(k, request.KeyMultiFactorAuthPresent) || strings.EqualFold(k, request.KeyMultiFactorAuthAge)
}

// couldMatch reports whether a Resource entry holding policy variables
// could match resource for some values of them: the entry with each
// variable read as a wildcard matches it.
func couldMatch(entry, resource string) bool {
	var b strings.Builder
	for {
		i := strings.Index(entry, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(entry[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(entry[:i] + "*")
		entry = entry[i+j+1:]
	}
	b.WriteString(entry)
	p := condition.CompilePattern(b.String(), condition.PatternOptions{Wildcards: true})
	return p.Match(resource, false, nil)
}
