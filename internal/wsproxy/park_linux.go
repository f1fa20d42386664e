package wsproxy

import (
	"sync"
	"syscall"
)

// On Linux an idle pump parks: its goroutine returns and its socket is watched by one
// shared epoll instance; when bytes arrive (or the peer hangs up) a new goroutine runs
// the pump on. An idle connection then costs its state and two sockets, and no
// goroutine stack (two stacks of 2 to 8 KiB each otherwise).
//
// Safety of the file descriptors: a pump registers its fd only through RawConn.Control,
// which holds the fd open while it runs, and only while its goroutine is the pump's
// only user. Anything that would make a parked pump need to run (a read deadline set on
// its side, its socket about to be closed) calls unpark first, which removes the fd from
// epoll, again through Control, before the socket can be closed: a closed fd number
// that the kernel reuses can never wake the wrong pump.

// poller is the process's epoll instance for parked pumps.
type poller struct {
	epfd   int
	mu     sync.Mutex
	parked map[uint64]*pump
	next   uint64
}

var (
	pollerOnce sync.Once
	thePoller  *poller // nil when epoll is unavailable: pumps never park
)

func getPoller() *poller {
	pollerOnce.Do(func() {
		fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
		if err != nil {
			return
		}
		thePoller = &poller{epfd: fd, parked: map[uint64]*pump{}}
		go thePoller.wait()
	})
	return thePoller
}

// canPark reports whether pumps can park on this system.
func canPark() bool { return getPoller() != nil }

// park registers p's source for one readiness event. On true the caller's goroutine
// must return without touching p again: the pump now belongs to the poller.
func (pl *poller) park(p *pump) bool {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	pl.next++
	tok := pl.next
	var cerr error
	err := p.src.raw.Control(func(fd uintptr) {
		ev := syscall.EpollEvent{
			Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT,
			Fd:     int32(uint32(tok)), Pad: int32(uint32(tok >> 32)),
		}
		// A pump parked before stays registered, disarmed, after its event: MOD re-arms.
		cerr = syscall.EpollCtl(pl.epfd, syscall.EPOLL_CTL_MOD, int(fd), &ev)
		if cerr == syscall.ENOENT {
			cerr = syscall.EpollCtl(pl.epfd, syscall.EPOLL_CTL_ADD, int(fd), &ev)
		}
	})
	if err != nil || cerr != nil {
		return false
	}
	p.parkTok = tok
	pl.parked[tok] = p
	return true
}

// unpark wakes p if it is parked: its fd leaves epoll and a goroutine runs it.
func (pl *poller) unpark(p *pump) {
	pl.mu.Lock()
	if p.parkTok == 0 || pl.parked[p.parkTok] != p {
		pl.mu.Unlock()
		return
	}
	delete(pl.parked, p.parkTok)
	p.parkTok = 0
	_ = p.src.raw.Control(func(fd uintptr) {
		_ = syscall.EpollCtl(pl.epfd, syscall.EPOLL_CTL_DEL, int(fd), nil)
	})
	pl.mu.Unlock()
	go p.run()
}

func (pl *poller) wait() {
	events := make([]syscall.EpollEvent, 256)
	for {
		n, err := syscall.EpollWait(pl.epfd, events, -1)
		if err != nil {
			if err == syscall.EINTR {
				continue
			}
			return
		}
		for i := range events[:n] {
			tok := uint64(uint32(events[i].Fd)) | uint64(uint32(events[i].Pad))<<32
			pl.mu.Lock()
			p := pl.parked[tok]
			if p != nil {
				delete(pl.parked, tok)
				p.parkTok = 0
			}
			pl.mu.Unlock()
			if p != nil {
				go p.run()
			}
		}
	}
}
