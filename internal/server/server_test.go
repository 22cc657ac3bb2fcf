package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// forceMFA is the CLI's bundled force-MFA example policy.
const forceMFA = "../../cmd/iameval/example/force-mfa.json"

const alice = "arn:aws:iam::123456789012:user/alice"

// writeFiles writes name -> content under a new temporary directory (names
// may hold slashes) and returns the directory.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// allowPolicy is a policy with one statement of effect on actions.
func statementPolicy(sid, effect string, actions ...string) string {
	a, _ := json.Marshal(actions)
	return fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [{"Sid": %q, "Effect": %q, "Action": %s, "Resource": "*"}]}`, sid, effect, a)
}

// newTestServer starts s's handler on an httptest server.
func newTestServer(t *testing.T, opts Options, src Source) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(opts, src)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// post sends body to url with the content type and returns the status and
// the body.
func post(t *testing.T, url, contentType, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// answer is a decision answer as a client reads it.
type answer struct {
	PolicySet         string `json:"policySet"`
	Generation        uint64 `json:"generation"`
	EvalDecision      string `json:"evalDecision"`
	Allowed           bool   `json:"allowed"`
	MatchedStatements []struct {
		SourcePolicyID string `json:"sourcePolicyId"`
		Sid            string `json:"sid"`
		StartPosition  struct {
			Line, Column int
		} `json:"startPosition"`
	} `json:"matchedStatements"`
	MissingContextValues []string `json:"missingContextValues"`
	Error                *struct {
		Code, Message string
	} `json:"error"`
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%v in %s", err, s)
	}
	return v
}

// TestDecideForceMFA decides the force-MFA example as the evaluator does,
// for a request as given: with MFA, without, with long-term keys (no MFA
// key at all), and without aws:username, which the server never derives.
func TestDecideForceMFA(t *testing.T) {
	_, ts := newTestServer(t, Options{}, Source{PolicySets: []SetSource{{"mfa", forceMFA}}})
	data, err := os.ReadFile(forceMFA)
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(forceMFA, data)
	if err != nil {
		t.Fatal(err)
	}
	engine, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		context string
		keys    map[string]string // the same keys, for the evaluator
		want    string
		sid     string
		missing []string
	}{
		{"mfa", `{"aws:username": "alice", "aws:MultiFactorAuthPresent": "true"}`,
			map[string]string{"aws:username": "alice", "aws:MultiFactorAuthPresent": "true"}, "allowed", "AllowManageOwnAccessKeys", nil},
		{"mfa as JSON boolean", `{"aws:username": "alice", "aws:MultiFactorAuthPresent": true}`,
			map[string]string{"aws:username": "alice", "aws:MultiFactorAuthPresent": "true"}, "allowed", "AllowManageOwnAccessKeys", nil},
		{"session without mfa", `[{"ContextKeyName": "aws:username", "ContextKeyValues": ["alice"], "ContextKeyType": "string"},
			{"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["false"], "ContextKeyType": "boolean"}]`,
			map[string]string{"aws:username": "alice", "aws:MultiFactorAuthPresent": "false"}, "explicitDeny", "DenyAllExceptListedIfNoMFA", nil},
		{"long-term keys", `{"aws:username": "alice"}`,
			map[string]string{"aws:username": "alice"}, "explicitDeny", "DenyAllExceptListedIfNoMFA", []string{"aws:MultiFactorAuthPresent"}},
		{"nothing derived from the principal", `{"aws:MultiFactorAuthPresent": "true"}`,
			map[string]string{"aws:MultiFactorAuthPresent": "true"}, "implicitDeny", "", []string{"aws:username"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := fmt.Sprintf(`{"principal": %q, "action": "iam:CreateAccessKey", "resource": %q, "context": %s}`, alice, alice, tc.context)
			code, out := post(t, ts.URL+"/v1/decide", "application/json", body)
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, out)
			}
			got := decode[answer](t, out)
			rc := &request.Context{Principal: alice, Action: "iam:CreateAccessKey", Resource: alice}
			for k, v := range tc.keys {
				typ, _ := request.GlobalKeyType(k)
				if err := rc.Set(k, typ, v); err != nil {
					t.Fatal(err)
				}
			}
			d := engine.Evaluate(rc)
			if got.EvalDecision != d.Verdict.String() || got.EvalDecision != tc.want || got.Allowed != (tc.want == "allowed") {
				t.Errorf("evalDecision %s (allowed %v); the evaluator says %s; want %s", got.EvalDecision, got.Allowed, d.Verdict, tc.want)
			}
			if got.PolicySet != "mfa" || got.Generation != 1 {
				t.Errorf("policySet %q generation %d, want mfa 1", got.PolicySet, got.Generation)
			}
			var sids, wantSids []string
			for _, m := range got.MatchedStatements {
				sids = append(sids, m.Sid)
				if m.SourcePolicyID != forceMFA || m.StartPosition.Line == 0 {
					t.Errorf("matched statement %+v: want its policy and position", m)
				}
			}
			for _, m := range d.MatchedStatements() {
				wantSids = append(wantSids, m.Sid)
			}
			if tc.sid != "" && (len(sids) != 1 || sids[0] != tc.sid) || !cmp.Equal(sids, wantSids) {
				t.Errorf("matched %q; the evaluator %q; want %q", sids, wantSids, tc.sid)
			}
			if !cmp.Equal(got.MissingContextValues, append([]string{}, d.MissingContextValues()...)) || len(tc.missing) > 0 && !cmp.Equal(got.MissingContextValues, tc.missing) {
				t.Errorf("missingContextValues %q; the evaluator %q; want %q", got.MissingContextValues, d.MissingContextValues(), tc.missing)
			}
		})
	}
}

