package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/iamapi"
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
      --resource-owner, --context); given with --input, as in the AWS CLI,
      a flag replaces the member of the document it stands for.
  At least one policy is required.

Files: every FILE may be a path, file://FILE or fileb://FILE (as the AWS CLI
takes it), - for stdin (once per run), or the JSON itself. --policy,
--session-policy, --scp and --rcp also take a directory: every policy in its
*.json files, recursively, in lexical order (one list entry each; for --scp
and --rcp one level holding all); JSON that is not a policy is skipped with a
note. --boundary and --resource-policy take a directory holding one policy.
A policy FILE may also be what the AWS CLI prints: aws iam get-policy-version,
get-role (its trust policy), get-role-policy, get-user-policy,
get-group-policy, aws s3api get-bucket-policy, aws organizations
describe-policy; iameval says which member it used, and positions are those
in your file. Files are UTF-8 JSON: a UTF-8 byte order mark is accepted,
UTF-16 and YAML are refused with a line that says so.

With --account, --input may be an aws iam simulate-principal-policy request:
PolicySourceArn names the user, group or role of the account whose policies
are simulated (CallerArn defaults to a user's ARN; a role or a group has no
default caller). A document made with
--generate-cli-skeleton may leave members empty: an empty member is not
given; a value AWS would refuse is refused, at its file:line:col.

The caller: --caller-arn ARN (CallerArn). Without one, the request is decided
as AWS's simulator decides it without CallerArn: by the identity, boundary,
session and organization policies (SCPs, RCPs), never cross-account; a
resource policy then needs a caller (give --caller-arn, or --anonymous for an
unsigned request such as a public read). Nothing is ever assumed.

A caller may also belong to no account, given as a trust policy names it: a
service principal (--caller-arn ec2.amazonaws.com), a web-identity caller as
its identity provider (an oidc-provider ARN such as
arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com,
or cognito-identity.amazonaws.com, accounts.google.com, graph.facebook.com,
www.amazon.com), or a SAML caller as its saml-provider ARN, calling
sts:AssumeRole, sts:AssumeRoleWithWebIdentity or sts:AssumeRoleWithSAML. Only
the trust (resource) policy and RCPs decide such a caller: identity, boundary
and session policies and SCPs do not apply to it, and it is never
cross-account. Give the provider's claims as context keys:
--context token.actions.githubusercontent.com:sub=repo:octo-org/octo-repo:ref:refs/heads/main

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
replaces the MFA keys of an --input document's context (so one document can be
decided under each kind of credential); with a --context entry for an MFA key
on the same command line it is an error.
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

Actions AWS does not know (a typo, a retired action) are decided as written,
and said on stderr, one line each, with the nearest known action:
  iameval: warning: s3:GetObjcet is not an action AWS knows (did you mean
  s3:GetObject?); decided as written
--strict makes that an error (exit 2). Letter case does not matter, as in IAM.
The actions AWS knows are those of the catalogue iameval version names
(iameval expand lists them).

Exit codes: 0 done; 1 a result differs from --expect; 2 bad usage or input
(with --strict, an action AWS does not know).
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
  iameval simulate --resource-policy examples/github-oidc-trust.json \
      --caller-arn arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com \
      --action sts:AssumeRoleWithWebIdentity --resource arn:aws:iam::123456789012:role/deploy \
      --context token.actions.githubusercontent.com:sub=repo:octo-org/octo-repo:ref:refs/heads/main \
      --context token.actions.githubusercontent.com:aud=sts.amazonaws.com

