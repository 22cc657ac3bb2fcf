package account_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
)

// TestPartialDumps pins how a dump that is one page of several is told
// from a whole account. The AWS CLI guide: "If the number of items output
// (--max-items) is fewer than the total number of items returned by the
// underlying API calls, the output includes a NextToken"; the API's own
// pagination sets IsTruncated and Marker on every page but the last. A
// continuation on the last page means pages are missing: nothing may be
// decided on what is there.
func TestPartialDumps(t *testing.T) {
	const user = `"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::123456789012:user/a"}]`
	const user2 = `"UserDetailList": [{"UserName": "b", "Arn": "arn:aws:iam::123456789012:user/b"}]`
	tests := []struct {
		name, data string
		want       []string // parts of the error; none: the dump loads
	}{
		{"AWS CLI --max-items: a page that ends in a NextToken is one page of several",
			`{` + user + `, "NextToken": "eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="}`,
			[]string{"dump.json:1:", "NextToken on the last page", "--max-items", "--starting-token", "every page"}},
		{"AWS CLI --max-items: pages concatenated out of order end in a NextToken",
			`{` + user2 + `}` + "\n" + `{` + user + `, "NextToken": "t1"}`,
			[]string{"NextToken on the last page"}},
		{"API pagination: IsTruncated true and a Marker on the last page",
			`{` + user + `, "IsTruncated": true, "Marker": "m1"}`,
			[]string{"IsTruncated is true on the last page", "Marker"}},
		{"API pagination: a Marker on the last page, IsTruncated left out",
			`{` + user + `, "Marker": "m1"}`,
			[]string{"Marker on the last page"}},
		{"API pagination: IsTruncated is a boolean",
			`{` + user + `, "IsTruncated": "false"}`,
			[]string{"IsTruncated must be true or false"}},
		{"AWS CLI --max-items: pages concatenated in order, each but the last with a NextToken, are the whole account",
			`{` + user + `, "NextToken": "t1"}` + "\n" + `{` + user2 + `}`, nil},
		{"API pagination: pages in order, each but the last truncated with a Marker",
			`{` + user + `, "IsTruncated": true, "Marker": "m1"}` + `{` + user2 + `, "IsTruncated": false}`, nil},
		{"the AWS CLI without --max-items: every page merged, no continuation",
			`{` + user + `, "IsTruncated": false}`, nil},
		{"a continuation token that is null or empty continues nothing",
			`{` + user + `, "NextToken": null, "Marker": ""}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := account.Load("dump.json", []byte(tc.data))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("a whole account is refused: %v", err)
				}
				return
			}
			if a != nil || err == nil {
				t.Fatalf("a partial dump loads: %d users", len(a.Users))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestFilteredDumps pins how a list the dump leaves out is told from an
// empty one. aws iam get-account-authorization-details --filter Group
// LocalManagedPolicy AWSManagedPolicy prints GroupDetailList and Policies
// only: the users and roles of the account are not in it, which is not the
// same as an account without users or roles (the list printed, empty).
func TestFilteredDumps(t *testing.T) {
	const users = `"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::123456789012:user/a"}]`
	tests := []struct {
		name, data           string
		users, roles, groups bool
		policies             bool
		id                   string
	}{
		{"--filter Group LocalManagedPolicy AWSManagedPolicy: no UserDetailList, no RoleDetailList",
			`{"GroupDetailList": [{"GroupName": "g", "Arn": "arn:aws:iam::123456789012:group/g"}], "Policies": []}`, false, false, true, true, "123456789012"},
		{"--filter User: UserDetailList only", `{` + users + `}`, true, false, false, false, "123456789012"},
		{"every list printed and empty: an account without entities, its id unknown",
			`{"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`, true, true, true, true, ""},
		{"a list printed on one page of several is in the dump",
			`{` + users + `, "NextToken": "t1"}` + "\n" + `{"RoleDetailList": []}`, true, true, false, false, "123456789012"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := account.Load("dump.json", []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if a.UsersListed != tc.users || a.RolesListed != tc.roles || a.GroupsListed != tc.groups || a.PoliciesListed != tc.policies {
				t.Errorf("listed users %v roles %v groups %v policies %v, want %v %v %v %v",
					a.UsersListed, a.RolesListed, a.GroupsListed, a.PoliciesListed, tc.users, tc.roles, tc.groups, tc.policies)
			}
			if a.ID != tc.id {
				t.Errorf("id %q, want %q", a.ID, tc.id)
			}
		})
	}
}
