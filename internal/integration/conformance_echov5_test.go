package integration_test

import (
	"crypto/subtle"
	"net/http"
	"net/http/httptest"
	"testing"

	echo "github.com/labstack/echo/v5"
	echomw "github.com/labstack/echo/v5/middleware"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core"
)

// buildEchoV5 builds the Echo v5 app with the probe line registered as
// layout says: "pre" with e.Pre (before routing), "use" first with e.Use,
// "auth-first" with Echo v5's KeyAuth registered before the probes and
// skipping them with echov5probe.Skipper.
func buildEchoV5(layout string) func(*testing.T, *core.Health, *appDeps) func(*http.Request) *http.Response {
	return func(t *testing.T, h *core.Health, deps *appDeps) func(*http.Request) *http.Response {
		e := echo.New()
		switch layout {
		case "pre":
			e.Pre(echov5probe.Middleware(h))
			e.Use(echoV5RequireBearer, echoV5WithDB(deps))
		case "use":
			e.Use(echov5probe.Middleware(h))
			e.Use(echoV5RequireBearer, echoV5WithDB(deps))
		case "auth-first":
			e.Use(echomw.KeyAuthWithConfig(echomw.KeyAuthConfig{
				Skipper: echov5probe.Skipper(h),
				Validator: func(_ *echo.Context, key string, _ echomw.ExtractorSource) (bool, error) {
					return subtle.ConstantTimeCompare([]byte(key), []byte(apiToken)) == 1, nil
				},
				ErrorHandler: func(*echo.Context, error) error {
					return echo.NewHTTPError(http.StatusUnauthorized, "unauthorized")
				},
			}))
			e.Use(echov5probe.Middleware(h))
			e.Use(echoV5WithDB(deps))
		default:
			t.Fatalf("buildEchoV5: unknown layout %q", layout)
		}
		e.GET("/api/whoami", func(c *echo.Context) error {
			return c.JSONBlob(http.StatusOK, []byte(`{"user":"demo"}`))
		})
		return func(r *http.Request) *http.Response {
			w := httptest.NewRecorder()
			e.ServeHTTP(w, r)
			return w.Result()
		}
	}
}

// echoV5RequireBearer is the app's Bearer auth as Echo v5 middleware.
func echoV5RequireBearer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		if c.Request().Header.Get(echo.HeaderAuthorization) != "Bearer "+apiToken {
			return c.JSONBlob(http.StatusUnauthorized, []byte(`{"error":"unauthorized"}`))
		}
		return next(c)
	}
}

// echoV5WithDB is the app's DB-connect middleware: 500 while the database
// is down.
func echoV5WithDB(deps *appDeps) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if deps.dbDown.Load() {
				return c.JSONBlob(http.StatusInternalServerError, []byte(`{"error":"database unavailable"}`))
			}
			return next(c)
		}
	}
}
