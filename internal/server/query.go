package server

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"github.com/iameval/iameval/iamapi"
)

// apiQuery labels the Query API's decisions in the metrics.
const apiQuery = "query"

// queryAPI answers the IAM Query API: a form-encoded POST whose Action is
// SimulateCustomPolicy, SimulatePrincipalPolicy,
// GetContextKeysForCustomPolicy or GetContextKeysForPrincipalPolicy, as the
// AWS SDKs and the AWS CLI send it (signed with SigV4: the signature is not
// checked, any credentials are accepted). st is the State the request
// decides against, loaded once: SimulatePrincipalPolicy finds its principal
// among st's accounts. iamapi.Answer decides, as "iameval simulate" does;
// every answer carries a RequestId, in the document and in the
// x-amzn-RequestId header.
func (s *Server) queryAPI(w http.ResponseWriter, r *http.Request, st *State) {
	id := newRequestID()
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		e := iamapi.Errorf(iamapi.CodeMalformedQueryString, "the form cannot be read: %v", err)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			e = iamapi.Errorf(iamapi.CodeRequestEntityTooLarge, "the request body is larger than %d bytes (--max-body)", tooLarge.Limit)
		}
		writeQueryError(w, e, id)
		return
	}
	status, body, results := iamapi.Answer(r.Form, st.Accounts, id)
	for i := range results {
		s.countDecision(apiQuery, results[i].Decision.Verdict)
	}
	writeXML(w, status, body, id)
}

// writeQueryBusy answers 503 ServiceUnavailable as IAM's ErrorResponse.
func writeQueryBusy(w http.ResponseWriter, limit int) {
	writeQueryError(w, iamapi.Errorf(iamapi.CodeServiceUnavailable, "busy: %d requests in progress, the limit; retry later", limit), newRequestID())
}

// writeQueryError answers e as IAM's ErrorResponse.
func writeQueryError(w http.ResponseWriter, e *iamapi.Error, id string) {
	var b bytes.Buffer
	_ = iamapi.WriteErrorXML(&b, e, id) // a bytes.Buffer does not fail
	writeXML(w, e.HTTPStatus(), b.Bytes(), id)
}

// writeXML answers an XML document with status.
func writeXML(w http.ResponseWriter, status int, body []byte, id string) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", id)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body)
}

// newRequestID returns a random RequestId in AWS's form (a UUID).
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:])
}
