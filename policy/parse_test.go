package policy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/policy"
)

// TestAcceptedForms is the corpus of grammar forms IAM accepts and we promise
// to keep parsing. Removing one is a breaking change.
func TestAcceptedForms(t *testing.T) {
	forms := map[string]string{
		"statement as an object":    `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"statement as a list":       `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		"Version 2008-10-17":        `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"no Version":                `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"Id":                        `{"Id":"my-policy","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"action and resource lists": `{"Statement":{"Effect":"Deny","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::a","arn:aws:s3:::a/*"]}}`,
		"NotAction NotResource":     `{"Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:iam::*:user/x"}}`,
		"wildcard in the service":   `{"Statement":{"Effect":"Allow","Action":"s3*:*","Resource":"*"}}`,
		"principal star":            `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
		"principal forms":           `{"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:user/a","arn:aws:iam::111122223333:role/r","arn:aws:sts::111122223333:assumed-role/r/s","arn:aws:sts::111122223333:federated-user/f"],"Service":"ec2.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:*"}}`,
		// IAM's Principal element reference: where a principal a policy
		// names is deleted, AWS writes its unique id (AIDA... for a user,
		// AROA... for a role) in its place, and the policy stays valid
		"unique ids of deleted principals (review 14 M)": `{"Statement":{"Effect":"Allow","Principal":{"AWS":["AIDAJQABLZS4A3QDU576Q","AROADBQP57FF2AEXAMPLE"]},"Action":"sts:AssumeRole"}}`,
		"NotPrincipal":                                         `{"Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/a"},"Action":"s3:*"}}`,
		"unquoted booleans and numbers":                        `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":false},"NumericGreaterThan":{"aws:MultiFactorAuthAge":3600}}}}`,
		"condition value lists":                                `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":["a","b"]},"ForAllValues:StringLike":{"aws:TagKeys":["env*"]}}}}`,
		"empty condition list":                                 `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":[]}}}}`,
		"unknown operator with an empty body (IAM accepts it)": `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"FutureOperator":{}}}}`,
		"unknown condition keys":                               `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"acme:NoSuchKey":"x"}}}}`,
		"nonexistent action":                                   `{"Statement":{"Effect":"Allow","Action":"s3:GetObjectz","Resource":"*"}}`,
		"resource policy without Resource":                     `{"Statement":{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage"}}`,
		"Sid with spaces (non-IAM services)":                   `{"Statement":{"Sid":"allow all","Effect":"Allow","Principal":"*","Action":"sns:Publish"}}`,
		"short ARN":                                            `{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*"}}`,
		"leading and trailing space":                           " \n{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}\n\n",
	}
	for name, doc := range forms {
		if _, err := policy.Parse(name, []byte(doc)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestParseModel(t *testing.T) {
	doc := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyNoMFA",
      "Effect": "Deny",
      "NotAction": ["iam:ListMFADevices", "sts:GetSessionToken"],
      "Resource": "*",
      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": false}}
    }
  ]
}`
	p, err := policy.Parse("force.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	s := p.Statements[0]
	if s.Sid != "DenyNoMFA" || s.Effect != policy.Deny || !s.Action.Not || len(s.Action.Values) != 2 {
		t.Fatalf("statement = %+v", s)
	}
	if got, want := s.Start(), (policy.Position{Filename: "force.json", Offset: 50, Line: 4, Column: 5}); got != want {
		t.Errorf("Start = %v, want %v", got, want)
	}
	if got := s.End(); got.Line != 10 || got.Column != 5 {
		t.Errorf("End = %v, want line 10 column 5 (the closing brace)", got)
	}
	if got := s.Action.Values[1]; got.Text != "sts:GetSessionToken" || got.Path != "$.Statement[0].NotAction[1]" || got.Pos().Line != 7 || got.Pos().Column != 43 {
		t.Errorf("NotAction[1] = %+v", got)
	}
	c := s.Conditions[0]
	if c.Operator != "BoolIfExists" || c.Key != "aws:MultiFactorAuthPresent" || c.Values[0].Text != "false" || c.Cond == nil {
		t.Errorf("condition = %+v", c)
	}
	if c.Path != `$.Statement[0].Condition.BoolIfExists["aws:MultiFactorAuthPresent"]` {
		t.Errorf("condition path = %s", c.Path)
	}
	if !p.VariablesEnabled() {
		t.Error("Version 2012-10-17 enables variables")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // "line:col code path"
	}{
		{"invalid JSON", "{\n  \"Statement\": [,]\n}", []string{"2:17 invalid_json $"}},
		{"empty document", "", []string{"1:1 invalid_json $"}},
		{"not an object", `["Statement"]`, []string{"1:1 wrong_type $"}},
		{"duplicate key", `{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}`, []string{"1:32 duplicate_key $.Statement.Effect"}},
		{"lower-case effect", "{\"Statement\": {\n\"Effect\": \"allow\", \"Action\": \"*\", \"Resource\": \"*\"}}", []string{"2:11 bad_effect $.Statement.Effect"}},
		{"wrong type", `{"Statement":{"Effect":"Allow","Action":7,"Resource":"*"}}`, []string{"1:41 wrong_type $.Statement.Action"}},
		{"bad date with path", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":["2020-01-01","soon"]}}}}`,
			[]string{`1:121 bad_date_value $.Statement.Condition.DateLessThan["aws:CurrentTime"][1]`}},
		{"unknown operator", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"k":"v"}}}}`, []string{"1:73 unknown_operator $.Statement.Condition.StringEqualz"}},
		{"null value", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":null}}}}`, []string{`1:93 wrong_type $.Statement.Condition.StringEquals.k`}},
		{"several errors sorted", `{"Statement":[{"Effect":"Maybe","Action":"x","Resource":"*"}, {"Effect":"Allow"}]}`,
			[]string{"1:25 bad_effect $.Statement[0].Effect", "1:42 bad_action $.Statement[0].Action", "1:63 missing_action $.Statement[1]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.Parse("p.json", []byte(tc.doc))
			if p != nil || err == nil {
				t.Fatalf("Parse succeeded, want errors %v", tc.want)
			}
			var list policy.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList", err)
			}
			var got []string
			for _, e := range list {
				got = append(got, strings.Join([]string{itoa(e.Pos.Line) + ":" + itoa(e.Pos.Column), e.Code, e.Path}, " "))
				if e.Pos.Filename != "p.json" {
					t.Errorf("error without file name: %v", e)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s\nfull: %v", diff, list)
			}
		})
	}
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

