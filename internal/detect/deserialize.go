package detect

import (
	"strings"
	"unsafe"

	"github.com/rampartwaf/rampart/internal/request"
)

// CODEINJECTION (deserialization): payloads for the object deserializers of Python,
// .NET and Java polymorphic JSON, which build objects of a class the message names and
// so run a gadget's code. Java's own stream (rO0AB...) is java.go's.
//
// What matches:
//
//   - Python pickle that imports a command or code function: a GLOBAL or INST opcode
//     naming os/posix/nt/subprocess/builtins/commands/pty/platform and system, popen,
//     exec, eval, check_output... ("cos\nsystem\n(S'id'\ntR."), or the same pair as
//     two short strings before STACK_GLOBAL in protocol 4 and 5 (\x80\x04\x95...
//     \x8c\x05posix\x94\x8c\x06system\x94\x93); raw, or base64 at the start of a
//     token (gAJ, gAN, gAS, gAW: the protocol 2 to 5 header), as cookies carry it;
//   - PyYAML's object tags, which call or import a Python name on load:
//     !!python/object/apply: and !!python/object/new: whatever they name, and
//     !!python/object:, !!python/name:, !!python/module: naming a module of commands or
//     code (os, subprocess, builtins, importlib, ctypes...) (and the
//     tag:yaml.org,2002:python/ long form);
//   - jsonpickle's py/reduce and py/repr keys (a call, an eval), and a py/function,
//     py/type or py/object key naming a command or code function (os.system);
//   - .NET gadget types: the classes only exploit chains serialize
//     (System.Windows.Data.ObjectDataProvider, TextFormattingRunProperties,
//     ExpandedWrapper, ActivitySurrogateSelector) anywhere, as binary serializers write
//     them inside a ViewState; and the classes whose construction runs code or reads
//     files (XamlReader, AssemblyInstaller, WorkflowDesigner, WindowsIdentity,
//     ClaimsIdentity, RolePrincipal, SessionSecurityToken, Process, BindingSource,
//     PSObject, ObjRef...) as the value of a Json.NET "$type" or a JavaScriptSerializer
//     "__type" key, or assembly-qualified ("System.Diagnostics.Process, System").
//
// Deliberately not matched: pickles of plain data (lists, dicts, numbers, dates, the
// app's own classes), YAML's safe tags (!!str, !!python/tuple, !!python/unicode) and
// the names of a config (MkDocs' !!python/name:material.extensions.emoji.twemoji),
// jsonpickle's py/object and py/tuple for data classes, "$type" naming an ordinary
// class (Json.NET's TypeNameHandling of the app's DTOs), and .NET class names in prose
// or code samples ("System.Diagnostics.Process.Start(...)" in a question, the
// WindowsIdentity.GetCurrent() of a how-to): outside a type key only the exploit-only
// classes count.

func init() {
	registerValueFiltered(CODEINJECTION, valueNeed{minLen: 4}, matchDeserialize)
	registerRequest(serializedBody)
}

// serializedBody judges a binary request body, which the parser leaves out of the
// parameters: a Java serialization stream, a pickle importing a command function, a
// .NET BinaryFormatter stream naming an exploit-only class.
func serializedBody(r *request.Request) {
	if len(r.Body) < 8 || r.HasSignal(CODEINJECTION) {
		return
	}
	b := unsafe.String(unsafe.SliceData(r.Body), len(r.Body))
	var f string
	ok := false
	switch {
	case strings.HasPrefix(b, "\xac\xed\x00\x05"):
		f, ok = b[:4], true
	case b[0] == 0x80:
		f, ok = pickleGadget(window(b, 0, 4096))
	case strings.HasPrefix(b, binaryFormatterHeader):
		f, ok = dotnetExploitType(window(b, 0, 8192))
	}
	if ok {
		r.AddSignal(request.Signal{Name: CODEINJECTION, Source: request.SourceBody, Fragment: strings.Clone(fragment(f))})
	}
}

// binaryFormatterHeader opens a .NET BinaryFormatter stream (SerializedStreamHeader,
// root id 1, header id -1).
const binaryFormatterHeader = "\x00\x01\x00\x00\x00\xff\xff\xff\xff"

// The bytes each check needs.
var (
	deserDot  = classesOf(".")
	deserBang = classesOf("!")
	deserLF   = classesOf("\n")
)

