// Package install checks that the fork installs like any Go toolchain: the
// golang.org/toolchain module files that ci/release writes, served from a
// file:// GOPROXY, are downloaded and run by a stock go command told
// GOTOOLCHAIN=<the fork's version>, as a new user does it.
//
// It needs the built fork (./make.bash), the pristine base's go (the stock
// go command: all.bash puts it first on PATH), and, for TestToolchainLine,
// the public module proxy, from which it downloads an older stock release
// (olderGo, checksum-verified) to show the go.mod toolchain-line rule.
package install

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"schedx.example/test/internal/forkenv"
)

// olderGo is a stock release older than the fork's base, downloaded from
// the module proxy for TestToolchainLine.
const olderGo = "go1.25.14"

var (
	releaseOnce sync.Once
	releaseDir  string
	releaseErr  string
)

// proxyURL runs ci/release once into a temporary directory and returns the
// file:// GOPROXY URL of the module files it wrote.
func proxyURL(t *testing.T) string {
	releaseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "schedx-release-")
		if err != nil {
			releaseErr = err.Error()
			return
		}
		releaseDir = filepath.Join(dir, "release")
		cmd := exec.Command(filepath.Join(forkenv.Root(), "ci", "release"), "-o", releaseDir)
		cmd.Env = forkenv.Environ()
		if out, err := cmd.CombinedOutput(); err != nil {
			releaseErr = "ci/release: " + err.Error() + "\n" + string(out)
		}
	})
	if releaseErr != "" {
		t.Fatal(releaseErr)
	}
	v := forkenv.Version(t)
	zip := filepath.Join(releaseDir, "proxy", "golang.org", "toolchain", "@v",
		"v0.0.1-"+v+"."+runtime.GOOS+"-"+runtime.GOARCH+".zip")
	if _, err := os.Stat(zip); err != nil {
		t.Fatalf("ci/release did not write the module zip: %v", err)
	}
	return "file://" + filepath.ToSlash(filepath.Join(releaseDir, "proxy"))
}

// user is the environment of a new user: nothing cached (fresh module
// cache and go env file) and no GOTOOLCHAIN, GOPROXY or checksum settings
// beyond the ones a test sets.
type user struct {
	home string
	env  []string
}

func newUser(t *testing.T) *user {
	home := t.TempDir()
	u := &user{home: home}
	// The build cache is not a setting a user makes; keep the real one so
	// that the tests do not compile std from scratch each time.
	gocache := os.Getenv("GOCACHE")
	if gocache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		gocache = filepath.Join(dir, "go-build")
	}
	for _, kv := range forkenv.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "GOPROXY", "GONOSUMDB", "GONOSUMCHECK", "GOPRIVATE", "GONOPROXY", "GOSUMDB",
			"GOINSECURE", "GOMODCACHE", "GOPATH", "HOME", "XDG_CONFIG_HOME":
			continue
		}
		u.env = append(u.env, kv)
	}
	u.env = append(u.env,
		"HOME="+home,
		"GOCACHE="+gocache,
		"GOPATH="+filepath.Join(home, "go"),
		"GOENV="+filepath.Join(home, "config", "go", "env"),
		"GOFLAGS=-modcacherw", // so that t.TempDir can remove the module cache
	)
	return u
}

// goCmd runs the go command at gobin (a stock one) in dir as the user,
// with extra environment settings.
func (u *user) goCmd(gobin, dir string, extra []string, args ...string) *exec.Cmd {
	cmd := exec.Command(gobin, args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, u.env...), extra...)
	return cmd
}

func stockGo(t *testing.T) string {
	return filepath.Join(forkenv.BaseGOROOT(t), "bin", "go")
}

