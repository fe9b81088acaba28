package tcpcheck_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/probekit/probekit/core/checks/tcpcheck"
	"github.com/probekit/probekit/internal/testenv"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	addr := testenv.ListenSink(t)
	c := tcpcheck.New(addr)
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}
	if got := strings.Join(testenv.ObservationNames(c), " "); got != "connect_time" {
		t.Errorf("Observations() names = %s; want connect_time", got)
	}
	if ct := testenv.Observed(c)["connect_time"]; ct.Unit != "ms" || ct.Value <= 0 {
		t.Errorf("Observations() connect_time = %v %q; want a positive number of ms", ct.Value, ct.Unit)
	}
}

func TestCheckRefused(t *testing.T) {
	t.Parallel()
	addr := testenv.FreeAddr(t)
	c := tcpcheck.New(addr)
	err := testenv.CheckWithin(c, testenv.CheckTimeout)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Check() = %v; want an error wrapping ECONNREFUSED", err)
	}
	if want := "tcpcheck: dial " + addr + ": connect: connection refused"; err == nil || err.Error() != want {
		t.Errorf("Check() = %v; want %s", err, want)
	}
	if obs := c.Observations(); obs != nil {
		t.Errorf("Observations() = %v; want nil after a failed dial", obs)
	}
}

// TestCheckProxy runs a Checker through a testenv.Proxy that refuses,
// blackholes and passes again.
func TestCheckProxy(t *testing.T) {
	t.Parallel()
	proxy := testenv.NewProxy(t, testenv.ListenSink(t))
	c := tcpcheck.New(proxy.Addr())
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Fatalf("Check() through the proxy = %v; want nil", err)
	}

	proxy.Refuse()
	err := testenv.CheckWithin(c, testenv.CheckTimeout)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Check() after Refuse = %v; want an error wrapping ECONNREFUSED", err)
	}

	// The proxy still accepts connections, as a hung process's kernel
	// does: a connect check cannot see a blackhole (see TestCheckTLS for
	// one that can).
	proxy.Blackhole()
	if err := testenv.CheckWithin(c, testenv.HangDeadline); err != nil {
		t.Errorf("Check() after Blackhole = %v; want nil: the connection is accepted", err)
	}

	proxy.Pass()
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Errorf("Check() after Pass = %v; want nil", err)
	}
}

func TestNewInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give    string
		wantErr string // empty: valid
	}{
		{give: "127.0.0.1:5432"},
		{give: "[::1]:443"},
		{give: "db.internal:postgresql"},
		{give: ":8080"},
		{give: "127.0.0.1", wantErr: `tcpcheck: invalid configuration: address "127.0.0.1": address 127.0.0.1: missing port in address`},
		{give: "127.0.0.1:", wantErr: `tcpcheck: invalid configuration: address "127.0.0.1:": no port`},
		{give: "::1:443", wantErr: `tcpcheck: invalid configuration: address "::1:443": address ::1:443: too many colons in address`},
		{give: "", wantErr: `tcpcheck: invalid configuration: address "": missing port in address`},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			t.Parallel()
			c := tcpcheck.New(tt.give)
			err := c.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Validate() = %v; want nil", err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Validate() = %v; want %s", err, tt.wantErr)
			}
			if !errors.Is(err, tcpcheck.ErrInvalidConfig) {
				t.Errorf("Validate() = %v; want an error wrapping ErrInvalidConfig", err)
			}
			if got := c.Check(context.Background()); got != err {
				t.Errorf("Check() = %v; want Validate()'s error %v", got, err)
			}
		})
	}
}

// TestCheckPanickingDialer shows a dialer's panic becomes the check's
// error, naming the step, also for a caller without core's recovery.
func TestCheckPanickingDialer(t *testing.T) {
	t.Parallel()
	c := tcpcheck.New("127.0.0.1:1", tcpcheck.Dialer(panicking{}))
	err := testenv.CheckWithin(c, testenv.CheckTimeout)
	if want := "tcpcheck: dial 127.0.0.1:1: panic: " + fmt.Sprint(errPanic); err == nil || err.Error() != want {
		t.Errorf("Check() = %v; want %s", err, want)
	}
}

var errPanic = errors.New("dialer bug")

// panicking is a dialer that panics: mocked, as no real dialer panics on
// purpose.
type panicking struct{}

func (panicking) DialContext(context.Context, string, string) (net.Conn, error) { panic(errPanic) }
