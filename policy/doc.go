// Package policy is the model of an IAM policy document: its statements,
// their principals, actions, resources and condition clauses, each with its
// source position. Parse reads a JSON document with the full grammar of IAM's
// policy language and reports what IAM would refuse as an ErrorList of
// positioned, coded errors; Check adds the rules that depend on where the
// policy is attached (identity, resource, trust, SCP, RCP); CheckLimits
// applies AWS's size quotas.
//
// The package evaluates nothing: the evaluator package compiles a Policy and
// decides requests against it.
//
// [IAM JSON policy grammar]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
package policy
