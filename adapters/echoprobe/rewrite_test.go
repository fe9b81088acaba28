package echoprobe_test

import (
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// rewriters are Echo's path-rewriting pre-middleware. The Rewrite rules
// include a hostile one: an alias of a probe path for an app route.
var rewriters = map[string]func() echo.MiddlewareFunc{
	"RemoveTrailingSlash": middleware.RemoveTrailingSlash,
	"AddTrailingSlash":    middleware.AddTrailingSlash,
	"Rewrite": func() echo.MiddlewareFunc {
		return middleware.Rewrite(map[string]string{
			"/status":    "/healthz",    // an alias for a probe
			"/healthz/*": "/api/$1",     // a prefix rewrite over the probe paths
			"/livez":     "/api/whoami", // a probe path aliased to an app route
		})
	},
}

// TestPathRewritersAfterProbes registers the probes first with e.Pre and
// each rewriter after them: the probes see the path as it arrived, so no
// rewriter turns a non-probe into a probe, no probe is lost, and every
// request the probes do not answer gets the app's 401.
func TestPathRewritersAfterProbes(t *testing.T) {
	t.Parallel()
	for _, name := range slices.Sorted(maps.Keys(rewriters)) {
		for _, authFirst := range []bool{false, true} {
			t.Run(name+authName(authFirst), func(t *testing.T) {
				t.Parallel()
				h := testenv.NewHealth(t)
				e := newEcho()
				if authFirst {
					e.Pre(keyAuth(echoprobe.Skipper(h))) // the probes right after it
				}
				e.Pre(echoprobe.Middleware(h), rewriters[name]())
				if !authFirst {
					e.Use(keyAuth(nil))
				}
				e.GET("/api/whoami", whoami)
				e.GET("/api/whoami/", whoami)
				want := map[string]int{"/healthz": 200, "/livez": 200, "/readyz": 200, "/readyz?verbose": 200, "/readyz/nosuch": 404, "/status": 401}
				for _, p := range confusing {
					want[p] = 401
				}
				checkUnauthenticated(t, e, want)
			})
		}
	}
}

// TestPathRewritersBeforeProbes shows what the package documentation says
// happens when a rewriter runs before the probes (registered before them
// with e.Pre, or any e.Pre middleware when the probes use e.Use): the
// probes judge the rewritten path, so RemoveTrailingSlash makes /healthz/ a
// probe, AddTrailingSlash makes /healthz a non-probe, and Rewrite aliases
// /status to /healthz and takes /livez away from the probes. Nothing gets
// past auth either way: a request is answered by the probes or gets 401.
func TestPathRewritersBeforeProbes(t *testing.T) {
	t.Parallel()
	override := map[string]map[string]int{
		"RemoveTrailingSlash": {"/healthz/": 200, "/readyz/redis/": 404},
		"AddTrailingSlash":    {"/healthz": 401, "/livez": 401, "/readyz": 401, "/readyz?verbose": 401, "/readyz/nosuch": 401},
		"Rewrite":             {"/status": 200, "/livez": 401, "/healthz/../api/whoami": 401},
	}
	layouts := map[string]func(e *echo.Echo, h *core.Health, rewrite echo.MiddlewareFunc){
		"pre": func(e *echo.Echo, h *core.Health, rewrite echo.MiddlewareFunc) {
			e.Pre(rewrite, echoprobe.Middleware(h))
			e.Use(keyAuth(nil))
		},
		"use": func(e *echo.Echo, h *core.Health, rewrite echo.MiddlewareFunc) {
			e.Pre(rewrite)
			e.Use(echoprobe.Middleware(h), keyAuth(nil))
		},
		"use/auth-first": func(e *echo.Echo, h *core.Health, rewrite echo.MiddlewareFunc) {
			e.Pre(rewrite)
			e.Use(keyAuth(echoprobe.Skipper(h)), echoprobe.Middleware(h))
		},
	}
	for _, name := range slices.Sorted(maps.Keys(rewriters)) {
		for _, layout := range slices.Sorted(maps.Keys(layouts)) {
			t.Run(name+"/"+layout, func(t *testing.T) {
				t.Parallel()
				h := testenv.NewHealth(t)
				e := newEcho()
				layouts[layout](e, h, rewriters[name]())
				e.GET("/api/whoami", whoami)
				e.GET("/api/whoami/", whoami)
				want := map[string]int{"/healthz": 200, "/livez": 200, "/readyz": 200, "/readyz?verbose": 200, "/readyz/nosuch": 404, "/status": 401}
				for _, p := range confusing {
					want[p] = 401
				}
				maps.Copy(want, override[name])
				checkUnauthenticated(t, e, want)
			})
		}
	}
}

func authName(authFirst bool) string {
	if authFirst {
		return "/auth-first"
	}
	return ""
}

// checkUnauthenticated requests each target without a token and checks
// its status; a 401 must be the app's auth, a 200 must be a probe's answer.
func checkUnauthenticated(t *testing.T, e *echo.Echo, want map[string]int) {
	t.Helper()
	for _, target := range slices.Sorted(maps.Keys(want)) {
		w := serve(e, "GET", target, false)
		if w.Code != want[target] {
			t.Errorf("GET %s = %d %q; want %d", target, w.Code, w.Body, want[target])
		}
		probe := w.Header().Get("Cache-Control") == probehttp.CacheControl
		switch {
		case w.Code == http.StatusUnauthorized && (probe || w.Body.String() != `{"error":"unauthorized"}`+"\n"):
			t.Errorf("GET %s = 401 %q; want the app's auth answer", target, w.Body)
		case w.Code == http.StatusOK && !probe:
			t.Errorf("GET %s = 200 %q without a token, not from the probes", target, w.Body)
		}
	}
}
