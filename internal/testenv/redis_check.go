package testenv

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/probekit/probekit/core"
)

// RedisPing returns a Checker that sends PING to the Redis server at addr
// on a connection of its own, within the run's deadline (one second if it
// has none). It stands in for redischeck in the tests of modules that must
// not depend on a Redis client library, against a real redis-server.
func RedisPing(addr string) core.Checker {
	return core.CheckerFunc(func(ctx context.Context) error {
		timeout := time.Second
		if d, ok := ctx.Deadline(); ok {
			timeout = time.Until(d)
		}
		if timeout <= 0 {
			return context.DeadlineExceeded
		}
		reply, err := redisDo(addr, timeout, "PING")
		if err != nil {
			return err
		}
		if reply != "PONG" {
			return errors.New("testenv: PING: unexpected reply")
		}
		return nil
	})
}

// ServePING starts an in-process server on loopback that speaks just
// enough RESP for a Redis client to connect and PING: PONG to PING and an
// "unknown command" error to anything else (a client falls back from
// HELLO 3 to RESP2 on it). It is for runnable Examples, which have no
// testing.T to start a real redis-server with; tests use [StartRedis].
// stop closes the listener and every connection.
func ServePING() (addr string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	var (
		conns    []net.Conn // written by the accept loop only
		serving  sync.WaitGroup
		accepted = make(chan struct{})
	)
	go func() {
		defer close(accepted)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			serving.Go(func() { servePING(c) })
		}
	}()
	return ln.Addr().String(), func() {
		_ = ln.Close()
		<-accepted
		for _, c := range conns {
			_ = c.Close()
		}
		serving.Wait()
	}
}

// servePING answers the commands read from c until it is closed.
func servePING(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		v, err := readReply(r)
		if err != nil {
			_ = c.Close()
			return
		}
		args, _ := v.([]any)
		cmd := ""
		if len(args) > 0 {
			cmd, _ = args[0].(string)
		}
		reply := "-ERR unknown command\r\n"
		if strings.EqualFold(cmd, "PING") {
			reply = "+PONG\r\n"
		}
		if _, err := c.Write([]byte(reply)); err != nil {
			_ = c.Close()
			return
		}
	}
}
