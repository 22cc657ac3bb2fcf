package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/iameval/iameval/internal/server"
)

const serveHelp = `Usage: iameval serve (--policy-set NAME=PATH | --account FILE)... [flags]

Runs an HTTP server that decides IAM requests for services and scripts, on
loopback (127.0.0.1:8080) unless --listen says otherwise. Two APIs:

  the decision API   POST /v1/decide, JSON: one request, a batch, or an
                     NDJSON stream, against a --policy-set by name
  the IAM Query API  a form-encoded POST (to /), as the AWS CLI and SDKs send
                     it with --endpoint-url (its policy simulator actions),
                     or GET /?Action=... with the parameters in the URL

and GET /healthz (what is loaded, and the last reload) and GET /metrics
(Prometheus).

--policy-set NAME=PATH names a policy set: PATH is a policy file (one identity
policy), a directory (every *.json policy under it, as identity policies; as
for "iameval simulate --policy DIR", JSON that is not a policy, such as a
config file, is skipped with a warning, and a policy that does not parse
fails the load), or a policy set file (a test suite's "policies" and "sets";
each set becomes NAME/SETNAME). --account FILE loads an account dump (aws iam
get-account-authorization-details) for the Query API's principal requests.

A decision:

  curl -s localhost:8080/v1/decide -H 'Content-Type: application/json' -d '{
    "policySet": "app", "principal": "arn:aws:iam::123456789012:user/alice",
    "action": "s3:GetObject", "resource": "arn:aws:s3:::reports/q3.csv",
    "context": {"aws:MultiFactorAuthPresent": "true"}}'

  {"policySet": "app", "generation": 1, "evalDecision": "allowed", "allowed": true,
   "matchedStatements": [{"sourcePolicyId": "policies/app.json", "sourcePolicyType": "identity",
     "sid": "AllowReports", "startPosition": {"line": 4, "column": 5}, "endPosition": {...}}],
   "missingContextValues": []}

evalDecision is allowed, explicitDeny or implicitDeny. policySet may be left
out when one set is loaded. action and resource are required (resource "*"
only when you write it). principal is optional: without one, as in AWS's
simulator without CallerArn, only identity-side policies decide, and a set
holding a resource policy denies (rule callerRequired: a resource policy
needs a caller; the Query API refuses such a request). The request
carries exactly the context keys given; nothing is derived from the principal
(a policy testing aws:username sees it only if you send it, and every key a
policy needed and lacked is in missingContextValues), as "iameval simulate"
without --live-context. context is AWS's ContextEntries list
([{"ContextKeyName", "ContextKeyValues", "ContextKeyType"}]) or an object
{"KEY": "VALUE" or ["V1", "V2"]}, each global key taking the type AWS fixes
for it (aws:MultiFactorAuthPresent boolean, aws:SourceIp ip, aws:TagKeys
stringList, ...), any other key a string (a list: stringList).

A batch, {"policySet": "app", "requests": [{...}, ...]}, answers
{"generation": N, "results": [...]} in order; a wrong request gets
{"error": {...}} in its place. A stream (Content-Type: application/x-ndjson,
or ?stream=1; ?policySet=NAME for its default set) is one request per line,
answered one line per line as each is decided. Errors are
{"error": {"code", "message"}} with 400 (bad JSON with its line and column,
an unknown field, a key given twice, a missing member, an action with a
wildcard or a resource that is not an ARN: checked as "iameval simulate"
checks them), 404 (no such set), 405, 413, 415 or 503.

The IAM Query API answers SimulateCustomPolicy, SimulatePrincipalPolicy,
GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy as IAM
does (Action and Version=2010-05-08, XML in IAM's namespace, MaxItems and
Marker pages, IAM's ErrorResponse: InvalidInput 400, NoSuchEntity 404 for a
PolicySourceArn no --account holds, PolicyEvaluation 500, and the common
errors such as InvalidAction). Its decisions are those of "iameval simulate"
on the same request, made by the same code: only the context the request
supplies, a user as the default caller of its own SimulatePrincipalPolicy.
Point the AWS CLI or an SDK at it with any credentials:

  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \
  aws iam simulate-principal-policy --endpoint-url http://127.0.0.1:8080 \
      --policy-source-arn arn:aws:iam::123456789012:user/alice \
      --action-names s3:GetObject iam:CreateAccessKey

PolicySourceArn names a user, a group or a role of a dump (a group has no
default caller); ResourceHandlingOption is checked, not modelled.

Reload: SIGHUP, or (with --watch, the default) a change to a file or directory
of a source or to a symlink on the way to one (a Kubernetes ConfigMap volume's
update swaps its ..data symlink), reloads everything; the new sets replace the
old ones atomically once all of them load (generation N+1), and a request is
decided wholly by one generation. A reload that fails keeps the old sets and
logs why (each error), and GET /healthz, still 200, says "stale": true and
"lastReload": {"at": TIME, "ok": false, "error": "..."} until a reload works
("ok": true, "stale": false).

Limits: --max-body per body (per line for streams; a body whose Content-Length
is over it gets 413 before it is read), --max-batch requests per batch,
--max-concurrent decisions in progress, and the timeouts below.
--max-concurrent counts slots: a request (single, batch or Query API) holds
one from its body to its answer; a stream takes one for each line while it
decides it, not while it waits for the next line, so slow streams starve
nobody. Beyond it a request waits up to 10s for a slot, then gets 503 (a
stream's line: a ServiceUnavailable error line, and the stream goes on).
SIGINT or SIGTERM stops accepting connections and finishes the requests in
flight (within --shutdown-timeout), then exits 0.

No authentication: any caller gets decisions, and the Query API accepts any
AWS credentials (any access key works; signatures are not checked). Keep it on
loopback, or put something that authenticates in front; a --listen address
that is not loopback is warned about.

On start it prints, on stderr, what was loaded and the line
"iameval serve: listening on http://HOST:PORT" (the port chosen when --listen
ends in :0). Logs (one line per request, reloads) go to stderr.

Exit codes: 0 stopped by SIGINT or SIGTERM; 1 the server failed (cannot
listen, or requests were cut off at shutdown); 2 bad usage, or a source that
cannot be loaded (file:line:col: message, a line for each error).

Examples:
  iameval serve --policy-set app=policies/
  iameval serve --policy-set mfa=examples/mfa.iamtest.json --account dump.json --listen 127.0.0.1:0

Flags:
`

