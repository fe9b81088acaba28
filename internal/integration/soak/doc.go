// Package soak holds the soak test: every adapter serving one
// Health over real loopback, at the highest rate the machine gives, while a
// test-owned redis-server behind the Health's only check is killed and
// restarted on a fixed schedule. It has no code of its own, only the test.
//
// # What it asserts
//
//   - no transport error, no answer but 200 or 503, no malformed body;
//   - /healthz answers 200 throughout: a dependency outage never fails
//     liveness;
//   - no /readyz 200 (gRPC: SERVING) for a request sent once the Redis has
//     been down longer than the check's settings allow (the failure
//     threshold's worth of runs, with their timeouts and jitter) plus a
//     stated margin for scheduling, and answered before the Redis was
//     started again;
//   - every adapter answers 503 during each outage and 200 again after a
//     restart, and readiness is back after the last outage, so the schedule
//     really was seen;
//   - the heap and the goroutine count are flat from the start of the load
//     to its end.
//
// It ends with a summary table: per adapter the requests, the rate, the
// counts per answer and the errors; the outages; the worst time from a stop
// to the last 200 and from a restart to the first; heap and goroutines at
// the start and the end.
//
// # Running it
//
// Without configuration it runs the short CI version, 4.5 s of load with
// one outage of 1.5 s and a recovery:
//
//	go test -race -run Soak ./internal/soak/
//
// PROBEKIT_SOAK set to a duration ([time.ParseDuration]) runs the long
// version for that long, stopping and starting Redis every 3 s, and prints
// the summary to stdout too:
//
//	PROBEKIT_SOAK=60s go test -race -run Soak -v ./internal/soak/
//
// The test needs redis-server on PATH (or TEST_REDIS_SERVER); without it the
// test is skipped, or fails under CI=true.
package soak
