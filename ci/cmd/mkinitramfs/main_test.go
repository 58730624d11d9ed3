package main

import (
	"bytes"
	"debug/elf"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// readCpio parses a newc archive the way the kernel's unpacker does and
// returns its entries up to the trailer.
func readCpio(t *testing.T, b []byte) []entry {
	t.Helper()
	var entries []entry
	off := 0
	align := func() { off = (off + 3) &^ 3 }
	for {
		if off+110 > len(b) {
			t.Fatalf("archive ends at %d without a trailer", off)
		}
		h := b[off : off+110]
		if string(h[:6]) != "070701" {
			t.Fatalf("bad magic %q at %d", h[:6], off)
		}
		field := func(i int) uint32 {
			v, err := strconv.ParseUint(string(h[6+8*i:14+8*i]), 16, 32)
			if err != nil {
				t.Fatalf("field %d at %d: %v", i, off, err)
			}
			return uint32(v)
		}
		mode, size, rmajor, rmin, namesize := field(1), field(6), field(9), field(10), field(11)
		off += 110
		name := string(b[off : off+int(namesize)])
		if !strings.HasSuffix(name, "\x00") {
			t.Fatalf("name %q is not NUL-terminated", name)
		}
		name = strings.TrimSuffix(name, "\x00")
		off += int(namesize)
		align()
		data := b[off : off+int(size)]
		off += int(size)
		align()
		if name == "TRAILER!!!" {
			if off != len(b) {
				t.Errorf("%d bytes after the trailer", len(b)-off)
			}
			return entries
		}
		entries = append(entries, entry{name: name, mode: mode, data: data, rmajor: rmajor, rmin: rmin})
	}
}

func TestArchive(t *testing.T) {
	init := []byte("odd-length program")
	var b bytes.Buffer
	if err := writeCpio(&b, layout(init)); err != nil {
		t.Fatal(err)
	}
	got := readCpio(t, b.Bytes())
	want := layout(init)
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.name != w.name || g.mode != w.mode || !bytes.Equal(g.data, w.data) || g.rmajor != w.rmajor || g.rmin != w.rmin {
			t.Errorf("entry %d = %s %o %d:%d (%d bytes), want %s %o %d:%d (%d bytes)",
				i, g.name, g.mode, g.rmajor, g.rmin, len(g.data), w.name, w.mode, w.rmajor, w.rmin, len(w.data))
		}
	}
}

func TestCheckStatic(t *testing.T) {
	if err := checkStatic([]byte("#!/bin/sh\n")); err == nil {
		t.Error("checkStatic accepted a shell script")
	}
	sh, err := os.ReadFile("/bin/sh")
	if err != nil {
		t.Skip(err)
	}
	f, err := elf.NewFile(bytes.NewReader(sh))
	if err != nil || !slices.ContainsFunc(f.Progs, func(p *elf.Prog) bool { return p.Type == elf.PT_INTERP }) {
		t.Skip("/bin/sh is not a dynamically linked ELF program here")
	}
	if err := checkStatic(sh); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
		t.Errorf("checkStatic(/bin/sh) = %v, want a dynamically linked error", err)
	}
}
