// Package accounttest generates synthetic account snapshots for tests and
// benchmarks of package account and of the iameval CLI.
//
// CLIDump writes what "aws iam get-account-authorization-details" prints
// through the AWS CLI: one page, indented by four spaces, every policy
// document a JSON object (the API's URL-encoded strings decoded). The
// generator is deterministic: the same size gives the same bytes.
package accounttest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// AccountID is the account of every generated entity.
const AccountID = "123456789012"

// Sizes are the entity counts of a generated dump.
type Sizes struct {
	Users, Groups, Roles, Policies int
}

// SizesFor returns the entity counts CLIDump writes for users users: a group
// per 100 users plus 10, a role per 10 users (at least 5), and a managed
// policy per 50 users plus 50. Every count grows linearly with users.
func SizesFor(users int) Sizes {
	return Sizes{
		Users:    users,
		Groups:   10 + users/100,
		Roles:    max(5, users/10),
		Policies: 50 + users/50,
	}
}

// The entities, with their fields in the order the AWS CLI prints them. The
// documents are json.RawMessage so that MarshalIndent lays them out as
// objects like the rest.

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type inlinePolicy struct {
	PolicyName     string          `json:"PolicyName"`
	PolicyDocument json.RawMessage `json:"PolicyDocument"`
}

type attachedPolicy struct {
	PolicyName string `json:"PolicyName"`
	PolicyArn  string `json:"PolicyArn"`
}

type boundary struct {
	PermissionsBoundaryType string `json:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `json:"PermissionsBoundaryArn"`
}

type user struct {
	Path                    string           `json:"Path"`
	UserName                string           `json:"UserName"`
	UserID                  string           `json:"UserId"`
	Arn                     string           `json:"Arn"`
	CreateDate              string           `json:"CreateDate"`
	UserPolicyList          []inlinePolicy   `json:"UserPolicyList"`
	GroupList               []string         `json:"GroupList"`
	AttachedManagedPolicies []attachedPolicy `json:"AttachedManagedPolicies"`
	PermissionsBoundary     *boundary        `json:"PermissionsBoundary,omitempty"`
	Tags                    []tag            `json:"Tags"`
}

type group struct {
	Path                    string           `json:"Path"`
	GroupName               string           `json:"GroupName"`
	GroupID                 string           `json:"GroupId"`
	Arn                     string           `json:"Arn"`
	CreateDate              string           `json:"CreateDate"`
	GroupPolicyList         []inlinePolicy   `json:"GroupPolicyList"`
	AttachedManagedPolicies []attachedPolicy `json:"AttachedManagedPolicies"`
}

type role struct {
	Path                     string           `json:"Path"`
	RoleName                 string           `json:"RoleName"`
	RoleID                   string           `json:"RoleId"`
	Arn                      string           `json:"Arn"`
	CreateDate               string           `json:"CreateDate"`
	AssumeRolePolicyDocument json.RawMessage  `json:"AssumeRolePolicyDocument"`
	InstanceProfileList      []struct{}       `json:"InstanceProfileList"`
	RolePolicyList           []inlinePolicy   `json:"RolePolicyList"`
	AttachedManagedPolicies  []attachedPolicy `json:"AttachedManagedPolicies"`
	PermissionsBoundary      *boundary        `json:"PermissionsBoundary,omitempty"`
	Tags                     []tag            `json:"Tags"`
	RoleLastUsed             struct{}         `json:"RoleLastUsed"`
}

type policyVersion struct {
	Document         json.RawMessage `json:"Document"`
	VersionID        string          `json:"VersionId"`
	IsDefaultVersion bool            `json:"IsDefaultVersion"`
	CreateDate       string          `json:"CreateDate"`
}

type policy struct {
	PolicyName                    string          `json:"PolicyName"`
	PolicyID                      string          `json:"PolicyId"`
	Arn                           string          `json:"Arn"`
	Path                          string          `json:"Path"`
	DefaultVersionID              string          `json:"DefaultVersionId"`
	AttachmentCount               int             `json:"AttachmentCount"`
	PermissionsBoundaryUsageCount int             `json:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool            `json:"IsAttachable"`
	CreateDate                    string          `json:"CreateDate"`
	UpdateDate                    string          `json:"UpdateDate"`
	PolicyVersionList             []policyVersion `json:"PolicyVersionList"`
}

const date = "2024-01-01T00:00:00+00:00"

func doc(statements ...string) json.RawMessage {
	return json.RawMessage(`{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`)
}

