package request_test

import (
	"fmt"
	"sync"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// A service that decides request after request reuses its Contexts: here
// from a sync.Pool it owns (one Context per goroutine works as well). Reset
// keeps the storage of the largest request the Context has held, so once
// the pool is warm, building a request allocates nothing, and neither does
// deciding it. A Decision keeps nothing of its request, so the Context can
// go back to the pool as soon as Evaluate returns.
func ExampleContext_Reset() {
	p, err := policy.Parse("force-mfa.json", []byte(`{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
	     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
	    {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
	     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
	  ]
	}`))
	if err != nil {
		panic(err)
	}
	engine, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	if err != nil {
		panic(err)
	}

	pool := sync.Pool{New: func() any { return new(request.Context) }}
	// decide is what the service runs per call, on any goroutine.
	decide := func(caller, action, resource, sourceIP string, mfaAge time.Duration) (evaluator.Verdict, error) {
		req := pool.Get().(*request.Context)
		defer pool.Put(req)
		req.Reset(caller, action, resource)
		req.DerivePrincipalKeys() // aws:PrincipalArn, aws:username, ... as AWS sends them
		if mfaAge >= 0 {
			req.SetSessionWithMFA(mfaAge)
		} else {
			req.SetSessionWithoutMFA()
		}
		if err := req.Set("aws:SourceIp", request.TypeIP, sourceIP); err != nil {
			return evaluator.ImplicitDeny, err // the caller's input does not read as an IP
		}
		return engine.Evaluate(req).Verdict, nil
	}

	const alice = "arn:aws:iam::123456789012:user/alice"
	const object = "arn:aws:s3:::reports/q3.csv"
	for _, call := range []struct {
		action, ip string
		mfaAge     time.Duration // -1: no MFA
	}{
		{"s3:GetObject", "203.0.113.7", -1},
		{"s3:DeleteObject", "203.0.113.7", -1},
		{"s3:DeleteObject", "203.0.113.7", 5 * time.Minute},
		{"s3:GetObject", "198.51.100.1", 5 * time.Minute},
		{"s3:GetObject", "not-an-ip", -1},
	} {
		v, err := decide(alice, call.action, object, call.ip, call.mfaAge)
		fmt.Println(call.action, call.ip, v, err)
	}
	// Output:
	// s3:GetObject 203.0.113.7 allowed <nil>
	// s3:DeleteObject 203.0.113.7 explicitDeny <nil>
	// s3:DeleteObject 203.0.113.7 allowed <nil>
	// s3:GetObject 198.51.100.1 implicitDeny <nil>
	// s3:GetObject not-an-ip implicitDeny context key aws:SourceIp: value "not-an-ip" is not a valid ip
}
