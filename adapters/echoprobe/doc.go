// Package echoprobe serves a [core.Health]'s probes on Echo v4
// (github.com/labstack/echo/v4): /healthz (and /livez), /readyz and
// /startupz, with /readyz/<check> subpaths, in one line, in front of the
// app's auth and DB-connect middleware.
//
// # The one line
//
// Register [Middleware] as pre-middleware, first:
//
//	e := echo.New()
//	e.Pre(echoprobe.Middleware(h)) // the one line
//	e.Pre(middleware.RemoveTrailingSlash())
//	e.Use(authRequired, openDBConn)
//
// Echo runs pre-middleware before routing and before every e.Use
// middleware, whatever the order of the e.Pre and e.Use calls, so a probe
// never reaches the app's auth (no token needed) or its DB-connect
// middleware (probes keep answering while the database is down), and is
// never logged by an e.Use logger. Registered first among the e.Pre
// middleware, it also sees the request path before anything rewrites it.
//
// e.Use(echoprobe.Middleware(h)), first among the e.Use middleware, works
// too: it runs after routing, and answers a probe path whether or not a
// route matched, so Echo's 404 and 405 handlers never answer a probe. It
// then sees the path as the e.Pre middleware left it (see below).
//
// # Which requests are probes
//
// Exactly the configured paths, compared with the raw request path (the
// path Echo routes on: URL.RawPath when set, else URL.Path), with no
// cleaning, case folding or decoding: /healthz/, /HEALTHZ, //healthz,
// /healthz/../api/x, /healthz%2F..%2Fapi and /healthzz are not probes and
// go on to the app's middleware untouched.
//
// A pre-middleware that rewrites the path and runs before the probes
// (middleware.RemoveTrailingSlash, AddTrailingSlash, Rewrite registered
// earlier with e.Pre, or any e.Pre middleware when the probes are
// registered with e.Use) decides what the probes see: RemoveTrailingSlash
// makes /healthz/ a probe, AddTrailingSlash makes /healthz a non-probe (the
// kubelet then gets the app's 401), and Rewrite can alias a path to a probe.
// Whatever the probes see, a request they do not answer goes on to the
// app's auth; register the probes first to keep the paths exact.
//
// # Auth registered first
//
// If auth must run before the probes, give it [Skipper], which is true for
// exactly the requests [Middleware] answers, and register [Middleware]
// right after it, with nothing that rewrites the path in between:
//
//	e.Use(middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
//		Skipper:   echoprobe.Skipper(h),
//		Validator: validToken,
//		ErrorHandler: func(error, echo.Context) error { // KeyAuth's default for a missing key is 400
//			return echo.NewHTTPError(http.StatusUnauthorized, echo.Map{"error": "unauthorized"})
//		},
//	}))
//	e.Use(echoprobe.Middleware(h))
//
// Auth registered after the probes needs no skipper, and must not have
// one (see [Skipper]).
//
// # Drain
//
// *echo.Echo has Shutdown(ctx), so it is a [core.Shutdowner] as it is: on
// SIGTERM call h.DrainAndShutdown(ctx, e).
//
// # Traffic
//
// [Traffic] records the status code and latency of every request the app
// serves into a [trafficcheck.Recorder], for a readiness check on the app's
// own success rate. Register it first with e.Use, the probes on e.Pre, so
// that probes never reach it:
//
//	e.Use(echoprobe.Traffic(rec), middleware.Recover(), authRequired)
package echoprobe
