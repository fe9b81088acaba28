package sqlcheck

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

// DefaultGooseTable is goose's version table.
const DefaultGooseTable = "goose_db_version"

// Goose is the [MigrationTool] for goose (github.com/pressly/goose). It
// reads the table goose keeps, goose_db_version(id, version_id, is_applied,
// tstamp), and the migrations in fsys, named {version}_{name}.sql or
// {version}_{name}.go (not _test.go); other files are ignored. It needs no
// goose package, and works on PostgreSQL, MySQL/MariaDB and SQLite.
//
// A version is applied when its latest row (by id) has is_applied true,
// as goose itself decides; a migration on disk whose version is not
// applied is pending, also below the current version (goose can apply
// such "missing" migrations out of order). goose has no dirty state: it
// applies each migration in a transaction, or records nothing when one
// fails. A missing table means nothing is applied.
//
// Go migrations registered in code (goose.AddMigrationContext) are only
// seen if their .go files are in fsys; an embed.FS usually holds only the
// .sql files. Use a [MigrationToolFunc] that knows them otherwise.
//
// The zero value reads the default table.
type Goose struct {
	// Table is the version table, as given to goose (goose.SetTableName,
	// goose.WithTableName). Optional. Default: "goose_db_version". It must
	// be an identifier of ASCII letters, digits and _, optionally
	// schema-qualified ("migrations.goose_db_version"); anything else
	// fails every Check with [ErrInvalidTable]. The name is used unquoted,
	// as goose uses it.
	Table string
}

// State reads the applied versions from the version table and the
// migrations from fsys.
func (g Goose) State(ctx context.Context, db *sql.DB, fsys fs.FS) (MigrationState, error) {
	table, err := g.table()
	if err != nil {
		return MigrationState{}, err
	}
	files, err := gooseFiles(fsys)
	if err != nil {
		return MigrationState{}, err
	}
	applied, err := gooseApplied(ctx, db, table)
	if err != nil {
		return MigrationState{}, err
	}
	var st MigrationState
	for v, ok := range applied {
		if ok && v > st.Version {
			st.Version = v
		}
	}
	for _, f := range files {
		if !applied[f.version] {
			st.Pending = append(st.Pending, f.name)
		}
	}
	return st, nil
}

// gooseApplied reads whether each version in the table is applied, from its
// latest row; a missing table is an empty result.
func gooseApplied(ctx context.Context, db *sql.DB, table string) (map[int64]bool, error) {
	// goose's own ListMigrations query, without placeholders, so it runs
	// unchanged on every database.
	rows, err := db.QueryContext(ctx, "SELECT version_id, is_applied FROM "+table+" ORDER BY id DESC")
	if err != nil {
		if isUndefinedTable(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("sqlcheck: read %s: %w", table, ctxerr.Wrap(ctx, err))
	}
	defer rows.Close()
	applied := make(map[int64]bool)
	for rows.Next() {
		var (
			version   int64
			isApplied bool
		)
		if err := rows.Scan(&version, &isApplied); err != nil {
			return nil, fmt.Errorf("sqlcheck: read %s: %w", table, err)
		}
		if _, seen := applied[version]; !seen { // newest row first
			applied[version] = isApplied
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlcheck: read %s: %w", table, ctxerr.Wrap(ctx, err))
	}
	return applied, nil
}

func (g Goose) table() (string, error) {
	return tableName(g.Table, DefaultGooseTable)
}

// validate reports an invalid table name when the checker is made.
func (g Goose) validate() error {
	_, err := g.table()
	return err
}
