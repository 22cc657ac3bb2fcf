package diff_test

import (
	"testing"

	"github.com/iameval/iameval/diff"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
)

// TestDiffUncheckedOnce: an entry not checked is reported once, however
// many sides hold it.
func TestDiffUncheckedOnce(t *testing.T) {
	// a Resource entry whose variable a request without a caller cannot
	// fill, on both sides
	doc := func(action string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"` + action + `","Resource":"arn:aws:s3:::home/${aws:username}/*"}}`
	}
	rep := diff.Compare([]diff.Pair{{Name: "p", Old: principal(t, "", doc("s3:GetObject")), New: principal(t, "", doc("s3:GetObject"), doc("s3:PutObject"))}}, diff.Options{})
	// a resource policy on both sides, without a caller
	bucket := func() *diff.Principal {
		p, err := policy.Parse("bucket.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`))
		if err != nil {
			t.Fatal(err)
		}
		e, err := evaluator.Compile(evaluator.PolicySet{Resource: p})
		if err != nil {
			t.Fatal(err)
		}
		return &diff.Principal{Engine: e}
	}
	rep2 := diff.Compare([]diff.Pair{{Name: "bucket", Old: bucket(), New: bucket()}}, diff.Options{})
	for _, r := range []*diff.Report{rep, rep2} {
		if len(r.Unchecked) == 0 {
			t.Errorf("nothing said not checked")
		}
		seen := map[diff.Unchecked]bool{}
		for _, u := range r.Unchecked {
			if seen[u] {
				t.Errorf("reported twice: %+v", u)
			}
			seen[u] = true
		}
	}
}
