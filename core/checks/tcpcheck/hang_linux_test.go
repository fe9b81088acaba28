package tcpcheck_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probekit/probekit/core/checks/tcpcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// fullListener returns the address of a loopback listener whose accept
// queue is full, so that Linux drops further SYNs and a dial to it hangs,
// as one through a firewall that drops packets does. The listener is
// closed when the test ends.
func fullListener(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil { // a queue of one, never accepted
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
	// Fill the queue: dial until a dial hangs.
	for range 10 {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return addr
			}
			t.Fatalf("filling the accept queue: %v", err)
		}
		t.Cleanup(func() { _ = c.Close() })
	}
	t.Fatalf("the accept queue of %s never filled", addr)
	return ""
}

// TestCheckDialHangs dials a listener whose dial hangs: Check returns at
// its deadline, also with a dialer that ignores the context.
func TestCheckDialHangs(t *testing.T) {
	t.Parallel()
	addr := fullListener(t)
	tests := []struct {
		name       string
		giveDialer func(t *testing.T) tcpcheck.ContextDialer
	}{
		{name: "default dialer", giveDialer: func(*testing.T) tcpcheck.ContextDialer { return nil }},
		{name: "application's dialer", giveDialer: func(*testing.T) tcpcheck.ContextDialer { return &net.Dialer{} }},
		{name: "dialer ignoring the context", giveDialer: func(t *testing.T) tcpcheck.ContextDialer {
			d := &detached{done: make(chan struct{})}
			// Wait for the abandoned dial, which gives up on its own.
			t.Cleanup(func() { <-d.done })
			return d
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := tcpcheck.New(addr, tcpcheck.Dialer(tt.giveDialer(t)))
			start := time.Now()
			err := testenv.CheckWithin(c, testenv.HangDeadline)
			t.Logf("Check() = %v after %v", err, time.Since(start).Round(time.Millisecond))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Check() = %v; want an error wrapping context.DeadlineExceeded", err)
			}
			if want := "tcpcheck: dial " + addr + ": "; err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Check() = %v; want it to start %q", err, want)
			}
			if obs := c.Observations(); obs != nil {
				t.Errorf("Observations() = %v; want nil after a failed dial", obs)
			}
		})
	}
}

// detached dials ignoring the context, as some proxy dialers do, giving up
// after a second of its own; done is closed when its one dial returns.
type detached struct{ done chan struct{} }

func (d *detached) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	defer close(d.done)
	dd := net.Dialer{Timeout: time.Second}
	return dd.DialContext(context.WithoutCancel(ctx), network, addr)
}
