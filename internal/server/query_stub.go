package server

import "net/http"

// queryAPI answers the IAM Query API (a form-encoded POST): st is the State
// the request decides against, loaded once. This stub answers 501; the
// Query API handler (query.go) replaces it.
func (s *Server) queryAPI(w http.ResponseWriter, r *http.Request, st *State) {
	_ = st
	writeError(w, &apiError{Status: http.StatusNotImplemented, Code: "NotImplemented", Message: "the IAM Query API is not built into this server yet"})
}
