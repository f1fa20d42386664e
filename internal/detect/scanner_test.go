package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestScanner(t *testing.T) {
	tests := []struct {
		name    string
		ua      string
		headers []request.Header
		want    bool
	}{
		{"sqlmap", "sqlmap/1.8.2#stable (https://sqlmap.org)", nil, true},
		{"nikto", "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)", nil, true},
		{"nmap nse", "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", nil, true},
		{"nuclei", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", nil, true},
		{"zgrab", "Mozilla/5.0 zgrab/0.x", nil, true},
		{"wpscan", "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)", nil, true},
		{"ffuf", "Fuzz Faster U Fool v2.1.0-dev", nil, true},
		{"gobuster", "gobuster/3.6", nil, true},
		{"masscan", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)", nil, true},
		{"havij suffix", "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1) Havij", nil, true},
		{"acunetix header", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", []request.Header{{Name: "Acunetix-Product", Value: "WVS/13"}}, true},
		{"x-scanner header", "Mozilla/5.0", []request.Header{{Name: "X-Scanner", Value: "Netsparker"}}, true},
		// benign
		{"chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", nil, false},
		{"curl", "curl/8.5.0", nil, false},
		{"python requests", "python-requests/2.31.0", nil, false},
		{"go client", "Go-http-client/1.1", nil, false},
		{"wget", "Wget/1.21.4", nil, false},
		{"urlgrabber", "urlgrabber/3.10 yum/3.4.3", nil, false},
		{"ecairn grabber", "mozilla/5.0 ecairn-grabber/1.0 (+http://ecairn.com/grabber)", nil, false},
		{"googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", nil, false},
		{"okhttp", "okhttp/4.12.0", nil, false},
		{"x-requested-with", "Mozilla/5.0", []request.Header{{Name: "X-Requested-With", Value: "XMLHttpRequest"}}, false},
		{"accept header", "Mozilla/5.0", []request.Header{{Name: "Accept-Language", Value: "en"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &request.Request{Method: "GET", URI: "/", UserAgent: tt.ua,
				Headers: append([]request.Header{{Name: "User-Agent", Value: tt.ua}}, tt.headers...)}
			checkScanner(r)
			if got := r.HasSignal(SCANNER); got != tt.want {
				t.Errorf("SCANNER = %v, want %v (signals %+v)", got, tt.want, r.Signals)
			}
		})
	}
}
