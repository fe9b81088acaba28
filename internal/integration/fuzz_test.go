package integration_test

// FuzzProbePath: for any raw request-target, on every HTTP adapter, the
// probes answer only an exact probe path (judged by an oracle written
// here, not by core), the adapters' skippers agree with what the probes
// answered, and every other request reaches the app's auth unchanged.

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	fiber3 "github.com/gofiber/fiber/v3"
	"github.com/labstack/echo/v4"
	echo5 "github.com/labstack/echo/v5"
	"github.com/valyala/fasthttp"

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/testenv"
)

// fuzzMethods are the methods FuzzProbePath picks from; FOO is a token no
// framework knows.
var fuzzMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO"}

// oracleProbes is the fuzz Health's probe paths (defaults for liveness and
// startup, two custom readiness paths), each with the checks it counts,
// and whether each of them is failing. It is written out here, by hand,
// so that the fuzz test does not ask core which paths are probes.
var oracleProbes = map[string]map[string]bool{
	"/healthz":    {"loop": false},
	"/livez":      {"loop": false},
	"/readyz":     {"redis": false, "db": true, "cache": true},
	"/-/ready.v1": {"redis": false, "db": true, "cache": true},
	"/startupz":   {"migrations": false},
}

// fuzzHealth builds and starts the Health behind oracleProbes and waits
// for every check's first result.
func fuzzHealth(t testing.TB) *core.Health {
	t.Helper()
	pass := core.CheckerFunc(func(context.Context) error { return nil })
	fail := core.CheckerFunc(func(context.Context) error { return errors.New("connect postgres://app:hunter2@db:5432/app: refused") })
	h := testenv.NewHealth(t,
		core.WithCheckDefaults(core.Interval(time.Hour), core.FailureThreshold(1)),
		core.WithPaths(core.Readiness, "/readyz", "/-/ready.v1"),
		core.WithCheck("redis", pass),
		core.WithCheck("db", fail),
		core.WithCheck("cache", fail, core.Critical(false)),
		core.WithCheck("loop", pass, core.ForProbes(core.Liveness)),
		core.WithCheck("migrations", pass, core.ForProbes(core.Startup)),
	)
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 10*time.Second, func() error {
		for _, c := range h.Checks() {
			if c.Checked.IsZero() {
				return errors.New("check " + c.Name + " has no result yet")
			}
		}
		return nil
	})
	return h
}

// targetPath returns the path of a request-target by RFC 3986: the
// origin-form up to "?" or "#", or the path of an absolute-form after its
// authority. ok is false for anything else (authority-form, "*", garbage).
func targetPath(target string) (path string, ok bool) {
	rest := target
	if !strings.HasPrefix(target, "/") {
		i := strings.IndexByte(target, ':')
		if i < 1 {
			return "", false
		}
		for j, c := range []byte(target[:i]) {
			alpha := 'a' <= c|0x20 && c|0x20 <= 'z'
			if !alpha && (j == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
				return "", false
			}
		}
		rest = target[i+1:]
		if strings.HasPrefix(rest, "//") {
			rest = rest[2:]
			j := strings.IndexAny(rest, "/?#")
			if j < 0 {
				return "", true
			}
			rest = rest[j:]
		}
	}
	if j := strings.IndexAny(rest, "?#"); j >= 0 {
		rest = rest[:j]
	}
	return rest, true
}

// oracleAnswer is what the probes must answer for path: ok false for a
// path that is not a probe's; else the status codes allowed for a GET.
func oracleAnswer(path string) (codes []int, ok bool) {
	for p, checks := range oracleProbes {
		if path == p {
			return []int{200, 503}, true
		}
		name, found := strings.CutPrefix(path, p+"/")
		if !found || !testenv.CheckName(name) {
			continue
		}
		failing, known := checks[name]
		switch {
		case !known:
			return []int{404}, true
		case failing:
			return []int{503}, true
		default:
			return []int{200}, true
		}
	}
	return nil, false
}

