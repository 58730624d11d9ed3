// Package runconfig parses the configurations that schedbench compares.
//
// A configuration is a name, a Go toolchain (a GOROOT whose bin/go builds the
// benchmarks) and environment settings for the measured processes, written
//
//	NAME=GOROOT[,VAR=VALUE...]
//
// for example
//
//	stock=/usr/local/go
//	fork=../go
//	fork-prio=../go,GODEBUG=schedmode=priority
//	fork-prio-nopreempt=../go,GODEBUG=schedmode=priority,asyncpreemptoff=1,GOGC=200
//
// A comma followed by an upper-case environment variable name and "="
// (GODEBUG=, GOGC=, ...) starts a new setting; any other comma belongs to the
// value before it, so GODEBUG's own comma-separated list needs no quoting.
// A relative GOROOT is relative to the current directory.
//
// Every result a configuration produces carries its keys (see [Config.Keys]):
// config, toolchain, goversion, commit, mode and env.
package runconfig

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// A Config is one configuration to measure.
type Config struct {
	// Name identifies the configuration in results, tables and flags.
	Name string
	// GOROOT is the toolchain's root, an absolute path.
	GOROOT string
	// Env holds "VAR=VALUE" settings for the measured processes, in the
	// order given.
	Env []string

	// GoVersion is the first line of GOROOT/VERSION (set by Resolve).
	GoVersion string
	// Commit is the git commit of GOROOT if it is a git work tree, with
	// "+dirty" if it has uncommitted changes to tracked files, else
	// "none" (set by Resolve).
	Commit string
}

