package trafficcheck_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/trafficcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// req is a batch of n requests ending at time at (since the start of the
// test's bubble) with one status code and latency.
type req struct {
	at      time.Duration
	n       int
	code    int
	latency time.Duration
}

// replay records reqs into rec, sleeping in the bubble to each one's time.
func replay(t *testing.T, rec *trafficcheck.Recorder, start time.Time, reqs []req) {
	t.Helper()
	for _, r := range reqs {
		if d := time.Until(start.Add(r.at)); d > 0 {
			time.Sleep(d)
		}
		for range r.n {
			rec.Record(r.code, r.latency)
		}
	}
}

// outcome names the status a Check result makes.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case core.IsWarning(err):
		return "warn"
	default:
		return "fail"
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	const ms = time.Millisecond
	tests := []struct {
		name     string
		opts     []trafficcheck.Option
		reqs     []req
		checkAt  time.Duration
		want     string  // ok, warn or fail
		wantIs   []error // sentinels the error matches
		wantText string  // the error's text, if not empty
	}{
		{name: "no traffic", want: "ok"},
		{name: "below the minimum", reqs: []req{{0, 19, 500, ms}}, want: "ok"},
		{
			name: "at the minimum, all failing", reqs: []req{{0, 20, 500, ms}},
			want: "fail", wantIs: []error{trafficcheck.ErrSuccessRate},
			wantText: "trafficcheck: last 1m0s: success rate 0% below 50% (20 of 20 requests failed)",
		},
		{name: "4xx are not failures", reqs: []req{{0, 10, 404, ms}, {0, 10, 401, ms}, {0, 10, 429, ms}}, want: "ok"},
		{name: "1xx to 3xx are not failures", reqs: []req{{0, 10, 101, ms}, {0, 10, 204, ms}, {0, 10, 302, ms}}, want: "ok"},
		{name: "every 5xx is a failure", reqs: []req{{0, 5, 500, ms}, {0, 5, 502, ms}, {0, 5, 503, ms}, {0, 5, 599, ms}}, want: "fail"},
		{name: "rate at the warning threshold", reqs: []req{{0, 99, 200, ms}, {0, 1, 500, ms}}, want: "ok"},
		{
			name: "rate just below the warning threshold", reqs: []req{{0, 98, 200, ms}, {0, 2, 500, ms}},
			want: "warn", wantIs: []error{trafficcheck.ErrSuccessRate},
			wantText: "trafficcheck: last 1m0s: success rate 98% below 99% (2 of 100 requests failed)",
		},
		{
			name: "rate a hair below the warning threshold", reqs: []req{{0, 9899, 200, ms}, {0, 101, 500, ms}},
			want: "warn", wantText: "trafficcheck: last 1m0s: success rate 98.99% below 99% (101 of 10000 requests failed)",
		},
		{name: "rate at the critical threshold", reqs: []req{{0, 10, 200, ms}, {0, 10, 500, ms}}, want: "warn"},
		{
			name: "rate just below the critical threshold", reqs: []req{{0, 9, 200, ms}, {0, 11, 500, ms}},
			want: "fail", wantText: "trafficcheck: last 1m0s: success rate 45% below 50% (11 of 20 requests failed)",
		},
		{
			name: "custom rate thresholds", opts: []trafficcheck.Option{trafficcheck.SuccessRate(0.999, 0.95)},
			reqs: []req{{0, 950, 200, ms}, {0, 50, 500, ms}}, want: "warn",
		},
		{
			name: "custom rate thresholds, critical", opts: []trafficcheck.Option{trafficcheck.SuccessRate(0.999, 0.95)},
			reqs: []req{{0, 949, 200, ms}, {0, 51, 500, ms}}, want: "fail",
			wantText: "trafficcheck: last 1m0s: success rate 94.9% below 95% (51 of 1000 requests failed)",
		},
		{
			name: "rate thresholds disabled", opts: []trafficcheck.Option{trafficcheck.SuccessRate(0, 0)},
			reqs: []req{{0, 100, 500, ms}}, want: "ok",
		},
		{
			name: "warning only", opts: []trafficcheck.Option{trafficcheck.SuccessRate(0.99, 0)},
			reqs: []req{{0, 100, 500, ms}}, want: "warn",
		},
		{
			name: "minimum zero judges one request", opts: []trafficcheck.Option{trafficcheck.MinRequests(0)},
			reqs: []req{{0, 1, 500, ms}}, want: "fail",
		},
		{
			name: "minimum raised", opts: []trafficcheck.Option{trafficcheck.MinRequests(100)},
			reqs: []req{{0, 99, 500, ms}}, want: "ok",
		},

		// Latency: p99 by nearest rank over 100 requests is the 99th.
		{
			name: "latency thresholds off by default", reqs: []req{{0, 100, 200, time.Hour}}, want: "ok",
		},
		{
			name: "p99 below the warning threshold", opts: []trafficcheck.Option{trafficcheck.Latency(100*ms, time.Second)},
			reqs: []req{{0, 99, 200, 10 * ms}, {0, 1, 200, time.Hour}}, want: "ok",
		},
		{
			name: "p99 at the warning threshold", opts: []trafficcheck.Option{trafficcheck.Latency(100*ms, time.Second)},
			reqs: []req{{0, 98, 200, 10 * ms}, {0, 2, 200, 100 * ms}}, want: "ok",
		},
		{
			name: "p99 just above the warning threshold", opts: []trafficcheck.Option{trafficcheck.Latency(100*ms, time.Second)},
			reqs: []req{{0, 98, 200, 10 * ms}, {0, 2, 200, 100*ms + time.Microsecond}},
			want: "warn", wantIs: []error{trafficcheck.ErrLatency},
			wantText: "trafficcheck: last 1m0s: p99 latency 100.001ms above 100ms (100 requests)",
		},
		{
			name: "p99 at the critical threshold", opts: []trafficcheck.Option{trafficcheck.Latency(100*ms, time.Second)},
			reqs: []req{{0, 98, 200, 10 * ms}, {0, 2, 200, time.Second}}, want: "warn",
		},
		{
			name: "p99 above the critical threshold", opts: []trafficcheck.Option{trafficcheck.Latency(100*ms, time.Second)},
			reqs: []req{{0, 98, 200, 10 * ms}, {0, 2, 200, time.Second + ms}},
			want: "fail", wantIs: []error{trafficcheck.ErrLatency},
			wantText: "trafficcheck: last 1m0s: p99 latency 1.001s above 1s (100 requests)",
		},
		{
			name: "latency counts failed requests too", opts: []trafficcheck.Option{trafficcheck.Latency(100*ms, 0)},
			reqs: []req{{0, 98, 200, 10 * ms}, {0, 2, 404, time.Second}}, want: "warn",
		},
		{
			name: "median", opts: []trafficcheck.Option{trafficcheck.Percentile(50), trafficcheck.Latency(20*ms, 0)},
			reqs: []req{{0, 50, 200, 20 * ms}, {0, 50, 200, time.Second}}, want: "ok",
		},
		{
			name: "median above", opts: []trafficcheck.Option{trafficcheck.Percentile(50), trafficcheck.Latency(20*ms, 0)},
			reqs: []req{{0, 49, 200, 20 * ms}, {0, 51, 200, time.Second}}, want: "warn",
			wantText: "trafficcheck: last 1m0s: p50 latency 1s above 20ms (100 requests)",
		},
		{
			name: "p99.9", opts: []trafficcheck.Option{trafficcheck.Percentile(99.9), trafficcheck.Latency(0, 20*ms)},
			reqs: []req{{0, 999, 200, 20 * ms}, {0, 1, 200, time.Second}}, want: "ok",
		},
		{
			name: "p99.9 above", opts: []trafficcheck.Option{trafficcheck.Percentile(99.9), trafficcheck.Latency(0, 20*ms)},
			reqs: []req{{0, 998, 200, 20 * ms}, {0, 2, 200, time.Second}}, want: "fail",
		},
		{
			name: "latency below the minimum of requests", opts: []trafficcheck.Option{trafficcheck.Latency(ms, 2*ms)},
			reqs: []req{{0, 19, 200, time.Hour}}, want: "ok",
		},
		{
			name: "both crossed: critical wins, both reported",
			opts: []trafficcheck.Option{trafficcheck.Latency(100*ms, 0)},
			reqs: []req{{0, 40, 200, 10 * ms}, {0, 60, 500, 150 * ms}},
			want: "fail", wantIs: []error{trafficcheck.ErrSuccessRate, trafficcheck.ErrLatency},
			wantText: "trafficcheck: last 1m0s: success rate 40% below 50% (60 of 100 requests failed); p99 latency 150ms above 100ms (100 requests)",
		},
		{
			name: "both warnings", opts: []trafficcheck.Option{trafficcheck.Latency(100*ms, 0)},
			reqs: []req{{0, 90, 200, 10 * ms}, {0, 10, 500, 150 * ms}},
			want: "warn", wantIs: []error{trafficcheck.ErrSuccessRate, trafficcheck.ErrLatency},
		},

		// The window: a request is in it for exactly Window after it ends.
		{name: "failures in the window", reqs: []req{{0, 20, 500, ms}}, checkAt: time.Minute - ms, want: "fail"},
		{name: "failures out of the window", reqs: []req{{0, 20, 500, ms}}, checkAt: time.Minute, want: "ok"},
		{
			name: "old failures leave, recent successes stay",
			reqs: []req{{0, 20, 500, ms}, {30 * time.Second, 20, 200, ms}}, checkAt: 59 * time.Second, want: "warn",
		},
		{
			name: "old failures left", reqs: []req{{0, 20, 500, ms}, {30 * time.Second, 20, 200, ms}},
			checkAt: 60 * time.Second, want: "ok",
		},
		{
			name: "a shorter window", opts: []trafficcheck.Option{trafficcheck.Window(10 * time.Second)},
			reqs: []req{{0, 20, 500, ms}}, checkAt: 10 * time.Second, want: "ok",
		},
		{
			name: "a longer window", opts: []trafficcheck.Option{trafficcheck.Window(time.Hour)},
			reqs: []req{{0, 20, 500, ms}}, checkAt: 59 * time.Minute, want: "fail",
			wantText: "trafficcheck: last 1h0m0s: success rate 0% below 50% (20 of 20 requests failed)",
		},
		{
			name: "expiry brings the count below the minimum",
			reqs: []req{{0, 10, 500, ms}, {10 * time.Second, 10, 500, ms}}, checkAt: time.Minute, want: "ok",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				rec := trafficcheck.NewRecorder(trafficcheck.Size(1 << 14))
				chk := trafficcheck.MustNew(rec, tt.opts...)
				replay(t, rec, start, tt.reqs)
				if d := time.Until(start.Add(tt.checkAt)); d > 0 {
					time.Sleep(d)
				}
				err := chk.Check(context.Background())
				if got := outcome(err); got != tt.want {
					t.Fatalf("Check() = %v (%s); want %s", err, got, tt.want)
				}
				for _, target := range tt.wantIs {
					if !errors.Is(err, target) {
						t.Errorf("errors.Is(%v, %v) = false; want true", err, target)
					}
				}
				if tt.wantText != "" && err.Error() != tt.wantText {
					t.Errorf("Check() = %q; want %q", err, tt.wantText)
				}
			})
		})
	}
}

