// Package syscheck provides checkers ([core.Checker]) for the resources of
// the process and its host: memory against the container's limit
// ([Memory]), free disk space ([Disk]), the number of goroutines
// ([Goroutines]) and CPU use against the container's CPU quota ([CPU]).
// It uses only the standard library.
//
// # Usage
//
//	mem, err := syscheck.Memory(syscheck.MemoryConfig{})         // Go memory vs the cgroup limit: warn 80%, fail 95%
//	…
//	disk, err := syscheck.Disk("/var/lib/app", syscheck.DiskConfig{}) // warn below 10% free, fail below 5%
//	…
//	gor, err := syscheck.Goroutines(syscheck.GoroutinesConfig{Warn: 5000, Critical: 50000})
//	…
//	cpu, err := syscheck.CPU(syscheck.CPUConfig{})               // warn above 80% of the quota, never fail
//	…
//	h, err := core.New(
//		core.WithCheck("goroutines", gor, core.ForProbes(core.Liveness|core.Readiness)),
//		core.WithCheck("memory", mem),
//		core.WithCheck("disk", disk, core.Interval(30*time.Second)),
//		core.WithCheck("cpu", cpu, core.Critical(false)),
//	)
//
// Every constructor validates its configuration and returns an error
// wrapping [ErrInvalidConfig] that names the offending field. Past a
// warning threshold Check returns a [core.Warn] error (degraded, still
// 200); past the critical one, an error (unhealthy once the check's
// FailureThreshold is reached); both wrap [ErrThreshold].
//
// Thresholds, cgroup limits and which probe each check belongs to:
// https://github.com/probekit/probekit/blob/main/docs/checks.md#syscheck
package syscheck
