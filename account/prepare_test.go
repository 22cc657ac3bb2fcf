package account_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
)

// TestPrepareThenLetGo pins Prepare's promise: once it has returned, a
// question about a principal reads no other principal's own inline
// documents, so a caller may let a user's go once it asks nothing more
// about the user (as mfa --account does). Users are asked about in dump
// order and let go after their questions (the first one before any
// question, so that nothing made on first use can read it); every answer
// is the one an analyzer of the same dump that lets nothing go gives, and
// so is Reachability, asked at the end (its brief paths: Assumers and
// Paths name statements of the assumers' own documents).
func TestPrepareThenLetGo(t *testing.T) {
	dumps := map[string][]byte{
		"copies": accounttest.CLIDumpWith(60, accounttest.Options{Copies: true, Admins: true}),
		"plain":  accounttest.CLIDump(40),
	}
	addTestdataDumps(t, dumps)
	actions := []string{"sts:AssumeRole", "iam:CreateAccessKey", "iam:DeactivateMFADevice", "s3:GetObject", "s3:PutObject", "ec2:RunInstances", "dynamodb:GetItem", "lambda:InvokeFunction"}
	checked, letGo := 0, 0
	for name, data := range dumps {
		for _, tc := range []struct {
			opt  account.LoadOptions
			opts account.Options
		}{{account.LoadOptions{}, account.Options{ShareCallers: true}}, {account.LoadOptions{ShareStatements: true}, account.Options{ShareCallers: true}}, {account.LoadOptions{ShareStatements: true}, account.Options{}}} {
			opt := tc.opt
			ref, err := account.LoadWith(name, data, opt)
			if err != nil {
				continue // the dumps that do not load are other tests'
			}
			got, _ := account.LoadWith(name, data, opt)
			refAn := ref.NewAnalyzer(tc.opts)
			an := got.NewAnalyzer(tc.opts)
			if err := an.Prepare(); err != nil {
				t.Fatalf("%s: Prepare: %v", name, err)
			}
			resources := []string{"*", "arn:aws:s3:::team-0/k"}
			for _, r := range got.Roles {
				resources = append(resources, r.ARN)
			}
			refPs, ps := refAn.Principals(), an.Principals()
			for i, p := range ps {
				if i == 0 && p.User != nil {
					// let go unasked: nothing read before it may read it
					clear(p.User.Inline)
					continue
				}
				want, have := answers(t, refAn, refPs[i], actions, resources), answers(t, an, p, actions, resources)
				if d := cmp.Diff(want, have); d != "" {
					t.Errorf("%s (%+v %+v) %s, after the users before it let theirs go (-kept +let go):\n%s", name, opt, tc.opts, p, d)
				}
				checked++
				if p.User != nil {
					letGo += len(p.User.Inline)
					clear(p.User.Inline)
				}
			}
			if !tc.opts.ShareCallers {
				continue // Reachability reads every caller's documents
			}
			want, have := reaches(t, refAn), reaches(t, an)
			if d := cmp.Diff(want, have); d != "" {
				t.Errorf("%s: Reachability after every user let its documents go (-kept +let go):\n%s", name, d)
			}
		}
	}
	if checked < 200 || letGo < 100 {
		t.Fatalf("only %d principals checked and %d documents let go", checked, letGo)
	}
}

// answers describes what the analyzer says of p: its classes, each action
// on each resource (mfa.Result's verdicts) and each role p may assume.
func answers(t *testing.T, an *account.Analyzer, p *account.Principal, actions, resources []string) []string {
	t.Helper()
	var out []string
	e, err := an.Engine(p, nil)
	if err != nil {
		return []string{"engine: " + err.Error()}
	}
	// the classes read how many principals hold each statement
	c := an.Classifier(p, e)
	out = append(out, fmt.Sprintf("only member %v", c.OnlyMember()))
	for _, a := range actions {
		key, _ := c.Class(a)
		out = append(out, fmt.Sprintf("%s: a class %v", a, key != nil))
		for _, r := range resources {
			key, _ := c.RowClass(an.LiveRequest(p, a, r))
			out = append(out, fmt.Sprintf("%s %s: a row class %v", a, r, key != nil))
			res := an.Analyze(e, an.LiveRequest(p, a, r))
			out = append(out, fmt.Sprintf("%s %s: %v long-term %v session %v fresh %v max age %d bypasses %d", a, r, res.Verdict,
				res.LongTermKeys.Verdict, res.SessionWithoutMFA.Verdict, res.Fresh.Verdict, res.MaxAge, len(res.Bypasses)))
		}
		if !strings.HasPrefix(a, "sts:") {
			continue
		}
		for _, r := range resources {
			ra, err := an.AssumeRole(p, a, r)
			if err != nil {
				out = append(out, "assume "+r+": "+err.Error())
				continue
			}
			line := fmt.Sprintf("assume %s: matched %d", r, ra.Matched)
			for _, c := range ra.Roles {
				line += fmt.Sprintf("; %s crosses %v undecided %v missing %v", c.Role.Name, c.Crosses, c.Undecided, c.Missing)
			}
			out = append(out, line)
		}
	}
	return out
}

// reaches describes Reachability's answer: each role's status and
// assumers.
func reaches(t *testing.T, an *account.Analyzer) []string {
	t.Helper()
	rrs, err := an.Reachability()
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, rr := range rrs {
		line := fmt.Sprintf("%s %v", rr.Role.Name, rr.Status)
		for _, p := range rr.PathsBrief() {
			x := p.Assumer
			line += fmt.Sprintf("; %v %s %s crosses %v undecided %v missing %v", p.Status, x.Name, x.Caller, x.Crosses, x.Undecided, x.Missing)
		}
		out = append(out, line)
	}
	return out
}
