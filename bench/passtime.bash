#!/usr/bin/env bash
# passtime.bash: the time one SSA pass takes, as a share of the whole SSA
# back end, measured by the compiler's own per-pass timer.
#
#   bench/passtime.bash [-pass NAME] [GOROOT] [package...]
#
# It builds each package (default: cmd/compile/internal/ssa net/http
# go/types encoding/json) with GOROOT's go (default ../go) and
# -gcflags=-d=ssa/all/time, which logs the nanoseconds of every pass for
# every function, and prints per package the functions compiled, the total
# time of all passes, and the time, share and per-function cost of the pass
# (default "insert_probes", the -d=probes pass, which does nothing when the
# flag is off). The timer's own cost (a time.Now pair) is included in every
# pass's time.
set -euo pipefail
cd "$(dirname "$0")"
pass=insert_probes
if [ "${1:-}" = -pass ]; then pass=$2; shift 2; fi
goroot=$(cd "${1:-../go}" && pwd)
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- cmd/compile/internal/ssa net/http go/types encoding/json
printf '%-28s %9s %12s %12s %8s %8s\n' package functions "SSA total" "$pass" share "per fn"
for pkg in "$@"; do
	env -u GOROOT -u GOFLAGS PATH="$goroot/bin:$PATH" GOTOOLCHAIN=local \
		go build -a -o /dev/null -gcflags=-d=ssa/all/time "$pkg" 2>&1 |
		awk -F'\t' -v pass="$pass" -v pkg="$pkg" '
			$3 == "TIME(ns)" { total += $4; if ($2 == pass) { t += $4; n++ } }
			END {
				if (n == 0) { printf "%-28s no %s pass logged\n", pkg, pass; exit 1 }
				printf "%-28s %9d %11.3fs %10.3fms %7.4f%% %6.0fns\n", pkg, n, total/1e9, t/1e6, 100*t/total, t/n
			}'
done
