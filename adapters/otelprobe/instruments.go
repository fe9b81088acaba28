package otelprobe

import (
	"errors"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/probekit/probekit/core"
)

// ScopeName is the instrumentation scope of the meter and the tracer.
const ScopeName = "github.com/probekit/probekit/adapters/otelprobe"

// Instrument names. Every check instrument carries [AttrCheckName] and
// [AttrCheckCritical].
const (
	// MetricProbeStatus is an Int64ObservableUpDownCounter, unit "1", with
	// [AttrProbeName] and [AttrProbeState]: one series per state of each
	// probe, 1 for the state it is in and 0 for the others.
	MetricProbeStatus = "probekit.probe.status"
	// MetricCheckStatus is an Int64ObservableUpDownCounter, unit "1", with
	// [AttrCheckState] too: one series per state of each check, 1 for the
	// state it is in and 0 for the others.
	MetricCheckStatus = "probekit.check.status"
	// MetricCheckLastSuccessAge is a Float64ObservableGauge, unit "s": the
	// time from the check's last pass to the collection, absent until it
	// has passed once.
	MetricCheckLastSuccessAge = "probekit.check.last_success.age"
	// MetricCheckDuration is a Float64Histogram, unit "s": each run's
	// duration, and that of a run still going past its timeout each time
	// core reports it.
	MetricCheckDuration = "probekit.check.duration"
	// MetricCheckRuns is an Int64Counter, unit "{run}": results recorded
	// since [core.Health.Start], as [core.CheckState] Runs counts them.
	MetricCheckRuns = "probekit.check.runs"
	// MetricCheckFailures is an Int64Counter, unit "{run}": failed results
	// since [core.Health.Start], as [core.CheckState] Failures counts them.
	MetricCheckFailures = "probekit.check.failures"
)

// Attribute keys.
const (
	// AttrProbeName is the probe: liveness, readiness or startup.
	AttrProbeName = attribute.Key("probekit.probe.name")
	// AttrProbeState is a probe's state: starting, ok, degraded,
	// unhealthy or draining.
	AttrProbeState = attribute.Key("probekit.probe.state")
	// AttrCheckName is the check's name, as given to [core.WithCheck].
	AttrCheckName = attribute.Key("probekit.check.name")
	// AttrCheckCritical is whether a failing check makes its probes
	// unhealthy (true) or only degraded (false); see [core.Critical].
	AttrCheckCritical = attribute.Key("probekit.check.critical")
	// AttrCheckState is a check's state: starting, ok, degraded or
	// unhealthy.
	AttrCheckState = attribute.Key("probekit.check.state")
)

// durationBounds are the duration histogram's bucket bounds in seconds, as
// OpenTelemetry advises for HTTP request durations: 5ms to 10s, beyond the
// default check timeout of 2s, with every bound of promprobe's default.
// An SDK View overrides them.
var durationBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// checkStates are the values of AttrCheckState: every status a check can
// be in.
var checkStates = [...]core.Status{core.StatusStarting, core.StatusHealthy, core.StatusDegraded, core.StatusUnhealthy}

// probeStates are the values of AttrProbeState: a probe's aggregate can
// also be draining (readiness, during shutdown).
var probeStates = [...]core.Status{core.StatusStarting, core.StatusHealthy, core.StatusDegraded, core.StatusUnhealthy, core.StatusDraining}

// probes are the values of AttrProbeName.
var probes = [...]core.Probe{core.Liveness, core.Readiness, core.Startup}

// instruments are the instruments a Registration reports to.
type instruments struct {
	probeStatus metric.Int64ObservableUpDownCounter
	checkStatus metric.Int64ObservableUpDownCounter
	age         metric.Float64ObservableGauge
	duration    metric.Float64Histogram
	runs        metric.Int64Counter
	failures    metric.Int64Counter
}

func newInstruments(m metric.Meter) (instruments, error) {
	var (
		in   instruments
		err  error
		errs []error
	)
	in.probeStatus, err = m.Int64ObservableUpDownCounter(MetricProbeStatus, metric.WithUnit("1"),
		metric.WithDescription("Aggregate status of the probe: 1 for the state it is in, 0 for the others."))
	errs = append(errs, err)
	in.checkStatus, err = m.Int64ObservableUpDownCounter(MetricCheckStatus, metric.WithUnit("1"),
		metric.WithDescription("Status of the health check: 1 for the state it is in, 0 for the others."))
	errs = append(errs, err)
	in.age, err = m.Float64ObservableGauge(MetricCheckLastSuccessAge, metric.WithUnit("s"),
		metric.WithDescription("Time since the health check last passed; absent until it has passed once."))
	errs = append(errs, err)
	in.duration, err = m.Float64Histogram(MetricCheckDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of the health check's runs; a run that outlives its timeout is recorded each time it is reported still running."),
		metric.WithExplicitBucketBoundaries(durationBounds...))
	errs = append(errs, err)
	in.runs, err = m.Int64Counter(MetricCheckRuns, metric.WithUnit("{run}"),
		metric.WithDescription("Results recorded for the health check, including runs reported failing because they outlived their timeout."))
	errs = append(errs, err)
	in.failures, err = m.Int64Counter(MetricCheckFailures, metric.WithUnit("{run}"),
		metric.WithDescription("Failed results recorded for the health check."))
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return instruments{}, fmt.Errorf("otelprobe: create instruments: %w", err)
	}
	return in, nil
}
