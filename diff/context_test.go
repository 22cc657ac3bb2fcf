package diff_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/diff"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// allowIf is a policy allowing action on every resource when cond (a
// Condition element's JSON) holds.
func allowIf(action, cond string) string {
	return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"` + action + `","Resource":"*","Condition":` + cond + `}}`
}

// contexts are the Context of each flip line of flipsOf, with its kind:
// "new-access [aws:SourceIp=10.1.0.0]".
func contexts(lines []string) []string {
	var out []string
	for _, l := range lines {
		kind, _, _ := strings.Cut(l, " ")
		ctx := l[strings.LastIndex(l, "["):]
		if s := kind + " " + ctx; !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestDiffPrincipalKeysNotInvented: with a caller, the principal keys
// the live request derives are its own and never varied: a request whose
// principal has no tag team carries no aws:PrincipalTag/team (global
// condition keys page, aws:PrincipalTag: "This key is included in the
// request context if the principal is using an IAM user with attached
// tags"), so a change to a condition on it changes nothing for alice.
// That holds when the request carries every principal key the principal
// has (Principal.Known, an account dump's principals); for a caller given
// by its ARN alone, its tags and unique id are not known and are tried.
// Without a caller (the policy simulator without CallerArn) the key is
// whatever the request gives, and its values are tried.
func TestDiffPrincipalKeysNotInvented(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	for _, tc := range []struct {
		name, old, new string
	}{
		{"aws:PrincipalTag/team", `{"StringEquals":{"aws:PrincipalTag/team":"dev"}}`, `{"StringEquals":{"aws:PrincipalTag/team":"ops"}}`},
		{"aws:userid", `{"StringEquals":{"aws:userid":"AIDAEXAMPLE1"}}`, `{"StringEquals":{"aws:userid":"AIDAEXAMPLE2"}}`},
		{"aws:username of a role session", `{"StringEquals":{"aws:username":"bob"}}`, `{"StringEquals":{"aws:username":"carol"}}`},
	} {
		caller := alice
		if strings.Contains(tc.name, "role") {
			caller = "arn:aws:sts::111122223333:assumed-role/deploy/s1"
		}
		old, new := allowIf("s3:GetObject", tc.old), allowIf("s3:GetObject", tc.new)
		known := func(p *diff.Principal) *diff.Principal { p.Known = true; return p }
		if got := flipsOf(known(principal(t, caller, old)), known(principal(t, caller, new))); len(got) != 0 {
			t.Errorf("%s, caller %s (its keys known, as an account dump's): the key was invented: %q", tc.name, caller, got)
		}
		// a caller given by its ARN alone: its tags and unique id are not
		// known, and are tried; what its ARN tells (a role session has no
		// aws:username) is not
		got := flipsOf(principal(t, caller, old), principal(t, caller, new))
		if strings.Contains(tc.name, "role") != (len(got) == 0) {
			t.Errorf("%s, caller %s by its ARN alone: flips %q", tc.name, caller, got)
		}
		if got := flipsOf(principal(t, "", old), principal(t, "", new)); len(got) == 0 {
			t.Errorf("%s, no caller: the key's values were not tried", tc.name)
		}
	}
}

// TestDiffIPRanges: for each range an IpAddress or NotIpAddress condition
// names, the addresses either side of each end are tried, so a range
// widened or narrowed flips the addresses between (condition operators
// page: IpAddress matches "the specified IP address or range").
func TestDiffIPRanges(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	policy := func(cidr string) *diff.Principal {
		return principal(t, alice, `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
 {"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"`+cidr+`"}}}]}`)
	}
	for _, tc := range []struct {
		old, new string
		want     []string
	}{
		{"10.0.0.0/16", "10.0.0.0/8", []string{"new-access [aws:SourceIp=10.1.0.0]", "new-access [aws:SourceIp=10.255.255.255]"}},
		{"10.0.0.0/8", "10.0.0.0/16", []string{"lost-access [aws:SourceIp=10.1.0.0]", "lost-access [aws:SourceIp=10.255.255.255]"}},
		{"2001:db8::/48", "2001:db8::/32", []string{"new-access [aws:SourceIp=2001:db8:1::]", "new-access [aws:SourceIp=2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]"}},
		{"192.0.2.7", "192.0.2.0/24", []string{"new-access [aws:SourceIp=192.0.2.0]", "new-access [aws:SourceIp=192.0.2.6]", "new-access [aws:SourceIp=192.0.2.8]", "new-access [aws:SourceIp=192.0.2.255]"}},
	} {
		got := contexts(flipsOf(policy(tc.old), policy(tc.new)))
		slices.Sort(got)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("NotIpAddress %s -> %s:\n got %q\nwant %q", tc.old, tc.new, got, tc.want)
		}
	}
}

