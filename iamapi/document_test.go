package iamapi_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/iamapi"
)

// TestParseDocumentActionsElsewhere: a document without ActionNames, or
// with the skeleton's empty list, is an error (missing_actions, at the
// list when there is one) unless the caller gives the actions itself
// (DocumentOptions.ActionsElsewhere); every other member reads the same.
func TestParseDocumentActionsElsewhere(t *testing.T) {
	for _, doc := range []string{
		`{"CallerArn": "arn:aws:iam::123456789012:user/alice"}`,
		"{\"CallerArn\": \"arn:aws:iam::123456789012:user/alice\",\n \"ActionNames\": []}",
	} {
		if _, err := iamapi.ParseDocument("r.json", []byte(doc)); err == nil || !strings.Contains(err.Error(), "missing_actions") {
			t.Errorf("%s: ParseDocument gave %v, want missing_actions", doc, err)
		}
		r, err := iamapi.ParseDocumentWith("r.json", []byte(doc), iamapi.DocumentOptions{ActionsElsewhere: true})
		if err != nil || r.CallerArn != "arn:aws:iam::123456789012:user/alice" || len(r.ActionNames) != 0 {
			t.Errorf("%s: with the actions elsewhere: %+v, %v", doc, r, err)
		}
	}
	if _, err := iamapi.ParseDocumentWith("r.json", []byte(`{"ActionNames": ["s3:Get*"]}`), iamapi.DocumentOptions{ActionsElsewhere: true}); err == nil {
		t.Error("a wildcard action in the document is still refused with the actions elsewhere")
	}
}
