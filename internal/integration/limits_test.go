package integration_test

// Methods and limits: every method but GET and HEAD is 405 on
// every probe path of every adapter, and over real loopback servers an
// oversized header block or a body the client never finishes sending gets
// the framework's own answer (or the probe's, without the body being
// read), after which the server still serves.

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
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

	"github.com/probekit/probekit/adapters/echoprobe"
	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/adapters/fiberv3probe"
	"github.com/probekit/probekit/adapters/ginprobe"
	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/fibertest"
)

// TestProbeMethods extends the conformance table's three 405 cases to every
// method on every probe path (aggregate, alias, check subpath, unknown
// check), on every adapter and layout.
func TestProbeMethods(t *testing.T) {
	t.Parallel()
	methods := []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO"}
	paths := []string{"/healthz", "/livez", "/readyz", "/startupz", "/readyz/db", "/healthz/loop", "/readyz/nosuch"}
	for _, a := range adapters {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			deps := &appDeps{}
			serve := a.build(t, fixture(t, healthy, deps), deps)
			for _, m := range methods {
				for _, p := range paths {
					resp := serve(httptest.NewRequest(m, p, nil))
					b, _ := io.ReadAll(resp.Body)
					_ = resp.Body.Close()
					if m == "FOO" && strings.HasPrefix(a.name, "fiber") {
						// Fiber turns away a method it does not know
						// before any middleware runs: neither the probes
						// nor the app see it. v2 answers 400, v3 501.
						wantCode, wantBody := http.StatusBadRequest, "Invalid http method"
						if strings.HasPrefix(a.name, "fiberv3") {
							wantCode, wantBody = http.StatusNotImplemented, "Not Implemented"
						}
						if resp.StatusCode != wantCode || string(b) != wantBody {
							t.Errorf("%s %s = %d %q; want Fiber's own %d %q", m, p, resp.StatusCode, b, wantCode, wantBody)
						}
						continue
					}
					if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
						t.Errorf("%s %s = %d, Allow %q; want 405, Allow \"GET, HEAD\" (body %q)", m, p, resp.StatusCode, resp.Header.Get("Allow"), b)
					}
					if string(b) != `{"error":"method not allowed"}`+"\n" {
						t.Errorf("%s %s body %q; want the probes' 405 body", m, p, b)
					}
				}
			}
		})
	}
}

// loopbackServer is one adapter served by its framework's real server on
// 127.0.0.1, with the probes first and Bearer auth after them.
type loopbackServer struct {
	name  string
	start func(t *testing.T, h *core.Health) (addr string)
	// bodyWait: the framework reads a request's whole body before any
	// handler runs (fasthttp, up to MaxRequestBodySize, 4 MiB by default),
	// so a probe with an unfinished body under that size is answered only
	// once the body has arrived. Kubernetes sends probes without a body.
	bodyWait bool
}

var loopbackServers = []loopbackServer{
	{name: "nethttp", start: func(t *testing.T, h *core.Health) string {
		return serveNetHTTP(t, httpprobe.Wrap(h, requireBearer(nil, http.NotFoundHandler())))
	}},
	{name: "gin", start: func(t *testing.T, h *core.Health) string {
		gin.SetMode(gin.TestMode)
		r := gin.New()
		r.Use(ginprobe.Middleware(h), ginRequireBearer(nil))
		return serveNetHTTP(t, r)
	}},
	{name: "echo", start: func(t *testing.T, h *core.Health) string {
		e := echo.New()
		e.HideBanner, e.HidePort = true, true
		e.Pre(echoprobe.Middleware(h))
		e.Use(echoRequireBearer(nil))
		return serveNetHTTP(t, e)
	}},
	{name: "fiber", bodyWait: true, start: func(t *testing.T, h *core.Health) string {
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		app.Use(fiberprobe.New(h), fiberAuth(nil))
		return fibertest.Serve(t, quiet(app))
	}},
	{name: "echov5", start: func(t *testing.T, h *core.Health) string {
		e := echo5.New()
		e.Pre(echov5probe.Middleware(h))
		e.Use(echoV5RequireBearer)
		return serveNetHTTP(t, e)
	}},
	{name: "fiberv3", bodyWait: true, start: func(t *testing.T, h *core.Health) string {
		app := fiber3.New()
		app.Use(fiberv3probe.New(h), fiberV3Auth(nil))
		app.Server().NoDefaultDate = true
		app.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
		return fibertest.Serve(t, fiberV3Listener{app})
	}},
}

// fiberV3Listener is a Fiber v3 app as fibertest takes it: v3's Listener
// also takes a ListenConfig, here with the startup banner off.
type fiberV3Listener struct{ *fiber3.App }

