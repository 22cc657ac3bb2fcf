// Package server is iameval serve: an HTTP server that decides IAM requests
// for services, against policy sets and account dumps loaded from files and
// swapped atomically on reload.
//
// Everything a request decides against is one State (a generation of
// compiled policy sets and loaded accounts). Every handler reads the
// current State once and uses it to the end of the request, a batch or a
// stream included, so a request sees the sets before a reload or after it,
// never a mix. Reload (on SIGHUP, or when Watch sees the files change)
// loads everything anew and swaps the State in only when all of it loaded;
// otherwise the old State stays and the failure is logged and counted.
//
// # Routes
//
//	POST /v1/decide    the decision API (JSON, below)
//	GET  /healthz      {"status": "ok", "generation": N, "loadedAt": TIME,
//	                    "policySets": [{"name", "kind", "path", "policies", "digest"}],
//	                    "accounts": N, "stale": false,
//	                    "lastReload": {"at": TIME, "ok": BOOL, "error": "..."}}
//	                   always 200 while it serves; lastReload is the last
//	                   reload attempt (absent before the first, error only
//	                   when it failed), and stale is true while that attempt
//	                   failed: the state served is older than the files
//	GET  /metrics      Prometheus text exposition
//	POST /             the IAM Query API (Action=SimulateCustomPolicy&...,
//	                   form-encoded), as is any POST with Content-Type
//	                   application/x-www-form-urlencoded to a path not listed here
//	GET  /?Action=...  the IAM Query API, its parameters in the URL
//
// # The decision API
//
// A request (Content-Type: application/json):
//
//	{"policySet": "NAME", "principal": "arn:aws:iam::123456789012:user/alice",
//	 "action": "s3:GetObject", "resource": "arn:aws:s3:::reports/q3.csv",
//	 "context": {"aws:MultiFactorAuthPresent": "true"}}
//
// policySet may be left out when one set is loaded (or given as the query
// parameter ?policySet=NAME). action and resource are required; resource
// is an ARN, or "*" when written so: none is ever made up. principal is
// optional: without one, as in AWS's policy simulator without CallerArn,
// only identity-side policies decide; "anonymous" is an unsigned request.
// The request carries exactly the context keys given: nothing is derived
// from the principal (no aws:username, aws:PrincipalArn, ...), and a key a
// policy needed and the request lacked is listed in missingContextValues.
// context is AWS's ContextEntries list, [{"ContextKeyName": ...,
// "ContextKeyValues": [...], "ContextKeyType": ...}], or an object of keys
// and values in which each global key AWS types takes that type
// (aws:MultiFactorAuthPresent boolean, aws:MultiFactorAuthAge numeric,
// aws:SourceIp ip, aws:TagKeys stringList, ...) and any other key is a
// string, or a stringList when its value is a list.
//
// The answer:
//
//	{"policySet": "NAME", "generation": 3, "evalDecision": "explicitDeny", "allowed": false,
//	 "matchedStatements": [{"sourcePolicyId": "policies/force-mfa.json", "sourcePolicyType": "identity",
//	   "sid": "DenyAllExceptListedIfNoMFA", "startPosition": {"line": 90, "column": 9},
//	   "endPosition": {"line": 109, "column": 10}}],
//	 "missingContextValues": [],
//	 "rule": "...", "ruleDescription": "..."}
//
// evalDecision is allowed, explicitDeny or implicitDeny; rule and
// ruleDescription appear when a rule of the evaluation logic rather than a
// statement decided (see evaluator.Rule).
//
// A batch is {"policySet": "NAME", "requests": [REQUEST, ...]}, at most
// Options.MaxBatch requests (default 1000); each request may name its own
// policySet. The answer is {"generation": N, "results": [RESULT, ...]} in
// the order of the requests; a request that is wrong gets
// {"error": {"code", "message"}} in its place and the others are decided.
//
// A stream (Content-Type: application/x-ndjson, or ?stream=1) is one request
// per line; the answer is one line per request line, in order, each
// written and flushed as soon as it is decided, so a client may read
// answers while it still sends. Blank lines are skipped. The stream has no
// length limit and uses bounded memory: MaxBodyBytes caps each line
// instead of the body (a longer line gets an error line), and the read and
// write timeouts bound the wait for each line. The whole stream decides
// against one State. A stream holds a slot of MaxConcurrent only while it
// decides a line, not while it waits for the next.
//
// # Errors
//
// Errors are {"error": {"code": CODE, "message": "..."}}: 400 InvalidInput
// (bad JSON, with its line, column and byte offset in the body, a
// batch's items included; an unknown field, named; a key given twice in an
// object, with its position; a missing or malformed member; an action that
// is not one service:Action, a wildcard included, or a resource that is
// neither an ARN nor "*", as "iameval simulate" refuses them; policySet
// left out with several sets loaded), 404 NoSuchEntity (no such policy set) or NotFound (no such
// route), 405 MethodNotAllowed, 413 RequestTooLarge (a body over
// MaxBodyBytes, refused before it is read when its Content-Length says
// so; a batch over MaxBatch), 415 UnsupportedMediaType, 503
// ServiceUnavailable (MaxConcurrent requests in progress, and a slot did
// not free within QueueTimeout; Retry-After is set) and 500
// InternalFailure.
//
// # Security
//
// The server authenticates nobody: the decision API answers any caller, and
// the Query API accepts any AWS credentials (its signature is not
// checked). Listen on loopback (the default) or behind something that
// authenticates.
package server
