package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/request"
)

const whoCanHelp = `Usage: iameval who-can --account DUMP --action ACTION --resource ARN [flags]
       iameval who-can --account DUMP --access-level LEVELS --resource ARN [flags]
       iameval who-can --account DUMP --exposure [flags]

Lists every way a request gets allowed in an account: each user and role
whose own policies allow it (a user with long-term keys, a session without
MFA, or MFA; a role in a session, which carries no MFA), and every caller
that can reach a role allowed it through a chain of role assumptions (users,
other roles' sessions, services, identity providers, principals of other
accounts a trust policy names), with the credentials that get it there and
the statements that allow it at the end. A way through roles that works
without MFA for a user whose own policies need MFA for the request is an
MFA BYPASS.

ACTION may be a pattern (s3:Delete*, as IAM matches it, expanded through the
catalogue of AWS's actions) and --access-level keeps the actions of those
levels (list, read, write, permissions-management, tagging); without
--action, the actions of the resource's service at those levels. Only the
actions with a resource type the resource is of are asked (or, for "*",
those that take "*"); each is answered on its own.

A --resource with a wildcard (arn:aws:s3:::prod-artifacts/*) is no resource
a request names: it stands for the resources it covers, for each principal
its own instances (arn:aws:s3:::prod-artifacts/objectname) and every
resource that principal's policies name within it (prod-artifacts/public/*),
and a way counts when any of them is allowed; each way names the resource
it was allowed on. For an action a role's trust policy decides
(sts:AssumeRole, sts:TagSession, ...), a role pattern stands for the
dump's roles it matches, each decided with its own trust policy; the roles
it can name outside the dump are said not checked. --resource must be an
ARN or "*".

--exposure lists instead the roles that callers outside the account (other
accounts, their principals, "*", identity providers) can assume, with the
conditions of the trust statements that guard them (sts:ExternalId, MFA,
aws:PrincipalOrgID, ...; a Deny's as "denied when ..."; none that every
caller satisfies), or none, in every format (json: {"exposure":
[{"role", "caller", "kind", "credentials", "undecided", "guards"}],
"note"}; dot and markdown: a graph of the callers and the roles, a way in
that nothing guards marked).

Each step is decided by the engine on the principal's own policies and
boundary, as a live request of it (its principal keys derived), the trust
policy deciding sts:AssumeRole. Principals of other accounts are assumed to
be allowed by their own policies (not known from the dump); it is said.
A resource of another account (asked about, or one of a pattern) is decided
on the caller's side, and its way says that resource's own policy, not in
the dump, must allow the request too. A pattern that leaves the account
open (*, arn:aws:sqs:*:*:*) stands for the caller's account's resources
and, beside them, another account's (a made-up account number standing for
any, decided without the RCPs and without the aws:Resource... keys given),
listed when the caller's policies let it through with credentials the
caller's own resources do not.

Output (--output, -o):
  table     a line per way (default)
  json      {"resource", "queries": [{"action", "ways": [{"start", "kind",
            "roles", "credentials", "undecided", "missingContextValues",
            "allowedBy", "bypass", "identityChecked", "otherAccount",
            "otherAccountStandIn", "text"}], "summary"}],
            "summary"}
  dot       a Graphviz graph: callers, roles and the request, each edge
            labelled with the credentials that cross it ("as the service"
            for a service principal, which has none) (dot -Tsvg)
  markdown  the ways as a list and the graph as a Mermaid block (a pull
            request comment or a wiki page)

Exit codes: 0 done; 2 bad usage or unreadable input.

Examples:
  iameval who-can --account testdata/account/paths-account.json \
      --action s3:DeleteObject --resource arn:aws:s3:::prod-artifacts/build.zip
  iameval who-can --account dump.json --action s3:DeleteObject \
      --resource 'arn:aws:s3:::prod-artifacts/*' --without-mfa -o json

Flags:
`

