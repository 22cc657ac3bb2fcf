package condition_test

import (
	"fmt"
	"testing"

	"github.com/iameval/iameval/condition"
)

// The AWS sources the rows of TestQualifierIfExistsTable cite.
const (
	srcPositiveAbsent = "operators page: a key absent from the request context does not match, the condition is false"
	srcNegatedAbsent  = "operators page: a negated operator on an absent key returns true"
	srcIfExistsAbsent = "operators page: ...IfExists on an absent key evaluates to true"
	srcAllAbsent      = "multi-value page: ForAllValues returns true when the key is missing or resolves to an empty data set"
	srcAnyAbsent      = "multi-value page: ForAnyValue returns false when the key is missing or resolves to an empty data set"
	srcAnyIfExists    = "OBSERVED on AWS: an Allow-only role policy with ForAnyValue:StringEqualsIfExists on aws:TagKeys was refused sqs:ListQueues (no tags): the set prefix wins over IfExists (SPEC 3.1, 3.6)"
	srcNoQualifierSet = "SPEC 3.1.3: a multivalued context key under an operator without a set qualifier never matches, negated or not (OBSERVED, iam-simulate; AA 'Missing qualifier')"
	srcPresentPos     = "operators page: the operator applies to a present key: StringEquals matches an equal value"
	srcPresentNeg     = "operators page: StringNotEquals is true when the value equals none of the listed values"
	srcIfExistsPres   = "operators page: with the key present, ...IfExists applies the base operator"
	srcAnyPresent     = "multi-value page: ForAnyValue is true when at least one request value satisfies the operator"
	srcAllPresent     = "multi-value page: ForAllValues is true when every request value satisfies the operator; negated operators apply per value (AWS's ForAllValues:StringNotLike table)"
)

// TestQualifierIfExistsTable pins every combination of set qualifier (none,
// ForAnyValue:, ForAllValues:), IfExists suffix, and positive or negated
// operator against four request states: the key absent, present as an empty
// list, present with a value the policy lists, and present with one it does
// not. The policy value is "a"; "matching" requests carry "a", "not
// matching" ones "b". Without a qualifier the present values are a
// single-valued string; with one they are a stringList.
func TestQualifierIfExistsTable(t *testing.T) {
	type state uint8
	const (
		absent state = iota
		emptyList
		matching
		notMatching
	)
	stateName := [...]string{"absent", "empty list", "matching", "not matching"}
	tests := []struct {
		op    string
		state state
		want  bool
		src   string
	}{
		// no qualifier, positive
		{"StringEquals", absent, false, srcPositiveAbsent},
		{"StringEquals", emptyList, false, srcNoQualifierSet},
		{"StringEquals", matching, true, srcPresentPos},
		{"StringEquals", notMatching, false, srcPresentPos},
		// no qualifier, negated
		{"StringNotEquals", absent, true, srcNegatedAbsent},
		{"StringNotEquals", emptyList, false, srcNoQualifierSet},
		{"StringNotEquals", matching, false, srcPresentNeg},
		{"StringNotEquals", notMatching, true, srcPresentNeg},
		// no qualifier, positive, IfExists
		{"StringEqualsIfExists", absent, true, srcIfExistsAbsent},
		{"StringEqualsIfExists", emptyList, false, srcNoQualifierSet},
		{"StringEqualsIfExists", matching, true, srcIfExistsPres},
		{"StringEqualsIfExists", notMatching, false, srcIfExistsPres},
		// no qualifier, negated, IfExists
		{"StringNotEqualsIfExists", absent, true, srcIfExistsAbsent},
		{"StringNotEqualsIfExists", emptyList, false, srcNoQualifierSet},
		{"StringNotEqualsIfExists", matching, false, srcIfExistsPres},
		{"StringNotEqualsIfExists", notMatching, true, srcIfExistsPres},

		// ForAnyValue:, positive
		{"ForAnyValue:StringEquals", absent, false, srcAnyAbsent},
		{"ForAnyValue:StringEquals", emptyList, false, srcAnyAbsent},
		{"ForAnyValue:StringEquals", matching, true, srcAnyPresent},
		{"ForAnyValue:StringEquals", notMatching, false, srcAnyPresent},
		// ForAnyValue:, negated
		{"ForAnyValue:StringNotEquals", absent, false, srcAnyAbsent},
		{"ForAnyValue:StringNotEquals", emptyList, false, srcAnyAbsent},
		{"ForAnyValue:StringNotEquals", matching, false, srcAnyPresent},
		{"ForAnyValue:StringNotEquals", notMatching, true, srcAnyPresent},
		// ForAnyValue:, positive, IfExists: the prefix wins
		{"ForAnyValue:StringEqualsIfExists", absent, false, srcAnyIfExists},
		{"ForAnyValue:StringEqualsIfExists", emptyList, false, srcAnyAbsent},
		{"ForAnyValue:StringEqualsIfExists", matching, true, srcAnyPresent},
		{"ForAnyValue:StringEqualsIfExists", notMatching, false, srcAnyPresent},
		// ForAnyValue:, negated, IfExists: the prefix wins
		{"ForAnyValue:StringNotEqualsIfExists", absent, false, srcAnyIfExists},
		{"ForAnyValue:StringNotEqualsIfExists", emptyList, false, srcAnyAbsent},
		{"ForAnyValue:StringNotEqualsIfExists", matching, false, srcAnyPresent},
		{"ForAnyValue:StringNotEqualsIfExists", notMatching, true, srcAnyPresent},

		// ForAllValues:, positive
		{"ForAllValues:StringEquals", absent, true, srcAllAbsent},
		{"ForAllValues:StringEquals", emptyList, true, srcAllAbsent},
		{"ForAllValues:StringEquals", matching, true, srcAllPresent},
		{"ForAllValues:StringEquals", notMatching, false, srcAllPresent},
		// ForAllValues:, negated
		{"ForAllValues:StringNotEquals", absent, true, srcAllAbsent},
		{"ForAllValues:StringNotEquals", emptyList, true, srcAllAbsent},
		{"ForAllValues:StringNotEquals", matching, false, srcAllPresent},
		{"ForAllValues:StringNotEquals", notMatching, true, srcAllPresent},
		// ForAllValues:, positive, IfExists
		{"ForAllValues:StringEqualsIfExists", absent, true, srcAllAbsent},
		{"ForAllValues:StringEqualsIfExists", emptyList, true, srcAllAbsent},
		{"ForAllValues:StringEqualsIfExists", matching, true, srcAllPresent},
		{"ForAllValues:StringEqualsIfExists", notMatching, false, srcAllPresent},
		// ForAllValues:, negated, IfExists
		{"ForAllValues:StringNotEqualsIfExists", absent, true, srcAllAbsent},
		{"ForAllValues:StringNotEqualsIfExists", emptyList, true, srcAllAbsent},
		{"ForAllValues:StringNotEqualsIfExists", matching, false, srcAllPresent},
		{"ForAllValues:StringNotEqualsIfExists", notMatching, true, srcAllPresent},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		name := fmt.Sprintf("%s/%s", tc.op, stateName[tc.state])
		if seen[name] {
			t.Fatalf("row %s twice", name)
		}
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			op, err := condition.ParseOperator(tc.op)
			if err != nil {
				t.Fatal(err)
			}
			c, errs := condition.Compile(op, "aws:TagKeys", []string{"a"}, false)
			if errs != nil {
				t.Fatal(errs[0])
			}
			var req []kv
			qualified := op.Qualifier != condition.NoQualifier
			switch tc.state {
			case emptyList:
				req = []kv{list("aws:TagKeys")}
			case matching, notMatching:
				v := "a"
				if tc.state == notMatching {
					v = "b"
				}
				if qualified {
					req = []kv{list("aws:TagKeys", v)}
				} else {
					req = []kv{s("aws:TagKeys", v)}
				}
			}
			if got := c.Eval(mk(t, req...)); got != tc.want {
				t.Errorf("%s on a request with the key %s: got %v, want %v (%s)", tc.op, stateName[tc.state], got, tc.want, tc.src)
			}
		})
	}
	if len(seen) != 48 {
		t.Errorf("the table has %d rows, want 3 qualifiers x 2 suffixes x 2 polarities x 4 states = 48", len(seen))
	}
}

