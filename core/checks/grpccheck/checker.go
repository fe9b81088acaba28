package grpccheck

import (
	"context"
	"fmt"
	"strconv"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

var _ core.Checker = (*Checker)(nil)

// Checker checks an upstream gRPC server by calling its health service,
// grpc.health.v1.Health/Check, on the application's own connection to it.
// It never dials and never closes the connection: the Check RPC shares the
// connection, and its state, with the application's own calls, and a
// connection that has gone idle is reconnected by grpc-go as for any RPC.
//
// A Checker is safe for concurrent use.
type Checker struct {
	client   healthpb.HealthClient
	req      *healthpb.HealthCheckRequest
	callOpts []grpc.CallOption
	upstream string // how errors name the upstream
}

// New returns a Checker that calls Check on conn, the *grpc.ClientConn (or
// any grpc.ClientConnInterface) the application already has for the
// upstream. Closing conn stays the application's job. New panics if conn
// is nil.
func New(conn grpc.ClientConnInterface, opts ...Option) *Checker {
	if conn == nil {
		panic("grpccheck: New: nil conn")
	}
	if cc, ok := conn.(*grpc.ClientConn); ok && cc == nil {
		panic("grpccheck: New: nil conn")
	}
	c := &Checker{client: healthpb.NewHealthClient(conn), req: &healthpb.HealthCheckRequest{}}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	target := "grpc"
	if t, ok := conn.(interface{ Target() string }); ok {
		target = t.Target()
	}
	c.upstream = "upstream " + strconv.Quote(core.Redact(target))
	if c.req.Service != "" {
		c.upstream += " service " + strconv.Quote(c.req.Service)
	}
	return c
}

// Check calls the upstream's health Check for the service (see [Service])
// and returns nil if the answer is SERVING. Otherwise it returns an error
// naming the upstream by its target and saying why, such as
//
//	grpccheck: upstream "orders:9000": NOT_SERVING
//	grpccheck: upstream "orders:9000" service "shop.v1.Orders": SERVICE_UNKNOWN
//	grpccheck: upstream "orders:9000": unavailable: connection error: desc = "transport: Error while dialing: dial tcp 10.0.0.7:9000: connect: connection refused"
//	grpccheck: upstream "orders:9000": context deadline exceeded
//
// which wraps [ErrNotServing], [ErrServiceUnknown], [ErrUnavailable],
// [ErrNoHealthService] or ctx's error, and the RPC's status error (so
// status.Code works on it).
//
// Check makes the RPC in the calling goroutine and returns when it does:
// grpc-go ends it at ctx's deadline. A [core.Health] does not wait for an
// RPC that outlives its timeout anyway (an interceptor that ignores its
// context, say): it abandons the run at the check's timeout
// ([core.Timeout]) and reports it failing until it returns. With ctx
// already done, Check makes no call. A panic in an interceptor is
// returned as an error.
func (c *Checker) Check(ctx context.Context) (err error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return c.fail(ctxErr.Error(), ctxErr, nil)
	}
	defer func() {
		if p := recover(); p != nil {
			err = c.fail(fmt.Sprintf("check panic: %v", p), nil, nil)
		}
	}()
	return c.call(ctx)
}

// call makes the RPC and maps its outcome.
func (c *Checker) call(ctx context.Context) error {
	resp, err := c.client.Check(ctx, c.req, c.callOpts...)
	if err != nil {
		return c.rpcError(ctx, err)
	}
	switch st := resp.GetStatus(); st {
	case healthpb.HealthCheckResponse_SERVING:
		return nil
	case healthpb.HealthCheckResponse_SERVICE_UNKNOWN:
		return c.fail(st.String(), ErrServiceUnknown, nil)
	default: // NOT_SERVING, UNKNOWN, or a value this version does not know
		return c.fail(st.String(), ErrNotServing, nil)
	}
}

// rpcError maps a failed RPC to a Check error.
func (c *Checker) rpcError(ctx context.Context, err error) error {
	if ctxErr := ctxerr.Err(ctx); ctxErr != nil {
		// However the RPC reported it: the check's own deadline.
		return c.fail(ctxErr.Error(), ctxErr, err)
	}
	st := status.Convert(err)
	switch st.Code() {
	case codes.NotFound:
		return c.fail(healthpb.HealthCheckResponse_SERVICE_UNKNOWN.String(), ErrServiceUnknown, err)
	case codes.Unavailable:
		return c.fail("unavailable: "+st.Message(), ErrUnavailable, err)
	case codes.Unimplemented:
		return c.fail("no health service (Unimplemented)", ErrNoHealthService, err)
	case codes.DeadlineExceeded:
		return c.fail("deadline exceeded: "+st.Message(), context.DeadlineExceeded, err)
	case codes.Canceled:
		return c.fail("canceled: "+st.Message(), context.Canceled, err)
	default:
		return c.fail(st.Code().String()+": "+st.Message(), nil, err)
	}
}

func (c *Checker) fail(reason string, kind, cause error) error {
	return &checkError{upstream: c.upstream, reason: reason, kind: kind, cause: cause}
}
