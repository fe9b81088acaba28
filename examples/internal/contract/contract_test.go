package contract

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestContract builds each example and drives it as a process: probes
// without a token, 401 (gRPC: Unauthenticated) on the API without one,
// readiness 503 (NOT_SERVING) while Redis or the database is down with
// liveness 200 (SERVING), recovery, drain on SIGTERM, the probe server and
// the status file.
func TestContract(t *testing.T) {
	for _, tt := range []struct {
		pkg  string
		grpc bool
	}{
		{pkg: "./nethttp"},
		{pkg: "./gin"},
		{pkg: "./echo"},
		{pkg: "./fiber"},
		{pkg: "./echov5"},
		{pkg: "./fiberv3"},
		{pkg: "./grpc", grpc: true},
	} {
		t.Run(tt.pkg[len("./"):], func(t *testing.T) {
			t.Parallel()
			run(t, example{bin: build(t, tt.pkg), grpc: tt.grpc})
		})
	}
}
