package mfa

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/condition"
)

// FuzzAccountBlind: an entry accountBlind calls blind to the account lets
// in the resource exactly when it lets in the resource with any other
// account in its account field (tried: several shapes of accounts). An
// account field holds no colon, which ends it: "a:b" is two fields, and
// an entry whose account is "*" may let in arn:...:a:b: for a ":b" of its
// own where it does not let in arn:...:: (fuzzing found that pair). The
// analysis never makes such an account: its stand-ins are digits.
func FuzzAccountBlind(f *testing.F) {
	f.Add("arn:aws:sqs:*:*:*", "arn:aws:sqs:us-east-1:123456789012:q")
	f.Add("arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::123456789012:user/alice")
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:us-east-1:123456789012:accesspoint/a")
	f.Add("arn:aws:sqs:us-east-1:*:q", "arn:aws:sqs:us-east-1:123456789012:q")
	f.Add("arn:aws:sqs:us-east-1:12*:q", "arn:aws:sqs:us-east-1:123456789012:q")
	f.Fuzz(func(t *testing.T, entry, resource string) {
		parts := strings.SplitN(resource, ":", 6)
		if len(parts) != 6 || !accountBlind(entry, resource) {
			return
		}
		want := condition.MatchWildcard(entry, resource, false)
		for _, other := range []string{"000000000000", "999999999999", "123456789012", "", "aws", "a-b", "*"} {
			parts[4] = other
			if got := condition.MatchWildcard(entry, strings.Join(parts, ":"), false); got != want {
				t.Fatalf("accountBlind(%q, %q), yet it lets in %q: %v, and the resource: %v", entry, resource, strings.Join(parts, ":"), got, want)
			}
		}
	})
}
