package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMFAAccountRowsChangeNothing: the requests of an action whose class
// only one principal can be in (its own home prefix) are decided once per
// class of single requests (account.Classifier.RowClass) and carried over
// to every principal whose policies decide that request alike: the output
// is that of deciding every principal itself, byte for byte, in every
// format. The users share a managed policy on a team bucket and hold
// copies of one Deny under names of their own (the statements a carried
// answer names must be the principal's own copies: a bypass of bob's Deny
// is bob's, not alice's), one a statement with ${aws:username} in its
// Resource, one a NotResource, one a condition on a key not given, one a
// boundary; two users whose tags the dump does not give, one with a
// statement on another bucket whose Resource reads a tag (a request
// without the tag depends on it, whatever bucket it names) and one with a
// condition on that tag; a role holds its own prefix too.
func TestMFAAccountRowsChangeNothing(t *testing.T) {
	inRoot(t)
	dump := filepath.Join(t.TempDir(), "rows.json")
	if err := os.WriteFile(dump, []byte(rowsDump), 0o644); err != nil {
		t.Fatal(err)
	}
	runs := [][]string{
		{"--account", dump, "--action", "s3:GetObject,s3:PutObject,s3:DeleteObject,s3:ListBucket"},
		{"--account", dump, "--action", "s3:*Object", "--resource", "arn:aws:s3:::team/*,arn:aws:s3:::home/*"},
		{"--account", dump, "--access-level", "write"},
	}
	for _, args := range runs {
		for _, format := range []string{"table", "json", "markdown"} {
			cmd := append(append([]string{"mfa"}, args...), "--output", format)
			want := sameAsEachPrincipal(t, cmd...)
			if format == "json" && !strings.Contains(want, "user bob inline DevB") {
				t.Errorf("%s: bob's own Deny is not in the output; the test does not tell whose statement a carried answer names", strings.Join(cmd, " "))
			}
		}
	}
}

