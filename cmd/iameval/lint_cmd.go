package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/iameval/iameval/lint"
	"github.com/iameval/iameval/policy"
)

const lintHelp = `Usage: iameval lint [flags] PATH...

Checks policy files for what AWS refuses (every grammar error and every rule
of the policy's kind, with its code; the size quota of its kind), for what
does not mean what it seems (policy variables under an old Version, ARNs with
parts missing), for what AWS's vocabulary does not have (services, actions,
condition keys, also as policy variables, operators of the wrong type, ARNs
no action of the statement acts on: the CAT rules, checked against the
catalogue of AWS's Service Authorization Reference built into iameval), and
for the MFA pitfalls that make a policy look as if it enforced MFA when it
does not. Each finding has a stable rule id, a severity, file:line:col, and a
concrete fix.

A PATH is a policy file (or file://FILE), - for stdin, or a directory: its
*.json files, recursively, in lexical order (*.iamtest.json suites left out;
JSON that is not a policy skipped with a note; a file given by name that is
an account authorization dump, a simulate request document or a test suite
is skipped the same way). A PATH may also be AWS CLI
output holding a policy (aws iam get-policy-version, get-role, get-role-policy,
get-user-policy, get-group-policy, aws s3api get-bucket-policy, aws
organizations describe-policy): its kind counts as detected (get-role is a
trust policy, get-bucket-policy a resource policy, describe-policy an SCP or
RCP). Files are UTF-8 JSON; a file that is not JSON is not checked (exit 2),
with a hint for YAML and UTF-16.

The kind of each file (--kind auto, the default) is detected from its
elements: a Principal or NotPrincipal makes a resource policy, and a role
trust policy when every action is sts:AssumeRole* (AssumeRoleWithSAML,
AssumeRoleWithWebIdentity, ...), sts:TagSession or sts:SetSourceIdentity;
without one it is an identity policy. SCPs and RCPs look like identity and
resource policies: name them with --kind scp or --kind rcp. Every output says
which kind each file was checked as, and whether it was detected or given.

Rules:
{{rules}}
Each MFA finding that claims a bypass (MFA001-MFA004, MFA007) is confirmed
with the engine, as iameval mfa decides: the statement's own requests are
decided with long-term keys and in a session without MFA. A pitfall that
another statement of the same policy covers (AWS's S3 "require MFA" bucket
policy, whose Null Deny catches what its age Deny misses) is not a finding.

Size quotas (SIZE001), by kind: identity 6,144 characters (a managed policy;
the aggregate quotas of inline policies are not checked), trust 2,048 (white
space outside strings not counted), scp and rcp 5,120 (every character
counted). A resource policy's quota is its service's: not checked (SIZE002).

Grammar and kind errors carry the policy parser's codes (bad_effect,
unknown_operator, element_not_allowed, missing_resource, ...). For --kind rcp,
what AWS's RCP syntax refuses: version_required, rcp_allow (Allow other than
RCPFullAWSAccess), rcp_principal (Principal other than "*"), rcp_action (an
action naming no service), element_not_allowed (NotPrincipal, NotAction),
missing_principal, missing_resource.

Output (--output, -o): table (compiler-style lines, the default), json, or sarif (SARIF
2.1.0, for code-scanning UIs). A file that cannot be read is reported on
stderr, in JSON's "filesNotRead" and in SARIF's toolExecutionNotifications; it is
never counted as clean. JSON of a directory skipped as no policy is said the
same way ("filesSkipped", a note-level notification) and in the last line.

Exit codes: 0 no finding at or above --fail-on; 1 some finding is; 2 a path
cannot be read (or holds no *.json file), nothing was linted (every file
skipped as no policy), or bad usage.

Examples:
  iameval lint policies/*.json
  iameval lint policies/
  iameval lint --kind scp --fail-on warning org/scps/*.json
  iameval lint -o sarif policies/ > iameval.sarif

Flags:
`

// lintKindNames are the values of --kind that name a kind, in policy.Kind
// order.
var lintKindNames = [...]string{policy.KindIdentity: "identity", policy.KindResource: "resource", policy.KindTrust: "trust", policy.KindSCP: "scp", policy.KindRCP: "rcp"}

