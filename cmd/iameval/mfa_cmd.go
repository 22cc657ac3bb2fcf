package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/request"
)

const mfaHelp = `Usage: iameval mfa [flags]

What can a caller do without MFA? For every action x resource, decides the
request with long-term access keys (no MFA key), with a session without MFA,
and with MFA at every age where an aws:MultiFactorAuthAge threshold in the
policies changes the answer, then reports:

  mfa-required      allowed only with MFA
  mfa-not-required  allowed without MFA
  never-allowed     denied whatever the credentials
  inverted          allowed without MFA but not with it

and the largest MFA age still allowed ("no limit" when any age is). It names
each bypass: a Deny that long-term keys slip past (Bool instead of
BoolIfExists, NumericGreaterThan on the age) or an Allow they slip through
(BoolIfExists true, NumericLessThanIfExists), with the fix.

Takes the same policy input as simulate: --input FILE (the SimulateCustomPolicy
document) or the policy flags, and the same files: a path, file://FILE, - for
stdin, the JSON itself, a directory of policies, or AWS CLI output holding a
policy (see iameval help simulate).

What is checked: the actions --action names (a wildcard such as 'iam:*' or
's3:*Object' is expanded to the actions of AWS's catalogue it matches: at the
levels --access-level gives, at every level without it); without --action,
every action of the catalogue at the access levels --access-level gives
(default write,permissions-management) that an Allow statement of the
policies can grant, its Action expanded and NotAction taken as everything it
does not exclude. The catalogue is AWS's Service Authorization Reference
(iameval version names its version). Each
action is checked against every resource the policies name for it — each
Resource entry of every statement whose Action or NotAction matches, rendered
into a resource it matches (a literal ARN as written; ${aws:username} and other
variables take the caller's values; a wildcard account becomes the caller's) —
and against *; a wildcard entry, and *, stand for a resource of each of the
action's resource types they can match, named from the type's ARN format
(arn:aws:s3:::reports/objectname for arn:aws:s3:::reports/*), as a live request
always names one. With a caller, a resource made in the caller's account from
an entry that leaves the account open stands beside resources of other
accounts (made-up account numbers the entry matches, decided without the RCPs
and the aws:Resource... keys given): when the caller's policies let one
through without MFA, or may, it is listed as a request on another account's
resource, not checked (not with a resource policy given). --resource narrows
this to the resources you give; a pattern (arn:aws:s3:::reports/*, or *) stands for the resources it covers:
its own instances, and every resource the policies name within it. With
many actions the table and markdown summarise per service and access level
(-o json lists every result).

The requests model live requests: with --caller-arn, the caller's principal keys
are derived as AWS sends them (aws:username, aws:PrincipalArn, ...). Without a
caller, only identity-side policies decide and no principal key exists: Resource
entries that need one are listed as not checked, never dropped. A result whose
decisions needed a context key you did not give (aws:SourceIp, say) is marked as
depending on it and, unless it is allowed without MFA, counted as undecided,
never as requiring MFA or never allowed. The summary counts the requests
checked and their verdicts, and says what was not checked: its counts only
ever count what was checked. A request is cross-account when the resource's
owner is not the caller's account: the owner of a resource whose ARN names
no account is --resource-owner (or the request document's ResourceOwner),
else AWS's default, the caller's account; every format states the owner
used whenever it can change an answer (a resource policy or an owner is
given, or a request names such a resource).

With --account FILE (the output of
aws iam get-account-authorization-details) it analyses every user and role of
the account (or one, with --principal), each with its own policies, groups and
boundary, against the resources its policies name (or --resource), as live
requests: a user as its own ARN, with long-term keys, a session without MFA and
MFA; a role as one of its sessions (arn:aws:sts::ACCOUNT:assumed-role/ROLE/iameval),
which carries aws:MultiFactorAuthPresent=false whatever MFA was used to get it.
Who can get a role session, and with which credentials, is decided by
sts:AssumeRole against the role's trust policy: every user (each credential
state) and every role session (without MFA) of the account, and the services,
identity providers and outside principals the trust policy names (those
outside the dump are decided on the trust side only and counted as reachable,
the safe side). Each role is reported reachable without MFA (via whom), only
with MFA, undecided, or by nobody; what a role reachable only with MFA can do
is not counted as usable without MFA, and a role whose own policies allow an
action only with MFA is reported as blocking it in every session. The summary
counts principals ("7 users can s3:DeleteObject with long-term keys and no
MFA"), says how many requests were decided, and says what was not checked
(Resource entries, results that depend on context keys not given, roles whose
reachability does, principals outside the dump); "0 of N" means everything
counted was checked. With --account, --expect takes only mfa-required and
also fails when something was not checked; --policy, --boundary,
--resource-policy, --session-policy, --caller-arn, --anonymous and
--resource-owner do not apply (--scp, --rcp and --context do). The actions are
chosen as without --account, for each principal: --action (wildcards expanded
at --access-level, every level without it), or, without it, every action of
the catalogue at the access levels (default write,permissions-management)
that the principal's own identity policies (its inline and managed policies
and its groups') can allow; what it can do through a role is that role's own
report. With many actions
(the catalogue's, or more than 20) each principal is summarised in every
format: its actions without MFA counted per access level and per service and
access level, with the statements that allow them, the bypasses and the most
telling actions by name ("user alice: 412 write and 37 permissions-management
actions without MFA (long-term keys), including iam:CreateAccessKey, ..."); the
JSON names every action without MFA, and the account's summary counts the
principals per service and access level.

Output (--output): table (default), json, or markdown (a pull-request comment).
An action you name that AWS does not know is checked as written, with a
warning on stderr naming the nearest known action (as simulate does).

Exit codes: 0 done; 1 a verdict differs from --expect; 2 bad usage or input.

Examples:
  iameval mfa --policy force-mfa.json
  iameval mfa --policy admin.json --policy deny-without-mfa.json \
      --action s3:DeleteObject --resource arn:aws:s3:::reports/q3.csv --output markdown
  iameval mfa --input request.json --expect mfa-required   # CI: exit 1 if anything is allowed without MFA
  iameval mfa --account account.json --expect mfa-required   # CI: exit 1 if anything is usable without MFA or not checked

Flags:
`

func runMFA(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runMFAWith(args, stdin, stdout, stderr, accountHooks{})
}

