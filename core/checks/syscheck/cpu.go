package syscheck

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/probekit/probekit/core"
)

var (
	_ core.Checker  = (*CPUChecker)(nil)
	_ core.Observer = (*CPUChecker)(nil)
)

// DefaultCPUWarn is the default warning threshold of a [CPUConfig], as a
// fraction of the CPUs available. There is no default critical threshold.
const DefaultCPUWarn = 0.8

// MinCPUWindow is the shortest time between two readings that a
// [CPUChecker] measures over. A Check sooner than that after the previous
// reading passes without an observation and keeps that reading, so the
// next Check measures over the longer time.
const MinCPUWindow = 100 * time.Millisecond

// CPUConfig configures a [CPUChecker]. The zero value is valid: a warning
// above 80% of the CPUs available, and no failure.
type CPUConfig struct {
	// Warn is the fraction of the CPUs available above which Check
	// passes with a warning ([core.Warn]: degraded, still 200).
	// Optional. Default: 0.8 ([DefaultCPUWarn]).
	Warn float64

	// Critical is the fraction above which Check fails.
	// Optional. Default: 0, none: CPU use alone never fails the check.
	// A busy service is not a broken one; if it were reported unready
	// when saturated, every replica would go unready under the same load
	// at once, and the load would land on fewer and fewer of them. Set
	// it only where shedding load from one saturated replica helps.
	//
	// 0 < Warn <= 1 must hold, and 0 < Warn <= Critical <= 1 when
	// Critical is set, or [CPU] returns an error wrapping
	// [ErrInvalidConfig].
	Critical float64

	// Cgroup is where the cgroup files are read.
	// Optional. Default: nil, the process's own cgroup, found with
	// [FindCgroup] at the first Check. A pointer to a zero Cgroup means no
	// cgroup: Check measures the whole machine's CPU use from /proc/stat.
	Cgroup *Cgroup
}

// CPUChecker checks CPU use over the time between two Checks against the
// CPUs available (see [CPU]). It reports the reading as observations; see
// [CPUChecker.Observations]. A CPUChecker is safe for concurrent use.
type CPUChecker struct {
	warn, critical float64
	cgroup         cgroupSource
	proc           string // where /proc is; tests change it

	mu   sync.Mutex
	prev cpuReading // the last reading; zero before the first
	obs  []core.Observation
}

// cpuReading is one reading of a cumulative CPU counter.
type cpuReading struct {
	source string    // the file read, so readings from different ones are never compared
	at     time.Time // when
	used   float64   // CPU time used: seconds (cgroup) or clock ticks (/proc/stat)
	total  float64   // /proc/stat only: all clock ticks, busy or idle
	ticks  bool      // read from /proc/stat
}

// CPU returns a [CPUChecker] configured by cfg, or an error wrapping
// [ErrInvalidConfig] that names the offending field. It reads nothing
// until the first Check.
//
// Check measures the CPU time used since the previous Check as a fraction
// of the CPU time available in between, and returns nil up to cfg.Warn, a
// warning made by [core.Warn] above it and, if cfg.Critical is set, an
// error above that. Both errors wrap [ErrThreshold] and read, e.g.,
//
//	syscheck: cpu: 1.71 of 2 CPUs in use (85.5%), above the warning 80%
//
// What is measured, in order of preference:
//
//   - the process's cgroup: its CPU time (cgroup v2 cpu.stat usage_usec,
//     v1 cpuacct.usage) against its quota (v2 cpu.max, v1
//     cpu.cfs_quota_us / cpu.cfs_period_us, the smallest along its
//     ancestor cgroups) or, without a quota, against runtime.NumCPU, the
//     CPUs the process may run on;
//   - without a cgroup, the whole machine: the busy share of all CPU time
//     in /proc/stat's "cpu" line.
//
// # First reading
//
// One reading of a counter says nothing about the rate at which it grows,
// so the first Check only records one: it passes (returns nil) and has no
// observations. So does a Check sooner than [MinCPUWindow] after the
// previous reading, and one that finds the counter went backwards (a new
// cgroup) or moved to another file. Every other Check measures over the
// time since the previous reading: under core, over one check interval,
// 5 s by default.
//
// Register it for readiness as a warning, to make saturation visible in
// the probe bodies and metrics; never for liveness, where a busy process
// would be restarted when it is needed most.
func CPU(cfg CPUConfig) (*CPUChecker, error) {
	if cfg.Warn == 0 {
		cfg.Warn = DefaultCPUWarn
	}
	if err := validFractions("cpu", cfg.Warn, cfg.Critical, true); err != nil {
		return nil, err
	}
	return &CPUChecker{
		warn:     cfg.Warn,
		critical: cfg.Critical,
		cgroup:   newCgroupSource(cfg.Cgroup),
		proc:     defaultProc,
	}, nil
}

