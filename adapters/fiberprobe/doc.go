// Package fiberprobe serves a [core.Health]'s probes on Fiber v2: /healthz
// and /livez, /readyz and /readyz/<check>, and /startupz, answered from
// cached results before the app's auth and DB-connect middleware, with no
// net/http conversion and no allocation.
//
// Register [New] first, on the root app:
//
//	app.Use(fiberprobe.New(h))
//	app.Use(keyauth.New(keyauth.Config{Validator: validate}))
//
// Auth that must come first takes [Skipper] as its Next and has [New] right
// after it. On SIGTERM, h.DrainAndShutdown(ctx, fiberprobe.Server(app))
// turns readiness 503, waits the drain delay, then shuts the app down; give
// it a ctx longer than h.DrainDelay(). ([DrainOnShutdown] is no drain: Fiber
// v2 runs its hook after the listener has closed.)
//
// Paths match exactly on the raw request path. The guide and the edge
// cases: https://github.com/probekit/probekit/blob/main/docs/fiber.md
package fiberprobe
