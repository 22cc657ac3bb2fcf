package account

import (
	"fmt"
	"slices"
	"strings"
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
	// user paths EachPathShowing did not show that held another's names
	othersNames := 0
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
		// trust policies that ask a source address: callers undecided
		// without MFA (the others' undecided states are only with MFA:
		// a trust policy that asks MFA admits no call without it)
		{300, accounttest.Options{Undecided: true}, 0},
	} {
		a, an, reach := reachOf(t, accounttest.CLIDumpWith(tc.users, tc.opts))
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
			var wantUndecided []UndecidedRole
			for _, c := range all.Roles {
				switch {
				case c.Crosses.WithoutMFA():
					want = append(want, c.Assumer)
					withoutMFA++
				case c.Undecided.WithoutMFA():
					// said briefly: only undecided without MFA
					wantUndecided = append(wantUndecided, UndecidedRole{c.Role, c.Undecided, c.Missing})
					undecidedOnly++
				default:
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
				if d := cmp.Diff(project(want), project(xs)) + cmp.Diff(wantUndecided, got.Undecided, cmp.Comparer(func(a, b *Role) bool { return a == b })); d != "" || got.Matched != all.Matched {
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
			// EachPath yields Paths (PathsBrief when brief), in order,
			// and stops when asked
			eachPathIsPaths(t, rr, full, brief)
			othersNames += eachPathShowingIsPaths(t, rr, brief)
		}
	}
	if othersNames == 0 {
		t.Error("EachPathShowing made every path whole: the test shows nothing of what it leaves out")
	}
	if withoutMFA == 0 || withMFAOnly == 0 || undecidedOnly == 0 {
		t.Errorf("%d crossings without MFA, %d only undecided without MFA, %d with MFA only: AssumeRoleWithoutMFA was not compared on each kind", withoutMFA, undecidedOnly, withMFAOnly)
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

// groupsAccount is an account whose users share their policies, so that
// they fall into groups of callers, and whose trust policies tell them
// apart in every way a Principal element and a condition can: by ARN, as a
// role's sessions, by a Deny naming one, by aws:PrincipalArn and by a tag.
// byARN adds a trust policy that reads aws:PrincipalArn, which every
// caller carries with its own value: no two callers are then one group.
func groupsAccount(byARN bool) []byte {
	const acct = "123456789012"
	var users, roles []string
	for i := 0; i < 12; i++ {
		name, team := fmt.Sprintf("dev-%d", i), "a"
		if i >= 6 {
			name, team = fmt.Sprintf("ops-%d", i), "b"
		}
		// the last two may assume one role only: their policies read the
		// role, so the roles of one trust shape are not one class for them
		resource := "*"
		if i >= 10 {
			resource = "arn:aws:iam::" + acct + ":role/R5"
		}
		users = append(users, fmt.Sprintf(`{"Path":"/","UserName":%q,"UserId":"AIDA%016d","Arn":"arn:aws:iam::%s:user/%s",
 "UserPolicyList":[{"PolicyName":"Assume","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":%q}]}}],
 "GroupList":[],"AttachedManagedPolicies":[],"Tags":[{"Key":"team","Value":%q}]}`, name, i, acct, name, resource, team))
	}
	trusts := []string{
		// one user and the sessions of the first role, without MFA
		`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::` + acct + `:user/dev-1","arn:aws:iam::` + acct + `:role/R0"]},"Action":"sts:AssumeRole"}`,
		// the account with MFA, for one team
		`{"Effect":"Allow","Principal":{"AWS":"` + acct + `"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`,
		// everyone in the account but one user, denied by name
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::` + acct + `:user/ops-7"},"Action":"sts:AssumeRole"}`,
		// the account, for sessions of roles and users alike
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"sts:AssumeRole"}`,
	}
	// three roles whose trust policies differ only in the user they name
	// (and their Sids): one shape, whose answers the roles share for the
	// callers none of them names (trustShape)
	for i, named := range []string{"dev-2", "dev-3", "ops-8"} {
		trusts = append(trusts, fmt.Sprintf(`{"Sid":"Admins%d","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::%s:root","arn:aws:iam::%s:user/%s"]},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`, i, acct, acct, named))
	}
	if byARN {
		// the account, for callers whose ARN matches
		trusts = append(trusts, `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acct+`:root"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::`+acct+`:user/dev-*"}}}`)
	}
	for i, tr := range trusts {
		roles = append(roles, fmt.Sprintf(`{"Path":"/","RoleName":"R%d","RoleId":"AROA%016d","Arn":"arn:aws:iam::%s:role/R%d",
 "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[%s]},
 "RolePolicyList":[{"PolicyName":"Assume","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}}],
 "AttachedManagedPolicies":[],"Tags":[]}`, i, i, acct, i, tr))
	}
	return []byte(`{"UserDetailList":[` + strings.Join(users, ",") + `],"GroupDetailList":[],"RoleDetailList":[` + strings.Join(roles, ",") + `],"Policies":[]}`)
}

