package pgxcheck

import (
	"strings"

	"github.com/probekit/probekit/core"
)

// redacted replaces a password found in error text.
const redacted = "xxxxx"

// checkError is a failed Check. Its text has the pool's password and what
// [core.Redact] recognises replaced; Unwrap returns the driver's error,
// whose own text may still hold them.
type checkError struct {
	text string
	err  error
}

func (e *checkError) Error() string { return e.text }
func (e *checkError) Unwrap() error { return e.err }

// newCheckError wraps err, the failure of op, redacting password.
func newCheckError(op string, err error, password string) *checkError {
	text := err.Error()
	if password != "" {
		text = strings.ReplaceAll(text, password, redacted)
	}
	return &checkError{text: "pgxcheck: " + op + ": " + core.Redact(text), err: err}
}