// parseLintKind reads a --kind value other than auto.
func parseLintKind(name string) (policy.Kind, bool) {
	for k, n := range lintKindNames {
		if n == name {
			return policy.Kind(k), true
		}
	}
	return 0, false
}

// lintKindName is the --kind value of kind k.
func lintKindName(k policy.Kind) string {
	if int(k) < len(lintKindNames) {
		return lintKindNames[k]
	}
	return k.String()
}

// lintError is a path lint could not check.
type lintError struct {
	File    string `json:"file"`
	Message string `json:"message"`
}

// lintInput is a file to lint: its name and its contents and, when the
// policy sits inside the file (AWS CLI output), the policy's text, the map
// from its offsets to the file's, and the kind the output tells.
type lintInput struct {
	name    string
	data    []byte
	file    *srcFile
	text    []byte
	toFile  func(int) int
	kind    policy.Kind
	hasKind bool
}

func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var rules strings.Builder
	for _, r := range lint.Rules() {
		fmt.Fprintf(&rules, "  %-38s %-7s %s\n", r.ID+" "+r.Name, r.Severity, r.Summary)
	}
	g := newGrammar("lint", strings.Replace(lintHelp, "{{rules}}", rules.String(), 1))
	var kindName, format, failOn, color string
	g.string(&kindName, "kind", "", "auto", "what the policies are: `auto` (detect each file's kind), identity (also boundaries and session policies), resource, trust, scp or rcp")
	g.string(&format, "output", "o", "table", "output `FORMAT`: table (compiler-style lines; text is the same), json or sarif")
	g.string(&failOn, "fail-on", "", "error", "exit 1 when a finding is at least this `SEVERITY`: error, warning or note")
	g.color(&color)
	g.alias(alias{name: "format", flag: "output", why: "older spelling"})
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "lint")
	kind, given := parseLintKind(kindName)
	if !given && kindName != "auto" && kindName != "" {
		return usageErr("--kind %q: want auto, identity, resource, trust, scp or rcp", kindName)
	}
	threshold, err := lint.ParseSeverity(failOn)
	if err != nil {
		return usageErr("--fail-on: %v", err)
	}
	if format, err = outputFormat(format, "table", "json", "sarif"); err != nil {
		return usageErr("%v", err)
	}
	if err := checkColor(color); err != nil {
		return usageErr("%v", err)
	}
	fs := g.fs
	if fs.NArg() == 0 {
		return usageErr("no files: iameval lint PATH...")
	}
	inputs, errs, skipped := readLintInputs(fs.Args(), newOpener(stdin, stderr))
	for _, e := range errs {
		fmt.Fprintf(stderr, "iameval lint: %s\n", e.Message)
	}
	var results []lint.Result
	for _, in := range inputs {
		results = append(results, lintOne(in, kind, given))
	}
	switch format {
	case "json":
		err = writeLintJSON(stdout, results, errs, skipped)
	case "sarif":
		sources := map[string][]byte{}
		for _, in := range inputs {
			sources[in.name] = in.data
		}
		err = writeSARIF(stdout, results, errs, skipped, sources)
	default:
		err = writeLintText(stdout, results, errs, skipped, colorEnabled(color, stdout))
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval lint: %v\n", err)
		return exitUsage
	}
	if len(errs) > 0 || len(results) == 0 {
		// unread input, or nothing linted (every file given skipped as
		// no policy): its input was not checked
		return exitUsage
	}
	for _, r := range results {
		for _, f := range r.Findings {
			if f.Severity <= threshold {
				return exitCheck
			}
		}
	}
	return exitOK
}

