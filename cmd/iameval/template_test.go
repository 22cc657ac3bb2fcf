package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// templateDump is an account whose users hold copies of the same inline
// policies with their own names written in (a home prefix) or read
// (${aws:username}), beside a group policy whose statements tell some names
// apart: a prefix of some names (home/user1*), one user's name written
// literally, a wildcard after a byte that catalog.InstanceAvoiding may
// invent (home/x*), a '?', a name of the catalogue's placeholders
// (objectname), conditions on aws:username and aws:PrincipalArn, and
// users whose names are prefixes of others, differ in case, overlap
// themselves (anna), or are written with a JSON escape.
func templateDump() string {
	names := []string{"user1", "user10", "user12", "user2", "user3", "bob", "bobby", "Bob", "carol", "adm1", "admin",
		"xavier", "xena", "objectname", "bucketname", "usernamewithpath", "ann", "anna", "u", "dave", "eve", "fred",
		"q1", "q2", "q3", "z9", "z8", "5a", "tom", "tim"}
	var users []string
	for i, n := range names {
		home := fmt.Sprintf("arn:aws:s3:::home/%s/*", n)
		if n == "fred" {
			home = `arn:aws:s3:::home/fr\u0065d/*`
		}
		extra := ""
		if n == "dave" {
			extra = `, "arn:aws:s3:::home/eve/*"`
		}
		force := ""
		if i%3 == 0 {
			force = `, {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}`
		}
		path := "/"
		if i%4 == 1 {
			path = "/team/"
		}
		users = append(users, fmt.Sprintf(`{"UserName": %q, "UserId": "AIDA%04d", "Arn": "arn:aws:iam::123456789012:user%s%s", "Path": %q,
     "UserPolicyList": [{"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": ["%s"%s]},
       {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::home", "Condition": {"StringLike": {"s3:prefix": ["${aws:username}/*"]}}},
       {"Effect": "Allow", "Action": ["iam:CreateAccessKey", "iam:ChangePassword"], "Resource": "arn:aws:iam::*:user%s${aws:username}"}%s]}}],
     "GroupList": ["G"], "AttachedManagedPolicies": [], "Tags": [{"Key": "team", "Value": "t%d"}]}`,
			n, i, path, n, path, home, extra, path, force, i%2))
	}
	return `{
  "UserDetailList": [
    ` + strings.Join(users, ",\n    ") + `
  ],
  "GroupDetailList": [
    {"GroupName": "G", "GroupId": "AGPAG", "Arn": "arn:aws:iam::123456789012:group/G", "Path": "/",
     "GroupPolicyList": [{"PolicyName": "Edges", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::home/user1*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
       {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::home/bob/*"},
       {"Effect": "Deny", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::home/x*", "arn:aws:s3:::home/q?/*", "arn:aws:s3:::home/objectname/*"], "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
       {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/*/z*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
       {"Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": "*", "Condition": {"StringLike": {"aws:username": "adm*"}, "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
       {"Effect": "Deny", "Action": "iam:ChangePassword", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:user/carol"}, "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
       {"Effect": "Deny", "Action": "iam:ChangePassword", "Resource": "arn:aws:iam::*:user/t*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}}],
     "AttachedManagedPolicies": []}
  ],
  "RoleDetailList": [],
  "Policies": []
}`
}

// TestMFAAccountTemplatesAsEachPrincipal: users whose requests differ only
// in their own names share answers (account.Classifier.TemplateClass),
// carried over renamed; the output is byte for byte what deciding each
// user alone gives, for names and statements built to tell names apart.
func TestMFAAccountTemplatesAsEachPrincipal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tpl.json")
	if err := os.WriteFile(path, []byte(templateDump()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"table", "json"} {
		sameAsEachPrincipal(t, "mfa", "--account", path, "--action",
			"s3:GetObject,s3:PutObject,s3:DeleteObject,s3:ListBucket,iam:CreateAccessKey,iam:ChangePassword", "--output", format)
	}
}

