package core

import (
	"fmt"
	"net/http"
)

// Status is the state of a check or of a probe's aggregate. The zero value is
// [StatusUnknown].
type Status uint8

// The statuses, in the order a probe moves through them on a normal day.
const (
	// StatusUnknown is the zero value: no status has been determined.
	StatusUnknown Status = iota
	// StatusStarting means not every check has a first result yet. Readiness
	// answers 503 while starting; liveness answers 200.
	StatusStarting
	// StatusHealthy means every check passes. Its text form is "ok", as in
	// the Kubernetes probe bodies. Answers 200.
	StatusHealthy
	// StatusDegraded means a non-critical check is failing or a check passed
	// with a warning (see [Warn]). Still answers 200.
	StatusDegraded
	// StatusUnhealthy means a critical check is failing, or readiness is held
	// down (see [Health.Hold]). Answers 503.
	StatusUnhealthy
	// StatusDraining means the service is shutting down: readiness answers
	// 503 so load balancers stop sending traffic, liveness is unaffected.
	StatusDraining
)

var statusText = [...]string{
	StatusUnknown:   "unknown",
	StatusStarting:  "starting",
	StatusHealthy:   "ok",
	StatusDegraded:  "degraded",
	StatusUnhealthy: "unhealthy",
	StatusDraining:  "draining",
}

// String returns the status as it appears in probe bodies and logs:
// "unknown", "starting", "ok", "degraded", "unhealthy" or "draining".
func (s Status) String() string {
	if int(s) < len(statusText) {
		return statusText[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// MarshalText implements [encoding.TextMarshaler] with the form of [Status.String].
func (s Status) MarshalText() ([]byte, error) {
	if int(s) >= len(statusText) {
		return nil, fmt.Errorf("core: invalid status %d", uint8(s))
	}
	return []byte(statusText[s]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]. It accepts the forms
// [Status.String] produces, and "healthy" for [StatusHealthy].
func (s *Status) UnmarshalText(b []byte) error {
	if string(b) == "healthy" {
		*s = StatusHealthy
		return nil
	}
	for i, t := range statusText {
		if string(b) == t {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("core: unknown status %q", b)
}

// Passing reports whether s lets a probe answer 200: healthy or degraded.
func (s Status) Passing() bool { return s == StatusHealthy || s == StatusDegraded }

// httpStatus returns the HTTP status code a probe answers with in state s:
// 200 for healthy and degraded, 503 for every other status.
func (s Status) httpStatus() int {
	if s.Passing() {
		return http.StatusOK
	}
	return http.StatusServiceUnavailable
}

// ietf returns s in the IETF health-check format: pass, warn or fail.
func (s Status) ietf() string {
	switch s {
	case StatusHealthy:
		return "pass"
	case StatusDegraded:
		return "warn"
	default:
		return "fail"
	}
}
