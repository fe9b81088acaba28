package pgxcheck_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/probekit/probekit/core/checks/pgxcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// TestCheckErrorsHaveNoPassword points pools with a password in their DSN
// at a server that is down, hangs, or rejects the user, and at a hook that
// puts the password in its error, and looks for it in the errors.
func TestCheckErrorsHaveNoPassword(t *testing.T) {
	t.Parallel()
	const password = "s3cret-do-not-print"
	dead := testenv.FreeAddr(t)
	hung := testenv.NewProxy(t, dsnHost(t))
	hung.Blackhole()
	open := testenv.NewProxy(t, dsnHost(t))

	tests := []struct {
		name     string
		giveDSN  string
		giveHook bool // a BeforeConnect hook that quotes the password
		giveWait bool // hangs: a short deadline
	}{
		{name: "refused", giveDSN: "postgres://u:" + password + "@" + dead + "/db"},
		{name: "refused, key/value DSN", giveDSN: "host=127.0.0.1 port=" + strings.TrimPrefix(dead, "127.0.0.1:") +
			" user=u password=" + password + " dbname=db"},
		{name: "blackholed", giveDSN: "postgres://u:" + password + "@" + hung.Addr() + "/db", giveWait: true},
		{name: "unknown role", giveDSN: dsn(t, open.Addr(), url.UserPassword("no_such_role", password), nil)},
		{name: "hook", giveDSN: "postgres://u:" + password + "@" + dead + "/db", giveHook: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := pgxpool.ParseConfig(tt.giveDSN)
			if err != nil {
				t.Fatalf("pgxpool.ParseConfig() = %v", err)
			}
			if tt.giveHook {
				// A hook that fetches credentials and reports them carelessly.
				cfg.BeforeConnect = func(_ context.Context, cc *pgx.ConnConfig) error {
					return fmt.Errorf("vault: credential %s for %s expired", cc.Password, cc.User)
				}
			}
			c := pgxcheck.New(newPoolConfig(t, cfg))
			wait := testenv.CheckTimeout
			if tt.giveWait {
				wait = testenv.HangDeadline
			}
			err = testenv.CheckWithin(c, wait)
			t.Logf("Check() = %v", err)
			if err == nil {
				t.Fatal("Check() = nil; want an error")
			}
			if strings.Contains(err.Error(), password) {
				t.Errorf("Check() = %q; want no password in it", err)
			}
			if tt.giveHook {
				// pgx's own error has it: the redaction did the work.
				if cause := errors.Unwrap(err); cause == nil || !strings.Contains(cause.Error(), password) {
					t.Errorf("errors.Unwrap(Check()) = %v; want pgx's error, with the hook's text", cause)
				}
				if !strings.Contains(err.Error(), "vault: credential xxxxx for u expired") {
					t.Errorf("Check() = %q; want the hook's error with the password replaced", err)
				}
			}
		})
	}
}
