package policy_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iameval/iameval/policy"
)

// A Sid's errors point at the Sid's value, where their path does
// ($.Statement[i].Sid), not at the statement's brace (a README walkthrough
// found bad_sid at the brace): in a document of its own, in one of a file
// parsed by span, and compacted (an account dump's documents, whose
// positions are still the file's).
func TestSidErrorsPointAtTheSid(t *testing.T) {
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Sid\": \"bad sid\",\n" +
		"      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    },\n    {\"Sid\": \"bad sid\", \"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}\n  ]\n}\n"
	// the same document as the second line on of a file
	file := []byte("[\n" + doc + "]\n")
	idx := policy.NewLineIndex("f.json", file)
	for _, tc := range []struct {
		name  string
		parse func() (*policy.Policy, error)
		lines int // lines before the document
	}{
		{"plain", func() (*policy.Policy, error) { return policy.Parse("f.json", []byte(doc)) }, 0},
		{"span", func() (*policy.Policy, error) {
			return policy.ParseSpanIndexWith(idx, file, 2, len(doc), policy.SpanOptions{})
		}, 1},
		{"compact", func() (*policy.Policy, error) {
			return policy.ParseSpanIndexWith(idx, file, 2, len(doc), policy.SpanOptions{Compact: true})
		}, 1},
	} {
		p, err := tc.parse()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, e := range policy.Check(p, policy.KindIdentity) {
			if e.Code == policy.CodeBadSid || e.Code == policy.CodeDuplicateSid {
				got = append(got, fmt.Sprintf("%s %d:%d %s", e.Code, e.Pos.Line, e.Pos.Column, e.Path))
			}
		}
		// the values "bad sid": line 6, column 14, and line 10, column 13
		// of the document
		want := []string{
			fmt.Sprintf("bad_sid %d:14 $.Statement[0].Sid", tc.lines+6),
			fmt.Sprintf("bad_sid %d:13 $.Statement[1].Sid", tc.lines+10),
			fmt.Sprintf("duplicate_sid %d:13 $.Statement[1].Sid", tc.lines+10),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tc.name, diff)
		}
	}
}
