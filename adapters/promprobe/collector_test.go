package promprobe_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/probekit/probekit/adapters/promprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// runTime is how long each run of a switchable check takes under synctest:
// a power of two fraction of a second, so that sums and ages are exact.
const runTime = 125 * time.Millisecond

// wantBeforeStart is the whole scrape of the Health in
// TestCollectorFollowsChecks before Start: every check starting, no
// success yet (so no age series), histograms present and empty.
const wantBeforeStart = `
# HELP probekit_check_critical 1 if the health check is critical (makes its probes unhealthy when failing), 0 if it only degrades them.
# TYPE probekit_check_critical gauge
probekit_check_critical{check="cache"} 0
probekit_check_critical{check="db"} 1
# HELP probekit_check_duration_seconds Duration of the health check's runs; a run that outlives its timeout is observed each time it is reported still running.
# TYPE probekit_check_duration_seconds histogram
probekit_check_duration_seconds_bucket{check="cache",le="0.1"} 0
probekit_check_duration_seconds_bucket{check="cache",le="0.25"} 0
probekit_check_duration_seconds_bucket{check="cache",le="1"} 0
probekit_check_duration_seconds_bucket{check="cache",le="+Inf"} 0
probekit_check_duration_seconds_sum{check="cache"} 0
probekit_check_duration_seconds_count{check="cache"} 0
probekit_check_duration_seconds_bucket{check="db",le="0.1"} 0
probekit_check_duration_seconds_bucket{check="db",le="0.25"} 0
probekit_check_duration_seconds_bucket{check="db",le="1"} 0
probekit_check_duration_seconds_bucket{check="db",le="+Inf"} 0
probekit_check_duration_seconds_sum{check="db"} 0
probekit_check_duration_seconds_count{check="db"} 0
# HELP probekit_check_failures_total Failed results recorded for the health check.
# TYPE probekit_check_failures_total counter
probekit_check_failures_total{check="cache"} 0
probekit_check_failures_total{check="db"} 0
# HELP probekit_check_runs_total Results recorded for the health check, including runs reported failing because they outlived their timeout.
# TYPE probekit_check_runs_total counter
probekit_check_runs_total{check="cache"} 0
probekit_check_runs_total{check="db"} 0
# HELP probekit_check_status Status of the health check: 1 for the state it is in, 0 for the others.
# TYPE probekit_check_status gauge
probekit_check_status{check="cache",state="degraded"} 0
probekit_check_status{check="cache",state="ok"} 0
probekit_check_status{check="cache",state="starting"} 1
probekit_check_status{check="cache",state="unhealthy"} 0
probekit_check_status{check="db",state="degraded"} 0
probekit_check_status{check="db",state="ok"} 0
probekit_check_status{check="db",state="starting"} 1
probekit_check_status{check="db",state="unhealthy"} 0
# HELP probekit_probe_status Aggregate status of the probe: 1 for the state it is in, 0 for the others.
# TYPE probekit_probe_status gauge
probekit_probe_status{probe="liveness",state="degraded"} 0
probekit_probe_status{probe="liveness",state="draining"} 0
probekit_probe_status{probe="liveness",state="ok"} 1
probekit_probe_status{probe="liveness",state="starting"} 0
probekit_probe_status{probe="liveness",state="unhealthy"} 0
probekit_probe_status{probe="readiness",state="degraded"} 0
probekit_probe_status{probe="readiness",state="draining"} 0
probekit_probe_status{probe="readiness",state="ok"} 0
probekit_probe_status{probe="readiness",state="starting"} 1
probekit_probe_status{probe="readiness",state="unhealthy"} 0
probekit_probe_status{probe="startup",state="degraded"} 0
probekit_probe_status{probe="startup",state="draining"} 0
probekit_probe_status{probe="startup",state="ok"} 1
probekit_probe_status{probe="startup",state="starting"} 0
probekit_probe_status{probe="startup",state="unhealthy"} 0
`

