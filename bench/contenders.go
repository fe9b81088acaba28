package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	alex "github.com/alexliesenfeld/health"
	"github.com/gofiber/fiber/v2"
	fiberhc "github.com/gofiber/fiber/v2/middleware/healthcheck"
	hellofresh "github.com/hellofresh/health-go/v5"
	heptio "github.com/heptiolabs/healthcheck"

	"github.com/probekit/probekit/adapters/fiberprobe"
	"github.com/probekit/probekit/adapters/httpprobe"
	"github.com/probekit/probekit/core"
)

// Dep is a simulated dependency that a check calls: it counts its calls
// and passes, hangs until the caller's context ends, or flaps (fails every
// other call). The zero Dep passes.
type Dep struct {
	calls   atomic.Int64
	mode    atomic.Int32
	release chan struct{} // closed by Release: a hung call returns
}

// Dependency behaviours.
const (
	Pass int32 = iota
	Hang       // block until the check's context ends (or Release)
	Flap       // fail every other call
)

// ErrDown is what a failing dependency returns.
var ErrDown = errors.New("dependency down")

// NewDep returns a dependency in mode m.
func NewDep(m int32) *Dep {
	d := &Dep{release: make(chan struct{})}
	d.mode.Store(m)
	return d
}

// Set switches d to mode m for the calls that follow.
func (d *Dep) Set(m int32) { d.mode.Store(m) }

// Calls is how many times d has been called.
func (d *Dep) Calls() int64 { return d.calls.Load() }

// Release returns every hung call, for the end of a measurement: the
// libraries whose checks take no context (heptiolabs, Fiber's) cannot end
// them otherwise.
func (d *Dep) Release() { close(d.release) }

// Check is the dependency's health check.
func (d *Dep) Check(ctx context.Context) error {
	n := d.calls.Add(1)
	switch d.mode.Load() {
	case Hang:
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.release:
			return ErrDown
		}
	case Flap:
		if n%2 == 0 {
			return ErrDown
		}
	}
	return nil
}

// Setup is what every contender is configured with: the checks, how often
// the background runners run them, each check's timeout, and the number of
// consecutive failures before the probe fails (0: the library's default;
// only libraries with such an option use it).
type Setup struct {
	Checks    []func(context.Context) error
	Interval  time.Duration
	Timeout   time.Duration
	Threshold int
}

// Contender is a health library set up the way its documentation
// recommends, serving its readiness probe over real loopback HTTP.
type Contender struct {
	Name string
	// Background is true when checks run on a schedule, not per probe.
	Background bool
	// HasThreshold is true when the library can ignore a single failure.
	HasThreshold bool
	// Start serves the readiness probe at the returned URL until stop.
	Start func(s Setup) (url string, stop func(), err error)
	// HTTP, for a net/http library, is its readiness handler, the path it
	// answers on and its stop, for in-process benchmarks.
	HTTP func(s Setup) (h http.Handler, path string, stop func(), err error)
	// Fiber, for a Fiber middleware, is the app serving it.
	Fiber func(s Setup) (app *fiber.App, path string, stop func(), err error)
}

// Contenders are the libraries the scenarios compare, on net/http and on
// Fiber.
var Contenders = []Contender{
	httpContender(Contender{Name: "probekit", Background: true, HasThreshold: true}, probekitHTTP),
	fiberContender(Contender{Name: "probekit-fiber", Background: true, HasThreshold: true}, probekitFiber),
	httpContender(Contender{Name: "alexliesenfeld", Background: true, HasThreshold: true}, alexHTTP),
	httpContender(Contender{Name: "heptiolabs"}, heptioHTTP),
	httpContender(Contender{Name: "heptiolabs-async", Background: true}, heptioAsyncHTTP),
	fiberContender(Contender{Name: "fiber-healthcheck"}, fiberHealthcheck),
	// Last: while a dependency hangs it leaves goroutines behind for good,
	// which would count against every library measured after it.
	httpContender(Contender{Name: "hellofresh"}, hellofreshHTTP),
}

func httpContender(c Contender, fn func(Setup) (http.Handler, string, func(), error)) Contender {
	c.HTTP = fn
	c.Start = func(s Setup) (string, func(), error) {
		h, path, stopLib, err := fn(s)
		if err != nil {
			return "", nil, err
		}
		url, stop, err := serveHTTP(h, path)
		if err != nil {
			stopLib()
			return "", nil, err
		}
		return url, func() { stop(); stopLib() }, nil
	}
	return c
}

func fiberContender(c Contender, fn func(Setup) (*fiber.App, string, func(), error)) Contender {
	c.Fiber = fn
	c.Start = func(s Setup) (string, func(), error) {
		app, path, stopLib, err := fn(s)
		if err != nil {
			return "", nil, err
		}
		url, stop, err := serveFiber(app, path)
		if err != nil {
			stopLib()
			return "", nil, err
		}
		return url, func() { stop(); stopLib() }, nil
	}
	return c
}

func nop() {}

// ProbekitHealth returns a probekit Health with s's checks, named dep-0,
// dep-1, …, and no logger.
func ProbekitHealth(s Setup) (*core.Health, error) {
	defaults := []core.CheckOption{core.Interval(s.Interval), core.Timeout(s.Timeout)}
	if s.Threshold > 0 {
		defaults = append(defaults, core.FailureThreshold(s.Threshold))
	}
	opts := []core.Option{core.WithLogger(nil), core.WithCheckDefaults(defaults...)}
	for i, fn := range s.Checks {
		opts = append(opts, core.WithCheck(fmt.Sprintf("dep-%d", i), core.CheckerFunc(fn)))
	}
	return core.New(opts...)
}

