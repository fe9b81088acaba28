package syscheck

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/probekit/probekit/core"
)

var (
	_ core.Checker  = (*DiskChecker)(nil)
	_ core.Observer = (*DiskChecker)(nil)
)

// Defaults of a [DiskConfig], as fractions of the filesystem's size that
// must stay free. They apply only when every threshold is left zero.
const (
	DefaultDiskWarnFree     = 0.10
	DefaultDiskCriticalFree = 0.05
)

// DiskConfig configures a [DiskChecker] with thresholds on the space left
// free, as a fraction of the filesystem's size, in bytes, or both; a level
// is crossed when the free space falls below either of its thresholds.
//
// The zero value is valid: a warning below 10% free and a failure below
// 5% free. If any threshold is set, the defaults do not apply, and a zero
// threshold is off: DiskConfig{CriticalFreeBytes: 1 << 30} fails below
// 1 GiB free and never warns.
type DiskConfig struct {
	// WarnFree is the fraction of the filesystem's size below which free
	// space makes Check pass with a warning ([core.Warn]: degraded, still
	// 200). Optional. Default: 0.10 ([DefaultDiskWarnFree]) if every
	// threshold is zero, else 0: off.
	WarnFree float64

	// CriticalFree is the fraction below which Check fails.
	// Optional. Default: 0.05 ([DefaultDiskCriticalFree]) if every
	// threshold is zero, else 0: off.
	CriticalFree float64

	// WarnFreeBytes is the free space in bytes below which Check passes
	// with a warning. Optional. Default: 0, off.
	WarnFreeBytes uint64

	// CriticalFreeBytes is the free space in bytes below which Check
	// fails. Optional. Default: 0, off.
	//
	// Fractions must be in [0, 1), and a warning threshold must not be
	// below the critical one of the same kind when both are set, or
	// [Disk] returns an error wrapping [ErrInvalidConfig].
	CriticalFreeBytes uint64
}

// DiskChecker checks the free space on the filesystem holding a path (see
// [Disk]). It reports the reading as observations; see
// [DiskChecker.Observations]. A DiskChecker is safe for concurrent use.
type DiskChecker struct {
	path   string
	cfg    DiskConfig
	statfs func(path string) (avail, size uint64, err error) // tests change it

	mu  sync.Mutex
	obs []core.Observation
}

// Disk returns a [DiskChecker] for the filesystem holding path, configured
// by cfg, or an error wrapping [ErrInvalidConfig] that names the offending
// field. The path need not exist yet; Check fails while it does not.
//
// Check reads the filesystem's statistics (statfs(2)) and compares the
// space free for unprivileged users (f_bavail) with the thresholds:
// nil while there is enough, a warning made by [core.Warn] below a warning
// threshold, an error below a critical one. Both errors wrap
// [ErrThreshold] and read, e.g.,
//
//	syscheck: disk /var/lib/app: 1.2 GiB free of 50.0 GiB (2.4%), below the critical 5% free
//
// The free fraction is f_bavail / f_blocks, as the kubelet computes
// nodefs.available. df's Use% leaves out the blocks reserved for root, so
// df shows more space free on a filesystem that reserves some (ext4
// reserves 5% by default).
//
// Register it for readiness: a pod whose disk is full fails the requests
// that write, and a restart does not free the space (an emptyDir volume
// outlives the container). Check runs statfs in a goroutine and returns
// when ctx is done, so a hung network filesystem fails the check at its
// timeout instead of hanging it; the abandoned call ends when the kernel
// lets it. It works on Linux, macOS and FreeBSD; elsewhere Check fails
// with an error wrapping errors.ErrUnsupported.
func Disk(path string, cfg DiskConfig) (*DiskChecker, error) {
	if path == "" {
		return nil, invalid("disk: empty path")
	}
	if cfg == (DiskConfig{}) {
		cfg.WarnFree, cfg.CriticalFree = DefaultDiskWarnFree, DefaultDiskCriticalFree
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"WarnFree", cfg.WarnFree}, {"CriticalFree", cfg.CriticalFree}} {
		if math.IsNaN(f.v) || f.v < 0 || f.v >= 1 {
			return nil, invalid("disk: %s %v must be a fraction in [0, 1)", f.name, f.v)
		}
	}
	if cfg.WarnFree > 0 && cfg.WarnFree < cfg.CriticalFree {
		return nil, invalid("disk: WarnFree %v is below CriticalFree %v", cfg.WarnFree, cfg.CriticalFree)
	}
	if cfg.WarnFreeBytes > 0 && cfg.WarnFreeBytes < cfg.CriticalFreeBytes {
		return nil, invalid("disk: WarnFreeBytes %d is below CriticalFreeBytes %d", cfg.WarnFreeBytes, cfg.CriticalFreeBytes)
	}
	return &DiskChecker{path: path, cfg: cfg, statfs: statfs}, nil
}

