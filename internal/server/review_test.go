package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// decideThreeWays sends item (one request's JSON, on one line) as a single
// request, as the one item of a batch and as the one line of a stream, and
// returns the three answers' errors (nil when decided).
func decideThreeWays(t *testing.T, url, item string) (single, batch, stream *apiError, singleStatus int) {
	t.Helper()
	errOf := func(a answer) *apiError {
		if a.Error == nil {
			return nil
		}
		return &apiError{Code: a.Error.Code, Message: a.Error.Message}
	}
	code, out := post(t, url+"/v1/decide", "application/json", item)
	single, singleStatus = errOf(decode[answer](t, out)), code
	code, out = post(t, url+"/v1/decide", "application/json", `{"requests": [`+item+`]}`)
	if code != http.StatusOK {
		t.Fatalf("batch of %s: status %d: %s", item, code, out)
	}
	b := decode[struct{ Results []answer }](t, out)
	if len(b.Results) != 1 {
		t.Fatalf("batch of %s: %s", item, out)
	}
	batch = errOf(b.Results[0])
	code, out = post(t, url+"/v1/decide", "application/x-ndjson", item+"\n")
	if code != http.StatusOK {
		t.Fatalf("stream of %s: status %d: %s", item, code, out)
	}
	stream = errOf(decode[answer](t, out))
	return single, batch, stream, singleStatus
}

