package sqlcheck

import (
	"context"
	"database/sql"
	"io/fs"
)

// MigrationTool reads the migration state a migration tool keeps: which of
// the migrations in fsys are applied to db. [GolangMigrate] and [Goose] are
// built in; [MigrationToolFunc] plugs in any other tool (Atlas, Flyway,
// dbmate, an in-house one).
//
// State is called by [MigrationsChecker.Check], with the check's context,
// and should honour it. Its errors are returned by Check as they are, so
// they should say what failed, as in "atlas: read atlas_schema_revisions:
// …". It must be safe to call from more than one goroutine, and must not
// modify the database.
type MigrationTool interface {
	State(ctx context.Context, db *sql.DB, fsys fs.FS) (MigrationState, error)
}

// MigrationToolFunc adapts a function to a [MigrationTool], for migration
// tools without a built-in reader. The function lists the migrations in
// fsys, reads the tool's own table from db, and reports the difference;
// the checker does the rest (the error text, observations and deadline).
//
// A reader for dbmate, which records each applied version in
// schema_migrations(version) and names files 20240101120000_name.sql, is
// a short function; see the example.
type MigrationToolFunc func(ctx context.Context, db *sql.DB, fsys fs.FS) (MigrationState, error)

// State calls f(ctx, db, fsys).
func (f MigrationToolFunc) State(ctx context.Context, db *sql.DB, fsys fs.FS) (MigrationState, error) {
	return f(ctx, db, fsys)
}