// readLintInputs reads the files the paths name, as every command opens
// files (see opener): "-" is stdin, a directory stands for its policies
// (*.json files, recursively, in lexical order, without *.iamtest.json
// suites and hidden directories; other JSON is skipped with a note), and
// AWS CLI output holding a policy stands for the policy. What cannot be
// read or is not JSON, and a directory without a policy, is a lintError.
func readLintInputs(paths []string, o *opener) (inputs []lintInput, errs, skipped []lintError) {
	fail := func(file string, err error) {
		errs = append(errs, lintError{File: file, Message: err.Error()})
	}
	// add reads one file; inDir says it was found in a directory, where
	// JSON that is not a policy is skipped
	add := func(arg string, inDir bool) bool {
		f, err := o.read("lint PATH", arg)
		if err != nil {
			fail(filePath(arg), err)
			return false
		}
		d, err := findPolicy(f)
		if err != nil {
			fail(f.name, err)
			return false
		}
		// a document of another kind (an account dump, a simulate
		// request document, a test suite) is no policy given by name
		// either; other JSON given by name is checked, so the parser says
		// what is wrong with it
		if d.notPolicy != "" && (inDir || d.document()) {
			o.note("%s: not a policy (%s), skipped", f.name, d.notPolicy)
			skipped = append(skipped, lintError{File: f.name, Message: "not a policy (" + d.notPolicy + "), skipped"})
			return false
		}
		in := lintInput{name: f.name, data: f.data}
		if !d.whole {
			if in.text, in.toFile, err = d.text(); err != nil {
				fail(f.name, err)
				return false
			}
			in.file, in.kind, in.hasKind = f, d.kind, d.hasKind
			o.noteUnwrapped(&d)
		}
		inputs = append(inputs, in)
		return true
	}
	for _, path := range paths {
		if !isDir(path) {
			add(path, false)
			continue
		}
		dir := filePath(path)
		files, err := jsonFiles(dir)
		if err != nil {
			fail(dir, err)
			continue
		}
		found, before := 0, len(errs)
		for _, name := range files {
			if add(name, true) {
				found++
			}
		}
		if found == 0 && len(errs) == before {
			fail(dir, noPolicyError("", dir, len(files)))
		}
	}
	return inputs, errs, skipped
}

// lintOne lints one input: the whole file, or the policy inside AWS CLI
// output, with its findings placed in the file. A kind the output tells
// (a role's trust policy, a bucket policy, an SCP) counts as detected.
func lintOne(in lintInput, kind policy.Kind, given bool) lint.Result {
	if in.file == nil {
		if given {
			return lint.Document(in.name, in.data, kind)
		}
		return lint.DocumentAuto(in.name, in.data)
	}
	var r lint.Result
	switch {
	case given:
		r = lint.Document(in.name, in.text, kind)
	case in.hasKind:
		r = lint.Document(in.name, in.text, in.kind)
		if r.Parsed {
			r.KindSource = lint.KindDetected
		} else {
			r.KindSource = lint.KindUndetermined
		}
	default:
		r = lint.DocumentAuto(in.name, in.text)
	}
	for i := range r.Findings {
		if pos := r.Findings[i].Pos; pos.IsValid() {
			r.Findings[i].Pos = in.file.pos(in.toFile(pos.Offset))
		}
	}
	return r
}

// lintKindLine says how a file was checked: "FILE: checked as an identity
// policy (kind detected)".
func lintKindLine(r lint.Result) string {
	if !r.Parsed {
		return r.Name + ": does not parse as a policy: only its grammar was checked"
	}
	nouns := map[policy.Kind]string{policy.KindIdentity: "an identity policy", policy.KindResource: "a resource policy",
		policy.KindTrust: "a role trust policy", policy.KindSCP: "an SCP", policy.KindRCP: "an RCP"}
	from := "kind detected"
	if r.KindSource == lint.KindGiven {
		from = "kind given with --kind"
	}
	return fmt.Sprintf("%s: checked as %s (%s)", r.Name, nouns[r.Kind], from)
}

// severityColors are the colours of lint's severities in text output.
var severityColors = map[lint.Severity]string{lint.Error: colorRed, lint.Warning: colorYellow, lint.Note: colorCyan}

