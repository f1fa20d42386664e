// Package detect holds Rampart's detectors: one file per signal family (sqli.go, xss.go,
// cmdexe.go, traversal.go, ..., anomaly.go) and the signal names as constants. A detector
// looks at parameter values (and their decoded variants) and appends request.Signals.
//
// Call Inspect with a parsed Request; IsAttack tells attack signals from anomalies.
package detect
