// Package echov5probe serves a [core.Health]'s probes on Echo v5
// (github.com/labstack/echo/v5): /healthz (and /livez), /readyz and
// /startupz, with /readyz/<check> subpaths, in one line, in front of the
// app's auth and DB-connect middleware. For Echo v4, use echoprobe.
//
// # The one line
//
// Register [Middleware] as pre-middleware, first:
//
//	e := echo.New()
//	e.Pre(echov5probe.Middleware(h)) // the one line
//	e.Pre(middleware.RemoveTrailingSlash())
//	e.Use(authRequired, openDBConn)
//
// Echo runs pre-middleware before routing and before every e.Use
// middleware, whatever the order of the e.Pre and e.Use calls, so a probe
// never reaches the app's auth or its DB-connect middleware, and is never
// logged by an e.Use logger. Registered first among the e.Pre middleware,
// it sees the request path before anything rewrites it.
//
// e.Use(echov5probe.Middleware(h)), first among the e.Use middleware, works
// too: it runs after routing and answers a probe path whether or not a
// route matched, so Echo's 404 and 405 handlers never answer a probe. It
// then sees the path as the e.Pre middleware left it.
//
// # Which requests are probes
//
// Exactly the configured paths, compared with the raw request path (the
// path Echo's router matches by default: URL.RawPath when set, else
// URL.Path), with no cleaning, case folding or decoding: /healthz/,
// /HEALTHZ, //healthz, /healthz/../api, /healthz%2F..%2Fapi and /healthzz
// are not probes and go on to the app's middleware untouched. A path
// rewriter that runs before the probes decides what they see
// (RemoveTrailingSlash makes /healthz/ a probe, AddTrailingSlash makes
// /healthz a non-probe): register RemoveTrailingSlash, AddTrailingSlash and
// Rewrite after the probes.
//
// # Auth registered first
//
// If auth must run before the probes, give it [Skipper] and register
// [Middleware] right after it, in the same chain:
//
//	e.Use(middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
//		Skipper:   echov5probe.Skipper(h),
//		Validator: validKey,
//	}))
//	e.Use(echov5probe.Middleware(h))
//
// # Drain
//
// echo.StartConfig.Start shuts the server down as soon as its context ends,
// so readiness must turn 503 before that. [DrainContext] gives Start a
// context that ends h's drain delay after the signal, with h drained from
// the signal on:
//
//	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
//	defer stop()
//	sc := echo.StartConfig{Address: ":8080", GracefulTimeout: 10 * time.Second}
//	err := sc.Start(echov5probe.DrainContext(ctx, h), e)
//
// An app that runs its own *http.Server with e as its handler drains with
// h.DrainAndShutdown(ctx, srv) instead.
//
// # Traffic
//
// [Traffic] records the status code and latency of every request the app
// serves into a [trafficcheck.Recorder], for a readiness check on the app's
// own success rate. Register it first with e.Use, the probes on e.Pre:
//
//	e.Pre(echov5probe.Middleware(h))
//	e.Use(echov5probe.Traffic(rec), middleware.Recover(), authRequired)
package echov5probe
