package core

import (
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// envPrefix starts the name of every environment variable [WithEnv] reads.
const envPrefix = "HEALTH_"

// WithEnv configures the Health from the process environment: the HEALTH_*
// variables below. It is WithEnvFrom(os.Environ()).
func WithEnv() Option {
	return WithEnvFrom(os.Environ())
}

// WithEnvFrom configures the Health from environ, a list of KEY=VALUE
// strings as [os.Environ] returns them. Like every option it applies where
// it stands: options after it override what it sets, and it overrides
// options before it. So put it first to let code override the
// environment, or last to let the environment override code. Per-check
// options given to [WithCheck] always override the check defaults it sets.
// A value that does not parse is an error from [New] naming the variable
// and the value, never a silent default; a HEALTH_ variable that is not
// one of these is logged as a warning (a typo, most likely).
//
//	HEALTH_INTERVAL            check interval (Go duration, > 0)                 Interval
//	HEALTH_TIMEOUT             check timeout (Go duration, > 0)                  Timeout
//	HEALTH_FAILURE_THRESHOLD   consecutive failures to fail (integer >= 1)       FailureThreshold
//	HEALTH_SUCCESS_THRESHOLD   consecutive passes to recover (integer >= 1)      SuccessThreshold
//	HEALTH_JITTER              interval jitter (fraction in [0, 1))              Jitter
//	HEALTH_MAX_BACKOFF         backoff cap (Go duration, 0 = default)            MaxBackoff
//	HEALTH_STALE_AFTER         stale-result limit (Go duration, 0 = default)     StaleAfter
//	HEALTH_LIVENESS_PATHS      comma-separated paths; set but empty turns off    WithPaths(Liveness, …)
//	HEALTH_READINESS_PATHS     comma-separated paths; set but empty turns off    WithPaths(Readiness, …)
//	HEALTH_STARTUP_PATHS       comma-separated paths; set but empty turns off    WithPaths(Startup, …)
//	HEALTH_DETAILS             error texts on the app's port (true/false)        WithDetails
//	HEALTH_DRAIN_DELAY         delay before shutdown (Go duration, >= 0)         WithDrainDelay
//	HEALTH_ADDR                dedicated probe server address (host:port)        WithProbeServer
//	HEALTH_PROBE_DETAILS       error texts on the probe server (true/false)      WithProbeServerDetails
//	HEALTH_STATUS_FILE         status file path for exec probes                  WithStatusFile
//	HEALTH_VERSION             version reported in verbose and IETF answers      WithVersion
//
// An empty value counts as unset, except for the *_PATHS variables.
func WithEnvFrom(environ []string) Option {
	vars := make(map[string]string)
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, envPrefix) {
			vars[k] = v
		}
	}
	return envOption{vars: vars}
}

// envOption sets what its variables say, in its place among the options.
type envOption struct {
	vars map[string]string
}

func (e envOption) apply(c *config) { e.applyEnv(c) }

// knownEnv reports whether applyEnv reads the variable key.
func knownEnv(key string) bool {
	switch key {
	case "HEALTH_INTERVAL", "HEALTH_TIMEOUT", "HEALTH_FAILURE_THRESHOLD", "HEALTH_SUCCESS_THRESHOLD",
		"HEALTH_JITTER", "HEALTH_MAX_BACKOFF", "HEALTH_STALE_AFTER", "HEALTH_LIVENESS_PATHS",
		"HEALTH_READINESS_PATHS", "HEALTH_STARTUP_PATHS", "HEALTH_DETAILS", "HEALTH_DRAIN_DELAY",
		"HEALTH_ADDR", "HEALTH_PROBE_DETAILS", "HEALTH_STATUS_FILE", "HEALTH_VERSION":
		return true
	}
	return false
}

func (e envOption) applyEnv(c *config) {
	fail := func(key, want string) {
		c.errs = append(c.errs, fmt.Errorf("core: %s=%q: want %s", key, e.vars[key], want))
	}
	get := func(key string) (string, bool) {
		v, ok := e.vars[key]
		return strings.TrimSpace(v), ok && strings.TrimSpace(v) != ""
	}
	duration := func(key string, positive bool, set func(time.Duration)) {
		v, ok := get(key)
		if !ok {
			return
		}
		d, err := time.ParseDuration(v)
		switch {
		case positive && (err != nil || d <= 0):
			fail(key, "a positive Go duration such as 5s or 250ms")
		case err != nil || d < 0:
			fail(key, "a non-negative Go duration such as 0s, 5s or 250ms")
		default:
			set(d)
		}
	}
	integer := func(key string, set func(int)) {
		v, ok := get(key)
		if !ok {
			return
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			fail(key, "an integer of at least 1")
			return
		}
		set(n)
	}
	boolean := func(key string, set func(bool)) {
		v, ok := get(key)
		if !ok {
			return
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			fail(key, "true or false")
			return
		}
		set(b)
	}
	defaults := func(o CheckOption) { c.defaults = append(c.defaults, o) }

	duration("HEALTH_INTERVAL", true, func(d time.Duration) { defaults(Interval(d)) })
	duration("HEALTH_TIMEOUT", true, func(d time.Duration) { defaults(Timeout(d)) })
	integer("HEALTH_FAILURE_THRESHOLD", func(n int) { defaults(FailureThreshold(n)) })
	integer("HEALTH_SUCCESS_THRESHOLD", func(n int) { defaults(SuccessThreshold(n)) })
	if v, ok := get("HEALTH_JITTER"); ok {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0 && f < 1) {
			fail("HEALTH_JITTER", "a fraction in [0, 1) such as 0.1")
		} else {
			defaults(Jitter(f))
		}
	}
	duration("HEALTH_MAX_BACKOFF", false, func(d time.Duration) { defaults(MaxBackoff(d)) })
	duration("HEALTH_STALE_AFTER", false, func(d time.Duration) { defaults(StaleAfter(d)) })
	for p, key := range [numProbes]string{"HEALTH_LIVENESS_PATHS", "HEALTH_READINESS_PATHS", "HEALTH_STARTUP_PATHS"} {
		v, set := e.vars[key]
		if !set {
			continue
		}
		var paths []string
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				if err := validatePath(s); err != nil {
					fail(key, "comma-separated paths such as /healthz,/livez ("+err.Error()+")")
					paths = nil
					break
				}
				paths = append(paths, s)
			}
		}
		c.paths[p], c.pathsSet[p] = paths, true
	}
	boolean("HEALTH_DETAILS", func(b bool) { c.details = b })
	duration("HEALTH_DRAIN_DELAY", false, func(d time.Duration) { c.drainDelay = d })
	if v, ok := get("HEALTH_ADDR"); ok {
		if _, _, err := net.SplitHostPort(v); err != nil {
			fail("HEALTH_ADDR", "host:port such as 127.0.0.1:9090 or :9090")
		} else {
			c.server.enabled, c.server.addr = true, v
		}
	}
	boolean("HEALTH_PROBE_DETAILS", func(b bool) { c.server.details = b })
	if v, ok := get("HEALTH_STATUS_FILE"); ok {
		c.statusFile = v
	}
	if v, ok := get("HEALTH_VERSION"); ok {
		c.info.Version = v
	}

	var unknown []string
	for k := range e.vars {
		if !knownEnv(k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	c.unknownEnv = append(c.unknownEnv, unknown...)
}
