package bench

import (
	"strconv"
	"strings"
	"testing"
	"time"

	minio "github.com/minio/pkg/v3/policy"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/request"
)

// glob matches s against a pattern whose only wildcard is '*' (any run),
// byte for byte: the resource matching of the toy policy.
func glob(p, s string) bool {
	star, next := -1, 0
	i, j := 0, 0
	for j < len(s) {
		switch {
		case i < len(p) && p[i] == '*':
			star, next = i, j
			i++
		case i < len(p) && p[i] == s[j]:
			i++
			j++
		case star >= 0:
			i, next = star+1, next+1
			j = next
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}

// floor decides the toy policy (workload/policy.json) as hand-written Go:
// every statement's test coded directly, actions compared without regard to
// letter case, as IAM compares them. It is the physical limit of deciding
// this policy: no engine, no parsing, no index. mfa is
// aws:MultiFactorAuthPresent (absent when !hasMFA), age
// aws:MultiFactorAuthAge (absent when !hasAge).
func floor(action, resource string, hasMFA, mfa, hasAge bool, age float64) string {
	a := action
	anyOf := func(list ...string) bool {
		for _, x := range list {
			if strings.EqualFold(a, x) {
				return true
			}
		}
		return false
	}
	res := func(list ...string) bool {
		for _, p := range list {
			if glob(p, resource) {
				return true
			}
		}
		return false
	}
	// denies
	if (hasPrefixFold(a, "s3:delete") || anyOf("s3:putbucketpolicy", "s3:putlifecycleconfiguration")) &&
		res("arn:aws:s3:::*") && (!hasMFA || !mfa) {
		return explicit
	}
	if a == "s3:putobject" && !res("arn:aws:s3:::team-alpha-*/uploads/*", "arn:aws:s3:::team-alpha-*/tmp/*") {
		return explicit
	}
	if !(hasPrefixFold(a, "s3:get") || hasPrefixFold(a, "s3:list")) && res("arn:aws:s3:::shared-data", "arn:aws:s3:::shared-data/*") {
		return explicit
	}
	if hasPrefixFold(a, "s3:") && res("arn:aws:s3:::*/secrets/*") {
		return explicit
	}
	// allows
	switch {
	case anyOf("s3:listallmybuckets", "s3:getbucketlocation") && res("arn:aws:s3:::*"),
		hasPrefixFold(a, "s3:listbucket") && res("arn:aws:s3:::team-alpha-*", "arn:aws:s3:::shared-data"),
		anyOf("s3:getobject", "s3:getobjectversion", "s3:getobjecttagging") && res("arn:aws:s3:::team-alpha-*/*", "arn:aws:s3:::shared-data/public/*"),
		anyOf("s3:putobject", "s3:putobjecttagging") && res("arn:aws:s3:::team-alpha-*/uploads/*") && hasMFA && mfa,
		anyOf("s3:deleteobject", "s3:deleteobjectversion") && res("arn:aws:s3:::team-alpha-*/*") && hasMFA && mfa && hasAge && age < 3600,
		hasPrefixFold(a, "s3:get") && res("arn:aws:s3:::central-logs/team-alpha/*"):
		return allowed
	}
	return implicit
}

// hasPrefixFold is strings.HasPrefix without regard to ASCII letter case;
// prefix is lower case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// floorReq is a request as the floor takes it.
type floorReq struct {
	action, resource    string
	hasMFA, mfa, hasAge bool
	age                 float64
}

func floorOf(p pair) floorReq {
	r := floorReq{action: p.action, resource: p.resource}
	if v, ok := p.ctx["aws:MultiFactorAuthPresent"]; ok {
		r.hasMFA, r.mfa = true, v == "true"
	}
	if v, ok := p.ctx["aws:MultiFactorAuthAge"]; ok {
		r.hasAge = true
		r.age, _ = strconv.ParseFloat(v, 64)
	}
	return r
}

// TestFloorDecisions: the hand-written floor decides the workload as
// cases.json says, so that it measures the same work.
func TestFloorDecisions(t *testing.T) {
	f := readFiles(t)
	_, pairs := loadWorkload(t, f)
	for _, p := range pairs {
		r := floorOf(p)
		if got := floor(r.action, r.resource, r.hasMFA, r.mfa, r.hasAge, r.age); got != p.expect {
			t.Errorf("%s: floor says %s, want %s", p.name, got, p.expect)
		}
	}
}

// BenchmarkFloor: the ten pairs round-robin through the hand-written
// decider; ns/op is one decision (compare BenchmarkDecideMixed).
func BenchmarkFloor(b *testing.B) {
	f := readFiles(b)
	_, pairs := loadWorkload(b, f)
	var reqs []floorReq
	for _, p := range pairs {
		reqs = append(reqs, floorOf(p))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := &reqs[i]
		floor(r.action, r.resource, r.hasMFA, r.mfa, r.hasAge, r.age)
		i++
		if i == len(reqs) {
			i = 0
		}
	}
}

// BenchmarkEndToEnd: the ten pairs round-robin, each request built from
// its strings inside the timed loop and then decided, as a service does
// per call; ns/op is one build and one decision. iameval builds with the
// MFA constructors; iameval-reuse resets one Context it keeps.
func BenchmarkEndToEnd(b *testing.B) {
	f := readFiles(b)
	w, pairs := loadWorkload(b, f)
	e := engines[0].load(b, f).(*evaluator.Engine)
	mp := loadMinio(b, f).(*minio.Policy)
	next := func(i *int) *pair {
		p := &pairs[*i]
		*i++
		if *i == len(pairs) {
			*i = 0
		}
		return p
	}
	b.Run("iameval", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := next(&i)
			var r *request.Context
			if age, ok := p.ctx["aws:MultiFactorAuthAge"]; ok {
				secs, _ := strconv.Atoi(age)
				r = request.SessionWithMFA(w.Principal, p.action, p.resource, time.Duration(secs)*time.Second)
			} else {
				r = request.LongTermKeys(w.Principal, p.action, p.resource)
			}
			r.ResourceAccount = w.ResourceAccount
			e.Evaluate(r)
		}
	})
	b.Run("minio", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			// the same mapping as the decision benchmarks, made per call
			mp.IsAllowed(*prepareMinio(b, w, *next(&i)).(*minio.Args))
		}
	})
}
