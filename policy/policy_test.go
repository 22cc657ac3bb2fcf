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

// TestListCovers pins how an Action/Resource element covers a value: any
// listed pattern matches it (NotAction/NotResource: none does).
func TestListCovers(t *testing.T) {
	p, err := policy.Parse("p", []byte(`{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["s3:Get*","iam:?istUsers"],"Resource":"arn:aws:s3:::b/*"},
 {"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::b/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	a, n := p.Statements[0], p.Statements[1]
	for _, tc := range []struct {
		l     *policy.List
		value string
		fold  bool
		want  bool
	}{
		{a.Action, "s3:GetObject", true, true},
		{a.Action, "S3:getobject", true, true},
		{a.Action, "iam:ListUsers", true, true},
		{a.Action, "s3:PutObject", true, false},
		{a.Resource, "arn:aws:s3:::b/k", false, true},
		{a.Resource, "arn:aws:s3:::B/k", false, false},
		{n.Action, "iam:CreateUser", true, false},
		{n.Action, "s3:GetObject", true, true},
		{n.Resource, "arn:aws:s3:::b/k", false, false},
		{n.Resource, "arn:aws:s3:::c/k", false, true},
		{nil, "s3:GetObject", true, false},
	} {
		if got := tc.l.Covers(tc.value, tc.fold); got != tc.want {
			t.Errorf("Covers(%q) = %v, want %v", tc.value, got, tc.want)
		}
	}
}
