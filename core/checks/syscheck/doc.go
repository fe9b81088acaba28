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
// wrapping [ErrInvalidConfig] that names the offending field, such as
// "syscheck: memory: Warn 0.97 is above Critical 0.95"; none reads
// anything before the first Check. Every checker is safe for concurrent
// use and cheap to run: a few small files read, or a runtime call; none
// stops the world.
//
// # Thresholds
//
// Each checker has a warning threshold and a critical one. Below the
// warning threshold Check returns nil. Past it, Check returns an error made
// by [core.Warn]: the check passes, counts as a success for the core's
// thresholds, and makes its probes degraded, which still answers 200. Past
// the critical threshold Check returns an error: once the check's
// [core.FailureThreshold] is reached (3 results in a row by default) its
// probes turn unhealthy and answer 503. Both errors wrap [ErrThreshold]
// and say what was measured against what:
//
//	syscheck: memory: Go runtime holds 980.0 MiB of the 1.0 GiB cgroup limit (95.7%), above the critical 95%
//
// The defaults:
//
//	checker     measures                                   warning         critical
//	Memory      Go runtime memory / memory limit           above 0.8       above 0.95
//	Disk        free space / filesystem size               below 0.10      below 0.05
//	Goroutines  runtime.NumGoroutine()                     above 10,000    above 100,000
//	CPU         CPU time used / CPU time available         above 0.8       none
//
// A threshold is crossed when the reading goes strictly past it.
//
// # Which probe
//
// The core counts a check for readiness unless it is registered with
// [core.ForProbes]. That is where resource checks belong by default:
// readiness failing takes the pod out of its Service until it recovers,
// while liveness failing restarts it, which helps only if the problem is
// one a restart fixes, and only if it is not shared by every replica.
//
//   - Goroutines: liveness and readiness. A goroutine leak does not heal,
//     and a restart is the one thing that clears it. Set the critical
//     threshold far above the service's peak, so that only a leak
//     reaches it.
//   - Memory: readiness. Close to the limit, shedding new requests lets
//     the ones in flight finish and the memory go back. Memory that rises
//     on every replica at once takes them all out at once, though; where
//     that is the likelier cause, register it with [core.Critical](false)
//     to keep the signal without the outage. For liveness, only
//     with care: a restart clears a leak, and a liveness restart sends
//     SIGTERM and runs the shutdown sequence, where the kernel's OOM
//     killer sends SIGKILL mid-request. But a large working set is often
//     not a leak: a traffic spike or a cache warming up grows every
//     replica's memory at once, and a liveness threshold would restart
//     them all together, with cold caches, under that same load. The
//     kernel also does not wait for a probe: memory that grows fast
//     reaches the limit before FailureThreshold × the interval has passed.
//     If you do use it for liveness, use a critical threshold only a leak
//     reaches, a FailureThreshold that makes it last minutes, and
//     [CgroupMemory], which the kernel enforces.
//   - Disk: readiness. A restart does not free disk space (an emptyDir
//     volume outlives the container), so liveness would only restart the
//     pod in a loop.
//   - CPU: readiness, as a warning (it has no critical threshold by
//     default), or with [core.Critical](false). Never liveness: a
//     saturated process is alive, and restarting it under load moves the
//     load to fewer replicas.
//
// # Cgroup limits in a container
//
// Kubernetes enforces a container's resources.limits with cgroups, which
// the [MemoryChecker] and [CPUChecker] read. [FindCgroup] finds the
// process's cgroup as the Go runtime does for GOMAXPROCS: the cgroup paths
// in /proc/self/cgroup, looked up in the cgroup filesystems of
// /proc/self/mountinfo. With cgroup v2 and a cgroup namespace (the default
// for containers on current Kubernetes, Docker and containerd) the
// container's cgroup is /sys/fs/cgroup itself. A controller found on a
// cgroup v1 hierarchy is read there, otherwise from the v2 hierarchy; on
// a "hybrid" host both are mounted, each controller on one of them.
//
// The files read, all described in the kernel's
// Documentation/admin-guide/cgroup-v2.rst and cgroup-v1/:
//
//	                 cgroup v2                         cgroup v1
//	memory limit     memory.max ("max": none)          memory.limit_in_bytes (9223372036854771712: none)
//	memory usage     memory.current − inactive_file    memory.usage_in_bytes − total_inactive_file
//	                 (memory.stat)                     (memory.stat)
//	CPU quota        cpu.max ("$QUOTA $PERIOD",        cpu.cfs_quota_us (-1: none) / cpu.cfs_period_us
//	                 "max $PERIOD": none)
//	CPU usage        cpu.stat usage_usec               cpuacct.usage (nanoseconds)
//
// A limit is the smallest one set on the cgroup and on its ancestors that
// are visible (a parent's limit binds its children too); "max", -1 and
// values of 2^62 and more mean none. The memory limit is then capped at
// the machine's memory (MemTotal in /proc/meminfo, which inside a
// container is still the host's): a limit above it cannot be reached. A
// process without a cgroup memory limit, or without a cgroup
// ([MemoryConfig.Cgroup] set to a zero [Cgroup]), is measured against
// MemTotal. For CPU, a cgroup without a quota has its usage measured
// against runtime.NumCPU, and a process without a cgroup is measured by the
// busy share of all CPU time in /proc/stat; outside Linux, where there is
// neither, the CPU check fails with an error wrapping
// [errors.ErrUnsupported]. Limits are read at every Check, so a limit resized in place
// is followed.
//
// A cgroup or /proc file that cannot be parsed fails the check with an
// error wrapping [ErrMalformed] that names the file and quotes it; a
// configured cgroup directory that does not exist fails it too, rather
// than passing for a cgroup without limits.
//
// # Memory and GOMEMLIMIT
//
// By default the [MemoryChecker] measures the memory the Go runtime holds
// ([GoRuntimeMemory]), the quantity the runtime's own soft limit
// (GOMEMLIMIT, debug.SetMemoryLimit) is measured against. With GOMEMLIMIT
// set, the garbage collector lets the heap grow towards that limit by
// design, so warning and critical thresholds must lie above
// GOMEMLIMIT / limit, or the check reports normal operation as degraded.
// [CgroupMemory] measures the cgroup's working set instead: what the
// kubelet evicts on and close to what the kernel's OOM killer acts on,
// including memory the Go runtime does not see (cgo, other processes in
// the container, page cache in active use).
//
// # CPU: the first reading
//
// CPU counters only ever grow; use is their growth over time, which takes
// two readings. The first Check of a [CPUChecker] takes one and passes
// with no observations, and every later Check measures over the time
// since the previous one: under core, one check interval. A Check sooner
// than [MinCPUWindow] (100 ms) after the previous reading is too short to
// measure and passes without observations too, keeping the older reading.
//
// # Observations
//
// Every checker is also a [core.Observer]: its reading shows in detailed
// probe bodies, in the IETF health format and in metrics, with units
// "bytes", "cpus" and "ratio" (a fraction, 0.5 for half):
//
//	Memory      used (bytes), limit (bytes), used_fraction (ratio)
//	Disk        free (bytes), size (bytes), free_fraction (ratio)
//	Goroutines  goroutines
//	CPU         used (cpus), limit (cpus), used_fraction (ratio)
package syscheck
