package detect

import (
	"strings"

	"github.com/rampartwaf/rampart/internal/request"
)

// CODEINJECTION (Java): Java code injection, expression-language injection and Java
// deserialization payloads.
//
// What matches:
//
//   - serialized Java objects: the stream magic AC ED 00 05 opening a value, in hex
//     ("aced0005...") or in base64 ("rO0AB...", and the two shifted forms "[Kaq6]ztAA[U-X]"
//     and "s7QAF" a magic takes inside a longer base64 stream), and the $$BCEL$$ class
//     loader marker;
//   - class names only an exploit sends: process spawning (java.lang.Runtime,
//     ProcessBuilder, ProcessImpl), reflection (java.lang.reflect), script engines
//     (javax.script, jdk.nashorn), the gadget classes of the public deserialization
//     chains (commons-collections functors, TemplatesImpl, JdbcRowSetImpl, XMLDecoder,
//     EventHandler, BeanComparator, MethodClosure...), Struts/OGNL internals
//     (com.opensymphony.xwork2, ognl.OgnlContext), FreeMarker's Execute, and a
//     dotted name made of "java" and Runtime/ProcessBuilder (java.Runtime); a
//     commons-collections transformer/closure/factory name together with Runtime or
//     ProcessBuilder in the value; Spring XML application contexts called with an
//     argument (the WebLogic CVE-2020-14882 shape);
//   - a value that is nothing but the name of a JDK class from the packages exploits
//     instantiate (java.lang, java.io, java.net, java.nio, java.beans, java.rmi,
//     javax.naming, javax.management, org.omg): that is the shape of
//     type injection (Jackson and fastjson type ids, XStream and XMLDecoder class
//     attributes, JMX argument types); a fastjson "@type" key naming any Java class;
//     the gadgets of Jackson's polymorphic typing as the whole value (outside XML and
//     paths): Spring's XML application contexts, JNDIConfiguration, logback's
//     DriverManagerConnectionSource, the JNDI factories of iBATIS, Shiro, OpenJPA...;
//   - an H2 JDBC URL whose INIT runs code: RUNSCRIPT FROM a remote URL, CREATE ALIAS,
//     CREATE TRIGGER (INIT=RUNSCRIPT FROM 'classpath:schema.sql' passes);
//   - a Jolokia exec of an operation that loads code or touches files (jolokiaExec);
//   - Java expression languages: OGNL (%{(#...)}, ${(#...)}, #_memberAccess,
//     @pkg.Class@member static access), Commons Text script lookups
//     (${script:javascript:...}, Text4Shell), Spring EL type references
//     (T(java.lang.Runtime)), and reflection or process idioms inside any ${...}, #{...},
//     %{...}, *{...} or {{...}} expression (.getClass(), forName(, .exec(,
//     getRuntime(, ScriptEngine, newInstance(...);
//   - process idioms anywhere: getRuntime().exec( (chained, or .exec( after a
//     getRuntime() call), new ProcessBuilder(...).start(),
//     "".getClass().forName(, and Groovy's "cmd".execute();
//   - class loader manipulation through data binding: class.module.classLoader
//     (Spring4Shell), class.classLoader (Struts S2-020), class['classLoader'],
//     top['class']['classLoader'];
//   - an uploaded file name (multipart file name, X-Filename header) ending in .jsp or
//     .jspx, with the trailing dots, spaces, NUL or ::$DATA that file systems drop.
//
// What is deliberately not matched, as developers and users send it too:
//
//   - a JDK class name inside text ("java.lang.String cannot be cast to
//     java.lang.Integer", "List<java.lang.Integer>"), java.util names, Maven coordinates
//     and package names (org.apache.commons, org.springframework), Class.forName("...")
//     with an ordinary driver class;
//   - stack traces ("at java.lang.reflect.Method.invoke(Method.java:498)"), exception
//     names (java.lang.reflect.InvocationTargetException) and import statements, even
//     of the classes listed above;
//   - "Java Runtime Environment", java.runtime.version and other prose or property
//     names;
//   - bare ${...} and #{...} templates without a Java idiom inside (${user.name},
//     Thymeleaf's ${#dates.format(d)}), and generic template probes (${7*7}).
//
// Whole-value class names are not taken from URL path segments, where documentation
// sites put them.

func init() {
	registerValueFiltered(CODEINJECTION, valueNeed{minLen: 4}, matchJavaClasses)
	registerRequest(javaParamNames)
	registerRequest(jolokiaExec)
}

// jolokiaOps are MBean operations that load code or configuration from a URL, or read
// and write files, when Jolokia's exec runs them (lower case): logback's
// JMXConfigurator reloadByURL (a logback.xml with a JNDI lookup), MLet's
// getMBeansFromURL, Tomcat's createJNDIRealm, and the HotSpot DiagnosticCommand
// operations compilerDirectivesAdd (reads any file), vmLog (writes one) and
// jvmtiAgentLoad (loads a native agent).
var jolokiaOps = [...]string{
	"reloadbyurl", "getmbeansfromurl", "createjndirealm", "compilerdirectivesadd",
	"vmlog", "jvmtiagentload",
}

