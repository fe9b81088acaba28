package otelprobe_test

import (
	"context"
	"log"
	"os/signal"
	"syscall"

	"go.opentelemetry.io/otel"

	"github.com/probekit/probekit/adapters/otelprobe"
	"github.com/probekit/probekit/core"
)

// Register a Health's instruments with the app's meter provider before
// starting it, and its check runs as spans with the app's tracer provider.
// In an app the providers are the SDK's, made in main with an OTLP
// exporter; here they are the global ones. The test module
// (adapters/otelprobe/test) has Examples that run against the SDK.
func ExampleRegister() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()

	h := core.MustNew(core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return nil })))
	defer h.Close()

	reg, err := otelprobe.Register(h,
		otelprobe.WithMeterProvider(otel.GetMeterProvider()),
		otelprobe.WithTracerProvider(otel.GetTracerProvider()),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer reg.Unregister()

	if err := h.Start(ctx); err != nil {
		log.Fatal(err)
	}
	<-ctx.Done()
}
