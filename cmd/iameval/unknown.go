package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/policy"
)

// notAnAction says why the catalogue does not know an action, or "" when it
// does (in any letter case): "s3:GetObjcet is not an action AWS knows (did
// you mean s3:GetObject?)".
func notAnAction(name string) string {
	if catalog.Default().Action(name) != nil {
		return ""
	}
	msg := name + " is not an action AWS knows"
	if s := suggestAction(name); s != "" {
		msg += " (did you mean " + s + "?)"
	}
	return msg
}

// suggestAction is the known action nearest to name, as AWS spells it, or
// "": a close action of its service, or, when the service is unknown, the
// action under the nearest service that has it (s4:GetObject → s3:GetObject).
func suggestAction(name string) string {
	c := catalog.Default()
	if near := c.Suggest(name); len(near) > 0 {
		return near[0].String()
	}
	prefix, action, ok := strings.Cut(name, ":")
	if !ok || c.Service(prefix) != nil {
		return ""
	}
	for _, p := range c.SuggestService(prefix) {
		if a := c.Action(p + ":" + action); a != nil {
			return a.String()
		}
	}
	return ""
}

// unknownAction is an action of a request the catalogue does not know.
type unknownAction struct {
	action string
	pos    policy.Position // where it is written; none for a flag
	msg    string          // notAnAction's
}

// unknownActions lists the request's actions the catalogue does not know,
// in the order given.
func (sim *simulation) unknownActions() []unknownAction {
	var out []unknownAction
	for i, a := range sim.actions {
		if strings.ContainsAny(a, "*?") {
			continue // a pattern (mfa --action): expanded, or refused, later
		}
		if msg := notAnAction(a); msg != "" {
			u := unknownAction{action: a, msg: msg}
			if i < len(sim.actionAt) {
				u.pos = sim.actionAt[i]
			}
			out = append(out, u)
		}
	}
	return out
}

// checkActions reports the request's actions the catalogue does not know:
// a warning line each on stderr, the request decided as written; with
// strict, an error line each, and stop (exit 2).
func (sim *simulation) checkActions(cmd string, strict bool, stderr io.Writer) (stop bool) {
	unknown := sim.unknownActions()
	for _, u := range unknown {
		switch {
		case strict && u.pos.IsValid():
			fmt.Fprintln(stderr, &inputError{pos: u.pos, code: "unknown_action", msg: u.msg + "; --strict refuses it"})
		case strict:
			fmt.Fprintf(stderr, "iameval %s: %s; --strict refuses it\n", cmd, oneLine(u.msg))
		case u.pos.IsValid():
			fmt.Fprintf(stderr, "iameval: warning: %s: %s; decided as written\n", u.pos, u.msg)
		default:
			fmt.Fprintf(stderr, "iameval: warning: %s; decided as written\n", oneLine(u.msg))
		}
	}
	return strict && len(unknown) > 0
}

// unknownActionNotes are the requested actions the catalogue does not know,
// each as notAnAction says it (with the nearest known action).
func unknownActionNotes(sim *simulation) []string {
	var out []string
	for _, u := range sim.unknownActions() {
		out = append(out, oneLine(u.msg))
	}
	return out
}

// checkedAsWritten says, a line each, that a requested action the catalogue
// does not know was decided as written: checked, under the name given.
func checkedAsWritten(notes []string) []string {
	var out []string
	for _, n := range notes {
		out = append(out, "Requested action checked as written: "+n+"; its result is for that name, not for the action meant.")
	}
	return out
}

// expectUnknownActions fails --expect (true, and says why) when a requested
// action is not one the catalogue knows: it was checked as written, which
// confirms nothing of the action meant.
func expectUnknownActions(stderr io.Writer, expect string, notes []string) bool {
	if len(notes) == 0 {
		return false
	}
	fmt.Fprintf(stderr, "iameval mfa: --expect %s cannot be confirmed: %s (checked as written, which confirms nothing of the action meant)\n", expect, strings.Join(notes, "; "))
	return true
}
