package account_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
)

// TestLoadCLIDump loads a generated dump as the AWS CLI prints it (policy
// documents as JSON objects) and checks that every entity and reference
// made it.
func TestLoadCLIDump(t *testing.T) {
	const users = 120
	a, err := account.Load("cli.json", accounttest.CLIDump(users))
	if err != nil {
		t.Fatal(err)
	}
	n := accounttest.SizesFor(users)
	if a.ID != accounttest.AccountID || len(a.Users) != n.Users || len(a.Groups) != n.Groups || len(a.Roles) != n.Roles || len(a.Policies) != n.Policies {
		t.Fatalf("account %s: %d users, %d groups, %d roles, %d policies; want %+v", a.ID, len(a.Users), len(a.Groups), len(a.Roles), len(a.Policies), n)
	}
	p, err := a.Principal("user/user15")
	if err != nil {
		t.Fatal(err)
	}
	set := a.PolicySet(p)
	// two inline (15 % 3 == 0), two attached, two groups of one inline and
	// three managed each; a boundary (15 % 5 == 0)
	if len(set.Identity) != 2+2+2*(1+3) || set.Boundary == nil {
		t.Errorf("user15: %d identity policies, boundary %v", len(set.Identity), set.Boundary != nil)
	}
	for _, arn := range []string{"arn:aws:iam::" + accounttest.AccountID + ":role/service-role/role1", "arn:aws:iam::" + accounttest.AccountID + ":role/role1"} {
		r, ok := a.Role(arn)
		if !ok || r.Name != "role1" || r.Trust == nil || !strings.Contains(string(r.Trust.Source), "MultiFactorAuthPresent") {
			t.Errorf("role1 by ARN %s: %v %+v", arn, ok, r)
		}
	}
	if _, ok := a.Role("arn:aws:iam::999999999999:role/role1"); ok {
		t.Error("a role of another account is not the account's")
	}
	for ref, want := range map[string]string{
		"user7": "user user7", "arn:aws:iam::" + accounttest.AccountID + ":user/user7": "user user7",
		"role3": "role role3", "arn:aws:iam::" + accounttest.AccountID + ":role/role3": "role role3", "role/role3": "role role3",
		"arn:aws:iam::" + accounttest.AccountID + ":role/service-role/role5": "role role5",
	} {
		if p, err := a.Principal(ref); err != nil || p.String() != want {
			t.Errorf("Principal(%q) = %v, %v; want %s", ref, p, err, want)
		}
	}
	if _, err := a.Principal("arn:aws:iam::" + accounttest.AccountID + ":role/role5"); err == nil {
		t.Error("Principal takes a role's ARN with its path")
	}
}

// TestCLIDumpPositions: a bad document deep in a CLI-shaped dump is reported
// at its line and column in the file.
func TestCLIDumpPositions(t *testing.T) {
	data := string(accounttest.CLIDump(60))
	// break the Effect of the last role's inline policy
	at := strings.LastIndex(data, `"Sid": "NoProductionDeletes"`)
	at += strings.Index(data[at:], `"Deny"`)
	data = data[:at] + `"deny"` + data[at+len(`"Deny"`):]
	_, err := account.Load("cli.json", []byte(data))
	line := strings.Count(data[:at], "\n") + 1
	col := at - strings.LastIndexByte(data[:at], '\n')
	want := fmt.Sprintf("cli.json:%d:%d: bad_effect", line, col)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v; want %q", err, want)
	}
}

