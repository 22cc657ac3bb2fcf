package account

import (
	"testing"

	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
)

// TestEngineSlots: engineSlots lists the policies of a principal's set as
// the engine compiled from it holds them (evaluator.Engine.Policies): the
// same policies, types and levels, in the same order, for every principal
// of the generator's dumps, with SCPs of two levels and an RCP.
func TestEngineSlots(t *testing.T) {
	scp, err := policy.Parse("scp.json", []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	rcp, err := policy.Parse("rcp.json", []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{}, {SCPs: [][]*policy.Policy{{scp}, {scp}}, RCPs: [][]*policy.Policy{{rcp}}}} {
		for _, dump := range [][]byte{accounttest.CLIDump(30), accounttest.CLIDumpWith(30, accounttest.Options{Copies: true, Admins: true})} {
			a, err := Load("dump.json", dump)
			if err != nil {
				t.Fatal(err)
			}
			an := a.NewAnalyzer(opts)
			for _, p := range a.Principals() {
				e, err := an.Engine(p, nil)
				if err != nil {
					t.Fatal(err)
				}
				set := a.PolicySet(p)
				set.SCPs, set.RCPs = opts.SCPs, opts.RCPs
				got, want := engineSlots(nil, &set), e.Policies()
				if len(got) != len(want) {
					t.Fatalf("%s: %d slots, the engine %d", p, len(got), len(want))
				}
				for i := range got {
					if got[i] != (evaluator.CompiledPolicy{Policy: want[i].Policy, Type: want[i].Type, Level: want[i].Level}) {
						t.Errorf("%s: slot %d is %s %v %d, the engine's %s %v %d", p, i, got[i].Policy.Name, got[i].Type, got[i].Level, want[i].Policy.Name, want[i].Type, want[i].Level)
					}
				}
			}
		}
	}
}
