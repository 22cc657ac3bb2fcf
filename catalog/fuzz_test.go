package catalog_test

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/condition"
)

// FuzzResourceType feeds the ARN matcher arbitrary policy ARNs against the
// catalogue's formats: it never panics, an instance it builds matches both
// the type's format and the policy's ARN, and a policy ARN it says fits no
// type has no instance.
func FuzzResourceType(f *testing.F) {
	for _, s := range []string{"*", "arn:aws:s3:::b/*", "arn:aws:s3::b/*", "arn:aws:iam::*:user/${aws:username}", "arn:aws:ec2:us-east-1:123456789012:instance/i-?", "arn:*:*:*:*:*", "arn:aws:s3:::", "::::::", "arn:aws:lambda:us-east-1:1:function:f:1"} {
		f.Add(uint16(0), s)
		f.Add(uint16(7), s)
	}
	c := catalog.Default()
	var types []*catalog.ResourceType
	for _, s := range c.Services() {
		types = append(types, s.ResourceTypes...)
	}
	f.Fuzz(func(t *testing.T, pick uint16, arn string) {
		if len(arn) > 300 {
			return
		}
		rt := types[int(pick)%len(types)]
		matches := rt.Matches(arn)
		inst, ok := rt.Instance(arn, map[string]string{"Partition": "aws", "Account": "123456789012"})
		if ok != matches {
			t.Fatalf("%s (%s) and %q: Matches %v, Instance %v", rt.Name, rt.ARN, arn, matches, ok)
		}
		if !ok {
			return
		}
		if !rt.Matches(inst) {
			t.Fatalf("%s (%s): the instance %q of %q does not match the format", rt.Name, rt.ARN, inst, arn)
		}
		if !strings.Contains(arn, "${") {
			p := condition.CompilePattern(arn, condition.PatternOptions{Wildcards: true})
			if !p.Match(inst, false, nil) {
				t.Fatalf("%s (%s): the instance %q does not match the policy's %q", rt.Name, rt.ARN, inst, arn)
			}
		}
	})
}

// FuzzInstanceAvoiding: an instance avoiding a policy ARN matches the type's
// format and the entry and not the avoided ARN; there is none when the
// avoided ARN is the entry itself.
func FuzzInstanceAvoiding(f *testing.F) {
	for _, s := range [][2]string{
		{"arn:aws:s3:::reports/*", "arn:aws:s3:::reports/o*"}, {"*", "arn:aws:s3:::*/o*"}, {"*", "arn:aws:ec2:*:*:instance/i-?*"},
		{"arn:aws:iam::*:user/*", "arn:aws:iam::*:user/*a*"}, {"arn:aws:s3:::b/?", "arn:aws:s3:::b/x"}, {"*", "*"},
	} {
		f.Add(uint16(0), s[0], s[1])
		f.Add(uint16(7), s[0], s[1])
	}
	c := catalog.Default()
	var types []*catalog.ResourceType
	for _, s := range c.Services() {
		types = append(types, s.ResourceTypes...)
	}
	vars := map[string]string{"Partition": "aws", "Account": "123456789012"}
	f.Fuzz(func(t *testing.T, pick uint16, arn, avoid string) {
		if len(arn) > 200 || len(avoid) > 200 {
			return
		}
		rt := types[int(pick)%len(types)]
		if inst, ok := rt.InstanceAvoiding(arn, vars, []string{arn}); ok {
			t.Fatalf("%s (%s): %q avoids %q itself", rt.Name, rt.ARN, inst, arn)
		}
		inst, ok := rt.InstanceAvoiding(arn, vars, []string{avoid})
		if !ok {
			return
		}
		if !rt.Matches(inst) {
			t.Fatalf("%s (%s): %q of %q does not match the format", rt.Name, rt.ARN, inst, arn)
		}
		if strings.Contains(arn, "${") || strings.Contains(avoid, "${") {
			return
		}
		if p := condition.CompilePattern(arn, condition.PatternOptions{Wildcards: true}); !p.Match(inst, false, nil) {
			t.Fatalf("%s (%s): %q does not match the entry %q", rt.Name, rt.ARN, inst, arn)
		}
		if p := condition.CompilePattern(avoid, condition.PatternOptions{Wildcards: true}); p.Match(inst, false, nil) {
			t.Fatalf("%s (%s): %q of %q matches the avoided %q", rt.Name, rt.ARN, inst, arn, avoid)
		}
	})
}
