package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/iamapi"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// decideBody is the body of POST /v1/decide: one request, or a batch
// (Requests set).
type decideBody struct {
	PolicySet *string           `json:"policySet"`
	Principal *string           `json:"principal"`
	Action    *string           `json:"action"`
	Resource  *string           `json:"resource"`
	Context   json.RawMessage   `json:"context"`
	Requests  []json.RawMessage `json:"requests"`
}

const bodyFields = "policySet, principal, action, resource, context, or policySet and requests for a batch"

// decideRequest is one request: the whole body, a batch's item or a
// stream's line.
type decideRequest struct {
	PolicySet *string         `json:"policySet"`
	Principal *string         `json:"principal"`
	Action    *string         `json:"action"`
	Resource  *string         `json:"resource"`
	Context   json.RawMessage `json:"context"`
	// contextAt says where an offset of Context is in the body (or
	// stream)
	contextAt posFunc
}

const requestFields = "policySet, principal, action, resource, context"

// decideResult is the answer to one request.
type decideResult struct {
	PolicySet            string             `json:"policySet"`
	Generation           uint64             `json:"generation,omitempty"`
	EvalDecision         evaluator.Verdict  `json:"evalDecision"`
	Allowed              bool               `json:"allowed"`
	MatchedStatements    []matchedStatement `json:"matchedStatements"`
	MissingContextValues []string           `json:"missingContextValues"`
	Rule                 string             `json:"rule,omitempty"`
	RuleDescription      string             `json:"ruleDescription,omitempty"`
}

// matchedStatement is one statement that decided a request.
type matchedStatement struct {
	SourcePolicyID   string   `json:"sourcePolicyId"`
	SourcePolicyType string   `json:"sourcePolicyType"`
	Sid              string   `json:"sid"`
	StartPosition    position `json:"startPosition"`
	EndPosition      position `json:"endPosition"`
}

type position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// batchResult is the answer to a batch.
type batchResult struct {
	Generation uint64 `json:"generation"`
	Results    []any  `json:"results"`
}

// handleDecide answers POST /v1/decide: one request, a batch, or an NDJSON
// stream.
func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, &apiError{Status: http.StatusMethodNotAllowed, Code: codeMethodNotAllowed, Message: r.Method + " /v1/decide: want POST"})
		return
	}
	q := r.URL.Query()
	stream := q.Get("stream") == "1" || q.Get("stream") == "true"
	switch mt := mediaType(r); mt {
	case "application/x-ndjson", "application/jsonl", "application/x-jsonlines":
		stream = true
	case "", "application/json":
	default:
		msg := fmt.Sprintf("Content-Type %q: want application/json (one request or a batch) or application/x-ndjson (a stream)", mt)
		if mt == "application/x-www-form-urlencoded" {
			msg += "; curl -d sends application/x-www-form-urlencoded unless told: add -H 'Content-Type: application/json'"
		}
		writeError(w, &apiError{Status: http.StatusUnsupportedMediaType, Code: codeUnsupportedMediaType, Message: msg})
		return
	}
	defSet := q.Get("policySet")
	if !stream && r.ContentLength > s.opts.MaxBodyBytes {
		// at once, rather than once the body is read (or the read times out)
		s.writeTooLarge(w)
		return
	}
	st := s.state.Load() // once: the whole request decides against st
	if stream {
		s.decideStream(w, r, st, defSet) // a slot per line
		return
	}
	if !s.acquire(w, r, writeBusy) {
		return
	}
	defer s.release()
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.writeTooLarge(w)
			return
		}
		writeError(w, errInvalid("reading the body: "+err.Error()))
		return
	}
	var body decideBody
	pos := bodyPos(data)
	if aerr := decodeStrict(data, &body, bodyFields, pos); aerr != nil {
		writeError(w, aerr)
		return
	}
	root := gjson.ParseBytes(data)
	if aerr := checkDuplicateKeys(root, "requests", pos); aerr != nil {
		writeError(w, aerr) // a batch's items are checked one by one
		return
	}
	if body.PolicySet != nil {
		defSet = *body.PolicySet
	}
	if body.Requests == nil {
		res, aerr := s.decideOne(st, decideRequest{PolicySet: &defSet, Principal: body.Principal, Action: body.Action,
			Resource: body.Resource, Context: body.Context, contextAt: pos.shift(root.Get("context").Index)})
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		res.Generation = st.Generation
		writeJSON(w, http.StatusOK, res)
		return
	}
	if body.Principal != nil || body.Action != nil || body.Resource != nil || body.Context != nil {
		writeError(w, errInvalid("a batch takes policySet and requests only: give principal, action, resource and context in each of its requests"))
		return
	}
	if len(body.Requests) > s.opts.MaxBatch {
		writeError(w, &apiError{Status: http.StatusRequestEntityTooLarge, Code: codeRequestTooLarge,
			Message: fmt.Sprintf("a batch of %d requests: the limit is %d; split it, or send a stream (Content-Type: application/x-ndjson)", len(body.Requests), s.opts.MaxBatch)})
		return
	}
	out := batchResult{Generation: st.Generation, Results: make([]any, 0, len(body.Requests))}
	root.Get("requests").ForEach(func(_, item gjson.Result) bool {
		where := fmt.Sprintf("requests[%d]", len(out.Results))
		out.Results = append(out.Results, s.decideItem(st, []byte(item.Raw), defSet, where, pos.shift(item.Index)))
		return true
	})
	writeJSON(w, http.StatusOK, out)
}