// templatePair is a dump of two users whose one inline statement allows
// action on resource, and more statements, with NAME written as each
// user's name: the first user's answer is the one carried over when one
// worker analyses them in order.
func templatePair(first, second, action, resource string, more ...string) string {
	stmts := fmt.Sprintf(`{"Effect": "Allow", "Action": %q, "Resource": %q}`, action, resource)
	for _, m := range more {
		stmts += ",\n       " + m
	}
	return templatePairDoc(first, second, "2012-10-17", stmts)
}

// templatePairDoc is templatePair with the policy's Version and
// statements (NAME written as each user's name) given.
func templatePairDoc(first, second, version, statements string) string {
	var users []string
	for i, n := range []string{first, second} {
		users = append(users, fmt.Sprintf(`{"UserName": %q, "UserId": "AIDA%d", "Arn": "arn:aws:iam::123456789012:user/%s", "Path": "/",
     "UserPolicyList": [{"PolicyName": "P", "PolicyDocument": {"Version": %q, "Statement": [
       %s]}}],
     "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}`, n, i, n, version, strings.ReplaceAll(statements, "NAME", n)))
	}
	return `{"UserDetailList": [` + strings.Join(users, ",") + `], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`
}

// TestMFAAccountTemplatesFieldsAndLayout pins what a breaker found: a
// name that is a partition, region or service the instances are filled
// with (aws, us, airflow) was replaced there too when carried over
// (arn:carl:s3:::..., carl-east-1); and where a name between wildcards lands in an instance
// (a bucket name or an object name) depends on its length and bytes, so
// that the instance of *judy* carried over to z was not z's. Each is
// decided by one worker, the first user first, as each user alone.
func TestMFAAccountTemplatesFieldsAndLayout(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, c := range []struct {
		first, second, action, resource string
		more                            []string
	}{
		{"aws", "bob", "s3:GetObject", "arn:*:s3:::b/NAME/*", nil},
		{"us", "ab", "sqs:SendMessage", "arn:aws:sqs:*:123456789012:NAME", nil},
		{"east", "carl", "sqs:SendMessage", "arn:aws:sqs:*:123456789012:NAME", nil},
		{"sqs", "carl", "sqs:SendMessage", "arn:aws:*:us-east-1:123456789012:NAME", nil},
		{"airflow", "carlosm", "airflow:CreateCliToken", "arn:aws:*:us-east-1:123456789012:environment/NAME", nil},
		{"judy", "z", "s3:GetObject", "arn:aws:s3:::*NAME*", nil},
		{"z", "judy", "s3:GetObject", "arn:aws:s3:::*NAME*", nil},
		{"ab", "c-d", "s3:GetObject", "arn:aws:s3:::*NAME*", nil},
		{"ab", "AB", "s3:GetObject", "arn:aws:s3:::*NAME*", nil},
		// names of other lengths, bounded by literal bytes (a class
		// shared), or of one shape beside wildcards; names of other
		// lengths beside wildcards share nothing
		{"ulf", "ulrich", "s3:GetObject", "arn:aws:s3:::home/NAME/*", nil},
		{"ulf", "ulrich", "s3:GetObject", "arn:aws:s3:::*-NAME-data/*", nil},
		{"ulrich", "ulf", "s3:PutObject", "arn:aws:s3:::NAME-bucket/*", nil},
		{"ulf", "ulrich", "s3:GetObject", "arn:aws:s3:::b/*/NAME", nil},
		{"ulf", "ulrich", "iam:CreateAccessKey", "arn:aws:iam::*:user/${aws:username}", nil},
		{"ulf", "ulrich", "sqs:SendMessage", "arn:aws:sqs:*:123456789012:NAME-q*", nil},
		{"bob7", "ivy7", "s3:GetObject", "arn:aws:s3:::*NAME*", nil},
		{"ivy7", "bob7", "s3:GetObject", "arn:aws:s3:::*NAME/*", nil},
		{"ulf", "ulrich", "s3:GetObject", "arn:aws:s3:::*NAME*", nil},
		// names ending in digits, which share a class now that the
		// account placeholder 123456789012 is no longer among the texts a
		// resource part is filled with (catalog.Action.Vocabulary)
		{"dev1", "ops1", "s3:GetObject", "arn:aws:s3:::home/NAME/*", nil},
		{"ops12", "dev12", "iam:CreateAccessKey", "arn:aws:iam::*:user/${aws:username}", nil},
		{"q1", "r1", "sqs:SendMessage", "arn:aws:sqs:*:123456789012:NAME*", nil},
		{"q1", "r1", "s3:GetObject", "arn:aws:s3:::*NAME", nil},
		// a row on a made-up account quotes the entry it was made from:
		// the member's own, not the first member's (rows of one class
		// share an answer whatever their Resource entries)
		{"alice", "bob", "sqs:SendMessage", "arn:aws:sqs:*:*99:NAME*", nil},
		{"bob", "alice", "lex:DeleteBot", "arn:aws:lex:*:*99:bot*NAME*", nil},
		// a resource made to miss a Deny that names the user begins with a
		// byte neither writes: y for xena, x for bena
		{"xena", "bena", "s3:GetObject", "arn:aws:s3:::home/NAME/*", []string{
			`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/NAME/o*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}`}},
		// the same with ${aws:username}, which the avoided entries are
		// rendered with: x for bulf, y for xulf
		{"xulf", "bulf", "s3:GetObject", "arn:aws:s3:::home/${aws:username}/*", []string{
			`{"Effect": "Deny", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::home/${aws:username}/", "arn:aws:s3:::home/${aws:username}/o*"], "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}`}},
		// ${aws:username} where no variable is read (before the resource
		// part) is text, in which a name (user) may lie
		{"user", "ulf", "sqs:SendMessage", "arn:aws:sqs:us-east-1:${aws:username}:q", []string{
			`{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:NAME"}`}},
		{"user", "ulf", "sqs:SendMessage", "arn:aws:sqs:${aws:username}:123456789012:q", []string{
			`{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:NAME"}`}},
	} {
		path := filepath.Join(t.TempDir(), "pair.json")
		if err := os.WriteFile(path, []byte(templatePair(c.first, c.second, c.action, c.resource, c.more...)), 0o644); err != nil {
			t.Fatal(err)
		}
		sameAsEachPrincipal(t, "mfa", "--account", path, "--action", c.action, "--output", "json")
	}
	// the caller's partition, which fills an open one, may hold the name
	path := filepath.Join(t.TempDir(), "partition.json")
	doc := strings.ReplaceAll(templatePair("ulf", "uzz", "s3:GetObject", "arn:*:s3:::home/NAME/*"),
		"arn:aws:iam::123456789012:user/", "arn:aws-ulf:iam::123456789012:user/")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	sameAsEachPrincipal(t, "mfa", "--account", path, "--action", "s3:GetObject", "--output", "json")
	// under Version 2008-10-17 no variable is read: ${aws:username} is text
	path = filepath.Join(t.TempDir(), "v2008.json")
	doc = templatePairDoc("user", "ulf", "2008-10-17",
		`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::home/${aws:username}", "arn:aws:s3:::b/NAME/*"]}`)
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	sameAsEachPrincipal(t, "mfa", "--account", path, "--action", "s3:GetObject", "--output", "json")
}

