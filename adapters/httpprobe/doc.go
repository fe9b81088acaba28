// Package httpprobe serves a [core.Health]'s probes on net/http: /healthz
// and /livez, /readyz and /readyz/<check>, and /startupz, answered from
// cached results in front of the app's auth and DB-connect middleware.
//
// Wrap the app's whole handler chain (or use [Middleware] first, on chi):
//
//	srv := &http.Server{Addr: ":8080", Handler: httpprobe.Wrap(h, authRequired(withConn(mux)))}
//
// Auth that must be outermost lets the probes through with [Skipper] and
// keeps [Wrap] inside it. On SIGTERM, h.DrainAndShutdown(ctx, srv) turns
// readiness 503, waits the drain delay, then shuts srv down; give it a ctx
// longer than h.DrainDelay(). [Liveness], [Readiness] and [Startup] answer
// one probe at a path of your own; [Traffic] records the app's requests for
// trafficcheck.
//
// Paths match exactly on the raw request path. The guide and the edge
// cases: https://github.com/probekit/probekit/blob/main/docs/nethttp.md
package httpprobe