func matchDeserialize(p *request.Param, v string, classes byteClass) (string, bool) {
	if len(v) < 4 {
		return "", false
	}
	if p != nil && strings.Contains(p.Name, "py/") {
		if f, ok := jsonPickle(p, v); ok {
			return f, true
		}
	}
	if classes.has(deserBang) {
		if f, ok := pyYAMLTag(v); ok {
			return f, true
		}
	}
	if classes.has(deserDot) {
		if f, ok := dotnetGadget(p, v); ok {
			return f, true
		}
	}
	if classes.has(deserLF) || v[0] == 0x80 {
		if f, ok := pickleGadget(v); ok {
			return f, true
		}
	}
	if classes.has(classUpper) && classes.has(classLower) {
		if f, ok := pickleBase64(v); ok {
			return f, true
		}
		if f, ok := dotnetBase64(v); ok {
			return f, true
		}
	}
	return "", false
}

// ---- Python pickle ----

// pickleModules are the modules whose functions a pickle gadget imports.
var pickleModules = map[string]bool{
	"os": true, "posix": true, "nt": true, "subprocess": true, "builtins": true,
	"__builtin__": true, "commands": true, "pty": true, "platform": true,
}

// pickleFuncs are the functions of pickleModules that run a command or code.
var pickleFuncs = map[string]bool{
	"system": true, "popen": true, "popen2": true, "popen3": true, "exec": true,
	"execv": true, "execve": true, "execl": true, "execlp": true, "execvp": true,
	"execvpe": true, "spawnl": true, "spawnlp": true, "spawnv": true, "spawnvp": true,
	"eval": true, "compile": true, "__import__": true, "getattr": true, "apply": true,
	"check_output": true, "check_call": true, "call": true, "run": true, "Popen": true,
	"getoutput": true, "getstatusoutput": true, "spawn": true, "startfile": true,
}

// pickleGadget finds a command or code function imported by a pickle: the GLOBAL
// ("c") or INST ("i") opcode of protocols 0 to 3 ("cos\nsystem\n"), or, in a pickle
// opened by the PROTO opcode, a module and a name pushed as short strings for
// STACK_GLOBAL.
func pickleGadget(v string) (string, bool) {
	for nl := range byteIndexes(v, '\n') {
		// v[s] is the opcode, v[s+1:nl] the module, then the name up to the next '\n'.
		s := nl
		for s > 0 && (isIdent(v[s-1]) || v[s-1] == '.') && nl-s <= 12 {
			s--
		}
		if s+1 >= nl || v[s] != 'c' && v[s] != 'i' {
			continue
		}
		if s > 0 && (isAlnum(v[s-1]) || v[s-1] == ' ') {
			continue // a word after another, not an opcode
		}
		if v[s] == 'i' && strings.IndexByte(v[:s], '(') < 0 {
			continue // INST pops to a MARK
		}
		if !pickleModules[v[s+1:nl]] {
			continue
		}
		e := strings.IndexByte(window(v, nl+1, 20), '\n')
		if e <= 0 || !pickleFuncs[v[nl+1:nl+1+e]] {
			continue
		}
		// A GLOBAL is called by REDUCE ('R') after its arguments; INST calls itself.
		if v[s] == 'c' && strings.IndexByte(v[nl+1+e:], 'R') < 0 {
			continue
		}
		return around(v, s, nl+1+e), true
	}
	t := strings.TrimLeft(v, " \t\r\n")
	if len(t) < 2 || t[0] != 0x80 || t[1] < 2 || t[1] > 5 {
		return "", false
	}
	off := len(v) - len(t)
	module := false
	for i := 2; i < len(t); {
		s, next, ok := pickleString(t, i)
		if !ok {
			i++
			continue
		}
		switch {
		case module && pickleFuncs[s]:
			return around(v, off, off+next), true
		case pickleModules[s]:
			module = true
		default:
			module = false
		}
		i = next
		// MEMOIZE (\x94) or BINPUT n ('q' n) may stand between the two strings.
		if i < len(t) && t[i] == 0x94 {
			i++
		} else if i+1 < len(t) && t[i] == 'q' {
			i += 2
		}
		if i >= len(t) || t[i] != 0x8c && t[i] != 'X' && t[i] != 'U' {
			module = false
		}
	}
	return "", false
}

// pickleString reads a string opcode at t[i]: SHORT_BINUNICODE (\x8c n), SHORT_BINSTRING
// ('U' n) or BINUNICODE ('X' n n n n), and returns the string and the index after it.
func pickleString(t string, i int) (string, int, bool) {
	var n, at int
	switch t[i] {
	case 0x8c, 'U':
		if i+1 >= len(t) {
			return "", 0, false
		}
		n, at = int(t[i+1]), i+2
	case 'X':
		if i+4 >= len(t) || t[i+2] != 0 || t[i+3] != 0 || t[i+4] != 0 {
			return "", 0, false
		}
		n, at = int(t[i+1]), i+5
	default:
		return "", 0, false
	}
	if n == 0 || n > 16 || at+n > len(t) {
		return "", 0, false
	}
	return t[at : at+n], at + n, true
}

