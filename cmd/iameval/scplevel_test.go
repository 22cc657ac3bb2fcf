package main

import (
	"strings"
	"testing"
)

// TestSCPLevelDecidedBy: an SCP level that allows no statement matching
// the action is named in the table and in explain, with a hint when the
// level holds only Deny statements.
func TestSCPLevelDecidedBy(t *testing.T) {
	f := writeFiles(t, map[string]string{
		"admin.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		"full.json":  `{"Version":"2012-10-17","Statement":{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}}`,
		"deny.json":  `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}}`,
		"ec2.json":   `[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}, {"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}}]`,
	})
	const hint = " (the level holds only Deny statements; AWS attaches FullAWSAccess to every level by default — attach it, or an Allow, to that level)"
	for _, tc := range []struct {
		name string
		scps []string
		want string
	}{
		{"only a Deny at level 2", []string{f["full.json"], f["deny.json"]}, "rule: SCP level 2 allows no statement matching s3:GetObject" + hint + "; level 2 is " + f["deny.json"]},
		{"an Allow for other actions at level 3", []string{f["full.json"], f["full.json"], f["ec2.json"]}, "rule: SCP level 3 allows no statement matching s3:GetObject; level 3 is " + f["ec2.json"] + "[0], " + f["ec2.json"] + "[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"simulate", "--policy", f["admin.json"], "--action", "s3:GetObject"}
			for _, s := range tc.scps {
				args = append(args, "--scp", s)
			}
			code, out, errOut := runCLI(t, append(args, "--output", "explain")...)
			if code != exitOK || !strings.Contains(out, "  decided by: "+tc.want+"\n") {
				t.Errorf("explain: exit %d, stderr %q, stdout:\n%s\nwant decided by: %s", code, errOut, out, tc.want)
			}
			code, out, errOut = runCLI(t, args...)
			cells := tableCells(t, out, []string{"ACTION", "RESOURCE", "DECISION", "DECIDED BY"})
			if code != exitOK || len(cells) != 1 || cells[0][3] != tc.want {
				t.Errorf("table: exit %d, stderr %q, cells %q, stdout:\n%s\nwant DECIDED BY %q", code, errOut, cells, out, tc.want)
			}
		})
	}
}

// tableCells reads back the table with the header columns in out: the
// cells of each row, a cell wrapped onto continuation lines (whose first
// cell is empty) joined with spaces.
func tableCells(t *testing.T, out string, header []string) [][]string {
	t.Helper()
	lines := strings.Split(out, "\n")
	at := -1
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(l, " "), header[0]) && strings.Contains(l, header[len(header)-1]) {
			at = i
			break
		}
	}
	if at < 0 {
		t.Fatalf("no table with the header %q in:\n%s", header, out)
	}
	hl := []rune(lines[at])
	starts := make([]int, len(header))
	for i, h := range header {
		j := strings.Index(string(hl), h)
		if j < 0 {
			t.Fatalf("no column %q in %q", h, lines[at])
		}
		starts[i] = len([]rune(string(hl)[:j]))
	}
	indent := len(lines[at]) - len(strings.TrimLeft(lines[at], " "))
	var rows [][]string
	for _, l := range lines[at+1:] {
		if strings.TrimSpace(l) == "" {
			break
		}
		if len(l)-len(strings.TrimLeft(l, " ")) < indent {
			continue // a heading
		}
		r := []rune(l)
		cells := make([]string, len(header))
		for i := range header {
			end := len(r)
			if i+1 < len(header) {
				end = min(starts[i+1], len(r))
			}
			if starts[i] < end {
				cells[i] = strings.TrimSpace(string(r[starts[i]:end]))
			}
		}
		// a first cell that starts indented continues the row above
		newRow := cells[0] != "" && (starts[0] >= len(r) || r[starts[0]] != ' ')
		if newRow || len(rows) == 0 {
			rows = append(rows, cells)
			continue
		}
		last := rows[len(rows)-1]
		for i, c := range cells {
			if c != "" {
				last[i] = strings.TrimSpace(last[i] + " " + c)
			}
		}
	}
	return rows
}
