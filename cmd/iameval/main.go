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

import (
	"os"
	"runtime"
)

func main() {
	// iameval writes no heap profile: sampling allocations for one would
	// hold about 1.4 MB of the runtime's memory in a large run
	runtime.MemProfileRate = 0
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