const rowsDump = `{
  "UserDetailList": [
    {"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "Path": "/",
     "UserPolicyList": [
       {"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "Own", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/alice/*"}]}},
       {"PolicyName": "DevA", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "NoMFANoS3", "Effect": "Deny", "NotAction": ["iam:ChangePassword"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}}],
     "GroupList": [], "AttachedManagedPolicies": [{"PolicyName": "Team", "PolicyArn": "arn:aws:iam::111122223333:policy/Team"}], "Tags": []},
    {"UserName": "bob", "UserId": "AIDABOB", "Arn": "arn:aws:iam::111122223333:user/bob", "Path": "/",
     "UserPolicyList": [
       {"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "Own", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/bob/*"}]}},
       {"PolicyName": "DevB", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "BobsOwnSid", "Effect": "Deny", "NotAction": ["iam:ChangePassword"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}}],
     "GroupList": [], "AttachedManagedPolicies": [{"PolicyName": "Team", "PolicyArn": "arn:aws:iam::111122223333:policy/Team"}], "Tags": []},
    {"UserName": "carol", "UserId": "AIDACAROL", "Arn": "arn:aws:iam::111122223333:user/carol", "Path": "/",
     "UserPolicyList": [
       {"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "Own", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/carol/*"},
         {"Sid": "Mine", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/${aws:username}/*"},
         {"Sid": "OnlyTeam", "Effect": "Deny", "Action": "s3:PutObject", "NotResource": ["arn:aws:s3:::team/*", "arn:aws:s3:::home/carol/*"], "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}}],
     "GroupList": ["devs"], "AttachedManagedPolicies": [{"PolicyName": "Team", "PolicyArn": "arn:aws:iam::111122223333:policy/Team"}], "Tags": []},
    {"UserName": "dave", "UserId": "AIDADAVE", "Arn": "arn:aws:iam::111122223333:user/dave", "Path": "/",
     "UserPolicyList": [
       {"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "Own", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/dave/*"}]}},
       {"PolicyName": "DevD", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "NoMFANoS3", "Effect": "Deny", "NotAction": ["iam:ChangePassword"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
         {"Sid": "Office", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::team/*", "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}]}}],
     "GroupList": ["devs"], "AttachedManagedPolicies": [{"PolicyName": "Team", "PolicyArn": "arn:aws:iam::111122223333:policy/Team"}], "Tags": []},
    {"UserName": "erin", "UserId": "AIDAERIN", "Arn": "arn:aws:iam::111122223333:user/erin", "Path": "/",
     "UserPolicyList": [
       {"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "Own", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/erin/*"}]}},
       {"PolicyName": "DevE", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "NoMFANoS3", "Effect": "Deny", "NotAction": ["iam:ChangePassword"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}}],
     "GroupList": [], "AttachedManagedPolicies": [{"PolicyName": "Team", "PolicyArn": "arn:aws:iam::111122223333:policy/Team"}],
     "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/Edge"},
     "Tags": []}
,
    {"UserName": "frank", "UserId": "AIDAFRANK", "Arn": "arn:aws:iam::111122223333:user/frank", "Path": "/",
     "UserPolicyList": [
       {"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "Own", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/frank/*"},
         {"Sid": "ByTag", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::projects/${aws:PrincipalTag/team}/*"}]}}],
     "GroupList": [], "AttachedManagedPolicies": [{"PolicyName": "Team", "PolicyArn": "arn:aws:iam::111122223333:policy/Team"}]},
    {"UserName": "gina", "UserId": "AIDAGINA", "Arn": "arn:aws:iam::111122223333:user/gina", "Path": "/",
     "UserPolicyList": [
       {"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
         {"Sid": "Own", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/gina/*"},
         {"Sid": "ByTag", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::projects/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "red"}}}]}}],
     "GroupList": [], "AttachedManagedPolicies": [{"PolicyName": "Team", "PolicyArn": "arn:aws:iam::111122223333:policy/Team"}]}
  ],
  "GroupDetailList": [
    {"GroupName": "devs", "GroupId": "AGPADEVS", "Arn": "arn:aws:iam::111122223333:group/devs", "Path": "/",
     "GroupPolicyList": [{"PolicyName": "Keep", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::team/keep/*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}}],
     "AttachedManagedPolicies": []}
  ],
  "RoleDetailList": [
    {"RoleName": "builder", "RoleId": "AROABUILDER", "Arn": "arn:aws:iam::111122223333:role/builder", "Path": "/",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
     "InstanceProfileList": [],
     "RolePolicyList": [{"PolicyName": "Home", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
       {"Sid": "Own", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::home/builder/*"},
       {"Sid": "WithMFA", "Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::team/*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}}],
     "AttachedManagedPolicies": [{"PolicyName": "Team", "PolicyArn": "arn:aws:iam::111122223333:policy/Team"}], "Tags": [], "RoleLastUsed": {}}
  ],
  "Policies": [
    {"PolicyName": "Team", "PolicyId": "ANPATEAM", "Arn": "arn:aws:iam::111122223333:policy/Team", "Path": "/", "DefaultVersionId": "v1",
     "AttachmentCount": 6, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
     "PolicyVersionList": [{"Document": {"Version": "2012-10-17", "Statement": [
       {"Sid": "TeamBucket", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::team", "arn:aws:s3:::team/*"]},
       {"Sid": "TeamDeletes", "Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::team/*", "Condition": {"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}}]},
       "VersionId": "v1", "IsDefaultVersion": true}]},
    {"PolicyName": "Edge", "PolicyId": "ANPAEDGE", "Arn": "arn:aws:iam::111122223333:policy/Edge", "Path": "/", "DefaultVersionId": "v1",
     "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 1, "IsAttachable": true,
     "PolicyVersionList": [{"Document": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::team/*"}]}, "VersionId": "v1", "IsDefaultVersion": true}]}
  ]
}`
