package httpprobe_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
)

func ExampleWrap() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("/api/whoami", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "demo") })
	auth := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer secret-token" {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	// The one line: probes are answered before auth runs.
	srv := httptest.NewServer(httpprobe.Wrap(h, auth(mux)))
	defer srv.Close()

	for _, path := range []string{"/healthz", "/readyz", "/api/whoami", "/healthz/../api/whoami"} {
		resp, _ := http.Get(srv.URL + path)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s %d %s", path, resp.StatusCode, b)
	}
	// Output:
	// /healthz 200 {"status":"ok"}
	// /readyz 200 {"status":"ok"}
	// /api/whoami 401 unauthorized
	// /healthz/../api/whoami 401 unauthorized
}

func ExampleHandler() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()
	mux := http.NewServeMux()
	mux.Handle("/healthz", httpprobe.Handler(h))
	mux.Handle("/readyz", httpprobe.Handler(h))
	mux.Handle("/readyz/", httpprobe.Handler(h))

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
	fmt.Print(w.Code, " ", w.Body.String())
	// Output:
	// 200 {"status":"ok"}
}

// One probe at a path of the app's own, on a ServeMux method pattern.
func ExampleReadiness() {
	h := core.MustNew(core.WithLogger(nil))
	defer h.Close()
	mux := http.NewServeMux()
	mux.Handle("GET /internal/ready", httpprobe.Readiness(h)) // HEAD too

	get := func() {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", "/internal/ready", nil))
		fmt.Print(w.Code, " ", w.Body.String())
	}
	get()
	h.Drain()
	get()
	// Output:
	// 200 {"status":"ok"}
	// 503 {"status":"draining"}
}