func TestObservations(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := trafficcheck.NewRecorder()
		chk := trafficcheck.MustNew(rec, trafficcheck.Percentile(99.9))
		if got := chk.Observations(); got != nil {
			t.Errorf("Observations() before Check = %v; want nil", got)
		}
		_ = chk.Check(context.Background())
		want := []core.Observation{{Name: "requests", Value: 0}, {Name: "failures", Value: 0}}
		if got := chk.Observations(); !slices.Equal(got, want) {
			t.Errorf("Observations() with no traffic = %v; want %v", got, want)
		}

		// Below the minimum: not judged, still reported.
		for range 3 {
			rec.Record(200, 2*time.Millisecond)
		}
		rec.Record(503, 1500*time.Microsecond)
		if err := chk.Check(context.Background()); err != nil {
			t.Errorf("Check() = %v; want nil below the minimum", err)
		}
		want = []core.Observation{
			{Name: "requests", Value: 4},
			{Name: "failures", Value: 1},
			{Name: "success_rate", Value: 0.75},
			{Name: "latency_p99.9", Value: 2, Unit: "ms"},
		}
		if got := chk.Observations(); !slices.Equal(got, want) {
			t.Errorf("Observations() = %v; want %v", got, want)
		}
	})
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	rec := trafficcheck.NewRecorder()
	tests := []struct {
		name    string
		rec     *trafficcheck.Recorder
		opts    []trafficcheck.Option
		wantErr string // a part of the error; empty: no error
	}{
		{name: "defaults", rec: rec},
		{name: "nil options are ignored", rec: rec, opts: []trafficcheck.Option{nil}},
		{name: "nil recorder", wantErr: "trafficcheck: nil recorder"},
		{name: "zero window", rec: rec, opts: []trafficcheck.Option{trafficcheck.Window(0)}, wantErr: "window 0s is not in (0, 24h0m0s]"},
		{name: "negative window", rec: rec, opts: []trafficcheck.Option{trafficcheck.Window(-time.Second)}, wantErr: "window -1s"},
		{name: "window too long", rec: rec, opts: []trafficcheck.Option{trafficcheck.Window(25 * time.Hour)}, wantErr: "window 25h0m0s"},
		{name: "longest window", rec: rec, opts: []trafficcheck.Option{trafficcheck.Window(24 * time.Hour)}},
		{name: "negative minimum", rec: rec, opts: []trafficcheck.Option{trafficcheck.MinRequests(-1)}, wantErr: "negative minimum of requests -1"},
		{name: "zero minimum", rec: rec, opts: []trafficcheck.Option{trafficcheck.MinRequests(0)}},
		{name: "zero percentile", rec: rec, opts: []trafficcheck.Option{trafficcheck.Percentile(0)}, wantErr: "percentile 0 is not in (0, 100]"},
		{name: "percentile above 100", rec: rec, opts: []trafficcheck.Option{trafficcheck.Percentile(100.5)}, wantErr: "percentile 100.5"},
		{name: "NaN percentile", rec: rec, opts: []trafficcheck.Option{trafficcheck.Percentile(nan())}, wantErr: "percentile NaN"},
		{name: "percentile 100", rec: rec, opts: []trafficcheck.Option{trafficcheck.Percentile(100)}},
		{name: "rate above 1", rec: rec, opts: []trafficcheck.Option{trafficcheck.SuccessRate(1.5, 0.5)}, wantErr: "success rate threshold 1.5 is not in [0, 1]"},
		{name: "negative rate", rec: rec, opts: []trafficcheck.Option{trafficcheck.SuccessRate(0.9, -0.1)}, wantErr: "success rate threshold -0.1"},
		{name: "NaN rate", rec: rec, opts: []trafficcheck.Option{trafficcheck.SuccessRate(nan(), 0)}, wantErr: "success rate threshold NaN"},
		{name: "critical rate above warning", rec: rec, opts: []trafficcheck.Option{trafficcheck.SuccessRate(0.9, 0.95)}, wantErr: "critical success rate 0.95 is above the warning one 0.9"},
		{name: "critical rate alone", rec: rec, opts: []trafficcheck.Option{trafficcheck.SuccessRate(0, 0.95)}},
		{name: "rate 1", rec: rec, opts: []trafficcheck.Option{trafficcheck.SuccessRate(1, 1)}},
		{name: "negative latency", rec: rec, opts: []trafficcheck.Option{trafficcheck.Latency(-time.Second, 0)}, wantErr: "negative latency threshold"},
		{name: "critical latency below warning", rec: rec, opts: []trafficcheck.Option{trafficcheck.Latency(time.Second, time.Millisecond)}, wantErr: "critical latency 1ms is below the warning one 1s"},
		{name: "critical latency alone", rec: rec, opts: []trafficcheck.Option{trafficcheck.Latency(0, time.Millisecond)}},
		{name: "last option wins", rec: rec, opts: []trafficcheck.Option{trafficcheck.SuccessRate(0.9, 0.95), trafficcheck.SuccessRate(0.99, 0.5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			chk, err := trafficcheck.New(tt.rec, tt.opts...)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("New() error = %v; want nil", err)
			case tt.wantErr == "" && chk == nil:
				t.Errorf("New() = nil, nil; want a Checker")
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("New() error = %v; want one containing %q", err, tt.wantErr)
			case tt.wantErr != "" && chk != nil:
				t.Errorf("New() = %v, %v; want a nil Checker with the error", chk, err)
			}
		})
	}
	if _, err := trafficcheck.New(nil); !errors.Is(err, trafficcheck.ErrNilRecorder) {
		t.Errorf("New(nil) error = %v; want ErrNilRecorder", err)
	}
}

func TestMustNewPanics(t *testing.T) {
	t.Parallel()
	testenv.WantPanic(t, "MustNew(nil)", func() { trafficcheck.MustNew(nil) })
}

func nan() float64 {
	var zero float64
	return zero / zero
}
