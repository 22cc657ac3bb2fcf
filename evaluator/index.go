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
}

func buildIndex(stmts []cstmt, patterns [][]string) actionIndex {
	idx := actionIndex{byService: map[string][]int32{}, byAction: map[string][]int32{}}
	for i := range stmts {
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

// candidates returns the statement lists to scan for action: statements
// filed under the exact action (their action matches), under its service,
// and those that may match any action. The three lists are disjoint.
func (x *actionIndex) candidates(action string) (exact, service, always []int32) {
	// Fold to lower case without allocating: the map index expression
	// string(buf[:n]) does not copy.
	var buf [128]byte
	if len(action) > len(buf) {
		return nil, nil, x.always // no literal action is that long
	}
	svcEnd := len(action)
	for i := 0; i < len(action); i++ {
		c := action[i]
		if c >= 0x80 {
			return nil, nil, x.always // AWS actions are ASCII
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == ':' && svcEnd == len(action) {
			svcEnd = i
		}
		buf[i] = c
	}
	return x.byAction[string(buf[:len(action)])], x.byService[string(buf[:svcEnd])], x.always
}
