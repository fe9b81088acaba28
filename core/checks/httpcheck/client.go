package httpcheck

import (
	"net"
	"net/http"
)

// defaultClient returns the client of a Checker not given one: bounded in
// time, no keep-alives (so nothing outlives a Check), proxies from the
// environment as with http.DefaultTransport.
func defaultClient() *http.Client {
	d := &net.Dialer{Timeout: DefaultClientTimeout / 2, KeepAlive: -1}
	return &http.Client{
		Timeout: DefaultClientTimeout,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           d.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   DefaultClientTimeout / 2,
			ResponseHeaderTimeout: DefaultClientTimeout,
			DisableKeepAlives:     true,
		},
	}
}

// withoutRedirects returns a copy of c that returns redirects to its
// caller instead of following them. The copy shares c's transport, and so
// its connection pool, and its cookie jar.
func withoutRedirects(c *http.Client) *http.Client {
	cp := *c
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// drainLimit is how much of an unread body is read before closing it, so
// that the connection can be reused; a longer body is left unread and its
// connection closed. The same limit as net/http's client uses for the
// bodies of the redirects it follows.
const drainLimit = 4 << 10
