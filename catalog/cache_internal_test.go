package catalog

import (
	"fmt"
	"testing"
)

// TestInstanceCacheKeepsWhatARunAsksAgain: a run asks for a few instances
// again and again (a team bucket, "*") and for many once (a policy per
// user naming the user's own prefix). However many it asks for once, the
// ones it keeps asking for stay cached, and the cache stays bounded.
func TestInstanceCacheKeepsWhatARunAsksAgain(t *testing.T) {
	c := &instanceCache{}
	shared := instanceKey{key: "arn:aws:s3:::team/*"}
	built := 0
	get := func(key instanceKey) {
		if _, ok := c.get(key); !ok {
			built++
			c.Lock()
			c.put(key, []string{key.key})
			c.Unlock()
		}
	}
	for i := 0; i < 3*maxInstanceCache; i++ {
		get(instanceKey{key: fmt.Sprintf("arn:aws:s3:::home/user%d/*", i)})
		if i > 3*maxInstanceCache/2 && i%1000 == 0 {
			// first asked for once the cache is full
			get(shared)
		}
	}
	if want := 3*maxInstanceCache + 1; built != want {
		t.Errorf("%d instances made, want %d: the shared one was made again once the cache filled", built, want)
	}
	if n := c.m.Len(); n > 2*maxInstanceCache {
		t.Errorf("%d entries cached, more than 2 × %d", n, maxInstanceCache)
	}
}
