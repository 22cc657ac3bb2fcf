package policy_test

import (
	"testing"

	"github.com/iameval/iameval/policy"
)

// TestCheckActionName pins what a request's action may be: what IAM
// refuses in a policy's action (moto's reproduction of IAM's messages:
// "Actions/Conditions must be prefaced by a vendor", "can contain only one
// colon", "Vendor X is not valid"), and no wildcard (the simulator's
// ActionNames take none), white space or control character.
func TestCheckActionName(t *testing.T) {
	for _, ok := range []string{"s3:GetObject", "S3:getobject", "execute-api:Invoke", "s3-object-lambda:GetObject"} {
		if err := policy.CheckActionName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "s3", "GetObject", "s3:", "s3:Get:Object", "s 3:GetObject", "s3:Get Object", "s3:GetObject ", "s3:Get*", "s3:Get?bject", "*", "s3:Get\tObject", "s3:Get\x00Object"} {
		if err := policy.CheckActionName(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}
