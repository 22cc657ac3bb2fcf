package evaluator

import "strings"

// actionIndex narrows a policy's statements to those that can match an
// action: statements whose every Action pattern names a literal service
// prefix ("s3:Get*") are filed under that prefix; the rest (NotAction, "*",
// a wildcard in the prefix) are candidates for every action. Lists hold
// statement indexes in document order.
type actionIndex struct {
	byService map[string][]int32
	// byAction files statements whose every Action is a literal
	// "service:Action" under the lower-cased action; such a statement's
	// action is known to match when it is found here.
	byAction map[string][]int32
	always   []int32
	// all lists every statement, for an action the index cannot fold
	// (see actionKey)
	all []int32
}

func buildIndex(stmts []cstmt, patterns [][]string) actionIndex {
	idx := actionIndex{byService: map[string][]int32{}, byAction: map[string][]int32{}, all: make([]int32, len(stmts))}
	for i := range stmts {
		idx.all[i] = int32(i)
		services, ok := literalServices(stmts[i].notAction, patterns[i])
		if !ok {
			idx.always = append(idx.always, int32(i))
			continue
		}
		if literalActions(patterns[i]) {
			for _, p := range patterns[i] {
				a := strings.ToLower(p)
				list := idx.byAction[a]
				if len(list) == 0 || list[len(list)-1] != int32(i) {
					idx.byAction[a] = append(list, int32(i))
				}
			}
			continue
		}
		for _, svc := range services {
			list := idx.byService[svc]
			if len(list) == 0 || list[len(list)-1] != int32(i) {
				idx.byService[svc] = append(list, int32(i))
			}
		}
	}
	return idx
}

// literalServices returns the lower-cased service prefixes of an Action
// list, or false when some pattern could match several services.
func literalServices(not bool, patterns []string) ([]string, bool) {
	if not || len(patterns) == 0 {
		return nil, false
	}
	var out []string
	for _, p := range patterns {
		svc, _, ok := strings.Cut(p, ":")
		if !ok || strings.ContainsAny(svc, "*?") || strings.Contains(p, "${") {
			return nil, false
		}
		out = append(out, strings.ToLower(svc))
	}
	return out, true
}

// literalActions reports whether every pattern is a plain "service:Action"
// without wildcards.
func literalActions(patterns []string) bool {
	for _, p := range patterns {
		if strings.ContainsAny(p, "*?") {
			return false
		}
	}
	return true
}

// actionKey is a request's action folded to lower case once per request,
// for the index and the service buckets of every policy: the map index
// expression string(buf[:n]) does not copy, so looking it up does not
// allocate. ok is false for an action it cannot fold (longer than the
// buffer, or not ASCII, as AWS's actions are); such an action is checked
// against every statement.
type actionKey struct {
	buf       [128]byte
	n, svcEnd int
	ok        bool
}

// set folds action into k.
func (k *actionKey) set(action string) {
	k.ok = false
	if len(action) > len(k.buf) {
		return
	}
	k.n, k.svcEnd = len(action), len(action)
	for i := 0; i < len(action); i++ {
		c := action[i]
		if c >= 0x80 {
			return
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == ':' && k.svcEnd == len(action) {
			k.svcEnd = i
		}
		k.buf[i] = c
	}
	k.ok = true
}

// candidates returns the statement lists to scan for the action k holds:
// statements filed under the exact action (their action matches), under its
// service, and those that may match any action. The three lists are
// disjoint. An action the index cannot fold (longer than its buffer, or not
// ASCII) is checked against every statement: "s3:*" matches
// "s3:GetObjectÄ" as it matches any action of s3.
func (x *actionIndex) candidates(k *actionKey) (exact, service, always []int32) {
	if !k.ok {
		return nil, nil, x.all
	}
	return x.byAction[string(k.buf[:k.n])], x.byService[string(k.buf[:k.svcEnd])], x.always
}

// bucketMin is the number of Action (or NotAction) patterns from which a
// statement files its patterns by service, so that an action is tried
// against its own service's patterns alone: a ReadOnlyAccess-shaped
// statement of 1,500 patterns over 237 services then costs an action about
// what a statement of its service's few patterns does.
const bucketMin = 16

// serviceBuckets files the patterns of one statement by their lower-cased
// literal service, or returns nil when the statement has fewer than
// bucketMin patterns or a pattern that could match several services.
func serviceBuckets(patterns []string) map[string][]int32 {
	if len(patterns) < bucketMin {
		return nil
	}
	services, ok := literalServices(false, patterns)
	if !ok {
		return nil
	}
	b := map[string][]int32{}
	for i, svc := range services {
		b[svc] = append(b[svc], int32(i))
	}
	return b
}
