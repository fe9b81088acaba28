package otelprobe

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/probekit/probekit/core"
)

// ErrNilHealth is returned by [Register] when the Health given is nil.
var ErrNilHealth = errors.New("otelprobe: nil health")

// Registration is the instrumentation of one [core.Health], made by
// [Register]. Its methods are safe for concurrent use.
type Registration struct {
	h      *core.Health
	inst   instruments
	tracer trace.Tracer // nil: no spans

	// probe holds the measurement options of the probe status series:
	// [probe][state].
	probe  [len(probes)][len(probeStates)][]metric.ObserveOption
	checks map[string]*checkSeries // by name; read-only once registered

	callback metric.Registration
	stop     func()
	closed   atomic.Bool
	once     sync.Once
	err      error
}

// Register creates probekit's instruments for h with the meter provider
// of [WithMeterProvider], registers the callback that observes h's cached
// state at each collection, and starts listening for h's results, which
// feed the duration histogram, the run and failure counters and, with
// [WithTracerProvider], one span per run. Register before
// [core.Health.Start] to see every run. A nil h is [ErrNilHealth]; an
// error from the meter is returned wrapped.
//
// Register starts no goroutine. Call [Registration.Unregister] when the
// instrumentation must stop while the Health lives on; it need not be
// called when the Health is closed. Register one Health per meter
// provider: the probe series of two would have the same attributes.
func Register(h *core.Health, opts ...Option) (*Registration, error) {
	if h == nil {
		return nil, ErrNilHealth
	}
	cfg := newConfig(opts)
	meter := cfg.mp.Meter(ScopeName)
	inst, err := newInstruments(meter)
	if err != nil {
		return nil, err
	}
	r := &Registration{h: h, inst: inst, checks: make(map[string]*checkSeries)}
	if cfg.tp != nil {
		r.tracer = cfg.tp.Tracer(ScopeName)
	}
	for i, p := range probes {
		for j, s := range probeStates {
			r.probe[i][j] = []metric.ObserveOption{metric.WithAttributes(AttrProbeName.String(p.String()), AttrProbeState.String(s.String()))}
		}
	}
	for _, st := range h.Checks() {
		s := newCheckSeries(st)
		r.checks[st.Name] = s
		// Counters exist at zero from the start, as promprobe's do.
		r.inst.runs.Add(context.Background(), 0, s.add...)
		r.inst.failures.Add(context.Background(), 0, s.add...)
	}
	r.callback, err = meter.RegisterCallback(r.collect, inst.probeStatus, inst.checkStatus, inst.age)
	if err != nil {
		return nil, fmt.Errorf("otelprobe: register callback: %w", err)
	}
	r.stop = h.ListenResults(r.observe)
	return r, nil
}

// Unregister stops the instrumentation: the callback is unregistered, so
// the status and age instruments report nothing from the next collection
// on, and the result listener is stopped, so the counters and the
// histogram keep their last values and no span is started. It returns the
// meter's error, if any. Unregister is idempotent.
func (r *Registration) Unregister() error {
	r.once.Do(func() {
		r.closed.Store(true)
		r.stop()
		r.err = r.callback.Unregister()
	})
	return r.err
}
