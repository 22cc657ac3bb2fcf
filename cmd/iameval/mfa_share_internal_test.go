package main

import "testing"

// TestSharedRuns: the shared answers of a report's actions are kept as
// runs of actions that share one answer (or none), in catalogue order:
// a principal over the catalogue checks eleven thousand actions, whose
// answers a few hundred runs hold (one pointer an action made 530 MB over
// the 5,000 users of BENCHMARKS.md's catalogue run). Each action's answer
// is the one it was given, and the runs are no more than the changes.
func TestSharedRuns(t *testing.T) {
	parts := []*actionPart{{rows: 1}, {rows: 2}, {rows: 3}}
	var want []*actionPart
	changes := 0
	for i := range 10000 {
		var p *actionPart
		switch {
		case i%1000 < 300:
			p = parts[0]
		case i%1000 < 310:
			p = nil
		case i%1000 == 500:
			p = parts[2]
		default:
			p = parts[1]
		}
		if i == 0 || p != want[i-1] {
			changes++
		}
		want = append(want, p)
	}
	late := make([]*actionPart, 50)
	late[20], late[21], late[40] = parts[0], parts[0], parts[1]
	for _, all := range [][]*actionPart{want, want[:1], want[:0], make([]*actionPart, 50), late, want[300:2000]} {
		var s sharedRuns
		for i, p := range all {
			if p != nil {
				s.set(i, p)
			}
		}
		some := false
		for _, p := range all {
			some = some || p != nil
		}
		if s.any() != some {
			t.Errorf("any says %v of %d actions, some shared: %v", s.any(), len(all), some)
		}
		// one after the next, as the report is read, then backwards and
		// skipping
		for i, p := range all {
			if got := s.at(i); got != p {
				t.Fatalf("action %d of %d: answer %p, given %p", i, len(all), got, p)
			}
		}
		for i := len(all) - 1; i >= 0; i -= 7 {
			if got := s.at(i); got != all[i] {
				t.Fatalf("action %d of %d, backwards: answer %p, given %p", i, len(all), got, all[i])
			}
		}
		n := 0
		s.each(func(i int, p *actionPart) {
			if p == nil || p != all[i] {
				t.Fatalf("each: action %d, answer %p, given %p", i, p, all[i])
			}
			n++
		})
		if want := len(all) - countOf(all, nil); n != want {
			t.Errorf("each gave %d actions of %d with an answer", n, want)
		}
		if s.at(len(all)) != nil || s.at(-1) != nil {
			t.Errorf("an answer for an action outside the %d", len(all))
		}
		if len(all) == len(want) && len(s.starts) != changes {
			t.Errorf("%d runs for %d changes", len(s.starts), changes)
		}
	}
}

func countOf[T comparable](xs []T, x T) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}
