package rules

import (
	"sort"
	"strings"
)

// field is a part of a request a condition can test.
type field uint8

const (
	fScheme field = iota
	fMethod
	fHost
	fPath
	fURI
	fIP
	fCountry
	fUserAgent
	fProtocol
	fHeader
	fCookie
	fQuery
	fParam
	fBody
	fSignal
	fWSIndex
	fResponseStatus
	fWSOpcode
)

// kind is the type of a field's values.
type kind uint8

const (
	kString kind = iota
	kIP
	kNumber
)

// nameUse says whether a field takes a name.
type nameUse uint8

const (
	noName nameUse = iota
	nameRequired
	nameOptional
)

// fieldInfo describes a field. single is true when the field has at most one value per
// request, so two conditions on it that cannot hold together make a group that never
// matches.
type fieldInfo struct {
	name   string
	kind   kind
	names  nameUse
	single bool
}

// fieldInfos is indexed by field.
var fieldInfos = [...]fieldInfo{
	fScheme:         {"scheme", kString, noName, true},
	fMethod:         {"method", kString, noName, true},
	fHost:           {"host", kString, noName, true},
	fPath:           {"path", kString, noName, true},
	fURI:            {"uri", kString, noName, true},
	fIP:             {"ip", kIP, noName, true},
	fCountry:        {"country", kString, noName, true},
	fUserAgent:      {"useragent", kString, noName, true},
	fProtocol:       {"protocol", kString, noName, true},
	fHeader:         {"header", kString, nameRequired, false},
	fCookie:         {"cookie", kString, nameRequired, false},
	fQuery:          {"query", kString, nameOptional, false},
	fParam:          {"param", kString, nameOptional, false},
	fBody:           {"body", kString, noName, true},
	fSignal:         {"signal", kString, noName, false},
	fWSIndex:        {"ws.message_index", kNumber, noName, true},
	fResponseStatus: {"response.status", kNumber, noName, true},
	fWSOpcode:       {"ws.opcode", kString, noName, true},
}

func lookupField(s string) (field, bool) {
	for i, f := range fieldInfos {
		if f.name == s {
			return field(i), true
		}
	}
	return 0, false
}

func fieldNames() []string {
	out := make([]string, len(fieldInfos))
	for i, f := range fieldInfos {
		out[i] = f.name
	}
	return out
}

// op is an operator, without its negation or case folding.
type op uint8

const (
	opEquals op = iota
	opContains
	opStartsWith
	opEndsWith
	opLike
	opMatches
	opInList
	opGE
	opLE
	opExists
)

// opInfo is an operator as written: its base, whether it is the negation of the base,
// and whether it ignores case.
type opInfo struct {
	base op
	neg  bool
	fold bool
}

// ops are the operators by name: Fastly's names, and case-insensitive variants of the
// string operators.
var ops = map[string]opInfo{
	"equals":                   {opEquals, false, false},
	"doesNotEqual":             {opEquals, true, false},
	"contains":                 {opContains, false, false},
	"doesNotContain":           {opContains, true, false},
	"startsWith":               {opStartsWith, false, false},
	"endsWith":                 {opEndsWith, false, false},
	"like":                     {opLike, false, false},
	"notLike":                  {opLike, true, false},
	"matches":                  {opMatches, false, false},
	"doesNotMatch":             {opMatches, true, false},
	"inList":                   {opInList, false, false},
	"notInList":                {opInList, true, false},
	"greaterEqual":             {opGE, false, false},
	"lesserEqual":              {opLE, false, false},
	"exists":                   {opExists, false, false},
	"doesNotExist":             {opExists, true, false},
	"equalsIgnoreCase":         {opEquals, false, true},
	"doesNotEqualIgnoreCase":   {opEquals, true, true},
	"containsIgnoreCase":       {opContains, false, true},
	"doesNotContainIgnoreCase": {opContains, true, true},
	"startsWithIgnoreCase":     {opStartsWith, false, true},
	"endsWithIgnoreCase":       {opEndsWith, false, true},
	"likeIgnoreCase":           {opLike, false, true},
	"notLikeIgnoreCase":        {opLike, true, true},
	"inListIgnoreCase":         {opInList, false, true},
	"notInListIgnoreCase":      {opInList, true, true},
}

func opNames() []string {
	out := make([]string, 0, len(ops))
	for k := range ops {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Nearest returns the known name closest to an unknown one, or "" when none is close
// enough to be a likely typo. Case and the choice of '-' or '_' do not count. The config
// package uses it too, for its "did you mean" on keys.
func Nearest(name string, known []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	n := norm(name)
	best, bestDist := "", -1
	for _, k := range known {
		if norm(k) == n {
			return k
		}
		d := editDistance(n, norm(k))
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
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

// editDistance is the Levenshtein distance between a and b, in bytes.
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