func TestErrorIs(t *testing.T) {
	_, err := policy.Parse("p.json", []byte(`{"Statement":{"Effect":"allow","Action":"*","Resource":"*"}}`))
	if !errors.Is(err, &policy.Error{Code: policy.CodeBadEffect}) {
		t.Errorf("errors.Is should find the bad_effect error in %v", err)
	}
	if want := `p.json:1:24: bad_effect: Effect must be exactly "Allow" or "Deny" (case-sensitive), got "allow" (at $.Statement.Effect)`; err.Error() != want {
		t.Errorf("Error() = %s\nwant      %s", err, want)
	}
}

func TestParseSpan(t *testing.T) {
	file := []byte("{\n  \"policies\": {\"p\": {\"Statement\": {\"Effect\": \"Alow\", \"Action\": \"*\", \"Resource\": \"*\"}}}\n}")
	start := strings.Index(string(file), `{"Statement"`)
	end := strings.LastIndex(string(file), "}}}") + 2
	_, err := policy.ParseSpan("suite.json", file, start, end-start)
	var list policy.ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("want one error, got %v", err)
	}
	if got := list[0].Pos; got.Line != 2 || got.Column != 46 || got.Offset != strings.Index(string(file), `"Alow"`) {
		t.Errorf("position in the file = %+v", got)
	}
}

