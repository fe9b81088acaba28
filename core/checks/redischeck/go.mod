module github.com/probekit/probekit/core/checks/redischeck

go 1.26.0

replace github.com/probekit/probekit => ../../..

require (
	github.com/probekit/probekit v0.0.0-00010101000000-000000000000
	github.com/redis/go-redis/v9 v9.24.0
	go.uber.org/goleak v1.3.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
