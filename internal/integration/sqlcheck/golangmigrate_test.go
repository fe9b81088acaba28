package sqlcheck_test

import (
	"database/sql"
	"errors"
	"io/fs"
	"maps"
	"testing"
	"testing/fstest"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	migratemysql "github.com/golang-migrate/migrate/v4/database/mysql"
	migratepgx "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	migratesqlite "github.com/golang-migrate/migrate/v4/database/sqlite"
	"github.com/golang-migrate/migrate/v4/source/iofs"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/checks/sqlcheck"
	"github.com/probekit/probekit/internal/testenv"
)

// migrateFiles are golang-migrate migrations that run unchanged on
// PostgreSQL, MariaDB and SQLite.
var migrateFiles = fstest.MapFS{
	"1_create_users.up.sql":   {Data: []byte("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100));")},
	"1_create_users.down.sql": {Data: []byte("DROP TABLE users;")},
	"2_add_orders.up.sql":     {Data: []byte("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER);")},
	"2_add_orders.down.sql":   {Data: []byte("DROP TABLE orders;")},
	"3_add_index.up.sql":      {Data: []byte("CREATE INDEX orders_user ON orders (user_id);")},
	"3_add_index.down.sql":    {Data: []byte("DROP INDEX orders_user;")},
	"README.md":               {Data: []byte("not a migration")},
}

