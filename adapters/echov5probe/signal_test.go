//go:build unix

package echov5probe_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/labstack/echo/v5"
	"go.uber.org/goleak"

	"github.com/probekit/probekit/adapters/echov5probe"
	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/internal/testenv"
)

// TestDrainContextSIGTERM runs the documented wiring on a real loopback
// listener and sends the process a real SIGTERM: for the drain delay,
// /readyz answers 503 while /healthz and the app answer 200 on new
// connections; then the listener closes, a request in flight still
// finishes (StartConfig's graceful shutdown), Start returns nil, and no
// goroutine is left. Not parallel: it signals the whole test process.
func TestDrainContextSIGTERM(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const delay = 2 * time.Second // long enough for a few loopback requests on a loaded machine
	h := testenv.NewHealth(t, core.WithDrainDelay(delay))
	e := newEcho()
	e.Pre(echov5probe.Middleware(h))
	e.GET("/api/ok", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
	entered, release := make(chan struct{}), make(chan struct{})
	e.GET("/api/slow", func(c *echo.Context) error {
		close(entered)
		<-release
		return c.String(http.StatusOK, "slow")
	})

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	addr := make(chan string, 1)
	sc := echo.StartConfig{
		Address:          "127.0.0.1:0",
		HideBanner:       true,
		HidePort:         true,
		GracefulTimeout:  10 * time.Second,
		ListenerAddrFunc: func(a net.Addr) { addr <- a.String() },
	}
	served := make(chan error, 1)
	go func() { served <- sc.Start(echov5probe.DrainContext(ctx, h), e) }()
	base := "http://" + <-addr

	// A new connection for every request: each one shows the listener
	// still accepts.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	send := func(path string) (int, error) {
		resp, err := client.Get(base + path)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	want := func(path string, wantCode int) {
		t.Helper()
		if code, err := send(path); err != nil || code != wantCode {
			t.Fatalf("GET %s = %d, %v; want %d", path, code, err, wantCode)
		}
	}
	want("/readyz", 200)
	slow := make(chan int, 1)
	go func() {
		code, _ := send("/api/slow")
		slow <- code
	}()
	<-entered

	signaled := time.Now()
	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 10*time.Second, func() error {
		if code, err := send("/readyz"); err != nil || code != 503 {
			return fmt.Errorf("GET /readyz = %d, %v; want 503", code, err)
		}
		return nil
	})
	want("/healthz", 200)
	want("/livez", 200)
	want("/api/ok", 200)
	want("/readyz", 503)

	testenv.Eventually(t, delay+10*time.Second, func() error {
		if c, err := net.DialTimeout("tcp", base[len("http://"):], time.Second); err == nil {
			_ = c.Close() // an open connection that sends nothing would hold up the shutdown for 5s
			return fmt.Errorf("the listener still accepts %v after the signal", time.Since(signaled))
		}
		return nil
	})
	if took := time.Since(signaled); took < delay {
		t.Errorf("the listener closed %v after the signal; want no sooner than the drain delay, %v", took, delay)
	}
	select {
	case err := <-served:
		t.Fatalf("Start returned %v with a request in flight; want it to wait for the request", err)
	default:
	}
	close(release)
	if code := <-slow; code != 200 {
		t.Errorf("GET /api/slow, in flight through the shutdown = %d; want 200", code)
	}
	if err := <-served; err != nil {
		t.Errorf("StartConfig.Start() = %v; want nil", err)
	}
	client.CloseIdleConnections()
}
