package evaluator

import (
	"runtime"
	"sync"

	"github.com/iameval/iameval/request"
)

// EvaluateBatch decides every request of reqs into out[i], which must be at
// least as long as reqs, using every core. It returns out[:len(reqs)].
func (e *Engine) EvaluateBatch(reqs []*request.Context, out []Decision) []Decision {
	out = out[:len(reqs)]
	workers := runtime.GOMAXPROCS(0)
	const minChunk = 256
	if workers < 2 || len(reqs) < 2*minChunk {
		for i, r := range reqs {
			out[i] = e.Evaluate(r)
		}
		return out
	}
	chunk := (len(reqs) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(reqs); lo += chunk {
		hi := min(lo+chunk, len(reqs))
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				out[i] = e.Evaluate(reqs[i])
			}
		}(lo, hi)
	}
	wg.Wait()
	return out
}
