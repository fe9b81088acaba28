package sqlcheck_test

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"

	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// gooseFiles are goose migrations that run unchanged on PostgreSQL,
// MariaDB and SQLite.
var gooseFiles = fstest.MapFS{
	"00001_create_users.sql": {Data: []byte("-- +goose Up\nCREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100));\n-- +goose Down\nDROP TABLE users;\n")},
	"00002_add_orders.sql":   {Data: []byte("-- +goose Up\nCREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER);\n-- +goose Down\nDROP TABLE orders;\n")},
	"00003_add_items.sql":    {Data: []byte("-- +goose Up\nCREATE TABLE items (id INTEGER PRIMARY KEY, order_id INTEGER);\n-- +goose Down\nDROP TABLE items;\n")},
	"README.md":              {Data: []byte("not a migration")},
}

// gooseDialects maps a backend to its goose dialect.
var gooseDialects = map[string]goose.Dialect{
	"postgres": goose.DialectPostgres,
	"mariadb":  goose.DialectMySQL,
	"sqlite":   goose.DialectSQLite3,
}

// runGoose runs the real goose on s, with its own connection, the
// migrations in fsys and version table table ("" for the default), and
// returns what run returned.
func runGoose(t *testing.T, s *space, fsys fs.FS, table string, run func(ctx context.Context, p *goose.Provider) error) error {
	t.Helper()
	db := s.open(t, s.dsn) // the provider closes it; so does the cleanup
	var opts []goose.ProviderOption
	if table != "" {
		opts = append(opts, goose.WithTableName(table))
	}
	p, err := goose.NewProvider(gooseDialects[s.backend.name], db, fsys, opts...)
	if err != nil {
		t.Fatalf("goose.NewProvider() = %v; want nil", err)
	}
	defer func() {
		if err := p.Close(); err != nil {
			t.Errorf("goose Provider.Close() = %v; want nil", err)
		}
	}()
	return run(t.Context(), p)
}

func gooseUp(ctx context.Context, p *goose.Provider) error {
	_, err := p.Up(ctx)
	return err
}

func gooseUpTo(v int64) func(ctx context.Context, p *goose.Provider) error {
	return func(ctx context.Context, p *goose.Provider) error {
		_, err := p.UpTo(ctx, v)
		return err
	}
}

