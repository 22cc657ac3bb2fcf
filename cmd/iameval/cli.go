package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/iameval/iameval/internal/editdist"
)

// The command-line grammar, one for every command: GNU-style flags
// (--output json, --output=json, -o json) parsed by spf13/pflag, accepted
// before and after positional arguments ("--" ends the flags), plus the other
// spellings users arrive with: the AWS CLI's option names (with their
// space-separated lists), older spellings of our own flags (--format, --json),
// and Go-style single-dash long flags (-output json).

// grammar is one command's flags and the other spellings it accepts.
type grammar struct {
	name    string
	help    string // the command's help text; the flags follow it
	fs      *pflag.FlagSet
	aliases []alias
	// words are the values a flag whose value is optional takes from the
	// next argument (--generate-cli-skeleton input), as the AWS CLI does.
	words map[string][]string
}

// alias is another spelling of a flag.
type alias struct {
	name  string // the spelling accepted, without dashes: "action-names"
	flag  string // the flag it stands for: "action"
	value string // a fixed value it gives the flag: --json is --output json
	list  bool   // takes every argument up to the next flag, as the AWS CLI's list options do
	why   string // where the spelling comes from, for the help
}

func newGrammar(name, help string) *grammar {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &grammar{name: name, help: help, fs: fs}
}

// alias adds another spelling of a flag.
func (g *grammar) alias(a alias) { g.aliases = append(g.aliases, a) }

// findAlias returns the alias spelled name.
func (g *grammar) findAlias(name string) *alias {
	for i := range g.aliases {
		if g.aliases[i].name == name {
			return &g.aliases[i]
		}
	}
	return nil
}

// stringFlag is a flag that takes one value: given twice, it is an error,
// rather than the last one silently winning.
type stringFlag struct {
	v   *string
	set bool
}

func (s *stringFlag) String() string { return *s.v }
func (s *stringFlag) Type() string   { return "string" }
func (s *stringFlag) Set(v string) error {
	if s.set {
		return fmt.Errorf("given twice (%q, then %q): it takes one value", *s.v, v)
	}
	*s.v, s.set = v, true
	return nil
}

// string adds a flag taking one value; short is its one-letter form, or "".
func (g *grammar) string(p *string, name, short, def, usage string) {
	*p = def
	g.fs.VarP(&stringFlag{v: p}, name, short, usage)
}

// color adds --color.
func (g *grammar) color(p *string) {
	g.string(p, "color", "", "auto", "colour the decisions, verdicts and severities of tables and lint's lines `WHEN`: auto (only on a terminal, and not when NO_COLOR is set or TERM=dumb), always (even with NO_COLOR), or never; explain, JSON, SARIF and markdown are never coloured")
}

// outputFormat checks an --output value against a command's formats; "text"
// is another name for "table".
func outputFormat(value string, formats ...string) (string, error) {
	if value == "text" && slices.Contains(formats, "table") {
		value = "table"
	}
	if slices.Contains(formats, value) {
		return value, nil
	}
	return "", fmt.Errorf("--output %q: want %s or %s", value, strings.Join(formats[:len(formats)-1], ", "), formats[len(formats)-1])
}

// colorModes checks a --color value.
func checkColor(mode string) error {
	switch mode {
	case "auto", "always", "never":
		return nil
	}
	return fmt.Errorf("--color %q: want auto, always or never", mode)
}

// takesValue reports whether the flag needs a value after it.
func takesValue(f *pflag.Flag) bool { return f.NoOptDefVal == "" }

// flagLike reports whether a command-line argument is a flag rather than a
// value: "-" (stdin) and negative numbers (-5, -5m) are values; any other
// value that starts with a dash is written --flag=-value.
func flagLike(s string) bool {
	return len(s) > 1 && s[0] == '-' && !('0' <= s[1] && s[1] <= '9')
}