// runMFAWith is runMFA with the hooks tests give runMFAAccount.
func runMFAWith(args []string, stdin io.Reader, stdout, stderr io.Writer, hooks accountHooks) int {
	g := newGrammar("mfa", mfaHelp)
	var f simulateFlags
	registerInputFlags(g, &f)
	registerAccountFlags(g, &f, false)
	g.string(&f.output, "output", "o", "table", "output `FORMAT`: table, json or markdown")
	g.string(&f.levels, "access-level", "", "", "check the actions at these access `LEVELS` (list, read, write, permissions-management, tagging; comma-separated): of --action's wildcards (default every level), or without --action of every action the policies can allow (default write,permissions-management); an action named in full is checked whatever its level")
	g.string(&f.expect, "expect", "", "", "exit 1 unless every verdict is `VERDICT`: mfa-required (met by never-allowed too: nothing is allowed without MFA), mfa-not-required, never-allowed or inverted")
	g.color(&f.color)
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "mfa")
	if name := g.emptyGiven("caller-arn", "access-level", "principal", "account", "resource-owner"); name != "" {
		return usageErr("%s is empty: give a value, or leave the flag out", name)
	}
	var sel mfaSelection
	{
		var err error
		if sel.levels, sel.levelsGiven, err = parseMFALevels(f.levels); err != nil {
			return usageErr("%v", err)
		}
	}
	if g.fs.NArg() > 0 {
		return usageErr("unexpected argument %q: mfa takes only flags", g.fs.Arg(0))
	}
	if err := checkColor(f.color); err != nil {
		return usageErr("%v", err)
	}
	var err error
	if f.output, err = outputFormat(f.output, "table", "json", "markdown"); err != nil {
		return usageErr("%v", err)
	}
	switch f.expect {
	case "", "mfa-required", "mfa-not-required", "never-allowed", "inverted":
	default:
		return usageErr("--expect %q: want mfa-required, mfa-not-required, never-allowed or inverted", f.expect)
	}
	// (with --account too: each principal's MFA keys are the analysis's)
	for _, c := range f.contexts {
		if ces, err := readContextFlag(c, newOpener(nil, nil)); err == nil {
			for _, ce := range ces {
				if strings.EqualFold(ce.name, request.KeyMultiFactorAuthPresent) || strings.EqualFold(ce.name, request.KeyMultiFactorAuthAge) {
					return usageErr("--context %s: mfa sets the MFA keys itself, for every kind of credential; to decide one, use iameval simulate", ce.name)
				}
			}
		}
	}
	o := newOpener(stdin, stderr)
	if f.account != "" {
		if f.input != "" {
			return usageErr("--account and --input exclude each other")
		}
		return runMFAAccount(&f, &sel, o, stdout, stderr, hooks)
	}
	sel.fromPolicies = f.input == "" && len(f.actions) == 0
	f.actionsLater, f.actionPatterns = sel.fromPolicies, true
	if f.input == "" && len(f.policies)+len(f.scps)+len(f.rcps)+len(f.sessions) == 0 && f.boundary == "" && f.resourcePolicy == "" {
		return usageErr("no policy: give --policy FILE (and the other policy flags) or --input FILE")
	}
	if f.anonymous {
		return usageErr("--anonymous: an unsigned request carries no credentials, so MFA does not apply to it; decide it with iameval simulate --anonymous")
	}
	sim, err := buildSimulation(&f, o)
	if err != nil {
		printCmdErr(stderr, "mfa", err)
		return exitUsage
	}
	if !sel.fromPolicies {
		// the actions the user named (wildcards are expanded below)
		sim.checkActions("mfa", false, stderr)
	}
	for _, ce := range sim.context {
		if strings.EqualFold(ce.name, request.KeyMultiFactorAuthPresent) || strings.EqualFold(ce.name, request.KeyMultiFactorAuthAge) {
			fmt.Fprintf(stderr, "iameval mfa: the request document's ContextEntries give %s: mfa replaces the MFA keys with each kind of credential it decides, so that value is not used\n", ce.name)
		}
	}
	if k := request.ParsePrincipal(sim.caller).Kind; sim.caller != "" && k.Identityless() {
		return usageErr("the caller %s is %s, which signs no request with IAM credentials, so MFA does not apply to it; decide it with iameval simulate", sim.caller, principalKindName(k))
	}
	engine, err := evaluator.Compile(sim.set)
	if err != nil {
		printCmdErr(stderr, "mfa", err)
		return exitUsage
	}
	if err := sim.chooseActions(engine, &sel, sim.actions); err != nil {
		return usageErr("%v", err)
	}
	if len(sel.unknown) > 0 {
		fmt.Fprintf(stderr, "iameval mfa: %s the catalogue does not know, so no action of %s was checked: %s\n",
			count(len(sel.unknown), "Action entry of the policies is one", "Action entries of the policies are ones"), agree(len(sel.unknown), "it", "them"), strings.Join(sel.unknown, ", "))
	}
	sim.selection = &sel
	rep := sim.analyzeMFA(engine)
	rep.owner = sim.mfaResourceOwner(&rep, f.owner != "")
	rep.unknownEntries = sel.unknown
	rep.unknownActions = unknownActionNotes(sim)
	switch f.output {
	case "json":
		err = writeMFAJSON(stdout, &rep, sim)
	case "markdown":
		err = writeMFAMarkdown(stdout, &rep, sim)
	case "table":
		if sim.summarised() {
			err = writeMFACatalogTable(stdout, &rep, sim, &sel, colorEnabled(f.color, stdout))
			break
		}
		err = writeMFATable(stdout, &rep, sim, colorEnabled(f.color, stdout))
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval mfa: %v\n", err)
		return exitUsage
	}
	if f.expect != "" {
		for _, r := range rep.rows {
			if r.otherAccount == "" && !expectMFA(f.expect, r.Verdict) {
				fmt.Fprintf(stderr, "iameval mfa: %s on %s is %s, expected %s\n", r.Action, r.Resource, r.Verdict, f.expect)
				return exitCheck
			}
		}
		if len(rep.unchecked) > 0 {
			fmt.Fprintf(stderr, "iameval mfa: --expect %s cannot be confirmed: %s not checked (see the output)\n", f.expect, count(len(rep.unchecked), "Resource entry was", "Resource entries were"))
			return exitCheck
		}
		if n := len(rep.unknownEntries); n > 0 {
			fmt.Fprintf(stderr, "iameval mfa: --expect %s cannot be confirmed: %s the catalogue does not know, so no action of %s was checked (see the output)\n", f.expect, count(n, "Action entry", "Action entries"), agree(n, "it", "them"))
			return exitCheck
		}
		if n := rep.incomplete(); n > 0 {
			fmt.Fprintf(stderr, "iameval mfa: --expect %s cannot be confirmed: %s on context keys that were not given (see the output)\n", f.expect, count(n, "result depends", "results depend"))
			return exitCheck
		}
		if n := rep.otherAccounts(); n > 0 {
			fmt.Fprintf(stderr, "iameval mfa: --expect %s cannot be confirmed: %s not checked, whose own %s not given (see the output)\n", f.expect, count(n, "request on another account's resource was", "requests on other accounts' resources were"), agree(n, "policy was", "policies were"))
			return exitCheck
		}
		if expectUnknownActions(stderr, f.expect, rep.unknownActions) {
			return exitCheck
		}
	}
	return exitOK
}

// derivedFromCaller reports a key a live request's caller gives
// (request.Context.DerivePrincipalKeys), which --caller-arn supplies.
func derivedFromCaller(k string) bool {
	for _, d := range []string{"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:username", "aws:userid", "aws:PrincipalServiceName", "aws:PrincipalIsAWSService"} {
		if strings.EqualFold(k, d) {
			return true
		}
	}
	return false
}

