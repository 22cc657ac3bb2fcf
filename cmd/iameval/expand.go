package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/policy"
)

const expandHelp = `Usage: iameval expand [flags] PATTERN...
       iameval expand [flags] --policy FILE...

Lists the actions AWS knows that each PATTERN matches (service:Action, with
* and ? as wildcards, in any letter case, as IAM matches them), in catalogue
order (by service, then name), each with its access level: List, Read, Write,
Permissions management, Tagging. * alone lists every action.

With --policy, each statement of each policy (its Sid or number, where it is,
its Effect) with its Action entries expanded; for NotAction, the complement:
every action the statement covers because NotAction does not exclude it.

A pattern or an entry that matches no action AWS knows (a typo, a retired
action) is said, with the nearest action AWS knows, and the run exits 1, so
that CI can check a policy's actions. --access-level keeps only the actions of
the levels given; a pattern whose actions are all of other levels still
matches (exit 0).

The actions AWS knows are those of the catalogue built in: iameval version
names it.

Files: every FILE may be a path, file://FILE, - for stdin, a directory (every
policy in its *.json files, recursively), or what the AWS CLI prints (aws iam
get-policy-version, get-role, get-role-policy, aws s3api get-bucket-policy,
...); positions are those in your file.

Output (--output):
  table    a heading per pattern or statement, then its actions (default),
           and a last line of counts
  json     {"patterns": [{"pattern", "matched", "actions": [{"action",
           "accessLevel"}], "didYouMean", "message"}], "summary": {...}}, or
           {"statements": [{"file", "line", "column", "sid", "statement",
           "effect", "element", "complement", "entries", "actions"}],
           "summary": {...}}

Exit codes: 0 done; 1 a pattern or entry matches no action AWS knows; 2 bad
usage or input.

Examples:
  iameval expand 's3:*Object'
  iameval expand 'iam:*' --access-level permissions-management
  iameval expand s3:GetObjcet                    # exit 1: did you mean s3:GetObject?
  iameval expand --policy policy.json --access-level write,permissions-management
  iameval expand --policy policies/ -o json
  aws iam get-role-policy --role-name deploy --policy-name ci | iameval expand --policy -

Flags:
`

// expandAction is one action, as expand prints it.
type expandAction struct {
	Action      string `json:"action"`
	AccessLevel string `json:"accessLevel"`
}

// expandPattern is one pattern and what it matches.
type expandPattern struct {
	Pattern string `json:"pattern"`
	// Line and Column place a policy's entry (none for a PATTERN argument).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Matched counts the actions it matches, before --access-level.
	Matched int `json:"matched"`
	// Actions are the ones of the levels asked for (patterns only; JSON
	// gives them through expandPatternJSON).
	Actions    []expandAction `json:"-"`
	DidYouMean string         `json:"didYouMean,omitempty"`
	// Message says why nothing matched.
	Message string `json:"message,omitempty"`

	matches []*catalog.Action
}

// expandStatement is one statement of a policy, its actions expanded.
type expandStatement struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Sid    string `json:"sid,omitempty"`
	// Statement is the statement's number in its policy, from 1.
	Statement int    `json:"statement"`
	Effect    string `json:"effect"`
	// Element is Action or NotAction; Complement says Actions are those
	// NotAction does not exclude.
	Element    string          `json:"element"`
	Complement bool            `json:"complement"`
	Entries    []expandPattern `json:"entries"`
	// Covered counts the actions the statement covers, before
	// --access-level; Actions are those of the levels asked for.
	Covered int            `json:"covered"`
	Actions []expandAction `json:"actions"`

	pos policy.Position
}

type expandSummary struct {
	Patterns    int    `json:"patterns,omitempty"`
	Files       int    `json:"files,omitempty"`
	Statements  int    `json:"statements,omitempty"`
	Actions     int    `json:"actions"`
	Unmatched   int    `json:"unmatched"`
	AccessLevel string `json:"accessLevel,omitempty"`
	Text        string `json:"text"`
}

