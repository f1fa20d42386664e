package detect

import "github.com/rampartwaf/rampart/internal/request"

// isFileNameParam reports whether p carries the name of an uploaded file: a multipart
// file name, or a header such as X-Filename, X-File-Name or X-File_Name. The families
// that judge upload names (java.go for JSP, php.go for PHP scripts) share it.
func isFileNameParam(p *request.Param) bool {
	switch p.Source {
	case request.SourceMultipart:
		return hasSuffixFold(p.Name, ".filename")
	case request.SourceHeader:
		return indexFold(p.Name, "filename") >= 0 || indexFold(p.Name, "file-name") >= 0 || indexFold(p.Name, "file_name") >= 0
	}
	return false
}
