// Package loadgen measures the WebSocket relay under load: it is the engine of the
// rampart-load command, which is a development tool and not part of the rampart binary.
//
// It has the three pieces a side-by-side measurement needs, each small and free of
// anything that would cost CPU the measurement does not want:
//
//   - Echo, a WebSocket echo server (the upstream);
//   - TCPProxy, a plain TCP byte copy (the baseline a WebSocket proxy is compared with);
//   - Run, a client that keeps many connections doing echo round trips of small JSON
//     messages and reports round trips per second and latency percentiles; and Idle,
//     which opens many connections and leaves them idle.
//
// ProcStat reads a process's CPU time and resident memory from /proc, so the CPU each
// proxy spends per message, and the memory each idle connection costs it, can be
// measured from outside the proxy.
//
// The client speaks RFC 6455 itself with wsproxy's frame codec, so its own cost per
// message is a few hundred nanoseconds and the same whatever it talks to.
package loadgen
