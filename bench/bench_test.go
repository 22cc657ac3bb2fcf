package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	cedar "github.com/cedar-policy/cedar-go"
	minio "github.com/minio/pkg/v3/policy"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// The workload's decisions, as cases.json spells them.
const (
	allowed   = "Allowed"
	explicit  = "ExplicitlyDenied"
	implicit  = "ImplicitlyDenied"
	denied2wy = "Denied" // a two-way engine's deny
)

type workload struct {
	Principal       string                       `json:"principal"`
	ResourceAccount string                       `json:"resourceAccount"`
	Contexts        map[string]map[string]string `json:"contexts"`
	Requests        []struct {
		Name     string            `json:"name"`
		Action   string            `json:"action"`
		Resource string            `json:"resource"`
		Expect   map[string]string `json:"expect"`
	} `json:"requests"`
}

// pair is one (request, context) of the workload.
type pair struct {
	name, action, resource, ctxName string
	ctx                             map[string]string
	expect                          string
}

// files holds the workload's files, read once, so that loading measures
// parsing bytes in memory and not reading them.
type files map[string][]byte

func readFiles(tb testing.TB) files {
	tb.Helper()
	out := files{}
	for _, name := range []string{"cases.json", "policy.json", "policy-minio.json", "policy.cedar", "iam_generic.rego", "iam_rules.rego"} {
		data, err := os.ReadFile("workload/" + name)
		if err != nil {
			tb.Fatal(err)
		}
		out[name] = data
	}
	return out
}

func loadWorkload(tb testing.TB, f files) (workload, []pair) {
	var w workload
	if err := json.Unmarshal(f["cases.json"], &w); err != nil {
		tb.Fatal(err)
	}
	var pairs []pair
	for _, r := range w.Requests {
		for _, c := range []string{"mfa", "nomfa"} {
			pairs = append(pairs, pair{r.Name + "/" + c, r.Action, r.Resource, c, w.Contexts[c], r.Expect[c]})
		}
	}
	return w, pairs
}

// An engine decides prepared requests; prepare turns a pair into the
// engine's native request outside the timed loop.
type engine struct {
	name    string
	load    func(tb testing.TB, f files) any
	prepare func(tb testing.TB, w workload, p pair) any
	decide  func(state, req any) string
}

var engines = []engine{
	{
		name: "iameval",
		load: func(tb testing.TB, f files) any {
			p, err := policy.Parse("policy.json", f["policy.json"])
			if err != nil {
				tb.Fatal(err)
			}
			e, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
			if err != nil {
				tb.Fatal(err)
			}
			return e
		},
		prepare: func(tb testing.TB, w workload, p pair) any {
			r := request.New(w.Principal, p.action, p.resource)
			r.ResourceAccount = w.ResourceAccount
			for k, v := range p.ctx {
				t := request.TypeString
				switch k {
				case "aws:MultiFactorAuthPresent":
					t = request.TypeBoolean
				case "aws:MultiFactorAuthAge":
					t = request.TypeNumeric
				}
				if err := r.Set(k, t, v); err != nil {
					tb.Fatal(err)
				}
			}
			return r
		},
		decide: func(state, req any) string {
			switch state.(*evaluator.Engine).Evaluate(req.(*request.Context)).Verdict {
			case evaluator.Allowed:
				return allowed
			case evaluator.ExplicitDeny:
				return explicit
			}
			return implicit
		},
	},
	{
		name:    "minio",
		load:    loadMinio,
		prepare: prepareMinio,
		decide: func(state, req any) string {
			if state.(*minio.Policy).IsAllowed(*req.(*minio.Args)) {
				return allowed
			}
			return denied2wy
		},
	},
	{
		name:    "minio-3way",
		load:    loadMinio,
		prepare: prepareMinio,
		decide: func(state, req any) string {
			p, args := state.(*minio.Policy), *req.(*minio.Args)
			denyOnly := args
			denyOnly.DenyOnly = true
			if !p.IsAllowed(denyOnly) {
				return explicit
			}
			if p.IsAllowed(args) {
				return allowed
			}
			return implicit
		},
	},
	{
		name: "cedar",
		load: func(tb testing.TB, f files) any {
			ps, err := cedar.NewPolicySetFromBytes("policy.cedar", f["policy.cedar"])
			if err != nil {
				tb.Fatal(err)
			}
			return ps
		},
		prepare: func(tb testing.TB, w workload, p pair) any {
			rec := cedar.RecordMap{"action": cedar.String(p.action), "arn": cedar.String(p.resource)}
			if v, ok := p.ctx["aws:MultiFactorAuthPresent"]; ok {
				rec["mfaPresent"] = cedar.Boolean(v == "true")
			}
			if v, ok := p.ctx["aws:MultiFactorAuthAge"]; ok {
				var n int64
				fmt.Sscan(v, &n)
				rec["mfaAge"] = cedar.Long(n)
			}
			return &cedar.Request{
				Principal: cedar.NewEntityUID("User", "alice"),
				Action:    cedar.NewEntityUID("Action", cedar.String(p.action)),
				Resource:  cedar.NewEntityUID("S3Object", cedar.String(p.resource)),
				Context:   cedar.NewRecord(rec),
			}
		},
		decide: func(state, req any) string {
			d, diag := state.(*cedar.PolicySet).IsAuthorized(cedar.EntityMap{}, *req.(*cedar.Request))
			switch {
			case d == cedar.Allow:
				return allowed
			case len(diag.Reasons) > 0:
				return explicit
			}
			return implicit
		},
	},
	opaEngine("opa-generic", "iam_generic.rego", "data.iam.generic.decision", true, false),
	opaEngine("opa-generic-mapinput", "iam_generic.rego", "data.iam.generic.decision", true, true),
	opaEngine("opa-rules", "iam_rules.rego", "data.iam.rules.decision", false, false),
}

