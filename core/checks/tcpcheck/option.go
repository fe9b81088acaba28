package tcpcheck

import (
	"context"
	"crypto/tls"
	"net"
	"time"
)

// DefaultDialTimeout bounds the dial of a Checker's own dialer (see
// [Dialer]), even when Check's context has no deadline.
const DefaultDialTimeout = 10 * time.Second

// ContextDialer dials a connection, honouring ctx if it can. *net.Dialer,
// *tls.Dialer and golang.org/x/net/proxy's SOCKS dialers implement it.
type ContextDialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Option configures a [Checker]; pass options to [New].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is what the options set; New turns it into a Checker.
type config struct {
	dialer ContextDialer
	tls    *tls.Config
	useTLS bool
}

// Dialer sets the dialer Check connects with, such as the application's
// own *net.Dialer (with its local address, keep-alive or control
// function) or a proxy's dialer. A nil d, the default, means a
// *net.Dialer with a Timeout of [DefaultDialTimeout]. Check returns when d
// does; a d that ignores the context is abandoned by the [core.Health] at
// the check's timeout.
func Dialer(d ContextDialer) Option {
	return optionFunc(func(c *config) { c.dialer = d })
}

// TLS makes Check do a TLS handshake once connected, with a copy of cfg,
// and fail if it fails: the server must present a certificate cfg trusts
// for the address's host (cfg.ServerName, if set, names the host to
// verify and to ask for). A nil cfg means the zero tls.Config: the
// system's roots and the address's host. By default Check only connects.
//
// A handshake shows the server's process answers, which a connection
// alone does not (see [Checker]), and the certificate's expiry is
// reported as an observation.
func TLS(cfg *tls.Config) Option {
	return optionFunc(func(c *config) {
		c.tls = cfg
		c.useTLS = true
	})
}
