package mfa

// NewInstanceMemoSized is newInstanceMemo, for the tests of package
// mfa_test: a memo whose generations hold gen entries.
func NewInstanceMemoSized(gen int) *InstanceMemo { return newInstanceMemo(gen) }
