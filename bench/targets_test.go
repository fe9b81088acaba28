package main

import (
	"strings"
	"testing"
)

// The targets that are counts, not times, hold on every run: allocations
// per probe and per app request, and goroutines per check. Times are the
// tables' business (go run .), never an assertion.

func TestHealthyProbeAllocatesNothingBeyondBare(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under the race detector say nothing; .ci/run checks them without -race")
	}
	rs, err := healthy(1, true)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range rs {
		if !strings.HasPrefix(r.Lib, "probekit") {
			continue
		}
		seen++
		b, ok := floor(rs, r)
		if !ok {
			t.Fatalf("%s: no bare result", r.Name(r.Checks))
		}
		if r.AllocsPerOp > b.AllocsPerOp {
			t.Errorf("%s: %d allocs/op; the bare handler makes %d", r.Name(r.Checks), r.AllocsPerOp, b.AllocsPerOp)
		}
		if r.Framework == "net/http" && r.AllocsPerOp != 0 {
			t.Errorf("%s: %d allocs/op; want 0", r.Name(r.Checks), r.AllocsPerOp)
		}
	}
	if want := 2 * len(Frameworks); seen != want {
		t.Errorf("%d probekit results; want %d (every framework, 3 and 20 checks)", seen, want)
	}
}

func TestNonProbeRequestAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under the race detector say nothing; .ci/run checks them without -race")
	}
	rs, err := nonProbe(1, true)
	if err != nil {
		t.Fatal(err)
	}
	noop := map[string]int64{}
	for _, r := range rs {
		if r.Lib == "noop" {
			noop[r.Framework] = r.AllocsPerOp
		}
	}
	for _, r := range rs {
		b, _ := floor(rs, r)
		added := r.AllocsPerOp - b.AllocsPerOp
		switch {
		case r.Lib == "probekit-wrap", r.Lib == "probekit" && r.Framework != "echo":
			if added != 0 {
				t.Errorf("%s: %+d allocs on an app request; want 0", r.Name(0), added)
			}
		case r.Lib == "probekit":
			// e.Pre: Echo allocates for any pre-middleware; probekit may
			// add nothing to that.
			if r.AllocsPerOp > noop["echo"] {
				t.Errorf("%s: %d allocs/op; an empty e.Pre middleware makes %d", r.Name(0), r.AllocsPerOp, noop["echo"])
			}
		}
	}
}

func TestMemoryAtRest(t *testing.T) {
	rest, runs, err := memory(true)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rest {
		if r.Lib != "probekit" {
			continue
		}
		// One scheduler, one watchdog, one notifier: never one per check.
		if r.GoroutinesAdded > 3 {
			t.Errorf("%d checks: %d goroutines added at rest; want at most 3", r.Checks, r.GoroutinesAdded)
		}
		// The target is 2 KiB; the bound leaves room for the collector's
		// timing, and still catches a cost that is not linear.
		if r.Checks >= 100 && r.HeapPerCheck > 4096 {
			t.Errorf("%d checks: %.0f B of heap per check; want under 4 KiB", r.Checks, r.HeapPerCheck)
		}
	}
	if len(runs) == 0 || runs[0].Runs == 0 {
		t.Fatalf("no scheduler runs measured: %+v", runs)
	}
}

func TestRunRejectsUnknownScenario(t *testing.T) {
	var b strings.Builder
	if err := run(&b, "healthy,nosuch", options{quick: true, count: 1}); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("run with an unknown scenario: err = %v; want one naming it", err)
	}
}
