package trafficcheck

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors, for errors.Is. The errors Check returns wrap them and
// add the figures, such as
//
//	trafficcheck: last 1m0s: success rate 40% below 50% (12 of 20 requests failed)
//	trafficcheck: last 1m0s: p99 latency 1.2s above 1s (20 requests)
var (
	// ErrSuccessRate is wrapped by the error of a Check whose window's
	// success rate is below a threshold (see [SuccessRate]).
	ErrSuccessRate = errors.New("trafficcheck: success rate below threshold")
	// ErrLatency is wrapped by the error of a Check whose window's
	// percentile latency is above a threshold (see [Latency]).
	ErrLatency = errors.New("trafficcheck: latency above threshold")
	// ErrNilRecorder is returned by [New] when given no Recorder.
	ErrNilRecorder = errors.New("trafficcheck: nil recorder")
)

// thresholdError is the error of a Check that crossed one or both
// thresholds; it matches the sentinel of each.
type thresholdError struct {
	text          string
	rate, latency bool
}

func (e *thresholdError) Error() string { return e.text }

func (e *thresholdError) Is(target error) bool {
	return target == ErrSuccessRate && e.rate || target == ErrLatency && e.latency
}

// newThresholdError describes what crossed: the success rate against
// rateLimit (zero: it did not cross) and the latency against latLimit.
func newThresholdError(st Stats, rateLimit float64, latLimit time.Duration) *thresholdError {
	var b strings.Builder
	b.WriteString("trafficcheck: last ")
	b.WriteString(st.Window.String())
	b.WriteString(": ")
	e := &thresholdError{rate: rateLimit > 0, latency: latLimit > 0}
	if e.rate {
		b.WriteString("success rate ")
		b.WriteString(formatRate(st.Requests, st.Failures))
		b.WriteString("% below ")
		b.WriteString(strconv.FormatFloat(rateLimit*100, 'g', 6, 64))
		b.WriteString("% (")
		b.WriteString(strconv.Itoa(st.Failures))
		b.WriteString(" of ")
		b.WriteString(strconv.Itoa(st.Requests))
		b.WriteString(" requests failed)")
	}
	if e.latency {
		if e.rate {
			b.WriteString("; ")
		}
		b.WriteString("p")
		b.WriteString(strconv.FormatFloat(st.Percentile, 'f', -1, 64))
		b.WriteString(" latency ")
		b.WriteString(ceilMicro(st.Latency).String())
		b.WriteString(" above ")
		b.WriteString(latLimit.String())
		b.WriteString(" (")
		b.WriteString(strconv.Itoa(st.Requests))
		b.WriteString(" requests)")
	}
	e.text = b.String()
	return e
}

// formatRate formats the success rate of n requests with f failures as a
// percentage rounded down to two decimals, so that a rate below a
// threshold never reads as the threshold itself: 99.999% is "99.99".
func formatRate(n, f int) string {
	bp := (n - f) * 10000 / n // basis points, rounded down
	s := strconv.Itoa(bp / 100)
	switch frac := bp % 100; {
	case frac == 0:
	case frac%10 == 0:
		s += "." + strconv.Itoa(frac/10)
	default:
		s += "." + strconv.Itoa(frac/10) + strconv.Itoa(frac%10)
	}
	return s
}

// ceilMicro rounds d up to a whole microsecond, so that a latency above a
// threshold never reads as the threshold itself.
func ceilMicro(d time.Duration) time.Duration {
	if d < time.Microsecond {
		return d
	}
	return (d + time.Microsecond - 1) / time.Microsecond * time.Microsecond
}
