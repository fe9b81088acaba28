package core_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
)

func TestNewRejectsInvalidConfiguration(t *testing.T) {
	t.Parallel()
	ok := core.CheckerFunc(func(context.Context) error { return nil })
	tests := []struct {
		name    string
		opts    []core.Option
		wantErr string
	}{
		{"empty name", []core.Option{core.WithCheck("", ok)}, `invalid check name ""`},
		{"name with a slash", []core.Option{core.WithCheck("a/b", ok)}, `invalid check name "a/b"`},
		{"name with a space", []core.Option{core.WithCheck("my db", ok)}, `invalid check name "my db"`},
		{"dot-dot name", []core.Option{core.WithCheck("..", ok)}, `invalid check name ".."`},
		{"name too long", []core.Option{core.WithCheck(strings.Repeat("x", 64), ok)}, "invalid check name"},
		{"duplicate name", []core.Option{core.WithCheck("db", ok), core.WithCheck("db", ok)}, `check "db" registered twice`},
		{"nil checker", []core.Option{core.WithCheck("db", nil)}, `check "db": nil checker`},
		{"nil CheckerFunc", []core.Option{core.WithCheck("db", core.CheckerFunc(nil))}, `check "db": nil checker (core.CheckerFunc)`},
		{"nil pointer checker", []core.Option{core.WithCheck("db", (*switchable)(nil))}, `check "db": nil checker (*core_test.switchable)`},
		{"nil option", []core.Option{core.WithCheck("db", ok), nil}, "core: New: option 2 of 3 is nil"},
		{"empty status file", []core.Option{core.WithStatusFile("")}, `core: WithStatusFile(""): want a file path`},
		{"liveness on the readiness default", []core.Option{core.WithPaths(core.Liveness, "/readyz")},
			`probe path "/readyz" is set for both liveness (configured) and readiness (its default): give readiness other paths with WithPaths or HEALTH_READINESS_PATHS`},
		{"path listed twice", []core.Option{core.WithPaths(core.Readiness, "/r", "/r")}, `probe path "/r" listed twice for readiness`},
		{"zero interval", []core.Option{core.WithCheck("db", ok, core.Interval(0))}, `check "db": interval must be positive, got 0s`},
		{"negative interval", []core.Option{core.WithCheck("db", ok, core.Interval(-time.Second))}, "interval must be positive, got -1s"},
		{"zero timeout", []core.Option{core.WithCheck("db", ok, core.Timeout(0))}, "timeout must be positive, got 0s"},
		{"failure threshold 0", []core.Option{core.WithCheck("db", ok, core.FailureThreshold(0))}, "failure threshold must be at least 1, got 0"},
		{"success threshold -1", []core.Option{core.WithCheck("db", ok, core.SuccessThreshold(-1))}, "success threshold must be at least 1, got -1"},
		{"no probes", []core.Option{core.WithCheck("db", ok, core.ForProbes(0))}, "probes must be a combination"},
		{"unknown probe bits", []core.Option{core.WithCheck("db", ok, core.ForProbes(64))}, "probes must be a combination"},
		{"jitter 1", []core.Option{core.WithCheck("db", ok, core.Jitter(1))}, "jitter must be in [0, 1), got 1"},
		{"negative jitter", []core.Option{core.WithCheck("db", ok, core.Jitter(-0.1))}, "jitter must be in [0, 1)"},
		{"max backoff below interval", []core.Option{core.WithCheck("db", ok, core.MaxBackoff(time.Second))}, "max backoff 1s is shorter than the interval 5s"},
		{"stale after too short", []core.Option{core.WithCheck("db", ok, core.StaleAfter(7*time.Second))}, "stale after 7s must be longer"},
		{"bad default applies to every check", []core.Option{core.WithCheckDefaults(core.Interval(0)), core.WithCheck("a", ok)}, `check "a": interval must be positive`},
		{"negative drain delay", []core.Option{core.WithDrainDelay(-time.Second)}, "drain delay must not be negative"},
		{"path without slash", []core.Option{core.WithPaths(core.Readiness, "readyz")}, `probe path "readyz" must start with /`},
		{"root path", []core.Option{core.WithPaths(core.Readiness, "/")}, `probe path "/"`},
		{"trailing slash", []core.Option{core.WithPaths(core.Readiness, "/readyz/")}, "empty, . or .. segment"},
		{"dot segment", []core.Option{core.WithPaths(core.Readiness, "/a/../readyz")}, "empty, . or .. segment"},
		{"escape in path", []core.Option{core.WithPaths(core.Readiness, "/ready%7A")}, "outside [A-Za-z0-9._~/-]"},
		{"readiness on the liveness default", []core.Option{core.WithPaths(core.Readiness, "/healthz")},
			`probe path "/healthz" is set for both liveness (its default) and readiness (configured): give liveness other paths`},
		{"nested paths", []core.Option{core.WithPaths(core.Readiness, "/healthz/ready")}, "nest"},
		{"paths for two probes", []core.Option{core.WithPaths(core.Liveness|core.Readiness, "/x")}, "exactly one of Liveness, Readiness or Startup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, err := core.New(append(tt.opts, core.WithLogger(nil))...)
			if err == nil {
				_ = h.Close()
				t.Fatalf("New() error = nil; want %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "core: ") {
				t.Errorf("New() error = %q; want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := core.New(core.WithCheck("a", nil), core.WithCheck("b", &switchable{}, core.Interval(0)), core.WithDrainDelay(-1))
	if err == nil {
		t.Fatal("New() = nil error; want three problems")
	}
	for _, want := range []string{`check "a": nil checker`, `check "b": interval`, "drain delay"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("New() error = %q; want it to mention %q", err, want)
		}
	}
}

func TestMustNewPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("MustNew with an invalid option did not panic")
		}
	}()
	core.MustNew(core.WithCheck("", nil))
}

func TestValidName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give string
		want bool
	}{
		{"redis", true},
		{"db-primary", true},
		{"db_replica.2", true},
		{"Redis7", true},
		{"0", true},
		{strings.Repeat("a", 63), true},
		{"", false},
		{strings.Repeat("a", 64), false},
		{"-db", false},
		{".db", false},
		{"_db", false},
		{"db/x", false},
		{"db x", false},
		{"db%2F", false},
		{"dB\n", false},
		{"ré", false},
		{`"db"`, false},
		{"<db>", false},
	}
	for _, tt := range tests {
		if got := core.ValidName(tt.give); got != tt.want {
			t.Errorf("ValidName(%q) = %v; want %v", tt.give, got, tt.want)
		}
	}
}

