package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/iameval/iameval/suite"
)

const testHelp = `Usage: iameval test [flags] PATH...

Runs policy test suites: JSON files (*.iamtest.json) that name policies and
policy sets and list requests with the decision they must get. A PATH is a
suite file (or file://FILE, or - for a suite on stdin, whose policy files are
read relative to the current directory) or a directory, searched for
*.iamtest.json files. Suites run in
parallel; output is in a fixed order.

Each failure prints the case's file:line:col, what was expected and what came,
and the trace of the decision: which statement decided, and why every other
statement did not apply. The last line counts the cases: "N passed, M failed".

The suite format is in the README (and in go doc ./suite). In short:

  {"policies": {"force-mfa": "policies/force-mfa.json"},
   "cases": [{"name": "delete needs MFA", "set": "force-mfa",
              "action": "s3:DeleteObject", "resource": "arn:aws:s3:::b/k",
              "expect": {"LT": "explicitDeny", "TMP": "explicitDeny", "FRESH": "allowed"}}]}

Requests model live requests: each case's principal keys (aws:username,
aws:PrincipalArn, ...) are derived from its principal as AWS sends them, then
the scenario and the case's context apply.

Every policy and set a suite names is loaded and checked, whether a case uses it
or not. --run selects cases by name; a --run that selects none fails (exit 1):
nothing checked is never a pass.

Exit codes: 0 all cases pass; 1 some case fails, or --run matched none; 2 a
suite cannot be read or is invalid (printed as file:line:col: message), or bad
usage.

Examples:
  iameval test testdata/
  iameval test --run 'MFA|P7' -v examples/
  iameval test --junit report.xml -o json examples/ > report.json

Flags:
`

// suiteRun is one suite file's outcome.
type suiteRun struct {
	file     string
	err      error
	results  []caseResult
	duration time.Duration
}

type caseResult struct {
	name     string
	pos      string
	pass     bool
	expected string
	got      string
	problem  string
	trace    string
	duration time.Duration
}

func runTest(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := newGrammar("test", testHelp)
	var runPat, junit, output string
	var verbose bool
	g.string(&runPat, "run", "", "", "run only the cases whose name matches `REGEX`")
	g.string(&output, "output", "o", "table", "output `FORMAT`: table (one line per failure, then the counts; text is the same), json, or junit (JUnit XML)")
	g.string(&junit, "junit", "", "", "also write a JUnit XML report to `FILE`")
	g.fs.BoolVarP(&verbose, "verbose", "v", false, "print passing cases too")
	g.alias(alias{name: "json", flag: "output", value: "json", why: "older spelling"})
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	usageErr := usageError(stderr, "test")
	output, err := outputFormat(output, "table", "json", "junit")
	if err != nil {
		return usageErr("%v", err)
	}
	flags := g.fs
	var re *regexp.Regexp
	if runPat != "" {
		var err error
		if re, err = regexp.Compile(runPat); err != nil {
			return usageErr("--run: %v", err)
		}
	}
	if flags.NArg() == 0 {
		return usageErr("no paths: iameval test PATH...")
	}
	files, err := suiteFiles(flags.Args(), newOpener(stdin, stderr))
	if err != nil {
		fmt.Fprintf(stderr, "iameval test: %v\n", err)
		return exitUsage
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "iameval test: no *.iamtest.json files in %s\n", strings.Join(flags.Args(), " "))
		return exitUsage
	}
	runs := runSuites(files, re)

	invalid, failed, passed := 0, 0, 0
	for _, r := range runs {
		if r.err != nil {
			invalid++
		}
		for _, c := range r.results {
			if c.pass {
				passed++
			} else {
				failed++
			}
		}
	}
	noMatch := ""
	if re != nil && passed+failed == 0 && invalid == 0 {
		noMatch = runPat
	}
	summary := testSummaryText(passed, failed, invalid, noMatch)
	var werr error
	switch output {
	case "json":
		werr = writeTestJSON(stdout, runs, passed, failed, summary)
	case "junit":
		werr = writeJUnit(stdout, runs)
	default:
		writeTestText(stdout, runs, verbose, summary)
	}
	if werr != nil {
		fmt.Fprintf(stderr, "iameval test: %v\n", werr)
		return exitUsage
	}
	for _, r := range runs {
		if r.err != nil {
			fmt.Fprintln(stderr, r.err)
		}
	}
	if junit != "" {
		if err := writeJUnitFile(junit, runs); err != nil {
			fmt.Fprintf(stderr, "iameval test: --junit: %v\n", err)
			return exitUsage
		}
	}
	switch {
	case invalid > 0:
		return exitUsage
	case failed > 0:
		return exitCheck
	case re != nil && passed == 0:
		fmt.Fprintf(stderr, "iameval test: no cases matched --run %q: nothing was checked\n", runPat)
		return exitCheck
	}
	return exitOK
}

