//go:build !race

package fiberv3probe_test

const raceEnabled = false
