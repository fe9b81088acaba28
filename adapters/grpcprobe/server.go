package grpcprobe

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/probekit/probekit/core"
)

var _ healthpb.HealthServer = (*Server)(nil)

// Errors returned by [New] and [Register], wrapped with the offending
// names.
var (
	// ErrNilHealth is returned when no *core.Health is given.
	ErrNilHealth = errors.New("grpcprobe: nil health")
	// ErrServiceName is returned for a probe service name that is not a
	// valid check name (see [core.ValidName]).
	ErrServiceName = errors.New("grpcprobe: invalid service name")
	// ErrDuplicateService is returned when two services would have the
	// same name: two probe services, or a check and a probe service.
	ErrDuplicateService = errors.New("grpcprobe: duplicate service name")
)

// Server is the gRPC health service (grpc.health.v1.Health: Check, Watch
// and List) of a [core.Health], built on grpc-go's [health.Server]. It
// serves these services:
//
//   - "" (the server as a whole) and "readiness": SERVING while the
//     readiness probe passes (ok or degraded), NOT_SERVING while it is
//     starting, unhealthy, held or draining;
//   - "liveness": SERVING while the liveness probe passes;
//   - "startup": SERVING once the startup probe passes;
//   - one service per check, under the check's name: SERVING while that
//     check passes (ok or degraded), NOT_SERVING before its first result
//     and while it fails.
//
// The probe service names are configurable ([LivenessService],
// [ReadinessService], [StartupService]). Any other name is unknown: Check
// fails with codes.NotFound, Watch answers SERVICE_UNKNOWN and waits.
//
// The statuses are fed by the Health's transitions ([core.Health.Listen]),
// never by running a check: an RPC reads a status under grpc-go's read
// lock and never waits for a check. Each transition is applied on the
// Health's listener goroutine as it is delivered, so a gRPC status changes
// in the same delivery that tells any other listener, after the HTTP probes
// have changed. Until the Health is started (see [core.Health.Start]) the
// statuses are those it had when the Server was made.
//
// A Server is safe for concurrent use. Make one with [Register] or [New],
// and call [Server.Stop] when the gRPC server is done with it.
type Server struct {
	healthpb.UnimplementedHealthServer

	hs       *health.Server
	h        *core.Health
	cfg      config
	unlisten func()

	// mu serialises the updates of hs and guards what follows. RPCs
	// never take it, except Watch at its start and end.
	mu      sync.Mutex
	last    map[string]healthpb.HealthCheckResponse_ServingStatus
	stopped bool
	watches map[*watchStream]context.CancelFunc
}

// Register builds a [Server] for h with [New] and registers it on s (a
// *grpc.Server) as the grpc.health.v1.Health service. Call it before
// s.Serve, and call [Server.Stop] when shutting s down (see
// [Server.Shutdowner]):
//
//	gs := grpc.NewServer()
//	hs, err := grpcprobe.Register(gs, h)
//	if err != nil {
//		return err
//	}
//	defer hs.Stop()
func Register(s grpc.ServiceRegistrar, h *core.Health, opts ...Option) (*Server, error) {
	srv, err := New(h, opts...)
	if err != nil {
		return nil, err
	}
	healthpb.RegisterHealthServer(s, srv)
	return srv, nil
}

// New builds a [Server] for h, for apps that register it themselves with
// healthpb.RegisterHealthServer (on several gRPC servers, say). It
// validates the service names: an invalid name, two probe services with the
// same name, or a check named like a probe service is an error naming
// both, wrapping [ErrServiceName] or [ErrDuplicateService].
//
// New sets every service's status from h's current state and starts
// following h's transitions at once, whether or not h is started; it starts
// no goroutine. [Server.Stop] stops following h.
func New(h *core.Health, opts ...Option) (*Server, error) {
	if h == nil {
		return nil, ErrNilHealth
	}
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	if err := cfg.validate(h.Checks()); err != nil {
		return nil, err
	}
	s := &Server{
		hs:      health.NewServer(),
		h:       h,
		cfg:     cfg,
		last:    make(map[string]healthpb.HealthCheckResponse_ServingStatus),
		watches: make(map[*watchStream]context.CancelFunc),
	}
	// Listen first, then read the state: a transition between the two is
	// then applied by the listener, never lost.
	s.unlisten = h.Listen(s.onEvent)
	s.mu.Lock()
	s.syncLocked()
	s.mu.Unlock()
	return s, nil
}

