package main

import (
	"context"
	"errors"
	"os"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/probekit/probekit/adapters/otelprobe"
	"github.com/probekit/probekit/core"
)

// exportOTel sends h's metrics and one span per check run over OTLP/gRPC
// when OTEL_EXPORTER_OTLP_ENDPOINT is set; without it, it does nothing.
// The exporters and the resource read the standard OTEL_* variables
// (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_INSECURE, OTEL_METRIC_EXPORT_INTERVAL,
// …). The returned function flushes and stops them.
func exportOTel(ctx context.Context, h *core.Health) (stop func(context.Context) error, err error) {
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" {
		return func(context.Context) error { return nil }, nil
	}
	res, err := resource.New(ctx, resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil {
		return nil, err
	}
	metrics, err := otlpmetricgrpc.New(ctx)
	if err != nil {
		return nil, err
	}
	traces, err := otlptracegrpc.New(ctx)
	if err != nil {
		return nil, err
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithResource(res), sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metrics)))
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithBatcher(traces))
	reg, err := otelprobe.Register(h, otelprobe.WithMeterProvider(mp), otelprobe.WithTracerProvider(tp))
	if err != nil {
		return nil, errors.Join(err, mp.Shutdown(ctx), tp.Shutdown(ctx))
	}
	return func(ctx context.Context) error {
		return errors.Join(reg.Unregister(), mp.Shutdown(ctx), tp.Shutdown(ctx))
	}, nil
}