// jolokiaExec matches a Jolokia exec request running one of jolokiaOps: in the URL
// (/jolokia/exec/<mbean>/<operation>/...) or as the "operation" of a JSON request with
// an "mbean". Reading attributes, listing MBeans and other operations (an admin
// console's) pass.
func jolokiaExec(r *request.Request) {
	if i := indexFold(r.Path, "jolokia"); i >= 0 {
		rest := r.Path[i:]
		if e := indexFold(rest, "/exec/"); e >= 0 {
			for _, op := range jolokiaOps {
				if k := indexFold(rest[e:], "/"+op); k >= 0 {
					r.AddSignal(request.Signal{Name: CODEINJECTION, Source: request.SourcePath, Fragment: fragment(rest[e+k+1:])})
					return
				}
			}
		}
	}
	mbean := false
	for i := range r.Params {
		if p := &r.Params[i]; p.Source == request.SourceJSON && strings.EqualFold(p.Name, "mbean") {
			mbean = true
			break
		}
	}
	if !mbean {
		return
	}
	for i := range r.Params {
		p := &r.Params[i]
		if p.Source != request.SourceJSON || !strings.EqualFold(p.Name, "operation") {
			continue
		}
		op := p.Value
		if k := strings.IndexByte(op, '('); k >= 0 {
			op = op[:k] // an overloaded operation's signature
		}
		for _, o := range jolokiaOps {
			if strings.EqualFold(op, o) {
				r.AddSignal(request.Signal{Name: CODEINJECTION, Source: p.Source, Param: p.Name, Fragment: fragment(p.Value)})
				return
			}
		}
	}
}

// javaParamNames runs the name and serialization checks on parameter names that the
// parser does not emit as Key parameters because they look plain (letters, digits and
// dots: java.lang.Runtime=1, class.module.classLoader.x=1, rO0ABQ=1). Header names
// and XML element paths are left out: the first are fixed, the second are markup; so
// are the paths of JSON literals (numbers, true, false, null), which no data binder
// takes as property paths.
func javaParamNames(r *request.Request) {
	for i := range r.Params {
		p := &r.Params[i]
		if p.Key || p.Literal || len(p.Name) < 5 {
			continue
		}
		switch p.Source {
		case request.SourceQuery, request.SourceForm, request.SourceCookie, request.SourceMultipart, request.SourceJSON:
		default:
			continue
		}
		name := p.Name
		f, ok := javaSerialized(name)
		if !ok && strings.IndexByte(name, '.') >= 0 {
			np := request.Param{Source: p.Source, Value: name, Key: true}
			f, ok = javaDottedNames(&np, name)
		}
		if ok {
			r.AddSignal(request.Signal{Name: CODEINJECTION, Source: p.Source, Param: p.Name, Fragment: fragment(f)})
		}
	}
}

func matchJava(p *request.Param, v string) (string, bool) {
	return matchJavaClasses(p, v, valueClasses(v))
}

// The bytes each Java check needs (see matchJavaClasses).
var (
	javaDot     = classesOf(".")
	javaParen   = classesOf("(")
	javaExprBy  = classesOf("{#")
	javaAt      = classesOf("@")
	javaBracket = classesOf("[")
	javaColon   = classesOf(":")
)

// matchJavaClasses is matchJava given the byte classes of v.
func matchJavaClasses(p *request.Param, v string, classes byteClass) (string, bool) {
	if len(v) < 4 {
		return "", false
	}
	if f, ok := javaSerialized(v); ok {
		return f, true
	}
	if p != nil && isFileNameParam(p) {
		if f, ok := jspFileName(v); ok {
			return f, true
		}
	}
	if classes.has(javaDot) {
		if f, ok := javaDottedNames(p, v); ok {
			return f, true
		}
	}
	if classes.has(javaParen) {
		if f, ok := javaCalls(v); ok {
			return f, true
		}
	}
	if classes.has(javaExprBy) {
		if f, ok := javaExpression(v); ok {
			return f, true
		}
	}
	if classes.has(javaAt) {
		if f, ok := ognlStatic(v); ok {
			return f, true
		}
	}
	if classes.has(javaBracket) {
		if f, ok := classLoaderIndex(v); ok {
			return f, true
		}
	}
	if classes.has(javaColon) {
		if f, ok := h2InitScript(v); ok {
			return f, true
		}
	}
	return "", false
}