// BenchmarkLoadCLIDump loads CLI-shaped dumps of growing size (a quarter of
// the users, then four times as many); with linear work each size costs
// four times the one before.
func BenchmarkLoadCLIDump(b *testing.B) {
	for _, users := range []int{1250, 5000, 20000} {
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			data := accounttest.CLIDump(users)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := account.Load("cli.json", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLoadPages: a dump of several pages, concatenated or as a JSON list,
// loads as one account, and positions in later pages are positions in the
// file.
func TestLoadPages(t *testing.T) {
	page1 := `{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::123456789012:user/a", "GroupList": ["g"]}], "IsTruncated": true, "Marker": "m1"}`
	page2 := `{"GroupDetailList": [{"GroupName": "g", "Arn": "arn:aws:iam::123456789012:group/g"}],
  "UserDetailList": [{"UserName": "b", "Arn": "arn:aws:iam::123456789012:user/b",
    "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}]}],
  "IsTruncated": false}`
	for _, data := range []string{page1 + "\n" + page2 + "\n", page1 + page2, "[" + page1 + ",\n" + page2 + "]", " \t\r\n" + page1 + " " + page2} {
		a, err := account.Load("pages.json", []byte(data))
		if err != nil {
			t.Errorf("%q: %v", data, err)
			continue
		}
		if len(a.Users) != 2 || len(a.Groups) != 1 || len(a.Users[1].Inline) != 1 {
			t.Errorf("%q: %d users, %d groups", data, len(a.Users), len(a.Groups))
			continue
		}
		at := strings.Index(data, `"Allow"`)
		line := strings.Count(data[:at], "\n") + 1
		col := at - strings.LastIndexByte(data[:at], '\n')
		want := fmt.Sprintf("pages.json:%d:%d", line, col)
		_, err = account.Load("pages.json", []byte(strings.Replace(data, `"Allow"`, `"allow"`, 1)))
		if err == nil || !strings.Contains(err.Error(), want+": bad_effect") {
			t.Errorf("%q: error %v; want it at %s", data, err, want)
		}
	}
	for _, tc := range []struct{ data, want string }{
		{page1, "pages.json:1:119: IsTruncated is true on the last page"},
		// cut short: placed where the dump ends, naming where the value
		// left open begins
		{page1 + "\n" + page2[:40], "pages.json:2:41: invalid JSON: unexpected end of the dump, in the value that begins at 2:1 (a truncated dump?)"},
		{page1 + "\n]", "pages.json:2:1: invalid JSON: invalid character ']' looking for beginning of value"},
		{page1 + "x", "pages.json:1:140: invalid JSON: invalid character 'x' looking for beginning of value"},
		{"[" + page1 + "," + page2[:30], "pages.json:1:172: invalid JSON: unexpected end of the dump, in the value that begins at 1:1 (a truncated dump?)"},
		{`{"UserDetailList": [}`, "pages.json:1:21: invalid JSON: invalid character '}' looking for beginning of value"},
		{`"a string"`, "pages.json:1:1: a page must be a JSON object, got String"},
		{`[1, {"UserDetailList": []}]`, "pages.json:1:2: a page must be a JSON object, got Number"},
		{" \n ", "pages.json:1:1: empty dump"},
	} {
		_, err := account.Load("pages.json", []byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v; want %q", tc.data, err, tc.want)
		}
		// a dump that goes on past an error is not called truncated
		if err != nil && strings.Contains(err.Error(), "invalid character") && strings.Contains(err.Error(), "truncated") {
			t.Errorf("%q: %v: a stray character is no sign of a truncated dump", tc.data, err)
		}
	}
}

// BenchmarkLookups finds roles and principals by ARN and by name, as
// "mfa --account" does for every principal, action and role resource: the
// cost must not grow with the account.
func BenchmarkLookups(b *testing.B) {
	for _, users := range []int{1250, 20000} {
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			a, err := account.Load("cli.json", accounttest.CLIDump(users))
			if err != nil {
				b.Fatal(err)
			}
			last := a.Roles[len(a.Roles)-1]
			pathless := "arn:aws:iam::" + a.ID + ":role/" + last.Name
			user := a.Users[len(a.Users)-1].ARN
			for b.Loop() {
				if _, ok := a.Role(last.ARN); !ok {
					b.Fatal(last.ARN)
				}
				if a.TrustPolicy("sts:AssumeRole", pathless) == nil {
					b.Fatal(pathless)
				}
				if _, err := a.Principal(user); err != nil {
					b.Fatal(err)
				}
				if _, err := a.Principal(last.Name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
