package core

import "strings"

// Probe names the probes a check counts for. Values combine with |, as in
// ForProbes(Liveness|Readiness).
type Probe uint8

// The probes.
const (
	// Liveness is "this process can serve" (/healthz, /livez). Kubernetes
	// restarts a pod whose liveness fails, so only process-local checks, or a
	// dependency the app explicitly opts in, belong here.
	Liveness Probe = 1 << iota
	// Readiness is "send me traffic" (/readyz). Checks count for readiness
	// unless they say otherwise.
	Readiness
	// Startup is "initialisation has finished" (/startupz). It answers 503
	// until every startup check has passed once, and 200 from then on.
	Startup

	allProbes = Liveness | Readiness | Startup
)

// probeIndex maps each single probe to a dense index.
const (
	liveIdx = iota
	readyIdx
	startIdx
	numProbes
)

var probeNames = [numProbes]string{"liveness", "readiness", "startup"}

func (p Probe) index() int {
	switch p {
	case Liveness:
		return liveIdx
	case Readiness:
		return readyIdx
	case Startup:
		return startIdx
	}
	return -1
}

func probeAt(i int) Probe { return Probe(1) << i }

// String returns the probe names joined by "|", e.g. "liveness|readiness".
func (p Probe) String() string {
	if p == 0 {
		return "none"
	}
	var parts []string
	for i := 0; i < numProbes; i++ {
		if p&probeAt(i) != 0 {
			parts = append(parts, probeNames[i])
		}
	}
	if rest := p &^ allProbes; rest != 0 {
		parts = append(parts, "invalid")
	}
	return strings.Join(parts, "|")
}
