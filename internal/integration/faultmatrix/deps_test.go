package faultmatrix

import (
	"context"
	"database/sql"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/httpcheck"
	"github.com/probekit/probekit/core/checks/pgxcheck"
	"github.com/probekit/probekit/core/checks/redischeck"
	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// dialTimeout bounds one dial of a dependency's client.
const dialTimeout = 2 * time.Second

// dep is one dependency of a row, as the application sees it: a client
// with its own pool, whose connections go through a proxy in front of the
// real server, and the checker built on that client.
type dep struct {
	proxy   *testenv.Proxy
	dial    *dialer
	checker core.Checker
	// close closes the client and whatever the row started for the
	// dependency, so that the row can count its goroutines. It is also
	// called when the test ends, for a row that failed half-way.
	close func()
}

// newDep returns a dep whose close runs closeFn once, now or when the
// test ends.
func newDep(t *testing.T, p *testenv.Proxy, d *dialer, chk core.Checker, closeFn func()) *dep {
	t.Helper()
	closeOnce := sync.OnceFunc(closeFn)
	t.Cleanup(closeOnce)
	return &dep{proxy: p, dial: d, checker: chk, close: closeOnce}
}

// depKind is a kind of dependency: its check name and how to open one for
// a row. The group's shared server, if any, is set up once by setup.
type depKind struct {
	name string
	// setup returns what open needs from the group (the test-owned
	// redis-server's address, the database's DSN), skipping the group when
	// the server is missing (failing under CI=true).
	setup func(t *testing.T) string
	// open connects a client through a new proxy to target, setup's result.
	open func(t *testing.T, target string) *dep
}

// kinds are the dependencies of the matrix, in table order.
var kinds = []depKind{
	{name: "redis", setup: setupRedis, open: openRedis},
	{name: "postgres", setup: func(t *testing.T) string { return testenv.PostgresDSN(t) }, open: openPostgres},
	{name: "mariadb", setup: func(t *testing.T) string { return testenv.MariaDBDSN(t) }, open: openMariaDB},
	{name: "http", setup: func(*testing.T) string { return "" }, open: openHTTP},
}

// dialer dials a dependency's current address whatever address its client
// asks for. That address is the proxy's, except during the DNS fault, when
// it is a name under .invalid (RFC 6761) that the system resolver cannot
// resolve. Every client of the matrix dials through one, so that the DNS
// fault can be switched on and off under a running client.
type dialer struct {
	addr atomic.Pointer[string]
	nd   net.Dialer
}

func newDialer(addr string) *dialer {
	d := &dialer{nd: net.Dialer{Timeout: dialTimeout}}
	d.set(addr)
	return d
}

// set makes later dials go to addr.
func (d *dialer) set(addr string) { d.addr.Store(&addr) }

// DialContext dials the current address; the address asked for is ignored.
func (d *dialer) DialContext(ctx context.Context, network, _ string) (net.Conn, error) {
	return d.nd.DialContext(ctx, network, *d.addr.Load())
}

// setupRedis starts a redis-server owned by the group, so that the rows
// can hurt it without touching the shared one.
func setupRedis(t *testing.T) string {
	t.Helper()
	return testenv.StartRedis(t).Addr()
}

// openRedis opens a go-redis client with the library's defaults (3
// retries, 3 s read timeout, context deadlines ignored), as most
// applications have it.
func openRedis(t *testing.T, addr string) *dep {
	t.Helper()
	p := testenv.NewProxy(t, addr)
	d := newDialer(p.Addr())
	c := redis.NewClient(&redis.Options{Addr: p.Addr(), Dialer: d.DialContext})
	return newDep(t, p, d, redischeck.New(c), func() {
		_ = c.Close()
		p.Close()
	})
}

// openPostgres opens a pgxpool (pgx's defaults: at most 4 connections here)
// checked with pgxcheck's SELECT 1.
func openPostgres(t *testing.T, dsn string) *dep {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("url.Parse(PostgreSQL DSN) = %v", err)
	}
	p := testenv.NewProxy(t, u.Host)
	u.Host = p.Addr() // what pgx's errors name
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		t.Fatalf("pgxpool.ParseConfig() = %v", err)
	}
	d := newDialer(p.Addr())
	cfg.ConnConfig.DialFunc = d.DialContext
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("pgxpool.NewWithConfig() = %v", err)
	}
	return newDep(t, p, d, pgxcheck.New(pool), func() {
		pool.Close()
		p.Close()
	})
}

// openMariaDB opens a *sql.DB on go-sql-driver/mysql, with database/sql's
// defaults, checked with sqlcheck's SELECT 1.
func openMariaDB(t *testing.T, dsn string) *dep {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("mysql.ParseDSN(MariaDB DSN) = %v", err)
	}
	p := testenv.NewProxy(t, cfg.Addr)
	d := newDialer(p.Addr())
	cfg.Addr = p.Addr()
	cfg.DialFunc = d.DialContext
	// The driver logs the connections the faults break to stderr.
	cfg.Logger = log.New(io.Discard, "", 0)
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatalf("mysql.NewConnector() = %v", err)
	}
	db := sql.OpenDB(conn)
	return newDep(t, p, d, sqlcheck.New(db), func() {
		_ = db.Close()
		p.Close()
	})
}

// openHTTP starts an upstream answering 200 "ok" and checks it with
// httpcheck through a client of the application's own, with keep-alives.
func openHTTP(t *testing.T, _ string) *dep {
	t.Helper()
	up := testenv.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok\n")
	}))
	p := testenv.NewProxy(t, up.Listener.Addr().String())
	d := newDialer(p.Addr())
	tr := &http.Transport{DialContext: d.DialContext}
	c := httpcheck.New("http://"+p.Addr()+"/health", httpcheck.Client(&http.Client{Transport: tr}))
	return newDep(t, p, d, c, func() {
		tr.CloseIdleConnections()
		p.Close()
		up.Close()
	})
}
