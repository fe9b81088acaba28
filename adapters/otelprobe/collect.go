package otelprobe

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/metric"
)

// collect is the callback of the observable instruments: it reads the
// Health's cached state, as a probe does, and never runs or waits for a
// check.
func (r *Registration) collect(_ context.Context, o metric.Observer) error {
	now := time.Now()
	for _, st := range r.h.Checks() {
		s := r.checks[st.Name]
		if s == nil {
			continue
		}
		for i, state := range checkStates {
			o.ObserveInt64(r.inst.checkStatus, b2i(st.Status == state), s.status[i]...)
		}
		if !st.LastSuccess.IsZero() {
			o.ObserveFloat64(r.inst.age, max(now.Sub(st.LastSuccess), 0).Seconds(), s.age...)
		}
	}
	for i, p := range probes {
		status := r.h.Status(p)
		for j, state := range probeStates {
			o.ObserveInt64(r.inst.probeStatus, b2i(status == state), r.probe[i][j]...)
		}
	}
	return nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
