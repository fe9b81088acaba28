package fallback

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"testing"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestRedis(t *testing.T) {
	t.Parallel()
	if addr, stop, err := Redis("redis:6379", discard); addr != "redis:6379" || err != nil {
		t.Errorf(`Redis("redis:6379") = %q, %v; want "redis:6379", nil`, addr, err)
	} else {
		stop()
	}

	addr, stop, err := Redis("", discard)
	if err != nil {
		t.Fatalf(`Redis("") = %v`, err)
	}
	defer stop()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Errorf("PING the embedded Redis at %s: %v", addr, err)
	}
}

func TestDB(t *testing.T) {
	t.Parallel()
	if driver, dsn := DB("pgx", "postgres://x", discard); driver != "pgx" || dsn != "postgres://x" {
		t.Errorf(`DB("pgx", "postgres://x") = %q, %q; want them unchanged`, driver, dsn)
	}

	db, err := sql.Open(DB("pgx", "", discard))
	if err != nil {
		t.Fatalf(`sql.Open(DB("pgx", "")) = %v`, err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Errorf("Ping the embedded database: %v", err)
	}
}