func (l fiberV3Listener) Listener(ln net.Listener) error {
	return l.App.Listener(ln, fiber3.ListenConfig{DisableStartupMessage: true})
}

// serveNetHTTP serves handler with net/http's server on loopback, with its
// default limits, until the test ends.
func serveNetHTTP(t *testing.T, handler http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: time.Minute}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		// Shutdown, not Close: it also waits for connections the server
		// is closing itself (after a 431, say) to be done.
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// exchange writes head and then calls more (if set) to keep writing, on
// a goroutine, while it reads one response from a fresh connection to
// addr. It returns the response (with its body read) or the read error
// (the server closed or reset the connection). The deadline only keeps a
// broken server from hanging the test; it is not asserted on.
func exchange(t *testing.T, addr, head string, more func(io.Writer) error) (*http.Response, string, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		if _, err := io.WriteString(conn, head); err != nil || more == nil {
			return
		}
		_ = more(conn)
	}()
	defer func() { _ = conn.Close(); <-wrote }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, "", err
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil && !isClosed(err) {
		return nil, "", err
	}
	return resp, string(b), nil
}

func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "connection reset")
}

// assertStillServing fails t unless addr answers a plain GET /readyz with
// the probe's 200.
func assertStillServing(t *testing.T, addr string) {
	t.Helper()
	resp, body, err := exchange(t, addr, "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", nil)
	if err != nil {
		t.Fatalf("GET /readyz afterwards: %v; want the server still serving", err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != probehttp.CacheControl || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("GET /readyz afterwards = %d %q; want the probe's 200", resp.StatusCode, body)
	}
}

// TestOversizedHeaders sends 2 MiB of header: the framework's server turns
// it away (431 or another 4xx, or closes the connection) before the
// probes or the app see it, and goes on serving.
func TestOversizedHeaders(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("a", 2<<20)
	for _, s := range loopbackServers {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			addr := s.start(t, fixture(t, healthy, &appDeps{}))
			for _, path := range []string{"/readyz", "/api/whoami"} {
				resp, body, err := exchange(t, addr, "GET "+path+" HTTP/1.1\r\nHost: x\r\n", func(w io.Writer) error {
					_, err := io.WriteString(w, "X-Big: "+big+"\r\n\r\n")
					return err
				})
				switch {
				case err != nil:
					t.Logf("GET %s with 2 MiB of header: connection closed (%v)", path, err)
				case resp.StatusCode < 400 || resp.StatusCode >= 500:
					t.Errorf("GET %s with 2 MiB of header = %d %q; want the server's 4xx", path, resp.StatusCode, body)
				default:
					t.Logf("GET %s with 2 MiB of header = %d", path, resp.StatusCode)
				}
				assertStillServing(t, addr)
			}
		})
	}
}

// TestProbeIgnoresBody sends GET probes whose body never arrives: the
// answer must come while the client is still owing the body, so the probes
// (or the framework's own limit) never wait for or read it; afterwards the
// server still serves.
func TestProbeIgnoresBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		head   string
		reject bool // fasthttp: the declared size is over its body limit
	}{
		{name: "Content-Length 1 GiB", head: "Content-Length: 1073741824\r\n\r\nabc"},
		{name: "Content-Length 1 KiB, 3 bytes sent", head: "Content-Length: 1024\r\n\r\nabc"},
		{name: "endless chunked", head: "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"},
	}
	for _, s := range loopbackServers {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			addr := s.start(t, fixture(t, healthy, &appDeps{}))
			for _, tt := range tests {
				if s.bodyWait && tt.name != "Content-Length 1 GiB" {
					continue // fasthttp waits for a body under its limit; see loopbackServer.bodyWait
				}
				resp, body, err := exchange(t, addr, "GET /readyz HTTP/1.1\r\nHost: x\r\n"+tt.head, nil)
				if err != nil {
					t.Fatalf("%s: %v; want an answer before the body is sent", tt.name, err)
				}
				probe := resp.StatusCode == http.StatusOK && strings.Contains(body, `"status":"ok"`)
				if s.bodyWait {
					// fasthttp checks Content-Length against its 4 MiB
					// MaxRequestBodySize before reading: 413, body unread.
					if resp.StatusCode != http.StatusRequestEntityTooLarge {
						t.Errorf("%s: %d %q; want fasthttp's 413", tt.name, resp.StatusCode, body)
					}
				} else if !probe {
					t.Errorf("%s: %d %q; want the probe's 200", tt.name, resp.StatusCode, body)
				}
				assertStillServing(t, addr)
			}
		})
	}
}