// normalize rewrites args into the canonical grammar pflag parses: aliases
// become their flags (a list alias one flag per value), single-dash long
// names get their second dash, and a flag that needs a value gets it
// attached, so that a missing value is an error naming the flag instead of
// the next flag being taken as the value.
func (g *grammar) normalize(args []string) ([]string, error) {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		if !flagLike(a) {
			out = append(out, a)
			continue
		}
		body, long := strings.CutPrefix(a, "--")
		if !long {
			body = a[1:]
			name, _, _ := strings.Cut(body, "=")
			if len(name) < 2 || (g.fs.Lookup(name) == nil && g.findAlias(name) == nil) {
				// a one-letter flag (or several): pflag reads it, after
				// the missing-value check
				if f := g.fs.ShorthandLookup(body[:1]); f != nil && takesValue(f) && len(body) == 1 {
					if i+1 >= len(args) || flagLike(args[i+1]) {
						return nil, fmt.Errorf("-%s (--%s) needs a value", body, f.Name)
					}
					out = append(out, "--"+f.Name+"="+args[i+1])
					i++
					continue
				}
				out = append(out, a)
				continue
			}
		}
		name, val, hasVal := strings.Cut(body, "=")
		if al := g.findAlias(name); al != nil {
			switch {
			case al.value != "":
				if hasVal {
					return nil, fmt.Errorf("--%s takes no value (it means --%s %s)", name, al.flag, al.value)
				}
				out = append(out, "--"+al.flag+"="+al.value)
				continue
			case al.list:
				var vals []string
				if hasVal {
					vals = []string{val}
				}
				for !hasVal && i+1 < len(args) && !flagLike(args[i+1]) {
					vals = append(vals, args[i+1])
					i++
				}
				if len(vals) == 0 {
					return nil, fmt.Errorf("--%s needs a value (one or more, separated by spaces)", name)
				}
				for _, v := range vals {
					out = append(out, "--"+al.flag+"="+v)
				}
				continue
			}
			name = al.flag
		}
		f := g.fs.Lookup(name)
		switch {
		case f == nil:
			if why := awsCLIOption(name); why != "" {
				return nil, fmt.Errorf("unknown flag --%s: %s", name, why)
			}
			return nil, fmt.Errorf("unknown flag --%s%s", name, g.suggest(name))
		case hasVal:
			out = append(out, "--"+name+"="+val)
		case takesValue(f):
			if i+1 >= len(args) || flagLike(args[i+1]) {
				return nil, fmt.Errorf("--%s needs a value", name)
			}
			out = append(out, "--"+name+"="+args[i+1])
			i++
		case i+1 < len(args) && slices.Contains(g.words[name], args[i+1]):
			out = append(out, "--"+name+"="+args[i+1])
			i++
		default:
			out = append(out, "--"+name)
		}
	}
	return out, nil
}

// awsCLIOption says why a global option of the AWS CLI, which a command
// copied from it may carry, means nothing here; "" for any other name.
// iameval calls no AWS API: there is no profile, endpoint or connection,
// and a request's region is the context key aws:RequestedRegion.
func awsCLIOption(name string) string {
	switch name {
	case "region":
		return "an AWS CLI option; iameval calls no AWS API, and a request's region is the key aws:RequestedRegion (--context aws:RequestedRegion=REGION)"
	case "profile", "endpoint-url", "no-verify-ssl", "ca-bundle", "cli-connect-timeout", "cli-read-timeout", "no-sign-request", "no-paginate", "cli-binary-format":
		return "an AWS CLI option; iameval calls no AWS API, so it has no credentials, endpoint or connection to set"
	}
	return ""
}

// suggest names the flag or alias closest to an unknown name, if one is
// close: " (did you mean --action?)".
func (g *grammar) suggest(name string) string {
	best, bestD := "", 3
	consider := func(n string) {
		if d := editdist.Distance(name, n, 2); d < bestD {
			best, bestD = n, d
		}
	}
	g.fs.VisitAll(func(f *pflag.Flag) { consider(f.Name) })
	for _, a := range g.aliases {
		consider(a.name)
	}
	if best == "" {
		return ""
	}
	return " (did you mean --" + best + "?)"
}

