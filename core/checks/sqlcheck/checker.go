package sqlcheck

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

var (
	_ core.Checker  = (*Checker)(nil)
	_ core.Observer = (*Checker)(nil)
)

// Checker checks that a database answers, through the application's own
// *sql.DB: by default it runs [DefaultQuery] ("SELECT 1"), or another
// query ([Query]), or pings ([Ping]). It borrows a connection from the
// pool like any other query, so it opens connections only as database/sql
// does for the application, and it never closes the DB.
//
// It reports the pool's statistics as observations; see
// [Checker.Observations]. A Checker is safe for concurrent use.
type Checker struct {
	db    *sql.DB
	query string
	ping  bool
}

// New returns a Checker for db, the *sql.DB the application already uses;
// closing db stays the application's job. New panics if db is nil.
func New(db *sql.DB, opts ...Option) *Checker {
	if db == nil {
		panic("sqlcheck: New: nil *sql.DB")
	}
	c := &Checker{db: db, query: DefaultQuery}
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
// Check calls the driver in the calling goroutine and returns when the
// driver does. pgx, go-sql-driver/mysql and modernc.org/sqlite give up at
// ctx's deadline; the error then wraps ctx's error (errors.Is(err,
// context.DeadlineExceeded) holds, whatever the driver reported). A
// [core.Health] does not wait for a driver that does not: it abandons the
// run at its timeout ([core.Timeout]) and reports the check failing until
// the run returns. A panic in the driver is returned as an error.
//
// Errors read "sqlcheck: query: " or "sqlcheck: ping: " and the driver's
// error, which they wrap (errors.Is(err, syscall.ECONNREFUSED) works for a
// server that is down). They never contain the DSN: the checker never sees
// it, and the drivers this package is tested with (pgx, go-sql-driver/mysql
// and modernc.org/sqlite) do not put passwords in their errors.
func (c *Checker) Check(ctx context.Context) (err error) {
	op := "query"
	if c.ping {
		op = "ping"
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sqlcheck: %s: panic: %v", op, p)
		}
	}()
	if c.ping {
		err = c.db.PingContext(ctx)
	} else {
		err = c.run(ctx)
	}
	if err != nil {
		return fmt.Errorf("sqlcheck: %s: %w", op, ctxerr.Wrap(ctx, err))
	}
	return nil
}

// run runs the query and reads its result to the end.
func (c *Checker) run(ctx context.Context) error {
	rows, err := c.db.QueryContext(ctx, c.query)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		_ = rows.Close()
		return err
	}
	return rows.Close()
}
