package jsonlist

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"
)

// walked is what ranging over Elements gives, as a slice.
func walked(v gjson.Result) []gjson.Result {
	var out []gjson.Result
	for i, it := range Elements(v) {
		if i != len(out) {
			return nil
		}
		out = append(out, it)
	}
	return out
}

// sameAsArray checks Elements, Len and Empty against gjson's Array for the
// member "v" of doc, and for doc itself.
func sameAsArray(t *testing.T, doc string) {
	t.Helper()
	for _, v := range []gjson.Result{gjson.Get(doc, "v"), gjson.Parse(doc)} {
		want := v.Array()
		got := walked(v)
		if len(want) == 0 {
			want = nil
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Elements differ from Array (-Array +Elements):\n%s", doc, diff)
		}
		if Len(v) != len(want) || Empty(v) != (len(want) == 0) {
			t.Errorf("%s: Len %d Empty %v, want %d", doc, Len(v), Empty(v), len(want))
		}
	}
}

func TestElementsAsArray(t *testing.T) {
	for _, doc := range []string{
		`{"v": []}`,
		`{"v": [ ]}`,
		`{"v": ["a"]}`,
		`{"v":  [ "s3:GetObject" , "s3:Put\u004fbject","x\"y" ]}`,
		`{"v": [1, -2.5e3, true, false, null, {"a": [1]}, [[]], "t"]}`,
		"{\n  \"v\": [\n    \"a\",\n    {\"b\": \"c\"}\n  ]\n}",
		`{"v": "one"}`,
		`{"v": 7}`,
		`{"v": null}`,
		`{"v": {"a": 1}}`,
		`{"w": []}`,
		`[1, 2, 3]`,
		`[]`,
	} {
		sameAsArray(t, doc)
	}
}

// Stopping early stops the walk.
func TestElementsStops(t *testing.T) {
	n := 0
	for range Elements(gjson.Parse(`[1, 2, 3]`)) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("walked %d elements after a break, want 1", n)
	}
}

func FuzzElementsAsArray(f *testing.F) {
	for _, s := range []string{`{"v": []}`, `{"v": ["a", 1, [2], {"b": null}]}`, `[true, "x"]`, `{"v": "s"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if !gjson.Valid(doc) {
			return
		}
		sameAsArray(t, doc)
	})
}
