package mfa

import (
	"testing"

	"github.com/iameval/iameval/request"
)

// renderCases are Resource entries with and without variables, escapes,
// wildcard accounts, short ARNs and text that is not an ARN.
var renderCases = []string{
	"*", "arn:aws:s3:::home/user5/*", "arn:aws:s3:::home/${aws:username}/*",
	"arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:role/*", "arn:aws:iam::1234*:role/x",
	"arn:aws:iam::123456789012:user/bob", "arn:aws:ec2:*:*:instance/*", "arn:aws:s3", "arn:aws:s3:::",
	"arn:aws:s3:::b/a**b?c", "arn:aws:s3:::b/${*}x${?}", "arn:aws:s3:::b/$x", "arn:aws:sqs:us-east-1:?:q",
	"not-an-arn/${aws:username}", "not-an-arn/*", "arn:aws:iam::${aws:PrincipalAccount}:user/x", "",
	"arn:aws:s3:::d/${$}{y}/*", "arn:aws:s3:*:*:b/${*}", "not-an-arn/${?}", "arn:aws:s3:::b/${aws:username, '*'}",
}

// TestRenderResourceAsItsGeneralPath: an entry without '$' holds no
// variable, and with a concrete account field and six ARN parts it
// renders as written; RenderResource's shortcut for it gives what the
// general path does, for a caller with and without an account.
func TestRenderResourceAsItsGeneralPath(t *testing.T) {
	for _, caller := range []string{"arn:aws:iam::123456789012:user/alice", ""} {
		base := request.New(caller, "s3:GetObject", "*")
		if caller != "" {
			_ = base.Set(request.KeyUsername, request.TypeString, "alice")
		}
		for _, text := range renderCases {
			for _, vars := range []bool{true, false} {
				got, gotMissing, gotWhy := renderEntry(text, vars, base)
				want, wantMissing, wantWhy := renderResource(text, vars, base)
				if got != want || len(gotMissing) != len(wantMissing) || gotWhy != wantWhy {
					t.Errorf("%q (vars %v, caller %q): renderEntry = %q %v %q, want %q %v %q", text, vars, caller, got, gotMissing, gotWhy, want, wantMissing, wantWhy)
				}
			}
		}
	}
}

func FuzzRenderResource(f *testing.F) {
	for _, text := range renderCases {
		f.Add(text, true)
	}
	base := request.New("arn:aws:iam::123456789012:user/alice", "s3:GetObject", "*")
	_ = base.Set(request.KeyUsername, request.TypeString, "alice")
	f.Fuzz(func(t *testing.T, text string, vars bool) {
		got, gotMissing, gotWhy := renderEntry(text, vars, base)
		want, wantMissing, wantWhy := renderResource(text, vars, base)
		if got != want || len(gotMissing) != len(wantMissing) || gotWhy != wantWhy {
			t.Errorf("%q (vars %v): renderEntry = %q %v %q, want %q %v %q", text, vars, got, gotMissing, gotWhy, want, wantMissing, wantWhy)
		}
	})
}
