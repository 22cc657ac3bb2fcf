package diff

import (
	"slices"
	"testing"
)

// TestMergedFlips: flips alike are merged into one flip whose requests
// are theirs by action, in the order found; a flip merged with no other
// keeps its own set, its requests not copied.
func TestMergedFlips(t *testing.T) {
	c := NewComparer(Options{})
	pc := &pairComparer{c: c, rep: &Report{}}
	one := c.actionSet("one", func() []ActionResources {
		return []ActionResources{{"s3:GetObject", []string{"arn:aws:s3:::a/o"}}, {"s3:PutObject", []string{"arn:aws:s3:::a/o"}}}
	})
	two := c.single("s3:GetObject", "arn:aws:s3:::b/o")
	alone := c.single("iam:CreateUser", "*")
	pc.add(Flip{Kind: NewAccess, Actions: one})
	pc.add(Flip{Kind: NewAccess, Actions: two})
	pc.add(Flip{Kind: LostAccess, Actions: alone})
	if len(pc.merged[1].parts) != 0 || len(pc.merged[0].parts) != 1 {
		t.Errorf("merged: %d and %d sets after the first", len(pc.merged[0].parts), len(pc.merged[1].parts))
	}
	pc.flush()
	if len(pc.rep.Flips) != 2 {
		t.Fatalf("%d flips, want 2", len(pc.rep.Flips))
	}
	want := []ActionResources{{"s3:GetObject", []string{"arn:aws:s3:::a/o", "arn:aws:s3:::b/o"}}, {"s3:PutObject", []string{"arn:aws:s3:::a/o"}}}
	if got := pc.rep.Flips[0].Actions.Items; !sameItems(got, want) {
		t.Errorf("merged: %v, want %v", got, want)
	}
	if pc.rep.Flips[1].Actions != alone {
		t.Errorf("the flip alone has set %v, want its own", pc.rep.Flips[1].Actions)
	}
	if !slices.Equal(one.Items[0].Resources, []string{"arn:aws:s3:::a/o"}) {
		t.Errorf("merging changed a set's requests: %v", one.Items)
	}
}
