package loadgen

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50}, {0.9, 90}, {0.99, 99}, {0.999, 100}, {0, 1}} {
		if got := percentile(d, tc.q); got != tc.want {
			t.Errorf("percentile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("percentile of nothing")
	}
}

func TestMessage(t *testing.T) {
	for _, size := range []int{0, 64, 128, 512} {
		m := Message(nil, size, 3, 42)
		if size >= 100 && len(m) != size {
			t.Errorf("size %d: message of %d bytes", size, len(m))
		}
		if m[0] != '{' || m[len(m)-1] != '}' {
			t.Errorf("not a JSON object: %s", m)
		}
	}
}

// TestRunThroughTCPProxy loads the echo server through the TCP copy for a moment: every
// round trip must come back intact (Run checks each echo), with no failed connection.
func TestRunThroughTCPProxy(t *testing.T) {
	e, err := ListenEcho("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	p, err := ListenTCPProxy("127.0.0.1:0", e.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	res, err := Run(context.Background(), RunConfig{
		URL: "ws://" + p.Addr().String() + "/echo", Conns: 4, Duration: 300 * time.Millisecond, Size: 200,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 || res.Messages == 0 {
		t.Fatalf("%d round trips, %d errors (%v)", res.Messages, res.Errors, res.FirstErr)
	}
	if !(res.P50 <= res.P99 && res.P99 <= res.Max) {
		t.Errorf("percentiles out of order: %+v", res)
	}

	conns, err := OpenIdle("ws://"+e.Addr().String()+"/", 20, 5, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	CloseAll(conns)
}

func TestReadProc(t *testing.T) {
	st, err := ReadProc(os.Getpid())
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if st.RSS <= 0 {
		t.Errorf("RSS %d", st.RSS)
	}
}
