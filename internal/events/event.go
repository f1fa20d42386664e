package events

import (
	"time"

	"github.com/rampartwaf/rampart/internal/request"
)

// Event is one record of something Rampart decided about a request or a WebSocket
// message. It holds no request body and only short, redacted fragments of values.
type Event struct {
	Time time.Time `json:"time"`
	// RequestID is the request's (a WebSocket message has its handshake's); a "flag"
	// event has the ID of the request that got the IP flagged, or none for a flag set
	// through the admin API.
	RequestID string `json:"request_id,omitempty"`
	// Action is "block", "log" (would have blocked, mode is log, or a log rule),
	// "allow" (signals only), "error" (inspection failed), or "flag" (the IP was
	// flagged by a threshold, see FlagUntil).
	Action   string `json:"action"`
	Reason   string `json:"reason,omitempty"`
	Protocol string `json:"protocol,omitempty"` // http or websocket; none on a flag set through the admin API
	IP       string `json:"ip"`
	Method   string `json:"method,omitempty"`
	Host     string `json:"host,omitempty"`
	Path     string `json:"path,omitempty"`
	// Status is the HTTP status sent (block page) or the WebSocket close code.
	Status int `json:"status,omitempty"`

	ConnID       string `json:"conn_id,omitempty"`
	MessageIndex int    `json:"message_index,omitempty"`

	Signals []Signal `json:"signals,omitempty"`
	// Rule is the ID of the rule or rate limit that decided; Rules every rule that
	// acted (exclusions, tags, logs, rate limits over, the decider), in order.
	Rule  string   `json:"rule,omitempty"`
	Rules []string `json:"rules,omitempty"`
	// Flag is set on a "flag" event: the IP was flagged until then (RFC 3339).
	FlagUntil string `json:"flag_until,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Signal is a signal as recorded in an event.
type Signal struct {
	Name     string `json:"name"`
	Source   string `json:"source,omitempty"`
	Param    string `json:"param,omitempty"`
	Fragment string `json:"fragment,omitempty"`
}

// FromRequest fills the request-describing fields of an event from r.
func FromRequest(r *request.Request) *Event {
	ev := &Event{
		Time:         time.Now().UTC(),
		RequestID:    r.ID,
		Protocol:     r.Protocol.String(),
		Method:       r.Method,
		Host:         r.Host,
		Path:         r.Path,
		ConnID:       r.ConnID,
		MessageIndex: r.MessageIndex,
	}
	if r.IP.IsValid() {
		ev.IP = r.IP.String()
	}
	if len(r.Rules) > 0 {
		ev.Rules = append([]string(nil), r.Rules...)
	}
	if len(r.Signals) > 0 {
		ev.Signals = make([]Signal, len(r.Signals))
		for i, s := range r.Signals {
			ev.Signals[i] = Signal{Name: s.Name, Param: s.Param, Fragment: s.Fragment}
			if s.Source != request.SourceNone {
				ev.Signals[i].Source = s.Source.String()
			}
		}
	}
	return ev
}