// serveFlags are the flags of iameval serve.
type serveFlags struct {
	listen, maxBody, logFormat, logLevel                                 string
	accounts, sets                                                       []string
	watch                                                                bool
	maxConcurrent, maxBatch                                              int
	readHeaderTimeout, readTimeout, writeTimeout, idleTimeout, shutdownT time.Duration
}

func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	return serve(ctx, args, stdout, stderr, hup)
}

// serve is iameval serve until ctx ends; each value on reload reloads.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer, reload <-chan os.Signal) int {
	g := newGrammar("serve", serveHelp)
	var f serveFlags
	g.string(&f.listen, "listen", "", server.DefaultListen, "listen on `ADDR` (host:port; :0 picks a free port; a non-loopback address is warned about)")
	g.fs.StringArrayVar(&f.sets, "policy-set", nil, "serve the policy set `NAME=PATH`: a policy file, a directory of policies, or a policy set file (repeatable)")
	g.fs.StringArrayVar(&f.accounts, "account", nil, "load the account dump `FILE` (aws iam get-account-authorization-details; repeatable)")
	g.fs.BoolVar(&f.watch, "watch", true, "reload when a source's files change (default true; --watch=false to reload on SIGHUP only)")
	g.string(&f.maxBody, "max-body", "", "1MiB", "refuse a request body (or stream line) over `SIZE`: bytes, or with KiB or MiB")
	g.fs.IntVar(&f.maxBatch, "max-batch", server.DefaultMaxBatch, "refuse a batch of more than `N` requests (default 1000)")
	g.fs.IntVar(&f.maxConcurrent, "max-concurrent", server.DefaultMaxConcurrent(), fmt.Sprintf("bound the decisions in progress to `N`: a request holds a slot until answered, a stream one per line while deciding it; more wait up to 10s, then get 503 (default 8 per CPU, here %d)", server.DefaultMaxConcurrent()))
	g.fs.DurationVar(&f.readHeaderTimeout, "read-header-timeout", server.DefaultReadHeaderTimeout, "wait at most `D` for a request's headers (default 10s)")
	g.fs.DurationVar(&f.readTimeout, "read-timeout", server.DefaultReadTimeout, "wait at most `D` for a request's body; for a stream, for each line (default 1m0s)")
	g.fs.DurationVar(&f.writeTimeout, "write-timeout", server.DefaultWriteTimeout, "take at most `D` to write an answer; for a stream, each line (default 1m0s)")
	g.fs.DurationVar(&f.idleTimeout, "idle-timeout", server.DefaultIdleTimeout, "close a keep-alive connection idle for `D` (default 2m0s)")
	g.fs.DurationVar(&f.shutdownT, "shutdown-timeout", server.DefaultShutdownTimeout, "at shutdown, wait at most `D` for the requests in flight (default 30s)")
	g.string(&f.logFormat, "log-format", "", "text", "write logs as `FORMAT`: text or json")
	g.string(&f.logLevel, "log-level", "", "info", "log at `LEVEL` and above: debug, info (a line per request), warn or error")
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "serve")
	if g.fs.NArg() > 0 {
		return usageErr("unexpected argument %q (sources are given with --policy-set NAME=PATH and --account FILE)", g.fs.Arg(0))
	}
	if len(f.sets) == 0 && len(f.accounts) == 0 {
		return usageErr("nothing to serve: give --policy-set NAME=PATH (repeatable) or --account FILE")
	}
	var src server.Source
	for _, s := range f.sets {
		name, path, ok := strings.Cut(s, "=")
		if !ok || name == "" || path == "" {
			return usageErr("--policy-set %q: want NAME=PATH", s)
		}
		src.PolicySets = append(src.PolicySets, server.SetSource{Name: name, Path: filePath(path)})
	}
	for _, a := range f.accounts {
		if a == "" {
			return usageErr("--account: empty file name")
		}
		src.Accounts = append(src.Accounts, filePath(a))
	}
	maxBody, err := parseSize(f.maxBody)
	if err != nil {
		return usageErr("--max-body %q: %v", f.maxBody, err)
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"max-batch", f.maxBatch}, {"max-concurrent", f.maxConcurrent}} {
		if n.v < 1 {
			return usageErr("--%s %d: want 1 or more", n.name, n.v)
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"read-header-timeout", f.readHeaderTimeout}, {"read-timeout", f.readTimeout}, {"write-timeout", f.writeTimeout}, {"idle-timeout", f.idleTimeout}, {"shutdown-timeout", f.shutdownT}} {
		if d.v <= 0 {
			return usageErr("--%s %s: want a duration above 0 (5s, 1m)", d.name, d.v)
		}
	}
	logger, err := newServeLogger(stderr, f.logFormat, f.logLevel)
	if err != nil {
		return usageErr("%v", err)
	}
	opts := server.Options{
		Listen:            f.listen,
		MaxBodyBytes:      maxBody,
		MaxBatch:          f.maxBatch,
		MaxConcurrent:     f.maxConcurrent,
		ReadHeaderTimeout: f.readHeaderTimeout,
		ReadTimeout:       f.readTimeout,
		WriteTimeout:      f.writeTimeout,
		IdleTimeout:       f.idleTimeout,
		ShutdownTimeout:   f.shutdownT,
		Logger:            logger,
		Watch:             f.watch,
	}
	s, err := server.New(opts, src)
	if err != nil {
		for _, l := range server.ErrorLines(err) { // each error, not the first and "(and N more)"
			fmt.Fprintf(stderr, "iameval serve: %s\n", oneLine(l))
		}
		return exitUsage
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		fmt.Fprintf(stderr, "iameval serve: %v\n", err)
		return exitCheck
	}
	addr := listenAddr(f.listen, ln.Addr().String())
	if host, _, err := net.SplitHostPort(ln.Addr().String()); err != nil || !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(stderr, "iameval serve: WARNING: listening on %s, which is not a loopback address: this server has no authentication; anyone who reaches it gets decisions, and its Query API accepts any AWS credentials\n", addr)
	}
	writeServeSummary(stderr, s.State(), f.watch)
	fmt.Fprintf(stderr, "iameval serve: listening on http://%s\n", addr)

	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-reload:
				logger.Info("SIGHUP: reloading")
				s.Reload() // logged by the server; a failure keeps the old state
			case <-done:
				return
			}
		}
	}()
	if err := s.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "iameval serve: %v\n", err)
		return exitCheck
	}
	fmt.Fprintln(stderr, "iameval serve: stopped")
	return exitOK
}

