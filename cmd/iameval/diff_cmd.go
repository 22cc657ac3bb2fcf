package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/diff"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/internal/gencache"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
	"github.com/iameval/iameval/suite"
)

const diffHelp = `Usage: iameval diff [flags] OLD NEW

Says what a policy change flips: the requests NEW allows that OLD denied (new
access), those it denies that OLD allowed (lost access), those that needed MFA
and no longer do, or accept an older MFA session (MFA weakened), and the
reverse (MFA strengthened). Each flip names the principal, action, resource,
context and credential state, and the statements that decided on each side,
with their positions. Changes that decide nothing differently (statements
reordered, reformatted, Sids renamed, a list split in two) say "no change in
access".

OLD and NEW are each:
  a policy file (or what the AWS CLI prints holding one), or a directory of
           policies: one set of identity policies, "policies";
  a policy set file: the "policies" and "sets" blocks of a test suite
           (iameval help test): each set compared by name (identity, boundary,
           session, resource policy, SCP and RCP levels);
  an account dump (aws iam get-account-authorization-details): each user and
           role compared by name, with its groups, managed policies and
           boundary, as a live request of it carries its keys;
  (a policy with Principal is a resource policy: compare it through a policy
           set file that names it as a set's "resource")
  git:REF:PATH: any of these as they are at REF in the git repository of the
           current directory (git:origin/main:policies/).
Both must be of one kind: policies, or account dumps.

What is decided is a systematic sample, not a proof — the request matrix,
built from both sides: every action either side's Allow statements can grant
(wildcards and NotAction through the catalogue of AWS's actions; iameval
version names it), every resource either side names for it made a concrete ARN
of each of the action's resource types, and *; long-term access keys, a
session without MFA, and MFA at age 0, one second either side of every
aws:MultiFactorAuthAge value either side names, and at ten years; for every
condition key the matching statements test, each value they name, a value none
names and no pattern matches ("other", or an ARN), an IPv6 address for an IP
key, and the key absent. The output says how many requests were decided.

Callers: without --caller-arn, policies are decided with no caller, as AWS's
policy simulator does without CallerArn (no principal keys, no cross-account
reasoning); with it, as live requests of that caller (the principal keys AWS
derives from it: aws:username, aws:PrincipalArn, ...). An account dump's
principals are always decided as live requests of themselves; for a role whose
trust policy changed, sts:AssumeRole on it is decided for every user and role of
both dumps and every principal either trust policy names ("*" as "any
principal of another account", which stands for any AWS principal). A set's resource
policy is also decided for each caller it names (for "*": anonymous, with no
principal key, and "any principal of another account", printed with the ARN
decided), their own policies assumed to allow; where the resource ARN names no
account and the set gives no "resourceOwner", each caller is decided with its
own account as the owner and with another (printed in every format).

Output (--output, -o):
  table     a summary, then the flips by kind (default)
  json      {"old", "new", "caller", "summary", "flips": [...], "unchecked"}
  markdown  a pull-request comment
  sarif     SARIF 2.1.0, a result per flip at NEW's statements that decided

Exit codes: 0 no flip of a kind --fail-on names; 1 one or more (or, when
--fail-on names not-checked, an entry that could not be checked: a policy
variable with no value, a resource policy with no caller, a changed trust
policy whose decision needs context keys); 2 bad usage or unreadable input.

Examples:
  iameval diff old.json new.json
  iameval diff git:origin/main:policies/ policies/ -o markdown
  iameval diff before-account.json after-account.json --fail-on new-access
  iameval diff suite-old.iamtest.json suite-new.iamtest.json -o json

Flags:
`

func runDiff(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := newGrammar("diff", diffHelp)
	var output, failOn, caller, level string
	g.string(&output, "output", "o", "table", "output `FORMAT`: table, json, markdown or sarif")
	g.string(&failOn, "fail-on", "", "new-access,mfa-weakened", "exit 1 when a flip of these `KINDS` appears, comma-separated: new-access, mfa-weakened, lost-access, mfa-strengthened; not-checked: when something could not be checked; or none")
	g.string(&caller, "caller-arn", "", "", "decide policies as live requests of this caller `ARN` (not for account dumps)")
	g.string(&level, "access-level", "", "", "keep only actions of these `LEVELS`: list, read, write, permissions-management, tagging")
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "diff")
	var err error
	if output, err = outputFormat(output, "table", "json", "markdown", "sarif"); err != nil {
		return usageErr("%v", err)
	}
	fail := map[diff.Kind]bool{}
	failUnchecked := false
	if failOn != "none" {
		for _, k := range strings.Split(failOn, ",") {
			if strings.TrimSpace(k) == "not-checked" {
				failUnchecked = true
				continue
			}
			kind, ok := diff.ParseKind(strings.TrimSpace(k))
			if !ok {
				return usageErr("--fail-on: unknown kind %q (want new-access, mfa-weakened, lost-access, mfa-strengthened, not-checked, or none)", k)
			}
			fail[kind] = true
		}
	}
	var opts diff.Options
	if level != "" {
		if opts.Levels, err = catalog.ParseAccessLevel(level); err != nil {
			return usageErr("--access-level: %v", err)
		}
	}
	if caller != "" {
		if err := request.CheckCaller(caller); err != nil {
			return usageErr("--caller-arn: %v", err)
		}
	}
	if g.fs.NArg() != 2 {
		return usageErr("give two sides, OLD and NEW (got %d)", g.fs.NArg())
	}
	o := newOpener(stdin, stderr)
	var sides [2]*diffSide
	for i, arg := range g.fs.Args() {
		s, err := loadDiffSide(o, arg)
		if err != nil {
			printCmdErr(stderr, "diff", err)
			return exitUsage
		}
		defer s.cleanup()
		sides[i] = s
	}
	if (sides[0].account == nil) != (sides[1].account == nil) {
		return usageErr("%s is %s but %s is %s: compare policies with policies, account dumps with account dumps",
			sides[0].label, sides[0].kind(), sides[1].label, sides[1].kind())
	}
	if caller != "" && sides[0].account != nil {
		return usageErr("--caller-arn does not apply to account dumps: each principal is the caller of its own requests")
	}
	pairs, err := diffPairs(sides[0], sides[1], caller)
	if err != nil {
		printCmdErr(stderr, "diff", err)
		return exitUsage
	}
	rep := diff.Compare(pairs, opts)
	trustRoles, trustAny := 0, false
	if sides[0].account != nil {
		next := 1
		for _, f := range rep.Flips {
			next = max(next, f.Actions.ID+1)
		}
		flips, unchecked, roles, requests, anyStar, err := trustFlips(sides[0].account, sides[1].account, next)
		if err != nil {
			printCmdErr(stderr, "diff", err)
			return exitUsage
		}
		rep.Flips = append(rep.Flips, flips...)
		rep.Unchecked = append(rep.Unchecked, unchecked...)
		rep.Requests += requests
		rep.Covered += requests
		trustRoles, trustAny = roles, anyStar
		rep.Unchecked = append(rep.Unchecked, filteredSides(sides[0], sides[1])...)
	}
	w := &diffWriter{old: sides[0], new: sides[1], caller: caller, levels: opts.Levels, rep: rep, fail: fail, trustRoles: trustRoles, trustAny: trustAny}
	switch output {
	case "json":
		err = w.json(stdout)
	case "markdown":
		err = w.markdown(stdout)
	case "sarif":
		err = w.sarif(stdout)
	default:
		err = w.table(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval diff: %v\n", err)
		return exitUsage
	}
	if n := w.failing(); n > 0 {
		fmt.Fprintf(stderr, "iameval diff: %s flipped, of a kind --fail-on names (%s)\n", count(n, "request", "requests"), failOn)
		return exitCheck
	}
	if failUnchecked && len(rep.Unchecked) > 0 {
		fmt.Fprintf(stderr, "iameval diff: %s not checked, and --fail-on names not-checked\n", count(len(rep.Unchecked), "entry", "entries"))
		return exitCheck
	}
	return exitOK
}

// diffSide is one side of a diff: policy sets by name, or an account dump.
type diffSide struct {
	label   string
	names   []string
	sets    map[string]evaluator.PolicySet
	account *account.Account
	// files maps a policy's name to the file it came from, as given
	files   map[string]string
	cleanup func()
}

func (s *diffSide) kind() string {
	if s.account != nil {
		return "an account dump"
	}
	return "policies"
}

