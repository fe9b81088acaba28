package grpcprobe

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// errStopped ends the Watch streams still open at [Server.Stop].
var errStopped = status.Error(codes.Unavailable, "grpcprobe: health service stopped")

// Watch implements grpc.health.v1.Health/Watch: it sends the service's
// status at once (SERVICE_UNKNOWN for a service it does not know) and then
// every change, until the client hangs up or [Server.Stop] is called. At
// Stop the stream gets the final status and ends with codes.Unavailable,
// so that it does not hold up grpc.Server.GracefulStop. Consecutive
// duplicates are never sent; a watcher that falls behind gets the latest
// status, not every one in between.
func (s *Server) Watch(req *healthpb.HealthCheckRequest, stream grpc.ServerStreamingServer[healthpb.HealthCheckResponse]) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	w := &watchStream{ServerStreamingServer: stream, ctx: ctx, last: -1}

	s.mu.Lock()
	if s.stopped {
		cancel()
	} else {
		s.watches[w] = cancel
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.watches, w)
		s.mu.Unlock()
	}()

	err := s.hs.Watch(req, w)
	if stream.Context().Err() != nil {
		return err // the client hung up, or the gRPC server ended the RPC
	}
	// Ended by Stop. grpc-go may have seen the cancellation before the
	// final NOT_SERVING: send it here if it did not.
	final := s.finalStatus(req.GetService())
	if w.last != final {
		if err := stream.Send(&healthpb.HealthCheckResponse{Status: final}); err != nil {
			return err
		}
	}
	return errStopped
}

// finalStatus is a service's status once the Server is stopped:
// NOT_SERVING, or SERVICE_UNKNOWN for a service it does not know.
func (s *Server) finalStatus(service string) healthpb.HealthCheckResponse_ServingStatus {
	resp, err := s.hs.Check(context.Background(), &healthpb.HealthCheckRequest{Service: service})
	switch {
	case status.Code(err) == codes.NotFound:
		return healthpb.HealthCheckResponse_SERVICE_UNKNOWN
	case err != nil:
		return healthpb.HealthCheckResponse_NOT_SERVING
	}
	return resp.GetStatus()
}

// watchStream is a Watch stream as grpc-go's health server sees it: its
// context also ends at Stop, and it remembers the last status sent. Send
// is only called from the Watch handler's goroutine.
type watchStream struct {
	grpc.ServerStreamingServer[healthpb.HealthCheckResponse]
	ctx  context.Context
	last healthpb.HealthCheckResponse_ServingStatus
}

func (w *watchStream) Context() context.Context { return w.ctx }

func (w *watchStream) Send(m *healthpb.HealthCheckResponse) error {
	if err := w.ServerStreamingServer.Send(m); err != nil {
		return err
	}
	w.last = m.GetStatus()
	return nil
}
