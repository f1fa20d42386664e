package rules

import (
	"fmt"
	"net/netip"
	"testing"
)

// Benchmarks of the rule language. The budgets (issue 4): 100 rules evaluated on a
// typical request in at most 10 µs, without allocation; lists of 100,000 IPs and
// CIDRs and 10,000 strings looked up in O(log n). Compare two runs with benchstat:
//
//	go test -run XXX -bench . -count 10 ./internal/rules > old.txt
//	(change) ... > new.txt; benchstat old.txt new.txt

func BenchmarkRun100Rules(b *testing.B) {
	p := benchPolicy(b, 100, 100_000, 10_000)
	r := benchRequest()
	var out Outcome
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Rules = r.Rules[:0]
		out.Reset()
		p.Run(r, benchNow, &out)
	}
}

// BenchmarkIPList: a lookup in a list of n addresses and prefixes grows with log n.
func BenchmarkIPList(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		p := benchPolicy(b, 0, n, 0)
		l := p.lists["bad-ips"]
		addrs := make([]netip.Addr, 1024)
		for i := range addrs {
			addrs[i] = netip.AddrFrom4([4]byte{byte(i), byte(i * 7), byte(i * 13), byte(i * 31)})
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				l.hasIP(addrs[i%len(addrs)])
			}
		})
	}
}

// BenchmarkStringList: a lookup in a list of n strings, exact and ignoring case.
func BenchmarkStringList(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		p := benchPolicy(b, 0, 0, n)
		l := p.lists["revoked-keys"]
		keys := make([]string, 1024)
		for i := range keys {
			keys[i] = fmt.Sprintf("key-%08x", i*2654435761)
		}
		b.Run(fmt.Sprintf("%d/exact", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				l.hasString(keys[i%len(keys)], false)
			}
		})
		b.Run(fmt.Sprintf("%d/ignoreCase", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				l.hasString(keys[i%len(keys)], true)
			}
		})
	}
}
