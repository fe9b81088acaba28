package pgxcheck_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/probekit/probekit/internal/testenv"
)

// dsn returns the shared PostgreSQL's DSN with the host replaced by addr
// if it is not empty, the user info by user if it is not nil, and the
// query parameters in params added.
func dsn(t *testing.T, addr string, user *url.Userinfo, params url.Values) string {
	t.Helper()
	u, err := url.Parse(testenv.PostgresDSN(t))
	if err != nil {
		t.Fatalf("url.Parse(TEST_POSTGRES_URL) = %v", err)
	}
	if addr != "" {
		u.Host = addr
	}
	if user != nil {
		u.User = user
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// newPool returns a pool for dsn, closed when the test ends. It connects
// to nothing until used.
func newPool(t *testing.T, dsn string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatalf("pgxpool.New() = %v; want nil", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// newPoolConfig is newPool for a configuration.
func newPoolConfig(t *testing.T, cfg *pgxpool.Config) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("pgxpool.NewWithConfig() = %v; want nil", err)
	}
	t.Cleanup(pool.Close)
	return pool
}