// TestGroupsOfCallersDecideAsEachCaller: the callers put in groups, each
// decided once per role through one member, and those a trust policy names
// one by one, decided pair by pair, give every role the callers, paths and
// status that deciding each caller itself gives, and every principal the
// same sts:AssumeRole answers.
func TestGroupsOfCallersDecideAsEachCaller(t *testing.T) {
	for _, byARN := range []bool{false, true} {
		t.Run(fmt.Sprintf("byARN=%v", byARN), func(t *testing.T) { testGroupsDecideAsEachCaller(t, byARN) })
	}
}

func testGroupsDecideAsEachCaller(t *testing.T, byARN bool) {
	a, err := Load("groups.json", groupsAccount(byARN))
	if err != nil {
		t.Fatal(err)
	}
	an := a.NewAnalyzer(Options{ShareCallers: true})
	reach, err := an.Reachability()
	if err != nil {
		t.Fatal(err)
	}
	g := an.groups()
	grouped, named := 0, 0
	for _, ms := range g.members {
		if len(ms) > 1 {
			grouped += len(ms)
		}
	}
	for _, rr := range reach {
		named += len(rr.callers.named)
	}
	if byARN && grouped > 0 {
		t.Fatalf("%d principals in groups of several, though each carries its own aws:PrincipalArn, which a trust policy reads", grouped)
	}
	if !byARN && grouped < 6 || named < 3 || len(g.solo) > 0 {
		t.Fatalf("%d principals in groups of several, %d decided pair by pair, %d solo: the account no longer exercises the groups", grouped, named, len(g.solo))
	}
	// the roles of one trust shape (R4 to R6) share the answers of the
	// groups none of them names: an answer of one is an answer of another
	if !byARN {
		shared := false
		seen := map[int32]string{}
		for _, rr := range reach {
			if rr.Role.Name < "R4" || rr.Role.Name > "R6" {
				continue
			}
			for _, ga := range rr.callers.groups {
				if other, ok := seen[ga.ans]; ok && other != rr.Role.Name {
					shared = true
				}
				seen[ga.ans] = rr.Role.Name
			}
		}
		if !shared {
			t.Error("the roles of one trust shape share no answer")
		}
	}
	ref, err := a.NewAnalyzer(Options{EachCaller: true}).Reachability()
	if err != nil {
		t.Fatal(err)
	}
	for i, rr := range reach {
		got, want := rr.Assumers(), ref[i].Assumers()
		if d := cmp.Diff(project(want), project(got)); d != "" || rr.NumAssumers() != len(got) {
			t.Errorf("%s: callers (-each +groups; NumAssumers %d):\n%s", rr.Role.Name, rr.NumAssumers(), d)
		}
		if rr.Status != ref[i].Status || len(rr.Paths()) != len(ref[i].Paths()) {
			t.Errorf("%s: status %v, %d paths; each caller decided: %v, %d", rr.Role.Name, rr.Status, len(rr.Paths()), ref[i].Status, len(ref[i].Paths()))
		}
	}
	each := a.NewAnalyzer(Options{EachCaller: true})
	for _, p := range a.Principals() {
		got, err := an.AssumeRole(p, "sts:AssumeRole", "*")
		if err != nil {
			t.Fatal(err)
		}
		want, err := each.AssumeRole(p, "sts:AssumeRole", "*")
		if err != nil {
			t.Fatal(err)
		}
		var gx, wx []Assumer
		for _, c := range got.Roles {
			gx = append(gx, c.Assumer)
		}
		for _, c := range want.Roles {
			wx = append(wx, c.Assumer)
		}
		if d := cmp.Diff(project(wx), project(gx)); d != "" {
			t.Errorf("%s: AssumeRole (-each +groups):\n%s", p, d)
		}
		// EachRoleWithoutMFA gives AssumeRoleWithoutMFA's roles one by one
		ra, err := an.AssumeRoleWithoutMFA(p, "sts:AssumeRole", "*")
		if err != nil {
			t.Fatal(err)
		}
		var cs []RoleCrossing
		var us []UndecidedRole
		ea, err := an.EachRoleWithoutMFA(p, "sts:AssumeRole", "*", func(c RoleCrossing) { cs = append(cs, c) }, func(u UndecidedRole) { us = append(us, u) })
		if err != nil {
			t.Fatal(err)
		}
		if ea.Roles != nil || ea.Undecided != nil || ea.Matched != ra.Matched || ea.Outside != ra.Outside || len(ea.Matches) != len(ra.Matches) {
			t.Errorf("%s: EachRoleWithoutMFA's access %+v, AssumeRoleWithoutMFA's %+v", p, ea, ra)
		}
		var ex, rx []Assumer
		for i := range cs {
			ex = append(ex, cs[i].Assumer)
		}
		for i := range ra.Roles {
			rx = append(rx, ra.Roles[i].Assumer)
		}
		if d := cmp.Diff(project(rx), project(ex)); d != "" || len(cs) != len(ra.Roles) {
			t.Errorf("%s: EachRoleWithoutMFA's crossings (-lists +each):\n%s", p, d)
		}
		if fmt.Sprint(us) != fmt.Sprint(ra.Undecided) {
			t.Errorf("%s: EachRoleWithoutMFA's undecided %v, AssumeRoleWithoutMFA's %v", p, us, ra.Undecided)
		}
	}
	// the decisions counted are those of deciding every pair
	fresh, byGroups := a.NewAnalyzer(Options{EachCaller: true}), a.NewAnalyzer(Options{})
	if _, err := fresh.Reachability(); err != nil {
		t.Fatal(err)
	}
	if _, err := byGroups.Reachability(); err != nil {
		t.Fatal(err)
	}
	if byGroups.Decisions() != fresh.Decisions() || fresh.Decisions() == 0 {
		t.Errorf("Reachability counts %d decisions with groups, %d deciding each caller", byGroups.Decisions(), fresh.Decisions())
	}
}

