package core_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core"
)

// Robustness of the scheduler and the lifecycle against checks that
// misbehave. Everything runs in synctest bubbles, so a
// thousand scheduler periods take no real time and every timing is exact.

// bubbleHeader matches a goroutine header in a traceback and captures the
// synctest bubble the goroutine belongs to, if any.
var bubbleHeader = regexp.MustCompile(`(?m)^goroutine \d+ \[[^\n]*?, synctest bubble (\d+)[\] ]`)

// bubbleGoroutines counts the goroutines alive in the caller's synctest
// bubble, the caller included. runtime.NumGoroutine counts the whole
// process, where other tests run in parallel; the traceback names each
// goroutine's bubble.
func bubbleGoroutines(t *testing.T) int {
	t.Helper()
	own := make([]byte, 512)
	own = own[:runtime.Stack(own, false)]
	m := bubbleHeader.FindSubmatch(own)
	if m == nil {
		t.Fatalf("cannot find the synctest bubble in this goroutine's header %q: call bubbleGoroutines inside synctest.Test", own[:bytes.IndexByte(own, '\n')+1])
	}
	id := string(m[1])
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, h := range bubbleHeader.FindAllSubmatch(buf, -1) {
		if string(h[1]) == id {
			count++
		}
	}
	return count
}

// misbehaving is a checker that passes until bad is set, and from then on
// behaves as its row says. It counts the runs it starts.
type misbehaving struct {
	bad     atomic.Bool
	starts  atomic.Int64
	release chan struct{}
	once    sync.Once
	behave  func(ctx context.Context, release <-chan struct{}) error
}

func newMisbehaving(behave func(ctx context.Context, release <-chan struct{}) error) *misbehaving {
	return &misbehaving{release: make(chan struct{}), behave: behave}
}

// free releases a run stuck on release; it is idempotent, so that a
// deferred call ends a stuck goroutine before the bubble does whatever the
// test did.
func (m *misbehaving) free() { m.once.Do(func() { close(m.release) }) }

func (m *misbehaving) Check(ctx context.Context) error {
	m.starts.Add(1)
	if !m.bad.Load() {
		return nil
	}
	return m.behave(ctx, m.release)
}

// nilCache stands for state a buggy check forgot to initialise.
func nilCache() map[string]int { return nil }

