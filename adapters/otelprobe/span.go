package otelprobe

import (
	"context"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/probekit/probekit/core"
)

// SpanNamePrefix starts the name of every span, followed by the check's
// name: "health.check redis".
const SpanNamePrefix = "health.check "

// span records the run that produced st as a span of its own (a root: a
// run belongs to no request), from its start (Checked - Duration) to
// Checked, with the check's attributes and its state after the result. A
// failed run ends as an error whose description is core's redacted error
// text.
//
// A run that outlives its timeout is reported failing when it is
// abandoned and then again each interval until it returns; only the first
// report ends a span, since the later ones are the same run.
func (r *Registration) span(s *checkSeries, st core.CheckState) {
	start := st.Checked.Add(-st.Duration)
	failed := st.ConsecutiveFailures > 0
	if failed && s.spanFailed && start.Sub(s.spanStart) < s.spanDur/2 {
		return // a later report of the run already traced
	}
	s.spanStart, s.spanDur, s.spanFailed = start, st.Duration, failed
	_, span := r.tracer.Start(context.Background(), s.spanName,
		trace.WithNewRoot(),
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithTimestamp(start),
		trace.WithAttributes(s.attrs...),
	)
	span.SetAttributes(AttrCheckState.String(st.Status.String()))
	if failed {
		span.SetStatus(codes.Error, st.Err)
	}
	span.End(trace.WithTimestamp(st.Checked))
}
