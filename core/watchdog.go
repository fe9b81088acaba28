package core

import (
	"context"
	"time"
)

// watch is the stale-result safety net: independently of the scheduler, it
// marks a passing check failing once its last result is older than its
// StaleAfter limit, so a stale pass is never served however the scheduler
// came to fall behind. It sleeps until the earliest such deadline and is
// woken after every result.
func (h *Health) watch(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		next := h.expire(time.Now())
		if next.IsZero() {
			timer.Stop()
		} else {
			timer.Reset(time.Until(next))
		}
		select {
		case <-ctx.Done():
			return
		case <-h.wake:
		case <-timer.C:
		}
	}
}

// expire marks stale checks failing and returns the earliest time another
// check could go stale (zero if none can).
func (h *Health) expire(now time.Time) time.Time {
	var next time.Time
	var evs []Event
	var probes Probe
	var expired []*check
	h.mu.Lock()
	for _, c := range h.checks {
		ev, changed, deadline := c.expireLocked(now)
		if changed {
			evs = append(evs, ev)
			probes |= c.cfg.probes
			expired = append(expired, c)
		}
		if !deadline.IsZero() && (next.IsZero() || deadline.Before(next)) {
			next = deadline
		}
	}
	if len(evs) > 0 {
		evs = h.publishLocked(now, evs, probes)
		for _, c := range expired {
			h.events.pushResult(c.st)
		}
	}
	h.mu.Unlock()
	h.emit(evs)
	return next
}
