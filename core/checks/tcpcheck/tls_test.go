package tcpcheck_test

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/core/checks/tcpcheck"
	"github.com/probekit/probekit/internal/testenv"
)

func TestCheckTLS(t *testing.T) {
	t.Parallel()
	srv, roots := newTLSServer(t)
	addr := srv.Listener.Addr().String()
	plain := testenv.ListenSink(t) // accepts, then waits for a ClientHello answer that never comes
	tests := []struct {
		name       string
		giveAddr   string
		giveConfig *tls.Config
		giveWait   time.Duration
		wantErr    string // prefix; empty: nil
		wantIs     error
	}{
		{name: "trusted", giveAddr: addr, giveConfig: &tls.Config{RootCAs: roots}},
		{name: "system roots", giveAddr: addr, giveConfig: nil,
			wantErr: "tcpcheck: tls handshake with " + addr + ": tls: failed to verify certificate: x509: "},
		{name: "wrong name", giveAddr: addr, giveConfig: &tls.Config{RootCAs: roots, ServerName: "db.internal"},
			wantErr: "tcpcheck: tls handshake with " + addr + ": tls: failed to verify certificate: x509: certificate is valid for example.com, *.example.com, not db.internal"},
		{name: "server name asked for", giveAddr: addr, giveConfig: &tls.Config{RootCAs: roots, ServerName: "example.com"}},
		{name: "not a TLS server", giveAddr: plain, giveConfig: &tls.Config{RootCAs: roots}, giveWait: testenv.HangDeadline,
			wantErr: "tcpcheck: tls handshake with " + plain + ": context deadline exceeded", wantIs: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wait := tt.giveWait
			if wait == 0 {
				wait = testenv.CheckTimeout
			}
			c := tcpcheck.New(tt.giveAddr, tcpcheck.TLS(tt.giveConfig))
			err := testenv.CheckWithin(c, wait)
			t.Logf("Check() = %v", err)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Check() = %v; want nil", err)
				}
				assertTLSObservations(t, c)
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("Check() = %v; want it to start %q", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Check() = %v; want an error wrapping %v", err, tt.wantIs)
			}
			if got := strings.Join(testenv.ObservationNames(c), " "); got != "connect_time" {
				t.Errorf("Observations() names after a failed handshake = %s; want connect_time", got)
			}
		})
	}
}

// assertTLSObservations checks c's observations after a passing Check
// with TLS.
func assertTLSObservations(t *testing.T, c *tcpcheck.Checker) {
	t.Helper()
	if got, want := strings.Join(testenv.ObservationNames(c), " "), "connect_time tls_handshake_time cert_expires_in"; got != want {
		t.Errorf("Observations() names = %s; want %s", got, want)
	}
	o := testenv.Observed(c)
	if hs := o["tls_handshake_time"]; hs.Unit != "ms" || hs.Value <= 0 {
		t.Errorf("Observations() tls_handshake_time = %v %q; want a positive number of ms", hs.Value, hs.Unit)
	}
	// httptest's certificate is valid until 2084.
	if exp := o["cert_expires_in"]; exp.Unit != "s" || exp.Value < (50*365*24*time.Hour).Seconds() {
		t.Errorf("Observations() cert_expires_in = %v %q; want decades in s", exp.Value, exp.Unit)
	}
}

// TestCheckTLSProxy runs a TLS Checker through a testenv.Proxy: unlike a
// bare connection, a handshake cannot pass a blackhole.
func TestCheckTLSProxy(t *testing.T) {
	t.Parallel()
	srv, roots := newTLSServer(t)
	proxy := testenv.NewProxy(t, srv.Listener.Addr().String())
	// The proxy listens on 127.0.0.1, which the certificate covers.
	c := tcpcheck.New(proxy.Addr(), tcpcheck.TLS(&tls.Config{RootCAs: roots}))
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Fatalf("Check() through the proxy = %v; want nil", err)
	}

	proxy.Blackhole()
	start := time.Now()
	err := testenv.CheckWithin(c, testenv.HangDeadline)
	t.Logf("Check() after Blackhole = %v after %v", err, time.Since(start).Round(time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Check() after Blackhole = %v; want an error wrapping context.DeadlineExceeded", err)
	}
	if want := "tcpcheck: tls handshake with " + proxy.Addr() + ": "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Check() after Blackhole = %v; want it to start %q", err, want)
	}

	proxy.Pass()
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Fatalf("Check() after Pass = %v; want nil", err)
	}
	assertTLSObservations(t, c)
}
