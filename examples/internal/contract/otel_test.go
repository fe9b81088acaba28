package contract

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"

	colmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
)

// collector is an OTLP/gRPC receiver that keeps the names of the metrics
// and spans it is sent.
type collector struct {
	mu      sync.Mutex
	metrics []string
	spans   []string
}

type metricsService struct {
	colmetricpb.UnimplementedMetricsServiceServer
	c *collector
}

func (s metricsService) Export(_ context.Context, req *colmetricpb.ExportMetricsServiceRequest) (*colmetricpb.ExportMetricsServiceResponse, error) {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	for _, rm := range req.GetResourceMetrics() {
		for _, sm := range rm.GetScopeMetrics() {
			for _, m := range sm.GetMetrics() {
				s.c.metrics = append(s.c.metrics, m.GetName())
			}
		}
	}
	return &colmetricpb.ExportMetricsServiceResponse{}, nil
}

type traceService struct {
	coltracepb.UnimplementedTraceServiceServer
	c *collector
}

func (s traceService) Export(_ context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				s.c.spans = append(s.c.spans, sp.GetName())
			}
		}
	}
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

func (c *collector) has(metric, span string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Contains(c.metrics, metric) && slices.Contains(c.spans, span)
}

// TestOpenTelemetryExport runs examples/grpc with OTEL_EXPORTER_OTLP_ENDPOINT
// pointing at an in-test OTLP receiver: probekit's metrics and a span per
// check run arrive, and SIGTERM still drains and exits 0. (Without the
// variable, the contract scenarios run the same example with nothing
// exported.)
func TestOpenTelemetryExport(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{}
	gs := grpc.NewServer()
	colmetricpb.RegisterMetricsServiceServer(gs, metricsService{c: c})
	coltracepb.RegisterTraceServiceServer(gs, traceService{c: c})
	go func() { _ = gs.Serve(ln) }()
	t.Cleanup(gs.Stop)

	a := start(t, example{bin: build(t, "./grpc"), grpc: true}, append([]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT=http://" + ln.Addr().String(),
		"OTEL_EXPORTER_OTLP_INSECURE=true",
		"OTEL_METRIC_EXPORT_INTERVAL=200", // ms
		"OTEL_BSP_SCHEDULE_DELAY=100",     // ms
		"OTEL_SERVICE_NAME=contract",
	}, fast...)...)
	a.eventually("probekit.probe.status and a health.check redis span at the receiver", func() bool {
		return c.has("probekit.probe.status", "health.check redis")
	})
	a.drain()
}