// expectMFA reports whether a verdict meets --expect: mfa-required is met
// by every verdict that allows nothing without MFA (mfa-required, and
// never-allowed: a resource nothing grants, such as another user's, or one
// made from a wildcard that the policies do not allow), the others only by
// themselves.
func expectMFA(expect string, v mfa.Verdict) bool {
	if expect == "mfa-required" {
		return v == mfa.Required || v == mfa.NeverAllowed
	}
	return v.String() == expect
}

// mfaRow is the MFA analysis of one action x resource, with the context
// keys its decisions needed and the request did not carry.
type mfaRow struct {
	mfa.Result
	missing []string
	// otherAccount is the account that owns the resource when it is not
	// the caller's and its own policy was not given: the request across
	// accounts needs that policy to allow it too, so the verdict is only
	// the caller's own policies' (decided as if the resource were the
	// caller's account's: otherAccountSide); set only when the caller's
	// policies allow it without MFA (a verdict the resource's policy may
	// not bear out): MFA required, or never allowed, on the caller's side
	// holds whatever the resource's policy says
	otherAccount string
	// standIn says otherAccount is made up: the resource stands for the
	// resources of other accounts that the pattern it is within leaves
	// open (mfa.OtherAccountInstances)
	standIn bool
	// madeUp says the resource's account is made up, the row checked
	// all the same: its entry's account field is only partly open, and
	// does not match the caller's (mfa.MadeUpAccount); ownerless says the
	// resource's ARN names no account (an S3 bucket), and the row is that
	// resource as if another account owned it (otherAccountStandIn)
	madeUp, ownerless bool
}

// otherAccountNote says, after a verdict, whose resource r's is when its
// policy was not given, and that a made-up account is one ("" for the
// others).
func (r *mfaRow) otherAccountNote() string {
	switch {
	case r.otherAccount != "":
		return " (a resource of " + r.accountWords() + ", whose policy was not given: it must allow the request too)"
	case r.madeUp:
		return " (a resource of a made-up account, standing for those its entry matches)"
	}
	return ""
}

// accountWords names the account that owns r's resource, one not the
// caller's: "account 999999999999", or for a stand-in "another account
// (000000000000 standing for any)", or for a resource whose ARN names no
// account "another account than the caller's, as if it owned the resource
// (000000000000 standing for any)".
func (r *mfaRow) accountWords() string {
	switch {
	case r.ownerless:
		return "another account than the caller's, as if it owned the resource (" + r.otherAccount + " standing for any)"
	case r.standIn:
		return "another account (" + r.otherAccount + " standing for any)"
	}
	return "account " + r.otherAccount
}

// otherAccounts counts the rows on other accounts' resources whose
// policies were not given.
func (r *mfaReport) otherAccounts() int {
	n := 0
	for _, row := range r.rows {
		if row.otherAccount != "" {
			n++
		}
	}
	return n
}

// mfaReport is everything one mfa run checked, and what it could not.
type mfaReport struct {
	rows      []mfaRow
	unchecked []uncheckedResource
	// decisions is the number of requests decided for the rows: each
	// credential state, and every MFA age that matters.
	decisions int
	// instantiated maps the resources made from a wildcard Resource entry
	// (or *) to that entry (mfa.Instances)
	instantiated map[string]string
	// unknownEntries are the policies' Action entries the catalogue does
	// not know: no action of them was checked (mfaSelection.unknown)
	unknownEntries []string
	// unknownActions are the requested actions (--action, ActionNames) the
	// catalogue does not know, each as notAnAction says it: decided as
	// written, so checked, but of the name given, not the action meant
	unknownActions []string
	// owner is the resource owner the requests were decided with, when it
	// can change an answer (mfaResourceOwner); nil when it cannot
	owner *mfaOwner
}

// mfaOwner is the owner of a resource whose ARN names no account, as the
// requests were decided: given (--resource-owner, or the request
// document's ResourceOwner), or AWS's default, the caller's account.
type mfaOwner struct {
	// account is the owner's 12-digit id; "" for the default without a
	// caller
	account string
	// from is "--resource-owner", "ResourceOwner" (the request
	// document's) or "default"
	from string
}

// line states the owner, in simulate's words for the default.
func (o *mfaOwner) line() string {
	switch o.from {
	case "default":
		if o.account == "" {
			return "Resource owner: " + resourceOwnerDefault + " (" + resourceOwnerDefaultWhy + ")."
		}
		return "Resource owner: " + resourceOwnerDefault + ", " + o.account + " (" + resourceOwnerDefaultWhy + ")."
	case "ResourceOwner":
		return "Resource owner: the account a resource ARN names, else " + o.account + " (the request document's ResourceOwner)."
	}
	return "Resource owner: the account a resource ARN names, else " + o.account + " (" + o.from + ")."
}

// mfaResourceOwner is the resource owner the requests of rep were decided
// with, when it can change an answer: it is given (flag says with
// --resource-owner), a resource policy is, or the caller's request names a
// resource whose ARN names no account, which is then the caller's unless
// the owner is given (the request is cross-account when the owner is
// another account). Nil when it cannot: without a caller no request is
// cross-account, and a resource's own account decides it otherwise.
func (sim *simulation) mfaResourceOwner(rep *mfaReport, flag bool) *mfaOwner {
	if given := sim.set.ResourceOwner; given != "" {
		acct, _ := request.ParseAccount(given) // checked when read
		if flag {
			return &mfaOwner{acct, "--resource-owner"}
		}
		return &mfaOwner{acct, "ResourceOwner"}
	}
	caller := request.ParsePrincipal(sim.caller).Account
	matters := sim.set.Resource != nil
	for _, r := range rep.rows {
		if matters || caller == "" {
			break
		}
		parts, isARN := request.SplitARN(r.Resource)
		matters = !isARN || !request.IsAccountID(parts[4])
	}
	if !matters {
		return nil
	}
	return &mfaOwner{caller, "default"}
}

// mfaHead are the lines every format starts with: who the caller is, and
// the resource owner when it can change an answer.
func (sim *simulation) mfaHead(rep *mfaReport) []string {
	lines := []string{sim.mfaCallerLine()}
	if rep.owner != nil {
		lines = append(lines, rep.owner.line())
	}
	return lines
}

// uncheckedResource is a Resource entry an action could not be checked
// against.
type uncheckedResource struct {
	action string
	mfa.Unchecked
}

// why says why u was not checked: the keys its variables need, or its
// reason (mfa.Unchecked.Reason).
func (u *uncheckedResource) why() string {
	if u.Reason != "" {
		return u.Reason
	}
	return "needs " + strings.Join(u.Missing, ", ")
}

// incomplete counts the rows that depend on keys not given.
func (r *mfaReport) incomplete() int {
	n := 0
	for _, row := range r.rows {
		// (one on another account's resource is not checked whatever the
		// keys: it is counted there)
		if len(row.missing) > 0 && row.otherAccount == "" {
			n++
		}
	}
	return n
}

