package faultmatrix

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// The settings of every row's check: short, so that the matrix runs in
// seconds. StaleAfter is set well above its minimum (interval + jitter +
// timeout, 122 ms here) so that a scheduler delayed by a loaded machine is
// not marked stale; at the defaults the watchdog's margin is two intervals,
// 10 s.
const (
	checkInterval    = 20 * time.Millisecond
	checkTimeout     = 100 * time.Millisecond
	failureThreshold = 3
	maxBackoff       = 60 * time.Millisecond
	jitter           = 0.1
	staleAfter       = 2 * time.Second
)

// checkOptions returns the options of a row's check with the timeout
// given.
func checkOptions(timeout time.Duration) []core.CheckOption {
	return []core.CheckOption{
		core.Interval(checkInterval),
		core.Timeout(timeout),
		core.FailureThreshold(failureThreshold),
		core.MaxBackoff(maxBackoff),
		core.Jitter(jitter),
		core.StaleAfter(staleAfter),
	}
}

const (
	// slack is added to every upper bound computed from the settings, for
	// a loaded machine (2 cores, -race, other packages' tests alongside).
	slack = 2 * time.Second
	// waitLimit bounds each wait of a row; the bounds asserted are tighter.
	waitLimit = 10 * time.Second
	// probeBurst is how many /readyz and /healthz pairs each poll sends.
	probeBurst = 3
)

// gap is the longest wait between two runs while the check has not yet
// reached its failure threshold: the interval with jitter.
var gap = withJitter(checkInterval)

// max503 bounds the time from the fault to 503 for a check timeout: a run
// in flight at the fault, which may still pass, then failureThreshold
// failing runs, each at most the timeout and a gap apart.
func max503(timeout time.Duration) time.Duration {
	return (failureThreshold+1)*(timeout+gap) + slack
}

// maxRecovery bounds the time from the end of the fault to 200 for a
// check timeout: a run in flight, which may still fail, and the next one,
// each after at most the backoff cap with jitter.
func maxRecovery(timeout time.Duration) time.Duration {
	return timeout + 2*withJitter(maxBackoff) + slack
}

// withJitter returns d stretched by the most the jitter adds.
func withJitter(d time.Duration) time.Duration {
	j := jitter // not a constant expression: the product is not whole
	return d + time.Duration(float64(d)*j)
}

// row is one cell of the matrix and what was measured in it.
type row struct {
	dep, fault string
	fails      bool
	state      string // "ok", "FAILED", or why the row did not run

	// Rows whose fault turns readiness 503.
	to503       time.Duration // fault to the first 503 a probe saw
	failedAt503 int           // failed results recorded by then
	recovery    time.Duration // end of the fault to the first 200
	// Rows whose fault must not: the results watched.
	runs, failures, longestRun int

	probes                      int
	p99, max                    time.Duration // round trip, at the client
	handlerP99, handlerMax      time.Duration // in the handler
	gBefore, gAfter             int           // before the row's setup, after its teardown
	gHealthy, gPeak, gRecovered int           // at the fault, highest seen, after recovery
	firstErr                    string
	elapsed                     time.Duration
}

// sample is one /readyz answer.
type sample struct {
	code    int
	at      time.Time // when the answer had been read
	adapter string    // the adapter that answered
}

// timed keeps how long the handlers it wraps took to answer each request:
// the probe's own latency, without the network and the client.
type timed struct {
	mu  sync.Mutex
	lat []time.Duration
}

// wrap returns next, timed.
func (h *timed) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		d := time.Since(start)
		h.mu.Lock()
		h.lat = append(h.lat, d)
		h.mu.Unlock()
	})
}

// take returns the latencies kept since the last call and forgets them.
func (h *timed) take() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	lat := h.lat
	h.lat = nil
	return lat
}

// sampler sends probes to a row's adapters, each pair to the next adapter
// in turn, and keeps their round-trip latencies, as a kubelet would see
// them.
type sampler struct {
	t        *testing.T
	client   *http.Client
	adapters []adapter
	next     int // the adapter the next pair goes to
	lat      []time.Duration
	badLiv   []string // /healthz answers other than 200, with the adapter
	gPeak    int
}

// probe sends GET path to adapter a and returns the status code and when
// the answer had been read, keeping the latency.
func (s *sampler) probe(a adapter, path string) sample {
	s.t.Helper()
	start := time.Now()
	code := get(s.t, s.client, a.base, path)
	at := time.Now()
	s.lat = append(s.lat, at.Sub(start))
	return sample{code: code, at: at, adapter: a.name}
}

