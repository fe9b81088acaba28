// Package core runs health checks in the background and answers
// Kubernetes-style probes from their latest results, so that a probe never
// runs a check or waits for one. It imports only the standard library;
// framework adapters live in adapters/ and ready-made checkers in
// core/checks/.
//
// # Probes
//
// Liveness (/healthz, /livez) says the process can serve. It touches no
// dependency unless a check opts in with [ForProbes]: a database outage must
// not make Kubernetes restart the pod. Readiness (/readyz) says "send me
// traffic": it answers 503 while starting (until every readiness check has a
// first result), while a critical check fails, while the app holds it down
// ([Health.Hold]) and while draining for shutdown ([Health.Drain]). Startup
// (/startupz) answers 503 until every startup check has passed once.
//
// # Checks
//
// A [Checker] is registered under a name with [WithCheck]. Each check runs
// on its own schedule: first at [Health.Start], then every interval (with
// jitter), under a hard timeout that both cancels its context and stops the
// scheduler waiting for it; at most one run of a check is in flight. A check
// turns failing after [FailureThreshold] consecutive failures and passing
// again after [SuccessThreshold] passes; while it keeps failing it is run
// less often, up to [MaxBackoff], and the first pass restores its interval.
// A check that panics fails with the panic message. A non-critical check
// ([Critical]) or a pass with a warning ([Warn]) makes a probe degraded,
// which still answers 200.
//
// # Answers
//
// Each result publishes an immutable snapshot of the states. The first
// request for an answer after a change renders it from the snapshot; every
// later request, until the next change, writes the same bytes without
// allocating. The default body is JSON:
//
//	{"status":"ok","checks":{"redis":{"status":"ok","duration":"312µs","checked_at":"2026-11-21T10:00:00.000Z","failures":0}}}
//
// ?verbose gives the Kubernetes text format ("[+]redis ok"), Accept:
// application/health+json the IETF health-check format, ?exclude=NAME
// leaves a check out of one answer and /readyz/NAME answers for one check.
// Error texts appear only with [WithDetails]; secrets in URLs and DSNs are
// redacted from every text ([Redact]) before it reaches a body, a log line
// or a listener. Transitions are logged once with log/slog and delivered to
// listeners ([Health.Listen]).
//
// # Inside
//
// A result flows through one file per step:
//
//	scheduler.go  runs each check on its schedule, abandons a run at its timeout
//	tracker.go    applies results, aggregates, publishes immutable snapshots
//	render.go     renders an answer from a snapshot, on first request
//	respond.go    matches a raw path and picks the answer for a request
//	probehttp     (package) writes it; adapters call it
//
// The probe server (server.go) and the status file (statusfile.go) answer
// through respond.go like any client; watchdog.go marks stale results.
//
// # Lifecycle
//
// [New] validates everything and starts nothing. [Health.Start] starts the
// checks; [Health.Close] stops them and waits for the goroutines it started.
// [Health.DrainAndShutdown] runs the shutdown sequence for HTTP servers:
// readiness 503 at once, a delay for load balancers to notice, then
// Shutdown.
package core
