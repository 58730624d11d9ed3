package runner

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestBuildTags(t *testing.T) {
	stock := t.TempDir()
	fork := t.TempDir()
	write := func(root, name, body string) {
		dir := filepath.Join(root, "src", "runtime")
		if err := os.MkdirAll(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write(stock, "proc.go", "package runtime\n\nfunc Gosched() {}\n")
	// Only a test file mentions the function: not the API.
	write(stock, "prio_test.go", "package runtime\n\nfunc SetGoroutinePriority(p int) {}\n")
	write(fork, "proc.go", "package runtime\n\nfunc Gosched() {}\n")
	write(fork, "schedext_priority.go", "package runtime\n\n// SetGoroutinePriority sets ...\nfunc SetGoroutinePriority(p int) {}\n")
	if tags := BuildTags(stock); len(tags) != 0 {
		t.Errorf("BuildTags(stock) = %v, want none", tags)
	}
	if tags := BuildTags(fork); !slices.Equal(tags, []string{"schedx_priority"}) {
		t.Errorf("BuildTags(fork) = %v, want [schedx_priority]", tags)
	}
}