// missingKeys are the context keys not given that some result depends on,
// in the order the results name them.
func (r *mfaReport) missingKeys() []string {
	var keys []string
	for _, row := range r.rows {
		if row.otherAccount == "" {
			keys = append(keys, row.missing...)
		}
	}
	return dedupe(keys)
}

// notChecked lists, in phrases, what the run did not check: "0 of N" in
// the summary counts only what was checked.
func (r *mfaReport) notChecked() []string {
	out := []string{}
	if n := len(r.unchecked); n > 0 {
		out = append(out, count(n, "Resource entry", "Resource entries"))
	}
	if n := r.incomplete(); n > 0 {
		out = append(out, fmt.Sprintf("%s on context keys not given (%s)", count(n, "result that depends", "results that depend"), strings.Join(r.missingKeys(), ", ")))
	}
	if n := r.otherAccounts(); n > 0 {
		out = append(out, fmt.Sprintf("%s, whose own %s not given (--resource-policy)", count(n, "request on another account's resource", "requests on other accounts' resources"), agree(n, "policy was", "policies were")))
	}
	if n := len(r.unknownEntries); n > 0 {
		out = append(out, fmt.Sprintf("%s the catalogue does not know (%s)", count(n, "Action entry", "Action entries"), strings.Join(r.unknownEntries, ", ")))
	}
	return out
}

// mfaTally counts the results of one mfa run.
type mfaTally struct {
	// requests are the action x resource requests checked, decisions
	// the requests decided for them
	requests, decisions int
	// verdicts counts the decided results by verdict: undecided ones
	// are not in it
	verdicts   map[mfa.Verdict]int
	withBypass int
	// dependsOn counts the results that depend on context keys not given
	dependsOn int
	// undecided counts the results that depend on context keys not given
	// and are not allowed without MFA: neither "requires MFA" nor "never
	// allowed" is known for them (undecided)
	undecided int
}

// undecided reports whether a result is undecided: not found allowed
// without MFA, and depending on context keys not given, so that neither
// "requires MFA" nor "never allowed" is known for it. A result allowed
// without MFA when the keys are absent counts as allowed without MFA.
func (r *mfaRow) undecided() bool {
	return len(r.missing) > 0 && r.Verdict != mfa.NotRequired && r.Verdict != mfa.Inverted
}

func (r *mfaReport) tally() mfaTally {
	t := mfaTally{requests: len(r.rows) - r.otherAccounts(), decisions: r.decisions, verdicts: map[mfa.Verdict]int{}, dependsOn: r.incomplete()}
	for i := range r.rows {
		row := &r.rows[i]
		if row.otherAccount != "" {
			// not checked (notChecked): the counts count what was
			continue
		}
		if row.undecided() {
			t.undecided++
		} else {
			t.verdicts[row.Verdict]++
		}
		if len(row.Bypasses) > 0 {
			t.withBypass++
		}
	}
	return t
}

// sentence is the summary's first sentence: how many requests were
// checked, and their verdicts; markdown stresses the "without" of an
// inverted verdict.
func (t mfaTally) sentence(markdown bool) string {
	// the parts add up to the requests: an inverted verdict is allowed
	// without MFA, and said as part of that count; an undecided result
	// is said only as undecided
	without := fmt.Sprintf("%d allowed without MFA", t.verdicts[mfa.NotRequired]+t.verdicts[mfa.Inverted])
	if n := t.verdicts[mfa.Inverted]; n > 0 {
		only := "without"
		if markdown {
			only = "*without*"
		}
		without += fmt.Sprintf(" (%d of them only %s MFA: inverted)", n, only)
	}
	s := fmt.Sprintf("%s checked: %s, %s, %d never allowed", count(t.requests, "request", "requests"),
		without, count(t.verdicts[mfa.Required], "requires MFA", "require MFA"), t.verdicts[mfa.NeverAllowed])
	if t.undecided > 0 {
		s += fmt.Sprintf(", %d undecided (depending on context keys not given)", t.undecided)
	}
	return s + "; " + count(t.withBypass, "has a bypass", "have a bypass") + "."
}

// analyzeMFA runs the MFA analysis on every action x resource: the
// resources given, or those the policies name for the action (and *).
func (sim *simulation) analyzeMFA(engine *evaluator.Engine) mfaReport {
	var rep mfaReport
	for _, a := range sim.actions {
		base := sim.liveRequest(a, "*")
		resources := sim.resources
		if len(resources) == 0 {
			resources = []string{"*"}
		}
		// a live request names one resource of one of the action's
		// types: "*" and other patterns (given, or the policies'
		// wildcard entries) become such resources
		// the pattern each instance was made from, for this action
		from := map[string]string{}
		resources = expandResources(resources, func(pattern string) ([]string, map[string]string, []mfa.Unchecked) {
			return mfa.Within(engine, catalog.Default().Action(a), a, pattern, base)
		}, func(inst map[string]string, unchecked []mfa.Unchecked) {
			for _, u := range unchecked {
				rep.unchecked = append(rep.unchecked, uncheckedResource{a, u})
			}
			for r, f := range inst {
				if rep.instantiated == nil {
					rep.instantiated = map[string]string{}
				}
				rep.instantiated[r] = f
				from[r] = f
			}
		})
		seen := map[string]bool{}
		for _, r := range resources {
			seen[r] = true
		}
		for _, r := range resources {
			req := sim.liveRequest(a, r)
			other := sim.otherAccountSide(engine, req)
			res, e := sim.decideMFA(engine, req, other != "")
			if res.Verdict != mfa.NotRequired && res.Verdict != mfa.Inverted {
				// the caller's side needs MFA, or never allows it: the
				// resource's policy cannot change that (both sides must
				// allow a request across accounts)
				other = ""
			}
			row := mfaRow{Result: res, missing: mfa.DependsOn(e, req, &res), otherAccount: other}
			if f, ok := from[r]; ok && mfa.MadeUpAccount(f, r, request.ParsePrincipal(sim.caller).Account) {
				// an entry only partly open on the account, rendered in a
				// made-up one
				row.madeUp, row.standIn = true, other != ""
			}
			rep.rows = append(rep.rows, row)
			rep.decisions += 2 + len(res.Ages)
			if within, ok := standInWithin(r, sim.resources); ok && !row.finding() {
				sim.otherAccountStandIn(&rep, engine, a, r, within, row.missing, seen)
			}
		}
	}
	return rep
}

// decideMFA is mfa.Analyze of req with e, and the engine that decided it:
// a request on another account's resource (across, as otherAccountSide
// readied it) is decided on the caller's side by the engine without RCPs
// (elsewhereEngine) and without the keys given that describe the caller's
// own resources (mfa.ResourceKey).
func (sim *simulation) decideMFA(e *evaluator.Engine, req *request.Context, across bool) (mfa.Result, *evaluator.Engine) {
	if across {
		e = sim.elsewhereEngine(e)
		mfa.DropResourceKeys(req)
	}
	return mfa.Analyze(e, req), e
}

