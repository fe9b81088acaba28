package syscheck

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"github.com/probekit/probekit/core"
)

var (
	_ core.Checker  = (*GoroutinesChecker)(nil)
	_ core.Observer = (*GoroutinesChecker)(nil)
)

// Defaults of a [GoroutinesConfig].
const (
	DefaultGoroutinesWarn     = 10_000
	DefaultGoroutinesCritical = 100_000
)

// GoroutinesConfig configures a [GoroutinesChecker]. The zero value is
// valid: warning above 10,000 goroutines, failing above 100,000. Those
// suit a typical service; set them from what yours runs at its peak (an
// HTTP server runs a goroutine per open connection), a few times over, so
// that only a leak crosses them.
type GoroutinesConfig struct {
	// Warn is the number of goroutines above which Check passes with a
	// warning ([core.Warn]: degraded, still 200).
	// Optional. Default: 10,000 ([DefaultGoroutinesWarn]).
	Warn int

	// Critical is the number of goroutines above which Check fails. A
	// Critical equal to Warn leaves no warning band.
	// Optional. Default: 100,000 ([DefaultGoroutinesCritical]).
	//
	// After defaults, 0 < Warn <= Critical must hold, or [Goroutines]
	// returns an error wrapping [ErrInvalidConfig].
	Critical int
}

// GoroutinesChecker checks the number of goroutines (see [Goroutines]).
// It reports the count as an observation. A GoroutinesChecker is safe for
// concurrent use.
type GoroutinesChecker struct {
	warn, critical int

	mu  sync.Mutex
	obs []core.Observation
}

// Goroutines returns a [GoroutinesChecker] configured by cfg, or an error
// wrapping [ErrInvalidConfig] that names the offending field.
//
// Check counts the goroutines (runtime.NumGoroutine) and returns nil up to
// cfg.Warn, a warning made by [core.Warn] above it and an error above
// cfg.Critical. Both errors wrap [ErrThreshold] and read, e.g.,
//
//	syscheck: goroutines: 120000 goroutines, above the critical 100000
//
// It is a leak detector: goroutines that are started and never end pile
// up until the process runs out of memory or time, and only a restart
// frees them. That makes it one of the few checks that belong in
// liveness, with a critical threshold far above the normal peak. It costs
// next to nothing, and never stops the world.
func Goroutines(cfg GoroutinesConfig) (*GoroutinesChecker, error) {
	if cfg.Warn == 0 {
		cfg.Warn = DefaultGoroutinesWarn
	}
	if cfg.Critical == 0 {
		cfg.Critical = DefaultGoroutinesCritical
	}
	switch {
	case cfg.Warn < 0:
		return nil, invalid("goroutines: Warn %d must be positive", cfg.Warn)
	case cfg.Critical < 0:
		return nil, invalid("goroutines: Critical %d must be positive", cfg.Critical)
	case cfg.Warn > cfg.Critical:
		return nil, invalid("goroutines: Warn %d is above Critical %d", cfg.Warn, cfg.Critical)
	}
	return &GoroutinesChecker{warn: cfg.Warn, critical: cfg.Critical}, nil
}

// Check counts the goroutines and compares the count with the thresholds
// (see [Goroutines]).
func (c *GoroutinesChecker) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("syscheck: goroutines: %w", err)
	}
	n := runtime.NumGoroutine()
	c.mu.Lock()
	c.obs = []core.Observation{{Name: "goroutines", Value: float64(n)}}
	c.mu.Unlock()
	l := above(float64(n), float64(c.warn), float64(c.critical))
	return verdict(l, "goroutines", strconv.Itoa(n)+" goroutines",
		"above the warning "+strconv.Itoa(c.warn), "above the critical "+strconv.Itoa(c.critical))
}

// Observations returns the count of the last Check, as "goroutines", or
// nil before the first. It is safe for concurrent use.
func (c *GoroutinesChecker) Observations() []core.Observation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.obs
}