func writeModule(t *testing.T, goMod string) string {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": goMod,
		// The program prints the toolchain that built it: a schedx
		// toolchain reports its base release as runtime.Version and its
		// own name in the build setting schedx.toolchain.
		"main.go": `package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

func main() {
	v := runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "schedx.toolchain" {
				v = s.Value
			}
		}
	}
	fmt.Println(v)
}
`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestGOTOOLCHAINEnv(t *testing.T) {
	v := forkenv.Version(t)
	proxy := proxyURL(t)
	u := newUser(t)
	env := []string{"GOPROXY=" + proxy, "GONOSUMDB=golang.org/toolchain", "GOTOOLCHAIN=" + v}

	// The first use downloads the fork from the proxy and says so.
	cmd := u.goCmd(stockGo(t), t.TempDir(), env, "version")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("stock go with GOTOOLCHAIN=%s GOPROXY=%s: go version: %v\n%s%s", v, proxy, err, outb, stderr.String())
	}
	if want := "go: downloading " + v + " (" + runtime.GOOS + "/" + runtime.GOARCH + ")"; !strings.Contains(stderr.String(), want) {
		t.Errorf("go version: stderr = %q, want it to say %q", stderr.String(), want)
	}
	out := string(outb)
	if want := "go version " + v + " " + runtime.GOOS + "/" + runtime.GOARCH; strings.TrimSpace(out) != want {
		t.Errorf("stock go with GOTOOLCHAIN=%s: go version = %q, want %q", v, strings.TrimSpace(out), want)
	}
	goroot := strings.TrimSpace(forkenv.Output(t, u.goCmd(stockGo(t), t.TempDir(), env, "env", "GOROOT")))
	if want := "golang.org/toolchain@v0.0.1-" + v + "." + runtime.GOOS + "-" + runtime.GOARCH; !strings.HasSuffix(filepath.ToSlash(goroot), want) {
		t.Errorf("GOROOT of the switched-to toolchain is %s, want the downloaded module %s", goroot, want)
	}
	dir := writeModule(t, "module example.com/hello\n\ngo 1.26\n")
	if out := forkenv.Output(t, u.goCmd(stockGo(t), dir, env, "run", ".")); out != v+"\n" {
		t.Errorf("built by %q, want %q", out, v+"\n")
	}
}

// TestGoEnvW follows the README's lines: go env -w GOPROXY, GONOSUMDB and
// GOTOOLCHAIN, then go env -u GOTOOLCHAIN to go back to stock Go.
func TestGoEnvW(t *testing.T) {
	v := forkenv.Version(t)
	proxy := proxyURL(t)
	u := newUser(t)
	stock := stockGo(t)
	stockVersion := strings.TrimSpace(forkenv.Output(t, u.goCmd(stock, t.TempDir(), nil, "env", "GOVERSION")))
	for _, args := range [][]string{
		{"env", "-w", "GOPROXY=" + proxy},
		{"env", "-w", "GONOSUMDB=golang.org/toolchain"},
		{"env", "-w", "GOTOOLCHAIN=" + v},
	} {
		forkenv.Output(t, u.goCmd(stock, t.TempDir(), nil, args...))
	}
	dir := writeModule(t, "module example.com/hello\n\ngo 1.26\n")
	if out := forkenv.Output(t, u.goCmd(stock, dir, nil, "run", ".")); out != v+"\n" {
		t.Errorf("after go env -w GOTOOLCHAIN=%s: built by %q, want %q", v, out, v+"\n")
	}
	forkenv.Output(t, u.goCmd(stock, t.TempDir(), nil, "env", "-u", "GOTOOLCHAIN"))
	if out := forkenv.Output(t, u.goCmd(stock, dir, nil, "run", ".")); out != stockVersion+"\n" {
		t.Errorf("after go env -u GOTOOLCHAIN: built by %q, want stock %q", out, stockVersion+"\n")
	}
}

// TestToolchainLine checks the go command's rule for a go.mod toolchain
// line (cmd/go/internal/toolchain/select.go): it only moves to a newer
// version. The fork's version compares equal to its base (go1.26.11 for
// go1.26.11-schedx.1), so `toolchain go1.26.11-schedx.1` switches an older
// go (olderGo) to the fork, but a stock go1.26.11 (the base, or newer) keeps
// running itself.
func TestToolchainLine(t *testing.T) {
	v := forkenv.Version(t)
	proxy := proxyURL(t)
	u := newUser(t)

	// Download olderGo from the real module proxy, verified against the
	// checksum database (no GONOSUMDB here).
	publicProxy := forkenv.Proxy()
	var stderr strings.Builder
	cmd := u.goCmd(stockGo(t), t.TempDir(), []string{"GOPROXY=" + publicProxy, "GOTOOLCHAIN=" + olderGo}, "env", "GOROOT")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		out = append(out, stderr.String()...)
		t.Fatalf("cannot download %s from the module proxy (%s) to test the toolchain line: %v\n%s", olderGo, publicProxy, err, out)
	}
	older := filepath.Join(strings.TrimSpace(string(out)), "bin", "go")

	dir := writeModule(t, "module example.com/hello\n\ngo 1.25.0\n\ntoolchain "+v+"\n")
	env := []string{"GOPROXY=" + proxy, "GONOSUMDB=golang.org/toolchain", "GOTOOLCHAIN=auto"}
	if out := forkenv.Output(t, u.goCmd(older, dir, env, "run", ".")); out != v+"\n" {
		t.Errorf("%s in a module with `toolchain %s`: built by %q, want the fork", olderGo, v, out)
	}
	stockVersion := strings.TrimSpace(forkenv.Output(t, u.goCmd(stockGo(t), t.TempDir(), nil, "env", "GOVERSION")))
	if out := forkenv.Output(t, u.goCmd(stockGo(t), dir, env, "run", ".")); out != stockVersion+"\n" {
		t.Errorf("stock %s in a module with `toolchain %s`: built by %q, want %s (a toolchain line never moves to an equal or older version)",
			stockVersion, v, out, stockVersion)
	}
}

