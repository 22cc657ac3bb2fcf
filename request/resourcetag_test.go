package request_test

import (
	"testing"

	"github.com/iameval/iameval/request"
)

// TestResourceTagKey: the tag keys of a request's resource are
// aws:ResourceTag/KEY and a service's own iam:ResourceTag/KEY ("IAM
// condition context keys" and the Service Authorization Reference), in any
// letter case (condition key names are case-insensitive); the request's
// own tags and the principal's are not, nor the bare prefix.
func TestResourceTagKey(t *testing.T) {
	for key, want := range map[string]bool{
		"aws:ResourceTag/team": true, "AWS:RESOURCETAG/team": true, "iam:ResourceTag/env": true, "aws:resourcetag/a/b": true,
		"aws:ResourceTag/": false, "aws:ResourceTag": false, "aws:RequestTag/team": false, "aws:PrincipalTag/team": false,
		"aws:TagKeys": false, "ResourceTag/team": false, "": false, "s3:ExistingObjectTag/team": false,
	} {
		if got := request.ResourceTagKey(key); got != want {
			t.Errorf("ResourceTagKey(%q) = %v, want %v", key, got, want)
		}
	}
}
