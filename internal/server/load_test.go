package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The load test: clients decide against a real listener while a reloader
// swaps the policy set between version A (allows ten actions) and version B
// (denies them). Generation 1 is A, and each reload flips the version, so
// odd generations answer allowed and even ones explicitDeny: every answer
// must agree with the generation it reports, and every batch's ten answers
// with each other. IAMEVAL_LOAD_DURATION (a Go duration) runs it longer than
// the default 2s:
//
//	go test ./internal/server -run TestLoad -v
//	IAMEVAL_LOAD_DURATION=10s go test -race ./internal/server -run TestLoad -v

// loadActions are the ten actions of the versions.
var loadActions = []string{
	"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketPolicy",
	"ec2:StartInstances", "ec2:StopInstances", "iam:GetUser", "iam:CreateAccessKey", "sqs:SendMessage",
}

// loadMaker sends one kind of request and checks its answer: it returns
// how many decisions the answer held, or an error. The Query API adds its
// makers here.
type loadMaker struct {
	name string
	do   func(c *http.Client, base string, i int) (decisions int, err error)
}

// loadMakers are the requests the load test sends, in turn.
var loadMakers = []loadMaker{
	{"decide", loadSingle},
	{"batch", loadBatch},
}

// wantFor is the decision version A or B gives, by generation.
func wantFor(gen uint64) string {
	if gen%2 == 1 {
		return "allowed"
	}
	return "explicitDeny"
}

func loadPost(c *http.Client, url string, body []byte) ([]byte, error) {
	resp, err := c.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return b, nil
}

func loadSingle(c *http.Client, base string, i int) (int, error) {
	body := fmt.Sprintf(`{"policySet": "v", "principal": "arn:aws:iam::123456789012:user/u%d", "action": %q, "resource": "*"}`, i%50, loadActions[i%len(loadActions)])
	b, err := loadPost(c, base+"/v1/decide", []byte(body))
	if err != nil {
		return 0, err
	}
	var r decideResult
	if err := json.Unmarshal(b, &r); err != nil {
		return 0, err
	}
	if r.Generation == 0 || r.EvalDecision.String() != wantFor(r.Generation) {
		return 0, fmt.Errorf("%s at generation %d: want %s", r.EvalDecision, r.Generation, wantFor(r.Generation))
	}
	return 1, nil
}

func loadBatch(c *http.Client, base string, i int) (int, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"policySet": "v", "requests": [`)
	for k, a := range loadActions {
		if k > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"principal": "arn:aws:iam::123456789012:user/u%d", "action": %q, "resource": "*"}`, i%50, a)
	}
	buf.WriteString(`]}`)
	b, err := loadPost(c, base+"/v1/decide", buf.Bytes())
	if err != nil {
		return 0, err
	}
	var r struct {
		Generation uint64
		Results    []struct {
			EvalDecision string
			Error        *apiError
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return 0, err
	}
	if len(r.Results) != len(loadActions) {
		return 0, fmt.Errorf("%d results for %d requests", len(r.Results), len(loadActions))
	}
	for k, res := range r.Results {
		if res.Error != nil || res.EvalDecision != wantFor(r.Generation) {
			return 0, fmt.Errorf("a mixed batch at generation %d: result %d is %s (%v), want %s", r.Generation, k, res.EvalDecision, res.Error, wantFor(r.Generation))
		}
	}
	return len(r.Results), nil
}

func TestLoad(t *testing.T) {
	duration := 2 * time.Second
	if v := os.Getenv("IAMEVAL_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("IAMEVAL_LOAD_DURATION=%q: %v", v, err)
		}
		duration = d
	}
	if testing.Short() {
		duration = 300 * time.Millisecond
	}
	const (
		clients     = 8
		maxRequests = 2_000_000 // a bound on the count, whatever the duration
	)
	versionA := statementPolicy("AllowTen", "Allow", loadActions...)
	versionB := statementPolicy("DenyTen", "Deny", loadActions...)
	dir := writeFiles(t, map[string]string{"v.json": versionA})
	file := filepath.Join(dir, "v.json")

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	s, err := New(Options{}, Source{PolicySets: []SetSource{{"v", file}}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	stop := make(chan struct{})
	var sent, answered, decisions atomic.Int64
	var errs sync.Map // first error per client
	var nerr atomic.Int64
	latencies := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			for i := c; ; i += clients {
				select {
				case <-stop:
					return
				default:
				}
				if sent.Add(1) > maxRequests {
					sent.Add(-1)
					return
				}
				m := loadMakers[i%len(loadMakers)]
				t0 := time.Now()
				n, err := m.do(client, base, i)
				latencies[c] = append(latencies[c], time.Since(t0))
				if err != nil {
					nerr.Add(1)
					errs.LoadOrStore(c, fmt.Errorf("%s: %w", m.name, err))
					continue
				}
				answered.Add(1)
				decisions.Add(int64(n))
			}
		})
	}
	// the reloader: flip the version and reload, until the time is up
	reloads := 0
	var reloadErr error
	wg.Go(func() {
		for gen := uint64(2); ; gen++ {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			doc := versionA
			if gen%2 == 0 {
				doc = versionB
			}
			if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
				reloadErr = err
				return
			}
			if err := s.Reload(); err != nil {
				reloadErr = err
				return
			}
			if g := s.State().Generation; g != gen {
				reloadErr = fmt.Errorf("generation %d after reload, want %d", g, gen)
				return
			}
			reloads++
		}
	})
	time.Sleep(duration)
	close(stop)
	wg.Wait()
	elapsed := time.Since(start)
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	transport.CloseIdleConnections()

	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	if reloadErr != nil {
		t.Errorf("reloader: %v", reloadErr)
	}
	errs.Range(func(k, v any) bool {
		t.Errorf("client %v: %v", k, v)
		return true
	})
	if nerr.Load() != 0 || answered.Load() != sent.Load() {
		t.Errorf("%d errors; %d requests sent, %d answered with 200", nerr.Load(), sent.Load(), answered.Load())
	}
	if reloads < 2 || answered.Load() < int64(clients) {
		t.Errorf("too little happened to test anything: %d reloads, %d requests", reloads, answered.Load())
	}
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(float64(len(all))*p))]
	}
	t.Logf("%d clients for %s (GOMAXPROCS %d): %d requests (single and batches of %d), %d decisions, %d reloads, %d errors",
		clients, elapsed.Round(time.Millisecond), runtime.GOMAXPROCS(0), answered.Load(), len(loadActions), decisions.Load(), reloads, nerr.Load())
	t.Logf("throughput %.0f requests/s, %.0f decisions/s; latency p50 %s, p99 %s, max %s",
		float64(answered.Load())/elapsed.Seconds(), float64(decisions.Load())/elapsed.Seconds(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	t.Logf("heap in use: %.1f MiB before, %.1f MiB after (after GC; %d latency samples held)",
		float64(before.HeapInuse)/(1<<20), float64(after.HeapInuse)/(1<<20), len(all))
}
