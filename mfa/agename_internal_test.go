package mfa

import (
	"strconv"
	"testing"
)

// TestAgeNames: the scenario names ageName writes without formatting are
// the ages' decimal texts.
func TestAgeNames(t *testing.T) {
	for _, age := range []int64{0, 1, 3599, 3600, veryOld - 1, veryOld} {
		if got, want := ageName(age), "mfa-age="+strconv.FormatInt(age, 10); got != want {
			t.Errorf("ageName(%d) = %q, want %q", age, got, want)
		}
	}
}
