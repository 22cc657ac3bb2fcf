package iamapi

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/policy"
)

// Answer answers one Query API request, given as its form parameters (see
// ParseForm), and returns the HTTP status code, the XML body, and the
// results it decided: those of the page asked for alone (none for an error
// or a GetContextKeysFor* request).
// accts are the account snapshots SimulatePrincipalPolicy and
// GetContextKeysForPrincipalPolicy find PolicySourceArn in; requestID is
// the response's RequestId.
//
// Errors are IAM's ErrorResponse with the code and status AWS uses:
// InvalidInput (400) for a request AWS would refuse, NoSuchEntity (404) for
// a PolicySourceArn no snapshot holds, PolicyEvaluation (500) when a
// policy cannot be evaluated, and the common errors of ParseForm.
func Answer(form url.Values, accts []*account.Account, requestID string) (status int, body []byte, results []Result) {
	var buf bytes.Buffer
	resp, results, err := answer(form, accts)
	if err == nil {
		err = WriteXML(&buf, Operation(form.Get("Action")), resp, requestID)
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = Errorf(CodeInternalFailure, "%v", err)
		}
		buf.Reset()
		_ = WriteErrorXML(&buf, e, requestID) // a bytes.Buffer does not fail
		return e.HTTPStatus(), buf.Bytes(), nil
	}
	return http.StatusOK, buf.Bytes(), results
}

// answer decides a request and returns its result document.
func answer(form url.Values, accts []*account.Account) (any, []Result, error) {
	r, err := ParseForm(form)
	if err != nil {
		return nil, nil, err
	}
	var acct *account.Account
	if r.PolicySourceArn != "" {
		src, err := FindSource(accts, r.PolicySourceArn)
		if err != nil {
			return nil, nil, err
		}
		acct = src.Account
		switch r.Operation {
		case GetContextKeysForPrincipalPolicy:
			r.Set.Identity = append(src.PolicySet().Identity, r.Set.Identity...)
		default:
			r.WithSource(src)
		}
	}
	switch r.Operation {
	case GetContextKeysForCustomPolicy, GetContextKeysForPrincipalPolicy:
		keys, err := ContextKeys(r.Set.Identity)
		if err != nil {
			return nil, nil, evaluationError(err)
		}
		return &GetContextKeysForPolicyResponse{ContextKeyNames: keys}, nil, nil
	}
	if err := r.CheckDecidable(acct != nil); err != nil {
		return nil, nil, err
	}
	sim, err := NewSimulation(r.Set, acct)
	if err != nil {
		return nil, nil, evaluationError(err)
	}
	// only the page asked for is decided
	from, to, next, err := r.Page(r.Pairs(), Digest(form))
	if err != nil {
		return nil, nil, err
	}
	results, err := sim.SimulateRange(r, from, to)
	if err != nil {
		return nil, nil, evaluationError(err)
	}
	page := make([]EvaluationResult, len(results))
	for i := range results {
		page[i] = results[i].EvaluationResult()
	}
	return &SimulatePolicyResponse{EvaluationResults: page, IsTruncated: next != "", Marker: next}, results, nil
}

// evaluationError is the error for policies that parsed but cannot be
// compiled together (an RCP that allows, say): InvalidInput, as the
// request is what is wrong; anything else is PolicyEvaluation.
func evaluationError(err error) error {
	var list policy.ErrorList
	if errors.As(err, &list) {
		return Errorf(CodeInvalidInput, "%v", err)
	}
	return Errorf(CodePolicyEvaluation, "%v", err)
}
