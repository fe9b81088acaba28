package test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/probekit/probekit/adapters/otelprobe"
	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
)

const benchChecks = 20

// BenchmarkCollect measures one collection of a Health with 20 passing
// checks, each with one result: exporter=otelprobe is a ManualReader.Collect
// of otelprobe's instruments (the callback reads the Health's state);
// exporter=promprobe is a Gather of a registry holding promprobe's
// Collector over the same Health, in the same run. As a floor,
// exporter=otel-sync collects the same series held in the SDK's own
// synchronous instruments, with no callback, as an app instrumenting by
// hand would keep them. Compare with: benchstat -col /exporter.
func BenchmarkCollect(b *testing.B) {
	h := benchHealth(b)
	ctx := context.Background()

	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	b.Cleanup(func() { _ = mp.Shutdown(ctx) })
	reg, err := otelprobe.Register(h, otelprobe.WithMeterProvider(mp))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = reg.Unregister() })

	c, err := promprobe.NewCollector(h)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	promReg := prometheus.NewRegistry()
	promReg.MustRegister(c)

	syncReader := syncInstruments(b, benchChecks)

	start(b, h)

	readers := []struct {
		name   string
		reader *sdkmetric.ManualReader
	}{
		{"otelprobe", reader},
		{"otel-sync", syncReader},
	}
	for _, r := range readers {
		b.Run("exporter="+r.name, func(b *testing.B) {
			var rm metricdata.ResourceMetrics
			if err := r.reader.Collect(ctx, &rm); err != nil {
				b.Fatal(err)
			}
			if n := countPoints(&rm); n != wantPoints {
				b.Fatalf("%d points collected; want %d", n, wantPoints)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := r.reader.Collect(ctx, &rm); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("exporter=promprobe", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := promReg.Gather(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// wantPoints is the number of points a collection of benchChecks passing
// checks gives: per check 4 status series, an age, a histogram and two
// counters; per probe 5 status series.
const wantPoints = benchChecks*(4+1+1+2) + 3*5

// benchHealth returns a Health, not started, with benchChecks passing
// checks named "check-0", "check-1", …, whose interval is an hour, so that
// no result lands during a measurement. It is closed when b ends.
func benchHealth(b *testing.B) *core.Health {
	opts := []core.Option{core.WithLogger(nil), core.WithCheckDefaults(core.Interval(time.Hour))}
	for i := range benchChecks {
		opts = append(opts, core.WithCheck(fmt.Sprintf("check-%d", i), core.CheckerFunc(func(context.Context) error { return nil })))
	}
	h := core.MustNew(opts...)
	b.Cleanup(func() { _ = h.Close() })
	return h
}

// start starts h and returns once every check's first result has been
// delivered to the listeners registered before.
func start(b *testing.B, h *core.Health) {
	done := make(chan struct{})
	n := 0
	stop := h.ListenResults(func(core.CheckState) {
		if n++; n == benchChecks {
			close(done)
		}
	})
	defer stop()
	if err := h.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	<-done
}

// syncInstruments returns a ManualReader over the series otelprobe
// reports for n passing checks, held in synchronous instruments.
func syncInstruments(b *testing.B, n int) *sdkmetric.ManualReader {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	b.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	m := mp.Meter("bench")
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	checkStatus, err := m.Int64UpDownCounter(otelprobe.MetricCheckStatus)
	must(err)
	probeStatus, err := m.Int64UpDownCounter(otelprobe.MetricProbeStatus)
	must(err)
	age, err := m.Float64Gauge(otelprobe.MetricCheckLastSuccessAge)
	must(err)
	duration, err := m.Float64Histogram(otelprobe.MetricCheckDuration)
	must(err)
	runs, err := m.Int64Counter(otelprobe.MetricCheckRuns)
	must(err)
	failures, err := m.Int64Counter(otelprobe.MetricCheckFailures)
	must(err)
	ctx := context.Background()
	for i := range n {
		attrs := checkAttrs(fmt.Sprintf("check-%d", i), true)
		opt := metric.WithAttributes(attrs...)
		for _, s := range []string{"starting", "ok", "degraded", "unhealthy"} {
			checkStatus.Add(ctx, int64(b2f(s == "ok")), metric.WithAttributes(append(attrs, otelprobe.AttrCheckState.String(s))...))
		}
		age.Record(ctx, 0.5, opt)
		duration.Record(ctx, 0.001, opt)
		runs.Add(ctx, 1, opt)
		failures.Add(ctx, 0, opt)
	}
	for _, p := range []string{"liveness", "readiness", "startup"} {
		for _, s := range []string{"starting", "ok", "degraded", "unhealthy", "draining"} {
			probeStatus.Add(ctx, int64(b2f(s == "ok")), metric.WithAttributes(otelprobe.AttrProbeName.String(p), otelprobe.AttrProbeState.String(s)))
		}
	}
	return reader
}

func countPoints(rm *metricdata.ResourceMetrics) int {
	n := 0
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				n += len(d.DataPoints)
			case metricdata.Gauge[float64]:
				n += len(d.DataPoints)
			case metricdata.Histogram[float64]:
				n += len(d.DataPoints)
			}
		}
	}
	return n
}
