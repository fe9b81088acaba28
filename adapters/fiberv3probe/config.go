package fiberv3probe

import "github.com/gofiber/fiber/v3"

// Config defines the config for the probe middleware returned by [New].
// Its zero value is the default.
type Config struct {
	// Next defines a function to skip this middleware when it returns
	// true: the request goes on to the next handler as if it were not a
	// probe.
	//
	// Optional. Default: nil
	Next func(c fiber.Ctx) bool
}