// eachPathIsPaths checks that rr.EachPath yields full (brief, with brief
// set), path for path, and yields no more once told to stop.
func eachPathIsPaths(t *testing.T, rr *RoleReach, full, brief []Path) {
	t.Helper()
	for _, b := range []bool{false, true} {
		want := full
		if b {
			want = brief
		}
		var got []Path
		rr.EachPath(b, func(p Path) bool {
			x := *p.Assumer
			got = append(got, Path{Assumer: &x, Status: p.Status})
			return true
		})
		if len(got) != len(want) {
			t.Fatalf("%s: EachPath(%v) yields %d paths, Paths %d", rr.Role.Name, b, len(got), len(want))
		}
		for j := range want {
			if d := cmp.Diff(project([]Assumer{*want[j].Assumer}), project([]Assumer{*got[j].Assumer})); d != "" || want[j].Status != got[j].Status {
				t.Fatalf("%s: EachPath(%v) path %d is not the path Paths makes:\n%s", rr.Role.Name, b, j, d)
			}
		}
		if len(want) > 1 {
			n := 0
			rr.EachPath(b, func(Path) bool { n++; return false })
			if n != 1 {
				t.Fatalf("%s: EachPath went on for %d paths after its yield said stop", rr.Role.Name, n)
			}
		}
	}
}