func runWhoCan(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := newGrammar("who-can", whoCanHelp)
	var output, acct, action, resource, level string
	var withoutMFA, exposure bool
	g.string(&acct, "account", "", "", "the account dump `FILE` (aws iam get-account-authorization-details)")
	g.string(&action, "action", "", "", "the `ACTION` (service:Action)")
	g.string(&resource, "resource", "", "", "the resource `ARN`")
	g.string(&level, "access-level", "", "", "keep only actions of these `LEVELS`: list, read, write, permissions-management, tagging")
	g.fs.BoolVar(&withoutMFA, "without-mfa", false, "keep only the ways that work without MFA")
	g.fs.BoolVar(&exposure, "exposure", false, "list the roles callers outside the account can assume, and what guards them")
	g.string(&output, "output", "o", "table", "output `FORMAT`: table, json, dot or markdown")
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "who-can")
	var err error
	if output, err = outputFormat(output, "table", "json", "dot", "markdown"); err != nil {
		return usageErr("%v", err)
	}
	var levels catalog.AccessLevel
	if level != "" {
		if levels, err = catalog.ParseAccessLevel(level); err != nil {
			return usageErr("--access-level: %v", err)
		}
	}
	switch {
	case acct == "":
		return usageErr("--account is required: the account dump whose principals to check")
	case exposure && (action != "" || resource != "" || levels != 0 || withoutMFA):
		return usageErr("--exposure takes no request: give it without --action, --resource, --access-level and --without-mfa")
	case exposure:
		return runExposure(acct, output, stdin, stdout, stderr)
	case resource == "":
		return usageErr("--resource is required: the resource of the request to check")
	case action == "" && levels == 0:
		return usageErr("give --action (an action or a pattern) or --access-level: the request to check")
	case g.fs.NArg() > 0:
		return usageErr("unexpected argument %q", g.fs.Arg(0))
	}
	if action != "" {
		if err := checkPattern(action); err != nil {
			return usageErr("--action: %v", err)
		}
	}
	if err := checkARN(resource, true); err != nil {
		return usageErr("--resource: %v", err)
	}
	actions, err := whoCanActions(action, resource, levels)
	if err != nil {
		return usageErr("%v", err)
	}
	o := newOpener(stdin, stderr)
	a, err := o.loadAccount(acct)
	if err != nil {
		printCmdErr(stderr, "who-can", err)
		return exitUsage
	}
	if len(actions) == 1 && catalog.Default().Action(actions[0]) == nil {
		fmt.Fprintf(stderr, "iameval who-can: warning: AWS's catalogue does not know %s (a typo?): no policy grants it but a wildcard\n", actions[0])
	}
	an := a.NewAnalyzer(account.Options{})
	var queries []whoCanQuery
	var outside []string // roles of trust-policy actions not in the dump
	for _, act := range actions {
		outside = append(outside, an.RolesOutside(act, resource))
		ways, err := an.WhoCan(act, resource)
		if err != nil {
			printCmdErr(stderr, "who-can", err)
			return exitUsage
		}
		if withoutMFA {
			kept := ways[:0]
			for _, w := range ways {
				// a role's own way counts when its session can be had
				// without MFA (or might be)
				role := w.Start.Principal != nil && w.Start.Principal.Kind == account.KindRole && len(w.Roles) == 0
				switch {
				case (w.Credentials | w.Undecided).WithoutMFA() && (!role || w.Reach >= account.ReachUndecided):
					kept = append(kept, w)
				case len(w.Unchecked) > 0:
					// its entries not checked are said, its way with MFA
					// is not one
					kept = append(kept, account.Access{Start: w.Start, Roles: w.Roles, Reach: w.Reach, Unchecked: w.Unchecked})
				}
			}
			ways = kept
		}
		queries = append(queries, whoCanQuery{act, ways})
	}
	// every format says that entries were not checked, the dot graph too
	notChecked := 0
	for _, q := range queries {
		notChecked += notCheckedWays(q.ways)
	}
	entries := ""
	if notChecked > 0 {
		entries = fmt.Sprintf("Resource entries of %s own policies (each way says which)", count(notChecked, "principal's", "principals'"))
	}
	switch output {
	case "json":
		err = writeWhoCanJSON(stdout, whoCanAssumptions(a, entries, outside...), resource, queries)
	case "dot":
		err = writeWhoCanDot(stdout, whoCanAssumptions(a, entries, outside...), resource, queries)
	case "markdown":
		err = writeWhoCanMarkdown(stdout, whoCanAssumptions(a, entries, outside...), resource, queries)
	default:
		err = writeWhoCanTable(stdout, whoCanAssumptions(a, entries, outside...), resource, queries)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval who-can: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// runExposure is who-can --exposure.
func runExposure(acct, output string, stdin io.Reader, stdout, stderr io.Writer) int {
	a, err := newOpener(stdin, stderr).loadAccount(acct)
	if err != nil {
		printCmdErr(stderr, "who-can", err)
		return exitUsage
	}
	ex, err := a.NewAnalyzer(account.Options{}).Exposure()
	if err != nil {
		printCmdErr(stderr, "who-can", err)
		return exitUsage
	}
	guards := func(e account.Exposure) string {
		if len(e.Guards) == 0 {
			return "no condition"
		}
		return strings.Join(e.Guards, "; ")
	}
	if output == "json" {
		type jexp struct {
			Role        string   `json:"role"`
			Caller      string   `json:"caller"`
			Kind        string   `json:"kind"`
			Credentials []string `json:"credentials"`
			Undecided   []string `json:"undecided"`
			Guards      []string `json:"guards"`
		}
		doc := struct {
			Exposure []jexp `json:"exposure"`
			Note     string `json:"note"`
		}{Exposure: []jexp{}, Note: "the outside callers' own policies are not known: assumed to allow" + exposureNotChecked(a)}
		for _, e := range ex {
			doc.Exposure = append(doc.Exposure, jexp{e.Role.Name, e.Assumer.Name, e.Assumer.Kind.String(), credentialNames(e.Assumer.Crosses),
				credentialNames(e.Assumer.Undecided), append([]string{}, e.Guards...)})
		}
		if err := writeIndentedJSON(stdout, doc); err != nil {
			fmt.Fprintf(stderr, "iameval who-can: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	creds := func(e account.Exposure) string {
		if e.Assumer.Crosses == 0 {
			return fmt.Sprintf("maybe with %s (depends on %s)", e.Assumer.Undecided, strings.Join(e.Assumer.Missing, ", "))
		}
		return "with " + e.Assumer.Crosses.String()
	}
	assumed := "their own policies are not known: assumed to allow" + exposureNotChecked(a)
	ww := &errWriter{w: stdout}
	switch output {
	case "dot", "markdown":
		// the roles are the ends; an edge from each outside caller,
		// labelled with its credentials and guards, marked when nothing
		// guards it
		g := &graph{}
		for _, e := range ex {
			g.node("role " + e.Role.Name)
		}
		g.ends = len(g.nodes)
		for _, e := range ex {
			label := maybeLabel(e.Assumer.Crosses, e.Assumer.Undecided, e.Assumer.Missing) + "; guarded by " + guards(e)
			g.edge(e.Assumer.Name, "role "+e.Role.Name, label, len(e.Guards) == 0)
		}
		if output == "dot" {
			fmt.Fprintf(ww, "// Roles callers outside the account can assume: %s (%s).\n", count(len(ex), "way in", "ways in"), assumed)
			g.writeDot(ww, "exposure")
			break
		}
		fmt.Fprintf(ww, "### Roles callers outside the account can assume\n\n%s (%s).\n\n", count(len(ex), "way in", "ways in"), assumed)
		for _, e := range ex {
			fmt.Fprintf(ww, "- %s\n", strings.ReplaceAll(fmt.Sprintf("role %s <- %s, %s: guarded by %s", e.Role.Name, e.Assumer.Name, creds(e), guards(e)), "|", "\\|"))
		}
		if len(ex) == 0 {
			fmt.Fprintf(ww, "None.\n")
		}
		g.writeMermaid(ww, true)
	default:
		fmt.Fprintf(ww, "Roles callers outside the account can assume: %s (%s).\n", count(len(ex), "way in", "ways in"), assumed)
		for _, e := range ex {
			fmt.Fprintf(ww, "  role %s <- %s, %s: guarded by %s\n", e.Role.Name, e.Assumer.Name, creds(e), guards(e))
		}
	}
	if ww.err != nil {
		fmt.Fprintf(stderr, "iameval who-can: %v\n", ww.err)
		return exitUsage
	}
	return exitOK
}

// exposureNotChecked says, for --exposure, that the roles were not in the
// dump, when a --filter left RoleDetailList out.
func exposureNotChecked(a *account.Account) string {
	if a.RolesListed {
		return ""
	}
	return "; not checked: roles: the dump has no RoleDetailList (left out by --filter) so no role was checked"
}

// whoCanAssumptions says how who-can decides, in every format: who the
// callers are, whose a resource without an account is, what is assumed of
// principals outside the dump.
func whoCanAssumptions(a *account.Account, entries string, outside ...string) string {
	s := "Callers: each user and role of the dump, as live requests of itself (the keys AWS derives for it); a resource whose ARN names no account is taken as the dump's account, " +
		accountIDText(a.ID) + "; principals of other accounts are assumed to be allowed by their own policies (not in the dump); a role session's name (aws:userid, ROLEID:SESSION) and, where the role's trust policy allows sts:TagSession, its session tags (aws:PrincipalTag/KEY) are chosen by whoever assumes the role: they are not set, and a way that depends on them is a maybe on that key."
	nc := notInDump(a)
	if entries != "" {
		nc = append(nc, entries)
	}
	for _, o := range outside {
		if o != "" {
			nc = append(nc, "the resource can name "+o)
		}
	}
	if len(nc) > 0 {
		s += " Not checked: " + strings.Join(nc, "; ") + "."
	}
	return s
}

// reachWords says how a role's session can be had.
func reachWords(s account.ReachStatus) string {
	switch s {
	case account.ReachWithoutMFA:
		return "without MFA"
	case account.ReachOnlyWithMFA:
		return "only with MFA"
	case account.ReachUndecided:
		return "maybe without MFA: it depends on context keys"
	}
	return "by nobody"
}

// whoCanQuery is one action's answer.
type whoCanQuery struct {
	action string
	ways   []account.Access
}

// whoCanActions are the actions to ask about: the action, or those a
// pattern matches (the catalogue's), at levels (every level when 0), or
// without a pattern the actions of the resource's service at levels; of
// them, those with a resource type resource is of (those that take only
// "*" for the resource "*").
func whoCanActions(pattern, resource string, levels catalog.AccessLevel) ([]string, error) {
	c := catalog.Default()
	if pattern != "" && !strings.ContainsAny(pattern, "*?") {
		if a := c.Action(pattern); a != nil && levels != 0 && !a.Level.Has(levels) {
			return nil, fmt.Errorf("%s is a %s action, not of --access-level %s", a, a.Level, levelWords(levels))
		}
		return []string{pattern}, nil
	}
	var cands []*catalog.Action
	if pattern != "" {
		cands = c.Expand(pattern)
	} else {
		parts, ok := request.SplitARN(resource)
		if !ok {
			return nil, fmt.Errorf("--resource %q: give --action with --access-level for a resource that is no ARN", resource)
		}
		s := c.Service(parts[2])
		if s == nil {
			return nil, fmt.Errorf("--resource %q: the catalogue knows no service %q", resource, parts[2])
		}
		cands = s.Actions
	}
	var out []string
	for _, a := range cands {
		if levels != 0 && !a.Level.Has(levels) {
			continue
		}
		if resource == "*" && !a.OnlyStar() || resource != "*" && len(a.ResourceTypesFor(resource)) == 0 {
			continue
		}
		out = append(out, a.String())
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no action AWS knows matches %q at those levels and acts on %s", pattern, resource)
	}
	return out, nil
}

// startLabel labels the first edge of a way from start: the credentials
// it crosses with ("maybe: ..." when undecided), or, for a service
// principal, which has no credentials of its own, "as the service".
func startLabel(start *account.Assumer, c, maybe account.Credentials) string {
	label := c.String()
	if start.Kind == account.AssumerService {
		label = "as the service"
	}
	switch {
	case c == 0 && start.Kind == account.AssumerService:
		return "maybe: as the service"
	case c == 0:
		return "maybe: " + maybe.String()
	}
	return label
}

// wayTextOn says one way: "user alice -> role DeployRole, with long-term
// keys, session without MFA: allowed by ...".
// A way decided on another resource than asked (one a pattern covers)
// says which.
func wayTextOn(w account.Access, asked string) string {
	var b strings.Builder
	b.WriteString(w.Start.Name)
	if len(w.Roles) == 0 {
		b.WriteString(", directly")
		if p := w.Start.Principal; p != nil && p.Kind == account.KindRole {
			b.WriteString(" (its session reached " + reachWords(w.Reach) + ")")
		}
	}
	for _, r := range w.Roles {
		b.WriteString(" -> role " + r.Name)
	}
	switch {
	case w.Start.Kind == account.AssumerService && w.Credentials != 0:
		b.WriteString(", as the service")
	case w.Start.Kind == account.AssumerService && w.Undecided != 0:
		fmt.Fprintf(&b, ", maybe as the service (depends on %s)", strings.Join(w.Missing, ", "))
	default:
		if w.Credentials != 0 {
			b.WriteString(", with " + w.Credentials.String())
		}
		if w.Undecided != 0 {
			fmt.Fprintf(&b, ", maybe with %s (depends on %s)", w.Undecided, strings.Join(w.Missing, ", "))
		}
	}
	if w.Resource != "" && (w.Resource != asked || w.OtherAccount != "") {
		b.WriteString(", on " + w.Resource)
	}
	if w.OtherAccount != "" {
		b.WriteString(" (" + otherAccountWords(w) + ")")
	}
	if len(w.AllowedBy) > 0 {
		b.WriteString(": allowed by " + via(w.AllowedBy))
	}
	if !w.Start.IdentityChecked && w.Start.Principal == nil && w.Start.Kind == account.AssumerExternal {
		b.WriteString(" (its own account's policies assumed to allow)")
	}
	if w.Bypass {
		b.WriteString("  MFA BYPASS: its own policies need MFA for this")
	}
	if len(w.Unchecked) > 0 {
		if w.Credentials|w.Undecided == 0 {
			b.WriteString(": no way found, but")
		} else {
			b.WriteByte(';')
		}
		b.WriteString(" not checked: ")
		for i, u := range w.Unchecked {
			if i > 0 {
				b.WriteString("; ")
			}
			x := uncheckedResource{Unchecked: u}
			fmt.Fprintf(&b, "%s (%s %s): %s", u.Pattern, u.Statement.Effect, stmtName(u.Statement), x.why())
		}
	}
	return b.String()
}

// realWays counts the ways some credentials allow (or might): not those
// listed only for Resource entries not checked (account.Access.Unchecked).
func realWays(ways []account.Access) int {
	n := 0
	for _, w := range ways {
		if w.Credentials|w.Undecided != 0 {
			n++
		}
	}
	return n
}

// notCheckedWays counts the ways whose start's Resource entries were not
// checked, a way or not.
func notCheckedWays(ways []account.Access) int {
	n := 0
	for _, w := range ways {
		if len(w.Unchecked) > 0 {
			n++
		}
	}
	return n
}

// waysWords says how many ways q has, and of how many principals Resource
// entries were not checked.
func waysWords(ways []account.Access) string {
	s := count(realWays(ways), "way", "ways")
	if n := notCheckedWays(ways); n > 0 {
		s += "; the Resource entries of " + count(n, "principal", "principals") + " were not checked (see each)"
	}
	return s
}

// otherAccountWords says whose w's resource is when it is another
// account's (account.Access.OtherAccount): the way holds only if that
// account's policy, not in the dump, allows the request too.
func otherAccountWords(w account.Access) string {
	whose := "a resource of account " + w.OtherAccount
	if w.StandIn {
		whose = "a resource of another account, " + w.OtherAccount + " standing for any"
	}
	return whose + ": its own policy, not in the dump, must allow the request too"
}

func writeWhoCanTable(w io.Writer, assumed, resource string, queries []whoCanQuery) error {
	ww := &errWriter{w: w}
	fmt.Fprintf(ww, "%s\n", assumed)
	bypasses := 0
	for i, q := range queries {
		if i > 0 {
			fmt.Fprintln(ww)
		}
		fmt.Fprintf(ww, "Who can %s on %s: %s.\n", q.action, resource, waysWords(q.ways))
		for _, x := range q.ways {
			fmt.Fprintf(ww, "  %s\n", wayTextOn(x, resource))
			if x.Bypass {
				bypasses++
			}
		}
	}
	if bypasses > 0 {
		fmt.Fprintf(ww, "%s: a user whose own policies need MFA for the request gets it done without MFA through roles.\n", count(bypasses, "MFA bypass", "MFA bypasses"))
	}
	return ww.err
}

func writeWhoCanJSON(w io.Writer, assumed, resource string, queries []whoCanQuery) error {
	type jway struct {
		Start           string   `json:"start"`
		Kind            string   `json:"kind"`
		Roles           []string `json:"roles"`
		Credentials     []string `json:"credentials"`
		Undecided       []string `json:"undecided"`
		Missing         []string `json:"missingContextValues"`
		AllowedBy       []string `json:"allowedBy"`
		Resource        string   `json:"resource"`
		Bypass          bool     `json:"bypass"`
		IdentityChecked bool     `json:"identityChecked"`
		// OtherAccount owns the resource, not the caller's account: its
		// policy must allow the request too; OtherAccountStandIn says the
		// account is made up, standing for any other
		OtherAccount        string `json:"otherAccount,omitempty"`
		OtherAccountStandIn bool   `json:"otherAccountStandIn,omitempty"`
		// Unchecked are the Resource entries of the start's own policies
		// not checked; a way with no credentials is listed for them
		Unchecked []mfaJSONUnchecked `json:"unchecked"`
		Text      string             `json:"text"`
	}
	type jsum struct {
		Ways     int `json:"ways"`
		Bypasses int `json:"bypasses"`
		// NotChecked counts the ways whose start's Resource entries were
		// not checked (those listed for them alone are not in Ways)
		NotChecked int `json:"notChecked"`
	}
	type jquery struct {
		Action  string `json:"action"`
		Ways    []jway `json:"ways"`
		Summary jsum   `json:"summary"`
	}
	doc := struct {
		Assumed  string   `json:"assumed"`
		Resource string   `json:"resource"`
		Queries  []jquery `json:"queries"`
		Summary  jsum     `json:"summary"`
	}{Assumed: assumed, Resource: resource, Queries: []jquery{}}
	for _, q := range queries {
		jq := jquery{Action: q.action, Ways: []jway{}}
		for _, x := range q.ways {
			j := jway{Start: x.Start.Name, Kind: x.Start.Kind.String(), Roles: []string{}, Credentials: startCredentialNames(x.Start, x.Credentials),
				Undecided: startCredentialNames(x.Start, x.Undecided), Missing: append([]string{}, x.Missing...), AllowedBy: statementNames(x.AllowedBy),
				Resource: cmp.Or(x.Resource, resource),
				Bypass:   x.Bypass, IdentityChecked: x.Start.Principal != nil || x.Start.IdentityChecked, OtherAccount: x.OtherAccount, OtherAccountStandIn: x.StandIn,
				Unchecked: []mfaJSONUnchecked{}, Text: wayTextOn(x, resource)}
			for _, u := range x.Unchecked {
				j.Unchecked = append(j.Unchecked, jsonUnchecked(uncheckedResource{q.action, u}))
			}
			for _, r := range x.Roles {
				j.Roles = append(j.Roles, r.Name)
			}
			jq.Ways = append(jq.Ways, j)
			if x.Bypass {
				jq.Summary.Bypasses++
			}
		}
		jq.Summary.NotChecked = notCheckedWays(q.ways)
		jq.Summary.Ways = realWays(q.ways)
		doc.Summary.Ways += jq.Summary.Ways
		doc.Summary.NotChecked += jq.Summary.NotChecked
		doc.Summary.Bypasses += jq.Summary.Bypasses
		doc.Queries = append(doc.Queries, jq)
	}
	return writeIndentedJSON(w, doc)
}

// whoCanGraph draws the ways: each start and role a node, the requests
// the ends; an edge for each step, labelled with the start's credentials on
// its first step (a service: "as the service") and "session without MFA" after (a role session carries
// no MFA), marked on a bypass; edges shared by ways drawn once.
func whoCanGraph(resource string, queries []whoCanQuery) *graph {
	g := &graph{ends: len(queries)}
	for _, q := range queries {
		g.node(q.action + " on " + resource)
	}
	for _, q := range queries {
		target := q.action + " on " + resource
		for _, w := range q.ways {
			if w.Credentials|w.Undecided == 0 {
				continue // entries not checked (wayTextOn), no way
			}
			label := startLabel(w.Start, w.Credentials, w.Undecided)
			if w.OtherAccount != "" {
				label += ", on another account's resource if its policy allows"
			}
			from := w.Start.Name
			g.node(from)
			for _, r := range w.Roles {
				to := "role " + r.Name
				g.edge(from, to, label, w.Bypass)
				from, label = to, "session without MFA"
			}
			g.edge(from, target, label, w.Bypass)
		}
	}
	return g
}

func writeWhoCanDot(w io.Writer, assumed, resource string, queries []whoCanQuery) error {
	ww := &errWriter{w: w}
	fmt.Fprintf(ww, "// %s\n", assumed)
	whoCanGraph(resource, queries).writeDot(ww, "whocan")
	return ww.err
}

func writeWhoCanMarkdown(w io.Writer, assumed, resource string, queries []whoCanQuery) error {
	ww := &errWriter{w: w}
	fmt.Fprintf(ww, "%s\n\n", assumed)
	bypasses := 0
	for i, q := range queries {
		if i > 0 {
			fmt.Fprintln(ww)
		}
		fmt.Fprintf(ww, "### Who can `%s` on `%s`\n\n", q.action, resource)
		for _, x := range q.ways {
			fmt.Fprintf(ww, "- %s\n", strings.ReplaceAll(wayTextOn(x, resource), "|", "\\|"))
			if x.Bypass {
				bypasses++
			}
		}
		if len(q.ways) == 0 {
			fmt.Fprintf(ww, "Nobody.\n")
		} else if n := notCheckedWays(q.ways); n > 0 {
			fmt.Fprintf(ww, "\n%s.\n", waysWords(q.ways))
		}
	}
	if bypasses > 0 {
		fmt.Fprintf(ww, "\n**%s**: a user whose own policies need MFA for the request gets it done without MFA through roles.\n", count(bypasses, "MFA bypass", "MFA bypasses"))
	}
	whoCanGraph(resource, queries).writeMermaid(ww, true)
	return ww.err
}
