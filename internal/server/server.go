package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iameval/iameval/iamapi"
	"github.com/iameval/iameval/policy"
)

// Options configure a Server. The zero value of a field means its default;
// a negative timeout means no limit.
type Options struct {
	// Listen is the address ListenAndServe listens on (host:port). Default
	// 127.0.0.1:8080.
	Listen string
	// MaxBodyBytes caps the body of a single or batch request; a larger
	// body is refused with 413. Default 1 MiB. For an NDJSON stream it caps
	// each line instead (the stream itself has no length limit).
	MaxBodyBytes int64
	// MaxBatch caps the requests of one batch; a larger batch is refused
	// with 413. Default 1000.
	MaxBatch int
	// MaxConcurrent caps the decision and Query API requests being
	// decided at once: a single or batch request or a Query API request
	// holds a slot from before its body is read until it is answered; a
	// stream holds one only while it decides a line, not while it waits
	// for the next, so streams that trickle starve nobody. A request
	// beyond it waits for a slot until its context ends or QueueTimeout
	// passes, then gets 503 (a stream's line gets a ServiceUnavailable
	// error line, and the stream goes on). /healthz and /metrics are not counted. Default
	// 8×GOMAXPROCS: decisions are CPU-bound and take microseconds, so more
	// only helps requests that are slow to arrive, and the cap bounds the
	// memory of bodies being read (MaxConcurrent × MaxBodyBytes).
	MaxConcurrent int
	// QueueTimeout is how long a request waits for a slot. Default 10s.
	QueueTimeout time.Duration
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are
	// http.Server's. Defaults 10s, 60s, 60s and 120s. An NDJSON stream
	// pushes its read and write deadlines on by ReadTimeout and
	// WriteTimeout at every line, so they bound the wait for each line,
	// not the whole stream.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxHeaderBytes is http.Server's. Default 64 KiB.
	MaxHeaderBytes int
	// ShutdownTimeout is how long Serve waits, once its context ends, for
	// requests in flight to finish before closing their connections.
	// Default 30s.
	ShutdownTimeout time.Duration
	// Logger receives one line per request (info), reloads (info, error
	// when one fails) and warnings. Nil discards them.
	Logger *slog.Logger
	// Watch makes Serve watch the files and directories of every source
	// and reload when they change (see Watch).
	Watch bool
}

// Option defaults.
const (
	DefaultListen       = "127.0.0.1:8080"
	DefaultMaxBodyBytes = 1 << 20
	DefaultMaxBatch     = 1000
	DefaultQueueTimeout = 10 * time.Second

	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
)

// DefaultMaxConcurrent returns MaxConcurrent's default, 8×GOMAXPROCS.
func DefaultMaxConcurrent() int { return 8 * runtime.GOMAXPROCS(0) }

// withDefaults fills in the defaults of o.
func (o Options) withDefaults() Options {
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = DefaultMaxBatch
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = DefaultMaxConcurrent()
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	dur := func(d *time.Duration, def time.Duration) {
		switch {
		case *d == 0:
			*d = def
		case *d < 0:
			*d = 0 // http.Server: no limit
		}
	}
	dur(&o.QueueTimeout, DefaultQueueTimeout)
	dur(&o.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	dur(&o.ReadTimeout, DefaultReadTimeout)
	dur(&o.WriteTimeout, DefaultWriteTimeout)
	dur(&o.IdleTimeout, DefaultIdleTimeout)
	dur(&o.ShutdownTimeout, DefaultShutdownTimeout)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Server answers the decision API and the IAM Query API against the State
// it holds, which Reload replaces atomically. A Server is safe for
// concurrent use; it holds no global state (its metrics are in a registry
// of its own).
type Server struct {
	opts     Options
	src      Source
	state    atomic.Pointer[State]
	reloadMu sync.Mutex // one reload at a time, so generations count up
	// lastReload is the outcome of the last reload attempt (nil before
	// any), for /healthz
	lastReload atomic.Pointer[reloadOutcome]
	sem        chan struct{}
	log        *slog.Logger
	m          *metrics
	handler    http.Handler
	// watchReloaded, when not nil, is called by Watch after each reload
	// it makes, before it watches what the new state names: the tests'
	// way to change a source just then
	watchReloaded func()
}

// New returns a Server for src, with its first State loaded; it fails when
// that load fails.
func New(opts Options, src Source) (*Server, error) {
	opts = opts.withDefaults()
	st, err := Load(src)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts: opts,
		src:  src,
		sem:  make(chan struct{}, opts.MaxConcurrent),
		log:  opts.Logger,
		m:    newMetrics(),
	}
	s.state.Store(st)
	s.m.loaded(st)
	s.warnSkipped(st)
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s, nil
}

// warnSkipped logs the files st's load left out.
func (s *Server) warnSkipped(st *State) {
	for _, sk := range st.Skipped {
		s.log.Warn("not a policy: skipped", "file", sk.Path, "why", sk.Why)
	}
}

// ErrorLines returns the errors of a failed load one by one: each error
// of a policy's list of errors (which Error shows as the first and "(and
// N more errors)"), or err's text.
func ErrorLines(err error) []string {
	if err == nil {
		return nil
	}
	var list policy.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = e.Error()
		}
		return out
	}
	return []string{err.Error()}
}