// plainTarget reports whether target is an origin-form target every
// framework parses the same way: a path of unreserved characters and
// slashes, then optionally a query without a fragment.
func plainTarget(target string) bool {
	path, query, _ := strings.Cut(target, "?")
	if !strings.HasPrefix(path, "/") || strings.ContainsRune(query, '#') {
		return false
	}
	for _, c := range []byte(path) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("/._~-", c) >= 0) {
			return false
		}
	}
	for _, c := range []byte(query) {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// seen is what the app's fake auth middleware saw of a request.
type seen struct {
	method, target, path, rawPath, query, host string
}

// pathRecorder is shared by one fuzz run's apps: what the skipper said
// before the probes ran, and what auth saw after them.
type pathRecorder struct {
	skipRan, skip bool
	authRan       bool
	auth          seen
}

func (r *pathRecorder) reset() { *r = pathRecorder{} }

func (r *pathRecorder) skipper(v bool) { r.skipRan, r.skip = true, v }

func (r *pathRecorder) sawHTTP(req *http.Request) {
	r.authRan = true
	r.auth = seenHTTP(req)
}

func seenHTTP(req *http.Request) seen {
	return seen{req.Method, req.RequestURI, req.URL.Path, req.URL.RawPath, req.URL.RawQuery, req.Host}
}

// fuzzApps are the four adapters, each in front of a fake auth that
// records what it saw and a handler answering 299. The skipper of each is
// recorded before its probe middleware runs, as auth registered first
// would call it.
type fuzzApps struct {
	rec                   *pathRecorder
	nethttp, gin, ec, ec5 http.Handler
	fiber, fiber3         fasthttp.RequestHandler
}

const appStatus = 299

func newFuzzApps(h *core.Health) *fuzzApps {
	a := &fuzzApps{rec: &pathRecorder{}}
	rec := a.rec

	skipHTTP := httpprobe.Skipper(h)
	a.nethttp = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.skipper(skipHTTP(r))
		httpprobe.Wrap(h, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec.sawHTTP(r)
			w.WriteHeader(appStatus)
		})).ServeHTTP(w, r)
	})

	gin.SetMode(gin.TestMode)
	g := gin.New()
	skipGin := ginprobe.Skipper(h)
	g.Use(func(c *gin.Context) { rec.skipper(skipGin(c)) }, ginprobe.Middleware(h), func(c *gin.Context) {
		rec.sawHTTP(c.Request)
		c.AbortWithStatus(appStatus)
	})
	a.gin = g

	e := echo.New()
	skipEcho := echoprobe.Skipper(h)
	e.Pre(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error { rec.skipper(skipEcho(c)); return next(c) }
	}, echoprobe.Middleware(h))
	e.Use(func(echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			rec.sawHTTP(c.Request())
			return c.NoContent(appStatus)
		}
	})
	a.ec = e

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Server().NoDefaultDate = true
	skipFiber := fiberprobe.Skipper(h)
	app.Use(func(c *fiber.Ctx) error { rec.skipper(skipFiber(c)); return c.Next() }, fiberprobe.New(h), func(c *fiber.Ctx) error {
		req := c.Request()
		rec.authRan = true
		rec.auth = seen{method: string(req.Header.Method()), target: string(req.Header.RequestURI()),
			path: string(req.URI().PathOriginal()), query: string(req.URI().QueryString()), host: string(req.Header.Host())}
		return c.SendStatus(appStatus)
	})
	a.fiber = app.Handler()

	e5 := echo5.New()
	skipEcho5 := echov5probe.Skipper(h)
	e5.Pre(func(next echo5.HandlerFunc) echo5.HandlerFunc {
		return func(c *echo5.Context) error { rec.skipper(skipEcho5(c)); return next(c) }
	}, echov5probe.Middleware(h))
	e5.Use(func(echo5.HandlerFunc) echo5.HandlerFunc {
		return func(c *echo5.Context) error {
			rec.sawHTTP(c.Request())
			return c.NoContent(appStatus)
		}
	})
	a.ec5 = e5

	app3 := fiber3.New()
	app3.Server().NoDefaultDate = true
	skipFiber3 := fiberv3probe.Skipper(h)
	app3.Use(func(c fiber3.Ctx) error { rec.skipper(skipFiber3(c)); return c.Next() }, fiberv3probe.New(h), func(c fiber3.Ctx) error {
		req := c.Request()
		rec.authRan = true
		rec.auth = seen{method: string(req.Header.Method()), target: string(req.Header.RequestURI()),
			path: string(req.URI().PathOriginal()), query: string(req.URI().QueryString()), host: string(req.Header.Host())}
		return c.SendStatus(appStatus)
	})
	a.fiber3 = app3.Handler()
	return a
}

