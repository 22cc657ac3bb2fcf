package mfa

import (
	"strconv"
	"strings"
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

// TestSameLower: keys are told apart as strings.ToLower tells them apart,
// for ASCII and other texts alike.
func TestSameLower(t *testing.T) {
	texts := []string{"aws:SourceIp", "aws:sourceip", "AWS:SOURCEIP", "aws:SourceIpx", "aws:Source_p",
		"aws:PrincipalTag/\u212aey", "aws:PrincipalTag/key", "aws:PrincipalTag/Key", "aws:PrincipalTag/\u017f", "aws:PrincipalTag/s", "", "@", "`", "[", "{", "k\xff", "k\xfe", "k\u212a", "\u212a"}
	for _, a := range texts {
		for _, b := range texts {
			//lint:ignore SA6005 sameLower is pinned to ToLower's equality
			if got, want := sameLower(a, b), strings.ToLower(a) == strings.ToLower(b); got != want {
				t.Errorf("sameLower(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}
