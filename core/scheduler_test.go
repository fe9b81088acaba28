package core_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core"
)

// Every test here runs in a synctest bubble: time.Sleep advances a fake
// clock instantly and synctest.Wait waits until every goroutine of the
// Health is blocked, so timings are exact and nothing waits for real.

// step advances the fake clock by d and lets the Health settle.
func step(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

var errDown = errors.New("connection refused")

func TestThresholds(t *testing.T) {
	t.Parallel()
	const (
		P = "pass"
		F = "fail"
		W = "warn"
	)
	tests := []struct {
		name      string
		opts      []core.CheckOption
		give      []string // result of each run, one run per second
		want      []string // check status after each run
		wantCodes []int    // /readyz status code after each run
	}{
		{
			name:      "first failure decides at once",
			give:      []string{F},
			want:      []string{"unhealthy"},
			wantCodes: []int{503},
		},
		{
			name:      "first pass",
			give:      []string{P},
			want:      []string{"ok"},
			wantCodes: []int{200},
		},
		{
			name:      "three consecutive failures by default",
			give:      []string{P, F, F, F},
			want:      []string{"ok", "ok", "ok", "unhealthy"},
			wantCodes: []int{200, 200, 200, 503},
		},
		{
			name:      "a pass breaks the streak",
			give:      []string{P, F, F, P, F, F},
			want:      []string{"ok", "ok", "ok", "ok", "ok", "ok"},
			wantCodes: []int{200, 200, 200, 200, 200, 200},
		},
		{
			name:      "one pass recovers by default",
			give:      []string{P, F, F, F, P},
			want:      []string{"ok", "ok", "ok", "unhealthy", "ok"},
			wantCodes: []int{200, 200, 200, 503, 200},
		},
		{
			name:      "success threshold 2",
			opts:      []core.CheckOption{core.SuccessThreshold(2)},
			give:      []string{P, F, F, F, P, F, P, P},
			want:      []string{"ok", "ok", "ok", "unhealthy", "unhealthy", "unhealthy", "unhealthy", "ok"},
			wantCodes: []int{200, 200, 200, 503, 503, 503, 503, 200},
		},
		{
			name:      "failure threshold 1",
			opts:      []core.CheckOption{core.FailureThreshold(1)},
			give:      []string{P, F, P},
			want:      []string{"ok", "unhealthy", "ok"},
			wantCodes: []int{200, 503, 200},
		},
		{
			name:      "failure threshold 5",
			opts:      []core.CheckOption{core.FailureThreshold(5)},
			give:      []string{P, F, F, F, F, F},
			want:      []string{"ok", "ok", "ok", "ok", "ok", "unhealthy"},
			wantCodes: []int{200, 200, 200, 200, 200, 503},
		},
		{
			name:      "warnings are degraded passes",
			give:      []string{W, P, W, F},
			want:      []string{"degraded", "ok", "degraded", "degraded"},
			wantCodes: []int{200, 200, 200, 200},
		},
		{
			name:      "a warning recovers from unhealthy",
			give:      []string{F, W},
			want:      []string{"unhealthy", "degraded"},
			wantCodes: []int{503, 200},
		},
		{
			name:      "non-critical failure degrades readiness",
			opts:      []core.CheckOption{core.Critical(false)},
			give:      []string{P, F, F, F},
			want:      []string{"ok", "ok", "ok", "unhealthy"},
			wantCodes: []int{200, 200, 200, 200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				chk := &switchable{}
				opts := append([]core.CheckOption{core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)}, tt.opts...)
				h := mustNew(t, core.WithCheck("db", chk, opts...), core.WithLogger(nil))
				for i, give := range tt.give {
					switch give {
					case F:
						chk.set(errDown)
					case W:
						chk.set(core.Warn(errors.New("pool 90% used")))
					default:
						chk.set(nil)
					}
					if i == 0 {
						if err := h.Start(context.Background()); err != nil {
							t.Fatal(err)
						}
						synctest.Wait()
					} else {
						step(time.Second)
					}
					if got := h.Checks()[0].Status.String(); got != tt.want[i] {
						t.Errorf("after run %d (%s): status = %s; want %s", i+1, give, got, tt.want[i])
					}
					if got := get(t, h, "/readyz").StatusCode; got != tt.wantCodes[i] {
						t.Errorf("after run %d (%s): GET /readyz = %d; want %d", i+1, give, got, tt.wantCodes[i])
					}
				}
				if got, want := chk.runs.Load(), int64(len(tt.give)); got != want {
					t.Errorf("runs = %d; want %d (one per interval)", got, want)
				}
			})
		})
	}
}