func policyARN(i int) string { return fmt.Sprintf("arn:aws:iam::%s:policy/P%d", AccountID, i) }

func attach(ids ...int) []attachedPolicy {
	out := []attachedPolicy{}
	for _, i := range ids {
		out = append(out, attachedPolicy{PolicyName: fmt.Sprintf("P%d", i), PolicyArn: policyARN(i)})
	}
	return out
}

// managedDocument is the default version of managed policy i: one of five
// shapes (team bucket access, a force-MFA deny, an EC2 operator policy with
// a broken Bool MFA deny, self-service IAM with IP and MFA-age conditions, a
// regional policy that also serves as permissions boundary).
func managedDocument(i int) json.RawMessage {
	switch i % 5 {
	case 0:
		return doc(
			fmt.Sprintf(`{"Sid":"TeamBucket%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject","s3:ListBucket"],"Resource":["arn:aws:s3:::team-%d","arn:aws:s3:::team-%d/*"]}`, i, i, i),
			`{"Sid":"DenyDeleteWithoutMFA","Effect":"Deny","Action":["s3:DeleteObject","s3:DeleteBucket"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`)
	case 1:
		return doc(`{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`)
	case 2:
		return doc(
			fmt.Sprintf(`{"Sid":"EC2Ops%d","Effect":"Allow","Action":["ec2:Describe*","ec2:StartInstances","ec2:StopInstances","ec2:TerminateInstances","ec2:RunInstances"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]}}}`, i),
			`{"Sid":"BrokenDeny","Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}`)
	case 3:
		return doc(
			fmt.Sprintf(`{"Sid":"IAMSelf%d","Effect":"Allow","Action":["iam:CreateAccessKey","iam:DeleteAccessKey","iam:ListAccessKeys","iam:ChangePassword","iam:GetUser"],"Resource":"arn:aws:iam::*:user/${aws:username}"}`, i),
			`{"Sid":"RecentMFAForKeys","Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"*","Condition":{"NumericGreaterThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}}`,
			`{"Sid":"OfficeOnlyPasswords","Effect":"Deny","Action":"iam:ChangePassword","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}}`)
	default:
		return doc(
			`{"Sid":"Regional","Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1","us-east-1"]}}}`,
			fmt.Sprintf(`{"Sid":"GlobalReads%d","Effect":"Allow","Action":["iam:Get*","iam:List*","sts:AssumeRole","sts:GetCallerIdentity"],"Resource":"*"}`, i))
	}
}

// boundaryPolicy is a managed policy of shape 4 (the regional policy), the
// permissions boundary of entity i.
func boundaryPolicy(i, policies int) int {
	return 5*(i%(policies/5)) + 4
}

