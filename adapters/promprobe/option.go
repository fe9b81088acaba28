package promprobe

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// DefaultNamespace is the prefix of every metric name unless [WithNamespace]
// says otherwise: probekit_check_status, probekit_probe_status, ….
const DefaultNamespace = "probekit"

// Option configures a [Collector] made by [NewCollector], [Register] or
// [Handler].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	namespace   string
	constLabels prometheus.Labels
	buckets     []float64
}

func newConfig(opts []Option) (config, error) {
	cfg := config{namespace: DefaultNamespace}
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	if len(cfg.buckets) == 0 {
		cfg.buckets = prometheus.DefBuckets
	}
	return cfg, cfg.validate()
}

// WithNamespace sets the prefix of every metric name, joined to the rest by
// "_". Default "probekit" ([DefaultNamespace]); the empty string drops the
// prefix (check_status, probe_status, …). A namespace must match
// [a-zA-Z_][a-zA-Z0-9_]*; anything else is an error wrapping
// [ErrInvalidOption] from [NewCollector].
func WithNamespace(ns string) Option {
	return optionFunc(func(c *config) { c.namespace = ns })
}

// WithConstLabels adds labels with fixed values to every series, such as
// {"service": "checkout"}. Default none. Later calls add to earlier ones; a
// later value for the same name wins. The map is copied. Names must match
// [a-zA-Z_][a-zA-Z0-9_]*, must not start with "__" and must not be one of
// the collector's own labels (check, state, probe, le); values must be
// valid UTF-8. Anything else is an error wrapping [ErrInvalidOption] from
// [NewCollector].
func WithConstLabels(labels prometheus.Labels) Option {
	return optionFunc(func(c *config) {
		if c.constLabels == nil {
			c.constLabels = make(prometheus.Labels, len(labels))
		}
		maps.Copy(c.constLabels, labels)
	})
}

// WithBuckets sets the upper bounds, in seconds, of the check duration
// histogram's buckets. Default (or none given) [prometheus.DefBuckets], 5ms
// to 10s, which covers the default check timeout of 2s. Bounds must be
// strictly increasing and not NaN; a final +Inf is implied and may be
// omitted. Anything else is an error wrapping [ErrInvalidOption] from
// [NewCollector].
func WithBuckets(bounds ...float64) Option {
	return optionFunc(func(c *config) { c.buckets = append([]float64(nil), bounds...) })
}

// ownLabels are the label names the collector sets itself.
var ownLabels = [...]string{labelCheck, labelState, labelProbe, "le"}

func (c *config) validate() error {
	if c.namespace != "" && !validName(c.namespace) {
		return fmt.Errorf("%w: namespace %q: want [a-zA-Z_][a-zA-Z0-9_]*", ErrInvalidOption, c.namespace)
	}
	for name := range c.constLabels {
		switch {
		case !validName(name) || strings.HasPrefix(name, "__"):
			return fmt.Errorf("%w: const label name %q: want [a-zA-Z_][a-zA-Z0-9_]*, not starting with __", ErrInvalidOption, name)
		case slices.Contains(ownLabels[:], name):
			return fmt.Errorf("%w: const label name %q is set by the collector", ErrInvalidOption, name)
		}
	}
	for i, b := range c.buckets {
		if math.IsNaN(b) {
			return fmt.Errorf("%w: bucket bound %d is NaN", ErrInvalidOption, i)
		}
		if i > 0 && b <= c.buckets[i-1] {
			return fmt.Errorf("%w: bucket bounds must be strictly increasing, got %v after %v", ErrInvalidOption, b, c.buckets[i-1])
		}
	}
	return nil
}

// validName reports whether s is a classic Prometheus metric or label name
// without colons: [a-zA-Z_][a-zA-Z0-9_]*. Names outside it are legal under
// UTF-8 validation but need quoting in the text format and break older
// scrapers, so the collector does not produce them.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case '0' <= r && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
