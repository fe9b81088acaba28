package trafficcheck_test

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/probekit/probekit/core/checks/trafficcheck"
)

func TestBeginEnd(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := trafficcheck.NewRecorder()
		start := rec.Begin()
		time.Sleep(30 * time.Millisecond) // the bubble's clock: exactly 30ms
		rec.End(start, http.StatusOK)
		start = rec.Begin()
		time.Sleep(10 * time.Millisecond)
		rec.End(start, http.StatusBadGateway)

		got := rec.Stats(time.Minute, 100)
		want := trafficcheck.Stats{Window: time.Minute, Requests: 2, Failures: 1, Percentile: 100, Latency: 30 * time.Millisecond}
		if got != want {
			t.Errorf("Stats(1m, 100) = %+v; want %+v", got, want)
		}
		if got := rec.Stats(time.Minute, 0).Latency; got != 10*time.Millisecond {
			t.Errorf("Stats(1m, 0).Latency = %v; want 10ms, the fastest", got)
		}
		// The second request ended 0ms ago, the first 10ms ago.
		if got := rec.Stats(10*time.Millisecond, 100); got.Requests != 1 || got.Latency != 10*time.Millisecond {
			t.Errorf("Stats(10ms, 100) = %+v; want only the request that ended last", got)
		}
	})
}

// TestTrack checks that Track records the code serve returns and the time
// it took, and a 500 for a serve that panics or exits its goroutine, whose
// panic goes on unchanged.
func TestTrack(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	tests := []struct {
		name         string
		serve        func() int
		wantPanic    any
		wantCode     int
		wantFailures int
	}{
		{name: "200", serve: func() int { return http.StatusOK }, wantCode: 200},
		{name: "404", serve: func() int { return http.StatusNotFound }, wantCode: 404},
		{name: "503", serve: func() int { return http.StatusServiceUnavailable }, wantCode: 503, wantFailures: 1},
		{name: "panic string", serve: func() int { panic("boom") }, wantPanic: "boom", wantCode: 500, wantFailures: 1},
		{name: "panic error", serve: func() int { panic(errBoom) }, wantPanic: errBoom, wantCode: 500, wantFailures: 1},
		{name: "ErrAbortHandler", serve: func() int { panic(http.ErrAbortHandler) }, wantPanic: http.ErrAbortHandler, wantCode: 500, wantFailures: 1},
		{name: "Goexit", serve: func() int { runtime.Goexit(); return 200 }, wantCode: 500, wantFailures: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var codes []int
				rec := trafficcheck.NewRecorder(trafficcheck.FailureFunc(func(code int) bool {
					codes = append(codes, code)
					return trafficcheck.ServerError(code)
				}))
				var got any
				done := make(chan struct{})
				go func() { // a goroutine of its own, for Goexit
					defer close(done)
					defer func() { got = recover() }()
					rec.Track(func() int {
						time.Sleep(25 * time.Millisecond) // the bubble's clock: exactly 25ms
						return tt.serve()
					})
				}()
				<-done
				if got != tt.wantPanic {
					t.Errorf("Track: panic %v reached the caller as %v; want it unchanged", tt.wantPanic, got)
				}
				st := rec.Stats(time.Minute, 100)
				want := trafficcheck.Stats{Window: time.Minute, Requests: 1, Failures: tt.wantFailures, Percentile: 100, Latency: 25 * time.Millisecond}
				if st != want {
					t.Errorf("Stats(1m, 100) = %+v; want %+v", st, want)
				}
				if len(codes) != 1 || codes[0] != tt.wantCode {
					t.Errorf("codes recorded = %v; want [%d]", codes, tt.wantCode)
				}
			})
		})
	}
}

// TestTrackNoAllocs checks that Track, with a closure over the request as
// a middleware passes it, allocates nothing.
func TestTrackNoAllocs(t *testing.T) {
	rec := trafficcheck.NewRecorder()
	code := http.StatusOK
	if n := testing.AllocsPerRun(1000, func() {
		rec.Track(func() int { return code })
	}); n != 0 {
		t.Errorf("Track allocates %v times per call; want 0", n)
	}
}

