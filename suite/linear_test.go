package suite_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/iameval/iameval/suite"
)

// largeSuite writes a suite with n inline policies, n cases and n invalid
// cases, as one file.
func largeSuite(n int) []byte {
	var b strings.Builder
	b.WriteString("{\n  \"principal\": \"arn:aws:iam::111122223333:user/alice\",\n  \"policies\": {\n")
	for i := 0; i < n; i++ {
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    \"p%d\": {\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b%d/*\"}}%s\n", i, i, sep)
	}
	b.WriteString("  },\n  \"cases\": [\n")
	for i := 0; i < n; i++ {
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    {\"name\": \"c%d\", \"set\": \"p%d\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::b%d/k\", \"expect\": \"allowed\"}%s\n", i, i, i, sep)
	}
	b.WriteString("  ],\n  \"invalid\": [\n")
	for i := 0; i < n; i++ {
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    {\"name\": \"i%d\", \"policy\": {\"Statement\": {\"Effect\": \"allow\", \"Action\": \"*\", \"Resource\": \"*\"}}, \"error\": \"bad_effect\"}%s\n", i, sep)
	}
	b.WriteString("  ]\n}\n")
	return []byte(b.String())
}

// TestSuiteWorkGrowsLinearly: parsing and checking a suite with four times
// the inline policies and invalid cases allocates about four times the
// bytes. Indexing the whole file for each inline policy (the fault fixed in
// the account loader, issue 11 item 9) makes it sixteen times.
func TestSuiteWorkGrowsLinearly(t *testing.T) {
	work := func(data []byte) func() {
		return func() {
			s, err := suite.Parse("big.iamtest.json", data, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range s.Invalid {
				if ok, why := c.Check(); !ok {
					t.Fatal(why)
				}
			}
		}
	}
	allocated := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	d1, d4 := largeSuite(200), largeSuite(800)
	work(d1)()
	b1, b4 := allocated(work(d1)), allocated(work(d4))
	ratio := float64(b4) / float64(b1)
	t.Logf("200 policies: %d bytes; 800: %d bytes (×%.2f)", b1, b4, ratio)
	if ratio > 5 {
		t.Errorf("4× the policies allocate %.1f× the bytes: per-policy work proportional to the file", ratio)
	}
}
