package pgxcheck_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/probekit/probekit/core/checks/pgxcheck"
	"github.com/probekit/probekit/internal/testenv"
)

func TestNew(t *testing.T) {
	t.Parallel()
	pool := newPool(t, dsn(t, "", nil, url.Values{"pool_max_conns": {"4"}}))
	tests := []struct {
		name     string
		giveOpts []pgxcheck.Option
		wantErr  string // empty: nil
	}{
		{name: "default"},
		{name: "query", giveOpts: []pgxcheck.Option{pgxcheck.Query("SELECT 2")}},
		{name: "empty query is the default", giveOpts: []pgxcheck.Option{pgxcheck.Query("")}},
		{name: "rows are drained", giveOpts: []pgxcheck.Option{pgxcheck.Query("SELECT generate_series(1, 10000)")}},
		{name: "ping", giveOpts: []pgxcheck.Option{pgxcheck.Ping()}},
		{name: "ping then query", giveOpts: []pgxcheck.Option{pgxcheck.Ping(), pgxcheck.Query("SELECT 3")}},
		{name: "bad query", giveOpts: []pgxcheck.Option{pgxcheck.Query("SELECT 1 FROM no_such_table")},
			wantErr: `pgxcheck: query: ERROR: relation "no_such_table" does not exist (SQLSTATE 42P01)`},
		{name: "error after the first rows", giveOpts: []pgxcheck.Option{pgxcheck.Query("SELECT 1 / (3 - n) FROM generate_series(1, 5) n")},
			wantErr: `pgxcheck: query: ERROR: division by zero (SQLSTATE 22012)`},
		{name: "query then ping", giveOpts: []pgxcheck.Option{pgxcheck.Query("SELECT 1 FROM no_such_table"), pgxcheck.Ping()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := testenv.CheckWithin(pgxcheck.New(pool, tt.giveOpts...), testenv.CheckTimeout)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Check() = %v; want nil", err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Check() = %v; want %s", err, tt.wantErr)
			}
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				t.Errorf("Check() = %v; want it to wrap a *pgconn.PgError", err)
			}
		})
	}
	// Every connection went back to the pool.
	if n := testenv.Observed(pgxcheck.New(pool))["acquired_connections"].Value; n != 0 {
		t.Errorf("Observations() acquired_connections = %v after the Checks; want 0", n)
	}
}

func TestCheckObservations(t *testing.T) {
	t.Parallel()
	pool := newPool(t, dsn(t, "", nil, url.Values{"pool_max_conns": {"7"}}))
	c := pgxcheck.New(pool)
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
		t.Fatalf("Check() = %v; want nil", err)
	}
	assertPoolObservations(t, c, 7)
	if n := testenv.Observed(c)["empty_acquire_count"].Value; n != 1 {
		t.Errorf("Observations() empty_acquire_count = %v; want 1: the first Check waited for a new connection", n)
	}
}

// assertPoolObservations checks the observations of c after a passing
// Check on an otherwise idle pool of at most maxConns connections.
func assertPoolObservations(t *testing.T, c *pgxcheck.Checker, maxConns int) {
	t.Helper()
	wantNames := "total_connections idle_connections acquired_connections constructing_connections max_connections " +
		"acquire_count acquire_duration empty_acquire_count canceled_acquire_count"
	if got := strings.Join(testenv.ObservationNames(c), " "); got != wantNames {
		t.Errorf("Observations() names = %s; want %s", got, wantNames)
	}
	o := testenv.Observed(c)
	total, idle, acquired, constructing := o["total_connections"].Value, o["idle_connections"].Value,
		o["acquired_connections"].Value, o["constructing_connections"].Value
	if total < 1 || idle != total || acquired != 0 || constructing != 0 {
		t.Errorf("Observations() total, idle, acquired, constructing = %v, %v, %v, %v; want at least 1, all idle",
			total, idle, acquired, constructing)
	}
	if got := o["max_connections"].Value; got != float64(maxConns) {
		t.Errorf("Observations() max_connections = %v; want %d", got, maxConns)
	}
	if got := o["acquire_count"].Value; got < 1 {
		t.Errorf("Observations() acquire_count = %v; want at least 1", got)
	}
	if got := o["acquire_duration"]; got.Unit != "ms" || got.Value <= 0 {
		t.Errorf("Observations() acquire_duration = %v %q; want > 0 ms", got.Value, got.Unit)
	}
	if got := o["empty_acquire_count"].Value; got < 0 || got > o["acquire_count"].Value {
		t.Errorf("Observations() empty_acquire_count = %v; want 0 to acquire_count", got)
	}
}

