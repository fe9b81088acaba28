// Package sqlcheck provides checkers ([core.Checker]) for SQL databases
// through the application's own [database/sql.DB]: one that checks the
// database answers ([New]), and one that checks every migration the binary
// ships with has been applied ([Migrations]), as a readiness probe should
// before traffic reaches a new release.
//
// # Usage
//
// Hand the checkers the *sql.DB the application already has; they share its
// connection pool and never open connections of their own, nor close it:
//
//	db, err := sql.Open("pgx", dsn)
//	…
//	//go:embed migrations/*.sql
//	var migrationFiles embed.FS
//	migrations, _ := fs.Sub(migrationFiles, "migrations")
//
//	h, err := core.New(
//		core.WithCheck("db", sqlcheck.New(db), core.Timeout(time.Second)),
//		core.WithCheck("migrations", sqlcheck.Migrations(db, migrations, sqlcheck.GolangMigrate{})),
//	)
//	if err != nil {
//		return err
//	}
//	defer h.Close()
//
// [New] runs "SELECT 1" by default, another query with [Query], or pings
// with [Ping]. Both checkers are tested on PostgreSQL (pgx), MariaDB
// (go-sql-driver/mysql) and SQLite (modernc.org/sqlite), and use nothing
// specific to any of them.
//
// # Migrations
//
// [Migrations] compares the migration files in an [io/fs.FS], usually an
// embed.FS of the binary's migrations directory, with the table the
// migration tool keeps in the database, and fails while any of them is
// pending or a migration is dirty, naming them:
//
//	sqlcheck: 2 pending migrations: 3_add_orders, 4_add_index
//	sqlcheck: migration 3_add_orders is dirty
//
// The tool's table is read directly, so this package needs none of the
// tools' packages. [GolangMigrate] reads golang-migrate's schema_migrations
// and [Goose] reads goose's goose_db_version, each from a configurable
// table. Any other tool (Atlas, Flyway, dbmate, an in-house one) plugs in
// with a [MigrationToolFunc] that reports a [MigrationState].
//
// A database that is ahead of the binary passes. During a rolling deploy
// the first new pod migrates the schema forward while old pods still
// serve; if they then went unready, the deploy would take the service
// down. Such migrations must be backward compatible anyway, so the old
// pods can go on serving.
//
// Run the migrations before the new pods serve, from an init container, a
// job, or the application's start-up; the check reports that this has
// happened, it does not migrate.
//
// # Deadlines
//
// Both checkers call the driver in the calling goroutine and return when it
// does. pgx, go-sql-driver/mysql and modernc.org/sqlite all cancel a query
// at its context's deadline, and the error then wraps
// [context.DeadlineExceeded]. A run that outlives its timeout anyway (a
// driver or migration tool that ignores its context) is abandoned by the
// [core.Health] at its timeout ([core.Timeout]), which reports the check
// failing ("still running") until the run returns, and starts no other run
// meanwhile. Give the check a timeout below the probe's.
//
// # Errors and secrets
//
// Errors carry the driver's error, wrapped, so errors.Is works, for
// example with syscall.ECONNREFUSED or [context.DeadlineExceeded]. The
// checkers never see the DSN and never format it into an error; pgx and
// go-sql-driver/mysql name the host and user in connection errors but not
// the password. The core redacts passwords from error text as well.
//
// # Observations
//
// Both checkers are also observers ([core.Observer]): [Checker.Observations] reports
// the pool's statistics (open, in use and idle connections, waits, the
// limit), and [MigrationsChecker.Observations] the number of pending
// migrations and the current version.
package sqlcheck