// h2InitScript matches an H2 JDBC URL whose INIT runs code when a gadget (logback's
// DriverManagerConnectionSource, a JDBC data source bean) connects: RUNSCRIPT FROM a
// remote URL, or CREATE ALIAS / CREATE TRIGGER, which compile Java or JavaScript. An
// INIT that creates a schema or runs a script from the classpath or a file passes.
func h2InitScript(v string) (string, bool) {
	i := indexFold(v, "jdbc:h2:")
	if i < 0 {
		return "", false
	}
	for off := i; off < len(v); {
		k := indexFold(v[off:], "init=")
		if k < 0 {
			break
		}
		j := off + k + 5
		off = j
		init := window(v, j, 256)
		if e := strings.IndexByte(init, ';'); e >= 0 {
			init = init[:e]
		}
		init = strings.TrimSpace(init)
		switch {
		case hasPrefixFold(init, "runscript from"):
			src := strings.TrimLeft(init[14:], " '\"")
			for _, s := range [...]string{"http:", "https:", "ftp:", "//", "\\\\"} {
				if hasPrefixFold(src, s) {
					return around(v, j, j+14), true
				}
			}
		case hasPrefixFold(init, "create alias"), hasPrefixFold(init, "create trigger"):
			return around(v, j, j+14), true
		}
	}
	return "", false
}

// classLoaderIndex matches the class loader reached through index notation, as OGNL
// and Spring property paths allow: class['classLoader'], top['class']["classLoader"],
// class['module']['classLoader'].
func classLoaderIndex(v string) (string, bool) {
	for off := 0; off < len(v); {
		i := indexFold(v[off:], "classloader")
		if i < 0 {
			return "", false
		}
		i += off
		off = i + 11
		j := i
		if j > 0 && (v[j-1] == '\'' || v[j-1] == '"') {
			j--
		}
		if j == 0 || v[j-1] != '[' {
			continue
		}
		j--
		if j > 0 && v[j-1] == ']' {
			j--
			if j > 0 && (v[j-1] == '\'' || v[j-1] == '"') {
				j--
			}
		}
		if hasSuffixFold(v[:j], "class") || hasSuffixFold(v[:j], "module") {
			return around(v, j-5, i+11), true
		}
	}
	return "", false
}

// ---- serialized objects ----

// javaSerialized matches the Java serialization stream magic, raw, in hex or in base64.
func javaSerialized(v string) (string, bool) {
	t := strings.TrimLeft(v, " \t\r\n")
	if strings.HasPrefix(t, "\xac\xed\x00\x05") {
		i := len(v) - len(t)
		return around(v, i, i+4), true
	}
	if strings.IndexByte(v, 'A') >= 0 {
		if f, ok := javaSerializedBase64(v); ok {
			return f, true
		}
	}
	// hex at the start of a hex run.
	for off := strings.IndexByte(v, '0'); off >= 0 && off < len(v); {
		k := strings.Index(v[off:], "0005")
		if k < 0 {
			break
		}
		i := off + k - 4
		off += k + 4
		if i >= 0 && hasPrefixFold(v[i:], "aced") && (i == 0 || !isHexDigit(v[i-1])) {
			return around(v, i, i+8), true
		}
	}
	if strings.IndexByte(v, '$') >= 0 {
		if i := strings.Index(v, "$$BCEL$$"); i >= 0 {
			return around(v, i, i+8), true
		}
	}
	return "", false
}

// javaSerializedBase64 matches the serialization magic in base64.
func javaSerializedBase64(v string) (string, bool) {
	// Every form holds an 'A': look around each.
	for i := range byteIndexes(v, 'A') {
		switch {
		case i >= 3 && v[i-3:i] == "rO0" && i+1 < len(v) && v[i+1] == 'B':
			// At the start of a token: rO0AB followed by the 2 bits of 0x05 (01xxxx).
			st := i - 3
			if (st == 0 || !isB64Byte(v[st-1])) && (i+2 == len(v) || isB64After05(v[i+2])) {
				return around(v, st, i+2), true
			}
		case i >= 3 && v[i-2:i] == "zt" && i+2 < len(v) && v[i+1] == 'A' && strings.IndexByte("Kaq6", v[i-3]) >= 0 && 'U' <= v[i+2] && v[i+2] <= 'X':
			// The magic one byte into a base64 stream: [Kaq6]ztAA[U-X].
			return around(v, i-3, i+3), true
		case i >= 3 && v[i-2:i] == "7Q" && v[i-3] == 's' && i+1 < len(v) && v[i+1] == 'F' && i >= 4 && strings.IndexByte("CGKOSWaeimquy26+-", v[i-4]) >= 0:
			// Two bytes into a base64 stream: s7QAF after the right digit.
			return around(v, i-4, i+2), true
		}
	}
	return "", false
}

func isB64Byte(c byte) bool { return isAlnum(c) || c == '+' || c == '/' || c == '-' || c == '_' }

// isB64After05 reports a base64 digit whose top two bits are 01 (the end of 0x05).
func isB64After05(c byte) bool { return 'Q' <= c && c <= 'Z' || 'a' <= c && c <= 'f' }

// ---- JSP upload ----