func TestStatusText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give     core.Status
		wantText string
		wantCode int
	}{
		{core.StatusUnknown, "unknown", 503},
		{core.StatusStarting, "starting", 503},
		{core.StatusHealthy, "ok", 200},
		{core.StatusDegraded, "degraded", 200},
		{core.StatusUnhealthy, "unhealthy", 503},
		{core.StatusDraining, "draining", 503},
	}
	for _, tt := range tests {
		if got := tt.give.String(); got != tt.wantText {
			t.Errorf("Status(%d).String() = %q; want %q", tt.give, got, tt.wantText)
		}
		if got := tt.give.Passing(); got != (tt.wantCode == 200) {
			t.Errorf("%v.Passing() = %v; want %v (probes answer %d)", tt.give, got, !got, tt.wantCode)
		}
		b, err := tt.give.MarshalText()
		if err != nil {
			t.Fatalf("%v.MarshalText() error = %v", tt.give, err)
		}
		var back core.Status
		if err := back.UnmarshalText(b); err != nil || back != tt.give {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, back, err, tt.give)
		}
	}
	var s core.Status
	if err := s.UnmarshalText([]byte("healthy")); err != nil || s != core.StatusHealthy {
		t.Errorf(`UnmarshalText("healthy") = %v, %v; want ok`, s, err)
	}
	if err := s.UnmarshalText([]byte("fine")); err == nil {
		t.Error(`UnmarshalText("fine") = nil error; want an error`)
	}
	if got := core.Status(42).String(); got != "Status(42)" {
		t.Errorf("Status(42).String() = %q", got)
	}
	if _, err := core.Status(42).MarshalText(); err == nil {
		t.Error("Status(42).MarshalText() = nil error; want an error")
	}
}

func TestProbeString(t *testing.T) {
	t.Parallel()
	for p, want := range map[core.Probe]string{
		0:                             "none",
		core.Liveness:                 "liveness",
		core.Readiness | core.Startup: "readiness|startup",
		core.Liveness | 64:            "liveness|invalid",
	} {
		if got := p.String(); got != want {
			t.Errorf("Probe(%d).String() = %q; want %q", p, got, want)
		}
	}
}

// badConfig is a checker whose own configuration is wrong.
type badConfig struct{ core.CheckerFunc }

func (badConfig) Validate() error { return errors.New("httpcheck: invalid URL \"::\"") }

func TestNewCallsValidate(t *testing.T) {
	t.Parallel()
	_, err := core.New(core.WithCheck("api", badConfig{}), core.WithLogger(nil))
	if err == nil || err.Error() != `core: check "api": httpcheck: invalid URL "::"` {
		t.Errorf("New() with an invalid checker = %v; want the checker's Validate error naming the check", err)
	}
}
