package request_test

import (
	"testing"
	"time"

	"github.com/iameval/iameval/request"
)

func TestMFAConstructors(t *testing.T) {
	const alice = "arn:aws:iam::123456789012:user/alice"
	tests := []struct {
		rule    string // AWS behaviour, SPEC 6.2
		ctx     *request.Context
		present string // "" = absent
		age     string // "" = absent
	}{
		{"long-term access keys carry neither MFA key", request.LongTermKeys(alice, "s3:GetObject", "*"), "", ""},
		{"a session without MFA has Present=false and no age", request.SessionWithoutMFA(alice, "s3:GetObject", "*"), "false", ""},
		{"a session with MFA has Present=true and the age in seconds", request.SessionWithMFA(alice, "s3:GetObject", "*", 90*time.Minute), "true", "5400"},
		{"root with long-term keys: no MFA keys", request.Root("123456789012", "s3:GetObject", "*", nil), "", ""},
	}
	for _, tc := range tests {
		get := func(k string) string {
			key, ok := tc.ctx.Lookup(k)
			if !ok {
				return ""
			}
			return key.Values[0].String()
		}
		if got := get(request.KeyMultiFactorAuthPresent); got != tc.present {
			t.Errorf("%s: MultiFactorAuthPresent = %q, want %q", tc.rule, got, tc.present)
		}
		if got := get(request.KeyMultiFactorAuthAge); got != tc.age {
			t.Errorf("%s: MultiFactorAuthAge = %q, want %q", tc.rule, got, tc.age)
		}
	}
	age := 30 * time.Second
	root := request.Root("123456789012", "s3:GetObject", "*", &age)
	if k, ok := root.Lookup("AWS:MULTIFACTORAUTHAGE"); !ok || k.Values[0].String() != "30" {
		t.Errorf("root with MFA: age = %v", k)
	}
	if k, _ := root.Lookup(request.KeyPrincipalType); k.Values[0].String() != "Account" {
		t.Errorf("root PrincipalType = %v", k.Values[0])
	}
	c := request.SessionWithMFA(alice, "a", "r", time.Minute)
	c.SetLongTermKeys()
	if _, ok := c.Lookup(request.KeyMultiFactorAuthPresent); ok {
		t.Error("SetLongTermKeys must remove the MFA keys")
	}
}

func TestPrincipalKeys(t *testing.T) {
	c := request.New("arn:aws:sts::111122223333:assumed-role/Admin/alice-session", "s3:GetObject", "*")
	want := map[string]string{
		"aws:PrincipalArn":     "arn:aws:iam::111122223333:role/Admin",
		"aws:PrincipalAccount": "111122223333",
		"aws:PrincipalType":    "AssumedRole",
	}
	for k, v := range want {
		if got, ok := c.Lookup(k); !ok || got.Values[0].String() != v {
			t.Errorf("%s = %v, want %s", k, got, v)
		}
	}
	if _, ok := c.Lookup("aws:username"); ok {
		t.Error("aws:username is present only for IAM users")
	}
	u := request.New("arn:aws:iam::111122223333:user/division/alice", "s3:GetObject", "*")
	if k, _ := u.Lookup("aws:username"); k == nil || k.Values[0].String() != "alice" {
		t.Errorf("aws:username for a user with a path = %v", k)
	}
}

func TestParsePrincipal(t *testing.T) {
	tests := []struct {
		arn  string
		kind request.PrincipalKind
		acct string
		name string
	}{
		{"arn:aws:iam::111122223333:user/alice", request.PrincipalUser, "111122223333", "alice"},
		{"arn:aws:iam::111122223333:user/a/b/alice", request.PrincipalUser, "111122223333", "alice"},
		{"arn:aws:iam::111122223333:role/R", request.PrincipalRole, "111122223333", "R"},
		{"arn:aws:sts::111122223333:assumed-role/R/s", request.PrincipalAssumedRole, "111122223333", "R"},
		{"arn:aws:sts::111122223333:federated-user/bob", request.PrincipalFederatedUser, "111122223333", "bob"},
		{"arn:aws:iam::111122223333:root", request.PrincipalRoot, "111122223333", ""},
		{"ec2.amazonaws.com", request.PrincipalService, "", "ec2.amazonaws.com"},
		{"", request.PrincipalNone, "", ""}, // no caller given (issue 11: never silently anonymous)
		{request.Anonymous, request.PrincipalAnonymous, "", ""},
		{"arn:aws:sts::111122223333:assumed-role/R", request.PrincipalUnknown, "111122223333", ""},
		{"alice", request.PrincipalUnknown, "", ""},
	}
	for _, tc := range tests {
		p := request.ParsePrincipal(tc.arn)
		if p.Kind != tc.kind || p.Account != tc.acct || p.Name != tc.name {
			t.Errorf("ParsePrincipal(%q) = %+v", tc.arn, p)
		}
	}
}

