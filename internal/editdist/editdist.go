// Package editdist is the edit distance behind every "did you mean": of a
// flag, a service, an action or a condition key.
package editdist

// Distance is the edit distance between a and b (insertions, deletions,
// substitutions, and adjacent transpositions, so that "Objcet" is one from
// "Object"), counted in bytes; any value above limit is reported as
// limit+1, and the work stops as soon as it exceeds limit.
func Distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}

// Nearest keeps the n closest of the candidates offered to it, nearest
// first, ties in the order offered (or by less, when given).
type Nearest[T any] struct {
	n    int
	less func(a, b T) bool
	best []near[T]
}

type near[T any] struct {
	v T
	d int
}

// NewNearest keeps the n nearest; less, if not nil, orders ties.
func NewNearest[T any](n int, less func(a, b T) bool) *Nearest[T] {
	return &Nearest[T]{n: n, less: less}
}

// Offer considers v at distance d.
func (k *Nearest[T]) Offer(v T, d int) {
	k.best = append(k.best, near[T]{v, d})
	for i := len(k.best) - 1; i > 0; i-- {
		a, b := k.best[i], k.best[i-1]
		if a.d < b.d || a.d == b.d && k.less != nil && k.less(a.v, b.v) {
			k.best[i], k.best[i-1] = b, a
			continue
		}
		break
	}
	if len(k.best) > k.n {
		k.best = k.best[:k.n]
	}
}

// Values returns the nearest, nearest first.
func (k *Nearest[T]) Values() []T {
	out := make([]T, len(k.best))
	for i, b := range k.best {
		out[i] = b.v
	}
	return out
}