// twoSets loads set "a" (allows s3:GetObject) and set "b" (denies it).
func twoSets(t *testing.T) Source {
	dir := writeFiles(t, map[string]string{
		"a.json": statementPolicy("AllowGet", "Allow", "s3:GetObject"),
		"b.json": statementPolicy("DenyGet", "Deny", "s3:GetObject"),
	})
	return Source{PolicySets: []SetSource{{"a", filepath.Join(dir, "a.json")}, {"b", filepath.Join(dir, "b.json")}}}
}

func TestDecideBatch(t *testing.T) {
	_, ts := newTestServer(t, Options{}, twoSets(t))
	body := `{"policySet": "a", "requests": [
		{"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key"},
		{"policySet": "b", "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key"},
		{"action": "s3:PutObject", "resource": "*"},
		{"policySet": "nope", "action": "s3:GetObject", "resource": "*"},
		{"action": "s3:GetObject", "resource": "*", "colour": "red"},
		{"policySet": "a", "action": "s3:GetObject"}
	]}`
	code, out := post(t, ts.URL+"/v1/decide", "application/json", body)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, out)
	}
	got := decode[struct {
		Generation uint64
		Results    []answer
	}](t, out)
	if got.Generation != 1 || len(got.Results) != 6 {
		t.Fatalf("generation %d, %d results: %s", got.Generation, len(got.Results), out)
	}
	want := []struct{ set, decision, errCode, errHas string }{
		{"a", "allowed", "", ""},
		{"b", "explicitDeny", "", ""},
		{"a", "implicitDeny", "", ""},
		{"", "", "NoSuchEntity", `requests[3]: no policy set "nope"`},
		{"", "", "InvalidInput", `requests[4]: unknown field "colour"`},
		{"", "", "InvalidInput", "requests[5]: resource is missing"},
	}
	for i, w := range want {
		r := got.Results[i]
		if r.PolicySet != w.set || r.EvalDecision != w.decision {
			t.Errorf("result %d: %s %s, want %s %s", i, r.PolicySet, r.EvalDecision, w.set, w.decision)
		}
		if w.errCode == "" && r.Error != nil || w.errCode != "" && (r.Error == nil || r.Error.Code != w.errCode || !strings.Contains(r.Error.Message, w.errHas)) {
			t.Errorf("result %d: error %+v, want %s %q", i, r.Error, w.errCode, w.errHas)
		}
	}
}

