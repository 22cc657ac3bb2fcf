// Package request implements the request context of AWS's policy evaluation
// logic: who is calling (the principal ARN), what they ask to do (the action),
// on what (the resource ARN and the account that owns it), and the typed
// condition keys that come with the request.
//
// The design card calls this package "context"; it is named request so that
// it never shadows the standard library's context package in the code of the
// services that embed iameval.
//
// Condition key names are case-insensitive, as in AWS. Every key carries one
// of the twelve ContextKeyType kinds of the IAM policy simulator; a key whose
// type ends in "List" is multivalued, any other key is single-valued. A value
// is read as its key's type once, when it is set (a number, a date, an IP
// address, a boolean, base64), so that an operator of that type never parses
// a string; a reading as another type (a NumericLessThan on a string key) is
// made from the text when the operator asks, with the same answer.
//
// # Cost, and the fast path for services
//
// A Context holds its first 6 keys and 6 values inside itself. New and the
// MFA constructors therefore allocate once (768 bytes, the Context; twice for
// an assumed-role session, whose aws:PrincipalArn is a role ARN built from
// the session's) and cost a few hundred nanoseconds, less than a decision.
// Set allocates nothing while there is room (binary values excepted) and
// costs 20 to 100 ns a key.
//
// A service that decides request after request should reuse its Contexts:
// keep one per goroutine, or in a sync.Pool of its own, and for each call
// Reset it with the call's principal, action and resource, derive the
// principal keys or Set the keys the call carries, and evaluate. Reset keeps
// the storage of the largest request the Context has held, so building a
// request allocates nothing, and neither does deciding it (evaluator.Engine's
// Evaluate). See the example of Context.Reset.
//
// MFA state is always an explicit input: the constructors LongTermKeys,
// SessionWithoutMFA, SessionWithMFA and Root set (or leave out) the keys
// aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge exactly as AWS does
// for each kind of credential; nothing is inferred from the principal.
//
// A Context is not safe for concurrent mutation; once built, it may be read by
// any number of goroutines (no reading is cached on the values). It must not
// be copied once a key is set: use Clone.
//
// [request context]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
package request