// writeTooLarge answers 413: the body is over MaxBodyBytes.
func (s *Server) writeTooLarge(w http.ResponseWriter) {
	writeError(w, &apiError{Status: http.StatusRequestEntityTooLarge, Code: codeRequestTooLarge,
		Message: fmt.Sprintf("the body is over %d bytes, the limit (--max-body); send a stream (Content-Type: application/x-ndjson) for more", s.opts.MaxBodyBytes)})
}

// decideItem decides one batch item or stream line: its result, or its
// error as an errorBody. where names the item in messages, and pos says
// where its offsets are in the body or stream.
func (s *Server) decideItem(st *State, raw []byte, defSet, where string, pos posFunc) any {
	var req decideRequest
	aerr := decodeStrict(raw, &req, requestFields, pos)
	if aerr == nil {
		root := gjson.ParseBytes(raw)
		aerr = checkDuplicateKeys(root, "", pos)
		req.contextAt = pos.shift(root.Get("context").Index)
	}
	if aerr != nil {
		aerr.Message = where + ": " + aerr.Message
		return errorBody{aerr}
	}
	if req.PolicySet == nil {
		req.PolicySet = &defSet
	}
	res, aerr := s.decideOne(st, req)
	if aerr != nil {
		aerr.Message = where + ": " + aerr.Message
		return errorBody{aerr}
	}
	return res
}

// decideOne decides one request against st.
func (s *Server) decideOne(st *State, req decideRequest) (*decideResult, *apiError) {
	set, aerr := pickSet(st, req.PolicySet)
	if aerr != nil {
		return nil, aerr
	}
	rc, aerr := buildRequest(req)
	if aerr != nil {
		return nil, aerr
	}
	d := set.Engine.Evaluate(rc)
	s.countDecision(apiDecide, d.Verdict)
	return newResult(set.Name, rc, &d), nil
}