func TestFirstRunImmediatelyThenEveryInterval(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var times []time.Duration
		start := time.Now()
		var mu sync.Mutex
		chk := core.CheckerFunc(func(context.Context) error {
			mu.Lock()
			times = append(times, time.Since(start))
			mu.Unlock()
			return nil
		})
		h := mustNew(t, core.WithCheck("c", chk, core.Interval(5*time.Second), core.Jitter(0)), core.WithLogger(nil))
		if got := get(t, h, "/readyz"); got.StatusCode != 503 || decode(t, got).Status != "starting" {
			t.Fatalf("before Start: GET /readyz = %d; want 503 starting", got.StatusCode)
		}
		if got := get(t, h, "/healthz").StatusCode; got != 200 {
			t.Fatalf("before Start: GET /healthz = %d; want 200", got)
		}
		_ = h.Start(context.Background())
		step(16 * time.Second)
		want := []time.Duration{0, 5 * time.Second, 10 * time.Second, 15 * time.Second}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Equal(times, want) {
			t.Errorf("run times = %v; want %v", times, want)
		}
	})
}

func TestJitterBounds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var times []time.Time
		var mu sync.Mutex
		chk := core.CheckerFunc(func(context.Context) error {
			mu.Lock()
			times = append(times, time.Now())
			mu.Unlock()
			return nil
		})
		h := mustNew(t, core.WithCheck("c", chk, core.Interval(time.Second), core.Jitter(0.5)), core.WithLogger(nil))
		_ = h.Start(context.Background())
		step(100 * time.Second)
		mu.Lock()
		defer mu.Unlock()
		distinct := map[time.Duration]bool{}
		for i := 1; i < len(times); i++ {
			gap := times[i].Sub(times[i-1])
			if gap < 500*time.Millisecond || gap > 1500*time.Millisecond {
				t.Errorf("gap %d = %v; want within [0.5s, 1.5s]", i, gap)
			}
			distinct[gap] = true
		}
		if len(times) < 60 || len(distinct) < 10 {
			t.Errorf("%d runs with %d distinct gaps; want jittered runs", len(times), len(distinct))
		}
	})
}

func TestBackoffWhileFailingAndFastRecovery(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var times []time.Duration
		start := time.Now()
		var failing atomic.Bool
		failing.Store(true)
		chk := core.CheckerFunc(func(context.Context) error {
			mu.Lock()
			times = append(times, time.Since(start).Round(time.Millisecond))
			mu.Unlock()
			if failing.Load() {
				return errDown
			}
			return nil
		})
		h := mustNew(t, core.WithCheck("redis", chk, core.Interval(time.Second), core.Jitter(0)), core.WithLogger(nil))
		_ = h.Start(context.Background())
		step(17 * time.Second)
		failing.Store(false)
		step(5 * time.Second)
		s := time.Second
		// Failures at the interval until the threshold (3), then doubling
		// up to the default cap of 4 intervals; the first pass (at 20s)
		// restores the interval.
		want := []time.Duration{0, 1 * s, 2 * s, 4 * s, 8 * s, 12 * s, 16 * s, 20 * s, 21 * s, 22 * s}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Equal(times, want) {
			t.Errorf("run times = %v; want %v", times, want)
		}
	})
}

func TestMaxBackoffOption(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		chk := &switchable{}
		chk.set(errDown)
		h := mustNew(t, core.WithCheck("c", chk, core.Interval(time.Second), core.Jitter(0), core.FailureThreshold(1), core.MaxBackoff(10*time.Second)), core.WithLogger(nil))
		_ = h.Start(context.Background())
		// Runs at 0, 2, 6, 14 (capped at 10s from then on: 24, 34, 44).
		step(44*time.Second + time.Millisecond)
		if got := chk.runs.Load(); got != 7 {
			t.Errorf("runs in 44s = %d; want 7 (0, 2, 6, 14, 24, 34, 44s)", got)
		}
	})
}

