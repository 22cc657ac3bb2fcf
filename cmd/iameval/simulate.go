package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

//go:embed example/force-mfa.json
var examplePolicy []byte

const simulateHelp = `Usage: iameval simulate [flags]

The offline "aws iam simulate-custom-policy": decides every action x resource
against the given policies and says allowed, explicitDeny or implicitDeny, and
which statements decided.

With no flags at all it runs a bundled example: AWS's "manage your own
credentials, MFA required" policy, decided for long-term access keys, a session
without MFA, and a session with MFA.

Input, either:
  --input FILE (or - for stdin): the SimulateCustomPolicy request document, the
      same JSON that "aws iam simulate-custom-policy --cli-input-json" takes
      (PolicyInputList, PermissionsBoundaryPolicyInputList, ActionNames,
      ResourceArns, ResourcePolicy, ResourceOwner, CallerArn, ContextEntries,
      ResourceHandlingOption), plus ServiceControlPolicyInputList and
      ResourceControlPolicyInputList (lists of levels, root first, each a list
      of policies) and SessionPolicyInputList. Policies are JSON strings, as
      AWS takes them, or inline objects.
  or the policy flags below (--policy, --boundary, --resource-policy, --scp,
      --rcp, --session-policy, --action, --resource, --caller-arn,
      --resource-owner, --context).

MFA: say how the request was signed. Without an MFA flag or context entry the
request carries no MFA key, exactly as with long-term access keys.
  --long-term-keys     no MFA key at all (IAM user or root access keys)
  --no-mfa-session     aws:MultiFactorAuthPresent=false (temporary credentials
                       without MFA, a console sign-in without MFA)
  --mfa-age 15m        aws:MultiFactorAuthPresent=true and
                       aws:MultiFactorAuthAge=900

Output (--output):
  table    one row per action x resource (default; colour on a terminal only)
  json     exactly AWS's SimulatePolicyResponse (EvaluationResults, ...)
  explain  for each result, the statement that decided and, for every
           statement that did not apply, the first reason why

Exit codes: 0 done; 1 a result differs from --expect; 2 bad usage or input.
Errors are printed as file:line:col: code: message.

Examples:
  iameval simulate
  iameval simulate --input request.json --output json
  iameval simulate --policy admin.json --policy force-mfa.json \
      --action s3:GetObject,s3:DeleteObject --resource arn:aws:s3:::reports/q3.csv \
      --caller-arn arn:aws:iam::123456789012:user/alice --mfa-age 15m --output explain
  iameval simulate --policy force-mfa.json --action s3:DeleteObject \
      --long-term-keys --expect denied        # CI: exit 1 unless denied
  iameval simulate --policy p.json --action ec2:StopInstances \
      --context aws:SourceIp=203.0.113.7:ip --context aws:TagKeys=env,team:stringList

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

// fileList is a repeatable flag that does not split on commas.
type fileList []string

func (l *fileList) String() string     { return strings.Join(*l, " ") }
func (l *fileList) Set(v string) error { *l = append(*l, v); return nil }

type simulateFlags struct {
	input          string
	policies       fileList
	boundary       string
	resourcePolicy string
	scps, rcps     fileList
	sessions       fileList
	actions        listFlag
	resources      listFlag
	caller         string
	owner          string
	contexts       fileList
	account        string
	principal      string
	mfaAge         time.Duration
	noMFASession   bool
	longTerm       bool
	output         string
	expect         string
}

const defaultCaller = "arn:aws:iam::123456789012:user/alice"

func runSimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f simulateFlags
	registerInputFlags(fs, &f)
	registerAccountFlags(fs, &f)
	fs.DurationVar(&f.mfaAge, "mfa-age", -1, "a session validated with MFA this `long` ago, such as 15m")
	fs.BoolVar(&f.noMFASession, "no-mfa-session", false, "a session without MFA (aws:MultiFactorAuthPresent=false)")
	fs.BoolVar(&f.longTerm, "long-term-keys", false, "long-term access keys: no MFA key")
	fs.StringVar(&f.output, "output", "table", "output `FORMAT`: table, json or explain")
	fs.StringVar(&f.expect, "expect", "", "exit 1 unless every result is `DECISION`: allowed, denied, explicitDeny or implicitDeny")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), simulateHelp)
		fs.PrintDefaults()
	}
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	usageErr := usageError(stderr, "simulate")
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q (see iameval help simulate)", fs.Arg(0))
	}
	if fs.NFlag() == 0 {
		return runExample(stdout, stderr)
	}
	switch f.output {
	case "table", "json", "explain":
	default:
		return usageErr("--output %q: want table, json or explain", f.output)
	}
	switch f.expect {
	case "", "allowed", "denied", "explicitDeny", "implicitDeny":
	default:
		return usageErr("--expect %q: want allowed, denied, explicitDeny or implicitDeny", f.expect)
	}
	n := 0
	for _, b := range []bool{f.mfaAge >= 0, f.noMFASession, f.longTerm} {
		if b {
			n++
		}
	}
	if n > 1 {
		return usageErr("--mfa-age, --no-mfa-session and --long-term-keys exclude each other")
	}

	sim, err := buildSimulation(&f, stdin)
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	engine, err := evaluator.Compile(sim.set)
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	results, err := sim.run(engine, &f)
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	var werr error
	switch f.output {
	case "json":
		werr = writeJSON(stdout, results)
	case "explain":
		werr = writeExplain(stdout, results, sim)
	default:
		werr = writeTable(stdout, results, sim, isTerminal(stdout))
	}
	if werr != nil {
		fmt.Fprintf(stderr, "iameval simulate: %v\n", werr)
		return exitUsage
	}
	if f.expect != "" {
		for _, r := range results {
			if !expectMet(f.expect, r.decision.Verdict) {
				fmt.Fprintf(stderr, "iameval simulate: %s on %s is %s, expected %s\n", r.action, r.resource, r.decision.Verdict, f.expect)
				return exitCheck
			}
		}
	}
	return exitOK
}

// registerInputFlags adds the flags that say what to decide: the request
// document, or policies, actions, resources, caller and context.
func registerInputFlags(fs *flag.FlagSet, f *simulateFlags) {
	fs.StringVar(&f.input, "input", "", "SimulateCustomPolicy request `FILE` (- for stdin)")
	fs.Var(&f.policies, "policy", "identity policy `FILE` (repeatable)")
	fs.StringVar(&f.boundary, "boundary", "", "permissions boundary policy `FILE`")
	fs.StringVar(&f.resourcePolicy, "resource-policy", "", "resource-based policy `FILE` (bucket policy, trust policy, ...)")
	fs.Var(&f.scps, "scp", "SCP `FILE`: one organization level per flag, root first; a file holding a JSON list is a level of several SCPs")
	fs.Var(&f.rcps, "rcp", "RCP `FILE`: one level per flag, as --scp")
	fs.Var(&f.sessions, "session-policy", "session policy `FILE` (repeatable)")
	fs.Var(&f.actions, "action", "`ACTION` to decide, service:Action (repeatable, comma-separated)")
	fs.Var(&f.resources, "resource", "resource `ARN` (repeatable, comma-separated; default *)")
	fs.StringVar(&f.caller, "caller-arn", "", "the caller's `ARN` (default "+defaultCaller+")")
	fs.StringVar(&f.owner, "resource-owner", "", "`ACCOUNT` that owns the resource (id or arn:aws:iam::ACCOUNT:root)")
	fs.Var(&f.contexts, "context", "context key `key=value[,value...][:type]` (repeatable; type is one of the simulator's twelve)")
}

// registerAccountFlags adds --account and --principal.
func registerAccountFlags(fs *flag.FlagSet, f *simulateFlags) {
	fs.StringVar(&f.account, "account", "", "account snapshot `FILE`: the output of aws iam get-account-authorization-details (all pages)")
	fs.StringVar(&f.principal, "principal", "", "with --account: the user or role to simulate, by `ARN or NAME` (user/NAME, role/NAME)")
}

// hasInputFlags reports whether any flag besides --input gives part of the
// request.
func (f *simulateFlags) hasInputFlags() bool {
	return len(f.policies)+len(f.scps)+len(f.rcps)+len(f.sessions)+len(f.actions)+len(f.resources)+len(f.contexts) > 0 ||
		f.boundary != "" || f.resourcePolicy != "" || f.caller != "" || f.owner != ""
}

// buildSimulation reads the request from --input or from the flags.
func buildSimulation(f *simulateFlags, stdin io.Reader) (*simulation, error) {
	if f.account != "" {
		return simulationFromAccount(f)
	}
	if f.principal != "" {
		return nil, errors.New("--principal needs --account FILE")
	}
	if f.input != "" {
		if f.hasInputFlags() {
			return nil, errors.New("--input holds the whole request: give either --input or the policy, action, resource, caller and context flags")
		}
		return simulationFromInput(f.input, stdin)
	}
	return simulationFromFlags(f)
}

// parseFlags prints the command's help on stdout when args ask for it, and
// otherwise parses args; done says the command must stop with code.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, done bool) {
	if helpRequested(args) {
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK, true
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage, true
	}
	return 0, false
}

// usageError returns a function that prints "iameval CMD: message" on
// stderr and returns the usage exit code.
func usageError(stderr io.Writer, cmd string) func(format string, a ...any) int {
	return func(format string, a ...any) int {
		fmt.Fprintf(stderr, "iameval "+cmd+": "+format+"\n", a...)
		return exitUsage
	}
}

// helpRequested reports whether args ask for help.
func helpRequested(args []string) bool {
	for _, a := range args {
		if a == "--help" || a == "-h" || a == "-help" {
			return true
		}
	}
	return false
}

func expectMet(expect string, v evaluator.Verdict) bool {
	if expect == "denied" {
		return v != evaluator.Allowed
	}
	return v.String() == expect
}

func simulationFromInput(name string, stdin io.Reader) (*simulation, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(stdin)
		name = "<stdin>"
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, err
	}
	return readInput(name, data)
}

func simulationFromFlags(f *simulateFlags) (*simulation, error) {
	sim := &simulation{display: map[string]string{}}
	if len(f.actions) == 0 {
		return nil, errors.New("no action: give --action service:Action (or --input FILE)")
	}
	for _, a := range f.actions {
		if strings.ContainsAny(a, "*?") || !strings.Contains(a, ":") {
			return nil, fmt.Errorf("--action %q: want service:Action without wildcards", a)
		}
	}
	for i, file := range f.policies {
		p, err := readPolicyFile(file, "PolicyInputList."+strconv.Itoa(i+1), sim)
		if err != nil {
			return nil, err
		}
		sim.set.Identity = append(sim.set.Identity, p)
	}
	if f.boundary != "" {
		p, err := readPolicyFile(f.boundary, "PermissionsBoundaryPolicyInputList.1", sim)
		if err != nil {
			return nil, err
		}
		sim.set.Boundary = p
	}
	if f.resourcePolicy != "" {
		p, err := readPolicyFile(f.resourcePolicy, "ResourcePolicy", sim)
		if err != nil {
			return nil, err
		}
		sim.set.Resource = p
	}
	for i, file := range f.sessions {
		p, err := readPolicyFile(file, "SessionPolicyInputList."+strconv.Itoa(i+1), sim)
		if err != nil {
			return nil, err
		}
		sim.set.Session = append(sim.set.Session, p)
	}
	for i, file := range f.scps {
		level, err := readLevelFile(file, "ServiceControlPolicyInputList."+strconv.Itoa(i+1), sim)
		if err != nil {
			return nil, err
		}
		sim.set.SCPs = append(sim.set.SCPs, level)
	}
	for i, file := range f.rcps {
		level, err := readLevelFile(file, "ResourceControlPolicyInputList."+strconv.Itoa(i+1), sim)
		if err != nil {
			return nil, err
		}
		sim.set.RCPs = append(sim.set.RCPs, level)
	}
	sim.actions = f.actions
	for _, r := range f.resources {
		if err := checkARN(r, true); err != nil {
			return nil, fmt.Errorf("--resource: %v", err)
		}
	}
	sim.resources = f.resources
	sim.caller = f.caller
	if sim.caller != "" {
		if err := checkARN(sim.caller, false); err != nil {
			return nil, fmt.Errorf("--caller-arn: %v", err)
		}
	}
	if f.owner != "" && !isOwner(f.owner) {
		return nil, fmt.Errorf("--resource-owner %q: want a 12-digit account id or arn:aws:iam::ACCOUNT:root", f.owner)
	}
	sim.set.ResourceOwner = f.owner
	for _, c := range f.contexts {
		ce, err := parseContextFlag(c)
		if err != nil {
			return nil, err
		}
		sim.context = append(sim.context, ce)
	}
	return sim, nil
}

// result is one decided action x resource.
type result struct {
	action, resource string
	decision         evaluator.Decision
	explain          *evaluator.Explanation
	hasBoundary      bool
	hasSCP           bool
	fromAccount      bool
}

// run builds every request and decides it.
func (sim *simulation) run(engine *evaluator.Engine, f *simulateFlags) ([]result, error) {
	resources := sim.resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	caller := sim.caller
	if caller == "" {
		caller = defaultCaller
	}
	var reqs []*request.Context
	var out []result
	for _, a := range sim.actions {
		for _, r := range resources {
			req := request.New(caller, a, r)
			for _, ce := range sim.context {
				_ = req.Set(ce.name, ce.typ, ce.values...) // checked when read
			}
			switch {
			case f.mfaAge >= 0:
				req.SetSessionWithMFA(f.mfaAge)
			case f.noMFASession:
				req.SetSessionWithoutMFA()
			case f.longTerm:
				req.SetLongTermKeys()
			}
			reqs = append(reqs, req)
			out = append(out, result{action: a, resource: r, hasBoundary: sim.set.Boundary != nil, hasSCP: len(sim.set.SCPs) > 0, fromAccount: sim.account != nil})
		}
	}
	engines := make([]*evaluator.Engine, len(reqs))
	for i, r := range reqs {
		e, err := sim.engineFor(engine, r.Action, r.Resource)
		if err != nil {
			return nil, err
		}
		engines[i] = e
	}
	// The base engine decides its requests as one batch on every core;
	// requests with an engine of their own (trust policies) one by one.
	var batch []*request.Context
	var at []int
	for i, r := range reqs {
		if engines[i] == engine {
			batch, at = append(batch, r), append(at, i)
		}
	}
	decisions := make([]evaluator.Decision, len(reqs))
	for k, d := range engine.EvaluateBatch(batch, make([]evaluator.Decision, len(batch))) {
		decisions[at[k]] = d
	}
	for i := range out {
		if engines[i] != engine {
			decisions[i] = engines[i].Evaluate(reqs[i])
		}
		out[i].decision = decisions[i]
		if f.output == "explain" {
			ex := engines[i].Explain(reqs[i])
			out[i].explain = &ex
		}
	}
	return out, nil
}

// printErr prints err one problem per line, "file:line:col: code: message".
func printErr(w io.Writer, err error) {
	var list policy.ErrorList
	var ie *inputError
	var ae account.Errors
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			fmt.Fprintln(w, e)
		}
	case errors.As(err, &ae):
		for _, e := range ae {
			fmt.Fprintln(w, e)
		}
	case errors.As(err, &ie):
		fmt.Fprintln(w, ie)
	default:
		fmt.Fprintf(w, "iameval simulate: %v\n", err)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
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
	fmt.Fprintln(stdout, "iameval: no input given, so this is the bundled example (iameval help simulate says how to give your own).")
	fmt.Fprintln(stdout, "Policy force-mfa.json: AWS's \"manage your own credentials, MFA required\" example; caller "+defaultCaller+".")
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
	sim := &simulation{display: map[string]string{"force-mfa.json": "force-mfa.json"}}
	var rows [][]string
	for _, r := range requests {
		for _, c := range creds {
			req := request.New(defaultCaller, r.action, r.resource)
			c.set(req)
			d := engine.Evaluate(req)
			rows = append(rows, []string{r.action, r.resource, c.name, d.Verdict.String(), sim.decidedBy(&d)})
		}
	}
	return writeRows(stdout, []string{"ACTION", "RESOURCE", "CREDENTIALS", "DECISION", "DECIDED BY"}, rows, 3, isTerminal(stdout))
}
