package otelprobe

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Option configures [Register].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	mp metric.MeterProvider
	tp trace.TracerProvider // nil: no spans
}

func newConfig(opts []Option) config {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	if cfg.mp == nil {
		cfg.mp = otel.GetMeterProvider()
	}
	return cfg
}

// WithMeterProvider sets the provider the instruments are created with.
// Default (or nil) the global provider, [otel.GetMeterProvider], at the
// time [Register] runs.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.mp = mp })
}

// WithTracerProvider turns tracing on: one span per check run, from tp.
// Default (or nil) no spans, and unlike most instrumentation the global
// provider is not used: a span per check every interval is a volume an app
// opts in to.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tp = tp })
}
