package otelprobe

import (
	"context"

	"github.com/probekit/probekit/core"
)

// observe is the result listener. A result that is not a new one (a stale
// mark, which leaves Runs unchanged) is skipped. Counters add the
// difference from the last counted result, so they catch up with core's
// counts after results dropped for a slow listener.
func (r *Registration) observe(st core.CheckState) {
	s := r.checks[st.Name]
	if s == nil || st.Runs <= s.runs || r.closed.Load() {
		return
	}
	ctx := context.Background()
	r.inst.runs.Add(ctx, int64(st.Runs-s.runs), s.add...)
	if st.Failures > s.failures {
		r.inst.failures.Add(ctx, int64(st.Failures-s.failures), s.add...)
	}
	s.runs, s.failures = st.Runs, st.Failures
	r.inst.duration.Record(ctx, st.Duration.Seconds(), s.record...)
	if r.tracer != nil {
		r.span(s, st)
	}
}
