// Package test tests otelprobe against the OpenTelemetry SDK, real
// redis-server outages and promprobe, in a module of its own so that none
// of these reaches the go.sum of an app that imports otelprobe.
package test
