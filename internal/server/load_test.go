package server

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
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
	{"query", loadQuery},
}

// loadAccount is an account snapshot (as aws iam
// get-account-authorization-details prints it) whose user u has one inline
// policy: version A allows the ten actions, version B denies them.
func loadAccount(effect string) string {
	doc, _ := json.Marshal(statementPolicy("Ten", effect, loadActions...))
	return fmt.Sprintf(`{"UserDetailList": [{"Path": "/", "UserName": "u", "UserId": "AIDAEXAMPLEUSERU0001", "Arn": "arn:aws:iam::123456789012:user/u",
  "CreateDate": "2024-01-01T00:00:00Z", "GroupList": [], "AttachedManagedPolicies": [], "Tags": [],
  "UserPolicyList": [{"PolicyName": "ten", "PolicyDocument": %s}]}],
 "GroupDetailList": [], "RoleDetailList": [], "Policies": [], "IsTruncated": false}`, doc)
}

// queryAllowed and queryDenied count the Query API's answers of each
// version, to show that reloads reach it.
var queryAllowed, queryDenied atomic.Int64

// loadQuery asks the IAM Query API to SimulatePrincipalPolicy the ten
// actions for user u of the reloaded account: the ten results must agree
// (one state answers a request, never a mix).
func loadQuery(c *http.Client, base string, i int) (int, error) {
	form := url.Values{"Action": {"SimulatePrincipalPolicy"}, "Version": {"2010-05-08"},
		"PolicySourceArn": {"arn:aws:iam::123456789012:user/u"}}
	for k, a := range loadActions {
		form.Set("ActionNames.member."+strconv.Itoa(k+1), a)
	}
	resp, err := c.PostForm(base+"/", form)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	var doc struct {
		Results []string `xml:"SimulatePrincipalPolicyResult>EvaluationResults>member>EvalDecision"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return 0, err
	}
	if len(doc.Results) != len(loadActions) {
		return 0, fmt.Errorf("%d results for %d actions", len(doc.Results), len(loadActions))
	}
	for k, d := range doc.Results {
		if d != doc.Results[0] || d != "allowed" && d != "explicitDeny" {
			return 0, fmt.Errorf("a mixed answer: result %d is %s, result 1 %s", k+1, d, doc.Results[0])
		}
	}
	if doc.Results[0] == "allowed" {
		queryAllowed.Add(1)
	} else {
		queryDenied.Add(1)
	}
	return len(doc.Results), nil
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
	dir := writeFiles(t, map[string]string{"v.json": versionA, "account.json": loadAccount("Allow")})
	file := filepath.Join(dir, "v.json")
	acct := filepath.Join(dir, "account.json")

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	s, err := New(Options{}, Source{PolicySets: []SetSource{{"v", file}}, Accounts: []string{acct}})
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
	latencies := make([][][]time.Duration, clients) // client, maker
	for c := range latencies {
		latencies[c] = make([][]time.Duration, len(loadMakers))
	}
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
				mi := i % len(loadMakers)
				m := loadMakers[mi]
				t0 := time.Now()
				n, err := m.do(client, base, i)
				latencies[c][mi] = append(latencies[c][mi], time.Since(t0))
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
			doc, effect := versionA, "Allow"
			if gen%2 == 0 {
				doc, effect = versionB, "Deny"
			}
			if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
				reloadErr = err
				return
			}
			if err := os.WriteFile(acct, []byte(loadAccount(effect)), 0o644); err != nil {
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
	if reloads > 4 && (queryAllowed.Load() == 0 || queryDenied.Load() == 0) {
		t.Errorf("the Query API answered %d times with version A and %d with B over %d reloads: the reloads do not reach it", queryAllowed.Load(), queryDenied.Load(), reloads)
	}
	if reloads < 2 || answered.Load() < int64(clients) {
		t.Errorf("too little happened to test anything: %d reloads, %d requests", reloads, answered.Load())
	}
	var all []time.Duration
	for _, l := range latencies {
		for _, m := range l {
			all = append(all, m...)
		}
	}
	pct := func(all []time.Duration, p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(float64(len(all))*p))]
	}
	slices.Sort(all)
	t.Logf("%d clients for %s (GOMAXPROCS %d): %d requests (single and batches of %d), %d decisions, %d reloads, %d errors",
		clients, elapsed.Round(time.Millisecond), runtime.GOMAXPROCS(0), answered.Load(), len(loadActions), decisions.Load(), reloads, nerr.Load())
	t.Logf("throughput %.0f requests/s, %.0f decisions/s; latency p50 %s, p99 %s, max %s",
		float64(answered.Load())/elapsed.Seconds(), float64(decisions.Load())/elapsed.Seconds(),
		pct(all, 0.50).Round(time.Microsecond), pct(all, 0.99).Round(time.Microsecond), pct(all, 1).Round(time.Microsecond))
	for mi, m := range loadMakers {
		var own []time.Duration
		for _, l := range latencies {
			own = append(own, l[mi]...)
		}
		slices.Sort(own)
		t.Logf("  %-6s %7d requests, %.0f/s; p50 %s, p99 %s", m.name, len(own), float64(len(own))/elapsed.Seconds(),
			pct(own, 0.50).Round(time.Microsecond), pct(own, 0.99).Round(time.Microsecond))
	}
	t.Logf("heap in use: %.1f MiB before, %.1f MiB after (after GC; %d latency samples held)",
		float64(before.HeapInuse)/(1<<20), float64(after.HeapInuse)/(1<<20), len(all))
}