// TestDiffMultivaluedSets: a multivalued key is tried with sets of two
// values and more, so ForAllValues and ForAnyValue are told apart
// (multivalued context keys page: ForAllValues "returns true if every key
// value in the request matches at least one value in the policy",
// ForAnyValue "if any one of the key values in the request matches any one
// of the condition key values in the policy").
func TestDiffMultivaluedSets(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	tags := func(set string) *diff.Principal {
		return principal(t, alice, allowIf("ec2:CreateTags", `{"Null":{"aws:TagKeys":"false"},"`+set+`:StringEquals":{"aws:TagKeys":["env","team"]}}`))
	}
	got := contexts(flipsOf(tags("ForAllValues"), tags("ForAnyValue")))
	if len(got) == 0 {
		t.Fatal("ForAllValues -> ForAnyValue on aws:TagKeys flips nothing")
	}
	for _, g := range got {
		if !strings.HasPrefix(g, "new-access [aws:TagKeys=env,team,") {
			t.Errorf("unexpected flip %s: want new access for both named tag keys and one more", g)
		}
	}
}

// TestDiffAlwaysPresentKeys: with a caller, the keys AWS includes in every
// request are never tried absent (global condition keys page:
// aws:CurrentTime, aws:EpochTime, aws:RequestedRegion, aws:SecureTransport,
// aws:ViaAWSService, aws:UserAgent: "This key is always included in the
// request context"), so ...IfExists on them changes nothing; a value no
// statement names stands for the other values. Without a caller (as the
// policy simulator decides) the key is absent unless given, and absent is
// tried.
func TestDiffAlwaysPresentKeys(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	deny := func(cond string) string {
		return `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
 {"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":` + cond + `}]}`
	}
	for _, tc := range []struct {
		name, old, new string
	}{
		{"aws:CurrentTime", allowIf("s3:GetObject", `{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`), allowIf("s3:GetObject", `{"DateLessThanIfExists":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`)},
		{"aws:EpochTime", allowIf("s3:GetObject", `{"NumericLessThan":{"aws:EpochTime":"1893456000"}}`), allowIf("s3:GetObject", `{"NumericLessThanIfExists":{"aws:EpochTime":"1893456000"}}`)},
		{"aws:SecureTransport", deny(`{"Bool":{"aws:SecureTransport":"false"}}`), deny(`{"BoolIfExists":{"aws:SecureTransport":"false"}}`)},
		{"aws:RequestedRegion", allowIf("s3:GetObject", `{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}`), allowIf("s3:GetObject", `{"StringEqualsIfExists":{"aws:RequestedRegion":"eu-west-1"}}`)},
		{"aws:ViaAWSService", deny(`{"Bool":{"aws:ViaAWSService":"true"}}`), deny(`{"BoolIfExists":{"aws:ViaAWSService":"true"}}`)},
	} {
		if got := flipsOf(principal(t, alice, tc.old), principal(t, alice, tc.new)); len(got) != 0 {
			t.Errorf("%s: ...IfExists flips with a caller: %q", tc.name, got)
		}
		if got := flipsOf(principal(t, "", tc.old), principal(t, "", tc.new)); len(got) == 0 {
			t.Errorf("%s: without a caller, the key absent was not tried", tc.name)
		}
	}
	// a value no statement names is tried for them
	region := func(op string) *diff.Principal {
		return principal(t, alice, allowIf("s3:GetObject", `{"`+op+`":{"aws:RequestedRegion":"eu-west-1"}}`))
	}
	got := contexts(flipsOf(region("StringEquals"), region("StringNotEquals")))
	if want := []string{"lost-access [aws:RequestedRegion=eu-west-1]", "new-access [aws:RequestedRegion=other]"}; !slices.Equal(got, want) {
		t.Errorf("StringEquals -> StringNotEquals on aws:RequestedRegion:\n got %q\nwant %q", got, want)
	}
	// both booleans for a Boolean key, whatever the operator: the Allow
	// removed lets requests without TLS in
	secure := principal(t, alice, allowIf("s3:GetObject", `{"StringEquals":{"aws:SecureTransport":"true"}}`))
	anyway := principal(t, alice, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	got = contexts(flipsOf(secure, anyway))
	want := []string{"new-access [aws:SecureTransport=false]"}
	if !slices.Equal(got, want) {
		t.Errorf("aws:SecureTransport true required, then not:\n got %q\nwant %q", got, want)
	}
}

// TestDiffUncheckedOnce: an entry not checked is reported once, however
// many sides hold it.
func TestDiffUncheckedOnce(t *testing.T) {
	// a Resource entry whose variable a request without a caller cannot
	// fill, on both sides
	doc := func(action string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"` + action + `","Resource":"arn:aws:s3:::home/${aws:username}/*"}}`
	}
	rep := diff.Compare([]diff.Pair{{Name: "p", Old: principal(t, "", doc("s3:GetObject")), New: principal(t, "", doc("s3:GetObject"), doc("s3:PutObject"))}}, diff.Options{})
	// a resource policy on both sides, without a caller
	bucket := func() *diff.Principal {
		p, err := policy.Parse("bucket.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`))
		if err != nil {
			t.Fatal(err)
		}
		e, err := evaluator.Compile(evaluator.PolicySet{Resource: p})
		if err != nil {
			t.Fatal(err)
		}
		return &diff.Principal{Engine: e}
	}
	rep2 := diff.Compare([]diff.Pair{{Name: "bucket", Old: bucket(), New: bucket()}}, diff.Options{})
	for _, r := range []*diff.Report{rep, rep2} {
		if len(r.Unchecked) == 0 {
			t.Errorf("nothing said not checked")
		}
		seen := map[diff.Unchecked]bool{}
		for _, u := range r.Unchecked {
			if seen[u] {
				t.Errorf("reported twice: %+v", u)
			}
			seen[u] = true
		}
	}
}

