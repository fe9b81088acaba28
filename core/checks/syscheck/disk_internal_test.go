package syscheck

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestDiskHungStatfs checks that Check returns at its deadline when statfs
// does not return, as it does on a hung NFS mount. Such a mount cannot be
// made without root, so statfs is replaced by one that blocks until the
// test releases it; goleak then shows the abandoned call ends.
func TestDiskHungStatfs(t *testing.T) {
	t.Parallel()
	c, err := Disk("/nfs/data", DiskConfig{})
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	returned := make(chan struct{})
	c.statfs = func(string) (uint64, uint64, error) {
		defer close(returned)
		<-release
		return 1, 2, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = c.Check(ctx)
	close(release)
	<-returned
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Check() = %v; want an error wrapping context.DeadlineExceeded", err)
	}
	if want := "syscheck: disk /nfs/data: statfs: context deadline exceeded"; err.Error() != want {
		t.Errorf("Check() = %q; want %q", err, want)
	}
	if obs := c.Observations(); obs != nil {
		t.Errorf("Observations() = %v; want nil", obs)
	}
}