// pickleBase64 finds a base64 token that opens with a pickle's PROTO opcode of
// protocol 2 to 5 (gAJ, gAN, gAS, gAW) and decodes its start for pickleGadget.
func pickleBase64(v string) (string, bool) {
	for i := range byteIndexes(v, 'g') {
		if i+3 >= len(v) || v[i+1] != 'A' || strings.IndexByte("JNSW", v[i+2]) < 0 || i > 0 && isB64Byte(v[i-1]) {
			continue
		}
		var buf [512]byte
		n := decodeBase64Prefix(v[i:], buf[:])
		if n < 8 {
			continue
		}
		if _, ok := pickleGadget(string(buf[:n])); ok {
			return around(v, i, i+4), true
		}
	}
	return "", false
}

// ---- PyYAML ----

// pyYAMLTag finds the PyYAML tags that construct arbitrary Python objects.
func pyYAMLTag(v string) (string, bool) {
	for off := 0; off < len(v); {
		k := indexFold(v[off:], "python/")
		if k < 0 {
			return "", false
		}
		i := off + k
		off = i + 7
		switch {
		case i >= 2 && v[i-2:i] == "!!":
		case i >= 17 && hasSuffixFold(v[:i], "tag:yaml.org,2002:"):
		default:
			continue
		}
		r := v[i+7:]
		for _, t := range [...]string{"object/apply:", "object/new:"} {
			if hasPrefixFold(r, t) {
				return around(v, i-2, i+7+len(t)), true
			}
		}
		// The tags that only name a class, function or module (MkDocs configs write
		// !!python/name:material.extensions.emoji.twemoji) count for the modules of
		// commands and code.
		for _, t := range [...]string{"object:", "name:", "module:"} {
			if hasPrefixFold(r, t) && pyDangerousName(r[len(t):]) {
				return around(v, i-2, i+7+len(t)), true
			}
		}
	}
	return "", false
}

// pyDangerousName reports a dotted Python name at the start of s in a module of
// commands or code (os.system, subprocess.Popen, builtins.eval, importlib).
func pyDangerousName(s string) bool {
	e := 0
	for e < len(s) && (isIdent(s[e]) || s[e] == '.') {
		e++
	}
	mod := s[:e]
	if d := strings.IndexByte(mod, '.'); d >= 0 {
		mod = mod[:d]
	}
	return pickleModules[mod] || mod == "importlib" || mod == "ctypes" || mod == "code" || mod == "runpy"
}

// ---- jsonpickle ----

// jsonPickle matches the jsonpickle keys that call or evaluate on decode: a parameter
// under py/reduce or py/repr, and a py/function, py/type or py/object naming a command
// or code function ("os.system", "builtins.eval", "subprocess.Popen").
func jsonPickle(p *request.Param, v string) (string, bool) {
	if strings.Contains(p.Name, "py/reduce") || strings.Contains(p.Name, "py/repr") {
		return fragment(v), true
	}
	for _, k := range [...]string{"py/function", "py/type", "py/object"} {
		if !strings.HasSuffix(p.Name, k) {
			continue
		}
		d := strings.LastIndexAny(v, "./")
		if d <= 0 {
			return "", false
		}
		mod := v[:d]
		if m := strings.IndexByte(mod, '.'); m >= 0 {
			mod = mod[:m]
		}
		if pickleModules[mod] && pickleFuncs[v[d+1:]] {
			return v, true
		}
	}
	return "", false
}

// ---- .NET ----

// Kinds of .NET gadget types.
const (
	dnAnywhere = iota + 1 // only exploit chains serialize it: anywhere
	dnTyped               // in a type key, or assembly-qualified
)