// eachPathShowingIsPaths checks that rr.EachPathShowing yields the paths
// of brief (PathsBrief), path for path, when it shows every path (a nil
// show, or one that says yes) and when it shows none, or those of one
// status: a path not shown is the same path (status, answer, kind) but,
// for a user, for the names (Name, Caller, Principal), which may be
// another user's. It returns how many user paths held another's names.
func eachPathShowingIsPaths(t *testing.T, rr *RoleReach, brief []Path) int {
	t.Helper()
	others := 0
	shows := map[string]func(ReachStatus) bool{
		"nil":                 nil,
		"every":               func(ReachStatus) bool { return true },
		"none":                func(ReachStatus) bool { return false },
		"only without MFA":    func(s ReachStatus) bool { return s == ReachWithoutMFA },
		"all but without MFA": func(s ReachStatus) bool { return s != ReachWithoutMFA },
	}
	for name, show := range shows {
		var got []Path
		var shown []bool
		rr.EachPathShowing(true, show, func(p Path) bool {
			x := *p.Assumer
			got = append(got, Path{Assumer: &x, Status: p.Status})
			shown = append(shown, show == nil || show(p.Status))
			return true
		})
		if len(got) != len(brief) {
			t.Fatalf("%s: EachPathShowing(%s) yields %d paths, PathsBrief %d", rr.Role.Name, name, len(got), len(brief))
		}
		for j := range brief {
			want, have := project([]Assumer{*brief[j].Assumer})[0], project([]Assumer{*got[j].Assumer})[0]
			if !shown[j] && want.Kind == AssumerUser {
				if have.Name != want.Name {
					others++
				}
				have.Name, have.Caller, have.Principal = want.Name, want.Caller, want.Principal
			}
			if d := cmp.Diff(want, have); d != "" || brief[j].Status != got[j].Status {
				t.Fatalf("%s: EachPathShowing(%s) path %d (shown %v) is not the path PathsBrief makes:\n%s", rr.Role.Name, name, j, shown[j], d)
			}
		}
	}
	return others
}

