package trafficcheck

import (
	"math"
	"slices"
	"time"
)

// Stats summarises the requests a [Recorder] holds that ended within a
// window: what a [Checker] judges.
type Stats struct {
	// Window is the span of time looked at, up to the time of the call.
	Window time.Duration
	// Requests is the number of requests that ended within the window, at
	// most the Recorder's capacity ([Recorder.Cap]).
	Requests int
	// Failures is how many of them failed.
	Failures int
	// Percentile is the percentile Latency is, e.g. 99.
	Percentile float64
	// Latency is the Percentile-th percentile of the requests' latencies,
	// by the nearest-rank method: the smallest latency that at least
	// Percentile % of the requests did not exceed. It is within one part in
	// a million of the measured value, never above it. Zero when Requests
	// is zero.
	Latency time.Duration
}

// SuccessRate returns the share of requests that did not fail, from 0 to
// 1; 1 when there were none.
func (s Stats) SuccessRate() float64 {
	if s.Requests == 0 {
		return 1
	}
	return float64(s.Requests-s.Failures) / float64(s.Requests)
}

// Stats returns the [Stats] of the requests that ended within the last
// window, with the given percentile (clamped to [0, 100]; 0 gives the
// fastest request, 100 the slowest) of their latencies. A window that is
// not positive holds no request; one over 24h is cut to 24h.
//
// Stats reads the ring without stopping recording: a request recorded
// while it runs may or may not be counted. It allocates a buffer of up to
// [Recorder.Cap] latencies; a [Checker] reuses its own.
func (r *Recorder) Stats(window time.Duration, percentile float64) Stats {
	var buf []uint32
	return r.stats(window, percentile, &buf)
}

// stats is Stats with a reusable latency buffer.
func (r *Recorder) stats(window time.Duration, percentile float64, buf *[]uint32) Stats {
	window = min(window, maxWindow)
	st := Stats{Window: window, Percentile: min(max(percentile, 0), 100)}
	if window <= 0 {
		return st
	}
	if cap(*buf) < r.capacity {
		*buf = make([]uint32, 0, r.capacity)
	}
	lat := (*buf)[:0]
	// A request is in the window if it ended less than window ago, in
	// whole milliseconds (rounded up).
	span := uint64((window + time.Millisecond - 1) / time.Millisecond)
	now := tickOf(r.since())
	for i := range r.shards {
		slots := r.shards[i].slots
		for j := range slots {
			v := slots[j].Load()
			if v&setBit == 0 {
				continue
			}
			// A request recorded after now was read has a tick after now:
			// its age wraps around to far beyond any window.
			if (now-v>>tickShift)&tickMask >= span {
				continue
			}
			lat = append(lat, uint32(v&latencyMask))
			if v&failedBit != 0 {
				st.Failures++
			}
		}
	}
	*buf = lat
	st.Requests = len(lat)
	if st.Requests > 0 {
		slices.Sort(lat)
		st.Latency = decodeLatency(lat[rank(st.Percentile, st.Requests)-1])
	}
	return st
}

// rank returns the nearest rank of percentile p (in [0, 100]) among n > 0
// sorted values: ceil(p/100 × n), at least 1. p×n is computed first, so
// that p=99, n=100 is exactly 99; the tolerance absorbs the rounding of
// fractional p such as 99.9.
func rank(p float64, n int) int {
	k := int(math.Ceil(p*float64(n)/100 - 1e-9))
	return min(max(k, 1), n)
}
