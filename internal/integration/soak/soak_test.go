package soak

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/internal/testenv"
)

// envSoak names the environment variable that turns on the long soak: a
// duration such as "60s".
const envSoak = "PROBEKIT_SOAK"

// The two versions of the soak: the short one CI runs, and the long one
// PROBEKIT_SOAK asks for.
const (
	ciDuration = 4500 * time.Millisecond
	ciPeriod   = 1500 * time.Millisecond // stop, start: one outage, one recovery
	longPeriod = 3 * time.Second
)

// The Redis check's settings: short, so that outages are noticed within a
// fraction of the stop/start period.
const (
	interval   = 50 * time.Millisecond
	timeout    = 100 * time.Millisecond
	threshold  = 3
	jitter     = 0.1 // core.DefaultJitter, stated for the bound
	maxBackoff = 2 * interval
)

// flipBound is the longest time, by the scheduler's rules (core's
// scheduler.go), from the Redis going down (Stop returning) to readiness
// answering 503.
// Take the worst case: a run passes just before the stop. The next run
// starts at most interval×(1+jitter) later and fails at the latest at its
// timeout; the delay after each failure stays interval×(1+jitter) while
// the failures are below the threshold (backoff only doubles the delay
// from the threshold-th failure on, so it never delays the flip); the
// threshold-th failure flips the check, and the scheduler publishes the
// new answers in the same turn. So threshold × (interval×(1+jitter) +
// timeout) = 3 × 155 ms = 465 ms.
var flipBound = threshold * (longestDelay(interval, jitter) + timeout)

// longestDelay is the longest a delay d becomes with jitter j.
func longestDelay(d time.Duration, j float64) time.Duration {
	return time.Duration(float64(d) * (1 + j))
}

// margin is added to flipBound for scheduling: the scheduler's goroutine
// and timers share two cores with the servers, 20 client goroutines, the
// race detector and whatever else the machine runs. A quiet machine flips
// within about 3 intervals of the stop (a refused connection fails at
// once), far inside flipBound; under -race on two cores with a load
// average of 12, the worst seen was 555 ms. The margin absorbs a scheduler
// that wakes late, and still leaves most of each outage (1.5 s short, 3 s
// long) in which a readiness 200 fails the test.
const margin = 500 * time.Millisecond

// limit is how long after a stop (Stop returning) a request may still be
// sent and get a readiness 200.
var limit = flipBound + margin

// clients is the number of load goroutines per adapter: enough to keep
// both cores busy.
const clients = 4

// Flatness: goroutines at the end may exceed the start by goroutineSlack,
// and the heap at the end may be up to heapFactor × the start +
// heapSlack. See TestSoak.
const (
	goroutineSlack = 10
	heapFactor     = 2
	heapSlack      = 1 << 20
)

// plan is how long the soak runs and how often it stops or starts Redis.
type plan struct {
	duration, period time.Duration
	long             bool
}

// events returns how many times the soak stops or starts the Redis: one
// every period, none in the last.
func (p plan) events() int { return int((p.duration+p.period-1)/p.period) - 1 }

// soakPlan returns the short plan, or the long one when PROBEKIT_SOAK is
// set.
func soakPlan(t *testing.T) plan {
	t.Helper()
	v := os.Getenv(envSoak)
	if v == "" {
		return plan{duration: ciDuration, period: ciPeriod}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q: want a positive duration such as 60s", envSoak, v)
	}
	p := plan{duration: d, period: longPeriod, long: true}
	if d < 4*longPeriod {
		p.period = d / 4 // still one full outage and recovery
	}
	if p.period <= limit+limit/2 {
		t.Fatalf("%s=%v is too short: outages of %v would leave no time past the %v allowed for readiness to turn 503", envSoak, d, p.period, limit)
	}
	if deadline, ok := t.Deadline(); ok && time.Until(deadline) < d+time.Minute {
		t.Fatalf("%s=%v does not fit in go test's -timeout; raise it", envSoak, d)
	}
	return p
}

