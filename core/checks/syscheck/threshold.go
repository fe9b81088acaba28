package syscheck

import (
	"fmt"
	"math"

	"github.com/probekit/probekit/core"
)

// level is how far a reading has gone: below every threshold, past the
// warning one, or past the critical one.
type level uint8

const (
	levelOK level = iota
	levelWarn
	levelCritical
)

// above returns the level of v against thresholds that are crossed when v
// rises above them. A threshold of zero is off.
func above(v, warn, critical float64) level {
	switch {
	case critical > 0 && v > critical:
		return levelCritical
	case warn > 0 && v > warn:
		return levelWarn
	}
	return levelOK
}

// verdict turns a level into Check's result: nil, a warning made by
// core.Warn, or an error. Both errors wrap ErrThreshold and read
// "syscheck: <what>: <text>, <warn or critical>", where warn and critical
// describe the thresholds, as in "above the critical 95%".
func verdict(l level, what, text, warn, critical string) error {
	switch l {
	case levelWarn:
		return core.Warn(&thresholdError{text: "syscheck: " + what + ": " + text + ", " + warn})
	case levelCritical:
		return &thresholdError{text: "syscheck: " + what + ": " + text + ", " + critical}
	}
	return nil
}

// validFractions checks 0 < warn <= critical <= 1, where a zero critical
// (allowed only when critOptional) means none.
func validFractions(what string, warn, critical float64, critOptional bool) error {
	switch {
	case math.IsNaN(warn) || warn <= 0 || warn > 1:
		return invalid("%s: Warn %v must be a fraction in (0, 1]", what, warn)
	case critOptional && critical == 0:
		return nil
	case math.IsNaN(critical) || critical <= 0 || critical > 1:
		return invalid("%s: Critical %v must be a fraction in (0, 1]", what, critical)
	case warn > critical:
		return invalid("%s: Warn %v is above Critical %v", what, warn, critical)
	}
	return nil
}

// percent formats a fraction as a percentage: 0.95 as "95%", 0.9537 as
// "95.4%".
func percent(f float64) string {
	return fmt.Sprintf("%.3g%%", f*100)
}

// formatBytes formats n in binary units: "512 B", "973.0 MiB", "1.0 GiB".
func formatBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// fraction returns used/limit, or 0 when limit is 0.
func fraction(used, limit uint64) float64 {
	if limit == 0 {
		return 0
	}
	return float64(used) / float64(limit)
}
