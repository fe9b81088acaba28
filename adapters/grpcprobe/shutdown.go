package grpcprobe

import (
	"context"

	"github.com/probekit/probekit/core"
)

// Stopper is the part of *grpc.Server that [Server.Shutdowner] uses.
type Stopper interface {
	GracefulStop()
	Stop()
}

// Shutdowner returns gs as a [core.Shutdowner], for
// [core.Health.DrainAndShutdown]. Its Shutdown stops s ([Server.Stop]:
// every service NOT_SERVING, Watch streams ended, so that they cannot hold
// the shutdown up), then calls gs.GracefulStop, which waits for the RPCs in
// flight; if ctx ends first it calls gs.Stop, which cancels them, and
// returns ctx's error. On SIGTERM:
//
//	err := h.DrainAndShutdown(ctx, httpServer, hs.Shutdowner(gs))
//
// turns readiness and the "" service NOT_SERVING at once (liveness stays
// SERVING), waits the drain delay while gs keeps serving, then shuts gs
// down.
func (s *Server) Shutdowner(gs Stopper) core.Shutdowner {
	return shutdowner{s: s, gs: gs}
}

type shutdowner struct {
	s  *Server
	gs Stopper
}

func (x shutdowner) Shutdown(ctx context.Context) error {
	x.s.Stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		x.gs.GracefulStop()
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		x.gs.Stop()
		<-done
		return ctx.Err()
	}
}
