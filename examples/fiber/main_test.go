package main

import (
	"testing"

	"github.com/probekit/probekit/examples/internal/contract"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestContract builds this example and drives it as a process: probes
// without a token, 401 on the API without one, readiness 503 while Redis
// or the database is down with liveness 200, recovery, drain on SIGTERM.
func TestContract(t *testing.T) {
	contract.Run(t, "./examples/fiber")
}
