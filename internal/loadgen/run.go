package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
)

// RunConfig says how to load a WebSocket echo endpoint.
type RunConfig struct {
	URL      string        // ws:// URL of an echo endpoint (directly or through a proxy)
	Conns    int           // connections, each doing one round trip at a time
	Duration time.Duration // how long to measure
	Warmup   time.Duration // round trips before the measurement starts, not counted
	Size     int           // bytes per message (a JSON chat message padded to this size)
	Timeout  time.Duration // for dialling and for each round trip
}

// Result is what a Run measured.
type Result struct {
	Messages int64         // round trips completed in the measured period
	Errors   int64         // connections that failed (dial, I/O, wrong echo, close)
	FirstErr error         // the first failure
	Elapsed  time.Duration // the measured period
	// Latency percentiles of one round trip.
	P50, P90, P99, P999, Max time.Duration
}

// Rate is round trips per second.
func (r Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Messages) / r.Elapsed.Seconds()
}

// Message returns a JSON chat message of about size bytes for connection conn and
// sequence number seq, as a chat or trading client would send.
func Message(buf []byte, size, conn int, seq int64) []byte {
	buf = append(buf[:0], `{"type":"chat","room":"lobby","user":"user-`...)
	buf = strconv.AppendInt(buf, int64(conn), 10)
	buf = append(buf, `","seq":`...)
	buf = strconv.AppendInt(buf, seq, 10)
	buf = append(buf, `,"text":"hello everyone, see you at the match tonight`...)
	const filler = " and bring the snacks"
	for len(buf)+2 < size {
		n := min(len(filler), size-2-len(buf))
		buf = append(buf, filler[:n]...)
	}
	return append(buf, `"}`...)
}

// Run keeps cfg.Conns connections doing echo round trips for cfg.Warmup and then
// cfg.Duration, and reports the measured period. A connection that fails stops and is
// counted in Errors; the others go on.
func Run(ctx context.Context, cfg RunConfig) (Result, error) {
	if cfg.Conns <= 0 || cfg.Duration <= 0 {
		return Result{}, errors.New("loadgen: Conns and Duration must be positive")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	conns := make([]*Conn, cfg.Conns)
	for i := range conns {
		c, err := Dial(cfg.URL, cfg.Timeout)
		if err != nil {
			for _, c := range conns[:i] {
				c.Close()
			}
			return Result{}, fmt.Errorf("connection %d: %w", i, err)
		}
		conns[i] = c
	}
	start := time.Now().Add(cfg.Warmup)
	end := start.Add(cfg.Duration)
	var (
		mu       sync.Mutex
		res      Result
		lats     [][]time.Duration
		wg       sync.WaitGroup
		firstErr error
	)
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			my := make([]time.Duration, 0, 1024)
			var n int64
			var err error
			buf := make([]byte, 0, cfg.Size+64)
			for seq := int64(0); ctx.Err() == nil; seq++ {
				t0 := time.Now()
				if t0.After(end) {
					break
				}
				msg := Message(buf, cfg.Size, i, seq)
				_ = c.SetDeadline(t0.Add(cfg.Timeout))
				if err = c.WriteText(msg); err != nil {
					break
				}
				var echo []byte
				if echo, err = c.Read(); err != nil {
					break
				}
				if !bytes.Equal(echo, msg) {
					err = fmt.Errorf("echo %.40q is not the message %.40q", echo, msg)
					break
				}
				if t0.After(start) {
					my = append(my, time.Since(t0))
					n++
				}
			}
			mu.Lock()
			res.Messages += n
			lats = append(lats, my)
			if err != nil {
				res.Errors++
				if firstErr == nil {
					firstErr = fmt.Errorf("connection %d: %w", i, err)
				}
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = min(time.Since(start), cfg.Duration)
	res.FirstErr = firstErr
	all := slices.Concat(lats...)
	slices.Sort(all)
	res.P50, res.P90, res.P99, res.P999 = percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99), percentile(all, 0.999)
	if len(all) > 0 {
		res.Max = all[len(all)-1]
	}
	return res, nil
}

// percentile returns the q-quantile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// OpenIdle opens n connections to url, parallel at a time, and checks each with one
// round trip. The caller measures what they cost and closes them with CloseAll.
func OpenIdle(url string, n, parallel int, timeout time.Duration) ([]*Conn, error) {
	conns := make([]*Conn, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := Dial(url, timeout)
			if err != nil {
				errs <- err
				return
			}
			_ = c.SetDeadline(time.Now().Add(timeout))
			msg := Message(nil, 64, i, 0)
			err = c.WriteText(msg)
			if err == nil {
				_, err = c.Read()
			}
			_ = c.SetDeadline(time.Time{})
			if err != nil {
				c.Close()
				errs <- err
				return
			}
			conns[i] = c
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		CloseAll(conns)
		return nil, err
	}
	return conns, nil
}

// CloseAll closes every connection that is not nil.
func CloseAll(conns []*Conn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}
