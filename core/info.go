package core

import (
	"runtime"
	"runtime/debug"
	"time"
)

// BuildInfo describes the running service in verbose and IETF answers.
// Fields left empty are read from the binary ([runtime/debug.ReadBuildInfo]):
// Service from the main module's path, Version from its version ("(devel)"
// for a build from a work tree), Revision and Time from the VCS stamp
// (vcs.revision, vcs.time), GoVersion from the toolchain.
type BuildInfo struct {
	Service   string // IETF serviceId
	Version   string // IETF version
	Revision  string // IETF releaseId
	Time      string // when the revision was committed
	GoVersion string
}

// WithBuildInfo overrides what the answers say about the service; see
// [BuildInfo]. Default: everything read from the binary.
func WithBuildInfo(b BuildInfo) Option {
	return optionFunc(func(c *config) {
		merge := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		merge(&c.info.Service, b.Service)
		merge(&c.info.Version, b.Version)
		merge(&c.info.Revision, b.Revision)
		merge(&c.info.Time, b.Time)
		merge(&c.info.GoVersion, b.GoVersion)
	})
}

// WithVersion sets the version the answers report, as WithBuildInfo with
// only Version set. The environment variable HEALTH_VERSION sets it too.
func WithVersion(v string) Option {
	return WithBuildInfo(BuildInfo{Version: v})
}

// resolveBuildInfo fills what b leaves empty from the binary.
func resolveBuildInfo(b BuildInfo) BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	if ok {
		fill(&b.Service, bi.Main.Path)
		fill(&b.Version, bi.Main.Version)
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				fill(&b.Revision, s.Value)
			case "vcs.time":
				fill(&b.Time, s.Value)
			}
		}
	}
	fill(&b.GoVersion, runtime.Version())
	for _, f := range []*string{&b.Service, &b.Version, &b.Revision, &b.Time, &b.GoVersion} {
		*f = cleanText(*f) // one line, valid UTF-8, bounded
	}
	return b
}

// appendInfoLine appends the build information and uptime (as of the
// rendering; left out before Start) as the first line of the verbose text
// format: "info: service=… version=… revision=… go=… uptime=…".
func appendInfoLine(b []byte, info *BuildInfo, uptime time.Duration) []byte {
	b = append(b, "info:"...)
	kv := func(k, v string) {
		if v != "" {
			b = append(b, ' ')
			b = append(b, k...)
			b = append(b, '=')
			b = append(b, v...)
		}
	}
	kv("service", info.Service)
	kv("version", info.Version)
	kv("revision", info.Revision)
	kv("go", info.GoVersion)
	switch {
	case uptime >= time.Second:
		kv("uptime", uptime.Round(time.Second).String())
	case uptime >= time.Millisecond:
		kv("uptime", uptime.Round(time.Millisecond).String())
	case uptime > 0:
		kv("uptime", uptime.Round(time.Microsecond).String())
	}
	return append(b, '\n')
}
