package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/iameval/iameval/account/accounttest"
)

// TestMFAAccountClassesChangeNothing: deciding each class of principals
// once (account.Classifier) and carrying the answers over gives the output
// of deciding every principal itself, byte for byte, in every format: on
// the example accounts and (in JSON, which holds everything the reports
// do) on a generated one whose users hold copies of
// the same inline policies (some with ${aws:username}), through groups,
// with boundaries, tags and roles, for hundreds of actions.
func TestMFAAccountClassesChangeNothing(t *testing.T) {
	inRoot(t)
	generated := filepath.Join(t.TempDir(), "generated.json")
	if err := os.WriteFile(generated, accounttest.CLIDumpWith(60, accounttest.Options{Copies: true}), 0o644); err != nil {
		t.Fatal(err)
	}
	var some []string
	for i, a := range accounttest.WriteActions() {
		if i%8 == 0 || strings.HasPrefix(a, "sts:") || strings.HasPrefix(a, "iam:Create") || strings.HasPrefix(a, "s3:Put") {
			some = append(some, a)
		}
	}
	many := strings.Join(append(some, "iam:CreateAccessKey", "iam:DeactivateMFADevice", "iam:DeleteVirtualMFADevice", "iam:ChangePassword",
		"iam:CreateUser", "iam:AttachUserPolicy", "iam:PutUserPolicy", "sts:AssumeRole", "ec2:StopInstances", "ec2:TerminateInstances",
		"ec2:RunInstances", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteBucket"), ",")
	runs := [][]string{
		{"--account", exampleAccount},
		{"--account", exampleAccount, "--action", "s3:DeleteObject,iam:CreateUser,sts:AssumeRole", "--resource", "arn:aws:s3:::reports/q3.csv,arn:aws:iam::123456789012:role/Admin"},
		{"--account", "testdata/account/ci-account.json"},
		{"--account", generated, "--action", many},
		{"--account", generated, "--resource", "*,arn:aws:s3:::team-0/k,arn:aws:iam::" + accounttest.AccountID + ":role/role1", "--action", many},
		// the catalogue's actions each principal's policies can allow
		{"--account", generated, "--access-level", "permissions-management"},
		{"--account", generated, "--action", many, "--context", "aws:RequestedRegion=eu-west-1"},
		{"--account", generated, "--principal", "user15", "--action", many},
	}
	for i, args := range runs {
		formats := []string{"json"} // everything the reports hold
		if i < 3 {
			formats = []string{"table", "json", "markdown"}
		}
		for _, format := range formats {
			cmd := append(append([]string{"mfa"}, args...), "--output", format)
			decideEachPrincipal = true
			wantCode, want, wantErr := runCLI(t, cmd...)
			decideEachPrincipal = false
			code, got, gotErr := runCLI(t, cmd...)
			if code != wantCode || got != want || gotErr != wantErr {
				t.Errorf("%s: exit %d, want %d; outputs differ: %s", strings.Join(cmd, " ")[:min(200, len(strings.Join(cmd, " ")))], code, wantCode, firstDiff(got+gotErr, want+wantErr))
			}
		}
	}
}

// firstDiff shows where got first differs from want.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-200)
	return "at byte " + strconv.Itoa(i) + ":\n got: " + got[lo:min(len(got), i+200)] + "\nwant: " + want[lo:min(len(want), i+200)]
}
