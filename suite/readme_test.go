package suite_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/iameval/iameval/suite"
)

// TestREADMEExample keeps the suite shown in the README true: it parses,
// against the policies of examples/, and every case passes.
func TestREADMEExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```json\n(\\{\n  \"suite\": \"MFA guarantees\".*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README's suite example is gone")
	}
	s, err := suite.Parse("README.md", m[1], func(name string) ([]byte, string, error) {
		p := filepath.Join("..", "examples", name)
		b, err := os.ReadFile(p)
		return b, p, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range s.Cases {
		if r := c.Run(); !r.Pass {
			t.Errorf("%s: %s", c.Name, r.Problem)
		}
	}
}
