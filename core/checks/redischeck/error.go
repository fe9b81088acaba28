package redischeck

import (
	"errors"
	"strings"
)

// ErrNoShards is returned by Check when a *redis.ClusterClient or a
// *redis.Ring has no shard to ping: a cluster without nodes, or a ring whose
// shards have all been marked down by its heartbeat.
var ErrNoShards = errors.New("redischeck: no shard to ping")

// redacted replaces a password found in error text.
const redacted = "xxxxx"

// pingError is a failed ping of one target: a node's address, or the
// client as a whole when no node is to blame. Its text never contains the
// passwords it was made with; Unwrap returns the original error, for
// errors.Is and errors.As.
type pingError struct {
	target string
	cause  string // err.Error() with passwords redacted
	err    error
}

// newPingError wraps err, a failure to reach target, hiding every non-empty
// secret in its text.
func newPingError(target string, err error, secrets []string) *pingError {
	cause := err.Error()
	for _, s := range secrets {
		if s != "" {
			cause = strings.ReplaceAll(cause, s, redacted)
			target = strings.ReplaceAll(target, s, redacted)
		}
	}
	return &pingError{target: target, cause: cause, err: err}
}

func (e *pingError) Error() string { return "redischeck: " + e.detail() }
func (e *pingError) Unwrap() error { return e.err }
func (e *pingError) detail() string {
	return "ping " + e.target + ": " + e.cause
}

// pingErrors is the failure of several shards, sorted by target.
type pingErrors []*pingError

func (e pingErrors) Error() string {
	parts := make([]string, len(e))
	for i, pe := range e {
		parts[i] = pe.detail()
	}
	return "redischeck: " + strings.Join(parts, "; ")
}

func (e pingErrors) Unwrap() []error {
	errs := make([]error, len(e))
	for i, pe := range e {
		errs[i] = pe
	}
	return errs
}

// joinPingErrors returns nil, the only error, or all of them as one.
func joinPingErrors(errs []*pingError) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	default:
		return pingErrors(errs)
	}
}
