// Package grpcprobe serves a [core.Health] as the gRPC health service,
// grpc.health.v1.Health (Check, Watch and List), on a *grpc.Server, fed from
// the same cached state as the HTTP probes. It is built on grpc-go's
// [google.golang.org/grpc/health] server.
//
// # Registration
//
// Register the service before Serve, and stop it on shutdown:
//
//	gs := grpc.NewServer(grpc.ChainUnaryInterceptor(auth))
//	hs, err := grpcprobe.Register(gs, h)
//	if err != nil {
//		return err
//	}
//	defer hs.Stop()
//	go gs.Serve(ln)
//
// [Register] (or [New]) reads the Health's current state and follows its
// transitions from then on ([core.Health.Listen]); it never runs a check,
// and an RPC never waits for one. The Health may be started before or
// after registration; until it is started, the services keep the state it
// had at registration (readiness starting: NOT_SERVING).
//
// # Services
//
// The names a client puts in HealthCheckRequest.service:
//
//	""           the server as a whole: follows readiness
//	"readiness"  SERVING while readiness passes (ok or degraded); NOT_SERVING while
//	             starting, unhealthy, held (core.Health.Hold) or draining
//	"liveness"   SERVING while liveness passes: no dependency counts unless opted in
//	"startup"    NOT_SERVING until every startup check has passed once, then SERVING
//	"<check>"    one per check, under its name: SERVING while that check passes
//
// The three probe names can be changed with [LivenessService],
// [ReadinessService] and [StartupService]. A check whose name is a probe
// service's is an error from [New] naming both, wrapping
// [ErrDuplicateService]. Check on any other name fails with
// codes.NotFound; Watch on it answers SERVICE_UNKNOWN and keeps the stream
// open, as grpc-go's server does.
//
// # Kubernetes probes
//
// A built-in gRPC probe (Kubernetes 1.24 and later; GA in 1.27) calls Check with the
// service it names and passes on SERVING only:
//
//	startupProbe:
//	  grpc: {port: 9000, service: startup}
//	  failureThreshold: 30
//	  periodSeconds: 2
//	livenessProbe:
//	  grpc: {port: 9000, service: liveness}
//	readinessProbe:
//	  grpc: {port: 9000, service: readiness}
//
// Always name the service of a liveness probe: a probe without service
// asks for "", which follows readiness, and Kubernetes would restart the
// pod whenever a dependency is down. The port must be a number (named
// ports are not supported for gRPC probes), and the probe sends no
// credentials, so auth interceptors must let the health service through;
// see [IsProbe].
//
// # Drain
//
// [core.Health.Drain], and [core.Health.Close], turn "" and "readiness"
// NOT_SERVING, while "liveness" and the checks' services stay as they are,
// so that clients and load balancers watching "" stop sending traffic
// before the server goes. On SIGTERM, [core.Health.DrainAndShutdown] with
// [Server.Shutdowner] runs the whole sequence:
//
//	err := h.DrainAndShutdown(ctx, hs.Shutdowner(gs))
//
// readiness NOT_SERVING at once, the drain delay while gs keeps serving,
// then [Server.Stop] (every service NOT_SERVING, open Watch streams ended
// with codes.Unavailable, since grpc.Server.GracefulStop would otherwise
// wait for them for ever) and gs.GracefulStop, cut short by gs.Stop if ctx
// ends first.
//
// # Timing
//
// The Health delivers transitions to listeners on one goroutine, in the
// order they were published; the Server applies each one there, before the
// next listener runs, so a gRPC status lags the HTTP probes by no more than
// that delivery. Watch streams get the change from grpc-go's server at
// once; a slow watcher gets the latest status, never a stale one.
package grpcprobe
