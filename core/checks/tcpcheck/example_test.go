package tcpcheck_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"syscall"
	"time"

	"github.com/probekit/probekit/core/checks/tcpcheck"
)

func ExampleNew() {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a service; in an application, its address
	if err != nil {
		panic(err)
	}
	addr := ln.Addr().String()

	// In an application: core.WithCheck("smtp", tcpcheck.New("mail.internal:25")).
	c := tcpcheck.New(addr)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	fmt.Println(c.Check(ctx))

	ln.Close() // the service goes away
	err = c.Check(ctx)
	fmt.Println(errors.Is(err, syscall.ECONNREFUSED))
	// Output:
	// <nil>
	// true
}

func ExampleTLS() {
	srv := httptest.NewTLSServer(http.NotFoundHandler()) // a TLS service
	defer srv.Close()
	roots := x509.NewCertPool() // in an application: the CAs it trusts
	roots.AddCert(srv.Certificate())

	c := tcpcheck.New(srv.Listener.Addr().String(), tcpcheck.TLS(&tls.Config{RootCAs: roots}))
	fmt.Println(c.Check(context.Background()))
	for _, o := range c.Observations() {
		fmt.Println(o.Name, o.Unit) // the values vary
	}
	// Output:
	// <nil>
	// connect_time ms
	// tls_handshake_time ms
	// cert_expires_in s
}
