package geoip_test

import (
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/rampartwaf/rampart/internal/geoip"
	"github.com/rampartwaf/rampart/internal/geoip/geoiptest"
)

func TestCountry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "country.mmdb")
	geoiptest.WriteDB(t, path, map[string]string{"192.0.2.0/24": "FR", "2001:db8::/32": "DE"})
	db, err := geoip.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for ip, want := range map[string]string{"192.0.2.7": "FR", "::ffff:192.0.2.7": "FR", "2001:db8::1": "DE", "198.51.100.1": ""} {
		if got := db.Country(netip.MustParseAddr(ip)); got != want {
			t.Errorf("Country(%s) = %q, want %q", ip, got, want)
		}
	}
	if _, err := geoip.Open(filepath.Join(t.TempDir(), "missing.mmdb")); err == nil {
		t.Error("Open of a missing file: no error")
	}
}
