package catalog

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/iameval/iameval/condition"
)

// TestInstanceCacheKeepsWhatARunAsksAgain: a run asks for a few instances
// again and again (a team bucket, "*") and for many once (a policy per
// user naming the user's own prefix). However many it asks for once, the
// ones it keeps asking for stay cached, and the cache stays bounded.
func TestInstanceCacheKeepsWhatARunAsksAgain(t *testing.T) {
	c := &instanceCache{}
	shared := instanceKey{key: "arn:aws:s3:::team/*"}
	built := 0
	get := func(key instanceKey) {
		if _, ok := c.get(key); !ok {
			built++
			c.Lock()
			c.put(key, []string{key.key})
			c.Unlock()
		}
	}
	for i := 0; i < 3*maxInstanceCache; i++ {
		get(instanceKey{key: fmt.Sprintf("arn:aws:s3:::home/user%d/*", i)})
		if i > 3*maxInstanceCache/2 && i%1000 == 0 {
			// first asked for once the cache is full
			get(shared)
		}
	}
	if want := 3*maxInstanceCache + 1; built != want {
		t.Errorf("%d instances made, want %d: the shared one was made again once the cache filled", built, want)
	}
	if n := c.m.Len(); n > 2*maxInstanceCache {
		t.Errorf("%d entries cached, more than 2 × %d", n, maxInstanceCache)
	}
}

// TestFilledOfAsCompileFilled: the formats the catalogue keeps
// (ResourceType.filledOf) are compileFilled's for the type, the vars, the
// choice of literal and the variant, whichever was asked before: every
// type of the catalogue, with vars of two accounts and regions asked in
// turn, and past the bound.
func TestFilledOfAsCompileFilled(t *testing.T) {
	c := Default()
	varsOf := []map[string]string{
		{"Partition": "aws", "Account": "111111111111"},
		{"Partition": "aws", "Account": "222222222222"},
		{"Partition": "aws", "Account": "111111111111", "Region": "eu-west-1"},
		{"Partition": "aws-cn"},
		nil,
	}
	var types []*ResourceType
	for _, svc := range c.Services() {
		types = append(types, svc.ResourceTypes...)
	}
	n := 0
	// 200 types, spread over the catalogue
	for k := 0; k < 200; k++ {
		rt := types[k*len(types)/200]
		for round := 0; round < 2; round++ {
			for _, vars := range varsOf {
				for _, literal := range []bool{true, false} {
					for v := 0; v < placeholderVariants; v++ {
						got := rt.filledOf(varsKey("", vars), vars, literal, v)
						want := compileFilled(rt.ARN, vars, literal, v)
						n++
						if fmt.Sprint(got) != fmt.Sprint(want) {
							t.Fatalf("%s %v literal %v variant %d: filledOf = %v, want %v", rt.ARN, vars, literal, v, got, want)
						}
					}
				}
			}
		}
	}
	if n <= 3*maxFilled {
		t.Fatalf("only %d asked: the bound was not passed", n)
	}
	if l := c.instances.filled.Len(); l > 2*maxFilled {
		t.Errorf("%d formats kept, more than 2 × %d", l, maxFilled)
	}
}

// TestVarsKeyTellsVarsApart: the vars of two callers never share a key,
// whatever bytes their values hold (a NUL, an '=').
func TestVarsKeyTellsVarsApart(t *testing.T) {
	a := map[string]string{"Account": "1\x00Partition=aws"}
	b := map[string]string{"Account": "1", "Partition": "aws"}
	if varsKey("x", a) == varsKey("x", b) {
		t.Errorf("varsKey(%q) = varsKey(%q) = %q", a, b, varsKey("x", a))
	}
	if varsKey("x\x00Account=1", nil) == varsKey("x", map[string]string{"Account": "1"}) {
		t.Errorf("an ARN and vars share a key")
	}
}

// TestInstanceAvoidingKeysTellAvoidApart: the instances kept for one list
// of avoided entries are never another list's, whatever bytes the entries
// hold (["a\x01b"] is not ["a", "b"]).
func TestInstanceAvoidingKeysTellAvoidApart(t *testing.T) {
	var object *ResourceType
	for _, rt := range Default().Service("s3").ResourceTypes {
		if rt.Name == "object" {
			object = rt
		}
	}
	if object == nil {
		t.Fatal("no s3 object type")
	}
	vars := map[string]string{"Partition": "aws"}
	one := []string{"arn:aws:s3:::b/o*\x01arn:aws:s3:::b/x*"}
	two := []string{"arn:aws:s3:::b/o*", "arn:aws:s3:::b/x*"}
	first, ok := object.InstanceAvoiding("arn:aws:s3:::b/*", vars, one)
	if !ok {
		t.Fatal("no instance avoiding one odd entry")
	}
	got, ok := object.InstanceAvoiding("arn:aws:s3:::b/*", vars, two)
	if !ok {
		t.Fatal("no instance avoiding b/o* and b/x*")
	}
	for _, a := range two {
		if condition.MatchWildcard(a, got, false) {
			t.Errorf("InstanceAvoiding(%q) = %q, which %s matches (the instance kept for %q was %q)", two, got, a, one, first)
		}
	}
}

// TestVariantsSkipOnlyAlikeChoices: variants, which skips a choice of
// placeholders that fills the format as one tried before
// (ResourceType.sameVariant), returns what trying every choice returns,
// in the same order: every type of a spread of the catalogue, with policy
// ARNs of several shapes (the type's own format, wildcards, regions,
// accounts, names), for callers with and without an account and region.
func TestVariantsSkipOnlyAlikeChoices(t *testing.T) {
	c := Default()
	var types []*ResourceType
	for _, svc := range c.Services() {
		types = append(types, svc.ResourceTypes...)
	}
	varsOf := []map[string]string{
		{"Partition": "aws", "Account": "111111111111"},
		{"Partition": "aws", "Account": "111111111111", "Region": "eu-west-1"},
		nil,
	}
	skipped := 0
	for k := 0; k < 300; k++ {
		rt := types[k*len(types)/300]
		arns := []string{"*", rt.ARN, strings.ReplaceAll(rt.ARN, "${Region}", "us-east-1"),
			"arn:aws:*:*:*:*", "arn:aws:s3:::home/user5/*", "arn:aws:ec2:*:*:instance/i-?*", "arn:aws:iam::*:user/${aws:username}"}
		if i := strings.LastIndexAny(rt.ARN, "/:"); i > 0 {
			arns = append(arns, rt.ARN[:i+1]+"o*", rt.ARN[:i+1]+"*")
		}
		for _, arn := range arns {
			for _, vars := range varsOf {
				// every choice, as variants made them before it skipped
				p := compileARN(arn)
				vk := varsKey("", vars)
				var want []string
				for v := 0; v < placeholderVariants; v++ {
					s, ok := rt.variant(p, vars, vk, v)
					if !ok {
						break
					}
					if !slices.Contains(want, s) {
						want = append(want, s)
					}
				}
				got := rt.variants(arn, vars)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%s (%s), %q, %v: variants = %q, every choice gives %q", rt.Name, rt.ARN, arn, vars, got, want)
				}
				for v := 1; v < placeholderVariants; v++ {
					if rt.sameVariant(vk, vars, v, []int{0}) {
						skipped++
					}
				}
			}
		}
	}
	if skipped == 0 {
		t.Fatal("no choice was skipped: the test shows nothing")
	}
}
