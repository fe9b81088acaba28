package testenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
)

// deadlineChecker reports whether its context had a deadline, and
// observes a fixed list.
type deadlineChecker struct{ obs []core.Observation }

func (deadlineChecker) Check(ctx context.Context) error {
	if _, ok := ctx.Deadline(); ok {
		return errors.New("deadline")
	}
	return nil
}

func (c deadlineChecker) Observations() []core.Observation { return c.obs }

func TestCheckWithin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    time.Duration
		wantErr bool // Check saw a deadline
	}{
		{name: "deadline", give: time.Minute, wantErr: true},
		{name: "zero: none", give: 0},
		{name: "negative: none", give: -time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := CheckWithin(deadlineChecker{}, tt.give); (err != nil) != tt.wantErr {
				t.Errorf("CheckWithin(c, %v) = %v; want a deadline: %v", tt.give, err, tt.wantErr)
			}
		})
	}
}

func TestObserved(t *testing.T) {
	t.Parallel()
	c := deadlineChecker{obs: []core.Observation{{Name: "b", Value: 2, Unit: "ms"}, {Name: "a", Value: 1}}}
	if got, want := ObservationNames(c), []string{"b", "a"}; !slices.Equal(got, want) {
		t.Errorf("ObservationNames() = %v; want %v", got, want)
	}
	o := Observed(c)
	if len(o) != 2 || o["a"].Value != 1 || o["b"].Unit != "ms" {
		t.Errorf("Observed() = %v; want a=1, b=2 ms", o)
	}
	if got := ObservationNames(deadlineChecker{}); got != nil {
		t.Errorf("ObservationNames(none) = %v; want nil", got)
	}
}

// errorRecorder is a testing.TB that records Errorf calls.
type errorRecorder struct {
	testing.TB
	errs []string
}

func (r *errorRecorder) Helper() {}

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestWantPanic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		give     func()
		wantErrs []string
	}{
		{name: "panics", give: func() { panic("boom") }},
		{name: "returns", give: func() {}, wantErrs: []string{"f() did not panic"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &errorRecorder{TB: t}
			WantPanic(r, "f()", tt.give)
			if !slices.Equal(r.errs, tt.wantErrs) {
				t.Errorf("WantPanic() errors = %q; want %q", r.errs, tt.wantErrs)
			}
		})
	}
}

// TestListenSink: the sink accepts connections and holds them open until
// the peer closes them; the test's cleanup closes the rest (goleak in
// TestMain checks that nothing is left running).
func TestListenSink(t *testing.T) {
	t.Parallel()
	addr := ListenSink(t)
	for range 2 {
		c, err := net.DialTimeout("tcp", addr, ioTimeout)
		if err != nil {
			t.Fatalf("Dial(%s) = %v; want nil", addr, err)
		}
		defer c.Close()
		if _, err := c.Write([]byte("discarded")); err != nil {
			t.Errorf("Write() = %v; want nil", err)
		}
		// Nothing comes back, and the connection stays open.
		if err := c.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		var ne net.Error
		if _, err := c.Read(make([]byte, 1)); !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("Read() = %v; want a timeout (open, nothing sent back)", err)
		}
	}
}

func TestListenTCPServes(t *testing.T) {
	t.Parallel()
	addr := ListenTCP(t, func(c net.Conn) { _, _ = io.Copy(c, c) })
	c, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatalf("Dial(%s) = %v; want nil", addr, err)
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(ioTimeout)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
		t.Errorf("echo = %q, %v; want \"ping\", nil", buf, err)
	}
}