func TestRecordAndRecordResult(t *testing.T) {
	t.Parallel()
	rec := trafficcheck.NewRecorder()
	rec.Record(200, time.Millisecond)
	rec.Record(500, 2*time.Millisecond)
	rec.RecordResult(true, 3*time.Millisecond)
	rec.RecordResult(false, 4*time.Millisecond)
	got := rec.Stats(time.Hour, 50)
	want := trafficcheck.Stats{Window: time.Hour, Requests: 4, Failures: 2, Percentile: 50, Latency: 2 * time.Millisecond}
	if got != want {
		t.Errorf("Stats(1h, 50) = %+v; want %+v", got, want)
	}
	if got := got.SuccessRate(); got != 0.5 {
		t.Errorf("SuccessRate() = %v; want 0.5", got)
	}
}

func TestFailureFunc(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  trafficcheck.RecorderOption
		code int
		want bool // failed
	}{
		{"default 500", nil, 500, true},
		{"default 503", nil, 503, true},
		{"default 599", nil, 599, true},
		{"default 499", nil, 499, false},
		{"default 404", nil, 404, false},
		{"default 200", nil, 200, false},
		{"default 600", nil, 600, false},
		{"nil func is the default", trafficcheck.FailureFunc(nil), 500, true},
		{"503 left out", trafficcheck.FailureFunc(func(code int) bool { return code != 503 && trafficcheck.ServerError(code) }), 503, false},
		{"503 left out, 500 still", trafficcheck.FailureFunc(func(code int) bool { return code != 503 && trafficcheck.ServerError(code) }), 500, true},
		{"429 counted", trafficcheck.FailureFunc(func(code int) bool { return code == 429 || trafficcheck.ServerError(code) }), 429, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := trafficcheck.NewRecorder(tt.opt)
			rec.Record(tt.code, time.Millisecond)
			if got := rec.Stats(time.Minute, 99).Failures == 1; got != tt.want {
				t.Errorf("Record(%d) failed = %v; want %v", tt.code, got, tt.want)
			}
			rec.End(rec.Begin(), tt.code)
			if got := rec.Stats(time.Minute, 99).Failures == 2; got != tt.want {
				t.Errorf("End(%d) failed = %v; want %v", tt.code, got, tt.want)
			}
		})
	}
}

func TestSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opts   []trafficcheck.RecorderOption
		shards int
		want   int
	}{
		{nil, 1, trafficcheck.DefaultSize},
		{nil, 8, trafficcheck.DefaultSize},
		{[]trafficcheck.RecorderOption{trafficcheck.Size(0)}, 4, trafficcheck.DefaultSize},
		{[]trafficcheck.RecorderOption{trafficcheck.Size(-5)}, 4, trafficcheck.DefaultSize},
		{[]trafficcheck.RecorderOption{trafficcheck.Size(1)}, 1, 64},
		{[]trafficcheck.RecorderOption{trafficcheck.Size(1)}, 64, 64},
		{[]trafficcheck.RecorderOption{trafficcheck.Size(1000)}, 1, 1024},
		{[]trafficcheck.RecorderOption{trafficcheck.Size(1000)}, 64, 1024},
		{[]trafficcheck.RecorderOption{trafficcheck.Size(1025)}, 8, 2048},
		{[]trafficcheck.RecorderOption{trafficcheck.Size(1 << 20)}, 64, 1 << 20},
	}
	for _, tt := range tests {
		rec := trafficcheck.NewRecorderShards(tt.shards, tt.opts...)
		if got := rec.Cap(); got != tt.want {
			t.Errorf("Cap() with %d shards = %d; want %d", tt.shards, got, tt.want)
		}
		if per := rec.Cap() / rec.Shards(); per < 64 {
			t.Errorf("Cap() %d over %d shards = %d per shard; want at least 64", rec.Cap(), rec.Shards(), per)
		}
	}
	if got := trafficcheck.NewRecorder(trafficcheck.Size(100)).Cap(); got != 128 {
		t.Errorf("NewRecorder(Size(100)).Cap() = %d; want 128", got)
	}
}

func TestShardsFor(t *testing.T) {
	t.Parallel()
	for procs, want := range map[int]int{0: 1, 1: 1, 2: 8, 3: 16, 8: 32, 16: 64, 64: 64, 256: 64} {
		if got := trafficcheck.ShardsFor(procs); got != want {
			t.Errorf("shardsFor(%d) = %d; want %d", procs, got, want)
		}
	}
}

