package trafficcheck

import (
	"fmt"
	"time"
)

// Defaults of a [Checker], used unless an [Option] says otherwise.
const (
	// DefaultWindow is the span of time a Checker judges: the requests
	// that ended in the last minute.
	DefaultWindow = time.Minute
	// DefaultMinRequests is the fewest requests in the window a Checker
	// judges; with fewer it passes.
	DefaultMinRequests = 20
	// DefaultPercentile is the latency percentile a Checker computes: p99.
	DefaultPercentile = 99.0
	// DefaultWarnSuccessRate is the success rate below which a Checker
	// reports degraded: more than 1 request in 100 failing.
	DefaultWarnSuccessRate = 0.99
	// DefaultCriticalSuccessRate is the success rate below which a Checker
	// fails (unhealthy, readiness 503): more than half the requests
	// failing. See the package documentation for why it is that low.
	DefaultCriticalSuccessRate = 0.5
)

// Option configures a [Checker]; pass options to [New].
type Option interface {
	apply(*config)
}

type config struct {
	window                   time.Duration
	minRequests              int
	percentile               float64
	warnRate, critRate       float64
	warnLatency, critLatency time.Duration
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func defaultConfig() config {
	return config{
		window:      DefaultWindow,
		minRequests: DefaultMinRequests,
		percentile:  DefaultPercentile,
		warnRate:    DefaultWarnSuccessRate,
		critRate:    DefaultCriticalSuccessRate,
	}
}

// Window sets the span of time judged: the requests that ended within the
// last d, at most the Recorder's capacity ([Recorder.Cap]), in whole
// milliseconds. Default [DefaultWindow] (1 minute). A value that is not
// positive, or over 24h, is an error from [New].
//
// The window is also how long a failed request keeps counting: a pod that
// readiness took out of the load balancer gets almost no traffic, so it
// comes back when its failures have aged out of the window (see the
// package documentation).
func Window(d time.Duration) Option {
	return optionFunc(func(c *config) { c.window = d })
}

// MinRequests sets the fewest requests in the window that the Checker
// judges; with fewer, Check passes whatever they were, since a handful of
// requests says little (a single failure among three is a 67% success
// rate). Default [DefaultMinRequests] (20). Zero judges any number of
// requests, from one; no traffic at all always passes. Negative is an
// error from [New].
func MinRequests(n int) Option {
	return optionFunc(func(c *config) { c.minRequests = n })
}

// SuccessRate sets the success rates (the share of requests that did not
// fail, from 0 to 1) below which Check reports degraded (warn: a warning,
// still 200) or fails (critical: unhealthy, 503). A rate equal to a
// threshold does not cross it. Default [DefaultWarnSuccessRate] (0.99)
// and [DefaultCriticalSuccessRate] (0.5). Zero disables that threshold. A
// value outside [0, 1], or a critical threshold above the warning one
// (both set), is an error from [New].
func SuccessRate(warn, critical float64) Option {
	return optionFunc(func(c *config) { c.warnRate, c.critRate = warn, critical })
}

// Latency sets the latencies above which the percentile latency (see
// [Percentile]) makes Check report degraded (warn) or fail (critical). A
// latency equal to a threshold does not cross it. By default both are
// zero, disabled: what is slow depends on the app. A negative value, or a
// critical threshold below the warning one (both set), is an error from
// [New].
//
// Think twice before setting critical: an app is often slow because it is
// overloaded, and taking a pod out of the load balancer moves its load to
// the others, which then slow down too.
func Latency(warn, critical time.Duration) Option {
	return optionFunc(func(c *config) { c.warnLatency, c.critLatency = warn, critical })
}

// Percentile sets which latency percentile is computed and judged, from
// above 0 to 100 (the slowest request): 99 for p99, 99.9 for p99.9, 50 for
// the median. Default [DefaultPercentile] (99). Any other value, zero
// included, is an error from [New].
func Percentile(p float64) Option {
	return optionFunc(func(c *config) { c.percentile = p })
}

// validate reports every invalid setting of c.
func (c *config) validate() []error {
	var errs []error
	if c.window <= 0 || c.window > maxWindow {
		errs = append(errs, fmt.Errorf("trafficcheck: window %v is not in (0, %v]", c.window, maxWindow))
	}
	if c.minRequests < 0 {
		errs = append(errs, fmt.Errorf("trafficcheck: negative minimum of requests %d", c.minRequests))
	}
	if !(c.percentile > 0 && c.percentile <= 100) { // also rejects NaN
		errs = append(errs, fmt.Errorf("trafficcheck: percentile %v is not in (0, 100]", c.percentile))
	}
	for _, v := range []float64{c.warnRate, c.critRate} {
		if !(v >= 0 && v <= 1) { // also rejects NaN
			errs = append(errs, fmt.Errorf("trafficcheck: success rate threshold %v is not in [0, 1]", v))
		}
	}
	if c.warnRate > 0 && c.critRate > c.warnRate {
		errs = append(errs, fmt.Errorf("trafficcheck: critical success rate %v is above the warning one %v", c.critRate, c.warnRate))
	}
	if c.warnLatency < 0 || c.critLatency < 0 {
		errs = append(errs, fmt.Errorf("trafficcheck: negative latency threshold (warn %v, critical %v)", c.warnLatency, c.critLatency))
	}
	if c.warnLatency > 0 && c.critLatency > 0 && c.critLatency < c.warnLatency {
		errs = append(errs, fmt.Errorf("trafficcheck: critical latency %v is below the warning one %v", c.critLatency, c.warnLatency))
	}
	return errs
}