// TestSoak serves one Health through every adapter over real loopback at
// full speed while the test-owned Redis behind its only check is killed
// and restarted every period, then checks that no request failed, that no
// answer but 200 or 503 was given, that /healthz stayed 200, that no
// readiness 200 answered a request sent longer than limit into an outage,
// that every adapter showed every outage (a 503) and recovered after a
// restart (a 200), that readiness is back after the last outage, and that
// the heap and the goroutine count are flat. An up phase without a 200
// fails nothing by itself (go-redis can take a second to redial, and a
// stalled machine longer); the summary names it.
//
// Flatness is measured with the clients' idle connections closed, after
// two garbage collections, once after a warm-up (every adapter, pool and
// connection has served) and once after the load; the gRPC connection
// stays open in both. goroutineSlack (10) allows for fasthttp's worker
// pool, which keeps a goroutine per recently served connection for 10 s,
// and a check run or two in flight; a leak per request, connection or
// outage would exceed it many times over. The heap may double plus 1 MiB:
// the soak serves tens of thousands (short) to millions (long) of
// requests and kills Redis several times, so anything kept per request or
// per outage would grow far past that, while pools sized by concurrency
// were filled by the warm-up. The start heap is about 1.1 MiB.
func TestSoak(t *testing.T) {
	p := soakPlan(t)
	began := time.Now()
	rs := testenv.StartRedis(t)

	rdb := redis.NewClient(&redis.Options{
		Addr:          rs.Addr(),
		MaxRetries:    -1, // a refused connection fails the run at once
		DialerRetries: 1,
		// After PoolSize failed dials in its lifetime (not per outage: only
		// a background redial that succeeds resets the count), go-redis
		// stops dialing and redials once a second in the background until
		// the server answers, which can delay a recovery by up to 1 s. Fixed
		// here (the default is 10 per CPU) so that the short soak's first
		// recovery, about 12 failed dials in, is the same on any machine.
		PoolSize:     20,
		DialTimeout:  timeout,
		ReadTimeout:  timeout,
		WriteTimeout: timeout,
	})
	t.Cleanup(func() { _ = rdb.Close() })
	h := testenv.NewHealth(t, core.WithCheck("redis", redischeck.New(rdb),
		core.Interval(interval),
		core.Timeout(timeout),
		core.FailureThreshold(threshold),
		core.Jitter(jitter),
		core.MaxBackoff(maxBackoff),
	))
	targets := serveAll(t, h, clients)
	if err := h.Start(context.Background()); err != nil {
		t.Fatalf("Start() error = %v", err)
	}

	warmUp(t, targets)
	closeIdle(targets)
	start := settledSample(t)

	// The load: clients per adapter, back to back, until stop.
	tl := newTimeline(1 + p.events())
	var stop atomic.Bool
	var wg sync.WaitGroup
	t.Cleanup(func() { stop.Store(true); wg.Wait() }) // also on t.Fatal
	perClient := make([][]*client, len(targets))
	for i, tg := range targets {
		for range clients {
			c := &client{send: tg.newSender(), kinds: tg.kinds, st: newStats(len(tl.phases))}
			perClient[i] = append(perClient[i], c)
		}
	}
	loadStart := time.Now()
	tl.begin(phase{start: loadStart})
	for _, cs := range perClient {
		for _, c := range cs {
			wg.Go(func() { c.run(&stop, tl, limit) })
		}
	}

	// The outages: this goroutine stops and starts the Redis on a fixed
	// schedule (the workload, not a wait for a condition). Each phase lasts
	// a period from the end of the Stop or Restart that began it, so that a
	// slow Stop or Restart on a stalled machine never shortens one; the
	// load ends a period after the last.
	var log []string
	ready := make([]time.Time, len(tl.phases)) // when each up phase's Redis answered
	ready[0] = loadStart
	next := time.NewTimer(p.period)
	for ev := 1; ev <= p.events(); ev++ {
		<-next.C
		at := time.Now()
		if ev%2 == 1 {
			rs.Stop()
			down := time.Now()
			tl.begin(phase{down: true, start: down})
			log = append(log, fmt.Sprintf("+%.2fs stop (took %v)", at.Sub(loadStart).Seconds(), down.Sub(at).Round(time.Millisecond)))
		} else {
			i := tl.begin(phase{start: at})
			rs.Restart()
			ready[i] = time.Now()
			log = append(log, fmt.Sprintf("+%.2fs start (took %v)", at.Sub(loadStart).Seconds(), ready[i].Sub(at).Round(time.Millisecond)))
		}
		next.Reset(p.period)
	}
	<-next.C
	stop.Store(true)
	wg.Wait()
	loadEnd := time.Now()

	// End with the Redis up and readiness back, so that nothing of the last
	// outage (go-redis redials in the background once its pool has seen
	// PoolSize failed dials) outlives the test.
	if _, ph := tl.current(); ph.down {
		rs.Restart()
	}
	waitReady(t, targets)

	closeIdle(targets)
	end := sampleWithin(start.goroutines + goroutineSlack)
	log = append(log, fmt.Sprintf("setup and warm-up %v, wind-down %v",
		loadStart.Sub(began).Round(time.Millisecond), time.Since(loadEnd).Round(time.Millisecond)))

	// Sum each adapter's clients.
	n, _ := tl.current()
	phases := spans(tl.phases[:n+1], ready, loadEnd, p.period)
	sums := make([]*stats, len(targets))
	for i, cs := range perClient {
		sums[i] = newStats(len(tl.phases))
		for _, c := range cs {
			sums[i].add(c.st)
		}
	}

	summary := summarize(p, targets, sums, phases, loadEnd.Sub(loadStart), start, end, log)
	t.Log("\n" + summary)
	if p.long {
		fmt.Print(summary)
	}

	for i, tg := range targets {
		s := sums[i]
		if s.errors > 0 {
			t.Errorf("%s: %d errors (transport, unexpected status or body); first: %s", tg.name, s.errors, strings.Join(s.errs, "; "))
		}
		if s.violations > 0 {
			t.Errorf("%s: %d readiness 200s sent more than %v into an outage; first: %s", tg.name, s.violations, limit, strings.Join(s.violated, "; "))
		}
		if s.answers[healthz][1] > 0 {
			t.Errorf("%s: /healthz answered 503 %d times; want liveness unaffected by the Redis", tg.name, s.answers[healthz][1])
		}
		// Every adapter must have seen each outage and a recovery, or the
		// assertions above prove nothing.
		recovered := 0
		for j, sp := range phases {
			switch pc := s.phases[j]; {
			case !sp.observable:
			case sp.down && pc.unready == 0:
				t.Errorf("%s: no readiness 503 during the outage from +%v", tg.name, sp.start.Sub(loadStart).Round(time.Millisecond))
			case !sp.down && j > 0 && pc.ready > 0:
				recovered++
			}
		}
		if recovered == 0 {
			t.Errorf("%s: no readiness 200 after any restart; want readiness to recover", tg.name)
		}
	}
	var outages, recoveries int
	for j, sp := range phases {
		switch {
		case !sp.observable:
		case sp.down:
			outages++
		case j > 0:
			recoveries++
		}
	}
	if outages == 0 || recoveries == 0 {
		t.Errorf("%d outages and %d up phases after one lasted 3/4 of the %v period; want at least one of each (did the machine stall? schedule: %s)",
			outages, recoveries, p.period, strings.Join(log, ", "))
	}
	if end.goroutines > start.goroutines+goroutineSlack {
		var stacks strings.Builder
		_ = pprof.Lookup("goroutine").WriteTo(&stacks, 1)
		t.Errorf("goroutines: %d at the end; want at most %d (start) + %d; now:\n%s", end.goroutines, start.goroutines, goroutineSlack, stacks.String())
	}
	if end.heap > heapFactor*start.heap+heapSlack {
		t.Errorf("heap: %d B at the end; want at most %d × %d B (start) + %d B", end.heap, heapFactor, start.heap, heapSlack)
	}
}

