package tcpcheck

import (
	"time"

	"github.com/probekit/probekit/core"
)

// Observations returns what the last Check measured:
//
//   - connect_time: how long the dial took, in ms
//   - tls_handshake_time: how long the TLS handshake took, in ms; only with [TLS]
//   - cert_expires_in: how long until the server's certificate expires, in
//     seconds (negative once it has); only with [TLS]
//
// Only the values of the steps that completed are reported: nil after a
// Check whose dial failed, connect_time alone after a failed handshake.
// Observations is safe for concurrent use, also with Check.
func (c *Checker) Observations() []core.Observation {
	if p := c.obs.Load(); p != nil {
		return *p
	}
	return nil
}

// record keeps what a Check measured for Observations.
func (c *Checker) record(t timings) {
	if t.connect == 0 {
		c.obs.Store(nil)
		return
	}
	obs := []core.Observation{{Name: "connect_time", Value: ms(t.connect), Unit: "ms"}}
	if t.handshake > 0 {
		obs = append(obs, core.Observation{Name: "tls_handshake_time", Value: ms(t.handshake), Unit: "ms"})
	}
	if !t.expiry.IsZero() {
		obs = append(obs, core.Observation{Name: "cert_expires_in", Value: time.Until(t.expiry).Round(time.Second).Seconds(), Unit: "s"})
	}
	c.obs.Store(&obs)
}

// ms returns d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