// dotnetTypes are .NET classes of the public deserialization gadget chains (lower case).
var dotnetTypes = map[string]uint8{
	"system.windows.data.objectdataprovider":                                 dnAnywhere,
	"microsoft.visualstudio.text.formatting.textformattingrunproperties":     dnAnywhere,
	"system.data.services.internal.expandedwrapper":                          dnAnywhere,
	"system.workflow.componentmodel.serialization.activitysurrogateselector": dnAnywhere,
	"system.windows.markup.xamlreader":                                       dnTyped,
	"system.configuration.install.assemblyinstaller":                         dnTyped,
	"system.activities.presentation.workflowdesigner":                        dnTyped,
	"system.security.principal.windowsidentity":                              dnTyped,
	"system.security.principal.windowsprincipal":                             dnTyped,
	"system.security.claims.claimsidentity":                                  dnTyped,
	"system.security.claims.claimsprincipal":                                 dnTyped,
	"microsoft.identitymodel.claims.windowsclaimsidentity":                   dnTyped,
	"system.web.security.roleprincipal":                                      dnTyped,
	"system.identitymodel.tokens.sessionsecuritytoken":                       dnTyped,
	"system.diagnostics.process":                                             dnTyped,
	"system.diagnostics.processstartinfo":                                    dnTyped,
	"system.windows.forms.bindingsource":                                     dnTyped,
	"system.management.automation.psobject":                                  dnTyped,
	"system.runtime.remoting.objref":                                         dnTyped,
	"system.resources.resxresourceset":                                       dnTyped,
	"system.windows.resourcedictionary":                                      dnTyped,
	"system.io.fileinfo":                                                     dnTyped,
	"system.io.directoryinfo":                                                dnTyped,
	"system.delegateserializationholder":                                     dnTyped,
	"system.web.ui.losformatter":                                             dnTyped,
	"system.web.ui.objectstateformatter":                                     dnTyped,
}

// dotnetGadget finds a .NET gadget type: an exploit-only class anywhere, another
// gadget class as the value of a "$type" or "__type" key or with an assembly name
// after it.
func dotnetGadget(p *request.Param, v string) (string, bool) {
	typed := p != nil && (strings.HasSuffix(p.Name, "$type") || strings.HasSuffix(p.Name, "__type"))
	for _, root := range [...]string{"system.", "microsoft."} {
		for off := 0; off < len(v); {
			k := indexFold(v[off:], root)
			if k < 0 {
				break
			}
			s := off + k
			e := s
			for e < len(v) && (isIdent(v[e]) || v[e] == '.') {
				e++
			}
			off = e
			if s > 0 && (isIdent(v[s-1]) || v[s-1] == '.') {
				continue
			}
			var buf [80]byte
			w := lowerInto(buf[:], v[s:e])
			kind := dotnetTypes[string(w)]
			switch {
			case kind == dnAnywhere:
				return around(v, s, e), true
			case kind == dnTyped && (typed && isWholeType(v, s, e) || assemblyAfter(v, e)):
				return around(v, s, e), true
			}
		}
	}
	return "", false
}

// isWholeType reports whether v[s:e] is the type the value names: at its start, and
// followed by nothing or an assembly name.
func isWholeType(v string, s, e int) bool {
	return strings.TrimSpace(v[:s]) == "" && (strings.TrimSpace(v[e:]) == "" || v[e] == ',')
}

// assemblyAfter reports an assembly name after a type name at v[e]: ", mscorlib",
// ", System", ", PresentationFramework", ", System.Core, Version=4.0.0.0".
func assemblyAfter(v string, e int) bool {
	if e >= len(v) || v[e] != ',' {
		return false
	}
	j := skipSpaces(v, e+1)
	for _, a := range [...]string{"mscorlib", "system", "presentationframework", "presentationcore", "windowsbase", "microsoft."} {
		if hasPrefixFold(v[j:], a) {
			n := j + len(a)
			return n == len(v) || !isAlpha(v[n]) || a == "microsoft."
		}
	}
	return false
}

// dotnetExploitType finds an exploit-only .NET class (dnAnywhere) named in b.
func dotnetExploitType(b string) (string, bool) {
	for name, kind := range dotnetTypes {
		if kind != dnAnywhere {
			continue
		}
		if i := indexFold(b, name); i >= 0 {
			return b[i : i+len(name)], true
		}
	}
	return "", false
}

// dotnetBase64 finds a base64 token that opens a .NET serialization stream, an
// ASP.NET ViewState ("/wE": ObjectStateFormatter) or a BinaryFormatter stream
// ("AAEAAAD/////"), and decodes its start for an exploit-only class: the
// TextFormattingRunProperties or ObjectDataProvider of a forged ViewState. A ViewState
// of ordinary controls holds no such name.
func dotnetBase64(v string) (string, bool) {
	for _, m := range [...]string{"/wE", "AAEAAAD/////"} {
		for i := range stringIndexes(v, m) {
			if i > 0 && isB64Byte(v[i-1]) {
				continue
			}
			if dotnetStreamAt(v[i:]) {
				return around(v, i, i+len(m)), true
			}
		}
	}
	return "", false
}

// dotnetStreamAt decodes the start of the base64 stream b and looks for an exploit-only
// class in it.
func dotnetStreamAt(b string) bool {
	var buf [6144]byte
	n := decodeBase64Prefix(b, buf[:])
	if n < 64 {
		return false
	}
	_, ok := dotnetExploitType(unsafe.String(&buf[0], n))
	return ok
}
