package testenv

import "testing"

func TestFreePort(t *testing.T) {
	t.Parallel()
	lo := ephemeralLow()
	tests := []struct {
		name    string
		cluster bool
	}{
		{name: "server", cluster: false},
		{name: "cluster node", cluster: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			port, err := freePort(tt.cluster)
			if err != nil {
				t.Fatalf("freePort(%t) = %v", tt.cluster, err)
			}
			if err := probePort(port); err != nil {
				t.Errorf("freePort(%t) = %d, which is not free: %v", tt.cluster, port, err)
			}
			if tt.cluster {
				if err := probePort(port + clusterBusOf); err != nil {
					t.Errorf("freePort(true) = %d, whose bus port is not free: %v", port, err)
				}
			}
			last := port
			if tt.cluster {
				last += clusterBusOf
			}
			if lo > minPort+1000+clusterBusOf && last >= lo {
				t.Errorf("freePort(%t) = %d; want it and its bus port below the ephemeral range at %d", tt.cluster, port, lo)
			}
		})
	}
}
