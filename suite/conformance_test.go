package suite_test

import (
	"path/filepath"
	"testing"

	"github.com/iameval/iameval/suite"
)

// TestConformance runs every case of every suite under testdata/conformance:
// the SPEC §8 edge cases and every policy × scenario row of the MFA example
// policies, each with the decision AWS gives.
func TestConformance(t *testing.T) {
	files, err := filepath.Glob("../testdata/conformance/*.iamtest.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no conformance suites found")
	}
	for _, f := range files {
		s, err := suite.Load(f)
		if err != nil {
			t.Fatalf("loading %s:\n%v", f, err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			for _, c := range s.Cases {
				t.Run(c.Name, func(t *testing.T) {
					r := c.Run()
					if !r.Pass {
						t.Errorf("%s: %s (matched %v)", c.Pos, r.Problem, r.Decision.MatchedStatements())
					}
				})
			}
			for _, c := range s.Invalid {
				t.Run("invalid/"+c.Name, func(t *testing.T) {
					if ok, msg := c.Check(); !ok {
						t.Errorf("%s: %s", c.Pos, msg)
					}
				})
			}
		})
	}
}
