package echoprobe_test

import (
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v4"
)

const token = "secret-token"

// newEcho returns a real engine that prints nothing.
func newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(io.Discard)
	return e
}

// serve runs one request through e, with the Bearer token when auth is set.
func serve(e *echo.Echo, method, target string, auth bool) *httptest.ResponseRecorder {
	authorization := ""
	if auth {
		authorization = "Bearer " + token
	}
	return do(e, newRequest(method, target, authorization))
}

// recorder is an e.Use middleware standing in for the app's middleware
// chain: it records every request that reaches it, as it reaches it.
type recorder struct{ got []string }

func (rec *recorder) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		rec.got = append(rec.got, c.Request().Method+" "+c.Request().RequestURI)
		return next(c)
	}
}

// requireBearer is the app's auth written as Echo middleware: 401 without
// the token unless skip says the request is a probe.
func requireBearer(skip func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if (skip == nil || !skip(c)) && c.Request().Header.Get(echo.HeaderAuthorization) != "Bearer "+token {
				return echo.NewHTTPError(http.StatusUnauthorized, echo.Map{"error": "unauthorized"})
			}
			return next(c)
		}
	}
}

func whoami(c echo.Context) error {
	return c.JSONBlob(http.StatusOK, []byte(`{"user":"demo"}`))
}

func newRequest(method, target, authorization string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	if authorization != "" {
		r.Header.Set(echo.HeaderAuthorization, authorization)
	}
	return r
}

func do(e *echo.Echo, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}
