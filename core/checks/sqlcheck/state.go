package sqlcheck

import (
	"fmt"
	"strings"
)

// maxListed is how many pending migrations an error names before it
// summarises the rest as "and N more".
const maxListed = 5

// MigrationState is what a [MigrationTool] found: how the migrations on
// disk compare with those applied to the database.
type MigrationState struct {
	// Version is the database's current migration version: the latest one
	// applied, as the tool numbers them. Zero when none is applied, or
	// when the tool's versions are not integers (Flyway's "1.2.3").
	Version int64

	// Pending names the migrations found on disk but not applied, oldest
	// first, by file name without extensions, such as "3_add_orders".
	// Migrations applied to the database but not on disk are not listed:
	// a database ahead of the binary is ready (see [MigrationsChecker]).
	Pending []string

	// Dirty names a migration the tool started and did not finish, by file
	// name without extensions or by version; empty when there is none.
	Dirty string
}

// Err returns nil when s is ready: no migration is dirty or pending.
// Otherwise it returns an error wrapping [ErrDirtyMigration], which takes
// precedence, or [ErrPendingMigrations], whose text names the first few
// pending migrations:
//
//	sqlcheck: migration 3_add_orders is dirty
//	sqlcheck: 2 pending migrations: 3_add_orders, 4_add_index
//	sqlcheck: 7 pending migrations: 1_a, 2_b, 3_c, 4_d, 5_e, and 2 more
func (s MigrationState) Err() error {
	if s.Dirty != "" {
		return &stateError{text: fmt.Sprintf("sqlcheck: migration %s is dirty", s.Dirty), sentinel: ErrDirtyMigration}
	}
	n := len(s.Pending)
	if n == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sqlcheck: %d pending migration", n)
	if n != 1 {
		b.WriteByte('s')
	}
	b.WriteString(": ")
	b.WriteString(strings.Join(s.Pending[:min(n, maxListed)], ", "))
	if n > maxListed {
		fmt.Fprintf(&b, ", and %d more", n-maxListed)
	}
	return &stateError{text: b.String(), sentinel: ErrPendingMigrations}
}

// stateError is an error that reads text and matches sentinel.
type stateError struct {
	text     string
	sentinel error
}

func (e *stateError) Error() string        { return e.text }
func (e *stateError) Is(target error) bool { return target == e.sentinel }
