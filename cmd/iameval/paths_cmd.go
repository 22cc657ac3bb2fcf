package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/iameval/iameval/account"
)

const pathsHelp = `Usage: iameval paths --account DUMP --from PRINCIPAL [--to ROLE | --action ACTION --resource ARN] [flags]

Says where a principal can get: the roles it can assume, directly or through
chains of roles (with the credentials each way needs: long-term keys, a
session without MFA, MFA; a role session carries no MFA), and the privilege
escalations open to it or to a session of a role it reaches, as PMapper
documents them: attaching or putting a policy on itself or on a role it
reaches, a new version of a customer managed policy it holds (AWS managed
policies cannot be changed), joining a group, creating access keys or a
login profile for another user, rewriting a role's trust policy, passing a
role to Lambda or to EC2 it can run (EC2 through an instance profile: one of
the role's in the dump, or one it may create and add the role to). Each step is
decided by the engine as a live request of the principal that takes it.

--to ROLE keeps the ways into that role and the escalations aimed at it.
--action and --resource keep the ways the principal gets that request done
(iameval who-can, from this principal), and flag the MFA bypass: a way
through roles that works without MFA while its own policies need MFA.

Output (--output, -o):
  table     a line per way and per escalation (default)
  json      {"from", "roles": [...], "escalations": [...], "request": ..., "notChecked": [...]}
  dot       a Graphviz graph of the ways and escalations
  markdown  a list and a Mermaid flowchart

Exit codes: 0 done; 2 bad usage or unreadable input.

Examples:
  iameval paths --account testdata/account/paths-account.json --from mallory
  iameval paths --account testdata/account/paths-account.json --from alice \
      --action s3:DeleteObject --resource arn:aws:s3:::prod-artifacts/build.zip

Flags:
`