// streamReply is the response to a stream, when it arrives.
type streamReply struct {
	resp *http.Response
	err  error
}

// openStream starts an NDJSON stream to url and returns the writer of its
// body and the channel its response arrives on.
func openStream(t *testing.T, url string) (*io.PipeWriter, <-chan streamReply) {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, url, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	replies := make(chan streamReply, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		replies <- streamReply{resp, err}
	}()
	return pw, replies
}

// TestDecideStream sends a stream through a pipe and reads the first answer
// before it sends the rest: answers are flushed as they are decided.
func TestDecideStream(t *testing.T) {
	_, ts := newTestServer(t, Options{MaxBodyBytes: 1024}, twoSets(t))
	pw, answers := openStream(t, ts.URL+"/v1/decide?policySet=a")
	line := `{"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key"}` + "\n"
	if _, err := io.WriteString(pw, line); err != nil {
		t.Fatal(err)
	}
	var resp *http.Response
	select {
	case a := <-answers:
		if a.err != nil {
			t.Fatal(a.err)
		}
		resp = a.resp
	case <-time.After(10 * time.Second):
		t.Fatal("no answer to the stream's first line while the body is still open")
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "application/x-ndjson" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, ct)
	}
	sc := bufio.NewScanner(resp.Body)
	first := make(chan string, 1)
	go func() {
		if sc.Scan() {
			first <- sc.Text()
		}
		close(first)
	}()
	select {
	case l := <-first:
		if r := decode[answer](t, l); r.EvalDecision != "allowed" || r.Generation != 1 {
			t.Fatalf("first answer %s", l)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the first answer was not flushed before the rest of the stream was sent")
	}
	const more = 500
	go func() {
		w := bufio.NewWriter(pw)
		for i := range more {
			switch {
			case i == 10:
				w.WriteString("\n") // blank: skipped
				w.WriteString(`{"action": "s3:GetObject", "resource": "*", "policySet": "b"}` + "\n")
			case i == 20:
				w.WriteString(`{"action": ` + "\n")
			case i == 30:
				w.WriteString(`{"action": "s3:GetObject", "resource": "` + strings.Repeat("x", 2000) + `"}` + "\n")
			default:
				w.WriteString(line)
			}
		}
		w.Flush()
		pw.Close()
	}()
	n := 1
	for sc.Scan() {
		n++
		r := decode[answer](t, sc.Text())
		switch i := n - 2; i {
		case 10:
			if r.EvalDecision != "explicitDeny" || r.PolicySet != "b" {
				t.Errorf("line %d: %s", n, sc.Text())
			}
		case 20:
			if r.Error == nil || r.Error.Code != "InvalidInput" || !strings.Contains(r.Error.Message, "line ") {
				t.Errorf("a bad line: %s", sc.Text())
			}
		case 30:
			if r.Error == nil || r.Error.Code != "RequestTooLarge" {
				t.Errorf("a line over the limit: %s", sc.Text())
			}
		default:
			if r.EvalDecision != "allowed" {
				t.Errorf("line %d: %s", n, sc.Text())
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != more+1 {
		t.Errorf("%d answers, want %d (one per request line)", n, more+1)
	}
}

// TestDecideStreamQuery: ?stream=1 makes a JSON body a stream, and
// ?policySet its default set.
func TestDecideStreamQuery(t *testing.T) {
	_, ts := newTestServer(t, Options{}, twoSets(t))
	resp, err := http.Post(ts.URL+"/v1/decide?stream=1&policySet=b", "application/json", strings.NewReader(
		`{"action": "s3:GetObject", "resource": "*"}`+"\n"+`{"action": "s3:GetObject", "resource": "*", "policySet": "a"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if resp.Header.Get("Content-Type") != "application/x-ndjson" || len(lines) != 2 ||
		decode[answer](t, lines[0]).EvalDecision != "explicitDeny" || decode[answer](t, lines[1]).EvalDecision != "allowed" {
		t.Errorf("%s %q", resp.Header.Get("Content-Type"), b)
	}
}

// TestDecideErrors: each wrong request gets its status and a JSON error
// that says what is wrong and where.
func TestDecideErrors(t *testing.T) {
	_, ts := newTestServer(t, Options{MaxBodyBytes: 4096, MaxBatch: 3}, twoSets(t))
	_, one := newTestServer(t, Options{}, Source{PolicySets: []SetSource{{"only", forceMFA}}})
	ok := `{"policySet": "a", "action": "s3:GetObject", "resource": "*"}`
	for _, tc := range []struct {
		name, method, url, ctype, body string
		status                         int
		code, has                      string
	}{
		{"bad JSON", "POST", "", "application/json", "{\n  \"action\": \"s3:GetObject\",\n  \"resource\" \"*\"}", 400, "InvalidInput", "line 3, column 14"},
		{"cut short", "POST", "", "application/json", `{"action": "s3:GetObject"`, 400, "InvalidInput", "unexpected end"},
		{"text after", "POST", "", "application/json", ok + ` {}`, 400, "InvalidInput", "text after the JSON value"},
		{"wrong type", "POST", "", "application/json", `{"policySet": "a", "action": 7, "resource": "*"}`, 400, "InvalidInput", "action at line 1, column 30"},
		{"wrong type, a list", "POST", "", "application/json", `{"policySet": "a",` + "\n" + `"action": ["s3:GetObject"], "resource": "*"}`, 400, "InvalidInput", "action at line 2, column 11"},
		{"wrong type, a string", "POST", "", "application/json", `{"policySet": "a", "requests": "all"}`, 400, "InvalidInput", "requests at line 1, column 32 (byte 31): want a list, not a string"},
		{"unknown field", "POST", "", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "Actions": []}`, 400, "InvalidInput", `unknown field "Actions"`},
		{"empty", "POST", "", "application/json", ``, 400, "InvalidInput", "empty"},
		{"no action", "POST", "", "application/json", `{"policySet": "a", "resource": "*"}`, 400, "InvalidInput", "action is missing"},
		{"bad action", "POST", "", "application/json", `{"policySet": "a", "action": "GetObject", "resource": "*"}`, 400, "InvalidInput", `action "GetObject"`},
		{"no resource", "POST", "", "application/json", `{"policySet": "a", "action": "s3:GetObject"}`, 400, "InvalidInput", "resource is missing"},
		{"bad principal", "POST", "", "application/json", `{"policySet": "a", "principal": "alice", "action": "s3:GetObject", "resource": "*"}`, 400, "InvalidInput", `principal "alice"`},
		{"bad context", "POST", "", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": "mfa"}`, 400, "InvalidInput", "context: want"},
		{"bad context value", "POST", "", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": {"aws:MultiFactorAuthPresent": "yes"}}`, 400, "InvalidInput", `aws:MultiFactorAuthPresent`},
		{"list for a single key", "POST", "", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": ["1.2.3.4"]}}`, 400, "InvalidInput", `not a list`},
		{"context entry without type", "POST", "", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": [{"ContextKeyName": "s3:prefix", "ContextKeyValues": ["a"]}]}`, 400, "InvalidInput", `ContextKeyType is missing`},
		{"key twice", "POST", "", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": {"s3:prefix": "a", "S3:Prefix": "b"}}`, 400, "InvalidInput", `given twice`},
		{"unknown set", "POST", "", "application/json", `{"policySet": "c", "action": "s3:GetObject", "resource": "*"}`, 404, "NoSuchEntity", `no policy set "c": the sets are "a", "b"`},
		{"set missing, several", "POST", "", "application/json", `{"action": "s3:GetObject", "resource": "*"}`, 400, "InvalidInput", `policySet is missing, and 2 sets are loaded: name one of "a", "b"`},
		{"batch with a request's members", "POST", "", "application/json", `{"action": "s3:GetObject", "requests": []}`, 400, "InvalidInput", "a batch takes policySet and requests only"},
		{"batch too large", "POST", "", "application/json", `{"policySet": "a", "requests": [{}, {}, {}, {}]}`, 413, "RequestTooLarge", "the limit is 3"},
		{"body too large", "POST", "", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "` + strings.Repeat("x", 5000) + `"}`, 413, "RequestTooLarge", "over 4096 bytes"},
		{"wrong method", "GET", "", "", "", 405, "MethodNotAllowed", "want POST"},
		{"wrong content type", "POST", "", "text/plain", ok, 415, "UnsupportedMediaType", "text/plain"},
		{"form content type", "POST", "", "application/x-www-form-urlencoded", ok, 415, "UnsupportedMediaType", "-H 'Content-Type: application/json'"},
		{"unknown route", "GET", "/v2/decide", "", "", 404, "NotFound", "no route GET /v2/decide"},
		{"GET /", "GET", "/", "", "", 405, "MethodNotAllowed", "IAM Query API"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := ts.URL + "/v1/decide"
			if tc.url != "" {
				url = ts.URL + tc.url
			}
			req, err := http.NewRequest(tc.method, url, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			got := decode[answer](t, string(b))
			if resp.StatusCode != tc.status || got.Error == nil || got.Error.Code != tc.code || !strings.Contains(got.Error.Message, tc.has) {
				t.Errorf("status %d, %s\nwant %d %s with %q", resp.StatusCode, b, tc.status, tc.code, tc.has)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.status == 405 && resp.Header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
	// one set loaded: it is used when none is named, and named in the answer
	code, out := post(t, one.URL+"/v1/decide", "application/json", `{"action": "iam:ListVirtualMFADevices", "resource": "*", "context": {"aws:MultiFactorAuthPresent": "false"}}`)
	if r := decode[answer](t, out); code != 200 || r.PolicySet != "only" || r.EvalDecision != "allowed" {
		t.Errorf("the only set: %d %s", code, out)
	}
}

// TestQueryRoute: a form-encoded POST reaches the Query API with the state.
func TestQueryRoute(t *testing.T) {
	_, ts := newTestServer(t, Options{}, twoSets(t))
	for _, path := range []string{"/", "/some/path"} {
		code, _ := post(t, ts.URL+path, "application/x-www-form-urlencoded", "Action=SimulateCustomPolicy&Version=2010-05-08")
		if code == http.StatusNotFound || code == http.StatusMethodNotAllowed {
			t.Errorf("POST %s (form): status %d, want the Query API's", path, code)
		}
	}
}

func TestHealthz(t *testing.T) {
	src := twoSets(t)
	src.Accounts = []string{"../../testdata/account/example-account.json"}
	_, ts := newTestServer(t, Options{}, src)
	code, out := get(t, ts.URL+"/healthz")
	h := decode[health](t, out)
	if code != 200 || h.Status != "ok" || h.Generation != 1 || h.Accounts != 1 || len(h.PolicySets) != 2 ||
		h.PolicySets[0].Name != "a" || h.PolicySets[0].Policies != 1 || len(h.PolicySets[0].Digest) != 64 || time.Since(h.LoadedAt) > time.Minute {
		t.Errorf("status %d: %s", code, out)
	}
}

// TestMetrics scrapes /metrics and checks that the counters moved.
func TestMetrics(t *testing.T) {
	s, ts := newTestServer(t, Options{}, twoSets(t))
	post(t, ts.URL+"/v1/decide", "application/json", `{"policySet": "a", "requests": [{"action": "s3:GetObject", "resource": "*"}, {"action": "s3:GetObject", "resource": "*"}]}`)
	post(t, ts.URL+"/v1/decide", "application/json", `{"policySet": "b", "action": "s3:GetObject", "resource": "*"}`)
	post(t, ts.URL+"/v1/decide", "text/plain", `{}`)
	if got := testutil.ToFloat64(s.m.decisions.WithLabelValues("decide", "allowed")); got != 2 {
		t.Errorf("allowed decisions %v, want 2", got)
	}
	code, out := get(t, ts.URL+"/metrics")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{
		`iameval_decisions_total{api="decide",decision="allowed"} 2`,
		`iameval_decisions_total{api="decide",decision="explicitDeny"} 1`,
		`iameval_decisions_total{api="decide",decision="implicitDeny"} 0`,
		`iameval_http_requests_total{code="200",route="decide"} 2`,
		`iameval_http_requests_total{code="415",route="decide"} 1`,
		`iameval_http_request_duration_seconds_count{route="decide"} 3`,
		`iameval_http_requests_in_flight 1`, // the scrape itself
		`iameval_reloads_total{result="failure"} 0`,
		`iameval_state_generation 1`,
		`iameval_state_loaded_timestamp_seconds `,
		`go_goroutines `,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// two servers, two registries: nothing is shared
	s2, err := New(Options{}, twoSets(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(s2.m.decisions.WithLabelValues("decide", "allowed")); got != 0 {
		t.Errorf("a new server counts %v decisions", got)
	}
}

// TestConcurrencyLimit: beyond MaxConcurrent, a request waits, then gets
// 503 when no slot frees in time.
func TestConcurrencyLimit(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxConcurrent: 1, QueueTimeout: 50 * time.Millisecond}, twoSets(t))
	s.sem <- struct{}{} // the one slot, taken
	code, out := post(t, ts.URL+"/v1/decide", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*"}`)
	if code != http.StatusServiceUnavailable || !strings.Contains(out, "ServiceUnavailable") {
		t.Errorf("status %d: %s", code, out)
	}
	if code, _ := get(t, ts.URL+"/healthz"); code != 200 {
		t.Errorf("healthz is not limited, got %d", code)
	}
	<-s.sem
	if code, out := post(t, ts.URL+"/v1/decide", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*"}`); code != 200 {
		t.Errorf("with the slot free: %d %s", code, out)
	}
}

func TestLogs(t *testing.T) {
	var buf syncBuffer
	_, ts := newTestServer(t, Options{Logger: newTestLogger(&buf)}, twoSets(t))
	post(t, ts.URL+"/v1/decide", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*"}`)
	for _, want := range []string{"msg=request", "method=POST", "path=/v1/decide", "status=200", "duration=", "bytes="} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the request's log line lacks %s:\n%s", want, buf.String())
		}
	}
}

func TestSourceLoading(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"dir/b.json":          statementPolicy("B", "Allow", "s3:GetObject"),
		"dir/sub/a.json":      statementPolicy("A", "Allow", "s3:PutObject"),
		"dir/.hidden/x.json":  `not even JSON`,
		"dir/c.iamtest.json":  `not a policy`,
		"dir/notes.txt":       `not a policy`,
		"bad.json":            "{\"Version\": \"2012-10-17\", \"Statement\": [\n {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"NoSuchOperator\": {\"a\": \"b\"}}}]}",
		"suite/sets.json":     `{"policies": {"one": "p/one.json", "two": {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}}, "sets": {"x": {"identity": ["one"]}, "y": {"identity": ["one", "two"]}}}`,
		"suite/p/one.json":    statementPolicy("One", "Allow", "s3:*"),
		"suite/nosets.json":   `{"policies": {"one": "p/one.json"}}`,
		"empty/readme.txt":    ``,
		"notjson/policy.json": `[1, 2`,
	})
	p := func(s string) string { return filepath.Join(dir, s) }
	st, err := Load(Source{PolicySets: []SetSource{{"d", p("dir")}, {"s", p("suite/sets.json")}, {"n", p("suite/nosets.json")}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.SetNames(), []string{"d", "n/policies", "s/x", "s/y"}; !cmp.Equal(got, want) {
		t.Errorf("sets %q, want %q", got, want)
	}
	if d := st.Sets["d"]; d.Kind != "directory" || d.Policies != 2 || !cmp.Equal(d.Files, []string{p("dir/b.json"), p("dir/sub/a.json")}) {
		t.Errorf("directory set %+v", d)
	}
	if x, y := st.Sets["s/x"], st.Sets["s/y"]; x.Policies != 1 || y.Policies != 2 || x.Kind != "suite" || !cmp.Equal(x.Files, []string{p("suite/sets.json"), p("suite/p/one.json")}) {
		t.Errorf("suite sets %+v %+v", x, y)
	}
	st2, err := Load(Source{PolicySets: []SetSource{{"d", p("dir")}}})
	if err != nil || st2.Sets["d"].Digest != st.Sets["d"].Digest {
		t.Errorf("the same files, another digest: %v", err)
	}
	for _, tc := range []struct {
		src  Source
		want string
	}{
		{Source{}, "nothing to load"},
		{Source{PolicySets: []SetSource{{"x", p("bad.json")}}}, "bad.json:2:"},
		{Source{PolicySets: []SetSource{{"x", p("nosuch.json")}}}, "nosuch.json"},
		{Source{PolicySets: []SetSource{{"x", p("empty")}}}, "holds no *.json policy"},
		{Source{PolicySets: []SetSource{{"x", p("notjson")}}}, "policy.json"},
		{Source{PolicySets: []SetSource{{"", p("bad.json")}}}, "needs a name"},
		{Source{PolicySets: []SetSource{{"a b", p("dir")}}}, "white space"},
		{Source{PolicySets: []SetSource{{"x", p("dir")}, {"x", p("dir")}}}, `"x": the name is given twice`},
		{Source{Accounts: []string{p("dir/notes.txt")}}, "not an account dump"},
	} {
		st, err := Load(tc.src)
		if err == nil || st != nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%+v): %v, want an error with %q", tc.src, err, tc.want)
		}
	}
	st, err = Load(Source{Accounts: []string{"../../testdata/account/example-account.json"}})
	if err != nil || len(st.Accounts) != 1 || len(st.Sets) != 0 {
		t.Errorf("an account alone: %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// TestQueryAPI: the IAM Query API through the server: a
// SimulatePrincipalPolicy of a user of the loaded account answers IAM's
// XML with its RequestId in the x-amzn-RequestId header too, the
// decisions are counted under api="query", an oversized body is 413
// RequestEntityTooLarge and a busy server 503 ServiceUnavailable, both as
// IAM's ErrorResponse.
func TestQueryAPI(t *testing.T) {
	src := twoSets(t)
	src.Accounts = []string{"../../testdata/account/example-account.json"}
	s, ts := newTestServer(t, Options{MaxBodyBytes: 4096}, src)
	form := url.Values{"Action": {"SimulatePrincipalPolicy"}, "Version": {"2010-05-08"},
		"PolicySourceArn": {"arn:aws:iam::123456789012:user/alice"}, "ActionNames.member.1": {"s3:GetObject"}, "ActionNames.member.2": {"iam:CreateAccessKey"}}
	resp, err := http.PostForm(ts.URL, form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get("x-amzn-RequestId")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml" || id == "" ||
		!strings.Contains(string(body), "<RequestId>"+id+"</RequestId>") || strings.Count(string(body), "<EvalDecision>") != 2 {
		t.Errorf("status %d, Content-Type %q, RequestId %q:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), id, body)
	}
	got := 0.0
	for _, v := range []string{"allowed", "explicitDeny", "implicitDeny"} {
		got += testutil.ToFloat64(s.m.decisions.WithLabelValues(apiQuery, v))
	}
	if got != 2 {
		t.Errorf("query decisions counted %v, want 2", got)
	}
	form.Set("ActionNames.member.3", strings.Repeat("x", 5000))
	resp, err = http.PostForm(ts.URL, form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "<Code>RequestEntityTooLarge</Code>") {
		t.Errorf("an oversized body: status %d\n%s", resp.StatusCode, body)
	}
	rec := httptest.NewRecorder()
	writeQueryBusy(rec, 3)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "<Code>ServiceUnavailable</Code>") || !strings.Contains(rec.Body.String(), "<ErrorResponse") {
		t.Errorf("busy: status %d\n%s", rec.Code, rec.Body)
	}
}
