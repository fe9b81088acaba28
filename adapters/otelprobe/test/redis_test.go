package test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"

	"github.com/probekit/probekit/adapters/otelprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// TestRedisOutage runs a PING check against a test-owned redis-server that
// is killed and restarted, and follows it through collections and spans,
// polling until each state shows.
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	srv := testenv.StartRedis(t)
	h := testenv.NewHealth(t, core.WithCheck("redis", testenv.RedisPing(srv.Addr()),
		core.Interval(50*time.Millisecond), core.Timeout(time.Second), core.FailureThreshold(2)))
	tel := newTelemetry(t)
	tel.register(t, h)
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	failuresKey := series(otelprobe.MetricCheckFailures, checkAttrs("redis", true)...)

	var failures float64
	tests := []struct {
		name string
		give func()
		want samples
		cond func(samples) error // beyond want
	}{
		{
			name: "up",
			give: func() {},
			want: merge(checkStatus("redis", true, "ok"), probeStatus("readiness", "ok")),
		},
		{
			name: "killed",
			give: srv.Stop,
			want: merge(checkStatus("redis", true, "unhealthy"), probeStatus("readiness", "unhealthy"), probeStatus("liveness", "ok")),
			cond: func(s samples) error {
				if failures = s[failuresKey]; failures < 2 {
					return fmt.Errorf("failures = %v; want at least the threshold, 2", failures)
				}
				return nil
			},
		},
		{
			name: "restarted",
			give: srv.Restart,
			want: merge(checkStatus("redis", true, "ok"), probeStatus("readiness", "ok")),
			cond: func(s samples) error {
				if a := s[ageSeries("redis", true)]; a > 1 {
					return fmt.Errorf("last success age = %v; want a recent pass", a)
				}
				if f := s[failuresKey]; f < failures {
					return fmt.Errorf("failures = %v, below %v before: want a counter", f, failures)
				}
				return nil
			},
		},
	}
	for _, tt := range tests {
		tt.give()
		testenv.Eventually(t, 15*time.Second, func() error {
			got := tel.collect(t)
			if d := got.diff(tt.want); len(d) > 0 {
				return fmt.Errorf("%s: %s", tt.name, strings.Join(d, "; "))
			}
			if tt.cond != nil {
				if err := tt.cond(got); err != nil {
					return fmt.Errorf("%s: %w", tt.name, err)
				}
			}
			return nil
		})
	}

	// Once closed, every result has been delivered: one span per run, the
	// failed ones errors with core's text, and a duration per run.
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	st := h.Checks()[0]
	var errs uint64
	for _, s := range tel.ended() {
		if s.Status().Code == codes.Error {
			errs++
			if s.Status().Description == "" {
				t.Errorf("span %s ended as an error without a description", s.Name())
			}
		}
	}
	if n := uint64(len(tel.ended())); n != st.Runs || errs != st.Failures {
		t.Errorf("%d spans, %d errors; want one per run: %d, %d failed", n, errs, st.Runs, st.Failures)
	}
	got := tel.collect(t)
	want := counts("redis", true, int(st.Runs), int(st.Failures), 0)
	delete(want, series(otelprobe.MetricCheckDuration+".sum", checkAttrs("redis", true)...))
	for _, d := range got.diff(want) {
		t.Errorf("after Close: %s", d)
	}
}