// TestCollectorFollowsChecks takes a critical check "db" through ok,
// failing below and at its threshold, passing with a warning and ok again,
// beside a non-critical "cache" that always passes, and compares the
// scrape with exact values after each step. Time is synctest's: every run
// takes exactly runTime and starts exactly an interval after the last.
func TestCollectorFollowsChecks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		db, cache := &switchable{sleep: runTime}, &switchable{sleep: runTime}
		h := testenv.NewHealth(t,
			core.WithCheckDefaults(core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)),
			core.WithCheck("db", db, core.FailureThreshold(2)),
			core.WithCheck("cache", cache, core.Critical(false)),
		)
		c := newCollector(t, h, promprobe.WithBuckets(0.1, 0.25, 1))

		if err := testutil.CollectAndCompare(c, strings.NewReader(wantBeforeStart)); err != nil {
			t.Fatalf("CollectAndCompare() before Start:\n%v", err)
		}
		lint(t, c)

		start := time.Now()
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		// Both checks run at 0s, 1.125s, 2.25s, 3.375s and 4.5s (an
		// interval after the end of the last run; the backoff cap equals
		// the interval), each run ending runTime later. Each step looks
		// between runs.
		tests := []struct {
			name string
			give error         // db's outcome from this step on
			at   time.Duration // since Start
			want samples
		}{
			{
				name: "first results",
				at:   1 * time.Second,
				want: merge(
					checkStatus("db", "ok"), checkCounts("db", 1, 0, 0.125), age("db", 0.875),
					checkStatus("cache", "ok"), checkCounts("cache", 1, 0, 0.125), age("cache", 0.875),
					samples{
						series("probekit_check_duration_seconds_bucket", "check", "db", "le", "0.1"):  0,
						series("probekit_check_duration_seconds_bucket", "check", "db", "le", "0.25"): 1,
					},
					probeStatus("readiness", "ok"), probeStatus("liveness", "ok"), probeStatus("startup", "ok"),
				),
			},
			{
				name: "db fails once, below its threshold",
				give: errors.New("connection refused"),
				at:   2 * time.Second,
				want: merge(
					checkStatus("db", "ok"), checkCounts("db", 2, 1, 0.25), age("db", 1.875),
					checkStatus("cache", "ok"), checkCounts("cache", 2, 0, 0.25), age("cache", 0.75),
					probeStatus("readiness", "ok"),
				),
			},
			{
				name: "db fails twice, at its threshold",
				give: errors.New("connection refused"),
				at:   3 * time.Second,
				want: merge(
					checkStatus("db", "unhealthy"), checkCounts("db", 3, 2, 0.375), age("db", 2.875),
					checkStatus("cache", "ok"), checkCounts("cache", 3, 0, 0.375), age("cache", 0.625),
					probeStatus("readiness", "unhealthy"), probeStatus("liveness", "ok"),
				),
			},
			{
				name: "db passes with a warning",
				give: core.Warn(errors.New("replication lag 12s")),
				at:   4 * time.Second,
				want: merge(
					checkStatus("db", "degraded"), checkCounts("db", 4, 2, 0.5), age("db", 0.5),
					checkStatus("cache", "ok"), checkCounts("cache", 4, 0, 0.5), age("cache", 0.5),
					probeStatus("readiness", "degraded"),
				),
			},
			{
				name: "db ok again",
				at:   5 * time.Second,
				want: merge(
					checkStatus("db", "ok"), checkCounts("db", 5, 2, 0.625), age("db", 0.375),
					checkStatus("cache", "ok"), checkCounts("cache", 5, 0, 0.625), age("cache", 0.375),
					probeStatus("readiness", "ok"),
				),
			},
		}
		for _, tt := range tests {
			db.set(tt.give)
			time.Sleep(time.Until(start.Add(tt.at)))
			synctest.Wait() // every result recorded and delivered
			got := collect(t, c)
			for _, d := range got.diff(tt.want) {
				t.Errorf("%s: %s", tt.name, d)
			}
			lint(t, c)
		}

		if err := h.Close(); err != nil {
			t.Fatal(err)
		}
		got := collect(t, c)
		for _, d := range got.diff(merge(probeStatus("readiness", "draining"), probeStatus("liveness", "ok"), checkCounts("db", 5, 2, 0.625))) {
			t.Errorf("after Close: %s", d)
		}
	})
}