func TestTimeoutAbandonsStuckCheck(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var starts, inFlight, maxInFlight atomic.Int64
		var firstCtxErr atomic.Pointer[error]
		chk := core.CheckerFunc(func(ctx context.Context) error {
			n := starts.Add(1)
			cur := inFlight.Add(1)
			defer inFlight.Add(-1)
			if cur > maxInFlight.Load() {
				maxInFlight.Store(cur)
			}
			if n == 1 {
				<-release // ignores its context, like go-redis by default
				err := ctx.Err()
				firstCtxErr.Store(&err)
			}
			return nil
		})
		sink := &logSink{}
		h := mustNew(t, core.WithCheck("redis", chk, core.Interval(time.Second), core.Timeout(2*time.Second), core.Jitter(0)),
			core.WithLogger(slog.New(sink)), core.WithDetails(true))
		_ = h.Start(context.Background())
		defer func() {
			select {
			case <-release:
			default:
				close(release)
			}
		}()

		synctest.Wait()
		if got := h.Status(core.Readiness); got != core.StatusStarting {
			t.Fatalf("while the first run is in flight: readiness = %v; want starting", got)
		}
		step(2 * time.Second) // the deadline
		if got := h.Status(core.Readiness); got != core.StatusStarting {
			t.Fatalf("at the deadline, within the grace: readiness = %v; want starting", got)
		}
		step(100 * time.Millisecond) // the grace: a tenth of the timeout, at most 100ms
		st := h.Checks()[0]
		if st.Status != core.StatusUnhealthy || st.Err != "core: check still running after 2.1s" {
			t.Fatalf("at the timeout and grace: status %v err %q; want unhealthy, still running after 2.1s", st.Status, st.Err)
		}
		if got := get(t, h, "/readyz").StatusCode; got != 503 {
			t.Errorf("GET /readyz = %d; want 503", got)
		}
		step(time.Second)
		if got := h.Checks()[0].Err; got != "core: check still running after 3.1s" {
			t.Errorf("a second later: err %q; want still running after 3.1s", got)
		}
		step(10 * time.Second)
		if got := starts.Load(); got != 1 {
			t.Fatalf("starts while stuck = %d; want 1: a stuck run is never started again", got)
		}
		if got := h.Checks()[0].ConsecutiveFailures; got < 3 {
			t.Errorf("consecutive failures while stuck = %d; want every tick to count", got)
		}
		close(release)
		step(30 * time.Second)
		if p := firstCtxErr.Load(); p == nil {
			t.Error("the stuck run never returned")
		} else if !errors.Is(*p, context.DeadlineExceeded) {
			p := *p
			t.Errorf("stuck run's ctx.Err() = %v; want context.DeadlineExceeded: the context must be cancelled at the timeout", p)
		}
		if got := h.Status(core.Readiness); got != core.StatusHealthy {
			t.Errorf("after the stuck run returned: readiness = %v; want ok", got)
		}
		if got := maxInFlight.Load(); got != 1 {
			t.Errorf("max runs in flight = %d; want 1", got)
		}
	})
}

func TestCheckThatHonoursContextGetsCancelled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		chk := core.CheckerFunc(func(ctx context.Context) error {
			<-ctx.Done()
			return fmt.Errorf("ping: %w", ctx.Err())
		})
		h := mustNew(t, core.WithCheck("db", chk, core.Timeout(time.Second)), core.WithLogger(nil), core.WithDetails(true))
		_ = h.Start(context.Background())
		step(time.Second)
		st := h.Checks()[0]
		if st.Status != core.StatusUnhealthy {
			t.Fatalf("status = %v; want unhealthy", st.Status)
		}
		// The check returns at its deadline with its own error, inside the
		// grace the scheduler gives before it abandons a run: that error,
		// which says more, is the one reported.
		if st.Err != "ping: context deadline exceeded" {
			t.Errorf("err = %q; want the check's own %q", st.Err, "ping: context deadline exceeded")
		}
	})
}

func TestPanickingCheckIsAFailure(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var runs atomic.Int64
		chk := core.CheckerFunc(func(context.Context) error {
			runs.Add(1)
			panic("boom: nil map")
		})
		h := mustNew(t, core.WithCheck("cache", chk, core.Interval(time.Second)), core.WithLogger(nil), core.WithDetails(true))
		_ = h.Start(context.Background())
		step(5 * time.Second)
		st := h.Checks()[0]
		if st.Status != core.StatusUnhealthy || st.Err != "core: check panicked: boom: nil map" {
			t.Errorf("status %v err %q; want unhealthy with the panic message", st.Status, st.Err)
		}
		if runs.Load() < 3 {
			t.Errorf("runs = %d; want the check to keep being scheduled after panics", runs.Load())
		}
		if b := decode(t, get(t, h, "/readyz")); b.Checks["cache"].Error != "core: check panicked: boom: nil map" {
			t.Errorf("body error = %q; want the panic message", b.Checks["cache"].Error)
		}
	})
}