// StartedProbekit is ProbekitHealth, started.
func StartedProbekit(s Setup) (*core.Health, error) {
	h, err := ProbekitHealth(s)
	if err != nil {
		return nil, err
	}
	if err := h.Start(context.Background()); err != nil {
		return nil, err
	}
	return h, nil
}

// probekitHTTP is the one line on net/http: Wrap in front of the app.
func probekitHTTP(s Setup) (http.Handler, string, func(), error) {
	h, err := StartedProbekit(s)
	if err != nil {
		return nil, "", nil, err
	}
	return httpprobe.Wrap(h, http.NotFoundHandler()), "/readyz", func() { _ = h.Close() }, nil
}

// probekitFiber is the one line on Fiber: app.Use(fiberprobe.New(h)).
func probekitFiber(s Setup) (*fiber.App, string, func(), error) {
	h, err := StartedProbekit(s)
	if err != nil {
		return nil, "", nil, err
	}
	app := NewFiber()
	app.Use(fiberprobe.New(h))
	return app, "/readyz", func() { _ = h.Close() }, nil
}

// alexHTTP is github.com/alexliesenfeld/health's recommended setup for
// checks that must not run per request: WithPeriodicCheck.
func alexHTTP(s Setup) (http.Handler, string, func(), error) {
	opts := []alex.CheckerOption{alex.WithTimeout(s.Timeout)}
	for i, fn := range s.Checks {
		opts = append(opts, alex.WithPeriodicCheck(s.Interval, 0, alex.Check{
			Name:               fmt.Sprintf("dep-%d", i),
			Check:              fn,
			Timeout:            s.Timeout,
			MaxContiguousFails: uint(s.Threshold),
		}))
	}
	checker := alex.NewChecker(opts...)
	return alex.NewHandler(checker), "/readyz", checker.Stop, nil
}

// hellofreshHTTP is github.com/hellofresh/health-go/v5: every probe runs
// every check, each with its timeout.
func hellofreshHTTP(s Setup) (http.Handler, string, func(), error) {
	h, err := hellofresh.New()
	if err != nil {
		return nil, "", nil, err
	}
	for i, fn := range s.Checks {
		if err := h.Register(hellofresh.Config{Name: fmt.Sprintf("dep-%d", i), Timeout: s.Timeout, Check: fn}); err != nil {
			return nil, "", nil, err
		}
	}
	return h.Handler(), "/readyz", nop, nil
}

// heptioHTTP is github.com/heptiolabs/healthcheck as its README shows it:
// readiness checks run on every probe, each wrapped in Timeout. Its checks
// take no context, so a hung one cannot be told to stop.
func heptioHTTP(s Setup) (http.Handler, string, func(), error) {
	hc := heptio.NewHandler()
	for i, fn := range s.Checks {
		hc.AddReadinessCheck(fmt.Sprintf("dep-%d", i), heptio.Timeout(func() error { return fn(context.Background()) }, s.Timeout))
	}
	return hc, "/ready", nop, nil
}

// heptioAsyncHTTP is heptiolabs/healthcheck with each check wrapped in
// AsyncWithContext, its background mode.
func heptioAsyncHTTP(s Setup) (http.Handler, string, func(), error) {
	ctx, cancel := context.WithCancel(context.Background())
	hc := heptio.NewHandler()
	for i, fn := range s.Checks {
		check := heptio.Timeout(func() error { return fn(context.Background()) }, s.Timeout)
		hc.AddReadinessCheck(fmt.Sprintf("dep-%d", i), heptio.AsyncWithContext(ctx, check, s.Interval))
	}
	return hc, "/ready", cancel, nil
}

// fiberHealthcheck is Fiber v2's own middleware/healthcheck: the
// readiness probe function runs on every probe; it gets the request's
// *fiber.Ctx and no deadline, so each check gets the request's context
// with the timeout added here.
func fiberHealthcheck(s Setup) (*fiber.App, string, func(), error) {
	app := NewFiber()
	app.Use(fiberhc.New(fiberhc.Config{ReadinessProbe: func(c *fiber.Ctx) bool {
		for _, fn := range s.Checks {
			ctx, cancel := context.WithTimeout(c.UserContext(), s.Timeout)
			err := fn(ctx)
			cancel()
			if err != nil {
				return false
			}
		}
		return true
	}}))
	return app, "/readyz", nop, nil
}

// NewFiber returns a Fiber app configured as a service would be, minus the
// banner.
func NewFiber() *fiber.App {
	return fiber.New(fiber.Config{DisableStartupMessage: true})
}

// serveHTTP serves h on a loopback port.
func serveHTTP(h http.Handler, path string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ErrorLog: nil}
	go func() { _ = srv.Serve(ln) }()
	stop := func() {
		// A handler stuck behind a hung check would hold Shutdown to its
		// limit: wait briefly, then close.
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			_ = srv.Close()
		}
	}
	return "http://" + ln.Addr().String() + path, stop, nil
}

// serveFiber serves app on a loopback port.
func serveFiber(app *fiber.App, path string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() { _ = app.Listener(ln) }()
	stop := func() { _ = app.ShutdownWithTimeout(200 * time.Millisecond) }
	return "http://" + ln.Addr().String() + path, stop, nil
}

// Client is the prober: a kubelet-like client with a 2 s timeout and
// enough idle connections for the storm's goroutines.
func Client() *http.Client {
	return &http.Client{
		Timeout:   2 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true},
	}
}

// Probe sends one GET to url and returns the status code, or 0 when no
// answer came within the client's timeout.
func Probe(c *http.Client, url string) int {
	resp, err := c.Get(url)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// WaitReady polls url until it answers 200, for up to d.
func WaitReady(c *http.Client, url string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		code := Probe(c, url)
		if code == http.StatusOK {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v (last answer %d)", url, d, code)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
