package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/internal/server"
)

func TestServeUsageErrors(t *testing.T) {
	inRoot(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve"}, "nothing to serve: give --policy-set NAME=PATH"},
		{[]string{"serve", "--watch=false"}, "nothing to serve"},
		{[]string{"serve", "--policy-set", "example/force-mfa.json"}, `--policy-set "example/force-mfa.json": want NAME=PATH`},
		{[]string{"serve", "--policy-set", "=x.json"}, "want NAME=PATH"},
		{[]string{"serve", "--policy-set", "a=cmd/iameval/example/force-mfa.json", "extra"}, `unexpected argument "extra"`},
		{[]string{"serve", "--policy-set", "a=cmd/iameval/example/force-mfa.json", "--max-body", "lots"}, `--max-body "lots"`},
		{[]string{"serve", "--policy-set", "a=cmd/iameval/example/force-mfa.json", "--max-concurrent", "0"}, `--max-concurrent 0`},
		{[]string{"serve", "--policy-set", "a=cmd/iameval/example/force-mfa.json", "--read-timeout", "0s"}, `--read-timeout 0s`},
		{[]string{"serve", "--policy-set", "a=cmd/iameval/example/force-mfa.json", "--log-format", "xml"}, `--log-format "xml"`},
		{[]string{"serve", "--policy-set", "a=cmd/iameval/example/force-mfa.json", "--log-level", "loud"}, `--log-level "loud"`},
		{[]string{"serve", "--policy-set", "a=testdata/no-such-file.json"}, "no-such-file.json"},
		{[]string{"serve", "--policy-set", "a=testdata/simulate/aws-request.json"}, "aws-request.json:"}, // a line for each of its 8 errors
		{[]string{"serve", "--listen"}, "--listen needs a value"},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		lines := 1
		if strings.HasSuffix(tc.args[len(tc.args)-1], "aws-request.json") {
			lines = 8
		}
		if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != lines {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "1MiB": 1 << 20, "512KiB": 512 << 10, "2m": 2 << 20, "10 KB": 10 << 10, "7B": 7} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "MiB", "1.5MiB", "1TiB", "99999999999GiB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent use: the server logs
// to stderr while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServe runs serve with args until the returned stop is called, and
// returns the URL it printed. stop returns the exit code.
func startServe(t *testing.T, hup chan os.Signal, args ...string) (url string, stderr *lockedBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &lockedBuffer{}
	var stdout lockedBuffer
	code := make(chan int, 1)
	go func() { code <- serve(ctx, args, &stdout, stderr, hup) }()
	listening := regexp.MustCompile(`(?m)^iameval serve: listening on (http://\S+)$`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
			break
		}
		select {
		case c := <-code:
			t.Fatalf("serve %q exited %d before listening:\n%s", args, c, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no listening line after 10s:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	var once sync.Once
	var exit int
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case exit = <-code:
			case <-time.After(15 * time.Second):
				t.Fatal("serve did not stop 15s after its context ended")
			}
			if stdout.String() != "" {
				t.Errorf("serve wrote on stdout: %q", stdout.String())
			}
		})
		return exit
	}
	t.Cleanup(func() { stop() })
	return url, stderr, stop
}

// TestServeCommand starts iameval serve on a free loopback port, decides a
// request, reloads with a SIGHUP, and stops it as SIGINT would.
func TestServeCommand(t *testing.T) {
	inRoot(t)
	hup := make(chan os.Signal, 1)
	url, stderr, stop := startServe(t, hup, "--listen", "127.0.0.1:0", "--policy-set", "mfa=cmd/iameval/example/force-mfa.json",
		"--account", "testdata/account/example-account.json", "--watch=false", "--log-format", "json")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[1-9][0-9]*$`).MatchString(url) {
		t.Errorf("listening on %q: want the real port", url)
	}
	if got := regexp.MustCompile(`(?m)^iameval serve: listening on `).FindAllString(stderr.String(), -1); len(got) != 1 {
		t.Errorf("%d listening lines, want exactly 1", len(got))
	}
	for _, want := range []string{"generation 1: policy sets: mfa (file cmd/iameval/example/force-mfa.json, 1 policy)", "accounts: 123456789012 (testdata/account/example-account.json", "reloads on SIGHUP (--watch=false)"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the start-up summary lacks %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stderr.String(), "WARNING") {
		t.Errorf("a loopback address warned:\n%s", stderr.String())
	}
	resp, err := http.Post(url+"/v1/decide", "application/json", strings.NewReader(
		`{"principal": "arn:aws:iam::123456789012:user/alice", "action": "iam:CreateAccessKey", "resource": "arn:aws:iam::123456789012:user/alice", "context": {"aws:username": "alice"}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"evalDecision":"explicitDeny"`) || !strings.Contains(string(b), `"DenyAllExceptListedIfNoMFA"`) {
		t.Errorf("decide: %d %s", resp.StatusCode, b)
	}
	hup <- os.Interrupt // any value: a SIGHUP
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		var h struct{ Generation int }
		json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		// the server publishes the new generation, then logs it: wait for
		// both (stopping in between lost the log line now and then)
		if h.Generation == 2 && strings.Contains(stderr.String(), `"msg":"reloaded"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still generation %d 10s after SIGHUP, or no reloaded line:\n%s", h.Generation, stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d after the context ended, want 0:\n%s", code, stderr.String())
	}
	logs := stderr.String()
	for _, want := range []string{`"msg":"request"`, `"path":"/v1/decide"`, `"status":200`, `"msg":"reloaded"`, "iameval serve: stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("stderr lacks %s:\n%s", want, logs)
		}
	}
}

func TestServeWarnsOffLoopback(t *testing.T) {
	inRoot(t)
	_, stderr, stop := startServe(t, nil, "--listen", "0.0.0.0:0", "--policy-set", "mfa=cmd/iameval/example/force-mfa.json", "--watch=false")
	if !strings.Contains(stderr.String(), "WARNING: listening on 0.0.0.0:") || !strings.Contains(stderr.String(), "no authentication") {
		t.Errorf("no warning for a non-loopback address:\n%s", stderr.String())
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// TestServeSaysEveryLoadError pins that a source that does not load is
// reported with each of its errors, one line each (file:line:col), not the
// first and "(and N more errors)".
func TestServeSaysEveryLoadError(t *testing.T) {
	dir := t.TempDir()
	p := dir + "/p.json"
	twoErrors := "{\"Version\": \"2012-10-17\", \"Statement\": [\n {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"NoSuchOperator\": {\"a\": \"b\"}}},\n {\"Effect\": \"Maybe\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}"
	if err := os.WriteFile(p, []byte(twoErrors), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "serve", "--policy-set", "a="+p)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != exitUsage || len(lines) != 2 || strings.Contains(errOut, "more error") ||
		!strings.HasPrefix(lines[0], "iameval serve: "+p+":2:") || !strings.HasPrefix(lines[1], "iameval serve: "+p+":3:") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

// TestServeSummaryUnknownAccount pins review 13 F7 for serve: the summary
// of what is loaded says an account id no entity's ARN gives as unknown,
// never blank.
func TestServeSummaryUnknownAccount(t *testing.T) {
	inRoot(t)
	a, err := account.Load("empty.json", []byte(`{"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	writeServeSummary(&b, &server.State{Generation: 1, Sets: map[string]*server.Set{}, Accounts: []*account.Account{a}, AccountFiles: []string{"empty.json"}}, false)
	if !strings.Contains(b.String(), "accounts: unknown (no entity of the dump has an ARN to give it) (empty.json, 0 users, 0 roles)") {
		t.Errorf("summary:\n%s", b.String())
	}
}
