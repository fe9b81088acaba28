package testenv

// ConfusingPaths are request targets that look like probes and are not:
// what a router's case folding, trailing-slash or escape handling, or a
// URI parser's dot-segment and double-slash cleaning could take for a
// probe path. With the default probe paths and a check named redis, none
// is a probe: each must reach the app's own middleware.
var ConfusingPaths = []string{
	"/healthz/",
	"/HEALTHZ",
	"/Readyz",
	"//healthz",
	"/healthz//",
	"/healthz/../api",
	"/healthz/../api/whoami",
	"/readyz/../api/whoami",
	"/healthz/./",
	"/api/../healthz",
	"/healthz%2F..%2Fapi",
	"/healthz%2F..%2Fapi%2Fwhoami",
	"/healthz%2f..%2fapi%2fwhoami",
	"/health%7A",
	"/healthz%00",
	"/healthz;x=1",
	"/readyz/redis/",
	"/readyz/redis/api",
	"/api/healthz",
	"/healthzz",
}
