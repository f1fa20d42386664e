package config

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/rampartwaf/rampart/internal/geoip"
	"github.com/rampartwaf/rampart/internal/geoip/geoiptest"
)

// TestGeoIPTestdata checks the databases the geoip_*.yaml golden cases name: with
// -update it writes them (geoiptest), then it opens each and checks what Open says.
func TestGeoIPTestdata(t *testing.T) {
	dir := filepath.Join("testdata", "geoip")
	countries := map[string]string{"192.0.2.0/24": "FR", "2001:db8::/32": "DE"}
	if *update {
		geoiptest.Write(t, filepath.Join(dir, "asn.mmdb"), geoiptest.ASN, countries)
		geoiptest.Write(t, filepath.Join(dir, "ip-location-db.mmdb"), geoiptest.IPLocationDB, countries)
		if err := os.WriteFile(filepath.Join(dir, "not-mmdb.mmdb"), []byte("network,country_iso_code\n192.0.2.0/24,FR\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		file string
		want error
	}{
		{"asn.mmdb", geoip.ErrNoCountry},
		{"not-mmdb.mmdb", geoip.ErrNotMMDB},
		{"ip-location-db.mmdb", nil},
		{"test-country.mmdb", nil},
	} {
		db, err := geoip.Open(filepath.Join(dir, c.file))
		if !errors.Is(err, c.want) {
			t.Errorf("%s: Open: %v, want %v", c.file, err, c.want)
			continue
		}
		if err == nil {
			if got := db.Country(netip.MustParseAddr("192.0.2.1")); got != "FR" {
				t.Errorf("%s: Country(192.0.2.1) = %q, want FR", c.file, got)
			}
			db.Close()
		}
	}
}
