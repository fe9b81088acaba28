package promprobe

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/probekit/probekit/core"
)

var _ prometheus.Collector = (*Collector)(nil)

// Errors returned by [NewCollector], [Register] and [Handler].
var (
	// ErrNilHealth is returned when the Health given is nil.
	ErrNilHealth = errors.New("promprobe: nil health")
	// ErrNilRegisterer is returned by [Register] when the Registerer given
	// is nil.
	ErrNilRegisterer = errors.New("promprobe: nil registerer")
	// ErrInvalidOption is wrapped by the errors about an invalid namespace,
	// const label or histogram bucket.
	ErrInvalidOption = errors.New("promprobe: invalid option")
)

// Collector is a [prometheus.Collector] over a [core.Health]: per check its
// status, critical flag, run and failure counts, time since its last
// success and a histogram of its run durations, and per probe its
// aggregate status. The package documentation lists every metric.
//
// A scrape reads the Health's cached state: it never runs a check and never
// waits for one, so it answers at once even while a check hangs. The
// duration histogram is fed by a result listener ([core.Health.ListenResults])
// off the probe path; it sees every run from [core.Health.Start] on if the
// Collector is made before Start, and only later runs otherwise.
//
// A Collector starts no goroutine. [Collector.Close] stops its listener;
// without Close the listener lives as long as the Health. All methods are
// safe for concurrent use.
type Collector struct {
	h        *core.Health
	d        descs
	duration *prometheus.HistogramVec

	// probe holds the probe_status series, pre-built with the values 0 and
	// 1: [probe][state][value].
	probe [len(probes)][len(probeStates)][2]prometheus.Metric

	mu     sync.Mutex
	checks map[string]*checkSeries // by check name; grows, never shrinks

	stop      func()
	closeOnce sync.Once
}

// checkSeries is one check's pre-built series and histogram.
type checkSeries struct {
	status   [len(checkStates)][2]prometheus.Metric // [state][value]
	critical [2]prometheus.Metric
	duration prometheus.Observer
	runs     atomic.Uint64 // CheckState.Runs at the last observation
}

// NewCollector returns a Collector for h, configured by opts, and starts
// listening for h's results. Register it with a registry of the app's
// choosing (or use [Register] or [Handler]); nothing is registered
// anywhere by NewCollector. A nil h is [ErrNilHealth]; an invalid option is
// an error wrapping [ErrInvalidOption].
func NewCollector(h *core.Health, opts ...Option) (*Collector, error) {
	if h == nil {
		return nil, ErrNilHealth
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	d, err := newDescs(&cfg)
	if err != nil {
		return nil, err
	}
	c := &Collector{
		h: h,
		d: d,
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace:   cfg.namespace,
			Subsystem:   "check",
			Name:        "duration_seconds",
			Help:        durationHelp,
			ConstLabels: cfg.constLabels,
			Buckets:     cfg.buckets,
		}, []string{labelCheck}),
		checks: make(map[string]*checkSeries),
	}
	for i, p := range probes {
		for j, s := range probeStates {
			for v := range 2 {
				c.probe[i][j][v] = prometheus.MustNewConstMetric(d.probeStatus, prometheus.GaugeValue, float64(v), p.String(), s.String())
			}
		}
	}
	// Create every check's series now, so that a histogram with no
	// observations is exported as zero rather than missing.
	for _, st := range h.Checks() {
		c.series(st.Name)
	}
	c.stop = h.ListenResults(c.observe)
	return c, nil
}

// Close stops the Collector's result listener: durations are no longer
// observed, while the other metrics keep following the Health. Call it when
// the Collector is unregistered while its Health lives on; it need not be
// called when the Health is closed. Close is idempotent.
func (c *Collector) Close() {
	c.closeOnce.Do(c.stop)
}

// Describe sends the descriptors of every metric the Collector exports. It
// implements [prometheus.Collector].
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	c.d.describe(ch)
	c.duration.Describe(ch)
}

// Collect sends the current value of every metric, read from the Health's
// cached state. It never runs a check and never waits for one. It
// implements [prometheus.Collector].
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	now := time.Now()
	for _, st := range c.h.Checks() {
		s := c.series(st.Name)
		for i, state := range checkStates {
			ch <- s.status[i][b2i(st.Status == state)]
		}
		ch <- s.critical[b2i(st.Critical)]
		ch <- prometheus.MustNewConstMetric(c.d.checkRuns, prometheus.CounterValue, float64(st.Runs), st.Name)
		ch <- prometheus.MustNewConstMetric(c.d.checkFailures, prometheus.CounterValue, float64(st.Failures), st.Name)
		if !st.LastSuccess.IsZero() {
			age := max(now.Sub(st.LastSuccess), 0)
			ch <- prometheus.MustNewConstMetric(c.d.checkAge, prometheus.GaugeValue, age.Seconds(), st.Name)
		}
	}
	c.duration.Collect(ch)
	for i, p := range probes {
		status := c.h.Status(p)
		for j, state := range probeStates {
			ch <- c.probe[i][j][b2i(status == state)]
		}
	}
}

// observe is the result listener: it records the duration of each new run.
// A result that is not a run (a stale mark) leaves Runs unchanged and is
// skipped.
func (c *Collector) observe(st core.CheckState) {
	s := c.series(st.Name)
	if st.Runs > s.runs.Load() {
		s.runs.Store(st.Runs)
		s.duration.Observe(st.Duration.Seconds())
	}
}

// series returns the series of the check called name, creating them on
// first use.
func (c *Collector) series(name string) *checkSeries {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.checks[name]; ok {
		return s
	}
	s := &checkSeries{duration: c.duration.WithLabelValues(name)}
	for i, state := range checkStates {
		for v := range 2 {
			s.status[i][v] = prometheus.MustNewConstMetric(c.d.checkStatus, prometheus.GaugeValue, float64(v), name, state.String())
		}
	}
	for v := range 2 {
		s.critical[v] = prometheus.MustNewConstMetric(c.d.checkCritical, prometheus.GaugeValue, float64(v), name)
	}
	c.checks[name] = s
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
