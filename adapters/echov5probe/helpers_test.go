package echov5probe_test

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/testenv"
)

const token = "secret-token"

// The app's auth answers, as Echo v5's KeyAuth writes them.
const (
	missingKey = `{"message":"missing key"}` + "\n"
	invalidKey = `{"message":"Unauthorized"}` + "\n"
)

// newEcho returns a real engine that logs nothing.
func newEcho() *echo.Echo {
	return echo.NewWithConfig(echo.Config{Logger: slog.New(slog.DiscardHandler)})
}

// serve runs one request through e, with the Bearer token when auth is set.
func serve(e *echo.Echo, method, target string, auth bool) *httptest.ResponseRecorder {
	authorization := ""
	if auth {
		authorization = "Bearer " + token
	}
	return do(e, newRequest(method, target, authorization))
}

func newRequest(method, target, authorization string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	if authorization != "" {
		r.Header.Set(echo.HeaderAuthorization, authorization)
	}
	return r
}

func do(e *echo.Echo, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}

func validKey(_ *echo.Context, key string, _ middleware.ExtractorSource) (bool, error) {
	return subtle.ConstantTimeCompare([]byte(key), []byte(token)) == 1, nil
}

// keyAuth is the app's auth: Echo's KeyAuth with its defaults (a Bearer
// token in the Authorization header, 401 when it is missing or wrong).
// skip is its Skipper: echov5probe.Skipper(h) when it is registered before
// the probes, nil (skip nothing) when after them.
func keyAuth(skip middleware.Skipper) echo.MiddlewareFunc {
	return middleware.KeyAuthWithConfig(middleware.KeyAuthConfig{Skipper: skip, Validator: validKey})
}

// recorder is an e.Use middleware standing in for the app's middleware
// chain: it records every request that reaches it, as it reaches it.
type recorder struct{ got []string }

func (rec *recorder) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		rec.got = append(rec.got, c.Request().Method+" "+c.Request().RequestURI)
		return next(c)
	}
}

func whoami(c *echo.Context) error {
	return c.JSONBlob(http.StatusOK, []byte(`{"user":"demo"}`))
}

// isProbeAnswer reports whether w carries the headers every probe answer
// has.
func isProbeAnswer(w *httptest.ResponseRecorder) bool {
	return w.Header().Get("Cache-Control") == probehttp.CacheControl && w.Header().Get("X-Content-Type-Options") == probehttp.ContentTypeOptions
}

// state names a Health fixture.
type state string

const (
	healthy   state = "healthy"
	unhealthy state = "unhealthy" // db (critical) failing
	degraded  state = "degraded"  // cache (non-critical) failing
	starting  state = "starting"  // db has no first result yet
	draining  state = "draining"  // healthy, then Drain
)

// fixture returns a started Health in state s, with checks redis, db and
// cache (not critical) for readiness and loop for liveness, once every
// check that should have a result has one.
func fixture(t *testing.T, s state) *core.Health {
	t.Helper()
	pass := core.CheckerFunc(func(context.Context) error { return nil })
	fail := func(msg string) core.Checker {
		return core.CheckerFunc(func(context.Context) error { return errors.New(msg) })
	}
	release := make(chan struct{})
	blocked := core.CheckerFunc(func(ctx context.Context) error {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil
	})
	db, cache := core.Checker(pass), core.Checker(pass)
	switch s {
	case unhealthy:
		db = fail("connect postgres://app:hunter2@db.internal:5432/app: connection refused")
	case degraded:
		cache = fail("dial tcp 10.0.0.7:11211: i/o timeout")
	case starting:
		db = blocked
	}
	h := testenv.NewHealth(t,
		core.WithCheckDefaults(core.Interval(time.Hour), core.Timeout(time.Hour), core.FailureThreshold(1)),
		core.WithCheck("redis", pass),
		core.WithCheck("db", db),
		core.WithCheck("cache", cache, core.Critical(false)),
		core.WithCheck("loop", pass, core.ForProbes(core.Liveness)),
	)
	t.Cleanup(func() { close(release) }) // before h.Close, which waits for the blocked check
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 10*time.Second, func() error {
		for _, c := range h.Checks() {
			if c.Checked.IsZero() && !(s == starting && c.Name == "db") {
				return fmt.Errorf("check %s has no result yet", c.Name)
			}
		}
		return nil
	})
	if s == draining {
		h.Drain()
	}
	return h
}
