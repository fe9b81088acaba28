package testenv

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Time limits for the test-owned servers. They bound how long a broken
// machine makes a test wait; a healthy one starts a server in milliseconds.
const (
	startTimeout   = 10 * time.Second // until a started server answers PING
	restartTimeout = 5 * time.Second  // retrying a port still held by the kernel
	commandTimeout = time.Second      // one command sent by the helpers
)

// errAddrInUse reports that a server could not listen on its port.
var errAddrInUse = errors.New("testenv: address already in use")

// RedisServer is a redis-server process owned by one test, listening on a
// free loopback port, that the test can stop, pause, resume and restart to
// stage real outages. Start one with [StartRedis], [StartRedisCluster] or
// [StartSentinel]; it is killed when the test ends.
//
// The server runs without persistence (--save "" --appendonly no) in a
// temporary directory. Its methods report failures on the test given to the
// Start function, so call them from that test's goroutine.
type RedisServer struct {
	t    testing.TB
	bin  string
	args []string // command line except --port
	dir  string
	port int
	addr string

	mu     sync.Mutex
	cmd    *exec.Cmd     // nil while stopped
	exited chan struct{} // closed once cmd has been waited for
	paused bool
}

// StartRedis starts a redis-server (TEST_REDIS_SERVER, default redis-server
// on PATH) on a free port of 127.0.0.1, waits until it answers PING and
// returns it. The server is killed when the test ends, after a Resume if it
// is paused. When the binary is missing, StartRedis calls [Unavailable].
func StartRedis(t testing.TB, opts ...RedisOption) *RedisServer {
	t.Helper()
	var cfg redisConfig
	for _, o := range opts {
		o(&cfg)
	}
	bin := lookBin(t, "TEST_REDIS_SERVER", "redis-server")
	if bin == "" {
		return nil
	}
	dir := t.TempDir()
	var args []string
	if cfg.cluster {
		args = append(args,
			"--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(dir, "nodes.conf"))
	}
	s := startServer(t, bin, dir, append(args, cfg.args...), cfg.cluster)
	for _, ready := range cfg.ready {
		if err := poll(startTimeout, func() error { return ready(s) }); err != nil {
			t.Fatalf("testenv: redis-server %s not ready: %v", s.addr, err)
		}
	}
	return s
}

// startServer starts bin with the default arguments followed by args on a
// free port, registers its cleanup and fails t if it does not come up.
func startServer(t testing.TB, bin, dir string, args []string, cluster bool) *RedisServer {
	t.Helper()
	s := &RedisServer{t: t, bin: bin, dir: dir}
	s.args = []string{
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", dir,
		"--repl-diskless-sync-delay", "0", // replicas sync at once, not after 5 s
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "--") {
		// A configuration file must come first on the command line.
		s.args = append([]string{args[0]}, s.args...)
		args = args[1:]
	}
	s.args = append(s.args, args...)
	t.Cleanup(s.cleanup)

	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	for range 5 { // another process may take the free port before we do
		if s.port, err = freePort(cluster); err != nil {
			break
		}
		s.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
		if err = s.startLocked(); !errors.Is(err, errAddrInUse) {
			break
		}
	}
	if err != nil {
		t.Fatalf("testenv: start %s: %v", filepath.Base(bin), err)
	}
	return s
}

// Addr returns the server's address, "127.0.0.1:port". It stays the same
// across Stop and Restart.
func (s *RedisServer) Addr() string { return s.addr }

// Stop kills the server with SIGKILL and waits for it to exit: from then on
// connections to Addr are refused. It fails the test if the server is not
// running.
func (s *RedisServer) Stop() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		s.t.Fatalf("testenv: Stop %s: server is not running", s.addr)
	}
	if err := s.killLocked(); err != nil {
		s.t.Fatalf("testenv: Stop %s: %v", s.addr, err)
	}
}

// Pause freezes the server with SIGSTOP: the kernel still accepts
// connections, but nothing reads or answers them, as with a server that
// hangs. It returns once the process is stopped.
func (s *RedisServer) Pause() {
	s.t.Helper()
	s.signal("Pause", pauseSignal, true)
}

// Resume thaws a server frozen by Pause with SIGCONT; it then answers the
// commands that queued up meanwhile.
func (s *RedisServer) Resume() {
	s.t.Helper()
	s.signal("Resume", resumeSignal, false)
}

