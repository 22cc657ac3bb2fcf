// Package lint checks IAM policies for what IAM refuses (every grammar error
// of the policy package and every rule of the policy's kind, as a finding;
// AWS's size quota for the kind), for what does not mean what it seems
// (policy variables under an old Version, ARNs with parts missing), for
// names AWS's vocabulary does not have (services, actions, condition keys,
// ARNs and operators that never match, checked against package catalog),
// and for the MFA pitfalls that make a policy look as if it enforced MFA when it does
// not. Every rule has a stable id, a severity, and a concrete fix.
//
// DocumentAuto detects a policy's kind from its elements (DetectKind);
// Document checks it as the kind given.
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

// Rules returns the rules, in id order. Grammar findings, whose id is a
// code of the policy package, are not among them.
func Rules() []Rule {
	out := append(append(append([]Rule(nil), policyRules...), mfaRules...), catalogRules...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// rule returns the rule with the given id, which must be one of Rules.
func rule(id string) Rule {
	for _, rs := range [][]Rule{mfaRules, policyRules, catalogRules} {
		for _, r := range rs {
			if r.ID == id {
				return r
			}
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
	// NotListed, for a too_many_errors finding, is the number of errors
	// it stands for (policy.MaxErrors)
	NotListed int
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

// grammar turns Parse's error for the document called name into findings.
func grammar(name string, err error) []Finding {
	var list policy.ErrorList
	if !errors.As(err, &list) {
		return []Finding{{RuleID: policy.CodeInvalidJSON, Name: policy.CodeInvalidJSON, Severity: Error, Pos: policy.Position{Filename: name}, Message: err.Error()}}
	}
	out := make([]Finding, 0, len(list))
	for _, e := range list {
		out = append(out, errorFinding(e))
	}
	return out
}

// errorFinding is the finding of e, an error of the policy grammar or of
// policy.Check: its code is its rule.
func errorFinding(e *policy.Error) Finding {
	return Finding{RuleID: e.Code, Name: e.Code, Severity: Error, Pos: e.Pos, Path: e.Path, Message: e.Msg, Fix: grammarFix(e.Code), NotListed: e.NotListed}
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
	case policy.CodeVersionRequired:
		return `add "Version": "2012-10-17"`
	case policy.CodeMissingPrincipal:
		return `add the Principal the statement is about ("Principal": "*" in an RCP)`
	case policy.CodeMissingStatement:
		return `a policy is {"Version": "2012-10-17", "Statement": [...]}: check that this file is a policy`
	case policy.CodeRCPAllow:
		return "make the statement a Deny of what must never happen: AWS itself attaches RCPFullAWSAccess, the only Allow an RCP may have, to every root, OU and account"
	case policy.CodeRCPPrincipal:
		return `write "Principal": "*" and test aws:PrincipalAccount, aws:PrincipalOrgID or aws:PrincipalArn in the Condition`
	case policy.CodeRCPAction:
		return `name the service: "s3:*" rather than "*"`
	}
	return ""
}

// Policy lints a parsed policy of the given kind: the rules of that kind
// (policy.Check), its size quota (policy.CheckLimits), the Version, ARN,
// MFA and catalogue rules.
func Policy(p *policy.Policy, kind policy.Kind) []Finding {
	var out []Finding
	for _, e := range policy.Check(p, kind) {
		out = append(out, errorFinding(e))
	}
	out = append(out, policyFindings(p, kind)...)
	out = append(out, mfaFindings(p, kind)...)
	out = append(out, catalogFindings(p)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.Offset < out[j].Pos.Offset })
	return out
}
