package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

//go:embed example/force-mfa.json
var examplePolicy []byte

const simulateHelp = `Usage: iameval simulate [flags]

Decides every action x resource against the given policies and prints one row
per request: the decision (allowed, explicitDeny, implicitDeny) and the
statements that decided it.

With no flags at all it runs a bundled example: AWS's "manage your own
credentials, MFA required" policy, decided for long-term access keys, a session
without MFA, and a session with MFA.

Say how the request was signed with one of the MFA flags; without one, the
request carries no MFA key, as with long-term access keys.

Examples:

  iameval simulate
  iameval simulate --policy admin.json --policy force-mfa.json \
      --action s3:GetObject --resource arn:aws:s3:::reports/q3.csv \
      --caller-arn arn:aws:iam::123456789012:user/alice --mfa-age 15m

Flags:
`

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

type simulateFlags struct {
	policies     listFlag
	actions      listFlag
	resources    listFlag
	caller       string
	mfaAge       time.Duration
	noMFASession bool
	longTerm     bool
}

func runSimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f simulateFlags
	fs.Var(&f.policies, "policy", "identity policy `FILE` (repeatable)")
	fs.Var(&f.actions, "action", "action to decide, such as s3:GetObject (repeatable, comma-separated)")
	fs.Var(&f.resources, "resource", "resource `ARN` (repeatable, comma-separated; default *)")
	fs.StringVar(&f.caller, "caller-arn", "arn:aws:iam::123456789012:user/alice", "the caller's `ARN`")
	fs.DurationVar(&f.mfaAge, "mfa-age", -1, "a session validated with MFA this long ago, such as 15m")
	fs.BoolVar(&f.noMFASession, "no-mfa-session", false, "a session without MFA (aws:MultiFactorAuthPresent=false)")
	fs.BoolVar(&f.longTerm, "long-term-keys", false, "long-term access keys: no MFA key (the default)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), simulateHelp)
		fs.PrintDefaults()
	}
	if len(args) == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help") {
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "iameval simulate: unexpected argument %q (see iameval help simulate)\n", fs.Arg(0))
		return exitUsage
	}
	if fs.NFlag() == 0 {
		return runExample(stdout, stderr)
	}
	n := 0
	for _, b := range []bool{f.mfaAge >= 0, f.noMFASession, f.longTerm} {
		if b {
			n++
		}
	}
	switch {
	case n > 1:
		fmt.Fprintln(stderr, "iameval simulate: --mfa-age, --no-mfa-session and --long-term-keys exclude each other")
		return exitUsage
	case len(f.policies) == 0:
		fmt.Fprintln(stderr, "iameval simulate: no policy: give --policy FILE")
		return exitUsage
	case len(f.actions) == 0:
		fmt.Fprintln(stderr, "iameval simulate: no action: give --action service:Action")
		return exitUsage
	}
	var set evaluator.PolicySet
	for _, file := range f.policies {
		p, err := loadPolicy(file)
		if err != nil {
			printErr(stderr, err)
			return exitUsage
		}
		set.Identity = append(set.Identity, p)
	}
	engine, err := evaluator.Compile(set)
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	if len(f.resources) == 0 {
		f.resources = listFlag{"*"}
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tRESOURCE\tDECISION\tDECIDED BY")
	for _, a := range f.actions {
		for _, r := range f.resources {
			req := request.New(f.caller, a, r)
			switch {
			case f.mfaAge >= 0:
				req.SetSessionWithMFA(f.mfaAge)
			case f.noMFASession:
				req.SetSessionWithoutMFA()
			}
			d := engine.Evaluate(req)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a, r, d.Verdict, decidedBy(&d))
		}
	}
	tw.Flush()
	return exitOK
}

func loadPolicy(file string) (*policy.Policy, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return policy.Parse(file, data)
}

// printErr prints err one problem per line, "file:line:col: code: message".
func printErr(w io.Writer, err error) {
	var list policy.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e)
		}
		return
	}
	fmt.Fprintf(w, "iameval: %v\n", err)
}

// decidedBy names the statements that decided, or says why none did.
func decidedBy(d *evaluator.Decision) string {
	var parts []string
	for _, m := range d.MatchedStatements() {
		id := m.Sid
		if id == "" {
			id = fmt.Sprintf("statement %d", m.Index+1)
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s:%d:%d)", m.Effect, id, m.PolicyID, m.Start.Line, m.Start.Column))
	}
	if len(parts) == 0 && d.Verdict == evaluator.ImplicitDeny {
		s := "no statement allows"
		if missing := d.MissingContextValues(); len(missing) > 0 {
			s += "; missing " + strings.Join(missing, ", ")
		}
		return s
	}
	return strings.Join(parts, "; ")
}

// runExample decides the bundled force-MFA policy for three kinds of
// credentials.
func runExample(stdout, stderr io.Writer) int {
	p, err := policy.Parse("force-mfa.json", examplePolicy)
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	engine, err := evaluator.Compile(evaluator.PolicySet{Identity: []*policy.Policy{p}})
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	const alice = "arn:aws:iam::123456789012:user/alice"
	fmt.Fprintln(stdout, "iameval: no input given, so this is the bundled example (iameval help simulate says how to give your own).")
	fmt.Fprintln(stdout, "Policy force-mfa.json: AWS's \"manage your own credentials, MFA required\" example; caller "+alice+".")
	fmt.Fprintln(stdout)
	requests := []struct{ action, resource string }{
		{"iam:EnableMFADevice", "arn:aws:iam::123456789012:user/alice"},
		{"iam:CreateAccessKey", "arn:aws:iam::123456789012:user/alice"},
		{"iam:CreateAccessKey", "arn:aws:iam::123456789012:user/bob"},
		{"s3:ListAllMyBuckets", "*"},
	}
	creds := []struct {
		name string
		set  func(*request.Context)
	}{
		{"long-term keys", (*request.Context).SetLongTermKeys},
		{"session, no MFA", (*request.Context).SetSessionWithoutMFA},
		{"MFA 5m ago", func(c *request.Context) { c.SetSessionWithMFA(5 * time.Minute) }},
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tRESOURCE\tCREDENTIALS\tDECISION\tDECIDED BY")
	for _, r := range requests {
		for _, c := range creds {
			req := request.New(alice, r.action, r.resource)
			c.set(req)
			d := engine.Evaluate(req)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.action, r.resource, c.name, d.Verdict, decidedBy(&d))
		}
	}
	tw.Flush()
	return exitOK
}
