package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/request"
)

// principalReport is the MFA analysis of one user or role: every sensitive
// action it can do without MFA, and how.
type principalReport struct {
	principal *account.Principal
	findings  []accountFinding
	err       error
}

type accountFinding struct {
	action, resource string
	// how names the credentials that get through: "long-term keys",
	// "session without MFA", or both.
	how     []string
	verdict mfa.Verdict
	// allowedBy are the statements that allow it without MFA.
	allowedBy []evaluator.MatchedStatement
	bypasses  []mfa.Bypass
}

// analyzePrincipal checks every action x resource for one principal. Users
// sign with long-term keys or sessions; roles only with sessions, which
// carry no MFA (SPEC 6.2).
func analyzePrincipal(acct *account.Account, p *account.Principal, sim *simulation, actions, resources []string) principalReport {
	rep := principalReport{principal: p}
	set := acct.PolicySet(p)
	set.SCPs, set.RCPs = sim.set.SCPs, sim.set.RCPs
	e, err := evaluator.Compile(set)
	if err != nil {
		rep.err = err
		return rep
	}
	for _, a := range actions {
		for _, res := range resources {
			eng := e
			if trust := acct.TrustPolicy(a, res); trust != nil {
				ts := set
				ts.Resource = trust
				if eng, err = evaluator.Compile(ts); err != nil {
					rep.err = err
					return rep
				}
			}
			base := request.New(p.Caller, a, res)
			for _, ce := range sim.context {
				_ = base.Set(ce.name, ce.typ, ce.values...)
			}
			r := mfa.Analyze(eng, base)
			f := accountFinding{action: a, resource: res, verdict: r.Verdict, bypasses: r.Bypasses}
			if p.Kind == account.KindUser && r.LongTermKeys.Allowed() {
				f.how = append(f.how, "long-term keys")
				f.allowedBy = r.LongTermKeys.MatchedStatements()
			}
			if r.SessionWithoutMFA.Allowed() {
				f.how = append(f.how, "session without MFA")
				if f.allowedBy == nil {
					f.allowedBy = r.SessionWithoutMFA.MatchedStatements()
				}
			}
			if len(f.how) > 0 {
				rep.findings = append(rep.findings, f)
			}
		}
	}
	return rep
}

// runMFAAccount analyses every principal of an account on all cores and
// writes the reports in account order as they complete.
func runMFAAccount(f *simulateFlags, stdout, stderr io.Writer) int {
	acct, err := loadAccount(f.account)
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	extra := *f
	extra.account, extra.principal = "", ""
	if len(extra.actions) == 0 {
		extra.actions = append(listFlag{}, defaultSensitive...)
	}
	sim, err := simulationFromFlags(&extra)
	if err != nil {
		printErr(stderr, err)
		return exitUsage
	}
	resources := sim.resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	principals := acct.Principals()
	if f.principal != "" {
		p, err := acct.Principal(f.principal)
		if err != nil {
			fmt.Fprintf(stderr, "iameval mfa: %v\n", err)
			return exitUsage
		}
		principals = []*account.Principal{p}
	}

	// workers analyse; the writer emits in order
	reports := make([]chan principalReport, len(principals))
	for i := range reports {
		reports[i] = make(chan principalReport, 1)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				reports[i] <- analyzePrincipal(acct, principals[i], sim, sim.actions, resources)
			}
		}()
	}
	go func() {
		for i := range principals {
			jobs <- i
		}
		close(jobs)
	}()

	out := &accountWriter{w: stdout, format: f.output, sim: sim}
	out.begin(acct, len(principals))
	failed := false
	for i := range principals {
		rep := <-reports[i]
		if rep.err != nil {
			printErr(stderr, rep.err)
			failed = true
			continue
		}
		out.add(rep)
		if len(principals) >= 1000 && (i+1)%1000 == 0 {
			fmt.Fprintf(stderr, "iameval mfa: %d of %d principals analysed\n", i+1, len(principals))
		}
	}
	wg.Wait()
	out.end()
	if failed {
		return exitUsage
	}
	if f.expect != "" && out.withoutMFA > 0 && f.expect == "mfa-required" {
		fmt.Fprintf(stderr, "iameval mfa: %d principals can do sensitive actions without MFA\n", out.withoutMFA)
		return exitCheck
	}
	return exitOK
}

// accountWriter streams the account report in table, json or markdown.
type accountWriter struct {
	w          io.Writer
	format     string
	sim        *simulation
	first      bool
	withoutMFA int
	// summary: action -> kind ("users"/"roles") -> how -> count
	counts map[string]map[string]int
	users  int
	roles  int
}

