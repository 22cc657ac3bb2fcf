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
which statements (or which rule of AWS's evaluation logic) decided.

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
      of policies), SessionPolicyInputList, and AnonymousCaller (true for an
      unsigned request). Policies are JSON strings, as AWS takes them, or
      inline objects.
  or the policy flags below (--policy, --boundary, --resource-policy, --scp,
      --rcp, --session-policy, --action, --resource, --caller-arn, --anonymous,
      --resource-owner, --context).
  At least one policy is required.

The caller: --caller-arn ARN (CallerArn). Without one, the request is decided
as AWS's simulator decides it without CallerArn: by the identity, boundary,
session and organization policies (SCPs, RCPs), never cross-account; a
resource policy then needs a caller (give --caller-arn, or --anonymous for an
unsigned request such as a public read). Nothing is ever assumed.

The context: exactly what the request supplies (ContextEntries, --context, the
MFA flags), as in AWS's simulator, which derives nothing from CallerArn: a
policy that needs aws:username gets it only if you give it, and every key a
policy needed and lacked is listed in MissingContextValues. --live-context
instead derives the principal keys a live request from the caller carries
(aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username for
users, aws:userid for the root user; with --account, also what the dump tells
of the principal: its tags as aws:PrincipalTag/KEY, its unique id as
aws:userid, and for a role, a session of it as the caller) before the keys
you give.

--context takes one key per flag, in one of three forms:
  KEY=VALUE                 one value, verbatim (colons, commas and all): a
                            string, or the type AWS fixes for a global key
                            (aws:MultiFactorAuthPresent=true is boolean,
                            aws:SourceIp ip, aws:TagKeys a stringList, ...)
  ContextKeyName=KEY,ContextKeyValues=V1,V2,ContextKeyType=TYPE
                            the AWS CLI's shorthand: any type, several values
  '{"ContextKeyName": "KEY", "ContextKeyValues": ["V"], "ContextKeyType": "ip"}'
                            JSON, an object or a list of them
TYPE is one of the simulator's twelve, in any letter case: string, stringList,
numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList,
date, dateList. A key needs its service prefix (aws:SourceIp, s3:prefix).

MFA: say how the request was signed. Without an MFA flag or context entry the
request carries no MFA key, exactly as with long-term access keys. An MFA flag
replaces the MFA keys of the context (so one --input document can be decided
under each kind of credential).
  --long-term-keys     no MFA key at all (IAM user or root access keys; not
                       for roles and sessions, which have no long-term keys)
  --no-mfa-session     aws:MultiFactorAuthPresent=false (temporary credentials
                       without MFA, a console sign-in without MFA)
  --mfa-age 15m        aws:MultiFactorAuthPresent=true and
                       aws:MultiFactorAuthAge=900 (a duration, or seconds: 900)

Output (--output):
  table    the caller and context mode, then one row per action x resource
           (default; colour on a terminal only)
  json     exactly AWS's SimulatePolicyResponse (EvaluationResults, ...)
  explain  for each result, the request (caller, action, resource, every
           context key with its type), the statement or rule that decided and,
           for every statement that did not apply, the first reason why

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
      --context aws:SourceVpc=vpc-1a2b3c4d \
      --context ContextKeyName=aws:SourceIp,ContextKeyValues=203.0.113.7,ContextKeyType=ip \
      --context ContextKeyName=aws:TagKeys,ContextKeyValues=env,team,ContextKeyType=stringList
  iameval simulate --resource-policy bucket.json --anonymous \
      --action s3:GetObject --resource arn:aws:s3:::site/index.html