// Options returns the options in effect, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// State returns the current State. It is never nil and must not be
// modified.
func (s *Server) State() *State { return s.state.Load() }

// Reload loads the sources anew. On success the new State, numbered one
// more than the current one, replaces it atomically: requests already
// started finish on the old one. On failure the current State stays, the
// errors are logged (each one: ErrorLines) and counted, and returned.
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	st, err := Load(s.src)
	outcome := &reloadOutcome{At: time.Now().UTC(), OK: err == nil}
	lines := ErrorLines(err)
	if err != nil {
		outcome.Error = strings.Join(lines, "\n")
	}
	defer s.lastReload.Store(outcome)
	if err != nil {
		s.m.reloads.WithLabelValues("failure").Inc()
		s.log.Error("reload failed: keeping the loaded policies", "generation", s.State().Generation, "errors", len(lines))
		for _, l := range lines {
			s.log.Error("reload failed", "error", l)
		}
		return err
	}
	s.warnSkipped(st)
	st.Generation = s.State().Generation + 1
	s.state.Store(st)
	s.m.reloads.WithLabelValues("success").Inc()
	s.m.loaded(st)
	s.log.Info("reloaded", "generation", st.Generation, "policySets", st.SetNames(), "accounts", len(st.Accounts))
	return nil
}

// Handler returns the HTTP handler of every route (see the package
// documentation), with its limits, metrics and logs.
func (s *Server) Handler() http.Handler { return s.handler }

// httpServer returns the http.Server Serve runs.
func (s *Server) httpServer(ctx context.Context) *http.Server {
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		ReadTimeout:       s.opts.ReadTimeout,
		WriteTimeout:      s.opts.WriteTimeout,
		IdleTimeout:       s.opts.IdleTimeout,
		MaxHeaderBytes:    s.opts.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
}

// ListenAndServe listens on Options.Listen and calls Serve.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.opts.Listen)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve answers requests on ln until ctx ends, then shuts down gracefully:
// it stops accepting connections and waits up to ShutdownTimeout for the
// requests in flight to finish (streams included), then closes what is
// left. With Options.Watch it also watches the sources (Watch) meanwhile.
// It returns nil after a clean shutdown, and an error when serving failed
// or requests were cut off.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := s.httpServer(ctx)
	var wg sync.WaitGroup
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer func() {
		stopWatch()
		wg.Wait()
	}()
	if s.opts.Watch {
		wg.Go(func() {
			if err := s.Watch(watchCtx); err != nil {
				s.log.Warn("not watching the sources: reload with SIGHUP", "error", err)
			}
		})
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing the requests in flight", "timeout", s.opts.ShutdownTimeout)
	sctx := context.Background()
	if s.opts.ShutdownTimeout > 0 {
		var cancel context.CancelFunc
		sctx, cancel = context.WithTimeout(sctx, s.opts.ShutdownTimeout)
		defer cancel()
	}
	err := hs.Shutdown(sctx)
	if err != nil {
		hs.Close()
		err = fmt.Errorf("shutdown: requests still in flight after %s were cut off: %w", s.opts.ShutdownTimeout, err)
	}
	if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// Route names, the values of the route label of the metrics and logs.
const (
	routeDecide  = "decide"
	routeHealthz = "healthz"
	routeMetrics = "metrics"
	routeQuery   = "query"
	routeOther   = "other"
)

// routeOf names the route of r.
func routeOf(r *http.Request) string {
	switch r.URL.Path {
	case "/v1/decide":
		return routeDecide
	case "/healthz":
		return routeHealthz
	case "/metrics":
		return routeMetrics
	}
	if r.Method == http.MethodPost && (r.URL.Path == "/" || mediaType(r) == "application/x-www-form-urlencoded") {
		return routeQuery
	}
	// AWS's Query protocol takes its parameters in the URL too
	if r.Method == http.MethodGet && r.URL.Path == "/" && r.URL.Query().Has("Action") {
		return routeQuery
	}
	return routeOther
}

// mediaType returns r's Content-Type without parameters, in lower case, or
// "" when there is none (or it does not parse).
func mediaType(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ct
	}
	return mt
}

