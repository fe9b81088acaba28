package test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/probekit/probekit/adapters/otelprobe"
	"github.com/probekit/probekit/core"
)

// switchable is a checker whose outcome the test sets. Each run takes
// sleep, fake time under synctest (the tests that run in real time leave
// it zero), so that durations are exact.
type switchable struct {
	sleep time.Duration
	err   atomic.Pointer[error]
}

func (s *switchable) set(err error) {
	if err == nil {
		s.err.Store(nil)
		return
	}
	s.err.Store(&err)
}

func (s *switchable) Check(context.Context) error {
	if s.sleep > 0 {
		time.Sleep(s.sleep)
	}
	if p := s.err.Load(); p != nil {
		return *p
	}
	return nil
}

// telemetry is an OpenTelemetry SDK set up for one test: a meter provider
// read by a ManualReader and a tracer provider whose ended spans a
// SpanRecorder keeps.
type telemetry struct {
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
}

func newTelemetry(t testing.TB) *telemetry {
	t.Helper()
	tel := &telemetry{reader: sdkmetric.NewManualReader(), spans: tracetest.NewSpanRecorder()}
	tel.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader))
	tel.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tel.spans))
	t.Cleanup(func() {
		_ = tel.mp.Shutdown(context.Background())
		_ = tel.tp.Shutdown(context.Background())
	})
	return tel
}

// register calls otelprobe.Register(h) with tel's providers followed by
// opts, failing the test on an error, and unregisters when the test ends.
func (tel *telemetry) register(t testing.TB, h *core.Health, opts ...otelprobe.Option) *otelprobe.Registration {
	t.Helper()
	opts = append([]otelprobe.Option{otelprobe.WithMeterProvider(tel.mp), otelprobe.WithTracerProvider(tel.tp)}, opts...)
	reg, err := otelprobe.Register(h, opts...)
	if err != nil {
		t.Fatalf("Register() error = %v", err)
	}
	t.Cleanup(func() {
		if err := reg.Unregister(); err != nil {
			t.Errorf("Unregister() = %v", err)
		}
	})
	return reg
}

// metrics collects tel's reader and returns otelprobe's metrics.
func (tel *telemetry) metrics(t testing.TB) []metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatalf("Collect() = %v", err)
	}
	var out []metricdata.Metrics
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name == otelprobe.ScopeName {
			out = append(out, sm.Metrics...)
		}
	}
	return out
}

// collect collects tel's reader and returns otelprobe's values by series.
func (tel *telemetry) collect(t testing.TB) samples {
	t.Helper()
	return flatten(t, tel.metrics(t))
}

// ended returns the spans ended so far.
func (tel *telemetry) ended() []sdktrace.ReadOnlySpan { return tel.spans.Ended() }

// samples are values by series: `name{key=value,…}` with the attributes
// in key order (see series). A histogram gives name.count and name.sum.
type samples map[string]float64

// series returns the key of a series in samples.
func series(name string, attrs ...attribute.KeyValue) string {
	set := attribute.NewSet(attrs...)
	return name + "{" + set.Encoded(attribute.DefaultEncoder()) + "}"
}

func flatten(t testing.TB, ms []metricdata.Metrics) samples {
	t.Helper()
	out := samples{}
	for _, m := range ms {
		switch d := m.Data.(type) {
		case metricdata.Sum[int64]:
			for _, p := range d.DataPoints {
				out[series(m.Name, p.Attributes.ToSlice()...)] = float64(p.Value)
			}
		case metricdata.Gauge[float64]:
			for _, p := range d.DataPoints {
				out[series(m.Name, p.Attributes.ToSlice()...)] = p.Value
			}
		case metricdata.Histogram[float64]:
			for _, p := range d.DataPoints {
				out[series(m.Name+".count", p.Attributes.ToSlice()...)] = float64(p.Count)
				out[series(m.Name+".sum", p.Attributes.ToSlice()...)] = p.Sum
			}
		default:
			t.Fatalf("metric %s: unexpected data %T", m.Name, m.Data)
		}
	}
	return out
}

// diff returns how got differs from want (a subset of the series) and
// from absent (series that must not be there), one line per difference.
func (got samples) diff(want samples, absent ...string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s missing; want %v", k, want[k]))
		case g != want[k]:
			out = append(out, fmt.Sprintf("%s = %v; want %v", k, g, want[k]))
		}
	}
	for _, k := range absent {
		if g, ok := got[k]; ok {
			out = append(out, fmt.Sprintf("%s = %v; want it absent", k, g))
		}
	}
	return out
}

func checkAttrs(check string, critical bool) []attribute.KeyValue {
	return []attribute.KeyValue{otelprobe.AttrCheckName.String(check), otelprobe.AttrCheckCritical.Bool(critical)}
}

// checkStatus returns the check status series of a check, with 1 for state
// and 0 for the others.
func checkStatus(check string, critical bool, state string) samples {
	out := samples{}
	for _, s := range []string{"starting", "ok", "degraded", "unhealthy"} {
		out[series(otelprobe.MetricCheckStatus, append(checkAttrs(check, critical), otelprobe.AttrCheckState.String(s))...)] = b2f(s == state)
	}
	return out
}

// probeStatus is checkStatus for a probe's aggregate.
func probeStatus(probe, state string) samples {
	out := samples{}
	for _, s := range []string{"starting", "ok", "degraded", "unhealthy", "draining"} {
		out[series(otelprobe.MetricProbeStatus, otelprobe.AttrProbeName.String(probe), otelprobe.AttrProbeState.String(s))] = b2f(s == state)
	}
	return out
}

// counts returns a check's run and failure counters and its duration
// histogram's count (which must equal runs) and sum.
func counts(check string, critical bool, runs, failures int, durationSum float64) samples {
	a := checkAttrs(check, critical)
	return samples{
		series(otelprobe.MetricCheckRuns, a...):              float64(runs),
		series(otelprobe.MetricCheckFailures, a...):          float64(failures),
		series(otelprobe.MetricCheckDuration+".count", a...): float64(runs),
		series(otelprobe.MetricCheckDuration+".sum", a...):   durationSum,
	}
}

func age(check string, critical bool, seconds float64) samples {
	return samples{ageSeries(check, critical): seconds}
}

func ageSeries(check string, critical bool) string {
	return series(otelprobe.MetricCheckLastSuccessAge, checkAttrs(check, critical)...)
}

// merge returns the union of ss.
func merge(ss ...samples) samples {
	out := samples{}
	for _, s := range ss {
		maps.Copy(out, s)
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