// validate checks the probe service names against each other and against
// the check names.
func (c *config) validate(checks []core.CheckState) error {
	probes := []struct{ what, name string }{
		{"liveness", c.liveness},
		{"readiness", c.readiness},
		{"startup", c.startup},
	}
	var errs []error
	owner := make(map[string]string, len(probes))
	for _, p := range probes {
		if !core.ValidName(p.name) {
			errs = append(errs, fmt.Errorf("%w: %s service %q: want 1 to %d characters from [A-Za-z0-9._-], starting with a letter or digit",
				ErrServiceName, p.what, p.name, core.MaxNameLen))
			continue
		}
		if prev, dup := owner[p.name]; dup {
			errs = append(errs, fmt.Errorf("%w: the %s and %s services are both named %q", ErrDuplicateService, prev, p.what, p.name))
			continue
		}
		owner[p.name] = p.what
	}
	for _, st := range checks {
		if what, dup := owner[st.Name]; dup {
			errs = append(errs, fmt.Errorf("%w: check %q has the name of the %s service; rename the check or the service (%s)",
				ErrDuplicateService, st.Name, what, optionFor[what]))
		}
	}
	return errors.Join(errs...)
}

var optionFor = map[string]string{
	"liveness":  "grpcprobe.LivenessService",
	"readiness": "grpcprobe.ReadinessService",
	"startup":   "grpcprobe.StartupService",
}

// onEvent is the Health listener. Whatever the event, it applies the
// current state, which is at least as new as the event: an event that
// reaches this listener late (one queued before it was registered) can
// never set an older status, and an event dropped by a slow-listener queue
// is made up for by the next one.
func (s *Server) onEvent(core.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncLocked()
}

// syncLocked sets every service's status from the Health's current state:
// the checks first, then the probes, and the whole server ("") last, so a
// client that sees "" change and then asks for any other service gets a
// status at least as new. s.mu must be held.
func (s *Server) syncLocked() {
	if s.stopped {
		return
	}
	// Readiness is read first, so every state read after it is at least
	// as new as the one "" is set to.
	ready := servingStatus(s.h.Status(core.Readiness))
	for _, st := range s.h.Checks() {
		s.setLocked(st.Name, servingStatus(st.Status))
	}
	s.setLocked(s.cfg.startup, servingStatus(s.h.Status(core.Startup)))
	s.setLocked(s.cfg.liveness, servingStatus(s.h.Status(core.Liveness)))
	s.setLocked(s.cfg.readiness, ready)
	s.setLocked("", ready)
}

// setLocked sets a service's status if it changed, so that watchers are
// only woken by a change. s.mu must be held.
func (s *Server) setLocked(service string, st healthpb.HealthCheckResponse_ServingStatus) {
	if prev, ok := s.last[service]; ok && prev == st {
		return
	}
	s.last[service] = st
	s.hs.SetServingStatus(service, st)
}

// servingStatus maps a probe's or a check's status to gRPC's: SERVING
// while it passes (ok or degraded), NOT_SERVING otherwise.
func servingStatus(st core.Status) healthpb.HealthCheckResponse_ServingStatus {
	if st.Passing() {
		return healthpb.HealthCheckResponse_SERVING
	}
	return healthpb.HealthCheckResponse_NOT_SERVING
}

// Check implements grpc.health.v1.Health/Check: the service's status, or
// codes.NotFound for a service it does not know. It reads a cached status
// and never runs a check.
func (s *Server) Check(ctx context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	return s.hs.Check(ctx, req)
}

// List implements grpc.health.v1.Health/List: every service and its
// status. As grpc-go's server does, it fails with
// codes.ResourceExhausted past 100 services, that is with more than 96
// checks.
func (s *Server) List(ctx context.Context, req *healthpb.HealthListRequest) (*healthpb.HealthListResponse, error) {
	return s.hs.List(ctx, req)
}

// Stop stops following the Health, sets every service NOT_SERVING for good
// (a status no one updates any more must not keep answering SERVING), and
// ends every Watch stream, in flight or started later, after telling it
// the final status, with codes.Unavailable. Ending the streams matters:
// grpc.Server.GracefulStop waits for every RPC, and a Watch lasts until its
// client hangs up.
//
// Call Stop when shutting the gRPC server down, right before GracefulStop
// ([Server.Shutdowner] does both), or when the gRPC server is gone; a
// Server whose gRPC server lives on must not be stopped, as its liveness
// service would then fail. Check and List keep answering. Stop is
// idempotent and safe for concurrent use; it does not stop the Health.
func (s *Server) Stop() {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	s.stopped = true
	watches := s.watches
	s.watches = nil
	s.mu.Unlock()

	s.unlisten()
	s.hs.Shutdown()
	for _, cancel := range watches {
		cancel()
	}
}
