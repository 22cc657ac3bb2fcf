package mfa

import (
	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/request"
)

// Vocabulary returns the texts Instances makes the resources of a request
// for a of (the same for every action of a's service), beside the
// policies' own (catalog.Action.Vocabulary): parts are those of the
// resource parts, with every region AWS has when a variable there may be
// filled with one; fields those of the fields before (partition, service,
// region, account), with every region and partition AWS has. Both are nil
// for an action the catalogue does not know.
func Vocabulary(a *catalog.Action) (parts, fields []string) {
	if a == nil {
		return nil, nil
	}
	parts, fields, regional := a.Vocabulary()
	if regional {
		parts = append(parts, awsRegions[:]...)
	}
	fields = append(fields, awsRegions[:]...)
	fields = append(fields, request.Partitions()...)
	return parts, fields
}
