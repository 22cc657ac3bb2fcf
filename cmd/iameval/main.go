// Command iameval evaluates AWS IAM policies offline: it answers whether a
// request is allowed, explicitly denied or implicitly denied, and why, the
// way AWS's policy simulator does, with MFA as an explicit input.
//
// Usage:
//
//	iameval simulate [flags]   decide requests against policies
//	iameval help [command]     explain a command
//	iameval version            print the version
//
// Run "iameval simulate" with no flags to see the bundled example.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
