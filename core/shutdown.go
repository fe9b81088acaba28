package core

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// Shutdowner is a server with a graceful shutdown, such as *http.Server or
// *echo.Echo.
type Shutdowner interface {
	Shutdown(ctx context.Context) error
}

var _ Shutdowner = (*http.Server)(nil)

// DrainAndShutdown runs the standard shutdown sequence: [Health.Drain]
// (readiness 503 at once, liveness still 200), wait for the drain delay
// ([WithDrainDelay], default 5s) so that load balancers and Kubernetes
// endpoints stop sending traffic, then Shutdown every server concurrently
// with ctx. If ctx ends during the delay, the servers are shut down at once.
// It returns the servers' errors joined.
//
// Call it when the process is told to stop (SIGTERM), with a ctx that
// bounds the whole sequence below Kubernetes' terminationGracePeriodSeconds.
func (h *Health) DrainAndShutdown(ctx context.Context, servers ...Shutdowner) error {
	h.Drain()
	if h.drainDelay > 0 {
		h.logger.Info("health draining before shutdown", "delay", h.drainDelay)
		t := time.NewTimer(h.drainDelay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	errs := make([]error, len(servers))
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Shutdown(ctx)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
