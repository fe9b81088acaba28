package httpcheck

import (
	"time"

	"github.com/probekit/probekit/core"
)

// Observations returns what the last Check measured:
//
//   - response_time: from sending the request to receiving the response
//     headers, in ms (with [FollowRedirects], across every redirect)
//   - status_code: the response's status code
//
// It returns nil after a Check that got no response (refused, timed out,
// invalid configuration), so that no value from an earlier run is taken
// for a current one. Observations is safe for concurrent use, also with
// Check.
func (c *Checker) Observations() []core.Observation {
	if p := c.obs.Load(); p != nil {
		return *p
	}
	return nil
}

// record keeps what a Check measured for Observations.
func (c *Checker) record(r response) {
	if r.code == 0 {
		c.obs.Store(nil)
		return
	}
	obs := []core.Observation{
		{Name: "response_time", Value: float64(r.wait) / float64(time.Millisecond), Unit: "ms"},
		{Name: "status_code", Value: float64(r.code)},
	}
	c.obs.Store(&obs)
}