// jspFileName matches a file name that a servlet container would run as a JSP.
func jspFileName(v string) (string, bool) {
	name := v
	if i := strings.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	name = strings.TrimRight(name, " .\t")
	if hasSuffixFold(name, "::$data") {
		name = strings.TrimRight(name[:len(name)-7], " .\t")
	}
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return "", false
	}
	ext := strings.TrimLeft(name[dot+1:], " ")
	if strings.EqualFold(ext, "jsp") || strings.EqualFold(ext, "jspx") {
		return fragment(v), true
	}
	return "", false
}

// ---- dotted names ----

// Kinds of Java names, for javaNames.
const (
	jnStrong = 1 << iota // matches wherever it stands (outside stack traces and imports)
	jnWeak               // matches as the whole value only
	jnClass              // names one class: an exception-like name does not exempt it
	jnWhole              // a polymorphic-JSON gadget: matches as exactly the whole value
)

type javaName struct {
	segs []string
	kind int
}

// javaNames maps the first segment of a dotted name to the names under it.
var javaNames = map[string][]javaName{}

func init() {
	add := func(kind int, names string) {
		for _, n := range strings.Fields(names) {
			segs := strings.Split(n, ".")
			javaNames[segs[0]] = append(javaNames[segs[0]], javaName{segs: segs, kind: kind})
		}
	}
	// Packages whose members only exploits send (exceptions and stack frames aside).
	add(jnStrong, `java.lang.reflect javax.script jdk.nashorn com.opensymphony.xwork2
		com.sun.org.apache
		org.apache.commons.collections.functors org.apache.commons.collections4.functors`)
	// Classes that spawn processes, load code or end a known gadget chain.
	add(jnStrong|jnClass, `java.lang.runtime java.lang.processbuilder java.lang.processimpl
		java.lang.unixprocess java.net.urlclassloader java.beans.xmldecoder java.beans.eventhandler
		javax.naming.initialcontext javax.el.elprocessor
		javax.management.badattributevalueexpexception
		sun.reflect.annotation.annotationinvocationhandler com.sun.rowset.jdbcrowsetimpl
		com.sun.org.apache.xalan.internal.xsltc.trax.templatesimpl
		com.sun.org.apache.bcel.internal.util.classloader
		com.sun.xml.internal.bind.v2.runtime.unmarshaller.base64data
		com.sun.xml.internal.ws.encoding.xml.xmlmessage
		ognl.ognlcontext ognl.ognlruntime ognl.memberaccess ognl.ognlutil
		org.apache.commons.beanutils.beancomparator org.apache.xbean.propertyeditor.jndiconverter
		org.apache.naming.factory.beanfactory
		org.springframework.beans.factory.config.propertypathfactorybean
		org.codehaus.groovy.runtime.methodclosure org.codehaus.groovy.runtime.convertedclosure
		bsh.interpreter bsh.xthis groovy.lang.groovyshell
		freemarker.template.utility.execute freemarker.template.utility.objectconstructor
		freemarker.template.utility.jythonruntime com.tangosol.coherence.mvel2.sh.shellsession
		com.mchange.v2.c3p0.wrapperconnectionpooldatasource
		com.mchange.v2.c3p0.jndirefforwardingdatasource
		ch.qos.logback.core.db.jndiconnectionsource com.sun.security.auth.module.jndiloginmodule`)
	// Gadgets of Jackson's polymorphic typing (the ["class", {...}] array form and
	// "@class" keys) that load a bean definition, a script or a JNDI name: matched as
	// the whole value only, as configuration files name them too.
	add(jnWhole, `org.springframework.context.support.classpathxmlapplicationcontext
		org.springframework.context.support.filesystemxmlapplicationcontext
		org.apache.commons.configuration.jndiconfiguration
		org.apache.commons.configuration2.jndiconfiguration
		ch.qos.logback.core.db.drivermanagerconnectionsource
		org.apache.ibatis.datasource.jndi.jndidatasourcefactory
		org.apache.shiro.jndi.jndiobjectfactory org.apache.shiro.realm.jndi.jndirealmfactory
		org.apache.openjpa.ee.jndimanagedruntime
		org.apache.aries.transaction.jms.recoverablepooledconnectionfactory
		br.com.anteros.dbcp.anterosdbcpconfig
		com.ibatis.sqlmap.engine.transaction.jta.jtatransactionconfig`)
	// JDK packages whose classes type-injection payloads instantiate: suspicious as the
	// whole value only.
	add(jnWeak, `java.lang java.io java.net java.nio java.beans java.rmi javax.naming
		javax.management org.omg`)
}

// Segment kinds, for javaSegs.
const (
	segRuntime   = 1 << iota // runtime, processbuilder
	segGadget                // a commons-collections transformer, closure or factory
	segXMLCtx                // a Spring XML application context
	segExecAfter             // a member of Runtime/ProcessBuilder: getruntime, exec, start, command
	segClass                 // "class"
	segLoader                // "module", "classloader" (after "class")
)

