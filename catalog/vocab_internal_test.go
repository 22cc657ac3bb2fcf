package catalog

import (
	"slices"
	"testing"
)

// Vocabulary's parts hold every text a variable of a resource part is
// filled with when nothing else fills it (compileFilled's names, in every
// variant), for every resource type of the catalogue: the template classes
// of mfa --account compare a user's name with them, so a text missing here
// is a text a name could overlap unchecked.
func TestVocabularyHoldsResourcePartPlaceholders(t *testing.T) {
	checked := 0
	for _, s := range Default().Services() {
		if len(s.Actions) == 0 {
			continue
		}
		parts, _, _ := s.Actions[0].Vocabulary()
		for _, rt := range s.ResourceTypes {
			for v := range placeholderVariants {
				f := compileFilled(rt.ARN, nil, false, v)
				colons := 0
				for i, tok := range f.tokens {
					if tok.kind == tokLiteral && tok.b == ':' {
						colons++
					}
					name, ok := f.names[i]
					if !ok || colons < 5 {
						continue
					}
					checked++
					if !slices.Contains(parts, name) {
						t.Errorf("%s %s variant %d: the resource part's placeholder %q is not in Vocabulary's parts", s.Prefix, rt.ARN, v, name)
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d placeholders checked: the walk missed the resource parts", checked)
	}
}

// A variable of a resource part is filled as anything (classAny): never
// with the placeholders of a partition, a region or an account, which
// only the fields before get (compileFilled gives a variable its class by
// its field). So those are not among the parts, where a user's name
// ending in "1" would overlap "123456789012" and be analysed alone for
// nothing: only the variables named as fields (regional) may get them.
func TestVocabularyPartsHoldOnlyResourcePartPlaceholders(t *testing.T) {
	for _, a := range []string{"iam:CreateAccessKey", "s3:GetObject", "ec2:RunInstances", "sts:AssumeRole"} {
		parts, _, regional := Default().Action(a).Vocabulary()
		if regional {
			t.Fatalf("%s: regional, want a service without ${Region} in a resource part", a)
		}
		for _, bad := range []string{"123456789012", "us-east-1", "eu-west-1", "ap-southeast-2"} {
			if slices.Contains(parts, bad) {
				t.Errorf("%s: parts hold %q, which no resource part of the service is filled with", a, bad)
			}
		}
	}
}
