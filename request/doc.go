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
// type ends in "List" is multivalued, any other key is single-valued. Values
// are parsed when they are set (numbers, dates, IP addresses, booleans,
// base64), so that evaluation never parses a string.
//
// MFA state is always an explicit input: the constructors LongTermKeys,
// SessionWithoutMFA, SessionWithMFA and Root set (or leave out) the keys
// aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge exactly as AWS does
// for each kind of credential; nothing is inferred from the principal.
//
// A Context is not safe for concurrent mutation; once built, it may be read by
// any number of goroutines.
//
// [request context]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
package request
