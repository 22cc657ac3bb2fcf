package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/iameval/iameval/evaluator"
)

// metrics are a Server's Prometheus metrics, in a registry of its own.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec   // route, code
	duration   *prometheus.HistogramVec // route
	decisions  *prometheus.CounterVec   // api, decision
	decide     [3]prometheus.Counter    // the decision API's, by verdict
	inFlight   prometheus.Gauge
	reloads    *prometheus.CounterVec // result
	generation prometheus.Gauge
	lastReload prometheus.Gauge
	handler    http.Handler
}

// The api label of decisions made by the decision API.
const apiDecide = "decide"

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "iameval_http_requests_total",
			Help: "HTTP requests answered, by route (decide, query, healthz, metrics, other) and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "iameval_http_request_duration_seconds",
			Help:    "Time from a request's arrival to the end of its answer, by route.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "iameval_decisions_total",
			Help: "Requests decided, by API (decide, or query for the IAM Query API) and evalDecision.",
		}, []string{"api", "decision"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "iameval_http_requests_in_flight",
			Help: "HTTP requests being answered.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "iameval_reloads_total",
			Help: "Reloads of the policy sets and accounts, by result (success, failure).",
		}, []string{"result"}),
		generation: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "iameval_state_generation",
			Help: "The generation of the loaded state: 1 at start, one more per successful reload.",
		}),
		lastReload: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "iameval_state_loaded_timestamp_seconds",
			Help: "When the loaded state was loaded (the last successful load or reload), in Unix seconds.",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.decisions, m.inFlight, m.reloads, m.generation, m.lastReload,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, v := range []evaluator.Verdict{evaluator.ImplicitDeny, evaluator.Allowed, evaluator.ExplicitDeny} {
		m.decide[v] = m.decisions.WithLabelValues(apiDecide, v.String())
	}
	m.reloads.WithLabelValues("success")
	m.reloads.WithLabelValues("failure")
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// loaded records a newly published state.
func (m *metrics) loaded(st *State) {
	m.generation.Set(float64(st.Generation))
	m.lastReload.Set(float64(st.LoadedAt.UnixNano()) / 1e9)
}

// countDecision counts one decision of api (apiDecide, or the Query API's
// action name) for the metrics.
func (s *Server) countDecision(api string, verdict evaluator.Verdict) {
	if api == apiDecide && int(verdict) < len(s.m.decide) {
		s.m.decide[verdict].Inc()
		return
	}
	s.m.decisions.WithLabelValues(api, verdict.String()).Inc()
}

// Registry returns the Prometheus registry of the Server's metrics, to
// gather them or to add collectors.
func (s *Server) Registry() *prometheus.Registry { return s.m.reg }

// handleMetrics answers GET /metrics: the Prometheus text exposition.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, &apiError{Status: http.StatusMethodNotAllowed, Code: codeMethodNotAllowed, Message: r.Method + " /metrics: want GET"})
		return
	}
	s.m.handler.ServeHTTP(w, r)
}
