package pgxcheck_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/probekit/probekit/core/checks/pgxcheck"
)

// The usual setup, with the application's pool. It needs a PostgreSQL
// server, so it is compiled but not run.
func ExampleNew() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		panic(err)
	}
	defer pool.Close()

	// In an application: core.WithCheck("db", pgxcheck.New(pool), core.Timeout(time.Second)).
	c := pgxcheck.New(pool)
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := c.Check(ctx); err != nil {
		fmt.Println("database not ready:", err)
	}
}

// A server that is down: the error says where pgx tried to connect, and
// never shows the password.
func ExampleChecker_Check() {
	// Nothing listens on port 1.
	pool, err := pgxpool.New(context.Background(), "postgres://app:s3cret@127.0.0.1:1/app?sslmode=disable&pool_max_conns=4")
	if err != nil {
		panic(err)
	}
	defer pool.Close()

	c := pgxcheck.New(pool, pgxcheck.Query("SELECT 1 FROM orders LIMIT 1"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fmt.Println(c.Check(ctx))
	for _, o := range c.Observations() {
		fmt.Printf("%s %v%s\n", o.Name, o.Value, o.Unit)
	}
	// Output:
	// pgxcheck: query: failed to connect to `user=app database=app`: 127.0.0.1:1 (127.0.0.1): dial error: dial tcp 127.0.0.1:1: connect: connection refused
	// total_connections 0
	// idle_connections 0
	// acquired_connections 0
	// constructing_connections 0
	// max_connections 4
	// acquire_count 0
	// acquire_duration 0ms
	// empty_acquire_count 0
	// canceled_acquire_count 0
}
