package testenv

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
)

// NewHealth returns core.New(opts...) with logging off (a later
// core.WithLogger in opts wins), failing the test on an error, and closes
// it when the test ends. It starts nothing.
func NewHealth(t testing.TB, opts ...core.Option) *core.Health {
	t.Helper()
	h, err := core.New(append([]core.Option{core.WithLogger(nil)}, opts...)...)
	if err != nil {
		t.Fatalf("core.New() error = %v", err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}

// StripInfo returns a verbose probe body without its first line when that
// is the "info: service=… version=… uptime=…" line, whose uptime varies
// from run to run, so that tests can compare the rest exactly.
func StripInfo(body string) string {
	if strings.HasPrefix(body, "info:") {
		if i := strings.IndexByte(body, '\n'); i >= 0 {
			return body[i+1:]
		}
	}
	return body
}

// Unhealthy returns a started Health whose readiness checks are redis,
// passing, and db (critical), failing with "dial tcp 10.0.0.7:5432:
// connection refused", once both have a result. Its checks run once.
func Unhealthy(t testing.TB) *core.Health {
	t.Helper()
	pass := core.CheckerFunc(func(context.Context) error { return nil })
	fail := core.CheckerFunc(func(context.Context) error { return errors.New("dial tcp 10.0.0.7:5432: connection refused") })
	h := NewHealth(t,
		core.WithCheckDefaults(core.Interval(time.Hour), core.Timeout(time.Hour), core.FailureThreshold(1)),
		core.WithCheck("redis", pass),
		core.WithCheck("db", fail),
	)
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	Eventually(t, CheckTimeout, func() error {
		for _, c := range h.Checks() {
			if c.Checked.IsZero() {
				return fmt.Errorf("check %s has no result yet", c.Name)
			}
		}
		return nil
	})
	return h
}
