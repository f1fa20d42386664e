package rules

import (
	"fmt"
	"strings"
	"sync"
)

// This file checks the values rules compare the country field with. A GeoIP database
// gives ISO 3166-1 alpha-2 codes in upper case ("FR", "KP"), and the field is compared
// like any string: `country equals fr` or a list item "Iran" would never match. The
// names below only serve to suggest the code for a country written out.

// countryNames are the ISO 3166-1 alpha-2 codes with English names of their countries
// and territories, and a few other names people use ("|" between names).
const countryNames = `AD Andorra
AE United Arab Emirates|UAE|Emirates
AF Afghanistan
AG Antigua and Barbuda|Antigua
AI Anguilla
AL Albania
AM Armenia
AO Angola
AQ Antarctica
AR Argentina
AS American Samoa
AT Austria
AU Australia
AW Aruba
AX Aland Islands|Åland Islands|Aland
AZ Azerbaijan
BA Bosnia and Herzegovina|Bosnia
BB Barbados
BD Bangladesh
BE Belgium
BF Burkina Faso
BG Bulgaria
BH Bahrain
BI Burundi
BJ Benin
BL Saint Barthelemy|Saint Barthélemy
BM Bermuda
BN Brunei|Brunei Darussalam
BO Bolivia
BQ Bonaire, Sint Eustatius and Saba|Caribbean Netherlands|Bonaire
BR Brazil
BS Bahamas
BT Bhutan
BV Bouvet Island
BW Botswana
BY Belarus
BZ Belize
CA Canada
CC Cocos Islands|Cocos (Keeling) Islands
CD Democratic Republic of the Congo|DR Congo|DRC|Congo-Kinshasa|Zaire
CF Central African Republic
CG Republic of the Congo|Congo|Congo-Brazzaville
CH Switzerland
CI Ivory Coast|Cote d'Ivoire|Côte d'Ivoire
CK Cook Islands
CL Chile
CM Cameroon
CN China|People's Republic of China|PRC
CO Colombia
CR Costa Rica
CU Cuba
CV Cape Verde|Cabo Verde
CW Curacao|Curaçao
CX Christmas Island
CY Cyprus
CZ Czechia|Czech Republic
DE Germany|Deutschland
DJ Djibouti
DK Denmark
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia
EG Egypt
EH Western Sahara
ER Eritrea
ES Spain|España
ET Ethiopia
FI Finland
FJ Fiji
FK Falkland Islands|Falklands
FM Micronesia
FO Faroe Islands|Faroes
FR France
GA Gabon
GB United Kingdom|UK|Great Britain|Britain|England|Scotland|Wales|Northern Ireland
GD Grenada
GE Georgia
GF French Guiana
GG Guernsey
GH Ghana
GI Gibraltar
GL Greenland
GM Gambia
GN Guinea
GP Guadeloupe
GQ Equatorial Guinea
GR Greece
GS South Georgia and the South Sandwich Islands
GT Guatemala
GU Guam
GW Guinea-Bissau
GY Guyana
HK Hong Kong
HM Heard Island and McDonald Islands
HN Honduras
HR Croatia
HT Haiti
HU Hungary
ID Indonesia
IE Ireland
IL Israel
IM Isle of Man
IN India
IO British Indian Ocean Territory
IQ Iraq
IR Iran
IS Iceland
IT Italy
JE Jersey
JM Jamaica
JO Jordan
JP Japan
KE Kenya
KG Kyrgyzstan
KH Cambodia
KI Kiribati
KM Comoros
KN Saint Kitts and Nevis
KP North Korea|Democratic People's Republic of Korea|DPRK
KR South Korea|Republic of Korea
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Laos
LB Lebanon
LC Saint Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania
LU Luxembourg
LV Latvia
LY Libya
MA Morocco
MC Monaco
MD Moldova
ME Montenegro
MF Saint Martin
MG Madagascar
MH Marshall Islands
MK North Macedonia|Macedonia
ML Mali
MM Myanmar|Burma
MN Mongolia
MO Macao|Macau
MP Northern Mariana Islands
MQ Martinique
MR Mauritania
MS Montserrat
MT Malta
MU Mauritius
MV Maldives
MW Malawi
MX Mexico
MY Malaysia
MZ Mozambique
NA Namibia
NC New Caledonia
NE Niger
NF Norfolk Island
NG Nigeria
NI Nicaragua
NL Netherlands|Holland|The Netherlands
NO Norway
NP Nepal
NR Nauru
NU Niue
NZ New Zealand
OM Oman
PA Panama
PE Peru
PF French Polynesia
PG Papua New Guinea
PH Philippines
PK Pakistan
PL Poland
PM Saint Pierre and Miquelon
PN Pitcairn|Pitcairn Islands
PR Puerto Rico
PS Palestine
PT Portugal
PW Palau
PY Paraguay
QA Qatar
RE Reunion|Réunion
RO Romania
RS Serbia
RU Russia|Russian Federation
RW Rwanda
SA Saudi Arabia
SB Solomon Islands
SC Seychelles
SD Sudan
SE Sweden
SG Singapore
SH Saint Helena
SI Slovenia
SJ Svalbard and Jan Mayen|Svalbard
SK Slovakia
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia
SR Suriname
SS South Sudan
ST Sao Tome and Principe|São Tomé and Príncipe
SV El Salvador
SX Sint Maarten
SY Syria
SZ Eswatini|Swaziland
TC Turks and Caicos Islands
TD Chad
TF French Southern Territories
TG Togo
TH Thailand
TJ Tajikistan
TK Tokelau
TL Timor-Leste|East Timor
TM Turkmenistan
TN Tunisia
TO Tonga
TR Turkey|Türkiye|Turkiye
TT Trinidad and Tobago|Trinidad
TV Tuvalu
TW Taiwan
TZ Tanzania
UA Ukraine
UG Uganda
UM United States Minor Outlying Islands
US United States|United States of America|USA|America
UY Uruguay
UZ Uzbekistan
VA Vatican|Vatican City|Holy See
VC Saint Vincent and the Grenadines
VE Venezuela
VG British Virgin Islands
VI United States Virgin Islands|US Virgin Islands
VN Vietnam|Viet Nam
VU Vanuatu
WF Wallis and Futuna
WS Samoa
YE Yemen
YT Mayotte
ZA South Africa
ZM Zambia
ZW Zimbabwe`

