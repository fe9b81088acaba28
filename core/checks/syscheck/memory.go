package syscheck

import (
	"context"
	"fmt"
	"runtime/metrics"
	"sync"

	"github.com/probekit/probekit/core"
)

var (
	_ core.Checker  = (*MemoryChecker)(nil)
	_ core.Observer = (*MemoryChecker)(nil)
)

// Defaults of a [MemoryConfig], as fractions of the memory limit.
const (
	DefaultMemoryWarn     = 0.8
	DefaultMemoryCritical = 0.95
)

// MemoryUsage selects what a [MemoryChecker] counts as used memory.
type MemoryUsage uint8

const (
	// GoRuntimeMemory, the default, is the memory the Go runtime holds:
	// all it has mapped (runtime/metrics /memory/classes/total:bytes) less
	// what it has returned to the system (/memory/classes/heap/released:bytes).
	// That is heap, including free spans not yet returned and dead objects
	// not yet swept, plus goroutine stacks and the runtime's own metadata;
	// it is the quantity the runtime's own memory limit (GOMEMLIMIT) is
	// measured against. Live heap objects alone
	// (/memory/classes/heap/objects:bytes) would leave out stacks and
	// retained free heap, which count against a container's limit just
	// the same. Memory mapped by cgo or with syscall.Mmap is not included.
	// Reading it (runtime/metrics.Read) does not stop the world, unlike
	// runtime.ReadMemStats.
	GoRuntimeMemory MemoryUsage = iota

	// CgroupMemory is the working set of the process's cgroup, as the
	// kubelet reports it (container_memory_working_set_bytes) and evicts
	// on: memory.current (v1 memory.usage_in_bytes) less the inactive page
	// cache (inactive_file, v1 total_inactive_file, in memory.stat), which
	// the kernel reclaims before it would kill anything. It includes what
	// the Go runtime cannot see: cgo, other processes in the container,
	// and active page cache and kernel memory charged to the cgroup. It
	// needs a cgroup memory controller; without one Check fails with
	// [ErrNoCgroup].
	CgroupMemory
)

// String returns "go" or "cgroup".
func (u MemoryUsage) String() string {
	switch u {
	case GoRuntimeMemory:
		return "go"
	case CgroupMemory:
		return "cgroup"
	}
	return fmt.Sprintf("MemoryUsage(%d)", uint8(u))
}

// MemoryConfig configures a [MemoryChecker]. The zero value is valid: Go
// runtime memory against the cgroup or machine limit, warning above 80%
// and failing above 95%.
type MemoryConfig struct {
	// Warn is the fraction of the limit above which Check passes with a
	// warning ([core.Warn]: degraded, still 200).
	// Optional. Default: 0.8 ([DefaultMemoryWarn]).
	Warn float64

	// Critical is the fraction of the limit above which Check fails
	// (unhealthy, 503 once the check's failure threshold is reached). A
	// Critical equal to Warn leaves no warning band.
	// Optional. Default: 0.95 ([DefaultMemoryCritical]).
	//
	// After defaults, 0 < Warn <= Critical <= 1 must hold, or [Memory]
	// returns an error wrapping [ErrInvalidConfig].
	Critical float64

	// Usage selects what counts as used: [GoRuntimeMemory] or
	// [CgroupMemory].
	// Optional. Default: GoRuntimeMemory.
	Usage MemoryUsage

	// Limit, in bytes, is the limit to measure against, replacing the one
	// Check would find. Use it outside Linux, or to measure against a
	// budget of your own, such as the GOMEMLIMIT you set.
	// Optional. Default: 0, found at every Check: the cgroup's memory
	// limit (memory.max, or v1 memory.limit_in_bytes, and those of its
	// ancestor cgroups), or the machine's memory (MemTotal in
	// /proc/meminfo) if that is smaller or there is no cgroup limit.
	Limit uint64

	// Cgroup is where the cgroup files are read.
	// Optional. Default: nil, the process's own cgroup, found with
	// [FindCgroup] at the first Check. A pointer to a zero Cgroup means no
	// cgroup: the limit is the machine's memory.
	Cgroup *Cgroup
}

// MemoryChecker checks the process's memory use against its limit (see
// [Memory]). It reports the reading as observations; see
// [MemoryChecker.Observations]. A MemoryChecker is safe for concurrent
// use.
type MemoryChecker struct {
	warn, critical float64
	usage          MemoryUsage
	limit          uint64
	cgroup         cgroupSource
	proc           string                 // where /proc is; tests change it
	readGo         func() (uint64, error) // nil: runtime/metrics; tests set it

	mu      sync.Mutex
	samples []metrics.Sample
	obs     []core.Observation
}

