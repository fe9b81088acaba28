package echoprobe_test

import (
	"crypto/subtle"
	"net/http"
	"testing"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/core"
)

// The Skipper fits Echo's own type.
var _ func(*core.Health) middleware.Skipper = echoprobe.Skipper

func validToken(key string, _ echo.Context) (bool, error) {
	return subtle.ConstantTimeCompare([]byte(key), []byte(token)) == 1, nil
}

// keyAuth is Echo's KeyAuth as the app contract wants it: a Bearer token
// in the Authorization header, 401 {"error":"unauthorized"} when it is
// missing or wrong. skip is its Skipper: echoprobe.Skipper(h) when it is
// registered before the probes, nil (skip nothing) when after them.
func keyAuth(skip func(echo.Context) bool) echo.MiddlewareFunc {
	return middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{
		Skipper:   skip,
		Validator: validToken,
		// KeyAuth answers 400 for a missing key by default.
		ErrorHandler: func(error, echo.Context) error {
			return echo.NewHTTPError(http.StatusUnauthorized, echo.Map{"error": "unauthorized"})
		},
	})
}

// TestKeyAuthDefaults pins down what KeyAuth answers on its own, which is
// why the app configures its ErrorHandler: 400, not 401, for a missing key.
func TestKeyAuthDefaults(t *testing.T) {
	t.Parallel()
	e := newEcho()
	e.Use(middleware.KeyAuth(validToken))
	e.GET("/api/whoami", whoami)
	for _, tt := range []struct {
		header   string
		wantCode int
	}{
		{"", http.StatusBadRequest},
		{"Basic dXNlcjpwYXNz", http.StatusBadRequest},
		{"Bearer wrong", http.StatusUnauthorized},
		{"Bearer " + token, http.StatusOK},
	} {
		r := newRequest("GET", "/api/whoami", tt.header)
		if w := do(e, r); w.Code != tt.wantCode {
			t.Errorf("KeyAuth: GET /api/whoami with Authorization %q = %d; want %d", tt.header, w.Code, tt.wantCode)
		}
	}
}

// TestSkipperWithKeyAuth registers Echo's KeyAuth before the probes, with
// echoprobe.Skipper: probes pass without a key, everything else needs one,
// and requests that only look like probes get 401.
func TestSkipperWithKeyAuth(t *testing.T) {
	t.Parallel()
	for _, chain := range []string{"pre", "use"} {
		t.Run(chain, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			e := newEcho()
			if chain == "pre" {
				e.Pre(keyAuth(echoprobe.Skipper(h)), echoprobe.Middleware(h))
			} else {
				e.Use(keyAuth(echoprobe.Skipper(h)), echoprobe.Middleware(h))
			}
			e.GET("/api/whoami", whoami)
			tests := []struct {
				method, target, header string
				wantCode               int
				wantBody               string
			}{
				{"GET", "/healthz", "", 200, `{"status":"ok"}` + "\n"},
				{"HEAD", "/readyz", "", 200, ""},
				{"GET", "/readyz/nosuch", "", 404, `{"error":"unknown check"}` + "\n"},
				{"POST", "/readyz", "", 405, `{"error":"method not allowed"}` + "\n"},
				{"GET", "/api/whoami", "", 401, `{"error":"unauthorized"}` + "\n"},
				{"GET", "/api/whoami", "Bearer wrong", 401, `{"error":"unauthorized"}` + "\n"},
				{"GET", "/api/whoami", "Basic dXNlcjpwYXNz", 401, `{"error":"unauthorized"}` + "\n"},
				{"GET", "/api/whoami", "Bearer " + token, 200, `{"user":"demo"}`},
				{"GET", "/healthz/", "Bearer " + token, 404, ""},
			}
			for _, p := range confusing {
				tests = append(tests, struct {
					method, target, header string
					wantCode               int
					wantBody               string
				}{"GET", p, "", 401, `{"error":"unauthorized"}` + "\n"})
			}
			for _, tt := range tests {
				w := do(e, newRequest(tt.method, tt.target, tt.header))
				if w.Code != tt.wantCode || (tt.wantBody != "" || tt.method == "HEAD") && w.Body.String() != tt.wantBody {
					t.Errorf("%s %s (Authorization %q) = %d %q; want %d %q", tt.method, tt.target, tt.header, w.Code, w.Body, tt.wantCode, tt.wantBody)
				}
			}
		})
	}
}
