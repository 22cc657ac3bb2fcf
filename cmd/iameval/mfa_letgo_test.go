package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/policy"
)

// mfa --account lets each user's own inline documents go once its report
// is written and who may assume the roles is decided (ownDocs): the
// reports are the same as when every document is kept, and at the end no
// user holds one.
func TestMFAAccountLetsUsersDocumentsGo(t *testing.T) {
	inRoot(t)
	dir := t.TempDir()
	dumps, err := filepath.Glob(filepath.Join("testdata", "account", "*.json"))
	if err != nil || len(dumps) < 10 {
		t.Fatalf("testdata dumps: %v %v", dumps, err)
	}
	var noRoles map[string]any
	if err := json.Unmarshal(accounttest.CLIDump(200), &noRoles); err != nil {
		t.Fatal(err)
	}
	noRoles["RoleDetailList"] = []any{}
	noRolesData, err := json.Marshal(noRoles)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"noroles.json":   noRolesData,
		"alike.json":     sameCallersDump(),
		"cli300.json":    accounttest.CLIDump(300),
		"copies300.json": accounttest.CLIDumpWith(300, accounttest.Options{Copies: true, Admins: true}),
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		dumps = append(dumps, p)
	}
	actions := strings.Join(accounttest.WriteActions()[:20], ",") + ",sts:AssumeRole,iam:CreateAccessKey,s3:GetObject"
	variants := [][]string{
		{"--action", actions},
		{"--action", actions, "-o", "json"},
		{"--action", "s3:*,iam:Create*", "-o", "markdown"},
	}
	released := 0
	for _, d := range dumps {
		for _, v := range variants {
			args := append([]string{"--account", d}, v...)
			var keptOut, keptErr bytes.Buffer
			keptCode := runMFAWith(args, strings.NewReader(""), &keptOut, &keptErr, accountHooks{keepOwn: true})
			var acct *account.Account
			var out, errOut bytes.Buffer
			code := runMFAWith(args, strings.NewReader(""), &out, &errOut, accountHooks{loaded: func(a *account.Account) { acct = a }})
			if code != keptCode || out.String() != keptOut.String() || errOut.String() != keptErr.String() {
				t.Errorf("mfa %s: exit %d, %d bytes out, stderr %q; with every document kept: exit %d, %d bytes, %q",
					strings.Join(args, " "), code, out.Len(), errOut.String(), keptCode, keptOut.Len(), keptErr.String())
				continue
			}
			if acct == nil {
				continue // refused before the load
			}
			// JSON names the statements of each user's own documents
			// that let it assume a role at the role's report: kept
			keep := code == exitUsage || slices.Contains(args, "json") && len(acct.Roles) > 0
			for _, u := range acct.Users {
				i := slices.IndexFunc(u.Inline, func(p *policy.Policy) bool { return p != nil })
				if i >= 0 && !keep {
					t.Errorf("mfa %s: user %s still holds its inline document %d after the run", strings.Join(args, " "), u.Name, i)
					break
				}
				if i < 0 {
					released += len(u.Inline)
				}
			}
		}
	}
	if released == 0 {
		t.Fatal("no user's documents were let go: the dumps give none")
	}

	// who can reach the roles decided only once 60 reports are written:
	// the users' documents wait for it, read by it
	for _, d := range dumps[len(dumps)-4:] {
		args := []string{"--account", d, "--action", actions}
		var keptOut bytes.Buffer
		keptCode := runMFAWith(args, strings.NewReader(""), &keptOut, io.Discard, accountHooks{keepOwn: true})
		hold := make(chan struct{})
		var out bytes.Buffer
		code := runMFAWith(args, strings.NewReader(""), &out, io.Discard, accountHooks{holdReach: hold, written: func(i int) {
			if i == 60 {
				close(hold)
			}
		}})
		if code != keptCode || out.String() != keptOut.String() {
			t.Errorf("mfa %s with who can reach the roles decided after 60 reports: exit %d, %d bytes; with every document kept: exit %d, %d bytes",
				strings.Join(args, " "), code, out.Len(), keptCode, keptOut.Len())
		}
	}
}