// TestReachabilityErrorIsTheFirst: when several principals' policies do
// not compile, Reachability reports the first of them in dump order, the
// same on every run, whichever core decided it first (a breaker helper saw
// the reported error change between runs).
func TestReachabilityErrorIsTheFirst(t *testing.T) {
	// the first user's policy is long, so that another core finds the
	// second user's error first
	user := func(name string, filler int) string {
		stmts := strings.Repeat(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:userid":["A*","B*"]}}},`, filler)
		return `{"Path":"/","UserName":"` + name + `","UserId":"AIDA` + name + `","Arn":"arn:aws:iam::123456789012:user/` + name +
			`","UserPolicyList":[{"PolicyName":"Inline","PolicyDocument":{"Version":"2012-10-17","Statement":[` + stmts + `{"Sid":"Bad ` + name +
			`","Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}}],"GroupList":[],"AttachedManagedPolicies":[]}`
	}
	var users []string
	for i := 0; i < 40; i++ {
		users = append(users, user(fmt.Sprintf("u%02d", i), map[bool]int{true: 3000}[i == 0]))
	}
	dump := `{"UserDetailList":[` + strings.Join(users, ",") + `],"GroupDetailList":[],"RoleDetailList":[` +
		`{"Path":"/","RoleName":"r","RoleId":"AROAR","Arn":"arn:aws:iam::123456789012:role/r","AssumeRolePolicyDocument":` +
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]},` +
		`"RolePolicyList":[],"AttachedManagedPolicies":[]}],"Policies":[]}`
	a, err := Load("bad.json", []byte(dump))
	if err != nil {
		t.Fatal(err)
	}
	for run := 0; run < 30; run++ {
		_, err := a.NewAnalyzer(Options{}).Reachability()
		if err == nil || !strings.Contains(err.Error(), `"Bad u00"`) {
			t.Fatalf("run %d: Reachability error %v, want the first user's (Sid \"Bad u00\")", run, err)
		}
	}
}

// TestStatementHoldersAsEachSet: statementHolders, made from the holders of
// each policy that NewAnalyzer counts, gives each statement number the
// principals whose identity policies and boundary hold it, as reading each
// principal's policy set does, and numbers the statements alike.
func TestStatementHoldersAsEachSet(t *testing.T) {
	a, err := Load("cli.json", accounttest.CLIDumpWith(300, accounttest.Options{Copies: true, Admins: true}))
	if err != nil {
		t.Fatal(err)
	}
	got := a.NewAnalyzer(Options{}).statementHolders()
	// the counts read set by set, on an analyzer that numbers the
	// statements as it reads them
	ref := a.NewAnalyzer(Options{})
	var want []int32
	shared := 0
	for _, p := range a.Principals() {
		set := a.PolicySet(p)
		pols := set.Identity
		if set.Boundary != nil {
			pols = append(pols[:len(pols):len(pols)], set.Boundary)
		}
		for _, d := range pols {
			for _, id := range ref.statementIDs(d) {
				for int(id) >= len(want) {
					want = append(want, 0)
				}
				want[id]++
			}
		}
	}
	for _, n := range want {
		if n > 1 {
			shared++
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("statementHolders differs from reading each principal's set (-sets +holders):\n%s", d)
	}
	if shared == 0 || shared == len(want) {
		t.Fatalf("%d of %d statements held by more than one principal: the dump tells nothing", shared, len(want))
	}
}

// TestReachabilityKeepsListsAtTheirLength: the lists of roles and callers
// who can reach each role keeps for the run (a pair for each group and role,
// 340,000 of them at 20,000 users) are made at their length, not with the
// room appending left behind (a third more, on average).
func TestReachabilityKeepsListsAtTheirLength(t *testing.T) {
	_, an, reach := reachOf(t, accounttest.CLIDumpWith(400, accounttest.Options{Copies: true}))
	lists, wasted := 0, 0
	check := func(l []pair) {
		if len(l) > 0 {
			lists++
			wasted += cap(l) - len(l)
		}
	}
	for _, l := range an.byGroup {
		check(l)
	}
	for _, l := range an.byPrincipal {
		check(l)
	}
	for _, rr := range reach {
		check(rr.callers.groups)
		check(rr.callers.named)
	}
	if lists < 10 {
		t.Fatalf("%d lists: the dump no longer makes what this test is about", lists)
	}
	if wasted > 0 {
		t.Errorf("%d lists kept with room for %d more pairs, want none", lists, wasted)
	}
}

// TestAssumeSlotsShared: the slots kept of each caller grouped (for the
// paths to each role) are one copy for every caller whose slots are alike
// but for its own policies, which are kept by place; each caller's are
// still its own policies (slotsOf).
func TestAssumeSlotsShared(t *testing.T) {
	a, an, _ := reachOf(t, accounttest.CLIDump(2000))
	kept, distinct := 0, map[*keptSlots]bool{}
	for at, k := range an.assumeSlots {
		if k == nil {
			continue
		}
		kept++
		distinct[k] = true
		p := an.principals[at]
		set := a.PolicySet(p)
		for _, cp := range an.slotsOf(int32(at)) {
			if cp.Type == evaluator.TypeIdentity && !slices.Contains(set.Identity, cp.Policy) {
				t.Fatalf("%s: slot %s is not a policy of its set", p, cp.Policy.Name)
			}
		}
	}
	if kept < 300 {
		t.Fatalf("%d callers' slots kept: the dump no longer has what this test is about", kept)
	}
	if len(distinct)*4 > kept {
		t.Errorf("%d copies of slots kept for %d callers, want them shared", len(distinct), kept)
	}
}

// reachOf loads dump and decides who can reach its roles with a new
// analyzer.
func reachOf(t *testing.T, dump []byte) (*Account, *Analyzer, []*RoleReach) {
	t.Helper()
	a, err := Load("cli.json", dump)
	if err != nil {
		t.Fatal(err)
	}
	an := a.NewAnalyzer(Options{})
	reach, err := an.Reachability()
	if err != nil {
		t.Fatal(err)
	}
	return a, an, reach
}
