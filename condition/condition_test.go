package condition_test

import (
	"testing"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/request"
)

// ctx builds a request whose keys are given as name -> values; a name ending
// in "[]" is multivalued (stringList), and "#" before the name makes the
// value numeric.
type kv struct {
	name string
	typ  request.Type
	vals []string
}

func mk(t *testing.T, keys ...kv) *request.Context {
	t.Helper()
	c := &request.Context{}
	for _, k := range keys {
		if err := c.Set(k.name, k.typ, k.vals...); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func s(name string, v string) kv       { return kv{name, request.TypeString, []string{v}} }
func list(name string, v ...string) kv { return kv{name, request.TypeStringList, v} }
func typed(name string, t request.Type, v ...string) kv {
	return kv{name, t, v}
}

func TestOperators(t *testing.T) {
	tests := []struct {
		rule   string // the AWS behaviour pinned
		op     string
		key    string
		values []string
		vars   bool
		req    []kv
		want   bool
	}{
		// String operators (SPEC 3.2)
		{"StringEquals is exact", "StringEquals", "k", []string{"abc"}, false, []kv{s("k", "abc")}, true},
		{"StringEquals is case-sensitive", "StringEquals", "k", []string{"abc"}, false, []kv{s("k", "ABC")}, false},
		{"StringEquals treats * literally", "StringEquals", "k", []string{"a*"}, false, []kv{s("k", "abc")}, false},
		{"values of one key are ORed", "StringEquals", "k", []string{"x", "abc"}, false, []kv{s("k", "abc")}, true},
		{"StringNotEquals with a list is NOR", "StringNotEquals", "k", []string{"a", "b"}, false, []kv{s("k", "b")}, false},
		{"StringNotEquals true when no value equals", "StringNotEquals", "k", []string{"a", "b"}, false, []kv{s("k", "c")}, true},
		{"StringEqualsIgnoreCase folds case", "StringEqualsIgnoreCase", "k", []string{"Finance"}, false, []kv{s("k", "FINANCE")}, true},
		{"StringEqualsIgnoreCase does not fold ß to ss", "StringEqualsIgnoreCase", "k", []string{"strasse"}, false, []kv{s("k", "straße")}, false},
		{"StringNotEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "k", []string{"a"}, false, []kv{s("k", "A")}, false},
		{"StringLike * matches any run", "StringLike", "k", []string{"home/*"}, false, []kv{s("k", "home/a/b")}, true},
		{"StringLike ? matches one character", "StringLike", "k", []string{"a?c"}, false, []kv{s("k", "abc")}, true},
		{"StringLike ? does not match none", "StringLike", "k", []string{"a?c"}, false, []kv{s("k", "ac")}, false},
		{"StringLike without wildcards is exact", "StringLike", "k", []string{"abc"}, false, []kv{s("k", "abcd")}, false},
		{"StringLike is case-sensitive", "StringLike", "k", []string{"alice*"}, false, []kv{s("k", "Alice")}, false},
		{"StringNotLike", "StringNotLike", "k", []string{"a*"}, false, []kv{s("k", "bcd")}, true},
		// Missing keys (SPEC 3.1.2)
		{"missing key: positive operator false", "StringEquals", "k", []string{"a"}, false, nil, false},
		{"missing key: negated operator true", "StringNotEquals", "k", []string{"a"}, false, nil, true},
		{"missing key: StringNotLike true", "StringNotLike", "k", []string{"a"}, false, nil, true},
		{"missing key: NumericNotEquals true", "NumericNotEquals", "k", []string{"1"}, false, nil, true},
		{"missing key: DateNotEquals true", "DateNotEquals", "k", []string{"2020"}, false, nil, true},
		{"missing key: NotIpAddress true", "NotIpAddress", "k", []string{"10.0.0.0/8"}, false, nil, true},
		{"missing key: ArnNotLike true", "ArnNotLike", "k", []string{"arn:aws:s3:::*"}, false, nil, true},
		{"missing key: Bool false", "Bool", "k", []string{"false"}, false, nil, false},
		{"missing key: IfExists true", "BoolIfExists", "k", []string{"false"}, false, nil, true},
		{"missing key: negated IfExists still true", "StringNotEqualsIfExists", "k", []string{"a"}, false, nil, true},
		{"missing key: ForAllValues true", "ForAllValues:StringEquals", "k", []string{"a"}, false, nil, true},
		{"missing key: ForAnyValue false", "ForAnyValue:StringEquals", "k", []string{"a"}, false, nil, false},
		{"present key: IfExists applies the operator", "BoolIfExists", "k", []string{"false"}, false, []kv{typed("k", request.TypeBoolean, "true")}, false},
		// Null (SPEC 3.9)
		{"Null true: key absent", "Null", "k", []string{"true"}, false, nil, true},
		{"Null true: key present", "Null", "k", []string{"true"}, false, []kv{s("k", "x")}, false},
		{"Null false: key present", "Null", "k", []string{"false"}, false, []kv{s("k", "x")}, true},
		{"Null false: key absent", "Null", "k", []string{"false"}, false, nil, false},
		{"Null: an empty string is a value", "Null", "k", []string{"false"}, false, []kv{s("k", "")}, true},
		{"Null: an empty list is null", "Null", "k", []string{"true"}, false, []kv{list("k")}, true},
		{"ForAllValues:Null always true", "ForAllValues:Null", "k", []string{"false"}, false, nil, true},
		{"ForAnyValue:Null always false", "ForAnyValue:Null", "k", []string{"true"}, false, nil, false},
		// Multivalued keys (SPEC 3.1.3, 3.7)
		{"multivalued key without qualifier never matches", "StringEquals", "k", []string{"env"}, false, []kv{list("k", "env")}, false},
		{"multivalued key without qualifier, negated, never matches", "StringNotEquals", "k", []string{"x"}, false, []kv{list("k", "env")}, false},
		{"ForAllValues: every value in the set", "ForAllValues:StringEquals", "k", []string{"a", "b"}, false, []kv{list("k", "a", "b")}, true},
		{"ForAllValues: one value outside", "ForAllValues:StringEquals", "k", []string{"a", "b"}, false, []kv{list("k", "a", "c")}, false},
		{"ForAllValues: empty set is vacuously true", "ForAllValues:StringEquals", "k", []string{"a"}, false, []kv{list("k")}, true},
		{"ForAnyValue: one value in the set", "ForAnyValue:StringEquals", "k", []string{"a"}, false, []kv{list("k", "c", "a")}, true},
		{"ForAnyValue: empty set is false", "ForAnyValue:StringEquals", "k", []string{"a"}, false, []kv{list("k")}, false},
		{"ForAllValues on a single-valued key is a one-element set", "ForAllValues:StringEquals", "k", []string{"a"}, false, []kv{s("k", "a")}, true},
		{"ForAllValues:StringNotLike applies the negation per value", "ForAllValues:StringNotLike", "k", []string{"key1*"}, false, []kv{list("k", "key1:a", "key2:b")}, false},
		{"ForAllValues:StringNotLike all outside", "ForAllValues:StringNotLike", "k", []string{"key1*"}, false, []kv{list("k", "key2:audit")}, true},
		{"ForAnyValue:StringNotEquals one value differs", "ForAnyValue:StringNotEquals", "k", []string{"a"}, false, []kv{list("k", "a", "b")}, true},
		// Numeric (SPEC 3.3)
		{"NumericLessThanEquals at the bound", "NumericLessThanEquals", "k", []string{"3600"}, false, []kv{typed("k", request.TypeNumeric, "3600")}, true},
		{"NumericLessThan at the bound", "NumericLessThan", "k", []string{"3600"}, false, []kv{typed("k", request.TypeNumeric, "3600")}, false},
		{"NumericGreaterThan", "NumericGreaterThan", "k", []string{"1800"}, false, []kv{typed("k", request.TypeNumeric, "1801")}, true},
		{"NumericGreaterThanEquals decimals", "NumericGreaterThanEquals", "k", []string{"1.5"}, false, []kv{typed("k", request.TypeNumeric, "1.50")}, true},
		{"NumericEquals", "NumericEquals", "k", []string{"10"}, false, []kv{s("k", "10")}, true},
		{"NumericNotEquals", "NumericNotEquals", "k", []string{"10"}, false, []kv{s("k", "11")}, true},
		{"numeric: a non-number context value never matches", "NumericEquals", "k", []string{"1"}, false, []kv{s("k", "true")}, false},
		{"numeric: a non-number context value satisfies the negation", "NumericNotEquals", "k", []string{"1"}, false, []kv{s("k", "true")}, true},
		// Date (SPEC 3.4)
		{"DateGreaterThan ISO", "DateGreaterThan", "k", []string{"2017-07-01T00:00:00Z"}, false, []kv{typed("k", request.TypeDate, "2017-09-01T12:00:00Z")}, true},
		{"DateGreaterThan is strict", "DateGreaterThan", "k", []string{"2017-07-01T00:00:00Z"}, false, []kv{typed("k", request.TypeDate, "2017-07-01T00:00:00Z")}, false},
		{"DateLessThan against epoch seconds", "DateLessThan", "k", []string{"1500000000"}, false, []kv{typed("k", request.TypeDate, "2017-01-01T00:00:00Z")}, true},
		{"DateEquals across zones", "DateEquals", "k", []string{"2020-01-01T02:00:00+02:00"}, false, []kv{typed("k", request.TypeDate, "2020-01-01T00:00:00Z")}, true},
		{"date-only value is midnight UTC", "DateEquals", "k", []string{"2020-01-01"}, false, []kv{typed("k", request.TypeDate, "2020-01-01T00:00:00Z")}, true},
		{"DateLessThanEquals", "DateLessThanEquals", "k", []string{"2020-01-01"}, false, []kv{typed("k", request.TypeDate, "2020-01-01T00:00:00Z")}, true},
		{"a dashless year reads as epoch seconds (OBSERVED, SPEC 3.4)", "DateEquals", "k", []string{"2020"}, false, []kv{typed("k", request.TypeDate, "1970-01-01T00:33:40Z")}, true},
		{"DateGreaterThanEquals", "DateGreaterThanEquals", "k", []string{"2020-06"}, false, []kv{typed("k", request.TypeDate, "2020-05-31T23:59:59Z")}, false},
		// Bool (SPEC 3.5)
		{"Bool true", "Bool", "k", []string{"true"}, false, []kv{typed("k", request.TypeBoolean, "true")}, true},
		{"Bool compares case-insensitively", "Bool", "k", []string{"TRUE"}, false, []kv{typed("k", request.TypeBoolean, "true")}, true},
		{"Bool false vs true", "Bool", "k", []string{"false"}, false, []kv{typed("k", request.TypeBoolean, "true")}, false},
		{"Bool with two values is an OR", "Bool", "k", []string{"true", "false"}, false, []kv{typed("k", request.TypeBoolean, "false")}, true},
		// Binary
		{"BinaryEquals compares bytes", "BinaryEquals", "k", []string{"QmluYXJ5"}, false, []kv{typed("k", request.TypeBinary, "QmluYXJ5")}, true},
		{"BinaryEquals different bytes", "BinaryEquals", "k", []string{"QmluYXJ5"}, false, []kv{typed("k", request.TypeBinary, "QmluYXJ6")}, false},
		// IP (SPEC 3.5)
		{"IpAddress in CIDR", "IpAddress", "k", []string{"203.0.113.0/24"}, false, []kv{typed("k", request.TypeIP, "203.0.113.9")}, true},
		{"IpAddress bare IPv4 is /32", "IpAddress", "k", []string{"203.0.113.9"}, false, []kv{typed("k", request.TypeIP, "203.0.113.10")}, false},
		{"IpAddress IPv6", "IpAddress", "k", []string{"2001:DB8:1234:5678::/64"}, false, []kv{typed("k", request.TypeIP, "2001:db8:1234:5678::1")}, true},
		{"IpAddress IPv4 against an IPv6 block", "IpAddress", "k", []string{"2001:DB8::/32"}, false, []kv{typed("k", request.TypeIP, "203.0.113.9")}, false},
		{"NotIpAddress outside", "NotIpAddress", "k", []string{"203.0.113.0/24", "198.51.100.0/24"}, false, []kv{typed("k", request.TypeIP, "192.0.2.1")}, true},
		{"NotIpAddress inside one block", "NotIpAddress", "k", []string{"203.0.113.0/24", "198.51.100.0/24"}, false, []kv{typed("k", request.TypeIP, "198.51.100.7")}, false},
		// ARN (SPEC 3.5)
		{"ArnLike per component", "ArnLike", "k", []string{"arn:aws:iam::*:role/admin*"}, false, []kv{s("k", "arn:aws:iam::111122223333:role/admin-x")}, true},
		{"ArnLike: * does not cross components", "ArnLike", "k", []string{"arn:aws:someservice:*:111122223333:finance/*"}, false, []kv{s("k", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt")}, false},
		{"ArnEquals is ArnLike", "ArnEquals", "k", []string{"arn:aws:s3:::b*"}, false, []kv{s("k", "arn:aws:s3:::bucket")}, true},
		{"ArnLike is case-sensitive", "ArnLike", "k", []string{"arn:aws:s3:::B*"}, false, []kv{s("k", "arn:aws:s3:::bucket")}, false},
		{"ArnNotLike", "ArnNotLike", "k", []string{"arn:aws:s3:::b*"}, false, []kv{s("k", "arn:aws:s3:::other")}, true},
		{"ArnNotLike: a value that is no ARN is false (OBSERVED)", "ArnNotLike", "k", []string{"arn:aws:s3:::b*"}, false, []kv{s("k", "not-an-arn")}, false},
		{"ArnLike: a value that is no ARN never matches", "ArnLike", "k", []string{"arn:aws:s3:::*"}, false, []kv{s("k", "not-an-arn")}, false},
		// Variables (SPEC 4)
		{"variable substituted", "StringEquals", "k", []string{"${aws:username}"}, true, []kv{s("k", "alice"), s("aws:username", "alice")}, true},
		{"variable key names are case-insensitive", "StringEquals", "k", []string{"${AWS:UserName}"}, true, []kv{s("k", "alice"), s("aws:username", "alice")}, true},
		{"variable literal without Version 2012-10-17", "StringEquals", "k", []string{"${aws:username}"}, false, []kv{s("k", "${aws:username}"), s("aws:username", "alice")}, true},
		{"unresolved variable matches nothing", "StringEquals", "k", []string{"${aws:username}"}, true, []kv{s("k", "")}, false},
		{"unresolved variable: negated operator matches", "StringNotEquals", "k", []string{"${aws:PrincipalTag/Team}"}, true, []kv{s("k", "blue")}, true},
		{"variable default", "StringEquals", "k", []string{"${aws:PrincipalTag/team, 'company-wide'}"}, true, []kv{s("k", "company-wide")}, true},
		{"${*} is a literal star in StringLike", "StringLike", "k", []string{"${*}"}, true, []kv{s("k", "abc")}, false},
		{"${*} matches a star", "StringLike", "k", []string{"a${*}"}, true, []kv{s("k", "a*")}, true},
		{"${?} and ${$}", "StringEquals", "k", []string{"${?}${$}"}, true, []kv{s("k", "?$")}, true},
		{"substituted text is literal, not a wildcard", "StringLike", "k", []string{"${aws:PrincipalTag/p}x"}, true, []kv{s("k", "abcx"), s("aws:PrincipalTag/p", "*")}, false},
		{"a multivalued key cannot be a variable", "StringEquals", "k", []string{"${aws:TagKeys}"}, true, []kv{s("k", "a"), list("aws:TagKeys", "a")}, false},
		{"variable in ArnLike", "ArnLike", "k", []string{"arn:aws:iam::*:user/${aws:username}"}, true, []kv{s("k", "arn:aws:iam::1:user/alice"), s("aws:username", "alice")}, true},
		// Key names (SPEC 1.4)
		{"condition key names are case-insensitive", "StringEquals", "AWS:SourceVPC", []string{"vpc-1"}, false, []kv{s("aws:sourcevpc", "vpc-1")}, true},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			op, err := condition.ParseOperator(tc.op)
			if err != nil {
				t.Fatal(err)
			}
			c, errs := condition.Compile(op, tc.key, tc.values, tc.vars)
			if errs != nil {
				t.Fatalf("Compile: %v", errs[0])
			}
			if got := c.Eval(mk(t, tc.req...)); got != tc.want {
				t.Errorf("%s %s %q: got %v, want %v", tc.op, tc.key, tc.values, got, tc.want)
			}
		})
	}
}

func TestParseOperator(t *testing.T) {
	tests := []struct {
		name string
		want condition.Operator
		code string
	}{
		{"StringEquals", condition.Operator{Base: condition.StringEquals}, ""},
		{"ForAllValues:StringNotLikeIfExists", condition.Operator{Qualifier: condition.ForAllValues, Base: condition.StringNotLike, IfExists: true}, ""},
		{"ForAnyValue:ArnLike", condition.Operator{Qualifier: condition.ForAnyValue, Base: condition.ArnLike}, ""},
		{"NotIpAddressIfExists", condition.Operator{Base: condition.NotIPAddress, IfExists: true}, ""},
		{"Null", condition.Operator{Base: condition.Null}, ""},
		{"NullIfExists", condition.Operator{}, condition.CodeNullIfExists},
		{"stringequals", condition.Operator{}, condition.CodeUnknownOperator},
		{"ForAllValues:", condition.Operator{}, condition.CodeUnknownOperator},
		{"forallvalues:StringEquals", condition.Operator{}, condition.CodeUnknownOperator},
		{"StringEqualsIfExistsIfExists", condition.Operator{}, condition.CodeUnknownOperator},
		{"IfExists", condition.Operator{}, condition.CodeUnknownOperator},
	}
	for _, tc := range tests {
		op, err := condition.ParseOperator(tc.name)
		if tc.code != "" {
			ce, ok := err.(*condition.Error)
			if !ok || ce.Code != tc.code {
				t.Errorf("ParseOperator(%q) error = %v, want code %s", tc.name, err, tc.code)
			}
			continue
		}
		if err != nil || op != tc.want {
			t.Errorf("ParseOperator(%q) = %+v, %v; want %+v", tc.name, op, err, tc.want)
		}
		if err == nil && op.String() != tc.name {
			t.Errorf("String() = %q, want %q", op.String(), tc.name)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		op, value, code string
	}{
		{"NumericEquals", "ten", condition.CodeBadNumber},
		{"NumericEquals", "1e3", condition.CodeBadNumber},
		{"NumericEquals", "NaN", condition.CodeBadNumber},
		{"DateLessThan", "2020-13-01", condition.CodeBadDate},
		{"DateLessThan", "2021-02-30", condition.CodeBadDate},
		{"DateLessThan", "yesterday", condition.CodeBadDate},
		{"DateLessThan", "2020-01-01T25:00:00Z", condition.CodeBadDate},
		{"IpAddress", "203.0.113.0/33", condition.CodeBadIP},
		{"IpAddress", "example.com", condition.CodeBadIP},
		{"Bool", "yes", condition.CodeBadBool},
		{"BinaryEquals", "not base64!", condition.CodeBadBinary},
		{"Null", "maybe", condition.CodeBadNull},
		{"NumericEquals", "${aws:MultiFactorAuthAge}", condition.CodeVariable},
	}
	for _, tc := range tests {
		op, err := condition.ParseOperator(tc.op)
		if err != nil {
			t.Fatal(err)
		}
		_, errs := condition.Compile(op, "k", []string{"ok-first-value-is-skipped", tc.value}[1:], true)
		if len(errs) != 1 || errs[0].Code != tc.code || errs[0].Index != 0 {
			t.Errorf("Compile(%s, %q) = %v, want one %s", tc.op, tc.value, errs, tc.code)
		}
	}
}

// Long value lists of exact operators are looked up in a set; the answers
// must be those of the one-by-one comparison.
func TestLongValueLists(t *testing.T) {
	var vals []string
	for i := 0; i < 20; i++ {
		vals = append(vals, "v"+string(rune('a'+i)))
	}
	withVar := append(append([]string{}, vals...), "${aws:username}")
	tests := []struct {
		op     string
		values []string
		value  string
		want   bool
	}{
		{"StringEquals", vals, "vt", true},
		{"StringEquals", vals, "VT", false},
		{"StringEquals", vals, "vz", false},
		{"StringNotEquals", vals, "vt", false},
		{"StringNotEquals", vals, "vz", true},
		{"StringEquals", withVar, "alice", true},
		{"StringNotEquals", withVar, "alice", false},
		{"StringNotEquals", withVar, "bob", true},
		{"ForAnyValue:StringEquals", vals, "vb", true},
	}
	for _, tc := range tests {
		op, _ := condition.ParseOperator(tc.op)
		c, errs := condition.Compile(op, "k", tc.values, true)
		if errs != nil {
			t.Fatal(errs[0])
		}
		ctx := mk(t, s("k", tc.value), s("aws:username", "alice"))
		if got := c.Eval(ctx); got != tc.want {
			t.Errorf("%s %d values, %q: got %v", tc.op, len(tc.values), tc.value, got)
		}
	}
}