var (
	namePattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	envVarPattern = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`)
)

// Parse parses one configuration NAME=GOROOT[,VAR=VALUE...]. It makes a
// relative GOROOT absolute but does not look at the file system; see
// Resolve.
func Parse(spec string) (Config, error) {
	name, rest, ok := strings.Cut(spec, "=")
	if !ok {
		return Config{}, fmt.Errorf("configuration %q: want NAME=GOROOT[,VAR=VALUE...]", spec)
	}
	if !namePattern.MatchString(name) {
		return Config{}, fmt.Errorf("configuration %q: name %q must be letters, digits, '.', '_' or '-', starting with a letter or digit", spec, name)
	}
	parts := strings.Split(rest, ",")
	root := parts[0]
	if root == "" {
		return Config{}, fmt.Errorf("configuration %q: empty GOROOT", spec)
	}
	if envVarPattern.MatchString(root) {
		return Config{}, fmt.Errorf("configuration %q: %q looks like a setting, but the GOROOT comes first (NAME=GOROOT,VAR=VALUE)", spec, root)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return Config{}, fmt.Errorf("configuration %q: GOROOT %q: %v", spec, root, err)
	}
	c := Config{Name: name, GOROOT: abs}
	for _, p := range parts[1:] {
		switch {
		case envVarPattern.MatchString(p):
			c.Env = append(c.Env, p)
		case len(c.Env) > 0:
			// A comma inside a value, as in GODEBUG=a=1,b=2.
			c.Env[len(c.Env)-1] += "," + p
		default:
			return Config{}, fmt.Errorf("configuration %q: %q is not a VAR=VALUE setting (VAR is an upper-case environment variable name)", spec, p)
		}
	}
	seen := map[string]bool{}
	for _, kv := range c.Env {
		k, _, _ := strings.Cut(kv, "=")
		if seen[k] {
			return Config{}, fmt.Errorf("configuration %q: %s is set twice", spec, k)
		}
		seen[k] = true
		if slices.Contains(reservedEnv, k) {
			return Config{}, fmt.Errorf("configuration %q: %s cannot be set per configuration (the runner sets it)", spec, k)
		}
	}
	return c, nil
}

// reservedEnv are variables the runner controls itself.
var reservedEnv = []string{"GOROOT", "GOTOOLCHAIN", "GOFLAGS", "GOCACHE"}

// ParseList parses specs and checks that the names are distinct.
func ParseList(specs []string) ([]Config, error) {
	var cs []Config
	seen := map[string]bool{}
	for _, s := range specs {
		c, err := Parse(s)
		if err != nil {
			return nil, err
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("configuration name %q is used twice", c.Name)
		}
		seen[c.Name] = true
		cs = append(cs, c)
	}
	return cs, nil
}

// Resolve checks that c.GOROOT holds a toolchain, replaces it by its path
// without symbolic links, and fills in GoVersion and Commit.
func (c *Config) Resolve() error {
	if _, err := os.Stat(filepath.Join(c.GOROOT, "bin", "go")); err != nil {
		return fmt.Errorf("configuration %s: GOROOT %s has no bin/go (not a built Go toolchain)", c.Name, c.GOROOT)
	}
	if real, err := filepath.EvalSymlinks(c.GOROOT); err == nil {
		c.GOROOT = real
	}
	b, err := os.ReadFile(filepath.Join(c.GOROOT, "VERSION"))
	if err != nil {
		return fmt.Errorf("configuration %s: GOROOT %s has no VERSION file: %v", c.Name, c.GOROOT, err)
	}
	c.GoVersion = strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
	c.Commit = gitCommit(c.GOROOT)
	return nil
}

// gitCommit returns the HEAD commit of the git work tree at dir with
// "+dirty" appended if tracked files changed, or "none" if dir is not the top
// of a git work tree.
func gitCommit(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		return "none"
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return "none"
	}
	commit := strings.TrimSpace(string(out))
	st, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output()
	if err == nil && len(strings.TrimSpace(string(st))) > 0 {
		commit += "+dirty"
	}
	return commit
}

// TraceSetting is the setting that makes the runner trace the measured
// test binaries (-test.trace, to a file it then removes), so that the cost
// of the execution tracer can be compared across toolchains. It is also
// passed to the processes, which ignore it.
const TraceSetting = "SCHEDBENCH_TRACE=1"

// Trace reports whether the configuration measures with the execution
// tracer on (TraceSetting).
func (c Config) Trace() bool {
	return slices.Contains(c.Env, TraceSetting)
}

// Mode returns the scheduler mode the configuration selects: the value of
// schedmode in its GODEBUG setting, or "default".
func (c Config) Mode() string {
	for _, kv := range c.Env {
		v, ok := strings.CutPrefix(kv, "GODEBUG=")
		if !ok {
			continue
		}
		for _, setting := range strings.Split(v, ",") {
			if m, ok := strings.CutPrefix(setting, "schedmode="); ok && m != "" {
				return m
			}
		}
	}
	return "default"
}

// A Key is one benchmark-format configuration key and its value.
type Key struct {
	Name, Value string
}

// Keys returns the configuration keys written before every result of c:
//
//	config     the configuration's name
//	toolchain  its GOROOT
//	goversion  the toolchain's VERSION
//	commit     the toolchain's git commit, or "none"
//	mode       the scheduler mode (GODEBUG schedmode), or "default"
//	env        the settings, space-separated, or "none"
func (c Config) Keys() []Key {
	env := "none"
	if len(c.Env) > 0 {
		env = strings.Join(c.Env, " ")
	}
	return []Key{
		{"config", c.Name},
		{"toolchain", c.GOROOT},
		{"goversion", c.GoVersion},
		{"commit", c.Commit},
		{"mode", c.Mode()},
		{"env", env},
	}
}

// SameAs reports whether c and d measure the same thing under different
// names: the same toolchain and the same settings. Such a pair is an A/A
// control.
func (c Config) SameAs(d Config) bool {
	a, b := slices.Clone(c.Env), slices.Clone(d.Env)
	slices.Sort(a)
	slices.Sort(b)
	return c.GOROOT == d.GOROOT && slices.Equal(a, b)
}

// String returns the configuration in the syntax Parse accepts.
func (c Config) String() string {
	return strings.Join(append([]string{c.Name + "=" + c.GOROOT}, c.Env...), ",")
}