// parse parses args. It prints the help on stdout when args ask for it, and a
// bad flag as one line on stderr naming it; done says the command stops with
// code.
func (g *grammar) parse(args []string, stdout, stderr io.Writer) (code int, done bool) {
	if helpRequested(args) {
		g.usage(stdout)
		return exitOK, true
	}
	norm, err := g.normalize(args)
	if err == nil {
		err = g.fs.Parse(norm)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iameval %s: %s (run 'iameval help %s')\n", g.name, oneLine(err.Error()), g.name)
		return exitUsage, true
	}
	return 0, false
}

// oneLine escapes the control characters of a message (a newline in an
// argument), so that an error stays one line.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// given reports whether any flag was given.
func (g *grammar) given() bool { return g.fs.NFlag() > 0 }

// usage writes the command's help: its text, its flags, and the other
// spellings it accepts.
func (g *grammar) usage(w io.Writer) {
	var b strings.Builder
	b.WriteString(g.help)
	g.fs.VisitAll(func(f *pflag.Flag) {
		placeholder, text := pflag.UnquoteUsage(f)
		left := "    --" + f.Name
		if f.Shorthand != "" {
			left = "-" + f.Shorthand + ", --" + f.Name
		}
		switch {
		case f.Value.Type() == "bool":
		case takesValue(f):
			left += " " + placeholder
		default:
			left += "[=" + f.NoOptDefVal + "]"
		}
		if f.Value.Type() == "string" && f.DefValue != "" {
			text += " (default " + f.DefValue + ")"
		}
		writeUsageLine(&b, left, text)
	})
	if len(g.aliases) > 0 {
		b.WriteString("\nOther spellings (the same flags):\n")
		for _, a := range g.aliases {
			writeUsageLine(&b, a.spelling(), a.meaning())
		}
	}
	io.WriteString(w, b.String())
}

// usageColumn is where the text of a flag's help starts; helpWidth is the
// width help fits in.
const (
	usageColumn = 32
	helpWidth   = 100
)

// writeUsageLine writes one flag of the help: "  LEFT   text", the text
// wrapped to helpWidth, starting on the next line when LEFT is too long.
func writeUsageLine(b *strings.Builder, left, text string) {
	line := "  " + left
	if len(line) >= usageColumn-1 {
		b.WriteString(line + "\n")
		line = ""
	}
	line += strings.Repeat(" ", usageColumn-len(line))
	n := len(line)
	for i, word := range strings.Fields(text) {
		if i > 0 && n+1+len(word) > helpWidth {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line, n = strings.Repeat(" ", usageColumn), usageColumn
		} else if i > 0 {
			line += " "
			n++
		}
		line += word
		n += len(word)
	}
	b.WriteString(line + "\n")
}

// spelling is how the help shows an alias: "--action-names V...".
func (a alias) spelling() string {
	switch {
	case a.value != "":
		return "    --" + a.name
	case a.list:
		return "    --" + a.name + " V..."
	}
	return "    --" + a.name + " V"
}

// meaning is what an alias stands for, for the help.
func (a alias) meaning() string {
	s := "--" + a.flag
	switch {
	case a.value != "":
		s += " " + a.value
	case a.list:
		s += " once per V"
	default:
		s += " V"
	}
	if a.why != "" {
		s += " (" + a.why + ")"
	}
	return s
}

// helpRequested reports whether args ask for help (before any "--").
func helpRequested(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "--help", "-h", "-help":
			return true
		}
	}
	return false
}

// emptyGiven returns the first of names given with an empty value
// (--caller-arn ”), or "": an empty value names nothing, and is refused
// rather than read as the flag left out.
func (g *grammar) emptyGiven(names ...string) string {
	for _, n := range names {
		if f := g.fs.Lookup(n); f != nil && g.fs.Changed(n) && f.Value.String() == "" {
			return "--" + n
		}
	}
	return ""
}
