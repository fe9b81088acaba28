// Package fiberv3probe serves a [core.Health]'s probes on Fiber v3: /healthz
// (and /livez), /readyz and /startupz, with /readyz/<check> subpaths, in one
// line, in front of the app's own middleware.
//
// # The one line
//
// Register [New] on the root app, without a prefix, before auth and
// DB-connect middleware, so that probes are answered before any of it runs:
//
//	app.Use(fiberv3probe.New(h))
//	app.Use(keyauth.New(keyauth.Config{Validator: validate}))
//	app.Use(withDB)
//
// Answers go straight into fasthttp from the core's pre-rendered bytes (no
// net/http conversion, no copy, no allocation). Every other request goes on
// with c.Next, unchanged. Everything here takes the [fiber.Ctx] interface
// only, so apps built with fiber.NewWithCustomCtx work the same.
//
// With fiber.Config{SkipUnmatchedRoutes: true}, Fiber answers 404 for a
// path with no route before any middleware runs, New included: mount
// [Liveness], [Readiness] and [Startup] on routes instead.
//
// # Exact paths
//
// Paths are matched on the raw request path as it arrived
// (URI().PathOriginal()), with no cleaning, case folding or decoding,
// whatever the app's CaseSensitive, StrictRouting and UnescapePath settings:
// /healthz/, /HEALTHZ, //healthz, /healthz/../api/x, /healthz%2F..%2Fapi and
// /healthzz are not probes; they reach the app's auth and router like any
// other request.
//
// # Auth registered first
//
// If auth must run first, give it [Skipper] as its Next, so that it skips
// exactly the requests [New] answers, and register New right after it.
//
// # Shutdown
//
// On SIGTERM, h.DrainAndShutdown(ctx, fiberv3probe.Server(app)) turns
// readiness 503 while the app keeps serving, waits the drain delay, then
// shuts the app down ([Server]). Or, instead, [DrainOnShutdown] runs the
// same drain from Fiber's OnPreShutdown hook, before the listener closes,
// whenever the app is shut down through Fiber (app.Shutdown, or the end of
// ListenConfig.GracefulContext).
//
// # Traffic
//
// [Traffic] records the status code and latency of every request the app
// serves into a [trafficcheck.Recorder], for a readiness check on the app's
// own success rate. Register it right after [New], so that probes never
// reach it:
//
//	app.Use(fiberv3probe.New(h), fiberv3probe.Traffic(rec))
package fiberv3probe
