package probehttp_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// waitFor returns a channel closed when probe p's aggregate turns s.
func waitFor(h *core.Health, p core.Probe, s core.Status) <-chan struct{} {
	done := make(chan struct{})
	var stop func()
	stop = h.Listen(func(ev core.Event) {
		if ev.Check == "" && ev.Probe == p && ev.To == s {
			stop()
			close(done)
		}
	})
	return done
}

// A details endpoint on the app's public port, for people, behind the app's
// own auth: the kubelet keeps the terse /readyz, an operator with a token
// reads the error texts at /admin/readyz. Request.Details shows them
// whatever WithDetails says.
func ExampleRespondProbe() {
	h := core.MustNew(
		core.WithCheck("db", core.CheckerFunc(func(ctx context.Context) error {
			return errors.New("dial postgres://app:hunter2@db:5432: connection refused")
		}), core.FailureThreshold(1)),
		core.WithLogger(nil),
	)
	defer h.Close()
	failed := waitFor(h, core.Readiness, core.StatusUnhealthy)
	_ = h.Start(context.Background())
	<-failed

	requireToken := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer s3cret" {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/readyz", requireToken(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := probehttp.HTTPRequest(r)
		req.Details = true
		probehttp.RespondProbe(h, core.Readiness, req).WriteHTTP(w, r.Method)
	})))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	get := func(token string) {
		req, _ := http.NewRequest("GET", srv.URL+"/admin/readyz?verbose", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
		for _, line := range strings.SplitAfter(string(body), "\n") {
			if !strings.HasPrefix(line, "info:") {
				fmt.Print(line)
			}
		}
	}
	get("")
	get("s3cret")
	// Output:
	// 401
	// unauthorized
	// 503
	// [-]db failed: dial postgres://app:xxxxx@db:5432: connection refused
	// readiness check failed
}