// poll sends probeBurst pairs of /readyz and /healthz, each pair to the
// next adapter, keeps every /healthz answer that is not 200 and returns
// the /readyz answers.
func (s *sampler) poll() []sample {
	s.t.Helper()
	out := make([]sample, 0, probeBurst)
	for range probeBurst {
		a := s.adapters[s.next%len(s.adapters)]
		s.next++
		out = append(out, s.probe(a, "/readyz"))
		if l := s.probe(a, "/healthz"); l.code != http.StatusOK {
			s.badLiv = append(s.badLiv, fmt.Sprintf("%d from %s", l.code, a.name))
		}
	}
	s.gPeak = max(s.gPeak, runtime.NumGoroutine())
	return out
}

// percentile returns the p-th percentile (nearest rank) of d.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(math.Ceil(float64(len(s))*p)) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// runRow runs fault f against a new dependency of kind k (through target,
// the group's server) and fills in r.
func runRow(t *testing.T, k depKind, target string, f fault, r *row) {
	start := time.Now()
	r.gBefore = runtime.NumGoroutine()

	d := k.open(t, target)
	chk := &hooked{Checker: d.checker}
	logs := &logSink{}
	timeout := f.checkTimeout()
	h := testenv.NewHealth(t, core.WithLogger(slog.New(logs)), core.WithCheck(k.name, chk, checkOptions(timeout)...))
	var res resultLog
	stopResults := h.ListenResults(res.add)
	handler := &timed{}
	adapters, closeAdapters := serveAdapters(t, h, handler)
	client := &http.Client{Transport: &http.Transport{}, Timeout: waitLimit}
	// The application has connected before it serves probes: warm the
	// client's pool up, so that the first run does not have to connect
	// within the short timeout of these rows on a loaded machine.
	testenv.Eventually(t, waitLimit, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		return d.checker.Check(ctx)
	})
	if err := h.Start(context.Background()); err != nil {
		t.Fatalf("Start() = %v", err)
	}
	s := &sampler{t: t, client: client, adapters: adapters}

	// Healthy first, with the start logged once per change.
	testenv.Eventually(t, waitLimit, func() error {
		for _, a := range s.adapters {
			if got := s.probe(a, "/readyz"); got.code != http.StatusOK {
				return fmt.Errorf("GET /readyz = %d from %s before the fault; want 200", got.code, a.name)
			}
		}
		return nil
	})
	waitTransitions(t, logs, 0, []string{
		transition("check", k.name, core.StatusStarting, core.StatusHealthy),
		transition("probe", "readiness", core.StatusStarting, core.StatusHealthy),
	})
	mark := logs.len()
	s.lat, s.badLiv = nil, nil
	handler.take()
	r.gHealthy = runtime.NumGoroutine()
	s.gPeak = r.gHealthy

	t0 := time.Now()
	restore := f.inject(d, chk, timeout)
	if f.fails {
		failing(t, k, timeout, s, &res, logs, mark, t0, restore, r)
	} else {
		steady(t, f, timeout, s, &res, logs, mark, t0, restore, r)
	}

	if len(s.badLiv) > 0 {
		t.Errorf("GET /healthz answered %v during the fault; want 200 throughout", s.badLiv)
	}
	// Semantic bounds, not speed targets: a probe that waited on the
	// dependency would take at least the check's timeout. The handler's
	// own time must stay under it on every probe; the round trip, which
	// adds the network and three goroutines that a loaded machine can
	// leave waiting for a CPU, on 99% of them.
	r.probes = len(s.lat)
	r.p99, r.max = percentile(s.lat, 0.99), slices.Max(s.lat)
	served := handler.take()
	r.handlerP99, r.handlerMax = percentile(served, 0.99), slices.Max(served)
	if r.p99 >= timeout {
		t.Errorf("probe round trip p99 %v over %d probes (max %v); want under the check timeout %v", r.p99, r.probes, r.max, timeout)
	}
	if r.handlerMax >= timeout {
		t.Errorf("probe handler max %v over %d probes (p99 %v); want under the check timeout %v", r.handlerMax, len(served), r.handlerP99, timeout)
	}
	r.gPeak = s.gPeak
	r.gRecovered = runtime.NumGoroutine()

	stopResults()
	if err := h.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	closeAdapters()
	client.CloseIdleConnections()
	d.close()
	testenv.Eventually(t, waitLimit, func() error {
		if r.gAfter = runtime.NumGoroutine(); r.gAfter > r.gBefore {
			return fmt.Errorf("%d goroutines after the row; want at most %d, as before it:\n%s", r.gAfter, r.gBefore, stacks())
		}
		return nil
	})
	r.elapsed = time.Since(start)
}

