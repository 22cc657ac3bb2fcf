package evaluator

import "strings"

// actionIndex narrows a policy's statements to those that can match an
// action: statements whose every Action pattern names a literal service
// prefix ("s3:Get*") are filed under that prefix; the rest (NotAction, "*",
// a wildcard in the prefix) are candidates for every action. Lists hold
// statement indexes in document order.
type actionIndex struct {
	byService map[string][]int32
	always    []int32
}

func buildIndex(stmts []cstmt, patterns [][]string) actionIndex {
	idx := actionIndex{byService: map[string][]int32{}}
	for i := range stmts {
		services, ok := literalServices(stmts[i].notAction, patterns[i])
		if !ok {
			idx.always = append(idx.always, int32(i))
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

// candidates returns the statement lists to scan for action: the list for
// its service and the list of statements that may match any action. The two
// lists are disjoint.
func (x *actionIndex) candidates(action string) ([]int32, []int32) {
	svc := action
	if i := strings.IndexByte(action, ':'); i >= 0 {
		svc = action[:i]
	}
	if list, ok := x.byService[svc]; ok {
		return list, x.always
	}
	// AWS service prefixes are lower case; fold without allocating.
	var buf [64]byte
	if len(svc) > len(buf) {
		return nil, x.always
	}
	for i := 0; i < len(svc); i++ {
		c := svc[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return x.byService[string(buf[:len(svc)])], x.always
}