// TestDecideRefusesWhatSimulateRefuses pins that the decision API checks a
// request's action and resource as "iameval simulate" does: an action with
// a wildcard (which decided literally would be allowed by an "s3:*"
// statement) and a resource that is neither an ARN nor "*" get 400
// InvalidInput, in a single request, a batch's item and a stream's line.
func TestDecideRefusesWhatSimulateRefuses(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": statementPolicy("S3", "Allow", "s3:*")})
	_, ts := newTestServer(t, Options{}, Source{PolicySets: []SetSource{{"p", dir + "/p.json"}}})
	for _, tc := range []struct {
		name, item, has string // has "" means decided
	}{
		{"wildcard action", `{"action": "s3:*", "resource": "*"}`, `action "s3:*" has a wildcard`},
		{"question mark", `{"action": "s3:Get?bject", "resource": "*"}`, "wildcard"},
		{"all actions", `{"action": "*", "resource": "*"}`, `action "*"`},
		{"two colons", `{"action": "s3:a:b", "resource": "*"}`, "more than one colon"},
		{"bad service", `{"action": "s 3:GetObject", "resource": "*"}`, "service prefix"},
		{"resource not an ARN", `{"action": "s3:GetObject", "resource": "reports/a"}`, `resource "reports/a" is not an ARN`},
		{"resource arn: only", `{"action": "s3:GetObject", "resource": "arn:aws"}`, "not an ARN"},
		{"resource star", `{"action": "s3:GetObject", "resource": "*"}`, ""},
		{"resource ARN", `{"action": "s3:GetObject", "resource": "arn:aws:s3:::reports/a"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			single, batch, stream, status := decideThreeWays(t, ts.URL, tc.item)
			for _, g := range []struct {
				how string
				err *apiError
			}{{"single", single}, {"batch", batch}, {"stream", stream}} {
				switch {
				case tc.has == "" && g.err != nil:
					t.Errorf("%s: %v, want a decision", g.how, g.err)
				case tc.has != "" && (g.err == nil || g.err.Code != codeInvalidInput || !strings.Contains(g.err.Message, tc.has)):
					t.Errorf("%s: %v, want InvalidInput with %q", g.how, g.err, tc.has)
				}
			}
			if tc.has != "" && status != http.StatusBadRequest {
				t.Errorf("single: status %d, want 400", status)
			}
		})
	}
}

// TestDecideDuplicateKeys pins that a key given twice in an object of a
// decide body (the body, a context object, a ContextEntries item, a batch's
// item, a stream's line) is refused as InvalidInput naming the key and
// where the second one is (line and column in the body), as
// "simulate --input" refuses it, rather than the last one silently winning;
// and that a body of null is refused, not read as {}.
func TestDecideDuplicateKeys(t *testing.T) {
	_, ts := newTestServer(t, Options{}, twoSets(t))
	for _, tc := range []struct {
		name, body string
		status     int
		has        string
	}{
		{"context twice", `{"policySet": "a", "action": "s3:GetObject", "resource": "*",` + "\n" + ` "context": {}, "context": {"aws:SecureTransport": "true"}}`, 400, `duplicate key "context" at line 2, column 17`},
		{"action twice", `{"policySet": "a", "action": "s3:PutObject", "resource": "*", "action": "s3:GetObject"}`, 400, `duplicate key "action" at line 1, column 63`},
		{"policySet twice", `{"policySet": "b", "policySet": "a", "action": "s3:GetObject", "resource": "*"}`, 400, `duplicate key "policySet" at line 1, column 20`},
		{"in a context object", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": {"s3:prefix": "a", "s3:prefix": "b"}}`, 400, `duplicate key "s3:prefix" at line 1, column 93`},
		{"in a context entry", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": [{"ContextKeyName": "s3:prefix", "ContextKeyName": "s3:x", "ContextKeyValues": ["a"], "ContextKeyType": "string"}]}`, 400, `duplicate key "ContextKeyName" at line 1, column 107`},
		{"requests twice", `{"policySet": "a", "requests": [], "requests": [{"action": "s3:GetObject", "resource": "*"}]}`, 400, `duplicate key "requests" at line 1, column 36`},
		{"null", `null`, 400, "want a JSON object"},
		{"null with blanks", " null \n", 400, "want a JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := post(t, ts.URL+"/v1/decide", "application/json", tc.body)
			a := decode[answer](t, out)
			if code != tc.status || a.Error == nil || a.Error.Code != codeInvalidInput || !strings.Contains(a.Error.Message, tc.has) {
				t.Errorf("status %d: %s\nwant %d InvalidInput with %q", code, out, tc.status, tc.has)
			}
		})
	}
	// in a batch's item: that item's error, positioned in the body
	body := "{\"policySet\": \"a\", \"requests\": [\n" +
		`  {"action": "s3:GetObject", "resource": "*"},` + "\n" +
		`  {"action": "s3:PutObject", "resource": "*", "action": "s3:GetObject"},` + "\n" +
		`  {"action": "s3:GetObject", "resource": "*", "context": {"s3:x": "1", "s3:x": "2"}}` + "\n]}"
	code, out := post(t, ts.URL+"/v1/decide", "application/json", body)
	b := decode[struct{ Results []answer }](t, out)
	if code != 200 || len(b.Results) != 3 || b.Results[0].Error != nil ||
		b.Results[1].Error == nil || !strings.Contains(b.Results[1].Error.Message, `requests[1]: duplicate key "action" at line 3, column 47`) ||
		b.Results[2].Error == nil || !strings.Contains(b.Results[2].Error.Message, `requests[2]: duplicate key "s3:x" at line 4, column 72`) {
		t.Errorf("a batch: status %d: %s", code, out)
	}
	// in a stream's line: that line's error
	code, out = post(t, ts.URL+"/v1/decide?policySet=a", "application/x-ndjson",
		`{"action": "s3:GetObject", "resource": "*"}`+"\n"+`{"action": "s3:PutObject", "action": "s3:GetObject", "resource": "*"}`+"\n")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 200 || len(lines) != 2 || !strings.Contains(lines[1], `line 2: duplicate key \"action\" at line 2, column 28`) {
		t.Errorf("a stream: status %d: %s", code, out)
	}
}

