package main

import (
	"fmt"
	"io"
)

// graph is a picture of ways (who-can, paths): labelled nodes and edges,
// each kept once in the order first added, drawn as Graphviz (dot) or as a
// Mermaid flowchart. The first ends nodes are the ends of the ways (drawn
// bold, or rounded).
type graph struct {
	nodes  []string
	seen   map[string]bool
	edges  []graphEdge
	edgeAt map[string]int
	ends   int
}

// graphEdge is an edge; marked ones (an MFA bypass, an escalation without
// MFA) are drawn red in dot, and thick in Mermaid where asked.
type graphEdge struct {
	from, to, label string
	marked          bool
}

func (g *graph) node(n string) {
	if g.seen == nil {
		g.seen, g.edgeAt = map[string]bool{}, map[string]int{}
	}
	if !g.seen[n] {
		g.seen[n] = true
		g.nodes = append(g.nodes, n)
	}
}

// edge adds an edge, or marks the one of the same ends and label.
func (g *graph) edge(from, to, label string, marked bool) {
	g.node(from)
	g.node(to)
	k := from + "\x00" + to + "\x00" + label
	if i, ok := g.edgeAt[k]; ok {
		g.edges[i].marked = g.edges[i].marked || marked
		return
	}
	g.edgeAt[k] = len(g.edges)
	g.edges = append(g.edges, graphEdge{from, to, label, marked})
}

func (g *graph) ids() map[string]string {
	id := map[string]string{}
	for i, n := range g.nodes {
		id[n] = fmt.Sprintf("n%d", i)
	}
	return id
}

// writeDot writes the graph as a Graphviz digraph named name.
func (g *graph) writeDot(w io.Writer, name string) {
	id := g.ids()
	fmt.Fprintf(w, "digraph %s {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n", name)
	for i, n := range g.nodes {
		shape := ""
		if i < g.ends {
			shape = ", shape=ellipse, style=bold"
		}
		fmt.Fprintf(w, "  %s [label=%q%s];\n", id[n], n, shape)
	}
	for _, e := range g.edges {
		extra := ""
		if e.marked {
			extra = ", color=red, fontcolor=red"
		}
		fmt.Fprintf(w, "  %s -> %s [label=%q%s];\n", id[e.from], id[e.to], e.label, extra)
	}
	fmt.Fprintf(w, "}\n")
}

// writeMermaid writes the graph as a Mermaid flowchart block, marked edges
// thick when thick is set.
func (g *graph) writeMermaid(w io.Writer, thick bool) {
	id := g.ids()
	fmt.Fprintf(w, "\n```mermaid\nflowchart LR\n")
	for i, n := range g.nodes {
		if i < g.ends {
			fmt.Fprintf(w, "  %s([%q])\n", id[n], n)
		} else {
			fmt.Fprintf(w, "  %s[%q]\n", id[n], n)
		}
	}
	for _, e := range g.edges {
		arrow := "-->"
		if e.marked && thick {
			arrow = "==>"
		}
		fmt.Fprintf(w, "  %s %s|%q| %s\n", id[e.from], arrow, e.label, id[e.to])
	}
	fmt.Fprintf(w, "```\n")
}