// loadDiffSide reads a side: git:REF:PATH is first checked out into a
// temporary directory.
func loadDiffSide(o *opener, arg string) (*diffSide, error) {
	s := &diffSide{label: arg, files: map[string]string{}, cleanup: func() {}}
	path := arg
	display := func(p string) string { return p }
	if rest, ok := strings.CutPrefix(arg, "git:"); ok {
		ref, p, ok := strings.Cut(rest, ":")
		if !ok || ref == "" || p == "" {
			return nil, fmt.Errorf("%s: a git side is git:REF:PATH (git:origin/main:policies/)", arg)
		}
		dir, local, err := gitCheckout(ref, p)
		if errors.Is(err, errNotAtRef) {
			// the first change that adds the policies: nothing before
			o.note("%s: %s does not exist at %s: compared as no policies at all", arg, p, ref)
			s.names, s.sets = []string{"policies"}, map[string]evaluator.PolicySet{"policies": {}}
			return s, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", arg, err)
		}
		s.cleanup = func() { os.RemoveAll(dir) }
		path = local
		display = func(q string) string {
			rel, err := filepath.Rel(dir, q)
			if err != nil {
				return q
			}
			return ref + ":" + filepath.ToSlash(rel)
		}
	}
	if !isDir(path) {
		f, err := o.read("", path)
		if err != nil {
			return nil, err
		}
		f.name = display(f.name)
		root := gjson.ParseBytes(bytes.TrimSpace(f.data))
		if root.IsArray() {
			root = root.Get("0")
		}
		if root.IsObject() && (has(root, "UserDetailList") || has(root, "RoleDetailList") || has(root, "GroupDetailList") || root.Get("Policies").IsArray()) {
			a, err := account.Load(f.name, f.data)
			if err != nil {
				return nil, err
			}
			s.account = a
			return s, nil
		}
		// a policy set file: a suite's "policies" object (and "sets"),
		// whatever else it holds (a principal, templates, cases)
		if root.IsObject() && root.Get("policies").IsObject() && !root.Get("Statement").Exists() {
			base := filepath.Dir(path)
			names, sets, err := suite.PolicySets(f.name, f.data, func(name string) ([]byte, string, error) {
				p := filepath.Join(base, name)
				data, err := os.ReadFile(p)
				return data, display(p), err
			})
			if err != nil {
				return nil, err
			}
			s.names, s.sets = names, sets
			for _, set := range sets {
				for _, p := range setPolicies(set) {
					s.files[p.Name] = p.Name
				}
			}
			return s, nil
		}
	}
	if isDir(path) {
		if files, err := jsonFiles(filePath(path)); err == nil && len(files) == 0 {
			o.note("%s: a directory without *.json files: compared as no policies at all", arg)
			s.names, s.sets = []string{"policies"}, map[string]evaluator.PolicySet{"policies": {}}
			return s, nil
		}
	}
	docs, err := o.policies("", path)
	if err != nil {
		return nil, err
	}
	sim := &simulation{display: map[string]string{}}
	var set evaluator.PolicySet
	for _, d := range docs {
		name := display(d.file.name)
		d.file.name = name
		p, err := d.parse(name, sim)
		if err != nil {
			return nil, err
		}
		if err := resourcePolicyFile(arg, name, p); err != nil {
			return nil, err
		}
		s.files[name] = name
		set.Identity = append(set.Identity, p)
	}
	s.names, s.sets = []string{"policies"}, map[string]evaluator.PolicySet{"policies": set}
	return s, nil
}

// trustPolicy reports whether p is a role's trust policy: each statement
// with a principal is for assuming a role (sts:AssumeRole,
// sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, and the session
// actions sts:TagSession, sts:SetSourceIdentity, sts:SetContext) and no
// other service's actions.
func trustPolicy(p *policy.Policy) bool {
	found := false
	for _, st := range p.Statements {
		if st.Principal == nil {
			continue
		}
		if !st.Action.Covers("sts:AssumeRole", true) && !st.Action.Covers("sts:AssumeRoleWithSAML", true) && !st.Action.Covers("sts:AssumeRoleWithWebIdentity", true) {
			return false
		}
		for _, other := range []string{"s3:GetObject", "kms:Decrypt", "sqs:SendMessage", "sts:GetFederationToken"} {
			if st.Action.Covers(other, true) {
				return false
			}
		}
		found = true
	}
	return found
}

// resourcePolicyFile is the error for a policy of a side of plain policies
// (identity policies, which cannot hold Principal) that has a Principal or
// NotPrincipal: it is a resource policy, as lint finds it, and is compared
// as one in a policy set file.
func resourcePolicyFile(arg, name string, p *policy.Policy) error {
	for _, st := range p.Statements {
		if st.Principal == nil {
			continue
		}
		what := "Principal"
		if st.Principal.Not {
			what = "NotPrincipal"
		}
		line := ""
		if st.Principal.Pos().Line > 0 {
			line = fmt.Sprintf(":%d", st.Principal.Pos().Line)
		}
		if trustPolicy(p) {
			return fmt.Errorf(`%s%s: a statement with %s: this is a role's trust policy, and %s is read as identity policies, which cannot name a principal. `+
				`Compare trust policies through account dumps (aws iam get-account-authorization-details on each side: iameval diff OLD-DUMP.json NEW-DUMP.json decides who may assume each role whose trust policy changed), `+
				`or through a policy set file on each side that names the bare policy document (aws iam get-role --role-name NAME --query Role.AssumeRolePolicyDocument) as a set's "resource": `+
				`{"policies": {"trust": "trust.json"}, "sets": {"role": {"resource": "trust"}}}`,
				name, line, what, arg)
		}
		return fmt.Errorf(`%s%s: a statement with %s: this is a resource policy (a bucket, queue or key policy), and %s is read as identity policies, which cannot name a principal. `+
			`Compare resource policies through a policy set file on each side, which names the policy as a set's "resource" `+
			`(and, when the resource's ARN names no account, its "resourceOwner"): `+
			`{"policies": {"bp": %q}, "sets": {"bucket": {"resource": "bp"}}} beside it, then iameval diff OLD-SET.json NEW-SET.json`,
			name, line, what, arg, filepath.Base(name))
	}
	return nil
}

// setPolicies are the policies of a set.
func setPolicies(set evaluator.PolicySet) []*policy.Policy {
	out := append([]*policy.Policy{}, set.Identity...)
	out = append(out, set.Session...)
	for _, p := range []*policy.Policy{set.Boundary, set.Resource} {
		if p != nil {
			out = append(out, p)
		}
	}
	for _, l := range append(append([][]*policy.Policy{}, set.SCPs...), set.RCPs...) {
		out = append(out, l...)
	}
	return out
}

// errNotAtRef is gitCheckout's error for a path the ref does not hold.
var errNotAtRef = errors.New("the path does not exist at the ref")

// gitCheckout writes PATH as it is at REF (a file, or a directory's files)
// into a new temporary directory, and returns the directory and the path
// in it.
func gitCheckout(ref, path string) (dir, local string, err error) {
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", "", fmt.Errorf("not in a git repository (git rev-parse: %v)", err)
	}
	root := strings.TrimSpace(string(top))
	// PATH is relative to the current directory, as git's REF:./PATH
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(root, filepath.Join(wd, path))
	if err != nil {
		return "", "", err
	}
	rel = filepath.ToSlash(rel)
	if err := exec.Command("git", "-C", root, "rev-parse", "--verify", "--quiet", ref+"^{commit}").Run(); err != nil {
		return "", "", fmt.Errorf("%s is no commit of this repository (git rev-parse %s)", ref, ref)
	}
	typ, err := exec.Command("git", "-C", root, "cat-file", "-t", ref+":"+rel).Output()
	if err != nil {
		return "", "", errNotAtRef
	}
	dir, err = os.MkdirTemp("", "iameval-diff-")
	if err != nil {
		return "", "", err
	}
	var files []string
	if strings.TrimSpace(string(typ)) == "tree" {
		out, err := exec.Command("git", "-C", root, "ls-tree", "-r", "--name-only", ref, "--", rel).Output()
		if err != nil {
			os.RemoveAll(dir)
			return "", "", fmt.Errorf("git ls-tree %s %s: %v", ref, rel, err)
		}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" {
				files = append(files, l)
			}
		}
	} else {
		files = []string{rel}
	}
	for _, f := range files {
		data, err := exec.Command("git", "-C", root, "show", ref+":"+f).Output()
		if err != nil {
			os.RemoveAll(dir)
			return "", "", fmt.Errorf("git show %s:%s: %v", ref, f, err)
		}
		to := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			os.RemoveAll(dir)
			return "", "", err
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			os.RemoveAll(dir)
			return "", "", err
		}
	}
	return dir, filepath.Join(dir, filepath.FromSlash(rel)), nil
}

