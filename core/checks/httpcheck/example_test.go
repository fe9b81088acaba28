package httpcheck_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/probekit/probekit/core/checks/httpcheck"
)

func ExampleNew() {
	// An upstream service's health endpoint; in an application, its URL.
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer upstream.Close()
	client := upstream.Client() // in an application: its own *http.Client

	// In an application: core.WithCheck("upstream", httpcheck.New(…)).
	c := httpcheck.New(upstream.URL+"/healthz", httpcheck.Client(client))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	fmt.Println(c.Check(ctx))

	c = httpcheck.New(upstream.URL+"/down", httpcheck.Client(client))
	err := c.Check(ctx)
	fmt.Println(errors.Is(err, httpcheck.ErrStatus))
	// The server's port changes from run to run.
	fmt.Println(strings.Replace(err.Error(), upstream.URL, "http://upstream", 1))
	// Output:
	// <nil>
	// true
	// httpcheck: GET http://upstream/down: status 503 (want 2xx)
}

func ExampleExpectBodyFunc() {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, `{"status":"degraded"}`)
	}))
	defer upstream.Close()

	// Pass only when the JSON body says "ok".
	c := httpcheck.New(upstream.URL, httpcheck.Client(upstream.Client()),
		httpcheck.ExpectBodyFunc(func(body []byte) error {
			var v struct {
				Status string `json:"status"`
			}
			if err := json.Unmarshal(body, &v); err != nil {
				return err
			}
			if v.Status != "ok" {
				return fmt.Errorf("status %q", v.Status)
			}
			return nil
		}))
	err := c.Check(context.Background())
	fmt.Println(errors.Is(err, httpcheck.ErrBody))
	fmt.Println(strings.Replace(err.Error(), upstream.URL, "http://upstream", 1))
	// Output:
	// true
	// httpcheck: GET http://upstream: body: status "degraded"
}

func ExampleFollowRedirects() {
	mux := http.NewServeMux()
	mux.Handle("/health", http.RedirectHandler("/login", http.StatusFound))
	mux.HandleFunc("/login", func(http.ResponseWriter, *http.Request) {})
	upstream := httptest.NewServer(mux)
	defer upstream.Close()

	// By default a redirect fails: it is judged itself, not followed.
	c := httpcheck.New(upstream.URL+"/health", httpcheck.Client(upstream.Client()))
	err := c.Check(context.Background())
	fmt.Println(strings.Replace(err.Error(), upstream.URL, "http://upstream", 1))

	// Followed, the login page answers 200.
	c = httpcheck.New(upstream.URL+"/health", httpcheck.Client(upstream.Client()), httpcheck.FollowRedirects())
	fmt.Println(c.Check(context.Background()))
	// Output:
	// httpcheck: GET http://upstream/health: status 302 (want 2xx), redirect to /login
	// <nil>
}

func ExampleChecker_Observations() {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	defer upstream.Close()

	c := httpcheck.New(upstream.URL, httpcheck.Client(upstream.Client()), httpcheck.ExpectStatus(http.StatusTeapot))
	fmt.Println(c.Check(context.Background()))
	for _, o := range c.Observations() {
		if o.Name == "response_time" {
			fmt.Println(o.Name, o.Unit) // its value varies
			continue
		}
		fmt.Println(o.Name, o.Value)
	}
	// Output:
	// <nil>
	// response_time ms
	// status_code 418
}
