package echov5probe

import (
	"context"
	"time"

	"github.com/probekit/probekit/core"
)

// DrainContext returns a context for echo.StartConfig.Start (or StartTLS)
// that ends h's drain delay ([core.Health.DrainDelay]) after ctx ends, and
// drains h ([core.Health.Drain]: readiness 503, liveness 200) the moment
// ctx ends. It panics if h is nil.
//
// Start shuts the server down when its context ends, so with ctx from
// signal.NotifyContext the server keeps serving through the drain delay
// after SIGTERM, while load balancers see readiness fail, then shuts down
// gracefully within StartConfig.GracefulTimeout:
//
//	err := sc.Start(echov5probe.DrainContext(ctx, h), e)
//
// The returned context carries ctx's values. It starts no goroutine until
// ctx ends; a ctx that never ends never drains h.
func DrainContext(ctx context.Context, h *core.Health) context.Context {
	if h == nil {
		panic("echov5probe: DrainContext with a nil *core.Health")
	}
	drained, cancel := context.WithCancel(context.WithoutCancel(ctx))
	context.AfterFunc(ctx, func() {
		h.Drain()
		if d := h.DrainDelay(); d > 0 {
			time.AfterFunc(d, cancel)
			return
		}
		cancel()
	})
	return drained
}
