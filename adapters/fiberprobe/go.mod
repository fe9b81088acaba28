module github.com/probekit/probekit/adapters/fiberprobe

go 1.25.0

replace github.com/probekit/probekit => ../..

require (
	github.com/gofiber/fiber/v2 v2.52.16
	github.com/probekit/probekit v0.0.0-00010101000000-000000000000
	github.com/valyala/fasthttp v1.74.0
	go.uber.org/goleak v1.3.0
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/klauspost/compress v1.20.0 // indirect
	github.com/mattn/go-colorable v0.1.13 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/mattn/go-runewidth v0.0.16 // indirect
	github.com/molecule-man/go-brrr v1.0.1 // indirect
	github.com/rivo/uniseg v0.2.0 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
