package test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/probekit/probekit/adapters/otelprobe"
	"github.com/probekit/probekit/core"
)

// Register otelprobe with an SDK meter provider and read its instruments
// with a ManualReader, as an OTLP exporter's periodic reader would. Before
// Start, the check "db" has no result yet, so readiness is starting.
func Example_metrics() {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer mp.Shutdown(context.Background())

	h := core.MustNew(
		core.WithLogger(nil),
		core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return nil })),
	)
	defer h.Close()
	reg, err := otelprobe.Register(h, otelprobe.WithMeterProvider(mp))
	if err != nil {
		panic(err)
	}
	defer reg.Unregister()

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		panic(err)
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if m.Name != otelprobe.MetricProbeStatus {
			continue
		}
		for _, p := range m.Data.(metricdata.Sum[int64]).DataPoints {
			if probe, _ := p.Attributes.Value(otelprobe.AttrProbeName); probe.AsString() == "readiness" {
				state, _ := p.Attributes.Value(otelprobe.AttrProbeState)
				fmt.Println(state.AsString(), p.Value)
			}
		}
	}
	// Unordered output:
	// starting 1
	// ok 0
	// degraded 0
	// unhealthy 0
	// draining 0
}

// With a tracer provider, each check run is a span named after the check,
// ended as an error carrying core's redacted error text when it fails.
func Example_tracing() {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	defer tp.Shutdown(context.Background())

	h := core.MustNew(
		core.WithLogger(nil),
		core.WithCheck("db", core.CheckerFunc(func(context.Context) error {
			return errors.New("dial postgres://app:hunter2@db:5432/app: connection refused")
		})),
	)
	defer h.Close()
	reg, err := otelprobe.Register(h, otelprobe.WithTracerProvider(tp))
	if err != nil {
		panic(err)
	}
	defer reg.Unregister()

	// Wait for the first result: listeners are called in order, so the
	// span has ended by then.
	first := make(chan struct{})
	closeFirst := sync.OnceFunc(func() { close(first) })
	stop := h.ListenResults(func(core.CheckState) { closeFirst() })
	if err := h.Start(context.Background()); err != nil {
		panic(err)
	}
	<-first
	stop()

	for _, s := range spans.Ended() {
		fmt.Println(s.Name())
		fmt.Println(s.Status().Code, s.Status().Description)
	}
	// Output:
	// health.check db
	// Error dial postgres://app:xxxxx@db:5432/app: connection refused
}
