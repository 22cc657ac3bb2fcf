package suite_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/suite"
)

func TestTemplatesAndExpansion(t *testing.T) {
	doc := `{
  "principal": "arn:aws:iam::123456789012:user/alice",
  "policies": {"p": {"Version": "2012-10-17", "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::reports/*"},
    {"Sid": "NoMFA", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}},
  "templates": {"reports": {"set": "p", "resource": "arn:aws:s3:::reports/q3.csv", "context": {"aws:PrincipalTag/team": "blue"}}},
  "cases": [
    {"name": "read", "template": "reports", "action": ["s3:GetObject", "s3:GetObjectTagging"], "expect": {"LT": "explicitDeny", "FRESH": "allowed"}},
    {"name": "write", "template": "reports", "action": "s3:PutObject", "scenario": "FRESH", "expect": "denied"}
  ]
}`
	s, err := suite.Parse("t.iamtest.json", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range s.Cases {
		names = append(names, c.Name)
		if r := c.Run(); !r.Pass {
			t.Errorf("%s: %s", c.Name, r.Problem)
		}
		if k, ok := c.Request.Lookup("aws:PrincipalTag/team"); !ok || k.Values[0].String() != "blue" {
			t.Errorf("%s: the template's context is applied", c.Name)
		}
	}
	want := "read/s3:GetObject/LT read/s3:GetObject/FRESH read/s3:GetObjectTagging/LT read/s3:GetObjectTagging/FRESH write"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("cases %s\nwant  %s", got, want)
	}
	if s.Cases[0].Pos.Line != 8 {
		t.Errorf("a case's position is its object: %v", s.Cases[0].Pos)
	}
}

func TestFailingCase(t *testing.T) {
	s, err := suite.Parse("t.iamtest.json", []byte(`{"policies": {"p": {"Statement": {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}}},
 "cases": [{"name": "wrong", "set": "p", "action": "s3:GetObject", "expect": "explicitDeny", "sid": "Nope"}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Cases[0].Run()
	if r.Pass || r.Decision.Verdict != evaluator.Allowed {
		t.Fatalf("the case must fail: %+v", r)
	}
	if want := `expected explicitDeny, got allowed; expected statement "Nope" to decide, matched ["All"]`; r.Problem != want {
		t.Errorf("problem %q\nwant    %q", r.Problem, want)
	}
}

func TestMalformedSuites(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"invalid JSON", "{\n \"cases\": [}", "t.iamtest.json:2:12: invalid_json"},
		{"unknown field", `{"casez": []}`, `t.iamtest.json:1:2: unknown suite field "casez"`},
		{"unknown set", `{"cases": [{"name": "x", "set": "nope", "action": "s3:GetObject", "expect": "allowed"}]}`, `t.iamtest.json:1:33: no policy named "nope"`},
		{"bad expectation", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "permitted"}]}`, `unknown expected decision "permitted"`},
		{"bad scenario", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": {"MFA": "allowed"}}]}`, `unknown scenario "MFA"`},
		{"bad policy inline", "{\"policies\": {\"p\": {\"Statement\": {\"Effect\": \"allow\", \"Action\": \"*\", \"Resource\": \"*\"}}},\n \"cases\": [{\"name\": \"x\", \"set\": \"p\", \"action\": \"a:b\", \"expect\": \"allowed\"}]}", `t.iamtest.json:1:45: bad_effect`},
		{"bad context type", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "allowed", "context": {"aws:SourceIp": {"type": "ipaddr", "values": ["1"]}}}]}`, `unknown context key type "ipaddr"`},
		{"context key without a service prefix", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "allowed", "context": {"k": "v"}}]}`, `context key "k" has no service prefix`},
		{"a global key's fixed type: a padded boolean", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "allowed", "context": {"aws:MultiFactorAuthPresent": "false "}}]}`, `not a valid boolean`},
		{"a global key's fixed type: yes is no boolean", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "allowed", "context": {"aws:MultiFactorAuthPresent": "yes"}}]}`, `not a valid boolean`},
		{"a global key's fixed type given another type", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "allowed", "context": {"aws:MultiFactorAuthPresent": {"type": "string", "values": ["false "]}}}]}`, `is boolean (AWS fixes its type), not string`},
		{"a sid for a scenario the case does not run", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": {"LT": "allowed"}, "sid": {"TMP": "Nope"}}]}`, `sid names scenario "TMP", which the case does not run`},
		{"a sid for an unknown scenario", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "allowed", "sid": {"XX": "Nope"}}]}`, `sid names scenario "XX"`},
		{"scenario beside an expect object", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "scenario": "TMP", "expect": {"LT": "allowed"}}]}`, `scenario and an expect object exclude each other`},
		{"an empty expect object", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": {}}]}`, `expect names no scenario`},
		{"a negative MFA age", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "allowed", "context": {"aws:MultiFactorAuthAge": -5}}]}`, `not a whole number of seconds`},
		{"a principal that names no principal", `{"principal": "arn:aws:iam::111122223333:user/a*", "policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "allowed"}]}`, `has a wildcard`},
		{"a principal with a region", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "principal": "arn:aws:iam:us-east-1:111122223333:user/a", "action": "a:b", "expect": "allowed"}]}`, `has no region`},
		{"a global key's fixed type: an age that is no number", `{"policies": {"p": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "cases": [{"name": "x", "set": "p", "action": "a:b", "expect": "allowed", "context": {"aws:MultiFactorAuthAge": "abc"}}]}`, `not a valid numeric`},
		{"no cases", `{}`, "suite has no cases"},
	}
	for _, tc := range tests {
		_, err := suite.Parse("t.iamtest.json", []byte(tc.doc), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		var se *suite.Error
		var errs suite.Errors
		if err != nil && !errors.As(err, &se) && !errors.As(err, &errs) && !strings.Contains(err.Error(), ".json:") {
			t.Errorf("%s: error without position: %v", tc.name, err)
		}
	}
}