func TestMisbehavingCheckOverThousandPeriods(t *testing.T) {
	t.Parallel()
	const (
		interval  = time.Second
		timeout   = 400 * time.Millisecond
		lateBy    = 200 * time.Millisecond // the late check returns at timeout + lateBy
		passes    = 5                      // runs at 0..4s pass; the first bad run is at 5s
		periods   = 1000
		threshold = 3 // the default FailureThreshold
	)
	// Timeline after the flip at 4s (jitter off, backoff off so that every
	// count is exact), stepping 1000 intervals up to 1004s:
	//   panics: a failed run every interval, at 5s..1004s: 1000 runs.
	//   hung:   one run, started at 5s and never returning; reported failing
	//           at its timeout and grace (5.44s) and every interval after (up
	//           to 1003.44s): 999 results, the last "still running after
	//           998.44s".
	//   late:   each run is abandoned at its timeout and grace (440ms) and
	//           returns (a pass, too late to count) 160ms later; the next
	//           starts an interval after that: every 1.44s from 5s to
	//           1003.32s, 694 runs.
	tests := []struct {
		name        string
		behave      func(ctx context.Context, release <-chan struct{}) error
		wantStarts  int64  // runs started after the flip
		wantResults uint64 // results recorded after the flip, all failures
		wantErr     string
		wantFirst   int // the step (in intervals after the flip) at which /readyz turns 503
		wantExtra   int // goroutines the check may keep alive beyond the Health's own
	}{
		{
			name: "panics",
			behave: func(context.Context, <-chan struct{}) error {
				nilCache()["hits"]++
				return nil
			},
			wantStarts:  periods,
			wantResults: periods,
			wantErr:     "core: check panicked: assignment to entry in nil map",
			wantFirst:   3, // failures at 5, 6, 7s
			wantExtra:   0,
		},
		{
			name: "never returns and ignores its context",
			behave: func(_ context.Context, release <-chan struct{}) error {
				<-release
				return nil
			},
			wantStarts:  1,
			wantResults: periods - 1,
			wantErr:     "core: check still running after 16m38.44s",
			wantFirst:   4, // reported failing at 5.44, 6.44, 7.44s
			wantExtra:   1, // the stuck run, never started again
		},
		{
			name: "returns a pass after its timeout, ignoring its context",
			behave: func(context.Context, <-chan struct{}) error {
				<-time.After(timeout + lateBy)
				return nil
			},
			wantStarts:  694,
			wantResults: 694,
			wantErr:     "core: check still running after 440ms",
			wantFirst:   5, // reported failing at 5.44, 6.88, 8.32s
			wantExtra:   1, // the run in flight, if any
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				chk := newMisbehaving(tt.behave)
				defer chk.free()
				sink := &logSink{}
				h := mustNew(t, core.WithCheck("cache", chk, core.Interval(interval), core.Timeout(timeout),
					core.Jitter(0), core.MaxBackoff(interval)),
					core.WithLogger(slog.New(sink)), core.WithDetails(true))
				start := time.Now()
				if err := h.Start(context.Background()); err != nil {
					t.Fatal(err)
				}
				step(passes*interval - interval) // passing runs at 0..4s
				if st := h.Checks()[0]; st.Status != core.StatusHealthy || st.Runs != passes {
					t.Fatalf("before the flip: status %v after %d runs; want ok after %d", st.Status, st.Runs, passes)
				}
				lastPass := h.Checks()[0].LastSuccess
				base := bubbleGoroutines(t)
				chk.bad.Store(true)

				first, peak := 0, base
				for n := 1; n <= periods; n++ {
					step(interval)
					st := h.Checks()[0]
					resp := get(t, h, "/readyz")
					code := resp.StatusCode
					// Hysteresis both ways: 503 exactly once the threshold of
					// consecutive failures is reached, never a pass served
					// after it.
					wantCode := 200
					if st.ConsecutiveFailures >= threshold {
						wantCode = 503
					}
					if code != wantCode || (first > 0 && code != 503) {
						t.Fatalf("step %d (%v): GET /readyz = %d with %d consecutive failures (status %v, err %q); want %d",
							n, time.Since(start), code, st.ConsecutiveFailures, st.Status, st.Err, wantCode)
					}
					if code == 503 && first == 0 {
						first = n
						if b := decode(t, resp); b.Status != "unhealthy" || b.Checks["cache"].Status != "unhealthy" {
							t.Errorf("at the threshold: body status %q, check %q; want unhealthy, unhealthy", b.Status, b.Checks["cache"].Status)
						}
					}
					if n%100 == 0 {
						peak = max(peak, bubbleGoroutines(t))
					}
				}
				if first != tt.wantFirst {
					t.Errorf("/readyz turned 503 at step %d; want %d (threshold %d)", first, tt.wantFirst, threshold)
				}
				end := bubbleGoroutines(t)
				if peak = max(peak, end); peak > base+tt.wantExtra {
					t.Errorf("goroutines in the bubble: %d before, peak %d, %d after %d periods; want at most %d",
						base, peak, end, periods, base+tt.wantExtra)
				}

				st := h.Checks()[0]
				if got := chk.starts.Load() - passes; got != tt.wantStarts {
					t.Errorf("runs started after the flip = %d; want %d", got, tt.wantStarts)
				}
				if got := st.Runs - passes; got != tt.wantResults {
					t.Errorf("results after the flip = %d; want %d", got, tt.wantResults)
				}
				if st.Failures != tt.wantResults || st.ConsecutiveFailures != int(tt.wantResults) {
					t.Errorf("failures %d, consecutive %d; want %d each: every result after the flip fails",
						st.Failures, st.ConsecutiveFailures, tt.wantResults)
				}
				if st.Status != core.StatusUnhealthy || st.Err != tt.wantErr {
					t.Errorf("state: %v %q; want unhealthy %q", st.Status, st.Err, tt.wantErr)
				}
				if !st.LastSuccess.Equal(lastPass) {
					t.Errorf("LastSuccess = %v; want %v, the last pass before the flip: a late pass must not count",
						st.LastSuccess.Sub(start), lastPass.Sub(start))
				}
				b := decode(t, get(t, h, "/readyz"))
				if b.Status != "unhealthy" || b.Checks["cache"].Error != tt.wantErr {
					t.Errorf("GET /readyz: %s, error %q; want unhealthy, %q", b.Status, b.Checks["cache"].Error, tt.wantErr)
				}
				if got := get(t, h, "/healthz").StatusCode; got != 200 {
					t.Errorf("GET /healthz = %d; want 200: a readiness check never fails liveness", got)
				}
				want := []string{
					"check=cache from=starting to=ok",
					"probe=readiness from=starting to=ok",
					"check=cache from=ok to=unhealthy",
					"probe=readiness from=ok to=unhealthy",
				}
				if got := sink.transitions(); !slices.Equal(got, want) {
					t.Errorf("logged transitions:\n%s\nwant once each:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}

				// Recovery: once the check behaves again (the stuck one
				// released), the next run passes and nothing is left over.
				chk.bad.Store(false)
				chk.free()
				step(2 * interval)
				if got := get(t, h, "/readyz").StatusCode; got != 200 {
					t.Errorf("after recovery: GET /readyz = %d; want 200", got)
				}
				if got := bubbleGoroutines(t); got != base {
					t.Errorf("goroutines after recovery = %d; want %d, as before the flip", got, base)
				}
			})
		})
	}
}

