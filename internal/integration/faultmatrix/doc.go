// Package faultmatrix holds the dependency fault matrix: tests that put
// each real dependency (Redis, PostgreSQL, MariaDB and an HTTP upstream)
// behind the TCP proxy of internal/testenv, inject each fault (refused,
// reset mid-request, blackhole, slow at twice and at half the check
// timeout, flapping, a name that does not resolve) into a running
// core.Health served by every HTTP adapter (net/http, Gin, Echo v4 and v5,
// Fiber v2 and v3, probe pairs going to each in turn), and assert what
// Kubernetes would see:
// when /readyz turns 503 and when it recovers, that /healthz never moves,
// that probes never wait on the dependency, that each transition is logged
// exactly once, and that no goroutine outlives a row.
//
// The package has no code of its own. Run it with
//
//	go test -race -count=1 -v ./internal/integration/faultmatrix/
//
// to see the matrix as a Markdown table, or set PROBEKIT_MATRIX_OUT to a
// file name to have the table written there too.
package faultmatrix