// TestRingKeepsTheLatest fills a one-shard ring past its capacity: the
// oldest requests are overwritten, in order.
func TestRingKeepsTheLatest(t *testing.T) {
	t.Parallel()
	rec := trafficcheck.NewRecorderShards(1, trafficcheck.Size(64))
	for range 10 {
		rec.Record(500, time.Second)
	}
	for range 64 {
		rec.Record(200, time.Millisecond)
	}
	want := trafficcheck.Stats{Window: time.Hour, Requests: 64, Percentile: 100, Latency: time.Millisecond}
	if got := rec.Stats(time.Hour, 100); got != want {
		t.Errorf("Stats() after 74 requests into 64 slots = %+v; want %+v", got, want)
	}
}

// TestShardedRingKeepsTheLatest does the same with the default shards: a
// shard is picked at random per request, so 16 times the capacity fills
// every shard (a shard missing out by 1000 standard deviations aside).
func TestShardedRingKeepsTheLatest(t *testing.T) {
	t.Parallel()
	rec := trafficcheck.NewRecorderShards(8, trafficcheck.Size(1024))
	for range 16 * 1024 {
		rec.Record(500, time.Second)
	}
	for range 16 * 1024 {
		rec.Record(200, time.Millisecond)
	}
	want := trafficcheck.Stats{Window: time.Hour, Requests: 1024, Percentile: 100, Latency: time.Millisecond}
	if got := rec.Stats(time.Hour, 100); got != want {
		t.Errorf("Stats() = %+v; want %+v", got, want)
	}
}

func TestStatsArguments(t *testing.T) {
	t.Parallel()
	rec := trafficcheck.NewRecorder()
	rec.Record(200, time.Millisecond)
	rec.Record(200, 3*time.Millisecond)
	tests := []struct {
		window     time.Duration
		percentile float64
		want       trafficcheck.Stats
	}{
		{0, 99, trafficcheck.Stats{Window: 0, Percentile: 99}},
		{-time.Second, 99, trafficcheck.Stats{Window: -time.Second, Percentile: 99}},
		{48 * time.Hour, 99, trafficcheck.Stats{Window: 24 * time.Hour, Requests: 2, Percentile: 99, Latency: 3 * time.Millisecond}},
		{time.Minute, -1, trafficcheck.Stats{Window: time.Minute, Requests: 2, Percentile: 0, Latency: time.Millisecond}},
		{time.Minute, 150, trafficcheck.Stats{Window: time.Minute, Requests: 2, Percentile: 100, Latency: 3 * time.Millisecond}},
		{time.Minute, 50, trafficcheck.Stats{Window: time.Minute, Requests: 2, Percentile: 50, Latency: time.Millisecond}},
	}
	for _, tt := range tests {
		if got := rec.Stats(tt.window, tt.percentile); got != tt.want {
			t.Errorf("Stats(%v, %v) = %+v; want %+v", tt.window, tt.percentile, got, tt.want)
		}
	}
	if got := (trafficcheck.Stats{}).SuccessRate(); got != 1 {
		t.Errorf("Stats{}.SuccessRate() = %v; want 1", got)
	}
}

// TestConcurrentRecordAndCheck records from many goroutines while Checks
// and Stats run (run it with -race), then checks that every request was
// counted once.
func TestConcurrentRecordAndCheck(t *testing.T) {
	t.Parallel()
	const (
		goroutines = 16
		each       = 2000
	)
	// Room for every request in every shard, however they spread.
	rec := trafficcheck.NewRecorderShards(8, trafficcheck.Size(8*goroutines*each))
	chk := trafficcheck.MustNew(rec)
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				_ = chk.Check(context.Background())
				_ = chk.Observations()
				_ = rec.Stats(time.Minute, 99)
			}
		})
	}
	var writers sync.WaitGroup
	for g := range goroutines {
		writers.Go(func() {
			for i := range each {
				switch {
				case i%10 == 0:
					rec.Record(500, time.Millisecond)
				case i%10 == 1:
					rec.RecordResult(true, time.Millisecond)
				default:
					rec.End(rec.Begin(), 200+g)
				}
			}
		})
	}
	writers.Wait()
	close(stop)
	readers.Wait()

	st := rec.Stats(time.Hour, 99)
	if st.Requests != goroutines*each || st.Failures != goroutines*each/10 {
		t.Errorf("Stats() after %d requests, %d failed = %d requests, %d failed", goroutines*each, goroutines*each/10, st.Requests, st.Failures)
	}
	if err := chk.Check(context.Background()); err == nil {
		t.Errorf("Check() at a 90%% success rate = nil; want a warning")
	}
}