func TestStaleResultIsNotServed(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// A logger that blocks wedges the scheduler right after it
		// published the first pass: no newer result can arrive. The
		// watchdog must not let that pass be served past StaleAfter.
		sink := &logSink{block: make(chan struct{}), blockOn: "health check status changed"}
		chk := &switchable{}
		h := mustNew(t, core.WithCheck("db", chk, core.Interval(5*time.Second), core.Timeout(2*time.Second), core.Jitter(0)),
			core.WithLogger(slog.New(sink)), core.WithDetails(true))
		_ = h.Start(context.Background())
		synctest.Wait()
		if got := h.Status(core.Readiness); got != core.StatusHealthy {
			t.Fatalf("readiness = %v; want ok after the first pass", got)
		}
		step(17100*time.Millisecond - time.Millisecond) // default StaleAfter: 3 × 5s + 2s + 100ms grace
		if got := h.Status(core.Readiness); got != core.StatusHealthy {
			t.Fatalf("just before StaleAfter: readiness = %v; want ok", got)
		}
		step(time.Millisecond)
		if got := get(t, h, "/readyz"); got.StatusCode != 503 {
			t.Fatalf("at StaleAfter: GET /readyz = %d; want 503", got.StatusCode)
		}
		if got := h.Checks()[0].Err; got != "core: stale result: no result for 17.1s" {
			t.Errorf("err = %q; want the stale message", got)
		}
		close(sink.block)
		step(10 * time.Second)
		if got := h.Status(core.Readiness); got != core.StatusHealthy {
			t.Errorf("once the scheduler runs again: readiness = %v; want ok", got)
		}
	})
}

func TestStaleAfterOption(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sink := &logSink{block: make(chan struct{}), blockOn: "health check status changed"}
		h := mustNew(t, core.WithCheck("db", &switchable{}, core.Interval(time.Second), core.Timeout(time.Second), core.Jitter(0), core.StaleAfter(time.Minute)),
			core.WithLogger(slog.New(sink)))
		_ = h.Start(context.Background())
		step(time.Minute - time.Millisecond)
		if got := h.Status(core.Readiness); got != core.StatusHealthy {
			t.Errorf("before StaleAfter: readiness = %v; want ok", got)
		}
		step(time.Millisecond)
		if got := h.Status(core.Readiness); got != core.StatusUnhealthy {
			t.Errorf("at StaleAfter: readiness = %v; want unhealthy", got)
		}
		close(sink.block)
	})
}

func TestTransitionsLoggedOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		chk := &switchable{}
		sink := &logSink{}
		h := mustNew(t, core.WithCheck("db", chk, core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)),
			core.WithLogger(slog.New(sink)))
		_ = h.Start(context.Background())
		step(2 * time.Second)
		chk.set(fmt.Errorf("dial postgres://app:hunter2@db:5432/app: %w", errDown))
		step(8 * time.Second)
		chk.set(nil)
		step(3 * time.Second)
		want := []string{
			"check=db from=starting to=ok",
			"probe=readiness from=starting to=ok",
			"check=db from=ok to=unhealthy",
			"probe=readiness from=ok to=unhealthy",
			"check=db from=unhealthy to=ok",
			"probe=readiness from=unhealthy to=ok",
		}
		if got := sink.transitions(); !slices.Equal(got, want) {
			t.Errorf("logged transitions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, l := range sink.lines() {
			if strings.Contains(l, "hunter2") {
				t.Errorf("log line leaks the password: %s", l)
			}
			if strings.Contains(l, "to=unhealthy") && strings.HasPrefix(l, "health check") && !strings.Contains(l, "err=dial postgres://app:xxxxx@db:5432/app: connection refused") {
				t.Errorf("failure log line lacks the redacted error: %s", l)
			}
		}
	})
}

