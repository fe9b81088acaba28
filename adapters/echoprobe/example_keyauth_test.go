package echoprobe_test

import (
	"crypto/subtle"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
)

// Echo's KeyAuth registered before the probes: it skips exactly the probes,
// and answers 401 (not its default 400) when the key is missing.
func ExampleSkipper_keyAuth() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	e := echo.New()
	e.Use(middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		Skipper: echoprobe.Skipper(h),
		Validator: func(key string, _ echo.Context) (bool, error) {
			return subtle.ConstantTimeCompare([]byte(key), []byte("secret-token")) == 1, nil
		},
		ErrorHandler: func(error, echo.Context) error {
			return echo.NewHTTPError(http.StatusUnauthorized, echo.Map{"error": "unauthorized"})
		},
	}))
	e.Use(echoprobe.Middleware(h)) // right after the auth that skips it

	get(e, "/readyz")
	get(e, "/api/whoami")
	get(e, "/healthz%2F..%2Fapi%2Fwhoami")
	// Output:
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 {"error":"unauthorized"}
	// /healthz%2F..%2Fapi%2Fwhoami 401 {"error":"unauthorized"}
}
