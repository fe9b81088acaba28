package core_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
)

// getURL fetches url and returns its status and body.
func getURL(t *testing.T, url string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitReady starts h and waits until its checks have a first result.
func waitReady(t *testing.T, h *core.Health) {
	t.Helper()
	settled := make(chan struct{})
	stop := h.Listen(func(ev core.Event) {
		if ev.Check == "" && ev.Probe == core.Readiness && ev.From == core.StatusStarting {
			close(settled)
		}
	})
	defer stop()
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-settled:
	case <-time.After(10 * time.Second):
		t.Fatal("readiness did not settle within 10s")
	}
}

func TestProbeServer(t *testing.T) {
	t.Parallel()
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "probekit_up 1\n") })
	h := mustNew(t,
		core.WithCheck("db", core.CheckerFunc(func(context.Context) error {
			return errors.New("dial postgres://app:hunter2@db:5432: refused")
		})),
		core.WithProbeServer("127.0.0.1:0"),
		core.WithLogger(nil))
	if err := h.HandleOnProbeServer("/metrics", metrics); err != nil {
		t.Fatal(err)
	}
	if got := h.ProbeServerAddr(); got != "" {
		t.Errorf("ProbeServerAddr() before Start = %q; want \"\"", got)
	}
	waitReady(t, h)
	base := "http://" + h.ProbeServerAddr()
	tests := []struct {
		path         string
		wantCode     int
		wantContains string
	}{
		{"/healthz", 200, `{"status":"ok"}`},
		{"/readyz", 503, `"error":"dial postgres://app:xxxxx@db:5432: refused"`}, // details on by default
		{"/readyz/db?verbose", 503, "[-]db failed: dial postgres://app:xxxxx@db:5432: refused"},
		{"/metrics", 200, "probekit_up 1"},
		{"/api", 404, `{"error":"not found"}`},
		{"/healthz/", 404, `{"error":"not found"}`},
	}
	for _, tt := range tests {
		code, body := getURL(t, base+tt.path)
		if code != tt.wantCode || !strings.Contains(body, tt.wantContains) {
			t.Errorf("GET %s = %d %q; want %d containing %q", tt.path, code, body, tt.wantCode, tt.wantContains)
		}
		if strings.Contains(body, "hunter2") {
			t.Errorf("GET %s leaks the password", tt.path)
		}
	}
	// The app's own port (Respond) keeps details off.
	if body := string(probehttp.Respond(h, probehttp.Request{Method: "GET", Path: "/readyz"}).Body()); strings.Contains(body, `"error"`) {
		t.Errorf("app-port body = %s; want no error text", body)
	}
	// Close drains, then stops the server: nothing answers any more.
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second); err == nil {
		c.Close()
		t.Error("the probe server still accepts connections after Close")
	}
}

func TestProbeServerDetailsOff(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return errors.New("secret host") })),
		core.WithProbeServer("127.0.0.1:0"), core.WithProbeServerDetails(false), core.WithLogger(nil))
	waitReady(t, h)
	if _, body := getURL(t, "http://"+h.ProbeServerAddr()+"/readyz"); strings.Contains(body, "secret host") {
		t.Errorf("body = %s; want no error text with WithProbeServerDetails(false)", body)
	}
}

func TestProbeServerPortTaken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	logs := &logSink{}
	h := mustNew(t, core.WithProbeServer(ln.Addr().String()), core.WithCheck("db", &switchable{}),
		core.WithLogger(slog.New(logs)), core.WithDetails(true))
	err = h.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "core: probe server: listen tcp "+ln.Addr().String()) || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("Start() on a taken port = %v; want a clear listen error", err)
	}
	// An app that ignores the error still sees why: the log says it, and
	// readiness is held down under start-failed with the error as reason.
	if lines := logs.lines(); !slices.ContainsFunc(lines, func(l string) bool {
		return strings.HasPrefix(l, "health: Start failed") && strings.Contains(l, "address already in use")
	}) {
		t.Errorf("logged %q; want the Start failure with its error", lines)
	}
	r := get(t, h, "/readyz")
	if b := body(t, r); r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(b, `"start-failed":{"reason":"core: probe server: listen tcp`) {
		t.Errorf("GET /readyz after a failed Start = %d %s; want 503 naming start-failed and the error", r.StatusCode, b)
	}
	// Nothing was started: Start can be tried again once the port is free,
	// and its success lifts the hold.
	ln.Close()
	if err := h.Start(context.Background()); err != nil {
		t.Errorf("Start() after the port was freed = %v; want nil", err)
	}
	eventually(t, "readiness 200 without the start-failed hold", func() bool {
		r := get(t, h, "/readyz")
		return r.StatusCode == http.StatusOK && !strings.Contains(body(t, r), "start-failed")
	})
}

func TestProbeServerDefaultAddrAndValidation(t *testing.T) {
	t.Parallel()
	if _, err := core.New(core.WithProbeServer("9090"), core.WithLogger(nil)); err == nil || !strings.Contains(err.Error(), `core: probe server address "9090"`) {
		t.Errorf("New(WithProbeServer(\"9090\")) error = %v; want an address error", err)
	}
	h := mustNew(t, core.WithProbeServer(""), core.WithLogger(nil))
	if err := h.Start(context.Background()); err != nil {
		t.Skipf("the default probe address 127.0.0.1:9090 is taken here: %v", err)
	}
	if got := h.ProbeServerAddr(); got != "127.0.0.1:9090" {
		t.Errorf("ProbeServerAddr() with WithProbeServer(\"\") = %q; want the default 127.0.0.1:9090", got)
	}
}

func TestHandleOnProbeServer(t *testing.T) {
	t.Parallel()
	h := mustNew(t, core.WithProbeServer("127.0.0.1:0"), core.WithCheck("db", &switchable{}), core.WithLogger(nil))
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "probekit_checks 0\n") })
	if err := h.HandleOnProbeServer("/metrics", metrics); err != nil {
		t.Fatalf("HandleOnProbeServer() = %v", err)
	}
	if err := h.HandleOnProbeServer("/x", nil); err == nil {
		t.Error("HandleOnProbeServer(nil handler) = nil; want an error")
	}
	waitReady(t, h)
	if code, body := getURL(t, "http://"+h.ProbeServerAddr()+"/metrics"); code != 200 || body != "probekit_checks 0\n" {
		t.Errorf("GET /metrics = %d %q", code, body)
	}
	if err := h.HandleOnProbeServer("/late", metrics); !errors.Is(err, core.ErrStarted) {
		t.Errorf("HandleOnProbeServer() after Start = %v; want ErrStarted", err)
	}
	// Without a probe server it is a no-op.
	if err := mustNew(t, core.WithLogger(nil)).HandleOnProbeServer("/metrics", metrics); err != nil {
		t.Errorf("HandleOnProbeServer() without a probe server = %v; want nil", err)
	}
}
