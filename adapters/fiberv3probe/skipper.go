package fiberv3probe

import (
	"github.com/gofiber/fiber/v3"
	"github.com/gofiber/utils/v2"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// IsProbe reports whether the middleware returned by [New] would answer c
// itself: its raw request path is exactly one of h's probe paths, or one of
// them followed by "/<check name>". It is false for every other path,
// whatever the app's CaseSensitive, StrictRouting and UnescapePath settings,
// so it never lets a request past auth to the app. It panics if h is nil.
func IsProbe(h *core.Health, c fiber.Ctx) bool {
	if h == nil {
		panic("fiberv3probe: IsProbe with a nil *core.Health")
	}
	return isProbe(h, c)
}

// isProbe is [IsProbe] without the nil check, for the request path.
func isProbe(h *core.Health, c fiber.Ctx) bool {
	return probehttp.IsProbePath(h, utils.UnsafeString(c.Request().URI().PathOriginal()))
}

// Skipper returns [IsProbe] bound to h, in the shape of the Next field of
// Fiber's middleware configs, for apps that must register auth before the
// probes:
//
//	app.Use(keyauth.New(keyauth.Config{Next: fiberv3probe.Skipper(h), Validator: validate}))
//	app.Use(fiberv3probe.New(h))
//
// Auth then skips exactly the requests that [New] answers; register New
// after it, before anything else. It panics if h is nil.
func Skipper(h *core.Health) func(c fiber.Ctx) bool {
	if h == nil {
		panic("fiberv3probe: Skipper with a nil *core.Health")
	}
	return func(c fiber.Ctx) bool { return isProbe(h, c) }
}
