package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iameval/iameval/policy"
)

// TestMaxErrors pins the bound on errors (README, "Limits and hostile
// input"): Parse and Check list at most policy.MaxErrors errors, the first
// found in document order, and count the rest in one last error
// (too_many_errors). A walkthrough's find: a 3 MB document of a million
// faulty statements made two million errors (1.2 GB).
func TestMaxErrors(t *testing.T) {
	doc := func(n int, stmt string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.TrimSuffix(strings.Repeat(stmt+",", n), ",") + `]}`
	}
	check := func(t *testing.T, errs policy.ErrorList, code string, total int) {
		t.Helper()
		listed := min(total, policy.MaxErrors)
		want := listed
		if total > policy.MaxErrors {
			want++
		}
		if len(errs) != want {
			t.Fatalf("%d errors, want %d", len(errs), want)
		}
		for i, e := range errs[:listed] {
			if e.Code != code {
				t.Fatalf("error %d: %s", i, e)
			}
		}
		if total > policy.MaxErrors {
			last := errs[len(errs)-1]
			if last.Code != policy.CodeTooManyErrors || last.NotListed != total-policy.MaxErrors || !strings.Contains(last.Msg, fmt.Sprintf("%d more errors", total-policy.MaxErrors)) {
				t.Errorf("last error %s, want %s counting %d more", last, policy.CodeTooManyErrors, total-policy.MaxErrors)
			}
			// the list's message counts every error, listed or not
			if want := fmt.Sprintf("(and %d more errors)", total-1); !strings.HasSuffix(errs.Error(), want) {
				t.Errorf("Error() = %q, want it to end %q", errs.Error(), want)
			}
			if errs[0].Pos.Line != 1 || errs[listed-1].Pos.Offset <= errs[0].Pos.Offset {
				t.Errorf("not the first found, in document order: %s ... %s", errs[0], errs[listed-1])
			}
		}
	}
	for _, n := range []int{10, policy.MaxErrors, policy.MaxErrors + 1, 2500} {
		t.Run(fmt.Sprintf("parse/%d", n), func(t *testing.T) {
			_, err := policy.Parse("p.json", []byte(doc(n, `{"Effect":"Maybe","Action":"s3:*","Resource":"*"}`)))
			errs, ok := err.(policy.ErrorList)
			if !ok {
				t.Fatalf("%v", err)
			}
			check(t, errs, policy.CodeBadEffect, n)
		})
		t.Run(fmt.Sprintf("check/%d", n), func(t *testing.T) {
			p, err := policy.Parse("p.json", []byte(doc(n, `{"Effect":"Allow","Action":"s3:*"}`)))
			if err != nil {
				t.Fatal(err)
			}
			check(t, policy.Check(p, policy.KindIdentity), policy.CodeMissingResource, n)
		})
	}
}
