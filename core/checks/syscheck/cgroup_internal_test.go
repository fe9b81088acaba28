package syscheck

import (
	"errors"
	"path/filepath"
	"testing"
)

// Lines of /proc/self/mountinfo, as the kernel writes them.
const (
	mountV2NS     = "33 28 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
	mountRoot     = "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n"
	mountProc     = "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
	mountOptional = "34 25 0:29 / /sys/fs/cgroup rw,nosuid shared:9 master:2 - cgroup2 cgroup2 rw\n"
	// This machine's (a hybrid host: v1 controllers and a v2 hierarchy).
	mountHybrid = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
		"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n" +
		"33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n" +
		"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
		"40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n" +
		"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
	cgroupHybrid = "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/f057\n2:cpuacct:/\n1:cpu:/\n0::/\n"
	// Docker on a cgroup v1 host, without a cgroup namespace: the
	// container's cgroups are bind-mounted, rooted at its own path.
	mountDockerV1 = "850 849 0:60 /docker/abc /sys/fs/cgroup/memory ro,nosuid master:22 - cgroup cgroup rw,memory\n" +
		"851 849 0:61 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid master:23 - cgroup cgroup rw,cpu,cpuacct\n"
	cgroupDockerV1 = "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n"
)

func TestFindCgroup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		giveCgroup    string // "" for no file
		giveMountinfo string
		want          Cgroup
		wantIs        error
	}{
		{name: "v2 namespace", giveCgroup: "0::/\n", giveMountinfo: mountRoot + mountProc + mountV2NS,
			want: Cgroup{Unified: "/sys/fs/cgroup"}},
		{name: "v2 host service", giveCgroup: "0::/system.slice/app.service\n", giveMountinfo: mountRoot + mountV2NS,
			want: Cgroup{Unified: "/sys/fs/cgroup/system.slice/app.service"}},
		{name: "v2 optional fields", giveCgroup: "0::/a\n", giveMountinfo: mountOptional,
			want: Cgroup{Unified: "/sys/fs/cgroup/a"}},
		{name: "v2 mount rooted at the cgroup", giveCgroup: "0::/kubepods/pod1\n",
			giveMountinfo: "40 30 0:28 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			want:          Cgroup{Unified: "/sys/fs/cgroup"}},
		{name: "v2 mount rooted above the cgroup", giveCgroup: "0::/kubepods/pod1/ctr\n",
			giveMountinfo: "40 30 0:28 /kubepods /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			want:          Cgroup{Unified: "/sys/fs/cgroup/pod1/ctr"}},
		{name: "v2 mount rooted elsewhere", giveCgroup: "0::/kubepods2/x\n",
			giveMountinfo: "40 30 0:28 /kubepods /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			want:          Cgroup{}},
		{name: "v2 first matching mount wins", giveCgroup: "0::/\n",
			giveMountinfo: mountV2NS + "50 30 0:28 / /mnt/other rw - cgroup2 cgroup2 rw\n",
			want:          Cgroup{Unified: "/sys/fs/cgroup"}},
		{name: "v2 escaped mount point", giveCgroup: "0::/\n",
			giveMountinfo: `40 30 0:28 / /mnt/my\040cgroups\134x rw - cgroup2 cgroup2 rw` + "\n",
			want:          Cgroup{Unified: `/mnt/my cgroups\x`}},
		{name: "v2 outside the namespace", giveCgroup: "0::/../../init\n", giveMountinfo: mountV2NS,
			want: Cgroup{}},
		{name: "v1 docker", giveCgroup: cgroupDockerV1, giveMountinfo: mountRoot + mountDockerV1,
			want: Cgroup{Memory: "/sys/fs/cgroup/memory", CPU: "/sys/fs/cgroup/cpu,cpuacct", CPUAcct: "/sys/fs/cgroup/cpu,cpuacct"}},
		{name: "hybrid, as on this machine", giveCgroup: cgroupHybrid, giveMountinfo: mountRoot + mountHybrid,
			want: Cgroup{
				Unified: "/sys/fs/cgroup/unified",
				Memory:  "/sys/fs/cgroup/memory/process_api/f057",
				CPU:     "/sys/fs/cgroup/cpu",
				CPUAcct: "/sys/fs/cgroup/cpuacct",
			}},
		{name: "v1 controller not mounted", giveCgroup: "4:memory:/x\n", giveMountinfo: mountRoot,
			want: Cgroup{}},
		{name: "no cgroup file", giveMountinfo: mountV2NS, want: Cgroup{}},
		{name: "empty cgroup file", giveCgroup: "\n", giveMountinfo: mountV2NS, want: Cgroup{}},
		{name: "garbage cgroup line", giveCgroup: "nonsense\n", giveMountinfo: mountV2NS, wantIs: ErrMalformed},
		{name: "relative cgroup path", giveCgroup: "0::kubepods\n", giveMountinfo: mountV2NS, wantIs: ErrMalformed},
		{name: "garbage mountinfo line", giveCgroup: "0::/\n", giveMountinfo: "what is this\n", wantIs: ErrMalformed},
		{name: "short mountinfo line", giveCgroup: "0::/\n", giveMountinfo: "1 2 - cgroup2\n", wantIs: ErrMalformed},
		{name: "bad escape", giveCgroup: "0::/\n", giveMountinfo: `40 30 0:28 / /mnt/a\08x rw - cgroup2 cgroup2 rw` + "\n", wantIs: ErrMalformed},
		{name: "short escape", giveCgroup: "0::/\n", giveMountinfo: `40 30 0:28 / /mnt/a\04 rw - cgroup2 cgroup2 rw` + "\n", wantIs: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cgroupFile := filepath.Join(dir, "cgroup")
			if tt.giveCgroup != "" {
				writeFile(t, dir, "cgroup", tt.giveCgroup)
			}
			writeFile(t, dir, "mountinfo", tt.giveMountinfo)
			got, err := findCgroup(cgroupFile, filepath.Join(dir, "mountinfo"))
			if tt.wantIs != nil {
				if !errors.Is(err, tt.wantIs) {
					t.Fatalf("findCgroup() = %+v, %v; want an error wrapping %v", got, err, tt.wantIs)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("findCgroup() = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