func runPaths(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := newGrammar("paths", pathsHelp)
	var output, acct, from, to, action, resource string
	g.string(&acct, "account", "", "", "the account dump `FILE` (aws iam get-account-authorization-details)")
	g.string(&from, "from", "", "", "the `PRINCIPAL` to start from: a user or role of the dump, by name or ARN")
	g.string(&to, "to", "", "", "keep the ways into this `ROLE` (name or ARN) and the escalations aimed at it")
	g.string(&action, "action", "", "", "keep the ways to this `ACTION` (with --resource)")
	g.string(&resource, "resource", "", "", "the resource `ARN` of --action")
	g.string(&output, "output", "o", "table", "output `FORMAT`: table, json, dot or markdown")
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "paths")
	var err error
	if output, err = outputFormat(output, "table", "json", "dot", "markdown"); err != nil {
		return usageErr("%v", err)
	}
	switch {
	case acct == "" || from == "":
		return usageErr("--account and --from are required: the dump, and the principal to start from")
	case to != "" && (action != "" || resource != ""):
		return usageErr("give --to ROLE or --action with --resource, not both")
	case (action == "") != (resource == ""):
		return usageErr("--action and --resource go together: the request to reach")
	case g.fs.NArg() > 0:
		return usageErr("unexpected argument %q", g.fs.Arg(0))
	}
	if action != "" && (checkPattern(action) != nil || strings.ContainsAny(action, "*?")) {
		return usageErr("--action %q: one action, service:Action, without wildcards", action)
	}
	if resource != "" {
		if err := checkARN(resource, true); err != nil {
			return usageErr("--resource: %v", err)
		}
	}
	a, err := newOpener(stdin, stderr).loadAccount(acct)
	if err != nil {
		printCmdErr(stderr, "paths", err)
		return exitUsage
	}
	p, err := a.Principal(from)
	if err != nil {
		return usageErr("--from: %v", err)
	}
	var target *account.Role
	if to != "" {
		tp, err := a.Principal(to)
		if err != nil || tp.Kind != account.KindRole {
			return usageErr("--to %q: no role of that name or ARN in the dump", to)
		}
		target = tp.Role
	}
	an := a.NewAnalyzer(account.Options{})
	roles, esc, err := an.PathsFrom(p)
	if err != nil {
		printCmdErr(stderr, "paths", err)
		return exitUsage
	}
	if target != nil {
		var keptRoles []account.Access
		for _, w := range roles {
			if w.Roles[len(w.Roles)-1] == target {
				keptRoles = append(keptRoles, w)
			}
		}
		var keptEsc []account.Escalation
		for _, s := range esc {
			if s.Target == target.ARN {
				keptEsc = append(keptEsc, s)
			}
		}
		roles, esc = keptRoles, keptEsc
	}
	var ways []account.Access
	if action != "" {
		all, err := an.WhoCan(action, resource)
		if err != nil {
			printCmdErr(stderr, "paths", err)
			return exitUsage
		}
		direct := map[string]account.Access{} // each principal's own way, by ARN
		for _, w := range all {
			if w.Start.Principal != nil && len(w.Roles) == 0 && w.OtherAccount == "" {
				// (a way on another account's resource is the caller's
				// beside it: account.Access.OtherAccount)
				direct[w.Start.Principal.ARN] = w
			}
			if w.Start.Principal != nil && w.Start.Principal.ARN == p.ARN {
				ways = append(ways, w)
			}
		}
		if p.Kind == account.KindRole {
			// who-can follows chains from callers outside the roles; a
			// role's session goes on through the roles it reaches
			for _, x := range roles {
				last, ok := direct[x.Roles[len(x.Roles)-1].ARN]
				if !ok || last.Credentials|last.Undecided == 0 {
					continue
				}
				w := account.Access{Start: x.Start, Roles: x.Roles, Credentials: x.Credentials, Undecided: x.Undecided, AllowedBy: last.AllowedBy}
				if last.Credentials == 0 {
					w.Undecided |= w.Credentials
					w.Credentials = 0
				}
				ways = append(ways, w)
			}
		}
	}
	r := pathsReport{from: p, roles: roles, esc: esc, action: action, resource: resource, ways: ways, notChecked: notInDump(a)}
	if o := an.RolesOutside(action, resource); action != "" && o != "" {
		r.notChecked = append(r.notChecked, "the resource can name "+o)
	}
	switch output {
	case "json":
		err = r.json(stdout)
	case "dot", "markdown":
		err = r.picture(stdout, output)
	default:
		err = r.table(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval paths: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// pathsReport is what paths found.
type pathsReport struct {
	// notChecked are the principals a filtered dump leaves out (notInDump)
	notChecked       []string
	from             *account.Principal
	roles            []account.Access
	esc              []account.Escalation
	action, resource string
	ways             []account.Access
}

// credsText says with which credentials a way works: "with long-term
// keys, MFA", "maybe with MFA (depends on aws:PrincipalOrgID)", or both.
func credsText(c, maybe account.Credentials, missing []string) string {
	var parts []string
	if c != 0 {
		parts = append(parts, "with "+c.String())
	}
	if maybe != 0 {
		parts = append(parts, fmt.Sprintf("maybe with %s (depends on %s)", maybe, strings.Join(missing, ", ")))
	}
	return strings.Join(parts, ", ")
}

// maybeLabel is a graph edge's credentials: "long-term keys, MFA", or
// "maybe: MFA (depends on aws:PrincipalOrgID)" when undecided.
func maybeLabel(c, maybe account.Credentials, missing []string) string {
	if c != 0 || maybe == 0 {
		return c.String()
	}
	if len(missing) == 0 {
		return "maybe: " + maybe.String()
	}
	return fmt.Sprintf("maybe: %s (depends on %s)", maybe, strings.Join(missing, ", "))
}

// sameRoles reports whether two ways go through the same roles.
func sameRoles(a, b []*account.Role) bool {
	return slices.Equal(a, b)
}

func roleChain(rs []*account.Role) string {
	var names []string
	for _, r := range rs {
		names = append(names, "role "+r.Name)
	}
	return strings.Join(names, " -> ")
}

func (r *pathsReport) escText(s account.Escalation) string {
	head := r.from.String()
	if len(s.Roles) > 0 {
		head += " -> " + roleChain(s.Roles)
	}
	how := s.Action
	if len(s.Also) > 0 {
		how += " and " + strings.Join(s.Also, ", ")
	}
	t := fmt.Sprintf("%s, %s: %s on %s: %s", head, credsText(s.Credentials, s.Undecided, s.Missing), how, s.Target, s.Gives)
	if len(s.AllowedBy) > 0 {
		t += " (allowed by " + via(s.AllowedBy) + ")"
	}
	return t
}

// bypassText is the sentence of an MFA bypass: "alice, long-term keys, no
// MFA -> assumes DeployRole (its trust policy asks for no MFA) -> ACTION
// on RESOURCE, which alice's own policies deny without MFA".
func (r *pathsReport) bypassText(w account.Access) string {
	var creds []string
	for _, c := range []account.Credentials{account.LongTermKeys, account.SessionWithoutMFA} {
		if w.Credentials&c != 0 {
			creds = append(creds, c.String())
		}
	}
	var steps []string
	for _, role := range w.Roles {
		steps = append(steps, "assumes "+role.Name+" (its trust policy asks for no MFA)")
	}
	return fmt.Sprintf("%s, %s, no MFA -> %s -> %s on %s, which %s's own policies deny without MFA",
		r.from.Name, strings.Join(creds, " or "), strings.Join(steps, " -> "), r.action, r.resource, r.from.Name)
}

func (r *pathsReport) table(out io.Writer) error {
	w := &errWriter{w: out}
	fmt.Fprintf(w, "From %s: %s, %s.\n", r.from, count(len(r.roles), "role reached", "roles reached"), count(len(r.esc), "escalation", "escalations"))
	if len(r.notChecked) > 0 {
		fmt.Fprintf(w, "Not checked: %s.\n", strings.Join(r.notChecked, "; "))
	}
	for _, x := range r.roles {
		fmt.Fprintf(w, "  %s -> %s, %s\n", r.from, roleChain(x.Roles), credsText(x.Credentials, x.Undecided, x.Missing))
	}
	for _, s := range r.esc {
		fmt.Fprintf(w, "  ESCALATION: %s\n", r.escText(s))
	}
	if r.action != "" {
		fmt.Fprintf(w, "%s on %s: %s.\n", r.action, r.resource, count(len(r.ways), "way", "ways"))
		for _, x := range r.ways {
			fmt.Fprintf(w, "  %s\n", wayTextOn(x, r.resource))
			if x.Bypass {
				fmt.Fprintf(w, "  MFA BYPASS: %s\n", r.bypassText(x))
			}
		}
	}
	return w.err
}

func (r *pathsReport) json(out io.Writer) error {
	type jrole struct {
		Roles       []string `json:"roles"`
		Credentials []string `json:"credentials"`
		Undecided   []string `json:"undecided"`
		Missing     []string `json:"missingContextValues"`
	}
	type jesc struct {
		Roles       []string `json:"roles"`
		Action      string   `json:"action"`
		Also        []string `json:"also,omitempty"`
		Target      string   `json:"target"`
		Profile     string   `json:"instanceProfile,omitempty"`
		NewProfile  bool     `json:"newInstanceProfile,omitempty"`
		Gives       string   `json:"gives"`
		Credentials []string `json:"credentials"`
		Undecided   []string `json:"undecided"`
		Missing     []string `json:"missingContextValues"`
		AllowedBy   []string `json:"allowedBy"`
	}
	type jway struct {
		Roles       []string `json:"roles"`
		Credentials []string `json:"credentials"`
		Undecided   []string `json:"undecided"`
		Missing     []string `json:"missingContextValues"`
		AllowedBy   []string `json:"allowedBy"`
		Resource    string   `json:"resource"`
		Bypass      string   `json:"bypass,omitempty"`
		// OtherAccount owns the resource, not the caller's account: its
		// policy must allow the request too (account.Access.OtherAccount)
		OtherAccount        string `json:"otherAccount,omitempty"`
		OtherAccountStandIn bool   `json:"otherAccountStandIn,omitempty"`
	}
	names := func(rs []*account.Role) []string {
		out := []string{}
		for _, x := range rs {
			out = append(out, x.Name)
		}
		return out
	}
	doc := struct {
		From        string      `json:"from"`
		Roles       []jrole     `json:"roles"`
		Escalations []jesc      `json:"escalations"`
		Request     interface{} `json:"request"`
		NotChecked  []string    `json:"notChecked"`
	}{From: r.from.String(), Roles: []jrole{}, Escalations: []jesc{}, NotChecked: append([]string{}, r.notChecked...)}
	for _, x := range r.roles {
		doc.Roles = append(doc.Roles, jrole{names(x.Roles), credentialNames(x.Credentials), credentialNames(x.Undecided), append([]string{}, x.Missing...)})
	}
	for _, s := range r.esc {
		doc.Escalations = append(doc.Escalations, jesc{names(s.Roles), s.Action, s.Also, s.Target, s.InstanceProfile, s.NewProfile, s.Gives, credentialNames(s.Credentials), credentialNames(s.Undecided),
			append([]string{}, s.Missing...), statementNames(s.AllowedBy)})
	}
	if r.action != "" {
		ways := []jway{}
		for _, x := range r.ways {
			j := jway{names(x.Roles), credentialNames(x.Credentials), credentialNames(x.Undecided), append([]string{}, x.Missing...), statementNames(x.AllowedBy), cmp.Or(x.Resource, r.resource), "", x.OtherAccount, x.StandIn}
			if x.Bypass {
				j.Bypass = r.bypassText(x)
			}
			ways = append(ways, j)
		}
		doc.Request = struct {
			Action   string `json:"action"`
			Resource string `json:"resource"`
			Ways     []jway `json:"ways"`
		}{r.action, r.resource, ways}
	}
	return writeIndentedJSON(out, doc)
}

// picture draws the ways and escalations: dot, or markdown with Mermaid.
func (r *pathsReport) picture(out io.Writer, format string) error {
	w := &errWriter{w: out}
	g := &graph{}
	// escalations without MFA and bypasses are marked
	edge := func(from, to, label string) {
		g.edge(from, to, label, strings.HasPrefix(label, "MFA BYPASS") || strings.HasPrefix(label, "iam:") && !strings.HasSuffix(label, "(MFA)"))
	}
	start := r.from.String()
	g.node(start)
	chain := func(rs []*account.Role, creds, maybe account.Credentials, missing []string) string {
		from, label := start, maybeLabel(creds, maybe, missing)
		for _, x := range rs {
			to := "role " + x.Name
			edge(from, to, label)
			from, label = to, "session without MFA"
		}
		return from
	}
	for _, x := range r.roles {
		chain(x.Roles, x.Credentials, x.Undecided, x.Missing)
	}
	for _, s := range r.esc {
		// the step's own credentials: the principal's states the step is
		// allowed with, or a role's session (no MFA) at the end of the
		// way to the role, drawn as that way is
		creds := maybeLabel(s.Credentials, s.Undecided, s.Missing)
		from := start
		if len(s.Roles) > 0 {
			way := account.Access{Credentials: s.Credentials, Undecided: s.Undecided, Missing: s.Missing}
			for _, x := range r.roles {
				if sameRoles(x.Roles, s.Roles) {
					way = x
				}
			}
			from = chain(s.Roles, way.Credentials, way.Undecided, way.Missing)
			creds = "session without MFA"
			// the keys the step itself depends on, beyond the way's
			var own []string
			for _, k := range s.Missing {
				if !slices.Contains(way.Missing, k) {
					own = append(own, k)
				}
			}
			if s.Credentials == 0 && len(own) > 0 {
				creds = maybeLabel(0, account.SessionWithoutMFA, own)
			}
		}
		edge(from, s.Gives, s.Action+" ("+creds+")")
	}
	for _, x := range r.ways {
		to := r.action + " on " + r.resource
		// the last step: the principal's own credentials directly, a
		// role's session through roles
		label := "session without MFA"
		if len(x.Roles) == 0 {
			label = x.Credentials.String()
			if x.Credentials == 0 {
				label = "maybe: " + x.Undecided.String()
			}
		}
		if x.Bypass {
			label = "MFA BYPASS: " + label
		}
		if x.OtherAccount != "" {
			label += ", on another account's resource if its policy allows"
		}
		from := chain(x.Roles, x.Credentials, x.Undecided, x.Missing)
		edge(from, to, label)
	}
	if format == "dot" {
		for _, nc := range r.notChecked {
			fmt.Fprintf(w, "// Not checked: %s\n", nc)
		}
		g.writeDot(w, "paths")
		return w.err
	}
	fmt.Fprintf(w, "### Paths from %s\n\n", start)
	for _, nc := range r.notChecked {
		fmt.Fprintf(w, "**Not checked**: %s.\n\n", nc)
	}
	for _, x := range r.roles {
		fmt.Fprintf(w, "- %s -> %s, %s\n", start, roleChain(x.Roles), credsText(x.Credentials, x.Undecided, x.Missing))
	}
	for _, s := range r.esc {
		fmt.Fprintf(w, "- **escalation**: %s\n", strings.ReplaceAll(r.escText(s), "|", "\\|"))
	}
	for _, x := range r.ways {
		if x.Bypass {
			fmt.Fprintf(w, "- **MFA bypass**: %s\n", r.bypassText(x))
		}
	}
	g.writeMermaid(w, false)
	return w.err
}
