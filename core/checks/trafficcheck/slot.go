package trafficcheck

import (
	"math/bits"
	"time"
)

// A slot holds one recorded request in a single uint64, so that it is
// written with one atomic store and read with one atomic load, never torn:
//
//	bits 63…28  tick: milliseconds since the Recorder was made, modulo 2^36
//	bit  27     set: the slot holds a request (a zero slot is empty)
//	bit  26     failed
//	bits 25…0   latency, as encodeLatency encodes it
//
// A tick wraps after 2^36 ms (about 2.2 years); ages are computed modulo
// 2^36, so wrapping is harmless except for a slot left unwritten for that
// long, which could count as recent again for one window.
const (
	latencyBits = 26
	latencyMask = 1<<latencyBits - 1
	failedBit   = 1 << 26
	setBit      = 1 << 27
	tickShift   = 28
	tickMask    = 1<<(64-tickShift) - 1

	// maxWindow bounds a window so that ages far below the wrap are
	// never confused with it.
	maxWindow = 24 * time.Hour
)

// mantissaBits is the precision of encoded latencies: below 2^21 ns
// (about 2.1ms) they are exact; above, they keep their top 21 bits, a
// relative error below 2^-20 (about one part in a million), rounded down,
// so that a latency is never reported above what was measured.
const mantissaBits = 21

// encodeLatency maps d to a code of at most latencyBits bits that sorts as
// d does: a small float with an implicit exponent. Negative d is 0.
func encodeLatency(d time.Duration) uint32 {
	if d <= 0 {
		return 0
	}
	u := uint64(d)
	if u < 1<<mantissaBits {
		return uint32(u)
	}
	s := bits.Len64(u) - mantissaBits // >= 1: the bits dropped
	// u>>s is in [2^(m-1), 2^m): codes for shift s follow those for s-1.
	return uint32(s)<<(mantissaBits-1) + uint32(u>>s)
}

// decodeLatency inverts encodeLatency, up to the bits it dropped.
func decodeLatency(c uint32) time.Duration {
	if c < 1<<mantissaBits {
		return time.Duration(c)
	}
	s := c>>(mantissaBits-1) - 1
	m := c - s<<(mantissaBits-1)
	return time.Duration(uint64(m) << s)
}

// pack builds the slot for a request that ended at now (time since the
// Recorder's epoch) after latency.
func pack(now time.Duration, failed bool, latency time.Duration) uint64 {
	v := tickOf(now)<<tickShift | setBit | uint64(encodeLatency(latency))
	if failed {
		v |= failedBit
	}
	return v
}

// tickOf returns the tick of a time since the Recorder's epoch.
func tickOf(now time.Duration) uint64 {
	if now < 0 {
		now = 0
	}
	return uint64(now/time.Millisecond) & tickMask
}
