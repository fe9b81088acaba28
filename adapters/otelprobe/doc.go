// Package otelprobe exports a [core.Health]'s state through the
// OpenTelemetry metrics API, and optionally traces each check run: the
// OpenTelemetry counterpart of promprobe, with the same meanings, for
// services that export through the OpenTelemetry SDK (OTLP to a collector)
// rather than a Prometheus registry.
//
// Register before [core.Health.Start]:
//
//	reg, err := otelprobe.Register(h,
//		otelprobe.WithMeterProvider(mp),  // default: the global provider
//		otelprobe.WithTracerProvider(tp), // default: no spans
//	)
//	if err != nil {
//		return err
//	}
//	defer reg.Unregister()
//
// The status and age instruments are observed at collection time from the
// Health's cached state: a collection never runs a check and never waits
// for one. The duration histogram, the run and failure counters and the
// spans are fed by a result listener ([core.Health.ListenResults]).
//
// Instrument and attribute names are probekit's own (there is no
// OpenTelemetry semantic convention for health checks) and stable; the
// status instruments follow the convention for state metrics, one series
// per state with 1 for the current one. docs/opentelemetry.md lists them
// beside promprobe's families.
package otelprobe
