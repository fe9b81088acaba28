package grpcprobe

import healthgrpc "google.golang.org/grpc/health/grpc_health_v1"

// IsProbe reports whether fullMethod (as in grpc.UnaryServerInfo and
// grpc.StreamServerInfo) is a method of the grpc.health.v1.Health service:
// exactly "/grpc.health.v1.Health/Check", ".../Watch" or ".../List". Auth
// and other interceptors that must not stand between a kubelet and the
// health service skip these methods:
//
//	func auth(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
//		if grpcprobe.IsProbe(info.FullMethod) {
//			return next(ctx, req)
//		}
//		... // check the token
//	}
//
// Kubernetes' built-in gRPC probes send no credentials, so the health
// service must answer without them.
func IsProbe(fullMethod string) bool {
	switch fullMethod {
	case healthgrpc.Health_Check_FullMethodName,
		healthgrpc.Health_Watch_FullMethodName,
		healthgrpc.Health_List_FullMethodName:
		return true
	}
	return false
}
