package soak

import (
	"context"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// Test mode keeps Gin's debug warnings and route listing out of the
	// output.
	gin.SetMode(gin.TestMode)
	// go-redis logs every failed dial; the soak makes hundreds on purpose.
	redis.SetLogger(discardLogger{})
	goleak.VerifyTestMain(m)
}

// discardLogger is a go-redis logger that drops everything.
type discardLogger struct{}

func (discardLogger) Printf(context.Context, string, ...any) {}