// withFiles returns a copy of fsys with files added (or, with nil data,
// removed).
func withFiles(fsys fstest.MapFS, files map[string]string) fstest.MapFS {
	out := maps.Clone(fsys)
	for name, data := range files {
		if data == "" {
			delete(out, name)
			continue
		}
		out[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return out
}

// golangMigrate runs the real golang-migrate on s, with its own
// connection, the migrations in fsys and version table table ("" for the
// default), and returns what run returned.
func golangMigrate(t *testing.T, s *space, fsys fs.FS, table string, run func(m *migrate.Migrate) error) error {
	t.Helper()
	db := s.open(t, s.dsn) // golang-migrate closes it; so does the cleanup
	var (
		drv database.Driver
		err error
	)
	switch s.backend.name {
	case "postgres":
		drv, err = migratepgx.WithInstance(db, &migratepgx.Config{MigrationsTable: table})
	case "mariadb":
		drv, err = migratemysql.WithInstance(db, &migratemysql.Config{MigrationsTable: table})
	case "sqlite":
		drv, err = migratesqlite.WithInstance(db, &migratesqlite.Config{MigrationsTable: table})
	}
	if err != nil {
		t.Fatalf("golang-migrate %s WithInstance() = %v; want nil", s.backend.name, err)
	}
	src, err := iofs.New(fsys, ".")
	if err != nil {
		t.Fatalf("iofs.New() = %v; want nil", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, s.backend.name, drv)
	if err != nil {
		t.Fatalf("migrate.NewWithInstance() = %v; want nil", err)
	}
	defer func() {
		if srcErr, dbErr := m.Close(); srcErr != nil || dbErr != nil {
			t.Errorf("migrate.Close() = %v, %v; want nil, nil", srcErr, dbErr)
		}
	}()
	return run(m)
}

func up(m *migrate.Migrate) error { return m.Up() }

func upTo(v uint) func(m *migrate.Migrate) error {
	return func(m *migrate.Migrate) error { return m.Migrate(v) }
}

func nothing(*migrate.Migrate) error { return nil }

func TestMigrationsGolangMigrate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		giveApplied fs.FS                          // what golang-migrate applies; nil: it never runs
		giveRun     func(m *migrate.Migrate) error // default up
		giveTable   string                         // the version table golang-migrate writes
		giveOnDisk  fs.FS                          // what the checker reads
		giveChecker sqlcheck.GolangMigrate
		wantRunErr  bool
		wantErr     error
		wantText    string
		wantObs     map[string]float64 // nil: no observations
	}{
		{
			name:        "all applied",
			giveApplied: migrateFiles,
			giveOnDisk:  migrateFiles,
			wantObs:     map[string]float64{"pending_migrations": 0, "current_version": 3},
		},
		{
			name:        "pending",
			giveApplied: migrateFiles,
			giveRun:     upTo(2),
			giveOnDisk:  migrateFiles,
			wantErr:     sqlcheck.ErrPendingMigrations,
			wantText:    "sqlcheck: 1 pending migration: 3_add_index",
			wantObs:     map[string]float64{"pending_migrations": 1, "current_version": 2},
		},
		{
			name:        "file added",
			giveApplied: migrateFiles,
			giveOnDisk: withFiles(migrateFiles, map[string]string{
				"4_add_email.up.sql":   "ALTER TABLE users ADD email VARCHAR(100);",
				"4_add_email.down.sql": "ALTER TABLE users DROP email;",
				"5_add_name.up.sql":    "ALTER TABLE users ADD nick VARCHAR(100);",
			}),
			wantErr:  sqlcheck.ErrPendingMigrations,
			wantText: "sqlcheck: 2 pending migrations: 4_add_email, 5_add_name",
			wantObs:  map[string]float64{"pending_migrations": 2, "current_version": 3},
		},
		{
			name: "dirty",
			giveApplied: withFiles(migrateFiles, map[string]string{
				"3_add_index.up.sql": "CREATE TABLE half (id INTEGER);\nINSERT INTO no_such_table VALUES (1);",
			}),
			giveOnDisk: migrateFiles,
			wantRunErr: true,
			wantErr:    sqlcheck.ErrDirtyMigration,
			wantText:   "sqlcheck: migration 3_add_index is dirty",
			wantObs:    map[string]float64{"pending_migrations": 0, "current_version": 3},
		},
		{
			name: "dirty and unknown to the binary",
			giveApplied: withFiles(migrateFiles, map[string]string{
				"4_broken.up.sql": "CREATE TABLE half (id INTEGER);\nINSERT INTO no_such_table VALUES (1);",
			}),
			giveOnDisk: migrateFiles,
			wantRunErr: true,
			wantErr:    sqlcheck.ErrDirtyMigration,
			wantText:   "sqlcheck: migration 4 is dirty",
			wantObs:    map[string]float64{"pending_migrations": 0, "current_version": 4},
		},
		{
			name:        "database ahead of disk",
			giveApplied: migrateFiles,
			giveOnDisk:  withFiles(migrateFiles, map[string]string{"3_add_index.up.sql": "", "3_add_index.down.sql": ""}),
			wantObs:     map[string]float64{"pending_migrations": 0, "current_version": 3},
		},
		{
			name:       "table missing",
			giveOnDisk: migrateFiles,
			wantErr:    sqlcheck.ErrPendingMigrations,
			wantText:   "sqlcheck: 3 pending migrations: 1_create_users, 2_add_orders, 3_add_index",
			wantObs:    map[string]float64{"pending_migrations": 3, "current_version": 0},
		},
		{
			name:        "table empty",
			giveApplied: migrateFiles,
			giveRun:     nothing,
			giveOnDisk:  migrateFiles,
			wantErr:     sqlcheck.ErrPendingMigrations,
			wantText:    "sqlcheck: 3 pending migrations: 1_create_users, 2_add_orders, 3_add_index",
			wantObs:     map[string]float64{"pending_migrations": 3, "current_version": 0},
		},
		{
			name:       "no migrations",
			giveOnDisk: fstest.MapFS{"README.md": {Data: []byte("none yet")}},
			wantObs:    map[string]float64{"pending_migrations": 0, "current_version": 0},
		},
		{
			name:        "custom table",
			giveApplied: migrateFiles,
			giveTable:   "app_migrations",
			giveOnDisk:  migrateFiles,
			giveChecker: sqlcheck.GolangMigrate{Table: "app_migrations"},
			wantObs:     map[string]float64{"pending_migrations": 0, "current_version": 3},
		},
		{
			name:        "custom table read as the default",
			giveApplied: migrateFiles,
			giveTable:   "app_migrations",
			giveOnDisk:  migrateFiles,
			wantErr:     sqlcheck.ErrPendingMigrations,
			wantText:    "sqlcheck: 3 pending migrations: 1_create_users, 2_add_orders, 3_add_index",
			wantObs:     map[string]float64{"pending_migrations": 3, "current_version": 0},
		},
		{
			name:        "invalid table",
			giveApplied: migrateFiles,
			giveOnDisk:  migrateFiles,
			giveChecker: sqlcheck.GolangMigrate{Table: "schema_migrations; DROP TABLE users"},
			wantErr:     sqlcheck.ErrInvalidTable,
			wantText:    `sqlcheck: invalid migrations table name "schema_migrations; DROP TABLE users": want letters, digits and _, optionally schema-qualified`,
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
							run = up
						}
						err := golangMigrate(t, s, tt.giveApplied, tt.giveTable, run)
						if (err != nil) != tt.wantRunErr {
							t.Fatalf("golang-migrate = %v; want error %v", err, tt.wantRunErr)
						}
					}
					assertMigrations(t, s.open(t, s.dsn), tt.giveOnDisk, tt.giveChecker, tt.wantErr, tt.wantText, tt.wantObs)
				})
			}
		})
	}
}

