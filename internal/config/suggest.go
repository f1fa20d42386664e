package config

import "strings"

// nearest returns the known name closest to an unknown key, or "" when none is close
// enough to be a likely typo. Case and the choice of '-' or '_' do not count.
func nearest(name string, known []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	n := norm(name)
	best, bestDist := "", -1
	for _, k := range known {
		if norm(k) == n {
			return k
		}
		dist := editDistance(n, norm(k))
		if bestDist < 0 || dist < bestDist {
			best, bestDist = k, dist
		}
	}
	limit := 2
	if len(n) >= 9 {
		limit = 3
	}
	if bestDist < 0 || bestDist > limit || bestDist >= len(n) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes; key names are ASCII).
// Long inputs are not compared: a key that long is no typo of a known one.
func editDistance(a, b string) int {
	const maxLen = 64
	if len(a) > maxLen || len(b) > maxLen {
		return maxLen
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

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
