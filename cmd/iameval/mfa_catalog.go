package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
)

// defaultMFALevels are the access levels mfa checks when no --action names
// the actions: what changes a resource or who may use it.
const defaultMFALevels = catalog.Write | catalog.PermissionsManagement

// mfaSelection is how the actions of an mfa run were chosen.
type mfaSelection struct {
	// fromPolicies: no --action, so the catalogue's actions at levels that
	// the policies can allow
	fromPolicies bool
	levels       catalog.AccessLevel
	levelsGiven  bool
	// unknown are Action entries of the policies the catalogue does not
	// know, which give no action to check
	unknown []string
}

// parseMFALevels reads --access-level ("" is the default levels).
func parseMFALevels(s string) (catalog.AccessLevel, bool, error) {
	if s == "" {
		return defaultMFALevels, false, nil
	}
	l, err := catalog.ParseAccessLevel(s)
	if err != nil {
		return 0, false, fmt.Errorf("--access-level: %v", err)
	}
	return l, true, nil
}

// chooseActions sets the actions of the run: with no --action (and no
// request document naming them), every action of the catalogue at the
// levels that the policies' Allow statements can grant
// (mfa.ReachableActions); otherwise the actions given, each wildcard entry
// expanded to the catalogue's actions it matches (at the levels, when
// --access-level is given). An entry that expands to nothing is an error:
// nothing would be checked.
func (sim *simulation) chooseActions(engine *evaluator.Engine, sel *mfaSelection, given []string) error {
	c := catalog.Default()
	if sel.fromPolicies {
		actions, unknown := mfa.ReachableActions(c, engine, sel.levels)
		sim.actions = sim.actions[:0]
		for _, a := range actions {
			sim.actions = append(sim.actions, a.String())
		}
		sel.unknown = unknown
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, a := range given {
		if !strings.ContainsAny(a, "*?") {
			if !seen[strings.ToLower(a)] {
				seen[strings.ToLower(a)] = true
				out = append(out, a)
			}
			continue
		}
		matched, other := 0, 0
		for _, ca := range c.Expand(a) {
			if sel.levelsGiven && !ca.Level.Has(sel.levels) {
				other++
				continue
			}
			matched++
			if name := ca.String(); !seen[strings.ToLower(name)] {
				seen[strings.ToLower(name)] = true
				out = append(out, name)
			}
		}
		switch {
		case matched == 0 && other > 0:
			return fmt.Errorf("--action %s matches %s, none at %s (--access-level): nothing to check", a, count(other, "action", "actions"), sel.levels.Flag())
		case matched == 0:
			return fmt.Errorf("--action %s matches no action AWS knows: nothing to check", a)
		}
	}
	sim.actions = out
	return nil
}

// levelWords names access levels for people: "write and permissions-management".
func levelWords(l catalog.AccessLevel) string {
	return strings.ReplaceAll(l.Flag(), ",", " and ")
}

// serviceLevelRow is the summary of one service and access level.
type serviceLevelRow struct {
	service, level                  string
	actions, without, required, not int
	// depends counts the actions not found allowed without MFA whose
	// results depend on context keys not given: neither "requires MFA"
	// nor "never allowed" is known for them
	depends int
}

// serviceSummary counts the verdicts of rep per service and access level:
// an action counts as allowed without MFA when any of its resources is.
func serviceSummary(rep *mfaReport) []serviceLevelRow {
	c := catalog.Default()
	type key struct{ service, level string }
	verdict := map[string]mfa.Verdict{} // the action's worst verdict
	depends := map[string]bool{}        // some result needs a key not given
	var order []string
	rank := map[mfa.Verdict]int{mfa.NotRequired: 3, mfa.Inverted: 3, mfa.Required: 2, mfa.NeverAllowed: 1}
	for _, r := range rep.rows {
		v, ok := verdict[r.Action]
		if !ok {
			order = append(order, r.Action)
		}
		if !ok || rank[r.Verdict] > rank[v] {
			verdict[r.Action] = r.Verdict
		}
		if len(r.missing) > 0 {
			depends[r.Action] = true
		}
	}
	rows := map[key]*serviceLevelRow{}
	var keys []key
	for _, name := range order {
		level := "unknown"
		if a := c.Action(name); a != nil {
			level = a.Level.String()
		}
		service, _, _ := strings.Cut(name, ":")
		k := key{service, level}
		row := rows[k]
		if row == nil {
			row = &serviceLevelRow{service: service, level: level}
			rows[k] = row
			keys = append(keys, k)
		}
		row.actions++
		switch v := verdict[name]; {
		case v == mfa.NotRequired || v == mfa.Inverted:
			row.without++
		case depends[name]:
			row.depends++
		case v == mfa.Required:
			row.required++
		default:
			row.not++
		}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i].service != keys[j].service {
			return keys[i].service < keys[j].service
		}
		return keys[i].level < keys[j].level
	})
	out := make([]serviceLevelRow, len(keys))
	for i, k := range keys {
		out[i] = *rows[k]
	}
	return out
}

