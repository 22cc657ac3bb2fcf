package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

const lintHelp = `Usage: iameval lint [flags] FILE...

Checks policy files for what IAM refuses (every grammar error, with its code)
and for the MFA pitfalls that make a policy look as if it enforced MFA when it
does not. Each finding has a stable rule id, a severity, file:line:col, and a
concrete fix.

Rules:
{{rules}}
Output (--format): text (compiler style, the default), json, or sarif (SARIF
2.1.0, for code-scanning UIs).

Exit codes: 0 no finding at or above --fail-on; 1 some finding is; 2 a file
cannot be read, or bad usage.

Examples:
  iameval lint policies/*.json
  iameval lint --kind scp --fail-on warning org/scps/*.json
  iameval lint --format sarif policies/*.json > iameval.sarif

Flags:
`

func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kindName := fs.String("kind", "identity", "what the policies are: `identity` (also boundaries and session policies), resource, trust, scp or rcp")
	format := fs.String("format", "text", "output `FORMAT`: text, json or sarif")
	failOn := fs.String("fail-on", "error", "exit 1 when a finding is at least this `SEVERITY`: error, warning or note")
	fs.Usage = func() {
		var rules strings.Builder
		for _, r := range lint.Rules() {
			fmt.Fprintf(&rules, "  %s %-32s %-7s %s\n", r.ID, r.Name, r.Severity, r.Summary)
		}
		rules.WriteString("  and every grammar error code of the policy parser (bad_effect, unknown_operator, ...), as errors.\n")
		fmt.Fprint(fs.Output(), strings.Replace(lintHelp, "{{rules}}", rules.String(), 1))
		fs.PrintDefaults()
	}
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	usageErr := usageError(stderr, "lint")
	kinds := map[string]policy.Kind{"identity": policy.KindIdentity, "resource": policy.KindResource, "trust": policy.KindTrust, "scp": policy.KindSCP, "rcp": policy.KindRCP}
	kind, ok := kinds[*kindName]
	if !ok {
		return usageErr("--kind %q: want identity, resource, trust, scp or rcp", *kindName)
	}
	threshold, err := lint.ParseSeverity(*failOn)
	if err != nil {
		return usageErr("--fail-on: %v", err)
	}
	switch *format {
	case "text", "json", "sarif":
	default:
		return usageErr("--format %q: want text, json or sarif", *format)
	}
	if fs.NArg() == 0 {
		return usageErr("no files: iameval lint FILE... (see iameval help lint)")
	}
	var findings []lint.Finding
	unreadable := false
	for _, file := range fs.Args() {
		var data []byte
		var err error
		if file == "-" {
			data, err = io.ReadAll(stdin)
		} else {
			data, err = os.ReadFile(file)
		}
		if err != nil {
			fmt.Fprintf(stderr, "iameval lint: %v\n", err)
			unreadable = true
			continue
		}
		name := file
		if file == "-" {
			name = "<stdin>"
		}
		findings = append(findings, lint.File(name, data, kind)...)
	}
	switch *format {
	case "json":
		err = writeLintJSON(stdout, findings)
	case "sarif":
		err = writeSARIF(stdout, findings)
	default:
		err = writeLintText(stdout, findings)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval lint: %v\n", err)
		return exitUsage
	}
	if unreadable {
		return exitUsage
	}
	for _, f := range findings {
		if f.Severity <= threshold {
			return exitCheck
		}
	}
	return exitOK
}

func writeLintText(w io.Writer, findings []lint.Finding) error {
	var b strings.Builder
	counts := map[lint.Severity]int{}
	for _, f := range findings {
		counts[f.Severity]++
		b.WriteString(f.String())
		b.WriteByte('\n')
		if f.Fix != "" {
			fmt.Fprintf(&b, "\tfix: %s\n", f.Fix)
		}
	}
	if len(findings) == 0 {
		b.WriteString("no findings\n")
	} else {
		fmt.Fprintf(&b, "%s, %s, %s\n", plural(counts[lint.Error], "error"), plural(counts[lint.Warning], "warning"), plural(counts[lint.Note], "note"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type lintJSONFinding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Path     string `json:"path,omitempty"`
	Rule     string `json:"rule"`
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
}

func writeLintJSON(w io.Writer, findings []lint.Finding) error {
	out := struct {
		Findings []lintJSONFinding `json:"findings"`
	}{Findings: []lintJSONFinding{}}
	for _, f := range findings {
		out.Findings = append(out.Findings, lintJSONFinding{File: f.Pos.Filename, Line: f.Pos.Line, Column: f.Pos.Column, Path: f.Path,
			Rule: f.RuleID, Name: f.Name, Severity: f.Severity.String(), Message: f.Message, Fix: f.Fix})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// SARIF 2.1.0, the subset code-scanning UIs read.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string           `json:"id"`
	Name                 string           `json:"name"`
	ShortDescription     sarifText        `json:"shortDescription"`
	FullDescription      sarifText        `json:"fullDescription"`
	Help                 sarifText        `json:"help"`
	DefaultConfiguration sarifRuleDefault `json:"defaultConfiguration"`
}

type sarifRuleDefault struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

func writeSARIF(w io.Writer, findings []lint.Finding) error {
	driver := sarifDriver{Name: "iameval", Version: version, InformationURI: "https://github.com/iameval/iameval", Rules: []sarifRule{}}
	index := map[string]int{}
	for _, r := range lint.Rules() {
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{ID: r.ID, Name: r.Name, ShortDescription: sarifText{r.Summary},
			FullDescription: sarifText{r.Help}, Help: sarifText{r.Help}, DefaultConfiguration: sarifRuleDefault{r.Severity.String()}})
	}
	// grammar codes found, as rules of their own
	var codes []string
	for _, f := range findings {
		if _, ok := index[f.RuleID]; !ok {
			index[f.RuleID] = -1
			codes = append(codes, f.RuleID)
		}
	}
	sort.Strings(codes)
	for _, c := range codes {
		index[c] = len(driver.Rules)
		text := "IAM refuses this policy: " + c
		driver.Rules = append(driver.Rules, sarifRule{ID: c, Name: c, ShortDescription: sarifText{text},
			FullDescription: sarifText{text}, Help: sarifText{text}, DefaultConfiguration: sarifRuleDefault{"error"}})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, f := range findings {
		msg := f.Message
		if f.Fix != "" {
			msg += ". Fix: " + f.Fix
		}
		line, col := f.Pos.Line, f.Pos.Column
		if line < 1 {
			line, col = 1, 1
		}
		run.Results = append(run.Results, sarifResult{RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: f.Severity.String(),
			Message: sarifText{msg}, Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: strings.TrimPrefix(f.Pos.Filename, "./")},
				Region:           sarifRegion{StartLine: line, StartColumn: col}}}}})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// plural writes n and word, in the plural unless n is 1: "entry" becomes
// "entries", "entry was" "entries were", others take an s on their first
// word.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	first, rest, _ := strings.Cut(word, " ")
	switch {
	case strings.HasSuffix(first, "y"):
		first = strings.TrimSuffix(first, "y") + "ies"
	default:
		first += "s"
	}
	if rest == "was" {
		rest = "were"
	}
	if rest != "" {
		rest = " " + rest
	}
	return fmt.Sprintf("%d %s%s", n, first, rest)
}
