module github.com/rampartwaf/rampart

go 1.26.8

require (
	github.com/corazawaf/libinjection-go v0.3.5 // indirect
	github.com/fsnotify/fsnotify v1.10.1 // indirect
	github.com/prometheus/client_golang v1.25.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/sys v0.48.0 // indirect
)
