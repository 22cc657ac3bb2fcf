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

// TestMergedSetsKept: a second pair whose flip merges the same sets, in
// the same order, takes the set the first made; other sets, or the same
// in another order (whose requests are listed otherwise), make their own;
// a set's ID numbered again (Compare numbers them for the report) does not
// change which it takes.
func TestMergedSetsKept(t *testing.T) {
	c := NewComparer(Options{})
	one := c.single("s3:GetObject", "arn:aws:s3:::a/o")
	two := c.single("s3:GetObject", "arn:aws:s3:::b/o")
	three := c.single("s3:PutObject", "arn:aws:s3:::a/o")
	merge := func(sets ...*ActionSet) *ActionSet {
		pc := &pairComparer{c: c, rep: &Report{}}
		for _, s := range sets {
			pc.add(Flip{Kind: NewAccess, Actions: s})
		}
		pc.flush()
		if len(pc.rep.Flips) != 1 {
			t.Fatalf("%d flips, want 1", len(pc.rep.Flips))
		}
		return pc.rep.Flips[0].Actions
	}
	first := merge(one, two, three)
	one.ID, two.ID = 7, 7
	if again := merge(one, two, three); again != first {
		t.Errorf("the same sets merged again made another set: %v, first %v", again.Items, first.Items)
	}
	want := []ActionResources{{"s3:GetObject", []string{"arn:aws:s3:::b/o", "arn:aws:s3:::a/o"}}, {"s3:PutObject", []string{"arn:aws:s3:::a/o"}}}
	if other := merge(two, one, three); other == first || !sameItems(other.Items, want) {
		t.Errorf("the sets in another order: %v, want %v apart from %v", other.Items, want, first.Items)
	}
	if other := merge(one, three); other == first || len(other.Items) != 2 || len(other.Items[0].Resources) != 1 {
		t.Errorf("other sets: %v", other.Items)
	}
}
