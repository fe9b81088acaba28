package redischeck

import (
	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core"
)

// Observations returns the client's connection pool statistics
// (PoolStats), read when it is called:
//
//   - total_connections: connections in the pool
//   - idle_connections: of those, idle ones
//   - stale_connections: connections removed as stale, since the client was made
//   - pool_hits: times a free connection was found in the pool, since the client was made
//   - pool_misses: times none was and one had to be dialed, since the client was made
//   - pool_timeouts: times waiting for a connection timed out, since the client was made
//
// For a *redis.ClusterClient or *redis.Ring the values add up all nodes
// (go-redis does not count stale connections of a Ring). For a
// *redis.ClusterClient, Observations returns nil until a Check has reached
// a node: before that, go-redis would load the cluster topology over the
// network to answer.
//
// Observations is safe for concurrent use, also with Check.
func (c *Checker) Observations() []core.Observation {
	if _, ok := c.client.(*redis.ClusterClient); ok && !c.reached.Load() {
		return nil
	}
	s := c.client.PoolStats()
	if s == nil {
		return nil
	}
	return []core.Observation{
		{Name: "total_connections", Value: float64(s.TotalConns)},
		{Name: "idle_connections", Value: float64(s.IdleConns)},
		{Name: "stale_connections", Value: float64(s.StaleConns)},
		{Name: "pool_hits", Value: float64(s.Hits)},
		{Name: "pool_misses", Value: float64(s.Misses)},
		{Name: "pool_timeouts", Value: float64(s.Timeouts)},
	}
}