// TestDecideMessages pins the wording of the decision API's errors: a bad
// context value names its key once; JSON types are named in words (a list
// of strings, a string), not Go's; and a batch item's positions are the
// line and column in the whole body.
func TestDecideMessages(t *testing.T) {
	_, ts := newTestServer(t, Options{}, twoSets(t))
	for _, tc := range []struct {
		name, body, want string
	}{
		{"bad boolean", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": {"aws:SecureTransport": "yes"}}`,
			`context key aws:SecureTransport: value "yes" is not a valid boolean`},
		{"bad entry value", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": [{"ContextKeyName": "aws:SecureTransport", "ContextKeyValues": ["yes"], "ContextKeyType": "boolean"}]}`,
			`context key aws:SecureTransport: value "yes" is not a valid boolean`},
		{"a string for a list", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": [{"ContextKeyName": "s3:prefix", "ContextKeyValues": "a", "ContextKeyType": "string"}]}`,
			`context[0]: ContextKeyValues at line 1, column 127 (byte 126): want a list of strings, not a string`},
		{"a number for a string", `{"policySet": "a", "action": 7, "resource": "*"}`,
			`action at line 1, column 30 (byte 29): want a string, not a number`},
		{"a string for a list of requests", `{"policySet": "a", "requests": "all"}`,
			`requests at line 1, column 32 (byte 31): want a list, not a string`},
		{"an object for a value", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": {"s3:prefix": {"a": 1}}}`,
			`context key "s3:prefix" at line 1, column 88 (byte 87): want a string, a number, a boolean, or a list of them`},
		{"a list for a one-value key", `{"policySet": "a", "action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": ["1.2.3.4"]}}`,
			`context key "aws:SourceIp" at line 1, column 91 (byte 90): takes one ip value, not a list`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, out := post(t, ts.URL+"/v1/decide", "application/json", tc.body)
			a := decode[answer](t, out)
			if a.Error == nil || a.Error.Message != tc.want {
				t.Errorf("got %s\nwant message %q", out, tc.want)
			}
		})
	}
	// a batch: positions in the body, not in the item
	body := "{\"policySet\": \"a\", \"requests\": [\n" +
		`  {"action": "s3:GetObject", "resource": "*"},` + "\n" +
		`  {"action": 7, "resource": "*"},` + "\n" +
		`  {"action": "s3:GetObject", "resource": "*", "context": [{"ContextKeyName": "s3:x", "ContextKeyValues": "a", "ContextKeyType": "string"}]}` + "\n]}"
	_, out := post(t, ts.URL+"/v1/decide", "application/json", body)
	b := decode[struct{ Results []answer }](t, out)
	want := []string{"",
		`requests[1]: action at line 3, column 14 (byte 93): want a string, not a number`,
		`requests[2]: context[0]: ContextKeyValues at line 4, column 106 (byte 219): want a list of strings, not a string`}
	if len(b.Results) != len(want) {
		t.Fatalf("%s", out)
	}
	for i, w := range want {
		got := ""
		if e := b.Results[i].Error; e != nil {
			got = e.Message
		}
		if got != w {
			t.Errorf("requests[%d]: %q\nwant %q", i, got, w)
		}
	}
}

// TestDeclaredLengthOverMaxBody pins that a request whose Content-Length
// is over MaxBodyBytes is refused with 413 at once, before its body comes
// (a client that declares a large body and sends it slowly would otherwise
// hold the connection until the read timeout): in JSON for /v1/decide, as
// IAM's XML ErrorResponse for the Query API.
func TestDeclaredLengthOverMaxBody(t *testing.T) {
	_, ts := newTestServer(t, Options{MaxBodyBytes: 4096, ReadTimeout: time.Minute}, twoSets(t))
	for _, tc := range []struct {
		name, path, ctype, has string
	}{
		{"decide", "/v1/decide", "application/json", `"code":"RequestTooLarge"`},
		{"query API", "/", "application/x-www-form-urlencoded", "<Code>RequestEntityTooLarge</Code>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ts.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: 1000000\r\n\r\n{\"a", tc.path, tc.ctype)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer before the body came: %v", err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), tc.has) {
				t.Errorf("status %d: %s\nwant 413 with %s", resp.StatusCode, b, tc.has)
			}
		})
	}
	// a stream has no length limit: its declared length is not refused
	body := `{"policySet": "a", "action": "s3:GetObject", "resource": "*"}` + "\n"
	if code, out := post(t, ts.URL+"/v1/decide", "application/x-ndjson", strings.Repeat(body, 100)); code != 200 || strings.Count(out, `"evalDecision":"allowed"`) != 100 {
		t.Errorf("a stream longer than MaxBodyBytes: %d %.200s", code, out)
	}
}