// TestMFAAccountCatalogueCountOnce: with the actions from the catalogue,
// the count of actions a principal's policies can allow is said once when
// every principal has as many ("3 a principal", not "3 to 3 a
// principal"), as a range otherwise.
func TestMFAAccountCatalogueCountOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "one.json")
	if err := os.WriteFile(path, []byte(templatePair("ulf", "ulrich", "s3:PutObject", "arn:aws:s3:::home/NAME/*")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCLI(t, "mfa", "--account", path)
	flat := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(flat, "can allow, 1 a principal,") || strings.Contains(flat, "1 to 1 a principal") {
		t.Errorf("want the count said once:\n%s", out)
	}
	path2 := filepath.Join(t.TempDir(), "two.json")
	two := strings.Replace(templatePair("ulf", "ulrich", "s3:PutObject", "arn:aws:s3:::home/NAME/*"),
		`"Action": "s3:PutObject"`, `"Action": ["s3:PutObject", "s3:DeleteObject"]`, 1)
	if err := os.WriteFile(path2, []byte(two), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ = runCLI(t, "mfa", "--account", path2)
	if flat := strings.Join(strings.Fields(out), " "); !strings.Contains(flat, "can allow, 1 to 2 a principal,") {
		t.Errorf("want a range:\n%s", out)
	}
}