func TestMigrationsGoose(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		giveApplied fs.FS                                              // what goose applies; nil: it never runs
		giveRun     func(ctx context.Context, p *goose.Provider) error // default up
		giveTable   string                                             // the version table goose writes
		giveOnDisk  fs.FS                                              // what the checker reads
		giveChecker sqlcheck.Goose
		wantRunErr  bool
		wantErr     error
		wantText    string
		wantObs     map[string]float64 // nil: no observations
	}{
		{
			name:        "all applied",
			giveApplied: gooseFiles,
			giveOnDisk:  gooseFiles,
			wantObs:     map[string]float64{"pending_migrations": 0, "current_version": 3},
		},
		{
			name:        "pending",
			giveApplied: gooseFiles,
			giveRun:     gooseUpTo(1),
			giveOnDisk:  gooseFiles,
			wantErr:     sqlcheck.ErrPendingMigrations,
			wantText:    "sqlcheck: 2 pending migrations: 00002_add_orders, 00003_add_items",
			wantObs:     map[string]float64{"pending_migrations": 2, "current_version": 1},
		},
		{
			name:        "file added",
			giveApplied: gooseFiles,
			giveOnDisk: withFiles(gooseFiles, map[string]string{
				"00004_add_email.sql": "-- +goose Up\nALTER TABLE users ADD email VARCHAR(100);\n",
			}),
			wantErr:  sqlcheck.ErrPendingMigrations,
			wantText: "sqlcheck: 1 pending migration: 00004_add_email",
			wantObs:  map[string]float64{"pending_migrations": 1, "current_version": 3},
		},
		{
			name:        "missing below the current version",
			giveApplied: withFiles(gooseFiles, map[string]string{"00002_add_orders.sql": ""}),
			giveOnDisk:  gooseFiles,
			wantErr:     sqlcheck.ErrPendingMigrations,
			wantText:    "sqlcheck: 1 pending migration: 00002_add_orders",
			wantObs:     map[string]float64{"pending_migrations": 1, "current_version": 3},
		},
		{
			name:        "rolled back",
			giveApplied: gooseFiles,
			giveRun: func(ctx context.Context, p *goose.Provider) error {
				if _, err := p.Up(ctx); err != nil {
					return err
				}
				_, err := p.DownTo(ctx, 1)
				return err
			},
			giveOnDisk: gooseFiles,
			wantErr:    sqlcheck.ErrPendingMigrations,
			wantText:   "sqlcheck: 2 pending migrations: 00002_add_orders, 00003_add_items",
			wantObs:    map[string]float64{"pending_migrations": 2, "current_version": 1},
		},
		{
			// goose runs each migration in a transaction and records only
			// those that commit: a failed one is pending, not dirty.
			name: "failed migration",
			giveApplied: withFiles(gooseFiles, map[string]string{
				"00003_add_items.sql": "-- +goose Up\nINSERT INTO no_such_table VALUES (1);\n",
			}),
			giveOnDisk: gooseFiles,
			wantRunErr: true,
			wantErr:    sqlcheck.ErrPendingMigrations,
			wantText:   "sqlcheck: 1 pending migration: 00003_add_items",
			wantObs:    map[string]float64{"pending_migrations": 1, "current_version": 2},
		},
		{
			name:        "database ahead of disk",
			giveApplied: gooseFiles,
			giveOnDisk:  withFiles(gooseFiles, map[string]string{"00003_add_items.sql": ""}),
			wantObs:     map[string]float64{"pending_migrations": 0, "current_version": 3},
		},
		{
			name:       "table missing",
			giveOnDisk: gooseFiles,
			wantErr:    sqlcheck.ErrPendingMigrations,
			wantText:   "sqlcheck: 3 pending migrations: 00001_create_users, 00002_add_orders, 00003_add_items",
			wantObs:    map[string]float64{"pending_migrations": 3, "current_version": 0},
		},
		{
			name:        "custom table",
			giveApplied: gooseFiles,
			giveTable:   "app_versions",
			giveOnDisk:  gooseFiles,
			giveChecker: sqlcheck.Goose{Table: "app_versions"},
			wantObs:     map[string]float64{"pending_migrations": 0, "current_version": 3},
		},
		{
			name:        "custom table read as the default",
			giveApplied: gooseFiles,
			giveTable:   "app_versions",
			giveOnDisk:  gooseFiles,
			wantErr:     sqlcheck.ErrPendingMigrations,
			wantText:    "sqlcheck: 3 pending migrations: 00001_create_users, 00002_add_orders, 00003_add_items",
			wantObs:     map[string]float64{"pending_migrations": 3, "current_version": 0},
		},
		{
			name:        "invalid table",
			giveApplied: gooseFiles,
			giveOnDisk:  gooseFiles,
			giveChecker: sqlcheck.Goose{Table: "goose_db_version WHERE 1=0 --"},
			wantErr:     sqlcheck.ErrInvalidTable,
			wantText:    `sqlcheck: invalid migrations table name "goose_db_version WHERE 1=0 --": want letters, digits and _, optionally schema-qualified`,
		},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					s := newSpace(t, b)
					if tt.giveApplied != nil {
						run := tt.giveRun
						if run == nil {
							run = gooseUp
						}
						err := runGoose(t, s, tt.giveApplied, tt.giveTable, run)
						if (err != nil) != tt.wantRunErr {
							t.Fatalf("goose = %v; want error %v", err, tt.wantRunErr)
						}
					}
					assertMigrations(t, s.open(t, s.dsn), tt.giveOnDisk, tt.giveChecker, tt.wantErr, tt.wantText, tt.wantObs)
				})
			}
		})
	}
}

// TestMigrationsGooseUnappliedRows reads rows with is_applied false, as
// goose versions before the Provider wrote on a down migration (it now
// deletes the row): the latest row of a version decides.
func TestMigrationsGooseUnappliedRows(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := newSpace(t, b)
			if err := runGoose(t, s, gooseFiles, "", gooseUp); err != nil {
				t.Fatalf("goose up = %v; want nil", err)
			}
			db := s.open(t, s.dsn)
			// Version 3 down, 2 down and up again.
			for _, stmt := range []string{
				"INSERT INTO goose_db_version (version_id, is_applied) VALUES (3, false)",
				"INSERT INTO goose_db_version (version_id, is_applied) VALUES (2, false)",
				"INSERT INTO goose_db_version (version_id, is_applied) VALUES (2, true)",
			} {
				if _, err := db.Exec(stmt); err != nil {
					t.Fatalf("Exec(%q) = %v; want nil", stmt, err)
				}
			}
			c := sqlcheck.Migrations(db, gooseFiles, sqlcheck.Goose{})
			assertCheckErr(t, testenv.CheckWithin(c, testenv.CheckTimeout), sqlcheck.ErrPendingMigrations, "sqlcheck: 1 pending migration: 00003_add_items")
			assertObservations(t, c.Observations(), map[string]float64{"pending_migrations": 1, "current_version": 2})
		})
	}
}
