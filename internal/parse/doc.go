// Package parse turns the raw parts of a Request (URI, headers, cookies, body, WebSocket
// message) into its Params: query strings, urlencoded and multipart forms, JSON flattened
// to paths like "user.emails[0]", XML, cookies and headers. It records what it noticed
// (malformed JSON, limits reached) as request.Flags and decides nothing.
//
// Call Fill once per Request, with the Limits in force.
package parse
