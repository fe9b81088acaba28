package promprobe

import (
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/probekit/probekit/core"
)

// Register makes a [Collector] for h with [NewCollector] and registers it
// with reg, which may be [prometheus.DefaultRegisterer] if the app wants
// that; nothing is registered anywhere else. If registration fails (most
// often a [prometheus.AlreadyRegisteredError], which the returned error
// wraps) the Collector is closed and the error returned. A nil reg is
// [ErrNilRegisterer].
//
// Register is the helper for a registry that already serves /metrics, or
// one that must exist before the Health does, such as a handler passed to
// core.New for the probe server (see the package documentation).
func Register(reg prometheus.Registerer, h *core.Health, opts ...Option) (*Collector, error) {
	if reg == nil {
		return nil, ErrNilRegisterer
	}
	c, err := NewCollector(h, opts...)
	if err != nil {
		return nil, err
	}
	if err := reg.Register(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("promprobe: register: %w", err)
	}
	return c, nil
}

// Handler returns an [http.Handler] that serves h's metrics, and only
// those, in the Prometheus exposition formats: a [Collector] configured by
// opts on a registry of its own (never the global default), served by
// [promhttp.HandlerFor]. Mount it at /metrics, on the app's mux or the probe
// server. Its Collector lives as long as h. Errors are those of
// [NewCollector].
func Handler(h *core.Health, opts ...Option) (http.Handler, error) {
	reg := prometheus.NewRegistry()
	if _, err := Register(reg, h, opts...); err != nil {
		return nil, err
	}
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), nil
}
