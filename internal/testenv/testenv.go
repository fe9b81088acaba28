// Package testenv gives the module's tests the real servers they run
// against: the shared Redis, PostgreSQL and MariaDB of the dev and CI
// machines, test-owned redis-server processes that a test can stop, pause
// and kill, and an in-test TCP proxy that can refuse, reset or blackhole
// connections.
//
// A test that needs a server the machine does not have is skipped with a
// message saying what is missing, except under CI=true, where it fails: CI
// must never pass by skipping.
package testenv

import (
	"net"
	"os"
	"testing"
	"time"
)

// Default addresses of the shared servers, overridable with the environment
// variables of the same purpose.
const (
	DefaultRedisAddr    = "127.0.0.1:6379"
	DefaultPostgresAddr = "127.0.0.1:5432"
	DefaultMariaDBAddr  = "127.0.0.1:3306"
)

// CI reports whether the tests run under CI (CI=true), where a missing
// server is a failure rather than a skip.
func CI() bool {
	v := os.Getenv("CI")
	return v == "true" || v == "1"
}

// Unavailable skips the test, or fails it under CI, with a message naming
// what is missing.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if CI() {
		t.Fatalf("required test dependency unavailable (CI=true): "+format, args...)
	}
	t.Skipf("skipping: "+format+" (set CI=true to make this a failure)", args...)
}

// RequireTCP checks that something accepts TCP connections at addr and
// returns addr; otherwise it calls [Unavailable].
func RequireTCP(t testing.TB, name, addr string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		Unavailable(t, "%s is not reachable at %s: %v", name, addr, err)
		return ""
	}
	_ = c.Close()
	return addr
}

// Env returns the environment variable key, or def when it is unset.
func Env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// RedisAddr returns the shared Redis address (TEST_REDIS_ADDR, default
// 127.0.0.1:6379), skipping or failing the test when nothing answers there.
func RedisAddr(t testing.TB) string {
	t.Helper()
	return RequireTCP(t, "Redis", Env("TEST_REDIS_ADDR", DefaultRedisAddr))
}

// PostgresDSN returns a pgx URL for the shared PostgreSQL database "test"
// (TEST_POSTGRES_URL overrides it), skipping or failing the test when the
// server does not answer.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	RequireTCP(t, "PostgreSQL", Env("TEST_POSTGRES_ADDR", DefaultPostgresAddr))
	return Env("TEST_POSTGRES_URL", "postgres://postgres@"+Env("TEST_POSTGRES_ADDR", DefaultPostgresAddr)+"/test?sslmode=disable")
}

// MariaDBDSN returns a go-sql-driver/mysql DSN for the shared MariaDB
// database "test" (TEST_MARIADB_DSN overrides it), skipping or failing the
// test when the server does not answer.
func MariaDBDSN(t testing.TB) string {
	t.Helper()
	addr := Env("TEST_MARIADB_ADDR", DefaultMariaDBAddr)
	RequireTCP(t, "MariaDB", addr)
	return Env("TEST_MARIADB_DSN", "root@tcp("+addr+")/test?parseTime=true")
}