// TestDiffServiceKeysOfTheAction: a service key is varied only for the
// actions whose requests can carry it (Service Authorization Reference:
// the condition keys of each action and of its resource types); for the
// others it is absent. A Deny on s3:x-amz-server-side-encryption flips
// s3:PutObject, not s3:GetObject, whose requests never carry the key.
func TestDiffServiceKeysOfTheAction(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	allow := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	deny := `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}}`
	rep := diff.Compare([]diff.Pair{{Name: "p", Old: principal(t, alice, allow), New: principal(t, alice, allow, deny)}}, diff.Options{})
	cat := catalog.Default()
	var actions []string
	for _, f := range rep.Flips {
		for _, a := range f.Actions.Items {
			if !slices.Contains(actions, a.Action) {
				actions = append(actions, a.Action)
			}
		}
	}
	if !slices.Contains(actions, "s3:PutObject") {
		t.Errorf("s3:PutObject does not flip: %q", actions)
	}
	for _, a := range actions {
		if ca := cat.Action(a); ca == nil || !ca.SupportsKey("s3:x-amz-server-side-encryption") {
			t.Errorf("%s flips, but its requests never carry s3:x-amz-server-side-encryption", a)
		}
	}
}

// TestDiffNumbersAndDates: for each number and date a condition names,
// the value just below and just above are tried too, so operators that
// agree at the value itself and on an absent key are told apart
// (condition operators page: NumericLessThan "Less than matching",
// DateGreaterThan "Matching after a specific date and time"). A date is
// tried a second either side, in the form it is written in.
func TestDiffNumbersAndDates(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	for _, tc := range []struct {
		action, old, new string
		want             []string
	}{
		{"s3:ListBucket", `{"NumericGreaterThan":{"s3:max-keys":"100"}}`, `{"NumericLessThan":{"s3:max-keys":"100"}}`,
			[]string{"lost-access [s3:max-keys=101]", "new-access [s3:max-keys=99]"}},
		{"s3:GetObject", `{"DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, `{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`,
			[]string{"lost-access [aws:CurrentTime=2030-01-01T00:00:01Z]", "new-access [aws:CurrentTime=2029-12-31T23:59:59Z]"}},
		{"s3:GetObject", `{"DateGreaterThan":{"aws:EpochTime":"1893456000"}}`, `{"DateLessThan":{"aws:EpochTime":"1893456000"}}`,
			[]string{"lost-access [aws:EpochTime=1893456001]", "new-access [aws:EpochTime=1893455999]"}},
	} {
		got := contexts(flipsOf(principal(t, alice, allowIf(tc.action, tc.old)), principal(t, alice, allowIf(tc.action, tc.new))))
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s -> %s:\n got %q\nwant %q", tc.old, tc.new, got, tc.want)
		}
	}
}

// TestDiffWildcardPatterns: StringLike and ArnLike patterns, and Resource
// patterns, that differ only in their wildcards are told apart (condition
// operators page: "a multi-character match wildcard (*) and a
// single-character match wildcard (?)"; a * also matches nothing: with
// StringNotLike aws:PrincipalTag/team "a?c" -> "a*c", team=ac and
// team=abbc flip, as iameval simulate decides each side).
func TestDiffWildcardPatterns(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	denyUnless := func(op, key, v string) *diff.Principal {
		return principal(t, alice, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
 {"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"`+op+`":{"`+key+`":"`+v+`"}}}]}`)
	}
	allowIfLike := func(op, key, v string) *diff.Principal {
		return principal(t, alice, allowIf("s3:GetObject", `{"`+op+`":{"`+key+`":"`+v+`"}}`))
	}
	allowOn := func(res string) *diff.Principal {
		return principal(t, alice, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"`+res+`"}}`)
	}
	for _, tc := range []struct {
		name     string
		old, new *diff.Principal
	}{
		{"StringNotLike a?c -> a*c (Deny)", denyUnless("StringNotLike", "aws:PrincipalTag/team", "a?c"), denyUnless("StringNotLike", "aws:PrincipalTag/team", "a*c")},
		{"StringLike a?c -> a*c (Allow)", allowIfLike("StringLike", "aws:PrincipalTag/team", "a?c"), allowIfLike("StringLike", "aws:PrincipalTag/team", "a*c")},
		{"StringLike a*c -> a?c (Allow)", allowIfLike("StringLike", "aws:PrincipalTag/team", "a*c"), allowIfLike("StringLike", "aws:PrincipalTag/team", "a?c")},
		{"StringLike a* -> a?*", allowIfLike("StringLike", "aws:PrincipalTag/team", "a*"), allowIfLike("StringLike", "aws:PrincipalTag/team", "a?*")},
		{"StringLike a?c -> a??c", allowIfLike("StringLike", "aws:PrincipalTag/team", "a?c"), allowIfLike("StringLike", "aws:PrincipalTag/team", "a??c")},
		{"ArnLike aws:SourceArn ?/*", allowIfLike("ArnLike", "aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t?c"), allowIfLike("ArnLike", "aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t*c")},
		{"Resource a?c -> a*c", allowOn("arn:aws:s3:::bucket/a?c"), allowOn("arn:aws:s3:::bucket/a*c")},
		{"Resource a*c -> a?c", allowOn("arn:aws:s3:::bucket/a*c"), allowOn("arn:aws:s3:::bucket/a?c")},
		{"Resource a* -> a?*", allowOn("arn:aws:s3:::bucket/a*"), allowOn("arn:aws:s3:::bucket/a?*")},
		{"Resource a?* -> a*", allowOn("arn:aws:s3:::bucket/a?*"), allowOn("arn:aws:s3:::bucket/a*")},
	} {
		if got := flipsOf(tc.old, tc.new); len(got) == 0 {
			t.Errorf("%s: no flip", tc.name)
		}
	}
	// the same pattern on both sides flips nothing
	if got := flipsOf(allowIfLike("StringLike", "aws:PrincipalTag/team", "a*c"), allowIfLike("StringLike", "aws:PrincipalTag/team", "a*c")); len(got) != 0 {
		t.Errorf("the same pattern: flips %q", got)
	}
}

// resourcePrincipal is a caller with its own policies assumed to allow
// action and resource policy doc (nil for none).
func resourcePrincipal(t *testing.T, caller, action, doc string) *diff.Principal {
	t.Helper()
	id, err := policy.Parse("id.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"`+action+`","Resource":"*"}}`))
	if err != nil {
		t.Fatal(err)
	}
	set := evaluator.PolicySet{Identity: []*policy.Policy{id}}
	if doc != "" {
		rp, err := policy.Parse("bp.json", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		set.Resource = rp
	}
	e, err := evaluator.Compile(set)
	if err != nil {
		t.Fatal(err)
	}
	return &diff.Principal{Engine: e, Request: func(a, r string) *request.Context { return request.New(caller, a, r) }}
}

