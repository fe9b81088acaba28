package sqlcheck

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/internal/ctxerr"
)

var (
	_ core.Checker  = (*MigrationsChecker)(nil)
	_ core.Observer = (*MigrationsChecker)(nil)
)

// MigrationsChecker is ready only when every migration shipped with the
// binary has been applied to the database and none is dirty. Make one with
// [Migrations]. It is safe for concurrent use.
//
// A database that is ahead of the binary, holding migrations the binary
// does not know, passes: during a rolling deploy the new pods migrate the
// schema forward while the old ones still serve, and those must stay ready.
// Migrations are expected to be backward compatible for exactly that
// reason (expand, then contract in a later release); a binary that cannot
// work with a newer schema must say so itself, a pending-migrations check
// cannot know.
type MigrationsChecker struct {
	db   *sql.DB
	fsys fs.FS
	tool MigrationTool
	err  error // a configuration error, returned by every Check

	mu   sync.Mutex
	last *MigrationState // the state the last Check read; nil if it read none
}

// Migrations returns a checker comparing the migrations in fsys, the
// binary's migration files (typically an embed.FS, narrowed to the
// migrations directory with fs.Sub), with those applied to db, as tool
// records them. fsys is handed to the tool as it is; the built-in tools
// read the files at its top, and fail every Check if it is nil.
//
//	sqlcheck.Migrations(db, migrationsFS, sqlcheck.GolangMigrate{})
//	sqlcheck.Migrations(db, migrationsFS, sqlcheck.Goose{Table: "app_versions"})
//	sqlcheck.Migrations(db, migrationsFS, sqlcheck.MigrationToolFunc(atlasState))
//
// Migrations panics if db or tool is nil, as those are programming errors.
// An invalid table name in a built-in tool is an error returned by every
// Check, wrapping [ErrInvalidTable], rather than a panic or a second return
// value: the checker is meant to be built inline, as an argument to
// core.WithCheck, and a table name may come from configuration. Such a
// check never passes, so a misconfigured pod is never ready, and the bad
// name is never sent to the database.
func Migrations(db *sql.DB, fsys fs.FS, tool MigrationTool) *MigrationsChecker {
	if db == nil {
		panic("sqlcheck: Migrations: nil *sql.DB")
	}
	if tool == nil {
		panic("sqlcheck: Migrations: nil MigrationTool")
	}
	m := &MigrationsChecker{db: db, fsys: fsys, tool: tool}
	if v, ok := tool.(interface{ validate() error }); ok {
		m.err = v.validate()
	}
	return m
}

// Validate returns the error every Check of m returns because of its
// configuration (an invalid table name, wrapping [ErrInvalidTable]), or
// nil. [core.New] calls it (m is a [core.Validator]), so a bad table name
// from configuration fails at startup.
func (m *MigrationsChecker) Validate() error { return m.err }

// Check reads the migration state through the tool and returns nil if no
// migration is pending or dirty. Otherwise it returns
// [MigrationState.Err]: an error wrapping [ErrDirtyMigration] or
// [ErrPendingMigrations] and naming the migrations, such as
//
//	sqlcheck: 2 pending migrations: 3_add_orders, 4_add_index
//
// If the state cannot be read, Check returns the tool's error as it is,
// or, when the tool failed for ctx's deadline without saying so, that
// error wrapping ctx's error ("sqlcheck: migrations: context deadline
// exceeded: …"). A panic in the tool is returned as an error. Like
// [Checker.Check], it returns when the tool does; a [core.Health] abandons
// a run that outlives its timeout ([core.Timeout]) and reports it failing
// until it returns.
func (m *MigrationsChecker) Check(ctx context.Context) error {
	if m.err != nil {
		m.record(nil)
		return m.err
	}
	st, err := m.state(ctx)
	if err != nil {
		m.record(nil)
		switch ctxErr := ctxerr.Err(ctx); {
		case ctxErr == nil || errors.Is(err, ctxErr) && err != ctxErr:
			return err
		default: // ctx's error itself, or another error the tool made of it
			return fmt.Errorf("sqlcheck: migrations: %w", ctxerr.Wrap(ctx, err))
		}
	}
	m.record(&st)
	return st.Err()
}

// state reads the migration state through the tool, which may be the
// application's own code: a panic in it is returned as an error.
func (m *MigrationsChecker) state(ctx context.Context) (st MigrationState, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sqlcheck: migration tool panicked: %v", p)
		}
	}()
	return m.tool.State(ctx, m.db, m.fsys)
}

// Observations returns what the last Check read, or nil if it read nothing
// (the database did not answer):
//
//   - pending_migrations: migrations on disk not applied to the database
//   - current_version: the database's current migration version, 0 if none
//
// Observations is safe for concurrent use, also with Check.
func (m *MigrationsChecker) Observations() []core.Observation {
	m.mu.Lock()
	st := m.last
	m.mu.Unlock()
	if st == nil {
		return nil
	}
	return []core.Observation{
		{Name: "pending_migrations", Value: float64(len(st.Pending))},
		{Name: "current_version", Value: float64(st.Version)},
	}
}

func (m *MigrationsChecker) record(st *MigrationState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.last = st
}