// pickSet finds the named set; without a name, the only set.
func pickSet(st *State, name *string) (*Set, *apiError) {
	if name == nil || *name == "" {
		switch len(st.Sets) {
		case 1:
			for _, s := range st.Sets {
				return s, nil
			}
		case 0:
			return nil, &apiError{Status: http.StatusNotFound, Code: codeNoSuchEntity, Message: "no policy set is loaded (the server was started with accounts only)"}
		}
		return nil, errInvalid(fmt.Sprintf("policySet is missing, and %d sets are loaded: name one of %s", len(st.Sets), quoteList(st.SetNames())))
	}
	set, ok := st.Sets[*name]
	if !ok {
		return nil, &apiError{Status: http.StatusNotFound, Code: codeNoSuchEntity,
			Message: fmt.Sprintf("no policy set %q: the sets are %s", *name, quoteList(st.SetNames()))}
	}
	return set, nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// buildRequest makes the request context of req exactly from what it
// gives, as AWS's policy simulator does: nothing is derived from the
// principal.
func buildRequest(req decideRequest) (*request.Context, *apiError) {
	rc := &request.Context{}
	switch {
	case req.Action == nil || *req.Action == "":
		return nil, errInvalid(`action is missing: want "service:Action" (s3:GetObject)`)
	case req.Resource == nil || *req.Resource == "":
		return nil, errInvalid(`resource is missing: want the resource's ARN, or "*" for a request on no particular resource`)
	}
	// as "iameval simulate" checks them: one action, no wildcard (decided
	// literally, "s3:*" would match an "s3:*" statement and be allowed)
	if err := policy.CheckActionName(*req.Action); err != nil {
		return nil, errInvalid(err.Error() + ` (want "service:Action", e.g. s3:GetObject)`)
	}
	if err := iamapi.CheckARN(*req.Resource, true); err != nil {
		return nil, errInvalid(fmt.Sprintf(`resource %v: give the resource's ARN, or "*" for a request on no particular resource`, err))
	}
	rc.Action, rc.Resource = *req.Action, *req.Resource
	if req.Principal != nil && *req.Principal != "" {
		p := *req.Principal
		if p != request.Anonymous {
			if err := request.CheckCaller(p); err != nil {
				return nil, errInvalid(fmt.Sprintf("principal %q: %v", p, err))
			}
		}
		rc.Principal = p
	}
	at := req.contextAt
	if at == nil {
		at = func(off int64) string { return fmt.Sprintf("byte %d of context", off) }
	}
	if err := setContext(rc, req.Context, at); err != nil {
		return nil, errInvalid(err.Error()) // it says "context"
	}
	return rc, nil
}

// newResult is the JSON answer to a decision.
func newResult(set string, rc *request.Context, d *evaluator.Decision) *decideResult {
	res := &decideResult{
		PolicySet:            set,
		EvalDecision:         d.Verdict,
		Allowed:              d.Allowed(),
		MatchedStatements:    []matchedStatement{},
		MissingContextValues: d.MissingContextValues(),
	}
	if res.MissingContextValues == nil {
		res.MissingContextValues = []string{}
	}
	for _, m := range d.MatchedStatements() {
		res.MatchedStatements = append(res.MatchedStatements, matchedStatement{
			SourcePolicyID:   m.PolicyID,
			SourcePolicyType: m.PolicyType.String(),
			Sid:              m.Sid,
			StartPosition:    position{m.Start.Line, m.Start.Column},
			EndPosition:      position{m.End.Line, m.End.Column},
		})
	}
	if d.Rule != evaluator.RuleNone {
		res.Rule = d.Rule.String()
		res.RuleDescription = d.Describe(rc.Action)
	}
	return res
}

// decideStream answers an NDJSON stream: one result line per request line,
// each written and flushed when decided. Blank lines are skipped. A line
// over MaxBodyBytes gets an error line and is skipped.
func (s *Server) decideStream(w http.ResponseWriter, r *http.Request, st *State, defSet string) {
	rc := http.NewResponseController(w)
	// HTTP/1 answers only after the body unless told that both may flow
	// at once; HTTP/2 always may
	_ = rc.EnableFullDuplex()
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	rc.Flush()
	br := bufio.NewReaderSize(r.Body, 64<<10)
	var line []byte
	enc := json.NewEncoder(w)
	var start, read int64 // the offset of the line in the stream, its length with its newline
	for n := 1; ; n++ {
		s.pushDeadlines(rc)
		var tooLong bool
		var err error
		start += read
		line, read, tooLong, err = readLine(br, line[:0], s.opts.MaxBodyBytes)
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			var out any
			if tooLong {
				out = errorBody{&apiError{Status: http.StatusRequestEntityTooLarge, Code: codeRequestTooLarge,
					Message: fmt.Sprintf("line %d: over %d bytes, the limit for a line (--max-body)", n, s.opts.MaxBodyBytes)}}
			} else {
				out = s.decideLine(r, st, line, defSet, n, start)
			}
			if werr := enc.Encode(out); werr != nil {
				return // the client went away
			}
			if ferr := rc.Flush(); ferr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				s.log.Warn("stream cut short", "path", r.URL.Path, "line", n, "error", err)
				enc.Encode(errorBody{errInvalid(fmt.Sprintf("line %d: reading the stream: %v", n, err))})
			}
			return
		}
	}
}