// TestCheckFaults runs a Checker through a testenv.Proxy that refuses,
// blackholes and then passes the connection again, on the same pool.
func TestCheckFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		giveOpts []pgxcheck.Option
		wantOp   string
	}{
		{name: "query", wantOp: "query"},
		{name: "ping", giveOpts: []pgxcheck.Option{pgxcheck.Ping()}, wantOp: "ping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			proxy := testenv.NewProxy(t, dsnHost(t))
			pool := newPool(t, dsn(t, proxy.Addr(), nil, url.Values{"pool_max_conns": {"4"}}))
			c := pgxcheck.New(pool, tt.giveOpts...)
			prefix := "pgxcheck: " + tt.wantOp + ": "
			if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
				t.Fatalf("Check() through the proxy = %v; want nil", err)
			}

			proxy.Refuse()
			// The first Check may still find the pooled connection, which
			// the proxy reset; then it dials, and is refused.
			err := testenv.CheckWithin(c, testenv.CheckTimeout)
			t.Logf("Check() after Refuse = %v", err)
			if err == nil || !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("Check() after Refuse = %v; want an error starting %q", err, prefix)
			}
			testenv.Eventually(t, testenv.CheckTimeout, func() error {
				err := testenv.CheckWithin(c, testenv.CheckTimeout)
				if !errors.Is(err, syscall.ECONNREFUSED) {
					return fmt.Errorf("Check() after Refuse = %v; want an error wrapping ECONNREFUSED", err)
				}
				if want := "dial error: dial tcp " + proxy.Addr() + ": connect: connection refused"; !strings.Contains(err.Error(), want) {
					return fmt.Errorf("Check() after Refuse = %v; want it to say %q", err, want)
				}
				return nil
			})

			proxy.Blackhole()
			start := time.Now()
			err = testenv.CheckWithin(c, testenv.HangDeadline)
			t.Logf("Check() after Blackhole = %v after %v", err, time.Since(start).Round(time.Millisecond))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Check() after Blackhole = %v; want an error wrapping context.DeadlineExceeded", err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("Check() after Blackhole = %q; want it to start %q", err, prefix)
			}
			// The connection the pool started to open for that Check is
			// still opening: pgxpool lets it finish in the background.
			if n := testenv.Observed(c)["constructing_connections"].Value; n != 1 {
				t.Errorf("Observations() constructing_connections after Blackhole = %v; want 1", n)
			}

			proxy.Pass()
			testenv.Eventually(t, testenv.CheckTimeout, func() error { return testenv.CheckWithin(c, testenv.CheckTimeout) })
			testenv.Eventually(t, testenv.CheckTimeout, func() error {
				o := testenv.Observed(c)
				if n := o["acquired_connections"].Value + o["constructing_connections"].Value; n != 0 {
					return fmt.Errorf("Observations() acquired + constructing = %v; want 0", n)
				}
				return nil
			})
			assertPoolObservations(t, c, 4)
			if n := testenv.Observed(c)["canceled_acquire_count"].Value; n < 1 {
				t.Errorf("Observations() canceled_acquire_count = %v; want at least 1, the Check cut short by Blackhole", n)
			}
		})
	}
}

// dsnHost returns the shared PostgreSQL's host:port.
func dsnHost(t *testing.T) string {
	t.Helper()
	u, err := url.Parse(testenv.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func TestNewNilPoolPanics(t *testing.T) {
	t.Parallel()
	testenv.WantPanic(t, "New(nil)", func() { pgxcheck.New(nil) })
}