Flags:
`

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s == "" {
			return fmt.Errorf("%q holds an empty value (write values separated by commas)", v)
		}
		*l = append(*l, s)
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
	anonymous      bool
	owner          string
	contexts       fileList
	account        string
	principal      string
	live           bool
	mfaAge         mfaAgeFlag
	noMFASession   bool
	longTerm       bool
	output         string
	expect         string
}

// exampleCaller is the bundled example's caller (the example says so).
const exampleCaller = "arn:aws:iam::123456789012:user/alice"

func runSimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f simulateFlags
	registerInputFlags(fs, &f)
	registerAccountFlags(fs, &f)
	registerMFAFlags(fs, &f)
	fs.BoolVar(&f.live, "live-context", false, "derive the principal keys a live request from the caller carries (aws:username, aws:PrincipalArn, ...) instead of using only the context given")
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
	if f.mfaFlags() > 1 {
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
	results, err := sim.run(engine, f.output == "explain")
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

// mfaFlags counts the MFA flags given.
func (f *simulateFlags) mfaFlags() int {
	n := 0
	for _, b := range []bool{f.mfaAge.set, f.noMFASession, f.longTerm} {
		if b {
			n++
		}
	}
	return n
}

// registerMFAFlags adds the MFA shorthands.
func registerMFAFlags(fs *flag.FlagSet, f *simulateFlags) {
	fs.Var(&f.mfaAge, "mfa-age", "a session validated with MFA `DURATION` ago: 15m, 1h30m, or seconds (900)")
	fs.BoolVar(&f.noMFASession, "no-mfa-session", false, "a session without MFA (aws:MultiFactorAuthPresent=false)")
	fs.BoolVar(&f.longTerm, "long-term-keys", false, "long-term access keys of an IAM user or the root user: no MFA key")
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
	fs.StringVar(&f.caller, "caller-arn", "", "the caller's `ARN`; without it only identity-side policies decide (AWS's simulator without CallerArn)")
	fs.BoolVar(&f.anonymous, "anonymous", false, "the request is unsigned (anonymous), for public resources; excludes --caller-arn")
	fs.StringVar(&f.owner, "resource-owner", "", "`ACCOUNT` that owns the resource (id or arn:aws:iam::ACCOUNT:root)")
	fs.Var(&f.contexts, "context", "context key `KEY=VALUE`, or ContextKeyName=KEY,ContextKeyValues=V1,V2,ContextKeyType=TYPE, or JSON (repeatable; see help)")
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
		f.boundary != "" || f.resourcePolicy != "" || f.caller != "" || f.anonymous || f.owner != ""
}

// buildSimulation reads the request from --input or from the flags, applies
// the context mode and the MFA flags, and checks that the request can be
// decided truthfully.
func buildSimulation(f *simulateFlags, stdin io.Reader) (*simulation, error) {
	var sim *simulation
	var err error
	switch {
	case f.account != "":
		sim, err = simulationFromAccount(f)
	case f.principal != "":
		return nil, errors.New("--principal needs --account FILE")
	case f.input != "":
		if f.hasInputFlags() {
			return nil, errors.New("--input holds the whole request: give either --input or the policy, action, resource, caller and context flags")
		}
		sim, err = simulationFromInput(f.input, stdin)
	default:
		sim, err = simulationFromFlags(f)
	}
	if err != nil {
		return nil, err
	}
	if err := sim.applyFlags(f); err != nil {
		return nil, err
	}
	return sim, nil
}

// applyFlags applies the flags that go with any input (the context mode and
// the MFA flags) and refuses a request that cannot be decided truthfully: no
// policy at all, a resource policy without a caller, long-term keys for a
// caller that has none, an MFA key given twice.
func (sim *simulation) applyFlags(f *simulateFlags) error {
	sim.live = f.live
	if f.mfaFlags() > 1 {
		return errors.New("--mfa-age, --no-mfa-session and --long-term-keys exclude each other")
	}
	switch {
	case f.mfaAge.set:
		sim.mfa = mfaScenario{kind: mfaWithMFA, age: f.mfaAge.age}
	case f.noMFASession:
		sim.mfa = mfaScenario{kind: mfaSessionWithout}
	case f.longTerm:
		sim.mfa = mfaScenario{kind: mfaLongTermKeys}
	}
	if err := duplicateKeys(sim.context); err != nil {
		return err
	}
	if sim.mfa.kind == mfaLongTermKeys && sim.principal != nil && sim.principal.Kind == account.KindRole {
		return fmt.Errorf("--long-term-keys: %s is a role, and roles have no long-term access keys (their sessions carry aws:MultiFactorAuthPresent=false); use --no-mfa-session", sim.principal)
	}
	if sim.mfa.kind == mfaLongTermKeys {
		switch k := request.ParsePrincipal(sim.caller).Kind; k {
		case request.PrincipalNone, request.PrincipalUser, request.PrincipalRoot:
		default:
			return fmt.Errorf("--long-term-keys: the caller %s is %s, which has no long-term access keys (only IAM users and the root user do); use --no-mfa-session or --mfa-age", sim.callerName(), principalKindName(k))
		}
	}
	s := &sim.set
	if len(s.Identity) == 0 && s.Boundary == nil && len(s.Session) == 0 && s.Resource == nil && len(s.SCPs) == 0 && len(s.RCPs) == 0 && sim.account == nil {
		return errors.New("no policy: give --policy FILE (or --boundary, --resource-policy, --session-policy, --scp, --rcp), or a PolicyInputList in --input; with no policy every request is denied and nothing is checked")
	}
	if s.Resource != nil && sim.caller == "" {
		return errors.New("a resource policy needs a caller (AWS's simulator requires CallerArn with a ResourcePolicy): give --caller-arn ARN, or --anonymous for an unsigned request")
	}
	return nil
}

func principalKindName(k request.PrincipalKind) string {
	switch k {
	case request.PrincipalRole:
		return "a role"
	case request.PrincipalAssumedRole:
		return "a role session"
	case request.PrincipalFederatedUser:
		return "a federated-user session"
	case request.PrincipalService:
		return "a service principal"
	case request.PrincipalAnonymous:
		return "anonymous"
	}
	return "not an IAM user"
}

// parseFlags prints the command's help on stdout when args ask for it, and
// otherwise parses args; done says the command must stop with code.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, done bool) {
	if helpRequested(args) {
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK, true
	}
	// A bad flag is one line naming it, not the whole help.
	errOut := fs.Output()
	usage := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(errOut)
	if err != nil {
		fmt.Fprintf(errOut, "iameval %s: %v (run 'iameval help %s')\n", fs.Name(), err, fs.Name())
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
		if err := policy.CheckActionName(a); err != nil {
			return nil, fmt.Errorf("--action: %v", err)
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
		if err := checkCaller(sim.caller); err != nil {
			return nil, fmt.Errorf("--caller-arn: %v", err)
		}
	}
	if f.anonymous {
		if f.caller != "" {
			return nil, errors.New("--caller-arn and --anonymous exclude each other")
		}
		sim.caller = request.Anonymous
	}
	if f.owner != "" && !isOwner(f.owner) {
		return nil, fmt.Errorf("--resource-owner %q: want a 12-digit account id or arn:aws:iam::ACCOUNT:root", f.owner)
	}
	sim.set.ResourceOwner = f.owner
	for _, c := range f.contexts {
		ces, err := parseContextFlag(c)
		if err != nil {
			return nil, err
		}
		sim.context = append(sim.context, ces...)
	}
	return sim, nil
}

// result is one decided action x resource.
type result struct {
	action, resource string
	req              *request.Context
	decision         evaluator.Decision
	explain          *evaluator.Explanation
	hasBoundary      bool
	hasSCP           bool
	fromAccount      bool
}

// mfaKind is how a request was signed, as the MFA flags say.
type mfaKind uint8

const (
	mfaNotGiven       mfaKind = iota // no flag: the context decides
	mfaLongTermKeys                  // no MFA key
	mfaSessionWithout                // aws:MultiFactorAuthPresent=false
	mfaWithMFA                       // true, with an age
)

// mfaScenario is the MFA flags' say on a request.
type mfaScenario struct {
	kind mfaKind
	age  time.Duration
}

func (m mfaScenario) apply(req *request.Context) {
	switch m.kind {
	case mfaLongTermKeys:
		req.SetLongTermKeys()
	case mfaSessionWithout:
		req.SetSessionWithoutMFA()
	case mfaWithMFA:
		req.SetSessionWithMFA(m.age)
	}
}

// newRequest builds the request for action on resource: the caller, the
// principal keys of a live request when --live-context asks for them, then
// the context given, then the MFA flags.
func (sim *simulation) newRequest(action, resource string) *request.Context {
	req := &request.Context{Principal: sim.caller, Action: action, Resource: resource}
	if sim.live {
		req.DerivePrincipalKeys()
		if sim.principal != nil && sim.caller == sim.principal.Caller {
			// what the dump tells of the principal: its tags, its id
			sim.principal.DeriveKeys(req)
		}
	}
	for _, ce := range sim.context {
		_ = req.Set(ce.name, ce.typ, ce.values...) // checked when read
	}
	sim.mfa.apply(req)
	return req
}

// callerName names the caller for people.
func (sim *simulation) callerName() string {
	switch sim.caller {
	case "":
		return "none"
	case request.Anonymous:
		return "anonymous (an unsigned request)"
	}
	return sim.caller
}

// callerLine says who the caller is and how the context was built.
func (sim *simulation) callerLine() string {
	caller := sim.callerName()
	if p := sim.principal; p != nil && p.Kind == account.KindRole && sim.caller == p.Caller {
		caller += " (a session of " + p.String() + "; the session name is iameval's, as no --caller-arn names one)"
	}
	if sim.caller == "" {
		caller = "none (as AWS's simulator without CallerArn: no resource policy, no cross-account reasoning, no principal key; identity, boundary, session and organization policies decide)"
	}
	line := "Caller: " + caller + ".\nContext: " + sim.modeText() + "."
	if sim.set.Resource != nil && sim.set.ResourceOwner == "" {
		// AWS's default for ResourceOwner, said rather than assumed
		line += "\nResource owner: the account a resource ARN names, else the caller's (AWS's default for ResourceOwner; --resource-owner sets it)."
	}
	return line
}

// modeText says which context mode decided.
func (sim *simulation) modeText() string {
	if sim.live {
		return "live request (--live-context): the caller's principal keys are derived, then the keys given"
	}
	return "only the keys the request supplies, as in AWS's simulator (nothing derived from the caller; --live-context derives it)"
}

// run builds every request and decides it.
func (sim *simulation) run(engine *evaluator.Engine, explain bool) ([]result, error) {
	resources := sim.resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	var reqs []*request.Context
	var out []result
	for _, a := range sim.actions {
		for _, r := range resources {
			reqs = append(reqs, sim.newRequest(a, r))
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
		out[i].req = reqs[i]
		if explain {
			ex := engines[i].Explain(reqs[i])
			out[i].explain = &ex
		}
	}
	return out, nil
}

// printErr prints err one problem per line, "file:line:col: code: message".
func printErr(w io.Writer, err error) { printCmdErr(w, "simulate", err) }

// printCmdErr is printErr for the command cmd, which names errors without a
// position: "iameval CMD: message".
func printCmdErr(w io.Writer, cmd string, err error) {
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
		fmt.Fprintf(w, "iameval %s: %v\n", cmd, err)
	}
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
	out := newWrapWriter(stdout)
	fmt.Fprintln(out, "iameval: no input given, so this is the bundled example (iameval help simulate says how to give your own).")
	fmt.Fprintln(out, "Policy force-mfa.json: AWS's \"manage your own credentials, MFA required\" example.")
	fmt.Fprintln(out, "Caller: "+exampleCaller+", the example's own.")
	fmt.Fprintln(out, "Context: a live request from that caller (as --live-context): aws:username=alice and its other principal keys, then the MFA state of each row.")
	fmt.Fprintln(out)
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
	// one heading per request, its credentials below: five columns do not
	// fit a 100-column terminal
	var rows [][]string
	for _, r := range requests {
		rows = append(rows, []string{r.action + " on " + r.resource})
		for _, c := range creds {
			req := request.New(exampleCaller, r.action, r.resource)
			c.set(req)
			d := engine.Evaluate(req)
			rows = append(rows, []string{c.name, d.Verdict.String(), sim.decidedBy(&d, r.action)})
		}
	}
	writeRows(out, []string{"CREDENTIALS", "DECISION", "DECIDED BY"}, rows, isTerminal(stdout))
	if out.Flush() != nil {
		return exitUsage
	}
	return exitOK
}
