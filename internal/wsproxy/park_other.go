//go:build !linux

package wsproxy

// Pumps park only on Linux (see park_linux.go); elsewhere an idle connection keeps its
// two goroutines.

type poller struct{}

func getPoller() *poller { return nil }

func canPark() bool { return false }

func (*poller) park(*pump) bool { return false }

func (*poller) unpark(*pump) {}
