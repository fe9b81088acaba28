package sqlcheck_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/internal/testenv"
)

func TestMigrationToolFunc(t *testing.T) {
	t.Parallel()
	errAtlas := errors.New("atlas: read atlas_schema_revisions: boom")
	tests := []struct {
		name      string
		giveState sqlcheck.MigrationState
		giveErr   error
		givePanic string
		wantErr   error
		wantText  string
		wantObs   map[string]float64
	}{
		{
			name:      "ready",
			giveState: sqlcheck.MigrationState{Version: 20240101120000},
			wantObs:   map[string]float64{"pending_migrations": 0, "current_version": 20240101120000},
		},
		{
			name:      "pending",
			giveState: sqlcheck.MigrationState{Version: 2, Pending: []string{"3_add_orders", "4_add_index"}},
			wantErr:   sqlcheck.ErrPendingMigrations,
			wantText:  "sqlcheck: 2 pending migrations: 3_add_orders, 4_add_index",
			wantObs:   map[string]float64{"pending_migrations": 2, "current_version": 2},
		},
		{
			name:      "many pending",
			giveState: sqlcheck.MigrationState{Pending: []string{"1_a", "2_b", "3_c", "4_d", "5_e", "6_f", "7_g"}},
			wantErr:   sqlcheck.ErrPendingMigrations,
			wantText:  "sqlcheck: 7 pending migrations: 1_a, 2_b, 3_c, 4_d, 5_e, and 2 more",
			wantObs:   map[string]float64{"pending_migrations": 7, "current_version": 0},
		},
		{
			name:      "dirty",
			giveState: sqlcheck.MigrationState{Version: 5, Dirty: "V5__add_orders", Pending: []string{"V6__later"}},
			wantErr:   sqlcheck.ErrDirtyMigration,
			wantText:  "sqlcheck: migration V5__add_orders is dirty",
			wantObs:   map[string]float64{"pending_migrations": 1, "current_version": 5},
		},
		{
			name:     "tool error is returned as it is",
			giveErr:  errAtlas,
			wantErr:  errAtlas,
			wantText: "atlas: read atlas_schema_revisions: boom",
		},
		{
			name:      "panic",
			givePanic: "boom",
			wantErr:   errors.New("any"),
			wantText:  "sqlcheck: migration tool panicked: boom",
		},
	}
	db := openSQLite(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var gotDB *sql.DB
			var gotFS fs.FS
			files := fstest.MapFS{}
			c := sqlcheck.Migrations(db, files, sqlcheck.MigrationToolFunc(func(ctx context.Context, db *sql.DB, fsys fs.FS) (sqlcheck.MigrationState, error) {
				gotDB, gotFS = db, fsys
				if tt.givePanic != "" {
					panic(tt.givePanic)
				}
				return tt.giveState, tt.giveErr
			}))
			err := testenv.CheckWithin(c, testenv.CheckTimeout)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("Check() = %v; want nil", err)
			case tt.wantErr != nil && err == nil:
				t.Errorf("Check() = nil; want %q", tt.wantText)
			case tt.wantErr != nil && err.Error() != tt.wantText:
				t.Errorf("Check() = %q; want %q", err, tt.wantText)
			case tt.givePanic == "" && tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("Check() = %v; want an error wrapping %v", err, tt.wantErr)
			}
			if tt.givePanic == "" && (gotDB != db || !isSameFS(gotFS, files)) {
				t.Errorf("tool called with %p, %v; want the checker's DB and fs.FS", gotDB, gotFS)
			}
			assertObservations(t, c.Observations(), tt.wantObs)
		})
	}
}

