// Package lint checks IAM policies for what IAM refuses (every grammar error
// of the policy package, as a finding) and for the MFA pitfalls that make a
// policy look as if it enforced MFA when it does not. Every rule has a stable
// id, a severity, and a concrete fix.
package lint

import (
	"errors"
	"fmt"
	"sort"

	"github.com/iameval/iameval/policy"
)

// Severity is how bad a finding is. The names are SARIF's levels.
type Severity uint8

// Severities, from the most severe.
const (
	Error Severity = iota
	Warning
	Note
)

// String returns "error", "warning" or "note".
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Note:
		return "note"
	}
	return "error"
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads "error", "warning" or "note".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "note":
		return Note, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or note)", s)
}

// Rule is one check.
type Rule struct {
	ID       string
	Name     string
	Severity Severity
	Summary  string
	Help     string
}

// Rules returns the rules, in id order.
func Rules() []Rule { return append([]Rule(nil), mfaRules...) }

func rule(id string) Rule {
	for _, r := range mfaRules {
		if r.ID == id {
			return r
		}
	}
	panic("lint: unknown rule " + id)
}

// Finding is one problem at one place.
type Finding struct {
	RuleID   string
	Name     string
	Severity Severity
	Pos      policy.Position
	Path     string
	Message  string
	Fix      string
}

// String renders "file:line:col: severity: ID name: message" (grammar
// findings, whose name is their id, name it once).
func (f Finding) String() string {
	id := f.RuleID
	if f.Name != f.RuleID {
		id += " " + f.Name
	}
	return fmt.Sprintf("%s: %s: %s: %s", f.Pos, f.Severity, id, f.Message)
}

// File lints the policy document data as a policy of the given kind and
// returns the findings of Document.
func File(name string, data []byte, kind policy.Kind) []Finding {
	return Document(name, data, kind).Findings
}

func grammar(err error) []Finding {
	var list policy.ErrorList
	if !errors.As(err, &list) {
		return []Finding{{RuleID: "invalid_json", Name: "invalid_json", Severity: Error, Message: err.Error()}}
	}
	out := make([]Finding, 0, len(list))
	for _, e := range list {
		out = append(out, Finding{RuleID: e.Code, Name: e.Code, Severity: Error, Pos: e.Pos, Path: e.Path, Message: e.Msg, Fix: grammarFix(e.Code)})
	}
	return out
}

func grammarFix(code string) string {
	switch code {
	case policy.CodeBadEffect:
		return `write "Allow" or "Deny" exactly`
	case policy.CodeNullIfExists:
		return "use Null without IfExists: Null already tests whether the key is present"
	case policy.CodeUnknownOperator:
		return "use one of AWS's condition operators, spelled as AWS spells them (StringEquals, BoolIfExists, ...)"
	case policy.CodeMissingResource:
		return `add "Resource": "*" or the ARNs the statement is for`
	case policy.CodeBadSid:
		return "use only letters and digits in the Sid"
	}
	return ""
}

// Policy lints a parsed policy of the given kind: the rules of that kind
// (policy.Check) and the MFA rules.
func Policy(p *policy.Policy, kind policy.Kind) []Finding {
	var out []Finding
	for _, e := range policy.Check(p, kind) {
		out = append(out, Finding{RuleID: e.Code, Name: e.Code, Severity: Error, Pos: e.Pos, Path: e.Path, Message: e.Msg, Fix: grammarFix(e.Code)})
	}
	out = append(out, mfaFindings(p, kind)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.Offset < out[j].Pos.Offset })
	return out
}
