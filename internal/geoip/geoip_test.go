package geoip_test

import (
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rampartwaf/rampart/internal/geoip"
	"github.com/rampartwaf/rampart/internal/geoip/geoiptest"
)

var countries = map[string]string{"192.0.2.0/24": "FR", "198.51.100.0/24": "KP", "2001:db8::/32": "DE"}

// TestOpen opens databases of each layout and looks addresses up in those it accepts.
func TestOpen(t *testing.T) {
	lookups := map[string]string{
		"192.0.2.7": "FR", "::ffff:192.0.2.7": "FR", "198.51.100.255": "KP", "2001:db8::1": "DE",
		"203.0.113.1": "", "2001:db9::1": "", "127.0.0.1": "",
	}
	for _, c := range []struct {
		name   string
		layout geoiptest.Layout
		want   error  // nil: opens, and every lookup gives its country
		msg    string // in the error
		reads  string // the layout found
	}{
		{"GeoLite2-Country", geoiptest.Country, nil, "", "country.iso_code"},
		{"GeoLite2-City", geoiptest.City, nil, "", "country.iso_code"},
		{"ip-location-db", geoiptest.IPLocationDB, nil, "", "country_code"},
		{"country is a name", geoiptest.NameAndCode, nil, "", "country_code"},
		{"ASN", geoiptest.ASN, geoip.ErrNoCountry, `(database type "GeoLite2-ASN") has no country records: none of its 3 networks has a country code at country.iso_code (MaxMind GeoLite2/GeoIP2 Country or City, DB-IP) or country_code (ip-location-db)`, ""},
		{"registered country only", geoiptest.RegisteredOnly, geoip.ErrNoCountry, "has no country records", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "db.mmdb")
			geoiptest.Write(t, path, c.layout, countries)
			db, err := geoip.Open(path)
			if c.want != nil {
				if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("Open: %v\nwant %v with %q", err, c.want, c.msg)
				}
				if err := geoip.Check(path); !errors.Is(err, c.want) {
					t.Errorf("Check: %v, want %v", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if !strings.HasPrefix(db.Layout(), c.reads) {
				t.Errorf("layout %q, want %s", db.Layout(), c.reads)
			}
			for ip, want := range lookups {
				if got := db.Country(netip.MustParseAddr(ip)); got != want {
					t.Errorf("Country(%s) = %q, want %q", ip, got, want)
				}
			}
			if got := db.Country(netip.Addr{}); got != "" {
				t.Errorf("Country of the zero address = %q", got)
			}
			if err := geoip.Check(path); err != nil {
				t.Errorf("Check: %v", err)
			}
		})
	}
}

// TestOpenBadFiles: files that are not a database, or not there.
func TestOpenBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := filepath.Join(dir, "good.mmdb")
	geoiptest.WriteDB(t, good, countries)
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.mmdb")
	geoiptest.WriteDB(t, empty, nil)
	for _, c := range []struct {
		name, path string
		want       error
		msg        string
	}{
		{"missing", filepath.Join(dir, "missing.mmdb"), fs.ErrNotExist, "cannot read"},
		{"text", write("notes.txt", []byte("country,code\nFrance,FR\n")), geoip.ErrNotMMDB, "is not a valid MaxMind DB file (invalid MaxMind DB file)"},
		{"empty file", write("zero.mmdb", nil), geoip.ErrNotMMDB, "is not a valid MaxMind DB file (file is empty)"},
		{"cut short", write("half.mmdb", whole[:len(whole)/2]), geoip.ErrNotMMDB, "is not a valid MaxMind DB file"},
		{"no networks", empty, geoip.ErrNoCountry, "has no country records: it has no networks"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, err := geoip.Open(c.path)
			if err == nil {
				db.Close()
				t.Fatal("Open: no error")
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), c.path) {
				t.Errorf("Open: %v\nwant %v with %q and the file's name", err, c.want, c.msg)
			}
		})
	}
}

// TestCountryNilDB: a nil *DB knows no country (the engine holds one when no database
// is configured).
func TestCountryNilDB(t *testing.T) {
	var db *geoip.DB
	if got := db.Country(netip.MustParseAddr("192.0.2.1")); got != "" {
		t.Errorf("nil DB: %q", got)
	}
}

// BenchmarkCountry: one lookup, in each layout.
func BenchmarkCountry(b *testing.B) {
	for _, c := range []struct {
		name   string
		layout geoiptest.Layout
	}{{"Country", geoiptest.Country}, {"City", geoiptest.City}, {"IPLocationDB", geoiptest.IPLocationDB}} {
		path := filepath.Join(b.TempDir(), "db.mmdb")
		geoiptest.Write(b, path, c.layout, countries)
		db, err := geoip.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		ip := netip.MustParseAddr("192.0.2.7")
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if db.Country(ip) != "FR" {
					b.Fatal("wrong country")
				}
			}
		})
		db.Close()
	}
}