func (s *RedisServer) signal(op string, sig os.Signal, pause bool) {
	s.t.Helper()
	if sig == nil {
		Unavailable(s.t, "%s needs SIGSTOP and SIGCONT, which this system lacks", op)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		s.t.Fatalf("testenv: %s %s: server is not running", op, s.addr)
	}
	if s.paused == pause {
		s.t.Fatalf("testenv: %s %s: server is already in that state", op, s.addr)
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatalf("testenv: %s %s: %v", op, s.addr, err)
	}
	s.paused = pause
	pid := s.cmd.Process.Pid
	err := poll(startTimeout, func() error {
		stopped, err := processStopped(pid)
		if errors.Is(err, errors.ErrUnsupported) {
			return nil // cannot tell: trust the signal
		}
		if err != nil {
			return abort(err)
		}
		if stopped != pause {
			return fmt.Errorf("process %d has not taken the signal yet", pid)
		}
		return nil
	})
	if err != nil {
		s.t.Fatalf("testenv: %s %s: %v", op, s.addr, err)
	}
}

// Restart starts a server stopped by Stop again, on the same port and with
// the same directory, and waits until it answers PING. It retries for a few
// seconds while the port is still held by the kernel. Clients connected
// before Stop reconnect to it without being recreated.
func (s *RedisServer) Restart() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.t.Fatalf("testenv: Restart %s: server is running; Stop it first", s.addr)
	}
	err := poll(restartTimeout, func() error {
		err := s.startLocked()
		if err != nil && !errors.Is(err, errAddrInUse) {
			return abort(err)
		}
		return err
	})
	if err != nil {
		s.t.Fatalf("testenv: Restart %s: %v", s.addr, err)
	}
}

// cleanup kills the server if it still runs; it is registered with
// t.Cleanup.
func (s *RedisServer) cleanup() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.killLocked(); err != nil {
		s.t.Errorf("testenv: kill %s: %v", s.addr, err)
	}
}

// startLocked starts the process on s.port and waits until it answers
// PING. It returns an error wrapping errAddrInUse if the port is taken.
func (s *RedisServer) startLocked() error {
	logPath := filepath.Join(s.dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	cmd := exec.Command(s.bin, append(s.args, "--port", strconv.Itoa(s.port))...)
	cmd.Dir = s.dir
	cmd.Stdout = logFile // an *os.File is handed to the child: no copying goroutine
	cmd.Stderr = logFile
	cmd.SysProcAttr = sysProcAttr()
	err = cmd.Start()
	_ = logFile.Close()
	if err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	s.cmd, s.exited, s.paused = cmd, exited, false

	want := fmt.Sprintf("process_id:%d\r\n", cmd.Process.Pid)
	err = poll(startTimeout, func() error {
		select {
		case <-exited:
			out, _ := os.ReadFile(logPath)
			err := fmt.Errorf("testenv: %s exited at start: %s", filepath.Base(s.bin), tail(out))
			if strings.Contains(string(out), "Address already in use") {
				err = fmt.Errorf("%w: %w", errAddrInUse, err)
			}
			return abort(err)
		default:
		}
		// An error reply (NOAUTH with --requirepass) is an answer too.
		pong, err := redisString(s.addr, commandTimeout, "PING")
		var re redisError
		if errors.As(err, &re) {
			return nil
		}
		if err != nil {
			return err
		}
		if pong != "PONG" {
			return fmt.Errorf("testenv: PING %s = %q; want PONG", s.addr, pong)
		}
		// Make sure it is our process that answers, not another one that
		// took the port between freePort and the start.
		info, err := redisString(s.addr, commandTimeout, "INFO", "server")
		if err != nil {
			return err
		}
		if !strings.Contains(info, want) {
			return abort(fmt.Errorf("%w: another server answers at %s", errAddrInUse, s.addr))
		}
		return nil
	})
	if err != nil {
		_ = s.killLocked()
		return err
	}
	return nil
}

// killLocked kills the process, resuming it first if it is paused, and
// waits until it has exited. It does nothing if the server is stopped.
func (s *RedisServer) killLocked() error {
	if s.cmd == nil {
		return nil
	}
	if s.paused && resumeSignal != nil {
		_ = s.cmd.Process.Signal(resumeSignal)
	}
	err := s.cmd.Process.Kill()
	<-s.exited
	s.cmd, s.exited, s.paused = nil, nil, false
	if errors.Is(err, os.ErrProcessDone) {
		err = nil // it died on its own; still cleaned up
	}
	return err
}

// lookBin returns the path of the program named by the environment variable
// env, or def, calling [Unavailable] when it is not installed.
func lookBin(t testing.TB, env, def string) string {
	t.Helper()
	name := Env(env, def)
	path, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, "%s is not installed: %v", name, err)
		return ""
	}
	return path
}

// tail returns the end of a server log for an error message.
func tail(b []byte) string {
	const limit = 2000
	if len(b) > limit {
		b = b[len(b)-limit:]
	}
	return strings.TrimSpace(string(b))
}