// Memory returns a [MemoryChecker] configured by cfg, or an error wrapping
// [ErrInvalidConfig] that names the offending field. It reads nothing
// until the first Check.
//
// Check measures the memory in use (cfg.Usage: by default the Go
// runtime's) as a fraction of the limit (the cgroup's, else the
// machine's) and returns nil below cfg.Warn, a warning made by [core.Warn]
// above it, and an error above cfg.Critical. Both errors wrap
// [ErrThreshold] and read, e.g.,
//
//	syscheck: memory: Go runtime holds 980.0 MiB of the 1.0 GiB cgroup limit (95.7%), above the critical 95%
//
// Register it for readiness, where memory pressure should shed traffic;
// for liveness only with a critical threshold that a leak, and not a busy
// day, reaches (see the package documentation).
func Memory(cfg MemoryConfig) (*MemoryChecker, error) {
	if cfg.Warn == 0 {
		cfg.Warn = DefaultMemoryWarn
	}
	if cfg.Critical == 0 {
		cfg.Critical = DefaultMemoryCritical
	}
	if err := validFractions("memory", cfg.Warn, cfg.Critical, false); err != nil {
		return nil, err
	}
	if cfg.Usage > CgroupMemory {
		return nil, invalid("memory: unknown Usage %v", cfg.Usage)
	}
	c := &MemoryChecker{
		warn:     cfg.Warn,
		critical: cfg.Critical,
		usage:    cfg.Usage,
		limit:    cfg.Limit,
		cgroup:   newCgroupSource(cfg.Cgroup),
		proc:     defaultProc,
	}
	return c, nil
}

// Check reads the memory in use and the limit and compares them with the
// thresholds (see [Memory]). It fails with an error wrapping
// [ErrMalformed] if a cgroup or /proc file cannot be parsed, [ErrNoLimit]
// if no limit is found, and [ErrNoCgroup] if cfg.Usage is [CgroupMemory]
// and there is no cgroup memory controller.
func (c *MemoryChecker) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("syscheck: memory: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.obs = nil

	cg, err := c.cgroup.get()
	if err != nil {
		return fmt.Errorf("syscheck: memory: %w", err)
	}
	var used uint64
	subject := "Go runtime holds"
	if c.usage == CgroupMemory {
		subject = "cgroup working set is"
		used, err = cg.memoryWorkingSet()
	} else {
		used, err = c.goMemory()
	}
	if err != nil {
		return fmt.Errorf("syscheck: memory: %w", err)
	}
	limit, limitName, err := c.findLimit(cg)
	if err != nil {
		return fmt.Errorf("syscheck: memory: %w", err)
	}

	f := fraction(used, limit)
	c.obs = []core.Observation{
		{Name: "used", Value: float64(used), Unit: "bytes"},
		{Name: "limit", Value: float64(limit), Unit: "bytes"},
		{Name: "used_fraction", Value: f, Unit: "ratio"},
	}
	l := above(f, c.warn, c.critical)
	if l == levelOK {
		return nil
	}
	text := fmt.Sprintf("%s %s of the %s %s (%.1f%%)", subject, formatBytes(used), formatBytes(limit), limitName, f*100)
	return verdict(l, "memory", text, "above the warning "+percent(c.warn), "above the critical "+percent(c.critical))
}

// Observations returns the reading of the last Check, or nil if it failed
// before it had one:
//
//   - used: the memory in use, in bytes (see [MemoryUsage])
//   - limit: the limit it was measured against, in bytes
//   - used_fraction: used / limit
//
// Observations is safe for concurrent use.
func (c *MemoryChecker) Observations() []core.Observation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.obs
}

// findLimit returns the limit to measure against and how to call it in
// errors.
func (c *MemoryChecker) findLimit(cg Cgroup) (uint64, string, error) {
	if c.limit > 0 {
		return c.limit, "configured limit", nil
	}
	limit, limited, err := cg.memoryLimit()
	if err != nil {
		return 0, "", err
	}
	total, known, err := memTotal(c.proc)
	if err != nil {
		return 0, "", err
	}
	switch {
	case limited && (!known || limit <= total):
		return limit, "cgroup limit", nil
	case known:
		return total, "machine memory", nil
	}
	return 0, "", &detailError{text: "no limit found: no cgroup limit and no " + c.proc + "/meminfo; set MemoryConfig.Limit", sentinel: ErrNoLimit}
}

// goMemory returns the memory the Go runtime holds; see GoRuntimeMemory.
func (c *MemoryChecker) goMemory() (uint64, error) {
	if c.readGo != nil {
		return c.readGo()
	}
	if c.samples == nil {
		c.samples = []metrics.Sample{
			{Name: "/memory/classes/total:bytes"},
			{Name: "/memory/classes/heap/released:bytes"},
		}
	}
	metrics.Read(c.samples)
	for _, s := range c.samples {
		if s.Value.Kind() != metrics.KindUint64 {
			return 0, fmt.Errorf("runtime/metrics: %s not supported", s.Name)
		}
	}
	total, released := c.samples[0].Value.Uint64(), c.samples[1].Value.Uint64()
	if released > total {
		return 0, nil
	}
	return total - released, nil
}