var javaSegs = map[string]uint8{
	"runtime": segRuntime, "processbuilder": segRuntime,
	"invokertransformer": segGadget, "instantiatetransformer": segGadget,
	"chainedtransformer": segGadget, "constanttransformer": segGadget,
	"clonetransformer": segGadget, "instantiatefactory": segGadget,
	"prototypeclonefactory": segGadget, "prototypeserializationfactory": segGadget,
	"forclosure": segGadget, "whileclosure": segGadget,
	"classpathxmlapplicationcontext": segXMLCtx, "filesystemxmlapplicationcontext": segXMLCtx,
	"getruntime": segExecAfter, "exec": segExecAfter, "start": segExecAfter, "command": segExecAfter,
	"class":       segClass,
	"classloader": segLoader,
}

// wordFilter is a cheap membership pre-test for the keys of a word map: for each word
// length below 32, the set of first letters the map's words of that length have.
type wordFilter [32]uint32

func (f *wordFilter) add(w string) {
	if len(w) < len(f) && 'a' <= w[0] && w[0] <= 'z' {
		f[len(w)] |= 1 << (w[0] - 'a')
	}
}

// may reports whether the word w (any case) can be one of the filter's words.
func (f *wordFilter) may(w string) bool {
	if len(w) >= len(f) || !isAlpha(w[0]) {
		return false
	}
	return f[len(w)]&(1<<(lowerASCII(w[0])-'a')) != 0
}

var rootFilter, segFilter wordFilter

func init() {
	for k := range javaNames {
		rootFilter.add(k)
	}
	for k := range javaSegs {
		segFilter.add(k)
	}
}

// maxSegs bounds the segments of one dotted name that are looked at.
const maxSegs = 16

// javaRun is one dotted name found in a value: v[start:end], cut into segments.
type javaRun struct {
	start, end int
	n          int
	seg        [maxSegs][2]int // [from, to) of each segment in v
}

func (r *javaRun) s(v string, i int) string { return v[r.seg[i][0]:r.seg[i][1]] }

// isJavaIdentByte reports bytes of Java identifiers ('$' for inner classes).
func isJavaIdentByte(c byte) bool { return isIdent(c) || c == '$' }

// javaDottedNames looks at every dotted name (a.b.c) in v.
func javaDottedNames(p *request.Param, v string) (string, bool) {
	var sawGadget, sawRuntime bool
	gadgetAt := -1
	for off := 0; off < len(v); {
		k := strings.IndexByte(v[off:], '.')
		if k < 0 {
			break
		}
		dot := off + k
		s := dot
		for s > 0 && isJavaIdentByte(v[s-1]) {
			s--
		}
		e := dot + 1
		for e < len(v) && (isJavaIdentByte(v[e]) || v[e] == '.') {
			e++
		}
		off = e
		if s == dot || e == dot+1 || isDigit(v[s]) {
			continue // ".x", "x." or a number: not a dotted name
		}
		var r javaRun
		r.start, r.end = s, e
		splitRun(&r, v)
		if r.n < 2 {
			continue
		}
		kinds := runSegKinds(v, &r)
		if f, ok := judgeRun(p, v, &r, kinds); ok {
			return f, true
		}
		if kinds&segGadget != 0 && !exemptRun(v, &r, false) {
			sawGadget = true
			gadgetAt = s
		}
		if kinds&segRuntime != 0 {
			sawRuntime = true
		}
		if sawGadget && sawRuntime {
			return around(v, gadgetAt, gadgetAt+len("invokertransformer")), true
		}
	}
	return "", false
}

// splitRun cuts the dotted name v[r.start:r.end] into its segments, at dots and at the
// '$' of inner classes (XMLMessage$XmlDataSource), dropping empty segments.
func splitRun(r *javaRun, v string) {
	i := r.start
	for i < r.end {
		j := i
		for j < r.end && v[j] != '.' && v[j] != '$' {
			j++
		}
		if j > i && r.n < maxSegs {
			r.seg[r.n] = [2]int{i, j}
			r.n++
		}
		i = j + 1
	}
}

// lowerInto folds s into buf and returns the folded bytes, or nil when s does not fit.
func lowerInto(buf []byte, s string) []byte {
	if len(s) > len(buf) {
		return nil
	}
	for i := 0; i < len(s); i++ {
		buf[i] = lowerASCII(s[i])
	}
	return buf[:len(s)]
}

// runSegKinds returns the union of the segment kinds of r.
func runSegKinds(v string, r *javaRun) uint8 {
	var kinds uint8
	var buf [32]byte
	for i := 0; i < r.n; i++ {
		seg := r.s(v, i)
		if !segFilter.may(seg) {
			continue
		}
		if w := lowerInto(buf[:], seg); w != nil {
			kinds |= javaSegs[string(w)]
		}
	}
	return kinds
}

