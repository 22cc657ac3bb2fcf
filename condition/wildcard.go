package condition

import (
	"strings"
	"unicode/utf8"
)

// MatchWildcard reports whether s matches pattern, read as a wildcard
// pattern ('*' any run, '?' one character) without policy variables: what
// CompilePattern(pattern, PatternOptions{Wildcards: true}).Match(s, fold,
// nil) reports, without compiling the pattern or allocating. fold makes the
// comparison ignore letter case (simple Unicode lower-casing). It is for
// analyses that match a policy's values once each (policy.List.Match).
func MatchWildcard(pattern, s string, fold bool) bool {
	if !strings.ContainsAny(pattern, "*?") {
		if fold {
			n, ok := foldPrefix(s, pattern)
			return ok && n == len(s)
		}
		return s == pattern
	}
	// the parts between stars, as Pattern's segments
	first, rest, starred := strings.Cut(pattern, "*")
	pos, ok := wildAt(first, s, 0, fold)
	if !ok {
		return false
	}
	if !starred {
		return pos == len(s)
	}
	mid, last := "", rest
	if k := strings.LastIndexByte(rest, '*'); k >= 0 {
		mid, last = rest[:k], rest[k+1:]
	}
	start, ok := wildBack(last, s, len(s), fold)
	if !ok || start < pos {
		return false
	}
	// the middle parts, leftmost first: Pattern.Match's search, step for
	// step (written twice: sharing it through a function value made
	// BenchmarkPatternPathological a fifth slower)
	for mid != "" {
		seg, more, _ := strings.Cut(mid, "*")
		mid = more
		if seg == "" {
			continue
		}
		found := false
		for i := pos; i <= start; {
			if !fold && seg[0] != '?' {
				lit := seg
				if k := strings.IndexByte(seg, '?'); k >= 0 {
					lit = seg[:k]
				}
				j := strings.Index(s[i:start], lit)
				if j < 0 {
					return false
				}
				i += j
			}
			if end, ok := wildAt(seg, s, i, fold); ok && end <= start {
				pos, found = end, true
				break
			}
			if i == len(s) {
				break
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
		if !found {
			return false
		}
	}
	return true
}

// wildAt matches seg, a part of a wildcard pattern without stars, against s
// from i, as matchAt does its segment, and returns where it ends.
func wildAt(seg, s string, i int, fold bool) (int, bool) {
	for seg != "" {
		if seg[0] == '?' {
			if i >= len(s) {
				return 0, false
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
			seg = seg[1:]
			continue
		}
		lit := seg
		if k := strings.IndexByte(seg, '?'); k >= 0 {
			lit = seg[:k]
		}
		seg = seg[len(lit):]
		if fold {
			n, ok := foldPrefix(s[i:], lit)
			if !ok {
				return 0, false
			}
			i += n
			continue
		}
		if !strings.HasPrefix(s[i:], lit) {
			return 0, false
		}
		i += len(lit)
	}
	return i, true
}

// wildBack matches seg against s so that it ends at end, as matchBack does
// its segment, and returns where it starts.
func wildBack(seg, s string, end int, fold bool) (int, bool) {
	for seg != "" {
		if seg[len(seg)-1] == '?' {
			if end <= 0 {
				return 0, false
			}
			_, n := utf8.DecodeLastRuneInString(s[:end])
			end -= n
			seg = seg[:len(seg)-1]
			continue
		}
		lit := seg
		if k := strings.LastIndexByte(seg, '?'); k >= 0 {
			lit = seg[k+1:]
		}
		seg = seg[:len(seg)-len(lit)]
		if fold {
			n, ok := foldSuffix(s[:end], lit)
			if !ok {
				return 0, false
			}
			end -= n
			continue
		}
		if !strings.HasSuffix(s[:end], lit) {
			return 0, false
		}
		end -= len(lit)
	}
	return end, true
}
