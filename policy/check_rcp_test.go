package policy_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/policy"
)

// TestCheckRCP pins what AWS Organizations refuses in a resource control
// policy. Each row names its source: a sentence of AWS's "RCP syntax" page
// (Organizations User Guide), or an RCP check of IAM Access Analyzer's policy
// validation (its issue code).
func TestCheckRCP(t *testing.T) {
	const full = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
	deny := func(stmt string) string { return `{"Version":"2012-10-17","Statement":[` + stmt + `]}` }
	tests := []struct {
		source string
		doc    string
		want   []string
	}{
		{`"The effect of Allow is only supported for the RCPFullAWSAccess policy": RCPFullAWSAccess itself is accepted`,
			full, nil},
		{`the same, with the statement written as an object`,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, nil},
		{`the page's Condition example: a Deny on s3:* unless aws:SecureTransport`,
			deny(`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}`), nil},
		{`"Each statement must contain the Resource or NotResource element": NotResource is accepted`,
			deny(`{"Sid":"DenyOutside","Effect":"Deny","Principal":"*","Action":"sqs:*","NotResource":"arn:aws:sqs:*:111122223333:*"}`), nil},
		{`"Wildcards (*) and question marks (?) can be used anywhere in the action name"`,
			deny(`{"Effect":"Deny","Principal":"*","Action":["s3:*Object","s3:Get?bject","sts:Assume*"],"Resource":"*"}`), nil},

		{`"For RCPs that you create, the value must be Deny" (Access Analyzer RCP_SYNTAX_ERROR_ALLOW)`,
			deny(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`), []string{policy.CodeRCPAllow}},
		{`RCP_SYNTAX_ERROR_ALLOW: "no Condition element with an effect of Allow"`,
			deny(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`), []string{policy.CodeRCPAllow}},
		{`RCP_SYNTAX_ERROR_ALLOW: "all resources ("*") in the Resource element"`,
			deny(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b/*"}`), []string{policy.CodeRCPAllow}},
		{`"For RCPs that you create, the value must be Deny": a policy adding Deny statements to the RCPFullAWSAccess statement is not RCPFullAWSAccess`,
			deny(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"*"}`), []string{policy.CodeRCPAllow}},

		{`{"AWS": "*"} is "*" (the Principal page: the two forms are equivalent; UNVERIFIED for RCPs, whose page shows only the string)`,
			deny(`{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}`), nil},
		{`"Each statement must contain the Principal element"`,
			deny(`{"Effect":"Deny","Action":"s3:*","Resource":"*"}`), []string{policy.CodeMissingPrincipal}},
		{`"You can only specify "*" in the Principal element of an RCP" (RCP_SYNTAX_ERROR_PRINCIPAL)`,
			deny(`{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}`), []string{policy.CodeRCPPrincipal}},
		{`RCP_SYNTAX_ERROR_PRINCIPAL: a service principal is not "*"`,
			deny(`{"Effect":"Deny","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:*","Resource":"*"}`), []string{policy.CodeRCPPrincipal}},
		{`RCP_SYNTAX_ERROR_PRINCIPAL: "*" among other principals is not "*" alone`,
			deny(`{"Effect":"Deny","Principal":{"AWS":["*","111122223333"]},"Action":"s3:*","Resource":"*"}`), []string{policy.CodeRCPPrincipal}},
		{`"The following elements are not supported in RCPs: NotPrincipal" (RCP_SYNTAX_ERROR_PRINCIPAL)`,
			deny(`{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}`), []string{policy.CodeElementNotAllowed}},
		{`"The following elements are not supported in RCPs: ... NotAction" (RCP_SYNTAX_ERROR_NOTACTION)`,
			deny(`{"Effect":"Deny","Principal":"*","NotAction":"s3:GetObject","Resource":"*"}`), []string{policy.CodeElementNotAllowed}},
		{`"Each statement must contain the Resource or NotResource element"`,
			deny(`{"Effect":"Deny","Principal":"*","Action":"s3:*"}`), []string{policy.CodeMissingResource}},
		{`"You cannot use "*" in the Action element of a customer managed RCP"`,
			deny(`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`), []string{policy.CodeRCPAction}},
		{`"... and have to specify the abbreviation for the service" (RCP_SYNTAX_ERROR_ACTION): a wildcard service prefix names no service`,
			deny(`{"Effect":"Deny","Principal":"*","Action":["s3:GetObject","*:Get*"],"Resource":"*"}`), []string{policy.CodeRCPAction}},
		{`"Every RCP must include a Version element with the value "2012-10-17"": no Version`,
			`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`, []string{policy.CodeVersionRequired}},
		{`"Every RCP must include a Version element with the value "2012-10-17"": 2008-10-17`,
			`{"Version":"2008-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`, []string{policy.CodeVersionRequired}},
		{`every refusal of one statement is reported, in document order`,
			deny(`{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"NotAction":"s3:GetObject"}`),
			[]string{policy.CodeRCPAllow, policy.CodeMissingResource, policy.CodeElementNotAllowed, policy.CodeElementNotAllowed}},
	}
	for _, tc := range tests {
		p, err := policy.Parse("rcp.json", []byte(tc.doc))
		if err != nil {
			t.Fatalf("%s: %v", tc.source, err)
		}
		var got []string
		for _, e := range policy.Check(p, policy.KindRCP) {
			got = append(got, e.Code)
			if !e.Pos.IsValid() || e.Path == "" || e.Msg == "" {
				t.Errorf("%s: error without position, path or message: %+v", tc.source, e)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.source, diff)
		}
	}
}

// TestCheckRCPPositions: each RCP error points at the element or value at
// fault, not at the policy.
func TestCheckRCPPositions(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},
  {"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":["s3:GetObject","*"],"Resource":"*"}
]}`
	p, err := policy.Parse("rcp.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	type at struct {
		Code, Path string
		Line, Col  int
	}
	var got []at
	for _, e := range policy.Check(p, policy.KindRCP) {
		got = append(got, at{e.Code, e.Path, e.Pos.Line, e.Pos.Column})
	}
	want := []at{
		{policy.CodeRCPAllow, "$.Statement[0].Effect", 2, 3}, // Effect has no position of its own: the statement's
		{policy.CodeRCPPrincipal, "$.Statement[1].Principal", 3, 20},
		{policy.CodeRCPAction, "$.Statement[1].Action[1]", 3, 80},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
