package syscheck_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/syscheck"
	"github.com/probekit/probekit/internal/testenv"
)

// TestWithCore runs all four checkers in a started core.Health and checks
// what the probes see: real readings as observations, a crossed warning
// threshold as degraded, a crossed critical one as unhealthy.
func TestWithCore(t *testing.T) {
	t.Parallel()
	must := func(c core.Checker, err error) core.Checker {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	mem := must(syscheck.Memory(syscheck.MemoryConfig{}))
	disk := must(syscheck.Disk(t.TempDir(), syscheck.DiskConfig{CriticalFreeBytes: 1}))
	gor := must(syscheck.Goroutines(syscheck.GoroutinesConfig{Warn: 1, Critical: 1_000_000})) // always a warning
	cpu := must(syscheck.CPU(syscheck.CPUConfig{Warn: 1}))
	full := must(syscheck.Memory(syscheck.MemoryConfig{Usage: syscheck.CgroupMemory, Cgroup: fakeV2(t, map[string]string{
		"memory.max":     "1000000\n",
		"memory.current": "990000\n",
		"memory.stat":    "inactive_file 0\n",
	})}))

	fast := core.Interval(200 * time.Millisecond) // CPU needs two runs MinCPUWindow apart
	h := testenv.NewHealth(t,
		core.WithCheck("memory", mem, fast),
		core.WithCheck("disk", disk, fast),
		core.WithCheck("goroutines", gor, fast, core.ForProbes(core.Liveness)),
		core.WithCheck("cpu", cpu, fast),
		core.WithCheck("full", full, fast),
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		status core.Status
		err    string
		obs    []string
	}{
		"memory":     {status: core.StatusHealthy, obs: []string{"used", "limit", "used_fraction"}},
		"disk":       {status: core.StatusHealthy, obs: []string{"free", "size", "free_fraction"}},
		"goroutines": {status: core.StatusDegraded, err: "syscheck: goroutines: ", obs: []string{"goroutines"}},
		"cpu":        {status: core.StatusHealthy, obs: []string{"used", "limit", "used_fraction"}},
		"full":       {status: core.StatusUnhealthy, err: "(99.0%), above the critical 95%", obs: []string{"used", "limit", "used_fraction"}},
	}
	testenv.Eventually(t, 10*time.Second, func() error {
		for _, st := range h.Checks() {
			w := want[st.Name]
			if st.Status != w.status || !strings.Contains(st.Err, w.err) {
				return fmt.Errorf("check %s: status %v, error %q; want %v, error containing %q", st.Name, st.Status, st.Err, w.status, w.err)
			}
			if len(st.Observations) != len(w.obs) {
				return fmt.Errorf("check %s: observations %v; want %v", st.Name, st.Observations, w.obs)
			}
			for i, o := range st.Observations {
				if o.Name != w.obs[i] {
					return fmt.Errorf("check %s: observations %v; want %v", st.Name, st.Observations, w.obs)
				}
			}
		}
		return nil
	})
	if got := h.Status(core.Liveness); got != core.StatusDegraded {
		t.Errorf("Status(Liveness) = %v; want degraded (goroutines: a warning)", got)
	}
	if got := h.Status(core.Readiness); got != core.StatusUnhealthy {
		t.Errorf("Status(Readiness) = %v; want unhealthy (full: a critical threshold)", got)
	}
	for _, st := range h.Checks() {
		t.Logf("%s: %v %q %v", st.Name, st.Status, st.Err, st.Observations)
	}
}
