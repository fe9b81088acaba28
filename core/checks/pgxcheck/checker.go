package pgxcheck

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

var (
	_ core.Checker  = (*Checker)(nil)
	_ core.Observer = (*Checker)(nil)
)

// Checker checks that PostgreSQL answers, through the application's own
// *pgxpool.Pool: by default it runs [DefaultQuery] ("SELECT 1"), or
// another query ([Query]), or pings ([Ping]). It acquires a connection
// from the pool like any other query, so it connects only as the pool
// does for the application, and it never closes the pool.
//
// It reports the pool's statistics as observations; see
// [Checker.Observations]. A Checker is safe for concurrent use.
type Checker struct {
	pool     *pgxpool.Pool
	query    string
	ping     bool
	password string // the pool's, kept out of error text
}

// New returns a Checker for pool, the *pgxpool.Pool the application
// already uses; closing pool stays the application's job. New panics if
// pool is nil.
func New(pool *pgxpool.Pool, opts ...Option) *Checker {
	if pool == nil {
		panic("pgxcheck: New: nil *pgxpool.Pool")
	}
	c := &Checker{pool: pool, query: DefaultQuery, password: pool.Config().ConnConfig.Password}
	for _, o := range opts {
		if o != nil { // a nil option is ignored, as in core
			o.apply(c)
		}
	}
	return c
}

// Check runs the query, reading every row it returns and the error after
// the last (or pings, with [Ping]), and returns nil if that worked.
//
// Check calls pgx in the calling goroutine and returns when pgx does. pgx
// cancels a query, and gives up acquiring or opening a connection, at
// ctx's deadline; the error then wraps ctx's error (errors.Is(err,
// context.DeadlineExceeded) holds). A connection the pool opens for the
// query goes on opening in the background, for up to the pool's
// ConnectTimeout (connect_timeout in the DSN; pgxpool's default is 2
// minutes), so that a slow server still gets a connection eventually.
// While the server hangs, such connections show in the
// constructing_connections observation. A run that outlives its timeout
// anyway (a hook that ignores ctx) is abandoned by the [core.Health] at its
// timeout ([core.Timeout]) and reported failing until it returns. A panic
// in a hook is returned as an error.
//
// Errors read "pgxcheck: query: " or "pgxcheck: ping: " and pgx's error,
// which they wrap (errors.Is(err, syscall.ECONNREFUSED) works for a
// server that is down; errors.As finds a *pgconn.PgError for an error the
// server reported). Their text never contains the pool's password, nor
// anything [core.Redact] recognises as one, even where pgx's error does,
// as a BeforeConnect hook's might.
func (c *Checker) Check(ctx context.Context) (err error) {
	op := "query"
	if c.ping {
		op = "ping"
	}
	defer func() {
		if p := recover(); p != nil {
			err = newCheckError(op, fmt.Errorf("panic: %v", p), c.password)
		}
	}()
	if c.ping {
		err = c.pool.Ping(ctx)
	} else {
		err = c.run(ctx)
	}
	if err != nil {
		return newCheckError(op, ctxerr.Wrap(ctx, err), c.password)
	}
	return nil
}

// run runs the query and reads its result to the end.
func (c *Checker) run(ctx context.Context) error {
	rows, err := c.pool.Query(ctx, c.query)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return nil
}