// expansion is what one expand run found.
type expansion struct {
	level      catalog.AccessLevel // 0: every level
	patterns   []expandPattern
	statements []expandStatement
	policies   int
}

func runExpand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := newGrammar("expand", expandHelp)
	var output, level string
	var policies fileList
	g.fs.Var(&policies, "policy", "policy `FILE` or directory whose statements to expand (repeatable)")
	g.string(&level, "access-level", "", "", "keep only actions of these `LEVELS`, comma-separated: list, read, write, permissions-management, tagging")
	g.string(&output, "output", "o", "table", "output `FORMAT`: table or json")
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "expand")
	var err error
	if output, err = outputFormat(output, "table", "json"); err != nil {
		return usageErr("%v", err)
	}
	var x expansion
	if g.fs.Changed("access-level") { // an empty value too: it names no level, not every level
		if x.level, err = catalog.ParseAccessLevel(level); err != nil {
			return usageErr("--access-level: %v", err)
		}
	}
	patterns := g.fs.Args()
	switch {
	case len(patterns) == 0 && len(policies) == 0:
		return usageErr("give one or more PATTERNs (s3:*Object) or --policy FILE")
	case len(patterns) > 0 && len(policies) > 0:
		return usageErr("give PATTERNs or --policy FILE, not both")
	}
	for _, p := range patterns {
		if err := checkPattern(p); err != nil {
			return usageErr("%v", err)
		}
	}
	if len(policies) > 0 {
		if err := x.expandPolicies(policies, newOpener(stdin, stderr)); err != nil {
			printCmdErr(stderr, "expand", err)
			return exitUsage
		}
	} else {
		for _, p := range patterns {
			e := expandOne(p, policy.Position{})
			e.Actions = x.filter(e.matches)
			x.patterns = append(x.patterns, e)
		}
	}
	if output == "json" {
		err = x.writeJSON(stdout)
	} else {
		err = x.writeTable(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval expand: %v\n", err)
		return exitUsage
	}
	if x.unmatched() > 0 {
		return exitCheck
	}
	return exitOK
}

// checkPattern refuses what cannot be an Action entry: * or service:Action.
func checkPattern(p string) error {
	if p == "*" {
		return nil
	}
	service, action, ok := strings.Cut(p, ":")
	if !ok || service == "" || action == "" || strings.ContainsFunc(p, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("pattern %q is not service:Action (s3:GetObject, s3:*Object; * and ? are wildcards), or *", p)
	}
	return nil
}

// expandOne expands a pattern written at pos (none for an argument).
func expandOne(p string, pos policy.Position) expandPattern {
	e := expandPattern{Pattern: p, Line: pos.Line, Column: pos.Column, matches: catalog.Default().Expand(p)}
	e.Matched = len(e.matches)
	if e.Matched == 0 {
		e.DidYouMean = suggestPattern(p)
		e.Message = "matches no action AWS knows"
		if e.DidYouMean != "" {
			e.Message += " (did you mean " + e.DidYouMean + "?)"
		}
	}
	return e
}

// suggestPattern is what a pattern that matches nothing was likely meant
// to be: the nearest action, or the pattern under the nearest service that
// has matches (s4:Get* → s3:Get*); "" when nothing is close.
func suggestPattern(p string) string {
	if !strings.ContainsAny(p, "*?") {
		return suggestAction(p)
	}
	c := catalog.Default()
	prefix, rest, _ := strings.Cut(p, ":")
	if c.Service(prefix) == nil && !strings.ContainsAny(prefix, "*?") {
		for _, s := range c.SuggestService(prefix) {
			if len(c.Expand(s+":"+rest)) > 0 {
				return s + ":" + rest
			}
		}
		return ""
	}
	return suggestAction(strings.NewReplacer("*", "", "?", "").Replace(p))
}

// filter keeps the actions of the levels asked for.
func (x *expansion) filter(actions []*catalog.Action) []expandAction {
	out := []expandAction{}
	for _, a := range actions {
		if x.level == 0 || a.Level.Has(x.level) {
			out = append(out, expandAction{a.String(), a.Level.String()})
		}
	}
	return out
}

