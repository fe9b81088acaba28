package trafficcheck

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestLatencyEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give time.Duration
		want time.Duration // decoded
	}{
		{-time.Second, 0},
		{0, 0},
		{1, 1},
		{time.Microsecond, time.Microsecond},
		{1<<mantissaBits - 1, 1<<mantissaBits - 1}, // the largest exact one
		{1 << mantissaBits, 1 << mantissaBits},
		{1<<mantissaBits + 1, 1 << mantissaBits}, // one bit dropped, rounded down
		{time.Millisecond, time.Millisecond},
		{10 * time.Millisecond, 10 * time.Millisecond},
		{100 * time.Millisecond, 100 * time.Millisecond},
		{time.Second, time.Second},
		{time.Second + 1, time.Second},
		{time.Hour, time.Hour &^ (1<<21 - 1)}, // 42 bits, 21 dropped
		{math.MaxInt64, math.MaxInt64 &^ (1<<(63-mantissaBits) - 1)},
	}
	for _, tt := range tests {
		c := encodeLatency(tt.give)
		if c > latencyMask {
			t.Errorf("encodeLatency(%v) = %#x; want at most %d bits", tt.give, c, latencyBits)
		}
		if got := decodeLatency(c); got != tt.want {
			t.Errorf("decodeLatency(encodeLatency(%d)) = %d; want %d", tt.give, got, tt.want)
		}
	}
}

// TestLatencyEncodingOrderAndPrecision checks, over random latencies of
// every magnitude, that codes sort as latencies do and decode to within
// one part in 2^20 below them.
func TestLatencyEncodingOrderAndPrecision(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	prev, prevCode := time.Duration(0), uint32(0)
	for d := time.Duration(1); d > 0 && d < math.MaxInt64/2; {
		c := encodeLatency(d)
		if c < prevCode {
			t.Fatalf("encodeLatency(%d) = %d < encodeLatency(%d) = %d; want codes in latency order", d, c, prev, prevCode)
		}
		got := decodeLatency(c)
		if got > d || float64(d-got) > float64(d)/(1<<20) {
			t.Fatalf("decodeLatency(encodeLatency(%d)) = %d; want within 2^-20 below", d, got)
		}
		prev, prevCode = d, c
		d += 1 + time.Duration(r.Int64N(int64(d)/64+1))
	}
}

func TestPack(t *testing.T) {
	t.Parallel()
	tests := []struct {
		now      time.Duration
		failed   bool
		latency  time.Duration
		wantTick uint64
	}{
		{0, false, 0, 0},
		{999 * time.Microsecond, true, time.Second, 0},
		{time.Millisecond, false, time.Millisecond, 1},
		{-time.Second, false, 1, 0},
		{(1<<36 + 5) * time.Millisecond, true, 7, 5}, // wrapped
	}
	for _, tt := range tests {
		v := pack(tt.now, tt.failed, tt.latency)
		if v&setBit == 0 {
			t.Errorf("pack(%v, …) = %#x; want the set bit", tt.now, v)
		}
		if got := v >> tickShift; got != tt.wantTick {
			t.Errorf("pack(%v, …) tick = %d; want %d", tt.now, got, tt.wantTick)
		}
		if got := v&failedBit != 0; got != tt.failed {
			t.Errorf("pack(…, %v, …) failed = %v", tt.failed, got)
		}
		if got := decodeLatency(uint32(v & latencyMask)); got != decodeLatency(encodeLatency(tt.latency)) {
			t.Errorf("pack(…, %v) latency = %v", tt.latency, got)
		}
	}
}

func TestRank(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    float64
		n    int
		want int
	}{
		{99, 100, 99},
		{99, 101, 100},
		{99, 1, 1},
		{99, 20, 20},
		{99.9, 1000, 999},
		{99.9, 1001, 1000},
		{50, 4, 2},
		{50, 5, 3},
		{100, 7, 7},
		{0, 7, 1},
		{1, 7, 1},
		{95, 20, 19},
	}
	for _, tt := range tests {
		if got := rank(tt.p, tt.n); got != tt.want {
			t.Errorf("rank(%v, %d) = %d; want %d", tt.p, tt.n, got, tt.want)
		}
	}
}
