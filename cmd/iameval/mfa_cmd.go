package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/request"
)

const mfaHelp = `Usage: iameval mfa [flags]

What can a caller do without MFA? For every action x resource, decides the
request with long-term access keys (no MFA key), with a session without MFA,
and with MFA at every age where an aws:MultiFactorAuthAge threshold in the
policies changes the answer, then reports:

  mfa-required      allowed only with MFA
  mfa-not-required  allowed without MFA
  never-allowed     denied whatever the credentials
  inverted          allowed without MFA but not with it

and the largest MFA age still allowed ("no limit" when any age is). It names
each bypass: a Deny that long-term keys slip past (Bool instead of
BoolIfExists, NumericGreaterThan on the age) or an Allow they slip through
(BoolIfExists true, NumericLessThanIfExists), with the fix.

Takes the same policy input as simulate: --input FILE (the SimulateCustomPolicy
document) or the policy flags. With --account FILE (the output of
aws iam get-account-authorization-details) it analyses every user and role of
the account (or one, with --principal) and summarises who can do what without
MFA: "7 users can s3:DeleteObject with long-term keys and no MFA", with the
policy and statement that allow it. Without --action it checks a default list of
sensitive actions: ` + "{{defaults}}" + `.

Output (--output): table (default), json, or markdown (a pull-request comment).
Exit codes: 0 done; 1 a verdict differs from --expect; 2 bad usage or input.

Examples:
  iameval mfa --policy force-mfa.json
  iameval mfa --policy admin.json --policy deny-without-mfa.json \
      --action s3:DeleteObject --resource arn:aws:s3:::reports/q3.csv --output markdown
  iameval mfa --input request.json --expect mfa-required   # CI: exit 1 if anything is allowed without MFA
  iameval mfa --account account.json --action s3:DeleteObject --resource 'arn:aws:s3:::reports/*' 

Flags:
`

// defaultSensitive are the sensitive actions of the MFA example policies.
var defaultSensitive = []string{
	"iam:CreateAccessKey", "iam:DeactivateMFADevice", "iam:DeleteVirtualMFADevice", "iam:ChangePassword",
	"iam:CreateUser", "iam:AttachUserPolicy", "iam:PutUserPolicy", "sts:AssumeRole",
	"ec2:StopInstances", "ec2:TerminateInstances", "ec2:RunInstances",
	"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteBucket",
}

func runMFA(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfa", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f simulateFlags
	registerInputFlags(fs, &f)
	registerAccountFlags(fs, &f)
	fs.StringVar(&f.output, "output", "table", "output `FORMAT`: table, json or markdown")
	fs.StringVar(&f.expect, "expect", "", "exit 1 unless every verdict is `VERDICT`: mfa-required, mfa-not-required, never-allowed or inverted")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), strings.Replace(mfaHelp, "{{defaults}}", strings.Join(defaultSensitive, ", "), 1))
		fs.PrintDefaults()
	}
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	usageErr := usageError(stderr, "mfa")
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q (see iameval help mfa)", fs.Arg(0))
	}
	switch f.output {
	case "table", "json", "markdown":
	default:
		return usageErr("--output %q: want table, json or markdown", f.output)
	}
	switch f.expect {
	case "", "mfa-required", "mfa-not-required", "never-allowed", "inverted":
	default:
		return usageErr("--expect %q: want mfa-required, mfa-not-required, never-allowed or inverted", f.expect)
	}
	if f.account != "" {
		if f.input != "" {
			return usageErr("--account and --input exclude each other")
		}
		return runMFAAccount(&f, stdout, stderr)
	}
	if f.input == "" && len(f.actions) == 0 {
		f.actions = append(listFlag{}, defaultSensitive...)
	}
	if f.input == "" && len(f.policies)+len(f.scps)+len(f.rcps)+len(f.sessions) == 0 && f.boundary == "" && f.resourcePolicy == "" {
		return usageErr("no policy: give --policy FILE (and the other policy flags) or --input FILE")
	}
	sim, err := buildSimulation(&f, stdin)
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	engine, err := evaluator.Compile(sim.set)
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	results := sim.analyzeMFA(engine)
	switch f.output {
	case "json":
		err = writeMFAJSON(stdout, results, sim)
	case "markdown":
		err = writeMFAMarkdown(stdout, results, sim)
	default:
		err = writeMFATable(stdout, results, sim)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval mfa: %v\n", err)
		return exitUsage
	}
	if f.expect != "" {
		for _, r := range results {
			if r.Verdict.String() != f.expect {
				fmt.Fprintf(stderr, "iameval mfa: %s on %s is %s, expected %s\n", r.Action, r.Resource, r.Verdict, f.expect)
				return exitCheck
			}
		}
	}
	return exitOK
}

// analyzeMFA runs the MFA analysis on every action x resource.
func (sim *simulation) analyzeMFA(engine *evaluator.Engine) []mfa.Result {
	resources := sim.resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	caller := sim.caller
	var out []mfa.Result
	for _, a := range sim.actions {
		for _, r := range resources {
			base := request.New(caller, a, r)
			for _, ce := range sim.context {
				_ = base.Set(ce.name, ce.typ, ce.values...) // checked when read
			}
			out = append(out, mfa.Analyze(engine, base))
		}
	}
	return out
}

func (sim *simulation) bypassLine(b mfa.Bypass) string {
	what, holds := "callers without MFA slip past Deny", "false"
	if b.Kind == "allow-ifexists" {
		what, holds = "callers without MFA slip through Allow", "true"
	}
	cond := ""
	if b.Clause != nil {
		cond = fmt.Sprintf(": %s %s %s is %s when the key is absent", b.Clause.Operator, b.Clause.Key, quoteValues(b.Clause.Values), holds)
	}
	return fmt.Sprintf("%s %s (%s)%s", what, stmtName(b.Statement), sim.where(b.Statement), cond)
}

