package iamapi_test

import (
	"encoding/xml"
	"errors"
	"flag"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/iamapi"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// forceMFA is AWS's "manage your own credentials, MFA required" policy, cut
// down: allow S3 reads; deny everything but MFA enrolment without MFA.
const forceMFA = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowS3", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "iam:EnableMFADevice"], "Resource": "*"},
    {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
     "NotAction": ["iam:EnableMFADevice", "iam:ListMFADevices", "sts:GetSessionToken"],
     "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
  ]
}`

const bucketPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`

func form(kv ...string) url.Values {
	v := url.Values{"Version": {iamapi.APIVersion}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func loadAccount(t *testing.T) *account.Account {
	t.Helper()
	data, err := os.ReadFile("../testdata/account/example-account.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Load("example-account.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./iamapi -update)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, d)
	}
}

// TestAnswerGolden pins every response and error document of the Query
// API, byte for byte, with its HTTP status. The shapes are the IAM API
// Reference's (SimulateCustomPolicy, SimulatePrincipalPolicy,
// GetContextKeysForCustomPolicy, GetContextKeysForPrincipalPolicy, Common
// Errors); the SDK test in clients/ checks that AWS's SDK reads them.
func TestAnswerGolden(t *testing.T) {
	acct := loadAccount(t)
	tests := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"simulate-custom-policy.xml", form("Action", "SimulateCustomPolicy",
			"PolicyInputList.member.1", forceMFA,
			"ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "iam:EnableMFADevice",
			"ResourceArns.member.1", "arn:aws:s3:::reports/q3.csv",
			"ContextEntries.member.1.ContextKeyName", "aws:MultiFactorAuthPresent",
			"ContextEntries.member.1.ContextKeyType", "boolean",
			"ContextEntries.member.1.ContextKeyValues.member.1", "false"), http.StatusOK},
		{"simulate-custom-policy-boundary.xml", form("Action", "SimulateCustomPolicy",
			"PolicyInputList.member.1", forceMFA,
			"PermissionsBoundaryPolicyInputList.member.1", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
			"ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "iam:EnableMFADevice"), http.StatusOK},
		{"simulate-custom-policy-cross-account.xml", form("Action", "SimulateCustomPolicy",
			"PolicyInputList.member.1", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
			"ResourcePolicy", bucketPolicy, "ResourceOwner", "arn:aws:iam::111122223333:root",
			"CallerArn", "arn:aws:iam::444455556666:user/partner",
			"ActionNames.member.1", "s3:GetObject",
			"ResourceArns.member.1", "arn:aws:s3:::reports/q3.csv"), http.StatusOK},
		{"simulate-custom-policy-page1.xml", form("Action", "SimulateCustomPolicy",
			"PolicyInputList.member.1", forceMFA, "MaxItems", "2",
			"ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "s3:ListBucket", "ActionNames.member.3", "iam:EnableMFADevice"), http.StatusOK},
		{"simulate-principal-policy.xml", form("Action", "SimulatePrincipalPolicy",
			"PolicySourceArn", "arn:aws:iam::123456789012:user/alice",
			"ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "iam:CreateAccessKey",
			"ContextEntries.member.1.ContextKeyName", "aws:MultiFactorAuthPresent",
			"ContextEntries.member.1.ContextKeyType", "boolean",
			"ContextEntries.member.1.ContextKeyValues.member.1", "true"), http.StatusOK},
		{"simulate-principal-policy-group.xml", form("Action", "SimulatePrincipalPolicy",
			"PolicySourceArn", "arn:aws:iam::123456789012:group/developers",
			"ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "ec2:StopInstances"), http.StatusOK},
		{"get-context-keys-for-custom-policy.xml", form("Action", "GetContextKeysForCustomPolicy",
			"PolicyInputList.member.1", forceMFA,
			"PolicyInputList.member.2", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:multifactorauthpresent":"true"}}}]}`), http.StatusOK},
		{"get-context-keys-for-principal-policy.xml", form("Action", "GetContextKeysForPrincipalPolicy",
			"PolicySourceArn", "arn:aws:iam::123456789012:user/alice"), http.StatusOK},
		// errors
		{"error-no-such-entity.xml", form("Action", "SimulatePrincipalPolicy",
			"PolicySourceArn", "arn:aws:iam::123456789012:user/nobody", "ActionNames.member.1", "s3:GetObject"), http.StatusNotFound},
		{"error-invalid-input-policy.xml", form("Action", "SimulateCustomPolicy",
			"PolicyInputList.member.1", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}`,
			"ActionNames.member.1", "s3:GetObject"), http.StatusBadRequest},
		{"error-invalid-input-context-type.xml", form("Action", "SimulateCustomPolicy",
			"PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject",
			"ContextEntries.member.1.ContextKeyName", "aws:MultiFactorAuthPresent",
			"ContextEntries.member.1.ContextKeyType", "bool",
			"ContextEntries.member.1.ContextKeyValues.member.1", "true"), http.StatusBadRequest},
		{"error-missing-action.xml", form("PolicyInputList.member.1", forceMFA), http.StatusBadRequest},
		{"error-invalid-action.xml", form("Action", "ListUsers"), http.StatusBadRequest},
		{"error-missing-parameter.xml", form("Action", "SimulateCustomPolicy", "ActionNames.member.1", "s3:GetObject"), http.StatusBadRequest},
		{"error-invalid-parameter-value.xml", url.Values{"Action": {"SimulateCustomPolicy"}, "Version": {"2006-03-01"}}, http.StatusBadRequest},
		{"error-invalid-query-parameter.xml", form("Action", "GetContextKeysForCustomPolicy",
			"PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject"), http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := iamapi.Answer(tc.form, []*account.Account{acct}, "00000000-0000-0000-0000-000000000000")
			if status != tc.status {
				t.Errorf("status %d, want %d:\n%s", status, tc.status, body)
			}
			golden(t, tc.name, body)
		})
	}
}

// TestErrorGolden pins the documents of the errors Answer does not give
// for a form (PolicyEvaluation, InternalFailure; the server's
// ServiceUnavailable, MalformedQueryString and RequestEntityTooLarge), with
// the status and type AWS gives them.
func TestErrorGolden(t *testing.T) {
	for _, tc := range []struct {
		code   string
		status int
		typ    string
	}{
		{iamapi.CodePolicyEvaluation, 500, "Receiver"},
		{iamapi.CodeInternalFailure, 500, "Receiver"},
		{iamapi.CodeServiceUnavailable, 503, "Receiver"},
		{iamapi.CodeMalformedQueryString, 404, "Sender"},
		{iamapi.CodeRequestEntityTooLarge, 413, "Sender"},
	} {
		e := iamapi.Errorf(tc.code, "a message")
		if e.HTTPStatus() != tc.status || e.Type() != tc.typ {
			t.Errorf("%s: status %d type %s, want %d %s", tc.code, e.HTTPStatus(), e.Type(), tc.status, tc.typ)
		}
		var b strings.Builder
		if err := iamapi.WriteErrorXML(&b, e, "req-1"); err != nil {
			t.Fatal(err)
		}
		golden(t, "error-"+strings.ToLower(tc.code)+".xml", []byte(b.String()))
	}
}

// TestPagination pins MaxItems and Marker: pages of MaxItems results, in
// order, the last without a Marker; a Marker of another request is
// InvalidInput (IAM API Reference: "Marker: Use this parameter only when
// paginating results and only after you receive a response indicating
// that the results are truncated. Set it to the value of the Marker
// element in the response that you received").
func TestPagination(t *testing.T) {
	actions := []string{"s3:GetObject", "s3:ListBucket", "iam:EnableMFADevice", "iam:ListMFADevices", "ec2:StopInstances"}
	base := form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "MaxItems", "2")
	for i, a := range actions {
		base.Set("ActionNames.member."+string(rune('1'+i)), a)
	}
	var got []string
	marker := ""
	for page := 0; ; page++ {
		f := url.Values{}
		for k, v := range base {
			f[k] = v
		}
		if marker != "" {
			f.Set("Marker", marker)
		}
		status, body, _ := iamapi.Answer(f, nil, "r")
		if status != 200 {
			t.Fatalf("page %d: status %d\n%s", page, status, body)
		}
		var resp struct {
			Result iamapi.SimulatePolicyResponse `xml:"SimulateCustomPolicyResult"`
		}
		if err := xml.Unmarshal(body, &resp); err != nil {
			t.Fatal(err)
		}
		if n := len(resp.Result.EvaluationResults); n > 2 || n == 0 {
			t.Fatalf("page %d holds %d results, want 1 or 2", page, n)
		}
		for _, r := range resp.Result.EvaluationResults {
			got = append(got, r.EvalActionName)
		}
		if resp.Result.IsTruncated != (resp.Result.Marker != "") {
			t.Fatalf("page %d: IsTruncated %v with Marker %q", page, resp.Result.IsTruncated, resp.Result.Marker)
		}
		if !resp.Result.IsTruncated {
			break
		}
		marker = resp.Result.Marker
		if page > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if d := cmp.Diff(actions, got); d != "" {
		t.Errorf("pages hold (-want +got):\n%s", d)
	}
	// a marker of this request on another one
	other := form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject", "Marker", marker)
	if marker == "" {
		t.Fatal("no marker was returned")
	}
	if status, body, _ := iamapi.Answer(other, nil, "r"); status != 400 || !strings.Contains(string(body), "<Code>InvalidInput</Code>") {
		t.Errorf("a foreign marker: status %d\n%s", status, body)
	}
	for _, bad := range []string{"0", "1001", "x", "-1"} {
		f := form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject", "MaxItems", bad)
		if status, body, _ := iamapi.Answer(f, nil, "r"); status != 400 || !strings.Contains(string(body), "<Code>InvalidInput</Code>") {
			t.Errorf("MaxItems %s: status %d\n%s", bad, status, body)
		}
	}
}

// TestFormLists pins the Query protocol's list numbering: members are
// numbered 1, 2, 3, ... (as the AWS SDKs and CLI send them); a gap is
// refused rather than closed up, and an empty list is "Name=".
func TestFormLists(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		code string // "" for success
	}{
		{"contiguous", form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "s3:ListBucket"), ""},
		{"a gap in ActionNames", form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject", "ActionNames.member.7", "s3:ListBucket"), iamapi.CodeInvalidParameterValue},
		{"a list that starts at 5", form("Action", "SimulateCustomPolicy", "PolicyInputList.member.5", forceMFA, "ActionNames.member.1", "s3:GetObject"), iamapi.CodeInvalidParameterValue},
		{"a gap in ContextEntries", form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject",
			"ContextEntries.member.2.ContextKeyName", "aws:MultiFactorAuthPresent", "ContextEntries.member.2.ContextKeyType", "boolean",
			"ContextEntries.member.2.ContextKeyValues.member.1", "true"), iamapi.CodeInvalidParameterValue},
		{"a gap in ContextKeyValues", form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject",
			"ContextEntries.member.1.ContextKeyName", "aws:TagKeys", "ContextEntries.member.1.ContextKeyType", "stringList",
			"ContextEntries.member.1.ContextKeyValues.member.2", "env"), iamapi.CodeInvalidParameterValue},
		{"an empty ResourceArns", form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject", "ResourceArns", ""), ""},
		{"a leading zero", form("Action", "SimulateCustomPolicy", "PolicyInputList.member.01", forceMFA, "ActionNames.member.1", "s3:GetObject"), iamapi.CodeInvalidParameterValue},
	}
	for _, tc := range tests {
		_, err := iamapi.ParseForm(tc.form)
		var e *iamapi.Error
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.code != "" && (!errors.As(err, &e) || e.Code != tc.code):
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}

// TestPageDecidesItsOwn: a page decides its own results alone, so walking
// 1,000 results by pages of one costs 1,000 decisions, not a million.
func TestPageDecidesItsOwn(t *testing.T) {
	f := form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "MaxItems", "2",
		"ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "s3:ListBucket", "ActionNames.member.3", "iam:EnableMFADevice",
		"ResourceArns.member.1", "arn:aws:s3:::a/1", "ResourceArns.member.2", "arn:aws:s3:::a/2")
	status, body, results := iamapi.Answer(f, nil, "r")
	if status != 200 || len(results) != 2 || results[0].Action != "s3:GetObject" || results[1].Resource != "arn:aws:s3:::a/2" {
		t.Fatalf("status %d, %d results decided\n%s", status, len(results), body)
	}
}

// TestContextErrorSaysTheKeyOnce: a bad context value names its key once.
func TestContextErrorSaysTheKeyOnce(t *testing.T) {
	_, err := iamapi.ParseForm(form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject",
		"ContextEntries.member.1.ContextKeyName", "aws:MultiFactorAuthAge", "ContextEntries.member.1.ContextKeyType", "numeric",
		"ContextEntries.member.1.ContextKeyValues.member.1", "soon"))
	if err == nil || strings.Count(err.Error(), "aws:MultiFactorAuthAge") != 1 {
		t.Errorf("%v", err)
	}
}