// judgeRun judges one dotted name on its own.
func judgeRun(p *request.Param, v string, r *javaRun, kinds uint8) (string, bool) {
	var buf [32]byte
	first := r.s(v, 0)
	// A JVM type descriptor: Lcom.sun.rowset.JdbcRowSetImpl;
	for len(first) > 1 && first[0] == 'L' && isLowerStart(first[1:]) && rootFilter.may(first[1:]) && javaNames[string(lowerInto(buf[:], first[1:]))] != nil {
		r.seg[0][0]++
		first = first[1:]
	}
	isType := p != nil && strings.HasSuffix(p.Name, "@type")
	if kinds == 0 && !isType && !rootFilter.may(first) {
		return "", false
	}
	whole := p != nil && p.Source != request.SourcePath && isWholeValue(v, r.start, r.end)
	var root []byte
	if rootFilter.may(first) {
		root = lowerInto(buf[:], first)
	}
	for _, name := range javaNames[string(root)] {
		if !runHasPrefix(v, r, name.segs) {
			continue
		}
		switch {
		case name.kind&jnStrong != 0:
			if !exemptRun(v, r, name.kind&jnClass != 0) {
				return around(v, r.start, r.end), true
			}
		case name.kind&jnWhole != 0:
			if whole && p.Source != request.SourceXML && r.n == len(name.segs) {
				return around(v, r.start, r.end), true
			}
		case name.kind&jnWeak != 0:
			if whole && r.n >= 3 && isUpperStart(r.s(v, r.n-1)) && !exemptRun(v, r, false) {
				return around(v, r.start, r.end), true
			}
		}
	}
	// java.Runtime, java.evil.ProcessBuilder: "java" and a process class ending the name
	// or followed by one of its members (not java.runtime.version).
	if string(root) == "java" && kinds&segRuntime != 0 {
		for i := 1; i < r.n; i++ {
			if javaSegKind(v, r, i)&segRuntime == 0 {
				continue
			}
			if (i == r.n-1 || javaSegKind(v, r, i+1)&segExecAfter != 0) && !exemptRun(v, r, true) {
				return around(v, r.start, r.end), true
			}
		}
	}
	// FileSystemXmlApplicationContext("http://..."): a bean definition loaded from a URL.
	if kinds&segXMLCtx != 0 && r.end < len(v) && v[r.end] == '(' && javaSegKind(v, r, r.n-1)&segXMLCtx != 0 {
		return around(v, r.start, r.end+1), true
	}
	// class.module.classLoader, class.classLoader
	if kinds&segLoader != 0 && kinds&segClass != 0 {
		for i := 0; i+1 < r.n; i++ {
			if javaSegKind(v, r, i)&segClass == 0 {
				continue
			}
			k := i + 1
			if strings.EqualFold(r.s(v, k), "module") && k+1 < r.n {
				k++
			}
			if strings.EqualFold(r.s(v, k), "classloader") {
				return around(v, r.seg[i][0], r.seg[k][1]), true
			}
		}
	}
	// @type: "com.example.Anything" (fastjson AutoType)
	if isType && whole && r.n >= 3 && isLowerStart(first) && isUpperStart(r.s(v, r.n-1)) {
		return around(v, r.start, r.end), true
	}
	return "", false
}

func javaSegKind(v string, r *javaRun, i int) uint8 {
	seg := r.s(v, i)
	if !segFilter.may(seg) {
		return 0
	}
	var buf [32]byte
	if w := lowerInto(buf[:], seg); w != nil {
		return javaSegs[string(w)]
	}
	return 0
}

func isLowerStart(s string) bool { return s != "" && 'a' <= s[0] && s[0] <= 'z' }
func isUpperStart(s string) bool { return s != "" && 'A' <= s[0] && s[0] <= 'Z' }

// runHasPrefix reports whether the segments of r begin with segs (folded).
func runHasPrefix(v string, r *javaRun, segs []string) bool {
	if r.n < len(segs) {
		return false
	}
	for i, s := range segs {
		if !strings.EqualFold(r.s(v, i), s) {
			return false
		}
	}
	return true
}

// isWholeValue reports whether v[start:end] is all of v but spaces, quotes and the
// brackets and semicolon of a type descriptor.
func isWholeValue(v string, start, end int) bool {
	for i := 0; i < start; i++ {
		if !isSpace(v[i]) && v[i] != '"' && v[i] != '\'' && v[i] != '[' {
			return false
		}
	}
	for i := end; i < len(v); i++ {
		if !isSpace(v[i]) && v[i] != '"' && v[i] != '\'' && v[i] != ';' && v[i] != '[' && v[i] != ']' {
			return false
		}
	}
	return true
}

