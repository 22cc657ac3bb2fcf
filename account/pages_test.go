package account

import (
	"testing"

	"github.com/iameval/iameval/policy"
)

// FuzzPages: splitting a dump into pages by matching brackets gives the
// pages, offsets and errors that encoding/json's Decoder gives.
func FuzzPages(f *testing.F) {
	for _, s := range []string{
		`{"UserDetailList": []}`,
		"{\"a\": [1, {\"b\": \"}]\\\"\"}]}\n{\"c\": null}",
		`[{"a": 1}, {"b": 2}] {"c": 3}`,
		`{}{}[]`, `1 2`, `"x""y"`, `truefalse`, `{"a": 1}]`, `{"a": "\`, " \t\r\n", `1{}`, `{"a":1}x`, `,`, `}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l := &loader{name: "f.json", data: data, index: policy.NewLineIndex("f.json", data)}
		got, gerr := l.pages()
		want, werr := l.decodePages()
		if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("pages: %v\ndecoder: %v", gerr, werr)
		}
		if len(got) != len(want) {
			t.Fatalf("%d pages, decoder %d", len(got), len(want))
		}
		for i := range got {
			if got[i].Raw != want[i].Raw || got[i].Index != want[i].Index || got[i].Type != want[i].Type {
				t.Fatalf("page %d: %q at %d, decoder %q at %d", i, got[i].Raw, got[i].Index, want[i].Raw, want[i].Index)
			}
		}
	})
}
