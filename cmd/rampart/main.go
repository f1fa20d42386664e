// Command rampart is a web application firewall that runs as a reverse proxy in front of
// web apps, APIs and WebSocket services. Run `rampart help` for the commands.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
