// Copyright 2026 The schedx Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Probeprof builds a Go program with the schedx compiler's entry and exit
// probes, runs it, and writes what the probes recorded as a pprof profile
// (exact call counts, exclusive and inclusive time per function, call graph)
// and as a per-goroutine call tree in text.
//
// Usage:
//
//	probeprof [flags] package [args...]
//
// The go command on PATH must be the schedx toolchain. Probeprof renames the
// main package's func main (through a build overlay; the sources are not
// touched) and adds a main that starts the probe recorder, drains it from a
// goroutine, runs the original main, and writes the records when it returns.
// A program that ends by os.Exit or a fatal panic writes nothing.
//
// Flags:
//
//	-o file      pprof profile to write (default probeprof.pb.gz)
//	-tree file   per-goroutine call tree to write (default probeprof.txt; "-" for stdout)
//	-pkgs pat    packages to instrument, a -gcflags pattern (default: the main module, MODULE/...)
//	-buf n       records per P buffer (default 1<<16)
//	-edges file  also count the edges into merge points (-d=probes=merges)
//	             and write the branch profile, per function and line, to file
//
// Open the profile with "go tool pprof -sample_index=exclusive_ns probeprof.pb.gz"
// (or calls, or inclusive_ns).
package main

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/pprof/profile"
)

var (
	outFlag   = flag.String("o", "probeprof.pb.gz", "pprof profile to write")
	treeFlag  = flag.String("tree", "probeprof.txt", "per-goroutine call tree to write (- for stdout)")
	pkgsFlag  = flag.String("pkgs", "", "packages to instrument, as a -gcflags pattern (default: the main module)")
	bufFlag   = flag.Int("buf", 1<<16, "records per P buffer")
	edgesFlag = flag.String("edges", "", "count edges into merge points and write the branch profile to `file`")
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("probeprof: ")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: probeprof [flags] package [args...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
		os.Exit(2)
	}
	pkg, args := flag.Arg(0), flag.Args()[1:]

	tmp, err := os.MkdirTemp("", "probeprof")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	exe := build(pkg, tmp)
	recFile := filepath.Join(tmp, "records")
	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "PROBEPROF_OUT="+recFile, "PROBEPROF_BUF="+strconv.Itoa(*bufFlag))
	edgeFile := filepath.Join(tmp, "edges")
	if *edgesFlag != "" {
		cmd.Env = append(cmd.Env, "PROBEPROF_EDGES="+edgeFile)
	}
	runErr := cmd.Run()
	recs, funcs, lost, err := readRecords(recFile)
	if err != nil {
		log.Fatalf("reading records (did the program exit through main?): %v (run: %v)", err, runErr)
	}
	if runErr != nil {
		log.Printf("program: %v", runErr)
	}
	if lost > 0 {
		log.Printf("warning: %d records lost (buffers full); raise -buf", lost)
	}
	calls := reconstruct(recs, funcs)
	for pc, fi := range funcs { // the program's main, renamed by the overlay
		if rest, ok := strings.CutPrefix(fi.name, "main.probeprofMain"); ok {
			fi.name = "main.main" + rest
			funcs[pc] = fi
		}
	}
	if err := writeProfile(*outFlag, calls, funcs); err != nil {
		log.Fatal(err)
	}
	if err := writeTree(*treeFlag, calls, funcs); err != nil {
		log.Fatal(err)
	}
	if *edgesFlag != "" {
		if err := writeEdges(*edgesFlag, edgeFile); err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("%d records, %d calls, %d goroutines: wrote %s and %s", len(recs), countCalls(calls), len(calls), *outFlag, *treeFlag)
}

