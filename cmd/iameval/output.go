package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/iamapi"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// aws shapes r as AWS does (iamapi.Result.EvaluationResult).
func (r result) aws() iamapi.Result {
	return iamapi.Result{Action: r.action, Resource: r.resource, Decision: r.decision,
		HasBoundary: r.hasBoundary, HasSCP: r.hasSCP, FromAccount: r.fromAccount}
}

// writeJSON writes results as AWS's SimulatePolicyResponse, every result
// on one page.
func writeJSON(w io.Writer, results []result) error {
	resp := iamapi.SimulatePolicyResponse{EvaluationResults: []iamapi.EvaluationResult{}}
	for _, r := range results {
		a := r.aws()
		resp.EvaluationResults = append(resp.EvaluationResults, a.EvaluationResult())
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	return enc.Encode(resp)
}

func writeTable(w io.Writer, results []result, sim *simulation, color bool) error {
	if _, err := io.WriteString(w, wrapText(sim.callerLine()+"\n\n", tableWidth)); err != nil {
		return err
	}
	var rows [][]string
	for _, r := range results {
		rows = append(rows, []string{r.action, r.resource, r.decision.Verdict.String(), sim.decidedBy(&r.decision, r.action)})
	}
	if writeRows(w, []string{"ACTION", "RESOURCE", "DECISION", "DECIDED BY"}, rows, color) != exitOK {
		return fmt.Errorf("writing the table failed")
	}
	return nil
}

// where names a statement for people: the policy's file (or AWS id) and the
// statement's line and column in the file the user wrote. A policy written
// inside a larger file (an --input document, a list of policies, an account
// dump) is named with its id and placed at its absolute file position.
// policyName names a policy for people: its file, else its AWS source id.
func (sim *simulation) policyName(id string) string {
	if name := sim.display[id]; name != "" {
		return name
	}
	return id
}

func (sim *simulation) where(m evaluator.MatchedStatement) string {
	name := sim.display[m.PolicyID]
	if o, ok := sim.origin[m.PolicyID]; ok {
		if name == o.file.name {
			// a policy inside a file of its own (AWS CLI output)
			return o.at(m.Start).String()
		}
		if name == "" {
			name = m.PolicyID
		}
		return name + " at " + o.at(m.Start).String()
	}
	switch {
	case name != "":
	case m.Start.Filename != "" && m.Start.Filename != m.PolicyID:
		// a policy written inside a larger file: its name, and where
		return fmt.Sprintf("%s at %s:%d:%d", m.PolicyID, m.Start.Filename, m.Start.Line, m.Start.Column)
	default:
		name = m.PolicyID
	}
	return fmt.Sprintf("%s:%d:%d", name, m.Start.Line, m.Start.Column)
}

func stmtName(m evaluator.MatchedStatement) string {
	if m.Sid != "" {
		return m.Sid
	}
	return fmt.Sprintf("statement %d", m.Index+1)
}

// decidedBy names the statements that decided and the rule of AWS's
// evaluation logic that decided where no statement did (or not alone), and
// the context keys the policies needed and the request lacked.
func (sim *simulation) decidedBy(d *evaluator.Decision, action string) string {
	var parts []string
	for _, m := range d.MatchedStatements() {
		parts = append(parts, fmt.Sprintf("%s %s (%s)", m.Effect, stmtName(m), sim.where(m)))
	}
	if d.Rule != evaluator.RuleNone {
		text := "rule: " + d.Describe(action)
		if d.Rule == evaluator.RuleSCPLevel && d.SCPLevel < len(sim.set.SCPs) {
			var names []string
			for _, p := range sim.set.SCPs[d.SCPLevel] {
				names = append(names, sim.policyName(p.Name))
			}
			text += "; level " + strconv.Itoa(d.SCPLevel+1) + " is " + strings.Join(names, ", ")
		}
		parts = append(parts, text)
	}
	if len(parts) == 0 {
		parts = append(parts, d.Describe(action))
	}
	if missing := d.MissingContextValues(); len(missing) > 0 {
		parts = append(parts, "missing "+strings.Join(missing, ", "))
	}
	return strings.Join(parts, "; ")
}

// writeRequest prints the request as it was decided: caller, action,
// resource, the context mode and every key with its type and values.
func (sim *simulation) writeRequest(b *strings.Builder, r result) {
	fmt.Fprintf(b, "  request: caller %s, action %s, resource %s\n", sim.callerName(), r.action, r.resource)
	fmt.Fprintf(b, "  context: %s\n", sim.modeText())
	if sim.set.Resource != nil && sim.set.ResourceOwner == "" {
		b.WriteString("  resource owner: the account a resource ARN names, else the caller's (AWS's default for ResourceOwner)\n")
	}
	writeKeys(b, r.req, "    ")
}

// writeKeys prints every key of req with its type and values, one a line.
func writeKeys(b *strings.Builder, req *request.Context, indent string) {
	if req == nil {
		return
	}
	keys := req.Keys()
	if len(keys) == 0 {
		b.WriteString(indent + "(no context keys)\n")
	}
	for _, k := range keys {
		var vs []string
		for _, v := range k.Values {
			vs = append(vs, fmt.Sprintf("%q", v.String()))
		}
		fmt.Fprintf(b, "%s%s (%s) = [%s]\n", indent, k.Name, k.Type, strings.Join(vs, ", "))
	}
}

func writeExplain(w io.Writer, results []result, sim *simulation) error {
	var b strings.Builder
	for i, r := range results {
		if i > 0 {
			b.WriteByte('\n')
		}
		d := &r.decision
		fmt.Fprintf(&b, "%s on %s: %s\n", r.action, r.resource, d.Verdict)
		sim.writeRequest(&b, r)
		fmt.Fprintf(&b, "  decided by: %s\n", sim.decidedBy(d, r.action))
		if d.NotPolicyControlled {
			fmt.Fprintf(&b, "  note: AWS does not authorize %s with policies; the call succeeds whatever they say\n", r.action)
		}
		if r.explain != nil {
			b.WriteString("  statements:\n")
			width := 28
			for _, tr := range r.explain.Statements {
				width = max(width, len(stmtName(tr.MatchedStatement)))
			}
			for _, tr := range r.explain.Statements {
				fmt.Fprintf(&b, "    %-5s %-*s %s: %s\n", tr.Effect, width, stmtName(tr.MatchedStatement), sim.where(tr.MatchedStatement), traceReason(&tr, r.action, r.resource))
			}
		}
		if missing := d.MissingContextValues(); len(missing) > 0 {
			fmt.Fprintf(&b, "  missing context values: %s\n", strings.Join(missing, ", "))
		}
		fmt.Fprintf(&b, "  by policy type: %s\n", detailLine(d))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func traceReason(tr *evaluator.StatementTrace, action, resource string) string {
	switch tr.Reason {
	case evaluator.Applied:
		return "applies"
	case evaluator.ActionMismatch:
		if s := tr.Statement; s != nil && s.Action != nil && s.Action.Not {
			return "not applied: action " + action + " is excluded by its NotAction"
		}
		return "not applied: action " + action + " is not matched by its Action"
	case evaluator.ResourceMismatch:
		missing := ""
		if len(tr.MissingVariables) > 0 {
			missing = " (the request lacks " + strings.Join(tr.MissingVariables, ", ") + ", which its policy variables need: an entry with an unresolved variable matches nothing)"
		}
		if s := tr.Statement; s != nil && s.Resource != nil && s.Resource.Not {
			return "not applied: resource " + resource + " is excluded by its NotResource" + missing
		}
		return "not applied: resource " + resource + " is not matched by its Resource" + missing
	case evaluator.PrincipalMismatch:
		if s := tr.Statement; s != nil && s.Principal != nil && s.Principal.Not {
			return "not applied: the caller is excluded by its NotPrincipal"
		}
		return "not applied: the caller is not matched by its Principal"
	case evaluator.NotForAnonymous:
		return "not applied: an anonymous request is no principal of an account, so this policy does not apply to it"
	case evaluator.NotAccountPrincipal:
		return "not applied: a service principal or a web-identity or SAML caller is no principal of an account, so this policy does not apply to it"
	case evaluator.ConditionFailed:
		if tr.Clause == nil {
			return "not applied: a condition is false"
		}
		s := fmt.Sprintf("not applied: condition %s %s %s is false", tr.Clause.Operator, tr.Clause.Key, quoteValues(tr.Clause.Values))
		if tr.KeyMissing {
			s += " (the key is missing from the request)"
		}
		return s
	}
	return tr.Reason.String()
}

func quoteValues(vs []policy.Value) string {
	var q []string
	for _, v := range vs {
		q = append(q, fmt.Sprintf("%q", v.Text))
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func detailLine(d *evaluator.Decision) string {
	var parts []string
	add := func(name string, o evaluator.Outcome) {
		if o != evaluator.NotApplicable {
			parts = append(parts, name+" "+o.String())
		}
	}
	add("identity", d.Detail.Identity)
	add("resource", d.Detail.Resource)
	add("boundary", d.Detail.Boundary)
	add("session", d.Detail.Session)
	add("SCPs", d.Detail.Organizations)
	add("RCPs", d.Detail.ResourceControl)
	if len(parts) == 0 {
		return "no policies"
	}
	line := strings.Join(parts, ", ")
	if d.CrossAccount {
		line += "; cross-account"
	}
	return line
}

// writeIndentedJSON writes v as the JSON of our own commands: indented by
// two spaces, one value and a newline. (simulate writes AWS's response as
// the AWS CLI prints it, indented by four.)
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
