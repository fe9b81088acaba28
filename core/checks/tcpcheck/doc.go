// Package tcpcheck provides a [core.Checker] that a TCP address accepts
// connections and, optionally, completes a TLS handshake: for a
// dependency no other checker speaks to, a sidecar, or a TLS endpoint
// whose certificate must be trusted and current.
//
// # Usage
//
//	h, err := core.New(
//		core.WithCheck("smtp", tcpcheck.New("mail.internal:25")),
//		core.WithCheck("ldaps", tcpcheck.New("ldap.internal:636", tcpcheck.TLS(&tls.Config{RootCAs: corpCAs}))),
//	)
//	if err != nil {
//		return err
//	}
//	defer h.Close()
//
// Pass the application's own dialer with [Dialer] when it dials in a
// particular way (a local address, a proxy). A connection alone shows
// that something accepts connections, not that the process behind it
// answers: see [Checker] for what a connect check can and cannot see.
//
// # Deadlines
//
// Check dials in the calling goroutine and returns when the dialer does.
// [net.Dialer] and the TLS handshake give up at the context's deadline: a
// dial that hangs (a firewall dropping packets, a listener whose accept
// queue is full) or a TLS server that never answers fails the check at the
// deadline with an error wrapping [context.DeadlineExceeded]. Without a
// deadline, the default dialer gives up after [DefaultDialTimeout]. A
// dialer that ignores the context (some proxy dialers do) is not waited
// for by the [core.Health]: it abandons the run at the check's timeout
// ([core.Timeout]) and reports the check failing until the run returns.
//
// # Errors
//
// Errors name the address and the step that failed, and wrap the cause,
// so errors.Is works, for example with syscall.ECONNREFUSED:
//
//	tcpcheck: dial 10.0.0.7:25: connect: connection refused
//	tcpcheck: tls handshake with 10.0.0.7:636: context deadline exceeded
//
// # Observations
//
// A Checker is also a [core.Observer]: after each Check the scheduler
// reads the connect and TLS handshake times and how long the server's
// certificate remains valid; see [Checker.Observations].
package tcpcheck
