package echoprobe

import (
	"github.com/labstack/echo/v4"

	"github.com/probekit/probekit/core"
)

// *echo.Echo drains as it is: h.DrainAndShutdown(ctx, e) turns readiness
// 503, waits the drain delay, then calls e.Shutdown(ctx).
var _ core.Shutdowner = (*echo.Echo)(nil)
