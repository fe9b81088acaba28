package probekit_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
)

// A database outage takes the pod out of rotation (readiness 503) without
// getting it restarted (liveness 200), and the app's own routes keep their
// auth.
func Example() {
	db := core.CheckerFunc(func(ctx context.Context) error {
		return errors.New("dial tcp 10.0.0.5:5432: connection refused") // db.PingContext(ctx)
	})
	h, err := core.New(core.WithCheck("db", db), core.WithLogger(nil))
	if err != nil {
		panic(err)
	}
	defer h.Close()
	settled := make(chan struct{})
	stop := h.Listen(func(ev core.Event) {
		if ev.Check == "" && ev.Probe == core.Readiness {
			close(settled)
		}
	})
	_ = h.Start(context.Background())
	<-settled
	stop()

	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "unauthorized", http.StatusUnauthorized) // the app's auth
	})
	srv := httptest.NewServer(httpprobe.Wrap(h, app))
	defer srv.Close()

	for _, path := range []string{"/healthz", "/readyz/db?verbose", "/api/orders"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("GET %s → %d\n%s", path, resp.StatusCode, body)
	}
	// Output:
	// GET /healthz → 200
	// {"status":"ok"}
	// GET /readyz/db?verbose → 503
	// [-]db failed: reason withheld
	// db check failed
	// GET /api/orders → 401
	// unauthorized
}
