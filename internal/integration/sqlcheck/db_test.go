package sqlcheck_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"github.com/probekit/probekit/internal/testenv"
)

// backend is one of the real databases the tests run on.
type backend struct {
	name    string // "postgres", "mariadb" or "sqlite"
	driver  string // its database/sql driver
	network bool   // reached over TCP, so it can sit behind a testenv.Proxy
}

var (
	postgres = backend{name: "postgres", driver: "pgx", network: true}
	mariadb  = backend{name: "mariadb", driver: "mysql", network: true}
	sqlite   = backend{name: "sqlite", driver: "sqlite"}

	backends = []backend{postgres, mariadb, sqlite}
)

// space is a namespace of one test's own in a backend: a PostgreSQL
// schema, a MariaDB database or an SQLite file, so that parallel tests and
// packages never see each other's tables. It is dropped in t.Cleanup.
type space struct {
	backend
	name string // the schema or database; "main" for SQLite
	dsn  string // connects straight to the namespace
	addr string // the server's address; empty for SQLite
}

// newSpace creates a namespace in b for t, skipping or failing t (under
// CI=true) when b's server is not there.
func newSpace(t *testing.T, b backend) *space {
	t.Helper()
	s := &space{backend: b, name: uniqueName()}
	switch b.name {
	case "postgres":
		u, err := url.Parse(testenv.PostgresDSN(t))
		if err != nil {
			t.Fatalf("url.Parse(TEST_POSTGRES_URL) = %v", err)
		}
		admin := u.String()
		s.addr = u.Host
		q := u.Query()
		q.Set("search_path", s.name)
		u.RawQuery = q.Encode()
		s.dsn = u.String()
		exec(t, b.driver, admin, "CREATE SCHEMA "+s.name)
		t.Cleanup(func() { drop(t, b.driver, admin, "DROP SCHEMA "+s.name+" CASCADE") })
	case "mariadb":
		cfg, err := mysql.ParseDSN(testenv.MariaDBDSN(t))
		if err != nil {
			t.Fatalf("mysql.ParseDSN(TEST_MARIADB_DSN) = %v", err)
		}
		admin := cfg.FormatDSN()
		s.addr = cfg.Addr
		cfg.DBName = s.name
		cfg.MultiStatements = true // golang-migrate runs a file in one Exec
		s.dsn = cfg.FormatDSN()
		exec(t, b.driver, admin, "CREATE DATABASE "+s.name)
		t.Cleanup(func() { drop(t, b.driver, admin, "DROP DATABASE "+s.name) })
	case "sqlite":
		s.name = "main"
		s.dsn = filepath.Join(t.TempDir(), "test.db") + "?_pragma=busy_timeout(10000)"
	default:
		t.Fatalf("newSpace: unknown backend %q", b.name)
	}
	return s
}

// dsnVia returns the namespace's DSN with the server's address replaced by
// addr, typically a testenv.Proxy's, and the password by password if it is
// not empty.
func (s *space) dsnVia(t *testing.T, addr, password string) string {
	t.Helper()
	switch s.backend.name {
	case "postgres":
		u, err := url.Parse(s.dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.Host = addr
		if password != "" {
			u.User = url.UserPassword(u.User.Username(), password)
		}
		return u.String()
	case "mariadb":
		cfg, err := mysql.ParseDSN(s.dsn)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Addr = addr
		if password != "" {
			cfg.Passwd = password
		}
		return cfg.FormatDSN()
	}
	t.Fatalf("dsnVia: %s is not reached over the network", s.backend.name)
	return ""
}

// open opens dsn with the backend's driver; the DB is closed in t.Cleanup.
func (s *space) open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(s.driver, dsn)
	if err != nil {
		t.Fatalf("sql.Open(%s) = %v; want nil", s.driver, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// exec runs one statement on a connection of its own.
func exec(t *testing.T, driver, dsn, stmt string) {
	t.Helper()
	if err := execErr(driver, dsn, stmt); err != nil {
		t.Fatal(err)
	}
}

// drop is exec for a cleanup: it reports a failure without stopping.
func drop(t *testing.T, driver, dsn, stmt string) {
	t.Helper()
	if err := execErr(driver, dsn, stmt); err != nil {
		t.Error(err)
	}
}

func execErr(driver, dsn, stmt string) error {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return fmt.Errorf("sql.Open(%s) = %v; want nil", driver, err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		return fmt.Errorf("Exec(%q) = %v; want nil", stmt, err)
	}
	return nil
}

// uniqueName returns a fresh lower-case identifier, valid as a PostgreSQL
// schema and a MariaDB database name.
func uniqueName() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "sqlcheck_" + hex.EncodeToString(b)
}
