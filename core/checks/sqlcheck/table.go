package sqlcheck

import (
	"errors"
	"fmt"
	"strings"
)

// maxTableLen bounds a table name, schema included.
const maxTableLen = 128

// tableName returns name, or def if name is empty, after checking that it
// is one identifier or two joined by a dot (schema.table): ASCII letters,
// digits and underscores, not starting with a digit. Such a name needs no
// quoting in PostgreSQL, MySQL/MariaDB or SQLite, and cannot inject SQL.
func tableName(name, def string) (string, error) {
	if name == "" {
		return def, nil
	}
	if len(name) > maxTableLen {
		return "", fmt.Errorf("%w: %d bytes long, more than %d", ErrInvalidTable, len(name), maxTableLen)
	}
	parts := strings.Split(name, ".")
	if len(parts) > 2 || !isIdent(parts[0]) || (len(parts) == 2 && !isIdent(parts[1])) {
		return "", fmt.Errorf("%w %q: want letters, digits and _, optionally schema-qualified", ErrInvalidTable, name)
	}
	return name, nil
}

// isIdent reports whether s is a plain SQL identifier.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// sqlStater is implemented by the errors of drivers that expose the SQL
// standard's SQLSTATE, such as pgx (*pgconn.PgError) and lib/pq.
type sqlStater interface{ SQLState() string }

// isUndefinedTable reports whether err says that the table queried does
// not exist, for PostgreSQL, MySQL/MariaDB and SQLite, without importing
// their drivers: by SQLSTATE where the driver exposes it (42P01, 42S02),
// otherwise by the message the server is known to send. Anything else,
// including a missing table reported in an unknown way, is not recognised,
// and the caller reports the error as it is.
func isUndefinedTable(err error) bool {
	var s sqlStater
	if errors.As(err, &s) {
		switch s.SQLState() {
		case "42P01", "42S02": // undefined_table; base table or view not found
			return true
		}
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "no such table") || // SQLite
		strings.Contains(msg, "Error 1146") || // MySQL/MariaDB ER_NO_SUCH_TABLE
		strings.Contains(msg, "(42S02)") || // MySQL/MariaDB SQLSTATE
		strings.Contains(msg, "SQLSTATE 42P01") // PostgreSQL
}
