// Package condition implements the condition operators of AWS IAM policies,
// their IfExists suffix and ForAllValues:/ForAnyValue: qualifiers, policy
// variables, and the wildcard matcher that actions, resources and the *Like
// operators share.
//
// A condition clause (one operator, one key, its values) is compiled once with
// Compile: numbers, dates, CIDR blocks, booleans and base64 are parsed, and
// string and ARN values are split into wildcard patterns with their policy
// variables located. Evaluating a compiled Condition against a request never
// parses and never allocates.
//
// The rules, per AWS:
//
//   - The values listed for one key are ORed for positive operators; for the
//     negated ones (StringNotEquals, NotIpAddress, ArnNotLike, ...) the
//     context value must match none of them.
//   - A key absent from the request makes a positive operator false and a
//     negated operator true; ...IfExists makes any operator true; Null tests
//     presence; ForAllValues: is true and ForAnyValue: false — and the set
//     qualifier wins over IfExists, so ForAnyValue:StringEqualsIfExists is
//     false on an absent key (observed on AWS).
//   - A multivalued key under an operator without a set qualifier never
//     matches, not even a negated operator.
//   - ForAllValues: is true when every request value satisfies the base
//     operator (vacuously true for no values); ForAnyValue: when at least one
//     does. A negated base operator is applied per request value. Empty
//     strings are null, not members of the set: values that resolve to a
//     null data set make ForAllValues: true and ForAnyValue: false.
//   - A context value that cannot be read as the operator's type never
//     matches a positive operator and so satisfies a negated one, except that
//     a value that is not an ARN fails ArnNotEquals and ArnNotLike too.
//   - A policy variable that the request cannot resolve, and that has no
//     default, makes its value match nothing.
//
// [condition operators]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
package condition
