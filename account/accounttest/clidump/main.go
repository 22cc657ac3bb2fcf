// Command clidump writes a generated account snapshot, as
// "aws iam get-account-authorization-details" prints it through the AWS
// CLI, to standard output: the dumps BENCHMARKS.md and the README measure
// mfa --account on.
//
//	go run ./account/accounttest/clidump -users 20000 > dump-20000.json
//
// -users sets the number of users (groups, roles and managed policies
// follow from it: accounttest.SizesFor); -copies and -admins add the
// inline policies of accounttest.Options. The same flags give the same
// bytes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/iameval/iameval/account/accounttest"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run writes the dump the flags in args ask for to stdout; it returns 2
// for flags it cannot read, as the CLI does.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("clidump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	users := fs.Int("users", 1000, "number of users (at least 1)")
	copies := fs.Bool("copies", false, "give entities copies of the same inline policies (accounttest.Options.Copies)")
	admins := fs.Bool("admins", false, "give one user in 25 an administrator's and one in 25 a power user's policy (accounttest.Options.Admins)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *users < 1 {
		fmt.Fprintln(stderr, "clidump: usage: clidump [-users N] [-copies] [-admins] > dump.json (N at least 1)")
		return 2
	}
	if _, err := stdout.Write(accounttest.CLIDumpWith(*users, accounttest.Options{Copies: *copies, Admins: *admins})); err != nil {
		fmt.Fprintln(stderr, "clidump:", err)
		return 1
	}
	return 0
}