// Check takes a reading and compares the CPU use since the previous one
// with the thresholds (see [CPU]). It fails with an error wrapping
// [ErrMalformed] if a cgroup or /proc file cannot be parsed; the previous
// reading is then kept.
func (c *CPUChecker) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("syscheck: cpu: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.obs = nil

	cg, err := c.cgroup.get()
	if err != nil {
		return fmt.Errorf("syscheck: cpu: %w", err)
	}
	cur, cpus, err := c.read(cg)
	if err != nil {
		return fmt.Errorf("syscheck: cpu: %w", err)
	}
	prev := c.prev
	var f float64
	switch {
	case prev.source != cur.source || cur.used < prev.used || cur.total < prev.total:
		c.prev = cur // first reading, or a new counter: start over
		return nil
	case cur.at.Sub(prev.at) < MinCPUWindow:
		return nil
	case cur.ticks:
		if cur.total == prev.total {
			return nil
		}
		f = (cur.used - prev.used) / (cur.total - prev.total)
	default:
		f = (cur.used - prev.used) / (cur.at.Sub(prev.at).Seconds() * cpus)
	}
	c.prev = cur

	used := f * cpus
	c.obs = []core.Observation{
		{Name: "used", Value: used, Unit: "cpus"},
		{Name: "limit", Value: cpus, Unit: "cpus"},
		{Name: "used_fraction", Value: f, Unit: "ratio"},
	}
	l := above(f, c.warn, c.critical)
	if l == levelOK {
		return nil
	}
	text := fmt.Sprintf("%.3g of %.3g CPUs in use (%.1f%%)", used, cpus, f*100)
	return verdict(l, "cpu", text, "above the warning "+percent(c.warn), "above the critical "+percent(c.critical))
}

// Observations returns the reading of the last Check, or nil if it had
// none (see "First reading" at [CPU]):
//
//   - used: CPUs in use on average since the previous reading, in CPUs
//   - limit: CPUs available: the cgroup's quota, else the CPUs the
//     process may run on (cgroup) or the CPUs online (/proc/stat)
//   - used_fraction: used / limit
//
// Observations is safe for concurrent use.
func (c *CPUChecker) Observations() []core.Observation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.obs
}

// read takes a reading and returns it with the CPUs available.
func (c *CPUChecker) read(cg Cgroup) (cpuReading, float64, error) {
	at := time.Now()
	secs, file, ok, err := cg.cpuUsage()
	if err != nil {
		return cpuReading{}, 0, err
	}
	if ok {
		cpus := float64(runtime.NumCPU())
		quota, limited, err := cg.cpuLimit()
		if err != nil {
			return cpuReading{}, 0, err
		}
		if limited && quota < cpus {
			cpus = quota
		}
		return cpuReading{source: file, at: at, used: secs}, cpus, nil
	}
	name := filepath.Join(c.proc, "stat")
	st, ok, err := readProcStat(name)
	if err != nil {
		return cpuReading{}, 0, err
	}
	if !ok {
		return cpuReading{}, 0, fmt.Errorf("no cgroup CPU accounting and no %s: %w", name, errors.ErrUnsupported)
	}
	return cpuReading{source: name, at: at, used: float64(st.busy), total: float64(st.total), ticks: true}, float64(st.cpus), nil
}