// writeLintText prints the findings compiler style; with color, each
// severity in its colour (error red, warning yellow, note cyan).
func writeLintText(w io.Writer, results []lint.Result, errs, skipped []lintError, color bool) error {
	var b strings.Builder
	counts := lintCounts(results)
	for _, r := range results {
		b.WriteString(lintKindLine(r))
		b.WriteByte('\n')
		for _, f := range r.Findings {
			line := f.String()
			if color {
				// the severity after "file:line:col: "
				sev := f.Severity.String()
				if i := strings.Index(line, ": "+sev+": "); i >= 0 {
					line = line[:i+2] + severityColors[f.Severity] + sev + colorReset + line[i+2+len(sev):]
				}
			}
			b.WriteString(line)
			b.WriteByte('\n')
			if f.Fix != "" {
				fmt.Fprintf(&b, "\tfix: %s\n", f.Fix)
			}
		}
	}
	b.WriteString(lintSummaryText(counts, len(errs), len(skipped)))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// lintCounts counts the findings of results by severity.
func lintCounts(results []lint.Result) map[lint.Severity]int {
	counts := map[lint.Severity]int{}
	for _, r := range results {
		for _, f := range r.Findings {
			// a too_many_errors finding counts the errors not listed
			counts[f.Severity] += max(1, f.NotListed)
		}
	}
	return counts
}

// lintSummaryText is the last line of lint's text output: the findings by
// severity, the files that could not be read (notRead), and the JSON files
// of a directory skipped as no policy.
func lintSummaryText(counts map[lint.Severity]int, notRead, skipped int) string {
	sev := fmt.Sprintf("%s, %s, %s", plural(counts[lint.Error], "error"), plural(counts[lint.Warning], "warning"), plural(counts[lint.Note], "note"))
	switch {
	case notRead > 0:
		sev = fmt.Sprintf("%s; %s not checked (see stderr)", sev, count(notRead, "file could not be read and was", "files could not be read and were"))
	case counts[lint.Error]+counts[lint.Warning]+counts[lint.Note] == 0:
		sev = "no findings"
	}
	if skipped > 0 {
		sev += fmt.Sprintf("; %s skipped as no policy (see stderr)", count(skipped, "JSON file was", "JSON files were"))
	}
	return sev
}

// lintJSONSummary is the summary of lint's JSON: the counts, and the line
// the text output ends with.
type lintJSONSummary struct {
	Errors       int    `json:"errors"`
	Warnings     int    `json:"warnings"`
	Notes        int    `json:"notes"`
	Files        int    `json:"files"`
	FilesNotRead int    `json:"filesNotRead"`
	FilesSkipped int    `json:"filesSkipped"`
	Text         string `json:"text"`
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

type lintJSONFile struct {
	File       string `json:"file"`
	Kind       string `json:"kind,omitempty"`
	KindSource string `json:"kindSource"`
	Parsed     bool   `json:"parsed"`
	Findings   int    `json:"findings"`
}

func writeLintJSON(w io.Writer, results []lint.Result, errs, skipped []lintError) error {
	counts := lintCounts(results)
	out := struct {
		Files        []lintJSONFile    `json:"files"`
		FilesNotRead []lintError       `json:"filesNotRead"`
		FilesSkipped []lintError       `json:"filesSkipped"`
		Findings     []lintJSONFinding `json:"findings"`
		Summary      lintJSONSummary   `json:"summary"`
	}{Files: []lintJSONFile{}, FilesNotRead: append([]lintError{}, errs...), FilesSkipped: append([]lintError{}, skipped...), Findings: []lintJSONFinding{},
		Summary: lintJSONSummary{Errors: counts[lint.Error], Warnings: counts[lint.Warning], Notes: counts[lint.Note],
			Files: len(results), FilesNotRead: len(errs), FilesSkipped: len(skipped), Text: lintSummaryText(counts, len(errs), len(skipped))}}
	for _, r := range results {
		file := lintJSONFile{File: r.Name, KindSource: r.KindSource.String(), Parsed: r.Parsed, Findings: len(r.Findings)}
		if r.KindSource != lint.KindUndetermined {
			file.Kind = lintKindName(r.Kind)
		}
		out.Files = append(out.Files, file)
		for _, f := range r.Findings {
			out.Findings = append(out.Findings, lintJSONFinding{File: f.Pos.Filename, Line: f.Pos.Line, Column: f.Pos.Column, Path: f.Path,
				Rule: f.RuleID, Name: f.Name, Severity: f.Severity.String(), Message: f.Message, Fix: f.Fix})
		}
	}
	return writeIndentedJSON(w, out)
}

// SARIF 2.1.0, the subset code-scanning UIs read.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	ColumnKind  string            `json:"columnKind"`
	Invocations []sarifInvocation `json:"invocations"`
	Artifacts   []sarifArtifactID `json:"artifacts"`
	Results     []sarifResult     `json:"results"`
}

// sarifInvocation says whether the run checked everything it was given.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

// sarifNotification is a path that could not be checked.
type sarifNotification struct {
	Level     string              `json:"level"`
	Message   sarifText           `json:"message"`
	Locations []sarifFileLocation `json:"locations"`
}

type sarifFileLocation struct {
	PhysicalLocation struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
	} `json:"physicalLocation"`
}

