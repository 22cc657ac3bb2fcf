// Command ratios reads `go test -bench` output from the bench module and
// prints the medians, per engine and benchmark, as Markdown tables with
// each peer's cost relative to iameval.
//
//	go test -run '^$' -bench . -benchmem -count 6 | go run ./ratios
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

type sample struct{ ns, bytes, allocs float64 }

var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+[\d.]+ MB/s)?(?:\s+([\d.]+) B/op\s+([\d.]+) allocs/op)?`)

func median(xs []float64) float64 {
	sort.Float64s(xs)
	n := len(xs)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func main() {
	runs := map[string][]sample{}
	var order []string
	var header []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		t := sc.Text()
		if strings.HasPrefix(t, "goos:") || strings.HasPrefix(t, "goarch:") || strings.HasPrefix(t, "cpu:") {
			if len(header) < 3 {
				header = append(header, t)
			}
			continue
		}
		m := line.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		var s sample
		s.ns, _ = strconv.ParseFloat(m[2], 64)
		s.bytes, _ = strconv.ParseFloat(m[3], 64)
		s.allocs, _ = strconv.ParseFloat(m[4], 64)
		if _, ok := runs[m[1]]; !ok {
			order = append(order, m[1])
		}
		runs[m[1]] = append(runs[m[1]], s)
	}
	med := func(name string) (sample, int, bool) {
		xs, ok := runs[name]
		if !ok {
			return sample{}, 0, false
		}
		var ns, b, a []float64
		for _, s := range xs {
			ns, b, a = append(ns, s.ns), append(b, s.bytes), append(a, s.allocs)
		}
		return sample{median(ns), median(b), median(a)}, len(xs), true
	}
	fmt.Println(strings.Join(header, "; "))
	if c, n, ok := med("Calibration/sha256-1KiB"); ok {
		fmt.Printf("\nCalibration: SHA-256 of 1 KiB = %.0f ns/op (median of %d)\n", c.ns, n)
	}

	engines := []string{}
	seen := map[string]bool{}
	for _, name := range order {
		if rest, ok := strings.CutPrefix(name, "DecideMixed/"); ok && !seen[rest] {
			seen[rest] = true
			engines = append(engines, rest)
		}
	}
	base, _, _ := med("DecideMixed/iameval")
	fastest := ""
	var fastestNS float64
	fmt.Println("\n## Mixed workload (one decision, the ten pairs round-robin)")
	fmt.Println()
	fmt.Println("| engine | ns/decision | B/op | allocs/op | decisions/s | × iameval's cost |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: |")
	for _, e := range engines {
		s, n, _ := med("DecideMixed/" + e)
		fmt.Printf("| %s | %.0f | %.0f | %.0f | %s | %.1f× |\n", e, s.ns, s.bytes, s.allocs, perSecond(s.ns), s.ns/base.ns)
		_ = n
		if e != "iameval" && (fastest == "" || s.ns < fastestNS) {
			fastest, fastestNS = e, s.ns
		}
	}
	if fastest != "" {
		fmt.Printf("\niameval: %.0f ns per decision; the fastest peer (%s) takes %.1f× as long.\n", base.ns, fastest, fastestNS/base.ns)
	}

	fmt.Println("\n## Per request (ns/op, allocs/op in brackets)")
	fmt.Println()
	fmt.Printf("| request |")
	for _, e := range engines {
		fmt.Printf(" %s |", e)
	}
	fmt.Printf("\n| --- |%s\n", strings.Repeat(" ---: |", len(engines)))
	var pairs []string
	for _, name := range order {
		if rest, ok := strings.CutPrefix(name, "Decide/iameval/"); ok {
			pairs = append(pairs, rest)
		}
	}
	for _, p := range pairs {
		fmt.Printf("| %s |", p)
		for _, e := range engines {
			s, _, ok := med("Decide/" + e + "/" + p)
			if !ok {
				fmt.Printf(" - |")
				continue
			}
			fmt.Printf(" %.0f (%.0f) |", s.ns, s.allocs)
		}
		fmt.Println()
	}

	fmt.Println("\n## Load (policy bytes to a ready engine)")
	fmt.Println()
	fmt.Println("| engine | µs/op | B/op | allocs/op | × iameval's cost |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	lbase, _, _ := med("Load/iameval")
	for _, name := range order {
		if e, ok := strings.CutPrefix(name, "Load/"); ok {
			s, _, _ := med(name)
			fmt.Printf("| %s | %.1f | %.0f | %.0f | %.1f× |\n", e, s.ns/1e3, s.bytes, s.allocs, s.ns/lbase.ns)
		}
	}
}

// perSecond renders single-threaded decisions per second.
func perSecond(ns float64) string {
	d := 1e9 / ns
	if d >= 1e6 {
		return fmt.Sprintf("%.2fM", d/1e6)
	}
	return fmt.Sprintf("%.1fk", d/1e3)
}