// TestMigrationsGolangMigrateQualifiedTable reads the version table by its
// schema-qualified name: schema.table on PostgreSQL, database.table on
// MariaDB and main.table on SQLite.
func TestMigrationsGolangMigrateQualifiedTable(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := newSpace(t, b)
			if err := golangMigrate(t, s, migrateFiles, "", upTo(2)); err != nil {
				t.Fatalf("golang-migrate = %v; want nil", err)
			}
			table := s.name + ".schema_migrations"
			c := sqlcheck.Migrations(s.open(t, s.dsn), migrateFiles, sqlcheck.GolangMigrate{Table: table})
			assertCheckErr(t, testenv.CheckWithin(c, testenv.CheckTimeout), sqlcheck.ErrPendingMigrations, "sqlcheck: 1 pending migration: 3_add_index")
		})
	}
}

// assertMigrations runs sqlcheck.Migrations(db, onDisk, tool) once and
// checks its error, its text and its observations; for an invalid table
// name, also that the app's tables are intact.
func assertMigrations(t *testing.T, db *sql.DB, onDisk fs.FS, tool sqlcheck.MigrationTool, wantErr error, wantText string, wantObs map[string]float64) {
	t.Helper()
	c := sqlcheck.Migrations(db, onDisk, tool)
	assertCheckErr(t, testenv.CheckWithin(c, testenv.CheckTimeout), wantErr, wantText)
	assertObservations(t, c.Observations(), wantObs)
	if errors.Is(wantErr, sqlcheck.ErrInvalidTable) {
		assertTablesIntact(t, db)
	}
}

// assertCheckErr checks that err matches want (nil for success) and reads
// wantText.
func assertCheckErr(t *testing.T, err, want error, wantText string) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Errorf("Check() = %v; want nil", err)
	case want != nil && !errors.Is(err, want):
		t.Errorf("Check() = %v; want an error wrapping %v", err, want)
	case want != nil && wantText != "" && err.Error() != wantText:
		t.Errorf("Check() = %q; want %q", err, wantText)
	}
}

// assertObservations checks observations against want by name.
func assertObservations(t *testing.T, obs []core.Observation, want map[string]float64) {
	t.Helper()
	if want == nil {
		if obs != nil {
			t.Errorf("Observations() = %v; want nil", obs)
		}
		return
	}
	got := make(map[string]float64, len(obs))
	for _, o := range obs {
		got[o.Name] = o.Value
	}
	if !maps.Equal(got, want) {
		t.Errorf("Observations() = %v; want %v", got, want)
	}
}

// assertTablesIntact checks that the users table a test migrated is still
// there: an invalid table name must not have reached the database.
func assertTablesIntact(t *testing.T, db *sql.DB) {
	t.Helper()
	if n := db.Stats().OpenConnections; n != 0 {
		t.Errorf("DB.Stats().OpenConnections = %d after Check; want 0, nothing sent", n)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		t.Errorf("SELECT COUNT(*) FROM users = %v; want the table intact", err)
	}
}
