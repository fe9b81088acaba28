// Package fiberv3probe serves a [core.Health]'s probes on Fiber v3: /healthz
// and /livez, /readyz and /readyz/<check>, and /startupz, answered from
// cached results before the app's auth and DB-connect middleware, with no
// net/http conversion and no allocation.
//
// Register [New] first, on the root app:
//
//	app.Use(fiberv3probe.New(h))
//	app.Use(keyauth.New(keyauth.Config{Validator: validate}))
//
// Auth that must come first takes [Skipper] as its Next and has [New] right
// after it. On SIGTERM, h.DrainAndShutdown(ctx, fiberv3probe.Server(app))
// turns readiness 503, waits the drain delay, then shuts the app down; give
// it a ctx longer than h.DrainDelay(). Or [DrainOnShutdown] runs the same
// drain when Fiber shuts the app down.
//
// Paths match exactly on the raw request path. The guide and the edge
// cases: https://github.com/probekit/probekit/blob/main/docs/fiberv3.md
package fiberv3probe
