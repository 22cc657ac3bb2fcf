package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestErrorCountsPastTheCap checks that the counts said of errors include
// those past policy.MaxErrors (a README helper's find: lint said "1001
// errors" of 2,500, and an account's document "(and 1000 more errors)").
func TestErrorCountsPastTheCap(t *testing.T) {
	const n = 2500
	doc := `{"Version":"2012-10-17","Statement":[` + strings.TrimSuffix(strings.Repeat(`{"Effect":"Maybe","Action":"s3:*","Resource":"*"},`, n), ",") + `]}`
	_, out, _ := runCLI(t, "lint", doc)
	if !strings.Contains(out, fmt.Sprintf("%d errors, 0 warnings", n)) {
		t.Errorf("lint: the summary does not count %d errors:\n%s", n, out[max(0, len(out)-400):])
	}
	dump := `{"UserDetailList":[{"UserName":"u0","UserId":"AIDAU0","Arn":"arn:aws:iam::123456789012:user/u0","Path":"/","GroupList":[],"AttachedManagedPolicies":[],
 "UserPolicyList":[{"PolicyName":"P","PolicyDocument":` + doc + `}]}],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}`
	code, _, errOut := runCLI(t, "mfa", "--account", dump, "--action", "s3:GetObject")
	if code != exitUsage || !strings.Contains(errOut, fmt.Sprintf("(and %d more errors)", n-1)) {
		t.Errorf("mfa --account: exit %d, %s", code, errOut)
	}
}
