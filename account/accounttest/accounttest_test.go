package accounttest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestCLIDumpIsIndentedJSON: the dump written entity by entity is the page
// MarshalIndent writes with the AWS CLI's four-space indent.
func TestCLIDumpIsIndentedJSON(t *testing.T) {
	for _, users := range []int{0, 1, 7} {
		n := SizesFor(users)
		pg := struct {
			UserDetailList  []user   `json:"UserDetailList"`
			GroupDetailList []group  `json:"GroupDetailList"`
			RoleDetailList  []role   `json:"RoleDetailList"`
			Policies        []policy `json:"Policies"`
			IsTruncated     bool     `json:"IsTruncated"`
		}{UserDetailList: []user{}}
		for i := 0; i < n.Users; i++ {
			pg.UserDetailList = append(pg.UserDetailList, userAt(i, n))
		}
		for i := 0; i < n.Groups; i++ {
			pg.GroupDetailList = append(pg.GroupDetailList, groupAt(i, n))
		}
		for i := 0; i < n.Roles; i++ {
			pg.RoleDetailList = append(pg.RoleDetailList, roleAt(i, n))
		}
		for i := 0; i < n.Policies; i++ {
			pg.Policies = append(pg.Policies, managedPolicy(i, n))
		}
		want, err := json.MarshalIndent(pg, "", "    ")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, '\n')
		got := CLIDump(users)
		if !bytes.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%d users: the dumps differ at byte %d: %q, want %q", users, i, got[i:min(len(got), i+40)], want[i:min(len(want), i+40)])
		}
		if !bytes.Contains(got, []byte("\n            \"UserName\": \"user0\",\n")) && users > 0 {
			t.Errorf("%d users: not indented as the AWS CLI prints", users)
		}
	}
}
