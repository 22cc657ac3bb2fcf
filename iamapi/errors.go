package iamapi

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
)

// Error codes of IAM's ErrorResponse. The first three are those the IAM API
// Reference lists for the simulator's actions (SimulateCustomPolicy:
// InvalidInput, PolicyEvaluation; SimulatePrincipalPolicy: InvalidInput,
// NoSuchEntity, PolicyEvaluation; GetContextKeysForCustomPolicy:
// InvalidInput; GetContextKeysForPrincipalPolicy: InvalidInput,
// NoSuchEntity); the others are the common errors every AWS Query API
// action may return (IAM API Reference, "Common Errors").
const (
	CodeInvalidInput          = "InvalidInput"          // 400: an invalid or out-of-range value for an input parameter
	CodeNoSuchEntity          = "NoSuchEntity"          // 404: the request names an entity that does not exist
	CodePolicyEvaluation      = "PolicyEvaluation"      // 500: a policy could not be evaluated
	CodeInvalidAction         = "InvalidAction"         // 400: the action is not one this endpoint answers
	CodeMissingAction         = "MissingAction"         // 400: no Action parameter
	CodeMissingParameter      = "MissingParameter"      // 400: a required parameter is missing
	CodeInvalidParameterValue = "InvalidParameterValue" // 400: a parameter is malformed (Version, a list index)
	CodeInvalidQueryParameter = "InvalidQueryParameter" // 400: a parameter this action does not take
	CodeMalformedQueryString  = "MalformedQueryString"  // 404: the query string cannot be read
	CodeInternalFailure       = "InternalFailure"       // 500: an unknown error
	CodeServiceUnavailable    = "ServiceUnavailable"    // 503: the server is busy (too many requests at once)
	// CodeRequestEntityTooLarge is iameval serve's: a body over its
	// --max-body limit (413).
	CodeRequestEntityTooLarge = "RequestEntityTooLarge"
)

// statusOf is the HTTP status code AWS returns with each error code (IAM
// API Reference: each action's Errors section and "Common Errors").
var statusOf = map[string]int{
	CodeInvalidInput:          http.StatusBadRequest,
	CodeNoSuchEntity:          http.StatusNotFound,
	CodePolicyEvaluation:      http.StatusInternalServerError,
	CodeInvalidAction:         http.StatusBadRequest,
	CodeMissingAction:         http.StatusBadRequest,
	CodeMissingParameter:      http.StatusBadRequest,
	CodeInvalidParameterValue: http.StatusBadRequest,
	CodeInvalidQueryParameter: http.StatusBadRequest,
	CodeMalformedQueryString:  http.StatusNotFound,
	CodeInternalFailure:       http.StatusInternalServerError,
	CodeServiceUnavailable:    http.StatusServiceUnavailable,
	CodeRequestEntityTooLarge: http.StatusRequestEntityTooLarge,
}

// Error is an IAM API error: its Code (one of the Code constants), a
// Message for people, and the HTTP status code that goes with the code.
type Error struct {
	Code    string
	Message string
}

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error returns "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// HTTPStatus is the HTTP status code AWS answers the error with: 400 for
// the sender's errors, 404 for NoSuchEntity and MalformedQueryString, 500
// for PolicyEvaluation and InternalFailure, 503 for ServiceUnavailable.
func (e *Error) HTTPStatus() int {
	if s, ok := statusOf[e.Code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Type is "Sender" for an error of the request (4xx) and "Receiver" for
// one of the server (5xx), as IAM's ErrorResponse says.
func (e *Error) Type() string {
	if e.HTTPStatus() >= 500 {
		return "Receiver"
	}
	return "Sender"
}

// errorResponse is IAM's ErrorResponse document.
type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Error     errorBody
	RequestID string `xml:"RequestId"`
}

type errorBody struct {
	Type    string
	Code    string
	Message string
}

// WriteErrorXML writes e as IAM's ErrorResponse XML document, in IAM's
// namespace, with requestID as its RequestId:
//
//	<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
//	  <Error><Type>Sender</Type><Code>InvalidInput</Code><Message>…</Message></Error>
//	  <RequestId>…</RequestId>
//	</ErrorResponse>
//
// The HTTP status (e.HTTPStatus) is the caller's to set.
func WriteErrorXML(w io.Writer, e *Error, requestID string) error {
	return writeXML(w, errorResponse{Xmlns: Namespace, Error: errorBody{Type: e.Type(), Code: e.Code, Message: e.Message}, RequestID: requestID})
}