func TestCloseEndsCleanly(t *testing.T) {
	t.Parallel()
	hang := func(_ context.Context, release <-chan struct{}) error {
		<-release // ignores its context
		return nil
	}
	honour := func(ctx context.Context, _ <-chan struct{}) error {
		<-ctx.Done()
		return ctx.Err()
	}
	tests := []struct {
		name      string
		behave    func(ctx context.Context, release <-chan struct{}) error // nil: passes
		timeout   time.Duration
		start     bool
		endCtx    bool          // end Start's context before Close
		before    time.Duration // between Start and Close
		closes    int
		wantAfter time.Duration // fake time the first Close takes
		wantLeft  int           // goroutines left after Close: abandoned runs
	}{
		{name: "without Start", closes: 1},
		{name: "without Start, twice", closes: 2},
		{name: "twice", start: true, before: 3 * time.Second, closes: 2},
		{name: "three times", start: true, before: 3 * time.Second, closes: 3},
		{name: "after Start's context ended", start: true, endCtx: true, before: 3 * time.Second, closes: 2},
		// The checks below pass at 0s and misbehave from their run at 1s.
		{
			name: "during a run that honours its context", behave: honour, timeout: time.Hour,
			start: true, before: 2 * time.Second, closes: 2,
			wantAfter: 0, // cancelled at once
		},
		{
			name: "during a hung run within its timeout", behave: hang, timeout: 5 * time.Second,
			start: true, before: 2 * time.Second, closes: 2,
			wantAfter: 4100 * time.Millisecond, // waited for until its timeout and grace (6.1s), then abandoned
			wantLeft:  1,
		},
		{
			name: "during a hung run past its timeout", behave: hang, timeout: time.Second,
			start: true, before: 4 * time.Second, closes: 2,
			wantAfter: 0, // already abandoned at 2.1s: not waited for
			wantLeft:  1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				base := bubbleGoroutines(t)
				chk := newMisbehaving(tt.behave)
				defer chk.free()
				opts := []core.CheckOption{core.Interval(time.Second), core.Jitter(0)}
				if tt.timeout > 0 {
					opts = append(opts, core.Timeout(tt.timeout))
				}
				h := mustNew(t, core.WithCheck("db", chk, opts...), core.WithLogger(nil))
				if tt.start {
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					if err := h.Start(ctx); err != nil {
						t.Fatal(err)
					}
					synctest.Wait()
					chk.bad.Store(tt.behave != nil)
					step(tt.before)
					if tt.endCtx {
						cancel()
						synctest.Wait()
					}
				}

				for i := range tt.closes {
					begin := time.Now()
					done := make(chan error, 1)
					go func() { done <- h.Close() }()
					synctest.Wait()
					// Readiness drains from the moment Close is called, even
					// while it waits for a run in flight; liveness stays up.
					if code, status := probe(t, h, "/readyz"); code != 503 || status != "draining" {
						t.Errorf("while Close() #%d runs: GET /readyz = %d %s; want 503 draining", i+1, code, status)
					}
					if code := get(t, h, "/healthz").StatusCode; code != 200 {
						t.Errorf("while Close() #%d runs: GET /healthz = %d; want 200", i+1, code)
					}
					if err := <-done; err != nil {
						t.Errorf("Close() #%d = %v; want nil", i+1, err)
					}
					want := tt.wantAfter
					if i > 0 {
						want = 0
					}
					if got := time.Since(begin); got != want {
						t.Errorf("Close() #%d took %v; want %v", i+1, got, want)
					}
				}
				synctest.Wait()
				if got := bubbleGoroutines(t); got != base+tt.wantLeft {
					t.Errorf("goroutines after Close = %d; want %d (%d before New, %d abandoned runs)",
						got, base+tt.wantLeft, base, tt.wantLeft)
				}

				// What the Close doc promises: readiness drains for good,
				// liveness is unaffected, no check runs again, Start fails.
				starts := chk.starts.Load()
				for _, at := range []string{"after Close", "a minute later"} {
					if code, status := probe(t, h, "/readyz"); code != 503 || status != "draining" {
						t.Errorf("%s: GET /readyz = %d %s; want 503 draining", at, code, status)
					}
					if code, status := probe(t, h, "/healthz"); code != 200 || status != "ok" {
						t.Errorf("%s: GET /healthz = %d %s; want 200 ok", at, code, status)
					}
					h.Resume() // no effect after Close
					step(time.Minute)
				}
				if got := chk.starts.Load(); got != starts {
					t.Errorf("runs started after Close = %d; want none", got-starts)
				}
				if err := h.Start(context.Background()); !errors.Is(err, core.ErrClosed) {
					t.Errorf("Start() after Close = %v; want ErrClosed", err)
				}

				chk.free()
				synctest.Wait()
				if got := bubbleGoroutines(t); got != base {
					t.Errorf("goroutines once the abandoned run returned = %d; want %d", got, base)
				}
			})
		})
	}
}

