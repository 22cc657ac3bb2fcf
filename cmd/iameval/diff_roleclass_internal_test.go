package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/diff"
	"github.com/iameval/iameval/request"
)

// TestDiffRoleClassesSameAsEach: iameval diff on account dumps decides a
// principal's sts:AssumeRole once for each class of the dump's roles that
// its requests are decided alike on (the same trust policy but for whom
// it names, named alike for the caller; the same keys; matched alike by
// every statement's Resource), and decides the other roles of a class
// only where that one flipped. The report must be the one deciding every
// role gives — flips, counts of the matrix covered, not-checked entries —
// but for the number of decisions made, which must be fewer. Each change
// below flips sts:AssumeRole on some roles of a class and not on the
// first, which a class keyed too coarsely would skip:
//   - a Deny on roles tagged team=ops (the keys: aws:ResourceTag/team,
//     "IAM and STS requests on a user or role carry its tags");
//   - a Deny on one role's ARN (the statements' Resource);
//   - a Deny on every role, beside no identity Allow: only a role whose
//     trust policy names the caller itself was allowed ("a role trust
//     policy that names the user grants without an identity Allow" —
//     the Principal's match);
//
// and the benchmark's change (a region added to a managed policy) flips
// other actions only.
func TestDiffRoleClassesSameAsEach(t *testing.T) {
	base := string(accounttest.CLIDumpWith(60, accounttest.Options{Copies: true, Admins: true}))
	tagged := tagRoles(t, base, map[int]string{4: "ops", 5: "dev"})
	noGlobalAssume := regexp.MustCompile(`"iam:List\*",\s*"sts:AssumeRole",`).ReplaceAllString(base, `"iam:List*",`)
	if noGlobalAssume == base {
		t.Fatal("the generator's layout changed: GlobalReads holds no sts:AssumeRole")
	}
	deny := func(doc, stmt string) string {
		out := regexp.MustCompile(`\{(\s*)"Sid": "Regional"`).ReplaceAllString(doc, stmt+`,{$1"Sid": "Regional"`)
		if out == doc {
			t.Fatal("the generator's layout changed: no Regional statement")
		}
		return out
	}
	region := regexp.MustCompile(`"eu-central-1",(\s*)"us-east-1"`).ReplaceAllString(base, `"eu-central-1",$1"us-east-1",$1"ap-southeast-2"`)
	if region == base {
		t.Fatal("the generator's layout changed: no region list")
	}
	// role1 admits the account's principals from the office without MFA,
	// role4 with MFA from anywhere: trust policies of two shapes, which
	// name a caller alike
	office := setTrust(t, base, 1, `{"Version":"2012-10-17","Statement":[{"Sid":"AdminsWithMFA","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}`)
	for _, c := range []struct {
		name     string
		old, new string
		// assume: sts:AssumeRole flips, on some roles only
		assume bool
		// few: a dump of a few roles, whose classes need not save a
		// decision
		few bool
	}{
		{"deny-tagged", tagged, deny(tagged, `{"Sid":"NoOps","Effect":"Deny","Action":"sts:AssumeRole","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"ops"}}}`), true, false},
		{"deny-one-arn", base, deny(base, `{"Sid":"NoRole4","Effect":"Deny","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/role4*"}`), true, false},
		{"deny-all-without-identity-allow", noGlobalAssume, deny(noGlobalAssume, `{"Sid":"NoAssume","Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}`), true, false},
		{"deny-outside-office", office, deny(office, `{"Sid":"OfficeOnly","Effect":"Deny","Action":"sts:AssumeRole","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`), true, false},
		{"region", base, region, false, false},
		// a breaker's find: tags whose key and value hold the bytes the
		// class key separated its fields with made two roles one class
		// (AWS allows no control character in a tag; a dump may hold it)
		{"tags-that-join-alike", readFile(t, "../../testdata/diff/roleclass-tags-old.json"), readFile(t, "../../testdata/diff/roleclass-tags-new.json"), true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			old, err := account.Load("old.json", []byte(c.old))
			if err != nil {
				t.Fatal(err)
			}
			new, err := account.Load("new.json", []byte(c.new))
			if err != nil {
				t.Fatal(err)
			}
			compare := func(classes bool) (*diff.Report, int64) {
				pairs, err := accountPairs(old, new)
				if err != nil {
					t.Fatal(err)
				}
				var made atomic.Int64
				for i := range pairs {
					for _, p := range []*diff.Principal{pairs[i].Old, pairs[i].New} {
						if p == nil {
							continue
						}
						if !classes {
							p.ResourceShape = nil
						}
						in := p.RequestIn
						p.RequestIn = func(req *request.Context, action, resource string) *request.Context {
							if strings.EqualFold(action, "sts:AssumeRole") {
								made.Add(1)
							}
							return in(req, action, resource)
						}
					}
				}
				return diff.Compare(pairs, diff.Options{}), made.Load()
			}
			got, madeGot := compare(true)
			want, madeWant := compare(false)
			if !c.few && got.Requests >= want.Requests {
				t.Errorf("classes made %d decisions (%d sts:AssumeRole requests), each role %d (%d): no fewer", got.Requests, madeGot, want.Requests, madeWant)
			}
			got.Requests = want.Requests // the one count that differs
			// (reflect first: cmp takes seconds over a million flipped
			// requests, and is only needed to say where they differ)
			if w, g := reportView(want), reportView(got); !reflect.DeepEqual(w, g) {
				t.Errorf("the report by classes of roles differs from the one deciding each (-each +classes):\n%s", cmp.Diff(w, g))
			}
			flipped := map[string]bool{}
			for _, f := range want.Flips {
				for _, it := range f.Actions.Items {
					if strings.EqualFold(it.Action, "sts:AssumeRole") {
						for _, r := range it.Resources {
							flipped[r] = true
						}
					}
				}
			}
			if c.assume != (len(flipped) > 0) || len(flipped) >= len(new.Roles) {
				t.Errorf("sts:AssumeRole flipped on %d of %d roles; want some but not all: %v", len(flipped), len(new.Roles), c.assume)
			}
		})
	}
}

