package grpcprobe

// The default names of the probe services. A Kubernetes gRPC probe names
// one in its service field, e.g. grpc: {port: 9000, service: liveness}.
const (
	DefaultLivenessService  = "liveness"
	DefaultReadinessService = "readiness"
	DefaultStartupService   = "startup"
)

// Option configures a [Server]; pass options to [New] or [Register].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	liveness, readiness, startup string
}

func defaultConfig() config {
	return config{
		liveness:  DefaultLivenessService,
		readiness: DefaultReadinessService,
		startup:   DefaultStartupService,
	}
}

// LivenessService sets the name of the service that follows the liveness
// probe. Default "liveness" ([DefaultLivenessService]). The name follows
// the rules of check names ([core.ValidName]), so an empty name, which is
// gRPC's overall service and follows readiness, is an error from [New], as
// is a name another probe service or a check already has.
func LivenessService(name string) Option {
	return optionFunc(func(c *config) { c.liveness = name })
}

// ReadinessService sets the name of the service that follows the
// readiness probe, as the overall service "" does too. Default "readiness"
// ([DefaultReadinessService]). Names are validated as for
// [LivenessService].
func ReadinessService(name string) Option {
	return optionFunc(func(c *config) { c.readiness = name })
}

// StartupService sets the name of the service that follows the startup
// probe. Default "startup" ([DefaultStartupService]). Names are validated
// as for [LivenessService].
func StartupService(name string) Option {
	return optionFunc(func(c *config) { c.startup = name })
}