// warmUp waits until every adapter answers readiness 200, then sends each
// client's request cycle a number of times through every adapter with all
// of them at once, so that connections, pools and lazily made state exist
// before the start is measured.
func warmUp(t *testing.T, targets []*target) {
	t.Helper()
	waitReady(t, targets)
	const rounds = 25
	var wg sync.WaitGroup
	errs := make(chan error, len(targets)*clients)
	for _, tg := range targets {
		for range clients {
			send := tg.newSender()
			wg.Go(func() {
				for i := range rounds * len(tg.kinds) {
					k := tg.kinds[i%len(tg.kinds)]
					// A readiness 503 is a valid answer: a check run can
					// time out on a machine that stalls.
					if _, err := send(k); err != nil {
						errs <- err
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("warm-up: %v", err)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// waitReady waits until every adapter answers readiness 200.
func waitReady(t *testing.T, targets []*target) {
	t.Helper()
	for _, tg := range targets {
		send := tg.newSender()
		testenv.Eventually(t, 10*time.Second, func() error {
			code, err := send(readyz)
			if err == nil && code != http.StatusOK {
				err = fmt.Errorf("%s: /readyz = %d; want 200", tg.name, code)
			}
			return err
		})
	}
}

func closeIdle(targets []*target) {
	for _, tg := range targets {
		tg.closeIdle()
	}
}

// span is a phase as the soak ended up running it.
type span struct {
	phase
	// observable is whether the clients saw the phase for at least 3/4 of
	// the period: long enough that every adapter must show an outage, or
	// can be expected to show a recovery. The end of the load can cut the
	// last phase short, and a stalled machine can make a Stop or a Restart
	// take most of the period.
	observable bool
}

// spans returns the phases with their observability: an outage from its
// start (Stop returned), an up phase from when its Redis answered
// (ready), each until the next phase began or the load ended.
func spans(phases []phase, ready []time.Time, loadEnd time.Time, period time.Duration) []span {
	out := make([]span, len(phases))
	for i, ph := range phases {
		from, to := ph.start, loadEnd
		if !ph.down {
			from = ready[i]
		}
		if i+1 < len(phases) {
			to = phases[i+1].start
		}
		out[i] = span{phase: ph, observable: to.Sub(from) >= period*3/4}
	}
	return out
}