func loadMinio(tb testing.TB, f files) any {
	p, err := minio.ParseConfig(bytes.NewReader(f["policy-minio.json"]))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// prepareMinio maps the MFA keys onto the keys MinIO accepts (WORKLOAD.md):
// aws:MultiFactorAuthPresent as aws:SecureTransport, aws:MultiFactorAuthAge
// as s3:signatureAge, and an absent MFA key as SecureTransport=false.
func prepareMinio(tb testing.TB, w workload, p pair) any {
	bucket, object, _ := strings.Cut(strings.TrimPrefix(p.resource, "arn:aws:s3:::"), "/")
	cv := map[string][]string{"SecureTransport": {"false"}}
	if v, ok := p.ctx["aws:MultiFactorAuthPresent"]; ok {
		cv["SecureTransport"] = []string{v}
	}
	if v, ok := p.ctx["aws:MultiFactorAuthAge"]; ok {
		cv["signatureAge"] = []string{v}
	}
	return &minio.Args{AccountName: "alice", Action: minio.Action(p.action), BucketName: bucket, ObjectName: object, ConditionValues: cv}
}

type opaState struct {
	pq       rego.PreparedEvalQuery
	mapInput bool
}

func opaEngine(name, module, query string, policyAsData, mapInput bool) engine {
	return engine{
		name: name,
		load: func(tb testing.TB, f files) any {
			opts := []func(*rego.Rego){rego.Query(query), rego.Module(module, string(f[module]))}
			if policyAsData {
				var doc map[string]any
				if err := json.Unmarshal(f["policy.json"], &doc); err != nil {
					tb.Fatal(err)
				}
				opts = append(opts, rego.Store(inmem.NewFromObject(map[string]any{"iam": map[string]any{"policy": doc}})))
			}
			pq, err := rego.New(opts...).PrepareForEval(context.Background())
			if err != nil {
				tb.Fatal(err)
			}
			return &opaState{pq: pq, mapInput: mapInput}
		},
		prepare: func(tb testing.TB, w workload, p pair) any {
			ctx := map[string]any{}
			for k, v := range p.ctx {
				ctx[strings.ToLower(k)] = v
			}
			in := map[string]any{"action": strings.ToLower(p.action), "resource": p.resource, "context": ctx}
			if mapInput {
				return in
			}
			v, err := ast.InterfaceToValue(in)
			if err != nil {
				tb.Fatal(err)
			}
			return v
		},
		decide: func(state, req any) string {
			s := state.(*opaState)
			var opt rego.EvalOption
			if s.mapInput {
				opt = rego.EvalInput(req)
			} else {
				opt = rego.EvalParsedInput(req.(ast.Value))
			}
			rs, err := s.pq.Eval(context.Background(), opt)
			if err != nil || len(rs) != 1 || len(rs[0].Expressions) != 1 {
				return fmt.Sprintf("error: %v %v", err, rs)
			}
			d, _ := rs[0].Expressions[0].Value.(string)
			return d
		},
	}
}

// TestDecisions checks every engine against the workload's decisions before
// anything is timed. Two-way engines must allow exactly the allowed pairs.
func TestDecisions(t *testing.T) {
	f := readFiles(t)
	w, pairs := loadWorkload(t, f)
	for _, e := range engines {
		state := e.load(t, f)
		for _, p := range pairs {
			got := e.decide(state, e.prepare(t, w, p))
			want := p.expect
			if got == denied2wy && want != allowed {
				continue
			}
			if got != want {
				t.Errorf("%s %s: got %s, want %s", e.name, p.name, got, want)
			}
		}
	}
}

func BenchmarkDecide(b *testing.B) {
	f := readFiles(b)
	w, pairs := loadWorkload(b, f)
	for _, e := range engines {
		state := e.load(b, f)
		for _, p := range pairs {
			req := e.prepare(b, w, p)
			b.Run(e.name+"/"+p.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					e.decide(state, req)
				}
			})
		}
	}
}

// BenchmarkDecideMixed: the ten pairs round-robin; ns/op is one decision.
func BenchmarkDecideMixed(b *testing.B) {
	f := readFiles(b)
	w, pairs := loadWorkload(b, f)
	for _, e := range engines {
		state := e.load(b, f)
		var reqs []any
		for _, p := range pairs {
			reqs = append(reqs, e.prepare(b, w, p))
		}
		b.Run(e.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				e.decide(state, reqs[i])
				i++
				if i == len(reqs) {
					i = 0
				}
			}
		})
	}
}

// BenchmarkLoad: policy bytes in memory to a ready-to-evaluate object.
func BenchmarkLoad(b *testing.B) {
	f := readFiles(b)
	for _, e := range engines {
		if strings.HasSuffix(e.name, "-3way") || strings.HasSuffix(e.name, "-mapinput") {
			continue // same loading as their base engine
		}
		b.Run(e.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.load(b, f)
			}
		})
	}
}

// BenchmarkCalibration is an engine-independent job to rescale figures from
// other machines.
func BenchmarkCalibration(b *testing.B) {
	data := bytes.Repeat([]byte("iameval!"), 128)
	b.Run("sha256-1KiB", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			sha256.Sum256(data)
		}
	})
}
