// Package trafficcheck judges a service by its own traffic: middleware
// records the outcome and latency of every request the app serves into a
// [Recorder], and a [Checker] reports degraded or unhealthy when the
// success rate or a latency percentile over a recent window crosses a
// threshold. Registered for readiness, it takes a pod out of the load
// balancer while it serves errors, and puts it back when it stops.
//
// # Wiring
//
// One Recorder per app, one Checker on readiness, one middleware line
// right after the probe line (answered probes never reach it, so they do
// not dilute the rate):
//
//	rec := trafficcheck.NewRecorder()
//	h := core.MustNew(
//		core.WithCheck("traffic", trafficcheck.MustNew(rec)), // readiness by default
//	)
//
// net/http, with [github.com/probekit/probekit/adapters/httpprobe]:
//
//	handler := httpprobe.Wrap(h, httpprobe.Traffic(rec)(authRequired(mux)))
//
// Every adapter has the same Traffic line (ginprobe, echov5probe,
// fiberv3probe, …). It takes the status code the client gets, 500 for a
// panic; by default a request fails when its status is 5xx
// ([ServerError]), which [FailureFunc] changes.
//
// Windows, thresholds, skipping long-lived requests and the wiring on
// every framework:
// https://github.com/probekit/probekit/blob/main/docs/checks.md#trafficcheck
package trafficcheck