// isSameFS reports whether a is the MapFS b itself.
func isSameFS(a fs.FS, b fstest.MapFS) bool {
	m, ok := a.(fstest.MapFS)
	return ok && reflect.ValueOf(m).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// TestMigrationToolFuncIgnoresContext runs a checker whose tool ignores
// its context in a core.Health, and makes the tool hang: Check waits for
// the tool, and the Health abandons each run at its timeout and reports
// the check failing, with no observations, until the tool returns again.
func TestMigrationToolFuncIgnoresContext(t *testing.T) {
	t.Parallel()
	var hang atomic.Pointer[chan struct{}] // while set, the tool waits for it to close
	release := func() {
		if ch := hang.Swap(nil); ch != nil {
			close(*ch)
		}
	}
	t.Cleanup(release) // after the Health's Close, for the run it abandoned
	c := sqlcheck.Migrations(openSQLite(t), fstest.MapFS{}, sqlcheck.MigrationToolFunc(func(context.Context, *sql.DB, fs.FS) (sqlcheck.MigrationState, error) {
		if ch := hang.Load(); ch != nil {
			<-*ch
		}
		return sqlcheck.MigrationState{Version: 7}, nil
	}))

	st := assertHangInHealth(t, c,
		func() { ch := make(chan struct{}); hang.Store(&ch) },
		release,
		stillRunning)
	if st.Observations != nil {
		t.Errorf("Observations while the tool hangs = %v; want nil", st.Observations)
	}
	assertObservations(t, c.Observations(), map[string]float64{"pending_migrations": 0, "current_version": 7})
}

// TestMigrationToolFuncReportsLateError checks that an error the tool
// returns because its context ended wraps the context's error.
func TestMigrationToolFuncReportsLateError(t *testing.T) {
	t.Parallel()
	c := sqlcheck.Migrations(openSQLite(t), fstest.MapFS{}, sqlcheck.MigrationToolFunc(func(ctx context.Context, _ *sql.DB, _ fs.FS) (sqlcheck.MigrationState, error) {
		<-ctx.Done()
		return sqlcheck.MigrationState{}, errors.New("flyway: connection closed")
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.Check(ctx)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "sqlcheck: migrations: context canceled") {
		t.Errorf("Check(canceled) = %v; want sqlcheck: migrations: context canceled", err)
	}
}

// TestMigrationToolFuncDBMate runs a dbmate-style reader, as in the
// example, on every backend: dbmate records each applied version in
// schema_migrations(version).
func TestMigrationToolFuncDBMate(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{
		"20240101120000_create_users.sql": {Data: []byte("-- migrate:up\n")},
		"20240202120000_add_orders.sql":   {Data: []byte("-- migrate:up\n")},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := newSpace(t, b)
			db := s.open(t, s.dsn)
			for _, stmt := range []string{
				"CREATE TABLE schema_migrations (version VARCHAR(128) PRIMARY KEY)",
				"INSERT INTO schema_migrations (version) VALUES ('20240101120000')",
			} {
				if _, err := db.Exec(stmt); err != nil {
					t.Fatalf("Exec(%q) = %v; want nil", stmt, err)
				}
			}
			c := sqlcheck.Migrations(db, files, sqlcheck.MigrationToolFunc(dbmateState))
			assertCheckErr(t, testenv.CheckWithin(c, testenv.CheckTimeout), sqlcheck.ErrPendingMigrations, "sqlcheck: 1 pending migration: 20240202120000_add_orders")
			assertObservations(t, c.Observations(), map[string]float64{"pending_migrations": 1, "current_version": 20240101120000})

			if _, err := db.Exec("INSERT INTO schema_migrations (version) VALUES ('20240202120000')"); err != nil {
				t.Fatal(err)
			}
			assertCheckErr(t, testenv.CheckWithin(c, testenv.CheckTimeout), nil, "")
		})
	}
}

// openSQLite opens an SQLite database in a temporary directory, closed in
// t.Cleanup.
func openSQLite(t *testing.T) *sql.DB {
	t.Helper()
	s := newSpace(t, sqlite)
	return s.open(t, s.dsn)
}

func TestMigrationsPanics(t *testing.T) {
	t.Parallel()
	db := openSQLite(t)
	tests := []struct {
		name     string
		giveDB   *sql.DB
		giveTool sqlcheck.MigrationTool
	}{
		{name: "nil db", giveTool: sqlcheck.GolangMigrate{}},
		{name: "nil tool", giveDB: db},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testenv.WantPanic(t, fmt.Sprintf("Migrations(%v, fsys, %v)", tt.giveDB, tt.giveTool), func() {
				sqlcheck.Migrations(tt.giveDB, fstest.MapFS{}, tt.giveTool)
			})
		})
	}
}

func TestMigrationsNilFS(t *testing.T) {
	t.Parallel()
	c := sqlcheck.Migrations(openSQLite(t), nil, sqlcheck.Goose{})
	if err := testenv.CheckWithin(c, testenv.CheckTimeout); err == nil || err.Error() != "sqlcheck: nil migrations fs.FS" {
		t.Errorf("Check() with a nil fs.FS = %v; want sqlcheck: nil migrations fs.FS", err)
	}
}
