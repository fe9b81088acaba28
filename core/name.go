package core

import (
	"fmt"
	"strings"
)

// MaxNameLen is the longest check or hold name accepted.
const MaxNameLen = 63

// ValidName reports whether name is acceptable as a check or hold name: 1 to
// 63 characters from [A-Za-z0-9._-], starting with a letter or digit. The
// charset keeps names safe in URLs, JSON, the Kubernetes text format, log
// keys, Prometheus labels and gRPC service names.
func ValidName(name string) bool {
	if len(name) == 0 || len(name) > MaxNameLen || !isAlnum(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		if b := name[i]; !isAlnum(b) && b != '.' && b != '_' && b != '-' {
			return false
		}
	}
	return true
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// validatePath checks a configured probe path; see [WithPaths].
func validatePath(p string) error {
	if len(p) < 2 || p[0] != '/' {
		return fmt.Errorf("core: probe path %q must start with / and name something", p)
	}
	for i := 0; i < len(p); i++ {
		b := p[i]
		if !isAlnum(b) && !strings.ContainsRune("._~/-", rune(b)) {
			return fmt.Errorf("core: probe path %q has character %q outside [A-Za-z0-9._~/-]", p, b)
		}
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("core: probe path %q has an empty, . or .. segment", p)
		}
	}
	return nil
}

func errInvalidPathProbe(p Probe) error {
	return fmt.Errorf("core: WithPaths needs exactly one of Liveness, Readiness or Startup, got %v", p)
}