Flags:
`

// simulateSkeleton is the request document "aws iam simulate-custom-policy
// --generate-cli-skeleton" prints: every member empty. Filled in (empty
// members mean "not given"), it is what --cli-input-json and --input take.
const simulateSkeleton = `{
    "PolicyInputList": [
        ""
    ],
    "PermissionsBoundaryPolicyInputList": [
        ""
    ],
    "ActionNames": [
        ""
    ],
    "ResourceArns": [
        ""
    ],
    "ResourcePolicy": "",
    "ResourceOwner": "",
    "CallerArn": "",
    "ContextEntries": [
        {
            "ContextKeyName": "",
            "ContextKeyValues": [
                ""
            ],
            "ContextKeyType": "string"
        }
    ],
    "ResourceHandlingOption": "",
    "MaxItems": 0,
    "Marker": ""
}
`

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Type() string   { return "list" }
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
func (l *fileList) Type() string       { return "files" }
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
	handling       string
	// actionsLater: the command chooses the actions once the policies are
	// read (mfa without --action)
	actionsLater bool
	// actionPatterns: --action may hold wildcards (mfa expands them)
	actionPatterns bool
	levels         string
	output         string
	expect         string
	color          string
	skeleton       string
	strict         bool
}

// exampleCaller is the bundled example's caller (the example says so).
const exampleCaller = "arn:aws:iam::123456789012:user/alice"

func runSimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := newGrammar("simulate", simulateHelp)
	var f simulateFlags
	registerInputFlags(g, &f)
	registerAccountFlags(g, &f, true)
	registerMFAFlags(g, &f)
	g.fs.BoolVar(&f.live, "live-context", false, "derive the principal keys a live request from the caller carries (aws:username, aws:PrincipalArn, ...) instead of using only the context given")
	g.string(&f.output, "output", "o", "table", "output `FORMAT`: table, json or explain")
	g.string(&f.expect, "expect", "", "", "exit 1 unless every result is `DECISION`: allowed, denied, explicitDeny or implicitDeny")
	g.fs.BoolVar(&f.strict, "strict", false, "exit 2 when an action is not one AWS knows (by default a warning on stderr, and the action is decided as written)")
	g.color(&f.color)
	g.fs.StringVar(&f.skeleton, "generate-cli-skeleton", "", "print an empty request document to fill in for --cli-input-json (`input`, as the AWS CLI's), and exit")
	g.fs.Lookup("generate-cli-skeleton").NoOptDefVal = "input"
	g.words = map[string][]string{"generate-cli-skeleton": {"input", "output", "yaml-input"}}
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "simulate")
	if name := g.emptyGiven("caller-arn", "access-level", "principal", "account", "resource-owner"); name != "" {
		return usageErr("%s is empty: give a value, or leave the flag out", name)
	}
	if g.fs.NArg() > 0 {
		return usageErr("unexpected argument %q: simulate takes only flags", g.fs.Arg(0))
	}
	if !g.given() {
		return runExample(stdout, stderr)
	}
	if f.skeleton != "" {
		if f.skeleton != "input" {
			return usageErr("--generate-cli-skeleton %s: only input is supported (the request document for --cli-input-json); simulate -o json prints AWS's response shape", f.skeleton)
		}
		_, err := io.WriteString(stdout, simulateSkeleton)
		if err != nil {
			return exitUsage
		}
		return exitOK
	}
	if err := checkColor(f.color); err != nil {
		return usageErr("%v", err)
	}
	var err error
	if f.output, err = outputFormat(f.output, "table", "json", "explain"); err != nil {
		return usageErr("%v", err)
	}
	switch f.expect {
	case "", "allowed", "denied", "explicitDeny", "implicitDeny":
	default:
		return usageErr("--expect %q: want allowed, denied, explicitDeny or implicitDeny", f.expect)
	}
	if f.mfaFlags() > 1 {
		return usageErr("--mfa-age, --no-mfa-session and --long-term-keys exclude each other")
	}

	sim, err := buildSimulation(&f, newOpener(stdin, stderr))
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	if sim.checkActions("simulate", f.strict, stderr) {
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
		werr = writeTable(stdout, results, sim, colorEnabled(f.color, stdout))
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

// mfaFlagName names the MFA flag given.
func (f *simulateFlags) mfaFlagName() string {
	switch {
	case f.mfaAge.set:
		return "mfa-age"
	case f.noMFASession:
		return "no-mfa-session"
	}
	return "long-term-keys"
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
func registerMFAFlags(g *grammar, f *simulateFlags) {
	g.fs.Var(&f.mfaAge, "mfa-age", "a session validated with MFA `DURATION` ago: 15m, 1h30m, or seconds (900)")
	g.fs.BoolVar(&f.noMFASession, "no-mfa-session", false, "a session without MFA (aws:MultiFactorAuthPresent=false)")
	g.fs.BoolVar(&f.longTerm, "long-term-keys", false, "long-term access keys of an IAM user or the root user: no MFA key")
}

// registerInputFlags adds the flags that say what to decide: the request
// document, or policies, actions, resources, caller and context; and the
// AWS CLI's names for them.
func registerInputFlags(g *grammar, f *simulateFlags) {
	fs := g.fs
	g.string(&f.input, "input", "", "", "SimulateCustomPolicy request `FILE` (- for stdin, file://FILE, or the JSON itself)")
	fs.Var(&f.policies, "policy", "identity policy `FILE` or directory (repeatable)")
	g.string(&f.boundary, "boundary", "", "", "permissions boundary policy `FILE`")
	g.string(&f.resourcePolicy, "resource-policy", "", "", "resource-based policy `FILE` (bucket policy, trust policy, ...)")
	fs.Var(&f.scps, "scp", "SCP `FILE`: one organization level per flag, root first; a file holding a JSON list, or a directory, is a level of several SCPs")
	fs.Var(&f.rcps, "rcp", "RCP `FILE`: one level per flag, as --scp")
	fs.Var(&f.sessions, "session-policy", "session policy `FILE` (repeatable)")
	fs.Var(&f.actions, "action", "`ACTION` to decide, service:Action (repeatable, comma-separated)")
	fs.Var(&f.resources, "resource", "resource `ARN` (repeatable, comma-separated; default *)")
	g.string(&f.caller, "caller-arn", "", "", "the caller's `ARN`: a user, role, session, federated user or root; a service principal; an oidc-provider or saml-provider ARN (or cognito-identity.amazonaws.com); without it only identity-side policies decide (AWS's simulator without CallerArn)")
	fs.BoolVar(&f.anonymous, "anonymous", false, "the request is unsigned (anonymous), for public resources; excludes --caller-arn")
	g.string(&f.owner, "resource-owner", "", "", "`ACCOUNT` that owns the resource (id or arn:aws:iam::ACCOUNT:root)")
	g.string(&f.handling, "resource-handling-option", "", "", "the AWS CLI's EC2 scenario (`OPTION`: EC2-VPC-InstanceStore, EC2-VPC-EBS, ...): accepted and checked, not modelled (each resource is decided on its own)")
	fs.Var(&f.contexts, "context", "context key `KEY=VALUE`, or ContextKeyName=KEY,ContextKeyValues=V1,V2,ContextKeyType=TYPE, or JSON (repeatable; see help)")
	const cli = "the AWS CLI's name; values separated by spaces"
	g.alias(alias{name: "cli-input-json", flag: "input", why: "the AWS CLI's name"})
	g.alias(alias{name: "policy-input-list", flag: "policy", list: true, why: cli})
	g.alias(alias{name: "permissions-boundary-policy-input-list", flag: "boundary", list: true, why: cli + "; one policy"})
	g.alias(alias{name: "action-names", flag: "action", list: true, why: cli})
	g.alias(alias{name: "resource-arns", flag: "resource", list: true, why: cli})
	g.alias(alias{name: "context-entries", flag: "context", list: true, why: cli + ": shorthand entries or JSON"})
}

// registerAccountFlags adds --account and --principal; groups says
// --principal takes a group too (simulate, as SimulatePrincipalPolicy's
// PolicySourceArn does).
func registerAccountFlags(g *grammar, f *simulateFlags, groups bool) {
	g.string(&f.account, "account", "", "", "account snapshot `FILE`: the output of aws iam get-account-authorization-details (all pages)")
	usage := "with --account: one user or role of the account (`PRINCIPAL`: its ARN, its name, or its path and name with user/ or role/ or / before them: role/service-role/deploy, /service-role/deploy)"
	if groups {
		usage += "; or a group, its ARN or group/ and its name (its policies, with no caller, as simulate-principal-policy has it)"
	}
	g.string(&f.principal, "principal", "", "", usage)
}

// hasInputFlags reports whether any flag besides --input gives part of the
// request.
func (f *simulateFlags) hasInputFlags() bool {
	return len(f.policies)+len(f.scps)+len(f.rcps)+len(f.sessions)+len(f.actions)+len(f.resources)+len(f.contexts) > 0 ||
		f.boundary != "" || f.resourcePolicy != "" || f.caller != "" || f.anonymous || f.owner != "" || f.handling != ""
}

// buildSimulation reads the request from --input or from the flags, applies
// the context mode and the MFA flags, and checks that the request can be
// decided truthfully.
func buildSimulation(f *simulateFlags, o *opener) (*simulation, error) {
	var sim *simulation
	var err error
	switch {
	case f.account != "":
		sim, err = simulationFromAccount(f, o)
	case f.principal != "":
		return nil, errors.New("--principal needs --account FILE")
	case f.input != "":
		sim, err = simulationFromInput(f.input, len(f.actions) > 0, o)
		if err == nil {
			err = sim.override(f, o)
		}
		if err == nil && sim.source != "" {
			return nil, fmt.Errorf("%s: PolicySourceArn names a principal whose policies are simulated (a simulate-principal-policy request): give --account FILE, the output of aws iam get-account-authorization-details, to find them", sim.sourceAt)
		}
	default:
		sim, err = simulationFromFlags(f, o)
	}
	if err != nil {
		return nil, err
	}
	if err := sim.applyFlags(f); err != nil {
		return nil, err
	}
	if sim.handling != "" {
		o.note("ResourceHandlingOption %s is accepted but not modelled: each resource is decided on its own, and the resources AWS requires for the scenario are not checked", sim.handling)
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
	if f.mfaFlags() > 0 {
		for _, c := range f.contexts {
			ces, _ := readContextFlag(c, newOpener(nil, nil)) // read and checked already
			for _, ce := range ces {
				if strings.EqualFold(ce.name, request.KeyMultiFactorAuthPresent) || strings.EqualFold(ce.name, request.KeyMultiFactorAuthAge) {
					return fmt.Errorf("--context %s and --%s both set the MFA keys: give one (the MFA flag sets both keys as that kind of credential carries them)", ce.name, f.mfaFlagName())
				}
			}
		}
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
	case request.PrincipalWebIdentity:
		return "a web-identity caller (its identity provider vouches for it)"
	case request.PrincipalSAML:
		return "a SAML caller (its identity provider vouches for it)"
	case request.PrincipalAnonymous:
		return "anonymous"
	}
	return "not an IAM user"
}

// usageError returns a function that prints "iameval CMD: message" on
// stderr and returns the usage exit code.
func usageError(stderr io.Writer, cmd string) func(format string, a ...any) int {
	return func(format string, a ...any) int {
		msg := oneLine(fmt.Sprintf(format, a...))
		if !strings.Contains(msg, "iameval help") {
			msg += " (run 'iameval help " + cmd + "')"
		}
		fmt.Fprintf(stderr, "iameval %s: %s\n", cmd, msg)
		return exitUsage
	}
}

func expectMet(expect string, v evaluator.Verdict) bool {
	if expect == "denied" {
		return v != evaluator.Allowed
	}
	return v.String() == expect
}

// simulationFromInput reads the --input request document; actionsGiven
// says --action gives the actions (readInput).
func simulationFromInput(arg string, actionsGiven bool, o *opener) (*simulation, error) {
	f, err := o.read("--input", arg)
	if err != nil {
		return nil, err
	}
	return readInput(f, actionsGiven)
}

func simulationFromFlags(f *simulateFlags, o *opener) (*simulation, error) {
	if len(f.actions) == 0 && !f.actionsLater {
		return nil, errors.New("no action: give --action service:Action (or --input FILE)")
	}
	return readRequestFlags(f, o)
}

// readRequestFlags reads what the request flags give (policies, actions,
// resources, caller, context), each checked; what no flag gives is empty.
func readRequestFlags(f *simulateFlags, o *opener) (*simulation, error) {
	sim := &simulation{display: map[string]string{}}
	for _, a := range f.actions {
		if f.actionPatterns && strings.ContainsAny(a, "*?") {
			// mfa expands a wildcard to the catalogue's actions
			if a == "*" || strings.Contains(a, ":") {
				continue
			}
		}
		if err := policy.CheckActionName(a); err != nil {
			return nil, fmt.Errorf("--action: %v", err)
		}
	}
	// list reads a repeatable policy flag: each policy of each file (or
	// directory) is one entry of the list named field.
	list := func(flag, field string, args []string) ([]*policy.Policy, error) {
		var out []*policy.Policy
		for _, arg := range args {
			docs, err := o.policies(flag, arg)
			if err != nil {
				return nil, err
			}
			for _, d := range docs {
				p, err := d.parse(field+"."+strconv.Itoa(len(out)+1), sim)
				if err != nil {
					return nil, err
				}
				out = append(out, p)
			}
		}
		return out, nil
	}
	one := func(flag, id, arg string) (*policy.Policy, error) {
		d, err := o.onePolicy(flag, arg)
		if err != nil {
			return nil, err
		}
		return d.parse(id, sim)
	}
	levels := func(flag, field string, args []string) ([][]*policy.Policy, error) {
		var out [][]*policy.Policy
		for i, arg := range args {
			level, err := o.level(flag, arg, field+"."+strconv.Itoa(i+1), sim)
			if err != nil {
				return nil, err
			}
			out = append(out, level)
		}
		return out, nil
	}
	var err error
	if sim.set.Identity, err = list("--policy", "PolicyInputList", f.policies); err != nil {
		return nil, err
	}
	if f.boundary != "" {
		if sim.set.Boundary, err = one("--boundary", "PermissionsBoundaryPolicyInputList.1", f.boundary); err != nil {
			return nil, err
		}
	}
	if f.resourcePolicy != "" {
		if sim.set.Resource, err = one("--resource-policy", "ResourcePolicy", f.resourcePolicy); err != nil {
			return nil, err
		}
	}
	if sim.set.Session, err = list("--session-policy", "SessionPolicyInputList", f.sessions); err != nil {
		return nil, err
	}
	if sim.set.SCPs, err = levels("--scp", "ServiceControlPolicyInputList", f.scps); err != nil {
		return nil, err
	}
	if sim.set.RCPs, err = levels("--rcp", "ResourceControlPolicyInputList", f.rcps); err != nil {
		return nil, err
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
	if err := checkHandlingOption(f.handling); err != nil {
		return nil, fmt.Errorf("--resource-handling-option: %v", err)
	}
	sim.handling = f.handling
	for _, c := range f.contexts {
		ces, err := readContextFlag(c, o)
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
		line += "\nResource owner: " + resourceOwnerDefault + " (" + resourceOwnerDefaultWhy + ")."
	}
	return line
}

// resourceOwnerDefault is AWS's default for ResourceOwner, and
// resourceOwnerDefaultWhy where it comes from: simulate and mfa say them
// rather than assume them silently.
const (
	resourceOwnerDefault    = "the account a resource ARN names, else the caller's"
	resourceOwnerDefaultWhy = "AWS's default for ResourceOwner; --resource-owner sets it"
)

// modeText says which context mode decided.
func (sim *simulation) modeText() string {
	if sim.live {
		return "live request (--live-context): the caller's principal keys are derived, then the keys given"
	}
	return "only the keys the request supplies, as in AWS's simulator (nothing derived from the caller; --live-context derives it)"
}

// run builds every request and decides it, as iamapi.Simulation decides
// for every front end (the IAM Query API of iameval serve included).
func (sim *simulation) run(engine *evaluator.Engine, explain bool) ([]result, error) {
	resources := sim.resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	// every request and result in one allocation each: a result holds
	// its Decision by value, so growing the slice would copy them all
	n := len(sim.actions) * len(resources)
	reqs := make([]*request.Context, 0, n)
	out := make([]result, 0, n)
	for _, a := range sim.actions {
		for _, r := range resources {
			reqs = append(reqs, sim.newRequest(a, r))
			out = append(out, result{action: a, resource: r, hasBoundary: sim.set.Boundary != nil, hasSCP: len(sim.set.SCPs) > 0, fromAccount: sim.account != nil})
		}
	}
	s := &iamapi.Simulation{Set: sim.set, Base: engine, Account: sim.account}
	decisions, engines, err := s.Decide(reqs)
	if err != nil {
		return nil, err
	}
	for i := range out {
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
		// a usage error, or a file that cannot be opened: one line, with
		// the command's help
		msg := oneLine(err.Error())
		if !strings.Contains(msg, "iameval help") {
			msg += " (run 'iameval help " + cmd + "')"
		}
		fmt.Fprintf(w, "iameval %s: %s\n", cmd, msg)
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
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "iameval simulate: %v\n", err)
		return exitUsage
	}
	return exitOK
}