// tagRoles gives roles of a clidump dump (by number) a team tag.
func tagRoles(t *testing.T, doc string, teams map[int]string) string {
	t.Helper()
	for r, team := range teams {
		at := strings.Index(doc, `"RoleName": "role`+strconv.Itoa(r)+`"`)
		if at < 0 {
			t.Fatalf("no role%d in the dump", r)
		}
		rest := doc[at:]
		i := strings.Index(rest, `"Tags": []`)
		if i < 0 {
			t.Fatalf("role%d has no empty tag list", r)
		}
		doc = doc[:at] + rest[:i] + `"Tags": [{"Key": "team", "Value": "` + team + `"}]` + rest[i+len(`"Tags": []`):]
	}
	return doc
}

// setTrust replaces the trust policy of role r of a clidump dump.
func setTrust(t *testing.T, doc string, r int, trust string) string {
	t.Helper()
	at := strings.Index(doc, `"RoleName": "role`+strconv.Itoa(r)+`"`)
	if at < 0 {
		t.Fatalf("no role%d in the dump", r)
	}
	i := strings.Index(doc[at:], `"AssumeRolePolicyDocument": {`)
	if i < 0 {
		t.Fatalf("role%d has no trust policy", r)
	}
	start := at + i + len(`"AssumeRolePolicyDocument": `)
	depth, end := 0, start
	for ; end < len(doc); end++ {
		if doc[end] == '{' {
			depth++
		} else if doc[end] == '}' {
			if depth--; depth == 0 {
				break
			}
		}
	}
	return doc[:start] + trust + doc[end+1:]
}

// viewedReport is a diff.Report with each flip's set by its number and
// requests (a set's other fields are the Comparer's own).
type viewedReport struct {
	diff.Report
	IDs  []int
	Sets [][]diff.ActionResources
}