// sarifArtifactID is a file that was checked, with the kind it was checked
// as in its property bag.
type sarifArtifactID struct {
	Location   sarifArtifact           `json:"location"`
	Properties sarifArtifactProperties `json:"properties"`
}

type sarifArtifactProperties struct {
	Kind       string `json:"kind,omitempty"`
	KindSource string `json:"kindSource"`
	Parsed     bool   `json:"parsed"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// SemanticVersion is the version when it is a semantic version.
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
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

// writeSARIF writes the findings as SARIF 2.1.0. Columns are counted in
// UTF-16 code units, SARIF's default (policy positions count bytes, and IAM
// allows characters up to U+00FF, two bytes in UTF-8): sources holds each
// file's bytes for the conversion.
func writeSARIF(w io.Writer, results []lint.Result, errs, skipped []lintError, sources map[string][]byte) error {
	v := currentVersion()
	driver := sarifDriver{Name: "iameval", Version: v.short(), SemanticVersion: v.semanticVersion(), InformationURI: "https://github.com/iameval/iameval", Rules: []sarifRule{}}
	index := map[string]int{}
	for _, r := range lint.Rules() {
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{ID: r.ID, Name: r.Name, ShortDescription: sarifText{r.Summary},
			FullDescription: sarifText{r.Help}, Help: sarifText{r.Help}, DefaultConfiguration: sarifRuleDefault{r.Severity.String()}})
	}
	var findings []lint.Finding
	for _, r := range results {
		findings = append(findings, r.Findings...)
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
	inv := sarifInvocation{ExecutionSuccessful: len(errs) == 0, ToolExecutionNotifications: []sarifNotification{}}
	for _, e := range errs {
		var loc sarifFileLocation
		loc.PhysicalLocation.ArtifactLocation.URI = strings.TrimPrefix(e.File, "./")
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error",
			Message: sarifText{"not checked: " + e.Message}, Locations: []sarifFileLocation{loc}})
	}
	for _, e := range skipped {
		var loc sarifFileLocation
		loc.PhysicalLocation.ArtifactLocation.URI = strings.TrimPrefix(e.File, "./")
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "note",
			Message: sarifText{e.Message}, Locations: []sarifFileLocation{loc}})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "utf16CodeUnits", Invocations: []sarifInvocation{inv}, Artifacts: []sarifArtifactID{}, Results: []sarifResult{}}
	for _, r := range results {
		props := sarifArtifactProperties{KindSource: r.KindSource.String(), Parsed: r.Parsed}
		if r.KindSource != lint.KindUndetermined {
			props.Kind = lintKindName(r.Kind)
		}
		run.Artifacts = append(run.Artifacts, sarifArtifactID{Location: sarifArtifact{URI: strings.TrimPrefix(r.Name, "./")}, Properties: props})
	}
	for _, f := range findings {
		msg := f.Message
		if f.Fix != "" {
			msg += ". Fix: " + f.Fix
		}
		line, col := f.Pos.Line, utf16Column(sources[f.Pos.Filename], f.Pos)
		if line < 1 {
			line, col = 1, 1
		}
		run.Results = append(run.Results, sarifResult{RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: f.Severity.String(),
			Message: sarifText{msg}, Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: strings.TrimPrefix(f.Pos.Filename, "./")},
				Region:           sarifRegion{StartLine: line, StartColumn: col}}}}})
	}
	return writeIndentedJSON(w, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// utf16Column converts pos's byte column into UTF-16 code units, counting
// the characters of its line in data before it. Without data it returns
// the byte column.
func utf16Column(data []byte, pos policy.Position) int {
	start := pos.Offset - (pos.Column - 1)
	if data == nil || start < 0 || pos.Offset > len(data) || pos.Column < 1 {
		return pos.Column
	}
	n := 1
	for _, r := range string(data[start:pos.Offset]) {
		n += utf16.RuneLen(r)
	}
	return n
}

// plural is count for a word whose plural takes an s: "1 error", "2 errors".
func plural(n int, word string) string { return count(n, word, word+"s") }