// elsewhereEngine is the engine that decides the caller's side of a
// request on another account's resource: e, made of sim.set, without the
// RCPs, which govern the resources of the organization's own accounts
// ("RCPs apply to resources in member accounts", AWS Organizations,
// resource control policies), while the other account may be outside it.
// It is made once; e itself without RCPs.
func (sim *simulation) elsewhereEngine(e *evaluator.Engine) *evaluator.Engine {
	if len(sim.set.RCPs) == 0 {
		return e
	}
	if sim.elseE == nil {
		set := sim.set
		set.RCPs = nil
		ee, err := evaluator.Compile(set)
		if err != nil {
			return e // the set compiled with them: it compiles without
		}
		sim.elseE = ee
	}
	return sim.elseE
}

// finding reports whether r is allowed without MFA.
func (r *mfaRow) finding() bool { return r.Verdict == mfa.NotRequired || r.Verdict == mfa.Inverted }

// otherAccountStandIn adds to rep a row of another account's resource
// that r, a resource of the caller's account made from a wildcard entry
// (or *), stands beside (mfa.OtherAccountInstances): the entry matches
// other accounts' resources too, and the caller's own policies may let
// them through where they do not let r through (a Deny without MFA that
// names the caller's account alone). The stand-ins are decided in turn on
// the caller's side (decideMFA), and the first that it allows without MFA,
// or that depends on keys not given other than missing (those r's own
// result depends on, which the report already says are not given), is
// added as a request on another account's resource that is not checked
// (its policy was not given); if none is, what the caller's side decides
// for r holds for them too, as far as the accounts tried tell. Nothing is
// added without a caller, or with a resource policy given (the resource is
// that policy's). The stand-ins are within within, the pattern r stands
// for (standInWithin); seen are the resources of the action's rows.
func (sim *simulation) otherAccountStandIn(rep *mfaReport, e *evaluator.Engine, action, r, within string, missing []string, seen map[string]bool) {
	if sim.caller == "" || sim.set.Resource != nil {
		return
	}
	// (r's own account: the caller's, or one made up for an entry only
	// partly open on it)
	for _, r2 := range mfa.OtherAccountInstances(e, sim.liveRequest(action, r), mfa.ResourceAccountOf(r), within) {
		if seen[r2] {
			continue
		}
		req := sim.liveRequest(action, r2)
		other := sim.otherAccountSide(e, req)
		res, ee := sim.decideMFA(e, req, other != "")
		rep.decisions += 2 + len(res.Ages)
		row := mfaRow{Result: res, missing: mfa.DependsOn(ee, req, &res), otherAccount: other, standIn: true}
		if other == "" || !row.finding() && subset(row.missing, missing) {
			continue
		}
		seen[r2] = true
		rep.rows = append(rep.rows, row)
		rep.instantiated[r2] = within
		return
	}
	// a resource whose ARN names no account (an S3 bucket) is the
	// caller's account's by default (AWS's simulator's ResourceOwner),
	// but may be another's: with keys given that describe it, or RCPs,
	// that other account's is decided without them
	if parts, ok := request.SplitARN(r); !ok || parts[4] != "" || !sim.givesResourceKey() && len(sim.set.RCPs) == 0 {
		return
	}
	req := sim.liveRequest(action, r)
	res, ee := sim.decideMFA(e, req, true)
	rep.decisions += 2 + len(res.Ages)
	row := mfaRow{Result: res, missing: mfa.DependsOn(ee, req, &res), otherAccount: madeUpOwner, standIn: true, ownerless: true}
	if row.finding() || !subset(row.missing, missing) {
		rep.rows = append(rep.rows, row)
	}
}

// madeUpOwner is the account a resource whose ARN names no account is
// said to be owned by when it stands for another account's
// (otherAccountStandIn).
const madeUpOwner = "000000000000"

// givesResourceKey reports whether --context gives a key that describes
// the resource (mfa.ResourceKey).
func (sim *simulation) givesResourceKey() bool {
	for _, ce := range sim.context {
		if mfa.ResourceKey(ce.name) {
			return true
		}
	}
	return false
}

// otherAccountSide readies req, a live caller's request, to be decided on
// the caller's side alone when its resource is another account's and the
// resource's own policy was not given: a request across accounts is
// allowed only when the resource's policy allows it too ("the
// resource-based policy in Account B must allow the requester in Account
// A", IAM policy evaluation logic, cross-account), so without that policy
// it would be denied for want of it, and the run would say "never
// allowed" of what the caller's policies may well allow without MFA. req
// is then decided as if the resource were the caller's account's (its
// ResourceAccount, not a context key); the owning account is returned,
// "" for a request left as it was (no caller, a resource of the caller's
// account or of none the ARN names, or the resource's policy given).
func (sim *simulation) otherAccountSide(e *evaluator.Engine, req *request.Context) string {
	if sim.set.Resource != nil {
		return ""
	}
	own, other, across := acrossAccounts(e, sim.caller, req)
	if !across {
		return ""
	}
	req.ResourceAccount = own
	return other
}

// liveRequest is the request of a live caller: its principal keys derived,
// then the context given. The MFA keys are the analysis's to set.
func (sim *simulation) liveRequest(action, resource string) *request.Context {
	req := request.New(sim.caller, action, resource)
	for _, ce := range sim.context {
		_ = req.Set(ce.name, ce.typ, ce.values...) // checked when read
	}
	return req
}

// mfaCallerLine says who the caller is and how the requests were built.
func (sim *simulation) mfaCallerLine() string {
	if sim.caller == "" {
		return "Caller: none given (identity-side policies only; no principal key such as aws:username exists; give --caller-arn for a live caller)."
	}
	return "Caller: " + sim.callerName() + " (a live request: its principal keys are derived as AWS sends them)."
}