func reportView(r *diff.Report) viewedReport {
	v := viewedReport{Report: *r}
	v.Flips = append([]diff.Flip(nil), r.Flips...)
	for i := range v.Flips {
		f := &v.Flips[i]
		v.IDs = append(v.IDs, f.Actions.ID)
		v.Sets = append(v.Sets, f.Actions.Items)
		f.Actions = nil
	}
	return v
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestDiffPrincipalKeyFieldsApart: a principal whose policies did not
// change in meaning and whose keys are the same is not compared
// (diff.Principal.Key): a change of its tags must change the key, however
// the tags' text runs together (a sibling of the class key's fault: a tag
// value holding the bytes that separated the keys made t="x\x00…u\x01y"
// the same text as t="x", u="y", and a Deny on aws:PrincipalTag/u was "No
// change in access").
func TestDiffPrincipalKeyFieldsApart(t *testing.T) {
	dump := func(tags string) string {
		return `{"UserDetailList": [{"Path": "/", "UserName": "u0", "UserId": "AIDA00000000000000U0", "Arn": "arn:aws:iam::123456789012:user/u0", "CreateDate": "2024-01-01T00:00:00+00:00",
  "UserPolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/u": "y"}}}]}}],
  "GroupList": [], "AttachedManagedPolicies": [], "Tags": [` + tags + `]}],
 "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`
	}
	dir := t.TempDir()
	oldPath, newPath := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	for p, tags := range map[string]string{
		oldPath: `{"Key": "t", "Value": "x\u0000aws:PrincipalTag/u\u0001y"}`,
		newPath: `{"Key": "t", "Value": "x"}, {"Key": "u", "Value": "y"}`,
	} {
		if err := os.WriteFile(p, []byte(dump(tags)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut strings.Builder
	code := run([]string{"diff", oldPath, newPath, "--fail-on", "lost-access"}, strings.NewReader(""), &out, &errOut)
	if code != exitCheck || !strings.Contains(out.String(), "LOST ACCESS") {
		t.Errorf("exit %d, want 1 (lost access: the new tag u=y meets the Deny):\n%s%s", code, out.String(), errOut.String())
	}
}

// TestDiffJoinedTextKeptApart: what diff tells apart by a key of joined
// text must stay apart whatever bytes the text holds (an auditor's finds,
// each "No change in access" before):
//   - the dump's roles and their tags, which every principal's key holds:
//     a role tag a="b\0c\1d" became a=b and c=d, and a caller allowed on
//     aws:ResourceTag/c=d gained the role;
//   - the session tags a caller passes in sts:AssumeRole, which pair the
//     two sides' decisions: aws:RequestTag/a=b set to c, and
//     aws:RequestTag/a set to b=c, both "aws:RequestTag/a=b=c" as text
//     (AWS allows '=' in tag keys and values: IAM User Guide, "Tagging
//     IAM resources", tag naming rules);
//   - the same two sets of values named by two statements of one trust
//     policy, the second dropped as equal to the first.
func TestDiffJoinedTextKeptApart(t *testing.T) {
	for _, c := range []struct{ name, kind string }{
		{"joined-role-tags", "NEW ACCESS"},
		{"joined-passed", "NEW ACCESS"},
		{"joined-passed-twice", "NEW ACCESS"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if code, out := diffPair(c.name); code != exitCheck || !strings.Contains(out, c.kind) {
				t.Errorf("exit %d, want 1 and %s:\n%s", code, c.kind, out)
			}
		})
	}
}

// TestDiffRoleTagsListed: a role whose tags the dump lists ("Tags", even
// empty) lacks every other tag, so the requests on it lack
// aws:ResourceTag/KEY for it, as they would on AWS ("a tag missing from
// the Tags the dump lists is absent"), and diff does not make one up: a
// new Allow, or a Deny, on aws:ResourceTag/team=ops flips nothing on a
// role without that tag (a fresh user's find: new access "with
// aws:ResourceTag/team=ops" on an untagged role, exit 1). A role whose
// dump gives no Tags at all has tags not known, which are varied.
func TestDiffRoleTagsListed(t *testing.T) {
	for _, c := range []struct {
		name string
		code int
		want string
		not  string
	}{
		// roleA is tagged team=ops, roleB is not
		{"role-tags-listed-deny", exitOK, "roleA, long-term keys", "roleB"},
		{"role-tags-listed-empty", exitOK, "No change in access", "NEW ACCESS"},
		{"role-tags-listed-other", exitOK, "No change in access", "NEW ACCESS"},
		{"role-tags-unlisted", exitCheck, "role/roleB with aws:ResourceTag/team=ops", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out := diffPair(c.name)
			if code != c.code || !strings.Contains(out, c.want) || c.not != "" && strings.Contains(out, c.not) {
				t.Errorf("exit %d, want %d with %q and no %q:\n%s", code, c.code, c.want, c.not, out)
			}
		})
	}
}

// TestMFAAccountRoleTagsListed: the same rule in mfa --account's
// reachability: a role whose dump lists its tags (none) lacks
// aws:ResourceTag/team, so a caller allowed sts:AssumeRole only on
// team=ops cannot assume it, which is decided, not "undecided … depends on
// context keys not given" (the sibling of TestDiffRoleTagsListed's find).
func TestMFAAccountRoleTagsListed(t *testing.T) {
	var out, errOut strings.Builder
	code := run([]string{"mfa", "--account", "../../testdata/diff/role-tags-listed-empty-new.json", "--action", "sts:AssumeRole"}, strings.NewReader(""), &out, &errOut)
	if code != exitOK || strings.Contains(out.String(), "role roleB (aws:ResourceTag/team)") || !strings.Contains(out.String(), "0 undecided") {
		t.Errorf("exit %d, want roleB decided (its tags are listed):\n%s%s", code, out.String(), errOut.String())
	}
}

// TestDiffTrustNamesCaller: within an account, a role's trust policy that
// names a user itself lets the user assume the role with no identity
// Allow ("a role trust policy that names the user grants" — IAM User
// Guide, policy evaluation logic: a resource-based policy naming the
// principal itself in the same account), so diff compares the user's
// sts:AssumeRole on the dump's roles even when none of its policies
// allows the action (a fresh user's find: removing the user's Deny, or a
// Deny without MFA, or a role tag a Deny tested, was "No change in
// access").
func TestDiffTrustNamesCaller(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"trust-names-caller-deny", "NEW ACCESS"},
		{"trust-names-caller-mfa", "MFA WEAKENED"},
		{"trust-names-caller-tags", "NEW ACCESS"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out := diffPair(c.name)
			if code != exitCheck || !strings.Contains(out, c.want) || !strings.Contains(out, "sts:AssumeRole on arn:aws:iam::111122223333:role/") {
				t.Errorf("exit %d, want 1 and %s of sts:AssumeRole:\n%s", code, c.want, out)
			}
		})
	}
}

// diffPair runs iameval diff on testdata/diff/NAME-old.json and
// NAME-new.json, and returns its exit code and what it printed (stdout,
// then stderr).
func diffPair(name string) (int, string) {
	var out, errOut strings.Builder
	args := []string{"diff", "../../testdata/diff/" + name + "-old.json", "../../testdata/diff/" + name + "-new.json"}
	code := run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String() + errOut.String()
}
