// Mkinitramfs writes a Linux initramfs whose /init is one static program,
// for booting a test program as the only process of a kernel (see
// ci/numa-qemu.bash).
//
// Usage:
//
//	mkinitramfs [-plain] -o OUT INIT
//
// OUT is a gzip-compressed (with -plain, uncompressed) cpio archive in the
// "newc" format the kernel unpacks (Documentation/driver-api/early-userspace/
// buffer-format.rst) holding the directories /dev, /proc, /sys, /tmp and
// /root, the console device /dev/console (character 5:1, which the kernel
// opens as init's standard input and output), and INIT as /init (mode 0755).
// INIT must be a statically linked ELF program (build it with
// CGO_ENABLED=0): the archive holds no dynamic loader or libraries, and the
// kernel's error for a dynamic /init is only "Failed to execute /init
// (error -2)". Every entry is owned by root with modification time 0, so the
// same INIT gives the same archive. No cpio tool and no root privileges are
// needed.
package main

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Mode bits of a newc header (see stat(2)).
const (
	modeDir  = 0o040000
	modeReg  = 0o100000
	modeChar = 0o020000
)

// An entry is one file of the archive.
type entry struct {
	name         string // without a leading slash
	mode         uint32 // type and permission bits
	data         []byte // contents of a regular file
	rmajor, rmin uint32 // device numbers of a device node
}

// layout returns the archive's entries for the program init.
func layout(init []byte) []entry {
	return []entry{
		{name: "dev", mode: modeDir | 0o755},
		{name: "dev/console", mode: modeChar | 0o600, rmajor: 5, rmin: 1},
		{name: "proc", mode: modeDir | 0o555},
		{name: "sys", mode: modeDir | 0o555},
		{name: "tmp", mode: modeDir | 0o1777},
		{name: "root", mode: modeDir | 0o700},
		{name: "init", mode: modeReg | 0o755, data: init},
	}
}

// writeCpio writes entries as a newc archive, ending with the trailer.
func writeCpio(w io.Writer, entries []entry) error {
	var buf bytes.Buffer
	pad := func() {
		for buf.Len()%4 != 0 {
			buf.WriteByte(0)
		}
	}
	add := func(ino uint32, e entry) {
		nlink := 1
		if e.mode&0o170000 == modeDir {
			nlink = 2
		}
		// magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
		// devminor, rdevmajor, rdevminor, namesize (with the NUL), check.
		fmt.Fprintf(&buf, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			ino, e.mode, 0, 0, nlink, 0, len(e.data), 0, 0, e.rmajor, e.rmin, len(e.name)+1, 0)
		buf.WriteString(e.name)
		buf.WriteByte(0)
		pad()
		buf.Write(e.data)
		pad()
	}
	for i, e := range entries {
		add(uint32(i+1), e)
	}
	add(0, entry{name: "TRAILER!!!"})
	_, err := w.Write(buf.Bytes())
	return err
}

// checkStatic returns an error unless b is an ELF executable without a
// program interpreter (a statically linked program).
func checkStatic(b []byte) error {
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("not an ELF program: %v", err)
	}
	if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return fmt.Errorf("ELF type %v, want an executable", f.Type)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return errors.New("dynamically linked (has a program interpreter); build it with CGO_ENABLED=0")
		}
	}
	return nil
}

func main() {
	out := flag.String("o", "", "write the archive to `file`")
	plain := flag.Bool("plain", false, "write the cpio archive uncompressed")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: mkinitramfs [-plain] -o OUT INIT\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*out, flag.Arg(0), !*plain); err != nil {
		fmt.Fprintf(os.Stderr, "mkinitramfs: %v\n", err)
		os.Exit(1)
	}
}

func run(out, initPath string, compress bool) error {
	init, err := os.ReadFile(initPath)
	if err != nil {
		return err
	}
	if err := checkStatic(init); err != nil {
		return fmt.Errorf("%s: %v", initPath, err)
	}
	var b bytes.Buffer
	if compress {
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		if err := writeCpio(zw, layout(init)); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
	} else if err := writeCpio(&b, layout(init)); err != nil {
		return err
	}
	return os.WriteFile(out, b.Bytes(), 0o644)
}