// coverage says what the run checked and what it did not, in sentences,
// after the summary sentence (mfaTally.sentence).
func (sim *simulation) coverage(rep *mfaReport) []string {
	from := "the resources the policies name for each action, and *"
	if len(rep.instantiated) > 0 {
		// an example: the first instance in the order of the rows
		ex := ""
		for _, r := range rep.rows {
			if e, ok := rep.instantiated[r.Resource]; ok {
				ex = fmt.Sprintf(", such as %s for %s", r.Resource, e)
				break
			}
		}
		from = fmt.Sprintf("the resources the policies name for each action, and *; a wildcard entry (and *) stands for a resource of each of the action's resource types it matches, named by the type's ARN format (%s made so%s)",
			count(len(rep.instantiated), "resource", "resources"), ex)
		for r := range rep.instantiated {
			if parts := strings.SplitN(r, ":", 6); sim.caller == "" && len(parts) == 6 && parts[4] == "123456789012" {
				from += "; where an entry leaves the account open, the account 123456789012 stands for the caller's, not known without --caller-arn"
				break
			}
		}
		if sim.caller != "" {
			switch {
			case sim.set.Resource != nil:
				from += "; " + openAccountWords(false, "the resource policy given is the resource's")
			default:
				from += "; " + openAccountWords(true, "")
			}
		}
	}
	if len(sim.resources) > 0 && !onlyStar(sim.resources) {
		from = givenResourcesWords(sim.resources)
	}
	what := plural(len(sim.actions), "action")
	if sel := sim.selection; sel != nil && sel.fromPolicies {
		c := catalog.Default()
		what = fmt.Sprintf("the %s at %s that the policies' Allow statements can grant (the catalogue: %s %s)",
			count(len(sim.actions), "action", "actions"), levelWords(sel.levels), c.Source(), c.Version())
	}
	// the number of requests is the summary sentence's (summaryLines)
	out := []string{fmt.Sprintf("Checked %s against %s.", what, from)}
	if n := rep.incomplete(); n > 0 {
		how := "--context"
		for _, k := range rep.missingKeys() {
			if derivedFromCaller(k) {
				how = "--context (or --caller-arn, for the caller's own keys)"
			}
		}
		out = append(out, fmt.Sprintf("Not fully checked: %s on context keys that were not given (%s), which a live request would carry: give them with %s.", count(n, "result depends", "results depend"), strings.Join(rep.missingKeys(), ", "), how))
	}
	if n := rep.otherAccounts(); n > 0 {
		out = append(out, fmt.Sprintf("Not checked: %s, whose own %s not given: a request across accounts needs the resource's policy to allow it too, so %s the caller's own policies' alone (give the resource's policy with --resource-policy).",
			count(n, "request on another account's resource", "requests on other accounts' resources"), agree(n, "policy was", "policies were"), agree(n, "its verdict is", "their verdicts are")))
		shown := 0
		for _, r := range rep.rows {
			if r.otherAccount != "" && shown < maxDetailLines {
				shown++
				out = append(out, fmt.Sprintf("  %s on %s (a resource of %s): %s by the caller's own policies", r.Action, r.Resource, r.accountWords(), r.Verdict))
			}
		}
		if n > shown {
			out = append(out, fmt.Sprintf("  and %d more (-o json marks each result's otherAccount)", n-shown))
		}
	}
	out = append(out, checkedAsWritten(rep.unknownActions)...)
	if n := len(rep.unknownEntries); n > 0 {
		out = append(out, fmt.Sprintf("Not checked: %s of the policies the catalogue does not know (a typo, or an action newer than the catalogue), so no action of %s was checked: %s.",
			count(n, "Action entry", "Action entries"), agree(n, "it", "them"), strings.Join(rep.unknownEntries, ", ")))
	}
	if len(rep.unchecked) > 0 {
		lacking := 0
		for _, u := range rep.unchecked {
			if u.Reason == "" {
				lacking++
			}
		}
		what := "the request lacks keys for"
		if lacking < len(rep.unchecked) {
			what = "no resource could be made of (the request lacks keys for it, or see each)"
		}
		out = append(out, fmt.Sprintf("Not checked: %s %s:", count(len(rep.unchecked), "Resource entry", "Resource entries"), what))
		for _, u := range rep.unchecked {
			hint := ""
			if sim.caller == "" && u.Reason == "" {
				hint = " (give --caller-arn)"
			}
			out = append(out, fmt.Sprintf("  %s on %s%s: %s%s", u.action, u.Pattern, uncheckedFrom(u.Unchecked, false), u.why(), hint))
		}
	}
	return out
}

func (sim *simulation) bypassLine(b mfa.Bypass) string {
	what, holds := "callers without MFA slip past Deny", "false"
	if strings.HasPrefix(b.Kind, "allow-") {
		what, holds = "callers without MFA slip through Allow", "true"
	}
	cond := ""
	if b.Clause != nil {
		cond = fmt.Sprintf(": %s %s %s is %s when the key is absent", b.Clause.Operator, b.Clause.Key, quoteValues(b.Clause.Values), holds)
	}
	return fmt.Sprintf("%s %s (%s)%s", what, stmtName(b.Statement), sim.where(b.Statement), cond)
}

// shortDecision is a decision in the mfa table, which has three columns of
// them: allow, deny (an explicit Deny), implicit (no statement allows).
func shortDecision(v evaluator.Verdict) string {
	switch v {
	case evaluator.Allowed:
		return "allow"
	case evaluator.ExplicitDeny:
		return "deny"
	}
	return "implicit"
}

// mfaTableLegend explains the mfa table's short columns.
const mfaTableLegend = "KEYS: long-term access keys (no MFA key); SESSION: a session without MFA; MFA: a session with MFA. " +
	"allow: allowed; deny: an explicit Deny; implicit: no statement allows. MAX AGE: the largest MFA age still allowed."

func writeMFATable(w io.Writer, rep *mfaReport, sim *simulation, color bool) error {
	ww := newWrapWriter(w)
	fmt.Fprint(ww, strings.Join(sim.mfaHead(rep), "\n")+"\n\n")
	// one heading per action, its resources below: eight columns do not
	// fit a 100-column terminal
	var rows [][]string
	for i, r := range rep.rows {
		if i == 0 || rep.rows[i-1].Action != r.Action {
			rows = append(rows, []string{r.Action})
		}
		byp := "-"
		if len(r.Bypasses) > 0 {
			byp = strconv.Itoa(len(r.Bypasses))
		}
		verdict := r.Verdict.String()
		if len(r.missing) > 0 {
			verdict += " (needs " + strings.Join(r.missing, ", ") + ")"
		}
		switch {
		case r.ownerless:
			verdict += " (as if another account owned it: a made-up owner standing for any)"
		case r.standIn:
			verdict += " (another account's resource, a made-up account standing for any)"
		case r.madeUp:
			verdict += " (a made-up account, standing for those its entry matches)"
		case r.otherAccount != "":
			// (the lines after the table name the account)
			verdict += " (another account's resource)"
		}
		rows = append(rows, []string{r.Resource, shortDecision(r.LongTermKeys.Verdict), shortDecision(r.SessionWithoutMFA.Verdict),
			shortDecision(r.Fresh.Verdict), verdict, r.MaxAgeString(), byp})
	}
	writeRows(ww, []string{"RESOURCE", "KEYS", "SESSION", "MFA", "VERDICT", "MAX AGE", "BYPASSES"}, rows, color)
	fmt.Fprint(ww, "\n"+mfaTableLegend+"\n")
	for _, r := range rep.rows {
		for _, bp := range r.Bypasses {
			fmt.Fprintf(ww, "\n%s on %s: %s\n  fix: %s\n", r.Action, r.Resource, sim.bypassLine(bp), bp.Fix)
		}
	}
	fmt.Fprintln(ww)
	for _, l := range sim.summaryLines(rep) {
		fmt.Fprintln(ww, l)
	}
	return ww.Flush()
}

// summaryLines are the lines the table ends with: the verdicts in a
// sentence, then what was checked and what was not.
func (sim *simulation) summaryLines(rep *mfaReport) []string {
	return append([]string{rep.tally().sentence(false)}, sim.coverage(rep)...)
}

