// Package replay measures detection offline: it reads labelled requests and values from
// JSON Lines files (optionally gzipped), builds each into a *request.Request the way the
// HTTP proxy would, judges it with the engine, and reports per source, label and
// category how many were blocked and passed, the true-positive and true-negative rates,
// the balanced accuracy, and the worst misses and false positives.
//
// The input schema is the one of the shared corpus (requests and values records; see
// Record). A value record is judged twice, as a query parameter and as a JSON body
// field; a value attack counts as caught only when both placements were blocked, and a
// benign value counts as passed only when both placements passed, so the rates are the
// worst case over placements. Per-placement counts are reported beside them.
//
// Run reads its inputs as a stream: memory stays bounded whatever the number of lines,
// only counters and the top-N worst examples per group are kept. Start with Run and
// Options; WriteTable and WriteJSON print the Report.
package replay
