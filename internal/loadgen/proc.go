package loadgen

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"
)

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// ProcStat is a reading of a process's resources.
type ProcStat struct {
	CPU time.Duration // user and system time so far
	RSS int64         // resident set size, bytes
}

// ReadProc reads the CPU time and resident memory of process pid from /proc.
func ReadProc(pid int) (ProcStat, error) {
	var st ProcStat
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return st, fmt.Errorf("reading process %d: %w", pid, err)
	}
	// The command name (field 2) is in parentheses and may hold spaces: fields are
	// counted after its closing parenthesis.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return st, fmt.Errorf("process %d: unexpected stat format", pid)
	}
	f := bytes.Fields(b[i+1:])
	// After ")": state is field 3, utime field 14, stime field 15.
	if len(f) < 13 {
		return st, fmt.Errorf("process %d: short stat", pid)
	}
	ut, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	stt, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return st, fmt.Errorf("process %d: bad utime/stime in stat", pid)
	}
	st.CPU = time.Duration(ut+stt) * clockTick
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return st, fmt.Errorf("reading process %d: %w", pid, err)
	}
	for _, line := range bytes.Split(status, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			kb := bytes.Fields(rest)
			if len(kb) > 0 {
				n, err := strconv.ParseInt(string(kb[0]), 10, 64)
				if err == nil {
					st.RSS = n << 10
				}
			}
		}
	}
	return st, nil
}
