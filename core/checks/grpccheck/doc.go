// Package grpccheck provides a [core.Checker] for an upstream gRPC server:
// it calls the upstream's health service, grpc.health.v1.Health/Check, on
// the connection the application already has to it.
//
// # Usage
//
// Hand [New] the application's *grpc.ClientConn; the checker reuses it and
// never dials a connection of its own:
//
//	conn, err := grpc.NewClient("orders:9000", grpc.WithTransportCredentials(creds))
//	if err != nil {
//		return err
//	}
//	defer conn.Close()
//	orders := orderspb.NewOrdersClient(conn) // the app's own calls
//
//	h, err := core.New(
//		core.WithCheck("orders", grpccheck.New(conn, grpccheck.Service("shop.v1.Orders"))),
//	)
//
// Without [Service] the check asks for "", the upstream's overall health.
// An upstream served by probekit's grpcprobe answers "" (and "readiness")
// with its readiness, so a dependency of the upstream that is down makes
// this check fail too; ask for "liveness" to depend only on the upstream
// process being up.
//
// # Results
//
// SERVING passes. Anything else fails with an error that names the
// upstream by its target (and the service, when one is set):
//
//	grpccheck: upstream "orders:9000": NOT_SERVING                        ErrNotServing
//	grpccheck: upstream "orders:9000" service "x": SERVICE_UNKNOWN        ErrServiceUnknown (codes.NotFound)
//	grpccheck: upstream "orders:9000": unavailable: connection error: …   ErrUnavailable
//	grpccheck: upstream "orders:9000": context deadline exceeded          context.DeadlineExceeded
//	grpccheck: upstream "orders:9000": no health service (Unimplemented)  ErrNoHealthService
//
// and any other status code by its name and message, such as
// "Unauthenticated: missing token" (see [CallOptions] to send
// credentials). Every error also wraps the RPC's status error.
//
// # Deadlines
//
// Check calls the upstream with the check's context, in the calling
// goroutine, so its deadline ([core.Timeout]) is the RPC's deadline. An
// upstream that hangs, or a network that drops everything, fails the check
// at the deadline with an error wrapping [context.DeadlineExceeded]. An
// RPC that outlives the deadline anyway (an interceptor that ignores its
// context, say) is abandoned by the [core.Health] at the check's timeout,
// which reports the check failing until the RPC returns.
// Unless [CallOptions] sets grpc.WaitForReady(true), an upstream that
// cannot be reached fails at once with Unavailable, as the application's
// own calls would.
package grpccheck
