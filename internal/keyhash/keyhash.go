// Package keyhash stands for the long keys the analyses number and group
// by (a statement's deciding text, a principal's class of requests, a
// template of a statement) with a fixed-size digest, so that the maps
// that hold one key per statement and per class of tens of thousands of
// principals keep 16 bytes per key rather than the key itself (hundreds
// of bytes each: 28 MB of an account of 20,000 users).
//
// The digest is SHA-256 (FIPS 180-4) cut to its first 128 bits. Two keys
// that differ get the same Sum with a probability of about 2^-128 per
// pair, even for keys chosen to collide: SHA-256 has no known collision,
// let alone one of its first 128 bits. An analysis that mistook two keys
// for one would share the answer of one class with another, so the digest
// is a cryptographic one rather than a fast map hash, whose collisions
// are easy to find.
package keyhash

import (
	"crypto/sha256"
	"iter"
	"maps"
	"slices"
	"sync"
)

// Sum is a key's digest: the first 16 bytes of its SHA-256.
type Sum [16]byte

// Of returns key's digest. It does not keep key.
func Of(key []byte) Sum {
	d := sha256.Sum256(key)
	return Sum(d[:16])
}

// Table holds a value for each key, by its digest, made (zero) when first
// asked for. It is safe for concurrent use; the zero Table is empty and
// ready.
type Table[T any] struct {
	mu sync.Mutex
	m  map[Sum]*T
}

// Get returns key's value, made if new. The digest is taken before the
// lock.
func (t *Table[T]) Get(key []byte) *T {
	h := Of(key)
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[h]
	if !ok {
		if t.m == nil {
			t.m = map[Sum]*T{}
		}
		v = new(T)
		t.m[h] = v
	}
	return v
}

// Len returns how many keys t holds.
func (t *Table[T]) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// All yields t's values, in no order; values made while it runs may or may
// not be yielded.
func (t *Table[T]) All() iter.Seq[*T] {
	t.mu.Lock()
	vs := slices.Collect(maps.Values(t.m))
	t.mu.Unlock()
	return slices.Values(vs)
}