// suiteSrc is a suite file read: its name, its contents, the directory its
// policy files are relative to, or why it could not be read.
type suiteSrc struct {
	name string
	data []byte
	dir  string
	err  error
}

// suiteFiles reads the suites the paths name, as every command opens files
// (see opener): a directory stands for its *.iamtest.json files
// (recursively, sorted, without hidden directories), "-" for stdin.
func suiteFiles(paths []string, o *opener) ([]suiteSrc, error) {
	var out []suiteSrc
	seen := map[string]bool{}
	add := func(arg string) {
		path := filePath(arg)
		if path != "-" && seen[path] {
			return
		}
		seen[path] = true
		src := suiteSrc{name: path, dir: filepath.Dir(path)}
		if path == "-" {
			src.name, src.dir = stdinName, "."
		}
		f, err := o.read("test PATH", arg)
		if err != nil {
			src.err = err
		} else {
			src.name, src.data = f.name, f.data
		}
		out = append(out, src)
	}
	for _, arg := range paths {
		if !isDir(arg) {
			if _, err := os.Stat(filePath(arg)); err != nil && filePath(arg) != "-" {
				return nil, err
			}
			add(arg)
			continue
		}
		dir := filePath(arg)
		found, err := walkFiles(dir, func(name string) bool { return strings.HasSuffix(name, ".iamtest.json") })
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}

// runSuites loads and runs the suites on every core; the result order is the
// order of files.
func runSuites(files []suiteSrc, re *regexp.Regexp) []suiteRun {
	runs := make([]suiteRun, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				runs[i] = runSuite(files[i], re)
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return runs
}

func runSuite(src suiteSrc, re *regexp.Regexp) suiteRun {
	start := time.Now()
	run := suiteRun{file: src.name}
	if src.err != nil {
		run.err = src.err
		return run
	}
	f := newSrcFile(src.name, src.data)
	if len(strings.TrimSpace(string(src.data))) == 0 {
		run.err = f.jsonError()
		return run
	}
	s, err := suite.Parse(src.name, src.data, func(name string) ([]byte, string, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(src.dir, name)
		}
		b, err := os.ReadFile(name)
		return b, name, err
	})
	if err != nil {
		run.err = err
		return run
	}
	sim := &simulation{display: map[string]string{}}
	for _, c := range s.Cases {
		if re != nil && !re.MatchString(c.Name) {
			continue
		}
		t0 := time.Now()
		r := c.Run()
		cr := caseResult{name: c.Name, pos: c.Pos.String(), pass: r.Pass, expected: c.Expect.String(),
			got: r.Decision.Verdict.String(), problem: r.Problem}
		if !r.Pass {
			cr.trace = caseTrace(c, sim)
		}
		cr.duration = time.Since(t0)
		run.results = append(run.results, cr)
	}
	for _, c := range s.Invalid {
		name := "invalid/" + c.Name
		if re != nil && !re.MatchString(name) {
			continue
		}
		ok, msg := c.Check()
		run.results = append(run.results, caseResult{name: name, pos: c.Pos.String(), pass: ok,
			expected: "error " + c.Code, got: msg, problem: msg})
	}
	run.duration = time.Since(start)
	return run
}

// caseTrace explains a case's decision, statement by statement.
func caseTrace(c *suite.Case, sim *simulation) string {
	ex := c.Engine.Explain(c.Request)
	var b strings.Builder
	caller := c.Request.Principal
	if caller == "" {
		caller = "none"
	}
	fmt.Fprintf(&b, "request: caller %s, action %s, resource %s\n", caller, c.Request.Action, c.Request.Resource)
	b.WriteString("context: a live request (the caller's principal keys derived), then the scenario and the case's context\n")
	writeKeys(&b, c.Request, "  ")
	fmt.Fprintf(&b, "decided by: %s\n", sim.decidedBy(&ex.Decision, c.Request.Action))
	width := 28
	for _, tr := range ex.Statements {
		width = max(width, len(stmtName(tr.MatchedStatement)))
	}
	for _, tr := range ex.Statements {
		fmt.Fprintf(&b, "%-5s %-*s %s: %s\n", tr.Effect, width, stmtName(tr.MatchedStatement), sim.where(tr.MatchedStatement), traceReason(&tr, c.Request.Action, c.Request.Resource))
	}
	if m := ex.Decision.MissingContextValues(); len(m) > 0 {
		fmt.Fprintf(&b, "missing context values: %s\n", strings.Join(m, ", "))
	}
	return b.String()
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix) + "\n"
}