func TestListenersGetEventsInOrderWithoutBlockingProbes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		chk := &switchable{}
		gate := make(chan struct{})
		var mu sync.Mutex
		var got []string
		listener := func(ev core.Event) {
			<-gate // a slow listener
			mu.Lock()
			defer mu.Unlock()
			subject := ev.Check
			if subject == "" {
				subject = ev.Probe.String()
			}
			got = append(got, fmt.Sprintf("%s %v->%v %s", subject, ev.From, ev.To, ev.Err))
		}
		h := mustNew(t, core.WithCheck("redis", chk, core.Interval(time.Second), core.Jitter(0), core.FailureThreshold(1)),
			core.WithLogger(nil))
		h.Listen(listener)
		var late []core.Event
		var lateMu sync.Mutex
		stop := h.Listen(func(ev core.Event) {
			lateMu.Lock()
			late = append(late, ev)
			lateMu.Unlock()
		})
		_ = h.Start(context.Background())
		step(time.Second)
		chk.set(errors.New("redis://:pw@cache:6379 refused"))
		step(time.Second)
		// The listener is blocked; probes and the scheduler are not.
		if code := get(t, h, "/readyz").StatusCode; code != 503 {
			t.Errorf("GET /readyz with a blocked listener = %d; want 503", code)
		}
		stop()
		close(gate)
		chk.set(nil)
		step(2 * time.Second) // backoff: the next run is 2s after the failure
		want := []string{
			"redis starting->ok ",
			"readiness starting->ok ",
			"redis ok->unhealthy redis://:xxxxx@cache:6379 refused",
			"readiness ok->unhealthy check redis failing",
			"redis unhealthy->ok ",
			"readiness unhealthy->ok ",
		}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Equal(got, want) {
			t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		lateMu.Lock()
		defer lateMu.Unlock()
		if len(late) > 4 {
			t.Errorf("a cancelled listener got %d events; want at most the 4 from before it was cancelled", len(late))
		}
	})
}

func TestPanickingListenerIsContained(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sink := &logSink{}
		var calls atomic.Int64
		h := mustNew(t, core.WithCheck("db", &switchable{}), core.WithLogger(slog.New(sink)))
		h.Listen(func(core.Event) { panic("listener bug") })
		h.Listen(func(core.Event) { calls.Add(1) })
		_ = h.Start(context.Background())
		step(time.Second)
		if calls.Load() != 2 {
			t.Errorf("second listener calls = %d; want 2 (check and readiness)", calls.Load())
		}
		if !slices.ContainsFunc(sink.lines(), func(l string) bool { return strings.HasPrefix(l, "health listener panicked") }) {
			t.Error("the listener panic was not logged")
		}
	})
}

func TestListenResultsGetsEveryRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		chk := &switchable{}
		h := mustNew(t, core.WithCheck("db", chk, core.Interval(time.Second), core.Jitter(0), core.MaxBackoff(time.Second)), core.WithLogger(nil))
		var mu sync.Mutex
		var got []string
		stop := h.ListenResults(func(st core.CheckState) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, fmt.Sprintf("%s %v runs=%d failures=%d", st.Name, st.Status, st.Runs, st.Failures))
		})
		_ = h.Start(context.Background())
		step(time.Second) // runs at 0 and 1s
		chk.set(errDown)
		step(time.Second) // 2s: a failure, still ok (threshold 3)
		stop()
		step(time.Second) // not delivered
		want := []string{
			"db ok runs=1 failures=0",
			"db ok runs=2 failures=0",
			"db ok runs=3 failures=1",
		}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Equal(got, want) {
			t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// A hung run is reported at its timeout plus the grace, before a pass can
// go stale, however short the interval: it counts against FailureThreshold
// like any failure instead of turning readiness 503 at once.
func TestHangCountsAgainstThresholdWithShortInterval(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		hang := make(chan struct{})
		var hanging atomic.Bool
		chk := core.CheckerFunc(func(ctx context.Context) error {
			if hanging.Load() {
				<-hang // ignores its context
			}
			return nil
		})
		h := mustNew(t, core.WithCheck("db", chk, core.Interval(20*time.Millisecond), core.Timeout(time.Second),
			core.FailureThreshold(3), core.Jitter(0)), core.WithLogger(nil))
		_ = h.Start(context.Background())
		step(10 * time.Millisecond)
		hanging.Store(true)
		step(20*time.Millisecond + time.Second + 100*time.Millisecond) // the next run, its timeout and grace
		st := h.Checks()[0]
		if !strings.HasPrefix(st.Err, "core: check still running after") || st.ConsecutiveFailures != 1 {
			t.Errorf("after one hung run: err %q, %d consecutive failures; want still running, 1", st.Err, st.ConsecutiveFailures)
		}
		if got := h.Status(core.Readiness); got != core.StatusHealthy {
			t.Errorf("readiness after one hung run = %v; want ok until FailureThreshold (3)", got)
		}
		close(hang)
	})
}