// TestHTTPProxyNeedsChecksumDB records why the module files cannot be
// hosted on an ordinary (http or https) module proxy: the go command
// verifies every golang.org/toolchain download against the checksum
// database whatever GONOSUMDB and GOSUMDB say, with one exception, a
// GOPROXY that is a single file:// URL (cmd/go/internal/modfetch/sumdb.go,
// useSumDB). sum.golang.org has no entry for the fork, so the switch fails.
// If this test starts failing, the go command has changed its rule: update
// the README's "Install with GOTOOLCHAIN".
func TestHTTPProxyNeedsChecksumDB(t *testing.T) {
	v := forkenv.Version(t)
	dir := strings.TrimPrefix(proxyURL(t), "file://")
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	u := newUser(t)
	env := []string{"GOPROXY=" + srv.URL, "GONOSUMDB=golang.org/toolchain", "GOTOOLCHAIN=" + v}
	out, err := u.goCmd(stockGo(t), t.TempDir(), env, "version").CombinedOutput()
	want := "golang.org/toolchain@v0.0.1-" + v + "." + runtime.GOOS + "-" + runtime.GOARCH + ": verifying module"
	if err == nil || !strings.Contains(string(out), want) {
		t.Errorf("stock go, GOTOOLCHAIN=%s from an http module proxy with GONOSUMDB=golang.org/toolchain: err=%v, output:\n%s\nwant it to fail saying %q",
			v, err, out, want)
	}
}

// TestPathToolchain follows the README's way for a team: unpack the
// binary archive ci/release wrote, put a link named after the fork's
// version on PATH, and GOTOOLCHAIN selects it (the go command looks in
// PATH before it downloads, cmd/go/internal/toolchain/select.go), with no
// module proxy and no checksum database.
func TestPathToolchain(t *testing.T) {
	v := forkenv.Version(t)
	proxyURL(t) // writes releaseDir
	archive := filepath.Join(releaseDir, v+"."+runtime.GOOS+"-"+runtime.GOARCH+".tar.gz")
	opt := t.TempDir()
	forkenv.Output(t, exec.Command("tar", "-C", opt, "-xzf", archive))
	bin := t.TempDir()
	if err := os.Symlink(filepath.Join(opt, "go", "bin", "go"), filepath.Join(bin, v)); err != nil {
		t.Fatal(err)
	}
	u := newUser(t)
	path := "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
	env := []string{path, "GOPROXY=off", "GOTOOLCHAIN=" + v}
	if out := forkenv.Output(t, u.goCmd(stockGo(t), t.TempDir(), env, "version")); strings.TrimSpace(out) != "go version "+v+" "+runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("stock go, GOTOOLCHAIN=%s with %s on PATH: go version = %q", v, v, out)
	}
	goroot := strings.TrimSpace(forkenv.Output(t, u.goCmd(stockGo(t), t.TempDir(), env, "env", "GOROOT")))
	if want := filepath.Join(opt, "go"); goroot != want {
		t.Errorf("GOROOT of the switched-to toolchain is %s, want the unpacked archive %s", goroot, want)
	}
	dir := writeModule(t, "module example.com/hello\n\ngo 1.26\n")
	if out := forkenv.Output(t, u.goCmd(stockGo(t), dir, env, "run", ".")); out != v+"\n" {
		t.Errorf("built by %q, want %q", out, v+"\n")
	}
}
