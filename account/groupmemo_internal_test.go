package account

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/policy"
)

// TestGroupKeysWithoutEngines checks that the group key and slots of every
// principal made from the parts its pre-key shares (sharedGroupKey) are
// the ones groupKey makes compiling its engine, byte for byte, whichever
// principal of a pre-key is keyed first: on CLI-shaped dumps of every kind
// the generator writes, on hand-made principals whose policies differ from
// one another in what a pre-key must tell apart (an MFA age condition, the
// spelling of a key, a policy variable in a Resource, NotAction, wildcard
// and sts actions, tags a trust policy reads), and on random dumps of such
// principals. (A policy that does not check is not loaded: Load says so.)
func TestGroupKeysWithoutEngines(t *testing.T) {
	type dump struct {
		name string
		data []byte
		opts Options
	}
	dumps := []dump{
		{"CLIDump(300)", accounttest.CLIDump(300), Options{}},
		{"CLIDump(300) copies", accounttest.CLIDumpWith(300, accounttest.Options{Copies: true}), Options{}},
		{"CLIDump(300) admins", accounttest.CLIDumpWith(300, accounttest.Options{Admins: true}), Options{}},
		{"CLIDump(300) copies and admins", accounttest.CLIDumpWith(300, accounttest.Options{Copies: true, Admins: true}), Options{}},
		{"hand-made", handMadeGroupDump(t), Options{}},
	}
	scp, err := policy.Parse("scp.json", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"7200"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	dumps = append(dumps, dump{"hand-made with an SCP", dumps[len(dumps)-1].data, Options{SCPs: [][]*policy.Policy{{scp}}}})
	r := rand.New(rand.NewPCG(17, 4))
	for i := range 40 {
		dumps = append(dumps, dump{fmt.Sprintf("random %d", i), randomGroupDump(t, r), Options{}})
	}
	// dumps earlier breakers left, when there (not part of the repository)
	if dir := os.Getenv("IAMEVAL_GROUP_DUMPS"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err == nil {
				dumps = append(dumps, dump{f, data, Options{}})
			}
		}
	}
	hits := 0
	for _, d := range dumps {
		a, err := Load(d.name, d.data)
		if err != nil {
			if os.Getenv("IAMEVAL_GROUP_DUMPS") != "" {
				continue
			}
			t.Fatalf("%s: %v", d.name, err)
		}
		for _, reverse := range []bool{false, true} {
			an := a.NewAnalyzer(d.opts)
			principals := an.dumpPrincipals()
			keys := an.trustKeys()
			order := make([]int, len(principals))
			for i := range order {
				order[i] = i
			}
			if reverse {
				slices.Reverse(order)
			}
			type made struct {
				key   string
				ok    bool
				slots Slots
			}
			shared := make([]made, len(principals))
			memo := &preKeys{}
			firsts := map[string]bool{}
			for _, i := range order {
				p := principals[i]
				set := a.PolicySet(p)
				set.SCPs, set.RCPs = d.opts.SCPs, d.opts.RCPs
				if pk, ok := an.appendPreKey(nil, p, &set); ok {
					if firsts[string(pk)] {
						hits++
					}
					firsts[string(pk)] = true
				}
				key, ok, _ := an.sharedGroupKey(p, int32(i), keys, nil, memo)
				shared[i] = made{key, ok, an.slotsOf(int32(i))}
			}
			clear(an.assumeSlots)
			for i, p := range principals {
				key, ok, _ := an.groupKey(p, int32(i), keys, nil)
				want := made{key, ok, an.slotsOf(int32(i))}
				if got := shared[i]; got.key != want.key || got.ok != want.ok || !slices.Equal(got.slots, want.slots) || (got.slots == nil) != (want.slots == nil) {
					t.Errorf("%s (reverse %v): %s: without an engine %q %v %v, with one %q %v %v", d.name, reverse, p, got.key, got.ok, slotNames(got.slots), want.key, want.ok, slotNames(want.slots))
				}
			}
		}
	}
	if hits < 1000 {
		t.Errorf("only %d principals were keyed from the parts of another: the test does not reach sharedGroupKey's shared path", hits)
	}
}

