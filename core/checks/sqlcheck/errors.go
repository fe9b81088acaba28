package sqlcheck

import "errors"

// Sentinel errors, for errors.Is. The errors Check returns wrap them and add
// detail to their text.
var (
	// ErrPendingMigrations is wrapped by the error of a
	// [MigrationsChecker] whose database lacks migrations found on disk. Its
	// text names them, such as
	// "sqlcheck: 2 pending migrations: 3_add_orders, 4_add_index".
	ErrPendingMigrations = errors.New("sqlcheck: pending migrations")

	// ErrDirtyMigration is wrapped by the error of a [MigrationsChecker]
	// whose migration tool recorded a migration that started and did not
	// finish, such as "sqlcheck: migration 3_add_orders is dirty". The
	// schema is in an unknown state until someone repairs it.
	ErrDirtyMigration = errors.New("sqlcheck: dirty migration")

	// ErrInvalidTable is wrapped by the error of every Check of a
	// [MigrationsChecker] configured with a table name that is not a plain
	// identifier (see [GolangMigrate.Table]). Such a name is never sent to
	// the database.
	ErrInvalidTable = errors.New("sqlcheck: invalid migrations table name")
)