// decideLine decides line n of a stream, which starts at byte start,
// holding a slot of the concurrency limit while it does: its result or
// its error.
func (s *Server) decideLine(r *http.Request, st *State, line []byte, defSet string, n int, start int64) any {
	if !s.waitSlot(r.Context()) {
		return errorBody{&apiError{Status: http.StatusServiceUnavailable, Code: codeServiceUnavailable,
			Message: fmt.Sprintf("line %d: busy: %d requests in progress, the limit; send it again later", n, s.opts.MaxConcurrent)}}
	}
	defer s.release()
	item := s.decideItem(st, line, defSet, fmt.Sprintf("line %d", n), linePos(n, start))
	if res, ok := item.(*decideResult); ok {
		res.Generation = st.Generation
	}
	return item
}

// pushDeadlines moves the connection's deadlines on for the next line of a
// stream, so that ReadTimeout and WriteTimeout bound each line rather than
// the whole stream.
func (s *Server) pushDeadlines(rc *http.ResponseController) {
	now := time.Now()
	if s.opts.ReadTimeout > 0 {
		_ = rc.SetReadDeadline(now.Add(s.opts.ReadTimeout))
	}
	if s.opts.WriteTimeout > 0 {
		_ = rc.SetWriteDeadline(now.Add(s.opts.WriteTimeout))
	}
}

