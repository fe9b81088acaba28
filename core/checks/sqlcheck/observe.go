package sqlcheck

import (
	"time"

	"github.com/probekit/probekit/core"
)

// Observations returns the pool statistics of the checker's *sql.DB
// (DB.Stats), read when it is called:
//
//   - open_connections: connections open, in use or idle
//   - in_use: connections in use
//   - idle: idle connections
//   - wait_count: times a query waited for a connection, since the DB was opened
//   - wait_duration: total time spent waiting for a connection, in ms, since the DB was opened
//   - max_open_connections: the limit set with SetMaxOpenConns; 0 means none
//
// A wait_count that keeps growing means the pool is too small for the load
// (see DB.SetMaxOpenConns). Observations is safe for concurrent use, also
// with Check.
func (c *Checker) Observations() []core.Observation {
	s := c.db.Stats()
	return []core.Observation{
		{Name: "open_connections", Value: float64(s.OpenConnections)},
		{Name: "in_use", Value: float64(s.InUse)},
		{Name: "idle", Value: float64(s.Idle)},
		{Name: "wait_count", Value: float64(s.WaitCount)},
		{Name: "wait_duration", Value: float64(s.WaitDuration) / float64(time.Millisecond), Unit: "ms"},
		{Name: "max_open_connections", Value: float64(s.MaxOpenConnections)},
	}
}