// TestQueryAPIByGET pins that GET /?Action=... (AWS's Query protocol
// allows the parameters in the URL) and a POST / whose parameters are in
// the URL reach the Query API, and that GET / without Action is still 405.
func TestQueryAPIByGET(t *testing.T) {
	_, ts := newTestServer(t, Options{}, twoSets(t))
	q := url.Values{"Action": {"GetContextKeysForCustomPolicy"}, "Version": {"2010-05-08"},
		"PolicyInputList.member.1": {`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}}`}}
	code, out := get(t, ts.URL+"/?"+q.Encode())
	if code != 200 || !strings.Contains(out, "<ContextKeyNames>") || !strings.Contains(out, "aws:SecureTransport") {
		t.Errorf("GET /?Action=...: %d %s", code, out)
	}
	code, out = post(t, ts.URL+"/?"+q.Encode(), "", "")
	if code != 200 || !strings.Contains(out, "aws:SecureTransport") {
		t.Errorf("POST /?Action=... with no body: %d %s", code, out)
	}
	code, out = get(t, ts.URL+"/")
	if code != http.StatusMethodNotAllowed || !strings.Contains(out, "GET with an Action") {
		t.Errorf("GET / without Action: %d %s", code, out)
	}
	code, out = post(t, ts.URL+"/", "application/json", `{"Action": "SimulateCustomPolicy"}`)
	if code != 400 || !strings.Contains(out, "<Code>MissingAction</Code>") {
		t.Errorf("POST / in JSON: %d %s", code, out)
	}
}

// TestIdleStreamHoldsNoSlot pins that a stream holds a slot of
// MaxConcurrent only while it decides a line: with one slot, a stream that
// has sent a line and waits does not keep a single request from being
// decided (it used to get 503 after QueueTimeout).
func TestIdleStreamHoldsNoSlot(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxConcurrent: 1, QueueTimeout: 300 * time.Millisecond}, twoSets(t))
	pw, replies := openStream(t, ts.URL+"/v1/decide?policySet=a")
	defer pw.Close()
	if _, err := io.WriteString(pw, `{"action": "s3:GetObject", "resource": "*"}`+"\n"); err != nil {
		t.Fatal(err)
	}
	rep := <-replies
	if rep.err != nil {
		t.Fatal(rep.err)
	}
	defer rep.resp.Body.Close()
	lines := bufio.NewScanner(rep.resp.Body)
	if !lines.Scan() || !strings.Contains(lines.Text(), `"evalDecision":"allowed"`) {
		t.Fatalf("the stream's first answer: %q %v", lines.Text(), lines.Err())
	}
	// the stream is open and idle
	code, out := post(t, ts.URL+"/v1/decide", "application/json", `{"policySet": "a", "action": "s3:GetObject", "resource": "*"}`)
	if code != 200 {
		t.Errorf("a request beside an idle stream: %d %s", code, out)
	}
	// the stream still decides, taking the slot for its line
	s.sem <- struct{}{} // the one slot, taken: the stream's next line waits, then says busy
	if _, err := io.WriteString(pw, `{"action": "s3:GetObject", "resource": "*"}`+"\n"); err != nil {
		t.Fatal(err)
	}
	if !lines.Scan() || !strings.Contains(lines.Text(), `"ServiceUnavailable"`) {
		t.Errorf("a line with no slot free: %q %v", lines.Text(), lines.Err())
	}
	<-s.sem
	if _, err := io.WriteString(pw, `{"action": "s3:GetObject", "resource": "*"}`+"\n"); err != nil {
		t.Fatal(err)
	}
	if !lines.Scan() || !strings.Contains(lines.Text(), `"evalDecision":"allowed"`) {
		t.Errorf("a line with the slot free: %q %v", lines.Text(), lines.Err())
	}
}

