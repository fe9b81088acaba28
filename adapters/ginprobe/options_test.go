package ginprobe_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/probekit/probekit/internal/testenv"

	"github.com/gin-gonic/gin"

	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// engineOptions are the Gin engine settings that change how a request path
// is routed.
type engineOptions struct {
	trailingSlash, fixedPath, extraSlash, rawPath, escapedPath, methodNotAllowed bool
}

// allEngineOptions returns every combination of engineOptions.
func allEngineOptions() []engineOptions {
	var out []engineOptions
	for bits := range 1 << 6 {
		on := func(i int) bool { return bits&(1<<i) != 0 }
		out = append(out, engineOptions{on(0), on(1), on(2), on(3), on(4), on(5)})
	}
	return out
}

func (o engineOptions) String() string {
	var s []string
	for _, f := range []struct {
		on   bool
		name string
	}{
		{o.trailingSlash, "RedirectTrailingSlash"}, {o.fixedPath, "RedirectFixedPath"}, {o.extraSlash, "RemoveExtraSlash"},
		{o.rawPath, "UseRawPath"}, {o.escapedPath, "UseEscapedPath"}, {o.methodNotAllowed, "HandleMethodNotAllowed"},
	} {
		if f.on {
			s = append(s, f.name)
		}
	}
	if s == nil {
		return "none"
	}
	return strings.Join(s, "+")
}

// optionsApp is the example-shaped app on an engine with options o: the
// probes, Bearer auth, then routes whose handlers count every request that
// reaches them. With authFirst, auth comes first and skips the probes with
// Skipper. With catchAll the app also has routes whose patterns match the
// probe paths (and the near misses) themselves.
type optionsApp struct {
	engine  *gin.Engine
	reached atomic.Int64 // requests that got past auth to a handler
}

func newOptionsApp(h *core.Health, o engineOptions, authFirst, catchAll bool) *optionsApp {
	a := &optionsApp{engine: gin.New()}
	e := a.engine
	e.RedirectTrailingSlash, e.RedirectFixedPath, e.RemoveExtraSlash = o.trailingSlash, o.fixedPath, o.extraSlash
	e.UseRawPath, e.UseEscapedPath, e.HandleMethodNotAllowed = o.rawPath, o.escapedPath, o.methodNotAllowed
	if authFirst {
		e.Use(bearerAuth(ginprobe.Skipper(h)), ginprobe.Middleware(h))
	} else {
		e.Use(ginprobe.Middleware(h), bearerAuth(nil))
	}
	handler := func(c *gin.Context) {
		a.reached.Add(1)
		c.Data(http.StatusOK, "application/json", []byte(`{"user":"demo"}`))
	}
	e.Match([]string{http.MethodGet, http.MethodPost}, "/api/whoami", handler)
	if catchAll {
		e.GET("/:page", handler)
		e.GET("/readyz/:name", handler)
		e.GET("/readyz/:name/*rest", handler)
		e.POST("/:page", handler)
	}
	return a
}

const (
	token            = "secret-token"
	unauthorizedBody = `{"error":"unauthorized"}`
)

// bearerAuth is Bearer-token auth in Gin's idiom; skip, when not nil,
// lets the requests it is true for through.
func bearerAuth(skip func(*gin.Context) bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if (skip == nil || !skip(c)) && c.GetHeader("Authorization") != "Bearer "+token {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "unauthorized"})
			return
		}
		c.Next()
	}
}

// hop is one request and its answer while following Gin's redirects.
type hop struct {
	method, target string
	w              *httptest.ResponseRecorder
}

// follow serves method target without a token and follows redirects as a
// client would (301 turns into GET), at most 5 of them.
func (a *optionsApp) follow(t *testing.T, method, target string) []hop {
	t.Helper()
	var hops []hop
	for range 6 {
		w := serve(a.engine, method, target)
		hops = append(hops, hop{method, target, w})
		if w.Code != http.StatusMovedPermanently && w.Code != http.StatusTemporaryRedirect && w.Code != http.StatusPermanentRedirect {
			return hops
		}
		base, err := url.Parse(target)
		if err != nil {
			t.Fatal(err)
		}
		loc, err := base.Parse(w.Header().Get("Location"))
		if err != nil {
			t.Fatalf("%s %s: Location %q: %v", method, target, w.Header().Get("Location"), err)
		}
		if w.Code == http.StatusMovedPermanently {
			method = http.MethodGet
		}
		target = loc.RequestURI()
	}
	t.Fatalf("%s: more than 5 redirects: %v", target, hops)
	return nil
}

