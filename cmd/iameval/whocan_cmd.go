package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/catalog"
)

const whoCanHelp = `Usage: iameval who-can --account DUMP --action ACTION --resource ARN [flags]

Lists every way a request gets allowed in an account: each user and role
whose own policies allow it (a user with long-term keys, a session without
MFA, or MFA; a role in a session, which carries no MFA), and every caller
that can reach a role allowed it through a chain of role assumptions (users,
other roles' sessions, services, identity providers, principals of other
accounts a trust policy names), with the credentials that get it there and
the statements that allow it at the end. A way through roles that works
without MFA for a user whose own policies need MFA for the request is an
MFA BYPASS.

Each step is decided by the engine on the principal's own policies and
boundary, as a live request of it (its principal keys derived), the trust
policy deciding sts:AssumeRole. Principals of other accounts are assumed to
be allowed by their own policies (not known from the dump); it is said.

Output (--output, -o):
  table     a line per way (default)
  json      {"action", "resource", "ways": [{"start", "kind", "roles",
            "credentials", "undecided", "missingContextValues", "allowedBy",
            "bypass", "identityChecked"}], "summary"}
  dot       a Graphviz graph: callers, roles and the request, each edge
            labelled with the credentials that cross it (dot -Tsvg)
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
	var output, acct, action, resource string
	var withoutMFA bool
	g.string(&acct, "account", "", "", "the account dump `FILE` (aws iam get-account-authorization-details)")
	g.string(&action, "action", "", "", "the `ACTION` (service:Action)")
	g.string(&resource, "resource", "", "", "the resource `ARN`")
	g.fs.BoolVar(&withoutMFA, "without-mfa", false, "keep only the ways that work without MFA")
	g.string(&output, "output", "o", "table", "output `FORMAT`: table, json, dot or markdown")
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "who-can")
	var err error
	if output, err = outputFormat(output, "table", "json", "dot", "markdown"); err != nil {
		return usageErr("%v", err)
	}
	switch {
	case acct == "":
		return usageErr("--account is required: the account dump whose principals to check")
	case action == "" || resource == "":
		return usageErr("--action and --resource are required: the request to check")
	case g.fs.NArg() > 0:
		return usageErr("unexpected argument %q", g.fs.Arg(0))
	}
	if err := checkPattern(action); err != nil || strings.ContainsAny(action, "*?") {
		return usageErr("--action %q: one action, service:Action, without wildcards", action)
	}
	o := newOpener(stdin, stderr)
	a, err := o.loadAccount(acct)
	if err != nil {
		printCmdErr(stderr, "who-can", err)
		return exitUsage
	}
	if catalog.Default().Action(action) == nil {
		fmt.Fprintf(stderr, "iameval who-can: warning: AWS's catalogue does not know %s (a typo?): no policy grants it but a wildcard\n", action)
	}
	ways, err := a.NewAnalyzer(account.Options{}).WhoCan(action, resource)
	if err != nil {
		printCmdErr(stderr, "who-can", err)
		return exitUsage
	}
	if withoutMFA {
		kept := ways[:0]
		for _, w := range ways {
			if (w.Credentials | w.Undecided).WithoutMFA() {
				kept = append(kept, w)
			}
		}
		ways = kept
	}
	switch output {
	case "json":
		err = writeWhoCanJSON(stdout, action, resource, ways)
	case "dot":
		err = writeWhoCanDot(stdout, action, resource, ways)
	case "markdown":
		err = writeWhoCanMarkdown(stdout, action, resource, ways)
	default:
		err = writeWhoCanTable(stdout, action, resource, ways)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval who-can: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// wayText says one way: "user alice -> role DeployRole, with long-term
// keys, session without MFA: allowed by ...".
func wayText(w account.Access) string {
	var b strings.Builder
	b.WriteString(w.Start.Name)
	if len(w.Roles) == 0 {
		b.WriteString(", directly")
	}
	for _, r := range w.Roles {
		b.WriteString(" -> role " + r.Name)
	}
	if w.Credentials != 0 {
		b.WriteString(", with " + w.Credentials.String())
	}
	if w.Undecided != 0 {
		fmt.Fprintf(&b, ", maybe with %s (depends on %s)", w.Undecided, strings.Join(w.Missing, ", "))
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
	return b.String()
}

func writeWhoCanTable(w io.Writer, action, resource string, ways []account.Access) error {
	ww := &errWriter{w: w}
	fmt.Fprintf(ww, "Who can %s on %s: %s.\n", action, resource, count(len(ways), "way", "ways"))
	bypasses := 0
	for _, x := range ways {
		fmt.Fprintf(ww, "  %s\n", wayText(x))
		if x.Bypass {
			bypasses++
		}
	}
	if bypasses > 0 {
		fmt.Fprintf(ww, "%s: a user whose own policies need MFA for the request gets it done without MFA through roles.\n", count(bypasses, "MFA bypass", "MFA bypasses"))
	}
	return ww.err
}

func writeWhoCanJSON(w io.Writer, action, resource string, ways []account.Access) error {
	type jway struct {
		Start           string   `json:"start"`
		Kind            string   `json:"kind"`
		Roles           []string `json:"roles"`
		Credentials     []string `json:"credentials"`
		Undecided       []string `json:"undecided"`
		Missing         []string `json:"missingContextValues"`
		AllowedBy       []string `json:"allowedBy"`
		Bypass          bool     `json:"bypass"`
		IdentityChecked bool     `json:"identityChecked"`
		Text            string   `json:"text"`
	}
	doc := struct {
		Action   string `json:"action"`
		Resource string `json:"resource"`
		Ways     []jway `json:"ways"`
		Summary  struct {
			Ways     int `json:"ways"`
			Bypasses int `json:"bypasses"`
		} `json:"summary"`
	}{Action: action, Resource: resource, Ways: []jway{}}
	for _, x := range ways {
		j := jway{Start: x.Start.Name, Kind: x.Start.Kind.String(), Roles: []string{}, Credentials: credentialNames(x.Credentials),
			Undecided: credentialNames(x.Undecided), Missing: append([]string{}, x.Missing...), AllowedBy: statementNames(x.AllowedBy),
			Bypass: x.Bypass, IdentityChecked: x.Start.Principal != nil || x.Start.IdentityChecked, Text: wayText(x)}
		for _, r := range x.Roles {
			j.Roles = append(j.Roles, r.Name)
		}
		doc.Ways = append(doc.Ways, j)
		if x.Bypass {
			doc.Summary.Bypasses++
		}
	}
	doc.Summary.Ways = len(ways)
	return writeIndentedJSON(w, doc)
}

// whoCanEdge is an edge of the picture: from a caller or role to a role or
// the request, with the credentials that cross it.
type whoCanEdge struct {
	from, to string
	label    string
	bypass   bool
}

// whoCanGraph makes the nodes and edges of the ways: each start and role a
// node, the request the last; an edge for each step, labelled with the
// start's credentials on its first step and "session" after (a role
// session carries no MFA); edges shared by ways drawn once.
func whoCanGraph(action, resource string, ways []account.Access) (nodes []string, edges []whoCanEdge) {
	target := action + " on " + resource
	seenNode := map[string]bool{}
	node := func(n string) {
		if !seenNode[n] {
			seenNode[n] = true
			nodes = append(nodes, n)
		}
	}
	seenEdge := map[string]int{}
	edge := func(from, to, label string, bypass bool) {
		k := from + "\x00" + to + "\x00" + label
		if i, ok := seenEdge[k]; ok {
			edges[i].bypass = edges[i].bypass || bypass
			return
		}
		seenEdge[k] = len(edges)
		edges = append(edges, whoCanEdge{from, to, label, bypass})
	}
	node(target)
	for _, w := range ways {
		creds := w.Credentials.String()
		if w.Credentials == 0 {
			creds = "maybe: " + w.Undecided.String()
		}
		from := w.Start.Name
		node(from)
		label := creds
		for _, r := range w.Roles {
			to := "role " + r.Name
			node(to)
			edge(from, to, label, w.Bypass)
			from, label = to, "session without MFA"
		}
		edge(from, target, label, w.Bypass)
	}
	return nodes, edges
}

func writeWhoCanDot(w io.Writer, action, resource string, ways []account.Access) error {
	ww := &errWriter{w: w}
	nodes, edges := whoCanGraph(action, resource, ways)
	id := map[string]string{}
	fmt.Fprintf(ww, "digraph whocan {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n")
	for i, n := range nodes {
		id[n] = fmt.Sprintf("n%d", i)
		shape := ""
		if i == 0 {
			shape = ", shape=ellipse, style=bold"
		}
		fmt.Fprintf(ww, "  %s [label=%q%s];\n", id[n], n, shape)
	}
	for _, e := range edges {
		extra := ""
		if e.bypass {
			extra = ", color=red, fontcolor=red"
		}
		fmt.Fprintf(ww, "  %s -> %s [label=%q%s];\n", id[e.from], id[e.to], e.label, extra)
	}
	fmt.Fprintf(ww, "}\n")
	return ww.err
}

func writeWhoCanMarkdown(w io.Writer, action, resource string, ways []account.Access) error {
	ww := &errWriter{w: w}
	fmt.Fprintf(ww, "### Who can `%s` on `%s`\n\n", action, resource)
	bypasses := 0
	for _, x := range ways {
		fmt.Fprintf(ww, "- %s\n", strings.ReplaceAll(wayText(x), "|", "\\|"))
		if x.Bypass {
			bypasses++
		}
	}
	if len(ways) == 0 {
		fmt.Fprintf(ww, "Nobody.\n")
	}
	if bypasses > 0 {
		fmt.Fprintf(ww, "\n**%s**: a user whose own policies need MFA for the request gets it done without MFA through roles.\n", count(bypasses, "MFA bypass", "MFA bypasses"))
	}
	nodes, edges := whoCanGraph(action, resource, ways)
	id := map[string]string{}
	fmt.Fprintf(ww, "\n```mermaid\nflowchart LR\n")
	for i, n := range nodes {
		id[n] = fmt.Sprintf("n%d", i)
		if i == 0 {
			fmt.Fprintf(ww, "  %s([%q])\n", id[n], n)
		} else {
			fmt.Fprintf(ww, "  %s[%q]\n", id[n], n)
		}
	}
	for _, e := range edges {
		arrow := "-->"
		if e.bypass {
			arrow = "==>"
		}
		fmt.Fprintf(ww, "  %s %s|%q| %s\n", id[e.from], arrow, e.label, id[e.to])
	}
	fmt.Fprintf(ww, "```\n")
	return ww.err
}