func (a *accountWriter) begin(acct *account.Account, n int) {
	a.first = true
	a.counts = map[string]map[string]int{}
	switch a.format {
	case "json":
		fmt.Fprintf(a.w, "{\n  \"account\": %q,\n  \"principals\": [", acct.ID)
	case "markdown":
		fmt.Fprintf(a.w, "### iameval: what can be done without MFA in account %s\n\n| Principal | Action | Resource | Without MFA, with | Allowed by |\n| --- | --- | --- | --- | --- |\n", acct.ID)
	default:
		fmt.Fprintf(a.w, "Account %s: %d principals; sensitive actions allowed without MFA:\n\n", acct.ID, n)
	}
}

func (a *accountWriter) via(f accountFinding) string {
	var parts []string
	for _, m := range f.allowedBy {
		parts = append(parts, fmt.Sprintf("%s %s", m.PolicyID, stmtName(m)))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, "; ")
}

func (a *accountWriter) add(rep principalReport) {
	p := rep.principal
	kind := "users"
	if p.Kind == account.KindRole {
		kind = "roles"
		a.roles++
	} else {
		a.users++
	}
	if len(rep.findings) > 0 {
		a.withoutMFA++
	}
	for _, f := range rep.findings {
		for _, how := range f.how {
			key := f.action + "\x00" + how
			if a.counts[key] == nil {
				a.counts[key] = map[string]int{}
			}
			a.counts[key][kind]++
		}
	}
	switch a.format {
	case "json":
		type jf struct {
			Action    string   `json:"action"`
			Resource  string   `json:"resource"`
			With      []string `json:"withoutMfaWith"`
			Verdict   string   `json:"verdict"`
			AllowedBy []string `json:"allowedBy"`
			Bypasses  []string `json:"bypasses,omitempty"`
		}
		entry := struct {
			Principal string `json:"principal"`
			ARN       string `json:"arn"`
			Findings  []jf   `json:"withoutMfa"`
		}{p.String(), p.ARN, []jf{}}
		for _, f := range rep.findings {
			j := jf{Action: f.action, Resource: f.resource, With: f.how, Verdict: f.verdict.String(), AllowedBy: []string{}}
			for _, m := range f.allowedBy {
				j.AllowedBy = append(j.AllowedBy, m.PolicyID+" "+stmtName(m))
			}
			for _, b := range f.bypasses {
				j.Bypasses = append(j.Bypasses, a.sim.bypassLine(b)+". Fix: "+b.Fix)
			}
			entry.Findings = append(entry.Findings, j)
		}
		data, _ := json.Marshal(entry)
		sep := ",\n    "
		if a.first {
			sep = "\n    "
		}
		a.first = false
		fmt.Fprintf(a.w, "%s%s", sep, data)
	case "markdown":
		for _, f := range rep.findings {
			fmt.Fprintf(a.w, "| %s | `%s` | `%s` | %s | %s |\n", p, f.action, f.resource, strings.Join(f.how, ", "), a.via(f))
		}
	default:
		if len(rep.findings) == 0 {
			return
		}
		fmt.Fprintf(a.w, "%s\n", p)
		for _, f := range rep.findings {
			fmt.Fprintf(a.w, "  %s on %s with %s: allowed by %s\n", f.action, f.resource, strings.Join(f.how, " or "), a.via(f))
			for _, b := range f.bypasses {
				fmt.Fprintf(a.w, "    bypass: %s\n    fix: %s\n", a.sim.bypassLine(b), b.Fix)
			}
		}
	}
}

var howPhrase = map[string]string{
	"long-term keys":      "with long-term keys and no MFA",
	"session without MFA": "in a session without MFA",
}

// summary lines: "7 users can s3:DeleteObject with long-term keys and no MFA".
func (a *accountWriter) summary() []string {
	var keys []string
	for k := range a.counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		action, how, _ := strings.Cut(k, "\x00")
		for _, kind := range []string{"users", "roles"} {
			n := a.counts[k][kind]
			if n == 0 {
				continue
			}
			noun := kind
			if n == 1 {
				noun = strings.TrimSuffix(kind, "s")
			}
			out = append(out, fmt.Sprintf("%d %s can %s %s", n, noun, action, howPhrase[how]))
		}
	}
	return out
}

func (a *accountWriter) end() {
	lines := a.summary()
	switch a.format {
	case "json":
		data, _ := json.Marshal(lines)
		if data == nil || string(data) == "null" {
			data = []byte("[]")
		}
		fmt.Fprintf(a.w, "\n  ],\n  \"summary\": %s\n}\n", data)
	case "markdown":
		fmt.Fprintf(a.w, "\n%d of %d users and roles can do a sensitive action without MFA.\n\n", a.withoutMFA, a.users+a.roles)
		for _, l := range lines {
			fmt.Fprintf(a.w, "- %s\n", l)
		}
	default:
		fmt.Fprintf(a.w, "\nSummary: %d of %d users and roles can do a sensitive action without MFA.\n", a.withoutMFA, a.users+a.roles)
		for _, l := range lines {
			fmt.Fprintf(a.w, "  %s\n", l)
		}
	}
}
