package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// decideGet decides s3:GetObject on set "p" and returns the evalDecision
// and generation.
func decideGet(t *testing.T, url string) (string, uint64) {
	t.Helper()
	code, out := post(t, url+"/v1/decide", "application/json", `{"policySet": "p", "action": "s3:GetObject", "resource": "*"}`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, out)
	}
	r := decode[answer](t, out)
	return r.EvalDecision, r.Generation
}

func TestReload(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": statementPolicy("A", "Allow", "s3:GetObject")})
	file := filepath.Join(dir, "p.json")
	var logs syncBuffer
	s, ts := newTestServer(t, Options{Logger: newTestLogger(&logs)}, Source{PolicySets: []SetSource{{"p", file}}})
	if d, g := decideGet(t, ts.URL); d != "allowed" || g != 1 {
		t.Fatalf("before: %s at generation %d", d, g)
	}
	old := s.State()
	if err := os.WriteFile(file, []byte(statementPolicy("D", "Deny", "s3:GetObject")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if d, g := decideGet(t, ts.URL); d != "explicitDeny" || g != 2 {
		t.Fatalf("after a reload: %s at generation %d", d, g)
	}
	if old.Generation != 1 || old.Sets["p"].Engine == s.State().Sets["p"].Engine {
		t.Error("the reload changed the old state instead of replacing it")
	}
	// a reload that fails keeps what is loaded
	if err := os.WriteFile(file, []byte("{\"Version\": \"2012-10-17\",\n \"Statement\": [}"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := s.Reload()
	if err == nil || !strings.Contains(err.Error(), "p.json:2:") {
		t.Errorf("a reload of a broken policy: %v, want its position", err)
	}
	if d, g := decideGet(t, ts.URL); d != "explicitDeny" || g != 2 {
		t.Errorf("after a failed reload: %s at generation %d, want the old state's explicitDeny at 2", d, g)
	}
	if got := testutil.ToFloat64(s.m.reloads.WithLabelValues("failure")); got != 1 {
		t.Errorf("failed reloads counted %v", got)
	}
	if got := testutil.ToFloat64(s.m.generation); got != 2 {
		t.Errorf("generation gauge %v", got)
	}
	if !strings.Contains(logs.String(), "level=ERROR msg=\"reload failed") || !strings.Contains(logs.String(), "p.json:2:") {
		t.Errorf("the failed reload is not logged as an error, with why:\n%s", logs.String())
	}
	// and the next good one works
	if err := os.WriteFile(file, []byte(statementPolicy("A", "Allow", "s3:GetObject")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if d, g := decideGet(t, ts.URL); d != "allowed" || g != 3 {
		t.Errorf("after a good reload: %s at generation %d", d, g)
	}
}

// waitGeneration waits (boundedly) until s reaches generation gen.
func waitGeneration(t *testing.T, s *Server, gen uint64, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.State().Generation < gen {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still at generation %d after 10s, want %d", what, s.State().Generation, gen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWatch: changes of the sources' files reload the server: a file
// rewritten, a file replaced by rename (as editors save), a new policy in a
// new directory of a directory source; a broken file keeps the old state,
// and other files do not reload.
func TestWatch(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"p.json":        statementPolicy("A", "Allow", "s3:GetObject"),
		"other.txt":     "unrelated",
		"tree/a.json":   statementPolicy("A", "Allow", "s3:PutObject"),
		"tree/notes.md": "unrelated",
	})
	file := filepath.Join(dir, "p.json")
	s, ts := newTestServer(t, Options{}, Source{PolicySets: []SetSource{{"p", file}, {"tree", filepath.Join(dir, "tree")}}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	time.Sleep(100 * time.Millisecond) // the watches are in place

	write := func(name, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("p.json", statementPolicy("D", "Deny", "s3:GetObject"))
	waitGeneration(t, s, 2, "a rewritten file")
	if d, _ := decideGet(t, ts.URL); d != "explicitDeny" {
		t.Errorf("after the rewrite: %s", d)
	}

	write("p.json.tmp", statementPolicy("A", "Allow", "s3:GetObject"))
	if err := os.Rename(filepath.Join(dir, "p.json.tmp"), file); err != nil {
		t.Fatal(err)
	}
	waitGeneration(t, s, 3, "a file replaced by rename")
	if d, _ := decideGet(t, ts.URL); d != "allowed" {
		t.Errorf("after the rename: %s", d)
	}

	write("tree/new/b.json", statementPolicy("B", "Allow", "s3:DeleteObject"))
	waitGeneration(t, s, 4, "a new policy in a new directory")
	if n := s.State().Sets["tree"].Policies; n != 2 {
		t.Errorf("the tree set has %d policies after the new file, want 2", n)
	}
	write("tree/new/c.json", statementPolicy("C", "Allow", "s3:ListBucket"))
	waitGeneration(t, s, 5, "a new policy in a directory made after the start")

	gen := s.State().Generation
	write("other.txt", "changed")
	write("tree/notes.md", "changed")
	write("p.json", "{broken")
	time.Sleep(WatchDebounce + 500*time.Millisecond)
	if g := s.State().Generation; g != gen {
		t.Errorf("a broken file or unrelated files moved the generation from %d to %d", gen, g)
	}
	if d, _ := decideGet(t, ts.URL); d != "allowed" {
		t.Errorf("after a broken file: %s, want the old state's allowed", d)
	}
	if got := testutil.ToFloat64(s.m.reloads.WithLabelValues("failure")); got != 1 {
		t.Errorf("failed reloads: %v, want 1 (the broken file)", got)
	}
}

// TestShutdownDrains: a request in flight when shutdown starts completes;
// new connections are refused; Serve returns nil.
func TestShutdownDrains(t *testing.T) {
	s, err := New(Options{ShutdownTimeout: 10 * time.Second}, twoSets(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	// a stream: in flight until its body ends
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/decide?policySet=a", pr)
	req.Header.Set("Content-Type", "application/x-ndjson")
	respc := make(chan *http.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			close(respc)
			return
		}
		respc <- resp
	}()
	line := `{"action": "s3:GetObject", "resource": "*"}` + "\n"
	io.WriteString(pw, line)
	resp := <-respc
	if resp == nil {
		t.FailNow()
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	if !sc.Scan() || !strings.Contains(sc.Text(), `"allowed"`) {
		t.Fatalf("first answer: %q", sc.Text())
	}

	cancel() // shutdown starts with the stream in flight
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), 100*time.Millisecond)
		if err != nil {
			break // the listener is closed
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections 5s after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) with a request in flight", err)
	default:
	}
	io.WriteString(pw, line)
	pw.Close()
	if !sc.Scan() || !strings.Contains(sc.Text(), `"allowed"`) {
		t.Errorf("the in-flight stream's second answer: %q (%v)", sc.Text(), sc.Err())
	}
	if sc.Scan() {
		t.Errorf("an answer too many: %q", sc.Text())
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the last request finished")
	}
}