// trustDocument is role i's trust policy: a service role, a cross-account
// role that asks for MFA, or a SAML-federated role.
func trustDocument(i int) json.RawMessage {
	switch i % 3 {
	case 0:
		services := []string{"ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"}
		return doc(fmt.Sprintf(`{"Effect":"Allow","Principal":{"Service":%q},"Action":"sts:AssumeRole"}`, services[i%len(services)]))
	case 1:
		return doc(fmt.Sprintf(`{"Sid":"AdminsWithMFA","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::%s:root","arn:aws:iam::%s:user/user%d"]},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}`, AccountID, AccountID, i))
	default:
		return doc(fmt.Sprintf(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::%s:saml-provider/Corp"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}`, AccountID))
	}
}

func managedPolicy(i int, n Sizes) policy {
	return policy{
		PolicyName: fmt.Sprintf("P%d", i), PolicyID: fmt.Sprintf("ANPA%016d", i), Arn: policyARN(i), Path: "/",
		DefaultVersionID: "v2", AttachmentCount: 1, IsAttachable: true, CreateDate: date, UpdateDate: date,
		PolicyVersionList: []policyVersion{
			{Document: managedDocument(i), VersionID: "v2", IsDefaultVersion: true, CreateDate: date},
			{Document: doc(`{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}`), VersionID: "v1", CreateDate: date},
		},
	}
}

func groupAt(g int, n Sizes) group {
	return group{
		Path: "/", GroupName: fmt.Sprintf("g%d", g), GroupID: fmt.Sprintf("AGPA%016d", g),
		Arn: fmt.Sprintf("arn:aws:iam::%s:group/g%d", AccountID, g), CreateDate: date,
		GroupPolicyList: []inlinePolicy{{PolicyName: "GroupBucket", PolicyDocument: doc(
			fmt.Sprintf(`{"Sid":"GroupBucket","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::group-%d","arn:aws:s3:::group-%d/*"]}`, g, g),
			`{"Sid":"DenyBucketDelete","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}`)}},
		AttachedManagedPolicies: attach(g%n.Policies, (g+1)%n.Policies, (g+2)%n.Policies),
	}
}

func userAt(u int, n Sizes) user { return userWith(u, n, Options{}) }

func userWith(u int, n Sizes, o Options) user {
	inline := []inlinePolicy{{PolicyName: "Home", PolicyDocument: doc(
		fmt.Sprintf(`{"Sid":"HomePrefix","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::home/user%d/*"}`, u),
		`{"Sid":"ListHome","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::home","Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}}`)}}
	if u%3 == 0 {
		inline = append(inline, inlinePolicy{PolicyName: "ForceMFA", PolicyDocument: doc(
			`{"Sid":"DenyWithoutMFA","Effect":"Deny","NotAction":["iam:ChangePassword","iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`)})
	}
	if o.Copies && u%4 == 1 {
		inline = append(inline, inlinePolicy{PolicyName: "SelfService", PolicyDocument: doc(
			`{"Sid":"OwnKeysAndMFA","Effect":"Allow","Action":["iam:CreateAccessKey","iam:DeleteAccessKey","iam:UpdateAccessKey","iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:DeactivateMFADevice"],"Resource":["arn:aws:iam::*:user/${aws:username}","arn:aws:iam::*:mfa/${aws:username}"]}`,
			`{"Sid":"AssumeTeamRoles","Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/*"}`)})
	}
	if o.Copies && u%4 == 2 {
		inline = append(inline, inlinePolicy{PolicyName: "DevTools", PolicyDocument: doc(
			`{"Sid":"Functions","Effect":"Allow","Action":["lambda:*","logs:*"],"Resource":"*"}`,
			`{"Sid":"DenyWithoutMFA","Effect":"Deny","NotAction":["iam:ChangePassword","iam:GetUser","sts:GetSessionToken"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}`)})
	}
	if o.Admins && u%25 == 3 {
		inline = append(inline, inlinePolicy{PolicyName: "Admin", PolicyDocument: doc(
			`{"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"}`)})
	}
	if o.Admins && u%25 == 8 {
		inline = append(inline, inlinePolicy{PolicyName: "PowerUser", PolicyDocument: doc(
			`{"Sid":"AllButIdentity","Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}`,
			`{"Sid":"OwnIdentity","Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization","account:ListRegions"],"Resource":"*"}`)})
	}
	us := user{
		Path: "/", UserName: fmt.Sprintf("user%d", u), UserID: fmt.Sprintf("AIDA%016d", u),
		Arn: fmt.Sprintf("arn:aws:iam::%s:user/user%d", AccountID, u), CreateDate: date,
		UserPolicyList:          inline,
		GroupList:               []string{fmt.Sprintf("g%d", u%n.Groups), fmt.Sprintf("g%d", (u+3)%n.Groups)},
		AttachedManagedPolicies: attach(u%n.Policies, (u+7)%n.Policies),
		Tags:                    []tag{{Key: "team", Value: fmt.Sprintf("team-%d", u%n.Groups)}},
	}
	if u%5 == 0 {
		us.PermissionsBoundary = &boundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: policyARN(boundaryPolicy(u, n.Policies))}
	}
	return us
}

func roleAt(r int, n Sizes) role { return roleWith(r, n, Options{}) }

func roleWith(r int, n Sizes, o Options) role {
	path := "/"
	if r%4 == 1 {
		path = "/service-role/"
	}
	ro := role{
		Path: path, RoleName: fmt.Sprintf("role%d", r), RoleID: fmt.Sprintf("AROA%016d", r),
		Arn: fmt.Sprintf("arn:aws:iam::%s:role%srole%d", AccountID, path, r), CreateDate: date,
		AssumeRolePolicyDocument: trustDocument(r), InstanceProfileList: []struct{}{},
		RolePolicyList: []inlinePolicy{{PolicyName: "Deploy", PolicyDocument: doc(
			fmt.Sprintf(`{"Sid":"Artifacts","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::artifacts-%d/*"}`, r),
			`{"Sid":"NoProductionDeletes","Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::production/*"}`,
			`{"Sid":"PassOwnRoles","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/service-role/*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}`)}},
		AttachedManagedPolicies: attach((r*3)%n.Policies, (r*3+2)%n.Policies),
		Tags:                    []tag{},
	}
	if o.Copies && r%5 == 3 {
		ro.AssumeRolePolicyDocument = doc(fmt.Sprintf(`{"Sid":"Chain","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::%s:role/role%d","arn:aws:iam::%s:user/user%d"]},"Action":"sts:AssumeRole"}`, AccountID, r-1, AccountID, r))
	}
	if o.Copies && r%2 == 0 {
		ro.RolePolicyList = append(ro.RolePolicyList, inlinePolicy{PolicyName: "Tables", PolicyDocument: doc(
			`{"Sid":"TablesWithMFA","Effect":"Allow","Action":["dynamodb:*"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`)})
	}
	if o.Undecided && r%7 == 6 {
		ro.AssumeRolePolicyDocument = doc(fmt.Sprintf(`{"Sid":"OfficeOnly","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`, AccountID))
	}
	if r%4 == 0 {
		ro.PermissionsBoundary = &boundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: policyARN(boundaryPolicy(r, n.Policies))}
	}
	return ro
}

