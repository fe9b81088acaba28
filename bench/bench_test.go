package main

import (
	"testing"
)

// BenchmarkHealthy is scenario 1: a healthy readiness probe with 3 and 20
// checks, in process, on every framework, for the bare handler, probekit
// and the peer libraries. Compare within a framework with
//
//	go test -run '^$' -bench Healthy -count 10 | tee new.txt
//	benchstat -col /lib new.txt
func BenchmarkHealthy(b *testing.B) {
	for _, n := range []int{3, 20} {
		for _, c := range HealthyCases() {
			b.Run(c.Name(n), c.Bench(n))
		}
	}
}

// BenchmarkNonProbe is scenario 5: what the probe middleware adds to a
// request for one of the app's own routes.
func BenchmarkNonProbe(b *testing.B) {
	for _, c := range NonProbeCases() {
		b.Run(c.Name(0), c.Bench(0))
	}
}
