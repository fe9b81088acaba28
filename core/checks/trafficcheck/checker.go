package trafficcheck

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/probekit/probekit/core"
)

var (
	_ core.Checker  = (*Checker)(nil)
	_ core.Observer = (*Checker)(nil)
)

// Checker judges the requests a [Recorder] holds: over the requests that
// ended within a window (default the last minute, see [Window]), it
// computes the success rate and a latency percentile (p99 by default, see
// [Percentile]), and reports
//
//   - unhealthy (an error; readiness 503) when either crosses its critical
//     threshold: a success rate below 0.5 by default ([SuccessRate]), a
//     latency above a limit, none by default ([Latency]);
//   - degraded (a [core.Warn] error; still 200) when either crosses its
//     warning threshold: a success rate below 0.99 by default;
//   - healthy (nil) otherwise, and while the window holds fewer requests
//     than [MinRequests] (20 by default): no traffic is not a failure.
//
// The errors wrap [ErrSuccessRate] and [ErrLatency]. Observations report
// the figures (see [Checker.Observations]).
//
// Register it for readiness, the default of [core.WithCheck]: never for
// liveness (see the package documentation). Check only reads the ring, in
// a few microseconds per thousand requests; it never slows recording. A
// Checker is safe for concurrent use.
type Checker struct {
	rec  *Recorder
	cfg  config
	name string // of the latency observation: "latency_p99"

	mu  sync.Mutex // guards buf and obs
	buf []uint32   // latencies in the window, reused
	obs []core.Observation
}

// New returns a Checker judging rec with opts. A nil rec or an invalid
// option value is an error naming it; see each [Option].
func New(rec *Recorder, opts ...Option) (*Checker, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	errs := cfg.validate()
	if rec == nil {
		errs = append([]error{ErrNilRecorder}, errs...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Checker{
		rec:  rec,
		cfg:  cfg,
		name: "latency_p" + strconv.FormatFloat(cfg.percentile, 'f', -1, 64),
	}, nil
}

// MustNew is like [New] but panics on an error, for configuration fixed in
// code.
func MustNew(rec *Recorder, opts ...Option) *Checker {
	c, err := New(rec, opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// Check judges the requests that ended within the window, as described
// at [Checker]. It ignores ctx: it only reads memory.
func (c *Checker) Check(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.rec.stats(c.cfg.window, c.cfg.percentile, &c.buf)
	c.obs = c.observations(st)
	return c.judge(st)
}

// judge returns nil, a warning or an error for st.
func (c *Checker) judge(st Stats) error {
	if st.Requests == 0 || st.Requests < c.cfg.minRequests {
		return nil
	}
	critical := false
	var rateLimit float64
	rate := st.SuccessRate()
	switch {
	case c.cfg.critRate > 0 && rate < c.cfg.critRate:
		rateLimit, critical = c.cfg.critRate, true
	case c.cfg.warnRate > 0 && rate < c.cfg.warnRate:
		rateLimit = c.cfg.warnRate
	}
	var latLimit time.Duration
	switch {
	case c.cfg.critLatency > 0 && st.Latency > c.cfg.critLatency:
		latLimit, critical = c.cfg.critLatency, true
	case c.cfg.warnLatency > 0 && st.Latency > c.cfg.warnLatency:
		latLimit = c.cfg.warnLatency
	}
	if rateLimit == 0 && latLimit == 0 {
		return nil
	}
	err := newThresholdError(st, rateLimit, latLimit)
	if critical {
		return err
	}
	return core.Warn(err)
}

// observations returns what st reports.
func (c *Checker) observations(st Stats) []core.Observation {
	obs := []core.Observation{
		{Name: "requests", Value: float64(st.Requests)},
		{Name: "failures", Value: float64(st.Failures)},
	}
	if st.Requests > 0 {
		obs = append(obs,
			core.Observation{Name: "success_rate", Value: st.SuccessRate()},
			core.Observation{Name: c.name, Value: float64(st.Latency) / 1e6, Unit: "ms"},
		)
	}
	return obs
}

// Observations returns the figures of the last Check, nil before the
// first:
//
//   - requests: requests that ended within the window, at most the
//     Recorder's capacity
//   - failures: how many of them failed
//   - success_rate: the share that did not fail, from 0 to 1 (only when
//     requests > 0)
//   - latency_p99 (named after the percentile, e.g. latency_p99.9): that
//     percentile of their latencies, in ms (only when requests > 0)
//
// They are reported whether or not there were enough requests to judge.
func (c *Checker) Observations() []core.Observation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.obs
}