// TestScrapeWhileCheckHangs blocks a check's second run on a channel it
// never closes while the test runs, ignoring its context, and scrapes
// meanwhile: every scrape returns without any (fake) time passing, with
// the last recorded state, and then with the runs core reports failing
// once the run outlives its timeout.
func TestScrapeWhileCheckHangs(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var runs atomic.Int32
		hung := core.CheckerFunc(func(context.Context) error {
			if runs.Add(1) > 1 {
				<-release // ignores its context
			}
			return nil
		})
		h := testenv.NewHealth(t, core.WithCheck("hung", hung,
			core.Interval(time.Second), core.Timeout(10*time.Second), core.Jitter(0), core.MaxBackoff(time.Second)))
		t.Cleanup(func() { close(release) }) // before the Health's Close
		c := newCollector(t, h)
		start := time.Now()
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}

		// The first run passes at once; the second starts at 1s and hangs.
		// It is reported still running at 11.1s (its 10s timeout and 100ms
		// grace), 12.1s and 13.1s (runs of 10.1s, 11.1s and 12.1s), which
		// makes the check unhealthy at its third failure.
		tests := []struct {
			name string
			at   time.Duration
			want samples
		}{
			{
				name: "hanging, within its timeout",
				at:   5 * time.Second,
				want: merge(checkStatus("hung", "ok"), checkCounts("hung", 1, 0, 0), age("hung", 5), probeStatus("readiness", "ok")),
			},
			{
				name: "reported still running once",
				at:   11500 * time.Millisecond,
				want: merge(checkStatus("hung", "ok"), checkCounts("hung", 2, 1, 10.1), age("hung", 11.5), probeStatus("readiness", "ok")),
			},
			{
				name: "reported still running three times",
				at:   13500 * time.Millisecond,
				want: merge(checkStatus("hung", "unhealthy"), checkCounts("hung", 4, 3, 10.1+11.1+12.1), age("hung", 13.5), probeStatus("readiness", "unhealthy")),
			},
		}
		for _, tt := range tests {
			time.Sleep(time.Until(start.Add(tt.at)))
			synctest.Wait()
			if n := runs.Load(); n != 2 {
				t.Fatalf("%s: check started %d times; want 2 (one passed, one hanging)", tt.name, n)
			}
			before := time.Now()
			got := collect(t, c)
			if d := time.Since(before); d != 0 {
				t.Errorf("%s: scrape took %v of fake time; want 0 (it must not wait for the check)", tt.name, d)
			}
			for _, d := range got.diff(tt.want) {
				t.Errorf("%s: %s", tt.name, d)
			}
		}
	})
}

// TestCollectorClose stops observing durations after Close while the
// other metrics keep following the Health.
func TestCollectorClose(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := testenv.NewHealth(t, core.WithCheck("db", &switchable{sleep: runTime}, core.Interval(time.Second), core.Jitter(0)))
		c := newCollector(t, h)
		start := time.Now()
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(start.Add(time.Second)))
		synctest.Wait()
		c.Close()
		c.Close() // idempotent
		time.Sleep(time.Until(start.Add(3 * time.Second)))
		synctest.Wait()
		want := samples{
			series("probekit_check_runs_total", "check", "db"):             3,
			series("probekit_check_duration_seconds_count", "check", "db"): 1,
		}
		for _, d := range collect(t, c).diff(want) {
			t.Errorf("after Close: %s", d)
		}
	})
}

// TestAgeAbsentUntilFirstSuccess: a check that has never passed has no
// last_success_age_seconds series (rather than NaN), whatever its status;
// the series appears with its first pass.
func TestAgeAbsentUntilFirstSuccess(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		db := &switchable{sleep: runTime}
		db.set(errors.New("connection refused"))
		h := testenv.NewHealth(t, core.WithCheck("db", db,
			core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)))
		c := newCollector(t, h)
		start := time.Now()
		if err := h.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			give   error
			at     time.Duration
			want   samples
			absent []string
		}{
			{
				name:   "failed from the start",
				give:   errors.New("connection refused"),
				at:     time.Second,
				want:   merge(checkStatus("db", "unhealthy"), checkCounts("db", 1, 1, 0.125)),
				absent: []string{ageSeries("db")},
			},
			{
				name: "first pass",
				at:   2 * time.Second,
				want: merge(checkStatus("db", "ok"), checkCounts("db", 2, 1, 0.25), age("db", 0.75)),
			},
		}
		for _, tt := range tests {
			db.set(tt.give)
			time.Sleep(time.Until(start.Add(tt.at)))
			synctest.Wait()
			for _, d := range collect(t, c).diff(tt.want, tt.absent...) {
				t.Errorf("%s: %s", tt.name, d)
			}
			lint(t, c)
		}
	})
}
