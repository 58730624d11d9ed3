package runner

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// An apiFeature is API that some toolchains have and stock Go lacks. When a
// toolchain has it, its module packages (workload, scenario) are built with
// Tag set, so that files using the API build only there:
//
//	//go:build schedx_priority
type apiFeature struct {
	// Tag is the build tag.
	Tag string
	// Package is the standard-library package declaring the API.
	Package string
	// Func is the name of a function of Package that only toolchains with
	// the feature declare.
	Func string
}

// apiFeatures are the build tags schedbench sets. A scenario for new fork
// API adds its line here with the file (or the fork adds it with the API).
var apiFeatures = []apiFeature{
	{Tag: "schedx_priority", Package: "runtime", Func: "SetGoroutinePriority"},
	{Tag: "schedx_groups", Package: "runtime", Func: "NewSchedGroup"},
}

// BuildTags returns the tags of apiFeatures whose function the toolchain at
// goroot declares (in a non-test .go file of the package's source).
func BuildTags(goroot string) []string {
	var tags []string
	for _, f := range apiFeatures {
		if declaresFunc(filepath.Join(goroot, "src", filepath.FromSlash(f.Package)), f.Func) {
			tags = append(tags, f.Tag)
		}
	}
	return tags
}

// declaresFunc reports whether a non-test .go file in dir declares the
// top-level function name.
func declaresFunc(dir, name string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	decl := []byte("\nfunc " + name + "(")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, decl) {
			return true
		}
	}
	return false
}
