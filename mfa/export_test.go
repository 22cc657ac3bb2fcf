package mfa

// NewInstanceMemoSized is newInstanceMemo, for the tests of package
// mfa_test: a memo whose generations hold gen entries.
func NewInstanceMemoSized(gen int) *InstanceMemo { return newInstanceMemo(gen) }

// SparseHits is how many lists m found by their key but for the relevant
// entries (sparseInstances).
func (m *InstanceMemo) SparseHits() int64 { return m.sparseHits.Load() }
