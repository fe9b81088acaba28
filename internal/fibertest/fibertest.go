// Package fibertest serves a Fiber app on a loopback listener for the
// length of a test, ready for goleak: fasthttp's Date-header goroutine is
// not started, and its worker-pool cleaner exits soon after Shutdown.
package fibertest

import (
	"net"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Listen starts app on a loopback listener and returns its address and the
// channel its Listener's error arrives on; the caller shuts it down. The
// Date header is off: fasthttp refreshes it from a goroutine it never
// stops. The worker pool's cleaner notices a shutdown only when its sleep
// of MaxIdleWorkerDuration (default 10s) ends; here that is 10ms.
func Listen(t testing.TB, app *fiber.App) (addr string, served <-chan error) {
	t.Helper()
	app.Server().NoDefaultDate = true
	app.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	return ln.Addr().String(), done
}

// Serve runs app on a loopback listener until the test ends and returns
// its address (host:port).
func Serve(t testing.TB, app *fiber.App) string {
	t.Helper()
	addr, served := Listen(t, app)
	t.Cleanup(func() {
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("fiber Shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("fiber Listener: %v", err)
		}
	})
	return addr
}