// diffPairs pairs the principals of the sides by name.
func diffPairs(old, new *diffSide, caller string) ([]diff.Pair, error) {
	if old.account != nil {
		return accountPairs(old.account, new.account)
	}
	var pairs []diff.Pair
	var req func(action, resource string) *request.Context
	if caller != "" {
		req = func(action, resource string) *request.Context { return request.New(caller, action, resource) }
	}
	side := func(s *diffSide, name string, req func(action, resource string) *request.Context) (*diff.Principal, error) {
		set, ok := s.sets[name]
		if !ok {
			return nil, nil
		}
		e, err := evaluator.Compile(set)
		if err != nil {
			return nil, fmt.Errorf("%s: set %q: %v", s.label, name, err)
		}
		return &diff.Principal{Engine: e, Request: req, Key: engineKey(e, "")}, nil
	}
	// pair compares set name of both sides, its requests made by req
	pair := func(label, name string, req func(action, resource string) *request.Context) error {
		o, err := side(old, name, req)
		if err != nil {
			return err
		}
		n, err := side(new, name, req)
		if err != nil {
			return err
		}
		pairs = append(pairs, diff.Pair{Name: label, Old: o, New: n})
		return nil
	}
	for _, name := range unionNames(old.names, new.names) {
		if err := pair(name, name, req); err != nil {
			return nil, err
		}
		so, sn := old.sets[name], new.sets[name]
		pairs[len(pairs)-1].ResourceCallers = caller == "" && resourceCallersAll(so, sn)
		unknown := ownerUnknown(so, sn)
		if caller != "" && unknown {
			// the owner is not known: also as a resource of another
			// account than the caller's, which only the resource policy
			// can open to it
			other := otherAccount(so, sn, request.ParsePrincipal(caller).Account)
			oreq := func(action, resource string) *request.Context {
				return ownedBy(request.New(caller, action, resource), other)
			}
			if err := pair(name+" (resource owner: "+otherOwnerWords(other)+")", name, oreq); err != nil {
				return nil, err
			}
			pairs[len(pairs)-1].Decides = namesNoAccount
		}
		// a resource policy grants to the callers it names: each is
		// compared as a caller of its own (anonymous for "*", and a
		// principal of another account for "*" and NotPrincipal) (their
		// own identity policies are not known: assumed to allow, which can
		// over-report, never under-report); where the owner is not known,
		// each both as of the owner's account and as of another
		for _, c := range resourcePolicyCallers(so, sn, caller) {
			outside := func(s *diffSide, req func(action, resource string) *request.Context) (*diff.Principal, error) {
				set, ok := s.sets[name]
				if !ok || set.Resource == nil {
					return nil, nil
				}
				identity := []*policy.Policy{assumedIdentity(so.Resource, sn.Resource)}
				if c == ownerPrincipal {
					identity = nil
				}
				e, err := evaluator.Compile(evaluator.PolicySet{Identity: identity,
					Resource: set.Resource, ResourceOwner: set.ResourceOwner})
				if err != nil {
					return nil, fmt.Errorf("%s: set %q: %v", s.label, name, err)
				}
				return &diff.Principal{Engine: e, Request: req}, nil
			}
			arn, label := c, name+" as "+c+" (its own policies assumed to allow)"
			switch c {
			case request.Anonymous:
				label = name + " as anonymous (an unsigned request)"
			case ownerPrincipal:
				arn = "arn:aws:iam::" + ownerAccount(so, sn) + ":user/any-principal"
				label = name + " as any principal of the owner's account (" + arn + ", which stands for any principal of " + ownerAccount(so, sn) + "; its own policies granting nothing: what the resource policy alone grants)"
			case anyPrincipal:
				arn = anyPrincipalARN(so, sn)
				label = name + " as any principal of another account (" + arn + ", which stands for any AWS principal of an account other than the resource's; its own policies assumed to allow)"
			}
			type variant struct {
				label string
				owner string // the resource's account where its ARN names none, "" for the engine's
			}
			variants := []variant{{label, ""}}
			if unknown && c != request.Anonymous {
				acct := request.ParsePrincipal(arn).Account
				other := variant{strings.TrimSuffix(label, ")") + "; resource owner: " + otherOwnerWords(otherAccount(so, sn, acct)) + ")", otherAccount(so, sn, acct)}
				if c == anyPrincipal {
					variants = []variant{other} // of another account
				} else {
					variants[0].label = strings.TrimSuffix(label, ")") + "; resource owner: the account the resource ARN names, else the caller's)"
					variants = append(variants, other)
				}
			}
			for _, v := range variants {
				req := func(action, resource string) *request.Context {
					return ownedBy(request.New(arn, action, resource), v.owner)
				}
				oc, err := outside(old, req)
				if err != nil {
					return nil, err
				}
				nc, err := outside(new, req)
				if err != nil {
					return nil, err
				}
				p := diff.Pair{Name: v.label, Old: oc, New: nc}
				if v.owner != "" {
					// an ARN that names an account is owned by it: the
					// variant of another owner is only for those naming none
					p.Decides = namesNoAccount
				}
				pairs = append(pairs, p)
			}
		}
	}
	return pairs, nil
}

// anyPrincipal names, among resourcePolicyCallers, the caller that stands
// for any AWS principal of another account: what Principal "*" (or
// {"AWS": "*"}) and NotPrincipal grant beyond the principals they name
// (anyPrincipalARN is the one decided).
const anyPrincipal = "any principal of another account"

// ownerPrincipal names, among resourcePolicyCallers, the caller that
// stands for any principal of the resource owner's account, whose
// identity policies grant nothing: what Principal "*" (or NotPrincipal)
// grants it is what the resource policy alone grants within the account
// (same-account requests are allowed by either side, SPEC 5.2). Added only
// when the owner is known (resourceOwner).
const ownerPrincipal = "any principal of the owner's account"

// ownerAccount is the account id of the sets' resourceOwner, "" when
// neither names one.
func ownerAccount(a, b evaluator.PolicySet) string {
	owner := a.ResourceOwner
	if owner == "" {
		owner = b.ResourceOwner
	}
	if o, ok := request.ParseAccount(owner); ok {
		return o
	}
	if request.IsAccountID(owner) {
		return owner
	}
	return ""
}

// ownerUnknown reports whether the sets hold a resource policy but neither
// names the resource's owner (resourceOwner): a resource whose ARN names no
// account (an S3 bucket) then has no known owner.
func ownerUnknown(a, b evaluator.PolicySet) bool {
	return (a.Resource != nil || b.Resource != nil) && a.ResourceOwner == "" && b.ResourceOwner == ""
}

// otherAccount is an account that is not not, and that neither set's
// resource policy names nor owns: 999999999999, or the next below.
func otherAccount(a, b evaluator.PolicySet, not string) string {
	var text []byte
	for _, set := range []evaluator.PolicySet{a, b} {
		if set.Resource != nil {
			text = append(text, set.Resource.Source...)
		}
		text = append(text, set.ResourceOwner...)
	}
	for n := int64(999999999999); ; n-- {
		acct := strconv.FormatInt(n, 10)
		if acct != not && !bytes.Contains(text, []byte(acct)) {
			return acct
		}
	}
}

// anyPrincipalARN is the caller decided for any principal of another
// account: a user (it may sign with long-term keys, a session, MFA) of an
// account that is not the resource's owner and that no policy names.
func anyPrincipalARN(a, b evaluator.PolicySet) string {
	owner := a.ResourceOwner
	if owner == "" {
		owner = b.ResourceOwner
	}
	if o, ok := request.ParseAccount(owner); ok {
		owner = o
	}
	return "arn:aws:iam::" + otherAccount(a, b, owner) + ":user/any-principal"
}

// otherOwnerWords says the owner used for a resource whose ARN names no
// account, when it is another account than the caller's.
func otherOwnerWords(acct string) string {
	return "an account other than the caller's, " + acct + ", where the resource ARN names none"
}

// ownedBy sets r's resource account to owner (when not empty) where the
// resource ARN names no account.
// namesNoAccount reports whether resource's ARN names no account (an S3
// bucket): only its owner is not known (ownerUnknown), an ARN that names
// one being owned by it.
func namesNoAccount(resource string) bool {
	parts, ok := request.SplitARN(resource)
	return !ok || !request.IsAccountID(parts[4])
}

func ownedBy(r *request.Context, owner string) *request.Context {
	if owner == "" {
		return r
	}
	if parts, ok := request.SplitARN(r.Resource); ok && request.IsAccountID(parts[4]) {
		return r
	}
	r.ResourceAccount = owner
	return r
}