// isFiber reports whether the adapter called name runs on fasthttp.
func isFiber(name string) bool { return strings.HasPrefix(name, "fiber") }

// answer is one adapter's handling of one request.
type answer struct {
	code   int
	header http.Header
	body   string
}

func (a answer) probeHeaders() bool {
	return a.header.Get("Cache-Control") == probehttp.CacheControl && a.header.Get("X-Content-Type-Options") == probehttp.ContentTypeOptions
}

// checkPathCase asserts the properties for one adapter's run; before is
// the request as the framework's parser gave it.
func checkPathCase(t *testing.T, name, method, target string, rec *pathRecorder, before seen, got answer) {
	t.Helper()
	oracleTarget := target
	if method == http.MethodConnect && !isFiber(name) && !strings.HasPrefix(target, "/") {
		// net/http reads a CONNECT target that is not origin-form as
		// "http://" + target (so "CONNECT 0/readyz" has the path /readyz),
		// and so does every router behind it. Only 405 can come of it.
		oracleTarget = "http://" + target
	}
	path, isTarget := targetPath(oracleTarget)
	codes, isProbe := oracleAnswer(path)
	isProbe = isProbe && isTarget
	answered := !rec.authRan && got.probeHeaders()
	if answered && !isProbe && isFiber(name) {
		// fasthttp reads a target with "://" anywhere in it as absolute
		// form: "///readyz?://" has the path /readyz for it, for the
		// router as for the probes. Answering such a request is no bypass
		// as long as the path fasthttp gave the whole app is a probe's.
		if c, ok := oracleAnswer(before.path); ok && strings.Contains(target, "://") {
			codes, isProbe = c, true
		}
	}
	switch {
	case answered && !isProbe:
		t.Fatalf("%s: %s %q answered by the probes (%d %q), but its path %q is no probe path", name, method, target, got.code, got.body, path)
	case answered:
		want := codes
		if method != http.MethodGet && method != http.MethodHead {
			want = []int{405}
			if a := got.header.Get("Allow"); a != "GET, HEAD" {
				t.Fatalf("%s: %s %q = 405 with Allow %q; want \"GET, HEAD\"", name, method, target, a)
			}
		}
		if !containsInt(want, got.code) {
			t.Fatalf("%s: %s %q = %d; want one of %v", name, method, target, got.code, want)
		}
		if method == http.MethodHead && got.body != "" {
			t.Fatalf("%s: HEAD %q has body %q", name, target, got.body)
		}
	case rec.authRan:
		// Unchanged from what the framework parsed (before): fasthttp
		// itself turns a target of "?" into "/?", ahead of any middleware.
		if rec.auth != before {
			t.Fatalf("%s: %s %q reached auth as %+v; sent as %+v", name, method, target, rec.auth, before)
		}
		if got.code != appStatus {
			t.Fatalf("%s: %s %q passed auth but got %d, not the app's %d", name, method, target, got.code, appStatus)
		}
	case got.probeHeaders():
		t.Fatalf("%s: %s %q has the probes' headers but they did not answer", name, method, target)
	}
	// Otherwise the framework turned the request away itself, before any
	// middleware: neither the probes nor the app saw it.
	if rec.skipRan && rec.skip != answered {
		t.Fatalf("%s: %s %q: skipper says %v, but the probes answered = %v", name, method, target, rec.skip, answered)
	}
	if isProbe && plainTarget(target) && !answered && !(isFiber(name) && method == "FOO") {
		t.Fatalf("%s: %s %q is a probe path but went to the app (auth ran %v, %d)", name, method, target, rec.authRan, got.code)
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// pathSeeds are the tricky request-targets FuzzProbePath starts from.
var pathSeeds = []string{
	"/healthz", "/livez", "/readyz", "/startupz", "/-/ready.v1", "/readyz/db", "/readyz/redis", "/healthz/loop",
	"/readyz/nosuch", "/healthz/db", "/-/ready.v1/cache", "/readyz?verbose&exclude=db", "/readyz?x#y",
	"%2Freadyz", "/%72eadyz", "/readyz%2Fdb", "/%2e%2e/readyz", "/readyz/%2e%2e/admin", "//readyz", "///healthz",
	"/READYZ", "/Readyz", "/readyz/", "/readyz/.", "/readyz/..", "/./readyz", "/healthz%00", "/healthz\x00",
	"/healthz;x", "/readyz;/db", "/readyz/../admin", "/admin/../readyz", "/admin/..%2freadyz", `\readyz`, `/readyz\db`,
	"http://h/readyz", "HTTP://h/readyz?verbose", "https://u:p@h:1/readyz/db", "http://h", "http://h?/readyz",
	"http://h#/readyz", "://h/readyz", "foo:/readyz", "h:80", "*", "", "readyz", "/readyz#", "/readyz?",
	"/readyz/" + strings.Repeat("a", 63), "/readyz/" + strings.Repeat("a", 64), "/" + strings.Repeat("x", 8192),
	"/readyz/\xff", "/re\xffadyz", "/readyz/db\xc3", "/readyz/-db", "/readyz/.db", "/readyz/db.", "/readyz/d%62",
	"/-/ready.v1/", "/-/ready%2Ev1", "/-/./ready.v1", "/readyz/db/x", "/readyz\t", "/healthz%20", "/healthz ",
	"/api/healthz", "/healthzz", "/health", "/h", "/",
}

func FuzzProbePath(f *testing.F) {
	for i, s := range pathSeeds {
		f.Add(s, uint8(i%len(fuzzMethods)))
		f.Add(s, uint8(0))
	}
	h := fuzzHealth(f)
	apps := newFuzzApps(h)
	f.Fuzz(func(t *testing.T, target string, m uint8) {
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		raw := method + " " + target + " HTTP/1.1\r\nHost: h\r\n\r\n"

		// net/http, Gin and Echo: the request as net/http's server parses it.
		if r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw))); err == nil {
			for _, ad := range []struct {
				name string
				h    http.Handler
			}{{"nethttp", apps.nethttp}, {"gin", apps.gin}, {"echo", apps.ec}, {"echov5", apps.ec5}} {
				r, _ := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
				before := seenHTTP(r)
				apps.rec.reset()
				w := httptest.NewRecorder()
				ad.h.ServeHTTP(w, r)
				checkPathCase(t, ad.name, method, target, apps.rec, before, answer{w.Code, w.Header(), w.Body.String()})
			}
			if got, want := httpprobe.IsProbe(h, r), isOracleProbe(target); got && !want && method != http.MethodConnect {
				t.Fatalf("httpprobe.IsProbe(%s %q) = true; the oracle says no probe", method, target)
			}
		}

		// Fiber v2 and v3: the request as fasthttp's server parses it.
		for _, ad := range []struct {
			name string
			h    fasthttp.RequestHandler
		}{{"fiber", apps.fiber}, {"fiberv3", apps.fiber3}} {
			// Read into the context's own request, as fasthttp's server
			// does: a request copied in with Init would have its URI
			// parsed a second time, which no server does.
			var ctx fasthttp.RequestCtx
			ctx.Init(&fasthttp.Request{}, nil, nil)
			req := &ctx.Request
			if err := req.Read(bufio.NewReader(strings.NewReader(raw))); err != nil {
				break
			}
			before := seen{method: string(req.Header.Method()), target: string(req.Header.RequestURI()),
				path: string(req.URI().PathOriginal()), query: string(req.URI().QueryString()), host: string(req.Header.Host())}
			apps.rec.reset()
			ad.h(&ctx)
			resp := &ctx.Response
			hdr := http.Header{}
			for k, v := range resp.Header.All() {
				hdr.Add(string(k), string(v))
			}
			body := string(resp.Body())
			if method == http.MethodHead {
				body = "" // fasthttp leaves it out on the wire
			}
			checkPathCase(t, ad.name, method, target, apps.rec, before, answer{resp.StatusCode(), hdr, body})
		}
	})
}

// isOracleProbe reports whether the oracle takes target for a probe.
func isOracleProbe(target string) bool {
	path, ok := targetPath(target)
	_, probe := oracleAnswer(path)
	return ok && probe
}
