// Fuzz targets over iameval's public API. Run one with, for example:
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzParse$' -fuzztime 60s
//	go test ./fuzz -run '^$' -fuzz '^FuzzWildcard$' -fuzztime 60s
//	go test ./fuzz -run '^$' -fuzz '^FuzzOperator$' -fuzztime 60s
//	go test ./fuzz -run '^$' -fuzz '^FuzzEvaluate$' -fuzztime 60s
//	go test ./fuzz -run '^$' -fuzz '^FuzzProperties$' -fuzztime 60s
//
// Crashers the fuzzer finds are kept under testdata/fuzz/ and run as seeds by
// plain go test.
package fuzz_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// gen turns fuzz bytes into choices; it reads zeros once the bytes run out,
// so every input describes a complete, valid policy set and request.
type gen struct {
	b []byte
	i int
}

func (g *gen) byte() byte {
	if g.i >= len(g.b) {
		return 0
	}
	c := g.b[g.i]
	g.i++
	return c
}

func (g *gen) n(n int) int         { return int(g.byte()) % n }
func (g *gen) coin() bool          { return g.byte()&1 == 1 }
func pick[T any](g *gen, xs []T) T { return xs[g.n(len(xs))] }

var (
	actionPatterns = []string{"*", "s3:*", "s3:Get*", "s3:?etObject", "ec2:*", "iam:Create*", "s3:GetObject", "sts:AssumeRole", "*:Get*", "S3:PUTOBJECT"}
	// rcpActionPatterns is actionPatterns without the patterns that name no
	// service, which AWS refuses in an RCP; it has the same length.
	rcpActionPatterns = []string{"s3:*Object", "s3:*", "s3:Get*", "s3:?etObject", "ec2:*", "iam:Create*", "s3:GetObject", "sts:AssumeRole", "sts:*", "S3:PUTOBJECT"}
	actions           = []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "ec2:StopInstances", "iam:CreateAccessKey", "sts:AssumeRole"}
	resourcePatterns  = []string{"*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/home/${aws:username}/*", "arn:aws:s3:::*", "arn:aws:iam::*:user/*", "arn:aws:s3:::b/?", "arn:aws:iam::111122223333:role/R", "arn:aws:s3:::B/*", "arn:aws:ec2:*"}
	resources         = []string{"arn:aws:s3:::b/k", "arn:aws:s3:::b/home/alice/x", "arn:aws:s3:::other/k", "arn:aws:iam::111122223333:user/alice", "*", "arn:aws:iam::111122223333:role/R", "arn:aws:ec2:us-east-1:111122223333:instance/i-1"}
	callers           = []string{"arn:aws:iam::111122223333:user/alice", "arn:aws:iam::444455556666:user/bob", "arn:aws:sts::111122223333:assumed-role/R/s", "arn:aws:iam::111122223333:root", "arn:aws:sts::111122223333:federated-user/fed", "", request.Anonymous}
	principals        = []string{`"*"`, `{"AWS":"*"}`, `{"AWS":"111122223333"}`, `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, `{"AWS":"arn:aws:iam::111122223333:role/R"}`, `{"AWS":"arn:aws:sts::111122223333:assumed-role/R/s"}`, `{"AWS":"444455556666"}`, `{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:root"]}`}
)

type condSpec struct{ op, key, value string }

var conditions = []condSpec{
	{"Bool", "aws:MultiFactorAuthPresent", `"true"`},
	{"Bool", "aws:MultiFactorAuthPresent", `"false"`},
	{"BoolIfExists", "aws:MultiFactorAuthPresent", `"false"`},
	{"BoolIfExists", "aws:MultiFactorAuthPresent", `true`},
	{"NumericLessThan", "aws:MultiFactorAuthAge", `"3600"`},
	{"NumericGreaterThan", "aws:MultiFactorAuthAge", `3600`},
	{"NumericGreaterThanIfExists", "aws:MultiFactorAuthAge", `"3600"`},
	{"NumericLessThanEqualsIfExists", "aws:MultiFactorAuthAge", `"3600"`},
	{"StringEquals", "aws:PrincipalTag/team", `"blue"`},
	{"StringNotEquals", "aws:PrincipalTag/team", `["blue","red"]`},
	{"StringLike", "aws:PrincipalTag/team", `"b*"`},
	{"StringEqualsIfExists", "aws:PrincipalTag/team", `"red"`},
	{"StringNotLikeIfExists", "aws:PrincipalTag/team", `"r?d"`},
	{"Null", "aws:MultiFactorAuthAge", `"true"`},
	{"Null", "aws:PrincipalTag/team", `"false"`},
	{"ForAnyValue:StringEquals", "aws:TagKeys", `"env"`},
	{"ForAnyValue:StringEqualsIfExists", "aws:TagKeys", `"team"`},
	{"ForAllValues:StringNotEqualsIfExists", "aws:TagKeys", `"env"`},
	{"ForAllValues:StringEquals", "aws:TagKeys", `["env","owner"]`},
	{"ForAllValues:StringNotLike", "aws:TagKeys", `"key1*"`},
	{"StringEquals", "aws:TagKeys", `"env"`},
	{"StringEquals", "aws:username", `"${aws:username}"`},
}

// mfaConds are the conditions on MFA keys, which the MFA property leaves out.
func isMFACond(c condSpec) bool { return strings.Contains(c.key, "MultiFactor") }

type genOpts struct {
	noMFAConds bool // generate no condition on an MFA key
}

func (g *gen) list(pool []string, max int) string {
	n := 1 + g.n(max)
	var xs []string
	for i := 0; i < n; i++ {
		xs = append(xs, fmt.Sprintf("%q", pick(g, pool)))
	}
	if n == 1 && g.coin() {
		return xs[0]
	}
	return "[" + strings.Join(xs, ",") + "]"
}

// statement writes one statement. kind says which elements it may have.
func (g *gen) statement(kind policy.Kind, o genOpts, sid int) string {
	var parts []string
	parts = append(parts, fmt.Sprintf(`"Sid":"S%d"`, sid))
	effect := "Allow"
	if g.n(3) == 0 {
		effect = "Deny"
	}
	if kind == policy.KindRCP {
		effect = "Deny"
	}
	parts = append(parts, fmt.Sprintf(`"Effect":%q`, effect))
	// An RCP is written as AWS accepts it (Principal "*", Action naming a
	// service, never NotAction); its choices still consume the same bytes,
	// so that the other choices of a seed stay what they were.
	if kind == policy.KindResource || kind == policy.KindRCP {
		name := "Principal"
		if effect == "Deny" && kind == policy.KindResource && g.n(4) == 0 {
			name = "NotPrincipal"
		}
		principal := pick(g, principals)
		if kind == policy.KindRCP {
			principal = `"*"`
		}
		parts = append(parts, fmt.Sprintf(`%q:%s`, name, principal))
	}
	act := "Action"
	if g.n(4) == 0 && kind != policy.KindRCP {
		act = "NotAction"
	}
	pool := actionPatterns
	if kind == policy.KindRCP {
		pool = rcpActionPatterns
	}
	parts = append(parts, fmt.Sprintf(`%q:%s`, act, g.list(pool, 2)))
	if kind != policy.KindResource || g.coin() {
		res := "Resource"
		if g.n(5) == 0 {
			res = "NotResource"
		}
		parts = append(parts, fmt.Sprintf(`%q:%s`, res, g.list(resourcePatterns, 2)))
	}
	if n := g.n(3); n > 0 {
		byOp := map[string][]string{}
		var ops []string
		for i := 0; i < n; i++ {
			c := pick(g, conditions)
			if o.noMFAConds && isMFACond(c) {
				continue
			}
			if _, ok := byOp[c.op]; !ok {
				ops = append(ops, c.op)
			}
			dup := false
			for _, kv := range byOp[c.op] {
				if strings.HasPrefix(kv, fmt.Sprintf("%q:", c.key)) {
					dup = true
				}
			}
			if !dup {
				byOp[c.op] = append(byOp[c.op], fmt.Sprintf("%q:%s", c.key, c.value))
			}
		}
		if len(ops) > 0 {
			var blocks []string
			for _, op := range ops {
				blocks = append(blocks, fmt.Sprintf("%q:{%s}", op, strings.Join(byOp[op], ",")))
			}
			parts = append(parts, `"Condition":{`+strings.Join(blocks, ",")+"}")
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func (g *gen) policyDoc(kind policy.Kind, o genOpts) string {
	n := 1 + g.n(3)
	var stmts []string
	for i := 0; i < n; i++ {
		stmts = append(stmts, g.statement(kind, o, i))
	}
	version := `"Version":"2012-10-17",`
	if kind != policy.KindRCP && g.n(6) == 0 {
		version = ""
	}
	return "{" + version + `"Statement":[` + strings.Join(stmts, ",") + "]}"
}

func mustParse(name, doc string) *policy.Policy {
	p, err := policy.Parse(name, []byte(doc))
	if err != nil {
		panic(fmt.Sprintf("generator wrote an invalid policy: %v\n%s", err, doc))
	}
	return p
}

// policySet generates a set of every policy type.
func (g *gen) policySet(o genOpts) evaluator.PolicySet {
	var s evaluator.PolicySet
	for i, n := 0, g.n(3); i < n; i++ {
		s.Identity = append(s.Identity, mustParse(fmt.Sprintf("identity%d", i), g.policyDoc(policy.KindIdentity, o)))
	}
	if g.n(4) == 0 {
		s.Boundary = mustParse("boundary", g.policyDoc(policy.KindIdentity, o))
	}
	if g.n(5) == 0 {
		s.Session = append(s.Session, mustParse("session", g.policyDoc(policy.KindIdentity, o)))
	}
	if g.n(3) == 0 {
		s.Resource = mustParse("resource", g.policyDoc(policy.KindResource, o))
		if g.coin() {
			s.ResourceOwner = pick(g, []string{"111122223333", "444455556666"})
		}
	}
	for l, n := 0, g.n(3); l < n; l++ {
		s.SCPs = append(s.SCPs, []*policy.Policy{mustParse(fmt.Sprintf("scp%d", l), g.policyDoc(policy.KindSCP, o))})
	}
	if g.n(5) == 0 {
		full := mustParse("rcp-full", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`)
		custom := mustParse("rcp", g.policyDoc(policy.KindRCP, o))
		if g.coin() {
			s.RCPs = [][]*policy.Policy{{full, custom}}
		} else {
			// a level given only custom RCPs still holds the full-access one
			s.RCPs = [][]*policy.Policy{{full}, {custom}}
		}
	}
	return s
}

// request generates a request.
func (g *gen) request() *request.Context {
	r := request.New(pick(g, callers), pick(g, actions), pick(g, resources))
	if g.n(4) == 0 {
		// as the simulator builds it: no principal key derived
		r = &request.Context{Principal: r.Principal, Action: r.Action, Resource: r.Resource}
	}
	switch g.n(4) {
	case 1:
		r.SetSessionWithoutMFA()
	case 2:
		r.SetSessionWithMFA(time.Duration(pick(g, []int{0, 3600, 3601, 7200})) * time.Second)
	}
	switch g.n(3) {
	case 1:
		_ = r.Set("aws:PrincipalTag/team", request.TypeString, "blue")
	case 2:
		_ = r.Set("aws:PrincipalTag/team", request.TypeString, "red")
	}
	switch g.n(5) {
	case 1:
		_ = r.Set("aws:TagKeys", request.TypeStringList)
	case 2:
		_ = r.Set("aws:TagKeys", request.TypeStringList, "env")
	case 3:
		_ = r.Set("aws:TagKeys", request.TypeStringList, "env", "key1:x")
	case 4:
		_ = r.Set("aws:TagKeys", request.TypeStringList, "", "team")
	}
	if g.n(6) == 0 {
		r.ResourceAccount = "444455556666"
	}
	return r
}

// describe renders a set and request for failure messages.
func describe(s evaluator.PolicySet, r *request.Context) string {
	var b strings.Builder
	show := func(what string, p *policy.Policy) {
		if p != nil {
			data, _ := json.Marshal(p)
			fmt.Fprintf(&b, "%s: %s\n", what, data)
		}
	}
	for _, p := range s.Identity {
		show("identity", p)
	}
	show("boundary", s.Boundary)
	for _, p := range s.Session {
		show("session", p)
	}
	show("resource (owner "+s.ResourceOwner+")", s.Resource)
	for l, lv := range s.SCPs {
		for _, p := range lv {
			show(fmt.Sprintf("scp level %d", l), p)
		}
	}
	for l, lv := range s.RCPs {
		for _, p := range lv {
			show(fmt.Sprintf("rcp level %d", l), p)
		}
	}
	fmt.Fprintf(&b, "request: %s %s %s (resource account %q)", r.Principal, r.Action, r.Resource, r.ResourceAccount)
	for _, k := range r.Keys() {
		var vs []string
		for _, v := range k.Values {
			vs = append(vs, v.String())
		}
		fmt.Fprintf(&b, " %s(%s)=%v", k.Name, k.Type, vs)
	}
	return b.String()
}
