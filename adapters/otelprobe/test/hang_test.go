package test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/codes"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// hangTimeout is the timeout of the hanging check: core reports its stuck
// run failing at 10.1s (the timeout and its grace of 100ms), then again
// each interval (1s) until it returns.
const hangTimeout = 10 * time.Second

// hangingHealth returns a started Health with one check, "hung", whose
// first run passes at once and whose second, starting at 1s, blocks on a
// channel, ignoring its context, until release is called. runs counts the
// check's starts.
func hangingHealth(t *testing.T, tel *telemetry) (h *core.Health, runs *atomic.Int32, release func()) {
	t.Helper()
	ch := make(chan struct{})
	release = sync.OnceFunc(func() { close(ch) })
	runs = new(atomic.Int32)
	hung := core.CheckerFunc(func(context.Context) error {
		if runs.Add(1) == 2 {
			<-ch // ignores its context
		}
		return nil
	})
	h = testenv.NewHealth(t, core.WithCheck("hung", hung,
		core.Interval(time.Second), core.Timeout(hangTimeout), core.Jitter(0), core.MaxBackoff(time.Second)))
	t.Cleanup(release) // before the Health's Close
	tel.register(t, h)
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	return h, runs, release
}

// TestCollectWhileCheckHangs collects while a check's run hangs: every
// collection returns without any (fake) time passing, first with the last
// recorded state, then with the failures core reports for the stuck run.
// A collection that waited for the check would deadlock the bubble.
func TestCollectWhileCheckHangs(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		tel := newTelemetry(t)
		start := time.Now()
		_, runs, _ := hangingHealth(t, tel)

		tests := []struct {
			name string
			at   time.Duration
			want samples
		}{
			{
				name: "hanging, within its timeout",
				at:   5 * time.Second,
				want: merge(checkStatus("hung", true, "ok"), counts("hung", true, 1, 0, 0), age("hung", true, 5), probeStatus("readiness", "ok")),
			},
			{
				name: "reported still running once",
				at:   11500 * time.Millisecond,
				want: merge(checkStatus("hung", true, "ok"), counts("hung", true, 2, 1, 10.1), age("hung", true, 11.5), probeStatus("readiness", "ok")),
			},
			{
				name: "reported still running three times",
				at:   13500 * time.Millisecond,
				want: merge(checkStatus("hung", true, "unhealthy"), counts("hung", true, 4, 3, 10.1+11.1+12.1), age("hung", true, 13.5), probeStatus("readiness", "unhealthy")),
			},
		}
		for _, tt := range tests {
			time.Sleep(time.Until(start.Add(tt.at)))
			synctest.Wait()
			if n := runs.Load(); n != 2 {
				t.Fatalf("%s: check started %d times; want 2 (one passed, one hanging)", tt.name, n)
			}
			before := time.Now()
			got := tel.collect(t)
			if d := time.Since(before); d != 0 {
				t.Errorf("%s: collection took %v of fake time; want 0 (it must not wait for the check)", tt.name, d)
			}
			for _, d := range got.diff(tt.want) {
				t.Errorf("%s: %s", tt.name, d)
			}
		}
	})
}

// TestAbandonedRunSpan: core reports a run that outlives its timeout as a
// failed result ("core: check still running after 10.1s") when it
// abandons it, and again each interval while it stays stuck. The run gets
// one span, ended as an error at the first report; the later reports are
// counted as runs (as promprobe counts them) but add no span, nor does the
// run's late return, which core discards. The next run has its own span.
func TestAbandonedRunSpan(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		tel := newTelemetry(t)
		start := time.Now()
		h, _, release := hangingHealth(t, tel)

		type span struct {
			start, end time.Duration // since Start
			code       codes.Code
			desc       string
		}
		first := span{0, 0, codes.Unset, ""}
		stuck := span{time.Second, 11100 * time.Millisecond, codes.Error, "core: check still running after 10.1s"}
		tests := []struct {
			name      string
			give      func()
			at        time.Duration
			wantErr   string // core's error text for the check
			wantRuns  uint64
			wantSpans []span
		}{
			{"hanging, within its timeout", func() {}, 5 * time.Second, "", 1, []span{first}},
			{"abandoned", func() {}, 11500 * time.Millisecond, "core: check still running after 10.1s", 2, []span{first, stuck}},
			{"reported again twice", func() {}, 13500 * time.Millisecond, "core: check still running after 12.1s", 4, []span{first, stuck}},
			// Released at 13.5s: the stuck run returns and is discarded;
			// the next run starts at 14.1s and passes at once.
			{"released, next run", release, 15 * time.Second, "", 5, []span{first, stuck, {14100 * time.Millisecond, 14100 * time.Millisecond, codes.Unset, ""}}},
		}
		for _, tt := range tests {
			tt.give()
			time.Sleep(time.Until(start.Add(tt.at)))
			synctest.Wait()
			st := h.Checks()[0]
			if st.Err != tt.wantErr || st.Runs != tt.wantRuns {
				t.Errorf("%s: core reports Err %q, Runs %d; want %q, %d", tt.name, st.Err, st.Runs, tt.wantErr, tt.wantRuns)
			}
			var got []span
			for _, s := range tel.ended() {
				got = append(got, span{s.StartTime().Sub(start), s.EndTime().Sub(start), s.Status().Code, s.Status().Description})
			}
			if len(got) != len(tt.wantSpans) {
				t.Errorf("%s: spans %+v; want %+v", tt.name, got, tt.wantSpans)
				continue
			}
			for i := range got {
				if got[i] != tt.wantSpans[i] {
					t.Errorf("%s: span %d = %+v; want %+v", tt.name, i, got[i], tt.wantSpans[i])
				}
			}
		}
	})
}
