#!/usr/bin/env bash
# compile-identical.bash: check that two compilers produce byte-identical
# objects for the same packages and flags.
#
#   bench/compile-identical.bash NEW_GOROOT OLD_GOROOT [package...]
#
# It builds the packages (default: std) with -a and NEW_GOROOT's go command;
# through -toolexec, every compile also runs OLD_GOROOT's compiler with the
# same arguments, writing its outputs (the archive, and the assembly header
# for packages with assembly) beside the new compiler's, and compares them
# byte for byte. Both compilers get the same -buildid and -goversion from
# the go command, so the objects differ only if the compilers' code
# generation does. It prints "N of M identical" and exits 1 on any
# difference, listing the packages that differ.
#
# schedx uses it to show that the -d=probes pass changes nothing when it is
# off: OLD_GOROOT is a copy of go/ whose compiler is built without the
# "cmd/compile: add an opt-in SSA instrumentation pass" patch (see
# docs/perf/probes-*.md for the commands). GOFLAGS may add flags to both,
# e.g. GOFLAGS=-gcflags=all=-N to compare unoptimized builds.
set -euo pipefail

if [ "${1:-}" = "-toolexec" ]; then
	# Called by go build: -toolexec OLD_COMPILE LOG TOOL ARGS...
	old=$2 log=$3
	shift 3
	tool=$1
	shift
	"$tool" "$@"
	[ "$(basename "$tool")" = compile ] || exit 0
	[ "${1:-}" != -V=full ] && [ "${1:-}" != -V ] || exit 0
	args=() outs=() pkg=?
	while [ $# -gt 0 ]; do
		case $1 in
		-o | -asmhdr)
			args+=("$1" "$2.old")
			outs+=("$2")
			shift 2
			continue
			;;
		-p) pkg=$2 ;;
		esac
		args+=("$1")
		shift
	done
	"$old" "${args[@]}"
	for o in "${outs[@]}"; do
		if cmp -s "$o" "$o.old"; then
			echo "same $pkg $(basename "$o")" >>"$log"
		else
			echo "DIFF $pkg $(basename "$o")" >>"$log"
		fi
		rm -f "$o.old"
	done
	exit 0
fi

[ $# -ge 2 ] || { echo "usage: $0 NEW_GOROOT OLD_GOROOT [package...]" >&2; exit 2; }
new=$(cd "$1" && pwd) old=$(cd "$2" && pwd)
shift 2
[ $# -gt 0 ] || set -- std
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
oldcompile=$("$old/bin/go" env GOTOOLDIR)/compile
[ -x "$oldcompile" ] || { echo "$0: no compiler at $oldcompile" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
: >"$log"
env -u GOROOT PATH="$new/bin:$PATH" GOTOOLCHAIN=local GOCACHE="$tmp/cache" \
	go build -a -o /dev/null -toolexec "$self -toolexec $oldcompile $log" "$@"
total=$(wc -l <"$log")
same=$(grep -c '^same ' "$log" || true)
echo "$same of $total compiler outputs identical ($new against $old)"
if [ "$same" != "$total" ]; then
	grep '^DIFF ' "$log" | sort
	exit 1
fi
