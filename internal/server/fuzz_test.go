package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzDecide sends arbitrary bodies to POST /v1/decide, as one request or a
// batch (application/json) and as a stream (application/x-ndjson): the
// handler never panics, answers a known status, and every answer, or every
// line of a stream's, is JSON with a result or an error.
//
//	go test -run '^$' -fuzz '^FuzzDecide$' -fuzztime 30s ./internal/server/
func FuzzDecide(f *testing.F) {
	for _, seed := range []string{
		`{"policySet": "a", "action": "s3:GetObject", "resource": "*"}`,
		`{"policySet": "b", "requests": [{"action": "s3:GetObject", "resource": "*", "principal": "arn:aws:iam::123456789012:user/alice"}, 7, null, {}]}`,
		`{"action": "s3:GetObject", "resource": "*", "policySet": "a", "context": {"aws:MultiFactorAuthAge": 300, "aws:TagKeys": ["x", true], "s3:prefix": "a"}}`,
		`{"action": "s3:GetObject", "resource": "*", "policySet": "a", "context": [{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.0.0.1"], "ContextKeyType": "ip"}]}`,
		"{\"action\": \"s3:GetObject\", \"resource\": \"*\"}\n\n{\"policySet\": \"a\"}\n[",
		`{"policySet": "a", "action": "s3:GetObject", "resource": "*", "principal": "anonymous"}`,
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	dir := writeFiles(f, map[string]string{
		"a.json": statementPolicy("A", "Allow", "s3:GetObject"),
		"b.json": `{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}}`,
	})
	s, err := New(Options{MaxBodyBytes: 4096, MaxBatch: 20}, Source{PolicySets: []SetSource{{"a", dir + "/a.json"}, {"b", dir + "/b.json"}}})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body string, stream bool) {
		req := httptest.NewRequest(http.MethodPost, "/v1/decide", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if stream {
			req.Header.Set("Content-Type", "application/x-ndjson")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case 200, 400, 404, 413:
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		out := w.Body.Bytes()
		lines := [][]byte{out}
		if stream {
			lines = bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
		}
		for _, l := range lines {
			if len(l) == 0 && stream {
				continue
			}
			var v map[string]any
			if err := json.Unmarshal(l, &v); err != nil {
				t.Fatalf("an answer that is not a JSON object: %q (%v)", l, err)
			}
			_, isErr := v["error"]
			_, isResult := v["evalDecision"]
			_, isBatch := v["results"]
			if isErr == (isResult || isBatch) {
				t.Fatalf("an answer that is neither a result nor an error: %s", l)
			}
		}
	})
}
