package account_test

import (
	"os"
	"testing"

	"github.com/iameval/iameval/account"
)

// TestWhoCanRolePattern pins who-can for an action a trust policy decides
// (sts:AssumeRole) on a pattern of role ARNs: the pattern stands for the
// dump's roles it matches, each decided with its own trust policy as the
// resource policy (IAM User Guide: "a role trust policy ... must allow the
// principal"; an identity Allow alone never grants sts:AssumeRole), never
// an invented role that no trust policy decides. In whocan-locked.json both
// roles trust only ec2.amazonaws.com, so no user or role of the dump may
// assume them, pattern or exact ARN alike; in whocan-eve.json the pattern
// role/MFARol? names the real role MFARole only.
func TestWhoCanRolePattern(t *testing.T) {
	load := func(name string) *account.Account {
		data, err := os.ReadFile("../testdata/account/" + name)
		if err != nil {
			t.Fatal(err)
		}
		a, err := account.Load(name, data)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, tc := range []struct {
		file, resource string
	}{
		{"whocan-locked.json", "arn:aws:iam::210987654321:role/Locked*"},
		{"whocan-locked.json", "arn:aws:iam::210987654321:role/*"},
		{"whocan-eve.json", "arn:aws:iam::*:role/*"},
		{"whocan-eve.json", "arn:aws:iam::*:role/MFARol?"},
	} {
		a := load(tc.file)
		ways, err := a.NewAnalyzer(account.Options{}).WhoCan("sts:AssumeRole", tc.resource)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ways {
			if w.Resource == "" {
				continue
			}
			if _, ok := a.Role(w.Resource); !ok {
				t.Errorf("%s %s: way of %s on %s, no role of the dump", tc.file, tc.resource, w.Start.Name, w.Resource)
			}
		}
		if tc.file == "whocan-locked.json" && len(ways) != 0 {
			t.Errorf("%s %s: %d ways, want 0 (both roles trust only ec2.amazonaws.com)", tc.file, tc.resource, len(ways))
		}
	}
}
