package account

import (
	"runtime"
	"testing"
	"weak"

	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/policy"
)

// ownPoliciesAlive loads data, makes an analyzer and has work use it, then
// lets go of the account's references to the users' inline policies and
// returns how many of them (and of their statements no other document
// shares) are still reachable, and how many there were.
// The users' own policies are most of a large account's model (about a
// third of mfa --account's memory at 20,000 users, BENCHMARKS.md): what the
// analyzer keeps of a principal must not keep them alive, so that they can
// go once the principal is analysed.
func ownPoliciesAlive(t *testing.T, data []byte, work func(an *Analyzer)) (alive, total int) {
	t.Helper()
	acct, err := LoadWith("dump.json", data, LoadOptions{ShareStatements: true})
	if err != nil {
		t.Fatal(err)
	}
	an := acct.NewAnalyzer(Options{ShareCallers: true})
	work(an)
	// each policy, and each of its statements no other document shares
	// (LoadOptions.ShareStatements): a shared statement is the table's
	held := map[*policy.Statement]int{}
	for _, u := range acct.Users {
		for _, d := range u.Inline {
			for _, st := range d.Statements {
				held[st]++
			}
		}
	}
	var policies []weak.Pointer[policy.Policy]
	var statements []weak.Pointer[policy.Statement]
	for _, u := range acct.Users {
		for _, d := range u.Inline {
			policies = append(policies, weak.Make(d))
			for _, st := range d.Statements {
				if held[st] == 1 {
					statements = append(statements, weak.Make(st))
				}
			}
		}
		u.Inline = nil
	}
	clear(held)
	runtime.GC()
	runtime.GC()
	for _, w := range policies {
		if w.Value() != nil {
			alive++
		}
	}
	for _, w := range statements {
		if w.Value() != nil {
			alive++
		}
	}
	runtime.KeepAlive(an)
	return alive, len(policies) + len(statements)
}

// TestAnalyzerKeepsNoOwnPolicies pins that what the analyzer keeps of
// each principal does not hold its own policies: the counts of who holds
// each policy, the compiler's choice of the policies to keep, the
// numbering of statements by content.
func TestAnalyzerKeepsNoOwnPolicies(t *testing.T) {
	data := accounttest.CLIDump(200)
	for _, tc := range []struct {
		name string
		work func(an *Analyzer)
	}{
		{"NewAnalyzer", func(an *Analyzer) {}},
		{"statement holders", func(an *Analyzer) {
			an.statementHolders()
			an.rowHolders()
		}},
		{"who can reach each role", func(an *Analyzer) {
			if _, err := an.Reachability(); err != nil {
				t.Fatal(err)
			}
		}},
		{"engines", func(an *Analyzer) {
			for _, p := range an.dumpPrincipals() {
				if _, err := an.Engine(p, nil); err != nil {
					t.Fatal(err)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			alive, total := ownPoliciesAlive(t, data, tc.work)
			if total < 400 {
				t.Fatalf("only %d inline policies and statements of users", total)
			}
			if alive != 0 {
				t.Errorf("%d of the users' %d inline policies and own statements are still reachable", alive, total)
			}
		})
	}
}
