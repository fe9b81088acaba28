package sqlcheck_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/probekit/probekit/core/checks/sqlcheck"
)

// dbmateState reads the migration state of dbmate, which names its files
// {version}_{name}.sql and records each applied version in
// schema_migrations(version). (dbmate creates the table on its first run;
// a reader that must also work before that would treat a missing table as
// nothing applied.)
func dbmateState(ctx context.Context, db *sql.DB, fsys fs.FS) (sqlcheck.MigrationState, error) {
	rows, err := db.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return sqlcheck.MigrationState{}, fmt.Errorf("dbmate: read schema_migrations: %w", err)
	}
	defer rows.Close()
	var st sqlcheck.MigrationState
	applied := make(map[string]bool)
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return sqlcheck.MigrationState{}, fmt.Errorf("dbmate: read schema_migrations: %w", err)
		}
		applied[v] = true
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > st.Version {
			st.Version = n
		}
	}
	if err := rows.Err(); err != nil {
		return sqlcheck.MigrationState{}, fmt.Errorf("dbmate: read schema_migrations: %w", err)
	}

	files, err := fs.Glob(fsys, "*.sql") // sorted, so oldest first
	if err != nil {
		return sqlcheck.MigrationState{}, fmt.Errorf("dbmate: list migrations: %w", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(f, ".sql")
		if version, _, _ := strings.Cut(name, "_"); !applied[version] {
			st.Pending = append(st.Pending, name)
		}
	}
	return st, nil
}

// A reader for a migration tool sqlcheck has no built-in support for, here
// dbmate: the function reports the state, the checker does the rest.
func ExampleMigrationToolFunc() {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: one in-memory database

	// What dbmate would have done: one of two migrations applied.
	_, err = db.Exec(`CREATE TABLE schema_migrations (version VARCHAR(128) PRIMARY KEY);
		INSERT INTO schema_migrations VALUES ('20240101120000');`)
	if err != nil {
		panic(err)
	}
	migrations := fstest.MapFS{ // in an application: an embed.FS
		"20240101120000_create_users.sql": {Data: []byte("-- migrate:up\n…")},
		"20240202120000_add_orders.sql":   {Data: []byte("-- migrate:up\n…")},
	}

	c := sqlcheck.Migrations(db, migrations, sqlcheck.MigrationToolFunc(dbmateState))
	fmt.Println(c.Check(context.Background()))
	// Output:
	// sqlcheck: 1 pending migration: 20240202120000_add_orders
}
