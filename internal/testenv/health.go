package testenv

import (
	"strings"
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
