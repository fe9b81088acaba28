package otelprobe

import (
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/probekit/probekit/core"
)

// checkSeries is one check's pre-built measurement options, and what the
// result listener remembers of it.
type checkSeries struct {
	attrs    []attribute.KeyValue // name and critical
	spanName string
	status   [len(checkStates)][]metric.ObserveOption
	age      []metric.ObserveOption
	add      []metric.AddOption
	record   []metric.RecordOption

	// Owned by the result listener.
	runs, failures uint64        // CheckState Runs and Failures last counted
	spanStart      time.Time     // start of the run last traced
	spanDur        time.Duration // its duration when traced
	spanFailed     bool          // whether it failed
}

func newCheckSeries(st core.CheckState) *checkSeries {
	attrs := []attribute.KeyValue{AttrCheckName.String(st.Name), AttrCheckCritical.Bool(st.Critical)}
	set := attribute.NewSet(attrs...)
	opt := metric.WithAttributeSet(set)
	s := &checkSeries{
		attrs:    attrs,
		spanName: SpanNamePrefix + st.Name,
		age:      []metric.ObserveOption{opt},
		add:      []metric.AddOption{opt},
		record:   []metric.RecordOption{opt},
	}
	for i, state := range checkStates {
		s.status[i] = []metric.ObserveOption{metric.WithAttributeSet(attribute.NewSet(append(attrs[:len(attrs):len(attrs)], AttrCheckState.String(state.String()))...))}
	}
	return s
}