// firstAnswer polls the sampler until /readyz answers want (200 or 503)
// and returns when that answer was read. Any code other than 200 and 503
// on the way is an error; when (such as "during the fault") names the
// phase, since t0, in the messages.
func firstAnswer(t *testing.T, s *sampler, want int, when string, t0 time.Time) time.Time {
	t.Helper()
	var at time.Time
	testenv.Eventually(t, waitLimit, func() error {
		for _, got := range s.poll() {
			switch got.code {
			case want:
				at = got.at
				return nil
			case http.StatusOK, http.StatusServiceUnavailable:
			default:
				t.Errorf("GET /readyz = %d from %s %s; want 200 or 503", got.code, got.adapter, when)
			}
		}
		return fmt.Errorf("GET /readyz not yet %d %v %s", want, time.Since(t0).Round(time.Millisecond), when)
	})
	return at
}

// failing runs a row whose fault must turn readiness 503: until 503, on
// until the check has failed once more (its backoff then at the cap), and
// after restore until 200.
func failing(t *testing.T, k depKind, timeout time.Duration, s *sampler, res *resultLog, logs *logSink, mark int, t0 time.Time, restore func(), r *row) {
	t.Helper()
	t503 := firstAnswer(t, s, http.StatusServiceUnavailable, "during the fault", t0)
	r.to503 = t503.Sub(t0)

	// Hold the fault for one more failed run: readiness stays 503.
	var bad []sample
	testenv.Eventually(t, waitLimit, func() error {
		for _, got := range s.poll() {
			if got.code != http.StatusServiceUnavailable {
				bad = append(bad, got)
			}
		}
		if n := failed(res.since(t0), time.Time{}); n <= failureThreshold {
			return fmt.Errorf("%d failed runs; waiting for %d", n, failureThreshold+1)
		}
		return nil
	})

	if len(bad) > 0 {
		t.Errorf("GET /readyz = %d from %s %v into the fault, after the first 503, and %d more answers not 503; want 503 until the fault ends",
			bad[0].code, bad[0].adapter, bad[0].at.Sub(t0).Round(time.Millisecond), len(bad)-1)
	}

	t1 := time.Now()
	restore()
	r.recovery = firstAnswer(t, s, http.StatusOK, "after the fault ended", t1).Sub(t1)

	// The listener sees results a little after the probes do.
	testenv.Eventually(t, waitLimit, func() error {
		for _, st := range res.since(t1) {
			if st.Status == core.StatusHealthy {
				return nil
			}
		}
		return fmt.Errorf("no passing result reported after the fault ended")
	})
	sts := res.since(t0)
	r.failedAt503 = failed(sts, t503)
	for _, st := range sts {
		if isFailure(st) {
			r.firstErr = st.Err
			break
		}
	}

	// Hysteresis: 503 only once the check had failed failureThreshold
	// times in a row, and no earlier.
	i := slices.IndexFunc(sts, func(st core.CheckState) bool { return st.Status == core.StatusUnhealthy })
	switch {
	case i < 0:
		t.Errorf("no unhealthy result reported after the fault; results %s", summary(sts))
	case sts[i].ConsecutiveFailures != failureThreshold:
		t.Errorf("first unhealthy result after %d consecutive failures; want %d; results %s", sts[i].ConsecutiveFailures, failureThreshold, summary(sts))
	case t503.Before(sts[i].Checked):
		t.Errorf("first 503 seen %v after the fault, before the failure that made the check unhealthy (%v)", r.to503, sts[i].Checked.Sub(t0))
	}
	if r.failedAt503 < failureThreshold {
		t.Errorf("first 503 after %d failed runs; want at least %d", r.failedAt503, failureThreshold)
	}
	if limit := max503(timeout); r.to503 > limit {
		t.Errorf("first 503 %v after the fault; want at most %v (%d runs of %v timeout, %v apart, plus %v slack)", r.to503, limit, failureThreshold+1, timeout, gap, slack)
	}
	if limit := maxRecovery(timeout); r.recovery > limit {
		t.Errorf("first 200 %v after the fault ended; want at most %v (timeout %v, 2 backoffs of %v with jitter, %v slack)", r.recovery, limit, timeout, maxBackoff, slack)
	}

	waitTransitions(t, logs, mark, []string{
		transition("check", k.name, core.StatusHealthy, core.StatusUnhealthy),
		transition("probe", "readiness", core.StatusHealthy, core.StatusUnhealthy),
		transition("check", k.name, core.StatusUnhealthy, core.StatusHealthy),
		transition("probe", "readiness", core.StatusUnhealthy, core.StatusHealthy),
	})
}

