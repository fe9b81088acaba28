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
// Gin, with [github.com/probekit/probekit/adapters/ginprobe]:
//
//	r := gin.New()
//	r.Use(ginprobe.Middleware(h), ginprobe.Traffic(rec))
//	r.Use(gin.Recovery(), authRequired())
//
// Echo, with [github.com/probekit/probekit/adapters/echoprobe]:
//
//	e := echo.New()
//	e.Pre(echoprobe.Middleware(h))
//	e.Use(echoprobe.Traffic(rec), middleware.Recover(), authRequired)
//
// Fiber, with [github.com/probekit/probekit/adapters/fiberprobe]:
//
//	app := fiber.New()
//	app.Use(fiberprobe.New(h), fiberprobe.Traffic(rec))
//	app.Use(recover.New(), keyauth.New(keyauth.Config{Validator: validate}))
//
// Each adapter's Traffic measures from when it is called until the rest of
// the chain returns, and takes the status code the client gets: what the
// app's error handler made of a returned error (Echo, Fiber), 500 for a
// panic, whether something further out recovers it or not. Mounted before
// the probe line instead, it needs the adapter's skipper to leave probes
// out (TrafficWithConfig with httpprobe.Skipper(h), ginprobe.Skipper(h),
// echoprobe.Skipper(h); fiberprobe.TrafficConfig{Next:
// fiberprobe.Skipper(h)}); the same hook leaves out probe routes of the
// app's own and long-lived requests (WebSocket, server-sent events, long
// polling), whose latency is their lifetime. So do route groups: mount
// Traffic on the group that serves ordinary requests only.
//
// # Failures
//
// By default a request fails when its status is 5xx ([ServerError]). 4xx
// are the client's doing (a bad request, a missing page, no credentials)
// and say nothing about the pod. [FailureFunc] changes that, for example
// to leave out the 503 of an app that sheds load on purpose.
// [Recorder.RecordResult] records work without a status code.
//
// # Window and thresholds
//
// A Checker judges the requests that ended within its [Window] (default
// one minute), at most the Recorder's capacity ([Size], default 4096) —
// the most recent ones, when more than that ended in the window. Over
// them it computes the success rate and a latency percentile (nearest
// rank; p99 by default, [Percentile]), and compares them with two
// thresholds each:
//
//   - success rate ([SuccessRate]): below 0.99 is degraded (200), below
//     0.5 unhealthy (503);
//   - latency ([Latency]): none by default, since what is slow depends on
//     the app.
//
// A value equal to a threshold does not cross it. With fewer requests than
// [MinRequests] (default 20) in the window, Check passes and only reports
// its observations: a quiet service, or one that just started, is not
// failing. The core's hysteresis applies on top, so a pod goes unready
// after [core.FailureThreshold] consecutive failed checks (three by
// default, 15 seconds at the default interval) and back at the first
// pass.
//
// The critical success rate is low on purpose. A pod readiness takes out
// sends its traffic to the others. When the errors come from something
// every replica shares (the database, a downstream service), every replica
// fails the check together, and taking them all out turns a partial outage
// into a total one: the service has no endpoints left, and even the
// requests that would have succeeded fail. Half the requests failing is
// the point at which a pod is more broken than useful. Raise it when pods
// fail alone (a bad node, a wedged connection pool, a corrupt local
// cache); register the check with [core.Critical](false) to have it only
// ever report degraded.
//
// # Readiness, not liveness
//
// Readiness is the probe for this check, and the default of
// [core.WithCheck]. Never register it for liveness: a restart does not fix
// errors that come from a dependency or from load, and it empties the
// Recorder, so the restarted pod passes, takes traffic, fails again and
// is restarted again (a restart loop, then CrashLoopBackOff), while every
// restart drops the requests in flight and moves the load to the other
// pods, which then fail and restart in turn.
//
// A pod out of the load balancer gets almost no traffic, so the check
// cannot see it recover. It does not need to: the failed requests age out
// of the window, the window then holds fewer than MinRequests, the check
// passes and the pod is ready again, to be judged on fresh traffic. The
// window is thus also how long a failing pod stays out, about a minute by
// default, like the ejection time of a load balancer's outlier detection.
//
// # Cost
//
// Recording allocates nothing, takes no lock and costs a few tens of
// nanoseconds (see [Recorder]); memory is fixed at 8 bytes per request the
// Recorder holds (32 KiB by default). A Check reads the whole ring and
// sorts the latencies in the window, a few tens of microseconds at the
// default size, once per check interval, never on the request path.
package trafficcheck
