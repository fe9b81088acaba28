// Package fallback starts the stand-ins that let every example run with
// nothing installed: an embedded Redis when REDIS_ADDR is unset and an
// embedded in-memory SQL database when DATABASE_URL is unset. It is demo
// plumbing only: in your app, use your own Redis address and database URL.
package fallback

import (
	"fmt"
	"log/slog"

	"github.com/alicebob/miniredis/v2"
	"modernc.org/ql"
)

// Redis returns addr and a stop func that does nothing when addr is set.
// When it is empty, Redis starts an embedded Redis-compatible server
// (miniredis), logs that it did, and returns its address and the func that
// stops it.
func Redis(addr string, logger *slog.Logger) (string, func(), error) {
	if addr != "" {
		return addr, func() {}, nil
	}
	mr, err := miniredis.Run()
	if err != nil {
		return "", nil, fmt.Errorf("start embedded redis: %w", err)
	}
	logger.Info("REDIS_ADDR not set: started an embedded Redis-compatible server (miniredis)", "addr", mr.Addr())
	return mr.Addr(), mr.Close, nil
}

// DB returns driver and dsn, for sql.Open, when dsn is set. When it is
// empty, DB logs that it is using an embedded in-memory SQL database
// (modernc.org/ql, pure Go: a first `go run` builds it in half the time of
// an embedded SQLite) and returns that database's driver name and DSN.
func DB(driver, dsn string, logger *slog.Logger) (string, string) {
	if dsn != "" {
		return driver, dsn
	}
	ql.RegisterMemDriver()
	logger.Info("DATABASE_URL not set: using an embedded in-memory SQL database (modernc.org/ql)")
	return "ql-mem", "demo"
}