// expandPolicies reads every policy the --policy arguments name and
// expands each statement's Action or NotAction.
func (x *expansion) expandPolicies(args []string, o *opener) error {
	all := catalog.Default().Expand("*")
	sim := &simulation{display: map[string]string{}}
	for _, arg := range args {
		docs, err := o.policies("--policy", arg)
		if err != nil {
			return err
		}
		for _, d := range docs {
			x.policies++
			id := "policy." + strconv.Itoa(x.policies)
			p, err := d.parse(id, sim)
			if err != nil {
				return err
			}
			at := func(pos policy.Position) policy.Position {
				if or, ok := sim.origin[id]; ok {
					return or.at(pos)
				}
				return pos
			}
			for _, st := range p.Statements {
				x.statements = append(x.statements, expandStatementOf(st, all, at, x))
			}
		}
	}
	if len(x.statements) == 0 {
		return errors.New("the policies hold no statement")
	}
	return nil
}

// expandStatementOf expands one statement: its entries, and the actions it
// covers (for NotAction, those no entry matches), in catalogue order; at
// maps a position in the policy to one in its file.
func expandStatementOf(st *policy.Statement, all []*catalog.Action, at func(policy.Position) policy.Position, x *expansion) expandStatement {
	pos := at(st.Start())
	s := expandStatement{File: pos.Filename, Line: pos.Line, Column: pos.Column, Sid: st.Sid, Statement: st.Index + 1,
		Effect: st.Effect.String(), Element: "Action", Complement: st.Action.Not, Entries: []expandPattern{}, pos: pos}
	if st.Action.Not {
		s.Element = "NotAction"
	}
	named := map[*catalog.Action]bool{}
	for _, v := range st.Action.Values {
		e := expandOne(v.Text, at(v.Pos()))
		if e.Matched == 0 && st.Action.Not {
			e.Message = strings.Replace(e.Message, "AWS knows", "AWS knows, so it excludes nothing", 1)
		}
		for _, a := range e.matches {
			named[a] = true
		}
		s.Entries = append(s.Entries, e)
	}
	var covered []*catalog.Action
	for _, a := range all {
		if named[a] != st.Action.Not {
			covered = append(covered, a)
		}
	}
	s.Covered, s.Actions = len(covered), x.filter(covered)
	return s
}

// unmatched counts the patterns and entries that match nothing.
func (x *expansion) unmatched() int {
	n := 0
	for _, p := range x.patterns {
		if p.Matched == 0 {
			n++
		}
	}
	for _, s := range x.statements {
		for _, e := range s.Entries {
			if e.Matched == 0 {
				n++
			}
		}
	}
	return n
}

// shown counts the distinct actions listed.
func (x *expansion) shown() int {
	seen := map[string]bool{}
	for _, p := range x.patterns {
		for _, a := range p.Actions {
			seen[a.Action] = true
		}
	}
	for _, s := range x.statements {
		for _, a := range s.Actions {
			seen[a.Action] = true
		}
	}
	return len(seen)
}

// atLevel is " at write, permissions-management" when --access-level
// filters, else "".
func (x *expansion) atLevel() string {
	if x.level == 0 {
		return ""
	}
	return " at " + strings.ReplaceAll(x.level.Flag(), ",", ", ")
}

// counted says how many actions are listed of how many matched: "3
// actions", "1 action at read (of 3)".
func (x *expansion) counted(shown, matched int) string {
	if x.level == 0 {
		return plural(shown, "action")
	}
	return fmt.Sprintf("%s%s (of %d)", plural(shown, "action"), x.atLevel(), matched)
}

