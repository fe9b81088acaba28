package redischeck

import (
	"slices"
	"sync"
)

// inflight records the targets a Check is waiting on, so that a Check
// abandoned at its deadline can name the nodes that did not answer.
type inflight struct {
	mu      sync.Mutex
	targets map[string]int
}

func (f *inflight) add(target string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.targets == nil {
		f.targets = make(map[string]int)
	}
	f.targets[target]++
}

func (f *inflight) done(target string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.targets[target]--; f.targets[target] <= 0 {
		delete(f.targets, target)
	}
}

// list returns the targets still waited on, sorted.
func (f *inflight) list() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.targets))
	for t := range f.targets {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
