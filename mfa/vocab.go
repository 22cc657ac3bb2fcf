package mfa

import "github.com/iameval/iameval/catalog"

// Vocabulary returns the texts Instances makes the resource parts of the
// resources of a request for a of, beside the policies' own: the
// catalogue's (catalog.Action.Vocabulary), and every region AWS has when
// a variable of a resource part may be filled with one. nil for an action
// the catalogue does not know.
func Vocabulary(a *catalog.Action) []string {
	if a == nil {
		return nil
	}
	out, regional := a.Vocabulary()
	if regional {
		out = append(out, awsRegions[:]...)
	}
	return out
}
