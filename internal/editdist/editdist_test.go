package editdist

import (
	"slices"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0}, {"action", "action", 3, 0}, {"objcet", "object", 3, 1}, {"polcy", "policy", 3, 1},
		{"kitten", "sitting", 3, 3}, {"kitten", "sitting", 2, 3}, {"", "abcdef", 3, 4}, {"actoin", "action", 3, 1},
	} {
		if got := Distance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	k := NewNearest[string](2, func(a, b string) bool { return a < b })
	for _, c := range []struct {
		v string
		d int
	}{{"c", 2}, {"b", 1}, {"a", 2}, {"z", 0}} {
		k.Offer(c.v, c.d)
	}
	if got := k.Values(); !slices.Equal(got, []string{"z", "b"}) {
		t.Errorf("%v", got)
	}
}
