// Package parse turns the raw parts of a Request (URI, headers, cookies, body, WebSocket
// message) into its Params: path segments, query strings, urlencoded and multipart
// forms, JSON flattened to paths like "user.emails[0]", XML elements and attributes,
// cookies and headers. It records what it noticed (malformed JSON, limits reached, a body
// without a Content-Type) as request.Flags and decides nothing.
//
// Call Fill once per Request, with the Limits in force.
//
// What becomes a parameter, in order:
//
//   - path: each non-empty segment of the decoded path, "path[0]", "path[1]"...;
//   - query: each name=value pair, decoded once (see urlencoded.go);
//   - headers: see boringHeaders in headers.go (never a credential: of Authorization
//     only a lookup, a JWT's header and a Basic user name), and cookies;
//   - body: decoded first when it has a Content-Encoding (gzip, deflate: see
//     encoding.go), then by Content-Type, sniffed when it is missing or vague (see
//     body.go), with JSON (json.go), XML (xml.go), multipart (multipart.go) and form
//     parsers;
//   - a WebSocket message instead of all of the above: JSON flattened as a JSON body
//     but with SourceMessage (also the JSON payload of a Socket.IO packet, and several
//     documents one per line or record, as SignalR sends them; a STOMP frame's headers
//     and body, see stomp.go), or the whole text as one value named "".
//
// A JSON body or message may be a sequence of documents, one per line or record (JSON
// Lines, RFC 7464 text sequences, SignalR): each is flattened as if it were alone.
//
// Names that are not plain identifiers (query and form names, JSON keys, cookie and
// multipart field names) are also taken as Key parameters, whose Value is the name.
//
// A name sent without a value is a parameter with an empty value ("?debug", "a=",
// {"a":""}, "<a/>"), so that rules can test that it exists; one with neither a name nor
// a value is not taken. JSON numbers, true, false and null are parameters marked
// Literal (see json.go), which detectors skip.
//
// Limits are enforced while parsing: the parameter limit sets FlagTooManyParams and the
// nesting limit FlagTooDeep, and parsing stops there; a body decoded to more than
// Limits.BodyBytes sets FlagBodyTruncated. Data that does not parse as its type says
// sets FlagMalformed: an invalid percent escape in a query or form, a multipart body
// the parser had to tolerate, a body that does not decode.
package parse