// exemptRun reports a dotted name that is part of a stack trace, an import statement,
// or (unless class is set) names an exception or error class.
func exemptRun(v string, r *javaRun, class bool) bool {
	// Stack frame: name(File.java:12), name(Native Method), name(Unknown Source).
	if r.end < len(v) && v[r.end] == '(' {
		rest := v[r.end+1:]
		if len(rest) > 120 {
			rest = rest[:120]
		}
		if k := strings.IndexByte(rest, ')'); k >= 0 {
			in := rest[:k]
			if indexFold(in, ".java") >= 0 || indexFold(in, "native method") >= 0 || indexFold(in, "unknown source") >= 0 ||
				indexFold(in, ".kt:") >= 0 || indexFold(in, ".groovy:") >= 0 || indexFold(in, ".scala:") >= 0 {
				return true
			}
		}
	}
	// import java.lang.reflect.Method;  import static ...
	i := r.start
	for i > 0 && isSpace(v[i-1]) {
		i--
	}
	if i < r.start && (hasSuffixFold(v[:i], "import") || hasSuffixFold(v[:i], "import static")) {
		return true
	}
	if class {
		return false
	}
	for k := 0; k < r.n; k++ {
		seg := r.s(v, k)
		if isUpperStart(seg) && (hasSuffixFold(seg, "exception") || hasSuffixFold(seg, "error")) {
			return true
		}
	}
	return false
}

// ---- calls ----

// javaCalls matches process and reflection idioms written as Java (or Groovy) calls. It
// looks at the name before each opening parenthesis.
func javaCalls(v string) (string, bool) {
	var buf [20]byte
	for i := range byteIndexes(v, '(') {
		e := i
		for e > 0 && isSpace(v[e-1]) {
			e--
		}
		s := e
		for s > 0 && isJavaIdentByte(v[s-1]) && e-s < len(buf) {
			s--
		}
		if s == e || s > 0 && isJavaIdentByte(v[s-1]) {
			continue
		}
		switch string(lowerInto(buf[:], v[s:e])) {
		case "t":
			// T(java.lang.Runtime): a Spring EL type reference.
			if end, ok := javaClassRef(v, skipSpaces(v, i+1), 1); ok {
				end = skipSpaces(v, end)
				if end < len(v) && v[end] == ')' {
					return around(v, s, end+1), true
				}
			}
		case "exec":
			// Runtime.getRuntime().exec(, or r = Runtime.getRuntime(); r.exec(
			if j := callBefore(v, s, "getruntime"); j >= 0 {
				return around(v, j, i+1), true
			}
			if s > 0 && v[s-1] == '.' {
				if j := indexFold(v[:s], "getruntime("); j >= 0 {
					return around(v, j, i+1), true
				}
			}
		case "forname":
			// "".getClass().forName(: a static method reached through an instance.
			if j := callBefore(v, s, "getclass"); j >= 0 {
				return around(v, j, i+1), true
			}
		case "processbuilder":
			// new ProcessBuilder(...).start()
			if k := indexFold(v[i:], ".start("); k >= 0 {
				return around(v, s, i+k+7), true
			}
		case "execute":
			// Groovy: "id".execute(), 'ls -la'.execute()
			j := s - 1
			if j > 1 && v[j] == '.' && (v[j-1] == '"' || v[j-1] == '\'') {
				if q := strings.LastIndexByte(v[:j-1], v[j-1]); q >= 0 && j-1-q <= 200 {
					return around(v, q, i+1), true
				}
			}
		case "getmethod", "getdeclaredmethod":
			// getMethod("getRuntime"), getMethod("exec", String.class)
			j := skipSpaces(v, i+1)
			if j < len(v) && (v[j] == '"' || v[j] == '\'') {
				for _, m := range [...]string{"getruntime", "exec"} {
					end := j + 1 + len(m)
					if hasPrefixFold(v[j+1:], m) && end < len(v) && v[end] == v[j] {
						return around(v, s, end+1), true
					}
				}
			}
		}
	}
	return "", false
}

// callBefore reports whether the call whose name starts at v[s] is chained on a call
// of the lower-case name m with no arguments ("m().", spaces allowed), and returns the
// index where m starts, or -1.
func callBefore(v string, s int, m string) int {
	j := s
	for j > 0 && isSpace(v[j-1]) {
		j--
	}
	if j == 0 || v[j-1] != '.' {
		return -1
	}
	j--
	for j > 0 && isSpace(v[j-1]) {
		j--
	}
	if j < 2 || v[j-1] != ')' {
		return -1
	}
	j--
	for j > 0 && isSpace(v[j-1]) {
		j--
	}
	if j == 0 || v[j-1] != '(' {
		return -1
	}
	j--
	for j > 0 && isSpace(v[j-1]) {
		j--
	}
	if j < len(m) || !hasSuffixFold(v[:j], m) {
		return -1
	}
	j -= len(m)
	if j > 0 && isJavaIdentByte(v[j-1]) {
		return -1
	}
	return j
}

// javaClassRef reads a fully qualified class name at v[i:]: lower-case package
// segments, at least minDots dots, and a last segment starting upper-case. It returns
// the index after it.
func javaClassRef(v string, i, minDots int) (int, bool) {
	dots := 0
	segStart := i
	j := i
	for {
		if j >= len(v) || !isAlpha(v[j]) && v[j] != '_' && v[j] != '$' {
			return 0, false
		}
		segStart = j
		for j < len(v) && isJavaIdentByte(v[j]) {
			j++
		}
		if j+1 < len(v) && v[j] == '.' && (isAlpha(v[j+1]) || v[j+1] == '_') {
			if !isLowerStart(v[segStart:j]) && v[segStart] != '_' {
				return 0, false
			}
			dots++
			j++
			continue
		}
		break
	}
	if dots < minDots || !isUpperStart(v[segStart:j]) {
		return 0, false
	}
	return j, true
}