// listenAddr is the address to print: the host of --listen as given (the
// listener's when it gives none), and the port listened on.
func listenAddr(flag, actual string) string {
	host, _, err := net.SplitHostPort(flag)
	ahost, port, aerr := net.SplitHostPort(actual)
	if aerr != nil {
		return actual
	}
	if err != nil || host == "" {
		host = ahost
	}
	return net.JoinHostPort(host, port)
}

// writeServeSummary says what is loaded.
func writeServeSummary(w io.Writer, st *server.State, watch bool) {
	var sets []string
	for _, n := range st.SetNames() {
		s := st.Sets[n]
		sets = append(sets, fmt.Sprintf("%s (%s %s, %s)", n, s.Kind, s.Path, count(s.Policies, "policy", "policies")))
	}
	if len(sets) == 0 {
		sets = []string{"none"}
	}
	fmt.Fprintf(w, "iameval serve: generation %d: policy sets: %s\n", st.Generation, strings.Join(sets, ", "))
	var accts []string
	for i, a := range st.Accounts {
		accts = append(accts, fmt.Sprintf("%s (%s, %d users, %d roles)", accountIDText(a.ID), st.AccountFiles[i], len(a.Users), len(a.Roles)))
	}
	if len(accts) == 0 {
		accts = []string{"none"}
	}
	fmt.Fprintf(w, "iameval serve: accounts: %s\n", strings.Join(accts, ", "))
	if watch {
		fmt.Fprintln(w, "iameval serve: reloads on SIGHUP and when the sources' files change")
	} else {
		fmt.Fprintln(w, "iameval serve: reloads on SIGHUP (--watch=false)")
	}
}

// newServeLogger makes the logger of --log-format and --log-level.
func newServeLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	o := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, o)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, o)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// parseSize reads a size: bytes, or a number with KiB, MiB or GiB (KB,
// MB, GB, K, M and G mean the same).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if len(t) > len(u.suffix) && strings.EqualFold(t[len(t)-len(u.suffix):], u.suffix) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 1 || n > (1<<40)/mult {
		return 0, fmt.Errorf("want a size of 1 byte or more: 1048576, 512KiB, 1MiB")
	}
	return n * mult, nil
}