// serveHTTP routes r, with the limits, metrics and the log line.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	route := routeOf(r)
	rec := &recorder{ResponseWriter: w}
	s.m.inFlight.Inc()
	defer func() {
		p := recover()
		if p == http.ErrAbortHandler {
			panic(p)
		}
		if p != nil {
			s.log.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
			if !rec.wrote {
				writeError(rec, errInternal("internal error"))
			}
		}
		s.m.inFlight.Dec()
		d := time.Since(start)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		s.m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		s.m.duration.WithLabelValues(route).Observe(d.Seconds())
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
			slog.Int("status", status), slog.Duration("duration", d), slog.Int64("bytes", rec.bytes),
			slog.String("remote", r.RemoteAddr))
	}()
	switch route {
	case routeDecide:
		s.handleDecide(rec, r)
	case routeHealthz:
		s.handleHealthz(rec, r)
	case routeMetrics:
		s.handleMetrics(rec, r)
	case routeQuery:
		if r.ContentLength > s.opts.MaxBodyBytes {
			// at once, rather than once the body is read (or the read times out)
			writeQueryError(rec, iamapi.Errorf(iamapi.CodeRequestEntityTooLarge, "the request body is %d bytes, over %d, the limit (--max-body)", r.ContentLength, s.opts.MaxBodyBytes), newRequestID())
			return
		}
		if !s.acquire(rec, r, writeQueryBusy) {
			return
		}
		defer s.release()
		s.queryAPI(rec, r, s.state.Load())
	default:
		if r.URL.Path == "/" {
			rec.Header().Set("Allow", "GET, POST")
			writeError(rec, &apiError{Status: http.StatusMethodNotAllowed, Code: codeMethodNotAllowed,
				Message: r.Method + " /: the IAM Query API takes POST (form-encoded), or GET with an Action query parameter; the decision API is POST /v1/decide"})
			return
		}
		writeError(rec, &apiError{Status: http.StatusNotFound, Code: codeNotFound,
			Message: fmt.Sprintf("no route %s %s: the routes are POST /v1/decide, GET /healthz, GET /metrics and the IAM Query API (form-encoded POST /, or GET /?Action=...)", r.Method, r.URL.Path)})
	}
}

// acquire takes a slot of the concurrency limit for r, waiting until r's
// context ends or QueueTimeout passes; then it answers 503 and returns
// false, having answered with busy (writeBusy for the JSON APIs,
// writeQueryBusy for the Query API's XML).
func (s *Server) acquire(w http.ResponseWriter, r *http.Request, busy func(w http.ResponseWriter, limit int)) bool {
	if s.waitSlot(r.Context()) {
		return true
	}
	w.Header().Set("Retry-After", "1")
	busy(w, s.opts.MaxConcurrent)
	return false
}

// waitSlot takes a slot of the concurrency limit, waiting until ctx ends
// or QueueTimeout passes; it reports whether it took one.
func (s *Server) waitSlot(ctx context.Context) bool {
	select {
	case s.sem <- struct{}{}:
		return true
	default:
	}
	var timeout <-chan time.Time
	if s.opts.QueueTimeout > 0 {
		t := time.NewTimer(s.opts.QueueTimeout)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case s.sem <- struct{}{}:
		return true
	case <-ctx.Done():
	case <-timeout:
	}
	return false
}

// writeBusy answers 503 in JSON: limit requests are in progress.
func writeBusy(w http.ResponseWriter, limit int) {
	writeError(w, &apiError{Status: http.StatusServiceUnavailable, Code: codeServiceUnavailable,
		Message: fmt.Sprintf("busy: %d requests in progress, the limit; retry later", limit)})
}

// release frees the slot acquire took.
func (s *Server) release() { <-s.sem }

// recorder records the status and size of a response for the metrics and
// the log. Unwrap lets http.ResponseController reach the connection.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap returns the wrapped ResponseWriter.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