func slotNames(s Slots) []string {
	var out []string
	for _, cp := range s {
		out = append(out, fmt.Sprintf("%s/%d/%d", cp.Policy.Name, cp.Type, cp.Level))
	}
	return out
}

// groupDump builds a dump of users, each given its inline policy
// statements and tags, and of roles whose trust policies admit the
// account and read the tag team.
type groupDump struct {
	users []map[string]any
	roles []map[string]any
}

func (g *groupDump) user(name string, tags map[string]string, groups []string, statements ...string) {
	var policies []map[string]any
	for i, st := range statements {
		policies = append(policies, map[string]any{"PolicyName": fmt.Sprintf("P%d", i), "PolicyDocument": json.RawMessage(`{"Version":"2012-10-17","Statement":[` + st + `]}`)})
	}
	var tagList []map[string]string
	for k, v := range tags {
		tagList = append(tagList, map[string]string{"Key": k, "Value": v})
	}
	slices.SortFunc(tagList, func(a, b map[string]string) int {
		if a["Key"] < b["Key"] {
			return -1
		}
		return 1
	})
	attached := []any{}
	if len(groups) > 0 && len(name)%2 == 0 {
		// the group's managed policy attached to the user too: its
		// engine holds it twice (Slots.Map tells them apart by identity)
		attached = append(attached, map[string]string{"PolicyName": "M", "PolicyArn": "arn:aws:iam::123456789012:policy/M"})
	}
	u := map[string]any{"Path": "/", "UserName": name, "UserId": "AIDA" + name, "Arn": "arn:aws:iam::123456789012:user/" + name,
		"CreateDate": "2024-01-01T00:00:00Z", "UserPolicyList": policies, "GroupList": groups, "AttachedManagedPolicies": attached}
	if tagList != nil {
		u["Tags"] = tagList
	}
	g.users = append(g.users, u)
}

func (g *groupDump) role(name, trust string, statements ...string) {
	var policies []map[string]any
	for i, st := range statements {
		policies = append(policies, map[string]any{"PolicyName": fmt.Sprintf("R%d", i), "PolicyDocument": json.RawMessage(`{"Version":"2012-10-17","Statement":[` + st + `]}`)})
	}
	g.roles = append(g.roles, map[string]any{"Path": "/", "RoleName": name, "RoleId": "AROA" + name, "Arn": "arn:aws:iam::123456789012:role/" + name,
		"CreateDate": "2024-01-01T00:00:00Z", "AssumeRolePolicyDocument": json.RawMessage(trust), "RolePolicyList": policies, "AttachedManagedPolicies": []any{}})
}