// probe answers a GET of target and returns its status code and the status
// in its JSON body.
func probe(t *testing.T, h *core.Health, target string) (code int, status string) {
	t.Helper()
	r := get(t, h, target)
	return r.StatusCode, decode(t, r).Status
}

// readinessTransitions keeps the logged transitions of the readiness
// probe's aggregate.
func readinessTransitions(sink *logSink) []string {
	var out []string
	for _, l := range sink.transitions() {
		if s, ok := strings.CutPrefix(l, "probe=readiness "); ok {
			out = append(out, s)
		}
	}
	return out
}

func TestDrainDuringFlap(t *testing.T) {
	t.Parallel()
	// The check fails every other run (threshold 1), so its status flips
	// every second: runs at 0, 2, 4s… pass, at 1, 3, 5s… fail.
	tests := []struct {
		name     string
		drainAt  int // second at which Drain is called
		resumeAt int // second at which Resume is called
	}{
		{name: "drained while passing, resumed while failing", drainAt: 2, resumeAt: 7},
		{name: "drained while passing, resumed while passing", drainAt: 2, resumeAt: 8},
		{name: "drained while failing, resumed while passing", drainAt: 3, resumeAt: 10},
		{name: "drained while failing, resumed while failing", drainAt: 3, resumeAt: 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var runs atomic.Int64
				flap := core.CheckerFunc(func(context.Context) error {
					if runs.Add(1)%2 == 0 {
						return errDown
					}
					return nil
				})
				sink := &logSink{}
				h := mustNew(t, core.WithCheck("db", flap, core.Interval(time.Second), core.Jitter(0),
					core.FailureThreshold(1), core.MaxBackoff(time.Second)), core.WithLogger(slog.New(sink)))
				_ = h.Start(context.Background())
				synctest.Wait()

				// want is the readiness the flap alone gives at second s.
				status := func(s int) (int, string) {
					if s%2 == 0 {
						return 200, "ok"
					}
					return 503, "unhealthy"
				}
				var wantLog []string
				prev := "starting"
				note := func(to string) {
					if to != prev {
						wantLog = append(wantLog, "from="+prev+" to="+to)
						prev = to
					}
				}
				const end = 12
				for s := 0; s <= end; s++ {
					if s > 0 {
						step(time.Second)
					}
					// The run at s comes before the call, and shows unless
					// readiness was already draining.
					if s <= tt.drainAt || s > tt.resumeAt {
						_, flapped := status(s)
						note(flapped)
					}
					draining := s >= tt.drainAt && s < tt.resumeAt
					switch s {
					case tt.drainAt:
						h.Drain()
					case tt.resumeAt:
						h.Resume()
					}
					wantCode, wantStatus := status(s)
					if draining {
						wantCode, wantStatus = 503, "draining"
					}
					note(wantStatus)
					if code, status := probe(t, h, "/readyz"); code != wantCode || status != wantStatus {
						t.Errorf("at %ds: GET /readyz = %d %s; want %d %s", s, code, status, wantCode, wantStatus)
					}
					if r := get(t, h, "/healthz"); r.StatusCode != 200 {
						t.Errorf("at %ds: GET /healthz = %d; want 200", s, r.StatusCode)
					}
					// Draining does not stop the checks: the flap goes on
					// underneath.
					if _, chkStatus := status(s); h.Checks()[0].Status.String() != chkStatus {
						t.Errorf("at %ds: check status %v; want %s", s, h.Checks()[0].Status, chkStatus)
					}
				}
				if got := runs.Load(); got != end+1 {
					t.Errorf("runs = %d; want %d, one per second, drained or not", got, end+1)
				}
				if got := readinessTransitions(sink); !slices.Equal(got, wantLog) {
					t.Errorf("readiness transitions:\n%s\nwant once each:\n%s", strings.Join(got, "\n"), strings.Join(wantLog, "\n"))
				}
			})
		})
	}
}

