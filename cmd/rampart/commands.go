package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// command is one subcommand of rampart. Each lives in its own file and registers itself
// from an init function.
type command struct {
	name    string
	summary string // one line for `rampart help`
	usage   string // argument synopsis, e.g. "[--config FILE]"
	// run executes the command with its own flag set already parsed; it returns the
	// process exit code.
	run   func(env *cmdEnv, fs *flag.FlagSet) int
	flags func(fs *flag.FlagSet) // declares the command's flags
}

// cmdEnv is what a command may touch: its output streams and positional arguments.
type cmdEnv struct {
	stdout, stderr io.Writer
	args           []string
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[1] != "-h" && args[1] != "-help" && args[1] != "--help" {
			c, ok := commands[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "rampart help: unknown command %q\n\n", args[1])
				usage(stderr)
				return 2
			}
			commandUsage(c, stdout)
			return 0
		}
		usage(stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "rampart: unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	fs := flag.NewFlagSet("rampart "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // printed below: on stdout when asked for, on stderr after a mistake
	if c.flags != nil {
		c.flags(fs)
	}
	if err := fs.Parse(args[1:]); err != nil {
		if err == flag.ErrHelp {
			commandUsage(c, stdout)
			return 0
		}
		fmt.Fprintln(stderr)
		commandUsage(c, stderr)
		return 2
	}
	return c.run(&cmdEnv{stdout: stdout, stderr: stderr, args: fs.Args()}, fs)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Rampart: a web application firewall for HTTP and WebSocket traffic.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: rampart COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "  help      show this help, or `rampart help COMMAND`")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run `rampart COMMAND --help` for the flags of a command.")
}

func commandUsage(c *command, w io.Writer) {
	fmt.Fprintf(w, "Usage: rampart %s %s\n\n%s\n", c.name, c.usage, c.summary)
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	if c.flags != nil {
		c.flags(fs)
	}
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	if b.Len() > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s", b.String())
	}
}