// TestNullDataSet pins AWS's rule for a multivalued key whose values resolve
// to a null data set, "such as an empty string": ForAllValues: is true and
// ForAnyValue: false, whatever the operator (multi-value page: ForAllValues
// "also returns true if there are no keys in the request, or if the key
// values resolve to a null data set, such as an empty string"; ForAnyValue:
// "For no matching key or a null dataset, the condition returns false").
// Empty strings are left out of a set (PMapper's observation), so
// ["", "a"] is the set {"a"}. Without a qualifier an empty string is an
// ordinary value.
func TestNullDataSet(t *testing.T) {
	tests := []struct {
		op   string
		req  []kv
		want bool
	}{
		{"ForAllValues:StringEquals", []kv{list("k", "")}, true},
		{"ForAllValues:StringNotEquals", []kv{list("k", "")}, true},
		{"ForAllValues:StringEqualsIfExists", []kv{list("k", "")}, true},
		{"ForAllValues:StringNotEqualsIfExists", []kv{list("k", "")}, true},
		{"ForAnyValue:StringEquals", []kv{list("k", "")}, false},
		{"ForAnyValue:StringNotEquals", []kv{list("k", "")}, false},
		{"ForAnyValue:StringEqualsIfExists", []kv{list("k", "")}, false},
		{"ForAnyValue:StringNotEqualsIfExists", []kv{list("k", "")}, false},
		{"ForAllValues:StringEquals", []kv{list("k", "", "a")}, true},
		{"ForAnyValue:StringNotEquals", []kv{list("k", "", "a")}, false},
		{"ForAllValues:StringEquals", []kv{list("k", "", "b")}, false},
		{"ForAnyValue:StringNotEquals", []kv{list("k", "", "b")}, true},
		// no qualifier: "" is a value like any other
		{"StringEquals", []kv{s("k", "")}, false},
		{"StringNotEquals", []kv{s("k", "")}, true},
		{"StringLike", []kv{s("k", "")}, false},
		{"StringNotLike", []kv{s("k", "")}, true},
	}
	for _, tc := range tests {
		op, err := condition.ParseOperator(tc.op)
		if err != nil {
			t.Fatal(err)
		}
		c, errs := condition.Compile(op, "k", []string{"a"}, false)
		if errs != nil {
			t.Fatal(errs[0])
		}
		if got := c.Eval(mk(t, tc.req...)); got != tc.want {
			t.Errorf("%s on %v: got %v, want %v", tc.op, tc.req[0].vals, got, tc.want)
		}
	}
}