// CLIDump returns a dump of an account with users users and the groups,
// roles and managed policies of SizesFor(users), as the AWS CLI prints it.
//
// Each user has one or two inline policies, is in two groups, has two
// managed policies attached directly and, one user in five, a permissions
// boundary. Each group has an inline policy and three managed policies; each
// role a trust policy (service, cross-account with MFA, or SAML), an inline
// policy, two managed policies and, one role in four, a boundary. Each
// managed policy has two versions, the second the default. Every reference
// resolves, so the dump loads.
//
// The dump is written entity by entity: building it takes little memory
// beyond the result's.
func CLIDump(users int) []byte { return CLIDumpWith(users, Options{}) }

// Options add to what CLIDump writes.
type Options struct {
	// Copies gives entities copies of the same inline policies, as
	// accounts made from templates have: one user in four a SelfService
	// policy (its own access keys and MFA device by ${aws:username}, and
	// sts:AssumeRole on the account's roles), one in four a DevTools
	// policy (lambda and logs, and a force-MFA Deny whose Bool long-term
	// keys slip past); every other role a Tables policy (DynamoDB only
	// with MFA, which no role session has), and one role in five a trust
	// policy naming the role before it and a user (role chains), without
	// MFA.
	Copies bool
	// Admins gives one user in 25 an AdministratorAccess-like inline
	// policy (every action on every resource) and one in 25 a
	// PowerUserAccess-like one (every action but iam's, organizations'
	// and account's, and a few of theirs); with the force-MFA policy of
	// one user in three, some of them need MFA and some do not.
	Admins bool
	// Undecided gives one role in seven a trust policy that admits the
	// account's principals from one network only (aws:SourceIp), without
	// MFA: whether a caller can assume it is undecided, as the source
	// address is not in the dump.
	Undecided bool
}

// CLIDumpWith is CLIDump with the additions of o.
func CLIDumpWith(users int, o Options) []byte {
	n := SizesFor(users)
	var b bytes.Buffer
	b.WriteString("{\n")
	list := func(name string, count int, item func(i int, n Sizes) any) {
		fmt.Fprintf(&b, "    %q: [", name)
		for i := 0; i < count; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			data, err := json.MarshalIndent(item(i, n), "        ", "    ")
			if err != nil {
				panic(err) // the values are plain data: Marshal cannot fail
			}
			b.WriteString("\n        ")
			b.Write(data)
		}
		if count > 0 {
			b.WriteString("\n    ")
		}
		b.WriteString("],\n")
	}
	list("UserDetailList", n.Users, func(i int, n Sizes) any { return userWith(i, n, o) })
	list("GroupDetailList", n.Groups, func(i int, n Sizes) any { return groupAt(i, n) })
	list("RoleDetailList", n.Roles, func(i int, n Sizes) any { return roleWith(i, n, o) })
	list("Policies", n.Policies, func(i int, n Sizes) any { return managedPolicy(i, n) })
	b.WriteString("    \"IsTruncated\": false\n}\n")
	return b.Bytes()
}

//go:embed write-actions.txt
var writeActions string

// WriteActions returns 500 Write and Permissions-management actions of
// iam, sts, s3, ec2, lambda, kms, dynamodb, sqs, sns, cloudformation,
// secretsmanager, organizations, cloudtrail and logs, in the order of
// write-actions.txt: a stand-in for the lists the action catalogue will
// give, the workload of mfa --account with every such action.
func WriteActions() []string {
	var out []string
	for _, l := range strings.Split(writeActions, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}
