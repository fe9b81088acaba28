package sqlcheck_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// checkTimeout bounds a Check expected to succeed or fail by itself.
const checkTimeout = 10 * time.Second

// blackholeDeadline is the deadline of a Check that is expected to hang.
const blackholeDeadline = 300 * time.Millisecond

// check runs c.Check with a deadline of d.
func check(c core.Checker, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return c.Check(ctx)
}

// observed returns c's observations by name, with their units.
func observed(c core.Observer) map[string]core.Observation {
	m := make(map[string]core.Observation)
	for _, o := range c.Observations() {
		m[o.Name] = o
	}
	return m
}

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
					err := check(sqlcheck.New(db, tt.giveOpts...), checkTimeout)
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
			if err := check(c, checkTimeout); err != nil {
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
	var names []string
	for _, o := range c.Observations() {
		names = append(names, o.Name)
	}
	wantNames := "open_connections in_use idle wait_count wait_duration max_open_connections"
	if got := strings.Join(names, " "); got != wantNames {
		t.Errorf("Observations() names = %s; want %s", got, wantNames)
	}
	o := observed(c)
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

			if err := check(c, checkTimeout); err != nil {
				t.Fatalf("Check() through the proxy = %v; want nil", err)
			}

			proxy.Refuse()
			// The first Check may still find the pooled connection, which
			// the proxy reset; then it dials, and is refused.
			err := check(c, checkTimeout)
			t.Logf("Check() after Refuse = %v", err)
			if err == nil || !strings.HasPrefix(err.Error(), "sqlcheck: query: ") {
				t.Errorf("Check() after Refuse = %v; want a sqlcheck: query: error", err)
			}
			testenv.Eventually(t, checkTimeout, func() error {
				if err := check(c, checkTimeout); !errors.Is(err, syscall.ECONNREFUSED) {
					return fmt.Errorf("Check() after Refuse = %v; want an error wrapping ECONNREFUSED", err)
				}
				return nil
			})

			proxy.Blackhole()
			err = check(c, blackholeDeadline)
			t.Logf("Check() after Blackhole = %v", err)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Check() after Blackhole = %v; want an error wrapping context.DeadlineExceeded", err)
			}
			// Which comes first, Check giving up or the driver, is a race;
			// either way the error wraps the deadline.
			if err != nil && !strings.HasPrefix(err.Error(), "sqlcheck: query: ") {
				t.Errorf("Check() after Blackhole = %q; want it to start %q", err, "sqlcheck: query: ")
			}

			proxy.Pass()
			testenv.Eventually(t, checkTimeout, func() error {
				if err := check(c, checkTimeout); err != nil {
					return fmt.Errorf("Check() after Pass = %v; want nil", err)
				}
				return nil
			})
			// The query abandoned at the deadline still counts as in use
			// until the driver has unwound it, which on a loaded machine
			// can be after the next Check.
			testenv.Eventually(t, checkTimeout, func() error {
				if n := observed(c)["in_use"].Value; n != 0 {
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

			refused := check(c, checkTimeout)
			proxy.Blackhole()
			hung := check(c, blackholeDeadline)
			errs := []error{refused, hung}
			if b == mariadb {
				// MariaDB's root has no password here, so a password is
				// wrong, and the server itself answers with an error.
				proxy.Pass()
				errs = append(errs, check(c, checkTimeout))
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
	defer func() {
		if recover() == nil {
			t.Errorf("New(nil) did not panic; want a panic")
		}
	}()
	sqlcheck.New(nil)
}