// rawPath is the path of target as sent, still escaped.
func rawPath(target string) string {
	p, _, _ := strings.Cut(target, "?")
	return p
}

// TestEngineOptions runs path confusion against every combination of the
// engine options that rewrite or redirect paths, with the probes first and
// with auth first. No request without a token may reach a handler; a
// request whose raw path is not exactly a probe path is never answered by
// the probes; a probe path is always answered directly (never redirected);
// and with only the app's own routes, every near miss ends, after any
// redirects Gin makes, at the app's 401.
func TestEngineOptions(t *testing.T) {
	t.Parallel()
	h := testenv.NewHealth(t)
	probes := []struct{ method, target string }{
		{"GET", "/healthz"}, {"HEAD", "/healthz"}, {"GET", "/livez"}, {"GET", "/readyz"}, {"GET", "/readyz?verbose"},
		{"GET", "/readyz/nosuch"}, {"HEAD", "/readyz/nosuch"}, {"POST", "/readyz"}, {"GET", "/startupz"},
	}
	nearMisses := []string{
		"/healthz/", "/HEALTHZ", "/Readyz", "//healthz", "///readyz", "/./healthz", "/healthz/.",
		"/healthz/../api/whoami", "/readyz/../api/whoami", "/readyz/./../api/whoami", "/healthz//../api/whoami",
		"/healthz%2F..%2Fapi%2Fwhoami", "/readyz%2F..%2Fapi%2Fwhoami", "/healthz/%2E%2E/api/whoami", "/health%7A",
		"/healthzz", "/healthz;x=1", "/readyz/redis/", "/readyz/nosuch/", "/readyz/x/api", "/readyz//x", "/api/healthz",
		"/api/whoami", "/API/WHOAMI", "/api/whoami/", "//api/whoami",
	}
	for _, o := range allEngineOptions() {
		for _, authFirst := range []bool{false, true} {
			for _, catchAll := range []bool{false, true} {
				name := fmt.Sprintf("%v/authFirst=%v/catchAll=%v", o, authFirst, catchAll)
				a := newOptionsApp(h, o, authFirst, catchAll)
				for _, p := range probes {
					w := serve(a.engine, p.method, p.target)
					if !isProbeAnswer(w) {
						t.Errorf("%s: %s %s = %d %q; want a probe answer", name, p.method, p.target, w.Code, w.Body)
					}
				}
				for _, target := range nearMisses {
					for _, method := range []string{"GET", "POST"} {
						hops := a.follow(t, method, target)
						for _, hp := range hops {
							if isProbeAnswer(hp.w) && !probehttp.IsProbePath(h, rawPath(hp.target)) {
								t.Errorf("%s: %s %s answered by the probes (%d %q) (hops %s)", name, hp.method, hp.target, hp.w.Code, hp.w.Body, hopsString(hops))
							}
						}
						last := hops[len(hops)-1]
						switch {
						case last.w.Code == http.StatusUnauthorized && last.w.Body.String() == unauthorizedBody:
						case catchAll && isProbeAnswer(last.w) && probehttp.IsProbePath(h, rawPath(last.target)):
							// Gin redirected a near miss to a route pattern that
							// matches a probe path; the client asked for the probe.
						default:
							t.Errorf("%s: %s %s ends %d %q; want 401 %q (hops %s)", name, method, target, last.w.Code, last.w.Body, unauthorizedBody, hopsString(hops))
						}
					}
				}
				if n := a.reached.Load(); n != 0 {
					t.Errorf("%s: %d requests without a token reached a handler", name, n)
				}
			}
		}
	}
}

func hopsString(hops []hop) string {
	var s []string
	for _, hp := range hops {
		s = append(s, fmt.Sprintf("%s %s → %d %s", hp.method, hp.target, hp.w.Code, hp.w.Header().Get("Location")))
	}
	return strings.Join(s, ", ")
}