// countryIndex maps normalized names (see normCountry) to codes; built once, on the
// first mistake that needs it.
var countryIndex = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(countryNames, "\n") {
		code, names, _ := strings.Cut(line, " ")
		for _, n := range strings.Split(names, "|") {
			m[normCountry(n)] = code
		}
	}
	return m
})

// normCountry folds a country name for lookup: lower case, letters and digits only
// ("Côte d'Ivoire" and "cote divoire" are one).
func normCountry(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'á', 'à', 'â', 'ä', 'å':
			r = 'a'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'í', 'ï':
			r = 'i'
		case 'ó', 'ô', 'ö':
			r = 'o'
		case 'ú', 'ü':
			r = 'u'
		case 'ç':
			r = 'c'
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return strings.TrimPrefix(b.String(), "the")
}

// countryCodeFor returns the code of a country written out ("Iran", "north korea",
// a near miss like "Germny"), or "".
func countryCodeFor(name string) string {
	idx := countryIndex()
	n := normCountry(name)
	if n == "" {
		return ""
	}
	if code, ok := idx[n]; ok {
		return code
	}
	if len(n) < 5 {
		return "" // too short to guess from
	}
	keys := make([]string, 0, len(idx))
	for k := range idx {
		keys = append(keys, k)
	}
	if k := Nearest(n, keys); k != "" {
		return idx[k]
	}
	return ""
}

// checkCountry says what is wrong with v as a value the country field is compared
// with (why is "" when nothing is), and the code it may stand for (or ""): fold says
// the operator ignores case.
func checkCountry(v string, fold bool) (why, code string) {
	const want = "countries are ISO codes of two upper-case letters, like FR or US"
	letters := len(v) == 2 && isLetter(v[0]) && isLetter(v[1])
	switch {
	case letters && strings.ToUpper(v) == "UK":
		return "UK is no ISO code: the United Kingdom is GB", ""
	case letters && (fold || v == strings.ToUpper(v)):
		return "", ""
	case letters:
		return want, strings.ToUpper(v)
	}
	return want, countryCodeFor(v)
}

// countryProblem is the message for a value checkCountry found wrong.
func countryProblem(v, why, code, what string) string {
	msg := fmt.Sprintf("%q: %s%s", clip(v), what, why)
	if code != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", code)
	}
	return msg
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
