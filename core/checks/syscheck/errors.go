package syscheck

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is. The errors the constructors and Check
// return wrap them and add detail to their text.
var (
	// ErrInvalidConfig is wrapped by the error of a constructor given an
	// invalid configuration, such as a warning threshold above the critical
	// one. Its text names the field and the value, e.g. "syscheck: memory:
	// Warn 0.97 is above Critical 0.95".
	ErrInvalidConfig = errors.New("syscheck: invalid configuration")

	// ErrThreshold is wrapped by the error of a Check whose reading crossed
	// a threshold. The error of a crossed warning threshold is also made by
	// [core.Warn], so core.IsWarning tells the two levels apart. Its text
	// says what was measured against what, e.g. "syscheck: memory: Go
	// runtime holds 980.0 MiB of the 1.0 GiB cgroup limit (95.7%), above
	// the critical 95%".
	ErrThreshold = errors.New("syscheck: threshold crossed")

	// ErrMalformed is wrapped by the error of a Check, or of [FindCgroup],
	// that found a cgroup or /proc file with content it cannot parse. Its
	// text names the file and quotes the content, e.g. "syscheck: memory:
	// malformed file /sys/fs/cgroup/memory.max: \"lots\\n\"".
	ErrMalformed = errors.New("syscheck: malformed file")

	// ErrNoCgroup is wrapped by the error of a [MemoryChecker] measuring
	// [CgroupMemory] when the process has no cgroup memory controller (not
	// Linux, no cgroup filesystem mounted, or a zero [Cgroup] configured).
	ErrNoCgroup = errors.New("syscheck: no cgroup memory controller")

	// ErrNoLimit is wrapped by the error of a [MemoryChecker] that found no
	// limit to measure against: no cgroup limit, no /proc/meminfo (as on
	// macOS or Windows) and no [MemoryConfig.Limit].
	ErrNoLimit = errors.New("syscheck: no memory limit found")
)

// thresholdError is the error of a crossed threshold: its text says what
// was measured, and errors.Is(err, ErrThreshold) holds.
type thresholdError struct{ text string }

func (e *thresholdError) Error() string        { return e.text }
func (e *thresholdError) Is(target error) bool { return target == ErrThreshold }

// detailError is an error with text of its own that wraps a sentinel, so
// that errors.Is finds the sentinel while the text reads naturally once a
// checker has prefixed it with "syscheck: <checker>: ".
type detailError struct {
	text     string
	sentinel error
}

func (e *detailError) Error() string { return e.text }
func (e *detailError) Unwrap() error { return e.sentinel }

// malformed returns an error wrapping ErrMalformed that names the file and
// quotes (the start of) the offending content.
func malformed(name, content string) error {
	const maxLen = 64
	if len(content) > maxLen {
		content = content[:maxLen] + "…"
	}
	return &detailError{text: fmt.Sprintf("malformed file %s: %q", name, content), sentinel: ErrMalformed}
}

// invalid returns an error wrapping ErrInvalidConfig that reads
// "syscheck: " and the formatted text.
func invalid(format string, args ...any) error {
	return &detailError{text: "syscheck: " + fmt.Sprintf(format, args...), sentinel: ErrInvalidConfig}
}
