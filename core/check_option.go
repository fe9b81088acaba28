package core

import (
	"fmt"
	"time"
)

// Defaults for every check, used unless [WithCheckDefaults] or the check's
// own options say otherwise.
const (
	defaultInterval         = 5 * time.Second
	defaultTimeout          = 2 * time.Second
	defaultFailureThreshold = 3
	defaultSuccessThreshold = 1
	defaultJitter           = 0.1
)

// CheckOption configures one check registered with [WithCheck], or every
// check when given to [WithCheckDefaults].
type CheckOption interface {
	applyCheck(*checkConfig)
}

type checkOptionFunc func(*checkConfig)

func (f checkOptionFunc) applyCheck(c *checkConfig) { f(c) }

// checkConfig is the resolved configuration of one check.
type checkConfig struct {
	interval         time.Duration
	timeout          time.Duration
	failureThreshold int
	successThreshold int
	critical         bool
	probes           Probe
	jitter           float64
	maxBackoff       time.Duration // 0: 4 × interval
	staleAfter       time.Duration // 0: 3 × interval + timeout + grace
}

func defaultCheckConfig() checkConfig {
	return checkConfig{
		interval:         defaultInterval,
		timeout:          defaultTimeout,
		failureThreshold: defaultFailureThreshold,
		successThreshold: defaultSuccessThreshold,
		critical:         true,
		probes:           Readiness,
		jitter:           defaultJitter,
	}
}

// Interval sets the time from the end of one run of the check to the start of
// the next while it passes. Default 5s. Zero or negative is
// an error from [New].
func Interval(d time.Duration) CheckOption {
	return checkOptionFunc(func(c *checkConfig) { c.interval = d })
}

// Timeout sets the check's deadline: its context is cancelled after d. The
// scheduler waits a grace of d/10 (at most 100ms) more for the check's own
// error, then stops waiting, whether or not the check honours the context,
// and reports it "still running". Default 2s. Zero or
// negative is an error from [New]. A timeout longer than the [Interval] is
// allowed: runs never overlap, and the interval counts from the end of a run,
// so a short interval re-checks quickly while a long timeout waits out a slow
// dependency.
func Timeout(d time.Duration) CheckOption {
	return checkOptionFunc(func(c *checkConfig) { c.timeout = d })
}

// FailureThreshold sets how many consecutive failed runs turn a passing
// check failing. Default 3. A check's very first
// result sets its status directly, so a dependency that has never answered
// is never reported ready. Less than 1 is an error from [New].
func FailureThreshold(n int) CheckOption {
	return checkOptionFunc(func(c *checkConfig) { c.failureThreshold = n })
}

// SuccessThreshold sets how many consecutive passing runs turn a failing
// check passing again. Default 1. Less than 1 is
// an error from [New].
func SuccessThreshold(n int) CheckOption {
	return checkOptionFunc(func(c *checkConfig) { c.successThreshold = n })
}

// Critical sets whether a failing check makes its probes unhealthy (503).
// A failing non-critical check only makes them degraded (still 200).
// Default true.
func Critical(critical bool) CheckOption {
	return checkOptionFunc(func(c *checkConfig) { c.critical = critical })
}

// ForProbes sets which probes the check counts for, e.g.
// ForProbes(Liveness|Readiness). Default [Readiness]: a dependency outage
// must not make Kubernetes restart the pod, so liveness is opt-in. Zero, or a
// value with bits outside Liveness|Readiness|Startup, is an error from [New].
func ForProbes(p Probe) CheckOption {
	return checkOptionFunc(func(c *checkConfig) { c.probes = p })
}

// Jitter spreads runs out: each delay is multiplied by a random factor in
// [1-f, 1+f], so that many replicas do not hit a dependency in lockstep.
// Default 0.1. Zero disables jitter; a value outside
// [0, 1) is an error from [New].
func Jitter(f float64) CheckOption {
	return checkOptionFunc(func(c *checkConfig) { c.jitter = f })
}

// MaxBackoff caps the delay between runs while the check keeps failing. Once
// a check has reached its failure threshold the delay doubles with every
// further failure, from the interval up to d, so probes never add load to an
// outage; the first success restores the interval. The cap also bounds how
// late a recovery is noticed. Default (or zero): 4 × the interval. A value
// equal to the interval disables backoff; less than the interval is an error
// from [New].
func MaxBackoff(d time.Duration) CheckOption {
	return checkOptionFunc(func(c *checkConfig) { c.maxBackoff = d })
}

// StaleAfter sets how old a passing result may grow before it counts as
// failing, whatever the reason no newer result arrived. The scheduler
// replaces every result at least once per interval (a run that does not
// return is reported failing at its timeout), so this is a safety net: a
// stale pass is never served. Default (or zero): 3 × the interval + the
// timeout + its grace (a tenth of it, at most 100ms). A value not longer
// than the interval (with jitter) plus the timeout and its grace is an
// error from [New].
func StaleAfter(d time.Duration) CheckOption {
	return checkOptionFunc(func(c *checkConfig) { c.staleAfter = d })
}

// resolve fills in derived defaults and validates the configuration.
func (c *checkConfig) resolve() error {
	if c.interval <= 0 {
		return fmt.Errorf("interval must be positive, got %v", c.interval)
	}
	if c.timeout <= 0 {
		return fmt.Errorf("timeout must be positive, got %v", c.timeout)
	}
	if c.failureThreshold < 1 {
		return fmt.Errorf("failure threshold must be at least 1, got %d", c.failureThreshold)
	}
	if c.successThreshold < 1 {
		return fmt.Errorf("success threshold must be at least 1, got %d", c.successThreshold)
	}
	if c.probes == 0 || c.probes&^allProbes != 0 {
		return fmt.Errorf("probes must be a combination of Liveness, Readiness and Startup, got %d", uint8(c.probes))
	}
	if !(c.jitter >= 0 && c.jitter < 1) { // also rejects NaN
		return fmt.Errorf("jitter must be in [0, 1), got %v", c.jitter)
	}
	switch {
	case c.maxBackoff == 0:
		c.maxBackoff = 4 * c.interval
	case c.maxBackoff < c.interval:
		return fmt.Errorf("max backoff %v is shorter than the interval %v", c.maxBackoff, c.interval)
	}
	// A run that hangs is reported at its timeout plus the grace: the
	// default leaves room for that report before a pass goes stale, so
	// that a hang counts against FailureThreshold like any failure.
	grace := abandonGrace(c.timeout)
	longestGap := time.Duration(float64(c.interval)*(1+c.jitter)) + c.timeout + grace
	switch {
	case c.staleAfter == 0:
		c.staleAfter = 3*c.interval + c.timeout + grace
	case c.staleAfter <= longestGap:
		return fmt.Errorf("stale after %v must be longer than interval plus jitter plus timeout and its grace (%v)", c.staleAfter, longestGap)
	}
	return nil
}