// steady runs a row whose fault must not turn readiness 503, for f.runs
// results: readiness 200 throughout, no transition.
func steady(t *testing.T, f fault, timeout time.Duration, s *sampler, res *resultLog, logs *logSink, mark int, t0 time.Time, restore func(), r *row) {
	t.Helper()
	var bad []sample
	testenv.Eventually(t, waitLimit, func() error {
		for _, got := range s.poll() {
			if got.code != http.StatusOK {
				bad = append(bad, got)
			}
		}
		if n := len(res.since(t0)); n < f.runs {
			return fmt.Errorf("%d results since the fault; waiting for %d", n, f.runs)
		}
		return nil
	})
	restore()
	if len(bad) > 0 {
		t.Errorf("GET /readyz = %d from %s %v into the fault, and %d more answers not 200; want 200 throughout",
			bad[0].code, bad[0].adapter, bad[0].at.Sub(t0).Round(time.Millisecond), len(bad)-1)
	}
	sts := res.since(t0)
	r.runs, r.failures, r.longestRun = len(sts), failed(sts, time.Time{}), longestFailureRun(sts)
	for _, st := range sts {
		if isFailure(st) && r.firstErr == "" {
			r.firstErr = st.Err
		}
		// A failure under the threshold leaves the check healthy.
		if st.Status != core.StatusHealthy {
			t.Errorf("check %s after a result during the fault; want %s throughout; results %s", st.Status, core.StatusHealthy, summary(sts))
		}
	}
	if r.longestRun >= failureThreshold {
		t.Errorf("%d failures in a row; want fewer than %d; results %s", r.longestRun, failureThreshold, summary(sts))
	}
	switch f.name {
	case "flapping":
		// The dependency really was down one run in flapPeriod.
		if want := r.runs/flapPeriod - 1; r.failures < want {
			t.Errorf("%d of %d runs failed while flapping; want at least %d", r.failures, r.runs, want)
		}
	case "slow 0.5x timeout":
		// The dependency really was slow: every run started after the fault
		// took at least the round trip the proxy imposed.
		rtt := timeout / 2
		for _, st := range sts {
			if st.Checked.Add(-st.Duration).After(t0) && st.Duration < rtt {
				t.Errorf("run took %v with the dependency slowed to %v a round trip; want at least that", st.Duration, rtt)
			}
		}
	}
	if trans, other := logs.transitions(mark); len(trans)+len(other) > 0 {
		t.Errorf("logged %q and %q during the fault; want no transition and no warning", trans, other)
	}
}

// transition returns how logRecord.String shows a transition of a check or
// a probe.
func transition(kind, name string, from, to core.Status) string {
	return kind + " " + name + " " + from.String() + "->" + to.String()
}

// waitTransitions waits until logs has as many transition records from
// index from on as want, then requires them to be want, in order, and no
// other record at Warn or above.
func waitTransitions(t *testing.T, logs *logSink, from int, want []string) {
	t.Helper()
	testenv.Eventually(t, waitLimit, func() error {
		if got, _ := logs.transitions(from); len(got) < len(want) {
			return fmt.Errorf("logged transitions %q; waiting for %q", got, want)
		}
		return nil
	})
	got, other := logs.transitions(from)
	if !slices.Equal(got, want) {
		t.Errorf("logged transitions %q; want %q, each once", got, want)
	}
	if len(other) > 0 {
		t.Errorf("logged %q; want no warning but transitions", other)
	}
}

// summary describes results as a run of "+" (pass) and "x" (fail), then
// lists each failure with how long its run took and its error.
func summary(sts []core.CheckState) string {
	var b, errs bytes.Buffer
	for i, st := range sts {
		if isFailure(st) {
			b.WriteByte('x')
			fmt.Fprintf(&errs, "\n\t#%d after %v: %s", i+1, st.Duration.Round(time.Millisecond), st.Err)
		} else {
			b.WriteByte('+')
		}
	}
	return b.String() + errs.String()
}

// stacks returns the stacks of every goroutine, grouped.
func stacks() string {
	var b bytes.Buffer
	_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
	return b.String()
}