// withoutMFAActions lists the actions allowed without MFA on some resource,
// in the order checked.
func withoutMFAActions(rep *mfaReport) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rep.rows {
		if (r.Verdict == mfa.NotRequired || r.Verdict == mfa.Inverted) && !seen[r.Action] {
			seen[r.Action] = true
			out = append(out, r.Action)
		}
	}
	return out
}

// mfaListShown is how many names a table lists before "and N more";
// mfaMarkdownRows how many results a summarised markdown report shows.
const (
	mfaListShown    = 20
	mfaMarkdownRows = 50
)

// summarised reports whether the run's report is a summary per service and
// access level rather than a row per result: the actions came from the
// catalogue, or are too many to read one by one.
func (sim *simulation) summarised() bool {
	return sim.selection != nil && (sim.selection.fromPolicies || len(sim.actions) > mfaListShown)
}

// writeMFACatalogTable is the table of a run over the catalogue's actions,
// too many for a row each: the actions allowed without MFA, per service and
// access level, the first of them by name, and the bypasses; -o json lists
// every result.
func writeMFACatalogTable(w io.Writer, rep *mfaReport, sim *simulation, sel *mfaSelection, color bool) error {
	ww := newWrapWriter(w)
	fmt.Fprint(ww, strings.Join(sim.mfaHead(rep), "\n")+"\n\n")
	var rows [][]string
	for _, r := range serviceSummary(rep) {
		rows = append(rows, []string{r.service, r.level, fmt.Sprint(r.actions), fmt.Sprint(r.without), fmt.Sprint(r.required), fmt.Sprint(r.not), fmt.Sprint(r.depends)})
	}
	writeRows(ww, []string{"SERVICE", "ACCESS LEVEL", "ACTIONS", "WITHOUT MFA", "MFA REQUIRED", "NEVER ALLOWED", "UNDECIDED"}, rows, color)
	fmt.Fprint(ww, "\nWITHOUT MFA: allowed with long-term access keys or a session without MFA, on some resource the policies name. UNDECIDED: not found allowed without MFA, but a result depends on context keys not given (see below).\n")
	if without := withoutMFAActions(rep); len(without) > 0 {
		shown := without[:min(len(without), mfaListShown)]
		more := ""
		if n := len(without) - len(shown); n > 0 {
			more = fmt.Sprintf(", and %d more (-o json lists every result)", n)
		}
		fmt.Fprintf(ww, "\nAllowed without MFA: %s%s.\n", strings.Join(shown, ", "), more)
	}
	n := 0
	for _, r := range rep.rows {
		for _, bp := range r.Bypasses {
			if n < mfaListShown {
				fmt.Fprintf(ww, "\n%s on %s: %s\n  fix: %s\n", r.Action, r.Resource, sim.bypassLine(bp), bp.Fix)
			}
			n++
		}
	}
	if n > mfaListShown {
		fmt.Fprintf(ww, "\nand %s more (-o json lists every one)\n", count(n-mfaListShown, "bypass", "bypasses"))
	}
	fmt.Fprintln(ww)
	for _, l := range sim.summaryLines(rep) {
		fmt.Fprintln(ww, l)
	}
	return ww.Flush()
}