// readLine reads one line (without its newline) into buf. A line longer
// than limit is read to its end but not kept: tooLong is set and buf holds
// at most limit bytes. read counts the bytes read, the newline included.
// err is io.EOF after the last line.
func readLine(br *bufio.Reader, buf []byte, limit int64) (line []byte, read int64, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		read += int64(len(chunk))
		if !tooLong {
			if int64(len(buf)+len(chunk)) > limit+1 { // +1: the newline
				tooLong = true
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if tooLong {
			buf = buf[:0]
		}
		return bytes.TrimSuffix(buf, []byte("\n")), read, tooLong, err
	}
}

// posFunc says where an offset of a JSON text is in the request's body
// (or stream): "line L, column C (byte O)".
type posFunc func(off int64) string

// bodyPos counts offsets in body.
func bodyPos(body []byte) posFunc { return func(off int64) string { return at(body, off) } }

// shift returns the posFunc of a text that starts at offset base of p's.
func (p posFunc) shift(base int) posFunc {
	return func(off int64) string { return p(int64(base) + off) }
}

// linePos counts offsets in line n of a stream, which starts at byte start
// of the stream.
func linePos(n int, start int64) posFunc {
	return func(off int64) string {
		return fmt.Sprintf("line %d, column %d (byte %d)", n, off+1, start+off)
	}
}

// decodeStrict decodes data, one JSON object, into v, refusing unknown
// fields; the error names the position (pos says where an offset of data
// is) or the field. fields lists the known fields, for the message.
func decodeStrict(data []byte, v any, fields string, pos posFunc) *apiError {
	t := bytes.TrimSpace(data)
	switch string(t) {
	case "":
		return errInvalid("the body is empty: want a JSON object")
	case "null":
		return errInvalid("want a JSON object, not null")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			off := dec.InputOffset()
			return errInvalid(fmt.Sprintf("invalid JSON at %s: text after the JSON value", pos(off)))
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the bytes read, the wrong one included
		return errInvalid(fmt.Sprintf("invalid JSON at %s: %s", pos(syn.Offset-1), strings.TrimPrefix(syn.Error(), "json: ")))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errInvalid(fmt.Sprintf("invalid JSON at %s: unexpected end of the JSON value", pos(int64(len(data)))))
	case errors.As(err, &typ):
		what := "the request"
		if typ.Field != "" {
			what = typ.Field
		}
		return errInvalid(fmt.Sprintf("%s at %s: want %s, not %s", what, pos(valueStart(data, typ.Offset, typ.Value)), jsonKind(typ.Type.String()), valueKind(typ.Value)))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errInvalid(fmt.Sprintf("unknown field %s (the fields are %s)", strings.TrimPrefix(err.Error(), "json: unknown field "), fields))
	}
	return errInvalid("invalid JSON: " + strings.TrimPrefix(err.Error(), "json: "))
}

// checkDuplicateKeys refuses a key given twice in an object of v (valid
// JSON), at any depth, as "iameval simulate --input" does: encoding/json
// would keep the last silently. The items of the top-level member named
// skipItemsOf (a batch's requests, checked one by one) are not looked
// into. pos says where v's offsets are.
func checkDuplicateKeys(v gjson.Result, skipItemsOf string, pos posFunc) *apiError {
	var dup gjson.Result
	found := false
	var walk func(v gjson.Result, top bool)
	walk = func(v gjson.Result, top bool) {
		switch {
		case v.IsObject():
			seen := map[string]bool{}
			v.ForEach(func(k, val gjson.Result) bool {
				if seen[k.Str] {
					dup, found = k, true
					return false
				}
				seen[k.Str] = true
				if !top || skipItemsOf == "" || k.Str != skipItemsOf || !val.IsArray() {
					walk(val, false)
				}
				return !found
			})
		case v.IsArray():
			v.ForEach(func(_, val gjson.Result) bool {
				walk(val, false)
				return !found
			})
		}
	}
	walk(v, true)
	if !found {
		return nil
	}
	return errInvalid(fmt.Sprintf("duplicate key %q at %s: give each key once", dup.Str, pos(int64(dup.Index))))
}

// valueStart finds where the value of an UnmarshalTypeError starts: its
// Offset is just past a literal (a number, a string, ...), or just past the
// bracket that opens an array or object.
func valueStart(data []byte, off int64, kind string) int64 {
	if off <= 0 || off > int64(len(data)) {
		return off
	}
	i := off - 1
	switch {
	case kind == "array" || kind == "object":
		return i
	case strings.HasPrefix(kind, "string"):
		for i--; i > 0 && (data[i] != '"' || data[i-1] == '\\'); i-- {
		}
		return i
	}
	for i > 0 && strings.IndexByte(" \t\r\n:,[", data[i-1]) < 0 {
		i--
	}
	return i
}

// jsonKind names the Go type of a request's field as the JSON it wants.
func jsonKind(goType string) string {
	switch goType {
	case "server.decideBody", "server.decideRequest", "server.contextEntry":
		return "an object"
	case "string", "*string":
		return "a string"
	case "[]json.RawMessage":
		return "a list"
	case "[]string", "*[]string":
		return "a list of strings"
	}
	return "another kind of value"
}

// valueKind names the kind of JSON value an UnmarshalTypeError's Value
// describes ("string", "number", "number 1.5", "bool", "array", "object").
func valueKind(v string) string {
	switch kind, _, _ := strings.Cut(v, " "); kind {
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "a boolean"
	case "array":
		return "a list"
	case "object":
		return "an object"
	}
	return v
}

// at says where offset (in bytes) is in data: "line L, column C (byte
// O)", columns counted in bytes from 1.
func at(data []byte, offset int64) string {
	if offset < 0 {
		offset = 0
	}
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d (byte %d)", line, col, offset)
}
