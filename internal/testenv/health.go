package testenv

import (
	"testing"

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
