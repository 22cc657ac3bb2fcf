package lint_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

// catFindings returns the findings of the catalogue rules (CAT...).
func catFindings(fs []lint.Finding) []lint.Finding {
	var out []lint.Finding
	for _, f := range fs {
		if strings.HasPrefix(f.RuleID, "CAT") {
			out = append(out, f)
		}
	}
	return out
}

// TestCatalogRulesOnIssue pins each catalogue rule on the typos and wrong
// keys of issue 13 (testdata/lint/catalog-typos.json): rule, position,
// JSON path and fix. A short ARN stays the ARN rules' (ARN001), Bool on
// aws:MultiFactorAuthAge the MFA rules' (MFA009).
func TestCatalogRulesOnIssue(t *testing.T) {
	path := filepath.Join("..", "testdata", "lint", "catalog-typos.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ ID, Pos, Path, Fix string }
	want := []row{
		{"CAT002", "8:17", "$.Statement[0].Action[0]", `write "s3:GetObject"`},
		{"CAT002", "9:17", "$.Statement[0].Action[1]", `write "ec2:DescribeInstances"`},
		{"CAT001", "10:17", "$.Statement[0].Action[2]", `write "s3:GetObject"`},
		{"CAT003", "11:17", "$.Statement[0].Action[3]", `write "s3:GetObject*"`},
		{"CAT004", "22:21", `$.Statement[1].Condition.StringEquals["aws:usrename"]`, `write "aws:username"`},
		{"CAT004", "23:21", `$.Statement[1].Condition.StringEquals["iam:AccessKeysCount"]`, "write a global key (aws:...) or a key the statement's actions support: iam:ResourceTag/${TagKey}"},
		{"CAT005", "33:32", `$.Statement[2].Condition.StringLike["s3:prefix"]`, "test a key these actions support, or move the condition to a statement with an action that supports s3:prefix (s3:ListBucket, s3:ListBucketVersions)"},
		{"CAT006", "42:17", `$.Statement[3].Condition.NumericLessThan["aws:PrincipalAccount"]`, "use a String operator (StringEquals, StringLike, ...)"},
		{"MFA010", "43:17", `$.Statement[3].Condition.Bool["aws:MultiFactorAuthAge"]`, "use a Numeric operator such as NumericLessThanEquals"},
		{"CAT006", "44:17", `$.Statement[3].Condition.DateGreaterThan["aws:PrincipalTag/start"]`, "use a String operator (StringEquals, StringLike, ...)"},
		{"CAT006", "45:17", `$.Statement[3].Condition.IpAddress["aws:SourceVpc"]`, "use a String operator (StringEquals, StringLike, ...)"},
		{"CAT007", "46:17", `$.Statement[3].Condition.StringEquals["aws:SecureTransport"]`, "use Bool"},
		{"ARN001", "54:17", "$.Statement[4].Resource[0]", `write "arn:aws:s3:::bucket/*": S3 bucket and object ARNs leave region and account empty`},
		{"CAT008", "55:17", "$.Statement[4].Resource[1]", "name a resource these actions act on (accesspointobject arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}, object arn:${Partition}:s3:::${BucketName}/${ObjectName}), or move the ARN to a statement with actions that act on it"},
		{"CAT010", "56:17", "$.Statement[4].Resource[2]", `write "arn:aws:s3:::amzn-s3-demo-bucket/*": these s3 ARNs have no region`},
		{"CAT009", "63:25", "$.Statement[5].Resource", `write "Resource": "*" for these actions, which act on no specific resource`},
		{"CAT010", "69:25", "$.Statement[6].Resource", "write the ARN in a format of its resource type, such as arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId} or arn:${Partition}:ec2:${Region}:${Account}:instance-connect-endpoint/${InstanceConnectEndpointId}"},
	}
	var got []row
	for _, f := range lint.File("catalog-typos.json", data, policy.KindIdentity) {
		got = append(got, row{f.RuleID, fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Column), f.Path, f.Fix})
		if f.Message == "" {
			t.Errorf("%s: no message", f.RuleID)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestCatalogRuleMessages: the messages say what never matches, and why.
func TestCatalogRuleMessages(t *testing.T) {
	tests := []struct {
		stmt, id, want string
	}{
		{`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:usrename":"a"}}}`, "CAT004",
			`condition key "aws:usrename" does not exist: the key is always absent, so StringEquals never matches and the statement never applies; did you mean aws:username?`},
		{`{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"s3:prefix":"a"}}}`, "CAT005",
			"s3:prefix is never in a request for s3:GetObject: the key is always absent, so StringNotEquals always matches and the condition has no effect"},
		{`{"Effect":"Deny","NotAction":"iam:CreateVirtualMFADevce","Resource":"*"}`, "CAT002",
			`NotAction "iam:CreateVirtualMFADevce": iam has no action "CreateVirtualMFADevce"; did you mean iam:CreateVirtualMFADevice?`},
		{`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:PrincipalTags/team":"a"}}}`, "CAT004",
			`condition key "aws:PrincipalTags/team" does not exist: the key is always absent, so StringLike never matches and the statement never applies; did you mean aws:PrincipalTag/team?`},
	}
	for _, tc := range tests {
		got := catFindings(lint.File("p.json", []byte(stmts(tc.stmt, 1)), policy.KindIdentity))
		if len(got) == 0 || got[0].RuleID != tc.id || got[0].Message != tc.want {
			t.Errorf("%s:\n got %v\nwant %s: %s", tc.stmt, got, tc.id, tc.want)
		}
	}
}

// TestCatalogRulesPrecision: what is right, or what the catalogue cannot
// judge, is no finding.
func TestCatalogRulesPrecision(t *testing.T) {
	tests := []struct {
		source, stmt string
		want         []string // the findings expected: none but for a typo
	}{
		{"keys of identity providers", `{"Effect":"Allow","Principal":{"Federated":"x"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:o/r:ref:refs/heads/main","SAML:aud":"https://signin.aws.amazon.com/saml","cognito-identity.amazonaws.com:amr":"authenticated","accounts.google.com:aud":"x","oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:ns:sa"}}}`, nil},
		{"a prefix that names no service", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"myidp.example.com:group":"a"}}}`, nil},
		{"a key another service lists: ec2:osuser is ec2-instance-connect's", `{"Effect":"Allow","Action":"ec2-instance-connect:SendSSHPublicKey","Resource":"*","Condition":{"StringEquals":{"ec2:osuser":"ec2-user"}}}`, nil},
		{"NotAction: only that the key exists", `{"Effect":"Deny","NotAction":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"s3:prefix":"a/*"}}}`, nil},
		{"every action: only that the key exists", `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"a/*"}}}`, nil},
		{"a service wildcard: only that the key exists", `{"Effect":"Deny","Action":"*:Get*","Resource":"*","Condition":{"StringLike":{"s3:prefix":"a/*"}}}`, nil},
		{"a key of some action of the statement", `{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringLike":{"s3:prefix":"a/*"}}}`, nil},
		{"a key of a resource type of the action", `{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*","Condition":{"StringEquals":{"ec2:ResourceTag/env":"dev"}}}`, nil},
		{"tag keys the reference writes without ${TagKey}", `{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","sagemaker:DescribeEndpoint"],"Resource":"*","Condition":{"StringEquals":{"secretsmanager:ResourceTag/team":"a","sagemaker:ResourceTag/env":"dev"}}}`, nil},
		{"global keys everywhere", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a","aws:RequestedRegion":"eu-west-1"}}}`, nil},
		{"Numeric on aws:EpochTime, whose values are numbers too", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"aws:EpochTime":"1700000000"}}}`, nil},
		{"ARN operators on String keys, String operators on ARN keys", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"aws:SourceVpcArn":"arn:aws:ec2:*:*:vpc/*"},"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/a"}}}`, nil},
		{"Bool on a String key holding true or false", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:PrincipalTag/admin":"true"}}}`, nil},
		{"Null on any key", `{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:SourceIp":"true","aws:CurrentTime":"false"}}}`, nil},
		{"the S3 console's ListAllMyBuckets on arn:aws:s3:::*", `{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"arn:aws:s3:::*"}`, nil},
		{"mixed actions: one takes the ARN", `{"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}`, nil},
		{"NotResource: no relation to actions", `{"Effect":"Deny","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b"}`, nil},
		{"an unknown action: the relations are not judged", `{"Effect":"Allow","Action":["s3:GetObject","s3:NoSuchAction"],"Resource":"arn:aws:iam::111122223333:user/a","Condition":{"StringLike":{"s3:prefix":"a"}}}`, []string{"CAT002"}},
		{"a service the ARN formats do not know", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:nosuchservice:us-east-1:111122223333:thing/a"}`, nil},
		{"wildcards and variables in ARNs", `{"Effect":"Allow","Action":["iam:GetUser","iam:GetRole"],"Resource":["arn:aws:iam::*:user/${aws:username}","arn:${aws:partition}:iam::${aws:PrincipalAccount}:role/*","arn:aws:*:*:*:*"]}`, nil},
		{"AWS-owned ARNs: no account, or the account aws", `{"Effect":"Allow","Action":["iam:GetPolicy","ec2:RunInstances","ssm:SendCommand"],"Resource":["arn:aws:iam::aws:policy/ReadOnlyAccess","arn:aws:ec2:us-east-1::image/ami-1","arn:aws:ssm:us-east-1::document/AWS-RunShellScript"]}`, nil},
		{"letter case of actions and keys", `{"Effect":"Allow","Action":"S3:getobject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"AWS:USERNAME":"a","S3:ExistingObjectTag/env":"dev"}}}`, nil},
	}
	for _, tc := range tests {
		got := catFindings(lint.File("p.json", []byte(stmts(tc.stmt, 1)), policy.KindResource))
		if ids := ids(got); len(ids) != len(tc.want) || len(ids) > 0 && !cmp.Equal(ids, tc.want) {
			t.Errorf("%s: %v", tc.source, got)
		}
	}
}

// TestCatalogRulesAWSDocs: AWS's documentation policies
// (testdata/lint/aws-docs) and AWS-managed-style policies (ReadOnlyAccess's
// Get*, List*, Describe* over many services; PowerUserAccess's NotAction;
// AdministratorAccess) lint clean of the catalogue rules. scp-* and rcp-*
// files are checked as SCPs and RCPs, the rest as detected.
func TestCatalogRulesAWSDocs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "lint", "aws-docs", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 12 {
		t.Fatalf("%d AWS documentation policies, want at least 12", len(files))
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var r lint.Result
		switch base := filepath.Base(file); {
		case strings.HasPrefix(base, "scp-"):
			r = lint.Document(file, data, policy.KindSCP)
		case strings.HasPrefix(base, "rcp-"):
			r = lint.Document(file, data, policy.KindRCP)
		default:
			r = lint.DocumentAuto(file, data)
		}
		if !r.Parsed {
			t.Errorf("%s: does not parse: %v", file, r.Findings)
			continue
		}
		for _, f := range r.Findings {
			if f.Severity != lint.Note {
				t.Errorf("%s", f)
			}
		}
	}
}

// BenchmarkCatalogRules lints a large policy: 100 statements of
// wildcards, keys and ARNs, each naming its own bucket and role.
func BenchmarkCatalogRules(b *testing.B) {
	var list []string
	for i := range 100 {
		list = append(list, fmt.Sprintf(`{"Effect":"Allow","Action":["s3:Get*","s3:List*","ec2:Describe*","ec2:StartInstances","iam:PassRole"],`+
			`"Resource":["arn:aws:s3:::b%[1]d","arn:aws:s3:::b%[1]d/*","arn:aws:ec2:*:*:instance/*","arn:aws:iam::111122223333:role/r%[1]d"],`+
			`"Condition":{"StringLike":{"s3:prefix":"a/*","ec2:ResourceTag/env":"dev","iam:PassedToService":"ec2.amazonaws.com"},"Bool":{"aws:SecureTransport":"true"}}}`, i))
	}
	doc := []byte(`{"Version":"2012-10-17","Statement":[` + strings.Join(list, ",") + `]}`)
	if got := catFindings(lint.File("p.json", doc, policy.KindIdentity)); len(got) > 0 {
		b.Fatal(got) // the catalogue, decoded once, and the policy clean
	}
	b.ReportAllocs()
	for b.Loop() {
		lint.File("p.json", doc, policy.KindIdentity)
	}
}

// TestTagKeySuggestion: a tag key written without its tag name is told
// where the name goes, never "did you mean" itself or a policy variable.
func TestTagKeySuggestion(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/":"x","aws:PrincipalTag":"y"}}}}`
	r := lint.Document("p.json", []byte(doc), policy.KindIdentity)
	n := 0
	for _, f := range r.Findings {
		if f.RuleID != "CAT004" {
			continue
		}
		n++
		if !strings.Contains(f.Message, "a tag key goes after the slash") || strings.Contains(f.Message+f.Fix, "${") || strings.Contains(f.Message, "did you mean aws:RequestTag/?") {
			t.Errorf("%s / %s", f.Message, f.Fix)
		}
	}
	if n != 2 {
		t.Errorf("%d CAT004 findings, want 2: %+v", n, r.Findings)
	}
}

// TestOperatorFamilyOnStringKeys pins review 13 F13(a): which operator
// families CAT006 lets through on a String-typed key, and why. Bool reads
// "true" or "false"; the catalogue types some service keys that hold
// exactly that as String (ses:ClickTrackingEnabled,
// iotsitewise:isAssociatedWithAssetProperty), and a tag may hold it, so
// Bool on those stands. The global keys AWS's global condition keys
// reference types as String and documents the values of (aws:SourceVpc, a
// VPC id; aws:username, a name) never hold true or false: Bool on them never
// matches. ARN operators stay allowed on every String key: the catalogue
// types keys that hold ARNs as String (aws:SourceVpcArn, aws:FederatedProvider,
// sns:Endpoint), so an ARN operator on a String key is no sign of a mistake.
func TestOperatorFamilyOnStringKeys(t *testing.T) {
	tests := []struct {
		name, action, op, key, value string
		flagged                      bool
	}{
		{"Bool on aws:SourceVpc (a VPC id) never matches (review 13 ops.json)", "s3:GetObject", "Bool", "aws:SourceVpc", "true", true},
		{"Bool on aws:username never matches", "s3:GetObject", "Bool", "aws:username", "true", true},
		{"Bool on a tag may read \"true\"", "s3:GetObject", "Bool", "aws:ResourceTag/public", "true", false},
		{"Bool on ses:ClickTrackingEnabled, typed String, holding true or false", "ses:SendEmail", "Bool", "ses:ClickTrackingEnabled", "true", false},
		{"ArnLike on aws:username (review 13 ops.json): ARN operators stay allowed on String keys", "s3:GetObject", "ArnLike", "aws:username", "arn:aws:iam::*:user/x", false},
		{"ArnLike on aws:SourceVpcArn, typed String, holding an ARN", "s3:GetObject", "ArnLike", "aws:SourceVpcArn", "arn:aws:ec2:*:*:vpc/vpc-1", false},
		{"ArnEquals on sns:Endpoint, typed String, holding an ARN", "sns:Subscribe", "ArnEquals", "sns:Endpoint", "arn:aws:sqs:us-east-1:123456789012:q", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":%q,"Resource":"*","Condition":{%q:{%q:%q}}}}`, tc.action, tc.op, tc.key, tc.value)
			got := false
			for _, f := range catFindings(lint.File("p.json", []byte(doc), policy.KindIdentity)) {
				if f.RuleID == "CAT006" {
					got = true
					if !strings.Contains(f.Fix, "String operator") {
						t.Errorf("fix %q", f.Fix)
					}
				}
			}
			if got != tc.flagged {
				t.Errorf("CAT006 %v, want %v", got, tc.flagged)
			}
		})
	}
}

// TestARNPartitionAndAccount pins review 13 F13(b): an ARN whose partition
// AWS does not have, or whose account is not 12 digits, names no resource
// (AWS: "Identify AWS resources with Amazon Resource Names": the partition
// is aws, aws-cn, aws-us-gov, ...; an account ID is a 12-digit number). Both
// are CAT010, at the value, with a fix. Wildcards, policy variables, an
// empty account (S3) and "aws" (AWS managed policies) are not flagged.
func TestARNPartitionAndAccount(t *testing.T) {
	tests := []struct {
		name, action, arn string
		msg, fix          string // "" when not flagged
	}{
		{"a 5-digit account (review 13 arns.json)", "iam:GetUser", "arn:aws:iam::12345:user/alice", "account 12345", "12 digits"},
		// review 14 N (arns2.json): every account that is not 12 digits,
		// letters and dashes too, with a fix that keeps a 12-digit account
		// (IAM user ARNs have one: arn:${Partition}:iam::${Account}:user/...),
		// never an empty one
		{"an account with a letter (review 14 arns2.json)", "iam:GetUser", "arn:aws:iam::12345678901a:user/alice", "account 12345678901a", `"arn:aws:iam::123456789012:user/alice"`},
		{"an account of letters (review 14 arns2.json)", "iam:GetUser", "arn:aws:iam::ABCDEFGHIJKL:user/alice", "account ABCDEFGHIJKL", `"arn:aws:iam::123456789012:user/alice"`},
		{"an account with dashes, as the console shows it (review 14 arns2.json)", "iam:GetUser", "arn:aws:iam::1234-5678-9012:user/alice", "account 1234-5678-9012", `"arn:aws:iam::123456789012:user/alice"`},
		{"a 5-digit account: a 12-digit placeholder", "iam:GetUser", "arn:aws:iam::12345:user/alice", "account 12345", `"arn:aws:iam::123456789012:user/alice"`},
		{"an account where the type has none: drop it", "s3:GetObject", "arn:aws:s3::12345:b/*", "account 12345", `"arn:aws:s3:::b/*"`},
		{"a 13-digit account", "iam:GetUser", "arn:aws:iam::1234567890123:user/alice", "account 1234567890123", "12 digits"},
		{"an unknown partition (review 13 arns.json)", "s3:GetObject", "arn:awss:s3:::b/*", `partition "awss"`, `"arn:aws:s3:::b/*"`},
		{"aws-cn", "s3:GetObject", "arn:aws-cn:s3:::b/*", "", ""},
		{"aws-us-gov", "s3:GetObject", "arn:aws-us-gov:s3:::b/*", "", ""},
		{"aws-iso-f", "s3:GetObject", "arn:aws-iso-f:s3:::b/*", "", ""},
		{"aws-eusc", "s3:GetObject", "arn:aws-eusc:s3:::b/*", "", ""},
		{"a partition wildcard", "s3:GetObject", "arn:*:s3:::b/*", "", ""},
		{"a partition variable", "s3:GetObject", "arn:${aws:PrincipalTag/p}:s3:::b/*", "", ""},
		{"a 12-digit account", "iam:GetUser", "arn:aws:iam::123456789012:user/alice", "", ""},
		{"an account wildcard", "iam:GetUser", "arn:aws:iam::*:user/alice", "", ""},
		{"an account pattern", "iam:GetUser", "arn:aws:iam::1234567890??:user/alice", "", ""},
		{"an account variable", "iam:GetUser", "arn:aws:iam::${aws:PrincipalAccount}:user/alice", "", ""},
		{"AWS managed policy: account aws", "iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":%q,"Resource":%q}}`, tc.action, tc.arn)
			var got []lint.Finding
			for _, f := range catFindings(lint.File("p.json", []byte(doc), policy.KindIdentity)) {
				if f.RuleID == "CAT010" {
					got = append(got, f)
				}
			}
			if tc.msg == "" {
				if len(got) > 0 {
					t.Errorf("flagged: %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d CAT010 findings, want 1: %+v", len(got), got)
			}
			f := got[0]
			if !strings.Contains(f.Message, tc.msg) || !strings.Contains(f.Fix, tc.fix) {
				t.Errorf("message %q, fix %q; want %q, %q", f.Message, f.Fix, tc.msg, tc.fix)
			}
			if f.Pos.Line != 1 || f.Pos.Column != strings.Index(doc, `"`+tc.arn)+1 || f.Path != "$.Statement.Resource" {
				t.Errorf("at %v %s", f.Pos, f.Path)
			}
		})
	}
}

// TestARNFormatSuggestion pins review 13 F13(c): the fix for an ARN that
// fits no format of its service shows first the format closest to what was
// written: of the formats whose resource part starts with the same word,
// the one whose type is that word (Lambda's function, DynamoDB's table),
// then the one with as many parts, not the first in the catalogue's order
// (a function's durable execution).
func TestARNFormatSuggestion(t *testing.T) {
	tests := []struct {
		name, action, arn, first string
	}{
		{"Lambda function with a slash (review 13 arns.json)", "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function/my-fn",
			"arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"},
		{"DynamoDB table without its name (review 13 arns.json)", "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table",
			"arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":%q,"Resource":%q}}`, tc.action, tc.arn)
			for _, f := range catFindings(lint.File("p.json", []byte(doc), policy.KindIdentity)) {
				if f.RuleID == "CAT010" {
					if want := "such as " + tc.first + " "; !strings.Contains(f.Fix+" ", want) {
						t.Errorf("fix %q does not start with %q", f.Fix, tc.first)
					}
					return
				}
			}
			t.Errorf("no CAT010")
		})
	}
}

// TestARNOfTheOtherService pins review 14 N: IAM roles and users are iam
// resources (arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}),
// STS's own ARNs are sessions and federated users: a role ARN written with
// sts is fixed to the iam role ARN, not to an STS format.
func TestARNOfTheOtherService(t *testing.T) {
	for _, tc := range []struct{ action, arn, fix string }{
		{"sts:AssumeRole", "arn:aws:sts::123456789012:role/x", `write "arn:aws:iam::123456789012:role/x"`},
		{"iam:GetUser", "arn:aws:sts::123456789012:user/alice", `write "arn:aws:iam::123456789012:user/alice"`},
	} {
		doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":%q,"Resource":%q}}`, tc.action, tc.arn)
		found := false
		for _, f := range catFindings(lint.File("p.json", []byte(doc), policy.KindIdentity)) {
			if f.RuleID == "CAT010" {
				found = true
				if !strings.HasPrefix(f.Fix, tc.fix) {
					t.Errorf("%s: fix %q, want %q", tc.arn, f.Fix, tc.fix)
				}
			}
		}
		if !found {
			t.Errorf("%s: no CAT010", tc.arn)
		}
	}
}

// TestCatalogWholeServiceOfItsOwn: an action of no resource type is
// honoured on a whole service's entry only of its own service
// (arn:aws:s3:::* for s3:ListAllMyBuckets); another service's whole entry
// (arn:aws:s3:::* for iam:CreateAccountAlias) never matches one of its
// requests, CAT009. A README-only helper found mfa deciding the second.
func TestCatalogWholeServiceOfItsOwn(t *testing.T) {
	for _, tc := range []struct {
		action, resource string
		cat009           bool
	}{
		{"s3:ListAllMyBuckets", "arn:aws:s3:::*", false},
		{"iam:CreateAccountAlias", "arn:aws:iam::*:*", false},
		{"iam:CreateAccountAlias", "arn:aws:s3:::*", true},
		{"iam:CreateAccountAlias", "arn:aws:iam::*:user/*", true},
	} {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + tc.action + `","Resource":"` + tc.resource + `"}]}`
		got := false
		for _, f := range lint.File("p.json", []byte(doc), policy.KindIdentity) {
			got = got || f.RuleID == "CAT009"
		}
		if got != tc.cat009 {
			t.Errorf("%s on %s: CAT009 %v, want %v", tc.action, tc.resource, got, tc.cat009)
		}
	}
}
