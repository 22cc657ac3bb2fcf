package server

import (
	"encoding/json"
	"net/http"
)

// Error codes of the decision API's error responses,
// {"error": {"code": CODE, "message": "..."}}.
const (
	codeInvalidInput         = "InvalidInput"         // 400: the request is malformed or incomplete
	codeNoSuchEntity         = "NoSuchEntity"         // 404: no policy set of that name (per item in a batch or stream)
	codeNotFound             = "NotFound"             // 404: no such route
	codeMethodNotAllowed     = "MethodNotAllowed"     // 405
	codeRequestTooLarge      = "RequestTooLarge"      // 413: a body, batch or stream line over its limit
	codeUnsupportedMediaType = "UnsupportedMediaType" // 415
	codeServiceUnavailable   = "ServiceUnavailable"   // 503: too many requests in progress
	codeInternalFailure      = "InternalFailure"      // 500
)

// apiError is an error answer of the decision API.
type apiError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// errorBody is the JSON of an error: the whole response, or one item of a
// batch or stream.
type errorBody struct {
	Error *apiError `json:"error"`
}

func errInvalid(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: codeInvalidInput, Message: msg}
}

func errInternal(msg string) *apiError {
	return &apiError{Status: http.StatusInternalServerError, Code: codeInternalFailure, Message: msg}
}

// writeError answers e as JSON.
func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, errorBody{e})
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		data, _ = json.Marshal(errorBody{errInternal("encoding the answer: " + err.Error())})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}
