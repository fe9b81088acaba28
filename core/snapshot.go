package core

import (
	"fmt"
	"time"
)

// snapshot is everything a probe reads, published as one immutable value
// whenever a result or a manual condition changes. Probes load it with one
// atomic read and write one of its responses, rendered once per snapshot
// (see renderSet).
type snapshot struct {
	checks   []*published // by check index
	holds    []hold
	draining bool
	probes   [numProbes]probeView
	started  time.Time // when Start was called; zero before
}

type probeView struct {
	status Status
	resp   *renderSet
}

// format is a response body format.
type format uint8

const (
	fmtJSON format = iota // application/json, the default
	fmtIETF               // application/health+json
	fmtText               // ?verbose: the Kubernetes text format
	numFormats
)

// publishLocked builds and publishes a new snapshot from the current state,
// appends the aggregate transitions to evs, queues evs for the listeners and
// returns them for logging. Only what changed is rendered again: the
// answers of checks whose state changed, and of the probes in changed
// (answers of other probes are reused from the previous snapshot). h.mu
// must be held.
func (h *Health) publishLocked(now time.Time, evs []Event, changed Probe) []Event {
	prev := h.snap.Load()
	s := &snapshot{
		checks:   make([]*published, len(h.checks)),
		holds:    h.holds,
		draining: h.draining || h.stopped,
		started:  h.startTime,
	}
	for i, c := range h.checks {
		if c.pub == nil {
			p := &published{st: c.st}
			p.resp = renderSet{h: h, v: view{one: &p.st, probe: -1, only: i, status: p.st.Status}}
			c.pub = p
		}
		s.checks[i] = c.pub
	}
	for p := range numProbes {
		if prev != nil && changed&probeAt(p) == 0 {
			s.probes[p] = prev.probes[p]
			continue
		}
		st, cause := h.aggregate(p, s, nil)
		s.probes[p] = probeView{status: st, resp: &renderSet{h: h, v: view{s: s, probe: p, status: st, cause: cause, at: now, uptime: s.uptime(now)}}}
		if prev != nil && prev.probes[p].status != st {
			evs = append(evs, Event{Time: now, Probe: probeAt(p), From: prev.probes[p].status, To: st, Err: cause})
		}
	}
	h.snap.Store(s)
	// Queue for listeners while still holding mu, so that they see events
	// in the order the states were published.
	h.events.push(evs)
	return evs
}

// uptime is how long the Health has been started at now; 0 before Start.
func (s *snapshot) uptime(now time.Time) time.Duration {
	if s.started.IsZero() {
		return 0
	}
	return now.Sub(s.started)
}

// aggregate computes probe p's status from s, leaving out the checks and
// holds ex names, and says why it is not healthy.
//
// Readiness: draining, else unhealthy while held or while a critical check
// fails, else starting while a check has no result, else degraded while a
// non-critical check fails or a check warns. Liveness: the same over its
// checks, except that checks without a result do not count (liveness is
// 200 while starting). Startup: starting until every startup check has
// passed once, then healthy for good.
func (h *Health) aggregate(p int, s *snapshot, ex *exclusion) (Status, string) {
	if p == readyIdx {
		if s.draining {
			return StatusDraining, "draining"
		}
		for _, x := range s.holds {
			if !ex.has(x.name) {
				return StatusUnhealthy, fmt.Sprintf("held: %s", x.name)
			}
		}
	}
	probe := probeAt(p)
	var failing, starting, degraded string
	for i, c := range h.checks {
		if c.cfg.probes&probe == 0 || ex.has(c.name) {
			continue
		}
		st := &s.checks[i].st
		if p == startIdx {
			if st.LastSuccess.IsZero() && starting == "" {
				starting = c.name
			}
			continue
		}
		switch st.Status {
		case StatusStarting:
			if p == readyIdx && starting == "" {
				starting = c.name
			}
		case StatusUnhealthy:
			if c.cfg.critical {
				if failing == "" {
					failing = c.name
				}
			} else if degraded == "" {
				degraded = c.name
			}
		case StatusDegraded:
			if degraded == "" {
				degraded = c.name
			}
		}
	}
	switch {
	case failing != "":
		return StatusUnhealthy, fmt.Sprintf("check %s failing", failing)
	case starting != "":
		return StatusStarting, fmt.Sprintf("check %s has not passed yet", starting)
	case degraded != "":
		return StatusDegraded, fmt.Sprintf("check %s degraded", degraded)
	}
	return StatusHealthy, ""
}

// exclusion is the set of names a request's ?exclude= parameters name.
type exclusion struct {
	names   []string
	unknown []string // valid names that match no check or hold, for the text format
}

func (ex *exclusion) has(name string) bool {
	if ex == nil {
		return false
	}
	for _, n := range ex.names {
		if n == name {
			return true
		}
	}
	return false
}
