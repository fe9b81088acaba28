package sqlcheck_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/internal/testenv"
)

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		giveOpts []sqlcheck.Option
		wantErr  string // prefix of the error; empty: nil
	}{
		{name: "default"},
		{name: "query", giveOpts: []sqlcheck.Option{sqlcheck.Query("SELECT 2")}},
		{name: "empty query is the default", giveOpts: []sqlcheck.Option{sqlcheck.Query("")}},
		{name: "rows are drained", giveOpts: []sqlcheck.Option{sqlcheck.Query("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3")}},
		{name: "ping", giveOpts: []sqlcheck.Option{sqlcheck.Ping()}},
		{name: "ping then query", giveOpts: []sqlcheck.Option{sqlcheck.Ping(), sqlcheck.Query("SELECT 3")}},
		{name: "bad query", giveOpts: []sqlcheck.Option{sqlcheck.Query("SELECT * FROM no_such_table")}, wantErr: "sqlcheck: query: "},
		{name: "query then ping", giveOpts: []sqlcheck.Option{sqlcheck.Query("SELECT * FROM no_such_table"), sqlcheck.Ping()}},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := newSpace(t, b)
			db := s.open(t, s.dsn)
			db.SetMaxOpenConns(7)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					err := testenv.CheckWithin(sqlcheck.New(db, tt.giveOpts...), testenv.CheckTimeout)
					switch {
					case tt.wantErr == "" && err != nil:
						t.Errorf("Check() = %v; want nil", err)
					case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)):
						t.Errorf("Check() = %v; want an error starting %q", err, tt.wantErr)
					}
				})
			}
		})
	}
}

func TestCheckerObservations(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := newSpace(t, b)
			db := s.open(t, s.dsn)
			db.SetMaxOpenConns(7)
			c := sqlcheck.New(db)
			if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
				t.Fatalf("Check() = %v; want nil", err)
			}
			assertPoolObservations(t, c, 7)
		})
	}
}

// assertPoolObservations checks the observations of c after a passing
// Check on an otherwise idle pool limited to maxOpen connections.
func assertPoolObservations(t *testing.T, c *sqlcheck.Checker, maxOpen int) {
	t.Helper()
	wantNames := "open_connections in_use idle wait_count wait_duration max_open_connections"
	if got := strings.Join(testenv.ObservationNames(c), " "); got != wantNames {
		t.Errorf("Observations() names = %s; want %s", got, wantNames)
	}
	o := testenv.Observed(c)
	open, inUse, idle := o["open_connections"].Value, o["in_use"].Value, o["idle"].Value
	if open < 1 || inUse != 0 || idle != open {
		t.Errorf("Observations() open, in_use, idle = %v, %v, %v; want at least 1 open, none in use, all idle", open, inUse, idle)
	}
	if got := o["max_open_connections"].Value; got != float64(maxOpen) {
		t.Errorf("Observations() max_open_connections = %v; want %d", got, maxOpen)
	}
	if got := o["wait_duration"]; got.Unit != "ms" || got.Value < 0 {
		t.Errorf("Observations() wait_duration = %v %q; want >= 0 ms", got.Value, got.Unit)
	}
	if got := o["wait_count"].Value; got < 0 {
		t.Errorf("Observations() wait_count = %v; want >= 0", got)
	}
}

// TestNewFaults runs a Checker through a testenv.Proxy that refuses,
// blackholes and then passes the connection again, on the same *sql.DB.
func TestNewFaults(t *testing.T) {
	t.Parallel()
	for _, b := range []backend{postgres, mariadb} {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := newSpace(t, b)
			proxy := testenv.NewProxy(t, s.addr)
			db := s.open(t, s.dsnVia(t, proxy.Addr(), ""))
			db.SetMaxOpenConns(4)
			c := sqlcheck.New(db)

			if err := testenv.CheckWithin(c, testenv.CheckTimeout); err != nil {
				t.Fatalf("Check() through the proxy = %v; want nil", err)
			}

			proxy.Refuse()
			// The first Check may still find the pooled connection, which
			// the proxy reset; then it dials, and is refused.
			err := testenv.CheckWithin(c, testenv.CheckTimeout)
			t.Logf("Check() after Refuse = %v", err)
			if err == nil || !strings.HasPrefix(err.Error(), "sqlcheck: query: ") {
				t.Errorf("Check() after Refuse = %v; want a sqlcheck: query: error", err)
			}
			testenv.Eventually(t, testenv.CheckTimeout, func() error {
				if err := testenv.CheckWithin(c, testenv.CheckTimeout); !errors.Is(err, syscall.ECONNREFUSED) {
					return fmt.Errorf("Check() after Refuse = %v; want an error wrapping ECONNREFUSED", err)
				}
				return nil
			})

			proxy.Blackhole()
			err = testenv.CheckWithin(c, testenv.HangDeadline)
			t.Logf("Check() after Blackhole = %v", err)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Check() after Blackhole = %v; want an error wrapping context.DeadlineExceeded", err)
			}
			// Both drivers give up at the deadline; the error wraps it,
			// whatever the driver reported.
			if err != nil && !strings.HasPrefix(err.Error(), "sqlcheck: query: ") {
				t.Errorf("Check() after Blackhole = %q; want it to start %q", err, "sqlcheck: query: ")
			}

			proxy.Pass()
			testenv.Eventually(t, testenv.CheckTimeout, func() error { return testenv.CheckWithin(c, testenv.CheckTimeout) })
			// The query cancelled at the deadline may still count as in
			// use until database/sql and the driver have unwound it, which
			// on a loaded machine can be after the next Check.
			testenv.Eventually(t, testenv.CheckTimeout, func() error {
				if n := testenv.Observed(c)["in_use"].Value; n != 0 {
					return fmt.Errorf("Observations() in_use = %v; want 0", n)
				}
				return nil
			})
			assertPoolObservations(t, c, 4)
		})
	}
}

// TestNewErrorsHaveNoPassword connects with a password through a proxy that
// refuses, then blackholes, and looks for the password in the errors.
func TestNewErrorsHaveNoPassword(t *testing.T) {
	t.Parallel()
	const password = "hunter2-do-not-print"
	for _, b := range []backend{postgres, mariadb} {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := newSpace(t, b)
			proxy := testenv.NewProxy(t, s.addr)
			proxy.Refuse()
			db := s.open(t, s.dsnVia(t, proxy.Addr(), password))
			c := sqlcheck.New(db)

			refused := testenv.CheckWithin(c, testenv.CheckTimeout)
			proxy.Blackhole()
			hung := testenv.CheckWithin(c, testenv.HangDeadline)
			errs := []error{refused, hung}
			if b == mariadb {
				// MariaDB's root has no password here, so a password is
				// wrong, and the server itself answers with an error.
				proxy.Pass()
				errs = append(errs, testenv.CheckWithin(c, testenv.CheckTimeout))
			}
			for _, err := range errs {
				t.Logf("Check() = %v", err)
				if err == nil {
					t.Errorf("Check() = nil; want an error")
				} else if strings.Contains(err.Error(), password) {
					t.Errorf("Check() = %q; want no password in it", err)
				}
			}
		})
	}
}

func TestNewNilDBPanics(t *testing.T) {
	t.Parallel()
	testenv.WantPanic(t, "New(nil)", func() { sqlcheck.New(nil) })
}
