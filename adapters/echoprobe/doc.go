// Package echoprobe serves a [core.Health]'s probes on Echo v4
// (github.com/labstack/echo/v4): /healthz and /livez, /readyz and
// /readyz/<check>, and /startupz, answered from cached results before the
// app's auth and DB-connect middleware. For Echo v5, use echov5probe.
//
// Register [Middleware] as the first pre-middleware:
//
//	e := echo.New()
//	e.Pre(echoprobe.Middleware(h))
//	e.Use(authRequired, withConn)
//
// Auth that must come first skips the probes with [Skipper] and has
// [Middleware] right after it, in the same chain. *echo.Echo is a
// [core.Shutdowner]: on SIGTERM, call h.DrainAndShutdown(ctx, e), with a ctx
// longer than h.DrainDelay().
//
// Paths match exactly on the raw request path. The guide and the edge
// cases: https://github.com/probekit/probekit/blob/main/docs/echo.md
package echoprobe
