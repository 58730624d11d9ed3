#!/usr/bin/env bash
# chaos-alarms.bash: go test -short of sync, context, time, runtime/debug
# and golang.org/x/sync under GODEBUG=schedchaos=SEED for seeds 1..N
# (default 5), uniform and PCT, with and without the compiler's entry
# probes in the packages under test, beside runs without chaos; prints
# each run's result, the packages' summed test time and each package's
# (go test's own times, so the build is not counted). A failure is
# printed with its output.
#
#	ci/chaos-alarms.bash [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
export PATH=$PWD/go/bin:$PATH GOTOOLCHAIN=local GOFLAGS=-mod=mod
unset GOROOT
mod=$(mktemp -d)
trap 'rm -rf "$mod"' EXIT
cat > "$mod/go.mod" <<'MOD'
module chaosalarms

go 1.26.0

require golang.org/x/sync v0.25.0
MOD
cat > "$mod/x_test.go" <<'SRC'
package chaosalarms

import (
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/sync/semaphore"
	_ "golang.org/x/sync/singleflight"
	_ "golang.org/x/sync/syncmap"
)
SRC
cd "$mod"
go mod tidy >/dev/null
pkgs=(sync context time runtime/debug golang.org/x/sync/errgroup golang.org/x/sync/semaphore golang.org/x/sync/singleflight golang.org/x/sync/syncmap)

# run LABEL ENV...: go test the packages; print the verdict and the sum of
# the packages' own test times.
run() {
	local label=$1
	shift
	local out rc=0
	out=$(env "$@" go test -short -count=1 "${pkgs[@]}" 2>&1) || rc=$?
	local secs each
	secs=$(printf '%s\n' "$out" | awk '/^ok /{sub("s$","",$3); t+=$3} END{printf "%.2f", t}')
	each=$(printf '%s\n' "$out" | awk '/^ok /{n=$2; sub(".*/","",n); printf "%s%s=%s", sep, n, $3; sep=" "}')
	if [ $rc = 0 ]; then
		echo "$label: ok ${secs}s ($each)"
	else
		echo "$label: FAIL"
		printf '%s\n' "$out" | grep -v '^ok ' | head -60
	fi
}

go test -short -count=1 -run XXX "${pkgs[@]}" >/dev/null # build and cache
go test -short -count=1 -run XXX -gcflags=-d=probes=entry "${pkgs[@]}" >/dev/null
run "default" GODEBUG=
run "default, probes" GODEBUG= GOFLAGS="-mod=mod -gcflags=-d=probes=entry"
for s in $(seq "$n"); do
	run "schedchaos=$s" GODEBUG=schedchaos=$s
	run "schedchaos=$s, probes" GODEBUG=schedchaos=$s GOFLAGS="-mod=mod -gcflags=-d=probes=entry"
	run "schedchaos=$s,schedchaospct=3, probes" GODEBUG=schedchaos=$s,schedchaospct=3 GOFLAGS="-mod=mod -gcflags=-d=probes=entry"
done
run "schedchaos=1, GOMAXPROCS=1, probes" GODEBUG=schedchaos=1 GOMAXPROCS=1 GOFLAGS="-mod=mod -gcflags=-d=probes=entry"
echo "($(date -u +%Y-%m-%d), $(go version))"
