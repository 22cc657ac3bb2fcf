package mfa_test

import (
	"slices"
	"testing"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// resourceTypeRows pin review 14 L: a live request for an action names a
// resource of one of the action's resource types (AWS's Service
// Authorization Reference: s3:DeleteObject and s3:AbortMultipartUpload act
// on "object*", an ARN arn:${Partition}:s3:::${BucketName}/${ObjectName};
// s3:ListBucket on "bucket*", arn:${Partition}:s3:::${BucketName};
// iam:CreateAccessKey on "user*"). A Resource entry that matches none of the
// action's types (a bucket ARN for s3:DeleteObject) never matches a request
// for it, so it is no resource to decide: an Allow on it allows nothing.
// lint's CAT008 says the same of the entry; the two agree row by row.
var resourceTypeRows = []struct {
	name     string
	action   string
	resource string
	dropped  bool // not a resource of the action's types: CAT008, and mfa does not decide it
}{
	{"s3:DeleteObject acts on objects: a bucket ARN names none (review 14 bucketdel.json)", "s3:DeleteObject", "arn:aws:s3:::prod-data", true},
	{"s3:AbortMultipartUpload acts on objects: a bucket ARN names none (review 14 diff)", "s3:AbortMultipartUpload", "arn:aws:s3:::prod-data", true},
	{"s3:DeleteObject on an object ARN", "s3:DeleteObject", "arn:aws:s3:::prod-data/report.csv", false},
	{"s3:ListBucket acts on buckets: the bucket ARN is its resource", "s3:ListBucket", "arn:aws:s3:::prod-data", false},
	{"iam:CreateAccessKey acts on users: a role ARN names none", "iam:CreateAccessKey", "arn:aws:iam::111122223333:role/Deploy", true},
	{"iam:CreateAccessKey on a user ARN", "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/bob", false},
	{"s3:GetObject on another service's ARN", "s3:GetObject", "arn:aws:iam::111122223333:user/bob", true},
}

func allowOn(action, resource string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"` + resource + `"}]}`
}

// TestResourceOfNoTypeIsNotDecided: mfa.Within (what mfa, mfa --account,
// who-can and paths decide) and mfa.Instances (diff) never return an entry
// of none of the action's resource types, and where it is the only Allow,
// the action is allowed on no resource.
func TestResourceOfNoTypeIsNotDecided(t *testing.T) {
	c := catalog.Default()
	for _, tc := range resourceTypeRows {
		t.Run(tc.name, func(t *testing.T) {
			e := engineOf(t, identity, allowOn(tc.action, tc.resource))
			base := request.New("arn:aws:iam::111122223333:user/alice", tc.action, "*")
			within, _, _ := mfa.Within(e, c.Action(tc.action), tc.action, "*", base)
			inst, _ := mfa.Instances(e, c.Action(tc.action), []string{tc.resource, "*"}, base)
			for _, got := range [][]string{within, inst} {
				if slices.Contains(got, tc.resource) == tc.dropped {
					t.Errorf("resources %q: holds %s %v, want %v", got, tc.resource, tc.dropped, !tc.dropped)
				}
			}
			allowed := false
			for _, r := range within {
				req := request.New(base.Principal, tc.action, r)
				if d := e.Evaluate(req); d.Allowed() {
					allowed = true
				}
			}
			if allowed == tc.dropped {
				t.Errorf("allowed on some of %q: %v, want %v", within, allowed, !tc.dropped)
			}
		})
	}
}

// TestLintCAT008AndMFAAgree: lint reports CAT008 on exactly the entries mfa
// does not decide.
func TestLintCAT008AndMFAAgree(t *testing.T) {
	c := catalog.Default()
	for _, tc := range resourceTypeRows {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.Parse("p.json", []byte(allowOn(tc.action, tc.resource)))
			if err != nil {
				t.Fatal(err)
			}
			cat008 := false
			for _, f := range lint.Policy(p, policy.KindIdentity) {
				if f.RuleID == "CAT008" {
					cat008 = true
				}
			}
			e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
			if err != nil {
				t.Fatal(err)
			}
			base := request.New("arn:aws:iam::111122223333:user/alice", tc.action, "*")
			within, _, _ := mfa.Within(e, c.Action(tc.action), tc.action, "*", base)
			decided := slices.Contains(within, tc.resource)
			if cat008 == decided || cat008 != tc.dropped {
				t.Errorf("lint CAT008 %v, mfa decides %s %v: they must disagree on neither (want CAT008 %v)", cat008, tc.resource, decided, tc.dropped)
			}
		})
	}
}
