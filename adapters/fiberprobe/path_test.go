package fiberprobe_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/probekit/probekit/internal/fibertest"
	"github.com/probekit/probekit/internal/testenv"

	"github.com/gofiber/fiber/v2"
)

// confusing are targets that look like probes and are not.
var confusing = testenv.ConfusingPaths

// configs are every combination of the Fiber settings that change how a
// path is routed.
func configs() []fiber.Config {
	var out []fiber.Config
	for i := range 8 {
		out = append(out, fiber.Config{CaseSensitive: i&1 != 0, StrictRouting: i&2 != 0, UnescapePath: i&4 != 0})
	}
	return out
}

func configName(cfg fiber.Config) string {
	return fmt.Sprintf("CaseSensitive=%v,StrictRouting=%v,UnescapePath=%v", cfg.CaseSensitive, cfg.StrictRouting, cfg.UnescapePath)
}

// TestPathConfusion runs every confusing path against the app under every
// routing config, with the probe line first and with auth first (skipping
// the probes with Skipper): never a probe answer, always auth's 401.
func TestPathConfusion(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	for _, cfg := range configs() {
		for _, authFirst := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/authFirst=%v", configName(cfg), authFirst), func(t *testing.T) {
				t.Parallel()
				app := newApp(h, cfg, authFirst)
				for _, target := range confusing {
					got := do(t, app, "GET", target)
					if got.code != fiber.StatusUnauthorized || got.body != `{"error":"unauthorized"}` {
						t.Errorf("GET %s = %d %q; want 401 from auth", target, got.code, got.body)
					}
				}
				for _, target := range []string{"/healthz", "/livez", "/readyz", "/readyz?verbose", "/startupz"} {
					if got := do(t, app, "GET", target); got.code != 200 || got.header.Get("Cache-Control") != "no-store" {
						t.Errorf("GET %s = %d (Cache-Control %q); want a probe answer, 200", target, got.code, got.header.Get("Cache-Control"))
					}
				}
				if got := do(t, app, "GET", "/api/whoami", "Authorization", "Bearer "+token); got.code != 200 {
					t.Errorf("GET /api/whoami with a token = %d; want 200", got.code)
				}
			})
		}
	}
}

// TestAppTestSendsRawPath checks the tool the other tests rely on: app.Test
// serialises the *http.Request with its RequestURI verbatim, so the app
// sees exactly the path a client sent, escapes, dot segments, double and
// trailing slashes included.
func TestAppTestSendsRawPath(t *testing.T) {
	t.Parallel()
	for _, cfg := range configs() {
		cfg.DisableStartupMessage = true
		app := fiber.New(cfg)
		var got string
		app.Use(func(c *fiber.Ctx) error {
			got = string(c.Request().URI().PathOriginal())
			return c.SendStatus(fiber.StatusNoContent)
		})
		for _, target := range confusing {
			do(t, app, "GET", target)
			if want, _, _ := strings.Cut(target, "?"); got != want {
				t.Errorf("%s: app.Test(GET %s): the app saw %q; want %q", configName(cfg), target, got, want)
			}
		}
	}
}

// TestPathConfusionOverTheWire sends the confusing paths as raw bytes to a
// real listener, so that nothing between the client and Fiber (neither
// net/http's client nor app.Test) can have rewritten them.
func TestPathConfusionOverTheWire(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	for _, authFirst := range []bool{false, true} {
		addr := fibertest.Serve(t, quiet(newApp(h, fiber.Config{UnescapePath: true}, authFirst)))
		for _, target := range confusing {
			if got := raw(t, addr, "GET", target); got.code != fiber.StatusUnauthorized {
				t.Errorf("authFirst=%v: GET %s = %d %q; want 401 from auth", authFirst, target, got.code, got.body)
			}
		}
		if got := raw(t, addr, "GET", "/readyz"); got.code != 200 {
			t.Errorf("authFirst=%v: GET /readyz = %d; want 200", authFirst, got.code)
		}
	}
}

// TestHEADOverTheWire checks what fasthttp does with HEAD: the probe's
// headers, Content-Length that of GET's body, and not one byte of body.
func TestHEADOverTheWire(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	addr := fibertest.Serve(t, quiet(newApp(h, fiber.Config{}, false)))
	for _, target := range []string{"/healthz", "/readyz", "/readyz?verbose", "/readyz/nosuch"} {
		get := raw(t, addr, "GET", target)
		head := raw(t, addr, "HEAD", target)
		if head.code != get.code || head.body != "" {
			t.Errorf("HEAD %s = %d with %d body bytes; want %d and none", target, head.code, len(head.body), get.code)
		}
		for _, k := range []string{"Content-Type", "Content-Length", "Cache-Control", "X-Content-Type-Options"} {
			if head.header.Get(k) != get.header.Get(k) || get.header.Get(k) == "" {
				t.Errorf("HEAD %s: %s = %q; want GET's %q", target, k, head.header.Get(k), get.header.Get(k))
			}
		}
		if cl := head.header.Get("Content-Length"); cl != fmt.Sprint(len(get.body)) {
			t.Errorf("HEAD %s: Content-Length %s; GET's body has %d bytes", target, cl, len(get.body))
		}
	}
}