func TestHoldDuringDrainEndsCleanly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		ops     []string // drain, resume, close, hold:NAME, release:NAME; one per second
		want    []string // readiness after each op
		wantLog []string // readiness transitions after the first pass
	}{
		{
			name:    "released before resumed",
			ops:     []string{"drain", "hold:warmup", "release:warmup", "resume"},
			want:    []string{"draining", "draining", "draining", "ok"},
			wantLog: []string{"from=ok to=draining", "from=draining to=ok"},
		},
		{
			name:    "resumed before released",
			ops:     []string{"drain", "hold:warmup", "resume", "release:warmup"},
			want:    []string{"draining", "draining", "unhealthy", "ok"},
			wantLog: []string{"from=ok to=draining", "from=draining to=unhealthy", "from=unhealthy to=ok"},
		},
		{
			name:    "held before draining, released before resumed",
			ops:     []string{"hold:warmup", "drain", "release:warmup", "resume"},
			want:    []string{"unhealthy", "draining", "draining", "ok"},
			wantLog: []string{"from=ok to=unhealthy", "from=unhealthy to=draining", "from=draining to=ok"},
		},
		{
			name:    "held before draining, resumed before released",
			ops:     []string{"hold:warmup", "drain", "resume", "release:warmup"},
			want:    []string{"unhealthy", "draining", "unhealthy", "ok"},
			wantLog: []string{"from=ok to=unhealthy", "from=unhealthy to=draining", "from=draining to=unhealthy", "from=unhealthy to=ok"},
		},
		{
			name: "every call repeated",
			ops: []string{"drain", "drain", "hold:warmup", "hold:warmup", "resume", "resume",
				"release:warmup", "release:warmup"},
			want:    []string{"draining", "draining", "draining", "draining", "unhealthy", "unhealthy", "ok", "ok"},
			wantLog: []string{"from=ok to=draining", "from=draining to=unhealthy", "from=unhealthy to=ok"},
		},
		{
			name:    "two holds",
			ops:     []string{"drain", "hold:warmup", "hold:maintenance", "resume", "release:warmup", "release:maintenance"},
			want:    []string{"draining", "draining", "draining", "unhealthy", "unhealthy", "ok"},
			wantLog: []string{"from=ok to=draining", "from=draining to=unhealthy", "from=unhealthy to=ok"},
		},
		{
			name:    "closed while held",
			ops:     []string{"hold:warmup", "close", "resume", "release:warmup", "resume"},
			want:    []string{"unhealthy", "draining", "draining", "draining", "draining"},
			wantLog: []string{"from=ok to=unhealthy", "from=unhealthy to=draining"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				base := bubbleGoroutines(t)
				sink := &logSink{}
				chk := &switchable{}
				h := mustNew(t, core.WithCheck("db", chk, core.Interval(time.Second), core.Jitter(0)),
					core.WithLogger(slog.New(sink)))
				_ = h.Start(context.Background())
				synctest.Wait()
				for i, op := range tt.ops {
					step(time.Second) // the check keeps running between calls
					switch verb, name, _ := strings.Cut(op, ":"); verb {
					case "drain":
						h.Drain()
					case "resume":
						h.Resume()
					case "close":
						if err := h.Close(); err != nil {
							t.Fatalf("Close() = %v", err)
						}
					case "hold":
						if err := h.Hold(name, "reason"); err != nil {
							t.Fatal(err)
						}
					case "release":
						h.Release(name)
					default:
						t.Fatalf("unknown op %q", op)
					}
					wantCode := 503
					if tt.want[i] == "ok" {
						wantCode = 200
					}
					if code, status := probe(t, h, "/readyz"); code != wantCode || status != tt.want[i] {
						t.Errorf("after %s: GET /readyz = %d %s; want %d %s", strings.Join(tt.ops[:i+1], ", "), code, status, wantCode, tt.want[i])
					}
					if r := get(t, h, "/healthz"); r.StatusCode != 200 {
						t.Errorf("after %s: GET /healthz = %d; want 200", strings.Join(tt.ops[:i+1], ", "), r.StatusCode)
					}
				}
				want := append([]string{"from=starting to=ok"}, tt.wantLog...)
				if got := readinessTransitions(sink); !slices.Equal(got, want) {
					t.Errorf("readiness transitions:\n%s\nwant once each:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				running := len(tt.ops) // seconds the checks ran: until Close, if any
				if i := slices.Index(tt.ops, "close"); i >= 0 {
					running = i + 1
				}
				if got := chk.runs.Load(); got != int64(running)+1 {
					t.Errorf("runs = %d; want %d: one a second, drained, held or not, until Close", got, running+1)
				}
				_ = h.Close()
				synctest.Wait()
				if got := bubbleGoroutines(t); got != base {
					t.Errorf("goroutines after Close = %d; want %d", got, base)
				}
			})
		})
	}
}
