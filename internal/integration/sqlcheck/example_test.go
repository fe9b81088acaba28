package sqlcheck_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing/fstest"
	"time"

	_ "modernc.org/sqlite"

	"github.com/probekit/probekit/core/checks/sqlcheck"
)

// openExample opens an in-memory SQLite database for the examples.
func openExample() *sql.DB {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	return db
}

func ExampleNew() {
	db := openExample() // in an application: the *sql.DB it already has
	defer db.Close()

	// In an application: core.WithCheck("db", sqlcheck.New(db)).
	c := sqlcheck.New(db)

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	fmt.Println(c.Check(ctx))

	// Another query, such as one that needs the application's table.
	c = sqlcheck.New(db, sqlcheck.Query("SELECT 1 FROM orders LIMIT 1"))
	fmt.Println(c.Check(ctx))
	// Output:
	// <nil>
	// sqlcheck: query: SQL logic error: no such table: orders (1)
}

func ExampleChecker_Observations() {
	db := openExample()
	defer db.Close()

	c := sqlcheck.New(db)
	if err := c.Check(context.Background()); err != nil {
		panic(err)
	}
	for _, o := range c.Observations() {
		fmt.Printf("%s %v%s\n", o.Name, o.Value, o.Unit)
	}
	// Output:
	// open_connections 1
	// in_use 0
	// idle 1
	// wait_count 0
	// wait_duration 0ms
	// max_open_connections 1
}

func ExampleMigrations() {
	db := openExample()
	defer db.Close()

	// golang-migrate's table after it applied migration 1.
	_, err := db.Exec(`CREATE TABLE schema_migrations (version bigint, dirty boolean);
		INSERT INTO schema_migrations VALUES (1, false);`)
	if err != nil {
		panic(err)
	}
	// In an application: an embed.FS of the migrations directory.
	migrations := fstest.MapFS{
		"1_create_users.up.sql":   {Data: []byte("CREATE TABLE users (id INTEGER);")},
		"1_create_users.down.sql": {Data: []byte("DROP TABLE users;")},
		"2_add_orders.up.sql":     {Data: []byte("CREATE TABLE orders (id INTEGER);")},
		"2_add_orders.down.sql":   {Data: []byte("DROP TABLE orders;")},
	}

	// In an application: core.WithCheck("migrations", sqlcheck.Migrations(…)).
	c := sqlcheck.Migrations(db, migrations, sqlcheck.GolangMigrate{})
	fmt.Println(c.Check(context.Background()))

	// Migration 2 applied: ready.
	if _, err := db.Exec(`UPDATE schema_migrations SET version = 2`); err != nil {
		panic(err)
	}
	fmt.Println(c.Check(context.Background()))

	// A newer release migrated to 3, which this binary does not know:
	// still ready, so old pods keep serving during a rolling deploy.
	if _, err := db.Exec(`UPDATE schema_migrations SET version = 3`); err != nil {
		panic(err)
	}
	fmt.Println(c.Check(context.Background()))

	// Migration 3 failed midway: golang-migrate left it dirty.
	if _, err := db.Exec(`UPDATE schema_migrations SET dirty = true`); err != nil {
		panic(err)
	}
	fmt.Println(c.Check(context.Background()))
	// Output:
	// sqlcheck: 1 pending migration: 2_add_orders
	// <nil>
	// <nil>
	// sqlcheck: migration 3 is dirty
}

func ExampleGoose() {
	db := openExample()
	defer db.Close()

	// goose's table after it applied migration 1 (version 0 is its
	// initial row).
	_, err := db.Exec(`CREATE TABLE app_versions (id INTEGER PRIMARY KEY AUTOINCREMENT,
			version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')));
		INSERT INTO app_versions (version_id, is_applied) VALUES (0, 1), (1, 1);`)
	if err != nil {
		panic(err)
	}
	migrations := fstest.MapFS{
		"00001_create_users.sql": {Data: []byte("-- +goose Up\nCREATE TABLE users (id INTEGER);")},
		"00002_add_orders.sql":   {Data: []byte("-- +goose Up\nCREATE TABLE orders (id INTEGER);")},
		"00003_add_index.sql":    {Data: []byte("-- +goose Up\nCREATE INDEX users_id ON users (id);")},
	}

	c := sqlcheck.Migrations(db, migrations, sqlcheck.Goose{Table: "app_versions"})
	fmt.Println(c.Check(context.Background()))
	for _, o := range c.Observations() {
		fmt.Println(o.Name, o.Value)
	}
	// Output:
	// sqlcheck: 2 pending migrations: 00002_add_orders, 00003_add_index
	// pending_migrations 2
	// current_version 1
}
