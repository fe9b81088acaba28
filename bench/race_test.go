//go:build race

package main

// raceEnabled reports whether the race detector is on: it changes
// allocation counts (sync.Pool drops items at random), so the allocation
// targets are checked only without it, as .ci/run's bench step runs them.
const raceEnabled = true
