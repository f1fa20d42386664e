// Package geoiptest writes small MaxMind DB files for tests, in the record layouts of
// the databases users have. Only tests import it: its MaxMind DB writer stays out of
// the binary.
package geoiptest

import (
	"net"
	"os"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Layout is the shape of the records of a test database.
type Layout int

const (
	// Country is GeoLite2-Country's: {"country": {"iso_code": "FR", ...}, ...}.
	Country Layout = iota
	// City is GeoLite2-City's, with the country among other things.
	City
	// IPLocationDB is the country database of ip-location-db: {"country_code": "FR"}.
	IPLocationDB
	// NameAndCode has the country's name as a string under "country" and its code
	// under "country_code" (IPinfo's layout): "country" is not a map here.
	NameAndCode
	// ASN has no country at all, like GeoLite2-ASN; the codes given are ignored.
	ASN
	// RegisteredOnly has only registered_country.iso_code, not country.
	RegisteredOnly
)

// WriteDB writes a GeoLite2-Country-like database at path: each CIDR prefix to its
// ISO country code.
func WriteDB(t testing.TB, path string, countries map[string]string) {
	t.Helper()
	Write(t, path, Country, countries)
}

// Write writes a database of the given layout at path: each CIDR prefix to a record
// with its ISO country code (IPv4 and IPv6 prefixes alike).
func Write(t testing.TB, path string, l Layout, countries map[string]string) {
	t.Helper()
	if err := write(path, l, countries); err != nil {
		t.Fatal(err)
	}
}

func write(path string, l Layout, countries map[string]string) error {
	types := map[Layout]string{
		Country: "GeoLite2-Country", City: "GeoLite2-City", IPLocationDB: "ip-location-db country",
		NameAndCode: "ipinfo lite", ASN: "GeoLite2-ASN", RegisteredOnly: "GeoLite2-Country",
	}
	w, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: types[l], RecordSize: 24, IncludeReservedNetworks: true})
	if err != nil {
		return err
	}
	for prefix, code := range countries {
		_, n, err := net.ParseCIDR(prefix)
		if err != nil {
			return err
		}
		if err := w.Insert(n, record(l, code)); err != nil {
			return err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := w.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// record is one network's data in layout l.
func record(l Layout, code string) mmdbtype.Map {
	country := mmdbtype.Map{
		"geoname_id": mmdbtype.Uint32(3017382),
		"iso_code":   mmdbtype.String(code),
		"names":      mmdbtype.Map{"en": mmdbtype.String("Country " + code)},
	}
	switch l {
	case City:
		return mmdbtype.Map{
			"city":               mmdbtype.Map{"geoname_id": mmdbtype.Uint32(2988507), "names": mmdbtype.Map{"en": mmdbtype.String("Paris")}},
			"continent":          mmdbtype.Map{"code": mmdbtype.String("EU")},
			"country":            country,
			"location":           mmdbtype.Map{"latitude": mmdbtype.Float64(48.86), "longitude": mmdbtype.Float64(2.34)},
			"registered_country": country,
		}
	case IPLocationDB:
		return mmdbtype.Map{"country_code": mmdbtype.String(code)}
	case NameAndCode:
		return mmdbtype.Map{"country": mmdbtype.String("Country " + code), "country_code": mmdbtype.String(code)}
	case ASN:
		return mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(64496), "autonomous_system_organization": mmdbtype.String("Example")}
	case RegisteredOnly:
		return mmdbtype.Map{"registered_country": country}
	}
	return mmdbtype.Map{"continent": mmdbtype.Map{"code": mmdbtype.String("EU")}, "country": country, "registered_country": country}
}
