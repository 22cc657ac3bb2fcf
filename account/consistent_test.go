package account_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/account"
)

// devS3 is a managed policy with two versions: v2 needs MFA to delete, v1
// allows all of S3. Which one is the default decides every answer.
func devS3(defaultVersion, v2Flag, v1Flag string) string {
	def := ""
	if defaultVersion != "" {
		def = `"DefaultVersionId": "` + defaultVersion + `", `
	}
	flag := func(f string) string {
		if f == "" {
			return ""
		}
		return `, "IsDefaultVersion": ` + f
	}
	return `{"Policies": [{"PolicyName": "DevS3", "Arn": "arn:aws:iam::123456789012:policy/DevS3", ` + def + `"PolicyVersionList": [
  {"VersionId": "v2"` + flag(v2Flag) + `, "Document": {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}}},
  {"VersionId": "v1"` + flag(v1Flag) + `, "Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}]}]}`
}

// TestManagedPolicyVersions pins how the default version of a managed
// policy is read. In get-account-authorization-details output,
// DefaultVersionId names "the version of the policy that is set as the
// default (operative) version" and PolicyVersionList flags that same
// version IsDefaultVersion true; a policy has exactly one default version.
// A dump where the two disagree is inconsistent: which document governs
// cannot be told, so it is an error naming the policy and the fields.
func TestManagedPolicyVersions(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string // parts of the error; none: loads with v2 as the default
	}{
		{"DefaultVersionId and IsDefaultVersion agree", devS3("v2", "true", "false"), nil},
		{"IsDefaultVersion left out: DefaultVersionId decides", devS3("v2", "", ""), nil},
		{"DefaultVersionId left out: the flagged version decides", devS3("", "true", "false"), nil},
		{"DefaultVersionId names one version, IsDefaultVersion flags another",
			devS3("v1", "true", "false"), []string{`managed policy "DevS3"`, `DefaultVersionId "v1"`, "IsDefaultVersion", "v2"}},
		{"IsDefaultVersion on a version other than DefaultVersionId",
			devS3("v2", "false", "true"), []string{`managed policy "DevS3"`, `DefaultVersionId "v2"`, "IsDefaultVersion", "v1"}},
		{"two versions flagged default",
			devS3("v2", "true", "true"), []string{`managed policy "DevS3"`, "IsDefaultVersion", "v2", "v1"}},
		{"the version DefaultVersionId names is flagged not default",
			devS3("v2", "false", "false"), []string{`managed policy "DevS3"`, `DefaultVersionId "v2"`, "IsDefaultVersion false"}},
		{"DefaultVersionId names a version the list does not hold",
			devS3("v3", "false", "false"), []string{`managed policy "DevS3"`, "PolicyVersionList has no default version"}},
		{"no DefaultVersionId and no version flagged",
			devS3("", "false", "false"), []string{`managed policy "DevS3"`, "PolicyVersionList has no default version"}},
		{"two versions with one VersionId",
			strings.Replace(devS3("v2", "true", "false"), `"VersionId": "v1"`, `"VersionId": "v2"`, 1), []string{`managed policy "DevS3"`, `VersionId "v2"`, "twice"}},
		{"IsDefaultVersion is a boolean",
			devS3("v2", `"true"`, "false"), []string{`managed policy "DevS3"`, "IsDefaultVersion must be true or false"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := account.Load("dump.json", []byte(tc.data))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				doc := a.Policies["arn:aws:iam::123456789012:policy/DevS3"].Document
				if !strings.Contains(string(doc.Source), "Deny") {
					t.Errorf("the default version read is not v2: %s", doc.Source)
				}
				return
			}
			if err == nil {
				t.Fatal("an inconsistent dump loads")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestEntityFields pins the loader's reading of the entities' fields. Every
// field the AWS CLI prints for a UserDetail, GroupDetail, RoleDetail and
// ManagedPolicyDetail (and their policy, tag, boundary and version members)
// is accepted; a field it never prints is a misspelling that would silently
// drop what it holds (a policy list, a boundary), so it is an error naming
// the entity and the field, as is a field of the wrong JSON type. What the
// entities say of themselves must agree: an entity's ARN names it (its type,
// its Path and its name), a boundary names its policy, an attachment names
// a managed policy by the name the policy has, and a principal's tag keys
// are unique.
func TestEntityFields(t *testing.T) {
	const acct = "123456789012"
	user := func(fields string) string {
		return `{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::` + acct + `:user/a"` + fields + `}]}`
	}
	role := func(fields string) string {
		return `{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::` + acct + `:role/r", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}` + fields + `}]}`
	}
	const s3 = `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}`
	policyP := `{"PolicyName": "P", "PolicyId": "ANPA0000000000000001", "Arn": "arn:aws:iam::` + acct + `:policy/P", "Path": "/", "DefaultVersionId": "v1",
  "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 1, "IsAttachable": true, "Description": "d", "CreateDate": "2024-01-01T00:00:00+00:00", "UpdateDate": "2024-01-01T00:00:00+00:00",
  "PolicyVersionList": [{"Document": ` + s3 + `, "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2024-01-01T00:00:00+00:00"}]}`
	tests := []struct {
		name, data string
		want       []string // parts of the error; none: the dump loads
	}{
		{"a user as the AWS CLI prints it",
			`{"UserDetailList": [{"Path": "/eng/", "UserName": "a", "UserId": "AIDA0000000000000001", "Arn": "arn:aws:iam::` + acct + `:user/eng/a", "CreateDate": "2024-01-01T00:00:00+00:00",
  "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": ` + s3 + `}], "GroupList": ["g"],
  "AttachedManagedPolicies": [{"PolicyName": "P", "PolicyArn": "arn:aws:iam::` + acct + `:policy/P"}],
  "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::` + acct + `:policy/P"},
  "Tags": [{"Key": "team", "Value": "ops"}, {"Key": "cost-center", "Value": ""}]}],
 "GroupDetailList": [{"Path": "/", "GroupName": "g", "GroupId": "AGPA0000000000000001", "Arn": "arn:aws:iam::` + acct + `:group/g", "CreateDate": "2024-01-01T00:00:00+00:00",
  "GroupPolicyList": [], "AttachedManagedPolicies": []}],
 "Policies": [` + policyP + `]}`, nil},
		{"a role as the AWS CLI prints it",
			`{"RoleDetailList": [{"Path": "/service-role/", "RoleName": "r", "RoleId": "AROA0000000000000001", "Arn": "arn:aws:iam::` + acct + `:role/service-role/r", "CreateDate": "2024-01-01T00:00:00+00:00",
  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}},
  "InstanceProfileList": [{"Path": "/", "InstanceProfileName": "r", "InstanceProfileId": "AIPA0000000000000001", "Arn": "arn:aws:iam::` + acct + `:instance-profile/r", "CreateDate": "2024-01-01T00:00:00+00:00", "Roles": []}],
  "RolePolicyList": [], "AttachedManagedPolicies": [], "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::` + acct + `:policy/P"},
  "Tags": [{"Key": "team", "Value": "ops"}], "RoleLastUsed": {"LastUsedDate": "2024-05-01T10:00:00+00:00", "Region": "eu-west-1"}}],
 "Policies": [` + policyP + `]}`, nil},
		{"an AWS managed policy, in account aws with its path",
			`{"Policies": [{"PolicyName": "AWSLambdaBasicExecutionRole", "Arn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "Path": "/service-role/", "DefaultVersionId": "v1",
  "PolicyVersionList": [{"Document": ` + s3 + `, "VersionId": "v1", "IsDefaultVersion": true}]}]}`, nil},
		{"a field the AWS CLI never prints (a misspelt policy list)",
			user(`, "UserPolicies": [{"PolicyName": "p", "PolicyDocument": ` + s3 + `}]`), []string{`user "a"`, `unknown field "UserPolicies"`}},
		{"a misspelt field of a role",
			role(`, "PermissionBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::` + acct + `:policy/P"}`), []string{`role "r"`, `unknown field "PermissionBoundary"`}},
		{"a misspelt field of an inline policy",
			user(`, "UserPolicyList": [{"PolicyName": "p", "Document": ` + s3 + `}]`), []string{`user "a"`, `UserPolicyList[0]`, `unknown field "Document"`}},
		{"a misspelt field of a managed policy",
			`{"Policies": [{"PolicyName": "P", "Arn": "arn:aws:iam::` + acct + `:policy/P", "DefaultVersion": "v1", "PolicyVersionList": [{"Document": ` + s3 + `, "VersionId": "v1", "IsDefaultVersion": true}]}]}`,
			[]string{`managed policy "P"`, `unknown field "DefaultVersion"`}},
		{"a list field that is not a list",
			user(`, "GroupList": "admins"`), []string{`user "a"`, "GroupList must be a list"}},
		{"a string field that is not a string",
			user(`, "UserId": 7`), []string{`user "a"`, "UserId must be a string"}},
		{"a tag without a key",
			user(`, "Tags": [{"Value": "ops"}]`), []string{`user "a"`, "Tags[0]", "Key"}},
		{"a tag key twice, whatever its case",
			user(`, "Tags": [{"Key": "team", "Value": "ops"}, {"Key": "Team", "Value": "dev"}]`), []string{`user "a"`, "Tags[1]", `"Team"`, "twice"}},
		{"an ARN that names another user",
			`{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::` + acct + `:user/b"}]}`, []string{`user "a"`, `Arn "arn:aws:iam::` + acct + `:user/b"`, "does not name"}},
		{"an ARN of another type",
			`{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::` + acct + `:role/a"}]}`, []string{`user "a"`, "does not name"}},
		{"an ARN without the entity's Path",
			`{"RoleDetailList": [{"Path": "/service-role/", "RoleName": "r", "Arn": "arn:aws:iam::` + acct + `:role/r", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}}]}`,
			[]string{`role "r"`, "Path", "does not name"}},
		{"a group of another account",
			`{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::` + acct + `:user/a"}], "GroupDetailList": [{"GroupName": "g", "Arn": "arn:aws:iam::999999999999:group/g"}]}`,
			[]string{`group "g"`, "999999999999"}},
		{"a managed policy whose ARN names another policy",
			`{"Policies": [{"PolicyName": "P", "Arn": "arn:aws:iam::` + acct + `:policy/Q", "DefaultVersionId": "v1", "PolicyVersionList": [{"Document": ` + s3 + `, "VersionId": "v1", "IsDefaultVersion": true}]}]}`,
			[]string{`managed policy "P"`, "does not name"}},
		{"a boundary that names no policy",
			user(`, "PermissionsBoundary": {"PermissionsBoundaryType": "Policy"}`), []string{`user "a"`, "PermissionsBoundary.PermissionsBoundaryArn"}},
		{"an attachment naming a managed policy by another name",
			`{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::` + acct + `:user/a", "AttachedManagedPolicies": [{"PolicyName": "Other", "PolicyArn": "arn:aws:iam::` + acct + `:policy/P"}]}],
 "Policies": [` + policyP + `]}`, []string{`user "a"`, "AttachedManagedPolicies", `"Other"`, `"P"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := account.Load("dump.json", []byte(tc.data))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("a dump as the AWS CLI prints it is refused: %v", err)
				}
				return
			}
			if a != nil || err == nil {
				t.Fatal("the dump loads")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
