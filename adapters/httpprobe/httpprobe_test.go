package httpprobe_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// app is a stand-in for an app's handler chain: it records what reached it.
type app struct{ got []string }

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.got = append(a.got, r.Method+" "+r.RequestURI)
	w.WriteHeader(http.StatusTeapot)
}

func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, target, nil))
	return w
}

func TestWrap(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	a := &app{}
	wrapped := httpprobe.Wrap(h, a)
	tests := []struct {
		method, target string
		wantCode       int
		wantApp        bool
	}{
		{"GET", "/healthz", 200, false},
		{"HEAD", "/healthz", 200, false},
		{"GET", "/readyz", 200, false},
		{"POST", "/readyz", 405, false},
		{"GET", "/readyz/nosuch", 404, false},
		{"GET", "/api/users", 418, true},
		{"GET", "/healthz/", 418, true},
		{"GET", "/HEALTHZ", 418, true},
		{"GET", "//healthz", 418, true},
		{"GET", "/healthz/../api/x", 418, true},
		{"GET", "/healthz%2F..%2Fapi", 418, true},
		{"GET", "/healthzz", 418, true},
	}
	for _, tt := range tests {
		before := len(a.got)
		w := serve(wrapped, tt.method, tt.target)
		if w.Code != tt.wantCode {
			t.Errorf("%s %s = %d; want %d", tt.method, tt.target, w.Code, tt.wantCode)
		}
		reached := len(a.got) > before
		if reached != tt.wantApp {
			t.Errorf("%s %s reached the app: %v; want %v", tt.method, tt.target, reached, tt.wantApp)
		}
		if reached && a.got[len(a.got)-1] != tt.method+" "+tt.target {
			t.Errorf("the app got %q; want the request unchanged (%s %s)", a.got[len(a.got)-1], tt.method, tt.target)
		}
		if got := httpprobe.IsProbe(h, httptest.NewRequest(tt.method, tt.target, nil)); got == tt.wantApp {
			t.Errorf("IsProbe(%s) = %v; want %v", tt.target, got, !tt.wantApp)
		}
	}
}

func TestMiddlewareAndHandler(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	a := &app{}
	if w := serve(httpprobe.Middleware(h)(a), "GET", "/readyz"); w.Code != 200 {
		t.Errorf("Middleware: GET /readyz = %d; want 200", w.Code)
	}
	mux := http.NewServeMux()
	mux.Handle("/healthz", httpprobe.Handler(h))
	mux.Handle("/readyz/", httpprobe.Handler(h))
	mux.Handle("GET /internal/ready", httpprobe.Readiness(h))
	mux.Handle("GET /internal/alive", httpprobe.Liveness(h))
	mux.Handle("GET /internal/started", httpprobe.Startup(h))
	for target, want := range map[string]int{
		"/healthz": 200, "/readyz/nosuch": 404, "/readyz/x/y": 404,
		"/internal/ready": 200, "/internal/alive": 200, "/internal/started": 200,
	} {
		if w := serve(mux, "GET", target); w.Code != want {
			t.Errorf("mux: GET %s = %d; want %d", target, w.Code, want)
		}
	}
	if w := serve(httpprobe.Handler(h), "GET", "/x"); w.Code != 404 || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Handler: GET /x = %d %q; want a 404 that is not cached", w.Code, w.Header().Get("Cache-Control"))
	}
}

func TestSkipperWithAuthFirst(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	skip := httpprobe.Skipper(h)
	// Auth registered first, as some apps must: it skips exactly the probes.
	auth := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !skip(r) && r.Header.Get("Authorization") != "Bearer t" {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	handler := auth(httpprobe.Wrap(h, &app{}))
	for target, want := range map[string]int{
		"/healthz": 200, "/readyz": 200, "/api/x": 401, "/healthz/../api/x": 401, "/readyz%2F..%2Fapi": 401, "/HEALTHZ": 401,
	} {
		if w := serve(handler, "GET", target); w.Code != want {
			t.Errorf("GET %s = %d; want %d", target, w.Code, want)
		}
	}
}

func TestOverRealServer(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t, core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return errors.New("down") })))
	ready := make(chan struct{})
	stop := h.Listen(func(ev core.Event) {
		if ev.Check == "db" {
			close(ready)
		}
	})
	defer stop()
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-ready
	srv := httptest.NewServer(httpprobe.Wrap(h, &app{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/readyz?verbose")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || testenv.StripInfo(string(b)) != "[-]db failed: reason withheld\nreadiness check failed\n" {
		t.Errorf("GET /readyz?verbose = %d %q", resp.StatusCode, b)
	}
}