// TestDiffAnonymousHasNoPrincipalKeys: an unsigned request carries no key
// of a principal (global condition keys page: aws:PrincipalArn,
// aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalTag, aws:userid,
// aws:username ... "Anonymous requests do not include this key"; nor the
// keys a service adds when it acts for a principal, aws:SourceArn,
// aws:SourceAccount, aws:CalledVia): a bucket policy that grants "*" in
// the organization o-abc grants nothing to anonymous, so the change is no
// flip of the anonymous caller.
func TestDiffAnonymousHasNoPrincipalKeys(t *testing.T) {
	bp := func(cond string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*","Condition":` + cond + `}]}`
	}
	for _, cond := range []string{
		`{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}`,
		`{"StringLike":{"aws:PrincipalOrgPaths":"o-abc/*"}}`,
		`{"StringEquals":{"aws:PrincipalTag/team":"dev"}}`,
		`{"StringEquals":{"aws:userid":"AIDAEXAMPLE"}}`,
		`{"StringEquals":{"aws:username":"bob"}}`,
		`{"StringEquals":{"aws:PrincipalAccount":"444455556666"}}`,
		`{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::444455556666:role/r"}}`,
		`{"StringEquals":{"aws:SourceAccount":"444455556666"}}`,
		`{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:444455556666:*"}}`,
		`{"ForAnyValue:StringEquals":{"aws:CalledVia":"athena.amazonaws.com"}}`,
		`{"StringEquals":{"aws:SourceIdentity":"alice"}}`,
		`{"StringEquals":{"aws:FederatedProvider":"cognito-identity.amazonaws.com"}}`,
	} {
		old := resourcePrincipal(t, "anonymous", "s3:GetObject", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}`)
		new := resourcePrincipal(t, "anonymous", "s3:GetObject", bp(cond))
		if got := flipsOf(old, new); len(got) != 0 {
			t.Errorf("%s: the anonymous caller flips %q", cond, got)
		}
	}
}
