package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iameval/iameval/evaluator"
)

// batchFixture writes a 50-statement policy and returns the simulate flags
// for 100 actions x 100 resources: 10,000 decisions.
func batchFixture(tb testing.TB) []string {
	tb.Helper()
	var stmts []string
	for i := 0; i < 50; i++ {
		effect, cond := "Allow", ""
		if i%10 == 9 {
			effect = "Deny"
			cond = `,"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},"NumericGreaterThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}`
		}
		stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"%s","Action":["svc%d:Get*","svc%d:List*"],"Resource":["arn:aws:s3:::bucket-%d/*","arn:aws:s3:::shared/${aws:username}/*"]%s}`, i, effect, i%20, i%20, i, cond))
	}
	doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	file := filepath.Join(tb.TempDir(), "fifty.json")
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		tb.Fatal(err)
	}
	var actions, resources []string
	for i := 0; i < 100; i++ {
		actions = append(actions, fmt.Sprintf("svc%d:GetThing%d", i%25, i))
		resources = append(resources, fmt.Sprintf("arn:aws:s3:::bucket-%d/key-%d", i%60, i))
	}
	return []string{"simulate", "--policy", file, "--action", strings.Join(actions, ","), "--resource", strings.Join(resources, ","), "--mfa-age", "10m"}
}

// BenchmarkSimulateBatch decides 10,000 action x resource pairs against a
// 50-statement policy: building the requests and the batch decision.
func BenchmarkSimulateBatch(b *testing.B) {
	args := batchFixture(b)
	var f simulateFlags
	f.mfaAge = mfaAgeFlag{age: 10 * time.Minute, set: true}
	f.output = "table"
	f.policies = fileList{args[2]}
	f.actions = strings.Split(args[4], ",")
	f.resources = strings.Split(args[6], ",")
	sim, err := simulationFromFlags(&f, newOpener(nil, nil))
	if err == nil {
		err = sim.applyFlags(&f)
	}
	if err != nil {
		b.Fatal(err)
	}
	engine, err := evaluator.Compile(sim.set)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := sim.run(engine, false)
		if err != nil || len(res) != 10_000 {
			b.Fatalf("%d results, %v", len(res), err)
		}
	}
}

// BenchmarkSimulateCLI10k is the whole command: read the policy, decide
// 10,000 pairs, write AWS's JSON response.
func BenchmarkSimulateCLI10k(b *testing.B) {
	args := append(batchFixture(b), "--output", "json")
	b.ReportAllocs()
	for b.Loop() {
		if code := run(args, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}