func writeMFATable(w io.Writer, results []mfa.Result, sim *simulation) error {
	var rows [][]string
	for _, r := range results {
		byp := "-"
		if len(r.Bypasses) > 0 {
			byp = fmt.Sprintf("%d (see below)", len(r.Bypasses))
		}
		rows = append(rows, []string{r.Action, r.Resource, r.LongTermKeys.Verdict.String(), r.SessionWithoutMFA.Verdict.String(),
			r.Fresh.Verdict.String(), r.Verdict.String(), r.MaxAgeString(), byp})
	}
	if writeRows(w, []string{"ACTION", "RESOURCE", "LONG-TERM KEYS", "SESSION, NO MFA", "MFA", "VERDICT", "MAX MFA AGE", "BYPASSES"}, rows, -1, false) != exitOK {
		return fmt.Errorf("writing the table failed")
	}
	var b strings.Builder
	for _, r := range results {
		for _, bp := range r.Bypasses {
			fmt.Fprintf(&b, "\n%s on %s: %s\n  fix: %s\n", r.Action, r.Resource, sim.bypassLine(bp), bp.Fix)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type mfaJSONBypass struct {
	Kind     string `json:"kind"`
	PolicyID string `json:"policyId"`
	Policy   string `json:"policy"`
	Sid      string `json:"sid,omitempty"`
	Index    int    `json:"statementIndex"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Operator string `json:"operator,omitempty"`
	Key      string `json:"key,omitempty"`
	Fix      string `json:"fix"`
}

type mfaJSONAge struct {
	Age      int64  `json:"age"`
	Decision string `json:"decision"`
}

type mfaJSONResult struct {
	Action            string          `json:"action"`
	Resource          string          `json:"resource"`
	Verdict           string          `json:"verdict"`
	LongTermKeys      string          `json:"longTermKeys"`
	SessionWithoutMFA string          `json:"sessionWithoutMFA"`
	MFA               string          `json:"mfa"`
	MaxMFAAge         *int64          `json:"maxMfaAgeSeconds"`
	NoAgeLimit        bool            `json:"noAgeLimit"`
	Ages              []mfaJSONAge    `json:"ages"`
	Bypasses          []mfaJSONBypass `json:"bypasses"`
}

func writeMFAJSON(w io.Writer, results []mfa.Result, sim *simulation) error {
	out := struct {
		Results []mfaJSONResult `json:"results"`
		Summary map[string]int  `json:"summary"`
	}{Results: []mfaJSONResult{}, Summary: map[string]int{}}
	for _, r := range results {
		j := mfaJSONResult{Action: r.Action, Resource: r.Resource, Verdict: r.Verdict.String(),
			LongTermKeys: r.LongTermKeys.Verdict.String(), SessionWithoutMFA: r.SessionWithoutMFA.Verdict.String(),
			MFA: r.Fresh.Verdict.String(), NoAgeLimit: r.NoAgeLimit, Ages: []mfaJSONAge{}, Bypasses: []mfaJSONBypass{}}
		if r.HasMFAAllowed && !r.NoAgeLimit {
			age := r.MaxAge
			j.MaxMFAAge = &age
		}
		for _, o := range r.Ages {
			j.Ages = append(j.Ages, mfaJSONAge{Age: o.Scenario.Age, Decision: o.Decision.Verdict.String()})
		}
		for _, b := range r.Bypasses {
			jb := mfaJSONBypass{Kind: b.Kind, PolicyID: b.Statement.PolicyID, Policy: sim.display[b.Statement.PolicyID],
				Sid: b.Statement.Sid, Index: b.Statement.Index, Line: b.Statement.Start.Line, Column: b.Statement.Start.Column, Fix: b.Fix}
			if b.Clause != nil {
				jb.Operator, jb.Key = b.Clause.Operator, b.Clause.Key
			}
			j.Bypasses = append(j.Bypasses, jb)
		}
		out.Results = append(out.Results, j)
		out.Summary[j.Verdict]++
		if len(r.Bypasses) > 0 {
			out.Summary["withBypass"]++
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeMFAMarkdown(w io.Writer, results []mfa.Result, sim *simulation) error {
	var b strings.Builder
	counts := map[mfa.Verdict]int{}
	bypassed := 0
	for _, r := range results {
		counts[r.Verdict]++
		if len(r.Bypasses) > 0 {
			bypassed++
		}
	}
	b.WriteString("### iameval: MFA analysis\n\n")
	fmt.Fprintf(&b, "%d of %d requests are allowed without MFA; %d require MFA; %d are never allowed",
		counts[mfa.NotRequired]+counts[mfa.Inverted], len(results), counts[mfa.Required], counts[mfa.NeverAllowed])
	if counts[mfa.Inverted] > 0 {
		fmt.Fprintf(&b, "; %d are allowed only *without* MFA", counts[mfa.Inverted])
	}
	fmt.Fprintf(&b, ". %d have a bypass.\n\n", bypassed)
	b.WriteString("| Action | Resource | Long-term keys | Session, no MFA | MFA | Verdict | Max MFA age |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s | **%s** | %s |\n", r.Action, r.Resource,
			r.LongTermKeys.Verdict, r.SessionWithoutMFA.Verdict, r.Fresh.Verdict, r.Verdict, r.MaxAgeString())
	}
	if bypassed > 0 {
		b.WriteString("\n#### Bypasses\n\n")
		for _, r := range results {
			for _, bp := range r.Bypasses {
				fmt.Fprintf(&b, "- `%s` on `%s`: %s. **Fix:** %s\n", r.Action, r.Resource, sim.bypassLine(bp), bp.Fix)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
