// Package bench times iameval side by side with its peers (MinIO's policy
// package, cedar-go and OPA) on the workload in workload/: one IAM identity
// policy with MFA conditions and ten (request, context) pairs. It is a module
// of its own so that the iameval library never depends on a peer.
//
// Run it from this directory:
//
//	go test -run TestDecisions ./...        # every engine gives AWS's decisions
//	./run.sh                                # the benchmarks and the ratios
package bench
