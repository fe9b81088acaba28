package soak

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// phase is a stretch of the soak during which the Redis is up or down.
type phase struct {
	down bool
	// start is when the phase began. For an outage, it is when Stop
	// returned: the redis-server has exited, so connections are refused
	// from then on at the latest (a stalled machine can make the kill take
	// a while, and the Redis answers until it lands). For an up phase, it
	// is just before Restart was called (or the start of the load).
	start time.Time
}

// timeline is the soak's sequence of phases. The driver (the test's
// goroutine) begins phases; the clients read the current one.
type timeline struct {
	phases []phase       // fixed length; an entry is written before n covers it
	n      atomic.Uint32 // phases begun
}

func newTimeline(capacity int) *timeline { return &timeline{phases: make([]phase, capacity)} }

// begin starts phase p and returns its index. Only the driver calls it.
func (tl *timeline) begin(p phase) int {
	i := int(tl.n.Load())
	tl.phases[i] = p // panics past capacity: a bug in the schedule
	tl.n.Store(uint32(i + 1))
	return i
}

// current returns the index and the phase now in force.
func (tl *timeline) current() (int, phase) {
	i := int(tl.n.Load()) - 1
	return i, tl.phases[i]
}

// phaseCount is what one client saw of the readiness probe during one
// phase.
type phaseCount struct {
	ready, unready int // /readyz 200s and 503s, sent and answered in the phase
	// firstReady is the time from the phase's start to the first /readyz
	// 200 answered in it; -1 if none was.
	firstReady time.Duration
	// late is, for an outage, the longest from its start to the sending
	// of a request that got a /readyz 200 answered within it.
	late time.Duration
}

// stats is what a client goroutine counted, or the sum for an adapter.
type stats struct {
	requests int
	answers  [numKinds][2]int // [kind][0]: 200s, [kind][1]: 503s
	errors   int
	errs     []string // the first few errors
	// late is the longest time from a Redis stop to the sending of a
	// request that got a /readyz 200 answered before the Redis was started
	// again.
	late       time.Duration
	violations int      // such 200s sent later than the limit
	violated   []string // the first few of them
	phases     []phaseCount
}

// maxSamples is how many errors and violations a client keeps the text of.
const maxSamples = 3

func newStats(phases int) *stats {
	s := &stats{phases: make([]phaseCount, phases)}
	for i := range s.phases {
		s.phases[i].firstReady = -1
	}
	return s
}

// client is one load goroutine's sender and counts.
type client struct {
	send  sender
	kinds []kind
	st    *stats
}

// run sends requests back to back, cycling through the client's kinds,
// until stop is set, and counts the answers against the timeline. No
// readiness 200 may answer a request sent more than limit after a stop,
// before the Redis was started again.
func (c *client) run(stop *atomic.Bool, tl *timeline, limit time.Duration) {
	st := c.st
	for i := 0; !stop.Load(); i++ {
		k := c.kinds[i%len(c.kinds)]
		n0, _ := tl.current()
		sent := time.Now()
		code, err := c.send(k)
		received := time.Now()
		n1, p := tl.current()

		st.requests++
		if err != nil {
			st.errors++
			if len(st.errs) < maxSamples {
				st.errs = append(st.errs, err.Error())
			}
			continue
		}
		ok := code == http.StatusOK
		if ok {
			st.answers[k][0]++
		} else {
			st.answers[k][1]++
		}
		if k != readyz {
			continue
		}
		pc := &st.phases[n1]
		if n0 == n1 {
			if ok {
				pc.ready++
			} else {
				pc.unready++
			}
		}
		if !ok {
			continue
		}
		if !p.down {
			if d := received.Sub(p.start); pc.firstReady < 0 || d < pc.firstReady {
				pc.firstReady = d
			}
			continue
		}
		// The phase still in force after the answer is the outage: the
		// Redis was down from p.start until after the answer was made.
		if !sent.After(p.start) {
			continue
		}
		late := sent.Sub(p.start)
		st.late = max(st.late, late)
		pc.late = max(pc.late, late)
		if late > limit {
			st.violations++
			if len(st.violated) < maxSamples {
				st.violated = append(st.violated, fmt.Sprintf(
					"/readyz 200 for a request sent %v after the stop at phase %d (limit %v), answered %v later",
					late.Round(time.Millisecond), n1, limit, received.Sub(sent).Round(time.Microsecond)))
			}
		}
	}
}

// add adds o's counts to s.
func (s *stats) add(o *stats) {
	s.requests += o.requests
	for k := range s.answers {
		s.answers[k][0] += o.answers[k][0]
		s.answers[k][1] += o.answers[k][1]
	}
	s.errors += o.errors
	s.errs = append(s.errs, o.errs...)
	s.late = max(s.late, o.late)
	s.violations += o.violations
	s.violated = append(s.violated, o.violated...)
	for i, pc := range o.phases {
		sp := &s.phases[i]
		sp.ready += pc.ready
		sp.late = max(sp.late, pc.late)
		sp.unready += pc.unready
		if pc.firstReady >= 0 && (sp.firstReady < 0 || pc.firstReady < sp.firstReady) {
			sp.firstReady = pc.firstReady
		}
	}
}
