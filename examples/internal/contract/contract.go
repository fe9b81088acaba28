// Package contract drives an example app as a process, the way a user and
// Kubernetes would, and checks the example contract every example shares:
// probes without a token, 401 on the API without one, readiness 503 while
// its Redis or database is down with liveness 200, recovery, and drain on
// SIGTERM (examples/grpc: the same through its gRPC API and health
// service); HEALTH_ADDR → /healthz, /readyz and /metrics on a probe server
// of their own; HEALTH_STATUS_FILE → the status file the exec probe
// `app -ready` reads; neither when unset; a bad HEALTH_* value or a
// HEALTH_ADDR port already taken → exit 1 with an error naming it.
// TestContract runs it against every example, in one test binary rather
// than one per example, which saves CI six race-instrumented links.
package contract

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Token is the API token the contract tests run the examples with.
const Token = "contract-token"

// wait bounds every condition the contract polls for; a healthy machine
// meets each within a few hundred milliseconds.
const wait = 20 * time.Second

// fast makes outages show within a second: 100ms interval, 300ms timeout,
// two failures to flip.
var fast = []string{"HEALTH_INTERVAL=100ms", "HEALTH_TIMEOUT=300ms", "HEALTH_FAILURE_THRESHOLD=2"}

// example is a built example and how to reach its API.
type example struct {
	bin  string
	grpc bool // the API is gRPC (examples/grpc), not HTTP
}

// run runs the contract scenarios against the built example ex.
func run(t *testing.T, ex example) {
	for _, sc := range []struct {
		name string
		run  func(*testing.T, example)
	}{
		{"embedded", embedded},
		{"redis-outage", redisOutage},
		{"database-outage", databaseOutage},
		{"probe-server-and-status-file", probeServerAndStatusFile},
		{"bad-environment", badEnvironment},
		{"probe-port-taken", probePortTaken},
	} {
		t.Run(sc.name, func(t *testing.T) { t.Parallel(); sc.run(t, ex) })
	}
}

// build compiles the example once into a temporary directory, without
// symbol tables and DWARF: nothing debugs it, and linking them is most of
// the build.
func build(t *testing.T, pkg string) string {
	t.Helper()
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "app")
	cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}
