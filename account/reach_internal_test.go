package account

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/evaluator"
)

// TestReachabilityKeepsCallersByReference: who can reach each role is a
// question about every (caller, role) pair, and in a CLI-shaped dump most
// users may call sts:AssumeRole on every role and a third of the trust
// policies name the account, so the kept pairs grow with users × roles
// (13 million at 20,000 users, 3 GB as Assumers of about 230 bytes each).
// Each pair is kept as two numbers (the principal, its class's answer;
// 8 bytes), the answers are few, and the callers made from them on
// request (RoleReach.Assumers) are those of deciding each caller itself
// (Options.EachCaller), field for field.
func TestReachabilityKeepsCallersByReference(t *testing.T) {
	if testing.Short() {
		t.Skip("a 1,000-user account")
	}
	withoutMFA, withMFAOnly, undecidedOnly := 0, 0, 0
	for _, tc := range []struct {
		users int
		opts  accounttest.Options
		// the least kept pairs per answer
		share int
	}{
		{1000, accounttest.Options{}, 10},
		// role chains, and copies of policies that tell callers apart:
		// only the callers made are compared
		{300, accounttest.Options{Copies: true}, 0},
	} {
		a, err := Load("cli.json", accounttest.CLIDumpWith(tc.users, tc.opts))
		if err != nil {
			t.Fatal(err)
		}
		an := a.NewAnalyzer(Options{})
		reach, err := an.Reachability()
		if err != nil {
			t.Fatal(err)
		}
		pairs := 0
		for _, rr := range reach {
			pairs += rr.callers.n
		}
		if pairs < tc.users*5 {
			t.Fatalf("%d users: %d kept pairs: the dump no longer makes the pairs this test is about", tc.users, pairs)
		}
		if tc.share > 0 && len(an.answers)*tc.share > pairs {
			t.Errorf("%d users: %d answers for %d kept pairs: the pairs are not shared", tc.users, len(an.answers), pairs)
		}
		// AssumeRoleWithoutMFA is AssumeRole keeping the crossings
		// without MFA, read from the shared callers or decided
		shared := a.NewAnalyzer(Options{ShareCallers: true})
		ps := a.Principals()
		if tc.users > 300 {
			ps = ps[:40]
		}
		for _, p := range ps {
			all, err := shared.AssumeRole(p, "sts:AssumeRole", "*")
			if err != nil {
				t.Fatal(err)
			}
			var want []Assumer
			for _, c := range all.Roles {
				if (c.Crosses | c.Undecided).WithoutMFA() {
					if !c.Crosses.WithoutMFA() {
						// said briefly: only undecided without MFA
						c.AllowedBy = nil
						undecidedOnly++
					}
					want = append(want, c.Assumer)
					withoutMFA++
				} else {
					withMFAOnly++
				}
			}
			for _, with := range []*Analyzer{shared, a.NewAnalyzer(Options{})} {
				got, err := with.AssumeRoleWithoutMFA(p, "sts:AssumeRole", "*")
				if err != nil {
					t.Fatal(err)
				}
				var xs []Assumer
				for _, c := range got.Roles {
					xs = append(xs, c.Assumer)
				}
				if d := cmp.Diff(project(want), project(xs)); d != "" || got.Matched != all.Matched {
					t.Fatalf("%s: AssumeRoleWithoutMFA (shared %v) is not AssumeRole's crossings without MFA:\n%s", p, with == shared, d)
				}
			}
		}
		each := a.NewAnalyzer(Options{EachCaller: true})
		ref, err := each.Reachability()
		if err != nil {
			t.Fatal(err)
		}
		for i, rr := range reach {
			got, want := rr.Assumers(), ref[i].Assumers()
			if len(got) != rr.NumAssumers() {
				t.Fatalf("%s: NumAssumers %d, Assumers %d", rr.Role.Name, rr.NumAssumers(), len(got))
			}
			if d := cmp.Diff(project(want), project(got)); d != "" {
				t.Fatalf("%s: the callers made from the classes' answers are not the callers decided each (-each +classes):\n%s", rr.Role.Name, d)
			}
			// PathsBrief is Paths without the statements
			full, brief := rr.Paths(), rr.PathsBrief()
			if len(full) != len(brief) {
				t.Fatalf("%s: %d paths, %d brief", rr.Role.Name, len(full), len(brief))
			}
			for j := range full {
				x := *full[j].Assumer
				x.AllowedBy = nil
				if d := cmp.Diff(project([]Assumer{x}), project([]Assumer{*brief[j].Assumer})); d != "" || full[j].Status != brief[j].Status || brief[j].Assumer.AllowedBy != nil {
					t.Fatalf("%s: brief path %d is not the path without its statements:\n%s", rr.Role.Name, j, d)
				}
			}
			if rr.Status != ref[i].Status || len(rr.Paths()) != len(ref[i].Paths()) {
				t.Errorf("%s: status %v, %d paths; each caller decided: %v, %d", rr.Role.Name, rr.Status, len(rr.Paths()), ref[i].Status, len(ref[i].Paths()))
			}
		}
	}
	if withoutMFA == 0 || withMFAOnly == 0 || undecidedOnly == 0 || undecidedOnly == withoutMFA {
		t.Errorf("%d crossings without MFA (%d of them only undecided), %d with MFA only: AssumeRoleWithoutMFA was not compared on each kind", withoutMFA, undecidedOnly, withMFAOnly)
	}
}

// assumerView is what an Assumer says, its principal by its caller ARN.
type assumerView struct {
	Kind                      AssumerKind
	Name, Caller, Principal   string
	Action                    string
	Tried, Crosses, Undecided Credentials
	Missing, CallerValues     []string
	IdentityChecked           bool
	MaxMFAAge                 int64
	NoAgeLimit                bool
	AllowedBy                 []evaluator.MatchedStatement
	Varied                    []string
	Passing                   int
}

func project(xs []Assumer) []assumerView {
	var out []assumerView
	for _, x := range xs {
		v := assumerView{Kind: x.Kind, Name: x.Name, Caller: x.Caller, Action: x.Action, Tried: x.Tried, Crosses: x.Crosses,
			Undecided: x.Undecided, Missing: x.Missing, CallerValues: x.CallerValues, IdentityChecked: x.IdentityChecked,
			MaxMFAAge: x.MaxMFAAge, NoAgeLimit: x.NoAgeLimit, AllowedBy: x.AllowedBy, Varied: x.Varied, Passing: len(x.Passing)}
		if x.Principal != nil {
			v.Principal = x.Principal.Caller
		}
		out = append(out, v)
	}
	return out
}
