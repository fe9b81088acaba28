package core

import (
	"container/heap"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"
)

// runPhase is where a check is in its run cycle.
type runPhase uint8

const (
	idle      runPhase = iota // waiting for its next run
	running                   // a run is in flight, within its timeout
	abandoned                 // a run outlived its timeout and has not returned
)

// schedState is a check's scheduling state, owned by the scheduler goroutine.
type schedState struct {
	phase    runPhase
	due      time.Time // next run (idle, abandoned) or the run's deadline (running)
	started  time.Time // start of the current or abandoned run
	cancel   context.CancelFunc
	heapSlot int
}

// runDone is sent by a run's goroutine when the check returns. The results
// channel has room for one per check, and a check has at most one run alive,
// so the send never blocks, even after the scheduler has stopped.
type runDone struct {
	c   *check
	dur time.Duration
	err error
	obs []Observation
}

// scheduler runs every check on its own schedule, at most one run of each
// in flight, and hands each result to the tracker. It is the one place
// that abandons a run that outlives its timeout.
type scheduler struct {
	checks  []*check
	tr      *tracker
	logger  *slog.Logger
	results chan runDone
}

func newScheduler(checks []*check, tr *tracker, logger *slog.Logger) *scheduler {
	return &scheduler{checks: checks, tr: tr, logger: logger, results: make(chan runDone, len(checks))}
}