// TestHealthzAfterFailedReload pins that /healthz shows the last reload:
// lastReload (when, whether it worked, and why not) and stale: true while
// the last attempt failed (the state served is older than the files),
// still with 200 as the server still serves; a reload that works clears
// stale.
func TestHealthzAfterFailedReload(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": statementPolicy("A", "Allow", "s3:GetObject")})
	p := filepath.Join(dir, "p.json")
	s, ts := newTestServer(t, Options{}, Source{PolicySets: []SetSource{{"p", p}}})
	type healthz struct {
		Status     string
		Generation uint64
		Stale      *bool
		LastReload *struct {
			At    time.Time
			OK    *bool
			Error *string
		}
	}
	check := func(when string, wantGen uint64, wantStale bool, wantReload string) {
		t.Helper()
		code, out := get(t, ts.URL+"/healthz")
		h := decode[healthz](t, out)
		if code != 200 || h.Status != "ok" || h.Generation != wantGen || h.Stale == nil || *h.Stale != wantStale {
			t.Errorf("%s: %d %s", when, code, out)
		}
		switch lr := h.LastReload; wantReload {
		case "":
			if lr != nil {
				t.Errorf("%s: lastReload before any reload: %s", when, out)
			}
		case "ok":
			if lr == nil || lr.OK == nil || !*lr.OK || lr.Error != nil || time.Since(lr.At) > time.Minute {
				t.Errorf("%s: %s", when, out)
			}
		default:
			if lr == nil || lr.OK == nil || *lr.OK || lr.Error == nil || !strings.Contains(*lr.Error, wantReload) || time.Since(lr.At) > time.Minute {
				t.Errorf("%s: %s\nwant a failed lastReload with %q", when, out, wantReload)
			}
		}
	}
	check("loaded", 1, false, "")
	if err := os.WriteFile(p, []byte(`{"Statement": [{"Effect": "Allow"`), 0o644); err != nil {
		t.Fatal(err)
	}
	if s.Reload() == nil {
		t.Fatal("the reload of a broken file worked")
	}
	check("a failed reload", 1, true, "p.json")
	if err := os.WriteFile(p, []byte(statementPolicy("B", "Allow", "s3:PutObject")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	check("a reload that worked", 2, false, "ok")
}

// TestDirectorySkipsWhatIsNotAPolicy pins that a directory policy set
// loads as "iameval simulate --policy DIR" reads a directory: JSON that is
// not a policy (not an object, or an object with no Statement and nothing
// a policy has) is skipped with a warning naming the file, and the other
// files load; a file that is meant as a policy (Statement, Version, a
// misspelt statement, an Effect) and does not parse fails the load, as
// does a file that is not JSON; a directory of nothing but such JSON holds
// no policy.
func TestDirectorySkipsWhatIsNotAPolicy(t *testing.T) {
	good := statementPolicy("A", "Allow", "s3:GetObject")
	for _, tc := range []struct {
		name  string
		files map[string]string
		// skipped are the files warned about; fails the error wanted,
		// "" when it loads
		skipped []string
		fails   string
	}{
		{"a config file", map[string]string{"a.json": good, "config.json": `{"port": 8080, "debug": true}`}, []string{"config.json"}, ""},
		{"a list, a string, a number", map[string]string{"a.json": good, "list.json": `[1, 2]`, "s.json": `"x"`, "n.json": `7`}, []string{"list.json", "n.json", "s.json"}, ""},
		{"package.json's version", map[string]string{"a.json": good, "package.json": `{"name": "x", "version": "1.0.0"}`}, []string{"package.json"}, ""},
		{"a broken policy", map[string]string{"a.json": good, "b.json": `{"Statement": [{"Effect": "Allow"}]}`}, nil, "b.json:1:"},
		{"Version only", map[string]string{"a.json": good, "b.json": `{"Version": "2012-10-17"}`}, nil, "b.json:1:"},
		{"a misspelt Statement", map[string]string{"a.json": good, "b.json": `{"Statment": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}`}, nil, "b.json"},
		{"a statement alone", map[string]string{"a.json": good, "b.json": `{"Effect": "Deny", "Action": "*", "Resource": "*"}`}, nil, "b.json"},
		{"a list of statements", map[string]string{"a.json": good, "b.json": `[{"Effect": "Deny", "Action": "*", "Resource": "*"}]`}, nil, "b.json"},
		{"AWS CLI output", map[string]string{"a.json": good, "b.json": `{"PolicyVersion": {"Document": {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}}}`}, nil, "b.json"},
		{"not JSON", map[string]string{"a.json": good, "b.json": `{"Statement": [`}, nil, "b.json"},
		{"no policy at all", map[string]string{"config.json": `{"port": 8080}`}, nil, "no *.json policy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			var buf syncBuffer
			s, err := New(Options{Logger: newTestLogger(&buf)}, Source{PolicySets: []SetSource{{"d", dir}}})
			if tc.fails != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fails) {
					t.Errorf("New: %v, want an error with %q", err, tc.fails)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.State().Sets["d"].Policies; got != len(tc.files)-len(tc.skipped) {
				t.Errorf("%d policies, want %d", got, len(tc.files)-len(tc.skipped))
			}
			var got []string
			for _, sk := range s.State().Skipped {
				got = append(got, filepath.Base(sk.Path))
			}
			if strings.Join(got, " ") != strings.Join(tc.skipped, " ") {
				t.Errorf("skipped %q, want %q", got, tc.skipped)
			}
			for _, f := range tc.skipped {
				if !strings.Contains(buf.String(), "level=WARN") || !strings.Contains(buf.String(), filepath.Join(dir, f)) || !strings.Contains(buf.String(), "not a policy") {
					t.Errorf("no warning names %s:\n%s", f, buf.String())
				}
			}
		})
	}
}

// TestFailedLoadSaysEveryError pins that a load that fails reports each
// of its errors, not the first and "(and N more)": in the error lines,
// the reload's log and /healthz.
func TestFailedLoadSaysEveryError(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": statementPolicy("A", "Allow", "s3:GetObject")})
	p := filepath.Join(dir, "p.json")
	twoErrors := "{\"Version\": \"2012-10-17\", \"Statement\": [\n {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"NoSuchOperator\": {\"a\": \"b\"}}},\n {\"Effect\": \"Maybe\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}"
	if err := os.WriteFile(p, []byte(twoErrors), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Source{PolicySets: []SetSource{{"p", p}}})
	lines := ErrorLines(err)
	if len(lines) != 2 || !strings.Contains(lines[0], "p.json:2:") || !strings.Contains(lines[1], "p.json:3:") {
		t.Errorf("ErrorLines: %q", lines)
	}
	if err := os.WriteFile(p, []byte(statementPolicy("A", "Allow", "s3:GetObject")), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf syncBuffer
	s, ts := newTestServer(t, Options{Logger: newTestLogger(&buf)}, Source{PolicySets: []SetSource{{"p", p}}})
	if err := os.WriteFile(p, []byte(twoErrors), 0o644); err != nil {
		t.Fatal(err)
	}
	if s.Reload() == nil {
		t.Fatal("the reload worked")
	}
	log := buf.String()
	if strings.Contains(log, "more error") || !strings.Contains(log, "p.json:2:") || !strings.Contains(log, "p.json:3:") {
		t.Errorf("the reload's log:\n%s", log)
	}
	_, out := get(t, ts.URL+"/healthz")
	if strings.Contains(out, "more error") || !strings.Contains(out, "p.json:2:") || !strings.Contains(out, "p.json:3:") {
		t.Errorf("/healthz: %s", out)
	}
}

// TestWatchConfigMapSwap pins that Watch reloads when a Kubernetes
// ConfigMap volume is updated: policy.json -> ..data/policy.json,
// ..data -> ..TIMESTAMP, and an update makes a new ..TIMESTAMP directory
// and swaps ..data to it by rename (ln -sfn NEW ..data.tmp && mv -T
// ..data.tmp ..data), so policy.json never changes itself. This holds for
// a file source and a directory source (the volume), twice in a row (the
// watches follow), and for a directory source that is itself a symlink
// swapped the same way. Real symlinks, a real watch; each wait is bounded
// (waitGeneration).
func TestWatchConfigMapSwap(t *testing.T) {
	allow, deny := statementPolicy("A", "Allow", "s3:GetObject"), statementPolicy("D", "Deny", "s3:GetObject")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// volume makes a ConfigMap volume whose policy.json is content
	volume := func(t *testing.T, content string) string {
		dir := t.TempDir()
		must(os.Mkdir(filepath.Join(dir, "..2026_11_30_00_00_00.1"), 0o755))
		must(os.WriteFile(filepath.Join(dir, "..2026_11_30_00_00_00.1", "policy.json"), []byte(content), 0o644))
		must(os.Symlink("..2026_11_30_00_00_00.1", filepath.Join(dir, "..data")))
		must(os.Symlink(filepath.Join("..data", "policy.json"), filepath.Join(dir, "policy.json")))
		return dir
	}
	// update swaps the volume's ..data to a new directory holding content,
	// as the kubelet's atomic writer does, and removes the old one
	update := func(t *testing.T, dir string, n int, content string) {
		old, err := os.Readlink(filepath.Join(dir, "..data"))
		must(err)
		ts := fmt.Sprintf("..2026_11_30_00_00_00.%d", n)
		must(os.Mkdir(filepath.Join(dir, ts), 0o755))
		must(os.WriteFile(filepath.Join(dir, ts, "policy.json"), []byte(content), 0o644))
		must(os.Symlink(ts, filepath.Join(dir, "..data_tmp")))
		must(os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")))
		must(os.RemoveAll(filepath.Join(dir, old)))
	}
	watch := func(t *testing.T, s *Server) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Watch(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
		time.Sleep(100 * time.Millisecond) // the watches are in place
	}
	for _, tc := range []struct {
		name string
		path func(dir string) string
	}{
		{"a file source", func(dir string) string { return filepath.Join(dir, "policy.json") }},
		{"a directory source", func(dir string) string { return dir }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := volume(t, allow)
			s, ts := newTestServer(t, Options{}, Source{PolicySets: []SetSource{{"p", tc.path(dir)}}})
			watch(t, s)
			update(t, dir, 2, deny)
			waitGeneration(t, s, 2, "the first swap of ..data")
			if d, _ := decideGet(t, ts.URL); d != "explicitDeny" {
				t.Errorf("after the first swap: %s", d)
			}
			update(t, dir, 3, allow)
			waitGeneration(t, s, 3, "the second swap of ..data")
			if d, _ := decideGet(t, ts.URL); d != "allowed" {
				t.Errorf("after the second swap: %s", d)
			}
		})
	}
	t.Run("a directory source that is a symlink", func(t *testing.T) {
		root := writeFiles(t, map[string]string{"v1/p.json": allow, "v2/p.json": deny, "v3/p.json": allow})
		current := filepath.Join(root, "current")
		must(os.Symlink("v1", current))
		s, ts := newTestServer(t, Options{}, Source{PolicySets: []SetSource{{"p", current}}})
		watch(t, s)
		for i, v := range []string{"v2", "v3"} {
			must(os.Symlink(v, filepath.Join(root, "current.tmp")))
			must(os.Rename(filepath.Join(root, "current.tmp"), current))
			waitGeneration(t, s, uint64(i+2), "current -> "+v)
		}
		// the watch follows the new target: a change inside it reloads
		must(os.WriteFile(filepath.Join(root, "v3", "p.json"), []byte(deny), 0o644))
		waitGeneration(t, s, 4, "a change in the new target")
		if d, _ := decideGet(t, ts.URL); d != "explicitDeny" {
			t.Errorf("after the change: %s", d)
		}
	})
	// a change in the new target made as soon as the reload that the swap
	// caused has read it, before Watch looks at what the new state names,
	// is seen too: the new target is watched before it is read (a change
	// then was lost until the next one, and the old policy served)
	t.Run("a change in the new target just after the swap's reload", func(t *testing.T) {
		root := writeFiles(t, map[string]string{"v1/p.json": allow, "v2/p.json": allow})
		current := filepath.Join(root, "current")
		must(os.Symlink("v1", current))
		s, ts := newTestServer(t, Options{}, Source{PolicySets: []SetSource{{"p", current}}})
		changed := make(chan struct{})
		var once sync.Once
		s.watchReloaded = func() {
			once.Do(func() {
				must(os.WriteFile(filepath.Join(root, "v2", "p.json"), []byte(deny), 0o644))
				close(changed)
			})
		}
		watch(t, s)
		must(os.Symlink("v2", filepath.Join(root, "current.tmp")))
		must(os.Rename(filepath.Join(root, "current.tmp"), current))
		<-changed
		waitGeneration(t, s, 3, "a change in v2 made right after the reload that read it")
		if d, _ := decideGet(t, ts.URL); d != "explicitDeny" {
			t.Errorf("after the change: %s", d)
		}
	})
}
