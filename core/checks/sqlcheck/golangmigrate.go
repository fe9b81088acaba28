package sqlcheck

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

// DefaultGolangMigrateTable is golang-migrate's version table.
const DefaultGolangMigrateTable = "schema_migrations"

// GolangMigrate is the [MigrationTool] for golang-migrate
// (github.com/golang-migrate/migrate). It reads the version table
// golang-migrate keeps, schema_migrations(version, dirty), whose single row
// holds the current version, and the up migrations in fsys, named
// {version}_{title}.up.{ext} (down migrations and other files are
// ignored). It needs no golang-migrate package, and works on PostgreSQL,
// MySQL/MariaDB and SQLite.
//
// A migration on disk is pending when its version is above the current
// one. A dirty row (golang-migrate started the migration and it failed
// midway) fails with [ErrDirtyMigration], even if the binary does not know
// that version: the schema is half-migrated until someone repairs it and
// runs "migrate force". A missing or empty table means nothing is applied.
//
// The zero value reads the default table.
type GolangMigrate struct {
	// Table is the version table, as given to golang-migrate
	// (x-migrations-table, Config.MigrationsTable). Optional. Default:
	// "schema_migrations". It must be an identifier of ASCII letters,
	// digits and _, optionally schema-qualified ("migrations.versions");
	// anything else fails every Check with [ErrInvalidTable]. The name is
	// used unquoted, so on PostgreSQL it must be lower-case (golang-migrate
	// quotes it there), and a dotted name is read as schema.table (which
	// golang-migrate's PostgreSQL drivers do only with
	// x-migrations-table-quoted).
	Table string
}

// State reads the current version and dirty flag from the version table,
// and the up migrations from fsys.
func (g GolangMigrate) State(ctx context.Context, db *sql.DB, fsys fs.FS) (MigrationState, error) {
	table, err := g.table()
	if err != nil {
		return MigrationState{}, err
	}
	files, err := golangMigrateFiles(fsys)
	if err != nil {
		return MigrationState{}, err
	}
	version, dirty, ok, err := golangMigrateVersion(ctx, db, table)
	if err != nil {
		return MigrationState{}, err
	}

	var st MigrationState
	if ok && version > 0 {
		st.Version = version
	}
	if ok && dirty {
		st.Dirty = strconv.FormatInt(version, 10)
	}
	for _, f := range files {
		if ok && f.version == version && dirty {
			st.Dirty = f.name
		}
		if !ok || f.version > version {
			st.Pending = append(st.Pending, f.name)
		}
	}
	return st, nil
}

// golangMigrateVersion reads the version row; ok is false when the table is
// missing or empty.
func golangMigrateVersion(ctx context.Context, db *sql.DB, table string) (version int64, dirty, ok bool, err error) {
	rows, err := db.QueryContext(ctx, "SELECT version, dirty FROM "+table)
	if err != nil {
		if isUndefinedTable(err) {
			return 0, false, false, nil
		}
		return 0, false, false, fmt.Errorf("sqlcheck: read %s: %w", table, ctxerr.Wrap(ctx, err))
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&version, &dirty); err != nil {
			return 0, false, false, fmt.Errorf("sqlcheck: read %s: %w", table, err)
		}
		ok = true
	}
	if err := rows.Err(); err != nil {
		return 0, false, false, fmt.Errorf("sqlcheck: read %s: %w", table, ctxerr.Wrap(ctx, err))
	}
	return version, dirty, ok, nil
}

func (g GolangMigrate) table() (string, error) {
	return tableName(g.Table, DefaultGolangMigrateTable)
}

// validate reports an invalid table name when the checker is made.
func (g GolangMigrate) validate() error {
	_, err := g.table()
	return err
}
