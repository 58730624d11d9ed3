#!/usr/bin/env bash
# compilespeed.bash: compare the speed of compilers on identical input with
# golang.org/x/tools/cmd/compilebench (pinned in go.mod), the tool upstream
# uses for compiler performance CLs.
#
#   bench/compilespeed.bash [-count N] [-run REGEXP] [-o DIR] NAME=COMPILE...
#
# Each NAME=COMPILE is a cmd/compile binary. Every benchmark compiles the
# same sources, the std of the go command on PATH, so the configurations
# differ only in the compiler. Rounds interleave the configurations, in an
# order that rotates each round, and each round runs compilebench -count 1
# for each. Name two configurations with the same binary (an A/A control) to
# see the machine's noise in the same run. DIR (default
# compilespeed-results/YYYYMMDD-HHMMSS) gets NAME.txt per configuration
# (benchmark format), all.txt (all of them) and benchstat.txt, which
# compares every configuration with the first.
#
# The default -run leaves out StdCmd (4 minutes a run) and the link
# benchmarks, which do not run the compiler.
set -euo pipefail
cd "$(dirname "$0")"

count=10 run='^Benchmark(Template|Unicode|GoTypes|Compiler|SSA|Flate|GoParser|Reflect|Tar|XML)$'
out=compilespeed-results/$(date -u +%Y%m%d-%H%M%S)
while [ $# -gt 0 ]; do
	case $1 in
	-count) count=$2; shift 2 ;;
	-run) run=$2; shift 2 ;;
	-o) out=$2; shift 2 ;;
	-*) echo "unknown flag $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || { echo "usage: $0 [-count N] [-run REGEXP] [-o DIR] NAME=COMPILE NAME=COMPILE..." >&2; exit 2; }
names=() bins=()
for c in "$@"; do
	name=${c%%=*} bin=${c#*=}
	[[ $name =~ ^[A-Za-z0-9._-]+$ ]] || { echo "$0: bad configuration name in $c" >&2; exit 2; }
	[ -x "$bin" ] || { echo "$0: $bin: not an executable compiler" >&2; exit 2; }
	names+=("$name") bins+=("$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")")
done
mkdir -p "$out"
go build -o "$out/compilebench" golang.org/x/tools/cmd/compilebench
n=${#names[@]}
echo "compilespeed: ${names[*]}, $count rounds, $(go version) std; results in $out"
for ((r = 0; r < count; r++)); do
	for ((k = 0; k < n; k++)); do
		i=$(((r + k) % n))
		{
			echo "config: ${names[$i]}"
			"$out/compilebench" -compile "${bins[$i]}" -run "$run" -count 1
		} >>"$out/${names[$i]}.txt"
	done
	echo "round $((r + 1)) done"
done
# One table, a column per configuration (the config: key), the first as base.
for name in "${names[@]}"; do cat "$out/$name.txt"; done >"$out/all.txt"
go tool benchstat -col config "$out/all.txt" | tee "$out/benchstat.txt"
