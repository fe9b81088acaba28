// Package ginprobe serves a [core.Health]'s probes on Gin: /healthz (and
// /livez), /readyz and /startupz, with /readyz/<check> subpaths, in one
// line, in front of the app's own middleware.
//
// # The one line
//
// Register [Middleware] first, before auth, DB-connect and every other
// middleware, so that probes are answered before any of it runs:
//
//	r := gin.New()
//	r.Use(ginprobe.Middleware(h)) // the one line
//	r.Use(authRequired(), withConn())
//
// A probe is answered whether or not a route matches its path (no route is
// needed: Gin runs global middleware on its 404 path too), and the chain is
// aborted: nothing registered after the middleware, Gin's "404 page not
// found" included, runs or writes for a probe.
//
// Only the exact probe paths are answered; every other request goes on
// through the chain unchanged. Paths are matched on the raw request path,
// with no cleaning, case folding or decoding, whatever the engine's
// RedirectTrailingSlash, RedirectFixedPath, RemoveExtraSlash, UseRawPath or
// UseEscapedPath say: /healthz/, /HEALTHZ, //healthz, /healthz/../api/x,
// /healthz%2F..%2Fapi and /healthzz are not probes.
//
// # Auth registered first
//
// If auth must come first, give it [Skipper] (true for exactly the
// requests [Middleware] answers), and register [Middleware] right after it:
//
//	r.Use(authRequired(ginprobe.Skipper(h)), ginprobe.Middleware(h))
//
// Skipper is a [gin.Skipper], so it also keeps probes out of Gin's access
// log: gin.LoggerWithConfig(gin.LoggerConfig{Skip: ginprobe.Skipper(h)}).
//
// # Probes as routes
//
// [Liveness], [Readiness] and [Startup] answer one probe at whatever route
// they are registered on, for apps that want a probe at a path of their own.
//
// # Traffic
//
// [Traffic] records the status code and latency of every request the app
// serves into a [trafficcheck.Recorder], for a readiness check on the app's
// own success rate. Register it right after [Middleware], so that probes
// never reach it:
//
//	r.Use(ginprobe.Middleware(h), ginprobe.Traffic(rec))
package ginprobe