func TestCheck(t *testing.T) {
	parse := func(doc string) *policy.Policy {
		p, err := policy.Parse("p", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		kind policy.Kind
		doc  string
		code string // "" = no error
	}{
		{policy.KindIdentity, `{"Statement":{"Effect":"Allow","Action":"*"}}`, policy.CodeMissingResource},
		{policy.KindIdentity, `{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`, policy.CodeElementNotAllowed},
		{policy.KindIdentity, `{"Statement":{"Sid":"my-sid","Effect":"Allow","Action":"*","Resource":"*"}}`, policy.CodeBadSid},
		{policy.KindIdentity, `{"Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"}]}`, policy.CodeDuplicateSid},
		{policy.KindIdentity, `{"Statement":[{"Sid":"","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"","Effect":"Allow","Action":"*","Resource":"*"}]}`, ""},
		{policy.KindResource, `{"Statement":{"Effect":"Allow","Action":"s3:*"}}`, policy.CodeMissingPrincipal},
		{policy.KindResource, `{"Statement":{"Sid":"allow all","Effect":"Allow","Principal":"*","Action":"s3:*"}}`, ""},
		{policy.KindTrust, `{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}}`, policy.CodeElementNotAllowed},
		{policy.KindTrust, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}}`, policy.CodeElementNotAllowed},
		{policy.KindSCP, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}}`, policy.CodeElementNotAllowed},
		{policy.KindSCP, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, ""},
		{policy.KindRCP, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}`, policy.CodeVersionRequired},
	}
	for _, tc := range tests {
		errs := policy.Check(parse(tc.doc), tc.kind)
		switch {
		case tc.code == "" && len(errs) > 0:
			t.Errorf("%s %s: unexpected %v", tc.kind, tc.doc, errs)
		case tc.code != "" && (len(errs) == 0 || errs[0].Code != tc.code):
			t.Errorf("%s %s: got %v, want %s", tc.kind, tc.doc, errs, tc.code)
		}
	}
}

func TestCheckLimits(t *testing.T) {
	stmt := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/key"}`
	doc := `{"Version": "2012-10-17", "Statement": [` + strings.Repeat(stmt+",", 80) + stmt + `]}`
	p, err := policy.Parse("big.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if errs := policy.CheckLimits(p, policy.LimitManaged); len(errs) != 1 || errs[0].Code != policy.CodeSizeLimit {
		t.Errorf("a %d-character policy must exceed the 6,144 managed limit: %v", len(doc), errs)
	}
	if errs := policy.CheckLimits(p, policy.LimitInlineRole); len(errs) != 0 {
		t.Errorf("within the role inline limit: %v", errs)
	}
	// White space outside strings counts for SCPs, not for managed policies.
	spaced := strings.Repeat(" ", 6000) + `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`
	p, _ = policy.Parse("spaced.json", []byte(spaced))
	if errs := policy.CheckLimits(p, policy.LimitManaged); len(errs) != 0 {
		t.Errorf("white space does not count for managed policies: %v", errs)
	}
	if errs := policy.CheckLimits(p, policy.LimitSCP); len(errs) != 1 {
		t.Errorf("white space counts for SCPs: %v", errs)
	}
	p, _ = policy.Parse("uni.json", []byte(`{"Statement":{"Sid":"€","Effect":"Allow","Principal":"*","Action":"*"}}`))
	if errs := policy.CheckLimits(p, policy.LimitManaged); len(errs) != 1 || errs[0].Code != policy.CodeBadCharacter || errs[0].Pos.Column != 22 {
		t.Errorf("€ is outside U+0020-U+00FF: %v", errs)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`))
	f.Add([]byte(`{"Statement":[{"Effect":"Deny","NotAction":["iam:*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":false}}}]}`))
	f.Add([]byte(`{"Statement":{"Effect":"Allow","Principal":{"AWS":["1"]},"Action":"s3:*","Condition":{"DateLessThan":{"k":"2020-01-01T00:00Z"},"IpAddress":{"k":["::1/128"]}}}}`))
	f.Add([]byte("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    { \"Sid\": \"a \\\" b\", \"Effect\": \"Deny\",\n      \"NotAction\": [ \"iam:*\" ] ,\"Resource\": \"arn:aws:s3:::\u0100 x\",\n\t\"Condition\": {\"Bool\": {\"aws:SecureTransport\": false}} }\r\n  ]\n}"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := policy.Parse("fuzz.json", doc)
		if (p == nil) == (err == nil) {
			t.Fatalf("Parse must return a policy or an error, not both or neither: %v %v", p, err)
		}
		// SpanOptions: Valid never panics, and on valid JSON it is
		// ParseSpanIndex; Compact is ParseSpanIndex with Source and
		// StatementText compacted
		idx := policy.NewLineIndex("fuzz.json", doc)
		r, rerr := policy.ParseSpanIndex(idx, doc, 0, len(doc))
		for _, opt := range []policy.SpanOptions{{Valid: true}, {Valid: true, Compact: true}, {Compact: true}} {
			if !opt.Compact || json.Valid(doc) {
				q, qerr := policy.ParseSpanIndexWith(idx, doc, 0, len(doc), opt)
				if json.Valid(doc) {
					sameAsParsed(t, opt, r, rerr, q, qerr)
				}
			}
		}
		if err != nil {
			var list policy.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			for _, e := range list {
				if !e.Pos.IsValid() || e.Code == "" || e.Path == "" {
					t.Fatalf("error without position, code or path: %#v", e)
				}
			}
			return
		}
		for _, s := range p.Statements {
			if s.Action == nil || (s.Effect != policy.Allow && s.Effect != policy.Deny) {
				t.Fatalf("accepted statement without action or effect: %+v", s)
			}
		}
	})
}

// TestErrorListCount: the list names its first error and counts the rest,
// "1 more error", "2 more errors".
func TestErrorListCount(t *testing.T) {
	e := &policy.Error{Code: "bad_effect", Msg: "m"}
	for _, tc := range []struct {
		list policy.ErrorList
		want string
	}{
		{policy.ErrorList{e, e}, " (and 1 more error)"},
		{policy.ErrorList{e, e, e}, " (and 2 more errors)"},
	} {
		if got := tc.list.Error(); got != e.Error()+tc.want {
			t.Errorf("%d errors: %q, want %q", len(tc.list), got, e.Error()+tc.want)
		}
	}
}

// sameAsParsed fails unless q and qerr, parsed with opt, are r and rerr,
// parsed with ParseSpanIndex, with Source and StatementText compacted
// when opt says so, and CheckLimits alike.
func sameAsParsed(t *testing.T, opt policy.SpanOptions, r *policy.Policy, rerr error, q *policy.Policy, qerr error) {
	t.Helper()
	if fmt.Sprint(qerr) != fmt.Sprint(rerr) || (q == nil) != (r == nil) {
		t.Fatalf("%+v: %v; ParseSpanIndex: %v", opt, qerr, rerr)
	}
	if r == nil {
		return
	}
	want := r.Source
	if opt.Compact {
		var b bytes.Buffer
		if err := json.Compact(&b, r.Source); err != nil {
			t.Fatal(err)
		}
		want = b.Bytes()
	}
	if !bytes.Equal(q.Source, want) {
		t.Fatalf("%+v: Source %q, want %q", opt, q.Source, want)
	}
	if !reflect.DeepEqual(q.Statements, r.Statements) || q.Start() != r.Start() || q.End() != r.End() || q.Version != r.Version || q.ID != r.ID {
		t.Fatalf("%+v: the policy differs from ParseSpanIndex's:\n%+v\n%+v", opt, q, r)
	}
	for i, st := range r.Statements {
		text := r.StatementText(st)
		if opt.Compact && text != nil {
			var b bytes.Buffer
			if err := json.Compact(&b, text); err != nil {
				t.Fatal(err)
			}
			text = b.Bytes()
		}
		if got := q.StatementText(q.Statements[i]); !bytes.Equal(got, text) {
			t.Fatalf("%+v: statement %d text %q, want %q", opt, i, got, text)
		}
	}
	for _, l := range []policy.Limit{policy.LimitInlineUser, policy.LimitSCP, policy.LimitSimulator, {Name: "tiny", Max: 8, CountSpace: true, Charset: true}, {Name: "tiny", Max: 8, Charset: true}} {
		if got, want := each(policy.CheckLimits(q, l)), each(policy.CheckLimits(r, l)); got != want {
			t.Fatalf("%+v: CheckLimits(%s) = %v, want %v", opt, l.Name, got, want)
		}
	}
}

// TestParseSpanCompact: a pretty-printed document, as the AWS CLI writes
// one inside an account dump, parses with SpanOptions.Compact to the policy
// ParseSpanIndex makes, its positions the file's, its Source and statement
// texts without the indentation, and CheckLimits counting and placing as
// in the document as written (a character IAM refuses, after indented
// lines; white space counted for an SCP). A document that is not valid
// JSON reports the errors ParseSpanIndex reports.
func TestParseSpanCompact(t *testing.T) {
	file := []byte(`{
    "UserPolicyList": [
        {
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "Home \" quoted",
                        "Effect": "Allow",
                        "Action": [ "s3:GetObject", "s3:PutObject" ],
                        "Resource": "arn:aws:s3:::home/${aws:username}/*"
                    },
                    {
                        "Effect": "Deny",
                        "NotAction": "iam:*",
                        "Resource": "*",
                        "Condition": { "BoolIfExists": { "aws:MultiFactorAuthPresent": "false" } }
                    },
                    {
                        "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bĀ世   x"
                    }
                ]
            }
        },
        { "PolicyDocument": { "Statement": { "Effect": "Allow", "Action": "s3:*" , "Resource": "*", "Bad": 1 } } },
        { "PolicyDocument": { "Statement": { "Effect": "Allow", "Action": [ "s3:*",, ], "Resource": "*" } } }
    ]
}`)
	idx := policy.NewLineIndex("dump.json", file)
	var spans [][2]int
	for _, key := range []string{`"PolicyDocument": {`} {
		for off := 0; ; {
			k := bytes.Index(file[off:], []byte(key))
			if k < 0 {
				break
			}
			start := off + k + len(key) - 1
			depth, end := 0, start
			for i := start; i < len(file); i++ {
				if file[i] == '{' {
					depth++
				} else if file[i] == '}' {
					depth--
					if depth == 0 {
						end = i + 1
						break
					}
				}
			}
			spans = append(spans, [2]int{start, end})
			off = end
		}
	}
	if len(spans) != 3 {
		t.Fatalf("%d documents found, want 3", len(spans))
	}
	for i, sp := range spans {
		r, rerr := policy.ParseSpanIndex(idx, file, sp[0], sp[1]-sp[0])
		for _, opt := range []policy.SpanOptions{{Compact: true}, {Valid: true, Compact: true}} {
			if i == 2 && opt.Valid {
				continue // not valid JSON: Valid would be a lie
			}
			q, qerr := policy.ParseSpanIndexWith(idx, file, sp[0], sp[1]-sp[0], opt)
			sameAsParsed(t, opt, r, rerr, q, qerr)
			if i == 0 {
				if len(q.Source) >= (sp[1]-sp[0])/2 {
					t.Errorf("compacted Source is %d of %d bytes", len(q.Source), sp[1]-sp[0])
				}
				if errs := policy.CheckLimits(q, policy.LimitInlineUser); len(errs) == 0 || errs[0].Pos.Line != 20 {
					t.Errorf("CheckLimits = %v, want the character of line 20", errs)
				}
			}
		}
		if i > 0 && rerr == nil {
			t.Errorf("document %d: no error", i)
		}
	}
}

// each is every error of l, one per line.
func each(l policy.ErrorList) string {
	var b strings.Builder
	for _, e := range l {
		b.WriteString(e.Error() + "\n")
	}
	return b.String()
}

// TestErrorPositionsInSpans: an error about a value (an action without a
// colon, a resource that is no ARN, a principal IAM refuses, a condition
// value that does not compile) is placed at the value, its opening quote
// in the file, for a document anywhere in a larger file (ParseSpanIndex,
// as an account dump's documents are read) and for the document compacted
// (SpanOptions.Compact). A value's position is the file's; the error must
// not add the document's offset to it again.
func TestErrorPositionsInSpans(t *testing.T) {
	for _, tc := range []struct {
		name, doc, bad, code string
	}{
		{"action", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject",   "s3 GetObject"],"Resource":"*"}]}`, `"s3 GetObject"`, policy.CodeBadAction},
		{"resource", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":[  "bucket/x"]}]}`, `"bucket/x"`, policy.CodeBadResource},
		{"empty principal", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":   ""},"Action":"s3:*","Resource":"*"}]}`, `""`, policy.CodeBadPrincipal},
		{"wildcard principal", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":  "arn:aws:iam::*:root"},"Action":"s3:*","Resource":"*"}]}`, `"arn:aws:iam::*:root"`, policy.CodeBadPrincipal},
		{"bad AWS principal", `{"Statement":[{"Effect":"Allow","Principal":{"AWS": ["nobody"]},"Action":"s3:*","Resource":"*"}]}`, `"nobody"`, policy.CodeBadPrincipal},
		{"condition value", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":   "abc"}}}]}`, `"abc"`, ""},
	} {
		// the document deep in a file, indented as the AWS CLI writes it
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, []byte(tc.doc), "            ", "    "); err != nil {
			t.Fatal(err)
		}
		head := strings.Repeat(`{"Filler": "`+strings.Repeat("x", 300)+`"},`+"\n", 40) + `{"PolicyDocument": `
		file := []byte(head + pretty.String() + "}\n")
		off, n := len(head), pretty.Len()
		at := bytes.Index(file[off:], []byte(tc.bad))
		if at < 0 {
			t.Fatalf("%s: %s not in the document", tc.name, tc.bad)
		}
		want := policy.NewLineIndex("f.json", file).Position(off + at)
		idx := policy.NewLineIndex("f.json", file)
		for _, opt := range []policy.SpanOptions{{}, {Compact: true}, {Valid: true, Compact: true}} {
			_, err := policy.ParseSpanIndexWith(idx, file, off, n, opt)
			var list policy.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("%s %+v: no error: %v", tc.name, opt, err)
			}
			e := list[0]
			if tc.code != "" && e.Code != tc.code {
				t.Errorf("%s %+v: code %s, want %s", tc.name, opt, e.Code, tc.code)
			}
			if e.Pos != want {
				t.Errorf("%s %+v: error at %v, want %v (the value): %v", tc.name, opt, e.Pos, want, e)
			}
		}
	}
}
