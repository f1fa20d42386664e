package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestPrototypePollution(t *testing.T) {
	tests := []struct {
		name  string
		param request.Param
		want  bool
	}{
		{"json key", request.Param{Source: request.SourceJSON, Name: "title.__proto__", Value: "__proto__", Key: true}, true},
		{"query name bracket", request.Param{Source: request.SourceQuery, Name: "__proto__[isAdmin]", Value: "__proto__[isAdmin]", Key: true}, true},
		{"query name dot", request.Param{Source: request.SourceQuery, Name: "__proto__.polluted", Value: "__proto__.polluted", Key: true}, true},
		{"nested query name", request.Param{Source: request.SourceQuery, Name: "a[__proto__][x]", Value: "a[__proto__][x]", Key: true}, true},
		{"constructor prototype dots", request.Param{Source: request.SourceQuery, Name: "constructor.prototype.admin", Value: "constructor.prototype.admin", Key: true}, true},
		{"constructor prototype brackets", request.Param{Source: request.SourceForm, Name: "a[constructor][prototype][x]", Value: "a[constructor][prototype][x]", Key: true}, true},
		{"json constructor chain by path", request.Param{Source: request.SourceJSON, Name: "user.constructor.prototype", Value: "prototype", Key: true}, true},
		{"cookie value path", request.Param{Source: request.SourceCookie, Name: "prefs", Value: "__proto__.isAdmin=true"}, true},
		{"json in value", request.Param{Source: request.SourceForm, Name: "data", Value: `{"a":1,"__proto__":{"x":1}}`}, true},
		{"quoted brackets", request.Param{Source: request.SourceJSON, Name: "path", Value: `obj["constructor"]["prototype"]["x"]`}, true},
		{"json chain in value", request.Param{Source: request.SourceForm, Name: "data", Value: `{"constructor":{"prototype":{"y":1}}}`}, true},
		{"lodash path value", request.Param{Source: request.SourceJSON, Name: "path", Value: "a.__proto__.b"}, true},
		{"path segment", request.Param{Source: request.SourcePath, Name: "path[1]", Value: "__proto__"}, true},
		{"whole value", request.Param{Source: request.SourceQuery, Name: "key", Value: "__proto__"}, true},
		// benign
		{"prose proto", request.Param{Source: request.SourceForm, Name: "comment", Value: "the __proto__ property is deprecated"}, false},
		{"null prototype literal", request.Param{Source: request.SourceForm, Name: "code", Value: "const o = { __proto__: null };"}, false},
		{"prose prototype", request.Param{Source: request.SourceForm, Name: "comment", Value: "a prototype of the constructor was shown"}, false},
		{"constructor sentence", request.Param{Source: request.SourceForm, Name: "comment", Value: "Call the constructor. Prototype chains come later."}, false},
		{"f1 constructor key", request.Param{Source: request.SourceJSON, Name: "race.constructor", Value: "constructor", Key: true}, false},
		{"f1 constructor value", request.Param{Source: request.SourceJSON, Name: "constructor", Value: "Ferrari"}, false},
		{"prototype key", request.Param{Source: request.SourceJSON, Name: "design.prototype", Value: "prototype", Key: true}, false},
		{"prototype word", request.Param{Source: request.SourceQuery, Name: "q", Value: "inbox_sidebar_prototype"}, false},
		{"proto word", request.Param{Source: request.SourceQuery, Name: "foo", Value: "proto"}, false},
		{"protobuf", request.Param{Source: request.SourceQuery, Name: "format", Value: "application/x-protobuf"}, false},
		{"constructors plural", request.Param{Source: request.SourceQuery, Name: "q", Value: "constructors.prototypes"}, false},
		{"js code proto", request.Param{Source: request.SourceForm, Name: "code", Value: "el.__proto__ = f.prototype; el.init();"}, false},
		{"js code chain", request.Param{Source: request.SourceForm, Name: "code", Value: "if (!(constructor.prototype.serialize instanceof Function)) {}"}, false},
		{"minified js", request.Param{Source: request.SourceForm, Name: "code", Value: "object.__proto__=inherited;}"}, false},
		{"bracket name in text", request.Param{Source: request.SourceForm, Name: "data", Value: "a=1&b[__proto__][x]=1 and more"}, true},
		{"dunder python", request.Param{Source: request.SourceForm, Name: "code", Value: "def __init__(self): pass"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.param
			_, got := matchPrototype(&p, p.Value)
			if got != tt.want {
				t.Errorf("matchPrototype(%q, %q) = %v, want %v", p.Name, p.Value, got, tt.want)
			}
		})
	}
}

func TestPrototypePath(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/api/constructor/prototype/admin", true},
		{"/x/__proto__/y", true},
		{"/docs/javascript/prototype", false},
		{"/cars/constructor/ferrari", false},
	}
	for _, tt := range tests {
		r := &request.Request{Path: tt.path}
		prototypePath(r)
		if got := r.HasSignal(PROTOTYPEPOLLUTION); got != tt.want {
			t.Errorf("prototypePath(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestPrototypeStrippedAndPointers covers names nested into themselves against
// filters that strip them once, and JSON Pointers (JSON Patch paths).
func TestPrototypeStrippedAndPointers(t *testing.T) {
	key := func(src request.Source, name string) request.Param {
		return request.Param{Source: src, Name: name, Value: name, Key: true}
	}
	val := func(src request.Source, name, v string) request.Param {
		return request.Param{Source: src, Name: name, Value: v}
	}
	tests := []struct {
		name  string
		param request.Param
		want  bool
	}{
		{"proto stripped once", key(request.SourceQuery, "__pro__proto__to__[isAdmin]"), true},
		{"proto stripped once, dotted", key(request.SourceForm, "a.__pro__proto__to__.x"), true},
		{"proto stripped twice", key(request.SourceQuery, "__pro__pro__proto__to__to__[x]"), true},
		{"constructor and prototype stripped", key(request.SourceQuery, "constconstructorructor[protoprototypetype][isAdmin]"), true},
		{"stripped json key path", request.Param{Source: request.SourceJSON, Name: "a.__pro__proto__to__", Value: "__pro__proto__to__", Key: true}, true},
		{"json patch constructor path", val(request.SourceJSON, "[0].path", "/constructor/prototype/isAdmin"), true},
		{"json patch proto path", val(request.SourceJSON, "[0].path", "/__proto__/polluted"), true},
		{"json patch from", val(request.SourceJSON, "[1].from", "/a/constructor/prototype"), true},
		// look-alikes
		{"json patch path", val(request.SourceJSON, "[0].path", "/spec/template/spec/containers/0"), false},
		{"constructor page", val(request.SourceJSON, "url", "/docs/Global_Objects/Object/constructor"), false},
		{"prototype page path", val(request.SourceJSON, "path", "/designs/prototype/v2"), false},
		{"slash words in prose", val(request.SourceJSON, "text", "constructor / prototype are both words"), false},
		{"dunder names", key(request.SourceQuery, "__proto_version__[x]"), false},
		{"prototype repeated", val(request.SourceQuery, "q", "prototype_prototype_constructor_x"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.param
			_, got := matchPrototype(&p, p.Value)
			if got != tt.want {
				t.Errorf("matchPrototype(%q, %q) = %v, want %v", p.Name, p.Value, got, tt.want)
			}
		})
	}
}
