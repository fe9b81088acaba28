module github.com/probekit/probekit/adapters/echov5probe

go 1.26.0

replace github.com/probekit/probekit => ../..

require (
	github.com/labstack/echo/v5 v5.4.6
	github.com/probekit/probekit v0.0.0-00010101000000-000000000000
	go.uber.org/goleak v1.3.0
)

require golang.org/x/time v0.15.0 // indirect
