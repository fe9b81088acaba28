//go:build unix

package testenv

import (
	"errors"
	"net"
	"syscall"
	"testing"
)

func TestProxyRefuseReservesPort(t *testing.T) {
	t.Parallel()
	p := NewProxy(t, startEcho(t))
	p.Refuse()

	// A listener without SO_REUSEADDR, as one asking for a free port is
	// treated, cannot have the port while the proxy refuses.
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		if cerr := c.Control(func(fd uintptr) {
			err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 0)
		}); cerr != nil {
			return cerr
		}
		return err
	}}
	ln, err := lc.Listen(t.Context(), "tcp", p.Addr())
	if err == nil {
		_ = ln.Close()
	}
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Errorf("Listen(%s) while refusing = %v; want EADDRINUSE", p.Addr(), err)
	}
	expect(t, p, nil, refused, "")

	p.Pass()
	expect(t, p, nil, echoes, "back")
}
