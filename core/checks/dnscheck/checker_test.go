package dnscheck_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/probekit/probekit/core/checks/dnscheck"
	"github.com/probekit/probekit/internal/testenv"
)

var addr = netip.MustParseAddr

// TestCheckLocalhost resolves "localhost" with the system's resolver,
// which finds it in /etc/hosts: no name server needed.
func TestCheckLocalhost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		giveOpts []dnscheck.Option
	}{
		{name: "default"},
		{name: "ip4 127.0.0.1", giveOpts: []dnscheck.Option{dnscheck.Network("ip4"), dnscheck.ExpectAddr(addr("127.0.0.1"))}},
		{name: "mapped expected address", giveOpts: []dnscheck.Option{dnscheck.ExpectAddr(addr("::ffff:127.0.0.1"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := dnscheck.New("localhost", tt.giveOpts...)
			if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
				t.Fatalf("Check() = %v; want nil", err)
			}
			o := testenv.Observed(c)
			if n := o["addresses"].Value; n < 1 {
				t.Errorf("Observations() addresses = %v; want at least 1", n)
			}
			if rt := o["resolve_time"]; rt.Unit != "ms" || rt.Value < 0 {
				t.Errorf("Observations() resolve_time = %v %q; want >= 0 ms", rt.Value, rt.Unit)
			}
		})
	}
}

// TestCheckServer resolves names served by a DNS server of the test's.
func TestCheckServer(t *testing.T) {
	t.Parallel()
	srv := newDNSServer(t, map[string][]netip.Addr{
		"two.test": {addr("10.0.0.1"), addr("10.0.0.2"), addr("fd00::1")},
		"v6.test":  {addr("fd00::1")},
	})
	tests := []struct {
		name      string
		giveHost  string
		giveOpts  []dnscheck.Option
		wantErr   string // empty: nil
		wantIs    error
		wantAddrs float64 // -1: no observations
	}{
		{name: "found", giveHost: "two.test", wantAddrs: 3},
		{name: "case and final dot", giveHost: "TWO.test.", wantAddrs: 3},
		{name: "enough", giveHost: "two.test", giveOpts: []dnscheck.Option{dnscheck.MinAddrs(3)}, wantAddrs: 3},
		{name: "too few", giveHost: "two.test", giveOpts: []dnscheck.Option{dnscheck.MinAddrs(4)}, wantAddrs: 3,
			wantErr: "dnscheck: too few addresses: two.test has 3 (10.0.0.1, 10.0.0.2, fd00::1), want at least 4", wantIs: dnscheck.ErrTooFewAddrs},
		{name: "too few ip4", giveHost: "two.test", giveOpts: []dnscheck.Option{dnscheck.Network("ip4"), dnscheck.MinAddrs(3)}, wantAddrs: 2,
			wantErr: "dnscheck: too few addresses: two.test has 2 (10.0.0.1, 10.0.0.2), want at least 3", wantIs: dnscheck.ErrTooFewAddrs},
		{name: "ip6", giveHost: "two.test", giveOpts: []dnscheck.Option{dnscheck.Network("ip6"), dnscheck.ExpectAddr(addr("fd00::1"))}, wantAddrs: 1},
		{name: "expected", giveHost: "two.test", giveOpts: []dnscheck.Option{dnscheck.ExpectAddr(addr("10.0.0.2"), addr("fd00::1"))}, wantAddrs: 3},
		{name: "expected missing", giveHost: "two.test",
			giveOpts:  []dnscheck.Option{dnscheck.ExpectAddr(addr("10.0.0.1")), dnscheck.ExpectAddr(addr("10.0.0.9"), addr("10.0.0.8"))},
			wantAddrs: 3,
			wantErr:   "dnscheck: expected address missing: two.test has 10.0.0.1, 10.0.0.2, fd00::1, not 10.0.0.9, 10.0.0.8", wantIs: dnscheck.ErrMissingAddr},
		{name: "no address of the network", giveHost: "v6.test", giveOpts: []dnscheck.Option{dnscheck.Network("ip4")}, wantAddrs: -1,
			wantErr: "dnscheck: not found: lookup v6.test on ", wantIs: dnscheck.ErrNotFound},
		{name: "NXDOMAIN", giveHost: "nothing.invalid", wantAddrs: -1,
			wantErr: "dnscheck: not found: lookup nothing.invalid on ", wantIs: dnscheck.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := dnscheck.New(tt.giveHost, append([]dnscheck.Option{dnscheck.Resolver(resolver(srv.Addr()))}, tt.giveOpts...)...)
			err := testenv.CheckWithin(c, testenv.CheckTimeout)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Check() = %v; want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)):
				t.Errorf("Check() = %v; want it to start %q", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Check() = %v; want an error wrapping %v", err, tt.wantIs)
			}
			if tt.wantIs == dnscheck.ErrNotFound {
				var de *net.DNSError
				if !errors.As(err, &de) || !de.IsNotFound {
					t.Errorf("Check() = %v; want it to wrap a *net.DNSError with IsNotFound", err)
				}
			}
			o := testenv.Observed(c)
			if tt.wantAddrs < 0 {
				if len(o) != 0 {
					t.Errorf("Observations() = %v; want nil after a failed lookup", c.Observations())
				}
			} else if got := o["addresses"].Value; got != tt.wantAddrs {
				t.Errorf("Observations() addresses = %v; want %v", got, tt.wantAddrs)
			}
		})
	}
}