// ownDocs waits for who may assume the roles before it lets a user's
// documents go, then lets go of every user it kept waiting, at the next
// report written, a role's too.
func TestOwnDocsWaitsForReach(t *testing.T) {
	doc := func() []*policy.Policy { return []*policy.Policy{{Name: "a"}, {Name: "b"}} }
	u1, u2, u3 := &account.User{Name: "u1", Inline: doc()}, &account.User{Name: "u2", Inline: doc()}, &account.User{Name: "u3", Inline: doc()}
	role := &account.Principal{Kind: account.KindRole, Role: &account.Role{Name: "r", Inline: doc()}}
	reached := make(chan struct{})
	d := &ownDocs{reached: reached}
	held := func(u *account.User) bool { return u.Inline[0] != nil && u.Inline[1] != nil }
	d.after(&account.Principal{Kind: account.KindUser, User: u1})
	d.after(&account.Principal{Kind: account.KindUser, User: u2})
	if !held(u1) || !held(u2) {
		t.Fatal("let go before who may assume the roles was decided")
	}
	close(reached)
	d.after(role)
	if held(u1) || held(u2) {
		t.Error("the users waiting were not let go at the role's report")
	}
	d.after(&account.Principal{Kind: account.KindUser, User: u3})
	for _, u := range []*account.User{u1, u2, u3} {
		if u.Inline[0] != nil || u.Inline[1] != nil {
			t.Errorf("%s still holds its documents once reach is decided", u.Name)
		}
	}
	if role.Role.Inline[0] == nil {
		t.Error("a role's documents were let go: later roles' chains may read them")
	}
	kept := &ownDocs{reached: reached, keep: true}
	u4 := &account.User{Name: "u4", Inline: doc()}
	kept.after(&account.Principal{Kind: account.KindUser, User: u4})
	if !held(u4) {
		t.Error("keep: the documents were let go")
	}
}

// sameCallersDump is an account whose users are callers of a few classes
// (Classifier): each may assume the roles by a policy of its own, which
// names a bucket of its own (not by its name: so that users are not alike
// for their reports, PrincipalTemplates), and one of three actions on it,
// and are callers of a class
// whose answer, decided for the first, names its statement and is mapped
// onto each other's. Users enough that reports are made after the first
// users' are written (at most maxAhead wait for the writer).
func sameCallersDump() []byte {
	const acct = "123456789012"
	var users []string
	for i := range 120 {
		cond := ""
		if i%2 == 1 {
			cond = `,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`
		}
		users = append(users, fmt.Sprintf(`{"UserName":"u%[1]d","UserId":"AIDAU%[1]d","Arn":"arn:aws:iam::%[2]s:user/u%[1]d","UserPolicyList":[{"PolicyName":"Own","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Sid":"Assume","Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::%[2]s:role/*"%[3]s},{"Sid":"Home","Effect":"Allow","Action":%[4]q,"Resource":"arn:aws:s3:::bucket-%[1]d-x/*"}]}}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}`, i, acct, cond, []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}[i%3]))
	}
	role := func(name, cond string) string {
		return fmt.Sprintf(`{"RoleName":%[1]q,"RoleId":"AROA%[1]s","Arn":"arn:aws:iam::%[2]s:role/%[1]s","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%[2]s:root"},"Action":"sts:AssumeRole"%[3]s}]},"RolePolicyList":[{"PolicyName":"R","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteBucket","Resource":"*"}]}}],"AttachedManagedPolicies":[],"Tags":[]}`, name, acct, cond)
	}
	return []byte(`{"UserDetailList":[` + strings.Join(users, ",") + `],"GroupDetailList":[],"RoleDetailList":[` +
		role("Ops", "") + "," + role("Admin", `,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`) + `],"Policies":[]}`)
}