// ---- expressions ----

// elIdioms are reflection and process calls that have no business inside a template
// or expression-language expression sent by a client.
var elIdioms = [...]string{
	"getclass(", "forname(", "getruntime(", "processbuilder", "scriptengine",
	"newinstance(", "getmethod(", "getdeclaredmethod(", "classloader",
	"getenginebyname(", "defineclass(", "loadclass(",
}

// elJavaOnly are idioms looked for in the expressions of Java languages only (#{...},
// %{...}, *{...}).
var elJavaOnly = [...]string{".exec(", ".invoke("}

// ognlContextVars are the OGNL context variables Struts exposes.
var ognlContextVars = [...]string{
	"_memberaccess", "context", "application", "session", "request", "parameters", "attr",
	"root", "this", "container", "ognlutil",
}

// javaExpression matches OGNL and Java expression-language payloads.
func javaExpression(v string) (string, bool) {
	if i := indexFold(v, "#_memberaccess"); i >= 0 {
		return around(v, i, i+14), true
	}
	// Text4Shell (CVE-2022-42889): ${script:javascript:...} runs a script engine.
	for off := 0; off < len(v); {
		i := indexFold(v[off:], "${script:")
		if i < 0 {
			break
		}
		i += off
		off = i + 9
		j := i + 9
		for j < len(v) && (isAlnum(v[j]) || v[j] == '-' || v[j] == '_') {
			j++
		}
		if j > i+9 && j < len(v) && v[j] == ':' {
			return around(v, i, j+1), true
		}
	}
	for i := range byteIndexes(v, '{') {
		if i == 0 {
			continue
		}
		open := v[i-1]
		if open != '$' && open != '#' && open != '%' && open != '*' && open != '{' {
			continue
		}
		// OGNL: %{#x}, %{(#x=...)}, %{@Class@m}, ${(#x=...)}, ${#context...}
		j := i + 1
		for j < len(v) && (v[j] == '(' || isSpace(v[j])) {
			j++
		}
		paren := j > i+1 && strings.IndexByte(v[i+1:j], '(') >= 0
		if j+1 < len(v) && (open == '%' || open == '$') {
			switch v[j] {
			case '#':
				if open == '%' && (isAlpha(v[j+1]) || v[j+1] == '_') {
					return around(v, i-1, j+2), true
				}
				if open == '$' && (paren || ognlVar(v, j+1)) {
					return around(v, i-1, j+2), true
				}
			case '@':
				if _, ok := javaClassRef(v, j+1, 1); ok {
					return around(v, i-1, j+2), true
				}
			}
		}
		// Reflection or process idioms inside the expression.
		end := elEnd(v, i+1)
		body := v[i+1 : end]
		for _, w := range elIdioms {
			if k := indexFold(body, w); k >= 0 {
				return around(v, i-1, i+1+k+len(w)), true
			}
		}
		if open == '#' || open == '%' || open == '*' {
			// Not in ${...} and {{...}}: JavaScript template literals and Angular
			// expressions call exec() on regular expressions.
			for _, w := range elJavaOnly {
				if k := indexFold(body, w); k >= 0 {
					return around(v, i-1, i+1+k+len(w)), true
				}
			}
		}
	}
	return "", false
}

// ognlStatic matches OGNL static member access: @java.lang.Runtime@getRuntime(),
// @ognl.OgnlContext@DEFAULT_MEMBER_ACCESS.
func ognlStatic(v string) (string, bool) {
	for i := range byteIndexes(v, '@') {
		if end, ok := javaClassRef(v, i+1, 1); ok && end+1 < len(v) && v[end] == '@' && (isAlpha(v[end+1]) || v[end+1] == '_') {
			return around(v, i, end+2), true
		}
	}
	return "", false
}

// ognlVar reports an OGNL context variable at v[i:] followed by what uses it.
func ognlVar(v string, i int) bool {
	j := i
	for j < len(v) && isIdent(v[j]) {
		j++
	}
	if j == i || j >= len(v) {
		return false
	}
	name := v[i:j]
	for _, w := range ognlContextVars {
		if strings.EqualFold(name, w) {
			return true
		}
	}
	// #x=..., an assignment: OGNL, not a template helper.
	k := skipSpaces(v, j)
	return k+1 < len(v) && v[k] == '=' && v[k+1] != '='
}

// elEnd returns the index of the brace closing the expression whose body starts at i
// (nested braces counted), or the end of v, looking no further than 1024 bytes.
func elEnd(v string, i int) int {
	limit := i + 1024
	if limit > len(v) {
		limit = len(v)
	}
	depth := 0
	for j := i; j < limit; j++ {
		switch v[j] {
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return limit
}
