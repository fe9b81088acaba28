package trafficcheck

import "time"

// NewRecorderShards is NewRecorder with a given number of shards (rounded
// down to a power of two), for tests that need one ring in order and for
// the benchmarks that compare shard counts.
func NewRecorderShards(shards int, opts ...RecorderOption) *Recorder {
	cfg := recorderConfig{size: DefaultSize}
	for _, o := range opts {
		o.applyRecorder(&cfg)
	}
	n := 1
	for n*2 <= shards {
		n *= 2
	}
	return newRecorder(cfg, n)
}

// Shards returns the number of shards of r.
func (r *Recorder) Shards() int { return len(r.shards) }

// ShardsFor is shardsFor.
var ShardsFor = shardsFor

// Put is put: Record without the clock read, for the benchmarks that
// compare ring designs.
func (r *Recorder) Put(now time.Duration, failed bool, latency time.Duration) {
	r.put(now, failed, latency)
}