func (g *groupDump) bytes(t *testing.T) []byte {
	data, err := json.MarshalIndent(map[string]any{
		"UserDetailList": g.users, "RoleDetailList": g.roles,
		"Policies": []any{map[string]any{"PolicyName": "M", "PolicyId": "ANPAM", "Arn": "arn:aws:iam::123456789012:policy/M", "Path": "/", "DefaultVersionId": "v1",
			"AttachmentCount": 1, "IsAttachable": true, "CreateDate": "2024-01-01T00:00:00Z", "UpdateDate": "2024-01-01T00:00:00Z",
			"PolicyVersionList": []any{map[string]any{"Document": json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/r*"}]}`),
				"VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2024-01-01T00:00:00Z"}}}},
		"GroupDetailList": []any{map[string]any{"Path": "/", "GroupName": "devs", "GroupId": "AGPAdevs", "Arn": "arn:aws:iam::123456789012:group/devs",
			"CreateDate": "2024-01-01T00:00:00Z", "GroupPolicyList": []any{map[string]any{"PolicyName": "G", "PolicyDocument": json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)}},
			"AttachedManagedPolicies": []any{map[string]string{"PolicyName": "M", "PolicyArn": "arn:aws:iam::123456789012:policy/M"}}}},
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// the statements principals are made of
var groupStatements = []string{
	`{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::home/NAME/*"}`,
	`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::home","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}}`,
	`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}`,
	`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${AWS:UserName}/*"}`,
	`{"Effect":"Deny","NotAction":["iam:ChangePassword","iam:GetUser"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`,
	`{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}`,
	`{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"900"}}}`,
	`{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/Team":"a"}}}`,
	`{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"StringEquals":{"aws:principaltag/team":"a"}}}`,
	`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/NAME-*"}`,
	`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`,
	`{"Effect":"Allow","Action":"sts:*","Resource":"*"}`,
	`{"Effect":"Allow","Action":"*","Resource":"*"}`,
	`{"Effect":"Allow","Action":"STS:assumerole","Resource":"*","Condition":{"StringEquals":{"aws:username":"NAME"}}}`,
	`{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"ops"}}}`,
	`{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}`,
	`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/NAME/*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}`,
	`{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::home/NAME/*"}`,
	`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/NAME/*","Condition":{"StringEquals":{"aws:PrincipalTag/Team":"${aws:username}"}}}`,
	`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Condition":{"StringLike":{"aws:username":"u*"}}}`,
	`{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"arn:aws:iam::123456789012:role/NAME"}`,
	`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/r1"}`,
	`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/r2"}`,
}

// the trust policies roles are given
var groupTrusts = []string{
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalTag/team":"ops"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/u1"},"Action":"sts:AssumeRole"}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:username":"u*"}}}]}`,
}

func expand(st, name string) string {
	out := []byte{}
	for i := 0; i < len(st); i++ {
		if i+4 <= len(st) && st[i:i+4] == "NAME" {
			out = append(out, name...)
			i += 3
			continue
		}
		out = append(out, st[i])
	}
	return string(out)
}

// handMadeGroupDump holds, for each pair of statement lists, users that
// differ only in their names and tags.
func handMadeGroupDump(t *testing.T) []byte {
	var g groupDump
	n := 0
	for i := range groupStatements {
		for j := i; j < len(groupStatements); j++ {
			for _, team := range []string{"ops", "dev", ""} {
				for k := range 2 {
					name := fmt.Sprintf("u%d", n)
					n++
					tags := map[string]string{}
					if team != "" {
						tags["team"] = team
					}
					groups := []string{}
					if k == 1 {
						groups = []string{"devs"}
					}
					g.user(name, tags, groups, expand(groupStatements[i], name), expand(groupStatements[j], name))
				}
			}
		}
	}
	for i, trust := range groupTrusts {
		g.role(fmt.Sprintf("r%d", i), trust, groupStatements[i%len(groupStatements)])
		g.role(fmt.Sprintf("r%d-copy", i), trust, groupStatements[i%len(groupStatements)])
	}
	return g.bytes(t)
}

// randomGroupDump is a dump of 30 users of one to three random statements
// each, many sharing their statements with others, and the roles.
func randomGroupDump(t *testing.T, r *rand.Rand) []byte {
	var g groupDump
	kinds := make([][]int, 6)
	for i := range kinds {
		for range 1 + r.IntN(3) {
			kinds[i] = append(kinds[i], r.IntN(len(groupStatements)))
		}
	}
	for u := range 30 {
		name := fmt.Sprintf("user%d", u)
		if r.IntN(4) == 0 {
			name = fmt.Sprintf("u%d", u)
		}
		var sts []string
		for _, k := range kinds[r.IntN(len(kinds))] {
			sts = append(sts, expand(groupStatements[k], name))
		}
		tags := map[string]string{}
		switch r.IntN(3) {
		case 0:
			tags["team"] = "ops"
		case 1:
			tags["Team"] = "a"
		}
		var groups []string
		if r.IntN(2) == 0 {
			groups = []string{"devs"}
		}
		g.user(name, tags, groups, sts...)
	}
	for i, trust := range groupTrusts {
		g.role(fmt.Sprintf("r%d", i), trust, expand(groupStatements[r.IntN(len(groupStatements))], fmt.Sprintf("r%d", i)))
	}
	return g.bytes(t)
}
