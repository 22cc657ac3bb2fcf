package lint_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

// TestVariableKeyTypos pins CAT004 and CAT005 on the key of a policy
// variable, at the variable's own position (its "$", counted in the
// document's bytes, escapes included). IAM's Variables page: a policy
// variable is replaced "with values that come from the conditional context
// keys passed in the request", and a key that is "not present" in the
// request makes "any attempt to match it" fail; "You can use policy
// variables in the Resource element and in string comparisons in the
// Condition element", where "you can use a policy variable for Condition
// values in any condition that involves the string operators or the ARN
// operators". A key no request carries (a typo) so leaves the Resource
// entry or the condition value matching nothing, or, with a default
// ("${aws:userid, 'anonymous'}"), always its default.
func TestVariableKeyTypos(t *testing.T) {
	tests := []struct {
		aws       string // the AWS behaviour pinned
		doc       string // a policy; `|` marks where the finding must be, and is removed
		id, path  string
		msg, fix  string // the message contains msg; the fix is fix
		wantCount int    // findings of the catalogue rules (1 when 0)
	}{
		{"a typo in a Resource variable: the entry never matches",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/|${aws:usrename}/*"}}`,
			"CAT004", "$.Statement.Resource",
			`policy variable ${aws:usrename}: condition key "aws:usrename" does not exist, so the variable has no value and the Resource entry "arn:aws:s3:::bucket/${aws:usrename}/*" never matches; did you mean aws:username?`,
			`write "${aws:username}"`, 0},
		{"a typo in a condition value of a string operator: the value never matches",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket","Condition":{"StringLike":{"s3:prefix":["home/|${aws:usrename}/*"]}}}}`,
			"CAT004", `$.Statement.Condition.StringLike["s3:prefix"][0]`,
			`policy variable ${aws:usrename}: condition key "aws:usrename" does not exist, so the variable has no value and the StringLike value "home/${aws:usrename}/*" never matches; did you mean aws:username?`,
			`write "${aws:username}"`, 0},
		{"the second value of a list, on a later line",
			"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bucket\",\n  \"Condition\":{\"StringLike\":{\"s3:prefix\":[\"shared/*\",\n    \"|${aws:usrename}/*\"]}}}}",
			"CAT004", `$.Statement.Condition.StringLike["s3:prefix"][1]`, "does not exist", `write "${aws:username}"`, 0},
		{"an ARN operator's value, in the resource part of the ARN",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/|${aws:usrename}"}}}}`,
			"CAT004", `$.Statement.Condition.ArnLike["aws:PrincipalArn"]`, `the ArnLike value "arn:aws:iam::111122223333:user/${aws:usrename}" never matches`, `write "${aws:username}"`, 0},
		{"a NotResource entry that never matches excludes nothing",
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/|${aws:usrename}/*"]}}`,
			"CAT004", "$.Statement.NotResource[1]", `the NotResource entry "arn:aws:s3:::bucket/${aws:usrename}/*" never matches, so it excludes nothing`, `write "${aws:username}"`, 0},
		{"Specifying default values: a key never present always takes the default",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/|${aws:usrename, 'shared'}/*"}}`,
			"CAT004", "$.Statement.Resource", `so the variable always takes its default 'shared'`, `write "${aws:username, 'shared'}"`, 0},
		{"escapes before the variable count in the position: JSON's \\u002f and \\/ are one character of the value each",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket\u002fhome\/|${aws:usrename}/*"}}`,
			"CAT004", "$.Statement.Resource", `the Resource entry "arn:aws:s3:::bucket/home/${aws:usrename}/*" never matches`, `write "${aws:username}"`, 0},
		{"a tag key without its tag name is told where the name goes",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/|${aws:PrincipalTags/team}/*"}}`,
			"CAT004", "$.Statement.Resource", "did you mean aws:PrincipalTag/team?", `write "${aws:PrincipalTag/team}"`, 0},
		{"the literal ${*} before the variable is no variable of its own",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${*}/|${aws:usrename}"}}`,
			"CAT004", "$.Statement.Resource", "did you mean aws:username?", `write "${aws:username}"`, 0},
		{"Service-specific information: a service key is in the request only for the actions that support it (s3:prefix, s3:ListBucket's), so for s3:GetObject the variable has no value",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/|${s3:prefix}/*"}}`,
			"CAT005", "$.Statement.Resource",
			`policy variable ${s3:prefix}: s3:prefix is never in a request for s3:GetObject, so the variable has no value and the Resource entry "arn:aws:s3:::bucket/${s3:prefix}/*" never matches`,
			"use a key these actions support, or move the entry to a statement with an action that supports s3:prefix (s3:ListBucket, s3:ListBucketVersions)", 0},
		{"two variables, two findings, each at its own place",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/|${aws:usrename}/${aws:useridd}"}}`,
			"CAT004", "$.Statement.Resource", `condition key "aws:usrename"`, `write "${aws:username}"`, 2},
	}
	for _, tc := range tests {
		at := strings.Index(tc.doc, "|")
		doc := strings.Replace(tc.doc, "|", "", 1)
		line := 1 + strings.Count(doc[:at], "\n")
		col := at - strings.LastIndex(doc[:at], "\n") // 1-based: LastIndex is -1 on the first line
		got := catFindings(lint.File("p.json", []byte(doc), policy.KindIdentity))
		want := max(tc.wantCount, 1)
		if len(got) != want {
			t.Errorf("%s: %d findings, want %d: %v", tc.aws, len(got), want, got)
			continue
		}
		f := got[0]
		if f.RuleID != tc.id || f.Pos.Line != line || f.Pos.Column != col || f.Pos.Offset != at || f.Path != tc.path ||
			!strings.Contains(f.Message, tc.msg) || f.Fix != tc.fix || f.Severity != lint.Rules()[ruleIndex(tc.id)].Severity {
			t.Errorf("%s:\n got %s %d:%d (offset %d) %s\n     %s\n     fix: %s\nwant %s %d:%d (offset %d) %s\n     %s\n     fix: %s",
				tc.aws, f.RuleID, f.Pos.Line, f.Pos.Column, f.Pos.Offset, f.Path, f.Message, f.Fix, tc.id, line, col, at, tc.path, tc.msg, tc.fix)
		}
	}
}

// ruleIndex is the index of rule id in lint.Rules().
func ruleIndex(id string) int {
	for i, r := range lint.Rules() {
		if r.ID == id {
			return i
		}
	}
	panic("no rule " + id)
}

// TestVariableKeysValid: the keys AWS documents for policy variables, and
// what is no variable to AWS, are no finding.
func TestVariableKeysValid(t *testing.T) {
	tests := []struct {
		aws  string
		stmt string
	}{
		{"Introduction: ${aws:username} in a Resource and in StringLike s3:prefix", `[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::mybucket","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}},{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::mybucket/${aws:username}/*"}]`},
		{"Principal key values: aws:userid, and key names are case-insensitive", `{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/${aws:userid}/*","arn:aws:s3:::b/${AWS:UserName}/*"]}`},
		{"Tags as policy variables: ${aws:PrincipalTag/department}", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/department}"}`},
		{"Service-specific information: s3:prefix where the action carries it", `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringEquals":{"s3:delimiter":"${s3:prefix}"}}}`},
		{"Information available in all requests: ec2:SourceInstanceARN", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${ec2:SourceInstanceARN}/*"}`},
		{"Special characters: ${*}, ${?} and ${$} are literal characters", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}${?}${$}/*"}`},
		{"Specifying default values", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:userid, 'anonymous'}/*"}`},
		{"Transfer Family session policies' variables", `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::${transfer:HomeBucket}","Condition":{"StringLike":{"s3:prefix":["${transfer:HomeFolder}/*","${Transfer:UserName}"]}}}`},
		{"keys of identity providers", `{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*","Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${www.amazon.com:user_id}","${cognito-identity.amazonaws.com:sub}"]}}}`},
		{"Resource element: a variable only in the resource part of the ARN; before the fifth colon it is literal text, not a variable", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:${aws:partiton}:s3:::b/*"}`},
		{"text that is no variable: no closing brace, an empty name", `{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/${aws:usrename","arn:aws:s3:::b/${}/x"]}`},
		{"NotAction: only that the key exists", `{"Effect":"Deny","NotAction":"s3:ListBucket","Resource":"arn:aws:s3:::b/${s3:prefix}"}`},
	}
	for _, tc := range tests {
		doc := `{"Version":"2012-10-17","Statement":` + tc.stmt + `}`
		if got := catFindings(lint.File("p.json", []byte(doc), policy.KindIdentity)); len(got) > 0 {
			t.Errorf("%s: %v", tc.aws, got)
		}
	}

	// Where variables are no variables, their text is not judged as one:
	// under an old Version (VAR001's) and in a Principal, where AWS does
	// not substitute them.
	for _, doc := range []string{
		`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:usrename}/*"}}`,
		`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:usrename}/*"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/${aws:usrename}"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
	} {
		if got := catFindings(lint.File("p.json", []byte(doc), policy.KindResource)); len(got) > 0 {
			t.Errorf("%s: %v", doc, got)
		}
	}
}

// TestVariableFindingsSorted: findings inside a string sort by their
// place, after the findings of the value's start.
func TestVariableFindingsSorted(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:useridd}/${aws:usrename}","Condition":{"StringEquals":{"aws:usrename":"${aws:useridd}"}}}}`
	var got []string
	for _, f := range catFindings(lint.File("p.json", []byte(doc), policy.KindIdentity)) {
		got = append(got, fmt.Sprintf("%s@%d", f.RuleID, f.Pos.Column))
	}
	first := strings.Index(doc, "${aws:useridd}") + 1
	second := strings.Index(doc, "${aws:usrename}") + 1
	key := strings.Index(doc, `"aws:usrename":`) + 1
	value := strings.LastIndex(doc, "${aws:useridd}") + 1
	want := []string{fmt.Sprintf("CAT004@%d", first), fmt.Sprintf("CAT004@%d", second), fmt.Sprintf("CAT004@%d", key), fmt.Sprintf("CAT004@%d", value)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
