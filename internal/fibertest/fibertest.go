// Package fibertest serves a Fiber app on a loopback listener for the
// length of a test. It imports no framework, so that every module's tests
// can use it without taking Fiber into the module's requirements.
//
// For goleak, the caller turns off fasthttp's Date-header goroutine, which
// fasthttp never stops, and shortens the worker pool's idle sleep, which
// otherwise delays the pool's exit after Shutdown by up to 10s:
//
//	app.Server().NoDefaultDate = true
//	app.Server().MaxIdleWorkerDuration = 10 * time.Millisecond
package fibertest

import (
	"net"
	"testing"
	"time"
)

// App is what a test server needs of a Fiber app; *fiber.App (v2) is one.
type App interface {
	Listener(ln net.Listener) error
	ShutdownWithTimeout(timeout time.Duration) error
}

// Listen starts app on a loopback listener and returns its address and the
// channel its Listener's error arrives on; the caller shuts it down.
func Listen(t testing.TB, app App) (addr string, served <-chan error) {
	t.Helper()
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
func Serve(t testing.TB, app App) string {
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
