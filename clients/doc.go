// Package clients holds tests that drive "iameval serve" with real clients
// nobody here wrote: the AWS SDK for Go v2's IAM client (this module's
// tests) and the AWS CLI (.ci/run). It is a module of its own so that the
// library's go.mod stays free of the SDK.
package clients
