//go:build unix

package testenv

import (
	"net/netip"
	"syscall"
)

// reservePort binds a TCP socket to addr, an IPv4 host:port, without
// listening on it. While it is held, connections to addr are still refused,
// but the kernel gives the port to no other listener asking for a free
// one, so a refusing [Proxy] can listen on it again later. Listening on
// addr with SO_REUSEADDR, as Go's listeners do, works while it is held.
// The returned function releases it.
func reservePort(addr string) (release func(), err error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return nil, err
	}
	if !ap.Addr().Is4() {
		return nil, syscall.EAFNOSUPPORT
	}
	// Like the net package: hold ForkLock so that no child process, such
	// as a test's redis-server, inherits the socket and the port with it.
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, syscall.IPPROTO_TCP)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, err
	}
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		_ = syscall.Close(fd)
		return nil, err
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()}); err != nil {
		_ = syscall.Close(fd)
		return nil, err
	}
	return func() { _ = syscall.Close(fd) }, nil
}
