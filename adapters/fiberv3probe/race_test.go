//go:build race

package fiberv3probe_test

// raceEnabled reports whether the race detector is on: it makes sync.Pool
// drop items at random, so Fiber's pooled contexts allocate now and then.
const raceEnabled = true