// build writes the overlay and builds pkg with probes into dir.
func build(pkg, dir string) string {
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}\n{{.Name}}\n{{if .Module}}{{.Module.Path}}{{end}}\n{{join .GoFiles \",\"}}", pkg).Output()
	if err != nil {
		log.Fatalf("go list %s: %v", pkg, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 4 || lines[1] != "main" {
		log.Fatalf("%s is not a main package", pkg)
	}
	pkgDir, modPath, files := lines[0], lines[2], strings.Split(lines[3], ",")
	pattern := *pkgsFlag
	if pattern == "" {
		pattern = "main"
		if modPath != "" {
			pattern = modPath + "/..."
		}
	}

	overlay := map[string]string{}
	renamed := false
	for _, name := range files {
		path := filepath.Join(pkgDir, name)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			log.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
				fd.Name.Name = "probeprofMain"
				renamed = true
			}
		}
		if !renamed {
			continue
		}
		var b strings.Builder
		if err := format.Node(&b, fset, f); err != nil {
			log.Fatal(err)
		}
		repl := filepath.Join(dir, "main_"+name)
		if err := os.WriteFile(repl, []byte(b.String()), 0o666); err != nil {
			log.Fatal(err)
		}
		overlay[path] = repl
		break
	}
	if !renamed {
		log.Fatalf("no func main in %s", pkg)
	}
	rt := filepath.Join(dir, "zz_probeprof.go")
	if err := os.WriteFile(rt, []byte(runtimeSource), 0o666); err != nil {
		log.Fatal(err)
	}
	overlay[filepath.Join(pkgDir, "zz_probeprof.go")] = rt
	js, _ := json.Marshal(map[string]any{"Replace": overlay})
	ovFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ovFile, js, 0o666); err != nil {
		log.Fatal(err)
	}
	exe := filepath.Join(dir, "prog")
	kinds := "entry+exit"
	if *edgesFlag != "" {
		kinds += "+merges"
	}
	cmd := exec.Command("go", "build", "-overlay", ovFile, "-gcflags", pattern+"=-d=probes="+kinds, "-o", exe, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("go build: %v", err)
	}
	return exe
}

// runtimeSource is added to the main package. Its functions are
// instrumented like the rest of the package; reconstruct drops them.
const runtimeSource = `// Code generated by probeprof. DO NOT EDIT.

package main

import (
	"bufio"
	"encoding/binary"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

func main() {
	size, _ := strconv.Atoi(os.Getenv("PROBEPROF_BUF"))
	debug.StartProbes(size)
	stop, done := make(chan bool), make(chan []debug.ProbeRecord)
	go probeprofDrain(stop, done)
	probeprofMain()
	debug.StopProbes()
	stop <- true
	probeprofWrite(<-done)
	if p := os.Getenv("PROBEPROF_EDGES"); p != "" {
		probeprofWriteEdges(p)
	}
}

// probeprofWriteEdges writes one line per edge counter: function, file,
// line and count.
func probeprofWriteEdges(path string) {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(f)
	for _, c := range debug.ReadProbeCounts(nil) {
		fn := runtime.FuncForPC(c.PC)
		file, line := fn.FileLine(c.PC - 1)
		name := runtime.FuncForPC(fn.Entry()).Name()
		w.WriteString(name + "\t" + file + "\t" + strconv.Itoa(line) + "\t" + strconv.FormatUint(c.Count, 10) + "\n")
	}
	w.Flush()
	f.Close()
}

func probeprofDrain(stop chan bool, done chan []debug.ProbeRecord) {
	var all []debug.ProbeRecord
	buf := make([]debug.ProbeRecord, 4096)
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			for n := debug.ReadProbes(buf); n > 0; n = debug.ReadProbes(buf) {
				all = append(all, buf[:n]...)
			}
			done <- all
			return
		case <-t.C:
			for n := debug.ReadProbes(buf); n > 0; n = debug.ReadProbes(buf) {
				all = append(all, buf[:n]...)
			}
		}
	}
}

// probeprofWrite writes the lost count, the records and a table naming
// the function of each PC: entry PC, name, file, line.
func probeprofWrite(recs []debug.ProbeRecord) {
	f, err := os.Create(os.Getenv("PROBEPROF_OUT"))
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(f)
	var b [8]byte
	put := func(v uint64) { binary.LittleEndian.PutUint64(b[:], v); w.Write(b[:]) }
	put(debug.ReadProbeStats().Lost)
	put(uint64(len(recs)))
	entries := map[uintptr]uintptr{}
	for _, r := range recs {
		e, ok := entries[r.PC]
		if !ok {
			e = runtime.FuncForPC(r.PC).Entry()
			entries[r.PC] = e
		}
		put(uint64(r.Time))
		put(r.Goroutine)
		put(uint64(e))
		put(uint64(r.Frame)<<8 | uint64(r.Kind))
	}
	seen := map[uintptr]bool{}
	for _, e := range entries {
		if seen[e] {
			continue
		}
		seen[e] = true
		fn := runtime.FuncForPC(e)
		file, line := fn.FileLine(e)
		w.WriteString(strconv.FormatUint(uint64(e), 10) + "\t" + fn.Name() + "\t" + file + "\t" + strconv.Itoa(line) + "\n")
	}
	w.Flush()
	f.Close()
}
`

type record struct {
	time  int64
	g     uint64
	fn    uint64 // entry PC
	frame uint32
	kind  uint8
}

type funcInfo struct {
	name, file string
	line       int64
}

const (
	kindEntry = 1
	kindExit  = 2
)