// mfaJSONSummary is the summary of mfa's JSON: the counts, what was not
// checked, and the lines the table ends with as text.
type mfaJSONSummary struct {
	Requests       int `json:"requests"`
	Decisions      int `json:"decisions"`
	MfaRequired    int `json:"mfaRequired"`
	MfaNotRequired int `json:"mfaNotRequired"`
	NeverAllowed   int `json:"neverAllowed"`
	Inverted       int `json:"inverted"`
	// Undecided counts the results not allowed without MFA that depend on
	// context keys not given: they are in none of the counts above, so
	// the five add up to Requests.
	Undecided  int `json:"undecided"`
	WithBypass int `json:"withBypass"`
	// DependsOnMissingContext counts the results that depend on context
	// keys not given (the undecided ones, and those allowed without MFA
	// when the keys are absent), UncheckedResourceEntries the Resource entries not
	// checked (the "unchecked" list); NotChecked says both in phrases,
	// and Complete is true when it is empty.
	DependsOnMissingContext  int `json:"dependsOnMissingContext"`
	UncheckedResourceEntries int `json:"uncheckedResourceEntries"`
	// OtherAccountsResources counts the requests on other accounts'
	// resources whose own policies were not given (each result's
	// otherAccount): their verdicts are the caller's policies' alone
	OtherAccountsResources int      `json:"otherAccountsResources"`
	NotChecked             []string `json:"notChecked"`
	Complete               bool     `json:"complete"`
	Text                   string   `json:"text"`
}

// mfaJSONOwner is the resource owner the requests were decided with
// (mfaOwner): Account is null for the default without a caller; From is
// "--resource-owner", "ResourceOwner" (the request document's) or
// "default"; Text is the line table and markdown print.
type mfaJSONOwner struct {
	Account *string `json:"account"`
	From    string  `json:"from"`
	Text    string  `json:"text"`
}

