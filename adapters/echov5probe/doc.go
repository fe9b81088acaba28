// Package echov5probe serves a [core.Health]'s probes on Echo v5
// (github.com/labstack/echo/v5): /healthz and /livez, /readyz and
// /readyz/<check>, and /startupz, answered from cached results before the
// app's auth and DB-connect middleware. For Echo v4, use echoprobe.
//
// Register [Middleware] as the first pre-middleware:
//
//	e := echo.New()
//	e.Pre(echov5probe.Middleware(h))
//	e.Use(authRequired, withConn)
//
// Auth that must come first skips the probes with [Skipper] and has
// [Middleware] right after it, in the same chain. On SIGTERM, [DrainContext]
// keeps echo.StartConfig.Start serving through the drain delay:
//
//	err := sc.Start(echov5probe.DrainContext(ctx, h), e)
//
// Paths match exactly on the raw request path. The guide and the edge
// cases: https://github.com/probekit/probekit/blob/main/docs/echov5.md
package echov5probe
