package main

import (
	"testing"

	"github.com/probekit/probekit/examples/internal/contract"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestContract builds this example and drives it as a process over gRPC:
// the health service without a token, Unauthenticated on the API without
// one, readiness NOT_SERVING while Redis or the database is down with
// liveness SERVING, recovery, drain on SIGTERM, the probe server and the
// status file.
func TestContract(t *testing.T) {
	contract.RunGRPC(t, "./examples/grpc")
}
