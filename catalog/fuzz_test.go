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