// statfsResult is the outcome of a statfs call.
type statfsResult struct {
	avail, size uint64
	err         error
}

// Check reads the free space and compares it with the thresholds (see
// [Disk]). It fails with the statfs error, such as "syscheck: disk
// /data: statfs /data: no such file or directory", if the path cannot be
// read, and with an error wrapping ctx.Err() if ctx is done first.
func (c *DiskChecker) Check(ctx context.Context) error {
	what := "disk " + c.path
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("syscheck: %s: %w", what, err)
	}
	done := make(chan statfsResult, 1) // never blocks, so an abandoned call ends
	statfs := c.statfs
	go func() {
		avail, size, err := statfs(c.path)
		done <- statfsResult{avail, size, err}
	}()
	var r statfsResult
	select {
	case r = <-done:
	case <-ctx.Done():
		c.setObs(nil)
		return fmt.Errorf("syscheck: %s: statfs: %w", what, ctx.Err())
	}
	if r.err != nil {
		c.setObs(nil)
		return fmt.Errorf("syscheck: %s: %w", what, r.err)
	}

	free := fraction(r.avail, r.size)
	c.setObs([]core.Observation{
		{Name: "free", Value: float64(r.avail), Unit: "bytes"},
		{Name: "size", Value: float64(r.size), Unit: "bytes"},
		{Name: "free_fraction", Value: free, Unit: "ratio"},
	})
	l := levelOK
	switch {
	case below(free, c.cfg.CriticalFree) || below(float64(r.avail), float64(c.cfg.CriticalFreeBytes)):
		l = levelCritical
	case below(free, c.cfg.WarnFree) || below(float64(r.avail), float64(c.cfg.WarnFreeBytes)):
		l = levelWarn
	}
	if l == levelOK {
		return nil
	}
	text := fmt.Sprintf("%s free of %s (%.1f%%)", formatBytes(r.avail), formatBytes(r.size), free*100)
	return verdict(l, what, text,
		"below the warning "+freeDesc(c.cfg.WarnFree, c.cfg.WarnFreeBytes),
		"below the critical "+freeDesc(c.cfg.CriticalFree, c.cfg.CriticalFreeBytes))
}

// Observations returns the reading of the last Check, or nil if it had
// none:
//
//   - free: bytes free for unprivileged users (f_bavail)
//   - size: the filesystem's size in bytes (f_blocks)
//   - free_fraction: free / size
//
// Observations is safe for concurrent use.
func (c *DiskChecker) Observations() []core.Observation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.obs
}

func (c *DiskChecker) setObs(obs []core.Observation) {
	c.mu.Lock()
	c.obs = obs
	c.mu.Unlock()
}

// below reports whether v is below a minimum threshold; 0 is off.
func below(v, threshold float64) bool {
	return threshold > 0 && v < threshold
}

// freeDesc describes a level's thresholds: "5% free", "1.0 GiB free" or
// "5% or 1.0 GiB free".
func freeDesc(frac float64, bytes uint64) string {
	var parts []string
	if frac > 0 {
		parts = append(parts, percent(frac))
	}
	if bytes > 0 {
		parts = append(parts, formatBytes(bytes))
	}
	return strings.Join(parts, " or ") + " free"
}