// TestCheckInvalidTLD resolves a name under .invalid (RFC 2606) with the
// system's resolver. Go sends it to the name server like any other name,
// so this needs one that answers, as the one of any machine with DNS does:
// NXDOMAIN, at once.
func TestCheckInvalidTLD(t *testing.T) {
	t.Parallel()
	err := testenv.CheckWithin(dnscheck.New("nothing.invalid"), testenv.CheckTimeout)
	t.Logf("Check() = %v", err)
	if errors.Is(err, dnscheck.ErrTimeout) {
		testenv.Unavailable(t, "the system's name server did not answer: %v", err)
	}
	if !errors.Is(err, dnscheck.ErrNotFound) {
		t.Errorf("Check() = %v; want an error wrapping ErrNotFound", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Check() = %v; want no context.DeadlineExceeded in a not-found error", err)
	}
}

// TestCheckDeadServer resolves through a testenv.Proxy in front of the
// test's DNS server that refuses, blackholes and passes again.
func TestCheckDeadServer(t *testing.T) {
	t.Parallel()
	srv := newDNSServer(t, map[string][]netip.Addr{"db.test": {addr("10.0.0.1")}})
	proxy := testenv.NewProxy(t, srv.Addr())
	c := dnscheck.New("db.test", dnscheck.Resolver(resolver(proxy.Addr())))
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Fatalf("Check() through the proxy = %v; want nil", err)
	}

	proxy.Refuse()
	err := testenv.CheckWithin(c, testenv.CheckTimeout)
	t.Logf("Check() after Refuse = %v", err)
	if err == nil || errors.Is(err, dnscheck.ErrNotFound) || errors.Is(err, dnscheck.ErrTimeout) {
		t.Errorf("Check() after Refuse = %v; want an error, neither not found nor timeout", err)
	}
	if want := "dnscheck: lookup db.test on "; err == nil || !strings.HasPrefix(err.Error(), want) ||
		!strings.Contains(err.Error(), "connection refused") {
		t.Errorf("Check() after Refuse = %v; want it to start %q and say connection refused", err, want)
	}

	proxy.Blackhole()
	start := time.Now()
	err = testenv.CheckWithin(c, testenv.HangDeadline)
	t.Logf("Check() after Blackhole = %v after %v", err, time.Since(start).Round(time.Millisecond))
	if !errors.Is(err, dnscheck.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Check() after Blackhole = %v; want an error wrapping ErrTimeout and context.DeadlineExceeded", err)
	}
	if want := "dnscheck: timeout: lookup db.test"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Check() after Blackhole = %v; want it to start %q", err, want)
	}
	if obs := c.Observations(); obs != nil {
		t.Errorf("Observations() = %v; want nil after a failed lookup", obs)
	}

	proxy.Pass()
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Errorf("Check() after Pass = %v; want nil", err)
	}
}

func TestCheckCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := dnscheck.New("localhost").Check(ctx)
	if want := "dnscheck: lookup localhost: context canceled"; err == nil || err.Error() != want {
		t.Errorf("Check(canceled) = %v; want %s", err, want)
	}
	if !errors.Is(err, context.Canceled) || errors.Is(err, dnscheck.ErrTimeout) {
		t.Errorf("Check(canceled) = %v; want an error wrapping context.Canceled, not ErrTimeout", err)
	}
}

func TestNewInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		giveHost string
		giveOpts []dnscheck.Option
		wantErr  string
	}{
		{name: "empty host", wantErr: "dnscheck: invalid configuration: empty host name"},
		{name: "network", giveHost: "db.test", giveOpts: []dnscheck.Option{dnscheck.Network("tcp")},
			wantErr: `dnscheck: invalid configuration: network "tcp", want ip, ip4 or ip6`},
		{name: "zero address", giveHost: "db.test", giveOpts: []dnscheck.Option{dnscheck.ExpectAddr(netip.Addr{})},
			wantErr: "dnscheck: invalid configuration: expected address is the zero netip.Addr"},
		{name: "address of another network", giveHost: "db.test", giveOpts: []dnscheck.Option{dnscheck.Network("ip4"), dnscheck.ExpectAddr(addr("::1"))},
			wantErr: "dnscheck: invalid configuration: expected address ::1 is not in network ip4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := dnscheck.New(tt.giveHost, tt.giveOpts...)
			err := c.Validate()
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Validate() = %v; want %s", err, tt.wantErr)
			}
			if !errors.Is(err, dnscheck.ErrInvalidConfig) {
				t.Errorf("Validate() = %v; want an error wrapping ErrInvalidConfig", err)
			}
			if got := c.Check(context.Background()); got != err {
				t.Errorf("Check() = %v; want Validate()'s error %v", got, err)
			}
		})
	}
	if err := dnscheck.New("localhost", dnscheck.Network("ip6"), dnscheck.MinAddrs(-1)).Validate(); err != nil {
		t.Errorf("Validate() of a valid configuration = %v; want nil", err)
	}
}
