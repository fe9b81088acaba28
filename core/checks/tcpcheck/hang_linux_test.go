package tcpcheck_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
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

// TestCheckDialHangs dials a listener whose dial hangs: with a dialer that
// honours the context, Check returns at its deadline.
func TestCheckDialHangs(t *testing.T) {
	t.Parallel()
	addr := fullListener(t)
	tests := []struct {
		name       string
		giveDialer tcpcheck.ContextDialer
	}{
		{name: "default dialer", giveDialer: nil},
		{name: "application's dialer", giveDialer: &net.Dialer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := tcpcheck.New(addr, tcpcheck.Dialer(tt.giveDialer))
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

// TestCheckDialerIgnoringContext runs a Checker whose dialer ignores the
// context in a core.Health, and makes its dials hang: Check waits for the
// dialer, and the Health abandons each run at its timeout and reports the
// check failing, with no observations, until the dials pass again.
func TestCheckDialerIgnoringContext(t *testing.T) {
	t.Parallel()
	up, hung := testenv.ListenSink(t), fullListener(t)
	d := &detached{}
	d.proxy.Store(&up)
	t.Cleanup(d.wg.Wait) // after the Health's Close: the last dial gives up on its own
	c := tcpcheck.New("db.internal:5432", tcpcheck.Dialer(d))

	st := assertHangInHealth(t, c,
		func() { d.proxy.Store(&hung) },
		func() { d.proxy.Store(&up) },
		stillRunning)
	if st.Observations != nil {
		t.Errorf("Observations while the dial hangs = %v; want nil", st.Observations)
	}
}

// detached dials through a proxy, ignoring the context, as some proxy
// dialers do, and gives up after a second of its own: it connects to the
// proxy address it holds whatever address it is asked for.
type detached struct {
	proxy atomic.Pointer[string]
	wg    sync.WaitGroup // dials in flight
}

func (d *detached) DialContext(ctx context.Context, network, _ string) (net.Conn, error) {
	d.wg.Add(1)
	defer d.wg.Done()
	dd := net.Dialer{Timeout: time.Second}
	return dd.DialContext(context.WithoutCancel(ctx), network, *d.proxy.Load())
}

// healthTimeout is the check timeout of the hang tests' Health.
const healthTimeout = 100 * time.Millisecond

const stillRunning = testenv.StillRunning

// assertHangInHealth is testenv.HangInHealth with this package's timeout.
func assertHangInHealth(t *testing.T, chk core.Checker, hang, restore func(), wantErr string) core.CheckState {
	t.Helper()
	return testenv.HangInHealth(t, chk, healthTimeout, hang, restore, wantErr)
}
