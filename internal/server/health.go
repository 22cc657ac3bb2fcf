package server

import (
	"net/http"
	"time"
)

// health is the answer of GET /healthz.
type health struct {
	Status     string      `json:"status"`
	Generation uint64      `json:"generation"`
	LoadedAt   time.Time   `json:"loadedAt"`
	PolicySets []setHealth `json:"policySets"`
	Accounts   int         `json:"accounts"`
	// Stale is true when the last reload failed: the state served is older
	// than the files.
	Stale bool `json:"stale"`
	// LastReload is the last reload attempt; absent before the first.
	LastReload *reloadOutcome `json:"lastReload,omitempty"`
}

// reloadOutcome is one reload attempt: when, whether it worked, and the
// error when it failed.
type reloadOutcome struct {
	At    time.Time `json:"at"`
	OK    bool      `json:"ok"`
	Error string    `json:"error,omitempty"`
}

type setHealth struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Path     string `json:"path"`
	Policies int    `json:"policies"`
	Digest   string `json:"digest"`
}

// handleHealthz answers GET /healthz: the state loaded, and the last
// reload attempt.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, &apiError{Status: http.StatusMethodNotAllowed, Code: codeMethodNotAllowed, Message: r.Method + " /healthz: want GET"})
		return
	}
	st := s.state.Load()
	h := health{Status: "ok", Generation: st.Generation, LoadedAt: st.LoadedAt.UTC(), PolicySets: []setHealth{}, Accounts: len(st.Accounts)}
	if lr := s.lastReload.Load(); lr != nil {
		// 200 still: the server serves the state it has
		h.LastReload, h.Stale = lr, !lr.OK
	}
	for _, n := range st.SetNames() {
		set := st.Sets[n]
		h.PolicySets = append(h.PolicySets, setHealth{Name: n, Kind: set.Kind, Path: set.Path, Policies: set.Policies, Digest: set.Digest})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, h)
}