// run runs the checks until ctx is done, then cancels the runs in flight
// and waits for those that return by their deadline. One goroutine serves
// all checks from a heap ordered by due time.
func (sc *scheduler) run(ctx context.Context) {
	q := make(dueQueue, 0, len(sc.checks))
	now := time.Now()
	for _, c := range sc.checks {
		c.sched = schedState{due: now} // first run immediately
		heap.Push(&q, c)
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	done := ctx.Done()
	stopping := false
	var bt batch
	for {
		if len(q) > 0 {
			timer.Reset(time.Until(q[0].sched.due))
		}
		select {
		case <-done:
			done, stopping = nil, true
			// Readiness drains from now on, not only once the runs in
			// flight have returned or timed out: a pass must not be served
			// while the Health is stopping.
			sc.tr.stop()
			for _, c := range sc.checks {
				if c.sched.phase != idle {
					c.sched.cancel()
				}
			}
		case d := <-sc.results:
			sc.finish(&q, d, time.Now(), &bt)
		case <-timer.C:
			sc.fire(ctx, &q, time.Now(), stopping, &bt)
		}
		// Take every other result already waiting before publishing, so
		// that results arriving together are rendered once.
		for drained := false; !drained; {
			select {
			case d := <-sc.results:
				sc.finish(&q, d, time.Now(), &bt)
			default:
				drained = true
			}
		}
		sc.tr.publish(&bt)
		if stopping && !sc.anyRunning() {
			return
		}
	}
}

func (sc *scheduler) anyRunning() bool {
	for _, c := range sc.checks {
		if c.sched.phase == running {
			return true
		}
	}
	return false
}

// fire handles every check whose due time has come: it starts a run,
// abandons a run past its deadline, or reports a run still stuck. The
// results it makes go into bt.
func (sc *scheduler) fire(ctx context.Context, q *dueQueue, now time.Time, stopping bool, bt *batch) {
	for len(*q) > 0 && !(*q)[0].sched.due.After(now) {
		c := (*q)[0]
		s := &c.sched
		switch s.phase {
		case idle:
			if stopping {
				heap.Pop(q) // off the schedule: never started again
				continue
			}
			runCtx, cancel := context.WithTimeout(ctx, c.cfg.timeout)
			s.phase, s.started, s.cancel = running, now, cancel
			s.due = now.Add(c.cfg.timeout + abandonGrace(c.cfg.timeout))
			go sc.runCheck(runCtx, c, now)
		case running:
			// The deadline (and its grace) passed and the check has not
			// returned: stop waiting, whether or not it honours its context.
			// The context's own timer cancelled it with DeadlineExceeded;
			// s.cancel is called when the run returns.
			s.phase = abandoned
			s.due = now.Add(sc.delay(c, sc.tr.apply(c, sc.stuck(c, now), bt)))
		case abandoned:
			// Still stuck from before: do not start another run, keep
			// reporting failure until it returns.
			if stopping {
				heap.Pop(q)
				continue
			}
			s.due = now.Add(sc.delay(c, sc.tr.apply(c, sc.stuck(c, now), bt)))
		}
		heap.Fix(q, s.heapSlot)
	}
}

// abandonGrace is how long past its timeout a run is waited for before it
// is abandoned. A check that honours its context returns a moment after
// the deadline with its own error ("redis: ping: context deadline
// exceeded"), which says more than "still running" and must not lose the
// race with the scheduler's timer at the same instant.
func abandonGrace(timeout time.Duration) time.Duration {
	return min(timeout/10, 100*time.Millisecond)
}

func (sc *scheduler) stuck(c *check, now time.Time) result {
	return result{at: now, dur: now.Sub(c.sched.started), fail: true,
		err: fmt.Sprintf("core: check still running after %v", now.Sub(c.sched.started).Round(time.Millisecond))}
}

// finish handles a run that returned; its result goes into bt.
func (sc *scheduler) finish(q *dueQueue, d runDone, now time.Time, bt *batch) {
	c := d.c
	s := &c.sched
	switch s.phase {
	case running:
		s.cancel()
		s.phase, s.cancel = idle, nil // the context's memory is free until the next run
		r := result{at: now, dur: d.dur, obs: d.obs}
		switch {
		case d.err == nil:
		case IsWarning(d.err):
			r.warn, r.err = true, cleanError(d.err)
		default:
			r.fail, r.err = true, cleanError(d.err)
		}
		s.due = now.Add(sc.delay(c, sc.tr.apply(c, r, bt)))
		heap.Fix(q, s.heapSlot)
	case abandoned:
		// A stuck run came back late. Its result is too old to count; the
		// next run starts at the time already scheduled.
		s.cancel()
		s.phase, s.cancel = idle, nil
		sc.logger.Debug("health check returned after being abandoned", "check", c.name, "duration", d.dur)
	}
}

// run executes one check in its own goroutine.
func (sc *scheduler) runCheck(ctx context.Context, c *check, start time.Time) {
	d := runDone{c: c}
	func() {
		defer func() {
			if p := recover(); p != nil {
				d.err = fmt.Errorf("core: check panicked: %v", p)
			}
		}()
		d.err = c.checker.Check(ctx)
		if c.observer != nil {
			d.obs = c.observer.Observations()
		}
	}()
	d.dur = time.Since(start)
	sc.results <- d
}

// delay returns the wait before the check's next run, given its count of
// consecutive failures: the interval while it passes or has failed fewer
// times than its threshold, then doubling with each further failure up to
// the check's maximum backoff; with jitter.
func (sc *scheduler) delay(c *check, failures int) time.Duration {
	cfg := &c.cfg
	d := cfg.interval
	if n := failures - cfg.failureThreshold + 1; n > 0 {
		for ; n > 0 && d < cfg.maxBackoff; n-- {
			d *= 2
		}
		d = min(d, cfg.maxBackoff)
	}
	if cfg.jitter > 0 {
		d = time.Duration(float64(d) * (1 - cfg.jitter + 2*cfg.jitter*rand.Float64()))
	}
	return d
}

// dueQueue is a min-heap of checks by due time.
type dueQueue []*check

func (q dueQueue) Len() int { return len(q) }
func (q dueQueue) Less(i, j int) bool {
	return q[i].sched.due.Before(q[j].sched.due)
}
func (q dueQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].sched.heapSlot = i
	q[j].sched.heapSlot = j
}
func (q *dueQueue) Push(x any) {
	c := x.(*check)
	c.sched.heapSlot = len(*q)
	*q = append(*q, c)
}
func (q *dueQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}
