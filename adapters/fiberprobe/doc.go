// Package fiberprobe serves a [core.Health]'s probes on Fiber v2: /healthz
// (and /livez), /readyz and /startupz, with /readyz/<check> subpaths, in one
// line, in front of the app's own middleware.
//
// # The one line
//
// Register [New] on the root app, without a prefix, before auth and
// DB-connect middleware, so that probes are answered before any of it runs:
//
//	app.Use(fiberprobe.New(h))
//	app.Use(keyauth.New(keyauth.Config{Validator: validate}))
//	app.Use(withDB)
//
// Answers go straight into fasthttp from the core's pre-rendered bytes (no
// net/http conversion, no copy, no allocation). Every other request goes on
// with c.Next, unchanged.
//
// # Exact paths
//
// Paths are matched on the raw request path as it arrived
// (URI().PathOriginal()), with no cleaning, case folding or decoding,
// whatever the app's CaseSensitive, StrictRouting and UnescapePath settings:
// /healthz/, /HEALTHZ, //healthz, /healthz/../api/x, /healthz%2F..%2Fapi and
// /healthzz are not probes; they reach the app's auth and router like any
// other request. Neither c.Path() (decoded with UnescapePath) nor
// URI().Path() (dot segments and double slashes removed by fasthttp) is
// used.
//
// # Auth registered first
//
// If auth must run first, give it [Skipper] as its Next, so that it skips
// exactly the requests [New] answers, and register New right after it.
//
// # Shutdown
//
// On SIGTERM, h.DrainAndShutdown(ctx, fiberprobe.Server(app)) turns
// readiness 503 while the app keeps serving, waits the drain delay, then
// shuts the app down ([Server]). [DrainOnShutdown] drains h from Fiber's
// OnShutdown hook, which Fiber runs only after the listener has closed.
//
// # Traffic
//
// [Traffic] records the status code and latency of every request the app
// serves into a [trafficcheck.Recorder], for a readiness check on the app's
// own success rate. Register it right after [New], so that probes never
// reach it:
//
//	app.Use(fiberprobe.New(h), fiberprobe.Traffic(rec))
package fiberprobe