func readRecords(path string) ([]record, map[uint64]funcInfo, uint64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, 0, err
	}
	u64 := func() uint64 {
		v := binary.LittleEndian.Uint64(data)
		data = data[8:]
		return v
	}
	lost, n := u64(), u64()
	recs := make([]record, n)
	for i := range recs {
		r := &recs[i]
		r.time, r.g, r.fn = int64(u64()), u64(), u64()
		fk := u64()
		r.frame, r.kind = uint32(fk>>8), uint8(fk)
	}
	funcs := map[uint64]funcInfo{}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			continue
		}
		e, _ := strconv.ParseUint(f[0], 10, 64)
		l, _ := strconv.ParseInt(f[3], 10, 64)
		funcs[e] = funcInfo{f[1], f[2], l}
	}
	return recs, funcs, lost, nil
}

// A call is one execution of an instrumented function.
type call struct {
	fn          uint64
	start, end  int64
	children    []*call
	unwound     bool // ended without an exit record (panic, Goexit, end of recording)
	frame       uint32
	childrenDur int64
}

// goroutineCalls is the forest of calls of one goroutine.
type goroutineCalls struct {
	g     uint64
	roots []*call
}

// reconstruct pairs entries and exits per goroutine. An exit closes the calls
// above its own frame (unwound by a panic that was recovered lower down);
// calls still open at the goroutine's last record end there.
func reconstruct(recs []record, funcs map[uint64]funcInfo) []goroutineCalls {
	slices.SortStableFunc(recs, func(a, b record) int { return cmp.Compare(a.time, b.time) })
	byG := map[uint64][]record{}
	var order []uint64
	for _, r := range recs {
		if name := funcs[r.fn].name; name == "main.main" ||
			strings.HasPrefix(name, "main.probeprofDrain") || strings.HasPrefix(name, "main.probeprofWrite") {
			continue // probeprof's own code
		}
		if _, ok := byG[r.g]; !ok {
			order = append(order, r.g)
		}
		byG[r.g] = append(byG[r.g], r)
	}
	var out []goroutineCalls
	for _, g := range order {
		gc := goroutineCalls{g: g}
		var stack []*call
		closeTop := func(t int64, unwound bool) {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			c.end, c.unwound = t, unwound
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, c)
				p.childrenDur += c.end - c.start
			} else {
				gc.roots = append(gc.roots, c)
			}
		}
		last := int64(0)
		for _, r := range byG[g] {
			last = r.time
			switch r.kind {
			case kindEntry:
				stack = append(stack, &call{fn: r.fn, start: r.time, frame: r.frame})
			case kindExit:
				for len(stack) > 0 && stack[len(stack)-1].frame > r.frame {
					closeTop(r.time, true)
				}
				if len(stack) > 0 && stack[len(stack)-1].frame == r.frame && stack[len(stack)-1].fn == r.fn {
					closeTop(r.time, false)
				}
				// else: the entry predates recording; ignore the exit.
			}
		}
		for len(stack) > 0 {
			closeTop(last, true)
		}
		out = append(out, gc)
	}
	return out
}

func countCalls(gs []goroutineCalls) int {
	n := 0
	var walk func(c *call)
	walk = func(c *call) {
		n++
		for _, ch := range c.children {
			walk(ch)
		}
	}
	for _, g := range gs {
		for _, c := range g.roots {
			walk(c)
		}
	}
	return n
}

