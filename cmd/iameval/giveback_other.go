//go:build !linux

package main

// giveBack does nothing here: the mapped dump is given back whole once the
// account is made.
func giveBack([]byte) {}
