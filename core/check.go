package core

import (
	"fmt"
	"time"
)

// CheckState is a check's last known state, as the probes see it. Values
// returned by [Health.Checks] are copies; Observations is shared and must
// not be modified.
type CheckState struct {
	Name     string
	Status   Status // StatusStarting until the first result
	Critical bool
	Probes   Probe
	// Err is the redacted text of the last failure or warning; empty after
	// a clean pass.
	Err string
	// Duration is how long the last run took.
	Duration time.Duration
	// Checked is when the last result was recorded; zero before the first.
	Checked time.Time
	// LastSuccess is when the check last passed; zero if it never has.
	LastSuccess time.Time
	// ConsecutiveFailures and ConsecutiveSuccesses count the current run of
	// results; one of them is zero.
	ConsecutiveFailures  int
	ConsecutiveSuccesses int
	// Runs and Failures count every result and every failed result.
	Runs, Failures uint64
	// Observations are the values the check reported with its last result.
	Observations []Observation
}

// check is one registered check: its configuration, its state (guarded by
// Health.mu) and its scheduling (owned by the scheduler goroutine).
type check struct {
	name     string
	checker  Checker
	observer Observer
	cfg      checkConfig

	// Guarded by Health.mu.
	st    CheckState
	stale bool       // marked failing by the watchdog
	pub   *published // st as last published, with its answers; nil when st changed since

	// Owned by the scheduler goroutine.
	sched schedState
}

// published is one check's state as a snapshot shows it, and the answers
// of /<probe>/<name> rendered from it. It is immutable, and shared by every
// snapshot until the check's state changes, so publishing a result copies
// one pointer per check rather than every state.
type published struct {
	st   CheckState
	resp renderSet
}

// result is the outcome of one run, or of a run that did not finish in time.
type result struct {
	at   time.Time
	dur  time.Duration
	err  string // cleaned text; empty on a clean pass
	fail bool
	warn bool
	obs  []Observation
}

// applyLocked folds r into the check's state with the two-way hysteresis
// and reports the transition, if any.
func (c *check) applyLocked(r result) (from Status, changed bool) {
	s := &c.st
	from = s.Status
	s.Runs++
	s.Checked = r.at
	s.Duration = r.dur
	s.Err = r.err
	s.Observations = r.obs
	c.stale = false
	c.pub = nil
	if r.fail {
		s.Failures++
		s.ConsecutiveFailures++
		s.ConsecutiveSuccesses = 0
		switch {
		case from == StatusStarting, from == StatusUnhealthy:
			// A first result decides at once: never ready on a dependency
			// that has never answered.
			s.Status = StatusUnhealthy
		case s.ConsecutiveFailures >= c.cfg.failureThreshold:
			s.Status = StatusUnhealthy
		}
	} else {
		s.ConsecutiveSuccesses++
		s.ConsecutiveFailures = 0
		s.LastSuccess = r.at
		to := StatusHealthy
		if r.warn {
			to = StatusDegraded
		}
		if from != StatusUnhealthy || s.ConsecutiveSuccesses >= c.cfg.successThreshold {
			s.Status = to
		}
	}
	return from, s.Status != from
}

// expireLocked marks a passing check whose last result is older than its
// stale limit as failing. It returns the transition, if any, and when the
// check would next expire (zero if it cannot).
func (c *check) expireLocked(now time.Time) (ev Event, changed bool, next time.Time) {
	s := &c.st
	if c.stale || !s.Status.Passing() {
		return Event{}, false, time.Time{}
	}
	deadline := s.Checked.Add(c.cfg.staleAfter)
	if now.Before(deadline) {
		return Event{}, false, deadline
	}
	ev = Event{Time: now, Check: c.name, Probe: c.cfg.probes, From: s.Status, To: StatusUnhealthy,
		Err: fmt.Sprintf("core: stale result: no result for %v", now.Sub(s.Checked).Round(time.Millisecond))}
	s.Status = StatusUnhealthy
	s.Err = ev.Err
	s.ConsecutiveSuccesses = 0
	c.stale = true
	c.pub = nil
	return ev, true, time.Time{}
}
