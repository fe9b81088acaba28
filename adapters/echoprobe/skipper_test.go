package echoprobe_test

import (
	"net/http/httptest"
	"testing"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/probekit/probekit/adapters/echoprobe"
)

// confusing are targets that look like probes and are not.
var confusing = testenv.ConfusingPaths

func TestIsProbe(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	e := newEcho()
	tests := map[string]bool{"/healthz": true, "/livez": true, "/readyz": true, "/readyz/db": true, "/startupz": true, "/api/whoami": false}
	for _, p := range confusing {
		tests[p] = false
	}
	skip := echoprobe.Skipper(h)
	for target, want := range tests {
		c := e.NewContext(httptest.NewRequest("GET", target, nil), httptest.NewRecorder())
		if got := echoprobe.IsProbe(h, c); got != want {
			t.Errorf("IsProbe(%s) = %v; want %v", target, got, want)
		}
		if got := skip(c); got != want {
			t.Errorf("Skipper(h)(%s) = %v; want %v", target, got, want)
		}
	}
}

// TestSkipperAuthFirst registers auth before the probes, in either chain,
// and checks that it lets exactly the probes through.
func TestSkipperAuthFirst(t *testing.T) {
	t.Parallel()
	for _, chain := range []string{"pre", "use"} {
		t.Run(chain, func(t *testing.T) {
			t.Parallel()
			h := testenv.NewHealth(t)
			e := newEcho()
			auth, probes := requireBearer(echoprobe.Skipper(h)), echoprobe.Middleware(h)
			if chain == "pre" {
				e.Pre(auth, probes)
			} else {
				e.Use(auth, probes)
			}
			e.GET("/api/whoami", whoami)
			for _, tt := range []struct {
				target   string
				auth     bool
				wantCode int
			}{
				{"/healthz", false, 200},
				{"/readyz", false, 200},
				{"/readyz/nosuch", false, 404},
				{"/api/whoami", false, 401},
				{"/api/whoami", true, 200},
				{"/healthz/", true, 404},
			} {
				if w := serve(e, "GET", tt.target, tt.auth); w.Code != tt.wantCode {
					t.Errorf("GET %s (token %v) = %d; want %d", tt.target, tt.auth, w.Code, tt.wantCode)
				}
			}
			for _, target := range confusing {
				if w := serve(e, "GET", target, false); w.Code != 401 {
					t.Errorf("GET %s = %d; want 401 from the app's auth", target, w.Code)
				}
			}
		})
	}
}
