package trafficcheck_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/probekit/probekit/core/checks/trafficcheck"
)

// mutexRing is the obvious alternative to the Recorder, for comparison:
// one ring behind a mutex, with the same clock read and the same 8 bytes
// per request.
type mutexRing struct {
	epoch time.Time
	mu    sync.Mutex
	slots []uint64
	next  int
}

func (m *mutexRing) record(code int, latency time.Duration) {
	m.put(time.Since(m.epoch), code >= 500, latency)
}

func (m *mutexRing) put(now time.Duration, failed bool, latency time.Duration) {
	v := uint64(now/time.Millisecond)<<28 | uint64(latency)&(1<<26-1)
	if failed {
		v |= 1 << 26
	}
	m.mu.Lock()
	m.slots[m.next&(len(m.slots)-1)] = v
	m.next++
	m.mu.Unlock()
}

// BenchmarkRecord measures one Record, serially (mode=serial) and from
// GOMAXPROCS goroutines at once (mode=parallel), for the Recorder as
// NewRecorder makes it (impl=sharded), with a single shard (impl=one-shard:
// every request adds to the same cursor) and for a ring behind a mutex
// (impl=mutex); impl=clock is the clock read alone that each of them
// makes, the floor. Run with -cpu 1,2,4,… to see contention grow. Compare
// with: benchstat -col /impl.
func BenchmarkRecord(b *testing.B) {
	epoch := time.Now()
	var sink time.Duration
	impls := []struct {
		name   string
		record func(code int, latency time.Duration)
	}{
		{"sharded", trafficcheck.NewRecorder().Record},
		{"one-shard", trafficcheck.NewRecorderShards(1).Record},
		{"mutex", (&mutexRing{epoch: time.Now(), slots: make([]uint64, trafficcheck.DefaultSize)}).record},
		{"clock", func(int, time.Duration) { sink += time.Since(epoch) }},
	}
	for _, impl := range impls {
		b.Run("mode=serial/impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				impl.record(200, time.Millisecond)
			}
		})
		b.Run("mode=parallel/impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					impl.record(200, time.Millisecond)
				}
			})
		})
	}
}

// BenchmarkRing is BenchmarkRecord without the clock read: the cost of
// the data structure alone, where contention shows.
func BenchmarkRing(b *testing.B) {
	impls := []struct {
		name string
		put  func(now time.Duration, failed bool, latency time.Duration)
	}{
		{"sharded", trafficcheck.NewRecorder().Put},
		{"one-shard", trafficcheck.NewRecorderShards(1).Put},
		{"mutex", (&mutexRing{slots: make([]uint64, trafficcheck.DefaultSize)}).put},
	}
	for _, impl := range impls {
		b.Run("mode=serial/impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				impl.put(time.Minute, false, time.Millisecond)
			}
		})
		b.Run("mode=parallel/impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					impl.put(time.Minute, false, time.Millisecond)
				}
			})
		})
	}
}

// BenchmarkBeginEnd measures what a middleware pays per request: Begin
// before the handler and End after it, two clock reads and one Record.
func BenchmarkBeginEnd(b *testing.B) {
	rec := trafficcheck.NewRecorder()
	b.Run("mode=serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec.End(rec.Begin(), 200)
		}
	})
	b.Run("mode=parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				rec.End(rec.Begin(), 200)
			}
		})
	})
}

// BenchmarkTrack is BenchmarkBeginEnd through Track, with a closure over a
// variable as a middleware's: it should cost the same, with no allocation.
func BenchmarkTrack(b *testing.B) {
	rec := trafficcheck.NewRecorder()
	code := 200
	b.Run("mode=serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec.Track(func() int { return code })
		}
	})
	b.Run("mode=parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				rec.Track(func() int { return code })
			}
		})
	})
}

// BenchmarkCheck measures one Check over a full ring, every request in
// the window: what the scheduler pays once per interval.
func BenchmarkCheck(b *testing.B) {
	for _, size := range []int{1024, trafficcheck.DefaultSize, 65536} {
		rec := trafficcheck.NewRecorder(trafficcheck.Size(size))
		for i := range 16 * size {
			rec.Record(200+i%400, time.Duration(i%1000)*time.Millisecond)
		}
		chk := trafficcheck.MustNew(rec)
		b.Run("size="+itoa(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = chk.Check(context.Background())
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
