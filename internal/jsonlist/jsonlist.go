// Package jsonlist walks the elements of a JSON array read with gjson
// without making the slice of results gjson's Result.Array makes: the
// loaders of policies and account dumps read every list of every document
// once, and those slices were 74 MB of garbage of a 20,000-user dump.
package jsonlist

import (
	"iter"

	"github.com/tidwall/gjson"
)

// Elements yields the elements of v with their indexes, as ranging over
// v.Array() does: the same results (Type, Raw, Str, Num, Index), in order.
// For a v that is not an array it yields what Array returns: nothing for
// a null or missing value, else v itself.
func Elements(v gjson.Result) iter.Seq2[int, gjson.Result] {
	return func(yield func(int, gjson.Result) bool) {
		if !v.IsArray() {
			for i, it := range v.Array() {
				if !yield(i, it) {
					return
				}
			}
			return
		}
		i := 0
		v.ForEach(func(_, it gjson.Result) bool {
			more := yield(i, it)
			i++
			return more
		})
	}
}

// Len is len(v.Array()), counted without making the results.
func Len(v gjson.Result) int {
	n := 0
	for range Elements(v) {
		n++
	}
	return n
}

// Empty reports whether v.Array() is empty, without making it.
func Empty(v gjson.Result) bool {
	for range Elements(v) {
		return false
	}
	return true
}
