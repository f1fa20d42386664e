package state

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Store shared by several Rampart instances through a Redis server. Apply is
// one round trip (a Lua script run atomically by the server); counters use the same
// 20-bucket sliding window as Memory, kept in one hash per counter that expires with
// its window, and a flag is a key that expires with the flag.
//
// Keys, under Prefix: "c:NAME|IP|VALUE" (a counter, a hash of bucket -> count),
// "c:NAME|IP|VALUE:h" (a counter held over its limit), "f:IP" (a flag:
// "SINCE_MS|UNTIL_MS|REASON").
type Redis struct {
	c       redis.UniversalClient
	prefix  string
	apply   *redis.Script
	timeout time.Duration // bounds each Apply, dial and retries included
}

// adminTimeout bounds the calls of the admin API (Flags scans every flag key).
const adminTimeout = 5 * time.Second

// redisLogger sends go-redis's own messages (a lost connection, a pool retry) to the
// structured log at debug level instead of bare lines on stderr.
type redisLogger struct{}

func (redisLogger) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

var setRedisLogger sync.Once

// RedisOptions configure NewRedis.
type RedisOptions struct {
	// URL is redis://[user:password@]host:port[/db] or rediss:// for TLS.
	URL string
	// Prefix starts every key (default "rampart:"), so one server can serve several
	// deployments.
	Prefix string
	// Timeout bounds each call (default 50ms): a store that does not answer in time is
	// a failed inspection, judged by fail: closed or open.
	Timeout time.Duration
}

//go:embed apply.lua
var applyLua string

// NewRedis connects to the server (and checks it answers).
func NewRedis(ctx context.Context, o RedisOptions) (*Redis, error) {
	opts, err := redis.ParseURL(o.URL)
	if err != nil {
		return nil, fmt.Errorf("state: redis url: %w", err)
	}
	if o.Timeout <= 0 {
		o.Timeout = 50 * time.Millisecond
	}
	opts.ReadTimeout, opts.WriteTimeout, opts.DialTimeout = o.Timeout, o.Timeout, max(o.Timeout, time.Second)
	// A request waits for the store at most Timeout: no retry on a failed call (the
	// next request tries again), and Apply's context carries the deadline, so a server
	// that is down costs each request one bounded dial, not seconds of retries.
	opts.MaxRetries = -1
	opts.DialerRetries = 1
	opts.PoolTimeout = o.Timeout
	if o.Prefix == "" {
		o.Prefix = "rampart:"
	}
	setRedisLogger.Do(func() { redis.SetLogger(redisLogger{}) })
	r := &Redis{c: redis.NewClient(opts), prefix: o.Prefix, apply: redis.NewScript(applyLua), timeout: o.Timeout}
	if err := r.c.Ping(ctx).Err(); err != nil {
		r.c.Close()
		return nil, fmt.Errorf("state: redis %s: %w", opts.Addr, err)
	}
	return r, nil
}

func (r *Redis) flagKey(ip netip.Addr) string { return r.prefix + "f:" + ip.String() }

func (r *Redis) counterKey(k *Key) string {
	ip := ""
	if k.IP.IsValid() {
		ip = k.IP.String()
	}
	return r.prefix + "c:" + k.Name + "|" + ip + "|" + k.Value
}

// Apply implements Store: one EVALSHA.
func (r *Redis) Apply(ctx context.Context, now time.Time, b *Batch) error {
	keys := make([]string, 1, 1+len(b.Hits))
	keys[0] = "-"
	if b.IP.IsValid() {
		keys[0] = r.flagKey(b.IP)
	}
	args := make([]any, 1, 1+5*len(b.Hits))
	args[0] = now.UnixMilli()
	for i := range b.Hits {
		h := &b.Hits[i]
		keys = append(keys, r.counterKey(&h.Key))
		args = append(args, h.Interval.Milliseconds(), h.Limit, h.Hold.Milliseconds(), h.FlagFor.Milliseconds(), h.Reason)
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	res, err := r.apply.Run(ctx, r.c, keys, args...).Slice()
	if err != nil {
		return fmt.Errorf("state: redis: %w", err)
	}
	if len(res) != 2+2*len(b.Hits) {
		return fmt.Errorf("state: redis: %d results for %d hits", len(res), len(b.Hits))
	}
	if s, _ := res[0].(string); s != "" {
		b.Flag = parseFlag(b.IP, s)
	}
	b.NewFlag = toInt(res[1]) == 1
	for i := range b.Hits {
		b.Hits[i].Count = toInt(res[2+2*i])
		b.Hits[i].Over = toInt(res[3+2*i]) == 1
	}
	return nil
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

// parseFlag reads "SINCE_MS|UNTIL_MS|REASON".
func parseFlag(ip netip.Addr, s string) Flag {
	since, rest, _ := strings.Cut(s, "|")
	until, reason, _ := strings.Cut(rest, "|")
	a, _ := strconv.ParseInt(since, 10, 64)
	b, _ := strconv.ParseInt(until, 10, 64)
	return Flag{IP: ip, Since: time.UnixMilli(a).UTC(), Until: time.UnixMilli(b).UTC(), Reason: reason}
}

func formatFlag(f Flag) string {
	return strconv.FormatInt(f.Since.UnixMilli(), 10) + "|" + strconv.FormatInt(f.Until.UnixMilli(), 10) + "|" + f.Reason
}

// Flags implements Store: it scans the flag keys.
func (r *Redis) Flags(ctx context.Context, now time.Time) ([]Flag, error) {
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	var out []Flag
	iter := r.c.Scan(ctx, 0, r.prefix+"f:*", 256).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		ip, err := netip.ParseAddr(strings.TrimPrefix(key, r.prefix+"f:"))
		if err != nil {
			continue
		}
		s, err := r.c.Get(ctx, key).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("state: redis: %w", err)
		}
		if f := parseFlag(ip, s); now.Before(f.Until) {
			out = append(out, f)
		}
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("state: redis: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	return out, nil
}

// SetFlag implements Store.
func (r *Redis) SetFlag(ctx context.Context, f Flag) error {
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	if !f.IP.IsValid() {
		return errInvalidIP
	}
	ttl := time.Until(f.Until)
	if ttl <= 0 {
		return nil
	}
	if err := r.c.Set(ctx, r.flagKey(f.IP), formatFlag(f), ttl).Err(); err != nil {
		return fmt.Errorf("state: redis: %w", err)
	}
	return nil
}

// Unflag implements Store: it deletes the flag and the IP's threshold counters.
func (r *Redis) Unflag(ctx context.Context, ip netip.Addr) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	n, err := r.c.Del(ctx, r.flagKey(ip)).Result()
	if err != nil {
		return false, fmt.Errorf("state: redis: %w", err)
	}
	iter := r.c.Scan(ctx, 0, r.prefix+"c:"+ThresholdPrefix+"*|"+ip.String()+"|*", 256).Iterator()
	for iter.Next(ctx) {
		if err := r.c.Del(ctx, iter.Val()).Err(); err != nil {
			return n > 0, fmt.Errorf("state: redis: %w", err)
		}
	}
	return n > 0, iter.Err()
}

// Close implements Store.
func (r *Redis) Close() error { return r.c.Close() }
