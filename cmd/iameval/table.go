package main

import (
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// tableWidth is the width, in runes, that table output fits: the tables
// and the sentences around them.
const tableWidth = 100

// tableGap is the space between two columns.
const tableGap = 2

// Column floors when a table must shrink to fit tableWidth (fitColumns):
// columns of prose (a cell with a space) shrink first, then columns of
// single tokens (ARNs, actions); both are wrapped, never elided.
const (
	proseFloor = 30
	tokenFloor = 24
	keyFloor   = 40 // the first column, which names the row
)

// writeRows prints an aligned table that fits tableWidth (see fitColumns):
// a cell too long for its column is wrapped onto continuation lines (at
// spaces, then after a '/', ':' or '-'), never elided; every column starts
// at the same offset on every line.
// With color, the decisions and verdicts that start a cell are coloured
// (paint), after the layout, so that the columns stay true.
func writeRows(w io.Writer, header []string, rows [][]string, color bool) int {
	if _, err := io.WriteString(w, layoutTable(header, rows, tableWidth, color)); err != nil {
		return exitUsage
	}
	return exitOK
}

// layoutTable renders the table writeRows prints, for width. A row of one
// cell is a heading: it is printed across the whole width, and the header
// and the other rows are indented under it.
func layoutTable(header []string, rows [][]string, width int, color bool) string {
	indent := ""
	var cells [][]string
	for _, r := range rows {
		if len(r) == 1 && len(header) > 1 {
			indent = "  "
			continue
		}
		cells = append(cells, r)
	}
	widths := fitColumns(header, cells, width-len(indent))
	var b strings.Builder
	line := func(cells []string, paintFirst bool) {
		parts := make([][]string, len(cells))
		height := 1
		for i, c := range cells {
			parts[i] = fitCell(c, widths[i])
			if i == 0 && len(parts[0]) > 1 {
				// a row is known by its first cell: its continuation
				// lines are indented, so as not to read as rows
				parts[0] = wrapIndented(c, widths[0], widths[0]-2)
				for k := 1; k < len(parts[0]); k++ {
					parts[0][k] = "  " + parts[0][k]
				}
			}
			height = max(height, len(parts[i]))
		}
		for l := 0; l < height; l++ {
			b.WriteString(indent)
			pad := 0
			for i := range cells {
				text := ""
				if l < len(parts[i]) {
					text = parts[i][l]
				}
				if text != "" {
					b.WriteString(strings.Repeat(" ", pad))
					pad = 0
					if color && paintFirst && l == 0 {
						text = paint(text)
					}
					b.WriteString(text)
				}
				if i < len(cells)-1 {
					pad += widths[i] - runeLen(parts[i], l) + tableGap
				}
			}
			b.WriteByte('\n')
		}
	}
	// a table that starts with a heading prints it above the column
	// names, which then head the rows below it
	start := 0
	if len(rows) > 0 && len(rows[0]) == 1 && len(header) > 1 {
		b.WriteString(wrapText(rows[0][0]+"\n", width))
		start = 1
	}
	line(header, false)
	for _, r := range rows[start:] {
		if len(r) == 1 && len(header) > 1 {
			b.WriteString(wrapText(r[0]+"\n", width))
			continue
		}
		line(r, true)
	}
	return b.String()
}

// runeLen is the length in runes of line l of a fitted cell.
func runeLen(parts []string, l int) int {
	if l < len(parts) {
		return utf8.RuneCountInString(parts[l])
	}
	return 0
}

// fitColumns chooses the width of each column: its longest cell when the
// table fits width; else columns shrink, the widest first, in three rounds
// until the table fits: prose columns (a cell with a space: wrapped, which
// loses nothing) down to proseFloor; token columns (ARNs, actions: wrapped
// too) down to tokenFloor; then every column down to its header.
func fitColumns(header []string, rows [][]string, width int) []int {
	n := len(header)
	widths := make([]int, n)
	prose := make([]bool, n)
	for i, h := range header {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
			if strings.Contains(c, " ") {
				prose[i] = true
			}
		}
	}
	total := tableGap * (n - 1)
	for _, w := range widths {
		total += w
	}
	floor := func(i, round int) int {
		h := utf8.RuneCountInString(header[i])
		switch {
		case round == 0 && prose[i]:
			return max(h, proseFloor)
		case round == 1 && !prose[i] && i == 0:
			// the first cell names the row: kept whole up to keyFloor
			return max(h, min(widths[i], keyFloor))
		case round == 1 && !prose[i]:
			return max(h, tokenFloor)
		case round == 2:
			return h
		}
		return widths[i] // not this round's to shrink
	}
	for round := 0; round < 3 && total > width; round++ {
		for total > width {
			widest := -1
			for i := range widths {
				if widths[i] > floor(i, round) && (widest < 0 || widths[i] > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				break
			}
			widths[widest]--
			total--
		}
	}
	return widths
}

// fitCell fits s into w runes: itself when it fits; else wrapped at spaces,
// a word longer than w broken into pieces (breakAt). Nothing is elided: two
// resources that differ only in their middle must never look the same.
func fitCell(s string, w int) []string {
	if utf8.RuneCountInString(s) <= w || w < 1 {
		return []string{s}
	}
	return wrapWords(s, w)
}

// wrapWords breaks s into lines of at most w runes at spaces; a word longer
// than w is broken into pieces of at most w runes (breakAt).
func wrapWords(s string, w int) []string { return wrapIndented(s, w, w) }

// wrapIndented is wrapWords with a first line of first runes and the
// others of rest.
func wrapIndented(s string, first, rest int) []string {
	first, rest = max(first, 1), max(rest, 1)
	var lines []string
	var cur []rune
	w := first
	next := func() {
		lines = append(lines, string(cur))
		cur = nil
		w = rest
	}
	for _, word := range strings.Fields(s) {
		wr := []rune(word)
		if len(cur) > 0 {
			if len(cur)+1+len(wr) <= w {
				cur = append(cur, ' ')
				cur = append(cur, wr...)
				continue
			}
			next()
		}
		for len(wr) > w {
			cut := breakAt(wr[:w])
			cur = wr[:cut]
			wr = wr[cut:]
			next()
		}
		cur = wr
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// breakAt is where to break a word too long for a line of len(piece) runes,
// in order of preference: after its last '/' past the first third of piece
// (a path, an ARN); after its last ':' or ',' past the half (never inside a
// file:LINE:COL position); after any '/'; after a '-' or '.' past the half;
// else at its end.
func breakAt(piece []rune) int {
	last := func(from int, ok func(i int) bool) int {
		for i := len(piece) - 1; i >= max(from, 1); i-- {
			if ok(i) {
				return i + 1
			}
		}
		return 0
	}
	// a ':' starts a position (file:LINE:COL) when a short number follows
	// it; an account (12 digits) is no position
	position := func(i int) bool {
		n := 0
		for i+1+n < len(piece) && '0' <= piece[i+1+n] && piece[i+1+n] <= '9' {
			n++
		}
		return n > 0 && n <= 6
	}
	for _, try := range []func() int{
		func() int { return last(len(piece)/3, func(i int) bool { return piece[i] == '/' }) },
		func() int {
			return last(len(piece)/2, func(i int) bool { return piece[i] == ',' || piece[i] == ':' && !position(i) })
		},
		func() int { return last(1, func(i int) bool { return piece[i] == '/' }) },
		func() int { return last(len(piece)/2, func(i int) bool { return piece[i] == '-' || piece[i] == '.' }) },
	} {
		if at := try(); at > 0 {
			return at
		}
	}
	return len(piece)
}

// wrapText fits each line of text into width runes: a longer line is
// wrapped at spaces, its continuation lines indented four more spaces than
// the line itself (two more would read as a detail line). Colour codes are not counted.
func wrapText(text string, width int) string {
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		body := strings.TrimSuffix(l, "\n")
		nl := len(body) < len(l)
		if visibleLen(body) <= width {
			b.WriteString(l)
			continue
		}
		indent := body[:len(body)-len(strings.TrimLeft(body, " "))]
		for i, part := range wrapIndented(strings.TrimLeft(body, " "), width-len(indent), width-len(indent)-4) {
			if i > 0 {
				b.WriteString("\n" + indent + "    ")
			} else {
				b.WriteString(indent)
			}
			b.WriteString(part)
		}
		if nl {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// visibleLen is the length of s in runes, without colour codes.
func visibleLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == '\x1b' {
			if j := strings.IndexByte(s[i:], 'm'); j >= 0 {
				i += j + 1
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

// wrapWriter writes what it is given with every line fitted to width
// (wrapText); a line is written when its newline comes, the rest on Flush.
type wrapWriter struct {
	w     io.Writer
	width int
	buf   []byte
	err   error
}

func newWrapWriter(w io.Writer) *wrapWriter { return &wrapWriter{w: w, width: tableWidth} }

func (ww *wrapWriter) Write(p []byte) (int, error) {
	ww.buf = append(ww.buf, p...)
	if i := strings.LastIndexByte(string(ww.buf), '\n'); i >= 0 && ww.err == nil {
		_, ww.err = io.WriteString(ww.w, wrapText(string(ww.buf[:i+1]), ww.width))
		ww.buf = ww.buf[i+1:]
	}
	return len(p), ww.err
}

// Flush writes what is left, and returns the first error.
func (ww *wrapWriter) Flush() error {
	if len(ww.buf) > 0 && ww.err == nil {
		_, ww.err = io.WriteString(ww.w, wrapText(string(ww.buf), ww.width))
		ww.buf = nil
	}
	return ww.err
}

// ANSI colours.
const (
	colorReset  = "\x1b[0m"
	colorGreen  = "\x1b[32m"
	colorRed    = "\x1b[31m"
	colorYellow = "\x1b[33m"
	colorCyan   = "\x1b[36m"
)

// verdictColors are the colours of the words that decide: a decision of
// AWS's (allowed green, explicitDeny red, implicitDeny yellow) and an MFA
// verdict (mfa-required green: MFA is enforced; mfa-not-required and
// inverted red: allowed without MFA; never-allowed yellow: denied
// whatever the credentials, like an implicit deny, a surprise to look at
// rather than a hole).
var verdictColors = map[string]string{
	"allowed": colorGreen, "explicitDeny": colorRed, "implicitDeny": colorYellow,
	"mfa-required": colorGreen, "mfa-not-required": colorRed, "inverted": colorRed, "never-allowed": colorYellow,
	// the mfa table's short forms
	"allow": colorGreen, "deny": colorRed, "implicit": colorYellow,
}

// paint colours the first word of cell when it is a decision or a verdict.
func paint(cell string) string {
	word, rest, _ := strings.Cut(cell, " ")
	c, ok := verdictColors[word]
	if !ok {
		return cell
	}
	if rest != "" || strings.HasSuffix(cell, " ") {
		rest = " " + rest
	}
	return c + word + colorReset + rest
}

// colorEnabled says whether output to w is coloured for the --color mode:
// "never" never; "always" always, even with NO_COLOR set (an explicit flag
// wins over the environment, as NO_COLOR's own text asks of programs); "auto"
// (and any other value) only when w is a terminal, NO_COLOR is unset or
// empty and TERM is not "dumb".
func colorEnabled(mode string, w io.Writer) bool {
	switch mode {
	case "never":
		return false
	case "always":
		return true
	}
	return isTerminal(w)
}

// isTerminal reports whether w is a terminal that takes colour: a
// character device, NO_COLOR unset or empty, TERM not "dumb".
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