type mfaJSONBypass struct {
	Kind     string `json:"kind"`
	PolicyID string `json:"policyId"`
	Policy   string `json:"policy"`
	Sid      string `json:"sid,omitempty"`
	Index    int    `json:"statementIndex"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Operator string `json:"operator,omitempty"`
	Key      string `json:"key,omitempty"`
	Fix      string `json:"fix"`
}

type mfaJSONAge struct {
	Age      int64  `json:"age"`
	Decision string `json:"decision"`
}

type mfaJSONResult struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	// ResourceFrom is the wildcard Resource entry (or *) the resource was
	// made from, named by its type's ARN format; absent for a resource the
	// policies or --resource name as it is
	ResourceFrom string `json:"resourceFrom,omitempty"`
	Verdict      string `json:"verdict"`
	// MissingContextValues are the keys (other than the MFA keys) the
	// decisions needed and the request lacked: the verdict holds only for
	// requests without them.
	MissingContextValues []string        `json:"missingContextValues"`
	LongTermKeys         string          `json:"longTermKeys"`
	SessionWithoutMFA    string          `json:"sessionWithoutMfa"`
	MFA                  string          `json:"mfa"`
	MaxMFAAge            *int64          `json:"maxMfaAgeSeconds"`
	NoAgeLimit           bool            `json:"noAgeLimit"`
	Ages                 []mfaJSONAge    `json:"ages"`
	Bypasses             []mfaJSONBypass `json:"bypasses"`
	// OtherAccount is the account that owns the resource when it is not
	// the caller's and its policy was not given: the verdict is then the
	// caller's own policies' alone (the resource's must allow it too)
	OtherAccount string `json:"otherAccount,omitempty"`
	// OtherAccountStandIn says the resource's account is made up: it
	// stands for the resources of the other accounts that ResourceFrom
	// leaves open
	OtherAccountStandIn bool `json:"otherAccountStandIn,omitempty"`
}

type mfaJSONUnchecked struct {
	Action  string   `json:"action"`
	Pattern string   `json:"resourcePattern"`
	Missing []string `json:"missingContextValues"`
	// Reason says why an entry whose variables need no key was not
	// checked (mfa.Unchecked.Reason)
	Reason string `json:"reason,omitempty"`
	// PolicyID and Index name the statement whose Resource entry it is:
	// absent for a resource given (--resource), which is no statement's
	PolicyID *string `json:"policyId,omitempty"`
	Sid      string  `json:"sid,omitempty"`
	Index    *int    `json:"statementIndex,omitempty"`
}

func writeMFAJSON(w io.Writer, rep *mfaReport, sim *simulation) error {
	t := rep.tally()
	nc := rep.notChecked()
	out := struct {
		Caller  *string `json:"caller"`
		Context string  `json:"context"`
		// ResourceOwner is null when the owner cannot change an answer
		ResourceOwner *mfaJSONOwner      `json:"resourceOwner"`
		Results       []mfaJSONResult    `json:"results"`
		Unchecked     []mfaJSONUnchecked `json:"unchecked"`
		Summary       mfaJSONSummary     `json:"summary"`
	}{Context: "live", Results: []mfaJSONResult{}, Unchecked: []mfaJSONUnchecked{}, Summary: mfaJSONSummary{
		Requests: t.requests, Decisions: t.decisions, MfaRequired: t.verdicts[mfa.Required], MfaNotRequired: t.verdicts[mfa.NotRequired],
		NeverAllowed: t.verdicts[mfa.NeverAllowed], Inverted: t.verdicts[mfa.Inverted], Undecided: t.undecided, WithBypass: t.withBypass,
		DependsOnMissingContext: t.dependsOn, UncheckedResourceEntries: len(rep.unchecked), OtherAccountsResources: rep.otherAccounts(), NotChecked: nc, Complete: len(nc) == 0,
		Text: strings.Join(sim.summaryLines(rep), "\n")}}
	if sim.caller != "" {
		out.Caller = &sim.caller
	}
	if o := rep.owner; o != nil {
		out.ResourceOwner = &mfaJSONOwner{From: o.from, Text: o.line()}
		if o.account != "" {
			out.ResourceOwner.Account = &o.account
		}
	}
	for _, row := range rep.rows {
		r := &row.Result
		j := mfaJSONResult{Action: r.Action, Resource: r.Resource, ResourceFrom: rep.instantiated[r.Resource], Verdict: r.Verdict.String(), MissingContextValues: append([]string{}, row.missing...), OtherAccount: row.otherAccount, OtherAccountStandIn: row.standIn || row.madeUp,
			LongTermKeys: r.LongTermKeys.Verdict.String(), SessionWithoutMFA: r.SessionWithoutMFA.Verdict.String(),
			MFA: r.Fresh.Verdict.String(), NoAgeLimit: r.NoAgeLimit, Ages: []mfaJSONAge{}, Bypasses: []mfaJSONBypass{}}
		if r.HasMFAAllowed && !r.NoAgeLimit {
			age := r.MaxAge
			j.MaxMFAAge = &age
		}
		for _, o := range r.Ages {
			j.Ages = append(j.Ages, mfaJSONAge{Age: o.Scenario.Age, Decision: o.Decision.Verdict.String()})
		}
		for _, b := range r.Bypasses {
			jb := mfaJSONBypass{Kind: b.Kind, PolicyID: b.Statement.PolicyID, Policy: sim.display[b.Statement.PolicyID],
				Sid: b.Statement.Sid, Index: b.Statement.Index, Line: b.Statement.Start.Line, Column: b.Statement.Start.Column, Fix: b.Fix}
			if b.Clause != nil {
				jb.Operator, jb.Key = b.Clause.Operator, b.Clause.Key
			}
			j.Bypasses = append(j.Bypasses, jb)
		}
		out.Results = append(out.Results, j)
	}
	for _, u := range rep.unchecked {
		out.Unchecked = append(out.Unchecked, jsonUnchecked(u))
	}
	return writeIndentedJSON(w, out)
}

// jsonUnchecked is u in JSON: missingContextValues a list, empty when a
// reason says why.
func jsonUnchecked(u uncheckedResource) mfaJSONUnchecked {
	missing := u.Missing
	if missing == nil {
		missing = []string{}
	}
	j := mfaJSONUnchecked{Action: u.action, Pattern: u.Pattern, Missing: missing, Reason: u.Reason, Sid: u.Statement.Sid}
	if u.Statement.PolicyID != "" {
		policyID, index := u.Statement.PolicyID, u.Statement.Index
		j.PolicyID, j.Index = &policyID, &index
	}
	return j
}

func writeMFAMarkdown(w io.Writer, rep *mfaReport, sim *simulation) error {
	var b strings.Builder
	t := rep.tally()
	b.WriteString("### iameval: MFA analysis\n\n")
	for _, l := range sim.mfaHead(rep) {
		b.WriteString(l + "\n\n")
	}
	b.WriteString(t.sentence(true) + "\n\n")
	rows := rep.rows
	if sim.summarised() {
		// too many actions for a row each: per service and access level,
		// and the rows allowed without MFA (capped; -o json lists all)
		b.WriteString("| Service | Access level | Actions | Without MFA | MFA required | Never allowed | Undecided (context not given) |\n| --- | --- | --- | --- | --- | --- | --- |\n")
		for _, r := range serviceSummary(rep) {
			fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %d | %d | %d |\n", r.service, r.level, r.actions, r.without, r.required, r.not, r.depends)
		}
		b.WriteString("\n#### Allowed without MFA\n\n")
		var without []mfaRow
		for _, r := range rows {
			if r.Verdict == mfa.NotRequired || r.Verdict == mfa.Inverted {
				without = append(without, r)
			}
		}
		rows = without[:min(len(without), mfaMarkdownRows)]
		if n := len(without) - len(rows); n > 0 {
			fmt.Fprintf(&b, "The first %d of %d results (`-o json` lists every one):\n\n", len(rows), len(without))
		}
		if len(without) == 0 {
			if n := rep.incomplete(); n > 0 {
				fmt.Fprintf(&b, "None found, but %s on context keys not given (see Coverage): this is not an all clear.\n", count(n, "result depends", "results depend"))
			} else {
				b.WriteString("None.\n")
			}
		}
	}
	if len(rows) > 0 {
		b.WriteString("| Action | Resource | Long-term keys | Session, no MFA | MFA | Verdict | Max MFA age |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	}
	for _, r := range rows {
		verdict := "**" + r.Verdict.String() + "**"
		if len(r.missing) > 0 {
			verdict += " (needs " + strings.Join(r.missing, ", ") + ")"
		}
		verdict += r.otherAccountNote()
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s | %s | %s |\n", r.Action, r.Resource,
			r.LongTermKeys.Verdict, r.SessionWithoutMFA.Verdict, r.Fresh.Verdict, verdict, r.MaxAgeString())
	}
	if t.withBypass > 0 {
		b.WriteString("\n#### Bypasses\n\n")
		for _, r := range rep.rows {
			for _, bp := range r.Bypasses {
				fmt.Fprintf(&b, "- `%s` on `%s`: %s. **Fix:** %s\n", r.Action, r.Resource, sim.bypassLine(bp), bp.Fix)
			}
		}
	}
	b.WriteString("\n#### Coverage\n\n")
	for _, l := range sim.coverage(rep) {
		if strings.HasPrefix(l, "  ") {
			b.WriteString("  - " + strings.TrimSpace(l) + "\n")
			continue
		}
		b.WriteString("- " + l + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// uncheckedFrom names where u comes from, in brackets after its pattern:
// the statement that holds it (with its policy when withPolicy), or, for a
// resource given (--resource), nothing.
func uncheckedFrom(u mfa.Unchecked, withPolicy bool) string {
	switch {
	case u.Statement.PolicyID == "":
		return ""
	case withPolicy:
		return fmt.Sprintf(" (%s %s %s)", u.Statement.Effect, u.Statement.PolicyID, stmtName(u.Statement))
	}
	return fmt.Sprintf(" (%s %s)", u.Statement.Effect, stmtName(u.Statement))
}

// expandResources returns the resources to decide for the resources given
// (--resource, or "*" when none is given): a literal ARN as it is when a
// request for the action can name it (within says which); "*" and
// any other pattern ('*' or '?'), which no live request names, the
// resources within computes for it (mfa.Within: its own instances and the
// resources the policies name within it), each once, in order. report
// receives what within said of each pattern it expanded. Deciding a
// pattern as a literal string would miss the statements on part of it (an
// Allow on bucket/public/* within bucket/*): a false all clear.
func expandResources(given []string, within func(pattern string) ([]string, map[string]string, []mfa.Unchecked), report func(map[string]string, []mfa.Unchecked)) []string {
	var out []string
	seen := map[string]bool{}
	// the resources given that no request for the action names: not
	// checked when no other is (nothing of the action was), else no
	// request of the action (--action and --resource are crossed)
	var none []mfa.Unchecked
	for _, g := range given {
		// a pattern stands for its instances; a literal is checked when a
		// request for the action can name it (one of its resource types,
		// or "*"), else listed as not checked (mfa.Within)
		rs, inst, unchecked := within(g)
		kept := unchecked[:0:0]
		for _, u := range unchecked {
			if u.NoRequest {
				none = append(none, u)
			} else {
				kept = append(kept, u)
			}
		}
		report(inst, kept)
		for _, r := range rs {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	if len(out) == 0 && len(none) > 0 {
		report(nil, none)
	}
	return out
}

// givenResourcesWords says what the resources given are checked as: a
// pattern is made concrete (expandResources).
func givenResourcesWords(given []string) string {
	for _, g := range given {
		if strings.ContainsAny(g, "*?") {
			return "the resources given, a pattern (" + g + ") standing for its own instances (a resource of each of the action's types it covers, named by the type's ARN format) and for every resource the policies name within it"
		}
	}
	return "the resources given"
}

// onlyStar reports whether the resources given are "*" alone: the
// default, said as the default is.
func onlyStar(given []string) bool {
	for _, g := range given {
		if g != "*" {
			return false
		}
	}
	return true
}
