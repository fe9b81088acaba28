// Package pgxcheck provides a [core.Checker] for PostgreSQL through the
// application's own pgx v5 connection pool ([pgxpool.Pool]).
//
// # Usage
//
// Hand [New] the pool the application already has; the checker borrows
// its connections like any query and never opens or closes anything
// itself:
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	…
//	defer pool.Close()
//
//	h, err := core.New(
//		core.WithCheck("db", pgxcheck.New(pool), core.Timeout(time.Second)),
//	)
//	if err != nil {
//		return err
//	}
//	defer h.Close()
//
// [New] runs "SELECT 1" by default, another query with [Query], or pings
// with [Ping]. For an application on database/sql with the pgx stdlib
// driver, use sqlcheck instead.
//
// # Deadlines
//
// Check calls pgx in the calling goroutine and returns when pgx does; pgx
// cancels a query at its context's deadline, and the error then wraps
// [context.DeadlineExceeded]. A connection the pool was opening for the
// check goes on opening in the background until the pool's
// ConnectTimeout, two minutes unless the DSN sets connect_timeout; set it
// (for example connect_timeout=5) so that a hung server does not fill the
// pool with connections that are still opening. A run that outlives its
// timeout anyway (a hook that ignores the context) is abandoned by the
// [core.Health] at the check's timeout ([core.Timeout]) and reported
// failing until it returns. Give the check a timeout below the probe's.
//
// # Errors and secrets
//
// Errors carry pgx's error, wrapped, so errors.Is and errors.As work, for
// example with syscall.ECONNREFUSED or *pgconn.PgError:
//
//	pgxcheck: query: failed to connect to `user=app database=app`: 10.0.0.7:5432 (db.internal): dial error: dial tcp 10.0.0.7:5432: connect: connection refused
//
// pgx names the host, user and database in connection errors, but not the
// password. The checker still replaces the pool's password (from the DSN
// or a passfile) and anything [core.Redact] recognises as a secret in the
// error's text, in case a hook's error or a future pgx puts one there; a
// password a BeforeConnect hook sets is not known to the checker. The
// wrapped error is pgx's own: a *pgconn.ConnectError holds the whole
// configuration, password included, so print it only where that does no
// harm.
//
// # Observations
//
// A Checker is also a [core.Observer]: after each Check the scheduler
// reads the pool's statistics (total, idle, acquired and constructing
// connections, the limit, and the acquire counters); see
// [Checker.Observations].
package pgxcheck
