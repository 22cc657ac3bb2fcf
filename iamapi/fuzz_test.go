package iamapi_test

import (
	"encoding/xml"
	"net/url"
	"strings"
	"testing"

	"github.com/iameval/iameval/iamapi"
)

// FuzzAnswer feeds the Query API any form: Answer never panics, answers
// 200 only with a response document and otherwise IAM's ErrorResponse with
// a known code and its status, and every document is well-formed XML.
func FuzzAnswer(f *testing.F) {
	seeds := []url.Values{
		form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames.member.1", "s3:GetObject",
			"ContextEntries.member.1.ContextKeyName", "aws:MultiFactorAuthPresent", "ContextEntries.member.1.ContextKeyType", "boolean",
			"ContextEntries.member.1.ContextKeyValues.member.1", "false", "MaxItems", "1"),
		form("Action", "GetContextKeysForCustomPolicy", "PolicyInputList.member.1", forceMFA),
		form("Action", "SimulateCustomPolicy", "PolicyInputList.member.1", forceMFA, "ActionNames", "", "ResourcePolicy", bucketPolicy,
			"CallerArn", "arn:aws:iam::444455556666:user/partner", "ResourceArns.member.2", "arn:aws:s3:::reports/x"),
	}
	for _, s := range seeds {
		f.Add(s.Encode())
	}
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		status, body, _ := iamapi.Answer(v, nil, "r")
		var doc struct {
			XMLName xml.Name
			Error   struct{ Code string }
		}
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("status %d: not XML: %v\n%s", status, err, body)
		}
		switch {
		case status == 200:
			if !strings.HasSuffix(doc.XMLName.Local, "Response") || doc.XMLName.Local == "ErrorResponse" {
				t.Fatalf("200 with %s", doc.XMLName.Local)
			}
		default:
			e := iamapi.Errorf(doc.Error.Code, "")
			if doc.XMLName.Local != "ErrorResponse" || e.HTTPStatus() != status || doc.Error.Code == iamapi.CodeInternalFailure {
				t.Fatalf("status %d with %s code %q\n%s", status, doc.XMLName.Local, doc.Error.Code, body)
			}
		}
	})
}
