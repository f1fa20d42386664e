package detect

import (
	"hash/maphash"

	"github.com/rampartwaf/rampart/internal/decode"
	"github.com/rampartwaf/rampart/internal/request"
)

// HTTP parameter pollution: an attack split across a query or form parameter sent more
// than once (?id=1 UNION/*&id=*/SELECT password FROM users). ASP.NET hands the
// application the values joined with commas ("1 UNION/*,*/SELECT ..."), so each piece
// alone looks harmless. The values of every repeated name are judged once more, joined
// that way, by every value family; a signal found there names the parameter.
//
// The repeats are found among the first maxPolluted query and form values with a hash
// table on the stack: a request that repeats no name allocates nothing and costs one
// hash per name. At most maxPollBytes of joined values are judged per request, so a
// flood of repeated names costs a bounded share of the request's inspection.

func init() { registerRequest(checkPollution) }

const (
	maxJoined    = 8 << 10  // bytes of the joined value judged for one name
	maxPollBytes = 64 << 10 // bytes of joined values judged for one request
	maxPolluted  = 256      // query and form values looked at for repeats
	pollSlots    = 512      // hash table slots (twice maxPolluted)
)

var pollSeed = maphash.MakeSeed()

func checkPollution(r *request.Request) {
	if r.Protocol == request.ProtocolWebSocket {
		return // a message: its handshake's query was judged with the handshake
	}
	// slots hold 1 + the index of the first value of each name; next chains the later
	// values of a name from its first.
	var slots [pollSlots]int32
	var next [maxPolluted]int32
	var idx [maxPolluted]int32 // position in r.Params of the n-th value looked at
	n, repeated := 0, false
	for i := range r.Params {
		p := &r.Params[i]
		if !pollutable(p) {
			continue
		}
		if n == maxPolluted {
			break
		}
		idx[n], next[n] = int32(i), -1
		h := maphash.String(pollSeed, p.Name) ^ uint64(p.Source)
		for s := h % pollSlots; ; s = (s + 1) % pollSlots {
			if slots[s] == 0 {
				slots[s] = int32(n) + 1
				break
			}
			first := slots[s] - 1
			if q := &r.Params[idx[first]]; q.Source == p.Source && q.Name == p.Name {
				k := first
				for next[k] >= 0 {
					k = next[k]
				}
				next[k] = int32(n)
				repeated = true
				break
			}
		}
		n++
	}
	if !repeated {
		return
	}
	d := decode.Get()
	defer decode.Put(d)
	var buf []byte
	budget := maxPollBytes
	for s := range slots {
		if budget <= 0 {
			break
		}
		if slots[s] == 0 {
			continue
		}
		first := slots[s] - 1
		if next[first] < 0 {
			continue
		}
		buf = buf[:0]
		for k := first; k >= 0 && len(buf) < maxJoined; k = next[k] {
			if k != first {
				buf = append(buf, ',')
			}
			buf = append(buf, r.Params[idx[k]].Value...)
		}
		if len(buf) > maxJoined {
			buf = buf[:maxJoined]
		}
		budget -= len(buf)
		p := &r.Params[idx[first]]
		joined := string(buf)
		jp := request.Param{Source: p.Source, Name: p.Name, Value: joined}
		var found uint64
		judgeValue(r, &jp, joined, d, &found)
	}
}

// pollutable reports whether p is a query or form value, which may be sent repeatedly.
func pollutable(p *request.Param) bool {
	return (p.Source == request.SourceQuery || p.Source == request.SourceForm) && !p.Key && p.Value != ""
}
