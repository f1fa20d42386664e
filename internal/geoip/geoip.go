// Package geoip reads the country of an IP address from a MaxMind DB file (GeoLite2 or
// GeoIP2 Country or City, or any database with the same country.iso_code record), for
// the `country` field of rules.
package geoip

import (
	"fmt"
	"net/netip"
	"sync"

	"github.com/oschwald/maxminddb-golang/v2"
)

// DB is an open database. It is safe for concurrent use.
type DB struct {
	db    *maxminddb.Reader
	codes sync.Map // string -> string: one copy of each country code
}

// Open opens the database at path and checks that it has country records.
func Open(path string) (*DB, error) {
	db, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geoip: %w", err)
	}
	return &DB{db: db}, nil
}

// record is the part of a record Rampart reads.
type record struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
}

// Country returns the ISO 3166-1 alpha-2 code (like "FR") of the country of ip, or ""
// when the database does not know it.
func (d *DB) Country(ip netip.Addr) string {
	if d == nil || !ip.IsValid() {
		return ""
	}
	var rec record
	if err := d.db.Lookup(ip.Unmap()).Decode(&rec); err != nil {
		return ""
	}
	code := rec.Country.ISOCode
	if code == "" {
		return ""
	}
	// Keep one copy of each code, so a request does not hold on to a fresh string.
	if v, ok := d.codes.Load(code); ok {
		return v.(string)
	}
	v, _ := d.codes.LoadOrStore(code, code)
	return v.(string)
}

// Close releases the database.
func (d *DB) Close() error { return d.db.Close() }
