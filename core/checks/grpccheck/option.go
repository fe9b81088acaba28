package grpccheck

import "google.golang.org/grpc"

// Option configures a [Checker]; pass options to [New].
type Option interface {
	apply(*Checker)
}

type optionFunc func(*Checker)

func (f optionFunc) apply(c *Checker) { f(c) }

// Service sets the service whose health Check asks for, as named by the
// upstream's health server: a fully qualified gRPC service name such as
// "shop.v1.Orders", or whatever name the upstream registered. Default "",
// the upstream's overall health. An upstream served by probekit's
// grpcprobe also answers "readiness", "liveness" and one name per check.
func Service(name string) Option {
	return optionFunc(func(c *Checker) { c.req.Service = name })
}

// CallOptions adds options to every Check call, such as
// grpc.PerRPCCredentials for an upstream whose health service wants
// credentials. Default none. The check's deadline always applies;
// grpc.WaitForReady(true) makes a Check against an unreachable upstream
// wait for its whole deadline instead of failing with Unavailable at once.
func CallOptions(opts ...grpc.CallOption) Option {
	return optionFunc(func(c *Checker) { c.callOpts = append(c.callOpts, opts...) })
}