func TestSetTypes(t *testing.T) {
	c := &request.Context{}
	bad := []struct {
		t request.Type
		v []string
	}{
		{request.TypeNumeric, []string{"ten"}},
		{request.TypeBoolean, []string{"yes"}},
		{request.TypeDate, []string{"tomorrow"}},
		{request.TypeIP, []string{"300.1.1.1"}},
		{request.TypeBinary, []string{"!!"}},
		{request.TypeString, []string{"a", "b"}},
		{request.TypeString, nil},
	}
	for _, b := range bad {
		if err := c.Set("k", b.t, b.v...); err == nil {
			t.Errorf("Set(%s, %q) must fail", b.t, b.v)
		}
	}
	if err := c.Set("aws:TagKeys", request.TypeStringList); err != nil {
		t.Errorf("an empty list is a legal multivalued key: %v", err)
	}
	if k, ok := c.Lookup("AWS:tagkeys"); !ok || !k.Multivalued() || len(k.Values) != 0 {
		t.Errorf("Lookup is case-insensitive and keeps the type: %+v", k)
	}
	for i := request.TypeString; i <= request.TypeDateList; i++ {
		got, err := request.ParseType(i.String())
		if err != nil || got != i {
			t.Errorf("ParseType(%q) = %v, %v", i.String(), got, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	good := map[string]string{
		"2017":                      "1970-01-01T00:33:37Z", // no dash: epoch seconds
		"2017-07":                   "2017-07-01T00:00:00Z",
		"2017-07-01":                "2017-07-01T00:00:00Z",
		"2017-07-01T10:30Z":         "2017-07-01T10:30:00Z",
		"2017-07-01T10:30:15+02:00": "2017-07-01T08:30:15Z",
		"2017-07-01T10:30:15.5Z":    "2017-07-01T10:30:15.5Z",
		"2017-07-01t10:30:15":       "2017-07-01T10:30:15Z",
		"1500000000":                "2017-07-14T02:40:00Z",
	}
	for in, want := range good {
		got, ok := request.ParseDate(in)
		if !ok || got.Format(time.RFC3339Nano) != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "2017-13-01", "2017-02-30", "2017-07-01T24:00Z", "17-07-01", "-5", "1.5", "2017-07-01T10:30:15+25:00", "2017-07-01 10:30"} {
		if _, ok := request.ParseDate(in); ok {
			t.Errorf("ParseDate(%q) must fail", in)
		}
	}
}

// TestDerivePrincipalKeys pins which keys a live request carries for each
// kind of caller, and that a request built as a literal carries none (AWS's
// simulator derives nothing from CallerArn, SPEC 7.3).
func TestDerivePrincipalKeys(t *testing.T) {
	tests := []struct {
		caller string
		want   map[string]string
	}{
		{"arn:aws:iam::111122223333:user/alice", map[string]string{"aws:PrincipalArn": "arn:aws:iam::111122223333:user/alice", "aws:PrincipalAccount": "111122223333", "aws:PrincipalType": "User", "aws:username": "alice"}},
		{"arn:aws:sts::111122223333:assumed-role/R/s", map[string]string{"aws:PrincipalArn": "arn:aws:iam::111122223333:role/R", "aws:PrincipalAccount": "111122223333", "aws:PrincipalType": "AssumedRole"}},
		{"arn:aws:iam::111122223333:root", map[string]string{"aws:PrincipalArn": "arn:aws:iam::111122223333:root", "aws:PrincipalAccount": "111122223333", "aws:PrincipalType": "Account", "aws:userid": "111122223333"}},
		{request.Anonymous, map[string]string{"aws:PrincipalType": "Anonymous"}},
		{"", map[string]string{}},
	}
	for _, tc := range tests {
		got := map[string]string{}
		for _, k := range request.New(tc.caller, "s3:GetObject", "*").Keys() {
			got[k.Name] = k.Values[0].String()
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: got keys %v, want %v", tc.caller, got, tc.want)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%q: %s = %q, want %q", tc.caller, k, got[k], v)
			}
		}
		bare := &request.Context{Principal: tc.caller, Action: "s3:GetObject", Resource: "*"}
		if n := len(bare.Keys()); n != 0 {
			t.Errorf("%q: a literal Context carries %d keys, want none", tc.caller, n)
		}
	}
}

func TestParseTypeIgnoresCase(t *testing.T) {
	for in, want := range map[string]request.Type{"ip": request.TypeIP, "IP": request.TypeIP, "StringList": request.TypeStringList, "BOOLEAN": request.TypeBoolean} {
		if got, err := request.ParseType(in); err != nil || got != want {
			t.Errorf("ParseType(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ipAddress", "str", "list"} {
		if _, err := request.ParseType(bad); err == nil {
			t.Errorf("ParseType(%q) accepted", bad)
		}
	}
}

func TestCheckKeyName(t *testing.T) {
	for _, ok := range []string{"aws:SourceIp", "s3:prefix", "aws:PrincipalTag/team", "aws:ResourceTag/aws:cloudformation:stack-name", "ec2:InstanceType"} {
		if err := request.CheckKeyName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "username", ":x", "aws:", "a ws:x", "aws:Source Ip", "aws:x\n"} {
		if err := request.CheckKeyName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestLacks pins which keys a live request never carries for a kind of
// caller (global condition keys page: aws:username is present only for IAM
// users; an anonymous request has no principal).
func TestLacks(t *testing.T) {
	tests := []struct {
		caller, key string
		want        bool
	}{
		{"arn:aws:iam::111122223333:user/alice", "aws:username", false},
		{"arn:aws:sts::111122223333:assumed-role/R/s", "aws:username", true},
		{"arn:aws:sts::111122223333:assumed-role/R/s", "AWS:UserName", true},
		{"arn:aws:iam::111122223333:root", "aws:username", true},
		{"arn:aws:sts::111122223333:federated-user/bob", "aws:username", true},
		{"arn:aws:sts::111122223333:assumed-role/R/s", "aws:PrincipalTag/team", false},
		{"arn:aws:sts::111122223333:assumed-role/R/s", "aws:MultiFactorAuthPresent", false},
		{request.Anonymous, "aws:PrincipalArn", true},
		{request.Anonymous, "aws:PrincipalTag/team", true},
		{"", "aws:username", false}, // no caller: unknown, not absent
	}
	for _, tc := range tests {
		if got := request.ParsePrincipal(tc.caller).Lacks(tc.key); got != tc.want {
			t.Errorf("%q lacks %s: %v, want %v", tc.caller, tc.key, got, tc.want)
		}
	}
}

func TestGlobalKeyType(t *testing.T) {
	for name, want := range map[string]request.Type{
		"aws:MultiFactorAuthPresent": request.TypeBoolean, "AWS:SecureTransport": request.TypeBoolean,
		"aws:MultiFactorAuthAge": request.TypeNumeric, "aws:SourceIp": request.TypeIP,
		"aws:CurrentTime": request.TypeDate, "aws:TagKeys": request.TypeStringList,
	} {
		if got, ok := request.GlobalKeyType(name); !ok || got != want {
			t.Errorf("GlobalKeyType(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
	for _, name := range []string{"aws:username", "s3:prefix", "aws:PrincipalTag/team", "aws:EpochTime"} {
		if _, ok := request.GlobalKeyType(name); ok {
			t.Errorf("GlobalKeyType(%q) claims a fixed type", name)
		}
	}
}

// TestCheckCaller pins what a caller ARN may be: one principal, as AWS
// writes its ARN, with the characters IAM allows in names.
func TestCheckCaller(t *testing.T) {
	for _, ok := range []string{"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/ops/alice.b+c=d,e@f_g-h",
		"arn:aws:iam::123456789012:role/R", "arn:aws:sts::123456789012:assumed-role/R/s", "arn:aws:sts::123456789012:federated-user/bob",
		"arn:aws:iam::123456789012:root", "arn:aws-cn:iam::123456789012:user/a", "arn:aws-us-gov:iam::123456789012:user/a"} {
		if err := request.CheckCaller(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"alice", "arn:aws:iam::123456789012:user/*", "arn:aws:iam::123456789012:group/g", "arn:aws:s3:::b",
		"arn:aws:iam::12345:user/a", "arn:aws:iam:us-east-1:123456789012:user/a", "arn:foo:iam::123456789012:user/a",
		"arn:aws:iam::123456789012:user/a b", "arn:aws:iam::123456789012:user//a", "arn:aws:iam::123456789012:user/a/",
		"arn:aws:iam::123456789012:user/${aws:username}", "arn:aws:iam::123456789012:user/a\\b", "arn:aws:iam::123456789012:user/ä",
		"arn:aws:sts::123456789012:assumed-role/R/s/extra", "arn:aws:iam::123456789012:user/"} {
		if err := request.CheckCaller(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestCheckGlobalKey: a key whose type AWS fixes takes that type, and the
// MFA age is whole seconds of 0 or more.
func TestCheckGlobalKey(t *testing.T) {
	if err := request.CheckGlobalKey("aws:MultiFactorAuthPresent", request.TypeString, []string{"false"}); err == nil {
		t.Error("a string aws:MultiFactorAuthPresent accepted")
	}
	if err := request.CheckGlobalKey("aws:MultiFactorAuthPresent", request.TypeBoolean, []string{"false"}); err != nil {
		t.Error(err)
	}
	for _, age := range []string{"-5", "1.5"} {
		if err := request.CheckGlobalKey("aws:MultiFactorAuthAge", request.TypeNumeric, []string{age}); err == nil {
			t.Errorf("age %s accepted", age)
		}
	}
	if err := request.CheckGlobalKey("aws:PrincipalTag/team", request.TypeString, []string{"x"}); err != nil {
		t.Error(err)
	}
}
