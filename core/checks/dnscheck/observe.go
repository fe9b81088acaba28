package dnscheck

import (
	"time"

	"github.com/probekit/probekit/core"
)

// Observations returns what the last Check measured:
//
//   - resolve_time: how long the lookup took, in ms
//   - addresses: how many addresses the name resolved to
//
// It returns nil after a Check whose lookup failed, so that no value from
// an earlier run is taken for a current one. Observations is safe for
// concurrent use, also with Check.
func (c *Checker) Observations() []core.Observation {
	if p := c.obs.Load(); p != nil {
		return *p
	}
	return nil
}

// record keeps what a Check measured for Observations.
func (c *Checker) record(elapsed time.Duration, addrs int) {
	obs := []core.Observation{
		{Name: "resolve_time", Value: float64(elapsed) / float64(time.Millisecond), Unit: "ms"},
		{Name: "addresses", Value: float64(addrs)},
	}
	c.obs.Store(&obs)
}
