//go:build !race

package fiberprobe_test

const raceEnabled = false
