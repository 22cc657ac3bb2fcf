package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Exit codes.
const (
	exitOK    = 0 // success
	exitCheck = 1 // a check failed (a decision differed from --expect)
	exitUsage = 2 // bad usage or unreadable input
)

const usage = `iameval evaluates AWS IAM policies offline, the way AWS decides.

Usage:

  iameval <command> [flags]

Commands:

  simulate   decide requests against policies (offline simulate-custom-policy)
  mfa        what each action needs: MFA required, not required, never allowed;
             the largest MFA age allowed; the bypasses, with fixes
  lint       IAM grammar errors and MFA pitfalls, as text, JSON or SARIF
  test       run policy test suites (*.iamtest.json): expected decisions, for CI
  expand     the actions AWS knows that a pattern (s3:*Object) or a policy's
             Action and NotAction match, with their access levels
  diff       what a policy change flips: new or lost access, MFA weakened or
             strengthened, per principal, action, resource and credentials
  who-can    every way a request gets allowed in an account: directly, or
             through role assumptions, with the credentials each needs
  paths      where a principal can get: the roles it reaches and the
             privilege escalations open to it, with their MFA needs
  serve      an HTTP server deciding requests for services: a JSON decision
             API and the IAM Query API, reloading policies live
  help       explain a command: iameval help simulate
  version    print the version, and the catalogue of AWS's actions built in

Run "iameval simulate" with no flags for a worked example: a force-MFA policy
decided for long-term access keys, a session without MFA, and a session with MFA.

Exit codes: 0 success, 1 a check failed, 2 bad usage or unreadable input.
`

// run is the whole program: main only passes the process's arguments and
// streams, so that tests call run directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if !asksHelp(args) {
		return dispatch(args, stdin, stdout, stderr)
	}
	// help that could not be written is an error, as every command's
	// output is (help needs no terminal: its writer may be wrapped)
	hw := &errWriter{w: stdout}
	code := dispatch(args, stdin, hw, stderr)
	if hw.err != nil {
		name := "help"
		if args[0] != "help" && !strings.HasPrefix(args[0], "-") {
			name = args[0]
		}
		fmt.Fprintf(stderr, "iameval %s: %v\n", name, hw.err)
		return exitUsage
	}
	return code
}

// asksHelp reports whether args ask for help: iameval help, or a command's
// -h, -help or --help.
func asksHelp(args []string) bool {
	for i, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		case "help":
			if i == 0 {
				return true
			}
		case "--":
			return false
		}
	}
	return false
}

// dispatch runs the command args name.
func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "simulate":
		return runSimulate(args[1:], stdin, stdout, stderr)
	case "mfa":
		return runMFA(args[1:], stdin, stdout, stderr)
	case "lint":
		return runLint(args[1:], stdin, stdout, stderr)
	case "test":
		return runTest(args[1:], stdin, stdout, stderr)
	case "expand":
		return runExpand(args[1:], stdin, stdout, stderr)
	case "diff":
		return runDiff(args[1:], stdin, stdout, stderr)
	case "who-can":
		return runWhoCan(args[1:], stdin, stdout, stderr)
	case "paths":
		return runPaths(args[1:], stdin, stdout, stderr)
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		return runVersion(args[1:], stdout, stderr)
	case "help", "-h", "--help", "-help":
		return runHelp(args, stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "iameval: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// runHelp is iameval help [COMMAND]: args[0] is "help" or a flag for it.
func runHelp(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 1 || args[1] == "help" {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if slices.Contains(commands, args[1]) {
		return dispatch([]string{args[1], "--help"}, stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "iameval help: unknown command %q\n\n%s", args[1], usage)
	return exitUsage
}

// commands are the commands iameval help explains, by their -help.
var commands = []string{"simulate", "mfa", "lint", "test", "expand", "diff", "who-can", "paths", "serve", "version"}

const versionHelp = `Usage: iameval version [flags]

Prints the module version (v1.2.3 when installed with go install ...@v1.2.3; a
pseudo-version such as v0.0.0-20261130121500-1a2b3c4d5e6f, or (devel), when
built from a checkout), the VCS revision when the build recorded one (-dirty
for uncommitted changes), and the Go version. -o json prints them as JSON, the
revision as the whole commit id (what CI and pre-commit pin). A second line
names the catalogue of AWS's actions built in (iameval expand, and the
warnings for actions AWS does not know): its source, version and date.

Flags:
`

func runVersion(args []string, stdout, stderr io.Writer) int {
	g := newGrammar("version", versionHelp)
	var output string
	g.string(&output, "output", "o", "table", "output `FORMAT`: table (two lines: iameval, the catalogue) or json")
	if code, done := g.parse(args, stdout, stderr); done {
		return code
	}
	if g.fs.NArg() > 0 {
		return usageError(stderr, "version")("unexpected argument %q", g.fs.Arg(0))
	}
	var err error
	output, err = outputFormat(output, "table", "json")
	if err != nil {
		return usageError(stderr, "version")("%v", err)
	}
	err = writeVersion(stdout, currentVersion(), output == "json")
	if err != nil {
		fmt.Fprintf(stderr, "iameval version: %v\n", err)
		return exitUsage
	}
	return exitOK
}
