package core

import (
	"log/slog"
	"time"
)

// defaultDrainDelay is how long [Health.DrainAndShutdown] waits between
// turning readiness off and shutting the servers down.
const defaultDrainDelay = 5 * time.Second

// Option configures a [Health] built by [New].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type checkSpec struct {
	name    string
	checker Checker
	opts    []CheckOption
}

type config struct {
	checks        []checkSpec
	defaults      []CheckOption
	logger        *slog.Logger
	loggerSet     bool
	details       bool
	listeners     []func(Event)
	paths         [numProbes][]string
	pathsSet      [numProbes]bool
	errs          []error
	unknownEnv    []string
	drainDelay    time.Duration
	server        serverConfig
	statusFile    string
	statusFileSet bool // by WithStatusFile, even to ""
	info          BuildInfo
}

// WithCheck registers checker under name, configured by opts on top of
// [WithCheckDefaults]. Names are 1 to 63 characters from [A-Za-z0-9._-],
// starting with a letter or digit, and unique; they appear in bodies, logs,
// metrics and as the subpath /readyz/<name>. An invalid or duplicate name, a
// nil checker or an invalid option is an error from [New].
func WithCheck(name string, checker Checker, opts ...CheckOption) Option {
	return optionFunc(func(c *config) {
		c.checks = append(c.checks, checkSpec{name: name, checker: checker, opts: opts})
	})
}

// WithCheckDefaults sets options applied to every check before its own, such
// as a longer interval for the whole service. Later calls add to earlier ones.
func WithCheckDefaults(opts ...CheckOption) Option {
	return optionFunc(func(c *config) { c.defaults = append(c.defaults, opts...) })
}

// WithLogger sets the logger for status transitions and scheduler events.
// Default [slog.Default] at the time [New] runs; nil discards the logs. The
// Health logs each transition once, never a line per probe.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) { c.logger, c.loggerSet = l, true })
}

// WithDetails sets whether probe bodies include error texts, hold reasons and
// observed values. Default false: error text can name hosts and users, and the
// probe endpoints are usually unauthenticated on the app's public port.
// Secrets in URLs and DSNs are redacted either way. A [Request] can ask for
// details on its own, as the dedicated probe server does.
func WithDetails(on bool) Option {
	return optionFunc(func(c *config) { c.details = on })
}

// WithPaths sets the URL paths that answer probe p, replacing its defaults:
// "/healthz" and "/livez" for [Liveness], "/readyz" for [Readiness] and
// "/startupz" for [Startup]. No paths turns the probe's endpoint off. Each
// path starts with "/", has no empty, "." or ".." segment, no trailing slash,
// no characters outside [A-Za-z0-9._~/-], and belongs to one probe; anything
// else is an error from [New]. Each path also answers "<path>/<check>" for
// the checks of that probe.
func WithPaths(p Probe, paths ...string) Option {
	return optionFunc(func(c *config) {
		i := p.index()
		if i < 0 {
			c.errs = append(c.errs, errInvalidPathProbe(p))
			return
		}
		c.paths[i] = append([]string(nil), paths...)
		c.pathsSet[i] = true
	})
}

// WithDrainDelay sets how long [Health.DrainAndShutdown] waits after turning
// readiness off before shutting the servers down, so that load balancers and
// Kubernetes endpoints notice first. Default 5s; zero
// shuts down at once; negative is an error from [New].
func WithDrainDelay(d time.Duration) Option {
	return optionFunc(func(c *config) { c.drainDelay = d })
}
