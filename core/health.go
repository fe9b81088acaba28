package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"time"
)

// Errors returned by the lifecycle methods.
var (
	// ErrStarted is returned by [Health.Start] when the Health was already started.
	ErrStarted = errors.New("core: health already started")
	// ErrClosed is returned by [Health.Start] after [Health.Close].
	ErrClosed = errors.New("core: health closed")
)

// Health runs checks in the background, each on its own schedule, and
// answers the probes from their latest results, so that a probe never runs
// a check or waits for one. Build one with [New], start it with
// [Health.Start], serve it through an adapter (see the adapters/
// directory), and stop it with [Health.Close].
//
// All methods are safe for concurrent use.
type Health struct {
	checks     []*check
	logger     *slog.Logger
	drainDelay time.Duration
	info       BuildInfo

	tr     *tracker   // states, holds, draining; publishes snapshots
	sched  *scheduler // runs the checks, hands results to tr
	rt     *router    // matches and answers requests from tr's snapshots
	events notifier   // delivers transitions and results to listeners
	server *probeServer
	status *statusFile

	life    sync.Mutex // guards started, closed, cancel
	started bool
	closed  bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// New builds a Health from opts and validates everything: an invalid or
// duplicate check name, a nil checker (or a nil CheckerFunc or pointer), a
// non-positive interval or timeout, a threshold below 1, an invalid or
// clashing path, an empty status file path or a nil option is an error naming
// the option, the check and the value, never a surprise at the first probe. New starts nothing; see
// [Health.Start].
func New(opts ...Option) (*Health, error) {
	cfg := config{drainDelay: defaultDrainDelay, server: serverConfig{details: true}}
	var errs []error
	for i, o := range opts {
		if o == nil {
			errs = append(errs, fmt.Errorf("core: New: option %d of %d is nil", i+1, len(opts)))
			continue
		}
		o.apply(&cfg)
	}
	errs = append(errs, cfg.errs...)

	logger := cfg.logger
	switch {
	case !cfg.loggerSet:
		logger = slog.Default()
	case logger == nil:
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.drainDelay < 0 {
		errs = append(errs, fmt.Errorf("core: drain delay must not be negative, got %v", cfg.drainDelay))
	}
	if err := cfg.server.validate(); err != nil {
		errs = append(errs, err)
	}
	if cfg.statusFileSet && cfg.statusFile == "" {
		errs = append(errs, errors.New(`core: WithStatusFile(""): want a file path`))
	}

	h := &Health{logger: logger, drainDelay: cfg.drainDelay}
	seen := make(map[string]bool, len(cfg.checks))
	for _, spec := range cfg.checks {
		c, err := newCheck(spec, cfg.defaults)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[c.name] {
			errs = append(errs, fmt.Errorf("core: check %q registered twice", c.name))
			continue
		}
		seen[c.name] = true
		h.checks = append(h.checks, c)
	}
	paths, err := resolvePaths(cfg.paths, cfg.pathsSet)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, k := range cfg.unknownEnv {
		logger.Warn("health: unknown environment variable ignored", "name", k)
	}
	h.info = resolveBuildInfo(cfg.info)
	if cfg.server.enabled {
		h.server = newProbeServer(h, cfg.server)
	}
	if cfg.statusFile != "" {
		h.status = &statusFile{h: h, path: cfg.statusFile}
		cfg.listeners = append(cfg.listeners, h.status.onEvent)
	}
	h.events.init(logger, cfg.listeners)
	h.tr = newTracker(h.checks, &h.info, logger, &h.events)
	h.sched = newScheduler(h.checks, h.tr, logger)
	h.rt = newRouter(paths, h.checks, cfg.details, h.tr)
	return h, nil
}

// isNil reports whether a non-nil checker holds a nil func, pointer, map,
// channel or interface, which would panic at every run.
func isNil(c Checker) bool {
	switch v := reflect.ValueOf(c); v.Kind() {
	case reflect.Func, reflect.Pointer, reflect.Map, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// MustNew is like [New] but panics on an error. It suits main functions whose
// configuration is fixed in code.
func MustNew(opts ...Option) *Health {
	h, err := New(opts...)
	if err != nil {
		panic(err)
	}
	return h
}

func newCheck(spec checkSpec, defaults []CheckOption) (*check, error) {
	if !ValidName(spec.name) {
		return nil, fmt.Errorf("core: invalid check name %q: want 1 to %d characters from [A-Za-z0-9._-], starting with a letter or digit", spec.name, MaxNameLen)
	}
	if spec.checker == nil {
		return nil, fmt.Errorf("core: check %q: nil checker", spec.name)
	}
	if isNil(spec.checker) {
		return nil, fmt.Errorf("core: check %q: nil checker (%T)", spec.name, spec.checker)
	}
	cc := defaultCheckConfig()
	for _, o := range defaults {
		if o != nil {
			o.applyCheck(&cc)
		}
	}
	for _, o := range spec.opts {
		if o != nil {
			o.applyCheck(&cc)
		}
	}
	if err := cc.resolve(); err != nil {
		return nil, fmt.Errorf("core: check %q: %w", spec.name, err)
	}
	if v, ok := spec.checker.(Validator); ok {
		if err := v.Validate(); err != nil {
			return nil, fmt.Errorf("core: check %q: %w", spec.name, err)
		}
	}
	c := &check{name: spec.name, checker: spec.checker, cfg: cc}
	c.observer, _ = spec.checker.(Observer)
	c.st = CheckState{Name: c.name, Status: StatusStarting, Critical: cc.critical, Probes: cc.probes}
	return c, nil
}

// startFailed is the hold that a failed [Health.Start] leaves on readiness.
const startFailed = "start-failed"

// Start starts running the checks in the background: each runs at once and
// then on its own schedule. It returns at once. The checks run until ctx is
// done or [Health.Close] is called; either way readiness then reports
// draining. Start returns [ErrStarted] if called twice and [ErrClosed] after
// Close. If Start fails (the probe server's address is taken), it logs the
// error and holds readiness down under "start-failed" until a later Start
// succeeds, so that an ignored error still shows in the readiness body.
func (h *Health) Start(ctx context.Context) error {
	h.life.Lock()
	defer h.life.Unlock()
	if h.closed {
		return ErrClosed
	}
	if h.started {
		return ErrStarted
	}
	// The probe server's port first: a port already taken is an error from
	// Start, with nothing started. An app that ignores the error still sees
	// why: readiness is held down under "start-failed" (the error is its
	// reason, shown with details) and the error is logged.
	if h.server != nil {
		if err := h.server.listen(); err != nil {
			_ = h.Hold(startFailed, Redact(err.Error()))
			h.logger.Error("health: Start failed: no check runs and readiness answers 503 until Start succeeds", "err", Redact(err.Error()))
			return err
		}
	}
	h.Release(startFailed)
	h.started = true
	h.tr.markStarted(time.Now())
	if h.status != nil {
		h.status.write()
	}
	ctx, h.cancel = context.WithCancel(ctx)
	schedDone := make(chan struct{})
	h.wg.Add(3)
	go func() {
		defer h.wg.Done()
		h.sched.run(ctx)
		h.tr.stop()
		close(schedDone)
	}()
	go func() {
		defer h.wg.Done()
		watch(ctx, h.tr)
	}()
	go func() {
		defer h.wg.Done()
		h.events.run(ctx, schedDone)
	}()
	if h.server != nil {
		h.server.start()
	}
	return nil
}

// Close stops the checks and waits for every goroutine the Health started:
// runs in flight are cancelled and waited for until their timeout (and its
// grace, a tenth of it up to 100ms; see [Timeout]); a run
// that ignores its context past its timeout is abandoned and ends on its own
// when its check returns. Readiness reports draining from then on, liveness
// is unaffected. Listeners receive every event that happened before Close
// returns. Close is idempotent and safe without Start; it always returns nil.
func (h *Health) Close() error {
	h.life.Lock()
	if h.closed {
		h.life.Unlock()
		return nil
	}
	h.closed = true
	cancel := h.cancel
	h.life.Unlock()
	if cancel == nil { // never started
		h.tr.stop()
		return nil
	}
	cancel()
	h.wg.Wait()
	// The probe server answers (draining) until the checks have stopped;
	// then it shuts down, and the status file goes.
	if h.server != nil {
		h.server.shutdown()
	}
	if h.status != nil {
		h.status.remove()
	}
	return nil
}

// Drain turns readiness to 503 ("draining") at once, leaving liveness
// alone, so that load balancers stop sending traffic before the servers
// shut down. See [Health.DrainAndShutdown] for the whole sequence and
// [Health.Resume] to undo it. Drain is idempotent.
func (h *Health) Drain() { h.tr.setDraining(true) }

// Resume undoes [Health.Drain]: readiness follows the checks again. It has
// no effect after [Health.Close].
func (h *Health) Resume() { h.tr.setDraining(false) }

// Hold holds readiness down (503, "unhealthy") under name until
// [Health.Release] is called with the same name: for cache warm-up,
// maintenance, or anything else the app knows and the checks cannot see.
// reason is shown where error texts are (only with details). Holding a name
// again updates its reason. An invalid name (see [ValidName]) is an error.
func (h *Health) Hold(name, reason string) error {
	if !ValidName(name) {
		return fmt.Errorf("core: invalid hold name %q: want 1 to %d characters from [A-Za-z0-9._-], starting with a letter or digit", name, MaxNameLen)
	}
	h.tr.hold(name, cleanText(reason))
	return nil
}

// Release ends the hold registered under name by [Health.Hold]. Releasing a
// name that is not held does nothing.
func (h *Health) Release(name string) { h.tr.release(name) }

// Status returns the current aggregate status of probe p, which must be one
// of [Liveness], [Readiness] or [Startup] ([StatusUnknown] otherwise).
func (h *Health) Status(p Probe) Status {
	i := p.index()
	if i < 0 {
		return StatusUnknown
	}
	return h.tr.load().probes[i].status
}

// DrainDelay returns the delay [Health.DrainAndShutdown] waits between
// draining and shutting down, as configured (see [WithDrainDelay]).
func (h *Health) DrainDelay() time.Duration { return h.drainDelay }

// Checks returns the current state of every check, in registration order.
func (h *Health) Checks() []CheckState {
	s := h.tr.load()
	out := make([]CheckState, len(s.checks))
	for i, p := range s.checks {
		out[i] = p.st
	}
	return out
}

// Listen registers fn to be called on every status transition, of a check
// or of a probe's aggregate, and returns a function that unregisters it.
// Listeners run in order on a goroutine of their own, never on a probe
// request or in the scheduler; a listener that blocks delays only later
// listener calls. Events are delivered once the Health is started, so a
// listener registered before Start sees every one.
func (h *Health) Listen(fn func(Event)) (cancel func()) {
	if fn == nil {
		return func() {}
	}
	return h.events.add(&listener{fn: fn})
}

// ListenResults registers fn to be called with a check's state after each
// of its results (every run, a run reported still running, a stale mark),
// not only on transitions: what a metrics exporter needs to observe run
// durations and count failures. Calls happen in order on the listeners'
// goroutine, once the Health is started; fn must not block for long. It
// returns a function that unregisters fn.
func (h *Health) ListenResults(fn func(CheckState)) (cancel func()) {
	if fn == nil {
		return func() {}
	}
	return h.events.add(&listener{res: fn})
}
