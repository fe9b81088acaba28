package promprobe_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// TestRedisOutage runs a PING check against a test-owned redis-server that
// is killed and restarted, and follows it through /metrics scraped over a
// loopback listener, polling until each state shows.
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	srv := testenv.StartRedis(t)
	h := testenv.NewHealth(t, core.WithCheck("redis", testenv.RedisPing(srv.Addr()),
		core.Interval(50*time.Millisecond), core.Timeout(time.Second), core.FailureThreshold(2)))
	url, client := serveMetrics(t, h)
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}

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
			want: merge(checkStatus("redis", "ok"), probeStatus("readiness", "ok")),
		},
		{
			name: "killed",
			give: srv.Stop,
			want: merge(checkStatus("redis", "unhealthy"), probeStatus("readiness", "unhealthy")),
			cond: func(s samples) error {
				failures = s[series("probekit_check_failures_total", "check", "redis")]
				if failures < 2 {
					return fmt.Errorf("failures_total = %v; want at least the threshold, 2", failures)
				}
				return nil
			},
		},
		{
			name: "restarted",
			give: srv.Restart,
			want: merge(checkStatus("redis", "ok"), probeStatus("readiness", "ok")),
			cond: func(s samples) error {
				if a := s[ageSeries("redis")]; a > 1 {
					return fmt.Errorf("last_success_age_seconds = %v; want a recent pass", a)
				}
				if f := s[series("probekit_check_failures_total", "check", "redis")]; f < failures {
					return fmt.Errorf("failures_total = %v, below %v before: want a counter", f, failures)
				}
				return nil
			},
		},
	}
	for _, tt := range tests {
		tt.give()
		testenv.Eventually(t, 15*time.Second, func() error {
			got := scrape(t, client, url)
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

	// Once closed, every result has been delivered: the histogram has
	// seen every run.
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	got := scrape(t, client, url)
	runs := got[series("probekit_check_runs_total", "check", "redis")]
	if count := got[series("probekit_check_duration_seconds_count", "check", "redis")]; count != runs {
		t.Errorf("duration_seconds_count = %v; want runs_total = %v", count, runs)
	}
	lint(t, newCollector(t, h))
}