func writeTestText(w io.Writer, runs []suiteRun, verbose bool, summary string) {
	var b strings.Builder
	for _, r := range runs {
		if r.err != nil {
			fmt.Fprintf(&b, "FAIL %s (invalid suite)\n", r.file)
			continue
		}
		p, f := 0, 0
		for _, c := range r.results {
			if c.pass {
				p++
				if verbose {
					fmt.Fprintf(&b, "--- PASS: %s\n", c.name)
				}
				continue
			}
			f++
			fmt.Fprintf(&b, "--- FAIL: %s (%s)\n", c.name, c.pos)
			b.WriteString(indent(c.problem, "    "))
			if c.trace != "" {
				b.WriteString(indent(c.trace, "    "))
			}
		}
		status := "ok  "
		switch {
		case f > 0:
			status = "FAIL"
		case p == 0:
			status = "none" // nothing was checked: never "ok"
		}
		fmt.Fprintf(&b, "%s %s\t%d passed, %d failed\n", status, r.file, p, f)
	}
	b.WriteString(summary + "\n")
	io.WriteString(w, wrapText(b.String(), tableWidth))
}

// testSummaryText is the last line of test's text output: the cases that
// passed and failed, and why nothing else counts: invalid suites, a --run
// pattern (noMatch) that selected no case.
func testSummaryText(passed, failed, invalid int, noMatch string) string {
	s := fmt.Sprintf("%d passed, %d failed", passed, failed)
	if invalid > 0 {
		s += fmt.Sprintf("; %s (see stderr)", count(invalid, "suite is invalid and was not run", "suites are invalid and were not run"))
	}
	if noMatch != "" {
		s += fmt.Sprintf("; no case matched --run %q: nothing was checked", noMatch)
	}
	return s
}

func writeTestJSON(w io.Writer, runs []suiteRun, passed, failed int, summary string) error {
	type jcase struct {
		Name     string `json:"name"`
		Position string `json:"position"`
		Pass     bool   `json:"pass"`
		Expected string `json:"expected"`
		Got      string `json:"got"`
		Problem  string `json:"problem,omitempty"`
		Trace    string `json:"trace,omitempty"`
	}
	type jsuite struct {
		File   string  `json:"file"`
		Error  string  `json:"error,omitempty"`
		Passed int     `json:"passed"`
		Failed int     `json:"failed"`
		Cases  []jcase `json:"cases"`
	}
	// the summary: the cases, the suites (invalid ones too), and the line
	// the text output ends with
	type jsummary struct {
		Passed        int    `json:"passed"`
		Failed        int    `json:"failed"`
		Suites        int    `json:"suites"`
		InvalidSuites int    `json:"invalidSuites"`
		Text          string `json:"text"`
	}
	out := struct {
		Suites  []jsuite `json:"suites"`
		Summary jsummary `json:"summary"`
	}{Suites: []jsuite{}, Summary: jsummary{Passed: passed, Failed: failed, Suites: len(runs), Text: summary}}
	for _, r := range runs {
		js := jsuite{File: r.file, Cases: []jcase{}}
		if r.err != nil {
			js.Error = r.err.Error()
			out.Summary.InvalidSuites++
		}
		for _, c := range r.results {
			if c.pass {
				js.Passed++
			} else {
				js.Failed++
			}
			js.Cases = append(js.Cases, jcase{Name: c.name, Position: c.pos, Pass: c.pass, Expected: c.expected, Got: c.got, Problem: c.problem, Trace: c.trace})
		}
		out.Suites = append(out.Suites, js)
	}
	return writeIndentedJSON(w, out)
}

// JUnit XML, as Jenkins, GitLab and GitHub test reporters read it.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
	Error    *junitError `xml:"error,omitempty"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

type junitError struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// writeJUnitFile writes the JUnit XML report to the file path.
func writeJUnitFile(path string, runs []suiteRun) error {
	var b strings.Builder
	if err := writeJUnit(&b, runs); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// writeJUnit writes the JUnit XML report to w.
func writeJUnit(w io.Writer, runs []suiteRun) error {
	var doc junitSuites
	for _, r := range runs {
		js := junitSuite{Name: r.file, Time: seconds(r.duration)}
		if r.err != nil {
			js.Errors = 1
			js.Error = &junitError{Message: "invalid suite", Body: r.err.Error()}
		}
		for _, c := range r.results {
			jc := junitCase{Name: c.name, Classname: r.file, Time: seconds(c.duration)}
			if !c.pass {
				js.Failures++
				jc.Failure = &junitFailure{Message: c.problem, Type: "decision", Body: c.pos + "\n" + c.problem + "\n" + c.trace}
			}
			js.Tests++
			js.Cases = append(js.Cases, jc)
		}
		doc.Tests += js.Tests
		doc.Failures += js.Failures
		doc.Errors += js.Errors
		doc.Suites = append(doc.Suites, js)
	}
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, xml.Header+string(data)+"\n")
	return err
}
