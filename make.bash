#!/usr/bin/env bash
# make.bash: build the schedx toolchain in go/.
#
#   ./make.bash [flags for go/src/make.bash, e.g. -distpack]
#
# 1. Finds the base GOROOT and checks it against ci/base-manifest.txt: the
#    release VERSION is based on, as ci/base-provenance.txt describes it.
#    Unless $GOROOT_BASE names one, the base is base/goX.Y.Z (git-ignored),
#    which the first run assembles from the golang.org/toolchain module of
#    the release (downloaded from the module proxy, its h1: hash checked
#    against the recorded one) and, for api/, doc/, misc/ and test/, which
#    the module lacks, the stock release the provenance names as the donor
#    (the GOROOT of the go on PATH, or $GOROOT_DONOR; checked file by file).
#    A download or a check that fails stops here, before go/ is touched.
# 2. Materializes go/ (base commit + one commit per file in patches/) when it
#    is missing or stale; go/ holding work of its own is never overwritten.
# 3. Builds go/ with go/src/make.bash, GOROOT_BOOTSTRAP set to the base (the
#    module's stock toolchain), unless go/ was already built at its current
#    commit and VERSION.
# 4. Prints the lines that switch a shell to the fork.
set -euo pipefail
SCHEDX_PROG=make.bash
source "$(dirname "${BASH_SOURCE[0]}")/ci/lib.sh"
patches=$SCHEDX_ROOT/ci/patches

base=$(find_base)
verify_base "$base"

case $("$patches" status) in
absent)
	"$patches" apply
	;;
synced) ;;
stale)
	note "patches/ or the base changed since go/ was materialized, and go/ holds no work of its own: materializing it again"
	rm -rf "$SCHEDX_GO"
	"$patches" apply
	;;
work)
	"$patches" check >/dev/null 2>"$SCHEDX_GO.check.log" || true
	sed 's/^/	/' "$SCHEDX_GO.check.log" >&2
	rm -f "$SCHEDX_GO.check.log"
	die "go/ holds work that is not in patches/, so it is left as it is. Commit it in go/ and run ci/patches extract (then commit patches/); or, to rebuild what go/ holds now, run cd go/src && ./make.bash; or, to throw it away, remove go/."
	;;
foreign)
	die "$SCHEDX_GO exists but was not made by ci/patches; move it away and run ./make.bash again"
	;;
esac

if [ "$(head -n 1 "$SCHEDX_GO/VERSION")" != "$(fork_version)" ]; then
	"$patches" write-version
fi

stampfile=$SCHEDX_GO/.git/schedx-built
stamp="$(git -C "$SCHEDX_GO" rev-parse HEAD) $(fork_version) $*"
if [ -x "$SCHEDX_GO/bin/go" ] && [ "$(cat "$stampfile" 2>/dev/null)" = "$stamp" ]; then
	note "go/ is already built at $(git -C "$SCHEDX_GO" rev-parse --short HEAD) ($(fork_version)); nothing to do"
else
	rm -f "$stampfile"
	note "building $(fork_version) in $SCHEDX_GO with GOROOT_BOOTSTRAP=$base"
	(cd "$SCHEDX_GO/src" && env -u GOROOT GOROOT_BOOTSTRAP="$base" GOTOOLCHAIN=local ./make.bash "$@")
	echo "$stamp" >"$stampfile"
fi

cat <<MSG

Built $(fork_version) in $SCHEDX_GO. To use it in this shell:

	export GOROOT=$SCHEDX_GO PATH=$SCHEDX_GO/bin:\$PATH

MSG
