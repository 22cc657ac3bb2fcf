package policy_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/iameval/iameval/policy"
)

func TestMarshalRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../testdata/policies/*.json")
	if len(files) == 0 {
		t.Fatal("no policies")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := policy.Parse(f, data)
		if err != nil {
			t.Fatal(err)
		}
		enc1, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		p2, err := policy.Parse("re-encoded", enc1)
		if err != nil {
			t.Fatalf("%s: the encoding does not parse: %v\n%s", f, err, enc1)
		}
		enc2, _ := json.Marshal(p2)
		if string(enc1) != string(enc2) {
			t.Errorf("%s: encoding is not stable:\n%s\n%s", f, enc1, enc2)
		}
		if len(p2.Statements) != len(p.Statements) || p2.Version != p.Version {
			t.Errorf("%s: the model changed", f)
		}
	}
	p, err := policy.Parse("p", []byte(`{"Statement":{"Sid":"","Effect":"Deny","NotPrincipal":{"AWS":["111122223333","arn:aws:iam::111122223333:root"],"Service":"s3.amazonaws.com"},"NotAction":"s3:*","Condition":{"Bool":{"a:b":false},"StringLike":{"c":["x","y"]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(p)
	want := `{"Statement":[{"Sid":"","Effect":"Deny","NotPrincipal":{"AWS":["111122223333","arn:aws:iam::111122223333:root"],"Service":["s3.amazonaws.com"]},"NotAction":["s3:*"],"Condition":{"Bool":{"a:b":["false"]},"StringLike":{"c":["x","y"]}}}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
