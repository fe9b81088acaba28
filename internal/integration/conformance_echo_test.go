package integration_test

import (
	"crypto/subtle"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
)

// buildEcho builds the Echo app with the probe line registered as layout
// says: "pre" with e.Pre (before routing), "use" first with e.Use (after
// routing: probe paths have no route), "auth-first" with auth registered
// before the probes (Echo's own KeyAuth) and skipping them with
// echoprobe.Skipper.
func buildEcho(layout string) func(*testing.T, *core.Health, *appDeps) func(*http.Request) *http.Response {
	return func(t *testing.T, h *core.Health, deps *appDeps) func(*http.Request) *http.Response {
		e := echo.New()
		e.HideBanner, e.HidePort = true, true
		switch layout {
		case "pre":
			e.Pre(echoprobe.Middleware(h))
			e.Use(echoRequireBearer(nil), echoWithDB(deps))
		case "use":
			e.Use(echoprobe.Middleware(h))
			e.Use(echoRequireBearer(nil), echoWithDB(deps))
		case "auth-first":
			e.Use(echoKeyAuth(echoprobe.Skipper(h)))
			e.Use(echoprobe.Middleware(h))
			e.Use(echoWithDB(deps))
		default:
			t.Fatalf("buildEcho: unknown layout %q", layout)
		}
		e.GET("/api/whoami", func(c echo.Context) error {
			return c.JSONBlob(http.StatusOK, []byte(`{"user":"demo"}`))
		})
		return func(r *http.Request) *http.Response {
			w := httptest.NewRecorder()
			e.ServeHTTP(w, r)
			return w.Result()
		}
	}
}

// echoRequireBearer is the app's Bearer auth as Echo middleware; skip, when
// set, lets the requests it names through.
func echoRequireBearer(skip func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if (skip == nil || !skip(c)) && c.Request().Header.Get(echo.HeaderAuthorization) != "Bearer "+apiToken {
				return c.JSONBlob(http.StatusUnauthorized, []byte(`{"error":"unauthorized"}`))
			}
			return next(c)
		}
	}
}

// echoKeyAuth is Echo's KeyAuth configured as the app's Bearer auth: a
// missing or wrong key is 401 (KeyAuth's own default for a missing key is
// 400).
func echoKeyAuth(skip middleware.Skipper) echo.MiddlewareFunc {
	return middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		Skipper:    skip,
		KeyLookup:  "header:" + echo.HeaderAuthorization,
		AuthScheme: "Bearer",
		Validator: func(key string, c echo.Context) (bool, error) {
			return subtle.ConstantTimeCompare([]byte(key), []byte(apiToken)) == 1, nil
		},
		ErrorHandler: func(error, echo.Context) error {
			return echo.NewHTTPError(http.StatusUnauthorized, "unauthorized")
		},
	})
}

// echoWithDB is the app's DB-connect middleware: 500 while the database is
// down.
func echoWithDB(deps *appDeps) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if deps.dbDown.Load() {
				return c.JSONBlob(http.StatusInternalServerError, []byte(`{"error":"database unavailable"}`))
			}
			return next(c)
		}
	}
}