// summary is the last line of the table, and JSON's summary.
func (x *expansion) summary() expandSummary {
	s := expandSummary{Actions: x.shown(), Unmatched: x.unmatched(), AccessLevel: x.level.Flag()}
	var text string
	if len(x.statements) > 0 {
		s.Files, s.Statements = x.policies, len(x.statements)
		text = fmt.Sprintf("%s in %s", plural(s.Statements, "statement"), plural(s.Files, "policy"))
		if s.Files != 1 {
			text = fmt.Sprintf("%s in %d policies", plural(s.Statements, "statement"), s.Files)
		}
		if s.Unmatched > 0 {
			text += fmt.Sprintf("; %s no action AWS knows", count(s.Unmatched, "entry matches", "entries match"))
		} else {
			text += "; every entry matches actions AWS knows"
		}
	} else {
		s.Patterns = len(x.patterns)
		text = fmt.Sprintf("%s: %s%s", plural(s.Patterns, "pattern"), plural(s.Actions, "action"), x.atLevel())
		if s.Unmatched > 0 {
			text += fmt.Sprintf("; %s no action AWS knows", count(s.Unmatched, "pattern matches", "patterns match"))
		}
	}
	s.Text = text
	return s
}

func (x *expansion) writeJSON(w io.Writer) error {
	var out any
	if len(x.statements) > 0 {
		out = struct {
			Statements []expandStatement `json:"statements"`
			Summary    expandSummary     `json:"summary"`
		}{x.statements, x.summary()}
	} else {
		out = struct {
			Patterns []expandPatternJSON `json:"patterns"`
			Summary  expandSummary       `json:"summary"`
		}{patternsJSON(x.patterns), x.summary()}
	}
	return writeIndentedJSON(w, out)
}

// expandPatternJSON is a PATTERN argument in JSON: always with its actions
// (an empty list when none), never a position.
type expandPatternJSON struct {
	Pattern    string         `json:"pattern"`
	Matched    int            `json:"matched"`
	Actions    []expandAction `json:"actions"`
	DidYouMean string         `json:"didYouMean,omitempty"`
	Message    string         `json:"message,omitempty"`
}

func patternsJSON(ps []expandPattern) []expandPatternJSON {
	out := make([]expandPatternJSON, len(ps))
	for i, p := range ps {
		out[i] = expandPatternJSON{p.Pattern, p.Matched, p.Actions, p.DidYouMean, p.Message}
		if out[i].Actions == nil {
			out[i].Actions = []expandAction{}
		}
	}
	return out
}

func (x *expansion) writeTable(w io.Writer) error {
	var rows [][]string
	for _, p := range x.patterns {
		if p.Matched == 0 {
			rows = append(rows, []string{p.Pattern + ": " + p.Message})
			continue
		}
		rows = append(rows, []string{p.Pattern + ": " + x.counted(len(p.Actions), p.Matched)})
		for _, a := range p.Actions {
			rows = append(rows, []string{a.Action, a.AccessLevel})
		}
	}
	for _, s := range x.statements {
		name := s.Sid
		if name == "" {
			name = "statement " + strconv.Itoa(s.Statement)
		}
		var entries []string
		for _, e := range s.Entries {
			entries = append(entries, e.Pattern)
		}
		head := fmt.Sprintf("%s: %s: %s %s %s: ", s.pos, name, s.Effect, s.Element, strings.Join(entries, ", "))
		if s.Complement {
			head += "the complement, every action it does not exclude: "
		}
		head += x.counted(len(s.Actions), s.Covered)
		rows = append(rows, []string{head})
		for _, e := range s.Entries {
			if e.Matched == 0 {
				rows = append(rows, []string{e.Pattern, "unknown: " + e.Message})
			}
		}
		for _, a := range s.Actions {
			rows = append(rows, []string{a.Action, a.AccessLevel})
		}
	}
	// the table's header only over actions: patterns that match none are
	// their lines alone
	if !slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 1 }) {
		for _, r := range rows {
			if _, err := io.WriteString(w, r[0]+"\n"); err != nil {
				return err
			}
		}
	} else if code := writeRows(w, []string{"ACTION", "ACCESS LEVEL"}, rows, false); code != exitOK {
		return errors.New("cannot write the table")
	}
	_, err := io.WriteString(w, "\n"+x.summary().Text+"\n")
	return err
}