// assumedIdentity is the identity side of a caller whose own policies are
// not known: it allows the actions the resource policies grant (every
// action, where one uses NotAction), on every resource.
func assumedIdentity(rps ...*policy.Policy) *policy.Policy {
	var actions []string
	for _, rp := range rps {
		if rp == nil {
			continue
		}
		for _, st := range rp.Statements {
			if st.Action == nil {
				continue
			}
			if st.Action.Not {
				actions = []string{"*"}
				break
			}
			for _, v := range st.Action.Values {
				actions = append(actions, v.Text)
			}
		}
	}
	if len(actions) == 0 {
		actions = []string{"*"}
	}
	list, _ := json.Marshal(dedupe(actions))
	p, _ := policy.Parse("assumed identity policies", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":`+string(list)+`,"Resource":"*"}}`))
	return p
}

// resourcePolicyCallers are the callers the resource policies of two sets
// name in Principal or NotPrincipal (AWS ARNs, account IDs as their root,
// services, identity providers; "anonymous" for "*"), but the one given,
// in policy order.
func resourcePolicyCallers(a, b evaluator.PolicySet, given string) []string {
	seen := map[string]bool{given: true}
	var out []string
	add := func(c string) {
		if c == ownerPrincipal && ownerAccount(a, b) == "" {
			return // the owner is not known
		}
		if !seen[c] && (c == request.Anonymous || c == anyPrincipal || c == ownerPrincipal || request.CheckCaller(c) == nil) {
			seen[c] = true
			out = append(out, c)
		}
	}
	for st := range resourcePrincipalStatements(a, b) {
		if st.Principal.Any {
			add(request.Anonymous)
			add(anyPrincipal)
			add(ownerPrincipal)
		}
		if st.Principal.Not {
			add(anyPrincipal)
			add(ownerPrincipal)
		}
		for _, e := range st.Principal.Entries {
			v := e.Text
			switch {
			case v == "*":
				add(request.Anonymous)
				add(anyPrincipal)
				add(ownerPrincipal)
			case e.Type == "AWS" && request.IsAccountID(v):
				add("arn:aws:iam::" + v + ":root")
			default:
				add(v)
			}
		}
	}
	return out
}

// resourceCallersAll reports whether every principal the sets' resource
// policies grant to is compared as a caller of its own
// (resourcePolicyCallers): each entry a caller ARN or account, and "*" or
// NotPrincipal only where the owner is known (any principal of the
// owner's account is then compared, with anonymous and any principal of
// another account).
func resourceCallersAll(a, b evaluator.PolicySet) bool {
	if a.Resource == nil && b.Resource == nil {
		return false
	}
	owner := ownerAccount(a, b) != ""
	for st := range resourcePrincipalStatements(a, b) {
		if (st.Principal.Any || st.Principal.Not) && !owner {
			return false
		}
		for _, e := range st.Principal.Entries {
			v := e.Text
			switch {
			case v == "*":
				if !owner {
					return false
				}
			case e.Type == "AWS" && request.IsAccountID(v):
			default:
				if request.CheckCaller(v) != nil {
					return false
				}
			}
		}
	}
	return true
}

// resourcePrincipalStatements yields the statements of the two sets'
// resource policies that have a Principal or NotPrincipal, in policy order.
func resourcePrincipalStatements(a, b evaluator.PolicySet) iter.Seq[*policy.Statement] {
	return func(yield func(*policy.Statement) bool) {
		for _, rp := range []*policy.Policy{a.Resource, b.Resource} {
			if rp == nil {
				continue
			}
			for _, st := range rp.Statements {
				if st.Principal != nil && !yield(st) {
					return
				}
			}
		}
	}
}

func unionNames(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range append(append([]string{}, a...), b...) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// accountPairs pairs the users and roles of two dumps by name.
func accountPairs(old, new *account.Account) ([]diff.Pair, error) {
	ao, an := old.NewAnalyzer(account.Options{}), new.NewAnalyzer(account.Options{})
	// what of the dump's roles decides a principal's sts:AssumeRole on
	// them beside their trust policies (whose changes trustFlips finds):
	// which roles there are, and their tags (aws:ResourceTag)
	rolesOf := func(a *account.Account) string {
		// (a digest: every principal's key holds it)
		// (each field after its length: a tag may hold any byte)
		b := strconv.AppendInt(nil, int64(len(a.Roles)), 10)
		for _, r := range a.Roles {
			b = gencache.AppendPart(b, r.ARN)
			b = strconv.AppendInt(b, int64(len(r.Tags)), 10)
			for _, t := range r.Tags {
				b = gencache.AppendPart(b, t.Key)
				b = gencache.AppendPart(b, t.Value)
			}
		}
		h := sha256.Sum256(b)
		return string(h[:])
	}
	roles := map[*account.Account]string{old: rolesOf(old), new: rolesOf(new)}
	// a side whose dump lists no roles (--filter) says nothing of them:
	// they are not compared (filteredSides), nor its principals'
	// sts:AssumeRole against their trust policies on either side
	byRoles := old.RolesListed && new.RolesListed
	if !byRoles {
		roles = map[*account.Account]string{}
	}
	// the roles trustFlips decides sts:AssumeRole on for every caller
	// (their trust policies changed, or one side lacks them): not again
	// in the callers' pairs
	byTrust := trustCompared(old, new)
	// each side's trust policies, compiled once for every principal's
	// engine with one (Compiler.WithResourcePolicy), and numbered by
	// shape (account.Analyzer.TrustShape): a principal's sts:AssumeRole
	// is decided once on the roles it is decided alike on
	type shapeOf struct {
		id uint32
		ok bool
	}
	compilers := map[*account.Account]*evaluator.Compiler{old: evaluator.NewCompiler(), new: evaluator.NewCompiler()}
	shapes := map[*account.Account]map[*policy.Policy]shapeOf{}
	for a, an := range map[*account.Account]*account.Analyzer{old: ao, new: an} {
		m := map[*policy.Policy]shapeOf{}
		for _, r := range a.Roles {
			id, ok := an.TrustShape(r)
			m[r.Trust] = shapeOf{id, ok}
		}
		shapes[a] = m
	}
	side := func(a *account.Account, an *account.Analyzer, name string) (*diff.Principal, error) {
		p, err := a.Principal(name)
		if err != nil {
			return nil, nil
		}
		e, err := an.Engine(p, nil)
		if err != nil {
			return nil, err
		}
		base := an.LiveRequest(p, "", "")
		// (each field after its length: a tag may hold any byte, and two
		// keys that joined alike would skip a changed principal)
		keys := gencache.AppendPart(nil, p.Caller)
		keys = gencache.AppendPart(keys, roles[a])
		for _, k := range base.Keys() {
			keys = gencache.AppendPart(keys, k.Name)
			keys = binary.AppendUvarint(keys, uint64(len(k.Values)))
			for _, v := range k.Values {
				keys = gencache.AppendPart(keys, v.String())
			}
		}
		// the sessions of a role whose trust policy allows
		// sts:TagSession carry the tags their assumer passes: its
		// principal keys are not all known
		dp := &diff.Principal{Engine: e, Key: engineKey(e, string(keys)), Known: !p.SessionTaggable(), ResourceTagsKnown: a.ResourceTagsListed,
			Request: func(action, resource string) *request.Context { return an.LiveRequest(p, action, resource) },
			RequestIn: func(req *request.Context, action, resource string) *request.Context {
				return an.LiveRequestIn(req, p, action, resource)
			}}
		if !byRoles {
			return dp, nil
		}
		// sts:AssumeRole on a role of the dump: its trust policy must
		// allow the call too, as simulate --account decides it
		dp.ResourceEngine, dp.Resources = func(action, resource string) (*evaluator.Engine, error) {
			if byTrust[resource] && strings.EqualFold(action, "sts:AssumeRole") {
				// (trustFlips': skipped here on both sides)
				return nil, diff.ErrNoSuchResource
			}
			if trust := a.TrustPolicy(action, resource); trust != nil {
				// e's compiled policies, and the trust policy
				return compilers[a].WithResourcePolicy(e, trust)
			}
			if noSuchRole(a, action, resource) {
				return nil, diff.ErrNoSuchResource
			}
			return nil, nil
		}, func(action string) []string {
			var out []string
			for _, arn := range roleARNs(a, action) {
				if !byTrust[arn] {
					out = append(out, arn)
				}
			}
			return out
		}
		dp.ResourceShape = func(action, resource string) (uint32, bool) {
			if trust := a.TrustPolicy(action, resource); trust != nil {
				sh, found := shapes[a][trust]
				return sh.id, found && sh.ok
			}
			return 0, false
		}
		return dp, nil
	}
	// each principal as Account.Principal finds it by kind and name
	var refs []string
	for _, a := range []*account.Account{old, new} {
		for _, p := range a.Principals() {
			kind := "user"
			if p.Kind == account.KindRole {
				kind = "role"
			}
			// a list one side's dump leaves out (--filter) holds no
			// principal of that side: its principals are not compared,
			// only said not checked (filteredSides)
			if !listed(old, p.Kind) || !listed(new, p.Kind) {
				continue
			}
			refs = append(refs, kind+"/"+p.Name)
		}
	}
	var pairs []diff.Pair
	for _, ref := range unionNames(refs, nil) {
		o, err := side(old, ao, ref)
		if err != nil {
			return nil, err
		}
		n, err := side(new, an, ref)
		if err != nil {
			return nil, err
		}
		kind, name, _ := strings.Cut(ref, "/")
		pairs = append(pairs, diff.Pair{Name: kind + " " + name, Old: o, New: n})
	}
	return pairs, nil
}

// trustCompared returns the ARNs of the roles whose sts:AssumeRole
// trustFlips decides for every caller: those whose trust policies differ
// between the dumps (statement by statement, canonically), or that one
// dump lacks; none when a dump lists no roles.
func trustCompared(old, new *account.Account) map[string]bool {
	out := map[string]bool{}
	if !old.RolesListed || !new.RolesListed {
		return out
	}
	byName := func(a *account.Account) map[string]*account.Role {
		m := map[string]*account.Role{}
		for _, r := range a.Roles {
			m[r.Name] = r
		}
		return m
	}
	mo, mn := byName(old), byName(new)
	for _, m := range []map[string]*account.Role{mo, mn} {
		for name := range m {
			ro, rn := mo[name], mn[name]
			if ro != nil && rn != nil && trustText(ro) == trustText(rn) {
				continue
			}
			for _, r := range []*account.Role{ro, rn} {
				if r != nil {
					out[r.ARN] = true
				}
			}
		}
	}
	return out
}

// trustText is r's trust policy as trustFlips compares it: its statements
// canonically (canonicalStatement), "" for none.
func trustText(r *account.Role) string { return trustStatements(r, "") }

// sessionText is trustText of the statements that may match action.
func sessionText(r *account.Role, action string) string { return trustStatements(r, action) }

// trustStatements is the canonical text of the statements of r's trust
// policy, of those that may match action when it is not "".
func trustStatements(r *account.Role, action string) string {
	if r.Trust == nil {
		return ""
	}
	var b []byte
	for _, st := range r.Trust.Statements {
		if action == "" || st.Action.Covers(action, true) {
			t := canonicalStatement(r.Trust, st)
			if t == nil {
				// not encoded: a text of this statement alone (its
				// address), so that the role is taken as changed, as
				// engineKey takes a principal
				t = fmt.Appendf(nil, "\xff%p", st)
			}
			b = gencache.AppendPart(b, string(t))
		}
	}
	return string(b)
}

// roleARNs returns the ARNs of a's roles when a trust policy decides
// action (Account.TrustPolicy: sts:AssumeRole), so that a principal's
// requests are decided on each role of the dump its policies may let it
// assume, not on a made-up one.
func roleARNs(a *account.Account, action string) []string {
	if !strings.EqualFold(action, "sts:AssumeRole") {
		return nil
	}
	out := make([]string, len(a.Roles))
	for i, r := range a.Roles {
		out[i] = r.ARN
	}
	return out
}

// noSuchRole reports whether resource is a role of a's account that a,
// which lists its roles, does not hold, for an action a trust policy
// decides: sts:AssumeRole on it is denied (AWS has no such role to
// assume; a made-up instance of an entry such as role/* stands for the
// dump's roles, which are decided each).
func noSuchRole(a *account.Account, action, resource string) bool {
	if !strings.EqualFold(action, "sts:AssumeRole") || !a.RolesListed {
		return false
	}
	parts, ok := request.SplitARN(resource)
	return ok && parts[4] == a.ID && strings.HasPrefix(parts[5], "role/")
}

// listed reports whether a's dump holds the list of principals of kind
// (get-account-authorization-details --filter leaves lists out).
func listed(a *account.Account, kind account.Kind) bool {
	if kind == account.KindRole {
		return a.RolesListed
	}
	return a.UsersListed
}

// filteredSides are the lists of principals a side's dump leaves out
// (get-account-authorization-details --filter prints only the lists asked
// for): their principals are not in it, so not compared.
func filteredSides(sides ...*diffSide) []diff.Unchecked {
	var out []diff.Unchecked
	for i, s := range sides {
		if s.account == nil {
			continue
		}
		for _, nc := range notInDump(s.account) {
			who, why, _ := strings.Cut(nc, ": ")
			out = append(out, diff.Unchecked{Principal: who, Entry: []string{"the old side", "the new side"}[i] + " " + s.label, Reason: why})
		}
	}
	return out
}

// trustFlips decides, for each role whose trust policy differs between two
// dumps in meaning (canonicalStatement), or that only one dump holds, who
// may assume it on each side (account.Analyzer.AssumeCallers: the users and
// role sessions of the dumps under the credential states each can present,
// and the outside principals either trust policy names, "*" standing for
// any AWS principal of another account), and returns the flips of
// sts:AssumeRole (or sts:AssumeRoleWith*) on the role, like any other; a
// caller whose decision needed context keys the request lacked is said not
// checked. nextSet numbers the action sets it makes. roles counts the
// roles decided, requests the requests.
func trustFlips(old, new *account.Account, nextSet int) (flips []diff.Flip, unchecked []diff.Unchecked, roles int, requests int64, anyStar bool, err error) {
	text := func(a *account.Account, name string) (*account.Role, string) {
		p, err := a.Principal("role/" + name)
		if err != nil || p.Role == nil {
			return nil, ""
		}
		return p.Role, trustText(p.Role)
	}
	var names []string
	for _, a := range []*account.Account{old, new} {
		for _, p := range a.Principals() {
			if p.Kind == account.KindRole {
				names = append(names, p.Name)
			}
		}
	}
	// the keys either trust policy tests are tried at the values that
	// tell its clauses apart, as identity policies' are
	probes := func(key string, clauses []*policy.Clause, req *request.Context) (request.Type, [][]string, bool) {
		t, v, unfilled := diff.KeyProbes(nil, key, clauses, req)
		return t, v, len(unfilled) == 0
	}
	ao, an := old.NewAnalyzer(account.Options{Probes: probes}), new.NewAnalyzer(account.Options{Probes: probes})
	decide := func(a *account.Analyzer, r, other *account.Role) (map[string]account.Assumer, []string, error) {
		if r == nil {
			return map[string]account.Assumer{}, nil, nil
		}
		xs, err := a.AssumeCallers(r, other)
		if err != nil {
			return nil, nil, err
		}
		m := map[string]account.Assumer{}
		var order []string
		for _, x := range xs {
			k := x.Kind.String() + " " + x.Caller
			m[k] = x
			order = append(order, k)
		}
		return m, order, nil
	}
	if !old.RolesListed || !new.RolesListed {
		// a side's dump without roles (--filter): no role is compared,
		// only said not checked (filteredSides)
		names = nil
	}
	for _, name := range unionNames(names, nil) {
		ro, to := text(old, name)
		rn, tn := text(new, name)
		if (ro == nil) == (rn == nil) && to == tn {
			continue
		}
		roles++
		// what the statements for the session's own settings allow
		// (session tags, which become its aws:PrincipalTag/*; a source
		// identity) changes what its sessions can do, which the matrix
		// does not compare
		if ro != nil && rn != nil {
			for _, action := range []string{"sts:TagSession", "sts:SetSourceIdentity"} {
				if sessionText(ro, action) != sessionText(rn, action) {
					unchecked = append(unchecked, diff.Unchecked{Principal: "role " + name, Entry: action + " in its trust policy",
						Reason: "the statements for it changed: what sessions of the role can do with the session tags or source identity their callers may now set is not compared"})
				}
			}
		}
		mo, order, err := decide(ao, ro, rn)
		if err != nil {
			return nil, nil, 0, 0, false, err
		}
		mn, orderN, err := decide(an, rn, ro)
		if err != nil {
			return nil, nil, 0, 0, false, err
		}
		arn := ""
		for _, r := range []*account.Role{rn, ro} {
			if r != nil {
				arn = r.ARN
				break
			}
		}
		sets := map[string]*diff.ActionSet{}
		for _, k := range unionNames(order, orderN) {
			xo, okO := mo[k]
			xn, okN := mn[k]
			x := xn
			if !okN {
				x = xo
			}
			// a principal only one dump holds: its own pair says what it
			// may do; a role only one dump holds is assumed by nobody on
			// the other side
			if x.Principal != nil && (!okO && ro != nil || !okN && rn != nil) {
				continue
			}
			set := sets[x.Action]
			if set == nil {
				set = &diff.ActionSet{ID: nextSet, Items: []diff.ActionResources{{Action: x.Action, Resources: []string{arn}}}}
				nextSet++
				sets[x.Action] = set
			}
			label := trustCallerLabel(x)
			anyStar = anyStar || label == anyAWSPrincipal
			for _, pr := range passingPairs(xo, xn) {
				xo, xn := pr.o, pr.n
				states := trustStates(x.Tried, xo, xn)
				if x.Kind == account.AssumerService {
					// a service has no credentials of its own: one state,
					// as the service (which carries no MFA)
					states = []diff.State{{}}
				}
				requests += int64(2 * len(states))
				if (xo.Undecided|xn.Undecided)&^(xo.Crosses|xn.Crosses) != 0 {
					unchecked = append(unchecked, diff.Unchecked{Principal: "role " + name, Entry: x.Action + " by " + label + passingText(append(slices.Clip(pr.values), pr.varied...)),
						Reason: "its trust policy changed, and the decision needs context keys the request lacked (" + strings.Join(appendNewStrings(xo.Missing, xn.Missing), ", ") + ")"})
				}
				at := map[diff.Kind]int{}
				fresh := diff.State{MFA: true}
				for _, st := range states {
					oa, na := trustAllows(xo, st), trustAllows(xn, st)
					if oa == na {
						continue
					}
					// MFA weakened: the old side let it in with (more recent)
					// MFA; strengthened the reverse
					stricter := !st.MFA || st.Age > 0
					var k diff.Kind
					if na {
						k = diff.NewAccess
						if stricter && trustAllows(xo, fresh) {
							k = diff.MFAWeakened
						}
					} else {
						k = diff.LostAccess
						if stricter && trustAllows(xn, fresh) {
							k = diff.MFAStrengthened
						}
					}
					if i, ok := at[k]; ok {
						flips[i].States = append(flips[i].States, st)
						continue
					}
					at[k] = len(flips)
					f := diff.Flip{Kind: k, Principal: label, Actions: set, States: []diff.State{st}, Context: append(slices.Clip(pr.values), pr.varied...)}
					if oa {
						f.Old, f.OldBy = evaluator.Allowed, xo.AllowedBy
					}
					if na {
						f.New, f.NewBy = evaluator.Allowed, xn.AllowedBy
					}
					flips = append(flips, f)
				}
			}
		}
	}
	return flips, unchecked, roles, requests, anyStar, nil
}

// passingPair is a caller's decision on each side for one set of values
// it passes in its call (account.Assumer.Passing): values, "key=value",
// none for passing none.
type passingPair struct {
	values []string
	// varied are the other keys the decisions were made with
	// (account.Assumer.Varied)
	varied []string
	o, n   account.Assumer
}

// passingPairs pairs the decisions of a caller on the two sides by the
// values it passes (account.Assumer.Passing), so that a trust policy that
// now admits the caller with other values (or none) is a change even when
// both admit it with some. A side that decided no values (its trust policy
// names the caller nowhere, or the role is not on that side) denies every
// call. Without values on either side, the two decisions themselves.
func passingPairs(xo, xn account.Assumer) []passingPair {
	if xo.Passing == nil && xn.Passing == nil {
		return []passingPair{{values: appendNewStrings(xo.CallerValues, xn.CallerValues), o: xo, n: xn}}
	}
	// (not their text: "aws:RequestTag/a=b" set to "c" and
	// "aws:RequestTag/a" set to "b=c" print alike)
	key := func(x account.Assumer) string { return x.PassingKey }
	var out []passingPair
	at := map[string]int{}
	for side, xs := range [][]account.Assumer{xo.Passing, xn.Passing} {
		for _, x := range xs {
			i, ok := at[key(x)]
			if !ok {
				i = len(out)
				at[key(x)] = i
				out = append(out, passingPair{values: x.CallerValues, varied: x.Varied})
			}
			if side == 0 {
				out[i].o = x
			} else {
				out[i].n = x
			}
		}
	}
	// passing none: say which keys were absent
	var absent []string
	for _, p := range out {
		for _, v := range p.values {
			k, _, _ := strings.Cut(v, "=")
			if !slices.Contains(absent, k+" absent") {
				absent = append(absent, k+" absent")
			}
		}
	}
	for i := range out {
		if len(out[i].values) == 0 {
			out[i].values = absent
		}
	}
	return out
}

// passingText says what a caller passed in its call, for an entry: empty
// for none.
func passingText(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return " passing " + strings.Join(values, " ")
}

// trustStates are the credential states decided of a caller that can
// present tried: long-term keys, a session without MFA, MFA at age 0, and
// MFA one second past the greatest age each side allows (MaxMFAAge),
// where an age limit differs.
func trustStates(tried account.Credentials, sides ...account.Assumer) []diff.State {
	var out []diff.State
	if tried&account.LongTermKeys != 0 {
		out = append(out, diff.State{LongTerm: true})
	}
	if tried&account.SessionWithoutMFA != 0 {
		out = append(out, diff.State{})
	}
	if tried&account.WithMFA != 0 {
		out = append(out, diff.State{MFA: true})
		var ages []int64
		for _, x := range sides {
			if x.Crosses&account.WithMFA != 0 && !x.NoAgeLimit && !slices.Contains(ages, x.MaxMFAAge+1) {
				ages = append(ages, x.MaxMFAAge+1)
			}
		}
		slices.Sort(ages)
		for _, a := range ages {
			out = append(out, diff.State{MFA: true, Age: a})
		}
	}
	return out
}

// trustAllows reports whether x crosses under st (an MFA state at its age:
// within MaxMFAAge unless NoAgeLimit).
func trustAllows(x account.Assumer, st diff.State) bool {
	switch {
	case st.LongTerm:
		return x.Crosses&account.LongTermKeys != 0
	case !st.MFA:
		return x.Crosses&account.SessionWithoutMFA != 0
	}
	return x.Crosses&account.WithMFA != 0 && (x.NoAgeLimit || st.Age <= x.MaxMFAAge)
}

// anyAWSPrincipal is what the caller "*" of a trust policy is said to be,
// in every format.
const anyAWSPrincipal = `any principal of another account (the trust policy's "*", which stands for any AWS principal; its own policies assumed to allow)`

// trustCallerLabel names a caller of a role's sts:AssumeRole for a flip.
func trustCallerLabel(x account.Assumer) string {
	switch {
	case x.Kind == account.AssumerExternal && x.Caller == "*":
		return anyAWSPrincipal
	case x.Kind == account.AssumerExternal:
		return x.Name + " (outside the dump; its own policies assumed to allow)"
	case x.Kind == account.AssumerService:
		return x.Name + " (a service, as the service: no credentials of its own, no MFA)"
	case x.Kind == account.AssumerFederated:
		return x.Name + " (an identity provider)"
	}
	return x.Name
}

// appendNewStrings is a and the strings of b it lacks.
func appendNewStrings(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// engineKey is the text of what decides e's requests: each policy's type,
// level, name and statements' text (nil when a statement's text is not
// known), and extra (the caller and its keys).
func engineKey(e *evaluator.Engine, extra string) []byte {
	// each field after its length, so that no two keys join alike
	b := gencache.AppendPart(nil, extra)
	for _, cp := range e.Policies() {
		b = append(b, byte(cp.Type))
		b = binary.AppendVarint(b, int64(cp.Level))
		b = gencache.AppendPart(b, cp.Policy.Name)
		b = gencache.AppendPart(b, cp.Policy.Version)
		b = binary.AppendUvarint(b, uint64(len(cp.Policy.Statements)))
		for _, st := range cp.Policy.Statements {
			t := canonicalStatement(cp.Policy, st)
			if t == nil {
				return nil
			}
			b = gencache.AppendPart(b, string(t))
		}
	}
	return b
}

// canonicalStatement is the text of st, a statement of p, in a form that
// keeps only its meaning: the policy's canonical JSON (policy.MarshalJSON:
// elements in one order, lists as lists, no whitespace) of st alone,
// without its Sid (an optional identifier that decides nothing, IAM JSON
// reference) and with its condition clauses in order of operator and key
// (they all must hold, in any order). Nil when it cannot be encoded.
func canonicalStatement(p *policy.Policy, st *policy.Statement) []byte {
	c := *st
	c.Sid, c.HasSid = "", false
	c.Conditions = slices.Clone(st.Conditions)
	slices.SortStableFunc(c.Conditions, func(a, b *policy.Clause) int {
		if x := strings.Compare(a.Operator, b.Operator); x != 0 {
			return x
		}
		return strings.Compare(a.Key, b.Key)
	})
	b, err := (&policy.Policy{Version: p.Version, Statements: []*policy.Statement{&c}}).MarshalJSON()
	if err != nil {
		return nil
	}
	return b
}

// diffWriter writes a report.
type diffWriter struct {
	old, new *diffSide
	caller   string
	levels   catalog.AccessLevel
	rep      *diff.Report
	fail     map[diff.Kind]bool
	// trustRoles counts the roles whose trust policy changed (trustFlips);
	// trustAny says one of them names "*"
	trustRoles int
	trustAny   bool
}

// failing counts the requests of the flips of a kind --fail-on names.
func (w *diffWriter) failing() int {
	n := 0
	for _, f := range w.rep.Flips {
		if w.fail[f.Kind] {
			n += f.Actions.Requests()
		}
	}
	return n
}

func (w *diffWriter) byKind(k diff.Kind) []diff.Flip {
	var out []diff.Flip
	for _, f := range w.rep.Flips {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

var kindTitle = map[diff.Kind]string{
	diff.NewAccess:       "New access",
	diff.MFAWeakened:     "MFA weakened",
	diff.LostAccess:      "Lost access",
	diff.MFAStrengthened: "MFA strengthened",
}

// callerLine says how requests were made, and who owns the resource of
// each set with a resource policy.
func (w *diffWriter) callerLine() string {
	switch {
	case w.old.account != nil:
		return "Callers: each user and role of the dumps, as live requests of itself (the keys AWS derives for it)." + w.trustLine()
	case w.caller != "":
		return "Caller: " + w.caller + ", as a live request (the principal keys AWS derives for it)." + w.ownerLine()
	}
	return "Caller: none given (identity-side policies only, no principal keys; give --caller-arn for a live caller)." + w.ownerLine()
}

// ownerLine says, for each set with a resource policy, which account was
// taken to own its resource, and what the callers its policy names stand
// for.
// trustLine says how roles whose trust policy changed were decided.
func (w *diffWriter) trustLine() string {
	if w.trustRoles == 0 {
		return ""
	}
	star := ""
	if w.trustAny {
		star = "; the caller " + anyAWSPrincipal
	}
	return fmt.Sprintf(" %s whose trust policy changed: sts:AssumeRole on each decided for every user and role of both dumps and every principal either trust policy names%s.",
		count(w.trustRoles, "role", "roles"), star)
}

func (w *diffWriter) ownerLine() string {
	var b strings.Builder
	for _, name := range unionNames(w.old.names, w.new.names) {
		so, sn := w.old.sets[name], w.new.sets[name]
		if so.Resource == nil && sn.Resource == nil {
			continue
		}
		if ownerUnknown(so, sn) {
			fmt.Fprintf(&b, " Set %s: no resourceOwner is given, so where a resource ARN names no account (an S3 bucket) the owner is not known: each caller was decided both with the caller's account as the owner and with an account other than the caller's (%s, or the next below that no policy names).", name, otherAccount(so, sn, ""))
		} else {
			owner := so.ResourceOwner
			if owner == "" || so.Resource == nil {
				owner = sn.ResourceOwner
			}
			fmt.Fprintf(&b, " Set %s: resource owner %s (its resourceOwner), where a resource ARN names no account.", name, owner)
		}
		if slices.Contains(resourcePolicyCallers(so, sn, w.caller), anyPrincipal) {
			fmt.Fprintf(&b, " Its resource policy grants \"*\" or uses NotPrincipal: the caller \"any principal of another account\" (%s) stands for any AWS principal of an account other than the resource's, its own policies assumed to allow.", anyPrincipalARN(so, sn))
		}
	}
	return b.String()
}

// madeUp says which resources the matrix made up, in every format.
const diffMadeUp = "Resources: those the policies name, made concrete for each of the action's resource types — what an entry leaves open takes the type's own names (bucketname, objectname, instanceid), the caller's account (or 123456789012, or an account no entry names, when there is no caller), and regions — each standing for every resource its entry covers."

// summary is the sentence of counts.
func (w *diffWriter) summary() string {
	r := w.rep
	s := fmt.Sprintf("%s compared (%d with the same policies on both sides, skipped): %s checked; %d decisions made (a request under one credential state, on one side), standing for %d of the request matrix — a systematic sample, not a proof. A flipped request is an action on a resource, with the credential states it flipped under.",
		count(r.Pairs, "principal", "principals"), r.Same, count(r.Actions, "action of a principal", "actions of principals"), r.Requests, r.Covered)
	if w.levels != 0 {
		s += " Only actions at these access levels: " + levelWords(w.levels) + "."
	}
	switch {
	case len(r.Flips) == 0 && len(r.Unchecked) == 0:
		s += " No change in access."
	case len(r.Flips) == 0:
		s += " No change in access among what was checked."
	}
	if len(r.Unchecked) > 0 {
		s += fmt.Sprintf(" Not checked: %s (see below).", count(len(r.Unchecked), "entry", "entries"))
	}
	return s
}

func states(f diff.Flip) string {
	var out []string
	for _, s := range f.States {
		out = append(out, s.String())
	}
	return strings.Join(out, ", ")
}

func sideText(v evaluator.Verdict, by []evaluator.MatchedStatement, rule evaluator.Rule) string {
	t := v.String()
	if len(by) > 0 {
		t += " by " + viaAt(by)
	} else if rule != evaluator.RuleNone {
		t += " (" + rule.String() + ")"
	}
	return t
}

// viaAt names statements with their positions.
func viaAt(ms []evaluator.MatchedStatement) string {
	var parts []string
	for _, m := range ms {
		p := fmt.Sprintf("%s %s", m.PolicyID, stmtName(m))
		if m.Start.Line > 0 {
			p += fmt.Sprintf(" (line %d)", m.Start.Line)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// requestsText names the requests of a flip: "s3:GetObject on ARN", or
// "1234 actions on 2345 resources, such as s3:GetObject on ARN".
func requestsText(f diff.Flip) string {
	first := f.Action() + " on " + f.Resource()
	if n := f.Actions.Requests(); n > 1 {
		return fmt.Sprintf("%s (%s), such as %s", count(len(f.Actions.Items), "action", "actions"), count(n, "request", "requests"), first)
	}
	return first
}

func flipLine(f diff.Flip) string {
	ctx := ""
	if len(f.Context) > 0 {
		ctx = " with " + strings.Join(f.Context, ", ")
	}
	return fmt.Sprintf("%s: %s%s, %s: old %s; new %s", f.Principal, requestsText(f), ctx, states(f),
		sideText(f.Old, f.OldBy, f.OldRule), sideText(f.New, f.NewBy, f.NewRule))
}

// flipRequests counts the requests of flips.
func flipRequests(fs []diff.Flip) int {
	n := 0
	for _, f := range fs {
		n += f.Actions.Requests()
	}
	return n
}

// maxDiffLines is how many flips of each kind table and markdown show.
const maxDiffLines = 50

func (w *diffWriter) table(out io.Writer) error {
	ww := &errWriter{w: out}
	fmt.Fprintf(ww, "%s -> %s\n%s\n%s\n%s\n", w.old.label, w.new.label, w.callerLine(), diffMadeUp, w.summary())
	for _, k := range diff.Kinds {
		fs := w.byKind(k)
		if len(fs) == 0 {
			continue
		}
		fmt.Fprintf(ww, "\n%s (%s):\n", strings.ToUpper(kindTitle[k]), count(flipRequests(fs), "request", "requests"))
		if roll := w.rollup(fs); len(roll) > 1 || len(fs) > maxDiffLines {
			fmt.Fprintf(ww, "  by statement:\n")
			for _, l := range roll {
				fmt.Fprintf(ww, "    %s\n", l)
			}
		}
		for i, f := range fs {
			if i == maxDiffLines {
				fmt.Fprintf(ww, "  and %d more (-o json lists each)\n", len(fs)-i)
				break
			}
			fmt.Fprintf(ww, "  %s\n", flipLine(f))
		}
	}
	w.uncheckedLines(ww, "  ")
	return ww.err
}

func (w *diffWriter) uncheckedLines(out io.Writer, indent string) {
	if len(w.rep.Unchecked) == 0 {
		return
	}
	fmt.Fprintf(out, "\nNOT CHECKED (%d):\n", len(w.rep.Unchecked))
	for _, u := range w.rep.Unchecked {
		fmt.Fprintf(out, "%s%s: %s: %s\n", indent, u.Principal, u.Entry, u.Reason)
	}
}

func (w *diffWriter) markdown(out io.Writer) error {
	ww := &errWriter{w: out}
	fmt.Fprintf(ww, "### iameval diff: `%s` → `%s`\n\n%s\n\n%s\n\n%s\n", w.old.label, w.new.label, w.callerLine(), diffMadeUp, w.summary())
	for _, k := range diff.Kinds {
		fs := w.byKind(k)
		if len(fs) == 0 {
			continue
		}
		fmt.Fprintf(ww, "\n#### %s (%s)\n\n", kindTitle[k], count(flipRequests(fs), "request", "requests"))
		if roll := w.rollup(fs); len(roll) > 1 || len(fs) > maxDiffLines {
			fmt.Fprintf(ww, "By statement:\n\n")
			for _, l := range roll {
				fmt.Fprintf(ww, "- %s\n", mdCell(l))
			}
			fmt.Fprintln(ww)
		}
		fmt.Fprintf(ww, "| Principal | Action | Resource | Credentials | Old | New |\n| --- | --- | --- | --- | --- | --- |\n")
		for i, f := range fs {
			if i == maxDiffLines {
				fmt.Fprintf(ww, "\nand %d more (`-o json` lists each)\n", len(fs)-i)
				break
			}
			act, res := "`"+f.Action()+"`", "`"+f.Resource()+"`"
			if more := len(f.Actions.Items) - 1; more > 0 {
				act = fmt.Sprintf("%s and %d more", act, more)
			}
			if n := f.Actions.Requests(); n > 1 {
				res = fmt.Sprintf("%s (%s in all)", res, count(n, "request", "requests"))
			}
			if len(f.Context) > 0 {
				res += " with `" + strings.Join(f.Context, "`, `") + "`"
			}
			fmt.Fprintf(ww, "| %s | %s | %s | %s | %s | %s |\n", mdCell(f.Principal), act, res, states(f),
				mdCell(sideText(f.Old, f.OldBy, f.OldRule)), mdCell(sideText(f.New, f.NewBy, f.NewRule)))
		}
	}
	if len(w.rep.Unchecked) > 0 {
		fmt.Fprintf(ww, "\n#### Not checked (%d)\n\n", len(w.rep.Unchecked))
		for _, u := range w.rep.Unchecked {
			fmt.Fprintf(ww, "- %s: `%s`: %s\n", mdCell(u.Principal), u.Entry, u.Reason)
		}
	}
	return ww.err
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

type jsonDiffStatement struct {
	Policy string `json:"policy"`
	File   string `json:"file,omitempty"`
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Effect string `json:"effect"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

type jsonDiffSide struct {
	Decision   string              `json:"decision"`
	Statements []jsonDiffStatement `json:"statements"`
	Rule       string              `json:"rule,omitempty"`
}

type jsonFlip struct {
	Kind      string `json:"kind"`
	Principal string `json:"principal"`
	// Action and Resource are the first request; ActionSet numbers the
	// set in "actionSets" that lists every action and resource
	Action      string       `json:"action"`
	Resource    string       `json:"resource"`
	ActionSet   int          `json:"actionSet"`
	Actions     int          `json:"actions"`
	Requests    int          `json:"requests"`
	Context     []string     `json:"context"`
	Credentials []string     `json:"credentials"`
	Old         jsonDiffSide `json:"old"`
	New         jsonDiffSide `json:"new"`
}

func (w *diffWriter) jsonSide(s *diffSide, v evaluator.Verdict, ms []evaluator.MatchedStatement, rule evaluator.Rule) jsonDiffSide {
	j := jsonDiffSide{Decision: v.String(), Statements: []jsonDiffStatement{}}
	if rule != evaluator.RuleNone {
		j.Rule = rule.String()
	}
	for _, m := range ms {
		j.Statements = append(j.Statements, jsonDiffStatement{Policy: m.PolicyID, File: s.files[m.PolicyID], Sid: m.Sid, Index: m.Index,
			Effect: m.Effect.String(), Line: m.Start.Line, Column: m.Start.Column})
	}
	return j
}

func (w *diffWriter) json(out io.Writer) error {
	r := w.rep
	type jsum struct {
		Principals int            `json:"principals"`
		Same       int            `json:"samePolicies"`
		Actions    int            `json:"actions"`
		Requests   int64          `json:"requestsDecided"`
		Covered    int64          `json:"requestsCovered"`
		Flips      map[string]int `json:"flips"`
		Failing    int            `json:"failing"`
		Sample     string         `json:"sample"`
		Text       string         `json:"text"`
	}
	type junchecked struct {
		Principal string `json:"principal"`
		Entry     string `json:"entry"`
		Reason    string `json:"reason"`
	}
	type jaction struct {
		Action    string   `json:"action"`
		Resources []string `json:"resources"`
	}
	type jset struct {
		ID      int       `json:"id"`
		Actions []jaction `json:"actions"`
	}
	doc := struct {
		Old        string       `json:"old"`
		New        string       `json:"new"`
		Caller     string       `json:"caller"`
		Resources  string       `json:"resources"`
		Summary    jsum         `json:"summary"`
		Flips      []jsonFlip   `json:"flips"`
		ActionSets []jset       `json:"actionSets"`
		Unchecked  []junchecked `json:"unchecked"`
	}{Old: w.old.label, New: w.new.label, Caller: w.callerLine(), Resources: diffMadeUp, Flips: []jsonFlip{}, ActionSets: []jset{}, Unchecked: []junchecked{},
		Summary: jsum{Principals: r.Pairs, Same: r.Same, Actions: r.Actions, Requests: r.Requests, Covered: r.Covered,
			Flips: map[string]int{}, Failing: w.failing(), Sample: "a systematic sample of requests built from both sides, not a proof", Text: w.summary()}}
	for _, k := range diff.Kinds {
		doc.Summary.Flips[k.String()] = 0
	}
	listed := map[*diff.ActionSet]bool{}
	for _, f := range r.Flips {
		doc.Summary.Flips[f.Kind.String()] += f.Actions.Requests()
		if !listed[f.Actions] {
			listed[f.Actions] = true
			js := jset{ID: f.Actions.ID}
			for _, a := range f.Actions.Items {
				js.Actions = append(js.Actions, jaction{a.Action, a.Resources})
			}
			doc.ActionSets = append(doc.ActionSets, js)
		}
		ctx := f.Context
		if ctx == nil {
			ctx = []string{}
		}
		var creds []string
		for _, s := range f.States {
			creds = append(creds, s.String())
		}
		doc.Flips = append(doc.Flips, jsonFlip{Kind: f.Kind.String(), Principal: f.Principal, Action: f.Action(), Resource: f.Resource(),
			ActionSet: f.Actions.ID, Actions: len(f.Actions.Items), Requests: f.Actions.Requests(),
			Context: ctx, Credentials: creds, Old: w.jsonSide(w.old, f.Old, f.OldBy, f.OldRule), New: w.jsonSide(w.new, f.New, f.NewBy, f.NewRule)})
	}
	for _, u := range r.Unchecked {
		doc.Unchecked = append(doc.Unchecked, junchecked{u.Principal, u.Entry, u.Reason})
	}
	return writeIndentedJSON(out, doc)
}

// diffRules are the SARIF rules, one per kind.
var diffRules = []struct {
	id   string
	kind diff.Kind
	text string
}{
	{"DIFF001", diff.NewAccess, "The change allows a request the old policies denied"},
	{"DIFF002", diff.MFAWeakened, "The change allows without MFA (or with an older MFA session) a request that needed MFA"},
	{"DIFF003", diff.LostAccess, "The change denies a request the old policies allowed"},
	{"DIFF004", diff.MFAStrengthened, "The change asks MFA (or a more recent MFA session) for a request that did not need it"},
}

func (w *diffWriter) sarif(out io.Writer) error {
	v := currentVersion()
	driver := sarifDriver{Name: "iameval", Version: v.short(), SemanticVersion: v.semanticVersion(), InformationURI: "https://github.com/iameval/iameval", Rules: []sarifRule{}}
	index := map[diff.Kind]int{}
	for i, r := range diffRules {
		index[r.kind] = i
		level := "note"
		if w.fail[r.kind] {
			level = "error"
		}
		driver.Rules = append(driver.Rules, sarifRule{ID: r.id, Name: r.kind.String(), ShortDescription: sarifText{r.text},
			FullDescription: sarifText{r.text}, Help: sarifText{r.text}, DefaultConfiguration: sarifRuleDefault{level}})
	}
	inv := sarifInvocation{ExecutionSuccessful: len(w.rep.Unchecked) == 0, ToolExecutionNotifications: []sarifNotification{}}
	// what the other formats say first: how requests were made, and what
	// was decided
	for _, line := range []string{w.callerLine(), diffMadeUp, w.summary()} {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "note", Message: sarifText{line}, Locations: []sarifFileLocation{}})
	}
	for _, u := range w.rep.Unchecked {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "warning",
			Message: sarifText{"not checked: " + u.Principal + ": " + u.Entry + ": " + u.Reason}, Locations: []sarifFileLocation{}})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "utf16CodeUnits", Invocations: []sarifInvocation{inv}, Artifacts: []sarifArtifactID{}, Results: []sarifResult{}}
	files := map[string]bool{}
	// one result per kind and place, counting the flips placed there:
	// code scanning takes a bounded number of results, and a reviewer reads
	// a statement once
	type place struct {
		kind      diff.Kind
		uri       string
		line, col int
	}
	at := map[place]int{}
	counts := map[place]int{}
	firstLine := map[place]string{}
	for _, f := range w.rep.Flips {
		uri, line, col := w.new.label, 1, 1
		if m, ok := w.changedStatement(f); ok {
			if file := w.new.files[m.PolicyID]; file != "" {
				uri = file
			}
			if m.Start.Line > 0 {
				line, col = m.Start.Line, m.Start.Column
			}
		}
		// a git side's file is named REF:PATH: the path is the repository's
		uri = strings.TrimPrefix(filepath.ToSlash(uri), "./")
		if i := strings.Index(uri, ":"); i > 0 && strings.HasPrefix(w.new.label, "git:") {
			uri = uri[i+1:]
		}
		files[uri] = true
		pl := place{f.Kind, uri, line, col}
		counts[pl] += f.Actions.Requests()
		if i, ok := at[pl]; ok {
			run.Results[i].Message.Text = fmt.Sprintf("%s: %s flipped by this statement, such as %s", kindTitle[f.Kind], count(counts[pl], "request", "requests"), firstLine[pl])
			continue
		}
		firstLine[pl] = flipLine(f)
		rule := diffRules[index[f.Kind]]
		level := "note"
		if w.fail[f.Kind] {
			level = "error"
		}
		at[pl] = len(run.Results)
		run.Results = append(run.Results, sarifResult{RuleID: rule.id, RuleIndex: index[f.Kind], Level: level,
			Message: sarifText{kindTitle[f.Kind] + ": " + flipLine(f)}, Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: uri}, Region: sarifRegion{StartLine: line, StartColumn: col}}}}})
	}
	var uris []string
	for u := range files {
		uris = append(uris, u)
	}
	sort.Strings(uris)
	for _, u := range uris {
		run.Artifacts = append(run.Artifacts, sarifArtifactID{Location: sarifArtifact{URI: u}, Properties: sarifArtifactProperties{KindSource: "diff", Parsed: true}})
	}
	return writeIndentedJSON(out, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// maxRollup is how many statements a kind's roll-up names.
const maxRollup = 10

// rollup says, for the flips of one kind, which statements they are placed
// at (changedStatement) with how many principals and requests each, the
// most requests first: what a reviewer reads when a change to one managed
// policy flips thousands of principals.
func (w *diffWriter) rollup(fs []diff.Flip) []string {
	type agg struct {
		label      string
		principals map[string]bool
		requests   int
	}
	var order []*agg
	by := map[string]*agg{}
	for _, f := range fs {
		label := "no statement of the new side (an implicit deny)"
		if m, ok := w.changedStatement(f); ok {
			label = m.PolicyID + " " + stmtName(m)
			if m.Start.Line > 0 {
				label += fmt.Sprintf(" (line %d)", m.Start.Line)
			}
		}
		a := by[label]
		if a == nil {
			a = &agg{label: label, principals: map[string]bool{}}
			by[label] = a
			order = append(order, a)
		}
		a.principals[f.Principal] = true
		a.requests += f.Actions.Requests()
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].requests > order[j].requests })
	var out []string
	for i, a := range order {
		if i == maxRollup {
			out = append(out, fmt.Sprintf("and %d more statements", len(order)-i))
			break
		}
		out = append(out, fmt.Sprintf("%s: %s of %s", a.label, count(a.requests, "request", "requests"), count(len(a.principals), "principal", "principals")))
	}
	return out
}

// relName is a policy's name within its side: its path under the side's
// directory ("" for a side that is one file), or its name in a set file.
func (s *diffSide) relName(name string) string {
	label := strings.TrimPrefix(s.label, "git:")
	if rel, ok := strings.CutPrefix(name, label); ok {
		return strings.TrimPrefix(rel, "/")
	}
	return name
}

// changedStatement is the statement of the new side a flip is best shown
// at: of the statements that decided it on the new side and the new side's
// copies (same policy, same Sid or place) of those that decided it on the
// old, the first whose text the old side does not hold (a statement added
// or changed), else the first that decided on the new side.
func (w *diffWriter) changedStatement(f diff.Flip) (evaluator.MatchedStatement, bool) {
	oldText := map[string]bool{}
	newPol := map[string]*policy.Policy{}
	for _, set := range w.old.sets {
		for _, p := range setPolicies(set) {
			for _, st := range p.Statements {
				oldText[string(p.StatementText(st))] = true
			}
		}
	}
	newRel := map[string]*policy.Policy{} // by the name within the side
	for _, set := range w.new.sets {
		for _, p := range setPolicies(set) {
			newPol[p.Name] = p
			newRel[w.new.relName(p.Name)] = p
		}
	}
	var cands []evaluator.MatchedStatement
	cands = append(cands, f.NewBy...)
	for _, m := range f.OldBy {
		p := newRel[w.old.relName(m.PolicyID)]
		if p == nil {
			continue
		}
		for i, st := range p.Statements {
			if m.Sid != "" && st.Sid == m.Sid || m.Sid == "" && i == m.Index {
				start, end := p.Braces(st)
				cands = append(cands, evaluator.MatchedStatement{PolicyID: p.Name, Index: i, Sid: st.Sid, Effect: st.Effect, Start: start, End: end})
				break
			}
		}
	}
	for _, m := range cands {
		if p := newPol[m.PolicyID]; p != nil && m.Index >= 0 && m.Index < len(p.Statements) && !oldText[string(p.StatementText(p.Statements[m.Index]))] {
			return m, true
		}
	}
	// else a statement of the side's own policies, before the identity
	// policy assumed for a caller a resource policy names (a helper found
	// "assumed identity policies statement 1" said to be the change)
	for _, m := range cands {
		if newPol[m.PolicyID] != nil {
			return m, true
		}
	}
	if len(f.NewBy) > 0 {
		return f.NewBy[0], true
	}
	if len(cands) > 0 {
		return cands[0], true
	}
	return evaluator.MatchedStatement{}, false
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, nil
}
