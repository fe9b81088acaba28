package trafficcheck

import (
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"time"
)

// Recorder keeps the outcome and latency of the most recent requests in a
// fixed-size ring, for a [Checker] to judge. Adapter middleware records
// every request of the app into it (httpprobe.Traffic, ginprobe.Traffic,
// echoprobe.Traffic, fiberprobe.Traffic); anything else can record with
// [Recorder.Track], [Recorder.Begin] and [Recorder.End], or
// [Recorder.Record].
//
// Recording is lock-free and allocates nothing: a request is one uint64
// (end time to the millisecond, failed or not, latency), written with one
// atomic store into a slot claimed with one atomic add. The ring is split
// into shards, several per CPU, and each request goes to a shard picked at
// random, so that concurrent requests rarely touch the same counter or
// cache line. Memory is fixed at [Recorder.Cap] × 8 bytes: when the ring is
// full, each new request overwrites the oldest in its shard.
//
// Time is measured with the monotonic clock, from the Recorder's creation.
// In a testing/synctest bubble it is the bubble's clock; make the Recorder
// inside the bubble then.
//
// A Recorder is safe for concurrent use by any number of goroutines.
type Recorder struct {
	shards    []shard
	shardMask uint32 // len(shards)-1; len(shards) is a power of two
	slotMask  uint64 // slots per shard - 1; a power of two minus one
	capacity  int
	epoch     time.Time // with a monotonic reading
	failed    func(code int) bool
}

// shard is one part of the ring. Its cursor, the only word every request
// to it writes, has a cache line pair of its own.
type shard struct {
	next  atomic.Uint64   // slots claimed so far
	slots []atomic.Uint64 // read-only after NewRecorder
	_     [128 - 8 - 24]byte
}

// Stamp is the time a request began, on a [Recorder]'s clock, as returned
// by [Recorder.Begin]. Its zero value means the Recorder's creation.
type Stamp struct{ ns time.Duration }

// NewRecorder returns a Recorder holding up to [DefaultSize] requests
// (see [Size]) that counts 5xx status codes as failures (see
// [FailureFunc]).
func NewRecorder(opts ...RecorderOption) *Recorder {
	cfg := recorderConfig{size: DefaultSize}
	for _, o := range opts {
		if o != nil {
			o.applyRecorder(&cfg)
		}
	}
	return newRecorder(cfg, shardsFor(runtime.GOMAXPROCS(0)))
}

// shardsFor returns the number of shards for procs CPUs: one for one CPU
// (nothing runs in parallel), else four per CPU, rounded up to a power of
// two, at most maxShards. More shards than CPUs make two concurrent
// requests that pick a shard at random collide less often.
func shardsFor(procs int) int {
	n := 1
	if procs <= 1 {
		return n
	}
	for n < 4*procs && n < maxShards {
		n <<= 1
	}
	return n
}

const (
	// maxShards bounds the shards of a Recorder.
	maxShards = 64
	// minShardSlots is the fewest slots a shard gets; small Recorders get
	// fewer shards.
	minShardSlots = 64
)

func newRecorder(cfg recorderConfig, shards int) *Recorder {
	size := max(cfg.size, minShardSlots)
	for shards > 1 && size/shards < minShardSlots {
		shards >>= 1
	}
	per := minShardSlots
	for per*shards < size {
		per <<= 1
	}
	r := &Recorder{
		shards:    make([]shard, shards),
		shardMask: uint32(shards - 1),
		slotMask:  uint64(per - 1),
		capacity:  per * shards,
		epoch:     time.Now(),
		failed:    cfg.failed,
	}
	slots := make([]atomic.Uint64, per*shards) // one block: the scan reads it in order
	for i := range r.shards {
		r.shards[i].slots = slots[i*per : (i+1)*per : (i+1)*per]
	}
	return r
}

// Cap returns how many requests r holds at most: the size asked for with
// [Size], rounded up to a power of two.
func (r *Recorder) Cap() int { return r.capacity }

// Begin returns the current time on r's clock, for [Recorder.End] once the
// request is done.
func (r *Recorder) Begin() Stamp { return Stamp{r.since()} }

// End records a request that began at start (from [Recorder.Begin]) and
// ends now with HTTP status code. Whether code is a failure is up to r's
// [FailureFunc]; by default only 5xx codes are. End reads the clock once,
// for both the latency and the request's place in the window.
func (r *Recorder) End(start Stamp, code int) {
	now := r.since()
	r.put(now, r.isFailure(code), now-start.ns)
}

// Track calls serve, which handles one request and returns the HTTP status
// code it was answered with, and records that code and the time serve took,
// as [Recorder.Begin] and [Recorder.End] do. If serve panics (or calls
// runtime.Goexit), Track records a 500 and lets the panic go on unchanged:
// it recovers nothing. It is the body of a recording middleware, such as
// the adapters' Traffic; it allocates nothing, and a serve closure passed
// to it stays on the caller's stack.
func (r *Recorder) Track(serve func() (code int)) {
	start := r.Begin()
	code := 500 // if serve does not return
	defer func() { r.End(start, code) }()
	code = serve()
}

// Record records a request that ends now, took latency and was answered
// with HTTP status code (a failure if r's [FailureFunc] says so).
func (r *Recorder) Record(code int, latency time.Duration) {
	r.put(r.since(), r.isFailure(code), latency)
}

// RecordResult records a request that ends now and took latency, failed
// unless ok: for work that has no HTTP status, such as gRPC calls or jobs.
func (r *Recorder) RecordResult(ok bool, latency time.Duration) {
	r.put(r.since(), !ok, latency)
}

func (r *Recorder) isFailure(code int) bool {
	if r.failed == nil {
		return ServerError(code)
	}
	return r.failed(code)
}

// since returns the time since r's epoch. With the monotonic reading that
// epoch has, time.Since reads only the monotonic clock.
func (r *Recorder) since() time.Duration { return time.Since(r.epoch) }

// put stores one request in a shard picked at random.
func (r *Recorder) put(now time.Duration, failed bool, latency time.Duration) {
	v := pack(now, failed, latency)
	s := &r.shards[0]
	if r.shardMask != 0 {
		s = &r.shards[rand.Uint32()&r.shardMask]
	}
	i := s.next.Add(1) - 1
	s.slots[i&r.slotMask].Store(v)
}
