package config

import "github.com/rampartwaf/rampart/internal/rules"

// nearest returns the known name closest to an unknown key, or "" (see rules.Nearest).
func nearest(name string, known []string) string { return rules.Nearest(name, known) }

// elsewhere returns where a key of this name belongs, when it was put in the wrong
// section (`body_bytes:` at the top instead of under `limits:`): "under limits", or "at
// the top level". It returns "" when no other section has the key.
func elsewhere(name, section string) string {
	var walk func(prefix string, fields []field) string
	walk = func(prefix string, fields []field) string {
		for _, f := range fields {
			if f.name == name && prefix != section {
				if prefix == "" {
					return "at the top level"
				}
				return "under " + prefix
			}
			if f.sub != nil {
				if w := walk(joinKey(prefix, f.name), f.sub); w != "" {
					return w
				}
			}
		}
		return ""
	}
	return walk("", schema)
}
