package detect

import (
	"github.com/rampartwaf/rampart/internal/decode"
	"github.com/rampartwaf/rampart/internal/request"
)

// HTTP parameter pollution: an attack split across a query or form parameter sent more
// than once (?id=1 UNION/*&id=*/SELECT password FROM users). ASP.NET hands the
// application the values joined with commas ("1 UNION/*,*/SELECT ..."), so each piece
// alone looks harmless. The values of every repeated name are judged once more, joined
// that way, by every value family; a signal found there names the parameter. A request
// that repeats no name costs one pass over its names (a map only past 64 query and form
// values).

func init() { registerRequest(checkPollution) }

const (
	maxJoined       = 8 << 10 // bytes of the joined value judged for one name
	pollutionLinear = 64      // up to this many values, repeats are found without a map
)

func checkPollution(r *request.Request) {
	if r.Protocol == request.ProtocolWebSocket {
		return // a message: its handshake's query was judged with the handshake
	}
	var idx [pollutionLinear]int32
	n := 0
	var byName map[string][]int32
	for i := range r.Params {
		if !pollutable(&r.Params[i]) {
			continue
		}
		if byName == nil && n < len(idx) {
			idx[n] = int32(i)
			n++
			continue
		}
		if byName == nil {
			byName = make(map[string][]int32, 2*n)
			for _, k := range idx[:n] {
				key := pollutionKey(&r.Params[k])
				byName[key] = append(byName[key], k)
			}
		}
		key := pollutionKey(&r.Params[i])
		byName[key] = append(byName[key], int32(i))
	}
	var d *decode.Decoder
	var buf []byte
	judge := func(group []int32) {
		buf = buf[:0]
		for g, k := range group {
			if g > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, r.Params[k].Value...)
			if len(buf) >= maxJoined {
				buf = buf[:maxJoined]
				break
			}
		}
		if d == nil {
			d = decode.Get()
		}
		first := &r.Params[group[0]]
		joined := string(buf)
		jp := request.Param{Source: first.Source, Name: first.Name, Value: joined}
		var found uint64
		runValue(r, &jp, joined, false, &found)
		d.Variants(joined, func(v string, _ decode.Transform) bool {
			runValue(r, &jp, v, true, &found)
			return true
		})
	}
	if byName != nil {
		for _, group := range byName {
			if len(group) > 1 {
				judge(group)
			}
		}
	} else {
		var group [pollutionLinear]int32
		for a := 0; a < n; a++ {
			pa := &r.Params[idx[a]]
			seen := false
			for b := 0; b < a; b++ {
				if same(pa, &r.Params[idx[b]]) {
					seen = true
					break
				}
			}
			if seen {
				continue
			}
			g := 0
			group[g] = idx[a]
			g++
			for b := a + 1; b < n; b++ {
				if same(pa, &r.Params[idx[b]]) {
					group[g] = idx[b]
					g++
				}
			}
			if g > 1 {
				judge(group[:g])
			}
		}
	}
	if d != nil {
		decode.Put(d)
	}
}

// pollutable reports whether p is a query or form value, which may be sent repeatedly.
func pollutable(p *request.Param) bool {
	return (p.Source == request.SourceQuery || p.Source == request.SourceForm) && !p.Key && p.Value != ""
}

func same(a, b *request.Param) bool { return a.Source == b.Source && a.Name == b.Name }

func pollutionKey(p *request.Param) string {
	if p.Source == request.SourceQuery {
		return "q" + p.Name
	}
	return "f" + p.Name
}
