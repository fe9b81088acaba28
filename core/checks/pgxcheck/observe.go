package pgxcheck

import (
	"time"

	"github.com/probekit/probekit/core"
)

// Observations returns the statistics of the checker's pool
// (Pool.Stat), read when it is called:
//
//   - total_connections: connections in the pool: constructing, acquired and idle
//   - idle_connections: connections idle in the pool
//   - acquired_connections: connections in use
//   - constructing_connections: connections being opened
//   - max_connections: the pool's limit (MaxConns)
//   - acquire_count: successful acquires, since the pool was made
//   - acquire_duration: total time successful acquires took, in ms, since the pool was made
//   - empty_acquire_count: successful acquires that had to wait for a
//     connection to be opened or released, since the pool was made
//   - canceled_acquire_count: acquires given up by their context, since the pool was made
//
// An empty_acquire_count that keeps growing means the pool is too small
// for the load, or its connections die; acquired_connections stuck at
// max_connections means the pool is exhausted. Observations is safe for
// concurrent use, also with Check.
func (c *Checker) Observations() []core.Observation {
	s := c.pool.Stat()
	return []core.Observation{
		{Name: "total_connections", Value: float64(s.TotalConns())},
		{Name: "idle_connections", Value: float64(s.IdleConns())},
		{Name: "acquired_connections", Value: float64(s.AcquiredConns())},
		{Name: "constructing_connections", Value: float64(s.ConstructingConns())},
		{Name: "max_connections", Value: float64(s.MaxConns())},
		{Name: "acquire_count", Value: float64(s.AcquireCount())},
		{Name: "acquire_duration", Value: float64(s.AcquireDuration()) / float64(time.Millisecond), Unit: "ms"},
		{Name: "empty_acquire_count", Value: float64(s.EmptyAcquireCount())},
		{Name: "canceled_acquire_count", Value: float64(s.CanceledAcquireCount())},
	}
}
