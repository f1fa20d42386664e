// Package geoip reads the country of an IP address from a MaxMind DB (.mmdb) file, for
// the `country` field of rules. Two record layouts are read:
//
//   - MaxMind's, with the code at country.iso_code: GeoLite2 and GeoIP2 Country and
//     City, DB-IP (lite or not) in MMDB form;
//   - a top-level country_code: the country databases of ip-location-db.
//
// Open finds out which layout a database has, and refuses a database that has neither
// (an ASN database, say) rather than open one on which every country rule would
// silently never match.
package geoip

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"strings"

	"github.com/oschwald/maxminddb-golang/v2"
)

// Errors of Open, for errors.Is. A file that cannot be read gives the file system's
// error instead.
var (
	ErrNotMMDB    = errors.New("not a valid MaxMind DB file")
	ErrNoCountry  = errors.New("no country records")
	errNoNetworks = errors.New("no networks")
)

// layout is where a record keeps the country code.
type layout struct {
	path []any  // for Result.DecodePath
	name string // for messages
}

// layouts are tried in this order on each record Open probes.
var layouts = []layout{
	{[]any{"country", "iso_code"}, "country.iso_code (MaxMind GeoLite2/GeoIP2 Country or City, DB-IP)"},
	{[]any{"country_code"}, "country_code (ip-location-db)"},
}

// probeNetworks is how many networks Open reads, at most, looking for a country code.
// A country database has one in nearly every record; a database of another kind (ASN,
// connection type) has none in any.
const probeNetworks = 4096

// DB is an open database. It is safe for concurrent use.
type DB struct {
	db     *maxminddb.Reader
	layout layout
}

// Open opens the database at path and checks that it has country records in one of
// the layouts it reads: it reads networks from the start of the database until one
// has a country code (at most probeNetworks of them). The error wraps ErrNotMMDB when
// the file is not a MaxMind DB, ErrNoCountry when it has no country records, or the
// file system's error.
func Open(path string) (*DB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot read %q: %w", path, pe.Err)
		}
		return nil, fmt.Errorf("%q is %w (%s)", path, ErrNotMMDB, strings.TrimPrefix(err.Error(), "error opening database: "))
	}
	d := &DB{db: r}
	if err := d.findLayout(); err != nil {
		r.Close()
		kind := ""
		if t := r.Metadata.DatabaseType; t != "" {
			kind = fmt.Sprintf(" (database type %q)", t)
		}
		return nil, fmt.Errorf("%q%s %w", path, kind, err)
	}
	return d, nil
}

// Check opens the database at path, as Open does, and closes it: config validation
// calls it so that `rampart check` finds a database that Rampart could not use.
func Check(path string) error {
	d, err := Open(path)
	if err != nil {
		return err
	}
	return d.Close()
}

// findLayout reads networks until one has a country code in a layout Rampart reads,
// and keeps that layout.
func (d *DB) findLayout() error {
	n := 0
	for res := range d.db.Networks() {
		if err := res.Err(); err != nil {
			return fmt.Errorf("is %w (%v)", ErrNotMMDB, err)
		}
		for _, l := range layouts {
			var code string
			// A record of another shape (country as a string, say) is an error
			// here; it only means this is not the layout.
			if res.DecodePath(&code, l.path...) == nil && code != "" {
				d.layout = l
				return nil
			}
		}
		if n++; n == probeNetworks {
			break
		}
	}
	var names []string
	for _, l := range layouts {
		names = append(names, l.name)
	}
	if n == 0 {
		return fmt.Errorf("has %w: it has %w", ErrNoCountry, errNoNetworks)
	}
	what := fmt.Sprintf("its %d networks", n)
	if n == probeNetworks {
		what = fmt.Sprintf("its first %d networks", n)
	}
	return fmt.Errorf("has %w: none of %s has a country code at %s", ErrNoCountry, what, strings.Join(names, " or "))
}

// Country returns the ISO 3166-1 alpha-2 code (like "FR") of the country of ip, or ""
// when the database does not know it.
func (d *DB) Country(ip netip.Addr) string {
	if d == nil || !ip.IsValid() {
		return ""
	}
	var code string
	// The reader keeps one copy of each short string it decodes: the code returned
	// is shared, not a fresh string per lookup.
	if err := d.db.Lookup(ip.Unmap()).DecodePath(&code, d.layout.path...); err != nil {
		return ""
	}
	return code
}

// Layout names where the database keeps the country code, for messages.
func (d *DB) Layout() string { return d.layout.name }

// Close releases the database.
func (d *DB) Close() error { return d.db.Close() }
