package echov5probe_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/internal/testenv"
)

func TestIsProbe(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	e := newEcho()
	tests := map[string]bool{"/healthz": true, "/livez": true, "/readyz": true, "/readyz/db": true, "/startupz": true, "/api/whoami": false}
	for _, p := range confusing {
		tests[p] = false
	}
	skip := echov5probe.Skipper(h)
	for target, want := range tests {
		c := e.NewContext(httptest.NewRequest("GET", target, nil), httptest.NewRecorder())
		if got := echov5probe.IsProbe(h, c); got != want {
			t.Errorf("IsProbe(%s) = %v; want %v", target, got, want)
		}
		if got := skip(c); got != want {
			t.Errorf("Skipper(h)(%s) = %v; want %v", target, got, want)
		}
	}
}

// TestKeyAuthDefaults pins down what Echo v5's KeyAuth answers on its own,
// which the app's auth in these tests relies on: 401 for a missing, foreign
// or wrong key (Echo v4 answered 400 for a missing one).
func TestKeyAuthDefaults(t *testing.T) {
	t.Parallel()
	e := newEcho()
	e.Use(middleware.KeyAuth(validKey))
	e.GET("/api/whoami", whoami)
	tests := []struct {
		header   string
		wantCode int
		wantBody string
	}{
		{"", 401, missingKey},
		{"Basic dXNlcjpwYXNz", 401, missingKey},
		{"Bearer wrong", 401, invalidKey},
		{"Bearer " + token, 200, `{"user":"demo"}`},
	}
	for _, tt := range tests {
		if w := do(e, newRequest("GET", "/api/whoami", tt.header)); w.Code != tt.wantCode || w.Body.String() != tt.wantBody {
			t.Errorf("KeyAuth: GET /api/whoami with Authorization %q = %d %q; want %d %q", tt.header, w.Code, w.Body, tt.wantCode, tt.wantBody)
		}
	}
}

// TestSkipperWithKeyAuth registers Echo's KeyAuth before the probes, with
// echov5probe.Skipper, in either chain: probes pass without a key,
// everything else needs one, and requests that only look like probes get
// 401.
func TestSkipperWithKeyAuth(t *testing.T) {
	t.Parallel()
	type request struct {
		method, target, header string
		wantCode               int
		wantBody               string
	}
	tests := []request{
		{"GET", "/healthz", "", 200, `{"status":"ok"}` + "\n"},
		{"HEAD", "/readyz", "", 200, ""},
		{"GET", "/readyz/nosuch", "", 404, unknownCheck},
		{"POST", "/readyz", "", 405, methodNotAllowed},
		{"GET", "/api/whoami", "", 401, missingKey},
		{"GET", "/api/whoami", "Bearer wrong", 401, invalidKey},
		{"GET", "/api/whoami", "Basic dXNlcjpwYXNz", 401, missingKey},
		{"GET", "/api/whoami", "Bearer " + token, 200, `{"user":"demo"}`},
		{"GET", "/healthz/", "Bearer " + token, 404, ""},
	}
	for _, p := range confusing {
		tests = append(tests, request{"GET", p, "", 401, missingKey})
	}
	for _, chain := range []string{"pre", "use"} {
		t.Run(chain, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			e := newEcho()
			if chain == "pre" {
				e.Pre(keyAuth(echov5probe.Skipper(h)), echov5probe.Middleware(h))
			} else {
				e.Use(keyAuth(echov5probe.Skipper(h)), echov5probe.Middleware(h))
			}
			e.GET("/api/whoami", whoami)
			for _, tt := range tests {
				w := do(e, newRequest(tt.method, tt.target, tt.header))
				if w.Code != tt.wantCode || (tt.wantBody != "" || tt.method == "HEAD") && w.Body.String() != tt.wantBody {
					t.Errorf("%s %s (Authorization %q) = %d %q; want %d %q", tt.method, tt.target, tt.header, w.Code, w.Body, tt.wantCode, tt.wantBody)
				}
			}
		})
	}
}

// TestSkipperWithBasicAuth gives the Skipper to Echo's BasicAuth, whose
// config takes the same middleware.Skipper.
func TestSkipperWithBasicAuth(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	e := newEcho()
	e.Use(middleware.BasicAuthWithConfig(middleware.BasicAuthConfig{
		Skipper: echov5probe.Skipper(h),
		Validator: func(_ *echo.Context, user, password string) (bool, error) {
			return user == "demo" && password == token, nil
		},
	}))
	e.Use(echov5probe.Middleware(h))
	e.GET("/api/whoami", whoami)
	for target, want := range map[string]int{"/readyz": 200, "/healthz": 200, "/api/whoami": 401, "/healthz/": 401, "/health%7A": 401} {
		if w := serve(e, http.MethodGet, target, false); w.Code != want {
			t.Errorf("GET %s = %d; want %d", target, w.Code, want)
		}
	}
}