// writeProfile writes one sample per distinct call path, with the number of
// calls of its leaf function on that path and their exclusive time; pprof's
// cum column is then the inclusive time.
func writeProfile(file string, gs []goroutineCalls, funcs map[uint64]funcInfo) error {
	p := &profile.Profile{
		SampleType: []*profile.ValueType{
			{Type: "calls", Unit: "count"},
			{Type: "exclusive_ns", Unit: "nanoseconds"},
		},
		DefaultSampleType: "exclusive_ns",
		PeriodType:        &profile.ValueType{Type: "calls", Unit: "count"},
		Period:            1,
		TimeNanos:         time.Now().UnixNano(),
	}
	fns := map[uint64]*profile.Function{}
	locs := map[uint64]*profile.Location{}
	loc := func(fn uint64) *profile.Location {
		if l, ok := locs[fn]; ok {
			return l
		}
		fi := funcs[fn]
		f := &profile.Function{ID: uint64(len(fns) + 1), Name: fi.name, SystemName: fi.name, Filename: fi.file, StartLine: fi.line}
		fns[fn] = f
		p.Function = append(p.Function, f)
		l := &profile.Location{ID: uint64(len(locs) + 1), Address: fn, Line: []profile.Line{{Function: f, Line: fi.line}}}
		locs[fn] = l
		p.Location = append(p.Location, l)
		return l
	}
	type key string
	samples := map[key]*profile.Sample{}
	var path []*profile.Location // leaf first
	var walk func(c *call)
	walk = func(c *call) {
		path = append([]*profile.Location{loc(c.fn)}, path...)
		var kb strings.Builder
		for _, l := range path {
			kb.WriteString(strconv.FormatUint(l.ID, 10) + ",")
		}
		k := key(kb.String())
		s := samples[k]
		if s == nil {
			s = &profile.Sample{Location: slices.Clone(path), Value: []int64{0, 0}}
			samples[k] = s
			p.Sample = append(p.Sample, s)
		}
		s.Value[0]++
		s.Value[1] += (c.end - c.start) - c.childrenDur
		for _, ch := range c.children {
			walk(ch)
		}
		path = path[1:]
	}
	for _, g := range gs {
		for _, c := range g.roots {
			walk(c)
		}
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := p.Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeTree writes, per goroutine, the tree of call paths with the number
// of calls and their inclusive time, merging identical paths.
func writeTree(path string, gs []goroutineCalls, funcs map[uint64]funcInfo) error {
	var w io.Writer = os.Stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	type node struct {
		fn       uint64
		calls    int
		incl     int64
		unwound  int
		children map[uint64]*node
		order    []uint64
	}
	var add func(n *node, c *call)
	add = func(n *node, c *call) {
		ch := n.children[c.fn]
		if ch == nil {
			ch = &node{fn: c.fn, children: map[uint64]*node{}}
			n.children[c.fn] = ch
			n.order = append(n.order, c.fn)
		}
		ch.calls++
		ch.incl += c.end - c.start
		if c.unwound {
			ch.unwound++
		}
		for _, cc := range c.children {
			add(ch, cc)
		}
	}
	var print func(n *node, depth int)
	print = func(n *node, depth int) {
		ids := slices.Clone(n.order)
		sort.SliceStable(ids, func(i, j int) bool { return n.children[ids[i]].incl > n.children[ids[j]].incl })
		for _, id := range ids {
			ch := n.children[id]
			note := ""
			if ch.unwound > 0 {
				note = fmt.Sprintf(" (%d without exit)", ch.unwound)
			}
			fmt.Fprintf(bw, "%s%s  calls=%d incl=%v%s\n", strings.Repeat("  ", depth), funcs[ch.fn].name, ch.calls, time.Duration(ch.incl), note)
			print(ch, depth+1)
		}
	}
	for _, g := range gs {
		root := &node{children: map[uint64]*node{}}
		for _, c := range g.roots {
			add(root, c)
		}
		fmt.Fprintf(bw, "goroutine %d\n", g.g)
		print(root, 1)
	}
	return nil
}

// writeEdges writes the branch profile from the program's edge counts:
// per function, each edge into a block with several predecessors, named by
// the file and line of the block it leaves, with how often it was taken.
// Edges that leave blocks of the same line are listed separately.
func writeEdges(path, countsFile string) error {
	data, err := os.ReadFile(countsFile)
	if err != nil {
		return fmt.Errorf("reading edge counts: %v", err)
	}
	type edge struct {
		file  string
		line  int
		count uint64
	}
	byFunc := map[string][]edge{}
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			continue
		}
		line, _ := strconv.Atoi(f[2])
		n, _ := strconv.ParseUint(f[3], 10, 64)
		name := f[0]
		if rest, ok := strings.CutPrefix(name, "main.probeprofMain"); ok {
			name = "main.main" + rest
		}
		if strings.HasPrefix(name, "main.probeprof") {
			continue
		}
		byFunc[name] = append(byFunc[name], edge{f[1], line, n})
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range byFunc {
			if !yield(n) {
				return
			}
		}
	})
	var b strings.Builder
	b.WriteString("# Edge counts (-d=probes=merges): each edge into a block with several\n")
	b.WriteString("# predecessors, by the line of the block it leaves, and how often it was taken.\n")
	for _, n := range names {
		es := byFunc[n]
		slices.SortFunc(es, func(a, b edge) int {
			return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(b.count, a.count))
		})
		fmt.Fprintf(&b, "%s\n", n)
		for _, e := range es {
			fmt.Fprintf(&b, "\t%s:%d\t%d\n", filepath.Base(e.file), e.line, e.count)
		}
	}
	if path == "-" {
		_, err := os.Stdout.WriteString(b.String())
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o666)
}
