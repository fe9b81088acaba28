// Package ginprobe serves a [core.Health]'s probes on Gin: /healthz and
// /livez, /readyz and /readyz/<check>, and /startupz, answered from cached
// results before the app's auth and DB-connect middleware.
//
// Register [Middleware] first, on the engine (gin.New, not gin.Default,
// whose logger would log every probe):
//
//	r := gin.New()
//	r.Use(ginprobe.Middleware(h), gin.Logger(), gin.Recovery())
//	r.Use(authRequired(), withConn())
//
// Auth that must come first skips the probes with [Skipper] and has
// [Middleware] right after it. On SIGTERM, serve r with an *http.Server and
// call h.DrainAndShutdown(ctx, srv), with a ctx longer than h.DrainDelay().
//
// Paths match exactly on the raw request path. The guide and the edge
// cases: https://github.com/probekit/probekit/blob/main/docs/gin.md
package ginprobe
