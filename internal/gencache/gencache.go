// Package gencache is a map bounded by generations, for the caches of an
// analysis that asks for a few entries again and again and for many once
// (the team bucket every user holds, and each user's own home prefix),
// and the parts of their keys (AppendPart).
package gencache

import "strconv"

// Map keeps at most two generations of at most limit entries each: when
// the current one is full it becomes the old one and the old one is
// dropped, and an entry found in the old one moves back to the current
// one. So the entries a caller keeps asking for stay, however many it asks
// for once, and the map holds at most 2 × limit entries. A Map is not safe
// for concurrent use: its callers lock it. Make one with New.
type Map[K comparable, V any] struct {
	cur, old map[K]V
	limit    int
}

// New returns an empty Map whose generations hold limit entries (at least
// one).
func New[K comparable, V any](limit int) *Map[K, V] {
	return &Map[K, V]{cur: map[K]V{}, limit: max(limit, 1)}
}

// Get returns the entry of k, moving it to the current generation.
func (m *Map[K, V]) Get(k K) (V, bool) {
	if v, ok := m.cur[k]; ok {
		return v, true
	}
	v, ok := m.old[k]
	if ok {
		delete(m.old, k)
		m.Put(k, v)
	}
	return v, ok
}

// Put keeps v under k in the current generation.
func (m *Map[K, V]) Put(k K, v V) {
	if _, ok := m.cur[k]; !ok && len(m.cur) >= m.limit {
		m.old, m.cur = m.cur, make(map[K]V, m.limit)
	}
	m.cur[k] = v
}

// Len returns the number of entries held, in both generations.
func (m *Map[K, V]) Len() int { return len(m.cur) + len(m.old) }

// GetBytes is Get for a key given as bytes: the key's string is made only
// when the entry moves to the current generation, so a lookup allocates
// nothing.
func GetBytes[V any](m *Map[string, V], b []byte) (V, bool) {
	if v, ok := m.cur[string(b)]; ok {
		return v, true
	}
	v, ok := m.old[string(b)]
	if ok {
		k := string(b)
		delete(m.old, k)
		m.Put(k, v)
	}
	return v, ok
}

// AppendPart appends s to key as one part of a cache key: its length, a
// colon, then s. Keys made of parts appended so are equal only when their
// parts are, whatever bytes the parts hold (a NUL, a separator): a key of
// the parts "a\x00b" is not the key of "a" and "b".
func AppendPart(key []byte, s string) []byte {
	key = strconv.AppendInt(key, int64(len(s)), 10)
	key = append(key, ':')
	return append(key, s...)
}
